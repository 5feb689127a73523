"""Tier 3: SVG snapshots of the main screens, at 80×24 and 160×50 (pytest-textual-snapshot):
in French (the default language), and the main ones in English at 80×24 too.

Each picture is taken on the demo production with a clock fixed at 2026-11-23 09:00 (Paris)
for the seeding and for the app, in the dark theme, once every worker of ours is done and
the fiche has followed the cursor, with the start-up toasts cleared and no blinking cursor.
The photo import opens on a fixed folder, so its path in the picture never changes.

After a deliberate change to a screen, look at the new pictures and accept them:
    pytest tests/test_snapshots.py --snapshot-update -n 0
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import cast

import pytest
from textual.pilot import Pilot
from textual.widgets import DirectoryTree, Input, TextArea

from scout.clock import Clock
from scout.demo import seed_demo
from scout.permits.rules import RulesBook
from scout.services import Workspace
from scout.settings import Settings
from scout.store import open_store
from scout.tui.app import ScoutApp, make_app
from scout.tui.screens.help import HelpScreen
from scout.tui.screens.lieu_form import LieuForm
from scout.tui.screens.permits import PermitsScreen
from scout.tui.screens.photos import PhotosScreen
from scout.tui.widgets.lieu_detail import LieuDetail
from scout.tui.widgets.lieu_table import LieuTable

pytestmark = pytest.mark.lang("fr")  # the English pictures are marked one by one

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]
IN_ENGLISH = (80, 24)
PHOTO_FOLDER = Path("/tmp/scout-snapshot-photos")  # the same on every run and every machine
PHOTO_SUBFOLDERS = ("2026-11-20 Montmartre", "2026-11-21 Canal Saint-Martin")
CAFE_DE_FLORE = 1

RunBefore = Callable[[Pilot[None]], Awaitable[None]]
SnapCompare = Callable[..., bool]


class FixedClock(Clock):
    """2026-11-23 at 09:00 in Paris: history stamps (a permit's status changes) included."""

    def __init__(self) -> None:
        super().__init__(date(2026, 11, 23))

    def now(self) -> datetime:
        return datetime(2026, 11, 23, 9, 0, tzinfo=self.tz)  # type: ignore[arg-type]


def fixed_app(db_path: Path, prepare: Callable[[Workspace], object]) -> Iterator[ScoutApp]:
    """For a snapshot fixture (`yield from fixed_app(db_path, seed_demo)`): the data made
    by `prepare` at the fixed clock, then the app on it at the same clock, with the real
    rules and settings; the store closed after. One copy for every snapshot test file, so
    their pictures are taken alike."""
    with open_store(db_path) as store:
        prepare(Workspace(store, FixedClock()))
    store = open_store(db_path)
    settings = Settings(db_path=db_path, log_path=db_path.parent / "logs" / "scout.log")
    try:
        yield make_app(
            Workspace(store, FixedClock(), RulesBook(settings.rules_path), settings=settings)
        )
    finally:
        store.close()


@pytest.fixture
def demo_app(db_path: Path) -> Iterator[ScoutApp]:
    yield from fixed_app(db_path, seed_demo)


def _drawn(app: ScoutApp) -> bool:
    """The rows in the table, the fiche of the one under the cursor beside them, the
    header's badge (the deadline check), the review's rows when it is open."""
    lieux = app.lieux_screen()
    table = lieux.query_one(LieuTable)
    lieu = app.ws.lieux.get(table.current_id) if table.current_id is not None else None
    if lieu is None or lieu.name not in str(lieux.query_one(LieuDetail).render()):
        return False
    if "⚠" not in app.sub_title:
        return False
    return not (isinstance(app.screen, PermitsScreen) and app.screen.review is None)


async def settle(pilot: Pilot[None]) -> None:
    """Every worker of ours done (the rows, the badge, the geocoding queue, the review; not
    a directory tree's endless loader) and everything drawn; then no toast, no blinking
    cursor. Waits on what is shown, not on a guess of how long it takes."""
    app = cast(ScoutApp, pilot.app)
    for _ in range(200):
        await pilot.pause()
        busy = [w for w in app.workers if not w.is_finished and w.group != "_loader"]
        if busy:
            await app.workers.wait_for_complete(busy)
        elif _drawn(app):
            break
        else:
            await pilot.pause(0.05)
    else:
        raise AssertionError("the screen did not settle")
    app.clear_notifications()
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for area in app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause()


def after(*steps: Callable[[Pilot[None]], Awaitable[object]]) -> RunBefore:
    """Settle, then each step, settling after each."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for step in steps:
            await step(pilot)
            await settle(pilot)

    return run


def press(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run(pilot: Pilot[None]) -> None:
        await pilot.press(*keys)

    return run


async def on_cafe_de_flore(pilot: Pilot[None]) -> None:
    pilot.app.screen.query_one(LieuTable).move_to(CAFE_DE_FLORE)


@pytest.mark.parametrize("size", SIZES)
def test_lieux_screen(snap_compare: SnapCompare, demo_app: ScoutApp, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app, terminal_size=size, run_before=after())


@pytest.mark.parametrize("size", SIZES)
def test_add_form(snap_compare: SnapCompare, demo_app: ScoutApp, size: tuple[int, int]) -> None:
    async def check(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app.screen, LieuForm) and pilot.app.screen.lieu is None

    assert snap_compare(demo_app, terminal_size=size, run_before=after(press("a"), check))


@pytest.mark.parametrize("size", SIZES)
def test_edit_form(snap_compare: SnapCompare, demo_app: ScoutApp, size: tuple[int, int]) -> None:
    async def check(pilot: Pilot[None]) -> None:
        form = pilot.app.screen
        assert isinstance(form, LieuForm) and form.lieu is not None
        assert form.lieu.name == "Café de Flore"

    run_before = after(on_cafe_de_flore, press("e"), check)
    assert snap_compare(demo_app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_permit_review(
    snap_compare: SnapCompare, demo_app: ScoutApp, size: tuple[int, int]
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app.screen, PermitsScreen)

    assert snap_compare(demo_app, terminal_size=size, run_before=after(press("p"), check))


@pytest.fixture(scope="session")
def photo_folder() -> Path:
    """A fixed folder with two sub-folders (created once; several workers may race here)."""
    for name in PHOTO_SUBFOLDERS:
        (PHOTO_FOLDER / name).mkdir(parents=True, exist_ok=True)
    return PHOTO_FOLDER


@pytest.mark.parametrize("size", SIZES)
def test_photo_import(
    snap_compare: SnapCompare, demo_app: ScoutApp, photo_folder: Path, size: tuple[int, int]
) -> None:
    async def open_import(pilot: Pilot[None]) -> None:
        await pilot.app.push_screen(PhotosScreen(start=photo_folder))
        tree = pilot.app.screen.query_one(DirectoryTree)
        for _ in range(100):  # the tree lists the folder in a worker of its own
            if len(tree.root.children) >= len(PHOTO_SUBFOLDERS):
                break
            await pilot.pause(0.05)
        assert sorted(str(c.label) for c in tree.root.children) == list(PHOTO_SUBFOLDERS)

    assert snap_compare(demo_app, terminal_size=size, run_before=after(open_import))


@pytest.mark.parametrize("size", SIZES)
def test_help_over_the_lieux(
    snap_compare: SnapCompare, demo_app: ScoutApp, size: tuple[int, int]
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app.screen, HelpScreen)

    assert snap_compare(demo_app, terminal_size=size, run_before=after(press("f1"), check))


# -- the same screens in English (international crews), at 80×24 ---------------------------


@pytest.mark.lang("en")
def test_lieux_screen_in_english(snap_compare: SnapCompare, demo_app: ScoutApp) -> None:
    assert snap_compare(demo_app, terminal_size=IN_ENGLISH, run_before=after())


@pytest.mark.lang("en")
def test_add_form_in_english(snap_compare: SnapCompare, demo_app: ScoutApp) -> None:
    assert snap_compare(demo_app, terminal_size=IN_ENGLISH, run_before=after(press("a")))


@pytest.mark.lang("en")
def test_edit_form_in_english(snap_compare: SnapCompare, demo_app: ScoutApp) -> None:
    run_before = after(on_cafe_de_flore, press("e"))
    assert snap_compare(demo_app, terminal_size=IN_ENGLISH, run_before=run_before)


@pytest.mark.lang("en")
def test_permit_review_in_english(snap_compare: SnapCompare, demo_app: ScoutApp) -> None:
    assert snap_compare(demo_app, terminal_size=IN_ENGLISH, run_before=after(press("p")))


@pytest.mark.lang("en")
def test_help_over_the_lieux_in_english(snap_compare: SnapCompare, demo_app: ScoutApp) -> None:
    assert snap_compare(demo_app, terminal_size=IN_ENGLISH, run_before=after(press("f1")))
