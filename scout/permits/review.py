"""The régie's review: every permit with its lieu, deadline and urgency, most urgent first,
and the warnings of each lieu."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from scout.i18n import Text
from scout.permits.checks import Warning
from scout.permits.deadlines import Urgency

TO_CREATE = "to_create"  # the status of a permit the rules call for and nobody created


class ReviewRow(NamedTuple):
    """One line of the régie's review: a permit, its lieu, its deadline and urgency; or
    a permit the rules call for that nobody has created yet (`permit_id` None, status
    "to_create"), so that the régie's table is complete. `type_label` and `authority`
    are said in the language of the run when read (the review is kept between reads)."""

    permit_id: int | None
    lieu_id: int
    lieu_name: str
    arrondissement: int | None
    address: str
    type: str
    type_text: Text
    authority_text: Text
    status: str
    deadline: date | None
    urgency: Urgency
    working_days_left: int | None
    valid_from: date | None
    valid_to: date | None

    @property
    def type_label(self) -> str:
        return str(self.type_text)

    @property
    def authority(self) -> str:
        return str(self.authority_text)

    @property
    def key(self) -> str:
        """Unique in a review: the permit, or the lieu and type of a permit to create."""
        if self.permit_id is not None:
            return f"permit-{self.permit_id}"
        return f"create-{self.lieu_id}-{self.type}"


@dataclass(frozen=True, slots=True)
class Review:
    rows: list[ReviewRow]  # most urgent first
    warnings: list[Warning]

    # The rows are sorted by urgency first: the overdue and the pressing ones are found by
    # bisection (the badge and the status line read them at each review: 60,000 rows).
    @property
    def overdue(self) -> list[ReviewRow]:
        return self.rows[: bisect_right(self.rows, Urgency.OVERDUE, key=_urgency)]

    @property
    def pressing(self) -> int:
        """Overdue or due within 3 working days: the header badge."""
        return bisect_right(self.rows, Urgency.DUE_3, key=_urgency)


def _urgency(row: ReviewRow) -> Urgency:
    return row.urgency
