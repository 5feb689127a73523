"""The few facts the permit rules look at, for a lieu and for a permit.

Light tuples read straight from stored documents by the store, so that a whole
production (thousands of lieux) is checked in a fraction of a second.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from scout.domain.lieu import night_between


class LieuFacts(NamedTuple):
    id: int
    name: str
    arrondissement: int | None
    zone: str | None  # "sous_tension", "standard" or None outside Paris
    tech_vehicle_cap: int | None
    # None wherever the scout has not said yet: unknown is not "no".
    site: str  # "" when neither the site kind nor INT/EXT is known
    public_space: bool | None
    crew: int | None
    vehicles: int | None
    parking: bool | None
    # (call, wrap) "HH:MM" of each shoot day, None where not given: whether it is a night
    # shoot depends on the rules' limit (data), so the rules decide, not the store.
    hours: tuple[tuple[str | None, str | None], ...]
    drone: bool | None
    traffic_control: bool | None
    loges: bool | None
    shoot_days: tuple[date, ...]
    address: str = ""
    located: bool = True  # a position or a postcode: the zone is known
    interior: bool | None = None  # INT or INT/EXT: a building interior is involved
    generator: bool | None = None
    production_id: int | None = None

    def night(self, after: str) -> bool | None:
        """Shooting after `after` (or past midnight) on some day; None when a day's
        hours are not given and no other day settles it, or there is no day yet."""
        if not self.hours:
            return None
        unknown = False
        for call, wrap in self.hours:
            if night_between(call, wrap, after):
                return True
            unknown = unknown or not wrap
        return None if unknown else False

    @property
    def first_shoot_day(self) -> date | None:
        return self.shoot_days[0] if self.shoot_days else None


class PermitFacts(NamedTuple):
    id: int
    lieu_id: int
    type: str
    status: str
    shoot_days: tuple[date, ...]
    deadline_override: date | None
    valid_from: date | None
    valid_to: date | None


def site_of(site_kind: str | None, setting: str | None) -> str:
    """The kind of site the rules see: the one the scout gave, else what the setting
    implies (outside means the street, inside a private place); "" when neither is
    known."""
    if site_kind:
        return site_kind
    if not setting:
        return ""
    return "private" if setting == "int" else "street"
