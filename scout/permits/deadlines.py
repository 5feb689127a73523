"""Filing deadlines and how urgent each permit is, as of a given day."""

from __future__ import annotations

from datetime import date, timedelta
from enum import IntEnum
from functools import cache, lru_cache

from scout.domain.values import FIRST_YEAR, LAST_YEAR
from scout.i18n import current_language, ngettext, pgettext
from scout.permits.rules import PermitType
from scout.permits.workdays import CALENDAR, WorkCalendar, months_before


class Urgency(IntEnum):
    """The review screen's order: what needs doing first comes first."""

    OVERDUE = 0
    DUE_3 = 1  # within 3 working days
    DUE_7 = 2
    DUE_14 = 3
    REFUSED = 4  # needs a new request
    TO_FILE = 5  # open, deadline further away (or no shoot day yet)
    AWAITING = 6  # filed or under review
    EXPIRING = 7  # granted, validity ends within 7 days
    GRANTED = 8
    CLOSED = 9  # cancelled or expired

    @property
    def label(self) -> str:
        """Short, for the review's column, in the language of the run: « EN RETARD »,
        « ≤ 3 j ouvrés » | « OVERDUE », « ≤ 3 working days »."""
        return _urgency_labels(current_language())[self]


# The bounds of the "due" levels, in working days.
DUE_WITHIN = {Urgency.DUE_3: 3, Urgency.DUE_7: 7, Urgency.DUE_14: 14}


@cache
def _urgency_labels(language: str) -> dict[Urgency, str]:
    """Kept per language: a review of thousands of permits shows a label a row."""
    labels = {
        Urgency.OVERDUE: pgettext("urgency", "OVERDUE"),
        Urgency.REFUSED: pgettext("urgency", "refused"),
        Urgency.TO_FILE: pgettext("urgency", "to file"),
        Urgency.AWAITING: pgettext("urgency", "awaiting"),
        Urgency.EXPIRING: pgettext("urgency", "expiring soon"),
        Urgency.GRANTED: pgettext("urgency", "granted"),
        Urgency.CLOSED: pgettext("urgency", "closed"),
    }
    for level, bound in DUE_WITHIN.items():
        labels[level] = ngettext("≤ {n} working day", "≤ {n} working days", bound).format(n=bound)
    return labels


def plausible(day: date) -> bool:
    """Within the years scout accepts (older databases may hold a mistyped year)."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def filing_deadline(
    ptype: PermitType, first_shoot_day: date, calendar: WorkCalendar = CALENDAR
) -> date | None:
    """The last day to file: the lead before the first shoot day, moved earlier to a
    working day (never later). None when the shoot day is not a plausible date."""
    if not plausible(first_shoot_day):
        return None
    deadline = _deadline(ptype.lead, ptype.unit, first_shoot_day, calendar)
    return deadline if plausible(deadline) else None


@lru_cache(maxsize=16384)
def _deadline(lead: int, unit: str, first: date, calendar: WorkCalendar) -> date:
    if unit == "working_days":
        return calendar.working_days_before(first, lead)
    if unit == "calendar_days":
        return calendar.on_or_before(first - timedelta(days=lead))
    return calendar.on_or_before(months_before(first, lead))


def urgency(
    status: str,
    deadline: date | None,
    valid_to: date | None,
    today: date,
    calendar: WorkCalendar = CALENDAR,
) -> tuple[Urgency, int | None]:
    """(urgency, working days left before the deadline, when that matters)."""
    if status in ("to_request", "in_preparation"):
        if deadline is None:
            return Urgency.TO_FILE, None
        if deadline < today:
            return Urgency.OVERDUE, -calendar.working_days_between(deadline, today)
        if (deadline - today).days > 31:  # far away: no need to count the days one by one
            return Urgency.TO_FILE, None
        left = calendar.working_days_between(today, deadline)
        for level, bound in DUE_WITHIN.items():
            if left <= bound:
                return level, left
        return Urgency.TO_FILE, left
    if status == "refused":
        return Urgency.REFUSED, None
    if status in ("filed", "under_review"):
        return Urgency.AWAITING, None
    if status in ("granted", "granted_with_conditions"):
        if valid_to is not None and today <= valid_to <= today + timedelta(days=7):
            return Urgency.EXPIRING, None
        return Urgency.GRANTED, None
    return Urgency.CLOSED, None
