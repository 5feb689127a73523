"""Today's date and time, in Paris, settable for tests and what-if planning.

Deadlines, "next shoot day" and "overdue" depend on today: everything asks this clock.
`SCOUT_TODAY=2026-12-01` fixes the date (documented in the README).
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timezone


def _paris_tz() -> timezone | object:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Paris")
    except Exception:  # no tz database on this machine: UTC is better than a crash
        return UTC


class Clock:
    def __init__(self, today: date | None = None) -> None:
        self._today = today
        self.tz = _paris_tz()

    @classmethod
    def from_env(cls) -> Clock:
        fixed = os.environ.get("SCOUT_TODAY")
        if fixed:
            from scout.domain.values import parse_date

            return cls(parse_date(fixed, "SCOUT_TODAY"))
        return cls()

    def now(self) -> datetime:
        now = datetime.now(self.tz)  # type: ignore[arg-type]
        if self._today is not None:
            now = now.replace(year=self._today.year, month=self._today.month, day=self._today.day)
        return now

    def today(self) -> date:
        return self._today or self.now().date()

    def stamp(self) -> str:
        """An ISO timestamp for created/updated/history."""
        return self.now().isoformat(timespec="seconds")
