"""A lieu: a real place that was scouted as a candidate for one décor."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, time
from decimal import Decimal
from enum import StrEnum
from typing import Any, Self

from scout.domain.values import (
    fold,
    parse_date,
    parse_email,
    parse_latitude,
    parse_longitude,
    parse_phone,
    parse_time,
)
from scout.errors import ValidationError, ValidationErrors


class _LabelledEnum(StrEnum):
    """An enum with a French label; parses its value, its label or its English name."""

    label: str

    def __new__(cls, value: str, label: str, english: str = "") -> _LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member._english = english or value.replace("_", " ")  # type: ignore[attr-defined]
        return member

    @classmethod
    def of(cls, value: str) -> Self:
        """The member stored as `value` (ValueError if there is none)."""
        return cls(value)  # type: ignore[call-arg]  # a lookup by value, not a new member

    @classmethod
    def parse(cls, text: str, field_name: str) -> Self:
        wanted = fold(text).replace("-", " ").replace("_", " ")
        for member in cls:
            names = {member.value, member.label, member._english}  # type: ignore[attr-defined]
            if wanted in {fold(n).replace("-", " ").replace("_", " ") for n in names}:
                return member
        choices = ", ".join(m.value for m in cls)
        raise ValidationError(field_name, f"{text!r} is not one of: {choices}")


class ScoutingStatus(_LabelledEnum):
    TO_SCOUT = ("to_scout", "À repérer")
    SCOUTED = ("scouted", "Repéré")
    OPTION = ("option", "Option")
    VALIDATED = ("validated", "Validé")
    REJECTED = ("rejected", "Écarté")


class Setting(_LabelledEnum):
    INT = ("int", "INT", "interior")
    EXT = ("ext", "EXT", "exterior")
    INT_EXT = ("int_ext", "INT/EXT", "both")


class PositionSource(_LabelledEnum):
    TYPED = ("typed", "saisie", "typed by hand")
    GEOCODED = ("geocoded", "géocodée")
    PHOTO_EXIF = ("photo_exif", "EXIF photo", "photo EXIF")
    IMPORTED = ("imported", "importée")


@dataclass(frozen=True, slots=True)
class Position:
    """WGS84 degrees, with where the position came from."""

    lat: float
    lon: float
    source: PositionSource = PositionSource.TYPED

    def __post_init__(self) -> None:
        parse_latitude(self.lat)
        parse_longitude(self.lon)


@dataclass(frozen=True, slots=True)
class Contact:
    """The owner or manager of a place."""

    name: str
    role: str = ""
    phone: str = ""  # E.164
    email: str = ""

    @classmethod
    def parse(cls, name: str, role: str = "", phone: str = "", email: str = "") -> Contact:
        errors: list[ValidationError] = []
        if not name.strip():
            errors.append(ValidationError("contact name", "is empty"))
        clean_phone = clean_email = ""
        try:
            clean_phone = parse_phone(phone, "contact phone") if phone.strip() else ""
        except ValidationError as e:
            errors.append(e)
        try:
            clean_email = parse_email(email, "contact email") if email.strip() else ""
        except ValidationError as e:
            errors.append(e)
        if errors:
            raise ValidationErrors(errors)
        return cls(name.strip(), role.strip(), clean_phone, clean_email)


@dataclass(frozen=True, slots=True)
class Accessibility:
    """The PMR checklist. None means "not assessed yet", which is not "no"."""

    step_free: bool | None = None
    lift: bool | None = None
    narrowest_door_cm: int | None = None
    accessible_toilets: bool | None = None
    disabled_parking_nearby: bool | None = None
    dropoff_distance_m: int | None = None
    notes: str = ""

    CHECKS = (
        "step_free",
        "lift",
        "narrowest_door_cm",
        "accessible_toilets",
        "disabled_parking_nearby",
        "dropoff_distance_m",
    )

    def assessed(self) -> int:
        """How many of the six checks have an answer."""
        return sum(getattr(self, name) is not None for name in self.CHECKS)


@dataclass(frozen=True, slots=True)
class Logistics:
    """Crew-logistics notes, in the régie's words."""

    truck_access: str = ""
    tech_vehicle_parking: str = ""
    power: str = ""
    water: str = ""
    toilets: str = ""
    hmc_rooms: str = ""  # hair, make-up, costume
    catering_space: str = ""
    noise: str = ""


SITE_KINDS = (
    "street",
    "bridge",
    "park",
    "quay",
    "canal",
    "seine",
    "monument",
    "city_building",
    "sports",
    "sncf",
    "ratp",
    "church",
    "private",
)
PUBLIC_SITES = {"street", "bridge", "park", "quay", "canal", "seine"}


@dataclass(frozen=True, slots=True)
class ShootNeeds:
    """What the shoot brings to the place: these decide which permits it needs."""

    site_kind: str = ""  # one of SITE_KINDS; "" = a street if EXT, a private place if INT
    crew_size: int | None = None
    tech_vehicles: int | None = None  # catering excluded
    parking_spaces: int | None = None
    # None = not known yet (not "no"): the permits that depend on it stay "possible".
    loges: bool | None = None  # dressing-room vehicles
    drone: bool | None = None
    traffic_control: bool | None = None
    generator: bool | None = None  # a generator on the public road (it has its rules)


NIGHT_AFTER = "23:00"  # the limit of a prior declaration


def night_between(call: str | None, wrap: str | None, after: str = NIGHT_AFTER) -> bool:
    """The one night-shoot rule, on "HH:MM" times: a wrap after `after` (the rules' limit,
    23:00 for a prior declaration), or past midnight (a wrap earlier than the call)."""
    if not wrap:
        return False
    return bool(call and wrap < call) or wrap > after


@dataclass(frozen=True, slots=True)
class ShootDay:
    """A journée de tournage: date, call time, wrap (after midnight means the next day)."""

    day: date
    call: time | None = None
    wrap: time | None = None
    note: str = ""

    @property
    def is_night(self) -> bool:
        """Shoots after 23:00 (the limit of a prior declaration), or past midnight."""
        return night_between(
            self.call.strftime("%H:%M") if self.call else None,
            self.wrap.strftime("%H:%M") if self.wrap else None,
        )


@dataclass(frozen=True, slots=True)
class Photo:
    """A picture, referenced (never copied or changed), with what its file says."""

    path: str
    sha256: str
    id: int | None = None
    lieu_id: int | None = None  # None: not yet given to a lieu (a proposal)
    caption: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    imported_at: str = ""


@dataclass(frozen=True, slots=True)
class Change:
    """One line of a lieu's history: what changed, when, from what to what."""

    at: str
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class Lieu:
    name: str
    id: int | None = None
    production_id: int | None = None
    decor: str = ""
    sequences: tuple[str, ...] = ()
    address: str = ""
    postcode: str = ""
    position: Position | None = None
    arrondissement: int | None = None  # computed from the position, never typed
    on_boundary: bool = False  # within the tolerance of another arrondissement
    approximate_zone: bool = False  # inside or near an approximate zone
    zone: str | None = None  # filming-rule zone ("sous_tension", "standard"), computed
    geocode_pending: bool = False  # an address without a position: "to geocode"
    status: ScoutingStatus = ScoutingStatus.TO_SCOUT
    setting: Setting | None = None  # INT/EXT, unknown until the scout says it
    retained: bool | None = None  # None: not decided yet
    contacts: tuple[Contact, ...] = ()
    accessibility: Accessibility = Accessibility()
    logistics: Logistics = Logistics()
    shoot_days: tuple[ShootDay, ...] = ()
    needs: ShootNeeds = ShootNeeds()
    tags: tuple[str, ...] = ()
    cost: Decimal | None = None
    notes: str = ""
    created_at: str = ""
    updated_at: str = ""
    history: tuple[Change, ...] = ()

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationError("name", "is empty")

    def next_shoot_day(self, today: date) -> ShootDay | None:
        upcoming = [d for d in self.shoot_days if d.day >= today]
        return min(upcoming, key=lambda d: d.day) if upcoming else None

    def with_changes(self, **changes: Any) -> Lieu:
        return replace(self, **changes)


def parse_shoot_day(text: str, field_name: str = "shoot day") -> ShootDay:
    """'2026-12-03' or '2026-12-03 07:30-19:00'."""
    parts = text.strip().split()
    if not parts:
        raise ValidationError(field_name, "is empty")
    day = parse_date(parts[0], field_name)
    call = wrap = None
    if len(parts) > 1:
        hours = parts[1].split("-")
        if len(hours) != 2:
            raise ValidationError(field_name, f"{parts[1]!r} is not HH:MM-HH:MM")
        call = parse_time(hours[0], f"{field_name} call time")
        wrap = parse_time(hours[1], f"{field_name} wrap time")
    note = " ".join(parts[2:])
    return ShootDay(day, call, wrap, note)


def parse_postcode(text: str, field_name: str = "postcode") -> str:
    cleaned = text.strip()
    if cleaned and not (len(cleaned) == 5 and cleaned.isdigit()):
        raise ValidationError(field_name, f"{text!r} is not a 5-digit postcode")
    if cleaned.startswith("750") and not 1 <= int(cleaned[3:]) <= 20:
        raise ValidationError(
            field_name, f"{cleaned} is not a Paris postcode (75001 to 75020, or 75116)"
        )
    return cleaned
