"""Pictures and light under a lieu's fiche (`scout show`, the detail pane)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from scout.i18n import _, formats

MAX_DAYS = 3


def photo_and_sun_lines(lieu: Any, photos: list[Any], today: date) -> list[str]:
    lines: list[str] = []
    if photos:
        title = _("Photos")
        lines.append(f"{title:<12} {len(photos)}")
        for p in photos[:6]:
            m = p.metadata
            what = " ".join(x for x in (m.get("make", ""), m.get("model", "")) if x)
            facing = (
                ", " + _("facing {degrees}°").format(degrees=f"{m['direction_deg']:.0f}")
                if "direction_deg" in m
                else ""
            )
            gone = "" if Path(p.path).exists() else "  " + _("(file not found)")
            lines.append(
                f"  {Path(p.path).name}  {_taken(m.get('taken_at', ''))}  {what}{facing}{gone}"
            )
    if lieu.position is None:
        return lines
    from scout.photos.sun import sun_lines

    directions = sorted(
        {round(p.metadata["direction_deg"]) for p in photos if "direction_deg" in p.metadata}
    )[:3]
    upcoming = [d for d in lieu.shoot_days if d.day >= today][:MAX_DAYS]
    for day in upcoming:
        lines.extend(
            sun_lines(
                lieu.position.lat,
                lieu.position.lon,
                day.day,
                day.call,
                [float(d) for d in directions],
            )
        )
    return lines


def _taken(stamp: Any) -> str:
    """When a picture was taken (its EXIF time), as the language of the run writes it."""
    if not isinstance(stamp, str) or not stamp:
        return ""
    try:
        return formats.moment(datetime.fromisoformat(stamp[:19]))
    except ValueError:
        return stamp[:16].replace("T", " ")


def photo_facts(photo: Any, lieu: Any | None, today: date) -> list[str]:
    """One picture's facts for the photo screen: when it was taken, with what, how it is
    framed and where it looks, where the sun stood then (and whether the camera faced
    it), and the light of the lieu's next shoot days seen from that direction."""
    from scout.photos.sun import faces_sun, sun_at

    m = photo.metadata
    lines: list[str] = []
    taken = _taken(m.get("taken_at", ""))
    if taken:
        lines.append(_("Taken {moment}").format(moment=taken))
    camera = " ".join(x for x in (m.get("make", ""), m.get("model", "")) if x)
    if camera:
        lines.append(camera)
    width, height = m.get("width"), m.get("height")
    if isinstance(width, int) and isinstance(height, int) and width and height:
        if m.get("orientation") in (5, 6, 7, 8):  # stored sideways, shown upright
            width, height = height, width
        frame = (
            _("landscape") if width > height else _("portrait") if height > width else _("square")
        )
        lines.append(
            _("{frame}, {width}×{height} px").format(frame=frame, width=width, height=height)
        )
    direction = m.get("direction_deg")
    if isinstance(direction, (int, float)):
        lines.append(_("Facing {degrees}°").format(degrees=f"{direction:.0f}"))
    lat, lon = m.get("lat"), m.get("lon")
    if (lat is None or lon is None) and lieu is not None and lieu.position is not None:
        lat, lon = lieu.position.lat, lieu.position.lon
    when = _moment(m.get("taken_at", ""))
    if when is not None and lat is not None and lon is not None:
        azimuth, elevation = sun_at(float(lat), float(lon), when)
        if elevation <= 0:
            lines.append(_("Sun then: below the horizon"))
        else:
            lines.append(
                _("Sun then: azimuth {azimuth}°, elevation {elevation}°").format(
                    azimuth=formats.number(azimuth), elevation=formats.number(elevation)
                )
            )
            if isinstance(direction, (int, float)) and faces_sun(direction, azimuth, elevation):
                lines.append(_("The camera faced the sun"))
    if lieu is not None and lieu.position is not None:
        from scout.photos.sun import sun_lines

        upcoming = [d for d in lieu.shoot_days if d.day >= today][:1]
        facing = [float(direction)] if isinstance(direction, (int, float)) else []
        for day in upcoming:
            lines.extend(sun_lines(lieu.position.lat, lieu.position.lon, day.day, day.call, facing))
    return lines


def _moment(stamp: Any) -> datetime | None:
    if not isinstance(stamp, str) or not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp)
    except ValueError:
        return None
