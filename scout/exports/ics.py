"""The permits as an iCalendar file: one event per filing deadline and per validity window,
written in the language of the run (the UIDs, categories and dates are the same in both).

UIDs are derived from the permit id, so importing the file again updates the events
instead of duplicating them. Each deadline carries an alarm two days before.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from scout.domain.values import terminal_safe
from scout.i18n import _
from scout.permits.deadlines import Urgency
from scout.permits.review import ReviewRow

OPEN = {"to_request", "in_preparation", "to_create"}
GRANTED = {"granted", "granted_with_conditions"}
ALARM_BEFORE = timedelta(days=2)


def _where(row: ReviewRow) -> str:
    address = terminal_safe(row.address or row.lieu_name)
    return f"{address}, Paris" if "paris" not in address.lower() else address


def permits_calendar(rows: Iterable[ReviewRow], stamp: datetime) -> bytes:
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//scout//autorisations de tournage//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("scout — permits"))
    for row in rows:
        # Names come from people and files: no control character reaches a calendar
        # (iCalendar forbids them) or the terminal it may be printed to.
        what = terminal_safe(f"{row.type_label} — {row.lieu_name}")
        if row.deadline and (row.status in OPEN or row.urgency is Urgency.OVERDUE):
            event = Event()
            # Stable UIDs: importing again updates the events instead of adding copies.
            ref = row.permit_id if row.permit_id is not None else row.key
            event.add("uid", f"deadline-{ref}@scout")
            event.add("dtstamp", stamp)
            event.add("summary", _("To file: {what}").format(what=what))
            event.add("dtstart", row.deadline)
            event.add("dtend", row.deadline + timedelta(days=1))
            event.add("location", _where(row))
            if row.permit_id is not None:
                description = _("Filing deadline for permit {id} ({authority}), location {lieu}.")
            else:
                description = _(
                    "Filing deadline for a permit the rules call for, not created yet "
                    "({authority}), location {lieu}."
                )
            authority = terminal_safe(row.authority)
            event.add(
                "description",
                description.format(id=row.permit_id, authority=authority, lieu=row.lieu_id),
            )
            event.add("categories", ["scout", "deadline"])
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -ALARM_BEFORE)
            alarm.add("description", _("In 2 days: file {what}").format(what=what))
            event.add_component(alarm)
            cal.add_component(event)
        if row.status in GRANTED and row.valid_from:
            end = row.valid_to or row.valid_from
            event = Event()
            event.add("uid", f"validity-{row.permit_id}@scout")
            event.add("dtstamp", stamp)
            event.add("summary", _("Valid: {what}").format(what=what))
            event.add("dtstart", row.valid_from)
            event.add("dtend", end + timedelta(days=1))
            event.add("location", _where(row))
            event.add(
                "description",
                _("Permit {id} ({authority}) is valid.").format(
                    id=row.permit_id, authority=terminal_safe(row.authority)
                ),
            )
            event.add("categories", ["scout", "validity"])
            cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
