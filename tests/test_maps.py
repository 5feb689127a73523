"""Maps: GeoJSON out and in, KML out, each read back by the real reader (GDAL through
pyogrio, fastkml)."""

from __future__ import annotations

import json
import struct
import tempfile
import warnings
from pathlib import Path
from typing import Any

import pytest
from conftest import RunScout
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pyogrio = pytest.importorskip("pyogrio")

ODD_NAME = 'Café « l\'Été » "chez Zoé" ; 🎬 <b>&'


def _add(run_scout: RunScout, *args: str, db: Path | None = None) -> None:
    done = run_scout("add", *args, db=db)
    assert done.returncode == 0, done.stderr


def _seed(run_scout: RunScout) -> None:
    _add(
        run_scout,
        "--name",
        ODD_NAME,
        "--decor",
        "CAFÉ — INT. JOUR",
        "--lat",
        "48.8641",
        "--lon",
        "2.3790",
        "--address",
        "109 rue Oberkampf",
        "--postcode",
        "75011",
        "--status",
        "option",
        "--retained",
        "yes",
        "--shoot-date",
        "2026-12-03 07:30-19:00",
    )
    _add(
        run_scout,
        "--name",
        "Pont des Arts",
        "--decor",
        "PONT — EXT. NUIT",
        "--lat",
        "48.8583",
        "--lon",
        "2.3375",
        "--status",
        "validated",
    )
    _add(run_scout, "--name", "Quai de Valmy", "--lat", "48.8720", "--lon", "2.3640")
    _add(run_scout, "--name", "Appartement sans adresse")  # no position: left out


def _features(path: Path) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))["features"]
    return features


def _count(run_scout: RunScout, db: Path | None = None) -> int:
    done = run_scout("list", "--json", db=db)
    assert done.returncode == 0, done.stderr
    return len(json.loads(done.stdout))


def _point(wkb: bytes) -> tuple[float, float]:
    """(x, y) of a little-endian WKB point, as GDAL hands it over."""
    order, kind = struct.unpack("<bI", wkb[:5])
    assert (order, kind) == (1, 1)
    x, y = struct.unpack("<dd", wkb[5:21])
    return x, y


# -- GeoJSON out -----------------------------------------------------------------------
def test_geojson_read_back_by_gdal(run_scout: RunScout, tmp_path: Path) -> None:
    from pyogrio import raw

    _seed(run_scout)
    out = tmp_path / "lieux.geojson"
    done = run_scout("export", "geojson", "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert "1 location without a position was left out" in done.stderr

    info = pyogrio.read_info(out)
    assert info["features"] == 3
    assert info["crs"] == "EPSG:4326"
    assert info["geometry_type"] == "Point"
    for name in (
        "id",
        "name",
        "decor",
        "status",
        "retained",
        "arrondissement",
        "address",
        "postcode",
        "source_id",
    ):
        assert name in list(info["fields"])
    meta, _fids, geometry, fields = raw.read(out)
    columns = dict(zip(list(meta["fields"]), fields, strict=True))
    names = list(columns["name"])
    assert ODD_NAME in names  # accents, quotes, emoji, markup: intact
    odd = names.index(ODD_NAME)
    lon, lat = _point(geometry[odd])
    assert (lon, lat) == (2.379, 48.8641)  # [lon, lat], in that order
    assert columns["arrondissement"][odd] == 11
    assert columns["status"][odd] == "option"
    assert columns["postcode"][odd] == "75011"

    props = _features(out)[0]["properties"]
    assert props["shoot_days"] == ["2026-12-03 07:30-19:00"]
    assert props["retained"] is True
    assert props["source_id"].startswith(f"scout:{props['id']}@2026-")  # its own, never null


def test_geojson_coordinates_rounded_to_6_decimals(run_scout: RunScout, tmp_path: Path) -> None:
    _add(run_scout, "--name", "Précis", "--lat", "48.856613456789", "--lon", "2.352222987654")
    done = run_scout("export", "geojson")
    assert done.returncode == 0, done.stderr
    feature = json.loads(done.stdout)["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [2.352223, 48.856613]}


def test_geojson_same_bytes_in_french_and_english(run_scout: RunScout, tmp_path: Path) -> None:
    _seed(run_scout)
    files = []
    for lang in ("fr", "en"):
        out = tmp_path / f"{lang}.geojson"
        done = run_scout("--lang", lang, "export", "geojson", "-o", str(out))
        assert done.returncode == 0, done.stderr
        files.append(out.read_bytes())
    assert files[0] == files[1]
    assert b"option" in files[0] and b"Option" not in files[0]


@pytest.mark.lang("fr")
def test_unplaced_count_said_in_french(run_scout: RunScout) -> None:
    _add(run_scout, "--name", "Sans position")
    _add(run_scout, "--name", "Autre", "--address", "3 rue Lepic")
    done = run_scout("export", "geojson")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["features"] == []
    assert "2 lieux sans position laissés de côté" in done.stderr


# -- GeoJSON in ------------------------------------------------------------------------
def _collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def _feat(name: Any = "Café", lon: Any = 2.35, lat: Any = 48.86, **props: Any) -> dict[str, Any]:
    properties = {"name": name, **props} if name is not None else dict(props)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def _write(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), "utf-8")
    return path


def test_import_maps_properties_to_the_fiche(run_scout: RunScout, tmp_path: Path) -> None:
    src = _write(
        tmp_path / "in.geojson",
        _collection(
            _feat(
                "Café Charbon",
                2.3773,
                48.8652,
                decor="BAR — INT. NUIT",
                address="109 rue Oberkampf",
                postcode="75011",
                status="repéré",
                retained=True,
                setting="INT",
                sequences=["4", "7"],
                shoot_days=["2026-12-03"],
                source_id="umap-17",
                colour="red",
            ),
        ),
    )
    done = run_scout("import", "geojson", str(src))
    assert done.returncode == 0, done.stderr
    assert "1 added, 0 updated, 0 unchanged" in done.stdout
    assert "colour" in done.stderr  # said: a property that is not read
    shown = json.loads(run_scout("show", "1", "--json").stdout)
    assert shown["decor"] == "BAR — INT. NUIT"
    assert shown["status"] == "scouted" and shown["retained"] is True
    assert shown["postcode"] == "75011" and shown["arrondissement"] == 11
    assert shown["position"]["source"] == "imported"
    out = json.loads(run_scout("export", "geojson").stdout)["features"][0]["properties"]
    assert out["source_id"] == "umap-17"
    assert out["sequences"] == ["4", "7"] and out["shoot_days"] == ["2026-12-03"]


def test_reimport_with_source_ids_updates_instead_of_duplicating(
    run_scout: RunScout, tmp_path: Path
) -> None:
    first = _collection(_feat("A", source_id="x-1"), _feat("B", source_id="x-2"), _feat("C"))
    src = _write(tmp_path / "in.geojson", first)
    assert run_scout("import", "geojson", str(src)).returncode == 0
    assert _count(run_scout) == 3
    again = run_scout("import", "geojson", str(src))
    assert again.returncode == 0, again.stderr
    # the two with a source id are found again; the one without is added again (said)
    assert "1 added, 0 updated, 2 unchanged" in again.stdout
    assert _count(run_scout) == 4
    changed = _collection(_feat("A bis", source_id="x-1", status="validated"))
    src = _write(tmp_path / "changed.geojson", changed)
    done = run_scout("import", "geojson", str(src))
    assert "0 added, 1 updated, 0 unchanged" in done.stdout
    shown = json.loads(run_scout("show", "1", "--json").stdout)
    assert shown["name"] == "A bis" and shown["status"] == "validated"
    assert any(h["field"] == "name" for h in shown["history"])  # the change is recorded


def test_feature_id_member_is_a_source_id(run_scout: RunScout, tmp_path: Path) -> None:
    feature = {**_feat("Parc"), "id": 42}
    src = _write(tmp_path / "in.geojson", _collection(feature))
    run_scout("import", "geojson", str(src))
    run_scout("import", "geojson", str(src))
    assert _count(run_scout) == 1
    props = json.loads(run_scout("export", "geojson").stdout)["features"][0]["properties"]
    assert props["source_id"] == "42"


def _demo_file(run_scout: RunScout, tmp_path: Path) -> tuple[Path, int]:
    """The demo's lieux as GeoJSON, and how many of them there are."""
    assert run_scout("demo").returncode == 0
    out = tmp_path / "demo.geojson"
    done = run_scout("export", "geojson", "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out, _count(run_scout)


def test_own_export_imported_twice_into_a_new_database(run_scout: RunScout, tmp_path: Path) -> None:
    out, count = _demo_file(run_scout, tmp_path)
    assert count == 14
    sids = [f["properties"]["source_id"] for f in _features(out)]
    assert all(isinstance(s, str) and s.startswith("scout:") for s in sids)
    assert len(set(sids)) == len(sids)
    other = tmp_path / "other.db"
    first = run_scout("import", "geojson", str(out), db=other)
    assert first.returncode == 0, first.stderr
    assert "14 added, 0 updated, 0 unchanged" in first.stdout
    again = run_scout("import", "geojson", str(out), db=other)
    assert again.returncode == 0, again.stderr
    assert "0 added, 0 updated, 14 unchanged" in again.stdout
    assert _count(run_scout, db=other) == 14
    back = tmp_path / "back.geojson"
    assert run_scout("export", "geojson", "-o", str(back), db=other).returncode == 0
    assert back.read_bytes() == out.read_bytes()  # the source ids travel as they are

    # a change made in the file updates the copy, and only it
    changed = json.loads(out.read_text("utf-8"))
    changed["features"][0]["properties"]["name"] = "Renommé"
    src = _write(tmp_path / "changed.geojson", changed)
    done = run_scout("import", "geojson", str(src), db=other)
    assert "0 added, 1 updated, 13 unchanged" in done.stdout
    assert _count(run_scout, db=other) == 14


def test_own_export_imported_into_the_same_database(run_scout: RunScout, tmp_path: Path) -> None:
    out, count = _demo_file(run_scout, tmp_path)
    done = run_scout("import", "geojson", str(out))
    assert done.returncode == 0, done.stderr
    assert f"0 added, 0 updated, {count} unchanged" in done.stdout
    assert _count(run_scout) == count
    before = json.loads(run_scout("show", "1", "--json").stdout)
    assert before["position"]["source"] != "imported"  # not moved: left as it was
    again = tmp_path / "again.geojson"
    assert run_scout("export", "geojson", "-o", str(again)).returncode == 0
    assert again.read_bytes() == out.read_bytes()

    changed = json.loads(out.read_text("utf-8"))
    changed["features"][0]["properties"]["status"] = "rejected"
    src = _write(tmp_path / "changed.geojson", changed)
    done = run_scout("import", "geojson", str(src))
    assert f"0 added, 1 updated, {count - 1} unchanged" in done.stdout
    first_id = changed["features"][0]["properties"]["id"]
    shown = json.loads(run_scout("show", str(first_id), "--json").stdout)
    assert shown["status"] == "rejected"
    assert any(h["field"] == "status" for h in shown["history"])
    assert _count(run_scout) == count


def test_scout_source_id_of_another_database_is_not_taken(
    run_scout: RunScout, tmp_path: Path
) -> None:
    _add(run_scout, "--name", "Ici", "--lat", "48.86", "--lon", "2.35")
    props = json.loads(run_scout("export", "geojson").stdout)["features"][0]["properties"]
    own = props["source_id"]
    assert own.startswith("scout:1@")
    elsewhere = _collection(
        # lieu 1 of another database: the same id, created at another moment
        _feat("Ici", source_id="scout:1@2020-01-01T10:00:00+01:00"),
        # `scout:1` without a moment is not ours (ours has one), though the name is the same
        _feat("Ici", source_id="scout:1"),
        _feat("Là", source_id="scout:999@" + own.split("@", 1)[1]),
    )
    src = _write(tmp_path / "other.geojson", elsewhere)
    done = run_scout("import", "geojson", str(src))
    assert done.returncode == 0, done.stderr
    assert "3 added, 0 updated, 0 unchanged" in done.stdout
    again = run_scout("import", "geojson", str(src))
    assert "0 added, 0 updated, 3 unchanged" in again.stdout
    assert _count(run_scout) == 4
    # lieu 1 of this database kept its own source id, distinct from every other
    out = json.loads(run_scout("export", "geojson").stdout)["features"]
    sids = [f["properties"]["source_id"] for f in out]
    assert sids[0] == own and len(set(sids)) == 4


def test_deeply_nested_geojson_is_refused(run_scout: RunScout, tmp_path: Path) -> None:
    _add(run_scout, "--name", "Déjà là")
    src = tmp_path / "deep.geojson"
    src.write_bytes(b'{"type":"FeatureCollection","features":' + b"[" * 100_000)
    done = run_scout("import", "geojson", str(src))
    assert done.returncode == 1, done.stderr
    assert "too deeply nested" in done.stderr and str(src) in done.stderr
    assert "nothing was imported" in done.stderr
    assert "RecursionError" not in done.stderr and "unexpected" not in done.stderr
    assert _count(run_scout) == 1


@pytest.mark.lang("fr")
def test_deeply_nested_geojson_in_french(run_scout: RunScout, tmp_path: Path) -> None:
    src = tmp_path / "deep.geojson"
    src.write_bytes(b'{"type":"FeatureCollection","features":' + b'[{"a":' * 50_000)
    done = run_scout("import", "geojson", str(src))
    assert done.returncode == 1
    assert "trop profondément imbriqué" in done.stderr and "rien n'a été importé" in done.stderr


GOOD = _feat("Bon")

MALFORMED: list[tuple[str, bytes, str]] = [
    ("truncated", json.dumps(_collection(GOOD, GOOD)).encode()[:-25], "line 1, column"),
    ("not a collection", json.dumps(GOOD).encode(), "not a GeoJSON FeatureCollection"),
    ("an array", b"[1, 2]", "not a GeoJSON FeatureCollection"),
    ("no features", b'{"type": "FeatureCollection"}', 'a list of "features"'),
    (
        "a linestring",
        json.dumps(
            _collection(
                GOOD,
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": [[2.3, 48.8], [2.4, 48.9]]},
                    "properties": {"name": "Rue"},
                },
            )
        ).encode(),
        'features[1] ("Rue"): its geometry is a LineString, not a Point',
    ),
    (
        "swapped",
        json.dumps(_collection(GOOD, GOOD, _feat("Inversé", 48.8566, 2.3522))).encode(),
        'features[2] ("Inversé"): coordinates [48.8566, 2.3522] look swapped',
    ),
    (
        "outside the world",
        json.dumps(_collection(_feat("Loin", 200, 48.8))).encode(),
        "outside the world",
    ),
    (
        "missing name",
        json.dumps(_collection(GOOD, _feat(None, address="1 rue Lepic"))).encode(),
        "features[1]: name: is missing",
    ),
    (
        "bad status",
        json.dumps(_collection(_feat("Statut", status="maybe"))).encode(),
        "features[0] (\"Statut\"): status: 'maybe' is not one of",
    ),
    (
        "latin-1",
        '{"type": "FeatureCollection", "features": [\n{"type": "Feature", "geometry": '
        '{"type": "Point", "coordinates": [2.35, 48.86]}, "properties": {"name": "Caf\u00e9"}}'
        "]}".encode("latin-1"),
        "line 2: not UTF-8 text (byte 0xe9)",
    ),
    (
        "same source id twice",
        json.dumps(_collection(_feat("A", source_id="s"), _feat("B", source_id="s"))).encode(),
        "features[1] (\"B\"): source_id 's' is also the one of features[0]",
    ),
]


@pytest.mark.parametrize(
    ("data", "expected"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_geojson_imports_nothing(
    run_scout: RunScout, tmp_path: Path, data: bytes, expected: str
) -> None:
    _add(run_scout, "--name", "Déjà là")
    src = tmp_path / "bad.geojson"
    src.write_bytes(data)
    done = run_scout("import", "geojson", str(src))
    assert done.returncode == 1
    assert expected in done.stderr
    assert str(src) in done.stderr
    assert "nothing was imported" in done.stderr
    assert "Traceback" not in done.stderr
    assert _count(run_scout) == 1


def test_every_bad_feature_is_named(run_scout: RunScout, tmp_path: Path) -> None:
    src = _write(
        tmp_path / "bad.geojson",
        _collection(GOOD, _feat(None), _feat("Z", 48.86, 2.35), _feat("P", postcode="750")),
    )
    done = run_scout("import", "geojson", str(src))
    assert done.returncode == 1
    for where in ("features[1]:", 'features[2] ("Z")', 'features[3] ("P"): postcode'):
        assert where in done.stderr
    assert _count(run_scout) == 0


def test_import_missing_file(run_scout: RunScout, tmp_path: Path) -> None:
    done = run_scout("import", "geojson", str(tmp_path / "nope.geojson"))
    assert done.returncode == 1
    assert "cannot read" in done.stderr and "nothing was imported" in done.stderr


@pytest.mark.lang("fr")
def test_import_error_in_french(run_scout: RunScout, tmp_path: Path) -> None:
    src = _write(tmp_path / "bad.geojson", _collection(_feat("Z", 48.86, 2.35)))
    done = run_scout("import", "geojson", str(src))
    assert done.returncode == 1
    assert "semblent inversées" in done.stderr and "rien n'a été importé" in done.stderr


# -- the round trip --------------------------------------------------------------------
_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("aéÉèçàœ ;\"'«»<>&\n,-—") + ["🎬", "☕", "\u00a0"]),
        st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]),
    ),
    max_size=20,
)
_NAME = _TEXT.filter(lambda s: s.strip() != "")
_FEATURE = st.builds(
    lambda name, decor, address, postcode, status, retained, lon, lat, sid: _feat(
        name,
        round(lon, 7),
        round(lat, 7),
        decor=decor,
        address=address,
        postcode=postcode,
        status=status,
        retained=retained,
        **({"source_id": sid} if sid else {}),
    ),
    _NAME,
    _TEXT,
    _TEXT,
    st.sampled_from(["", "75011", "75116", "93100", None]),
    st.sampled_from(["to_scout", "scouted", "option", "validated", "rejected", None]),
    st.sampled_from([True, False, None]),
    st.floats(2.22, 2.47),
    st.floats(48.81, 48.91),
    st.one_of(st.none(), st.text(alphabet="abc-123 é", min_size=1, max_size=6)),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(features=st.lists(_FEATURE, min_size=1, max_size=5))
def test_round_trip_export_import_export(run_scout: RunScout, features: list[Any]) -> None:
    sids = [f["properties"].get("source_id") for f in features]
    sids = [" ".join(s.split()) for s in sids if s is not None]
    if len(set(sids)) != len(sids) or "" in sids:
        return  # a file with one source id twice is refused (tested above)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        src = _write(tmp / "src.geojson", _collection(*features))
        first, second = tmp / "a.db", tmp / "b.db"
        done = run_scout("import", "geojson", str(src), db=first)
        assert done.returncode == 0, done.stderr
        a = run_scout("export", "geojson", "-o", str(tmp / "a.geojson"), db=first)
        assert a.returncode == 0, a.stderr
        done = run_scout("import", "geojson", str(tmp / "a.geojson"), db=second)
        assert done.returncode == 0, done.stderr
        b = run_scout("export", "geojson", "-o", str(tmp / "b.geojson"), db=second)
        assert b.returncode == 0, b.stderr
        assert (tmp / "a.geojson").read_bytes() == (tmp / "b.geojson").read_bytes()
        back = _features(tmp / "a.geojson")
        assert len(back) == len(features)
        for given_feature, out in zip(features, back, strict=True):
            assert out["properties"]["name"] == " ".join(
                given_feature["properties"]["name"].split()
            )


# -- KML -------------------------------------------------------------------------------
def _kml(path: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "lxml missing: no pretty print"
        from fastkml import kml

        return kml.KML.from_string(path.read_bytes())


def test_kml_read_by_fastkml(run_scout: RunScout, tmp_path: Path) -> None:
    _seed(run_scout)
    out = tmp_path / "lieux.kml"
    done = run_scout("export", "kml", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "1 location without a position was left out" in done.stderr
    doc = _kml(out).features[0]
    styles = {s.id: s for s in doc.styles}
    assert set(styles) == {
        f"status-{s}" for s in ("to_scout", "scouted", "option", "validated", "rejected")
    }
    colours = {s.styles[0].color for s in styles.values()}
    assert len(colours) == 5  # one colour per status
    folders = {f.name: f for f in doc.features}
    assert list(folders) == ["CAFÉ — INT. JOUR", "PONT — EXT. NUIT", "(no décor)"]
    marks = [m for f in folders.values() for m in f.features]
    assert len(marks) == 3
    cafe = folders["CAFÉ — INT. JOUR"].features[0]
    assert cafe.name == ODD_NAME  # XML-escaped in the file, intact when read
    assert cafe.style_url.url == "#status-option"
    assert folders["PONT — EXT. NUIT"].features[0].style_url.url == "#status-validated"
    assert (cafe.geometry.x, cafe.geometry.y) == (2.379, 48.8641)
    assert "109 rue Oberkampf 75011" in cafe.description
    assert "11e arrondissement" in cafe.description
    assert "<b>Status</b>: Option" in cafe.description
    assert "2026-12-03 07:30–19:00" in cafe.description
    assert "★ retained" in cafe.description
    assert "Icon colour by scouting status" in doc.description


def test_kml_user_markup_stays_text(run_scout: RunScout, tmp_path: Path) -> None:
    _add(
        run_scout,
        "--name",
        "<b>Bar</b>",
        "--address",
        "<script>x</script> & co",
        "--lat",
        "48.86",
        "--lon",
        "2.35",
    )
    out = tmp_path / "lieux.kml"
    assert run_scout("export", "kml", "-o", str(out)).returncode == 0
    mark = _kml(out).features[0].features[0].features[0]
    assert mark.name == "<b>Bar</b>"
    # the balloon is HTML: the user's text is escaped in it, never markup
    assert "&lt;script&gt;x&lt;/script&gt; &amp; co" in mark.description
    assert "<script>" not in mark.description
    assert b"<script>" not in out.read_bytes()


@pytest.mark.lang("fr")
def test_kml_in_french(run_scout: RunScout, tmp_path: Path) -> None:
    _seed(run_scout)
    out = tmp_path / "lieux.kml"
    assert run_scout("export", "kml", "-o", str(out)).returncode == 0
    doc = _kml(out).features[0]
    folders = {f.name: f for f in doc.features}
    assert "(sans décor)" in folders
    cafe = folders["CAFÉ — INT. JOUR"].features[0]
    assert "<b>Statut</b> : Option" in cafe.description
    assert "03/12/2026 07:30–19:00" in cafe.description
    assert "Couleur de l'icône" in doc.description


def test_kml_opened_by_gdal(run_scout: RunScout, tmp_path: Path) -> None:
    from pyogrio import raw

    if "KML" not in pyogrio.list_drivers() and "LIBKML" not in pyogrio.list_drivers():
        pytest.skip("this GDAL has no KML driver")
    _seed(run_scout)
    out = tmp_path / "lieux.kml"
    assert run_scout("export", "kml", "-o", str(out)).returncode == 0
    layers = [name for name, _kind in pyogrio.list_layers(out)]
    assert layers == ["CAFÉ — INT. JOUR", "PONT — EXT. NUIT", "(no décor)"]
    meta, _fids, geometry, fields = raw.read(out, layer="CAFÉ — INT. JOUR")
    columns = dict(zip(list(meta["fields"]), fields, strict=True))
    assert list(columns["Name"]) == [ODD_NAME]
    assert columns["status"][0] == "option"
    assert _point(geometry[0])[:2] == (2.379, 48.8641)


# -- output ----------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["geojson", "kml"])
def test_unwritable_output(run_scout: RunScout, tmp_path: Path, fmt: str) -> None:
    _seed(run_scout)
    folder = run_scout("export", fmt, "-o", str(tmp_path))
    assert folder.returncode == 1
    assert "is a folder" in folder.stderr and "nothing was written" in folder.stderr
    missing = run_scout("export", fmt, "-o", str(tmp_path / "no" / "such" / f"x.{fmt}"))
    assert missing.returncode == 1
    assert "does not exist" in missing.stderr
    assert "Traceback" not in folder.stderr + missing.stderr


@pytest.mark.parametrize(
    "typed", ["PONT — EXT. NUIT", "pont — ext. nuit", "Pont - Ext. Nuit", "  pont–ext. NUIT "]
)
def test_export_one_decor(run_scout: RunScout, typed: str) -> None:
    _seed(run_scout)
    done = run_scout("export", "geojson", "--decor", typed)
    assert done.returncode == 0, done.stderr
    names = [f["properties"]["name"] for f in json.loads(done.stdout)["features"]]
    assert names == ["Pont des Arts"]


def test_export_one_decor_without_accents(run_scout: RunScout, tmp_path: Path) -> None:
    _seed(run_scout)
    out = tmp_path / "cafe.kml"
    done = run_scout("export", "kml", "--decor", "cafe - int. jour", "-o", str(out))
    assert done.returncode == 0, done.stderr
    doc = _kml(out).features[0]
    assert doc.name == "scout — CAFÉ — INT. JOUR"  # the décor as the lieux spell it
    assert [f.name for f in doc.features] == ["CAFÉ — INT. JOUR"]
    assert [m.name for m in doc.features[0].features] == [ODD_NAME]


@pytest.mark.parametrize("fmt", ["geojson", "kml"])
def test_export_unknown_decor(run_scout: RunScout, tmp_path: Path, fmt: str) -> None:
    _seed(run_scout)
    out = tmp_path / f"nope.{fmt}"
    done = run_scout("export", fmt, "--decor", "NOPE", "-o", str(out))
    assert done.returncode == 1
    assert "No décor named «NOPE»" in done.stderr
    assert "«CAFÉ — INT. JOUR», «PONT — EXT. NUIT»" in done.stderr  # the known ones
    assert not out.exists()
    to_stdout = run_scout("export", fmt, "--decor", "NOPE")
    assert to_stdout.returncode == 1 and to_stdout.stdout == ""


@pytest.mark.lang("fr")
def test_export_unknown_decor_in_french(run_scout: RunScout) -> None:
    _seed(run_scout)
    done = run_scout("export", "kml", "--decor", "NOPE")
    assert done.returncode == 1
    assert "Aucun décor nommé «NOPE»" in done.stderr


def test_end_to_end_installed(run_installed_scout: RunScout, tmp_path: Path) -> None:
    assert run_installed_scout("demo").returncode == 0
    out = tmp_path / "demo.geojson"
    done = run_installed_scout("export", "geojson", "-o", str(out))
    assert done.returncode == 0, done.stderr
    count = pyogrio.read_info(out)["features"]
    assert count >= 10
    other = tmp_path / "other.db"
    done = run_installed_scout("import", "geojson", str(out), db=other)
    assert done.returncode == 0, done.stderr
    again = tmp_path / "again.geojson"
    assert run_installed_scout("export", "geojson", "-o", str(again), db=other).returncode == 0
    assert again.read_bytes() == out.read_bytes()
    kml = tmp_path / "demo.kml"
    assert run_installed_scout("export", "kml", "-o", str(kml)).returncode == 0
    assert len([m for f in _kml(kml).features[0].features for m in f.features]) == count
