"""Sun and light on the shoot day, in Paris time (astral)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from scout.i18n import _, formats

PARIS = "Europe/Paris"


@dataclass(frozen=True, slots=True)
class SunDay:
    day: date
    sunrise: datetime
    sunset: datetime
    golden_morning: tuple[datetime, datetime]
    golden_evening: tuple[datetime, datetime]
    hours: tuple[tuple[datetime, float, float], ...]  # (time, azimuth°, elevation°)


def _observer(lat: float, lon: float) -> Any:
    from astral import Observer

    return Observer(latitude=lat, longitude=lon, elevation=0.0)  # as almanacs publish


def sun_day(lat: float, lon: float, day: date, call: time | None = None) -> SunDay:
    from zoneinfo import ZoneInfo

    from astral import SunDirection
    from astral.sun import azimuth, elevation, golden_hour, sun

    tz = ZoneInfo(PARIS)
    obs = _observer(lat, lon)
    times = sun(obs, date=day, tzinfo=tz)
    morning = golden_hour(obs, day, SunDirection.RISING, tzinfo=tz)
    evening = golden_hour(obs, day, SunDirection.SETTING, tzinfo=tz)
    start = datetime.combine(day, call or time(7, 0), tz)
    hours = []
    moment = start.replace(minute=0) if call is None else start
    end = datetime.combine(day, time(22, 0), tz)
    while moment <= end:
        hours.append((moment, azimuth(obs, moment), elevation(obs, moment)))
        moment = (
            moment + timedelta(hours=1)
            if moment.minute == 0
            else moment.replace(minute=0) + timedelta(hours=1)
        )
    return SunDay(day, times["sunrise"], times["sunset"], morning, evening, tuple(hours))


def faces_sun(
    direction_deg: float, azimuth_deg: float, elevation_deg: float, half_angle: float = 45.0
) -> bool:
    """Whether a camera facing `direction_deg` looks into a sun that is up."""
    if elevation_deg <= 0:
        return False
    gap = abs((direction_deg - azimuth_deg + 180) % 360 - 180)
    return gap <= half_angle


STEP = timedelta(minutes=5)


def facing_windows(
    lat: float, lon: float, day: date, direction_deg: float
) -> list[tuple[datetime, datetime]]:
    """When a camera facing `direction_deg` looks into the sun, to the minute: sampled
    every 5 minutes between sunrise and sunset, each edge then found by bisection. Never
    an empty window: a window is at least a minute long, or it is not one."""
    from zoneinfo import ZoneInfo

    from astral.sun import azimuth, elevation, sun

    tz = ZoneInfo(PARIS)
    obs = _observer(lat, lon)
    times = sun(obs, date=day, tzinfo=tz)

    def facing(moment: datetime) -> bool:
        return faces_sun(direction_deg, azimuth(obs, moment), elevation(obs, moment))

    def edge(before: datetime, after: datetime) -> datetime:
        """The first minute at which `facing` differs from its value at `before`."""
        state = facing(before)
        while after - before > timedelta(minutes=1):
            middle = before + (after - before) / 2
            if facing(middle) == state:
                before = middle
            else:
                after = middle
        return after.replace(second=0, microsecond=0)

    windows: list[tuple[datetime, datetime]] = []
    moment, start = times["sunrise"], None
    previous = moment
    while moment <= times["sunset"]:
        now = facing(moment)
        if now and start is None:
            start = moment if moment == times["sunrise"] else edge(previous, moment)
        elif not now and start is not None:
            windows.append((start, edge(previous, moment)))
            start = None
        previous, moment = moment, moment + STEP
    if start is not None:
        windows.append((start, times["sunset"].replace(second=0, microsecond=0)))
    return [(a, b) for a, b in windows if b - a >= timedelta(minutes=1)]


def sun_lines(
    lat: float, lon: float, day: date, call: time | None, directions: list[float] | None = None
) -> list[str]:
    """The light of a shoot day, as lines for `scout show` and the detail pane."""
    s = sun_day(lat, lon, day, call)
    clock = formats.clock
    lines = [
        _(
            "Sun {day}  rise {rise}  set {set}  golden hour {morning_from}–{morning_to} "
            "and {evening_from}–{evening_to}"
        ).format(
            day=formats.day(day),
            rise=clock(s.sunrise),
            set=clock(s.sunset),
            morning_from=clock(s.golden_morning[0]),
            morning_to=clock(s.golden_morning[1]),
            evening_from=clock(s.golden_evening[0]),
            evening_to=clock(s.golden_evening[1]),
        )
    ]
    first = s.hours[0]
    lines.append(
        "  "
        + _("at {time}: azimuth {azimuth}°, elevation {elevation}°").format(
            time=clock(first[0]),
            azimuth=formats.number(first[1]),
            elevation=formats.number(first[2]),
        )
    )
    for direction in directions or []:
        windows = facing_windows(lat, lon, day, direction)
        heading = formats.number(direction)
        if windows:
            spans = ", ".join(
                _("from {start} to {end}").format(start=clock(a), end=clock(b)) for a, b in windows
            )
            line = _("camera towards {heading}°: facing the sun {spans}").format(
                heading=heading, spans=spans
            )
        else:
            line = _("camera towards {heading}°: never facing the sun that day").format(
                heading=heading
            )
        lines.append("  " + line)
    return lines


def sun_at(lat: float, lon: float, when: datetime) -> tuple[float, float]:
    """Where the sun stood (azimuth from north, elevation above the horizon, in degrees)
    at a moment; a moment without its UTC offset is Paris time."""
    from zoneinfo import ZoneInfo

    from astral.sun import azimuth, elevation

    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo(PARIS))
    obs = _observer(lat, lon)
    return azimuth(obs, when), elevation(obs, when)
