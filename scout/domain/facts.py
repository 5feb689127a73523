"""The few facts the permit rules look at, for a lieu and for a permit.

Light tuples read straight from stored documents by the store, so that a whole
production (thousands of lieux) is checked in a fraction of a second.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class LieuFacts(NamedTuple):
    id: int
    name: str
    arrondissement: int | None
    zone: str | None  # "sous_tension", "standard" or None outside Paris
    tech_vehicle_cap: int | None
    site: str
    public_space: bool
    crew: int | None
    vehicles: int | None
    parking: bool
    night: bool
    drone: bool
    traffic_control: bool
    loges: bool
    shoot_days: tuple[date, ...]
    address: str = ""

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
    implies (outside means the street)."""
    return site_kind or ("street" if setting not in (None, "int") else "private")
