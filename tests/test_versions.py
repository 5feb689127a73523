"""Versions everywhere: every service saves from what the store gave back (two saves in a
row never conflict with themselves), undo brings back the old values over the current
version (and says so when a colleague changed one of them since), a group a lieu did not
have merges key by key, and the bulk saves sync pushes through are all or nothing. On
both stores (`store_location`: a file, then a PostgreSQL database), through the services;
then undo (z) in the real app on a file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from test_tui import _group_done, _workspace, running

from scout.clock import Clock
from scout.domain import Lieu, Production
from scout.domain.lieu import Logistics
from scout.domain.permit import Permit
from scout.errors import EditConflict, NotFound
from scout.services import Workspace
from scout.store import open_store
from scout.tui.screens.lieu_form import LieuForm
from scout.tui.widgets.lieu_table import LieuTable

CLOCK = Clock(date(2026, 11, 23))


def _ws(store) -> Workspace:  # type: ignore[no-untyped-def]
    return Workspace(store, CLOCK, locator=None)


def _lieu(ws: Workspace, name: str = "Quai de Jemmapes", **fiche: str) -> Lieu:
    return ws.lieux.add({"name": name, "decor": "QUAI — EXT. NUIT", **fiche})


# -- 1. two successive saves by the same person -----------------------------------------------
def test_two_edits_in_a_row_each_start_from_the_saved_version(store_location: str) -> None:
    with open_store(store_location, user="ana") as store:
        ws = _ws(store)
        lieu = _lieu(ws)
        one = ws.lieux.edit(lieu.id, {"decor": "QUAI — EXT. JOUR"})
        two = ws.lieux.edit(lieu.id, {"decor": "QUAI — INT. JOUR"})
        assert (one.version, two.version) == (lieu.version + 1, lieu.version + 2)
        # what the service returned is what is stored: saving from it again is no conflict
        three = store.update_lieu(replace(two, decor="QUAI — EXT. AUBE"))
        assert store.get_lieu(lieu.id) == three and three.decor == "QUAI — EXT. AUBE"


def test_copying_a_lieu_returns_the_original_as_stored_then(store_location: str) -> None:
    with open_store(store_location, user="ana") as store:
        ws = _ws(store)
        lieu = _lieu(ws)
        other = store.add_production(Production("Deuxième", created_at="2026-11-01"))
        assert other.id is not None
        done = ws.productions.copy_lieu(lieu.id, other.id)
        assert done.source == store.get_lieu(lieu.id)  # its "copied to" and new version
        assert done.source.history[-1].field == "copied_to"
        # two saves from it in a row: the second starts from the first, nothing refused
        first = store.update_lieu(replace(done.source, decor="A"))
        second = store.update_lieu(replace(first, decor="B"))
        assert store.get_lieu(lieu.id).decor == "B" and second.version == done.source.version + 2


def test_two_captions_in_a_row_both_reach_the_lieus_history(store_location: str) -> None:
    from scout.domain import Photo

    with open_store(store_location, user="ana") as store:
        ws = _ws(store)
        lieu = _lieu(ws)
        photo = store.add_photo(Photo(path="/tmp/quai.jpg", sha256="0" * 64, lieu_id=lieu.id))
        assert photo.id is not None
        ws.photos.set_caption(photo.id, "le quai, matin")
        ws.photos.set_caption(photo.id, "le quai, soir")
        after = store.get_lieu(lieu.id)
        assert [c.new for c in after.history[-2:]] == ["le quai, matin", "le quai, soir"]
        assert after.version == lieu.version + 2


# -- 2. undo ----------------------------------------------------------------------------------
def test_undo_brings_back_the_old_values_as_a_new_version(store_location: str) -> None:
    with open_store(store_location, user="ana") as store:
        ws = _ws(store)
        before = _lieu(ws, notes="péniche")
        edited = ws.lieux.edit(before.id, {"decor": "QUAI — EXT. JOUR", "notes": "écluse"})
        undone = ws.lieux.revert(before, edited)
        assert (undone.decor, undone.notes) == ("QUAI — EXT. NUIT", "péniche")
        assert undone.version == edited.version + 1  # a new save, not the old number
        assert store.get_lieu(before.id) == undone
        assert [c.field for c in undone.history[-2:]] == ["decor", "notes"]  # both kept
        # edit and undo again: the same person never conflicts with herself
        again = ws.lieux.edit(before.id, {"decor": "QUAI — INT."})
        assert ws.lieux.revert(undone, again).decor == "QUAI — EXT. NUIT"


def test_undo_keeps_what_a_colleague_changed_on_other_fields(store_location: str) -> None:
    with open_store(store_location, user="ana") as store:
        ws = _ws(store)
        before = _lieu(ws)
        edited = ws.lieux.edit(before.id, {"decor": "QUAI — EXT. JOUR"})
    with open_store(store_location, user="bruno") as colleague:
        colleague.update_lieu(replace(colleague.get_lieu(before.id), notes="groupe électrogène"))
    with open_store(store_location, user="ana") as store:
        undone = _ws(store).lieux.revert(before, edited)
        assert (undone.decor, undone.notes) == ("QUAI — EXT. NUIT", "groupe électrogène")


def test_undo_refuses_a_field_a_colleague_changed_since_and_names_them(
    store_location: str,
) -> None:
    with open_store(store_location, user="ana") as store:
        ws = _ws(store)
        before = _lieu(ws)
        edited = ws.lieux.edit(before.id, {"decor": "QUAI — EXT. JOUR"})
    with open_store(store_location, user="bruno") as colleague:
        _ws(colleague).lieux.edit(before.id, {"decor": "QUAI — BRUNO"})
    with open_store(store_location, user="ana") as store:
        with pytest.raises(EditConflict) as refused:
            _ws(store).lieux.revert(before, edited)
        message = str(refused.value)
        assert "bruno" in message and "decor" in message and "QUAI — BRUNO" in message
        assert "nothing was undone" in message
        assert store.get_lieu(before.id).decor == "QUAI — BRUNO"  # never overwritten


def test_undo_without_the_edited_lieu_refuses_when_saved_since(store_location: str) -> None:
    with open_store(store_location, user="ana") as store:
        ws = _ws(store)
        before = _lieu(ws)
        edited = ws.lieux.edit(before.id, {"decor": "QUAI — EXT. JOUR"})
        # `before` carrying the version the edit saved (the move's undo does so): fine
        assert ws.lieux.revert(replace(before, version=edited.version)).decor == before.decor
        ws.lieux.edit(before.id, {"notes": "saved again"})
        with pytest.raises(EditConflict, match="cannot be undone safely"):
            ws.lieux.revert(replace(before, version=edited.version))


# -- 3. a group the lieu did not have --------------------------------------------------------------
def test_two_writers_fill_different_logistics_of_a_lieu_that_had_none(
    store_location: str,
) -> None:
    with open_store(store_location, user="ana") as store:
        read = store.add_lieu(Lieu(name="Quai"))
        store.update_lieu(replace(read, logistics=Logistics(power="groupe 60 kVA")))
    with open_store(store_location, user="bruno") as other:
        merged = other.update_lieu(replace(read, logistics=Logistics(water="borne")))
        assert (merged.logistics.power, merged.logistics.water) == ("groupe 60 kVA", "borne")
        with pytest.raises(EditConflict, match="logistics.power"):
            other.update_lieu(replace(read, logistics=Logistics(power="aucun")))


# -- 4. the bulk saves ---------------------------------------------------------------------
def test_bulk_saves_merge_each_and_are_all_or_nothing(store_location: str) -> None:
    with open_store(store_location, user="ana") as store:
        a, b, c = (store.add_lieu(Lieu(name=n, decor="D")) for n in ("A", "B", "C"))
        store.update_lieu(replace(b, notes="by someone"))  # b read before this save
        saved = store.update_lieux(
            [replace(a, decor="A2"), replace(b, decor="B2"), replace(c, decor="C2")]
        )
        assert [(x.decor, x.version) for x in saved] == [("A2", 1), ("B2", 2), ("C2", 1)]
        assert saved[1].notes == "by someone" and store.get_lieu(b.id) == saved[1]
        # one of them conflicts: none is saved
        with pytest.raises(EditConflict, match="decor"):
            store.update_lieux([replace(saved[0], decor="A3"), replace(b, decor="B3")])
        assert store.get_lieu(a.id).decor == "A2" and store.get_lieu(a.id).version == 1
        with pytest.raises(NotFound):
            store.update_lieux([replace(saved[0], decor="A4"), replace(a, id=9999)])
        assert store.get_lieu(a.id).decor == "A2"
        assert store.update_lieux([]) == []

        permit = store.add_permit(Permit(lieu_id=a.id, type="voirie"))
        [one] = store.update_permits([replace(permit, notes="mairie du 10e")])
        assert one.version == 1 and store.get_permit(permit.id).notes == "mairie du 10e"


# -- undo in the app -------------------------------------------------------------------------
async def test_edit_then_z_brings_back_the_old_values(db_path: Path) -> None:
    with open_store(db_path) as store:
        lieu = _lieu(_workspace(db_path, store), notes="péniche")
    async with running(db_path, size=(80, 24)) as (app, pilot, store):
        app.screen.query_one(LieuTable).move_to(lieu.id)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, LieuForm)
        app.screen.query_one("#input-decor").value = "QUAI — EXT. JOUR"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _group_done(pilot, "save")
        assert store.get_lieu(lieu.id).decor == "QUAI — EXT. JOUR"
        await pilot.press("z")
        await _group_done(pilot, "save")
        back = store.get_lieu(lieu.id)
        assert (back.decor, back.notes) == ("QUAI — EXT. NUIT", "péniche")
        assert back.version == lieu.version + 2
        texts = [str(n.message) for n in app._notifications]
        assert any("Undone" in t for t in texts), texts


# -- sync through the bulk save ------------------------------------------------------------------
@pytest.mark.parametrize("same_field", [False, True])
def test_a_colleague_saving_during_the_sync_is_merged_not_lost(
    store_location: str, tmp_path: Path, same_field: bool
) -> None:
    """The bulk save finds a record saved meanwhile on the same field: it saves nothing,
    and each record is then pushed on its own, merged again (a conflict listed)."""
    from scout.services.sync import checkout, sync
    from scout.store.tinydb_store import open_store as open_file

    with open_store(store_location, user="régie") as team:
        production = team.add_production(Production("Nuit", created_at="2026-11-01"))
        ws = _ws(team)
        ids = [ws.lieux.add({"name": n}, production_id=production.id).id for n in "ABC"]
        checkout(team, production.id, tmp_path / "field.db", CLOCK, "ana")
    with open_file(
        tmp_path / "field.db",
    ) as local:
        for lieu in local.query_lieux():
            local.update_lieu(replace(lieu, decor=f"{lieu.name} — EXT. NUIT"))
    with open_store(store_location, user="ana") as team, open_file(tmp_path / "field.db") as local:
        bulk = team.update_lieux

        def colleague_first(lieux: list[Lieu]) -> list[Lieu]:
            team.update_lieux = bulk  # once
            change = {"decor": "B — BRUNO"} if same_field else {"notes": "groupe électrogène"}
            if store_location.startswith("postgresql://"):
                with open_store(store_location, user="bruno") as bruno:
                    bruno.update_lieu(replace(bruno.get_lieu(ids[1]), **change))
            else:  # a file has one writer: the save comes from this process
                team.update_lieu(replace(team.get_lieu(ids[1]), **change))
            return bulk(lieux)

        team.update_lieux = colleague_first
        report = sync(team, local, CLOCK, "ana")
        assert team.update_lieux is bulk  # the bulk save was used
        stored = {x.id: x for x in team.query_lieux()}
    assert stored[ids[0]].decor == "A — EXT. NUIT" and stored[ids[2]].decor == "C — EXT. NUIT"
    if same_field:
        assert stored[ids[1]].decor == "B — BRUNO"  # the team's value stays…
        [conflict] = report.conflicts  # …and the field waits for a decision
        assert (conflict.field, conflict.local, conflict.team) == (
            "decor",
            "B — EXT. NUIT",
            "B — BRUNO",
        )
    else:
        assert (stored[ids[1]].decor, stored[ids[1]].notes) == (
            "B — EXT. NUIT",
            "groupe électrogène",
        )
        assert not report.conflicts and report.pushed == 3


@pytest.mark.lang("fr")
def test_the_undo_refusal_speaks_french(db_path: Path) -> None:
    with open_store(db_path, user="ana") as store:
        ws = _ws(store)
        before = _lieu(ws)
        edited = ws.lieux.edit(before.id, {"decor": "QUAI — EXT. JOUR"})
        ws.lieux.edit(before.id, {"decor": "QUAI — BRUNO"})
        with pytest.raises(EditConflict) as refused:
            ws.lieux.revert(before, edited)
        assert "Annulation impossible sur «\u00a0Quai de Jemmapes\u00a0»" in str(refused.value)
        assert "rien n'a été annulé" in str(refused.value)
        with pytest.raises(EditConflict, match="ne peut pas être annulée sans risque"):
            ws.lieux.revert(replace(before, version=edited.version))


def test_a_form_saved_late_merges_with_what_a_colleague_saved_meanwhile(
    store_location: str,
) -> None:
    """The form sends its whole fiche: saved as read when it opened, a colleague's change
    to another field stays, and the same field is refused, not overwritten."""
    from scout.domain.fiche import FicheEntry
    from scout.domain.lieu import PositionSource

    with open_store(store_location, user="ana") as store:
        ws = _ws(store)
        read = _lieu(ws, notes="péniche")  # the form opens on this
    with open_store(store_location, user="bruno") as colleague:
        _ws(colleague).lieux.edit(read.id, {"notes": "écluse fermée le lundi"})
    whole = {"name": read.name, "decor": "QUAI — EXT. JOUR", "notes": "péniche"}
    with open_store(store_location, user="ana") as store:
        ws = _ws(store)
        saved = ws.lieux.edit(read.id, FicheEntry(whole, PositionSource.TYPED), read=read)
        assert (saved.decor, saved.notes) == ("QUAI — EXT. JOUR", "écluse fermée le lundi")
        # the same field: refused, theirs kept
        late = {**whole, "decor": "QUAI — INT."}
        with pytest.raises(EditConflict, match="decor"):
            ws.lieux.edit(read.id, FicheEntry(late, PositionSource.TYPED), read=read)
        assert store.get_lieu(read.id).decor == "QUAI — EXT. JOUR"
        # saving again from what the save returned: no conflict with oneself
        again = ws.lieux.edit(read.id, FicheEntry(late, PositionSource.TYPED), read=saved)
        assert again.decor == "QUAI — INT."


def test_a_permit_form_saved_late_merges_with_a_colleagues_save(store_location: str) -> None:
    with open_store(store_location, user="ana") as store:
        ws = _ws(store)
        lieu = _lieu(ws)
        read = store.add_permit(Permit(lieu_id=lieu.id, type="voirie", notes="à déposer"))
    with open_store(store_location, user="bruno") as colleague:
        _ws(colleague).permits.update(read.id, {"reference": "DVD-2026-118"})
    whole = {"reference": "", "notes": "déposé lundi", "contact": ""}  # the form's fields
    with open_store(store_location, user="ana") as store:
        ws = _ws(store)
        saved = ws.permits.save(lieu.id, "voirie", whole, permit_id=read.id, read=read)
        assert (saved.reference, saved.notes) == ("DVD-2026-118", "déposé lundi")
        again = ws.permits.save(
            lieu.id, "voirie", {**whole, "notes": "reçu"}, permit_id=read.id, read=saved
        )
        assert again.notes == "reçu" and again.version == saved.version + 1
        with pytest.raises(EditConflict, match="notes"):
            ws.permits.save(
                lieu.id, "voirie", {**whole, "notes": "autre"}, permit_id=read.id, read=read
            )
