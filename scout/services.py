"""What a user can do with lieux, shared by the CLI and the TUI.

The services check input with the fiche, compute what is never typed (arrondissement,
boundary marks, timestamps, history) and save through the repository, each action in
one transaction: it is saved whole or not at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import fields, replace
from functools import wraps
from typing import Any

from scout.clock import Clock
from scout.domain import Change, Lieu, Production
from scout.domain.fiche import apply_fiche, parse_fiche
from scout.domain.lieu import PositionSource
from scout.errors import ValidationError
from scout.store.repository import LieuRow, Repository

Locator = Callable[..., Any]

# Fields whose change the history records, and fields it leaves out (computed ones).
_NOT_IN_HISTORY = {"id", "created_at", "updated_at", "history", "geocode_pending"}


def _serialised(method: Callable[..., Any]) -> Callable[..., Any]:
    """TinyDB is not thread-safe: the UI thread and the save workers take turns."""

    @wraps(method)
    def run(self: "LieuService", *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            return method(self, *args, **kwargs)

    return run


def default_locator(lat: float, lon: float, postcode: str | None = None) -> Any:
    from scout.geo import locate

    return locate(lat, lon, postcode)


class LieuService:
    def __init__(self, store: Repository, clock: Clock | None = None,
                 locator: Locator | None = default_locator) -> None:
        self.store = store
        self.clock = clock or Clock()
        self.locator = locator
        self.lock = threading.RLock()

    # -- reading ---------------------------------------------------------------------
    @_serialised
    def get(self, lieu_id: int) -> Lieu:
        return self.store.get_lieu(lieu_id)

    @_serialised
    def rows(self) -> list[LieuRow]:
        return self.store.lieu_rows(self.clock.today().isoformat())

    @_serialised
    def row(self, lieu_id: int) -> LieuRow:
        return self.store.lieu_row(lieu_id, self.clock.today().isoformat())

    def rows_of_decor(self, decor: str, production_id: int | None) -> list[LieuRow]:
        return [r for r in self.rows() if r.decor == decor and r.production_id == production_id]

    # -- writing ---------------------------------------------------------------------
    @_serialised
    def add(self, raw: dict[str, Any], *, production_id: int | None = None,
            source: PositionSource = PositionSource.TYPED) -> Lieu:
        values = parse_fiche(raw)
        if "name" not in values:
            raise ValidationError("name", "is required")
        now = self.clock.stamp()
        lieu = apply_fiche(Lieu(name=values["name"]), values, source)
        lieu = replace(self._situated(lieu), production_id=production_id,
                       created_at=now, updated_at=now)
        with self.store.transaction():
            saved = self.store.add_lieu(lieu)
            if saved.retained:
                self._unretain_others(saved, now)
        return saved

    @_serialised
    def edit(self, lieu_id: int, raw: dict[str, Any],
             source: PositionSource = PositionSource.TYPED) -> Lieu:
        values = parse_fiche(raw)
        before = self.store.get_lieu(lieu_id)
        after = apply_fiche(before, values, source)
        if (after.position, after.postcode, after.address) != \
                (before.position, before.postcode, before.address):
            after = self._situated(after)
        now = self.clock.stamp()
        changes = _changes(before, after, now)
        if not changes:
            return before
        after = replace(after, updated_at=now, history=before.history + tuple(changes))
        with self.store.transaction():
            self.store.update_lieu(after)
            if after.retained and not before.retained:
                self._unretain_others(after, now)
        return after

    @_serialised
    def remove(self, lieu_id: int) -> Lieu:
        lieu = self.store.get_lieu(lieu_id)
        self.store.delete_lieu(lieu_id)
        return lieu

    @_serialised
    def pending_geocoding(self) -> list[Lieu]:
        # Found through the light rows: building 20,000 lieux to find three is not free.
        return [self.store.get_lieu(r.id) for r in self.rows() if r.geocode_pending]

    @_serialised
    def apply_geocoding(self, lieu_id: int, seen: str, lat: float, lon: float,
                        postcode: str) -> Lieu | None:
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

    @_serialised
    def add_production(self, name: str, **extra: Any) -> Production:
        return self.store.add_production(Production(name=name, created_at=self.clock.stamp(),
                                                    **extra))

    # -- computed fields -------------------------------------------------------------
    def _situated(self, lieu: Lieu) -> Lieu:
        """Arrondissement and marks from the position (or, lacking one, the postcode);
        an address without a position waits in the queue "to geocode"."""
        lieu = replace(lieu, geocode_pending=lieu.position is None and bool(lieu.address))
        if lieu.position is not None and self.locator is not None:
            where = self.locator(lieu.position.lat, lieu.position.lon, lieu.postcode or None)
            arr = where.arrondissement.number if where.arrondissement else None
            return replace(lieu, arrondissement=arr, on_boundary=where.on_boundary,
                           approximate_zone=where.approximate_zone,
                           zone=where.zone.id if where.zone else None)
        from scout.geo.lookup import postcode_arrondissement, zone_of_arrondissement

        arr = postcode_arrondissement(lieu.postcode)
        return replace(lieu, arrondissement=arr, on_boundary=False, approximate_zone=False,
                       zone=zone_of_arrondissement(arr))

    def _unretain_others(self, retained: Lieu, now: str) -> None:
        """One lieu is retained per décor of a production."""
        if not retained.decor:
            return
        for other in self.store.query_lieux(
            lambda x: x.retained and x.id != retained.id and x.decor == retained.decor
            and x.production_id == retained.production_id
        ):
            note = Change(now, "retained", True, False)
            self.store.update_lieu(replace(other, retained=False, updated_at=now,
                                           history=other.history + (note,)))


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
        return value.day.isoformat()
    if hasattr(value, "name"):
        return value.name
    return str(value)
