"""A lieu's pictures in the terminal (v on the list): the picture large, the strip, the
caption edited and saved, a missing or damaged file said as such; snapshots of the photo
screen at 80×24 and 160×50. Pictures are small JPEGs made here, in plain colours."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from photo_factory import dms
from PIL import ExifTags, Image
from test_snapshots import fixed_app
from test_tui import running
from textual.pilot import Pilot
from textual.widgets import Input, Static

from scout.clock import Clock
from scout.demo import seed_demo
from scout.photos import thumbs
from scout.services import Workspace
from scout.settings import Settings
from scout.store import open_store
from scout.tui.app import ScoutApp, make_app
from scout.tui.screens.confirm import ConfirmScreen
from scout.tui.screens.lieu_photos import LieuPhotosScreen, Thumbnail
from scout.tui.widgets.lieu_table import LieuTable

CAFE_DE_FLORE = 1
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]
COLOURS = [(200, 40, 40), (40, 160, 60), (40, 80, 200)]


def picture(
    path: Path,
    colour: tuple[int, int, int],
    *,
    taken: str = "2026:11:20 10:15:00",
    direction: float | None = 150.0,
    size: tuple[int, int] = (96, 64),
) -> Path:
    """A JPEG in one colour with a white band (so that its framing shows), with the EXIF
    a phone writes: time, camera, GPS near the Café de Flore, where it faced."""
    img = Image.new("RGB", size, colour)
    for x in range(size[0]):
        for y in range(size[1] // 3, size[1] // 3 + 4):
            img.putpixel((x, y), (250, 250, 250))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Apple"
    exif[ExifTags.Base.Model] = "iPhone 15 Pro"
    exif[ExifTags.IFD.Exif] = {
        ExifTags.Base.DateTimeOriginal: taken,
        ExifTags.Base.OffsetTimeOriginal: "+01:00",
    }
    gps = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: dms(48.85405),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: dms(2.33261),
    }
    if direction is not None:
        gps[ExifTags.GPS.GPSImgDirection] = direction
    exif[ExifTags.IFD.GPSInfo] = gps
    img.save(path, "JPEG", exif=exif, quality=95)
    return path


def three_pictures(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        picture(folder / f"flore-{i + 1}.jpg", colour, taken=f"2026:11:20 1{i}:15:00")
        for i, colour in enumerate(COLOURS)
    ]


def give_pictures(db_path: Path, paths: list[Path], lieu_id: int = CAFE_DE_FLORE) -> None:
    with open_store(db_path) as store:
        report = Workspace(store, Clock(date(2026, 11, 23))).photos.import_paths(
            paths, lieu_id=lieu_id
        )
        assert len(report.imported) == len(paths), report.skipped


async def demo_with_pictures(db_path: Path, paths: list[Path]) -> None:
    """The demo as the app seeds it on a first run, then `paths` given to the Café de
    Flore: how most tests here begin."""
    async with running(db_path, demo=True):
        pass
    give_pictures(db_path, paths)


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    thumbs.clear_cache()
    yield
    thumbs.clear_cache()


async def open_photos(pilot: Pilot[None], lieu_id: int = CAFE_DE_FLORE) -> LieuPhotosScreen:
    pilot.app.screen.query_one(LieuTable).move_to(lieu_id)
    await pilot.pause()
    await pilot.press("v")
    await settled(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LieuPhotosScreen)
    return screen


async def settled(pilot: Pilot[None]) -> None:
    for _ in range(5):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def title(screen: LieuPhotosScreen) -> str:
    return str(screen.query_one("#lieu-photo-title", Static).render())


def view_text(screen: LieuPhotosScreen) -> str:
    return " ".join(str(w.render()) for w in screen.query(".lieu-photo-wait"))


def has_image(screen: LieuPhotosScreen) -> bool:
    return bool(screen.query(".lieu-photo-image"))


async def test_v_shows_the_pictures_and_the_strip_moves_through_them(
    db_path: Path, tmp_path: Path
) -> None:
    paths = three_pictures(tmp_path / "pics")
    await demo_with_pictures(db_path, paths)
    async with running(db_path, size=(100, 30)) as (app, pilot, _store):
        screen = await open_photos(pilot)
        assert len(screen.query(Thumbnail)) == 3
        assert "1/3" in title(screen) and "flore-1.jpg" in title(screen)
        assert has_image(screen)
        facts = str(screen.query_one("#lieu-photo-facts", Static).render())
        assert "Taken 20/11/2026 10:15" in facts or "Taken 2026-11-20 10:15" in facts
        assert "iPhone 15 Pro" in facts and "Facing 150°" in facts and "landscape" in facts
        assert "Sun then: azimuth" in facts
        # every thumbnail has its picture; the current one is marked
        assert all(t.query(".photo-thumb-image") for t in screen.query(Thumbnail))
        assert [t.has_class("-current") for t in screen.query(Thumbnail)] == [True, False, False]
        await pilot.press("right")
        await settled(pilot)
        assert "2/3" in title(screen) and "flore-2.jpg" in title(screen)
        assert [t.has_class("-current") for t in screen.query(Thumbnail)] == [False, True, False]
        await pilot.press("left", "left")  # wraps round to the last
        await settled(pilot)
        assert "3/3" in title(screen) and "flore-3.jpg" in title(screen)
        await pilot.press("escape")
        assert not isinstance(app.screen, LieuPhotosScreen)


async def test_a_caption_typed_is_saved_in_the_file_and_in_the_history(
    db_path: Path, tmp_path: Path
) -> None:
    paths = three_pictures(tmp_path / "pics")
    await demo_with_pictures(db_path, paths)
    async with running(db_path) as (app, pilot, _store):
        screen = await open_photos(pilot)
        await pilot.press("right", "c")
        box = screen.query_one("#lieu-photo-caption", Input)
        assert box.display and box.has_focus
        await pilot.press(*"Terrasse, côté boulevard", "enter")
        await settled(pilot)
        assert not box.display
        assert "Terrasse, côté boulevard" in title(screen)
    # read from the database file, with a new store
    with open_store(db_path) as store:
        by_name = {Path(p.path).name: p for p in store.photos(CAFE_DE_FLORE)}
        assert by_name["flore-2.jpg"].caption == "Terrasse, côté boulevard"
        assert by_name["flore-1.jpg"].caption == ""
        last = store.get_lieu(CAFE_DE_FLORE).history[-1]
        assert (last.field, last.old, last.new) == (
            "photo.caption",
            "",
            "Terrasse, côté boulevard",
        )


async def test_escape_on_a_changed_caption_asks_and_keeps_it_unsaved(
    db_path: Path, tmp_path: Path
) -> None:
    give_to = three_pictures(tmp_path / "pics")
    await demo_with_pictures(db_path, give_to)
    async with running(db_path) as (app, pilot, store):
        screen = await open_photos(pilot)
        await pilot.press("c", *"Entrée", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep typing
        await pilot.pause()
        box = screen.query_one("#lieu-photo-caption", Input)
        assert app.screen is screen and box.value == "Entrée" and box.has_focus
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # drop it
        await pilot.pause()
        assert app.screen is screen and not box.display
        await pilot.press("escape")  # nothing typed: back to the list at once
        await pilot.pause()
        assert not isinstance(app.screen, LieuPhotosScreen)
        assert all(p.caption == "" for p in store.photos(CAFE_DE_FLORE))


async def test_a_missing_and_a_damaged_file_are_said_never_a_crash(
    db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "pics"
    paths = three_pictures(folder)
    await demo_with_pictures(db_path, paths)
    paths[0].unlink()  # moved away since the import
    paths[1].write_bytes(paths[1].read_bytes()[:200])  # cut short: a damaged JPEG
    async with running(db_path) as (app, pilot, _store):
        screen = await open_photos(pilot)
        assert not has_image(screen)
        assert "file not found" in view_text(screen) and "flore-1.jpg" in view_text(screen)
        marks = [str(m.render()) for t in screen.query(Thumbnail) for m in t.query(Static)]
        assert marks[:2] == ["✗", "✗"]
        await pilot.press("right")
        await settled(pilot)
        assert "damaged or unknown format" in view_text(screen)
        await pilot.press("right")
        await settled(pilot)
        assert has_image(screen) and "flore-3.jpg" in title(screen)
        # the facts stored at import still show for the missing one
        await pilot.press("right")
        await settled(pilot)
        assert "iPhone 15 Pro" in str(screen.query_one("#lieu-photo-facts", Static).render())


async def test_a_lieu_without_pictures_says_so(db_path: Path) -> None:
    async with running(db_path, demo=True) as (app, pilot, _store):
        screen = await open_photos(pilot)
        assert "no picture yet" in title(screen)
        assert "No picture of this location yet" in view_text(screen)
        assert not screen.query(Thumbnail)
        await pilot.press("right", "c")  # nothing to move to, nothing to caption
        await pilot.pause()
        assert not screen.query_one("#lieu-photo-caption", Input).display


async def test_a_read_only_database_refuses_a_caption(db_path: Path, tmp_path: Path) -> None:
    paths = three_pictures(tmp_path / "pics")
    await demo_with_pictures(db_path, paths)
    store = open_store(db_path, read_only=True)  # as `scout tui --read-only` opens it
    settings = Settings(db_path=db_path, log_path=db_path.parent / "logs" / "scout.log")
    app = make_app(Workspace(store, Clock(date(2026, 11, 23)), settings=settings))
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settled(pilot)
            screen = await open_photos(pilot)
            await pilot.press("c")
            await pilot.pause()
            assert not screen.query_one("#lieu-photo-caption", Input).display
            assert any("Read-only" in str(n.message) for n in app._notifications)
    finally:
        store.close()


def test_thumbnails_are_cached_per_file_and_modification_time(tmp_path: Path) -> None:
    path = picture(tmp_path / "a.jpg", COLOURS[0])
    first = thumbs.thumbnail(str(path), (40, 30))
    assert first.image is not None and first.image.size[0] <= 40
    assert thumbs.thumbnail(str(path), (40, 30)) is first
    picture(path, COLOURS[1], size=(64, 96))  # the file changed: read again
    import os

    os.utime(path, ns=(1, 1))
    again = thumbs.thumbnail(str(path), (40, 30))
    assert again is not first and (again.width, again.height) == (64, 96)
    assert thumbs.thumbnail(str(tmp_path / "gone.jpg"), (40, 30)).problem == thumbs.MISSING
    (tmp_path / "folder.jpg").mkdir()
    assert thumbs.thumbnail(str(tmp_path / "folder.jpg"), (40, 30)).problem == thumbs.UNREADABLE


def test_a_heic_picture_is_made_small_too(tmp_path: Path) -> None:
    pytest.importorskip("pillow_heif")
    from pillow_heif import register_heif_opener

    register_heif_opener()
    path = tmp_path / "a.heic"
    Image.new("RGB", (200, 100), COLOURS[2]).save(path, "HEIF")
    thumb = thumbs.thumbnail(str(path), (40, 30))
    assert thumb.image is not None and thumb.image.size == (40, 20)


# -- snapshots -------------------------------------------------------------------------


@pytest.fixture
def photo_app(db_path: Path, tmp_path: Path) -> Iterator[ScoutApp]:
    paths = three_pictures(tmp_path / "pics")

    def prepare(ws: Workspace) -> None:
        seed_demo(ws)
        ws.photos.import_paths(paths, lieu_id=CAFE_DE_FLORE)

    yield from fixed_app(db_path, prepare)


@pytest.mark.lang("fr")
@pytest.mark.parametrize("size", SIZES)
def test_snapshot_photo_screen(snap_compare, photo_app: ScoutApp, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settled(pilot)
        await open_photos(pilot)
        await pilot.press("right")
        await settled(pilot)
        assert has_image(pilot.app.screen)  # type: ignore[arg-type]
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(photo_app, terminal_size=size, run_before=run_before)


async def test_the_fiche_shows_the_first_picture_small_and_nothing_without_one(
    db_path: Path, tmp_path: Path
) -> None:
    from scout.tui.widgets.photo_preview import PhotoPreview

    big = picture(tmp_path / "grand.jpg", COLOURS[1], size=(4000, 3000))  # decoded in a worker
    await demo_with_pictures(db_path, [big])
    async with running(db_path) as (app, pilot, _store):
        table = app.screen.query_one(LieuTable)
        preview = app.screen.query_one(PhotoPreview)
        table.move_to(CAFE_DE_FLORE)
        await settled(pilot)
        await pilot.pause(0.2)  # the fiche follows the cursor after a short pause
        await settled(pilot)
        assert preview.display and preview.query(".preview-image")
        assert "grand.jpg" in str(preview.query_one(".preview-caption", Static).render())
        table.move_to(2)  # a lieu without pictures: no room taken
        await pilot.pause(0.2)
        await settled(pilot)
        assert not preview.has_class("-shown") and not preview.display


def test_a_picture_too_large_to_decode_safely_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = picture(tmp_path / "huge.jpg", COLOURS[0], size=(200, 200))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # 40,000 px: "a bomb" here
    assert thumbs.thumbnail(str(path), (40, 30)).problem == thumbs.TOO_LARGE
