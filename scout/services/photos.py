"""What a scout does with pictures, shared by the CLI and the TUI: import them, see the
places they propose, make a proposal a lieu or give its pictures to one, find moved
files again."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from scout.domain import Change, Lieu, Photo
from scout.domain.lieu import PositionSource
from scout.errors import NotFound
from scout.i18n import _
from scout.photos.importer import ImportReport, Proposal, import_photos, propose, relink
from scout.services.lieux import Service, serialised

if TYPE_CHECKING:
    from scout.services.workspace import Workspace

# The field of a lieu's history line that records a caption edited.
CAPTION_FIELD = "photo.caption"


@dataclass(frozen=True)
class Placed:
    """Where a proposal's pictures went: a new lieu, or an existing one."""

    lieu_id: int
    photos: int
    new_lieu: Lieu | None = None
    address: str = ""  # the new lieu's address, from reverse geocoding ("" when offline)


class PhotoService(Service):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)

    # -- reading ------------------------------------------------------------------------
    @serialised
    def of_lieu(self, lieu_id: int | None = None) -> list[Photo]:
        """The pictures of a lieu (checked to exist), or all of them."""
        if lieu_id is not None:
            self.store.get_lieu(lieu_id)
        return self.store.photos(lieu_id)

    @serialised
    def proposals(self) -> list[Proposal]:
        lieux = [
            (lieu.id, lieu.position.lat, lieu.position.lon)
            for lieu in self.store.query_lieux()
            if lieu.position is not None and lieu.id is not None and self.ws.lieux.in_current(lieu)
        ]
        return propose(self.store.photos(unassigned=True), lieux)

    @serialised
    def without_position(self) -> list[Photo]:
        """Pictures of no lieu that carry no GPS position: no proposal can place them; the
        scout gives them to a lieu (`give`)."""
        return [
            p
            for p in self.store.photos(unassigned=True)
            if p.metadata.get("lat") is None or p.metadata.get("lon") is None
        ]

    @serialised
    def give(self, photo_ids: list[int], lieu_id: int) -> int:
        """Give pictures (any: with or without GPS, near or far) to a lieu."""
        self.store.get_lieu(lieu_id)
        by_id = {p.id: p for p in self.store.photos()}
        missing = [i for i in photo_ids if i not in by_id]
        if missing:
            raise NotFound(_("no picture with id {id}").format(id=missing[0]))
        with self.store.transaction():
            for i in photo_ids:
                self.store.update_photo(replace(by_id[i], lieu_id=lieu_id))
        return len(photo_ids)

    def proposal(self, number: int) -> Proposal:
        for x in self.proposals():
            if x.number == number:
                return x
        raise NotFound(
            _("no proposal {number}: see `scout photos proposals`").format(number=number)
        )

    # -- writing ------------------------------------------------------------------------
    @serialised
    def import_paths(self, paths: list[Path], lieu_id: int | None = None) -> ImportReport:
        """Import pictures, given to a lieu or left to be proposed. Each picture is saved
        on its own: a bad file is skipped with its reason and never costs the others."""
        if lieu_id is not None:
            self.store.get_lieu(lieu_id)
        return import_photos(self.store, paths, lieu_id=lieu_id, stamp=self.clock.stamp())

    def accept(
        self,
        proposal: Proposal,
        name: str | None = None,
        decor: str = "",
        *,
        new: bool = False,
        address: str | None = None,
    ) -> Placed:
        """Make a proposal a new lieu at its pictures' median position, named after its
        address when the address service answers (`address`, if the caller asked it
        already); or, when it lies near a lieu and no new lieu is asked for (`new`, or a
        name), give the pictures to that lieu."""
        if proposal.lieu_id is not None and not (new or name):
            return self.attach(proposal, proposal.lieu_id)
        if address is None:
            address = self.address_of(proposal)  # outside the lock: the network is slow
        fiche = {
            "name": name or address or _scouting_name(proposal.first_taken),
            "decor": decor,
            "address": address,
            "lat": proposal.lat,
            "lon": proposal.lon,
        }
        with self.lock:
            lieu = self.ws.lieux.add(fiche, source=PositionSource.PHOTO_EXIF)
            assert lieu.id is not None
            self._give(proposal, lieu.id)
        return Placed(lieu.id, len(proposal.photos), lieu, address)

    @serialised
    def attach(self, proposal: Proposal, lieu_id: int) -> Placed:
        self.store.get_lieu(lieu_id)
        self._give(proposal, lieu_id)
        return Placed(lieu_id, len(proposal.photos))

    @serialised
    def set_caption(self, photo_id: int, caption: str) -> Photo:
        """A picture's caption, as typed (trimmed); the change goes into its lieu's
        history ("Photo caption: old → new"). The same caption again changes nothing."""
        by_id = {p.id: p for p in self.store.photos()}
        photo = by_id.get(photo_id)
        if photo is None:
            raise NotFound(_("no picture with id {id}").format(id=photo_id))
        caption = caption.strip()
        if caption == photo.caption:
            return photo
        after = replace(photo, caption=caption)
        with self.store.transaction():
            self.store.update_photo(after)
            if photo.lieu_id is not None:
                lieu = self.store.get_lieu(photo.lieu_id)
                now = self.clock.stamp()
                change = Change(now, CAPTION_FIELD, photo.caption, caption)
                lieu = self.store.update_lieu(  # (its new version)
                    replace(lieu, updated_at=now, history=lieu.history + (change,))
                )
        return after

    @serialised
    def relink(self, folder: Path) -> list[Photo]:
        return relink(self.store, folder)

    def _give(self, proposal: Proposal, lieu_id: int) -> None:
        with self.store.transaction():
            for photo in proposal.photos:
                self.store.update_photo(replace(photo, lieu_id=lieu_id))

    def address_of(self, proposal: Proposal) -> str:
        """The address nearest the pictures, or "" when the service cannot say."""
        from scout.errors import ScoutError

        try:
            found = self.ws.geocoder.reverse(proposal.lat, proposal.lon)
        except ScoutError:  # offline, unreachable, a bad setting
            return ""
        return found[0].label if found else ""


def _scouting_name(first_taken: str | None) -> str:
    """The name of a lieu made from pictures the address service could not name: the day
    of the repérage, as the language of the run writes it (a name, kept as typed)."""
    from scout.i18n import formats

    try:
        day = date.fromisoformat((first_taken or "")[:10])
    except ValueError:
        return _("Repérage")
    # i18n: the name given to a new location made from pictures taken that day
    return _("Repérage on {day}").format(day=formats.day(day))
