"""What a new user found trying the app: the arrêté's street numbers, the messages of the
photo import, of the lieux filter, of `scout serve`, of `scout permit suggest`, of `T`.

Real files, the real command (`run_scout`) and the real app (Pilot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_permit_forms import (
    _choose,
    _error,
    _form,
    _permits_on_file,
    _saved,
    _street_lieu,
    _type,
    one_lieu,
)
from test_tui import _workspace, running

from scout.domain.permit import Arrete, Permit, PermitStatus
from scout.errors import ValidationErrors
from scout.permits.fiche import apply_permit_fiche, ready_to_file_errors
from scout.store import open_store

__all__ = ["one_lieu"]  # a fixture, used by name


# -- 1. the arrêté's street numbers ------------------------------------------------------
@pytest.mark.parametrize("typed", ["12", "12 bis", "12bis", "12 ter", "12 B", "3 quater", "7b"])
def test_paris_street_numbers_are_accepted(typed: str) -> None:
    permit = Permit(lieu_id=1, type="arrete_stationnement")
    assert apply_permit_fiche(permit, {"from_number": typed}).arrete.from_number == typed


@pytest.mark.parametrize("typed", ["abc", "abc1", "12-14", "12345", "douze", "12 bisou"])
def test_anything_else_is_refused_naming_the_field(typed: str) -> None:
    permit = Permit(lieu_id=1, type="arrete_stationnement")
    with pytest.raises(ValidationErrors) as caught:
        apply_permit_fiche(permit, {"from_number": "12", "to_number": typed})
    (error,) = caught.value.errors
    assert error.field == "to_number" and "is not a street number" in error.message


def test_one_number_without_the_other_is_refused_for_filing() -> None:
    for arrete, field in [
        (Arrete(street="rue Lhomond", spaces=3, from_number="12", perimeter="devant"), "to_number"),
        (Arrete(street="rue Lhomond", spaces=3, to_number="14"), "from_number"),
    ]:
        permit = Permit(lieu_id=1, type="arrete_stationnement", arrete=arrete)
        (error,) = ready_to_file_errors(permit, PermitStatus.FILED)
        assert error.field == field and "both numbers" in error.message
    both = Arrete(street="rue Lhomond", spaces=3, from_number="12", to_number="14 bis")
    permit = Permit(lieu_id=1, type="arrete_stationnement", arrete=both)
    assert ready_to_file_errors(permit, PermitStatus.FILED) == []


def test_the_cli_refuses_a_bad_number_and_saves_nothing(run_scout, db_path: Path) -> None:
    run_scout("demo")
    before = db_path.read_bytes()
    result = run_scout("permit", "set", "2", "--from-number", "abc")
    assert result.returncode == 1
    assert "--from-number" in result.stderr and "is not a street number" in result.stderr
    assert "updated" not in result.stdout
    assert db_path.read_bytes() == before
    assert run_scout("permit", "set", "2", "--from-number", "12 bis").returncode == 0


async def test_the_form_shows_a_bad_number_beside_its_field(db_path: Path, one_lieu: int) -> None:
    async with running(db_path) as (app, pilot, store):
        await pilot.press("t")
        _form(app)
        await _choose(pilot, "type", "arrete_stationnement")
        await _type(pilot, "from_number", "abc1")
        await _type(pilot, "to_number", "14")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is not a street number" in _error(app, "from_number")
        assert _error(app, "to_number") == ""
        assert _permits_on_file(db_path, one_lieu) == []
        await _type(pilot, "from_number", "12 bis")
        await pilot.press("ctrl+s")
        await _saved(pilot)
    (permit,) = _permits_on_file(db_path, one_lieu)
    assert (permit.arrete.from_number, permit.arrete.to_number) == ("12 bis", "14")


# -- 3. pictures without GPS given to the --lieu -----------------------------------------
def test_pictures_without_gps_given_to_the_lieu_say_so(run_scout, tmp_path: Path) -> None:
    from photo_factory import make_photo

    run_scout("add", "--name", "Cour")
    folder = tmp_path / "shoot"
    folder.mkdir()
    make_photo(folder / "1.jpg", exif=False)
    make_photo(folder / "2.jpg", exif=False, size=(320, 240))
    done = run_scout("import", "photos", str(folder), "--lieu", "1")
    assert done.returncode == 0
    assert "2 without a GPS position, given to location 1" in done.stdout
    assert "--lieu" not in done.stdout
    alone = tmp_path / "alone"
    alone.mkdir()
    make_photo(alone / "3.jpg", exif=False, size=(100, 80))
    done = run_scout("import", "photos", str(alone))
    assert "1 without a GPS position: give it to a location with --lieu" in done.stdout


# -- 5. `scout serve` says why in the run's language -------------------------------------
@pytest.mark.lang("fr")
def test_serve_says_why_it_cannot_listen_in_french(run_scout) -> None:
    import socket

    done = run_scout("serve", "--host", "no-such-host.invalid", "--port", "8123")
    assert done.returncode == 1 and "no-such-host.invalid" in done.stderr
    assert "not known" not in done.stderr and "Name or service" not in done.stderr
    assert "nom d'hôte inconnu" in done.stderr or "aucun serveur de noms" in done.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_scout("serve", "--port", str(port))
    assert done.returncode == 1
    assert "already in use" not in done.stderr and "le port est déjà utilisé" in done.stderr


# -- 6. `scout permit suggest` without a shoot day ---------------------------------------
def test_suggest_without_a_shoot_day_says_there_is_no_deadline_yet(run_scout) -> None:
    run_scout("add", "--name", "Cour")
    done = run_scout("permit", "suggest", "1")
    assert done.returncode == 0
    assert "file by —" not in done.stdout
    assert "no deadline until a shoot day is set" in done.stdout


@pytest.mark.lang("fr")
def test_suggest_without_a_shoot_day_in_french(run_scout) -> None:
    run_scout("add", "--name", "Cour")
    done = run_scout("permit", "suggest", "1")
    assert "d'ici le —" not in done.stdout
    assert "pas de date limite tant qu'aucun jour de tournage n'est fixé" in done.stdout


# -- 7. `T` when the permits are only possibly needed ------------------------------------
def _bare_lieu(db_path: Path) -> int:
    from test_tui import _workspace

    from scout.store import open_store

    with open_store(db_path) as store:
        lieu = _workspace(db_path, store).lieux.add({"name": "Cour"})
        assert lieu.id is not None
        return lieu.id


async def test_create_suggested_says_how_many_are_possibly_needed(db_path: Path) -> None:
    lieu_id = _bare_lieu(db_path)
    async with running(db_path) as (app, pilot, store):
        possible = [s for s in app.ws.permits.suggest(lieu_id) if not s.certain]
        assert possible and app.ws.permits.to_create(lieu_id) == []
        await pilot.press("T")
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert not any("no permit to create" in m for m in messages)
        said = [m for m in messages if "none needed for sure" in m]
        assert said, messages
        assert f"{len(possible)} possibly needed, depending on " in said[0]
        assert "crew size" in said[0] and "add them one by one with t" in said[0]


def test_add_suggested_says_how_many_are_possibly_needed(run_scout) -> None:
    run_scout("add", "--name", "Cour")
    done = run_scout("permit", "add-suggested", "1")
    assert done.returncode == 0 and "none needed for sure;" in done.stdout
    assert "possibly needed, depending on" in done.stdout and "--possible" in done.stdout


# -- 4. the lieux filter's messages: short, the useful part first ------------------------
@pytest.mark.lang("fr")
@pytest.mark.parametrize(
    ("typed", "starts"),
    [
        ("foo:bar", "«\u00a0foo:\u00a0» inconnu — arr: statut:"),
        ("arr:25", "«\u00a025\u00a0» : pas un arrondissement"),
        ("statut:bof", "«\u00a0bof\u00a0» : statut inconnu"),
        ("date:2026-12-31..2026-12-01", "«\u00a02026-12-31..2026-12-01\u00a0» : la période finit"),
        ("date:bientôt", "«\u00a0bientôt\u00a0» : pas une date"),
    ],
)
def test_filter_messages_say_the_useful_part_first_in_french(typed: str, starts: str) -> None:
    from scout.present.lieu_filter import parse_query

    (error,) = parse_query(f"rivoli {typed}").errors
    assert error.startswith(starts), error
    assert "«\u00a0 " not in error and " \u00a0»" not in error and '"' not in error
    if not typed.startswith("statut"):
        assert len(error) <= 80, error


def test_a_reversed_date_range_is_not_called_a_bad_date() -> None:
    from scout.present.lieu_filter import parse_query

    (error,) = parse_query("date:2026-12-31..2026-12-01").errors
    assert "the range ends before it starts" in error and "not a date" not in error


# -- 2. a permit's history: every edit of its fields -------------------------------------
def test_old_documents_read_with_no_field_changes() -> None:
    from scout.store.documents import permit_from_dict, permit_to_dict

    permit = permit_from_dict({"lieu_id": 1, "type": "demande_agate", "history": []}, 3)
    assert permit.changes == ()
    assert "changes" not in permit_to_dict(permit)  # an unedited permit writes none


def test_each_field_edit_is_recorded_with_who_and_shown_in_the_run_s_words(
    run_scout, tmp_path: Path, db_path: Path
) -> None:
    from test_permit_forms import reopened

    from scout.tui.screens.permit_form import history_lines

    (tmp_path / "no-config.toml").write_text('user = "Lucie"\n', encoding="utf-8")
    run_scout("demo")
    assert run_scout("permit", "set", "2", "--reference", "ARR-77").returncode == 0
    assert (
        run_scout(
            "permit", "set", "2", "--from-number", "12 bis", "--contact", "Mme Roux"
        ).returncode
        == 0
    )
    for ws in reopened(db_path, read_only=True):
        permit = ws.permits.get(2)
    by_field = {c.field: c for c in permit.changes}
    assert by_field["reference"].new == "ARR-77"
    assert by_field["arrete.from_number"].new == "12 bis"
    assert by_field["contact"].new == "Mme Roux"
    assert {c.by for c in permit.changes} == {"Lucie"}
    text = "\n".join(history_lines(permit))
    assert "Reference: " in text and "→ ARR-77  by Lucie" in text
    assert "From no.: 2 → 12 bis" in text


@pytest.mark.lang("fr")
async def test_the_history_screen_shows_edits_and_status_changes_in_time_order(
    db_path: Path, one_lieu: int
) -> None:
    from test_permit_forms import _add_agate, _open_review_on

    from scout.tui.screens.permit_form import PermitHistoryScreen

    permit_id = _add_agate(db_path, one_lieu, reference="AG-1")
    async with running(db_path) as (app, pilot, store):
        await _open_review_on(pilot, permit_id)
        await pilot.press("e")
        await _type(pilot, "reference", "AG-2026-77")
        await _type(pilot, "valid_from", "18/12/2026")
        await _choose(pilot, "status", "filed")
        await pilot.press("ctrl+s")
        await _saved(pilot)
        await pilot.press("e")
        await _type(pilot, "notes", "Rappeler la mairie")
        await pilot.press("ctrl+s")
        await _saved(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, PermitHistoryScreen)
        text = str(app.screen.query_one("#history-text").render())
    assert "AG-1 → AG-2026-77" in text
    assert "— → 18/12/2026" in text  # the date as French writes it
    lines = text.splitlines()
    reference = next(i for i, line in enumerate(lines) if "AG-2026-77" in line)
    filed = next(i for i, line in enumerate(lines) if "→ Déposée" in line)
    notes = next(i for i, line in enumerate(lines) if "Rappeler la mairie" in line)
    assert reference < filed < notes


def test_two_edits_from_the_same_reading_keep_both_fields_and_both_lines(db_path: Path) -> None:
    from test_permit_forms import _add_agate, reopened

    with open_store(db_path) as store:
        lieu_id = _street_lieu(_workspace(db_path, store))
    permit_id = _add_agate(db_path, lieu_id, reference="AG-1")
    for ws in reopened(db_path):
        seen = ws.permits.get(permit_id)  # two people open the same permit
        ws.permits.update(permit_id, {"reference": "AG-2"}, None, "", read=seen)
        ws.permits.update(permit_id, {"contact": "Mme Roux"}, None, "", read=seen)
        permit = ws.permits.get(permit_id)
    assert (permit.reference, permit.contact) == ("AG-2", "Mme Roux")
    assert [(c.field, c.old, c.new) for c in permit.changes] == [
        ("reference", "AG-1", "AG-2"),
        ("contact", "", "Mme Roux"),
    ]
