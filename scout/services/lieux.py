"""What a user can do with lieux, shared by the CLI and the TUI.

The services check input with the fiche, compute what is never typed (arrondissement,
boundary marks, timestamps, history) and save through the repository, each action in
one transaction: it is saved whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields, replace
from functools import wraps
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from scout.domain import Change, Lieu, Photo, Production
from scout.domain.bin import Binned
from scout.domain.fiche import FicheEntry, apply_fiche, parse_fiche
from scout.domain.lieu import PositionSource
from scout.domain.merge import merge_fields
from scout.domain.permit import Permit
from scout.domain.production import shown_in
from scout.errors import EditConflict, ValidationError
from scout.i18n import _
from scout.store.documents import lieu_from_dict, lieu_to_dict
from scout.store.repository import LieuRow
from scout.store.versioning import field_conflict

if TYPE_CHECKING:
    from scout.geo.lookup import Location
    from scout.services.workspace import Workspace

Locator = Callable[[float, float, "str | None"], "Location"]
P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="Service")

# Fields whose change the history records, and fields it leaves out (computed ones).
_NOT_IN_HISTORY = {"id", "created_at", "updated_at", "history", "geocode_pending"}


class Service:
    """A service of the workspace: its store, clock and lock are the workspace's."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace
        self.store = workspace.store
        self.clock = workspace.clock
        self.lock = workspace.lock


def serialised(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """TinyDB is not thread-safe: the UI thread and the workers take turns."""

    @wraps(method)
    def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.lock:
            return method(self, *args, **kwargs)

    return run


def default_locator(lat: float, lon: float, postcode: str | None = None) -> Location:
    from scout.geo import locate

    return locate(lat, lon, postcode)


def _checked(fiche: Mapping[str, Any] | FicheEntry, source: PositionSource) -> FicheEntry:
    """Text from the command line is parsed here; the form hands back checked values."""
    if isinstance(fiche, FicheEntry):
        return fiche
    return FicheEntry(parse_fiche(fiche), source)


class LieuService(Service):
    def __init__(self, workspace: Workspace, locator: Locator | None = default_locator) -> None:
        super().__init__(workspace)
        self.locator = locator

    # -- reading ---------------------------------------------------------------------
    @serialised
    def get(self, lieu_id: int) -> Lieu:
        return self.store.get_lieu(lieu_id)

    @serialised
    def rows(self) -> list[LieuRow]:
        """The current production's lieux (and any of no production: none is lost)."""
        rows = self.store.lieu_rows(self.clock.today().isoformat())
        current = self.ws.productions.current_id()
        return [r for r in rows if shown_in(current, r.production_id)]

    @serialised
    def first_rows(self, n: int) -> list[LieuRow]:
        """The first `n` of `rows` in the order of a scouting file (décor, then name),
        read without making every row: the list's first screenful, drawn before the rest
        (none from a server's database: there every row comes at once, in a worker)."""
        today = self.clock.today().isoformat()
        return self.store.first_lieu_rows(n, today, self.ws.productions.current_id())

    def in_current(self, lieu: LieuRow | Lieu) -> bool:
        """Whether `rows` shows this lieu (it is of the current production): what the
        exports and the lists keep."""
        return shown_in(self.ws.productions.current_id(), lieu.production_id)

    @serialised
    def all_rows(self) -> list[LieuRow]:
        """Every production's lieux (the ★ rule, the geocoding queue)."""
        return self.store.lieu_rows(self.clock.today().isoformat())

    @serialised
    def row(self, lieu_id: int) -> LieuRow:
        return self.store.lieu_row(lieu_id, self.clock.today().isoformat())

    def rows_of_decor(self, decor: str, production_id: int | None) -> list[LieuRow]:
        return [r for r in self.all_rows() if r.decor == decor and r.production_id == production_id]

    @serialised
    def search_texts(self) -> dict[int, str]:
        """Every lieu's searchable words, folded (for the filter: read once, on first use)."""
        return self.store.search_texts()

    @serialised
    def search_text(self, lieu_id: int) -> str:
        return self.store.search_text(lieu_id)

    @serialised
    def revert(self, before: Lieu, edited: Lieu | None = None) -> Lieu:
        """Undo an edit: the fields that edit changed get back their values of `before`,
        saved as a new version over the current one (the change itself stays in the
        history; what others saved since on other fields stays). `edited` is the lieu as
        the edit saved it (without it: `before.version` is the version the edit saved).
        A field a colleague changed again since is not taken back: EditConflict names it,
        and nothing is undone."""
        assert before.id is not None
        current = self.store.get_lieu(before.id)
        if edited is None:
            if current.version != before.version:
                raise EditConflict(
                    _(
                        "“{name}” was saved again since (version {version}): the edit "
                        "cannot be undone safely; nothing was changed. Edit it instead."
                    ).format(name=current.name, version=current.version)
                )
            edited = current
        now = self.clock.stamp()
        after = revert_fields(before, edited, current)
        changes = _changes(current, after, now)
        if not changes:
            return current
        after = replace(after, updated_at=now, history=current.history + tuple(changes))
        with self.store.transaction():
            after = self.store.update_lieu(after)  # read at the current version
        return after

    @serialised
    def retained_rivals(
        self, decor: str, production_id: int | None, exclude: int | None = None
    ) -> list[Lieu]:
        """The lieux retained for this décor of the production now: retaining another
        one takes their ★ (read them before the save, to say which). No production: the
        current one (where a new lieu goes)."""
        if not decor:
            return []
        if production_id is None:
            production_id = self.ws.productions.current_id()
        return [
            self.store.get_lieu(r.id)
            for r in self.rows_of_decor(decor, production_id)
            if r.retained and r.id != exclude
        ]

    @serialised
    def count(self) -> int:
        """How many lieux the current production holds (as `rows` counts them)."""
        counts = self.ws.productions.counts()
        current = self.ws.productions.current_id()
        if current is None:
            return sum(counts.values())
        return counts.get(current, 0) + counts.get(None, 0)

    # -- writing ---------------------------------------------------------------------
    @serialised
    def add(
        self,
        fiche: Mapping[str, Any] | FicheEntry,
        *,
        production_id: int | None = None,
        source: PositionSource = PositionSource.TYPED,
    ) -> Lieu:
        entry = _checked(fiche, source)
        values = entry.values
        if "name" not in values:
            raise ValidationError("name", _("is required"))
        now = self.clock.stamp()
        lieu = apply_fiche(Lieu(name=values["name"]), values, entry.source)
        lieu = replace(self._situated(lieu), created_at=now, updated_at=now)
        with self.store.transaction():
            if production_id is None:  # every lieu belongs to one: the current production
                production_id = self.ws.productions.ensure_current()
            saved = self.store.add_lieu(replace(lieu, production_id=production_id))
            if saved.retained:
                self._unretain_others(saved, now)
        return saved

    @serialised
    def edit(
        self,
        lieu_id: int,
        fiche: Mapping[str, Any] | FicheEntry,
        source: PositionSource = PositionSource.TYPED,
        *,
        read: Lieu | None = None,
    ) -> Lieu:
        """Save the fiche's values over the lieu. `read`: the lieu as the form showed it
        (a whole fiche typed over it): saved as read at its version, so what others saved
        since is merged field by field, or refused when they changed the same field,
        never overwritten with the form's older values. Without it: the lieu as stored
        now (the command line, which gives only the fields it changes)."""
        entry = _checked(fiche, source)
        before = self.store.get_lieu(lieu_id) if read is None or read.id != lieu_id else read
        after = apply_fiche(before, entry.values, entry.source)
        if (after.position, after.postcode, after.address) != (
            before.position,
            before.postcode,
            before.address,
        ):
            after = self._situated(after)
        now = self.clock.stamp()
        changes = _changes(before, after, now)
        if not changes:
            return before if read is None else self.store.get_lieu(lieu_id)
        after = replace(after, updated_at=now, history=before.history + tuple(changes))
        with self.store.transaction():
            after = self.store.update_lieu(after)  # with its new version (merged if need be)
            if after.retained and not before.retained:
                self._unretain_others(after, now)
        return after

    @serialised
    def dependents(self, lieu_id: int) -> tuple[list[Permit], list[Photo]]:
        """What goes with a lieu when it is deleted: its permits and its pictures."""
        self.store.get_lieu(lieu_id)
        return self.store.permits(lieu_id), self.store.photos(lieu_id)

    @serialised
    def remove(self, lieu_id: int) -> Binned:
        """Delete a lieu with its permits and its pictures' links: to the bin, from which
        `restore` brings it back whole."""
        return self.store.bin_lieu(lieu_id, self.clock.stamp())

    @serialised
    def binned(self) -> list[Binned]:
        return self.store.binned()

    @serialised
    def restore(self, lieu_id: int) -> Lieu:
        return self.store.restore_lieu(lieu_id)

    @serialised
    def pending_geocoding(self) -> list[Lieu]:
        # Found through the light rows: building 20,000 lieux to find three is not free.
        return [self.store.get_lieu(r.id) for r in self.all_rows() if r.geocode_pending]

    @serialised
    def apply_geocoding(
        self, lieu_id: int, seen: str, lat: float, lon: float, postcode: str
    ) -> Lieu | None:
        """Place a lieu from a geocoder's answer, unless it was edited while the answer
        was on its way (a late answer never overwrites the scout's own change). `seen` is
        `version(lieu)` when the question was asked."""
        lieu = self.store.get_lieu(lieu_id)
        if version(lieu) != seen or lieu.position is not None:
            return None
        raw: dict[str, Any] = {"lat": lat, "lon": lon}
        if postcode and not lieu.postcode:
            raw["postcode"] = postcode
        return self.edit(lieu_id, raw, PositionSource.GEOCODED)

    @serialised
    def productions(self) -> list[Production]:
        return self.store.list_productions()

    @serialised
    def add_production(self, name: str, /, **extra: Any) -> Production:
        self.ws.productions.current_id()  # the current one stays current (settled first)
        return self.store.add_production(
            Production(name=name, created_at=self.clock.stamp(), **extra)
        )

    # -- computed fields -------------------------------------------------------------
    def _situated(self, lieu: Lieu) -> Lieu:
        """Arrondissement and marks from the position (or, lacking one, the postcode);
        an address without a position waits in the queue "to geocode"."""
        lieu = replace(lieu, geocode_pending=lieu.position is None and bool(lieu.address))
        if lieu.position is not None and self.locator is not None:
            where = self.locator(lieu.position.lat, lieu.position.lon, lieu.postcode or None)
            arr = where.arrondissement.number if where.arrondissement else None
            return replace(
                lieu,
                arrondissement=arr,
                on_boundary=where.on_boundary,
                approximate_zone=where.approximate_zone,
                zone=where.zone.id if where.zone else None,
            )
        from scout.geo.lookup import postcode_arrondissement, zone_of_arrondissement

        arr = postcode_arrondissement(lieu.postcode)
        return replace(
            lieu,
            arrondissement=arr,
            on_boundary=False,
            approximate_zone=False,
            zone=zone_of_arrondissement(arr),
        )

    def _unretain_others(self, retained: Lieu, now: str) -> None:
        """One lieu is retained per décor of a production."""
        if not retained.decor:
            return
        for other in self.store.query_lieux(
            lambda x: (
                x.retained is True
                and x.id != retained.id
                and x.decor == retained.decor
                and x.production_id == retained.production_id
            )
        ):
            note = Change(now, "retained", True, False)
            self.store.update_lieu(
                replace(other, retained=False, updated_at=now, history=other.history + (note,))
            )


def revert_fields(before: Lieu, edited: Lieu, current: Lieu) -> Lieu:
    """`current` with the fields the edit `before` → `edited` changed back to their
    values of `before` (its version: the current one). EditConflict when someone changed
    one of them again since the edit: their value is never overwritten silently."""
    base, theirs = lieu_to_dict(edited), lieu_to_dict(current)
    mine = lieu_to_dict(
        replace(
            before, version=edited.version, updated_at=edited.updated_at, history=edited.history
        )
    )
    result = merge_fields(base, mine, theirs)
    if result.conflicts:
        first = result.conflicts[0]
        later = current.history[len(edited.history) :]  # saved since the edit
        by = next((c.by for c in reversed(later) if c.field == first.field and c.by), "")
        by = by or _("someone")
        raise field_conflict(
            _(
                "Cannot undo on “{name}”: {by} changed “{field}” to {theirs} after your "
                "edit; nothing was undone. Edit it by hand if your value {mine} should "
                "come back."
            ),
            first,
            by,
            name=current.name,
        )
    merged = {k: v for k, v in result.merged.items() if v != {}}
    return replace(lieu_from_dict(merged, current.id), version=current.version)


def version(lieu: Lieu) -> str:
    """Changes whenever the lieu is edited (every edit adds to its history)."""
    return f"{lieu.updated_at}#{len(lieu.history)}"


def _changes(before: Lieu, after: Lieu, at: str) -> list[Change]:
    out = []
    for f in fields(Lieu):
        name = f.name
        if name in _NOT_IN_HISTORY:
            continue
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        if name in ("accessibility", "logistics", "needs"):
            for sub in fields(old):
                o, n = getattr(old, sub.name), getattr(new, sub.name)
                if o != n:
                    out.append(Change(at, f"{name}.{sub.name}", _plain(o), _plain(n)))
        else:
            out.append(Change(at, name, _plain(old), _plain(new)))
    return out


def _plain(value: Any) -> Any:
    """A JSON-ready, readable form of a value for the history."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "value") and hasattr(value, "label"):  # an enum of ours
        return value.value
    if hasattr(value, "lat") and hasattr(value, "lon"):
        return f"{value.lat:.6f},{value.lon:.6f}"
    if isinstance(value, tuple):
        return [_plain(v) if not hasattr(v, "__dataclass_fields__") else _brief(v) for v in value]
    return str(value)


def _brief(value: Any) -> str:
    if hasattr(value, "day"):
        return str(value.day.isoformat())
    if hasattr(value, "name"):
        return str(value.name)
    return str(value)
