"""The small words and marks of scout, written once: arrondissement labels with their
marks, statuses, dates, history lines. Shared by the CLI, the TUI and the exports."""

from __future__ import annotations

from datetime import date
from typing import Any

from scout.domain.lieu import Change, ScoutingStatus
from scout.domain.permit import PermitStatus
from scout.domain.values import arrondissement_ordinal

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
    try:
        return ScoutingStatus.of(value).label
    except ValueError:
        return value


def arrondissement_name(number: int) -> str:
    """In a sentence: « 1er arrondissement », « 12e arrondissement »."""
    return f"{arrondissement_ordinal(number)} arrondissement"


def where_suffix(lieu: Any) -> str:
    """« (6e) » after a lieu's name, « (outside Paris) », or nothing when not placed."""
    if lieu.arrondissement is None:
        return " (outside Paris)" if lieu.position else ""
    label = arrondissement_label(lieu.arrondissement, lieu.on_boundary, lieu.approximate_zone)
    return f" ({label})"


def permit_status_label(value: str) -> str:
    if value == "to_create":
        return "À créer"
    try:
        return PermitStatus.of(value).label
    except ValueError:
        return value


def day(value: date | None) -> str:
    """A date as the fiche writes it: 03/12/2026, or — when there is none."""
    return f"{value:%d/%m/%Y}" if value else "—"


def short(value: Any, width: int = 40) -> str:
    text = "—" if value in (None, "", []) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


# Fields a person never types, in their words (the typed ones take the fiche's labels).
_COMPUTED = {
    "arrondissement": "Arrondissement",
    "on_boundary": "Limite d'arrondissement",
    "approximate_zone": "Zone approximative",
    "zone": "Zone",
    "position": "Position",
    "production_id": "Production",
    "accessibility.notes": "Notes d'accès",
}
_ZONES = {"sous_tension": "sous tension", "standard": "standard"}


def field_label(field: str) -> str:
    """« status » → « Statut », « needs.loges » → « Loges (véhicules) »."""
    from scout.domain.fiche import BY_KEY

    if field in _COMPUTED:
        return _COMPUTED[field]
    key = field.rsplit(".", 1)[-1]
    spec = BY_KEY.get(key)
    return spec.label if spec else field


def value_label(field: str, value: Any) -> str:
    """A stored value as the fiche shows it: labels, oui/non, « non renseigné »."""
    from scout.domain.lieu import Setting

    if value is None or value == "" or value == []:
        return "non renseigné"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if field == "status":
        return status_label(str(value))
    if field == "setting":
        try:
            return Setting.of(str(value)).label
        except ValueError:
            return str(value)
    if field == "zone":
        return _ZONES.get(str(value), str(value))
    if field == "arrondissement" and isinstance(value, int):
        return arrondissement_label(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def history_line(change: Change) -> str:
    old = short(value_label(change.field, change.old))
    new = short(value_label(change.field, change.new))
    return f"{change.at[:16].replace('T', ' ')}  {field_label(change.field)} : {old} → {new}"
