"""Team mode, live, in the TUI: Pilot-driven apps on one real PostgreSQL database.

A change saved elsewhere (another app, a plain Workspace) appears within a second; who
else has the production open is in the header; a stopped server gives an offline notice,
refuses saves with the form kept, and the app resumes by itself; a reader role is refused
with the right reason; a checkout's sync conflicts are decided on their screen.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from pg import PgServer, create_roles, drop_roles, private_server
from test_tui import CLOCK, _messages, _ready, _screen_text, _status_line

from scout.permits.rules import RulesBook
from scout.services import Workspace
from scout.settings import Settings
from scout.store import open_store
from scout.tui.app import ScoutApp, make_app
from scout.tui.screens.lieu_form import LieuForm
from scout.tui.widgets.lieu_detail import LieuDetail
from scout.tui.widgets.lieu_table import LieuTable

SEEN_WITHIN_S = 1.0


def _as_user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, user: str) -> None:
    """`user` in a config.toml of the test (SCOUT_CONFIG), read when a store opens."""
    config = tmp_path / f"config-{user}.toml"
    config.write_text(f'user = "{user}"\n', encoding="utf-8")
    monkeypatch.setenv("SCOUT_CONFIG", str(config))


def _workspace(url: str, tmp_path: Path, **options: Any) -> Workspace:
    settings = Settings(
        db_path=tmp_path / "scout.db", log_path=tmp_path / "logs" / "scout.log", db_url=url
    )
    return Workspace(
        open_store(url, **options), CLOCK, RulesBook(settings.rules_path), settings=settings
    )


@asynccontextmanager
async def team_app(
    url: str,
    user: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int] = (120, 36),
    **options: Any,
) -> AsyncIterator[tuple[ScoutApp, Any]]:
    """The real app of `user` on the team database, rows loaded and listening."""
    _as_user(monkeypatch, tmp_path, user)
    ws = _workspace(url, tmp_path, **options)
    app = make_app(ws)
    try:
        async with app.run_test(size=size) as pilot:
            await _ready(pilot)
            assert app.live.ready.wait(10), "not listening"
            yield app, pilot
    finally:
        ws.close()


def _seed(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """A production with three lieux, saved by the régie."""
    _as_user(monkeypatch, tmp_path, "régie")
    with _workspace(url, tmp_path) as ws:
        ids = {}
        for name, decor in (
            ("Quai de Jemmapes", "QUAI — EXT. NUIT"),
            ("Café de Flore", "CAFÉ — INT. JOUR"),
            ("Rue Crémieux", "RUE — EXT. JOUR"),
        ):
            lieu = ws.lieux.add({"name": name, "decor": decor})
            assert lieu.id is not None
            ids[name] = lieu.id
        return ids


async def _until(pilot: Any, check: Callable[[], bool], within: float = 2.0) -> float:
    """Seconds until `check()` holds; fails after `within` (room for a busy machine:
    the first test asserts the second itself)."""
    began = time.perf_counter()
    while True:
        if check():
            return time.perf_counter() - began
        if time.perf_counter() - began > within:
            raise AssertionError(f"not seen within {within} s")
        await pilot.pause(0.02)


def _rows(app: ScoutApp) -> str:
    """The list's lines, whichever screen is on top."""
    table = app.lieux_screen().query_one(LieuTable)
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


def _fiche(app: ScoutApp) -> str:
    return str(app.lieux_screen().query_one(LieuDetail).render())


async def _go_to(app: ScoutApp, pilot: Any, lieu_id: int) -> None:
    app.go_to_lieu(lieu_id)
    await pilot.pause(0.2)  # the fiche follows the cursor after a short pause


# -- live ---------------------------------------------------------------------------------
async def test_a_change_saved_by_another_app_appears_within_a_second(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _seed(pg_url, tmp_path, monkeypatch)
    flore = ids["Café de Flore"]
    async with (
        team_app(pg_url, "Léa", tmp_path, monkeypatch) as (lea, lea_pilot),
        team_app(pg_url, "Karim", tmp_path, monkeypatch) as (karim, karim_pilot),
    ):
        await _go_to(karim, karim_pilot, flore)
        # Léa edits the décor in her app, through the form
        await _go_to(lea, lea_pilot, flore)
        await lea_pilot.press("e")
        await lea_pilot.pause()
        assert isinstance(lea.screen, LieuForm)
        lea.screen.query_one("#input-decor").value = "TERRASSE"
        await lea_pilot.press("ctrl+s")
        seen = await _until(karim_pilot, lambda: "TERRASSE" in _screen_text(karim))
        assert seen < SEEN_WITHIN_S
        await _until(karim_pilot, lambda: "Changed by Léa just now: Décor" in _fiche(karim))
        assert any("Léa changed “Café de Flore”: Décor" in m for m in _messages(karim))
        # the cursor stayed where Karim left it
        assert karim.lieux_screen().query_one("#lieux-table").current_id == flore
        # her own change is not announced back to her
        await lea_pilot.pause(0.3)
        assert "Changed by" not in _fiche(lea)
        assert not any("changed “Café de Flore”" in m for m in _messages(lea))


async def test_presence_adds_and_deletes_from_elsewhere(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _seed(pg_url, tmp_path, monkeypatch)
    async with team_app(pg_url, "Léa", tmp_path, monkeypatch) as (lea, pilot):
        assert "with" not in lea.title  # nobody else yet
        async with team_app(pg_url, "Karim", tmp_path, monkeypatch) as (karim, karim_pilot):
            # the others are read every few seconds
            await _until(pilot, lambda: "· with Karim" in lea.title, within=8)
            await _until(karim_pilot, lambda: "· with Léa" in karim.title, within=8)
            assert lea.title.startswith(karim.title.split(" · ")[0])  # the production first
            # the régie, from a plain workspace: a new lieu, a deleted one
            _as_user(monkeypatch, tmp_path, "régie")
            with _workspace(pg_url, tmp_path) as regie:
                regie.lieux.add({"name": "Passage", "decor": "PASSAGE"})
                regie.lieux.remove(ids["Rue Crémieux"])
            await _until(pilot, lambda: "Passage" in _screen_text(lea))
            await _until(pilot, lambda: "Rue Crémieux" not in _screen_text(lea))
            assert "3 locations" in _status_line(lea)
        await _until(pilot, lambda: "with" not in lea.title, within=8)  # Karim has left


async def test_another_productions_change_is_ignored(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(pg_url, tmp_path, monkeypatch)
    async with team_app(pg_url, "Léa", tmp_path, monkeypatch) as (lea, pilot):
        before = _screen_text(lea)
        _as_user(monkeypatch, tmp_path, "régie")
        with _workspace(pg_url, tmp_path) as regie:
            other = regie.productions.create("Autre film")
            assert other.id is not None
            regie.lieux.add({"name": "Ailleurs", "decor": "X"}, production_id=other.id)
        await pilot.pause(0.8)
        assert "Ailleurs" not in _screen_text(lea) and _screen_text(lea) == before


async def test_a_permit_saved_elsewhere_reaches_the_badge_and_the_fiche(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _seed(pg_url, tmp_path, monkeypatch)
    quai = ids["Quai de Jemmapes"]
    async with team_app(pg_url, "Léa", tmp_path, monkeypatch) as (lea, pilot):
        await _go_to(lea, pilot, quai)
        before = _fiche(lea)
        _as_user(monkeypatch, tmp_path, "régie")
        with _workspace(pg_url, tmp_path) as regie:
            assert regie.permits.create_suggested(quai, possible=True), "no permit suggested"
        await _until(pilot, lambda: _fiche(lea) != before)  # the lieu's permits, read again


# -- faults ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def own_server() -> Any:
    """A PostgreSQL of these tests only, to stop and start again."""
    yield from private_server("scout-pg-live-")


async def test_the_server_stops_then_comes_back_without_a_restart(
    own_server: PgServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = own_server.fresh()
    ids = _seed(url, tmp_path, monkeypatch)
    flore = ids["Café de Flore"]
    async with team_app(url, "Léa", tmp_path, monkeypatch) as (lea, pilot):
        await _go_to(lea, pilot, flore)
        await pilot.press("e")  # Léa is typing when the server stops
        await pilot.pause()
        form = lea.screen
        assert isinstance(form, LieuForm)
        form.query_one("#input-notes").text = "passer le matin"
        own_server.stop("immediate")
        await _until(pilot, lambda: "offline" in lea.title, within=8)
        assert "OFFLINE" in _status_line(lea)
        assert any("cannot be reached" in m for m in _messages(lea))
        # a save is refused, the form stays with what was typed
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert lea.screen is form  # still open
        assert form.query_one("#input-notes").text == "passer le matin"
        assert any("nothing was saved" in m for m in _messages(lea))
        # meanwhile the server comes back, and someone changes a lieu
        own_server.start()
        _as_user(monkeypatch, tmp_path, "régie")
        with _workspace(url, tmp_path) as regie:
            regie.lieux.edit(ids["Rue Crémieux"], {"decor": "AUBE"})
        await _until(pilot, lambda: "offline" not in lea.title, within=10)
        await _until(pilot, lambda: "AUBE" in _rows(lea), within=3)
        assert "OFFLINE" not in _status_line(lea)
        await pilot.press("ctrl+s")  # the same form saves now
        await _until(pilot, lambda: not isinstance(lea.screen, LieuForm), within=3)
        await lea.workers.wait_for_complete()
        assert lea.ws.lieux.get(flore).notes == "passer le matin"


async def test_the_list_stays_usable_offline(
    own_server: PgServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = own_server.fresh()
    ids = _seed(url, tmp_path, monkeypatch)
    async with team_app(url, "Léa", tmp_path, monkeypatch) as (lea, pilot):
        own_server.stop("immediate")
        try:
            await _until(pilot, lambda: "offline" in lea.title, within=8)
            await pilot.press("down", "up", "e")  # the fiche cannot be read: said, not fatal
            await pilot.pause(0.3)
            assert not isinstance(lea.screen, LieuForm)
            assert any("cannot be reached" in m for m in _messages(lea))
        finally:
            own_server.start()
        await _until(pilot, lambda: "offline" not in lea.title, within=10)
        await _go_to(lea, pilot, ids["Rue Crémieux"])
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(lea.screen, LieuForm)  # everything works again, no restart


async def test_a_save_that_finds_the_server_gone_gives_the_form_back(
    own_server: PgServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = own_server.fresh()
    ids = _seed(url, tmp_path, monkeypatch)
    async with team_app(url, "Léa", tmp_path, monkeypatch) as (lea, pilot):
        await _go_to(lea, pilot, ids["Quai de Jemmapes"])
        await pilot.press("e")
        await pilot.pause()
        lea.screen.query_one("#input-notes").text = "grue possible"
        lea.live.stop()  # the app has not noticed the server is gone: the save tries
        own_server.stop("immediate")
        try:
            await pilot.press("ctrl+s")
            await _until(pilot, lambda: any("nothing was saved" in m for m in _messages(lea)), 10)
            await _until(pilot, lambda: isinstance(lea.screen, LieuForm), within=3)
            await pilot.pause(0.2)
            assert lea.screen.query_one("#input-notes").text == "grue possible"
            assert "offline" in lea.title
        finally:
            own_server.start()


# -- read-only ------------------------------------------------------------------------------
async def test_a_reader_role_is_refused_with_its_reason(
    pg_server: PgServer, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(pg_url, tmp_path, monkeypatch)
    suffix = f"live{time.time_ns() % 1_000_000}"
    writer_url, reader_url = create_roles(pg_server, pg_url, suffix)
    try:
        async with (
            team_app(reader_url, "Producteur", tmp_path, monkeypatch) as (reader, pilot),
            team_app(writer_url, "Léa", tmp_path, monkeypatch) as (lea, lea_pilot),
        ):
            said = _messages(reader)
            assert "Read-only: your role can only read this team database." in said
            await pilot.press("a")
            await pilot.pause()
            assert not isinstance(reader.screen, LieuForm)
            assert (
                _messages(reader).count("Read-only: your role can only read this team database.")
                == 2
            )
            assert not any("another scout process" in m for m in _messages(reader))
            # a reader sees the others too (pg_stat_activity), and their changes
            await _until(pilot, lambda: "· with Léa" in reader.title, within=8)
            await _until(lea_pilot, lambda: "· with Producteur" in lea.title, within=8)
    finally:
        drop_roles(pg_server, pg_url, suffix)


async def test_opened_read_only_says_so(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(pg_url, tmp_path, monkeypatch)
    async with team_app(pg_url, "Léa", tmp_path, monkeypatch, read_only=True) as (lea, pilot):
        await pilot.press("a")
        await pilot.pause()
        assert "Read-only: this database was opened read-only." in _messages(lea)


# -- a checkout's sync conflicts -------------------------------------------------------------
def _checkout_with_a_conflict(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_scout: Any
) -> tuple[Path, int]:
    """A scout's checkout where the décor of the Café de Flore was changed both in the
    field and by the régie, synced: one conflict waits. The file, the lieu's id there."""
    ids = _seed(pg_url, tmp_path, monkeypatch)
    field = tmp_path / "field.db"
    with _workspace(pg_url, tmp_path) as regie:
        production = regie.productions.current()
        assert production is not None
    env = {"SCOUT_DB": pg_url}
    out = run_scout("checkout", "--production", production.name, "--to", str(field), env=env)
    assert out.returncode == 0, out.stderr
    with open_store(field) as store:
        (flore_here,) = [x.id for x in store.query_lieux() if x.name == "Café de Flore"]
    edit = run_scout("--db", str(field), "edit", str(flore_here), "--decor", "TERRASSE — MOI")
    assert edit.returncode == 0, edit.stderr
    with _workspace(pg_url, tmp_path) as regie:
        regie.lieux.edit(ids["Café de Flore"], {"decor": "SALLE — ÉQUIPE"})
    synced = run_scout("sync", str(field), env=env)
    assert synced.returncode == 0, synced.stderr
    assert flore_here is not None
    return field, flore_here


async def test_the_conflicts_screen_keeps_mine(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_scout: Any
) -> None:
    field, flore_here = _checkout_with_a_conflict(pg_url, tmp_path, monkeypatch, run_scout)
    from test_tui import running

    async with running(field) as (app, pilot, _store):
        assert any("changed both here and by the team" in m for m in _messages(app))
        await pilot.press("C")
        await pilot.pause()
        table = app.screen.query_one("#conflicts-table")
        row = [str(c) for c in table.get_row_at(0)]
        assert row[:4] == ["Café de Flore", "Décor", "TERRASSE — MOI", "SALLE — ÉQUIPE"]
        assert row[4] == "régie"
        await pilot.press("m")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert app.ws.sync_conflicts() == []
        assert app.ws.lieux.get(flore_here).decor == "TERRASSE — MOI"
        assert "TERRASSE — MOI" in _screen_text(app)


@pytest.mark.lang("fr")
async def test_the_refusal_is_in_french(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(pg_url, tmp_path, monkeypatch)
    async with team_app(pg_url, "Léa", tmp_path, monkeypatch, read_only=True) as (lea, pilot):
        await pilot.press("d")
        await pilot.pause()
        assert "Lecture seule : cette base a été ouverte en lecture seule." in _messages(lea)
        assert not any("ead-only" in m for m in _messages(lea))


# -- pictures -------------------------------------------------------------------------------
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]


@pytest.mark.lang("fr")
@pytest.mark.parametrize("size", SIZES)
def test_conflicts_screen_snapshot(
    snap_compare: Callable[..., bool],
    pg_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    run_scout: Any,
    size: tuple[int, int],
) -> None:
    field, _flore = _checkout_with_a_conflict(pg_url, tmp_path, monkeypatch, run_scout)
    store = open_store(field)
    settings = Settings(db_path=field, log_path=tmp_path / "logs" / "scout.log")
    app = make_app(Workspace(store, CLOCK, RulesBook(settings.rules_path), settings=settings))

    async def open_it(pilot: Any) -> None:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        await pilot.press("C")
        await pilot.pause(0.2)
        app.clear_notifications()
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=size, run_before=open_it)
    finally:
        store.close()
