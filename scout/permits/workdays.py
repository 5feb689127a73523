"""Jours ouvrés: Monday to Friday, French public holidays excluded.

The holidays come from the `holidays` library (Easter Monday, Ascension and Whit Monday
included), built once per year and kept: building a calendar costs milliseconds, and a
production has thousands of deadlines.
"""

from __future__ import annotations

from datetime import date, timedelta


class WorkCalendar:
    def __init__(self, closed: frozenset[date] = frozenset()) -> None:
        self.closed = closed  # an authority's own closures, on top of public holidays
        self._holidays: dict[int, dict[date, str]] = {}
        self._between: dict[tuple[date, date], int] = {}

    def holidays_of(self, year: int) -> dict[date, str]:
        known = self._holidays.get(year)
        if known is None:
            import holidays  # imported on first use: it is not needed at start-up

            known = dict(holidays.country_holidays("FR", years=year, language="fr"))
            self._holidays[year] = known
        return known

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < 5 and day not in self.holidays_of(day.year) and day not in self.closed
        )

    def on_or_before(self, day: date) -> date:
        """The day itself if it is worked, else the working day before it."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def working_days_before(self, day: date, count: int) -> date:
        """Count back `count` working days from `day` (not counting `day` itself)."""
        while count > 0:
            day -= timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative if end < start).
        Remembered: thousands of permits share a handful of deadlines."""
        if end < start:
            return -self.working_days_between(end, start)
        known = self._between.get((start, end))
        if known is None:
            known, day = 0, start
            while day < end:
                day += timedelta(days=1)
                if self.is_working_day(day):
                    known += 1
            if len(self._between) > 100_000:
                self._between.clear()
            self._between[(start, end)] = known
        return known


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or the month's last day when it has no such day."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    last = (next_month - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


CALENDAR = WorkCalendar()
_WITH_CLOSURES: dict[frozenset[date], WorkCalendar] = {}


def calendar_with(closed: frozenset[date]) -> WorkCalendar:
    """The working days of an authority with its own closures (one calendar per set of
    closures, kept: its counts are remembered)."""
    found = _WITH_CLOSURES.get(closed)
    if found is None:
        found = _WITH_CLOSURES[closed] = WorkCalendar(closed)
    return found
