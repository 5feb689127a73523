"""Paris in the terminal: the project's own polygons projected and rasterised into braille
cells (2×4 dots a cell), with the lieux as coloured markers on top. No Textual here: the
TUI's map widget turns a `Picture` (one string and one row of inks per line) into strips,
and the tests check the raster itself.

The plane is scout.geo.plane's (metres east and north of the centre of Paris). A zoom level
is a fixed number of metres per braille dot; the outlines' dots are computed once per level
and kept, so a pan is a subtraction and a mask, and a zoom only computes a level's dots the
first time it is shown.

The geodata has no shapes for the Bois de Boulogne and de Vincennes (they are inside the
16th's and the 12th's polygons): they are marked by their names only. The Seine is derived
from the data: the boundaries shared by a left-bank and a right-bank arrondissement run
down the middle of the river.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cache
from typing import TYPE_CHECKING, Any

from scout.geo.plane import KX, KY, LAT0, LON0
from scout.i18n import N_

if TYPE_CHECKING:
    import numpy as np

# Metres per braille dot, coarsest first: each level is √2 finer than the one before.
LEVELS: tuple[float, ...] = tuple(round(240.0 / 2 ** (k / 2), 2) for k in range(14))
LEFT_BANK = frozenset({5, 6, 7, 13, 14, 15})
# (long name, short name, latitude, longitude): where the names of the Bois are written.
BOIS = (
    (N_("Bois de Boulogne"), N_("Boulogne"), 48.8625, 2.2495),
    (N_("Bois de Vincennes"), N_("Vincennes"), 48.8320, 2.4385),
)
# Dot (row 0..3, column 0..1) of a cell → its bit in the braille block U+2800.
_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
STAR, DOT = "★", "●"


class Ink(IntEnum):
    """What a cell shows, by the colour the widget gives it; a higher ink wins a cell."""

    BLANK = 0
    SHOOT = 1  # the City's past shoots, faint
    OUTLINE = 2
    SEINE = 3
    BOIS = 4
    NUMBER = 5
    REJECTED = 6
    TO_SCOUT = 7
    SCOUTED = 8
    OPTION = 9
    VALIDATED = 10
    SELECTED = 11


STATUS_INK = {
    "to_scout": Ink.TO_SCOUT,
    "scouted": Ink.SCOUTED,
    "option": Ink.OPTION,
    "validated": Ink.VALIDATED,
    "rejected": Ink.REJECTED,
}


def to_plane(lat: Any, lon: Any) -> tuple[Any, Any]:
    """Degrees → plane metres (floats or numpy arrays alike)."""
    return (lon - LON0) * KX, (lat - LAT0) * KY


@dataclass(frozen=True)
class Label:
    text: str  # the long form
    short: str  # when the long one does not fit
    x: float
    y: float
    ink: Ink


@dataclass(frozen=True)
class Geometry:
    """Paris in plane metres: segments as (n, 4) arrays x0 y0 x1 y1."""

    outlines: np.ndarray
    seine: np.ndarray
    numbers: tuple[Label, ...]
    bois: tuple[Label, ...]
    bounds: tuple[float, float, float, float]  # xmin, ymin, xmax, ymax


def _segments(lines: Any) -> np.ndarray:
    import numpy as np
    import shapely

    parts = []
    for line in shapely.get_parts(lines):
        coords = shapely.get_coordinates(line)
        if len(coords) >= 2:
            parts.append(np.hstack([coords[:-1], coords[1:]]))
    return np.vstack(parts) if parts else np.zeros((0, 4))


@cache
def paris_geometry() -> Geometry:
    """The 20 outlines, the Seine between the banks, the numbers at the centroids."""
    import numpy as np
    import shapely

    from scout.geo.lookup import paris

    data = paris()
    polygons = {int(n): poly for n, poly in zip(data.number_list, data.polygons)}
    outlines = _segments(shapely.boundary(shapely.union_all(list(polygons.values()))))
    inner = [
        _segments(shapely.boundary(p)) for p in polygons.values()
    ]  # every boundary: neighbours' shared edges are drawn once in the raster anyway
    outlines = np.vstack([outlines, *inner])
    right = shapely.union_all([p for n, p in polygons.items() if n not in LEFT_BANK])
    near_right = shapely.buffer(right, 3.0)
    river = [
        shapely.intersection(shapely.boundary(p), near_right)
        for n, p in polygons.items()
        if n in LEFT_BANK
    ]
    seine = _segments(shapely.line_merge(shapely.union_all(river)))
    numbers = tuple(
        Label(str(n), str(n), *_centre(poly), Ink.NUMBER) for n, poly in sorted(polygons.items())
    )
    bois = tuple(
        Label(long, short, *to_plane(lat, lon), Ink.BOIS) for long, short, lat, lon in BOIS
    )
    xmin, ymin, xmax, ymax = (float(v) for v in shapely.total_bounds(data.polygons))
    return Geometry(outlines, seine, numbers, bois, (xmin, ymin, xmax, ymax))


def _centre(poly: Any) -> tuple[float, float]:
    c = poly.centroid
    return float(c.x), float(c.y)


def _line_dots(segments: np.ndarray, mpd: float) -> np.ndarray:
    """The dots (integer columns, rows; rows grow southwards) that draw these segments at
    `mpd` metres per dot: each segment sampled at least once per dot, duplicates removed."""
    import numpy as np

    if not len(segments):
        return np.zeros((0, 2), dtype=np.int64)
    x0, y0 = segments[:, 0] / mpd, -segments[:, 1] / mpd
    x1, y1 = segments[:, 2] / mpd, -segments[:, 3] / mpd
    steps = np.maximum(np.ceil(np.maximum(np.abs(x1 - x0), np.abs(y1 - y0))), 1).astype(np.int64)
    owner = np.repeat(np.arange(len(segments)), steps + 1)
    starts = np.cumsum(steps + 1) - (steps + 1)
    t = (np.arange(len(owner)) - starts[owner]) / steps[owner]
    eps = 1e-9  # 0.99999… of a dot is that dot: no gap from rounding
    xs = np.floor(x0[owner] + (x1 - x0)[owner] * t + eps).astype(np.int64)
    ys = np.floor(y0[owner] + (y1 - y0)[owner] * t + eps).astype(np.int64)
    return _unique_dots(xs, ys)


def _unique_dots(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """(n, 2) dots without duplicates: one sort of one int64 key (np.unique(axis=0) sorts
    rows, several times slower)."""
    import numpy as np

    bias = 1 << 30  # dots within ±2³⁰ of the centre: Paris is a few thousand wide
    keys = np.unique(((xs + bias) << 31) | (ys + bias))
    return np.stack([(keys >> 31) - bias, (keys & ((1 << 31) - 1)) - bias], axis=1)


@dataclass
class Markers:
    """The lieux to show, as parallel arrays (those with a position only)."""

    ids: np.ndarray  # int64
    xs: np.ndarray  # plane metres
    ys: np.ndarray
    inks: np.ndarray  # uint8, Ink by status
    retained: np.ndarray  # bool
    rank: np.ndarray  # which marker wins a shared cell: retained, then by status
    unplaced: int = 0  # lieux shown in the list that have no position

    @classmethod
    def of(cls, rows: Any) -> Markers:
        """From anything with id, status, retained, lat, lon (the list's LieuRow)."""
        import numpy as np

        ids, lats, lons, inks, retained = [], [], [], [], []
        unplaced = 0
        for row in rows:
            if row.lat is None or row.lon is None:
                unplaced += 1
                continue
            ids.append(row.id)
            lats.append(row.lat)
            lons.append(row.lon)
            inks.append(STATUS_INK.get(row.status, Ink.TO_SCOUT))
            retained.append(bool(row.retained))
        xs, ys = to_plane(np.array(lats, dtype=float), np.array(lons, dtype=float))
        ink = np.array(inks, dtype=np.uint8)
        kept = np.array(retained, dtype=bool)
        rank = ink.astype(np.int64) + kept * 100
        return cls(np.array(ids, dtype=np.int64), xs, ys, ink, kept, rank, unplaced)

    def __len__(self) -> int:
        return len(self.ids)

    def index_of(self, lieu_id: int | None) -> int | None:
        import numpy as np

        if lieu_id is None:
            return None
        found = np.flatnonzero(self.ids == lieu_id)
        return int(found[0]) if len(found) else None


@dataclass(frozen=True)
class View:
    """What part of the plane a map of `width` × `height` cells shows."""

    cx: float  # the centre, plane metres
    cy: float
    level: int
    width: int
    height: int

    @property
    def mpd(self) -> float:
        return LEVELS[self.level]

    def origin(self) -> tuple[int, int]:
        """The dot at the top-left corner."""
        return (
            math.floor(self.cx / self.mpd) - self.width,
            math.floor(-self.cy / self.mpd) - 2 * self.height,
        )

    def cell_of(self, x: float, y: float) -> tuple[int, int]:
        """(column, row) of the cell that holds this plane point (maybe off the map)."""
        ox, oy = self.origin()
        return (
            (math.floor(x / self.mpd) - ox) // 2,
            (math.floor(-y / self.mpd) - oy) // 4,
        )

    def panned(self, columns: float, rows: float) -> View:
        """Moved by a number of cells (a cell is 2 dots wide and 4 high)."""
        return View(
            self.cx + columns * 2 * self.mpd,
            self.cy - rows * 4 * self.mpd,
            self.level,
            self.width,
            self.height,
        )

    def zoomed(self, step: int) -> View:
        level = min(max(self.level + step, 0), len(LEVELS) - 1)
        return View(self.cx, self.cy, level, self.width, self.height)

    def centred(self, x: float, y: float) -> View:
        return View(x, y, self.level, self.width, self.height)

    def sized(self, width: int, height: int) -> View:
        return View(self.cx, self.cy, self.level, width, height)


def fit(bounds: tuple[float, float, float, float], width: int, height: int) -> View:
    """The finest level at which the whole of these bounds fits, centred on them."""
    xmin, ymin, xmax, ymax = bounds
    level = 0
    for k, mpd in enumerate(LEVELS):
        if (xmax - xmin) / mpd <= 2 * width - 2 and (ymax - ymin) / mpd <= 4 * height - 4:
            level = k
    return View((xmin + xmax) / 2, (ymin + ymax) / 2, level, max(width, 1), max(height, 1))


@dataclass
class Picture:
    """One frame: a string per line, an ink per cell, the marker (lieu id) per cell."""

    lines: list[str]
    inks: np.ndarray  # (height, width) uint8
    ids: np.ndarray  # (height, width) int64, -1 where no marker
    shown: int = 0  # markers inside the frame

    def marker_at(self, column: int, row: int) -> int | None:
        if 0 <= row < self.inks.shape[0] and 0 <= column < self.inks.shape[1]:
            value = int(self.ids[row, column])
            return value if value >= 0 else None
        return None


@dataclass
class Rasteriser:
    """Draws views of Paris; keeps each level's outline and Seine dots once computed."""

    geometry: Geometry = field(default_factory=paris_geometry)
    _cache: dict[tuple[int, str], np.ndarray] = field(default_factory=dict)

    def dots(self, level: int, layer: str) -> np.ndarray:
        key = (level, layer)
        found = self._cache.get(key)
        if found is None:
            import numpy as np

            mpd = LEVELS[level]
            if layer == "seine":  # two dots wide: the river reads apart from the boundaries
                found = _line_dots(self.geometry.seine, mpd)
                both = np.vstack([found, found + (0, 1)])
                found = _unique_dots(both[:, 0], both[:, 1])
            else:
                found = _line_dots(self.geometry.outlines, mpd)
            self._cache[key] = found
        return found

    def warm(self, levels: Any = None) -> None:
        """Compute the levels' dots ahead (in a worker: the first zoom to a level is then
        as quick as the others)."""
        for level in range(len(LEVELS)) if levels is None else levels:
            self.dots(level, "outline")
            self.dots(level, "seine")

    def draw(
        self,
        view: View,
        markers: Markers | None = None,
        selected: int | None = None,
        shoots: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> Picture:
        import numpy as np

        w, h = max(view.width, 1), max(view.height, 1)
        bits = np.zeros((h, w), dtype=np.uint32)
        inks = np.zeros((h, w), dtype=np.uint8)
        ox, oy = view.origin()
        origin = np.array([ox, oy], dtype=np.int64)
        layers: list[tuple[np.ndarray, Ink]] = []
        if shoots is not None and len(shoots[0]):
            sx = np.floor(shoots[0] / view.mpd).astype(np.int64)
            sy = np.floor(-shoots[1] / view.mpd).astype(np.int64)
            layers.append((np.stack([sx, sy], axis=1), Ink.SHOOT))
        layers.append((self.dots(view.level, "outline"), Ink.OUTLINE))
        layers.append((self.dots(view.level, "seine"), Ink.SEINE))
        table = np.array(_BITS, dtype=np.uint32)
        for dots, ink in layers:
            local = dots - origin
            lx, ly = local[:, 0], local[:, 1]
            inside = (lx >= 0) & (lx < 2 * w) & (ly >= 0) & (ly < 4 * h)
            lx, ly = lx[inside], ly[inside]
            rows, cols = ly >> 2, lx >> 1
            np.bitwise_or.at(bits, (rows, cols), table[ly & 3, lx & 1])
            np.maximum.at(inks, (rows, cols), np.uint8(ink))
        codes = np.where(bits > 0, 0x2800 + bits, 0x20).astype(np.uint32)
        ids = np.full((h, w), -1, dtype=np.int64)
        shown = 0
        if markers is not None and len(markers):
            mx = (np.floor(markers.xs / view.mpd).astype(np.int64) - ox) >> 1
            my = (np.floor(-markers.ys / view.mpd).astype(np.int64) - oy) >> 2
            inside = (mx >= 0) & (mx < w) & (my >= 0) & (my < h)
            idx = np.flatnonzero(inside)
            shown = len(idx)
            if shown:
                cell = my[idx] * w + mx[idx]
                order = np.lexsort((markers.rank[idx], cell))  # by cell, the winner last
                idx, cell = idx[order], cell[order]
                last = np.ones(len(cell), dtype=bool)
                last[:-1] = cell[1:] != cell[:-1]
                idx, cell = idx[last], cell[last]
                r, c = cell // w, cell % w
                codes[r, c] = np.where(markers.retained[idx], ord(STAR), ord(DOT))
                inks[r, c] = markers.inks[idx]
                ids[r, c] = markers.ids[idx]
            chosen = markers.index_of(selected)
            if chosen is not None:
                col, row = view.cell_of(float(markers.xs[chosen]), float(markers.ys[chosen]))
                if 0 <= col < w and 0 <= row < h:
                    codes[row, col] = ord(STAR if markers.retained[chosen] else DOT)
                    inks[row, col] = Ink.SELECTED
                    ids[row, col] = int(markers.ids[chosen])
        taken = np.zeros((h, w), dtype=bool)
        for label in (*self.geometry.numbers, *self.geometry.bois):
            self._label(view, label, codes, inks, taken, ids >= 0)
        text = codes.astype("<u4").tobytes().decode("utf-32-le")
        lines = [text[r * w : (r + 1) * w] for r in range(h)]
        return Picture(lines, inks, ids, shown)

    @staticmethod
    def _label(view: View, label: Label, codes: Any, inks: Any, taken: Any, marked: Any) -> None:
        """Write a label centred on its point, or a line above or below where that leaves
        the markers and the other labels visible. A number finds no such place among many
        markers: it is written on its centroid all the same (where you are matters more
        than one marker out of a crowd); a Bois' name gives way."""
        from scout.i18n import _

        h, w = codes.shape
        col, at = view.cell_of(label.x, label.y)
        tries = [(at, True), (at - 1, True), (at + 1, True)]
        if label.ink == Ink.NUMBER:
            tries.append((at, False))
        for text in dict.fromkeys((_(label.text), _(label.short))):
            start = col - len(text) // 2
            lo, hi = max(start, 0), min(start + len(text), w)
            if hi - lo < len(text):
                continue
            for row, spare_markers in tries:
                if not (0 <= row < h) or taken[row, max(lo - 1, 0) : hi + 1].any():
                    continue
                if spare_markers and marked[row, lo:hi].any():
                    continue
                for k, char in enumerate(text):
                    codes[row, start + k] = ord(char)
                inks[row, lo:hi] = label.ink
                taken[row, lo:hi] = True
                return
