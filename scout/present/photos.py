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
