"""Spreadsheets: `scout export csv|xlsx`, `scout export permits`, `scout import csv`, and
the address and position in `scout list --json`. Files are read back by the real readers
(the csv module with Excel's dialect, openpyxl)."""

from __future__ import annotations

import codecs
import csv
import io
import json
import tempfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scout.exports.sheets import LIEU_COLUMNS, PERMIT_COLUMNS, guard_text

TODAY = date(2026, 11, 23)


# -- helpers ----------------------------------------------------------------------------
def _workspace(path: Path) -> Any:
    from scout.clock import Clock
    from scout.services.workspace import Workspace
    from scout.store import open_store

    return Workspace(open_store(path), Clock(TODAY))


def _export(ws: Any) -> bytes:
    from scout.exports.sheets import lieux_csv
    from scout.services.sheets import sheet_data

    return lieux_csv(sheet_data(ws, review=False))


def _import(ws: Any, data: bytes, name: str = "lieux.csv") -> Any:
    from scout.exports.csv_import import read_lieux_csv
    from scout.services.sheets import import_rows

    return import_rows(ws, read_lieux_csv(data, name))


def _rows_as_excel_reads(data: bytes) -> list[dict[str, str]]:
    """What Excel sees: a UTF-8 BOM, then « ; »-separated cells in its own dialect."""
    assert data.startswith(codecs.BOM_UTF8)
    text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
    dialect = csv.excel()
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect, delimiter=";")
    return list(reader)


def _csv_bytes(header: list[str], rows: list[list[str]], *, delimiter: str = ";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# -- hypothesis: lieux as a person types them --------------------------------------------
_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"),
        whitelist_characters="\n\t",
    )
    | st.sampled_from(list("éèàçÉœ«»;\"',—€🎬😀 ")),
    max_size=30,
)
_LINE = _TEXT.map(lambda t: t.replace("\n", " ").replace("\t", " "))
_NAME = _LINE.filter(lambda t: t.strip() != "")
_WORD = st.sampled_from(["oui", "non", "yes", "no", "?", "inconnu", ""])


@st.composite
def typed_lieux(draw: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {"name": draw(_NAME)}
    optional: dict[str, Any] = {
        "decor": _LINE,
        "sequences": st.sampled_from(["", "1", "12, 14", "3,4 , 5"]),
        "address": _LINE,
        "postcode": st.sampled_from(["", "75001", "75011", "75116", "93100"]),
        "status": st.sampled_from(["à repérer", "scouted", "option", "validé", "rejected"]),
        "setting": st.sampled_from(["INT", "ext", "INT/EXT", "?"]),
        "retained": _WORD,
        "cost": st.sampled_from(["", "1200,50", "45", "1 200 €", "0.5"]),
        "notes": _TEXT,
        "step_free": _WORD,
        "lift": _WORD,
        "narrowest_door_cm": st.sampled_from(["", "80", "120"]),
        "access_notes": _TEXT,
        "crew_size": st.sampled_from(["", "25"]),
        "loges": _WORD,
        "site_kind": st.sampled_from(["", "rue", "bridge", "?"]),
        "noise": _TEXT,
        "power": _LINE,
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            raw[key] = draw(strategy)
    if draw(st.booleans()):
        raw["lat"] = str(draw(st.floats(48.82, 48.90)))
        raw["lon"] = str(draw(st.floats(2.26, 2.41)))
    raw["shoot_days"] = draw(
        st.lists(
            st.sampled_from(
                ["2026-12-03", "04/12/2026 7h30-19h", "2026-12-05 08:00-18:00 nuit 🌙 ; pluie"]
            ),
            max_size=3,
            unique=True,
        )
    )
    contact = st.tuples(
        _NAME.filter(lambda t: ";" not in t),
        _LINE.map(lambda t: t.replace(";", " ")),
        st.sampled_from(["", "01 42 22 33 44", "+33612345678"]),
        st.sampled_from(["", "claire@example.org"]),
    ).map(lambda c: "; ".join(c))
    raw["contacts"] = draw(st.lists(contact, max_size=2))
    raw["tags"] = draw(st.lists(_LINE, max_size=3))
    return raw


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(lieux=st.lists(typed_lieux(), min_size=1, max_size=4))
def test_csv_round_trip_into_a_fresh_database_loses_nothing(lieux: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first = _workspace(Path(folder) / "a.db")
        try:
            for raw in lieux:
                first.lieux.add(raw)
            exported = _export(first)
            before = [first.lieux.get(i) for i in range(1, len(lieux) + 1)]
        finally:
            first.close()
        second = _workspace(Path(folder) / "b.db")
        try:
            report = _import(second, exported)
            assert report.added == list(range(1, len(lieux) + 1))
            again = _export(second)
            after = [second.lieux.get(i) for i in range(1, len(lieux) + 1)]
            # importing the same file again changes nothing and records no history
            report = _import(second, exported)
            assert report.added == [] and report.updated == []
        finally:
            second.close()
    assert again == exported
    for b, a in zip(before, after, strict=True):  # what was typed, and what was computed
        assert replace(b, created_at="", updated_at="", history=()) == replace(
            a, created_at="", updated_at="", history=()
        )
    rows = _rows_as_excel_reads(exported)
    assert [r["name"] for r in rows] == [guard_text(lieu.name) for lieu in before]


# -- the CLI on the demo ----------------------------------------------------------------
def test_export_csv_opens_as_excel_would_and_round_trips(run_scout, tmp_path: Path) -> None:
    run_scout("demo")
    out = tmp_path / "lieux.csv"
    result = run_scout("export", "csv", "--output", str(out))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and b"\r\n" in data
    rows = _rows_as_excel_reads(data)
    assert list(rows[0]) == list(LIEU_COLUMNS)
    flore = next(r for r in rows if r["name"] == "Café de Flore")
    assert flore["postcode"] == "75006" and flore["arrondissement"] == "6"
    assert float(flore["lat"]) == pytest.approx(48.85408)
    assert flore["shoot_days"].splitlines()[0].startswith("2026-12-11")
    assert "proprietaire: to_request" in flore["permits"]

    fresh = tmp_path / "fresh.db"
    result = run_scout("import", "csv", str(out), db=fresh)
    assert result.returncode == 0, result.stderr
    assert "14 locations added" in result.stdout
    again = tmp_path / "again.csv"
    run_scout("export", "csv", "--output", str(again), db=fresh)
    strip = [{k: v for k, v in r.items() if k != "permits"} for r in rows]
    assert [
        {k: v for k, v in r.items() if k != "permits"}
        for r in _rows_as_excel_reads(again.read_bytes())
    ] == strip


def test_import_updates_lieux_by_id_with_history(run_scout, tmp_path: Path) -> None:
    run_scout("demo")
    out = tmp_path / "lieux.csv"
    run_scout("export", "csv", "-o", str(out))
    rows = _rows_as_excel_reads(out.read_bytes())
    rows[0]["notes"] = "porte cochère ; code 1234\n2e ligne 🎬"
    rows[0]["status"] = "validé"  # a French word, read as the CLI reads it
    new = dict.fromkeys(LIEU_COLUMNS, "")
    new["name"] = "Nouveau lieu"
    new["shoot_days"] = "03/12/2026"
    body = [[r[c] for c in LIEU_COLUMNS] for r in [*rows, new]]
    out.write_bytes(_csv_bytes(list(LIEU_COLUMNS), body))
    result = run_scout("import", "csv", str(out))
    assert result.returncode == 0, result.stderr
    assert "1 location added, 1 updated, 13 unchanged" in result.stdout
    shown = json.loads(run_scout("show", rows[0]["id"], "--json").stdout)
    assert shown["notes"] == "porte cochère ; code 1234\n2e ligne 🎬"
    assert shown["status"] == "validated"
    assert {h["field"] for h in shown["history"]} >= {"notes", "status"}
    listed = json.loads(run_scout("list", "--json").stdout)
    assert any(r["name"] == "Nouveau lieu" for r in listed)


def test_export_to_standard_output_is_the_same_bytes(run_scout, tmp_path: Path) -> None:
    run_scout("demo")
    out = tmp_path / "a.csv"
    run_scout("export", "csv", "-o", str(out))
    result = run_scout("export", "csv")
    assert result.returncode == 0
    assert result.stdout == out.read_bytes().decode("utf-8").replace("\r\n", "\n")


def test_xlsx_has_both_sheets_frozen_filtered_with_real_dates(run_scout, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    run_scout("demo")
    out = tmp_path / "scout.xlsx"
    result = run_scout("export", "xlsx", "--output", str(out))
    assert result.returncode == 0, result.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["Locations", "Permits"]
    lieux, permits = book["Locations"], book["Permits"]
    for sheet in (lieux, permits):
        assert sheet.freeze_panes == "A2"
        last = sheet.cell(1, sheet.max_column).column_letter
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
        assert sheet.column_dimensions["B"].width >= 10
    header = [c.value for c in lieux[1]]
    assert header[:3] == ["ID", "Name", "Décor"] and lieux.max_row == 15
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in lieux.iter_rows(2, values_only=True)}
    flore = rows["Café de Flore"]
    assert flore["Postcode"] == "75006" and flore["Arrondissement"] == 6
    assert flore["Latitude"] == pytest.approx(48.85408)
    assert flore["First shoot day"] == datetime(2026, 12, 11)
    assert flore["Status"] == "Option"
    pheader = [c.value for c in permits[1]]
    assert "Deadline" in pheader
    deadlines = [
        dict(zip(pheader, r, strict=True))["Deadline"]
        for r in permits.iter_rows(2, values_only=True)
    ]
    assert deadlines and all(isinstance(d, datetime) for d in deadlines if d is not None)


@pytest.mark.lang("fr")
def test_xlsx_header_in_french(run_scout, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    run_scout("demo")
    out = tmp_path / "scout.xlsx"
    run_scout("export", "xlsx", "-o", str(out))
    book = load_workbook(out)
    assert book.sheetnames == ["Lieux", "Autorisations"]
    header = [c.value for c in book["Lieux"][1]]
    assert "Nom" in header and "Arrondissement" in header


def test_permits_export_csv_and_xlsx(run_scout, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    run_scout("demo")
    out = tmp_path / "permits.csv"
    assert run_scout("export", "permits", "--format", "csv", "-o", str(out)).returncode == 0
    rows = _rows_as_excel_reads(out.read_bytes())
    assert list(rows[0]) == list(PERMIT_COLUMNS)
    estrapade = next(r for r in rows if r["lieu_name"] == "Place de l'Estrapade")
    assert estrapade["type"] == "arrete_stationnement"
    assert estrapade["status"] == "in_preparation" and estrapade["deadline"] == "2026-11-12"
    date.fromisoformat(estrapade["deadline"])

    xlsx = tmp_path / "permits.xlsx"
    assert run_scout("export", "permits", "--format", "xlsx", "-o", str(xlsx)).returncode == 0
    book = load_workbook(xlsx)
    assert book.sheetnames == ["Permits"]
    sheet = book["Permits"]
    assert sheet.max_row == len(rows) + 1 and sheet.freeze_panes == "A2"


# -- malformed input: a clear error, nothing imported ------------------------------------
def _demo_csv(run_scout: Any, tmp_path: Path) -> tuple[list[str], list[list[str]]]:
    run_scout("demo")
    out = tmp_path / "demo.csv"
    run_scout("export", "csv", "-o", str(out))
    rows = _rows_as_excel_reads(out.read_bytes())
    return list(LIEU_COLUMNS), [[r[c] for c in LIEU_COLUMNS] for r in rows]


def _count(run_scout: Any, db: Path) -> int:
    return len(json.loads(run_scout("list", "--json", db=db).stdout))


def _refused(run_scout: Any, tmp_path: Path, data: bytes) -> str:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(data)
    fresh = tmp_path / "fresh.db"
    result = run_scout("import", "csv", str(bad), db=fresh)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "bad.csv" in result.stderr
    assert "nothing was imported" in result.stderr
    assert _count(run_scout, fresh) == 0
    return result.stderr


def test_a_bad_date_on_line_7_names_the_line_and_imports_nothing(run_scout, tmp_path: Path) -> None:
    header, rows = _demo_csv(run_scout, tmp_path)
    rows = [
        [
            c.replace("\n", " ") if h != "shoot_days" else c.splitlines()[0] if c else c
            for h, c in zip(header, r, strict=True)
        ]
        for r in rows
    ]
    for r in rows:  # one line per row, so that row 6 is on line 7
        for i, h in enumerate(header):
            if h in ("contacts", "tags", "permits"):
                r[i] = r[i].splitlines()[0] if r[i] else ""
    rows[5][header.index("shoot_days")] = "31/02/2026"
    err = _refused(run_scout, tmp_path, _csv_bytes(header, rows))
    assert "line 7" in err and "shoot_days" in err and "31/02/2026" in err


def test_latin1_file_is_refused(run_scout, tmp_path: Path) -> None:
    data = "id;name;decor\n;Café;ÉTÉ\n".encode("latin-1")
    err = _refused(run_scout, tmp_path, data)
    assert "UTF-8" in err and "line 2" in err


def test_comma_separated_file_is_refused(run_scout, tmp_path: Path) -> None:
    header, rows = _demo_csv(run_scout, tmp_path)
    err = _refused(run_scout, tmp_path, _csv_bytes(header, rows, delimiter=","))
    assert "commas" in err


def test_missing_name_column_is_refused(run_scout, tmp_path: Path) -> None:
    err = _refused(run_scout, tmp_path, _csv_bytes(["id", "decor"], [["", "X"]]))
    assert "name" in err and "missing" in err


def test_unknown_column_is_refused(run_scout, tmp_path: Path) -> None:
    err = _refused(run_scout, tmp_path, _csv_bytes(["name", "adress"], [["A", "x"]]))
    assert "adress" in err


@pytest.mark.parametrize("cut", [0.5, 0.93])
def test_truncated_file_is_refused(run_scout, tmp_path: Path, cut: float) -> None:
    header, rows = _demo_csv(run_scout, tmp_path)
    data = _csv_bytes(header, rows)
    err = _refused(run_scout, tmp_path, data[: int(len(data) * cut)])
    assert "line" in err


def test_every_bad_row_is_listed_with_its_column(run_scout, tmp_path: Path) -> None:
    header = ["id", "name", "postcode", "lat", "lon", "retained", "contacts"]
    rows = [
        ["", "Bon", "75011", "48.86", "2.37", "oui", "Claire; gérante"],
        ["x", "", "7501", "48.86", "", "peut-être pas", "Paul; ; pas un numéro"],
    ]
    err = _refused(run_scout, tmp_path, _csv_bytes(header, rows))
    for column in ("id", "name", "postcode", "lon", "retained", "contacts"):
        assert f"line 3, column {column}:" in err
    assert "Bon" not in err


def test_empty_file_is_refused(run_scout, tmp_path: Path) -> None:
    err = _refused(run_scout, tmp_path, b"")
    assert "empty" in err


# -- output errors, JSON ------------------------------------------------------------------
def test_unwritable_output_is_a_clear_error(run_scout, tmp_path: Path) -> None:
    run_scout("demo")
    for fmt in (("csv",), ("xlsx",), ("permits", "--format", "xlsx")):
        result = run_scout("export", *fmt, "--output", str(tmp_path))
        assert result.returncode == 1 and "is a folder" in result.stderr
        result = run_scout("export", *fmt, "--output", str(tmp_path / "no" / "x"))
        assert result.returncode == 1 and "does not exist" in result.stderr
        assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("**/.*.tmp"))


def test_list_json_has_address_and_position_and_is_neutral(run_scout) -> None:
    run_scout("demo")
    english = run_scout("list", "--json").stdout
    french = run_scout("list", "--json", env={"SCOUT_LANG": "fr"}).stdout
    assert english == french
    rows = json.loads(english)
    flore = next(r for r in rows if r["name"] == "Café de Flore")
    assert flore["address"] == "172 boulevard Saint-Germain" and flore["postcode"] == "75006"
    assert flore["lat"] == pytest.approx(48.85408) and flore["lon"] == pytest.approx(2.33259)
    assert {"id", "decor", "arrondissement", "status", "next_shoot_day"} <= set(flore)


def test_csv_is_the_same_bytes_in_both_languages(run_scout, tmp_path: Path) -> None:
    run_scout("demo")
    en, fr = tmp_path / "en.csv", tmp_path / "fr.csv"
    run_scout("export", "csv", "-o", str(en))
    run_scout("export", "csv", "-o", str(fr), env={"SCOUT_LANG": "fr"})
    assert en.read_bytes() == fr.read_bytes()


def test_end_to_end_with_the_installed_command(run_installed_scout, tmp_path: Path) -> None:
    run_installed_scout("demo")
    out = tmp_path / "lieux.csv"
    assert run_installed_scout("export", "csv", "-o", str(out)).returncode == 0
    result = run_installed_scout("import", "csv", str(out), db=tmp_path / "other.db")
    assert result.returncode == 0 and "14 locations added" in result.stdout


def test_a_file_saved_again_by_french_excel_is_read(run_scout, tmp_path: Path) -> None:
    """Excel in French writes dates day first, decimals with a comma and keeps « ; »."""
    header = ["id", "name", "lat", "lon", "shoot_days", "retained", "cost", "status"]
    rows = [["", "Quai", "48,8566", "2,3522", "03/12/2026", "oui", "1 200,50", "à repérer"]]
    src = tmp_path / "excel.csv"
    src.write_bytes(_csv_bytes(header, rows))
    result = run_scout("import", "csv", str(src))
    assert result.returncode == 0, result.stderr
    shown = json.loads(run_scout("show", "1", "--json").stdout)
    assert shown["position"]["lat"] == pytest.approx(48.8566)
    assert shown["shoot_days"] == [{"date": "2026-12-03"}]
    assert shown["retained"] is True and shown["cost"] == "1200.50"


def test_as_new_adds_rows_whatever_their_id(run_scout, tmp_path: Path) -> None:
    run_scout("demo")
    out = tmp_path / "lieux.csv"
    run_scout("export", "csv", "-o", str(out))
    result = run_scout("import", "csv", str(out), "--as-new")
    assert result.returncode == 0 and "14 locations added" in result.stdout
    assert len(json.loads(run_scout("list", "--json").stdout)) == 28


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from scout.exports.sheets import lieux_xlsx
    from scout.services.sheets import sheet_data

    ws = _workspace(tmp_path / "f.db")
    try:
        ws.lieux.add({"name": '=HYPERLINK("http://x","clic")', "notes": "#N/A", "decor": "+33"})
        data = lieux_xlsx(sheet_data(ws))
    finally:
        ws.close()
    out = tmp_path / "f.xlsx"
    out.write_bytes(data)
    sheet = load_workbook(out).worksheets[0]
    row = {h.value: c for h, c in zip(sheet[1], sheet[2], strict=True)}
    assert row["Name"].value == '=HYPERLINK("http://x","clic")' and row["Name"].data_type == "s"
    assert row["Notes"].value == "#N/A" and row["Décor"].value == "+33"


def test_line_breaks_written_by_windows_inside_cells_are_read(run_scout, tmp_path: Path) -> None:
    src = tmp_path / "crlf.csv"
    src.write_bytes(
        "\ufeffname;notes;shoot_days\r\n"
        'A;"deux\r\nlignes";"2026-12-03\r\n04/12/2026 7h30-19h"\r\n'
        "B;x;31/02/2026\r\n".encode()
    )
    err = _refused(run_scout, tmp_path, src.read_bytes())
    assert "line 5, column shoot_days" in err  # row A holds lines 2 to 4
    src.write_bytes(src.read_bytes().replace(b"31/02/2026", b"01/02/2027"))
    assert run_scout("import", "csv", str(src)).returncode == 0
    shown = json.loads(run_scout("show", "1", "--json").stdout)
    assert shown["notes"] == "deux\nlignes" and len(shown["shoot_days"]) == 2


# -- retained (★): one per décor ------------------------------------------------------------
def test_two_rows_retaining_the_same_decor_are_refused(run_scout, tmp_path: Path) -> None:
    header = ["id", "name", "decor", "retained"]
    rows = [
        ["", "Quai", "Appartement de Léa", "oui"],
        ["", "Pont", "Rue", "yes"],
        ["", "Cour", "Appartement de Léa", "yes"],
        ["", "Toit", "Appartement de Léa", "non"],
    ]
    err = _refused(run_scout, tmp_path, _csv_bytes(header, rows))
    assert "lines 2 and 4" in err and "Appartement de Léa" in err and "retain" in err


def test_retained_conflict_through_the_lieux_own_decor_imports_nothing(tmp_path: Path) -> None:
    """Without a décor column the rows' décor is the lieux' own: checked at the import."""
    from scout.exports.csv_import import RetainedConflict, read_lieux_csv
    from scout.services.sheets import import_rows

    ws = _workspace(tmp_path / "r.db")
    try:
        ws.lieux.add({"name": "A", "decor": "Café"})
        ws.lieux.add({"name": "B", "decor": "Café"})
        data = _csv_bytes(
            ["id", "name", "retained", "notes"], [["1", "A", "yes", "n"], ["2", "B", "yes", "m"]]
        )
        rows = read_lieux_csv(data, "r.csv")
        with pytest.raises(RetainedConflict) as caught:
            import_rows(ws, rows, source="r.csv")
        assert "r.csv, lines 2 and 3" in str(caught.value) and "Café" in str(caught.value)
        assert [ws.lieux.get(i).retained for i in (1, 2)] == [None, None]
        assert [ws.lieux.get(i).notes for i in (1, 2)] == ["", ""]
    finally:
        ws.close()


def test_a_lieu_that_lost_its_star_to_another_row_is_counted_updated(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "s.db")
    try:
        ws.lieux.add({"name": "A", "decor": "Café", "retained": "no"})
        ws.lieux.add({"name": "B", "decor": "Café", "retained": "yes"})
        ws.lieux.add({"name": "C", "decor": "Café", "retained": "no"})
        exported = _rows_as_excel_reads(_export(ws))
        exported[0]["retained"] = "yes"  # A takes the ★; B's row still says « no »…
        exported[1]["retained"] = "no"
        body = [[r[c] for c in LIEU_COLUMNS] for r in exported]
        report = _import(ws, _csv_bytes(list(LIEU_COLUMNS), body))
        # …but B changed (its ★ went to A): it is not « unchanged »
        assert report.updated == [1, 2] and report.unchanged == [3]
        assert report.unretained == []
        assert ws.lieux.get(1).retained is True and ws.lieux.get(2).retained is False
        # a lieu that is not in the file and loses its ★ is told apart
        ws.lieux.edit(2, {"retained": "yes"})
        report = _import(ws, _csv_bytes(list(LIEU_COLUMNS), [body[0]]))
        assert report.updated == [1] and report.unretained == [2]
    finally:
        ws.close()


def test_cli_says_which_other_lieux_lost_their_star(run_scout, tmp_path: Path) -> None:
    run_scout("add", "--name", "B", "--decor", "Café", "--retained", "oui")
    src = tmp_path / "a.csv"
    src.write_bytes(_csv_bytes(["name", "decor", "retained"], [["A", "Café", "oui"]]))
    result = run_scout("import", "csv", str(src))
    assert result.returncode == 0, result.stderr
    assert "1 location added, 0 updated, 0 unchanged, 1 other location no longer retained (★)" in (
        result.stdout
    )


# -- formulas: a ' before a text Excel would run --------------------------------------------
_FORMULA = st.sampled_from(["=", "+", "-", "@", "'", "''", "\t=", "\n-"])  # a stored text has no \r
_RISKY = st.tuples(_FORMULA, _LINE).map("".join).filter(lambda t: t.strip() != "")
_TEXT_KEYS = ("name", "decor", "address", "notes", "access_notes", "power", "noise")


def _text_cells_are_safe(data: bytes) -> list[dict[str, str]]:
    from scout.exports.sheets import TEXT_COLUMNS

    rows = _rows_as_excel_reads(data)
    for row in rows:
        for column in TEXT_COLUMNS:
            assert row[column][:1] not in ("=", "+", "-", "@", "\t", "\r"), (column, row)
    return rows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.fixed_dictionaries(dict.fromkeys(_TEXT_KEYS, _RISKY)),
    tags=st.lists(_RISKY, min_size=1, max_size=3),
    contact=_RISKY.filter(lambda t: ";" not in t),
)
def test_formula_like_texts_are_quoted_and_round_trip(
    texts: dict[str, str], tags: list[str], contact: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first = _workspace(Path(folder) / "a.db")
        try:
            production = first.lieux.add_production(texts["name"].strip())
            raw = {**texts, "tags": tags, "contacts": [contact], "cost": "12", "lat": "48.85"}
            first.lieux.add({**raw, "lon": "2.35"}, production_id=production.id)
            exported = _export(first)
            before = first.lieux.get(1)
        finally:
            first.close()
        row = _text_cells_are_safe(exported)[0]
        for key in _TEXT_KEYS:
            value = getattr(before, key) if key in ("name", "decor", "address", "notes") else None
            if value is not None:
                assert row[key] == ("'" + value if value[:1] in "=+-@'" else value)
        second = _workspace(Path(folder) / "b.db")
        try:
            _import(second, exported)
            after = second.lieux.get(1)
            assert _export(second) == exported
            assert second.lieux.productions()[0].name == production.name
        finally:
            second.close()
    assert replace(before, created_at="", updated_at="", history=()) == replace(
        after, created_at="", updated_at="", history=()
    )


def test_hyperlink_formula_is_quoted_in_csv_and_read_back(run_scout, tmp_path: Path) -> None:
    evil = '=HYPERLINK("http://evil","clic")'
    run_scout("add", "--name", evil, "--notes", "@SUM(1+1)", "--decor", "'quoted", "--lat",
              "48.85", "--lon", "2.35")  # fmt: skip
    out = tmp_path / "f.csv"
    assert run_scout("export", "csv", "-o", str(out)).returncode == 0
    row = _text_cells_are_safe(out.read_bytes())[0]
    assert row["name"] == "'" + evil and row["notes"] == "'@SUM(1+1)"
    assert row["decor"] == "''quoted" and row["lat"] == "48.85"  # numbers are left alone
    fresh = tmp_path / "fresh.db"
    assert run_scout("import", "csv", str(out), db=fresh).returncode == 0
    shown = json.loads(run_scout("show", "1", "--json", db=fresh).stdout)
    assert shown["name"] == evil and shown["notes"] == "@SUM(1+1)" and shown["decor"] == "'quoted"
    permits = tmp_path / "p.csv"
    assert run_scout("export", "permits", "-o", str(permits)).returncode == 0
    for r in _rows_as_excel_reads(permits.read_bytes()):
        assert r["lieu_name"] == "'" + evil


def test_a_typed_leading_quote_is_taken_off_once(tmp_path: Path) -> None:
    from scout.exports.csv_import import read_lieux_csv

    data = _csv_bytes(["name", "notes", "cost"], [["'=1+2", "''x", "12"]])
    (row,) = read_lieux_csv(data, "q.csv")
    assert row.entry.values["name"] == "=1+2" and row.entry.values["notes"] == "'x"


@pytest.mark.lang("fr")
def test_retained_conflict_in_french(run_scout, tmp_path: Path) -> None:
    rows = [["A", "Café", "oui"], ["B", "Café", "oui"]]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv_bytes(["name", "decor", "retained"], rows))
    result = run_scout("import", "csv", str(bad))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "lignes 2 et 3" in result.stderr and "rien n'a été importé" in result.stderr
