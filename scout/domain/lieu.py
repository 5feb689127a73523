"""A lieu: a real place that was scouted as a candidate for one décor."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, time
from decimal import Decimal
from enum import StrEnum
from functools import cache
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
from scout.i18n import N_, _, current_language, pgettext


def typed_word(text: str) -> str:
    """A word as typed, for comparing: folded (no accents, lower case), with « - », « _ »
    and « / » read as spaces: « INT/EXT », « int_ext » and « Int-Ext » are one word."""
    return " ".join(fold(text).replace("-", " ").replace("_", " ").replace("/", " ").split())


class _LabelledEnum(StrEnum):
    """An enum whose members have a label in the language of the run (`label`, read when
    shown: each enum's `_labels()` says them with pgettext, so the catalogs see them).
    `parse` accepts, whatever the language of the run, the stored value, the label and the
    words given with each member: the French and the English words people type."""

    _words: frozenset[str]

    def __new__(cls, value: str, *words: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._words = frozenset(typed_word(w) for w in (value, *words))
        return member

    @classmethod
    def _labels(cls) -> dict[str, str]:
        """{value: label} in the language of the run; each enum says its own."""
        return {m.value: m.value for m in cls}

    @property
    def label(self) -> str:
        return _labels_in(type(self), current_language())[self.value]

    @classmethod
    def of(cls, value: str) -> Self:
        """The member stored as `value` (ValueError if there is none)."""
        return cls(value)

    @classmethod
    def parse(cls, text: str, field_name: str) -> Self:
        wanted = typed_word(text)
        for member in cls:
            if wanted in member._words or wanted == typed_word(member.label):
                return member
        raise ValidationError(
            field_name,
            _("{value!r} is not one of: {choices}").format(
                value=text, choices=", ".join(m.label for m in cls)
            ),
        )


@cache
def _labels_in(kind: type[_LabelledEnum], language: str) -> dict[str, str]:
    """An enum's labels in one language, kept: tables of thousands of rows show them."""
    return kind._labels()


class ScoutingStatus(_LabelledEnum):
    TO_SCOUT = ("to_scout", "to scout", "à repérer")
    SCOUTED = ("scouted", "repéré", "repérée")
    OPTION = ("option", "en option")
    VALIDATED = ("validated", "validé", "validée")
    REJECTED = ("rejected", "écarté", "écartée", "rejeté", "rejetée")

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "to_scout": pgettext("scouting status", "To scout"),
            "scouted": pgettext("scouting status", "Scouted"),
            "option": pgettext("scouting status", "Option"),
            "validated": pgettext("scouting status", "Validated"),
            "rejected": pgettext("scouting status", "Rejected"),
        }


class Setting(_LabelledEnum):
    """INT and EXT are the screenplay's words, in French and in English alike."""

    INT = ("int", "interior", "intérieur", "inside", "dedans")
    EXT = ("ext", "exterior", "extérieur", "outside", "dehors")
    INT_EXT = ("int_ext", "both", "les deux", "int ext", "ext int")

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"int": "INT", "ext": "EXT", "int_ext": "INT/EXT"}


class PositionSource(_LabelledEnum):
    TYPED = ("typed", "typed by hand", "saisie", "saisie à la main")
    GEOCODED = ("geocoded", "géocodée")
    PHOTO_EXIF = ("photo_exif", "photo EXIF", "EXIF photo", "EXIF")
    IMPORTED = ("imported", "importée")

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "typed": pgettext("position source", "typed by hand"),
            "geocoded": pgettext("position source", "geocoded"),
            "photo_exif": pgettext("position source", "photo EXIF"),
            "imported": pgettext("position source", "imported"),
        }


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
            errors.append(ValidationError(_("contact's name"), _("is empty")))
        clean_phone = clean_email = ""
        try:
            clean_phone = parse_phone(phone, _("contact's phone")) if phone.strip() else ""
        except ValidationError as e:
            errors.append(e)
        try:
            clean_email = parse_email(email, _("contact's e-mail")) if email.strip() else ""
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

# The words people type for each site kind, French and English (the label in the run's
# language is accepted too): whatever the language of the run.
_SITE_WORDS = {
    "street": ("rue", "street", "road", "avenue", "boulevard", "place", "square"),
    "bridge": ("pont", "bridge", "passerelle", "footbridge"),
    "park": ("parc", "park", "jardin", "garden", "bois"),
    "quay": ("quai", "quay", "quais", "berges", "banks"),
    "canal": ("canal", "canals", "canaux"),
    "seine": ("seine", "la seine", "the seine", "river", "fleuve"),
    "monument": ("monument", "monument national", "national monument"),
    "city_building": (
        "city building",
        "city_building",
        "batiment municipal",
        "batiment de la ville",
        "municipal building",
    ),
    "sports": ("sport", "sports", "stade", "stadium", "equipement sportif", "sports venue"),
    "sncf": ("sncf", "gare", "train station"),
    "ratp": ("ratp", "metro", "underground", "subway"),
    "church": ("eglise", "church", "chapelle", "chapel"),
    "private": ("prive", "privee", "private", "lieu prive", "private place"),
}
SITE_WORDS = {typed_word(w): kind for kind, words in _SITE_WORDS.items() for w in words}


def site_kind_labels() -> dict[str, str]:
    """{site kind: its name in the language of the run}, in the order of SITE_KINDS."""
    return {
        "street": pgettext("site kind", "street"),
        "bridge": pgettext("site kind", "bridge"),
        "park": pgettext("site kind", "park"),
        "quay": pgettext("site kind", "quay"),
        "canal": pgettext("site kind", "canal"),
        "seine": pgettext("site kind", "the Seine"),
        "monument": pgettext("site kind", "monument"),
        "city_building": pgettext("site kind", "city building"),
        "sports": pgettext("site kind", "sports venue"),
        "sncf": "SNCF",
        "ratp": "RATP",
        "church": pgettext("site kind", "church"),
        "private": pgettext("site kind", "private place"),
    }


def site_kind_label(kind: str) -> str:
    """« city_building » → « bâtiment municipal » | « city building »; an unknown code as
    it is."""
    return site_kind_labels().get(kind, kind)


def parse_site_kind(text: str, field_name: str = "site_kind") -> str:
    """A site kind as typed, in French or in English (« rue », « street », « église »…)
    → its code; "" for none."""
    wanted = typed_word(text)
    if not wanted:
        return ""
    if wanted in SITE_WORDS:
        return SITE_WORDS[wanted]
    labels = site_kind_labels()
    for kind, label in labels.items():
        if wanted == typed_word(label):
            return kind
    raise ValidationError(
        field_name,
        _("{value!r} is not one of: {choices}").format(
            value=text, choices=", ".join(labels.values())
        ),
    )


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
    by: str = ""  # who saved it (`user` in config.toml), stamped by the store


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
    version: int = 0  # the store's count of saves: a save from an older one is merged

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationError("name", _("is empty"))

    def next_shoot_day(self, today: date) -> ShootDay | None:
        upcoming = [d for d in self.shoot_days if d.day >= today]
        return min(upcoming, key=lambda d: d.day) if upcoming else None

    def with_changes(self, **changes: Any) -> Lieu:
        return replace(self, **changes)


_SHOOT_DAY, _POSTCODE = N_("shoot day"), N_("postcode")


def parse_shoot_day(text: str, field_name: str | None = None) -> ShootDay:
    """'2026-12-03' or '2026-12-03 07:30-19:00' (or '03/12/2026 7h30-19h')."""
    field_name = field_name or _(_SHOOT_DAY)
    parts = text.strip().split()
    if not parts:
        raise ValidationError(field_name, _("is empty"))
    day = parse_date(parts[0], field_name)
    call = wrap = None
    if len(parts) > 1:
        hours = parts[1].split("-")
        if len(hours) != 2:
            raise ValidationError(
                field_name, _("{value!r} is not HH:MM-HH:MM").format(value=parts[1])
            )
        call = _hour(hours[0], field_name, N_("call time"))
        wrap = _hour(hours[1], field_name, N_("wrap time"))
    note = " ".join(parts[2:])
    return ShootDay(day, call, wrap, note)


def _hour(text: str, field_name: str, which: str) -> time:
    """The call or the wrap time: a mistake names which one, in the message."""
    try:
        return parse_time(text, field_name)
    except ValidationError as e:
        # i18n: « call time » or « wrap time », then what is wrong with it
        message = _("{part}: {message}").format(part=_(which), message=e.message)
        raise ValidationError(field_name, message) from None


def parse_postcode(text: str, field_name: str | None = None) -> str:
    field_name = field_name or _(_POSTCODE)
    cleaned = text.strip()
    if cleaned and not (len(cleaned) == 5 and cleaned.isdigit()):
        raise ValidationError(
            field_name, _("{value!r} is not a 5-digit postcode").format(value=text)
        )
    if cleaned.startswith("750") and not 1 <= int(cleaned[3:]) <= 20:
        raise ValidationError(
            field_name,
            _("{value} is not a Paris postcode (75001 to 75020, or 75116)").format(value=cleaned),
        )
    return cleaned
