"""The production's vocabulary as plain Python: no I/O, no user interface.

This package must never import Textual (tests/test_architecture.py checks it).
"""

from scout.domain.lieu import (
    Accessibility,
    Change,
    Contact,
    Lieu,
    Logistics,
    Photo,
    Position,
    PositionSource,
    ScoutingStatus,
    Setting,
    ShootDay,
    ShootNeeds,
)
from scout.domain.production import Production

__all__ = [
    "Accessibility",
    "Change",
    "Contact",
    "Lieu",
    "Logistics",
    "Photo",
    "Position",
    "PositionSource",
    "Production",
    "ScoutingStatus",
    "Setting",
    "ShootDay",
    "ShootNeeds",
]
