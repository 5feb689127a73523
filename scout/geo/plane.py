"""A local metric plane around Paris: degrees to metres, for boundary distances.

Paris spans 0.15° of latitude; over that span a tangent plane with the WGS84 ellipsoid's
radii of curvature at the centre is within 0.1 % of Lambert-93 (tests/test_geo.py compares
them with pyproj), i.e. about 1 cm at the 15 m boundary tolerance — and it is a
multiplication, so a single lookup stays in microseconds.
"""

from __future__ import annotations

import math

LAT0 = 48.8566
LON0 = 2.3522
_A = 6378137.0
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)
_S = math.sin(math.radians(LAT0))
_M = _A * (1 - _E2) / (1 - _E2 * _S * _S) ** 1.5  # meridian radius of curvature
_N = _A / math.sqrt(1 - _E2 * _S * _S)  # prime vertical radius of curvature
KY = _M * math.pi / 180  # metres per degree of latitude
KX = _N * math.cos(math.radians(LAT0)) * math.pi / 180  # metres per degree of longitude


def to_plane(lat: float, lon: float) -> tuple[float, float]:
    return (lon - LON0) * KX, (lat - LAT0) * KY
