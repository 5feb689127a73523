"""Tier 2: the real Textual app, driven with Pilot on real database files."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Label, Select

from scout.clock import Clock
from scout.demo import seed_demo
from scout.i18n import _
from scout.permits.rules import RulesBook
from scout.services import Workspace
from scout.settings import Settings
from scout.store import open_store
from scout.tui.app import make_app
from scout.tui.screens.confirm import ConfirmScreen
from scout.tui.screens.help import HelpScreen
from scout.tui.screens.lieu_form import LieuForm
from scout.tui.widgets.lieu_detail import LieuDetail
from scout.tui.widgets.lieu_table import LieuTable

CLOCK = Clock(date(2026, 11, 23))


def _settings(db_path: Path) -> Settings:
    return Settings(db_path=db_path, log_path=db_path.parent / "logs" / "scout.log")


def _workspace(db_path: Path, store, **options) -> Workspace:
    settings = _settings(db_path)
    return Workspace(store, CLOCK, RulesBook(settings.rules_path), settings=settings, **options)


def _demo(db_path: Path) -> None:
    with open_store(db_path) as store:
        seed_demo(Workspace(store, CLOCK))


def _screen_text(app) -> str:
    table = app.screen.query_one(LieuTable)
    lines = [table.render_line(y).text for y in range(table.size.height)]
    return "\n".join(lines)


@asynccontextmanager
async def running(
    db_path: Path, *, demo: bool = False, size: tuple[int, int] = (120, 40), **options
):
    """The real app on a real database file, rows loaded; the store closed afterwards."""
    if demo:
        _demo(db_path)
    store = open_store(db_path)
    app = make_app(_workspace(db_path, store, **options))
    try:
        async with app.run_test(size=size) as pilot:
            await _ready(pilot)
            yield app, pilot, store
    finally:
        store.close()


async def _ready(pilot) -> None:
    """The rows load in a worker and the fiche follows the cursor after a short pause."""
    await pilot.pause()  # the workers start after the first refresh
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.15)


async def _group_done(pilot, group: str) -> None:
    """Wait for our workers of one group (a DirectoryTree keeps a loader running)."""
    import asyncio

    await pilot.pause()
    workers = [w for w in pilot.app.workers if w.group == group]
    if workers:  # (an empty list would mean "all workers", the tree's loader among them)
        await asyncio.wait_for(pilot.app.workers.wait_for_complete(workers), 20)
    await pilot.pause(0.1)


async def _fill(pilot, key: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#input-{key}", Input)
    widget.value = text
    await pilot.pause()


async def test_add_a_lieu_through_the_form_and_find_it_after_a_restart(db_path: Path) -> None:
    async with running(db_path) as (app, pilot, store):
        await pilot.press("a")
        assert isinstance(app.screen, LieuForm)
        await _fill(pilot, "name", "Square d'Anvers")
        await _fill(pilot, "decor", "SQUARE — EXT. JOUR")
        await _fill(pilot, "lat", "48.8828")
        await _fill(pilot, "lon", "2.3441")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, LieuForm)
        assert "Square d'Anvers" in _screen_text(app)
        assert "9e" in _screen_text(app)  # computed from the position

    async with running(db_path) as (app, pilot, store):
        assert "Square d'Anvers" in _screen_text(app)
        detail = str(app.screen.query_one(LieuDetail).render())
        assert "SQUARE — EXT. JOUR" in detail


async def test_errors_show_beside_their_fields_and_nothing_is_saved(db_path: Path) -> None:
    async with running(db_path) as (app, pilot, store):
        await pilot.press("a")
        await _fill(pilot, "name", "Mauvais")
        await _fill(pilot, "lat", "95")
        await _fill(pilot, "lon", "2.35")
        await _fill(pilot, "narrowest_door_cm", "large")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, LieuForm)  # still open
        lat_error = app.screen.query_one("#error-lat", Label).render()
        door_error = app.screen.query_one("#error-narrowest_door_cm", Label).render()
        assert "out of range" in str(lat_error)
        assert "not a whole number" in str(door_error)
        assert app.screen.query_one("#field-lat").has_class("-invalid")
        assert str(app.screen.query_one("#error-name", Label).render()) == ""
        await pilot.press("escape")
        await pilot.pause()
        assert store.count_lieux() == 0


async def test_edit_survives_restart_and_is_in_the_history(db_path: Path) -> None:
    async with running(db_path, demo=True) as (app, pilot, store):
        table = app.screen.query_one(LieuTable)
        table.move_to(11)  # Shakespeare and Company
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, LieuForm)
        form.query_one("#input-status", Select).value = "validated"
        form.query_one("#input-lift", Select).value = "yes"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Validated" in _screen_text(app)
    with open_store(db_path) as store:
        lieu = store.get_lieu(11)
        assert lieu.status.value == "validated" and lieu.accessibility.lift is True
        assert [c.field for c in lieu.history] == ["status", "accessibility.lift"]


async def test_delete_asks_first(db_path: Path) -> None:
    async with running(db_path, demo=True) as (app, pilot, store):
        table = app.screen.query_one(LieuTable)
        table.move_to(5)  # Rue Crémieux
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # no
        await pilot.pause()
        assert store.count_lieux() == 14
        await pilot.press("d")
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert store.count_lieux() == 13
        assert "Rue Crémieux" not in _screen_text(app)


async def test_filter_and_help(db_path: Path) -> None:
    async with running(db_path, demo=True) as (app, pilot, store):
        await pilot.press("slash")
        await pilot.press(*"cafe")
        await pilot.pause()
        table = app.screen.query_one(LieuTable)
        assert table.row_count == 3  # the three candidates of the café décor
        assert "3 / 14 locations" in str(app.screen.query_one("#status-line").render())
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert table.row_count == 14
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_cursor_moves_and_the_detail_follows(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(100, 30)) as (app, pilot, store):
        await pilot.press("end")
        await pilot.pause(0.15)
        detail = str(app.screen.query_one(LieuDetail).render())
        assert "Musée de la Vie romantique" in detail  # last by décor
        await pilot.press("home")
        await pilot.pause(0.15)
        assert "Place de l'Estrapade" in str(app.screen.query_one(LieuDetail).render())


HOLDER = textwrap.dedent("""
    import sys, time
    from scout.store import open_store
    store = open_store(sys.argv[1])
    print("locked", flush=True)
    time.sleep(60)
""")


@pytest.mark.lang("fr")
async def test_a_second_app_is_read_only_and_says_so(db_path: Path) -> None:
    _demo(db_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        store = open_store(db_path, on_locked="read-only")
        app = make_app(_workspace(db_path, store))
        async with app.run_test(size=(120, 40)) as pilot:
            await _ready(pilot)
            assert "LECTURE SEULE" in str(app.screen.query_one("#status-line").render())
            assert any("lecture seule ici" in n.message for n in app._notifications)
            await pilot.press("a")
            assert not isinstance(app.screen, LieuForm)
            said = _messages(app)
            assert any(m.startswith("Lecture seule : ") for m in said)
            assert not any("ead-only" in m for m in said)  # one language: no « Read-only: »
        store.close()
    finally:
        holder.kill()
        holder.wait()


async def test_an_unexpected_error_is_logged_not_shown_as_a_traceback(db_path: Path) -> None:
    def broken_locator(*args, **kwargs):
        raise RuntimeError("geodata exploded")

    async with running(db_path, locator=broken_locator) as (app, pilot, store):
        await pilot.press("a")
        await _fill(pilot, "name", "X")
        await _fill(pilot, "lat", "48.85")
        await _fill(pilot, "lon", "2.35")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("unexpected error" in m and "scout.log" in m for m in messages)
        assert app.is_running
        assert store.count_lieux() == 0
    log = (db_path.parent / "logs" / "scout.log").read_text()
    assert "geodata exploded" in log and "Traceback" in log


async def test_review_screen_filter_status_change_and_jump(db_path: Path) -> None:
    from textual.widgets import Select

    from scout.tui.screens.permits import PermitsScreen
    from scout.tui.screens.status import StatusScreen
    from scout.tui.widgets.permit_table import PermitTable

    async with running(db_path, demo=True) as (app, pilot, store):
        assert "⚠ 2 urgent permits" in app.sub_title  # the badge: 1 overdue, 1 due ≤ 3 days
        await pilot.press("p")
        await _ready(pilot)
        assert isinstance(app.screen, PermitsScreen)
        table = app.screen.query_one(PermitTable)
        first = table.rows_shown()[0]
        assert first.lieu_name == "Place de l'Estrapade" and first.type == "arrete_stationnement"
        assert table.render_line(1).text.startswith("−7 work days")  # 7 working days late

        await pilot.press("slash", *"refused")  # filters: status, authority, arrondissement…
        await pilot.pause()
        assert [r.lieu_name for r in table.rows_shown()] == ["Square du Vert-Galant"]
        app.screen.query_one("#permit-filter").value = "vert galant"  # by lieu
        await pilot.pause()
        assert [r.permit_id for r in table.rows_shown()] == [9]
        await pilot.press("enter")  # back to the table
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatusScreen)
        app.screen.query_one("#status-new", Select).value = "filed"
        app.screen.query_one("#status-note").value = "dates décalées, nouveau dossier"
        await pilot.press("ctrl+s")
        await _ready(pilot)
        refiled = store.get_permit(9)
        assert refiled.status.value == "filed"
        assert refiled.history[-1].note == "dates décalées, nouveau dossier"

        await pilot.press("g")  # jump to the lieu
        await _ready(pilot)
        assert not isinstance(app.screen, PermitsScreen)
        assert app.screen.query_one(LieuTable).current_id == 13

    with open_store(db_path) as store:  # the change survived the restart
        assert store.get_permit(9).status.value == "filed"


async def test_the_form_geocodes_the_address_and_the_scout_picks_a_candidate(db_path: Path) -> None:
    from geoserver import GeoServer
    from textual.widgets import OptionList

    from scout.geo import locate
    from scout.geocoding.service import GeocodingService
    from scout.geocoding.settings import GeocodingSettings

    with GeoServer() as server:
        settings = GeocodingSettings(
            ban_url=f"{server.url}/geocodage",
            nominatim_url=f"{server.url}/nominatim",
            ban_per_second=1000,
            nominatim_per_second=1000,
        )

        def factory():
            return GeocodingService(settings, locate=locate)

        async with running(db_path, geocoder_factory=factory) as (app, pilot, store):
            await pilot.press("a")
            await _fill(pilot, "name", "Arcades")
            await _fill(pilot, "address", "rue de Rivoli")
            await pilot.pause(0.8)  # the pause in typing, then the answer
            await app.workers.wait_for_complete()
            await pilot.pause()
            options = app.screen.query_one("#address-candidates", OptionList)
            assert options.option_count == 2
            assert "[4e]" in str(options.get_option_at_index(1).prompt)
            options.focus()
            options.highlighted = 1
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen.query_one("#input-lat").value == "48.857000"
            await pilot.press("ctrl+s")
            await _ready(pilot)
            lieu = store.query_lieux()[0]
            assert lieu.arrondissement == 4 and lieu.position.source.value == "geocoded"
            assert not lieu.geocode_pending and lieu.postcode == "75004"


async def test_import_photos_from_the_tui_and_confirm_a_proposal(
    db_path: Path, tmp_path: Path
) -> None:
    from photo_factory import make_photo
    from textual.widgets import DirectoryTree

    from scout.tui.screens.photos import PhotosScreen

    folder = tmp_path / "pictures"
    folder.mkdir()
    make_photo(folder / "1.jpg", 48.87637, 2.34213)
    make_photo(folder / "2.jpg", 48.87640, 2.34216, taken="2026:11:20 10:30:00")
    (folder / "broken.jpg").write_bytes(b"nope")
    async with running(db_path) as (app, pilot, store):
        app.push_screen(PhotosScreen(start=tmp_path))
        await pilot.pause()
        screen = app.screen
        tree = screen.query_one(DirectoryTree)
        await pilot.pause(0.3)
        tree.cursor_line = next(  # the "pictures" folder
            line
            for line in range(tree.last_line + 1)
            if (node := tree.get_node_at_line(line)) and str(node.label) == "pictures"
        )
        await pilot.press("i")
        await _group_done(pilot, "photos")
        report = str(screen.query_one("#photo-report").render())
        assert "2 imported" in report and "broken.jpg" in report
        assert len(screen.proposals) == 1 and len(screen.proposals[0].photos) == 2
        await pilot.press("c")
        await _group_done(pilot, "photos")
        lieu = store.query_lieux()[0]
        assert lieu.arrondissement == 9 and lieu.position.source.value == "photo_exif"
        assert len(store.photos(lieu.id)) == 2 and screen.proposals == []


# -- finding every screen and action at 80×24: key bar, help, palette ---------------------


def _key_bar_text(app) -> str:
    from scout.tui.widgets.key_bar import KeyBar

    return app.screen.query_one(KeyBar).render().plain


@pytest.mark.lang("fr")
async def test_the_key_bar_at_80_columns_keeps_f1_and_the_review(db_path: Path) -> None:
    from scout.tui.screens.permits import PermitsScreen
    from scout.tui.screens.photos import PhotosScreen
    from scout.tui.widgets.key_bar import KeyBar

    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        text = _key_bar_text(app)
        assert len(text) <= 80
        assert " p  Autorisations " in text and " a  Ajouter " in text
        assert " m  Carte " in text and " /  Filtrer " in text  # the map and the search
        assert text.rstrip().endswith(" F1  Aide")  # F1 has its place at the right end

        bar = app.screen.query_one(KeyBar)
        await pilot.click(KeyBar, offset=(text.index(" p "), 0))  # a click runs the app's key
        await _ready(pilot)
        assert isinstance(app.screen, PermitsScreen)
        text = _key_bar_text(app)
        assert " s  Statut " in text and " esc  Retour " in text
        assert text.rstrip().endswith(" F1  Aide")
        assert "Autorisations" not in text  # p does nothing on the review itself

        await pilot.press("escape", "i")
        await pilot.pause()
        assert isinstance(app.screen, PhotosScreen)
        assert _key_bar_text(app).rstrip().endswith(" F1  Aide")

        await pilot.press("escape")
        await pilot.resize_terminal(160, 50)
        await pilot.pause()
        wide = bar.render().plain
        # The most used keys by importance, F1 at the end (the rest are in F1 and Ctrl+P).
        for key in ("a", "e", "/", "m", "p", "q", "t", "v", "f", "F3"):
            assert f" {key}  " in wide
        assert wide.rstrip().endswith(" F1  Aide")


def _help_text(app) -> str:
    from io import StringIO

    from rich.console import Console
    from textual.widgets import Markdown, Static

    console = Console(width=200, file=StringIO(), record=True)  # no tooltip wrapped
    for widget in app.screen.query(Static):
        if not isinstance(widget, Markdown):
            console.print(widget.content)
    return console.export_text()


async def test_f1_lists_every_key_of_the_screen_and_of_the_app(db_path: Path) -> None:
    from textual.binding import Binding

    from scout.tui.app import ScoutApp
    from scout.tui.screens.lieux import LieuxScreen
    from scout.tui.screens.permits import PermitsScreen

    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = _help_text(app)
        for key, description in [("p", "Permits"), ("i", "Import photos"),
                                 ("o", "Photo"), ("n", "PMR not assessed")]:  # fmt: skip
            assert f" {key}  " in text and description in text
        for binding in Binding.make_bindings([*LieuxScreen.BINDINGS, *ScoutApp.BINDINGS]):
            assert _(binding.description) in text, binding.id
            assert _(binding.tooltip) in text, binding.id
        assert "Ctrl+P" in text and "Geocode the waiting locations" in text
        assert "régie" in text and "dressing-room vehicles" in text  # the glossary
        marks = str(app.screen.query_one("#help-marks").source)
        assert "`?` waiting to be geocoded" in marks and "ODbL" in marks
        await pilot.press("escape")

        # In the filter box a types an a: the help still lists the screen's keys.
        await pilot.press("slash", "f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        for binding in Binding.make_bindings(LieuxScreen.BINDINGS):
            assert _(binding.description) in _help_text(app), binding.id
        await pilot.press("escape", "escape")

        await pilot.press("p")  # the review's own help
        await _ready(pilot)
        await pilot.press("f1")
        await pilot.pause()
        text = _help_text(app)
        for binding in Binding.make_bindings(PermitsScreen.BINDINGS):
            assert _(binding.description) in text, binding.id


async def _palette(pilot, query: str) -> list[str]:
    from textual.command import CommandList, CommandPalette

    if not isinstance(pilot.app.screen, CommandPalette):
        await pilot.press("ctrl+p")
        await pilot.pause()
    palette = pilot.app.screen
    palette.query_one(Input).value = query
    for _attempt in range(40):  # the providers answer in the background
        await pilot.pause(0.05)
        found = palette.query_one(CommandList)
        if found.option_count:
            break
    return [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]


async def test_the_palette_offers_every_action_the_review_and_the_import(
    db_path: Path,
) -> None:
    from textual.binding import Binding

    from scout.tui.app import ScoutApp
    from scout.tui.screens.lieux import LieuxScreen
    from scout.tui.screens.permits import PermitsScreen

    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        found = await _palette(pilot, "Permits")
        assert found[0].startswith("Permits\np — The régie's review")
        found = await _palette(pilot, "Import")
        assert any(f.startswith("Locations: Import photos\ni — ") for f in found)
        for binding in Binding.make_bindings([*LieuxScreen.BINDINGS, *ScoutApp.BINDINGS]):
            if binding.action != "command_palette":
                found = await _palette(pilot, _(binding.description))
                assert any(_(binding.description) in f for f in found), binding.id
        found = await _palette(pilot, "Geocode")
        assert found[0].startswith("Geocode the waiting locations")
        assert any("Go to location: Café de Flore" in f for f in await _palette(pilot, "Flore"))

        found = await _palette(pilot, "Permits")
        await pilot.press("enter")  # the review, from the palette
        await _ready(pilot)
        assert isinstance(app.screen, PermitsScreen)
        assert any(f.startswith("Permits: Urgent") for f in await _palette(pilot, "Urg"))
        await _palette(pilot, "Locations: Add")
        await pilot.press("enter")  # back to the lieux, and the form opens there
        await pilot.pause()
        assert isinstance(app.screen, LieuForm)
        assert not any(isinstance(s, PermitsScreen) for s in app.screen_stack)


def test_every_binding_of_scout_has_an_id_a_description_and_a_tooltip() -> None:
    """The help, the key bar and the palette are generated from them: a binding without
    an id would be left out of all three."""
    import importlib
    import inspect
    import pkgutil

    from textual.binding import Binding

    import scout.tui

    checked = 0
    for module_info in pkgutil.walk_packages(scout.tui.__path__, "scout.tui."):
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or "BINDINGS" not in vars(cls):
                continue
            for binding in Binding.make_bindings(vars(cls)["BINDINGS"]):
                assert binding.id and binding.description and binding.tooltip, (cls, binding)
                checked += 1
    assert checked > 30


async def test_the_review_shows_a_permit_to_create_and_s_creates_it(db_path: Path) -> None:
    from scout.tui.screens.permits import PermitsScreen
    from scout.tui.widgets.permit_table import PermitTable

    _demo(db_path)
    with open_store(db_path) as store:
        Workspace(store, CLOCK).permits.remove(2)  # the Estrapade's arrêté: still needed
    async with running(db_path, size=(80, 24)) as (app, pilot, store):
        await pilot.press("p")
        await _ready(pilot)
        assert isinstance(app.screen, PermitsScreen)
        table = app.screen.query_one(PermitTable)
        first = table.rows_shown()[0]
        assert first.permit_id is None and first.type == "arrete_stationnement"
        assert "To create" in table.render_line(1).text
        assert "(to create)" in str(app.screen.query_one("#permit-detail").render())
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await _ready(pilot)
        created = [p for p in store.permits(4) if p.type == "arrete_stationnement"]
        assert len(created) == 1
        assert table.get_row(table.current_id).permit_id == created[0].id


async def test_the_form_keeps_an_unknown_int_ext_unknown(db_path: Path) -> None:
    async with running(db_path) as (app, pilot, store):
        await pilot.press("a")
        assert app.screen.query_one("#input-setting", Select).value == ""
        await _fill(pilot, "name", "Cour inconnue")
        await pilot.press("ctrl+s")
        await _ready(pilot)
        assert store.query_lieux()[0].setting is None
        await pilot.press("e", "ctrl+s")  # saved again untouched: still unknown
        await _ready(pilot)
        assert store.query_lieux()[0].setting is None


# -- a record the production can trust (issue 15) -------------------------------------------


def _screen_lines(app) -> list[str]:
    """What the terminal shows, line by line, as the compositor draws it."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def _status_line(app) -> str:
    return str(app.lieux_screen().query_one("#status-line").render())


def _messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _filter(pilot, text: str) -> list[int]:
    """Type in the lieux filter (its words index is read on the first keystroke)."""
    box = pilot.app.screen.query_one("#filter", Input)
    if not box.has_focus:
        await pilot.press("slash")
    box.value = text
    await _ready(pilot)
    return sorted(r.id for r in pilot.app.screen.query_one(LieuTable).rows_shown())


async def test_the_filter_searches_every_word_of_the_fiche_and_5e_is_only_the_5e(
    db_path: Path, monkeypatch
) -> None:
    from scout.services.lieux import LieuService

    reads: list[int] = []
    search_texts = LieuService.search_texts

    def counted(self):
        reads.append(1)
        return search_texts(self)

    monkeypatch.setattr(LieuService, "search_texts", counted)
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        assert reads == []  # the first paint read no search index
        assert await _filter(pilot, "Lepic") == [3]  # a street: 15 rue Lepic
        assert reads == [1]  # read once, on the first keystroke
        assert await _filter(pilot, "marchal") == [1]  # a contact: Hélène Marchal
        assert await _filter(pilot, "75012") == [5, 12]  # a postcode
        assert await _filter(pilot, "bucherie") == [11]  # accents folded: rue de la Bûcherie
        assert await _filter(pilot, "lundi matin") == [2]  # the notes, every word
        assert await _filter(pilot, "5e") == [4, 11]  # the 5e, not the 15e (lieu 10)
        assert await _filter(pilot, "5") == [4, 11]
        assert await _filter(pilot, "1er") == [13]  # not the 10e, 11e, 12e…
        assert await _filter(pilot, "12e rue") == [5]  # an arrondissement and a word
        assert "1 / 14 locations" in _status_line(app)
        await pilot.press("escape")
        await pilot.press("n")  # the "pmr0" shortcut still works
        await _ready(pilot)
        shown = app.screen.query_one(LieuTable).rows_shown()
        assert shown and all(r.pmr_assessed == 0 for r in shown)
        await pilot.press("escape")
        await pilot.pause()

        # Kept current: a note added in the form is found at once.
        app.screen.query_one(LieuTable).move_to(8)  # Parc des Buttes-Chaumont
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#input-notes").text = "ventousage rue Botzaris la veille"
        await pilot.press("ctrl+s")
        await _ready(pilot)
        assert await _filter(pilot, "ventousage") == [8]
        assert reads == [1]  # that lieu's words alone were read again


async def test_escape_on_a_changed_form_asks_before_losing_the_changes(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        await pilot.press("a", "escape")  # nothing typed: closed at once
        await pilot.pause()
        assert not isinstance(app.screen, (LieuForm, ConfirmScreen))

        await pilot.press("e", "escape")  # opened on a lieu, nothing changed
        await pilot.pause()
        assert not isinstance(app.screen, (LieuForm, ConfirmScreen))

        await pilot.press("a")
        await _fill(pilot, "name", "Cour de Rohan")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one("#confirm-question").render())
        assert "new location will be lost" in question
        await pilot.press("escape")  # no: back to the form, the name still there
        await pilot.pause()
        assert isinstance(app.screen, LieuForm)
        assert app.screen.query_one("#input-name", Input).value == "Cour de Rohan"
        await pilot.press("escape", "y")  # yes: closed, nothing saved
        await pilot.pause()
        assert not isinstance(app.screen, (LieuForm, ConfirmScreen))
        assert store.count_lieux() == 14


async def test_the_status_dialog_opens_on_the_current_status_with_only_legal_moves(
    db_path: Path,
) -> None:
    from textual.widgets._select import InvalidSelectValueError

    from scout.domain.permit import TRANSITIONS, PermitStatus
    from scout.tui.screens.status import StatusScreen
    from scout.tui.widgets.permit_table import PermitTable

    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        await pilot.press("p")
        await _ready(pilot)
        table = app.screen.query_one(PermitTable)
        for row in [r for r in table.rows_shown() if r.permit_id is not None]:
            permit = store.get_permit(row.permit_id)
            table.move_to(row.key)
            await pilot.press("s")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, StatusScreen)
            select = dialog.query_one("#status-new", Select)
            assert select.value == permit.status.value, row.permit_id  # the current one
            assert set(dialog.choices) == {permit.status, *TRANSITIONS[permit.status]}
            await pilot.press("escape")
            await pilot.pause()

        # A filed permit (the Estrapade's AGATE request, under review): no « À demander ».
        row = next(r for r in table.rows_shown() if r.permit_id == 1)
        table.move_to(row.key)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        select = dialog.query_one("#status-new", Select)
        assert select.value == "under_review"
        assert PermitStatus.TO_REQUEST not in dialog.choices
        try:
            select.value = "to_request"  # an illegal move cannot be chosen
        except InvalidSelectValueError:
            pass
        else:
            raise AssertionError("to_request was offered for a permit under review")
        await pilot.press("ctrl+s")  # unchanged: it says so and changes nothing
        await pilot.pause()
        assert isinstance(app.screen, StatusScreen)
        assert "new status" in str(dialog.query_one("#status-error").render())
        select.value = "granted"
        await pilot.press("ctrl+s")
        await _ready(pilot)
        assert store.get_permit(1).status.value == "granted"


async def test_the_count_follows_add_delete_undo_and_a_proposal_accepted(
    db_path: Path, tmp_path: Path
) -> None:
    from photo_factory import make_photo

    from scout.tui.screens.photos import PhotosScreen

    folder = tmp_path / "pictures"
    folder.mkdir()
    make_photo(folder / "1.jpg", 48.86230, 2.28810)  # 16e: no lieu within 60 m
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        assert _status_line(app).startswith("14 locations")
        await pilot.press("a")
        await _fill(pilot, "name", "Cour de Rohan")
        await pilot.press("ctrl+s")
        await _ready(pilot)
        assert _status_line(app).startswith("15 locations")
        await pilot.press("d", "y")
        await _ready(pilot)
        assert _status_line(app).startswith("14 locations")
        await pilot.press("z")
        await _ready(pilot)
        assert _status_line(app).startswith("15 locations")

        app.push_screen(PhotosScreen(start=folder))
        await pilot.pause()
        await pilot.press("i")
        await _group_done(pilot, "photos")
        await pilot.press("c")
        await _group_done(pilot, "photos")
        assert store.count_lieux() == 16
        assert _status_line(app).startswith("16 locations")


@pytest.mark.lang("fr")
async def test_z_undoes_the_last_delete_and_the_last_edit(db_path: Path) -> None:
    from textual.binding import Binding

    from scout.tui.screens.lieux import LieuxScreen

    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        table = app.screen.query_one(LieuTable)
        await pilot.press("z")
        await pilot.pause()
        assert "Rien à annuler." in _messages(app)

        table.move_to(11)  # Shakespeare and Company, an option
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#input-status", Select).value = "validated"
        await pilot.press("ctrl+s")
        await _ready(pilot)
        assert store.get_lieu(11).status.value == "validated"

        table.move_to(5)  # Rue Crémieux
        await pilot.press("d", "y")
        await _ready(pilot)
        assert store.count_lieux() == 13

        await pilot.press("z")  # the delete first: back from the bin
        await _ready(pilot)
        assert store.get_lieu(5).name == "Rue Crémieux"
        assert any("Annulé : la suppression de « Rue Crémieux »" in m for m in _messages(app))
        assert table.current_id == 5 and "Rue Crémieux" in _screen_text(app)
        assert "Rue Crémieux" in str(app.screen.query_one(LieuDetail).render())

        await pilot.press("z")  # then the edit: the status as it was, the history kept
        await _ready(pilot)
        lieu = store.get_lieu(11)
        assert lieu.status.value == "option"
        assert [c.field for c in lieu.history] == ["status", "status"]
        assert any("la modification de « Shakespeare and Company »" in m for m in _messages(app))
        assert table.current_id == 11
        assert "Option" in str(app.screen.query_one(LieuDetail).render())

        # Generated into the help and the palette.
        (undo,) = [b for b in Binding.make_bindings(LieuxScreen.BINDINGS) if b.action == "undo"]
        assert undo.key == "z" and _(undo.description) == "Annuler"
        await pilot.press("f1")
        await pilot.pause()
        assert " z  " in _help_text(app) and _(undo.tooltip) in _help_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert any(f.startswith("Lieux : Annuler\nz — ") for f in await _palette(pilot, "Annul"))


@pytest.mark.lang("fr")
async def test_retaining_a_lieu_says_which_lieu_of_its_decor_lost_its_star(
    db_path: Path,
) -> None:
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        assert store.get_lieu(3).retained  # Café des Deux Moulins holds the ★
        app.screen.query_one(LieuTable).move_to(1)  # Café de Flore, same décor
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#input-retained", Select).value = "yes"
        await pilot.press("ctrl+s")
        await _ready(pilot)
        assert store.get_lieu(1).retained and not store.get_lieu(3).retained
        said = [m for m in _messages(app) if "n'est plus retenu" in m]
        assert len(said) == 1 and "« Café des Deux Moulins » (lieu 3)" in said[0]
        assert "CAFÉ DE CLAIRE — INT. JOUR" in said[0] and "Café de Flore" in said[0]
        assert "★ Café des Deux" not in _screen_text(app)

        await pilot.press("z")  # the undo gives the ★ back too
        await _ready(pilot)
        assert not store.get_lieu(1).retained and store.get_lieu(3).retained


async def test_the_photo_import_reaches_any_folder_merges_anywhere_and_places_no_gps(
    db_path: Path, tmp_path: Path
) -> None:
    from photo_factory import make_photo
    from textual.widgets import DirectoryTree, SelectionList

    from scout.tui.screens.lieu_chooser import LieuChooser
    from scout.tui.screens.photos import PhotosScreen

    folder = tmp_path / "cartes" / "pictures"
    folder.mkdir(parents=True)
    make_photo(folder / "far.jpg", 48.86230, 2.28810)  # no lieu within 60 m
    make_photo(folder / "nogps.jpg")  # no GPS at all
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        app.push_screen(PhotosScreen(start=Path.home()))
        await pilot.pause()
        screen = app.screen
        tree = screen.query_one(DirectoryTree)
        await pilot.press("slash")  # a path typed: the tree goes there
        box = screen.query_one("#photo-path", Input)
        assert box.has_focus and box.value == "/"
        box.value = str(tmp_path / "cartes")
        await pilot.press("enter")
        await pilot.pause()
        assert Path(tree.path) == tmp_path / "cartes" and tree.has_focus
        await pilot.press("backspace")  # the parent folder: anywhere, not only under $HOME
        await pilot.pause()
        assert Path(tree.path) == tmp_path
        await pilot.press("backspace")
        await pilot.pause()
        assert Path(tree.path) == tmp_path.parent

        box.value = str(folder)
        box.focus()
        await pilot.press("enter")
        await pilot.pause(0.3)
        tree.cursor_line = 0  # the folder itself
        await pilot.press("i")
        await _group_done(pilot, "photos")
        (proposal,) = screen.proposals
        assert proposal.lieu_id is None
        assert [p.path for p in screen.unplaced] == [str(folder / "nogps.jpg")]

        await pilot.press("m")  # near no lieu: which one?
        await pilot.pause()
        assert isinstance(app.screen, LieuChooser)
        await pilot.press(*"flore", "enter")
        await _group_done(pilot, "photos")
        assert app.screen is screen
        assert [p.path for p in store.photos(1)] == [str(folder / "far.jpg")]
        assert screen.proposals == []
        assert _status_line(app).startswith("14 locations")  # merged: no new lieu

        pictures = screen.query_one("#photo-unplaced", SelectionList)
        pictures.focus()
        await pilot.press("space", "l")  # tick it, give it
        await pilot.pause()
        assert isinstance(app.screen, LieuChooser)
        await pilot.press("4", "enter")  # a lieu by its number
        await _group_done(pilot, "photos")
        assert [p.path for p in store.photos(4)] == [str(folder / "nogps.jpg")]
        assert screen.unplaced == [] and pictures.option_count == 0


EVIL = "\x1b[2J\x1b]0;pwned\x07EVIL"


async def test_names_with_escape_sequences_are_drawn_harmless(db_path: Path) -> None:
    from scout.domain import Lieu
    from scout.domain.permit import Permit

    with open_store(db_path) as store:  # the CLI refuses such names: saved directly
        lieu = store.add_lieu(
            Lieu(name=EVIL, decor="DÉCOR \x1b[31mROUGE", notes="note\x1b[1A\x07", postcode="75005")
        )
        store.add_permit(
            Permit(
                lieu_id=lieu.id, type="proprietaire", authority="Mairie \x1b[5m", reference="\x07R"
            )
        )
    async with running(db_path, size=(80, 24)) as (app, pilot, store):
        table = app.screen.query_one(LieuTable)
        detail = app.screen.query_one(LieuDetail)
        drawn = [table.render_line(y).text for y in range(table.size.height)]
        drawn += [s.text for s in detail.render_lines(detail.region.reset_offset)]
        drawn += _screen_lines(app)
        assert any("EVIL" in line for line in drawn)
        assert not any("\x1b" in line or "\x07" in line for line in drawn)
        assert any("\\x1b[2J\\x1b]0;pwned\\x07EVIL" in line for line in drawn)  # visible

        await pilot.press("p")
        await _ready(pilot)
        lines = _screen_lines(app)
        assert any("EVIL" in line for line in lines) and any("Mairie" in line for line in lines)
        assert not any("\x1b" in line or "\x07" in line for line in lines)
        await pilot.press("s")
        await pilot.pause()
        assert not any("\x1b" in line or "\x07" in line for line in _screen_lines(app))


async def test_a_position_against_its_postcode_is_the_first_thing_the_fiche_says(
    db_path: Path,
) -> None:
    async with running(db_path, size=(80, 24)) as (app, pilot, store):
        await pilot.press("a")
        await _fill(pilot, "name", "Hôtel de Ville")
        await _fill(pilot, "lat", "48.8566")  # the 4e…
        await _fill(pilot, "lon", "2.3522")
        await _fill(pilot, "postcode", "75006")  # …and a postcode of the 6e
        await pilot.press("ctrl+s")
        await _ready(pilot)
        lieu = store.query_lieux()[0]
        assert lieu.arrondissement == 4
        said = [m for m in _messages(app) if "75006" in m]
        assert said and "saved all the same" in said[0]

        lines = _screen_lines(app)  # what the 80×24 terminal shows, no scrolling
        title = next(i for i, line in enumerate(lines) if "Hôtel de Ville  (location 1)" in line)
        assert lines[title + 1].strip().startswith("⚠ the position is in the 4e")
        assert "postcode 75006" in " ".join(lines[title + 1 : title + 3])
        detail = app.screen.query_one(LieuDetail)
        warning = detail.render_lines(detail.region.reset_offset)[1]
        assert any(seg.style and seg.style.bold for seg in warning if "⚠" in seg.text)


# -- one language at a time (issue 11): each main screen in French, then in English --------

# The interface's own words that betray the other language. Never the words of the trade,
# which both languages say in French (décor, régie, arrêté, PMR, loges, mairie,
# arrondissement, jours ouvrés), nor the demo's data (its names, décors, notes are French).
TELLTALES = {
    "fr": (
        "Aucun", "Aucune", "Enregistrer", "Annuler", "Supprimer", "Statut", "échéance",
        "Échéance", "oui", "non renseigné", "Ajouter", "Modifier", "Filtrer", "Quitter",
        "Aide", "Retour", "Fermer", "autorisations", "Autorisations", "Chargement", "Partout",
        "Touche", "Dossier", "Choisissez", "Lieux", "lieux", "Rechercher", "Chercher",
        "résultat", "Lecture seule", "Nouveau", "Photos sans",
    ),
    "en": (
        "Save", "Cancel", "Delete", "Status", "deadline", "Deadline", "not given", "Read-only",
        "READ-ONLY", "Add", "Edit", "Filter", "Quit", "Help", "Back", "Close", "Permits",
        "Loading", "Everywhere", "Key", "Folder", "Choose", "location", "locations",
        "Locations", "yes", "Search", "No matches", "working days", "New", "without GPS",
    ),
}  # fmt: skip
# (The parameter is `lang`: a parameter named `language` would replace the fixture that
# sets the language of the test.)
LANGUAGES = [
    pytest.param("fr", marks=pytest.mark.lang("fr"), id="fr"),
    pytest.param("en", marks=pytest.mark.lang("en"), id="en"),
]


def _other_language(text: str, language: str) -> list[str]:
    """The tell-tale words of the other language found in `text`, as whole words."""
    import re

    other = TELLTALES["en" if language == "fr" else "fr"]
    return [w for w in other if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


def _everything_shown(app) -> str:
    """Every text of the current screen, scrolled out of view or not: what the terminal
    draws, the widgets' texts, placeholders, choices, tooltips, the notifications."""
    from io import StringIO

    from rich.console import Console
    from textual.content import Content
    from textual.widgets import Button, Markdown, OptionList, Static, TextArea

    from scout.tui.widgets.key_bar import KeyBar
    from scout.tui.widgets.virtual_table import VirtualTable

    console = Console(width=200, file=StringIO(), record=True)
    parts = [str(app.title), str(app.sub_title), *_screen_lines(app)]
    parts += [f"{n.title}\n{n.message}" for n in app._notifications]
    for widget in app.screen.query("*"):
        if widget.tooltip:
            parts.append(str(widget.tooltip))
        if isinstance(widget, Markdown):
            parts.append(widget.source)
        elif isinstance(widget, Static):
            shown = widget.content
            parts.append(str(shown)) if isinstance(shown, Content) else console.print(shown)
        elif isinstance(widget, Button):
            parts.append(str(widget.label))
        elif isinstance(widget, Input):
            parts += [str(widget.placeholder), widget.value]
        elif isinstance(widget, TextArea):
            parts += [str(widget.placeholder), widget.text]
        elif isinstance(widget, Select):
            parts += [str(prompt) for prompt, _value in widget._options]
        elif isinstance(widget, OptionList):
            parts += [str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]
        elif isinstance(widget, VirtualTable):
            parts.append(widget.render_line(0).text)
            parts += [" ".join(widget.cells(row)) for row in widget.rows_shown()]
        elif isinstance(widget, KeyBar):
            parts.append(widget.render().plain)
    return "\n".join([*parts, console.export_text()])


def _says(app, language: str, *own: str) -> str:
    """The screen's text: it holds these words of its language and none of the other's."""
    text = _everything_shown(app)
    assert _other_language(text, language) == [], text
    for word in own:
        assert word in text, (word, text)
    return text


def _fits_80_columns(app, help_word: str) -> None:
    bar = _key_bar_text(app)
    assert len(bar) <= 80 and bar.rstrip().endswith(f" F1  {help_word}"), bar


HELP_WORD = {"fr": "Aide", "en": "Help"}


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_lieux_screen_speaks_one_language(db_path: Path, lang: str) -> None:
    fr = lang == "fr"
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        _says(app, lang, *(("Ajouter", "14 lieux") if fr else ("Add", "14 locations")))
        _fits_80_columns(app, HELP_WORD[lang])
        app.clear_notifications()
        await pilot.press("z")  # nothing to undo: it says so
        await pilot.pause()
        _says(app, lang, "Rien à annuler." if fr else "Nothing to undo.")

        app.screen.query_one(LieuTable).move_to(5)  # Rue Crémieux, with a permit
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        _says(app, lang, "corbeille" if fr else "bin", "Supprimer" if fr else "Delete")
        await pilot.press("y")
        await _ready(pilot)
        _says(app, lang, "Supprimé" if fr else "Deleted")
        await pilot.press("z")
        await _ready(pilot)
        _says(app, lang, "Annulé" if fr else "Undone")

        app.clear_notifications()
        await pilot.press("slash", *"zzzz")  # nothing matches
        await _ready(pilot)
        _says(app, lang, "(filtre)" if fr else "(filter)")
        detail = str(app.screen.query_one(LieuDetail).render())
        assert ("Aucun lieu ne correspond" if fr else "No location matches") in detail


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_lieu_form_speaks_one_language(db_path: Path, lang: str) -> None:
    fr = lang == "fr"
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        app.clear_notifications()
        app.screen.query_one(LieuTable).move_to(1)  # Café de Flore: yes, no, unknown answers
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, LieuForm)
        own = (
            ("Enregistrer", "non renseigné", "oui", "Accessibilité")
            if fr
            else ("Save", "not given", "yes", "Accessibility")
        )
        _says(app, lang, *own)
        await _fill(pilot, "lat", "95")
        await pilot.press("ctrl+s")
        await pilot.pause()
        _says(app, lang, "1 champ à corriger" if fr else "1 field to correct")
        await pilot.press("escape")  # changed: it asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        _says(app, lang, "Abandonner" if fr else "Discard")
        # the other button says what it keeps, not a "Cancel" that reads as cancelling the form
        _says(app, lang, "Continuer la saisie" if fr else "Keep editing")
        await pilot.press("y")
        await pilot.pause()

        await pilot.press("a")
        await pilot.pause()
        _says(app, lang, "Nouveau lieu" if fr else "New location")


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_permits_review_speaks_one_language(db_path: Path, lang: str) -> None:
    from scout.tui.screens.status import StatusScreen

    fr = lang == "fr"
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        app.clear_notifications()
        await pilot.press("p")
        await _ready(pilot)
        own = ("Échéance", "Urgentes", "12/11/2026") if fr else ("Deadline", "Urgent", "2026-11-12")
        _says(app, lang, *own)
        _fits_80_columns(app, HELP_WORD[lang])
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatusScreen)
        await pilot.press("ctrl+s")  # unchanged: it says what to do
        await pilot.pause()
        _says(app, lang, "(actuel)" if fr else "(current)")


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_photo_import_speaks_one_language(
    db_path: Path, tmp_path: Path, lang: str
) -> None:
    from photo_factory import make_photo

    from scout.tui.screens.lieu_chooser import LieuChooser
    from scout.tui.screens.photos import PhotosScreen

    fr = lang == "fr"
    folder = tmp_path / "pictures"
    folder.mkdir()
    make_photo(folder / "far.jpg", 48.86230, 2.28810)
    make_photo(folder / "nogps.jpg")
    (folder / "broken.jpg").write_bytes(b"nope")
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        app.clear_notifications()
        app.push_screen(PhotosScreen(start=folder))
        await pilot.pause(0.3)
        _says(app, lang, "Choisissez un dossier" if fr else "Choose a folder")
        _fits_80_columns(app, HELP_WORD[lang])
        await pilot.press("i")
        await _group_done(pilot, "photos")
        own = ("importée", "Photos sans GPS") if fr else ("imported", "Photos without GPS")
        _says(app, lang, *own)
        await pilot.press("l")  # give the picture without GPS: which lieu?
        await pilot.pause()
        assert isinstance(app.screen, LieuChooser)
        _says(app, lang, "Entrée choisit" if fr else "Enter chooses")


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_help_speaks_one_language(db_path: Path, lang: str) -> None:
    from scout.present.glossary import TERMS

    fr = lang == "fr"
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        app.clear_notifications()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        own = (
            ("Partout", "Mots du métier", "Repères")
            if fr
            else ("Everywhere", "Words of the trade", "Marks")
        )
        text = _says(app, lang, *own)
        for word, _meaning in TERMS:
            assert word in text  # the glossary: the trade's words, said in French
        await pilot.press("escape", "p", "f1")  # over the review too
        await _ready(pilot)
        assert isinstance(app.screen, HelpScreen)
        _says(app, lang, "Urgentes" if fr else "Urgent")


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_command_palette_speaks_one_language(db_path: Path, lang: str) -> None:
    fr = lang == "fr"
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        app.clear_notifications()
        found = await _palette(pilot, "")  # everything it offers, as it opens
        text = _says(app, lang, "Chercher une commande" if fr else "Search for commands")
        text += "\n".join(found)
        assert _other_language(text, lang) == [], text
        assert ("Lieux : Ajouter" if fr else "Locations: Add") in text
        assert ("Thème" if fr else "Theme") in text
        found = await _palette(pilot, "Flore")
        assert any(("Aller au lieu : " if fr else "Go to location: ") in f for f in found)
        await _palette(pilot, "zzqxw")
        await pilot.pause(0.7)  # "no matches" waits half a second
        _says(app, lang, "Aucun résultat" if fr else "No matches found")


async def test_the_last_location_is_drawn_when_the_cursor_reaches_it_at_80_columns(
    db_path: Path,
) -> None:
    """The columns fit the width: no horizontal scrollbar hides the last row's line."""
    from scout.tui.widgets.lieu_table import LieuTable

    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        table = app.screen.query_one(LieuTable)
        await pilot.press("end")
        await pilot.pause()
        last = table.get_row(table.current_id)
        assert not table.show_horizontal_scrollbar
        lines = app.export_screenshot()  # the SVG holds the screen's text
        assert last.name.replace("'", "&#x27;")[:15] in lines.replace("&#160;", " ")
        top = int(table.scroll_y)
        assert top <= table.cursor < top + table.scrollable_content_region.height - 1


async def test_after_a_delete_the_cursor_stays_on_the_neighbouring_location(
    db_path: Path,
) -> None:
    from scout.tui.screens.confirm import ConfirmScreen
    from scout.tui.widgets.lieu_table import LieuTable

    async with running(db_path, demo=True, size=(120, 40)) as (app, pilot, store):
        table = app.screen.query_one(LieuTable)
        await pilot.press("down", "down", "down")
        order = [table.row_id(row) for row in table.rows_shown()]
        gone, following = order[3], order[4]
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await _ready(pilot)
        assert gone not in [table.row_id(row) for row in table.rows_shown()]
        assert table.current_id == following  # not back at the top of the list
