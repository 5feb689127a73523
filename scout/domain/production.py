"""A production: the film or series whose décors are being scouted."""

from __future__ import annotations

from dataclasses import dataclass

from scout.domain.lieu import Change
from scout.errors import ValidationError
from scout.i18n import _


@dataclass(frozen=True, slots=True)
class Production:
    name: str
    id: int | None = None
    company: str = ""
    notes: str = ""
    demo: bool = False  # seeded by `scout demo`
    created_at: str = ""
    # Archived: finished, out of the switcher unless asked; its lieux stay, readable.
    archived: bool = False
    history: tuple[Change, ...] = ()  # renames, archiving (the lieux keep their own)

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationError(_("production name"), _("is empty"))


def shown_in(current: int | None, production_id: int | None) -> bool:
    """Whether the lists of the current production show a lieu of `production_id`: its own
    lieux, and those of no production (none is ever lost from sight). Every lieu shows while
    there is no current production (`current` None)."""
    return current is None or production_id in (current, None)
