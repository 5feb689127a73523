"""The fiche of a lieu as a user types it: text fields in, typed changes out.

One table of fields serves the CLI options and the TUI form, so both accept the
same words and say the same thing when a value is wrong. Every field is checked
before anything is saved; all the errors are reported at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from scout.domain.lieu import (
    SITE_KINDS,
    Contact,
    Lieu,
    Logistics,
    Position,
    PositionSource,
    ScoutingStatus,
    Setting,
    parse_postcode,
    parse_shoot_day,
)
from scout.domain.values import (
    UNKNOWN_WORDS,
    check_text,
    fold,
    parse_cost,
    parse_int,
    parse_latitude,
    parse_longitude,
    parse_yes_no,
)
from scout.errors import ValidationError, ValidationErrors


def _text(value: Any, field: str) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _required_text(value: Any, field: str) -> str:
    text = _text(value, field)
    if not text:
        raise ValidationError(field, "is empty")
    return text


def _free_text(value: Any, field: str) -> str:
    return str(value).strip() if value is not None else ""


def _words(value: Any, field: str) -> tuple[str, ...]:
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    return tuple(w for w in (" ".join(str(i).split()) for i in items) if w)


def _optional_int(maximum: int) -> Callable[[Any, str], int | None]:
    def parse(value: Any, field: str) -> int | None:
        if value is None or str(value).strip() == "":
            return None
        return parse_int(value, field, maximum=maximum)

    return parse


def _optional_cost(value: Any, field: str) -> Any:
    return None if value is None or str(value).strip() == "" else parse_cost(value, field)


def _contacts(value: Any, field: str) -> tuple[Contact, ...]:
    """Each contact as 'name; role; phone; email' (role, phone and e-mail optional)."""
    items = value if isinstance(value, (list, tuple)) else [value]
    contacts = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, Contact):
            contacts.append(item)
            continue
        if not str(item).strip():
            continue
        parts = [p.strip() for p in str(item).split(";")] + ["", "", ""]
        try:
            contacts.append(Contact.parse(*parts[:4]))
        except ValidationErrors as e:
            where = f"line {number}, " if len(items) > 1 else ""
            raise ValidationError(field, f"{where}{e}") from None
    return tuple(contacts)


def _shoot_days(value: Any, field: str) -> tuple[Any, ...]:
    items = value if isinstance(value, (list, tuple)) else [value]
    days = []
    for number, item in enumerate(items, start=1):
        if not str(item).strip():
            continue
        try:
            days.append(parse_shoot_day(str(item), "shoot day"))
        except ValidationError as e:
            where = f"line {number}, " if len(items) > 1 else ""
            part = e.field.removeprefix("shoot day").strip()
            raise ValidationError(
                field, f"{where}{part + ': ' if part else ''}{e.message}"
            ) from None
    return tuple(sorted(days, key=lambda d: (d.day, d.call.isoformat() if d.call else "")))


def _setting(value: Any, field: str) -> Setting | None:
    """INT, EXT or INT/EXT; empty, '?' or 'unknown' leave it unknown."""
    if parse_yes_no_unknown(value):
        return None
    return Setting.parse(str(value), field)


def parse_yes_no_unknown(value: Any) -> bool:
    """An answer that says "not known yet"."""
    return value is None or fold(str(value)) in UNKNOWN_WORDS


def _site_kind(value: Any, field: str) -> str:
    text = fold(str(value)).replace(" ", "_")
    if text and text not in SITE_KINDS:
        raise ValidationError(field, f"{value!r} is not one of: {', '.join(SITE_KINDS)}")
    return text


FicheValues = dict[str, Any]  # typed values by field key, as parse_fiche returns them


@dataclass(frozen=True)
class FicheEntry:
    """A checked fiche, as the form hands it back: the typed values of the fields it
    holds, and where the position came from (typed, or a geocoder's candidate)."""

    values: FicheValues
    source: PositionSource = PositionSource.TYPED


@dataclass(frozen=True)
class FicheField:
    key: str  # as typed: CLI option --key with _ → -, form field id
    label: str
    parse: Callable[[Any, str], Any]
    group: str = ""  # "", "accessibility", "needs" or "logistics": where the value goes


YES_NO = parse_yes_no

FIELDS: tuple[FicheField, ...] = (
    FicheField("name", "Nom", _required_text),
    FicheField("decor", "Décor", _text),
    FicheField("sequences", "Séquences", _words),
    FicheField("address", "Adresse", _text),
    FicheField("postcode", "Code postal", lambda v, f: parse_postcode(str(v), f)),
    FicheField("lat", "Latitude", lambda v, f: parse_latitude(v, f)),
    FicheField("lon", "Longitude", lambda v, f: parse_longitude(v, f)),
    FicheField("status", "Statut", lambda v, f: ScoutingStatus.parse(str(v), f)),
    FicheField("setting", "INT/EXT", lambda v, f: _setting(v, f)),
    FicheField("retained", "Retenu", parse_yes_no),
    FicheField("shoot_days", "Jours de tournage", _shoot_days),
    FicheField("contacts", "Contacts", _contacts),
    FicheField("tags", "Tags", _words),
    FicheField("cost", "Coût (€)", _optional_cost),
    FicheField("notes", "Notes", _free_text),
    FicheField("step_free", "Accès de plain-pied", YES_NO, "accessibility"),
    FicheField("lift", "Ascenseur", YES_NO, "accessibility"),
    FicheField(
        "narrowest_door_cm", "Porte la plus étroite (cm)", _optional_int(500), "accessibility"
    ),
    FicheField("accessible_toilets", "Toilettes accessibles", YES_NO, "accessibility"),
    FicheField("disabled_parking_nearby", "Place PMR à proximité", YES_NO, "accessibility"),
    FicheField("dropoff_distance_m", "Distance dépose (m)", _optional_int(10_000), "accessibility"),
    FicheField("access_notes", "Notes PMR", _free_text, "accessibility"),
    FicheField("site_kind", "Type de site", lambda v, f: _site_kind(v, f), "needs"),
    FicheField("crew_size", "Équipe (personnes)", _optional_int(2000), "needs"),
    FicheField("tech_vehicles", "Véhicules techniques", _optional_int(200), "needs"),
    FicheField("parking_spaces", "Places de stationnement", _optional_int(500), "needs"),
    FicheField("loges", "Loges (véhicules)", parse_yes_no, "needs"),
    FicheField("drone", "Drone", parse_yes_no, "needs"),
    FicheField(
        "traffic_control",
        "Régulation de circulation",
        parse_yes_no,
        "needs",
    ),
    FicheField("generator", "Groupe électrogène", parse_yes_no, "needs"),
    FicheField("truck_access", "Accès camions", _free_text, "logistics"),
    FicheField(
        "tech_vehicle_parking", "Stationnement véhicules techniques", _free_text, "logistics"
    ),
    FicheField("power", "Électricité", _free_text, "logistics"),
    FicheField("water", "Eau", _free_text, "logistics"),
    FicheField("toilets", "Toilettes", _free_text, "logistics"),
    FicheField("hmc_rooms", "Pièces HMC", _free_text, "logistics"),
    FicheField("catering_space", "Cantine", _free_text, "logistics"),
    FicheField("noise", "Bruit", _free_text, "logistics"),
)
BY_KEY = {f.key: f for f in FIELDS}


def parse_fiche(raw: Mapping[str, Any]) -> FicheValues:
    """Typed values for the keys present in `raw`; all errors at once."""
    unknown = [k for k in raw if k not in BY_KEY]
    errors = [ValidationError(k, "is not a field of a lieu") for k in unknown]
    values: dict[str, Any] = {}
    for key, value in raw.items():
        spec = BY_KEY.get(key)
        if spec is None:
            continue
        try:
            for text in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(text, str):
                    check_text(text, key)
            values[key] = spec.parse(value, key)
        except ValidationError as e:
            errors.append(e)
        except ValidationErrors as e:
            errors.extend(e.errors)
    if errors:
        raise ValidationErrors(errors)
    return values


def apply_fiche(
    lieu: Lieu, values: dict[str, Any], source: PositionSource = PositionSource.TYPED
) -> Lieu:
    """The lieu with the parsed values applied (position from lat and lon together)."""
    changes: dict[str, Any] = {}
    access: dict[str, Any] = {}
    logistics: dict[str, Any] = {}
    needs: dict[str, Any] = {}
    for key, value in values.items():
        group = BY_KEY[key].group
        if group == "accessibility":
            access["notes" if key == "access_notes" else key] = value
        elif group == "logistics":
            logistics[key] = value
        elif group == "needs":
            needs[key] = value
        elif key not in ("lat", "lon"):
            changes[key] = value
    if "lat" in values or "lon" in values:
        current = lieu.position
        lat = values.get("lat", current.lat if current else None)
        lon = values.get("lon", current.lon if current else None)
        if lat is None or lon is None:
            missing = "lon" if lon is None else "lat"
            raise ValidationError(missing, "give latitude and longitude together")
        changes["position"] = Position(lat, lon, source)
    if access:
        changes["accessibility"] = replace(lieu.accessibility, **access)
    if logistics:
        changes["logistics"] = replace(lieu.logistics, **logistics)
    if needs:
        changes["needs"] = replace(lieu.needs, **needs)
    return replace(lieu, **changes) if changes else lieu


def fiche_values(lieu: Lieu) -> dict[str, str]:
    """The lieu as the text a form shows, key by key (the inverse of parse_fiche)."""
    from scout.domain.values import format_phone

    def yn(v: bool | None) -> str:
        return "" if v is None else ("oui" if v else "non")

    a, lg, nd = lieu.accessibility, lieu.logistics, lieu.needs

    def num(v: int | None) -> str:
        return "" if v is None else str(v)

    return {
        "name": lieu.name,
        "decor": lieu.decor,
        "sequences": ", ".join(lieu.sequences),
        "address": lieu.address,
        "postcode": lieu.postcode,
        "lat": f"{lieu.position.lat:.6f}" if lieu.position else "",
        "lon": f"{lieu.position.lon:.6f}" if lieu.position else "",
        "status": lieu.status.value,
        "setting": lieu.setting.value if lieu.setting else "",
        "retained": yn(lieu.retained),
        "shoot_days": "\n".join(_shoot_day_text(d) for d in lieu.shoot_days),
        "contacts": "\n".join(
            "; ".join([c.name, c.role, format_phone(c.phone) if c.phone else "", c.email]).rstrip(
                "; "
            )
            for c in lieu.contacts
        ),
        "tags": ", ".join(lieu.tags),
        "cost": str(lieu.cost) if lieu.cost is not None else "",
        "notes": lieu.notes,
        "step_free": yn(a.step_free),
        "lift": yn(a.lift),
        "narrowest_door_cm": "" if a.narrowest_door_cm is None else str(a.narrowest_door_cm),
        "accessible_toilets": yn(a.accessible_toilets),
        "disabled_parking_nearby": yn(a.disabled_parking_nearby),
        "dropoff_distance_m": "" if a.dropoff_distance_m is None else str(a.dropoff_distance_m),
        "access_notes": a.notes,
        "site_kind": nd.site_kind,
        "crew_size": num(nd.crew_size),
        "tech_vehicles": num(nd.tech_vehicles),
        "parking_spaces": num(nd.parking_spaces),
        "loges": yn(nd.loges),
        "drone": yn(nd.drone),
        "traffic_control": yn(nd.traffic_control),
        "generator": yn(nd.generator),
        **{k: getattr(lg, k) for k in Logistics.__dataclass_fields__},
    }


def _shoot_day_text(d: Any) -> str:
    text = d.day.isoformat()
    if d.call and d.wrap:
        text += f" {d.call:%H:%M}-{d.wrap:%H:%M}"
    return f"{text} {d.note}".strip()
