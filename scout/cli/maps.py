"""Maps: `scout export geojson|kml`, `scout import geojson`."""

from __future__ import annotations

from typing import Any


def add_map_commands(sub: Any, exports: Any, imports: Any) -> None:
    """Adds this module's commands to the parser (`sub`: the top-level commands;
    `exports` / `imports`: the formats of `scout export` / `scout import`)."""
