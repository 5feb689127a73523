"""The City's past shoots: `scout import tournages`, `scout nearby`, the fiche's section.

The shared sample (ODbL, 9,241 rows) is read from ../shared, never copied here. The
expected counts are computed again in the test from the file with the csv module and
pyproj's geodesic, not with the importer's own helpers.
"""

from __future__ import annotations

import csv
import json
import math
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SAMPLE = "lieux-de-tournage-sample.csv"
HEADER = (
    "Identifiant du lieu;Année du tournage;Type de tournage;Titre;Réalisateur;Producteur;"
    "Localisation de la scène;Code postal;Date de début;Date de fin;Coordonnée en X;"
    "Coordonnée en Y;geo_shape;geo_point_2d"
)
# Verified on the sample (2016–2019 and 2022): 4 rows end before they start (all 2022),
# 322 rows repeat the title, address and dates of an earlier row under another id, no
# row's X/Y is more than 5 m from its geo_point_2d; 9,241 - 4 - 322 = 8,915 imported.
SAMPLE_IMPORTED, SAMPLE_DUPLICATES, SAMPLE_REJECTED, SAMPLE_FLAGGED = 8915, 322, 4, 0


def _row(
    source_id: str = "2019-1",
    *,
    year: str = "2019",
    kind: str = "Long métrage",
    title: str = "Le Film",
    address: str = "1 place de l'estrapade, 75005 paris",
    postcode: str = "75005",
    start: str = "2019-03-12",
    end: str = "2019-03-13",
    x: str = "2.34481",
    y: str = "48.84575",
    point: str | None = None,
) -> str:
    lat, lon = (y, x) if point is None else point.split(", ")
    shape = '"{""coordinates"": [' + f"{lon}, {lat}" + '], ""type"": ""Point""}"'
    return ";".join(
        [source_id, year, kind, title, "Réa", "Prod", address, postcode, start, end, x, y]
        + [shape, f"{lat}, {lon}"]
    )


def _write(path: Path, rows: list[str], *, bom: bool = True) -> Path:
    path.write_text(("\ufeff" if bom else "") + "\n".join([HEADER, *rows]) + "\n", "utf-8")
    return path


def _json(result) -> dict:  # type: ignore[no-untyped-def]
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _stored(db_path: Path) -> tuple[int, int, list]:
    """(past shoots, lieux, the shoots) as the store holds them."""
    from scout.store import open_store

    with open_store(db_path, read_only=True) as store:
        return store.count_tournages(), store.count_lieux(), store.tournages()


def _expected(path: Path) -> dict[str, int]:
    """The sample's counts, computed apart from the importer: csv module, pyproj Geod."""
    from pyproj import Geod, Transformer

    to_wgs84 = Transformer.from_crs(2154, 4326, always_xy=True)
    geod = Geod(ellps="WGS84")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    rejected = duplicates = flagged = 0
    seen: set[tuple[str, str, str, str]] = set()
    for r in rows:
        if r["Date de fin"] < r["Date de début"]:
            rejected += 1
            continue
        key = (
            " ".join(r["Titre"].split()).casefold(),
            " ".join(r["Localisation de la scène"].replace("\xa0", " ").split()).casefold(),
            r["Date de début"],
            r["Date de fin"],
        )
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        x, y = float(r["Coordonnée en X"]), float(r["Coordonnée en Y"])
        lon, lat = to_wgs84.transform(x, y) if x > 1000 else (x, y)
        plat, plon = (float(v) for v in r["geo_point_2d"].split(","))
        if geod.inv(lon, lat, plon, plat)[2] > 5:
            flagged += 1
    return {
        "rows": len(rows),
        "imported": len(rows) - rejected - duplicates,
        "rejected": rejected,
        "duplicates": duplicates,
        "flagged": flagged,
    }


# -- the shared sample -------------------------------------------------------------------
def test_the_whole_sample_is_imported_with_its_counts(
    shared_dir: Path, run_scout, db_path: Path
) -> None:
    sample = shared_dir / SAMPLE
    expected = _expected(sample)
    assert expected == {
        "rows": 9241,
        "imported": SAMPLE_IMPORTED,
        "rejected": SAMPLE_REJECTED,
        "duplicates": SAMPLE_DUPLICATES,
        "flagged": SAMPLE_FLAGGED,
    }
    out = _json(run_scout("import", "tournages", str(sample), "--json"))
    assert out["imported"] == out["added"] == SAMPLE_IMPORTED
    assert (out["rejected"], out["duplicates"], out["flagged"]) == (
        SAMPLE_REJECTED,
        SAMPLE_DUPLICATES,
        SAMPLE_FLAGGED,
    )
    assert {r["reason"] for r in out["reasons"]} == {"ends_before_start"}
    assert [r["line"] for r in out["reasons"]] == [733, 3150, 3244, 5066]
    with sample.open(encoding="utf-8-sig") as f:
        lines = f.read().split("\n")
    assert lines[733 - 1].startswith("2022-958;")  # the line numbers are the file's
    shoots, lieux, stored = _stored(db_path)
    assert (shoots, lieux) == (SAMPLE_IMPORTED, 0)  # a layer of its own, no lieu made
    by_year: dict[int, int] = {}
    for t in stored:
        by_year[t.year] = by_year.get(t.year, 0) + 1
    assert sorted(by_year) == [2016, 2017, 2018, 2019, 2022]
    outside = [t for t in stored if t.arrondissement is None]
    assert outside and all(not t.postcode.startswith("75") for t in outside)
    assert all(t.arrondissement == 16 for t in stored if t.postcode == "75116")
    assert not any("  " in t.address or "\xa0" in t.address for t in stored)
    assert {t.type for t in stored} == {"feature_film", "tv_series", "tv_film", "web_series"}


def test_lambert93_rows_agree_with_geo_point_2d(shared_dir: Path) -> None:
    from pyproj import Geod

    from scout.exports.tournages import lambert93_to_wgs84

    geod = Geod(ellps="WGS84")
    checked = 0
    with (shared_dir / SAMPLE).open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            x = float(r["Coordonnée en X"])
            if x < 1000:
                continue
            lat, lon = lambert93_to_wgs84(x, float(r["Coordonnée en Y"]))
            plat, plon = (float(v) for v in r["geo_point_2d"].split(","))
            assert geod.inv(lon, lat, plon, plat)[2] < 1.0, r["Identifiant du lieu"]
            checked += 1
    assert checked == 1499  # every 2022 row is in Lambert-93


def test_reimporting_updates_instead_of_duplicating(
    shared_dir: Path, run_scout, db_path: Path
) -> None:
    sample = shared_dir / SAMPLE
    first = _json(run_scout("import", "tournages", str(sample), "--json"))
    again = _json(run_scout("import", "tournages", str(sample), "--json"))
    for key in ("imported", "flagged", "duplicates", "rejected"):
        assert again[key] == first[key]
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, SAMPLE_IMPORTED)
    count, _lieux, stored = _stored(db_path)
    assert count == SAMPLE_IMPORTED
    assert len({t.source_id for t in stored}) == count


def test_a_changed_row_is_updated_by_its_source_id(tmp_path: Path, run_scout, db_path) -> None:
    path = _write(tmp_path / "t.csv", [_row("2019-1"), _row("2019-2", title="Autre")])
    assert _json(run_scout("import", "tournages", str(path), "--json"))["added"] == 2
    _write(path, [_row("2019-1", title="Le Film (titre corrigé)"), _row("2019-2", title="Autre")])
    out = _json(run_scout("import", "tournages", str(path), "--json"))
    assert (out["added"], out["updated"], out["unchanged"]) == (0, 1, 1)
    count, _lieux, stored = _stored(db_path)
    assert count == 2
    assert {t.title for t in stored} == {"Le Film (titre corrigé)", "Autre"}


# -- flags and bad rows ------------------------------------------------------------------
def test_a_row_whose_xy_and_geo_point_disagree_is_flagged_and_kept(
    tmp_path: Path, run_scout, db_path: Path
) -> None:
    from pyproj import Transformer

    to_l93 = Transformer.from_crs(4326, 2154, always_xy=True)
    lat, lon = 48.876897, 2.392307
    x, y = to_l93.transform(lon, lat)
    near = f"{lat + 2 / 111_200}, {lon}"  # 2 m north: within the tolerance
    far = f"{lat + 20 / 111_200}, {lon}"  # 20 m north: flagged
    rows = [
        _row("2022-1", year="2022", x=f"{x:.3f}", y=f"{y:.3f}", point=near, title="A"),
        _row("2022-2", year="2022", x=f"{x:.3f}", y=f"{y:.3f}", point=far, title="B"),
        _row("2019-3", x="2.3424", y="48.8762", point="48.8762, 2.34266", title="C"),  # ~19 m
    ]
    out = _json(run_scout("import", "tournages", str(_write(tmp_path / "t.csv", rows)), "--json"))
    assert (out["imported"], out["flagged"], out["rejected"]) == (3, 2, 0)
    flags = {f["source_id"]: f["gap_m"] for f in out["flags"]}
    assert set(flags) == {"2022-2", "2019-3"}
    assert 19 < flags["2022-2"] < 21 and 18 < flags["2019-3"] < 20
    _count, _lieux, stored = _stored(db_path)
    by_id = {t.source_id: t for t in stored}
    assert by_id["2022-2"].flagged and not by_id["2022-1"].flagged
    assert by_id["2022-2"].lat == pytest.approx(lat + 20 / 111_200)  # geo_point_2d is kept
    text = run_scout("import", "tournages", str(tmp_path / "t.csv"))
    assert "2 flagged: their X/Y and geo_point_2d are more than 5 m apart (kept)." in text.stdout
    assert "line 3 (2022-2): X/Y 20\xa0m from geo_point_2d" in text.stdout


def test_bad_rows_are_reported_with_line_and_reason_and_the_rest_imported(
    tmp_path: Path, run_scout, db_path: Path
) -> None:
    rows = [
        _row("2019-1"),  # line 2: good
        _row("", title="Sans id"),  # 3
        _row("2019-3", start="12/03/2019"),  # 4
        _row("2019-4", start="2019-03-12", end="2019-03-01"),  # 5
        _row("2019-5", x="", y="", point=", "),  # 6
        _row("2019-6", x="-73.98", y="40.75", point="40.75, -73.98"),  # 7: New York
        _row("2019-1", title="Autre"),  # 8: id already on line 2
        _row("2019-8"),  # 9: same title, address, dates as 2019-1
        "2019-9;2019;Série TV;Court",  # 10: 4 fields
        _row("2019-10", title="  DEUX   ESPACES ", address="64\xa0 RUE  DE MONCEAU"),  # 11
        _row("2019-11", year="deux mille"),  # 12
        _row("2019-12", title=""),  # 13
    ]
    out = _json(run_scout("import", "tournages", str(_write(tmp_path / "t.csv", rows)), "--json"))
    assert (out["imported"], out["duplicates"], out["rejected"]) == (2, 1, 9)
    reasons = {r["line"]: r["reason"] for r in out["reasons"]}
    assert reasons == {
        3: "missing_id",
        4: "bad_date",
        5: "ends_before_start",
        6: "missing_position",
        7: "position_out_of_region",
        8: "duplicate_id",
        10: "field_count",
        12: "bad_year",
        13: "missing_title",
    }
    bad_date = next(r for r in out["reasons"] if r["line"] == 4)
    assert bad_date["field"] == "start" and bad_date["value"] == "12/03/2019"
    _count, _lieux, stored = _stored(db_path)
    tidy = next(t for t in stored if t.source_id == "2019-10")
    assert (tidy.title, tidy.address) == ("DEUX ESPACES", "64 rue de monceau")
    assert tidy.start == date(2019, 3, 12)
    # The text summary lists the first N reasons, with their line.
    text = run_scout("import", "tournages", str(tmp_path / "t.csv"), "--show", "2")
    assert text.returncode == 0, text.stderr
    assert "line 3 (—): no id" in text.stdout
    assert "line 4 (2019-3): Date de début: 12/03/2019 is not a date" in text.stdout
    assert "… and 7 more" in text.stdout


# -- files that are not the export --------------------------------------------------------
def _latin1(tmp_path: Path) -> Path:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        ("\n".join([HEADER, _row(), _row("2019-2", title="Été")]) + "\n").encode("latin-1")
    )
    return path


def _commas(tmp_path: Path) -> Path:
    path = tmp_path / "commas.csv"
    text = "\n".join([HEADER, _row()]).replace(";", ",")
    path.write_text(text + "\n", "utf-8")
    return path


def _missing_columns(tmp_path: Path) -> Path:
    path = tmp_path / "columns.csv"
    header = HEADER.replace("Date de fin;", "").replace("geo_point_2d", "point")
    path.write_text("\n".join([header, _row()]) + "\n", "utf-8")
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\xef\xbb\xbf\n")
    return path


def _truncated(tmp_path: Path) -> Path:
    path = tmp_path / "cut.csv"
    whole = "\n".join([HEADER, _row("2019-1"), _row("2019-2", title="B")]) + "\n"
    path.write_text(whole[: whole.rindex("Point") - 10], "utf-8")  # cut inside geo_shape
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_latin1, ["not UTF-8", "line 1", "Latin-1"]),
        (_commas, ["separated by commas", "semicolons"]),
        (_missing_columns, ["lacks the columns", "« Date de fin »", "« geo_point_2d »"]),
        (_truncated, ["ends in the middle of a row", "line 3", "truncated"]),
        (_empty, ["is empty"]),
    ],
)
def test_a_file_that_is_not_the_export_imports_nothing(
    tmp_path: Path, run_scout, db_path: Path, make, words: list[str]
) -> None:
    good = _write(tmp_path / "good.csv", [_row("2018-1", year="2018", title="Avant")])
    assert _json(run_scout("import", "tournages", str(good), "--json"))["added"] == 1
    path = make(tmp_path)
    result = run_scout("import", "tournages", str(path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert str(path) in result.stderr
    for word in [*words, "Nothing was imported" if make is not _empty else "empty"]:
        assert word in result.stderr
    assert "Traceback" not in result.stderr
    count, _lieux, stored = _stored(db_path)
    assert count == 1 and stored[0].title == "Avant"  # nothing partial, nothing lost


def test_no_bom_and_windows_line_ends_are_read_too(tmp_path: Path, run_scout) -> None:
    path = tmp_path / "crlf.csv"
    path.write_bytes(
        ("\r\n".join([HEADER, _row("2019-1"), _row("2019-2", title="B")]) + "\r\n").encode()
    )
    out = _json(run_scout("import", "tournages", str(path), "--json"))
    assert (out["imported"], out["rejected"]) == (2, 0)


def test_a_truncated_copy_of_the_sample_imports_nothing(
    shared_dir: Path, tmp_path: Path, run_scout, db_path: Path
) -> None:
    data = (shared_dir / SAMPLE).read_bytes()
    cut = tmp_path / "cut.csv"
    cut.write_bytes(data[: len(data) // 2 + 7])
    result = run_scout("import", "tournages", str(cut))
    assert result.returncode == 1 and "truncated" in result.stderr
    assert not db_path.exists() or _stored(db_path)[0] == 0


# -- nearby --------------------------------------------------------------------------------
def test_nearby_a_demo_lieu(shared_dir: Path, run_scout, db_path: Path) -> None:
    from pyproj import Geod

    assert run_scout("demo").returncode == 0
    _json(run_scout("import", "tournages", str(shared_dir / SAMPLE), "--json"))
    out = _json(run_scout("nearby", "4", "--radius", "150", "--json", "--limit", "1000"))
    distances = [s["distance_m"] for s in out["shoots"]]
    assert out["count"] == len(distances) > 10
    assert distances == sorted(distances) and max(distances) <= 150
    assert sum(out["per_year"].values()) == out["count"]
    years: dict[str, int] = {}
    for s in out["shoots"]:
        years[str(s["year"])] = years.get(str(s["year"]), 0) + 1
    assert out["per_year"] == dict(sorted(years.items()))
    # The same shoots as a brute-force geodesic search (allowing 0.5 m at the edge).
    geod = Geod(ellps="WGS84")
    _count, _lieux, stored = _stored(db_path)
    brute = {
        t.source_id for t in stored if geod.inv(out["lon"], out["lat"], t.lon, t.lat)[2] <= 149.5
    }
    assert brute <= {s["source_id"] for s in out["shoots"]}
    for s in out["shoots"]:
        true = geod.inv(out["lon"], out["lat"], s["lon"], s["lat"])[2]
        assert math.isclose(s["distance_m"], true, abs_tol=0.5)
    text = run_scout("nearby", "4", "--limit", "3")
    assert text.returncode == 0, text.stderr
    assert f"{out['count']} past shoots within 150\xa0m of Place de l'Estrapade" in text.stdout
    assert "Shoots per year: 2016: " in text.stdout
    assert "Source: Ville de Paris — opendata.paris.fr (ODbL)" in text.stdout
    assert len([line for line in text.stdout.splitlines() if line.endswith("paris")]) <= 3


def test_nearby_before_any_import_and_its_errors(run_scout) -> None:
    assert run_scout("demo").returncode == 0
    empty = run_scout("nearby", "4")
    assert empty.returncode == 0 and "scout import tournages" in empty.stdout
    assert run_scout("nearby", "999").returncode == 1
    bad = run_scout("nearby", "4", "--radius", "0")
    assert bad.returncode == 1 and "--radius: the radius must be more than 0" in bad.stderr


def test_the_reference_layer_never_appears_in_list(
    tmp_path: Path, run_scout, db_path: Path
) -> None:
    assert run_scout("demo").returncode == 0
    before = run_scout("list", "--json").stdout
    before_text = run_scout("list").stdout
    path = _write(tmp_path / "t.csv", [_row("2019-1", title="Le Film Unique")])
    assert _json(run_scout("import", "tournages", str(path), "--json"))["added"] == 1
    assert run_scout("list", "--json").stdout == before
    assert run_scout("list").stdout == before_text
    assert "Le Film Unique" not in run_scout("list", "--all").stdout + before_text


# -- languages --------------------------------------------------------------------------
def _summary_file(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "t.csv",
        [_row("2019-1"), _row("2019-2", title="B"), _row("2019-3", start="2019-03-20")],
    )


def test_the_summary_in_english(tmp_path: Path, run_scout) -> None:
    result = run_scout("import", "tournages", str(_summary_file(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert "2 past shoots imported (2 new, 0 updated, 0 unchanged)." in result.stdout
    assert "0 flagged" in result.stdout
    assert "1 row rejected." in result.stdout
    assert "line 4 (2019-3): ends before it starts (2019-03-20 → 2019-03-13)" in result.stdout
    assert "Source: Ville de Paris — opendata.paris.fr (ODbL)" in result.stdout


@pytest.mark.lang("fr")
def test_the_summary_in_french(tmp_path: Path, run_scout) -> None:
    path = _summary_file(tmp_path)
    result = run_scout("import", "tournages", str(path))
    assert result.returncode == 0, result.stderr
    assert "2 tournages passés importés (2 nouveaux, 0 mis à jour, 0 inchangés)." in result.stdout
    assert "1 ligne rejetée." in result.stdout
    assert "ligne 4 (2019-3) : se termine avant de commencer" in result.stdout
    assert "Source : Ville de Paris — opendata.paris.fr (ODbL)" in result.stdout
    english = run_scout("import", "tournages", str(path), "--json", env={"SCOUT_LANG": "en"})
    french = run_scout("import", "tournages", str(path), "--json")
    assert french.stdout == english.stdout  # JSON is language-neutral
    latin = _latin1(tmp_path)
    bad = run_scout("import", "tournages", str(latin))
    assert bad.returncode == 1 and "n'est pas en UTF-8 (ligne 1)" in bad.stderr


# -- the fiche in the TUI ----------------------------------------------------------------
def test_the_fiche_section_lists_the_nearest_and_the_years(tmp_path: Path, db_path: Path) -> None:
    from scout.services.workspace import Workspace
    from scout.store import open_store
    from scout.tui.widgets.lieu_detail import past_shoot_lines

    rows = [
        _row("2019-1", title="Près", x="2.34481", y="48.84575"),
        _row("2017-2", year="2017", title="Un peu plus loin", x="2.34481", y="48.84600"),
        _row("2018-3", year="2018", title="Plus loin", x="2.34481", y="48.84650"),
        _row("2018-4", year="2018", title="Au bord", x="2.34481", y="48.84680"),
        _row("2016-5", year="2016", title="Trop loin", x="2.35481", y="48.84575"),
    ]
    path = _write(tmp_path / "t.csv", rows)
    with Workspace(open_store(db_path)) as ws:
        assert ws.tournages.count() == 0
        done = ws.tournages.import_file(path)
        assert done.imported == 5
        found = ws.tournages.near(48.84575, 2.34481)
        lines = past_shoot_lines(found)
    assert lines[1] == "Past shoots nearby: 4 within 150\xa0m"
    assert lines[2] == "  0\xa0m · Près (2019, feature film)"
    assert lines[3].startswith("  28\xa0m · Un peu plus loin (2017, feature film)")
    assert len([line for line in lines if " · " in line and "(" in line]) == 3
    assert lines[5] == "  Per year: 2017: 1 · 2018: 2 · 2019: 1"


def test_the_fiche_has_no_section_while_the_layer_is_empty(db_path: Path) -> None:
    from types import SimpleNamespace

    from scout.domain import Lieu
    from scout.domain.lieu import Position
    from scout.services.workspace import Workspace
    from scout.store import open_store
    from scout.tui.widgets.lieu_detail import LieuDetail

    with Workspace(open_store(db_path)) as ws:
        lieu = Lieu(name="X", id=1, position=Position(48.85, 2.35))
        fake = SimpleNamespace(app=SimpleNamespace(ws=ws))
        assert LieuDetail._past_shoots(fake, lieu) == []  # type: ignore[arg-type]


# -- end to end ---------------------------------------------------------------------------
def test_end_to_end_through_the_installed_command(tmp_path: Path, run_installed_scout) -> None:
    path = _write(tmp_path / "t.csv", [_row("2019-1"), _row("2019-2", title="B")])
    done = run_installed_scout("import", "tournages", str(path), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["imported"] == 2
    assert run_installed_scout("demo").returncode == 0
    near = run_installed_scout("nearby", "4", "--json")
    assert near.returncode == 0, near.stderr
    assert json.loads(near.stdout)["count"] == 2


async def test_the_fiche_in_the_tui_shows_the_section_after_an_import(
    tmp_path: Path, db_path: Path
) -> None:
    from scout.clock import Clock
    from scout.demo import seed_demo
    from scout.permits.rules import RulesBook
    from scout.services.workspace import Workspace
    from scout.settings import Settings
    from scout.store import open_store
    from scout.tui.app import make_app
    from scout.tui.widgets.lieu_detail import LieuDetail

    clock = Clock(date(2026, 11, 23))
    settings = Settings(db_path=db_path, log_path=tmp_path / "logs" / "scout.log")
    path = _write(tmp_path / "t.csv", [_row("2019-1"), _row("2017-2", year="2017", title="B")])
    with open_store(db_path) as store:
        seed_demo(Workspace(store, clock))
    for imported in (False, True):
        if imported:
            with open_store(db_path) as store:
                Workspace(store, clock).tournages.import_file(path)
        store = open_store(db_path)
        app = make_app(Workspace(store, clock, RulesBook(settings.rules_path), settings=settings))
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                await pilot.app.workers.wait_for_complete()
                await pilot.press("home")
                await pilot.pause(0.3)
                detail = str(app.screen.query_one(LieuDetail).render())
        finally:
            store.close()
        assert "Place de l'Estrapade" in detail
        if imported:
            assert "Past shoots nearby: 2 within 150\xa0m" in detail
            assert "Per year: 2017: 1 · 2019: 1" in detail
        else:
            assert "Past shoots" not in detail


# -- free text survives ---------------------------------------------------------------------
_FREE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00")
    | st.sampled_from(list(";\"'\n\xa0é€🎬«»")),
    max_size=40,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=_FREE_TEXT, address=_FREE_TEXT, director=_FREE_TEXT)
def test_free_text_is_kept_tidied_whatever_it_holds(
    tmp_path: Path, title: str, address: str, director: str
) -> None:
    """Accents, quotes, `;`, newlines, emoji, empty fields: written by the csv module in
    the City's dialect, read back as the same text with its spaces tidied."""
    from scout.domain.tournage import tidy_address, tidy_text
    from scout.exports.tournages import read_tournages

    path = tmp_path / "free.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\n")
        writer.writerow(HEADER.split(";"))
        writer.writerow(
            ["2019-1", "2019", "Série Web", title, director, "Prod", address, "75005"]
            + ["2019-03-12", "2019-03-12", "2.34481", "48.84575", "", "48.84575, 2.34481"]
        )
    read = read_tournages(path)
    if not tidy_text(title):
        assert [r.reason.kind for r in read.rejected] == ["missing_title"]
        return
    [(line, shoot)] = read.rows
    assert line == 2
    assert shoot.title == tidy_text(title)
    assert shoot.address == tidy_address(address)
    assert shoot.director == tidy_text(director)
    assert shoot.type == "web_series"
