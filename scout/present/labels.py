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
    text = arrondissement_ordinal(number)
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


def history_line(change: Change) -> str:
    return (
        f"{change.at[:16].replace('T', ' ')}  {change.field}: "
        f"{short(change.old)} → {short(change.new)}"
    )
