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
    parse_site_kind,
    site_kind_label,
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
from scout.i18n import N_, _, formats


def _text(value: Any, field: str) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _required_text(value: Any, field: str) -> str:
    text = _text(value, field)
    if not text:
        raise ValidationError(field, _("is empty"))
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


def _on_line(number: int, message: str) -> str:
    """A mistake on one line of a list field (contacts, shoot days)."""
    return _("line {number}: {message}").format(number=number, message=message)


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
            message = _on_line(number, str(e)) if len(items) > 1 else str(e)
            raise ValidationError(field, message) from None
    return tuple(contacts)


def _shoot_days(value: Any, field: str) -> tuple[Any, ...]:
    items = value if isinstance(value, (list, tuple)) else [value]
    days = []
    for number, item in enumerate(items, start=1):
        if not str(item).strip():
            continue
        try:
            days.append(parse_shoot_day(str(item), field))
        except ValidationError as e:
            message = _on_line(number, e.message) if len(items) > 1 else e.message
            raise ValidationError(field, message) from None
    return tuple(sorted(days, key=lambda d: (d.day, d.call.isoformat() if d.call else "")))


def _setting(value: Any, field: str) -> Setting | None:
    """INT, EXT or INT/EXT; empty, '?' or 'unknown' (in either language) leave it
    unknown."""
    if parse_yes_no_unknown(value):
        return None
    return Setting.parse(str(value), field)


def parse_yes_no_unknown(value: Any) -> bool:
    """An answer that says "not known yet"."""
    return value is None or fold(str(value)) in UNKNOWN_WORDS


def _site_kind(value: Any, field: str) -> str:
    if parse_yes_no_unknown(value):
        return ""
    return parse_site_kind(str(value), field)


FicheValues = dict[str, Any]  # typed values by field key, as parse_fiche returns them


@dataclass(frozen=True)
class FicheEntry:
    """A checked fiche, as the form hands it back: the typed values of the fields it
    holds, and where the position came from (typed, or a geocoder's candidate)."""

    values: FicheValues
    source: PositionSource = PositionSource.TYPED


@dataclass(frozen=True)
class FicheField:
    """One field of the fiche. `label` and `help` are said in the language of the run
    (the msgids are marked with N_ and translated when read)."""

    key: str  # as typed: CLI option --key with _ → -, form field id
    label_msgid: str
    parse: Callable[[Any, str], Any]
    group: str = ""  # "", "accessibility", "needs" or "logistics": where the value goes
    help_msgid: str = ""  # what to type; {choices} is replaced by the accepted words

    @property
    def label(self) -> str:
        """« Statut » | « Status »."""
        return _(self.label_msgid)

    @property
    def help(self) -> str:
        """What to type, in the language of the run: for `--help` and the form's hints."""
        if not self.help_msgid:
            return self.label
        return _(self.help_msgid).format(choices=self.choices())

    def choices(self) -> str:
        """The words this field accepts, in the language of the run ("" for free text)."""
        if self.key == "status":
            return ", ".join(s.label for s in ScoutingStatus)
        if self.key == "site_kind":
            return ", ".join(site_kind_label(k) for k in SITE_KINDS)
        return ""


def _yes_no_field(key: str, label: str, group: str, help_msgid: str) -> FicheField:
    return FicheField(key, label, parse_yes_no, group, help_msgid)


FIELDS: tuple[FicheField, ...] = (
    FicheField("name", N_("Name"), _required_text, "", N_("the location's name")),
    FicheField("decor", N_("Décor"), _text, "", N_("the décor it is a candidate for")),
    FicheField("sequences", N_("Sequences"), _words, "", N_("sequences, separated by commas")),
    FicheField("address", N_("Address"), _text, "", N_("the street address")),
    FicheField(
        "postcode",
        N_("Postcode"),
        lambda v, f: parse_postcode(str(v), f),
        "",
        N_("the postcode, 5 digits (75001 to 75020 in Paris)"),
    ),
    FicheField(
        "lat",
        N_("Latitude"),
        lambda v, f: parse_latitude(v, f),
        "",
        N_("latitude, WGS84 degrees (with the longitude)"),
    ),
    FicheField(
        "lon",
        N_("Longitude"),
        lambda v, f: parse_longitude(v, f),
        "",
        N_("longitude, WGS84 degrees (with the latitude)"),
    ),
    FicheField(
        "status",
        N_("Status"),
        lambda v, f: ScoutingStatus.parse(str(v), f),
        "",
        N_("scouting status: {choices} (French or English)"),
    ),
    FicheField(
        "setting",
        N_("INT/EXT"),
        lambda v, f: _setting(v, f),
        "",
        N_("INT, EXT or INT/EXT; ? when not known"),
    ),
    FicheField(
        "retained",
        N_("Retained"),
        parse_yes_no,
        "",
        N_("retained for its décor: yes, no or ? (not known)"),
    ),
    FicheField(
        "shoot_days",
        N_("Shoot days"),
        _shoot_days,
        "",
        N_("a shoot day, YYYY-MM-DD or DD/MM/YYYY, with its hours HH:MM-HH:MM when known"),
    ),
    FicheField(
        "contacts",
        N_("Contacts"),
        _contacts,
        "",
        N_("a contact, 'name; role; phone; e-mail' (role, phone and e-mail optional)"),
    ),
    FicheField("tags", N_("Tags"), _words, "", N_("tags, separated by commas")),
    FicheField("cost", N_("Cost (€)"), _optional_cost, "", N_("the cost, in euros")),
    FicheField("notes", N_("Notes"), _free_text, "", N_("free notes")),
    _yes_no_field(
        "step_free",
        N_("Step-free access"),
        "accessibility",
        N_("step-free access: yes, no or ? (not known)"),
    ),
    _yes_no_field("lift", N_("Lift"), "accessibility", N_("a lift: yes, no or ? (not known)")),
    FicheField(
        "narrowest_door_cm",
        N_("Narrowest door (cm)"),
        _optional_int(500),
        "accessibility",
        N_("width of the narrowest door, in centimetres"),
    ),
    _yes_no_field(
        "accessible_toilets",
        N_("Accessible toilets"),
        "accessibility",
        N_("accessible toilets: yes, no or ? (not known)"),
    ),
    _yes_no_field(
        "disabled_parking_nearby",
        N_("PMR parking nearby"),
        "accessibility",
        N_("a PMR parking space nearby: yes, no or ? (not known)"),
    ),
    FicheField(
        "dropoff_distance_m",
        N_("Drop-off distance (m)"),
        _optional_int(10_000),
        "accessibility",
        N_("distance from the drop-off point, in metres"),
    ),
    FicheField(
        "access_notes", N_("PMR notes"), _free_text, "accessibility", N_("notes on access (PMR)")
    ),
    FicheField(
        "site_kind",
        N_("Site kind"),
        lambda v, f: _site_kind(v, f),
        "needs",
        N_("the kind of site: {choices} (French or English)"),
    ),
    FicheField(
        "crew_size",
        N_("Crew (people)"),
        _optional_int(2000),
        "needs",
        N_("how many people on the shoot"),
    ),
    FicheField(
        "tech_vehicles",
        N_("Technical vehicles"),
        _optional_int(200),
        "needs",
        N_("technical vehicles (catering excluded)"),
    ),
    FicheField(
        "parking_spaces",
        N_("Parking spaces"),
        _optional_int(500),
        "needs",
        N_("parking spaces needed on the street"),
    ),
    _yes_no_field(
        "loges",
        N_("Loges (vehicles)"),
        "needs",
        N_("loges (dressing-room vehicles): yes, no or ? (not known)"),
    ),
    _yes_no_field("drone", N_("Drone"), "needs", N_("a drone: yes, no or ? (not known)")),
    _yes_no_field(
        "traffic_control",
        N_("Traffic control"),
        "needs",
        N_("traffic control: yes, no or ? (not known)"),
    ),
    _yes_no_field(
        "generator",
        N_("Generator"),
        "needs",
        N_("a generator on the public road: yes, no or ? (not known)"),
    ),
    FicheField(
        "truck_access", N_("Truck access"), _free_text, "logistics", N_("access for the trucks")
    ),
    FicheField(
        "tech_vehicle_parking",
        N_("Technical vehicle parking"),
        _free_text,
        "logistics",
        N_("where the technical vehicles park"),
    ),
    FicheField("power", N_("Power"), _free_text, "logistics", N_("power on site")),
    FicheField("water", N_("Water"), _free_text, "logistics", N_("water on site")),
    FicheField("toilets", N_("Toilets"), _free_text, "logistics", N_("toilets for the crew")),
    FicheField(
        "hmc_rooms",
        N_("HMC rooms"),
        _free_text,
        "logistics",
        N_("rooms for hair, make-up and costume"),
    ),
    FicheField("catering_space", N_("Catering"), _free_text, "logistics", N_("space for catering")),
    FicheField("noise", N_("Noise"), _free_text, "logistics", N_("noise on and around the site")),
)
BY_KEY = {f.key: f for f in FIELDS}


def parse_fiche(raw: Mapping[str, Any]) -> FicheValues:
    """Typed values for the keys present in `raw`; all errors at once."""
    unknown = [k for k in raw if k not in BY_KEY]
    errors = [ValidationError(k, _("is not a field of a location")) for k in unknown]
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
            raise ValidationError(missing, _("give the latitude and the longitude together"))
        changes["position"] = Position(lat, lon, source)
    if access:
        changes["accessibility"] = replace(lieu.accessibility, **access)
    if logistics:
        changes["logistics"] = replace(lieu.logistics, **logistics)
    if needs:
        changes["needs"] = replace(lieu.needs, **needs)
    return replace(lieu, **changes) if changes else lieu


def fiche_values(lieu: Lieu) -> dict[str, str]:
    """The lieu as the text a form shows, key by key (the inverse of parse_fiche), in the
    language of the run: « oui », 03/12/2026, 1 200,50 | « yes », 2026-12-03, 1,200.50.
    Codes for the values a form picks from a list (status, INT/EXT, site kind)."""
    from scout.domain.values import format_phone

    yes, no = _("yes"), _("no")

    def yn(v: bool | None) -> str:
        return "" if v is None else (yes if v else no)

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
        "cost": formats.number(lieu.cost, 2) if lieu.cost is not None else "",
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
    text = formats.day(d.day)
    if d.call and d.wrap:
        text += f" {formats.clock(d.call)}-{formats.clock(d.wrap)}"
    return f"{text} {d.note}".strip()
