"""Productions end to end: the migration of lieux of no production, the service (create,
rename, archive, switch, copy, move), the CLI (`scout production …`, `--production`), the
TUI's switcher (F3) and the copy/move of a lieu (c), with snapshots of the switcher."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from test_snapshots import after, fixed_app, press
from test_tui import (
    HELP_WORD,
    LANGUAGES,
    _fits_80_columns,
    _says,
    _screen_text,
    _workspace,
    running,
)
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from scout.demo import PRODUCTION as DEMO
from scout.demo import seed_demo
from scout.domain import Photo
from scout.errors import NotFound
from scout.services import Workspace
from scout.services.productions import ProductionError
from scout.state import UserState
from scout.store import open_store
from scout.store.journal import encode_line
from scout.store.migrations import SCHEMA_VERSION
from scout.tui.app import ScoutApp
from scout.tui.screens.productions import CopyMoveScreen, NameScreen, ProductionsScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]


def _old_file(db_path: Path, tables: dict[str, Any], highwater: dict[str, int]) -> None:
    """A database as schema 2 wrote it (before every lieu had a production)."""
    db_path.write_bytes(
        encode_line(orjson.dumps({"format": "scout-db", "schema": 2}))
        + encode_line(orjson.dumps({"tables": tables, "highwater": highwater}))
    )


@pytest.fixture
def ws(db_path: Path) -> Iterator[Workspace]:
    with open_store(db_path) as store:
        yield _workspace(db_path, store)


# -- the migration -------------------------------------------------------------------------
def test_lieux_of_no_production_go_to_the_only_production(db_path: Path) -> None:
    _old_file(
        db_path,
        {
            "productions": {"1": {"name": "Germinal", "created_at": "2026-01-01"}},
            "lieux": {"1": {"name": "Café"}, "2": {"name": "Quai", "production_id": 1}},
            "bin": {"1": {"lieu_id": 3, "lieu": {"name": "Cour"}, "permits": {}, "photos": []}},
        },
        {"productions": 1, "lieux": 3, "bin": 1},
    )
    with open_store(db_path) as store:
        assert store.migrated_from == 2
        assert [p.name for p in store.list_productions()] == ["Germinal"]
        assert {r.production_id for r in store.lieu_rows("2026-11-23")} == {1}
        assert store.restore_lieu(3).production_id == 1  # the bin too
    assert (db_path.parent / "scout.db.schema2.bak").exists()
    header = orjson.loads(db_path.read_bytes().splitlines()[0][9:])
    assert header["schema"] == SCHEMA_VERSION == 3


@pytest.mark.parametrize("productions", [{}, {"1": {"name": DEMO, "demo": True}}])
def test_otherwise_a_production_named_production_is_made_for_them(
    db_path: Path, productions: dict[str, Any]
) -> None:
    lieux = {"4": {"name": "Café", "created_at": "2026-03-02T10:00:00"}, "5": {"name": "Quai"}}
    _old_file(db_path, {"productions": productions, "lieux": lieux}, {"lieux": 5})
    with open_store(db_path) as store:
        made = [p for p in store.list_productions() if p.name == "Production"]
        assert len(made) == 1 and made[0].created_at == "2026-03-02T10:00:00"
        assert {r.production_id for r in store.lieu_rows("2026-11-23")} == {made[0].id}
        # the ids go on after the one the migration took
        assert store.add_production(made[0].__class__(name="Next")).id == (made[0].id or 0) + 1


def test_a_read_only_open_sees_the_migrated_lieux_and_leaves_the_file(db_path: Path) -> None:
    _old_file(db_path, {"lieux": {"1": {"name": "Café"}}}, {"lieux": 1})
    before = db_path.read_bytes()
    with open_store(db_path, read_only=True) as store:
        assert store.lieu_rows("2026-11-23")[0].production_id is not None
    assert db_path.read_bytes() == before


def test_an_archived_production_is_stored_and_older_documents_read_as_open(ws: Workspace) -> None:
    made = ws.productions.create("Germinal")
    assert made.id is not None and not made.archived
    ws.productions.archive(made.id)
    stored = ws.productions.get(made.id)
    assert stored.archived and [h.field for h in stored.history] == ["archived"]


# -- the service -----------------------------------------------------------------------------
def test_names_are_unique_whatever_the_case_accents_and_spaces(ws: Workspace) -> None:
    ws.productions.create("Les Misérables")
    for taken in ("les miserables", "  LES  MISÉRABLES "):
        with pytest.raises(ProductionError, match="already"):
            ws.productions.create(taken)
    with pytest.raises(ProductionError, match="empty"):
        ws.productions.create("   ")
    assert [p.name for p in ws.productions.list()] == ["Les Misérables"]


def test_a_new_lieu_goes_to_the_current_production_made_if_there_is_none(ws: Workspace) -> None:
    lieu = ws.lieux.add({"name": "Café"})
    (production,) = ws.productions.list()
    assert production.name == "Production" and lieu.production_id == production.id
    other = ws.productions.create("Germinal")
    assert other.id is not None
    ws.productions.switch(other.id)
    second = ws.lieux.add({"name": "Quai"})
    assert second.production_id == other.id
    assert [r.name for r in ws.lieux.rows()] == ["Quai"] and ws.lieux.count() == 1
    assert UserState.load(ws.location).production == other.id  # remembered


def test_the_current_production_is_remembered_else_the_only_open_one(db_path: Path) -> None:
    with open_store(db_path) as store:
        first = _workspace(db_path, store)
        a, b = first.productions.create("A"), first.productions.create("B")
        assert first.productions.current_id() == a.id  # making B did not change it
        assert a.id is not None and b.id is not None
    state = UserState.load(str(db_path))
    state.production = None
    state.save()
    with open_store(db_path) as store:  # nobody chose: the open one made last
        assert _workspace(db_path, store).productions.current_id() == b.id
    with open_store(db_path) as store:
        _workspace(db_path, store).productions.switch(a.id)
    with open_store(db_path) as store:
        again = _workspace(db_path, store)
        assert again.productions.current_id() == a.id
        again.productions.archive(a.id)  # the current one archived: B takes its place
        assert again.productions.current_id() == b.id
        with pytest.raises(NotFound, match="«Nope»"):
            again.productions.choose("Nope")
        assert again.productions.choose(str(a.id)).name == "A"  # by id, archived or not
        assert again.productions.current_id() == a.id


def test_copying_a_lieu_copies_its_fiche_not_its_permits(ws: Workspace) -> None:
    seed_demo(ws)
    assert ws.productions.current_id() == 1  # the demo's, remembered
    germinal = ws.productions.create("Germinal")
    assert germinal.id is not None and ws.productions.current_id() == 1
    source = next(r for r in ws.lieux.rows() if r.name == "Café des Deux Moulins")
    permits_before = len(ws.store.permits(source.id))
    done = ws.productions.copy_lieu(source.id, germinal.id)
    assert done.lieu.production_id == germinal.id and done.lieu.id != source.id
    assert done.lieu.decor == source.decor and done.lieu.retained == source.retained
    assert done.permits_left == permits_before > 0
    assert ws.store.permits(done.lieu.id) == []
    assert len(ws.store.permits(source.id)) == permits_before  # the original keeps them
    assert ws.lieux.get(source.id).history[-1].field == "copied_to"
    assert ws.lieux.get(done.lieu.id or 0).history[0].field == "copied_from"
    assert ws.lieux.count() == 14  # the demo's list is unchanged
    # a second copy of the retained one arrives without its ★: the décor has one there
    again = ws.productions.copy_lieu(source.id, germinal.id)
    assert again.unretained and again.lieu.retained is False


def test_moving_a_lieu_takes_its_permits_and_pictures_and_respects_the_star(
    ws: Workspace,
) -> None:
    seed_demo(ws)
    ws.productions.switch(1)
    germinal = ws.productions.create("Germinal")
    assert germinal.id is not None
    retained = [r for r in ws.lieux.rows() if r.retained]
    first, second = retained[0], retained[1]
    ws.store.add_photo(Photo(path="/tmp/x.jpg", sha256="ab", lieu_id=first.id))
    permits = len(ws.store.permits(first.id))
    moved = ws.productions.move_lieu(first.id, germinal.id)
    assert (moved.permits, moved.photos, moved.unretained) == (permits, 1, False)
    assert moved.lieu.production_id == germinal.id and moved.lieu.retained
    assert len(ws.store.permits(first.id)) == permits  # they follow the lieu's id
    assert first.id not in {r.id for r in ws.lieux.rows()}
    # a retained lieu of the same décor moved there loses its ★, and its history says so
    ws.lieux.edit(second.id, {"decor": first.decor})
    assert ws.lieux.get(second.id).retained
    other = ws.productions.move_lieu(second.id, germinal.id)
    assert other.unretained and other.lieu.retained is False
    assert [h.field for h in other.lieu.history[-2:]] == ["production_id", "retained"]
    with pytest.raises(ProductionError, match="already"):
        ws.productions.move_lieu(second.id, germinal.id)


def test_nothing_goes_to_an_archived_production(ws: Workspace) -> None:
    lieu = ws.lieux.add({"name": "Café"})
    done = ws.productions.create("Fini")
    assert done.id is not None and lieu.id is not None
    ws.productions.archive(done.id)
    for action in (ws.productions.copy_lieu, ws.productions.move_lieu):
        with pytest.raises(ProductionError, match="archived"):
            action(lieu.id, done.id)
    assert ws.lieux.count() == 1 and ws.productions.counts().get(done.id, 0) == 0


def test_the_review_and_the_exports_show_the_current_production(run_scout: Any) -> None:
    assert run_scout("demo").returncode == 0
    assert run_scout("production", "add", "Germinal").returncode == 0
    assert run_scout("production", "move", "1", "Germinal").returncode == 0  # Café de Flore
    every = run_scout("export", "csv").stdout
    assert "Café de Flore" not in every and "Passage des Panoramas" in every
    theirs = run_scout("export", "csv", "--production", "germinal").stdout
    assert "Café de Flore" in theirs and "Passage des Panoramas" not in theirs
    geo = json.loads(run_scout("export", "geojson", "--production", "Germinal").stdout)
    assert [f["properties"]["name"] for f in geo["features"]] == ["Café de Flore"]


def test_the_permits_review_is_the_current_productions(ws: Workspace) -> None:
    seed_demo(ws)
    ws.productions.switch(1)
    germinal = ws.productions.create("Germinal")
    assert germinal.id is not None
    everything = {r.lieu_id for r in ws.permits.review().rows}
    moved = next(iter(everything))
    ws.productions.move_lieu(moved, germinal.id)
    assert moved not in {r.lieu_id for r in ws.permits.review().rows}
    ws.productions.switch(germinal.id)
    assert {r.lieu_id for r in ws.permits.review().rows} == {moved}
    assert {w.lieu_id for w in ws.permits.review().warnings} <= {moved}


# -- the command line ------------------------------------------------------------------------
def test_production_commands(run_scout: Any) -> None:
    assert run_scout("add", "--name", "Café").returncode == 0
    done = run_scout("production", "add", "Les Misérables", "--use")
    assert done.returncode == 0, done.stderr
    assert "«Les Misérables»" in done.stdout
    assert run_scout("add", "--name", "Quai").returncode == 0
    listed = json.loads(run_scout("production", "list", "--json").stdout)
    assert [(p["name"], p["lieux"], p["current"]) for p in listed] == [
        ("Les Misérables", 1, True),
        ("Production", 1, False),
    ]
    assert [r["name"] for r in json.loads(run_scout("list", "--json").stdout)] == ["Quai"]
    # --production anywhere on the line, by name (any case, no accents) or by id
    names = json.loads(run_scout("list", "--json", "--production", "production").stdout)
    assert [r["name"] for r in names] == ["Café"]
    by_id = run_scout("--production", "1", "list")
    assert "Café" in by_id.stdout and "Quai" not in by_id.stdout
    assert run_scout("production", "rename", "2", "Germinal").returncode == 0
    assert run_scout("production", "move", "1", "Germinal").returncode == 0
    assert "Café" in run_scout("list").stdout
    assert run_scout("production", "archive", "Production").returncode == 0
    shown = run_scout("production", "list").stdout
    assert "Germinal" in shown and "Production" not in shown
    assert "archived" in run_scout("production", "list", "--all").stdout
    copied = run_scout("production", "copy", "1", "Production")
    assert copied.returncode == 1 and "archived" in copied.stderr
    assert run_scout("production", "unarchive", "1").returncode == 0
    copied = run_scout("production", "copy", "1", "Production")
    assert copied.returncode == 0 and "as location 3" in copied.stdout
    assert run_scout("production", "add", "Vide", "--use").returncode == 0
    empty = run_scout("list")
    assert "No locations in «Vide», the current production" in empty.stdout
    trailing = run_scout("list", "--production")
    assert trailing.returncode == 2 and "say which production" in trailing.stderr


@pytest.mark.parametrize(
    "args, said",
    [
        (("production", "add", ""), "empty"),
        (("production", "add", "GERMINAL"), "already"),
        (("production", "rename", "1", "Autre"), "«Autre» already"),
        (("production", "rename", "9", "X"), "no production «9»"),
        (("production", "use", "Nope"), "no production «Nope»"),
        (("--production", "Nope", "list"), "no production «Nope»"),
        (("add", "--name", "X", "--production", "Nope"), "no production «Nope»"),
    ],
)
def test_bad_input_is_said_and_changes_nothing(
    run_scout: Any, db_path: Path, args: tuple[str, ...], said: str
) -> None:
    run_scout("production", "add", "Germinal")
    run_scout("production", "add", "Autre")
    before = db_path.read_bytes()
    done = run_scout(*args)
    assert done.returncode == 1
    assert said in done.stderr and "Traceback" not in done.stderr
    assert db_path.read_bytes() == before


def test_the_environment_names_the_production(run_scout: Any) -> None:
    run_scout("production", "add", "Germinal")
    run_scout("production", "add", "Autre")
    run_scout("add", "--name", "Café", env={"SCOUT_PRODUCTION": "germinal"})
    listed = json.loads(run_scout("list", "--json", env={"SCOUT_PRODUCTION": "1"}).stdout)
    assert [r["name"] for r in listed] == ["Café"]
    assert run_scout("list", "--json", env={"SCOUT_PRODUCTION": "Autre"}).stdout.strip() == "[]"
    # without it: Germinal, current since Autre was made (making one never switches)
    assert "Café" in run_scout("list").stdout


@pytest.mark.lang("fr")
def test_said_in_french(run_scout: Any) -> None:
    run_scout("production", "add", "Germinal")
    done = run_scout("production", "add", "germinal")
    assert done.returncode == 1
    assert "existe déjà" in done.stderr, done.stderr


def test_the_installed_command(run_installed_scout: Any) -> None:
    assert run_installed_scout("production", "add", "Germinal", "--use").returncode == 0
    assert run_installed_scout("add", "--name", "Café").returncode == 0
    done = run_installed_scout("production", "list", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0] | {"created_at": None} == {
        "id": 1,
        "name": "Germinal",
        "company": "",
        "archived": False,
        "demo": False,
        "current": True,
        "lieux": 1,
        "created_at": None,
    }


# -- the TUI -----------------------------------------------------------------------------------
async def _done(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)


def _names(app: ScoutApp) -> list[str]:
    table = app.screen.query_one("#productions-table", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


async def _type_name(pilot: Pilot[None], text: str) -> None:
    assert isinstance(pilot.app.screen, NameScreen)
    pilot.app.screen.query_one("#name-input", Input).value = text
    await pilot.press("enter")
    await _done(pilot)


async def test_create_switch_and_the_list_follows(db_path: Path) -> None:
    async with running(db_path, demo=True) as (app, pilot, store):
        assert DEMO in app.title
        await pilot.press("f3")
        assert isinstance(app.screen, ProductionsScreen)
        assert _names(app) == [DEMO]
        await pilot.press("n")
        await _type_name(pilot, "les toits de paris (DEMO)")  # taken: said, the box stays
        assert isinstance(app.screen, NameScreen)
        assert "already" in str(app.screen.query_one("#name-error").render())
        await _type_name(pilot, "Germinal")
        assert isinstance(app.screen, ProductionsScreen)
        assert _names(app) == ["Germinal", DEMO]
        app.screen.query_one(DataTable).move_cursor(row=0)
        await pilot.press("enter")
        await _done(pilot)
        assert not isinstance(app.screen, ProductionsScreen)
        assert "Germinal" in app.title
        assert "Café de Flore" not in _screen_text(app)
        assert UserState.load(app.ws.location).production == 2
    async with running(db_path) as (app, pilot, store):  # the next run opens on it
        assert "Germinal" in app.title and "Café de Flore" not in _screen_text(app)


async def test_rename_and_archive(db_path: Path) -> None:
    async with running(db_path, demo=True) as (app, pilot, store):
        await pilot.press("f3", "r")
        await _type_name(pilot, "")
        assert isinstance(app.screen, NameScreen)  # an empty name is refused
        await _type_name(pilot, "Les Toits")
        assert _names(app) == ["Les Toits"] and "Les Toits" in app.title
        assert app.ws.productions.get(1).history[-1].new == "Les Toits"
        await pilot.press("n")
        await _type_name(pilot, "Germinal")
        app.screen.query_one(DataTable).move_cursor(row=0)  # Germinal
        await pilot.press("a")
        await _done(pilot)
        assert _names(app) == ["Les Toits"]
        assert "1 archived" in str(app.screen.query_one("#productions-status").render())
        await pilot.press("h")
        assert _names(app) == ["Les Toits", "Germinal"]
        app.screen.query_one(DataTable).move_cursor(row=1)
        await pilot.press("a")  # back
        await _done(pilot)
        assert not app.ws.productions.get(2).archived


async def test_archiving_the_current_production_shows_the_next_one(db_path: Path) -> None:
    async with running(db_path, demo=True) as (app, pilot, store):
        app.ws.productions.create("Germinal")
        await pilot.press("f3")
        await _done(pilot)
        assert _names(app) == ["Germinal", DEMO]
        app.screen.query_one(DataTable).move_cursor(row=1)
        await pilot.press("a")
        await _done(pilot)
        assert "Germinal" in app.title
        await pilot.press("escape")
        await _done(pilot)
        assert "Café de Flore" not in _screen_text(app)


async def test_copy_and_move_a_lieu_from_the_list(db_path: Path) -> None:
    async with running(db_path, demo=True) as (app, pilot, store):
        from scout.tui.widgets.lieu_table import LieuTable

        table = app.screen.query_one(LieuTable)
        await pilot.press("c")  # no other production yet: said
        await _done(pilot)
        assert not isinstance(app.screen, CopyMoveScreen)
        germinal = app.ws.productions.create("Germinal")
        table.move_to(1)  # Café de Flore
        await pilot.press("c")
        assert isinstance(app.screen, CopyMoveScreen)
        await pilot.press("c")  # copy
        await _done(pilot)
        assert app.ws.productions.counts()[germinal.id] == 1
        assert "Café de Flore" in _screen_text(app) and app.ws.lieux.count() == 14
        table.move_to(1)
        await pilot.press("c", "m")  # move
        await _done(pilot)
        assert app.ws.productions.counts()[germinal.id] == 2
        assert app.ws.lieux.count() == 13 and table.get_row(1) is None
        await pilot.press("z")  # undone: back in this production
        await _done(pilot)
        assert app.ws.lieux.get(1).production_id == 1 and table.get_row(1) is not None


async def test_the_first_lieu_makes_a_production_and_the_header_names_it(db_path: Path) -> None:
    async with running(db_path) as (app, pilot, store):
        assert app.title == "scout"
        await pilot.press("a")
        app.screen.query_one("#input-name", Input).value = "Square d'Anvers"
        await pilot.press("ctrl+s")
        await _done(pilot)
        assert app.title == "scout · Production"


async def test_read_only_refuses_to_create(db_path: Path) -> None:
    async with running(db_path, demo=True) as (app, pilot, store):
        store.read_only = True
        await pilot.press("f3", "n")
        assert not isinstance(app.screen, NameScreen)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_switcher_and_its_dialogs_speak_one_language(db_path: Path, lang: str) -> None:
    fr = lang == "fr"
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        app.ws.productions.create("Germinal")
        await pilot.press("f3")
        await _done(pilot)
        _says(app, lang, *(("Basculer", "Lieux") if fr else ("Switch", "Locations")))
        _fits_80_columns(app, HELP_WORD[lang])
        await pilot.press("n")
        await _type_name(pilot, "germinal")
        _says(app, lang, "existe déjà" if fr else "already")
        await pilot.press("escape", "escape")
        await _done(pilot)
        app.clear_notifications()
        await pilot.press("c")
        await _done(pilot)
        assert isinstance(app.screen, CopyMoveScreen)
        _says(app, lang, *(("Copier", "Déplacer") if fr else ("Copy", "Move")))
        await pilot.press("m")
        await _done(pilot)
        _says(app, lang, "déplacé" if fr else "Moved")


# -- snapshots of the switcher ---------------------------------------------------------------
@pytest.fixture
def two_productions(db_path: Path) -> Iterator[ScoutApp]:
    def prepare(ws: Workspace) -> None:
        seed_demo(ws)
        ws.productions.create("Germinal [saison 2]")
        archived = ws.productions.create("Les Misérables")
        assert archived.id is not None
        ws.productions.archive(archived.id)
        ws.productions.switch(1)

    yield from fixed_app(db_path, prepare)


@pytest.mark.lang("fr")
@pytest.mark.parametrize("size", SIZES)
def test_switcher_snapshot(snap_compare: Any, two_productions: ScoutApp, size: Any) -> None:
    async def check(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app.screen, ProductionsScreen)

    assert snap_compare(two_productions, terminal_size=size, run_before=after(press("f3"), check))
