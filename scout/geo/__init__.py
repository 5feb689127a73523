"""Which arrondissement a position lies in, with its mairie and the filming rules of its zone.

Offline and instant: the project's own geodata (built by geodata/build.py) is loaded once.
shapely and numpy are imported on first use, not at start-up.
"""

from scout.geo.lookup import (
    Arrondissement,
    Candidate,
    Location,
    Mairie,
    Remark,
    Zone,
    ZoneRule,
    check_position,
    locate,
    locate_many,
    paris,
    postcode_arrondissement,
)

__all__ = [
    "Arrondissement",
    "Candidate",
    "Location",
    "Mairie",
    "Remark",
    "Zone",
    "ZoneRule",
    "check_position",
    "locate",
    "locate_many",
    "paris",
    "postcode_arrondissement",
]
