"""Pictures and light under a lieu's fiche (`scout show`, the detail pane)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

MAX_DAYS = 3


def photo_and_sun_lines(lieu: Any, photos: list[Any], today: date) -> list[str]:
    lines: list[str] = []
    if photos:
        lines.append(f"Photos       {len(photos)}")
        for p in photos[:6]:
            m = p.metadata
            what = " ".join(x for x in (m.get("make", ""), m.get("model", "")) if x)
            facing = f", vers {m['direction_deg']:.0f}°" if "direction_deg" in m else ""
            gone = "" if Path(p.path).exists() else "  (fichier introuvable)"
            lines.append(
                f"  {Path(p.path).name}  {m.get('taken_at', '')[:16].replace('T', ' ')}"
                f"  {what}{facing}{gone}"
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
