"""Photos: metadata, import, duplicates, moved files, grouping, and the sun."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from photo_factory import make_photo

from scout.clock import Clock
from scout.photos.exif import PhotoError, read_meta
from scout.photos.importer import import_photos, propose, relink
from scout.photos.sun import faces_sun, sun_day
from scout.services import Workspace
from scout.store import open_store

BUFFAULT = (48.87637, 2.34213)
ESTRAPADE = (48.84516, 2.34462)


def test_metadata_without_decoding_pixels(tmp_path: Path) -> None:
    path = make_photo(tmp_path / "a.jpg", *BUFFAULT, direction=221.5, size=(4000, 3000))
    meta = read_meta(path)
    assert (meta.width, meta.height, meta.format) == (4000, 3000, "JPEG")
    assert meta.lat == pytest.approx(BUFFAULT[0], abs=1e-6)
    assert meta.lon == pytest.approx(BUFFAULT[1], abs=1e-6)
    assert meta.direction_deg == pytest.approx(221.5) and meta.altitude_m == pytest.approx(42)
    assert meta.taken_at == "2026-11-20T10:15:00+01:00"
    assert (meta.make, meta.model, meta.focal_length_mm) == ("Apple", "iPhone 15 Pro", 6.86)
    assert meta.lens == "iPhone 15 Pro back camera" and meta.orientation == 1


def test_heic_from_an_iphone(tmp_path: Path) -> None:
    path = make_photo(tmp_path / "IMG_0001.HEIC", *ESTRAPADE, fmt="HEIF")
    meta = read_meta(path)
    assert meta.format == "HEIF" and meta.lat == pytest.approx(ESTRAPADE[0], abs=1e-6)


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda p: p.write_bytes(b"not a picture at all"), "not an image"),
        (lambda p: p.write_bytes(make_photo(p, *BUFFAULT).read_bytes()[:300]), "truncated"),
        (lambda p: p.write_bytes(b""), "not an image"),
    ],
)
def test_bad_files_say_why(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "bad.jpg"
    make(path)
    with pytest.raises(PhotoError, match=reason):
        read_meta(path)


def test_no_exif_zero_gps_and_absurd_gps_keep_the_picture_without_a_position(
    tmp_path: Path,
) -> None:
    assert read_meta(make_photo(tmp_path / "plain.jpg", exif=False)).lat is None
    zero = read_meta(make_photo(tmp_path / "zero.jpg", 0.0, 0.0))
    assert zero.lat is None and "0,0" in zero.gps_problem
    absurd = read_meta(make_photo(tmp_path / "absurd.jpg", 95.0, 2.35))
    assert absurd.lat is None and "out of range" in absurd.gps_problem


def _store(db_path: Path):
    return open_store(db_path)


def test_a_mixed_batch_imports_what_it_can_and_again_adds_only_what_is_new(
    tmp_path: Path, db_path: Path
) -> None:
    shoot = tmp_path / "repérage"
    shoot.mkdir()
    make_photo(shoot / "1.jpg", *BUFFAULT)
    make_photo(shoot / "2.jpg", BUFFAULT[0] + 0.0001, BUFFAULT[1], taken="2026:11:20 10:25:00")
    (shoot / "3.jpg").write_bytes(b"\xff\xd8\xff truncated")
    (shoot / "notes.txt").write_text("interphone 1234")
    make_photo(shoot / "4.jpg", exif=False)
    with _store(db_path) as store:
        report = import_photos(store, [shoot], lieu_id=None, stamp="now")
        assert len(report.imported) == 3 and len(report.without_position) == 1
        reasons = {p.name: r for p, r in report.skipped}
        assert reasons.keys() == {"3.jpg", "notes.txt"}
        assert reasons["notes.txt"].startswith("not an image")
        make_photo(shoot / "5.jpg", *ESTRAPADE)
        again = import_photos(store, [shoot], lieu_id=None, stamp="later")
        assert [Path(p.path).name for p in again.imported] == ["5.jpg"]
        assert len(again.already_known) == 3
    with _store(db_path) as store:  # nothing imported was lost
        assert len(store.photos()) == 4


def test_a_moved_picture_is_found_again(tmp_path: Path, db_path: Path) -> None:
    first = tmp_path / "card"
    first.mkdir()
    make_photo(first / "a.jpg", *BUFFAULT)
    with _store(db_path) as store:
        import_photos(store, [first], lieu_id=None, stamp="t")
        archive = tmp_path / "archive" / "2026"
        archive.mkdir(parents=True)
        shutil.move(str(first / "a.jpg"), archive / "renamed.jpg")
        found = relink(store, tmp_path / "archive")
        assert [Path(p.path).name for p in found] == ["renamed.jpg"]
        assert Path(store.photos()[0].path).exists()


def test_grouping_by_place_and_time_and_existing_lieux(tmp_path: Path, db_path: Path) -> None:
    with _store(db_path) as store:
        lieux = Workspace(store, Clock(date(2026, 11, 23))).lieux
        estrapade = lieux.add({"name": "Estrapade", "lat": ESTRAPADE[0], "lon": ESTRAPADE[1]})
        files = [
            make_photo(tmp_path / "a.jpg", *BUFFAULT, taken="2026:11:20 10:00:00"),
            make_photo(
                tmp_path / "b.jpg", BUFFAULT[0] + 0.0003, BUFFAULT[1], taken="2026:11:20 10:10:00"
            ),  # 33 m away: same place
            make_photo(tmp_path / "c.jpg", *BUFFAULT, taken="2026:11:21 16:00:00"),  # next day
            make_photo(
                tmp_path / "d.jpg", ESTRAPADE[0] + 0.0002, ESTRAPADE[1], taken="2026:11:20 15:00:00"
            ),  # near the existing lieu
        ]
        import_photos(store, files, lieu_id=None, stamp="t")
        proposals = propose(
            store.photos(unassigned=True), [(estrapade.id, ESTRAPADE[0], ESTRAPADE[1])]
        )
        sizes = sorted((len(p.photos), p.lieu_id or 0) for p in proposals)
        assert sizes == [(1, 0), (1, estrapade.id), (2, 0)]
        pair = next(p for p in proposals if len(p.photos) == 2)
        assert pair.lat == pytest.approx(BUFFAULT[0] + 0.00015, abs=1e-6)  # the median


@pytest.mark.parametrize(
    "day, sunrise, sunset",
    [
        (date(2026, 6, 21), "05:47", "21:58"),  # summer solstice, summer time
        (date(2026, 12, 21), "08:41", "16:56"),  # winter solstice
        (date(2026, 1, 15), "08:40", "17:21"),  # winter time
        (date(2026, 7, 15), "06:03", "21:49"),  # summer time
    ],
)
def test_sun_times_in_paris_match_published_values(day: date, sunrise: str, sunset: str) -> None:
    s = sun_day(48.8566, 2.3522, day)
    tz = ZoneInfo("Europe/Paris")
    for got, published in ((s.sunrise, sunrise), (s.sunset, sunset)):
        expected = datetime.combine(day, datetime.strptime(published, "%H:%M").time(), tz)
        assert abs((got - expected).total_seconds()) <= 60, (got, published)


def test_facing_the_sun() -> None:
    s = sun_day(48.8566, 2.3522, date(2026, 12, 21))
    noon = next(h for h in s.hours if h[0].hour == 13)
    assert faces_sun(180, noon[1], noon[2]) and not faces_sun(0, noon[1], noon[2])
    night = next(h for h in s.hours if h[0].hour == 20)
    assert not faces_sun(night[1], night[1], night[2])  # the sun is down


@pytest.mark.lang("fr")  # `scout show` in French, as a régie reads it
def test_cli_import_accept_and_show(run_scout, tmp_path: Path) -> None:
    folder = tmp_path / "phone"
    folder.mkdir()
    make_photo(folder / "1.jpg", *BUFFAULT, direction=220.0)
    make_photo(folder / "2.jpg", BUFFAULT[0] + 0.0001, BUFFAULT[1], taken="2026:11:20 10:20:00")
    (folder / "bad.jpg").write_bytes(b"garbage")
    result = run_scout("import", "photos", str(folder), "--json")
    assert result.returncode == 1  # one file skipped, the rest imported
    data = json.loads(result.stdout)
    assert len(data["imported"]) == 2 and data["skipped"][0]["reason"] == "not_an_image"
    assert [p["photos"] for p in data["proposals"]] == [2]
    accepted = run_scout("photos", "accept", "1", "--name", "Cour Buffault")
    assert accepted.returncode == 0 and "(9e)" in accepted.stdout
    run_scout("edit", "1", "--shoot-date", "2026-12-03 08:00-18:00")
    shown = run_scout("show", "1").stdout
    assert "Photos       2" in shown and "Soleil 03/12" in shown
    assert "caméra vers 220°" in shown
    lieu = json.loads(run_scout("show", "1", "--json").stdout)
    assert lieu["position"]["source"] == "photo_exif"
    bad = run_scout("import", "photos", str(tmp_path / "nowhere"))
    assert bad.returncode == 1 and "fichier ou dossier introuvable" in bad.stdout


# -- why a picture was skipped: the person's words, the script's code --------------------


@pytest.mark.parametrize(
    "said",
    [
        "not an image (or a format scout cannot read)",
        pytest.param(
            "pas une image (ou un format que scout ne sait pas lire)", marks=pytest.mark.lang("fr")
        ),
    ],
)
def test_an_unreadable_picture_says_why_in_the_language_of_the_run(
    tmp_path: Path, said: str
) -> None:
    path = tmp_path / "bad.jpg"
    path.write_bytes(b"not a picture at all")
    with pytest.raises(PhotoError) as caught:
        read_meta(path)
    assert str(caught.value) == said and caught.value.reason.kind == "not_an_image"


@pytest.mark.lang("fr")
def test_an_import_says_in_french_and_codes_the_same_in_json(run_scout, tmp_path: Path) -> None:
    folder = tmp_path / "phone"
    folder.mkdir()
    make_photo(folder / "1.jpg", *BUFFAULT)
    (folder / "bad.jpg").write_bytes(b"garbage")
    whole = make_photo(tmp_path / "whole.jpg", *BUFFAULT).read_bytes()
    (folder / "cut.jpg").write_bytes(whole[: len(whole) // 2])  # no end-of-image marker
    said = run_scout("import", "photos", str(folder), db=tmp_path / "said.db")
    assert "pas une image (ou un format que scout ne sait pas lire)" in said.stdout, said.stdout
    assert "tronquée : les données de l'image s'arrêtent trop tôt" in said.stdout
    assert "not an image" not in said.stdout and "truncated" not in said.stdout
    french = run_scout("import", "photos", str(folder), "--json", db=tmp_path / "fr.db")
    english = run_scout(
        "import", "photos", str(folder), "--json", db=tmp_path / "en.db", env={"SCOUT_LANG": "en"}
    )
    assert french.stdout == english.stdout  # a script reads the same whatever the language
    skipped = {Path(s["path"]).name: s["reason"] for s in json.loads(french.stdout)["skipped"]}
    assert skipped == {"bad.jpg": "not_an_image", "cut.jpg": "truncated"}


@pytest.mark.parametrize(
    "name",
    [
        "Repérage on 2026-11-20",
        pytest.param("Repérage du 20/11/2026", marks=pytest.mark.lang("fr")),
    ],
)
def test_a_lieu_made_from_pictures_offline_is_named_after_the_day(
    tmp_path: Path, db_path: Path, name: str
) -> None:
    folder = tmp_path / "phone"
    folder.mkdir()
    make_photo(folder / "1.jpg", *BUFFAULT)  # taken on 20 November 2026
    with Workspace(open_store(db_path), Clock(date(2026, 11, 23))) as ws:
        ws.photos.import_paths([folder])
        placed = ws.photos.accept(ws.photos.proposal(1))  # offline: no address to name it
        assert placed.new_lieu is not None and placed.new_lieu.name == name
