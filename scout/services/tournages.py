"""The City's past shoots, shared by the CLI and the TUI: import the City's export into
the reference layer (apart from the lieux), and find the shoots near a lieu.

Nearby searches use a grid of 250 m cells in the project's metric plane, built on first
use and again after an import: a search looks at the few cells the circle touches, not at
every shoot (0.2 ms on the 9,241-row sample)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from scout.domain.tournage import Tournage
from scout.errors import NotFound, ValidationError
from scout.exports.tournages import Duplicate, Progress, Rejected, read_tournages
from scout.geo.plane import to_plane
from scout.i18n import _
from scout.services.lieux import Service, serialised

if TYPE_CHECKING:
    from scout.services.workspace import Workspace

CELL_M = 250.0
DEFAULT_RADIUS_M = 150.0
MAX_RADIUS_M = 5000.0


@dataclass(frozen=True)
class TournageImport:
    """What an import did. `imported` counts the file's good rows (new, updated or
    unchanged), so importing the same file twice gives the same counts."""

    path: Path
    added: int
    updated: int
    unchanged: int
    flagged: list[tuple[int, Tournage]]
    duplicates: list[Duplicate]
    rejected: list[Rejected]

    @property
    def imported(self) -> int:
        return self.added + self.updated + self.unchanged


@dataclass(frozen=True)
class NearbyShoot:
    shoot: Tournage
    distance_m: float


@dataclass(frozen=True)
class Nearby:
    lat: float
    lon: float
    radius_m: float
    shoots: list[NearbyShoot]  # nearest first
    per_year: dict[int, int] = field(default_factory=dict)  # year → shoots, years in order


class _Grid:
    def __init__(self, shoots: list[Tournage]) -> None:
        self.shoots = shoots
        self.points = [to_plane(t.lat, t.lon) for t in shoots]
        self.cells: dict[tuple[int, int], list[int]] = {}
        for i, (x, y) in enumerate(self.points):
            self.cells.setdefault((math.floor(x / CELL_M), math.floor(y / CELL_M)), []).append(i)

    def within(self, lat: float, lon: float, radius: float) -> list[NearbyShoot]:
        cx, cy = to_plane(lat, lon)
        found: list[NearbyShoot] = []
        for ix in range(math.floor((cx - radius) / CELL_M), math.floor((cx + radius) / CELL_M) + 1):
            for iy in range(
                math.floor((cy - radius) / CELL_M), math.floor((cy + radius) / CELL_M) + 1
            ):
                for i in self.cells.get((ix, iy), ()):
                    x, y = self.points[i]
                    d = math.hypot(x - cx, y - cy)
                    if d <= radius:
                        found.append(NearbyShoot(self.shoots[i], d))
        found.sort(key=lambda n: (n.distance_m, -n.shoot.year, n.shoot.source_id))
        return found


class TournageService(Service):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self._grid: _Grid | None = None
        self._grid_count = -1

    @serialised
    def count(self) -> int:
        return self.store.count_tournages()

    @serialised
    def all(self) -> list[Tournage]:
        return self.store.tournages()

    def import_file(self, path: str | Path, progress: Progress | None = None) -> TournageImport:
        """Read the whole file first (a file that is not the City's export raises
        TournageFileError and nothing is saved), then save its good rows in one
        transaction, matched on the City's id: a re-import updates, never duplicates."""
        read = read_tournages(path, progress)
        with self.lock:
            self._grid = None  # only an import changes the layer
            saved = self.store.save_tournages([t for _line, t in read.rows])
        return TournageImport(
            Path(path),
            saved.added,
            saved.updated,
            saved.unchanged,
            read.flagged,
            read.duplicates,
            read.rejected,
        )

    @serialised
    def near(self, lat: float, lon: float, radius_m: float = DEFAULT_RADIUS_M) -> Nearby:
        if not 0 < radius_m <= MAX_RADIUS_M:
            raise ValidationError(
                "radius",
                _("the radius must be more than 0 and at most {max} metres").format(
                    max=int(MAX_RADIUS_M)
                ),
            )
        shoots = self._index().within(lat, lon, radius_m)
        years = Counter(n.shoot.year for n in shoots)
        return Nearby(lat, lon, radius_m, shoots, dict(sorted(years.items())))

    @serialised
    def near_lieu(self, lieu_id: int, radius_m: float = DEFAULT_RADIUS_M) -> Nearby:
        lieu = self.store.get_lieu(lieu_id)
        if lieu.position is None:
            raise NotFound(
                _(
                    "location {id} has no position yet: give it one (--lat/--lon) or "
                    "geocode its address"
                ).format(id=lieu_id)
            )
        return self.near(lieu.position.lat, lieu.position.lon, radius_m)

    def _index(self) -> _Grid:
        """Built on first use and kept until this workspace imports again: editing a lieu
        (a new store version) leaves the layer as it was, so the fiche stays quick."""
        count = self.store.count_tournages()
        if self._grid is None or self._grid_count != count:
            self._grid = _Grid(self.store.tournages())
            self._grid_count = count
        return self._grid
