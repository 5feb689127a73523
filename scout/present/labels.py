"""The small words and marks of scout, written once: arrondissement labels with their
marks, statuses, dates, history lines. Shared by the CLI, the TUI and the exports.

Everything here is said in the language of the run, when it is called."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from scout.domain.lieu import Change, ScoutingStatus, site_kind_label
from scout.domain.permit import PermitStatus
from scout.domain.values import arrondissement_ordinal
from scout.i18n import N_, _, formats, ngettext, pgettext

BOUNDARY_MARK = "*"
APPROXIMATE_MARK = "~"


PENDING_MARK = "?"


def arrondissement_label(
    number: int | None, on_boundary: bool = False, approximate: bool = False, pending: bool = False
) -> str:
    if number is None:
        return PENDING_MARK if pending else "—"
    text = arrondissement_ordinal(number) + (PENDING_MARK if pending else "")
    if on_boundary:
        text += BOUNDARY_MARK
    if approximate:
        text += APPROXIMATE_MARK
    return text


def status_label(value: str) -> str:
    """A lieu's scouting status: « À repérer » | « To scout »."""
    try:
        return ScoutingStatus.of(value).label
    except ValueError:
        return value


def arrondissement_name(number: int) -> str:
    """In a sentence: « 1er arrondissement », « 12e arrondissement »."""
    return _("{ordinal} arrondissement").format(ordinal=arrondissement_ordinal(number))


def where_suffix(lieu: Any) -> str:
    """« (6e) » after a lieu's name, « (outside Paris) », or nothing when not placed."""
    if lieu.arrondissement is None:
        return " " + _("(outside Paris)") if lieu.position else ""
    label = arrondissement_label(lieu.arrondissement, lieu.on_boundary, lieu.approximate_zone)
    return f" ({label})"


def permit_status_label(value: str) -> str:
    """A permit's status: « Déposée » | « Filed »; « À créer » | « To create » for a permit
    the rules call for and nobody created."""
    if value == "to_create":
        return pgettext("permit status", "To create")
    try:
        return PermitStatus.of(value).label
    except ValueError:
        return value


def day(value: date | None) -> str:
    """A date as the fiche writes it: 03/12/2026 | 2026-12-03, or — when there is none."""
    return formats.day(value)


def working_days(count: int) -> str:
    """« 1 jour ouvré », « 3 jours ouvrés » | « 1 working day », « 3 working days »."""
    return ngettext("{n} working day", "{n} working days", count).format(n=count)


def short(value: Any, width: int = 40) -> str:
    text = "—" if value in (None, "", []) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def yes_no(value: bool | None) -> str:
    """« oui », « non », « non renseigné » | « yes », « no », « not given »."""
    if value is None:
        return _("not given")
    return _("yes") if value else _("no")


# Fields a person never types, in their words (the typed ones take the fiche's labels).
_COMPUTED = {
    "arrondissement": N_("Arrondissement"),
    "on_boundary": N_("Arrondissement boundary"),
    "approximate_zone": N_("Approximate zone"),
    "zone": N_("Zone"),
    "position": N_("Position"),
    "production_id": N_("Production"),
    "accessibility.notes": N_("Access notes"),
    "photo.caption": N_("Photo caption"),
}


def zone_label(value: str) -> str:
    """A filming-rule zone: « sous tension » | « under pressure », « standard »."""
    if value == "sous_tension":
        return pgettext("zone", "under pressure")
    if value == "standard":
        return pgettext("zone", "standard")
    return value


def field_label(field: str) -> str:
    """« status » → « Statut » | « Status », « needs.loges » → « Loges (véhicules) »."""
    from scout.domain.fiche import BY_KEY

    if field in _COMPUTED:
        return _(_COMPUTED[field])
    key = field.rsplit(".", 1)[-1]
    spec = BY_KEY.get(key)
    return spec.label if spec else field


def value_label(field: str, value: Any) -> str:
    """A stored value as the fiche shows it: labels, oui/non, « non renseigné » (in the
    language of the run)."""
    from scout.domain.lieu import Setting

    if value is None or value == "" or value == []:
        return _("not given")
    if isinstance(value, bool):
        return yes_no(value)
    key = field.rsplit(".", 1)[-1]
    if key == "status":
        return status_label(str(value))
    if key == "setting":
        try:
            return Setting.of(str(value)).label
        except ValueError:
            return str(value)
    if key == "site_kind":
        return site_kind_label(str(value))
    if key == "zone":
        return zone_label(str(value))
    if key == "arrondissement" and isinstance(value, int):
        return arrondissement_label(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def stamp_label(stamp: str) -> str:
    """An ISO timestamp of the history, as the language of the run writes a day and a time:
    « 03/12/2026 08:00 » | « 2026-12-03 08:00 »."""
    try:
        return formats.moment(datetime.fromisoformat(stamp))
    except ValueError:
        return stamp[:16].replace("T", " ")


def history_line(change: Change) -> str:
    old = short(value_label(change.field, change.old))
    new = short(value_label(change.field, change.new))
    # i18n: one change of a lieu's history: when, the field, the old and the new value
    return _("{when}  {field}: {old} → {new}").format(
        when=stamp_label(change.at), field=field_label(change.field), old=old, new=new
    )
