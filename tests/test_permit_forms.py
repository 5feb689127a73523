"""Permits and arrêtés created and edited in the TUI, without the CLI: the permit form
(add, edit, status change, arrêté), its history, the suggested permits in one step.

Real app, real database files; what is saved is read back through a new Workspace on the
same file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_snapshots import after, fixed_app, press
from test_tui import CLOCK, _ready, _workspace, running
from textual.pilot import Pilot
from textual.widgets import Input, Label, Select, SelectionList, TextArea

from scout.domain.permit import PermitStatus
from scout.errors import ValidationErrors
from scout.services import Workspace
from scout.store import open_store
from scout.tui.app import ScoutApp, make_app
from scout.tui.screens.confirm import ConfirmScreen
from scout.tui.screens.permit_form import (
    PermitForm,
    PermitHistoryScreen,
    history_lines,
    merged_review,
)
from scout.tui.screens.permits import PermitsScreen
from scout.tui.widgets.lieu_detail import LieuDetail
from scout.tui.widgets.permit_table import PermitTable

TODAY = CLOCK.today()
FIRST_SHOOT = TODAY + timedelta(days=24)  # 2026-12-17, a Thursday


def _street_lieu(ws: Workspace, name: str = "Rue de l'Estrapade") -> int:
    """A street in the 5e with parking and a big crew: AGATE and a parking arrêté."""
    lieu = ws.lieux.add(
        {
            "name": name,
            "decor": "RUE — EXT. JOUR",
            "address": "place de l'Estrapade",
            "postcode": "75005",
            "lat": 48.84516,
            "lon": 2.34462,
            "setting": "ext",
            "site_kind": "street",
            "crew_size": "25",
            "tech_vehicles": "4",
            "parking_spaces": "6",
            "shoot_days": [f"{FIRST_SHOOT.isoformat()} 07:30-19:00"],
        }
    )
    assert lieu.id is not None
    return lieu.id


@pytest.fixture
def one_lieu(db_path: Path) -> int:
    with open_store(db_path) as store:
        return _street_lieu(_workspace(db_path, store))


def reopened(db_path: Path, read_only: bool = False) -> Iterator[Workspace]:
    """A new Workspace on the same file: what another run of scout would see (read-only
    while the app holds the file)."""
    store = open_store(db_path, read_only=read_only)
    try:
        yield _workspace(db_path, store)
    finally:
        store.close()


def _permits_on_file(db_path: Path, lieu_id: int) -> list[Any]:
    for ws in reopened(db_path, read_only=True):
        return ws.permits.of_lieu(lieu_id)
    return []


async def _saved(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)


def _form(app: ScoutApp) -> PermitForm:
    assert isinstance(app.screen, PermitForm), type(app.screen)
    return app.screen


async def _type(pilot: Pilot[None], key: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#input-{key}")
    if isinstance(widget, TextArea):
        widget.text = text
    else:
        assert isinstance(widget, Input)
        widget.value = text
    await pilot.pause()


async def _choose(pilot: Pilot[None], key: str, value: str) -> None:
    pilot.app.screen.query_one(f"#input-{key}", Select).value = value
    await pilot.pause()


def _error(app: ScoutApp, key: str) -> str:
    field = app.screen.query_one(f"#field-{key}")
    if not field.has_class("-invalid"):
        return ""
    return str(app.screen.query_one(f"#error-{key}", Label).render())


# -- add -----------------------------------------------------------------------------------
async def test_add_a_permit_with_its_deadline_prefilled(db_path: Path, one_lieu: int) -> None:
    async with running(db_path) as (app, pilot, store):
        expected = app.ws.permits.suggested_deadline(one_lieu, "demande_agate")
        assert expected is not None and expected < FIRST_SHOOT  # 15 working days before
        await pilot.press("t")
        form = _form(app)
        assert form.query_one("#input-type", Select).value == "demande_agate"  # suggested
        deadline = form.query_one("#input-deadline_override", Input).value
        assert deadline == expected.isoformat()  # the run's format (English: ISO)
        hint = str(form.query_one("#deadline-hint", Label).render())
        assert "15 working days" in hint
        assert not form.query_one("#arrete-section").display or form.query_one(
            "#arrete-section"
        ).has_class("-hidden")
        await _type(pilot, "reference", "AGATE-2026-4242")
        await _type(pilot, "notes", "Dossier envoyé par Lucie")
        await pilot.press("ctrl+s")
        await _saved(pilot)
        assert not isinstance(app.screen, PermitForm)
        # the fiche of the lieu says so at once
        detail = str(app.screen.query_one(LieuDetail).render())
        assert "AGATE" in detail

    (permit,) = _permits_on_file(db_path, one_lieu)
    assert permit.type == "demande_agate"
    assert permit.reference == "AGATE-2026-4242"
    assert permit.notes == "Dossier envoyé par Lucie"
    assert permit.deadline_override is None  # the suggestion is not an override


@pytest.mark.lang("fr")
async def test_dates_are_typed_as_the_language_writes_them(db_path: Path, one_lieu: int) -> None:
    async with running(db_path) as (app, pilot, store):
        await pilot.press("t")
        form = _form(app)
        expected = app.ws.permits.suggested_deadline(one_lieu, "demande_agate")
        assert form.query_one("#input-deadline_override", Input).value == expected.strftime(
            "%d/%m/%Y"
        )
        await _type(pilot, "filed_on", "03/12/2026")  # French
        await _type(pilot, "valid_from", "2026-12-17")  # ISO, always understood
        await _type(pilot, "valid_to", "18 décembre")  # not a date
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "n'est pas une date" in _error(app, "valid_to")
        assert _error(app, "filed_on") == "" and _error(app, "valid_from") == ""
        await _type(pilot, "valid_to", "18/12/2026")
        await pilot.press("ctrl+s")
        await _saved(pilot)
        assert not isinstance(app.screen, PermitForm)

    (permit,) = _permits_on_file(db_path, one_lieu)
    assert permit.filed_on == date(2026, 12, 3)
    assert (permit.valid_from, permit.valid_to) == (date(2026, 12, 17), date(2026, 12, 18))


async def test_another_deadline_needs_a_reason(db_path: Path, one_lieu: int) -> None:
    async with running(db_path) as (app, pilot, store):
        await pilot.press("t")
        await _type(pilot, "deadline_override", "2026-12-10")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "say why" in _error(app, "deadline_override")
        assert _permits_on_file(db_path, one_lieu) == []  # nothing saved
        await _type(pilot, "override_reason", "Mission Cinéma: accord par téléphone")
        await pilot.press("ctrl+s")
        await _saved(pilot)
    (permit,) = _permits_on_file(db_path, one_lieu)
    assert permit.deadline_override == date(2026, 12, 10)


# -- edit, status, history -----------------------------------------------------------------
def _add_agate(db_path: Path, lieu_id: int, **raw: Any) -> int:
    for ws in reopened(db_path):
        permit = ws.permits.add(lieu_id, "demande_agate", raw)
        assert permit.id is not None
        return permit.id
    raise AssertionError


async def _open_review_on(pilot: Pilot[None], permit_id: int) -> PermitsScreen:
    await pilot.press("p")
    await _ready(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PermitsScreen)
    assert screen.query_one(PermitTable).move_to(f"permit-{permit_id}")
    await pilot.pause()
    return screen


async def test_edit_from_the_review_and_change_the_status_with_its_history(
    db_path: Path, one_lieu: int
) -> None:
    permit_id = _add_agate(db_path, one_lieu, reference="AG-1")
    async with running(db_path) as (app, pilot, store):
        review = await _open_review_on(pilot, permit_id)
        await pilot.press("enter")  # Enter edits (e does too)
        form = _form(app)
        assert form.query_one("#input-reference", Input).value == "AG-1"
        assert form.query_one("#input-type", Select).disabled  # a permit keeps its type
        await _type(pilot, "reference", "AG-2026-77")
        await _type(pilot, "history_note", "Déposé sur AGATE")
        await pilot.press("ctrl+s")  # a note for the history, and no status change
        await pilot.pause()
        assert "goes with a status change" in _error(app, "history_note")
        await _choose(pilot, "status", "filed")
        await pilot.press("ctrl+s")
        await _saved(pilot)
        assert app.screen is review
        # the review follows without a reload: the row says « Filed »
        table = review.query_one(PermitTable)
        row = table.get_row(f"permit-{permit_id}")
        assert row is not None and row.status == "filed"
        assert table.current_id == f"permit-{permit_id}"
        assert "AG-2026-77" in str(review.query_one("#permit-detail").render())

        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, PermitHistoryScreen)
        text = str(app.screen.query_one("#history-text").render())
        assert "To request → Filed" in text
        assert "Déposé sur AGATE" in text
        assert "2026-11-23" in text
        await pilot.press("escape")
        assert app.screen is review

        await pilot.press("e")
        await _choose(pilot, "status", "granted")
        await pilot.press("ctrl+s")
        await _saved(pilot)

    (permit,) = _permits_on_file(db_path, one_lieu)
    assert permit.reference == "AG-2026-77"
    assert permit.status is PermitStatus.GRANTED
    assert [(h.old, h.new, h.note) for h in permit.history] == [
        ("to_request", "filed", "Déposé sur AGATE"),
        ("filed", "granted", ""),
    ]
    assert permit.filed_on == TODAY and permit.decision_on == TODAY


def test_history_lines_name_who_saved_when_the_history_says() -> None:
    from scout.domain.permit import Permit, StatusChange

    if "by" not in StatusChange.__dataclass_fields__:
        pytest.skip("the history does not record who saved (team mode)")
    change = StatusChange("2026-11-23T09:00:00+01:00", "to_request", "filed", "", by="Lucie")
    permit = Permit(lieu_id=1, type="demande_agate", history=(change,))
    lines = history_lines(permit)
    assert any("To request → Filed" in line and "by Lucie" in line for line in lines)


# -- the arrêté ----------------------------------------------------------------------------
async def test_arrete_errors_show_on_their_fields_as_the_cli_checks_them(
    db_path: Path, one_lieu: int
) -> None:
    async with running(db_path) as (app, pilot, store):
        await pilot.press("t")
        form = _form(app)
        await _choose(pilot, "type", "arrete_stationnement")
        assert not form.query_one("#arrete-section").has_class("-hidden")
        await _type(pilot, "spaces", "beaucoup")
        await _type(pilot, "start", "2026-12-18")
        await _type(pilot, "end", "2026-12-17")
        await _type(pilot, "from_time", "25:00")
        await _type(pilot, "notice_posted_on", "demain")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PermitForm)
        assert "whole number" in _error(app, "spaces") or "number" in _error(app, "spaces")
        assert "is not a time" in _error(app, "from_time")
        assert "is not a date" in _error(app, "notice_posted_on")
        # fixed, the cross-field check speaks: the arrêté ends before it starts
        await _type(pilot, "spaces", "6")
        await _type(pilot, "from_time", "07:00")
        await _type(pilot, "notice_posted_on", "2026-12-12")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "ends before it starts" in _error(app, "end")
        await _type(pilot, "end", "2026-12-18")
        # filing it without a street nor numbers: each missing field says so
        await _choose(pilot, "status", "filed")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "the street" in _error(app, "street")
        assert "perimeter" in _error(app, "from_number")
        assert _error(app, "spaces") == ""
        assert _permits_on_file(db_path, one_lieu) == []  # nothing saved meanwhile
        await _type(pilot, "street", "rue de l'Estrapade")
        await _type(pilot, "perimeter", "devant le 5 et le 7, côté impair")
        await _choose(pilot, "side", "impair")
        await pilot.press("ctrl+s")
        await _saved(pilot)
        assert not isinstance(app.screen, PermitForm)

    (permit,) = _permits_on_file(db_path, one_lieu)
    a = permit.arrete
    assert permit.status is PermitStatus.FILED
    assert (a.street, a.side, a.perimeter, a.spaces) == (
        "rue de l'Estrapade",
        "impair",
        "devant le 5 et le 7, côté impair",
        6,
    )
    assert (a.start, a.end, a.notice_posted_on) == (
        date(2026, 12, 18),
        date(2026, 12, 18),
        date(2026, 12, 12),
    )
    assert a.from_time is not None and a.from_time.hour == 7


async def test_proof_photos_are_chosen_from_the_lieu_s_photos(
    db_path: Path, one_lieu: int, tmp_path: Path
) -> None:
    from photo_factory import make_photo

    pictures = tmp_path / "pics"
    pictures.mkdir()
    paths = [
        make_photo(pictures / f"panneau-{i}.jpg", taken=f"2026:11:2{i} 10:00:00") for i in (1, 2)
    ]
    for ws in reopened(db_path):
        ws.photos.import_paths(paths, lieu_id=one_lieu)
        ws.permits.add(one_lieu, "arrete_stationnement", {"street": "rue Lhomond", "spaces": "3"})
    async with running(db_path) as (app, pilot, store):
        (permit,) = app.ws.permits.of_lieu(one_lieu)
        review = await _open_review_on(pilot, permit.id)
        await pilot.press("e")
        form = _form(app)
        photos = form.query_one("#input-proof_photos", SelectionList)
        assert photos.option_count == 2
        photos.select(photos.get_option_at_index(1).value)
        await pilot.press("ctrl+s")
        await _saved(pilot)
        assert app.screen is review
    (permit,) = _permits_on_file(db_path, one_lieu)
    assert permit.arrete.proof_photos == (str(paths[1]),)


# -- the suggested permits in one step -------------------------------------------------------
async def test_create_every_suggested_permit_after_a_confirmation_naming_them(
    db_path: Path, one_lieu: int
) -> None:
    async with running(db_path) as (app, pilot, store):
        wanted = [s.type for s in app.ws.permits.to_create(one_lieu)]
        assert len(wanted) >= 2
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question
        for ptype in wanted:
            assert ptype.label in question
        assert "file by" in question
        await pilot.press("escape")  # no: nothing created
        await pilot.pause()
        assert _permits_on_file(db_path, one_lieu) == []
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("y")
        await _saved(pilot)
        assert "Parking arrêté" in str(app.screen.query_one(LieuDetail).render())
        await pilot.press("T")  # again: nothing left to create, and it says so
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
    on_file = _permits_on_file(db_path, one_lieu)
    assert sorted(p.type for p in on_file) == sorted(t.id for t in wanted)


async def test_create_suggested_from_the_review(db_path: Path) -> None:
    with open_store(db_path) as store:
        ws = _workspace(db_path, store)
        first = _street_lieu(ws)
        _street_lieu(ws, "Rue Lhomond")
    async with running(db_path) as (app, pilot, store):
        await pilot.press("p")
        await _ready(pilot)
        review = app.screen
        assert isinstance(review, PermitsScreen) and review.review is not None
        before = len(review.review.rows)
        table = review.query_one(PermitTable)
        assert table.move_to(f"create-{first}-demande_agate")
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("y")
        await _saved(pilot)
        rows = review.review.rows
        assert len(rows) == before  # the rows to create became permits: as many
        mine = [r for r in rows if r.lieu_id == first]
        assert mine and all(r.permit_id is not None for r in mine)
        assert all(table.get_row(r.key) is not None for r in mine)
        assert table.get_row(f"create-{first}-demande_agate") is None
        assert any(r.permit_id is None for r in rows)  # the other lieu's, untouched


# -- refusals and cancels ------------------------------------------------------------------
async def test_read_only_refuses_with_a_notice(db_path: Path, one_lieu: int) -> None:
    permit_id = _add_agate(db_path, one_lieu)
    store = open_store(db_path, read_only=True)
    app = make_app(_workspace(db_path, store))
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(pilot)
        assert app.ws.read_only
        await pilot.press("t")
        await pilot.pause()
        assert not isinstance(app.screen, PermitForm)
        await pilot.press("T")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        await _open_review_on(pilot, permit_id)
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, PermitForm)
        notes = [n.message for n in app._notifications]
        assert any("Read-only" in m for m in notes)
        await pilot.press("h")  # reading the history is allowed
        await pilot.pause()
        assert isinstance(app.screen, PermitHistoryScreen)
    store.close()


async def test_escape_asks_before_losing_changes(db_path: Path, one_lieu: int) -> None:
    async with running(db_path) as (app, pilot, store):
        await pilot.press("t")
        _form(app)
        await pilot.press("escape")  # nothing typed: closes at once
        await pilot.pause()
        assert not isinstance(app.screen, (PermitForm, ConfirmScreen))

        await pilot.press("t")
        await _type(pilot, "reference", "AG-9")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "new permit will be lost" in app.screen.question
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert _form(app).query_one("#input-reference", Input).value == "AG-9"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, (PermitForm, ConfirmScreen))
    assert _permits_on_file(db_path, one_lieu) == []


# -- the service underneath ------------------------------------------------------------------
def test_check_reports_every_field_and_saves_nothing(db_path: Path, one_lieu: int) -> None:
    for ws in reopened(db_path):
        with pytest.raises(ValidationErrors) as caught:
            ws.permits.check(
                one_lieu,
                "arrete_stationnement",
                {"side": "au milieu", "spaces": "0", "street": ""},
                status="filed",
            )
        fields = {e.field for e in caught.value.errors}
        assert fields == {"side", "spaces"}
        with pytest.raises(ValidationErrors) as caught:
            ws.permits.check(one_lieu, "arrete_stationnement", {}, status="filed")
        assert {e.field for e in caught.value.errors} == {"street", "spaces", "from_number"}
        assert ws.permits.of_lieu(one_lieu) == []


def test_save_adds_with_a_status_change_in_one_step(db_path: Path, one_lieu: int) -> None:
    for ws in reopened(db_path):
        permit = ws.permits.save(
            one_lieu, "demande_agate", {"reference": "X"}, status="in_preparation", note="go"
        )
        assert permit.status is PermitStatus.IN_PREPARATION
        assert [(h.new, h.note) for h in permit.history] == [("in_preparation", "go")]
        same = ws.permits.save(
            one_lieu, "demande_agate", {}, permit_id=permit.id, status="in_preparation"
        )
        assert same.history == permit.history  # the same status: no new history line
    (on_file,) = _permits_on_file(db_path, one_lieu)
    assert on_file.reference == "X"


def test_deadlines_and_what_create_suggested_would_create(db_path: Path, one_lieu: int) -> None:
    from scout.permits.workdays import CALENDAR

    for ws in reopened(db_path):
        deadline = ws.permits.suggested_deadline(one_lieu, "demande_agate")
        assert deadline is not None and deadline < FIRST_SHOOT
        # 15 working days (the rules' lead) between the deadline and the first shoot day
        days = [deadline + timedelta(days=i) for i in range((FIRST_SHOOT - deadline).days)]
        assert sum(1 for d in days if CALENDAR.is_working_day(d)) == 15
        wanted = [s.type.id for s in ws.permits.to_create(one_lieu)]
        created = ws.permits.create_suggested(one_lieu)
        assert [p.type for p in created] == wanted
        assert ws.permits.to_create(one_lieu) == []
        agate = next(p for p in created if p.type == "demande_agate")
        assert ws.permits.computed_deadline(agate) == deadline


def test_the_cli_says_the_same_as_before_about_an_arrete_not_ready(
    db_path: Path, one_lieu: int
) -> None:
    from scout.errors import ValidationError

    for ws in reopened(db_path):
        permit = ws.permits.add(one_lieu, "arrete_stationnement", {})
        with pytest.raises(ValidationError, match="cannot be filed without the street"):
            ws.permits.update(permit.id, {}, "filed")


def test_merged_review_keeps_the_order(db_path: Path, one_lieu: int) -> None:
    for ws in reopened(db_path):
        other = _street_lieu(ws, "Rue Lhomond")
        old = ws.permits.review()
        ws.permits.create_suggested(one_lieu)
        merged = merged_review(old, ws.permits.review(lieu_id=one_lieu), one_lieu)
        fresh = ws.permits.review()
        assert [r.key for r in merged.rows] == [r.key for r in fresh.rows]
        assert any(r.lieu_id == other for r in merged.rows)


# -- snapshots -----------------------------------------------------------------------------
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]


@pytest.fixture
def street_app(db_path: Path) -> Iterator[ScoutApp]:
    yield from fixed_app(db_path, _street_lieu)


async def _on_the_form(pilot: Pilot[None]) -> None:
    assert isinstance(pilot.app.screen, PermitForm)


@pytest.mark.lang("fr")
@pytest.mark.parametrize("size", SIZES)
def test_permit_form_snapshot(snap_compare: Any, street_app: ScoutApp, size: Any) -> None:
    async def arrete(pilot: Pilot[None]) -> None:
        pilot.app.screen.query_one("#input-type", Select).value = "arrete_stationnement"
        await pilot.pause()

    run_before = after(press("t"), arrete, _on_the_form)
    assert snap_compare(street_app, terminal_size=size, run_before=run_before)
