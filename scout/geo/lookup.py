"""Boundary-aware arrondissement lookup.

Most of Paris is far from any boundary, so a grid of 100 m cells answers most points
with one array read: a cell that no boundary (widened by the tolerance) reaches lies
wholly inside one arrondissement, or wholly outside Paris. Only points in the other cells
go through shapely: which polygons cover the point, and which boundary segments lie
within the tolerance (an STRtree of segments), both vectorised.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import orjson

from scout.domain.values import arrondissement_ordinal, parse_latitude, parse_longitude
from scout.errors import ValidationError
from scout.geo.plane import KX, KY, LAT0, LON0
from scout.i18n import Text, _

if TYPE_CHECKING:
    import numpy as np

TOLERANCE_M = 15.0
CELL_M = 100.0
FAR_M = 20_000.0  # beyond this from Paris, distances are measured on the ellipsoid
# A rough box around Paris, used to recognise swapped coordinates.
PARIS_BOX = (48.80, 48.93, 2.20, 2.48)  # lat min, lat max, lon min, lon max
ATTRIBUTION = "Source : Ville de Paris — opendata.paris.fr (ODbL)"


@dataclass(frozen=True, slots=True)
class Mairie:
    name: str
    address: str
    arrondissements: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ZoneRule:
    id: str
    text_text: Text  # both languages (zones.toml); `text` is the run's
    effective: date | None
    confidence: str
    source_text: Text

    @property
    def text(self) -> str:
        return str(self.text_text)

    @property
    def source(self) -> str:
        return str(self.source_text)


@dataclass(frozen=True, slots=True)
class Zone:
    id: str
    label_text: Text
    tech_vehicle_cap: int
    parking_arretes: bool
    rules: tuple[ZoneRule, ...]

    @property
    def label(self) -> str:
        return str(self.label_text)

    @property
    def under_pressure(self) -> bool:
        return self.id == "sous_tension"


@dataclass(frozen=True, slots=True)
class Arrondissement:
    number: int
    insee: int
    name: str
    mairie: Mairie
    zone: Zone

    @property
    def label(self) -> str:
        return arrondissement_ordinal(self.number)


@dataclass(frozen=True, slots=True)
class Candidate:
    number: int
    distance_m: float


@dataclass(frozen=True, slots=True)
class Remark:
    """Something worth knowing about a position, as a code and neutral values: JSON gives
    them as they are; `text()` says it in the language of the run, where it is shown.

    kinds: "postcode_disagrees" (postcode, postcode_arrondissement, arrondissement),
    "on_boundary" (tolerance_m, candidates: ((number, distance_m), …)),
    "outside_paris" (distance_m, nearest_arrondissement), "in_area" (area, name),
    "near_approximate_zone"."""

    kind: str
    values: tuple[tuple[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        for key, value in self.values:
            if key == "candidates":
                value = [{"arrondissement": n, "distance_m": round(d, 2)} for n, d in value]
            elif isinstance(value, float):
                value = round(value, 1)
            out[key] = value
        return out

    def text(self) -> str:
        from scout.i18n import formats

        v = dict(self.values)
        if self.kind == "postcode_disagrees":
            return _("postcode {postcode} says the {said}, the position says the {found}").format(
                postcode=v["postcode"],
                said=arrondissement_ordinal(v["postcode_arrondissement"]),
                found=arrondissement_ordinal(v["arrondissement"]),
            )
        if self.kind == "on_boundary":
            names = ", ".join(
                # i18n: an arrondissement on a boundary and how far the position is from it
                _("{arrondissement} ({distance})").format(
                    arrondissement=arrondissement_ordinal(n),
                    distance=f"{formats.number(d, 1)}\u00a0m",
                )
                for n, d in v["candidates"]
            )
            return _("on a boundary: within {tolerance} of {names}").format(
                tolerance=formats.metres(v["tolerance_m"]), names=names
            )
        if self.kind == "outside_paris":
            return _("outside Paris, {distance} from the {arrondissement}").format(
                distance=formats.metres(v["distance_m"]),
                arrondissement=arrondissement_ordinal(v["nearest_arrondissement"]),
            )
        if self.kind == "in_area":
            return _("in the {area}").format(area=v["name"])
        return _("near the edge of an approximate zone: check on the ground")


@dataclass(frozen=True, slots=True)
class Location:
    lat: float
    lon: float
    arrondissement: Arrondissement | None
    zone: Zone | None
    on_boundary: bool = False
    candidates: tuple[Candidate, ...] = ()
    outside_paris: bool = False
    distance_to_paris_m: float = 0.0
    nearest: int | None = None
    area: str | None = None  # a named area such as the Butte Montmartre
    approximate_zone: bool = False
    decided_by: str = "position"
    remarks: tuple[Remark, ...] = field(default=())

    @property
    def notes(self) -> tuple[str, ...]:
        """The remarks as a person reads them, in the language of the run."""
        return tuple(remark.text() for remark in self.remarks)

    def to_dict(self) -> dict[str, Any]:
        arr, zone = self.arrondissement, self.zone
        return {
            "lat": self.lat,
            "lon": self.lon,
            "outside_paris": self.outside_paris,
            "distance_to_paris_m": round(self.distance_to_paris_m, 1),
            "nearest_arrondissement": self.nearest,
            "arrondissement": arr.number if arr else None,
            "insee": arr.insee if arr else None,
            "name": arr.name if arr else None,
            "mairie": {"name": arr.mairie.name, "address": arr.mairie.address} if arr else None,
            "zone": {
                "id": zone.id,
                "label": zone.label_text.to_dict(),
                "under_pressure": zone.under_pressure,
                "tech_vehicle_cap": zone.tech_vehicle_cap,
                "parking_arretes": zone.parking_arretes,
                "approximate": self.approximate_zone,
                "rules": [
                    {
                        "id": r.id,
                        "text": r.text_text.to_dict(),
                        "confidence": r.confidence,
                        "source": r.source_text.to_dict(),
                        "effective": r.effective.isoformat() if r.effective else None,
                    }
                    for r in zone.rules
                ],
            }
            if zone
            else None,
            "area": self.area,
            "on_boundary": self.on_boundary,
            "candidates": [
                {"arrondissement": c.number, "distance_m": round(c.distance_m, 2)}
                for c in self.candidates
            ],
            "decided_by": self.decided_by,
            "notes": [remark.to_dict() for remark in self.remarks],
            "attribution": ATTRIBUTION,
        }


def postcode_arrondissement(postcode: str | None) -> int | None:
    """75001–75020 → 1–20; 75116 (north of the 16th) → 16; anything else → None."""
    if not postcode:
        return None
    code = postcode.strip()
    if code == "75116":
        return 16
    if len(code) == 5 and code.startswith("750") and code.isdigit() and 1 <= int(code[3:]) <= 20:
        return int(code[3:])
    return None


@cache
def _zones_file() -> dict[str, Any]:
    text = resources.files("scout.geodata").joinpath("zones.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def zone_of_arrondissement(number: int | None) -> str | None:
    """The zone of a whole arrondissement (without a position: no Butte Montmartre),
    read from zones.toml without loading the polygons."""
    if number is None:
        return None
    for zone_id, zone in _zones_file()["zones"].items():
        if number in zone["arrondissements"]:
            return str(zone_id)
    return None


def vehicle_caps() -> dict[str, int]:
    return {zid: int(z["tech_vehicle_cap"]) for zid, z in _zones_file()["zones"].items()}


def check_position(lat: Any, lon: Any) -> tuple[float, float]:
    """Validate a position; say so when latitude and longitude look swapped."""
    lat_f = parse_latitude(lat)
    lon_f = parse_longitude(lon)
    lat_min, lat_max, lon_min, lon_max = PARIS_BOX
    if lat_min <= lon_f <= lat_max and lon_min <= lat_f <= lon_max:
        raise ValidationError(
            "position",
            _(
                "latitude and longitude look swapped: {lat},{lon} is off the coast of Africa; "
                "did you mean {lon},{lat}?"
            ).format(lat=lat_f, lon=lon_f),
        )
    return lat_f, lon_f


class ParisData:
    """The geodata, loaded once: polygons and segments in plane metres, the grid, the rules."""

    def __init__(self) -> None:
        import numpy as np
        import shapely

        root = resources.files("scout.geodata")
        collection = orjson.loads(root.joinpath("paris.geojson").read_bytes())
        mairies_doc = orjson.loads(root.joinpath("mairies.json").read_bytes())
        zones_doc = _zones_file()
        self.zones = _zones(zones_doc)
        self.area_zone: dict[str, str] = {
            area: zone_id
            for zone_id, z in zones_doc["zones"].items()
            for area in z.get("areas", ())
        }
        self.area_edge_m = {
            k: float(v.get("edge_tolerance_m", 0)) for k, v in zones_doc.get("areas", {}).items()
        }
        zone_of = {n: zid for zid, z in zones_doc["zones"].items() for n in z["arrondissements"]}
        mairie_of = {}
        for m in mairies_doc["mairies"]:
            mairie = Mairie(m["name"], m["address"], tuple(m["arrondissements"]))
            for n in mairie.arrondissements:
                mairie_of[n] = mairie

        polygons, numbers, self.arrondissements = [], [], {}
        area_polys, self.area_ids, self.area_labels = [], [], {}
        for feat in collection["features"]:
            props = feat["properties"]
            poly = _plane_polygon(feat["geometry"])
            if props["kind"] == "arrondissement":
                n = props["number"]
                numbers.append(n)
                polygons.append(poly)
                self.arrondissements[n] = Arrondissement(
                    n, props["insee"], props["name"], mairie_of[n], self.zones[zone_of[n]]
                )
            else:
                area_polys.append(poly)
                self.area_ids.append(props["id"])
                self.area_labels[props["id"]] = props["name"]
        self.numbers = np.array(numbers, dtype=np.int16)
        self.number_list = numbers
        self.polygons = np.array(polygons, dtype=object)
        self.areas = np.array(area_polys, dtype=object)
        for g in (*self.polygons, *self.areas):
            shapely.prepare(g)
        self.poly_tree = shapely.STRtree(self.polygons)
        # Boundary segments, each tagged with its polygon, for "what lies within 15 m".
        segs, owner = [], []
        for i, poly in enumerate(self.polygons):
            ring = shapely.get_coordinates(poly.exterior)
            segs.append(np.stack([ring[:-1], ring[1:]], axis=1))
            owner.append(np.full(len(ring) - 1, i))
        self.segments = shapely.linestrings(np.concatenate(segs))
        self.segment_owner = np.concatenate(owner)
        self.segment_tree = shapely.STRtree(self.segments)
        self._build_grid(np, shapely)

    def _build_grid(self, np: Any, shapely: Any) -> None:
        xmin, ymin, xmax, ymax = shapely.total_bounds(self.polygons)
        pad = TOLERANCE_M + CELL_M
        self.gx0, self.gy0 = xmin - pad, ymin - pad
        self.nx = int((xmax - xmin + 2 * pad) // CELL_M) + 1
        self.ny = int((ymax - ymin + 2 * pad) // CELL_M) + 1
        ix, iy = np.meshgrid(np.arange(self.nx), np.arange(self.ny), indexing="ij")
        x0 = self.gx0 + ix.ravel() * CELL_M
        y0 = self.gy0 + iy.ravel() * CELL_M
        t = TOLERANCE_M
        boxes = shapely.box(x0 - t, y0 - t, x0 + CELL_M + t, y0 + CELL_M + t)
        # grid value: polygon index (0..19) when wholly inside one, -1 wholly outside, -2 look.
        grid = np.full(len(boxes), -1, dtype=np.int8)
        centers_x, centers_y = x0 + CELL_M / 2, y0 + CELL_M / 2
        for i, poly in enumerate(self.polygons):
            grid[shapely.contains_xy(poly, centers_x, centers_y)] = i
        near = np.unique(self.segment_tree.query(boxes, predicate="intersects")[0])
        grid[near] = -2
        for area, edge in zip(self.areas, self.area_edge_m.values()):
            wide = shapely.buffer(area, edge + t)
            grid[shapely.intersects(wide, boxes)] = -2
        self.grid = grid
        # A list reads faster than an array, one cell at a time.
        self.grid_list: list[int] = grid.tolist()

    def cell(self, x: float, y: float) -> int:
        ix = int((x - self.gx0) // CELL_M)
        iy = int((y - self.gy0) // CELL_M)
        if 0 <= ix < self.nx and 0 <= iy < self.ny:
            return self.grid_list[ix * self.ny + iy]
        return -1

    def cells(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        import numpy as np

        ix = ((xs - self.gx0) // CELL_M).astype(np.int64)
        iy = ((ys - self.gy0) // CELL_M).astype(np.int64)
        inside = (ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny)
        out = np.full(len(xs), -1, dtype=np.int8)
        out[inside] = self.grid[ix[inside] * self.ny + iy[inside]]
        return out

    def resolve(
        self, xs: np.ndarray, ys: np.ndarray, tolerance: float
    ) -> list[tuple[list[int], dict[int, float], float, int]]:
        """The slow path, vectorised: for each point, (covering polygons, {polygon: distance
        within tolerance}, distance to Paris, nearest polygon)."""
        import shapely

        points = shapely.points(xs, ys)
        covering: list[list[int]] = [[] for _ in range(len(xs))]
        pi, gi = self.poly_tree.query(points, predicate="intersects")
        for p, g in zip(pi.tolist(), gi.tolist()):
            covering[p].append(g)
        near: list[dict[int, float]] = [{} for _ in range(len(xs))]
        pi, si = self.segment_tree.query(points, predicate="dwithin", distance=tolerance)
        if len(pi):
            dist = shapely.distance(points[pi], self.segments[si])
            for p, owner, d in zip(pi.tolist(), self.segment_owner[si].tolist(), dist.tolist()):
                if d < near[p].get(owner, math.inf):
                    near[p][owner] = d
        results = []
        lonely = [i for i in range(len(xs)) if not covering[i]]
        nearest_of: dict[int, tuple[int, float]] = {}
        if lonely:
            (qi, ti), dists = self.poly_tree.query_nearest(points[lonely], return_distance=True)
            for q, t, d in zip(qi.tolist(), ti.tolist(), dists.tolist()):
                nearest_of.setdefault(lonely[q], (t, d))
        for i in range(len(xs)):
            for g in covering[i]:
                near[i][g] = 0.0
            t, d = nearest_of.get(i, (covering[i][0] if covering[i] else -1, 0.0))
            results.append((sorted(covering[i]), near[i], d, t))
        return results

    def nearest(self, x: float, y: float) -> tuple[int, float]:
        import shapely

        point = shapely.Point(x, y)
        indices, distances = self.poly_tree.query_nearest(point, return_distance=True)
        index, distance = int(indices[0]), float(distances[0])
        if distance > FAR_M:  # the plane bends away from the Earth: measure on the ellipsoid
            from geopy.distance import geodesic

            near = shapely.shortest_line(self.polygons[index], point).coords[0]
            distance = geodesic(
                (LAT0 + near[1] / KY, LON0 + near[0] / KX), (LAT0 + y / KY, LON0 + x / KX)
            ).meters
        return index, distance

    def area_at(self, x: float, y: float) -> tuple[str | None, bool]:
        """(area id the point is in, whether the point is in or near an approximate area)."""
        import shapely

        for area_id, poly in zip(self.area_ids, self.areas):
            inside = bool(shapely.contains_xy(poly, x, y))
            edge = float(shapely.distance(poly.exterior, shapely.Point(x, y)))
            near_edge = edge <= self.area_edge_m.get(area_id, 0.0)
            if inside or near_edge:
                return (area_id if inside else None), True
        return None, False


def _plane_polygon(geometry: dict[str, Any]) -> Any:
    import numpy as np
    import shapely

    rings = []
    for ring in geometry["coordinates"]:
        arr = np.asarray(ring, dtype=float)
        rings.append(np.column_stack(((arr[:, 0] - LON0) * KX, (arr[:, 1] - LAT0) * KY)))
    return shapely.Polygon(rings[0], rings[1:])


def _zones(doc: dict[str, Any]) -> dict[str, Zone]:
    rules = doc.get("rules", [])
    zones = {}
    for zone_id, z in doc["zones"].items():
        applying = tuple(
            ZoneRule(
                r["id"],
                Text.of(r["text"]),
                r.get("effective"),
                r["confidence"],
                Text.of(r["source"]),
            )
            for r in rules
            if r["zone"] in (zone_id, "all")
        )
        zones[zone_id] = Zone(
            zone_id,
            Text.of(z["label"]),
            int(z["tech_vehicle_cap"]),
            bool(z["parking_arretes"]),
            applying,
        )
    return zones


@cache
def paris() -> ParisData:
    """The geodata, loaded on first use and kept."""
    return ParisData()


def locate(
    lat: Any, lon: Any, postcode: str | None = None, *, tolerance_m: float = TOLERANCE_M
) -> Location:
    """Where a position lies. Raises ValidationError for a position that is not one."""
    lat_f, lon_f = check_position(lat, lon)
    data = paris()
    x, y = (lon_f - LON0) * KX, (lat_f - LAT0) * KY
    cell = data.cell(x, y) if tolerance_m == TOLERANCE_M else -2
    if cell >= 0:
        arr = data.arrondissements[data.number_list[cell]]
        return _with_postcode(Location(lat_f, lon_f, arr, arr.zone), postcode, data)
    import numpy as np

    if cell == -1:  # no boundary within the tolerance, and not in Paris
        nearest, dist = data.nearest(x, y)
        return _build(data, lat_f, lon_f, x, y, [], {}, dist, nearest, postcode)

    covering, near, dist, nearest = data.resolve(np.array([x]), np.array([y]), tolerance_m)[0]
    return _build(data, lat_f, lon_f, x, y, covering, near, dist, nearest, postcode)


def _build(
    data: ParisData,
    lat: float,
    lon: float,
    x: float,
    y: float,
    covering: list[int],
    near: dict[int, float],
    dist: float,
    nearest: int,
    postcode: str | None,
) -> Location:
    numbers = data.numbers
    candidates = tuple(
        sorted(
            (Candidate(int(numbers[i]), d) for i, d in near.items()),
            key=lambda c: (c.distance_m, c.number),
        )
    )
    on_boundary = len(candidates) > 1 or (not covering and bool(candidates))
    notes: list[Remark] = []
    chosen: int | None = int(numbers[covering[0]]) if covering else None
    outside = not covering
    decided_by = "position"
    wanted = postcode_arrondissement(postcode)
    if on_boundary and wanted is not None and any(c.number == wanted for c in candidates):
        if chosen != wanted:
            decided_by = "postcode"
        chosen, outside = wanted, False
    elif wanted is not None and chosen is not None and wanted != chosen:
        notes.append(_postcode_note(postcode, wanted, chosen))
    if on_boundary:
        around = tuple((c.number, c.distance_m) for c in candidates)
        notes.append(Remark("on_boundary", (("tolerance_m", TOLERANCE_M), ("candidates", around))))
    if outside:
        notes.append(
            Remark(
                "outside_paris",
                (("distance_m", dist), ("nearest_arrondissement", int(numbers[nearest]))),
            )
        )
        return Location(
            lat,
            lon,
            None,
            None,
            on_boundary,
            candidates,
            True,
            dist,
            int(numbers[nearest]),
            remarks=tuple(notes),
        )
    assert chosen is not None
    arr = data.arrondissements[chosen]
    zone, area, approximate = arr.zone, None, False
    if chosen == 18 or any(c.number == 18 for c in candidates):
        area, approximate = data.area_at(x, y)
        if area is not None:
            zone = data.zones[data.area_zone[area]]
            notes.append(Remark("in_area", (("area", area), ("name", data.area_labels[area]))))
        elif approximate:
            notes.append(Remark("near_approximate_zone"))
    return Location(
        lat,
        lon,
        arr,
        zone,
        on_boundary,
        candidates,
        False,
        0.0,
        chosen,
        area,
        approximate,
        decided_by,
        tuple(notes),
    )


def _with_postcode(location: Location, postcode: str | None, data: ParisData) -> Location:
    wanted = postcode_arrondissement(postcode)
    arr = location.arrondissement
    if wanted is None or arr is None or wanted == arr.number:
        return location
    return Location(
        location.lat,
        location.lon,
        arr,
        location.zone,
        remarks=(_postcode_note(postcode, wanted, arr.number),),
    )


def _postcode_note(postcode: str | None, wanted: int, chosen: int) -> Remark:
    return Remark(
        "postcode_disagrees",
        (("postcode", postcode), ("postcode_arrondissement", wanted), ("arrondissement", chosen)),
    )


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Per point: arrondissement number (0 outside Paris), boundary flag, distance to Paris."""

    arrondissement: np.ndarray
    on_boundary: np.ndarray
    outside_paris: np.ndarray


def locate_many(lats: Any, lons: Any, postcodes: Any = None) -> BatchResult:
    """The same answers as `locate`, for arrays of WGS84 coordinates."""
    import numpy as np

    data = paris()
    lats = np.asarray(lats, dtype=float)
    lons = np.asarray(lons, dtype=float)
    xs, ys = (lons - LON0) * KX, (lats - LAT0) * KY
    cells = data.cells(xs, ys)
    arr = np.zeros(len(xs), dtype=np.int16)
    interior = cells >= 0
    arr[interior] = data.numbers[cells[interior]]
    boundary = np.zeros(len(xs), dtype=bool)
    outside = cells == -1
    slow = np.flatnonzero(cells == -2)
    if len(slow):
        slow = _settle(data, xs, ys, slow, arr, boundary, outside, postcodes is not None)
    for k, (covering, near, dist, nearest) in zip(
        slow.tolist(), data.resolve(xs[slow], ys[slow], TOLERANCE_M) if len(slow) else ()
    ):
        loc = _build(
            data,
            float(lats[k]),
            float(lons[k]),
            float(xs[k]),
            float(ys[k]),
            covering,
            near,
            dist,
            nearest,
            postcodes[k],
        )
        arr[k] = loc.arrondissement.number if loc.arrondissement else 0
        boundary[k] = loc.on_boundary
        outside[k] = loc.outside_paris
    return BatchResult(arr, boundary, outside)


def _settle(
    data: ParisData,
    xs: np.ndarray,
    ys: np.ndarray,
    slow: np.ndarray,
    arr: np.ndarray,
    boundary: np.ndarray,
    outside: np.ndarray,
    have_postcodes: bool,
) -> np.ndarray:
    """Answer the points of boundary cells with whole-array operations, as `_build` would.

    Returns the points left for `_build`: the real boundary cases, when postcodes may
    break their ties."""
    import numpy as np
    import shapely

    m = len(slow)
    points = shapely.points(xs[slow], ys[slow])
    pi, gi = data.poly_tree.query(points, predicate="intersects")
    cover_count = np.bincount(pi, minlength=m)
    cover = np.full(m, len(data.numbers), dtype=np.int64)
    np.minimum.at(cover, pi, gi)  # polygons are in arrondissement order: the lowest wins
    qi, si = data.segment_tree.query(points, predicate="dwithin", distance=TOLERANCE_M)
    foreign = np.zeros(m, dtype=bool)
    foreign[qi[data.segment_owner[si] != cover[qi]]] = True
    covered = cover_count > 0
    near_edge = np.bincount(qi, minlength=m) > 0
    on_edge = np.where(covered, (cover_count > 1) | foreign, near_edge)
    if have_postcodes:
        settled = ~on_edge
    else:
        settled = np.ones(m, dtype=bool)
    done = slow[settled]
    arr[done] = np.where(
        covered[settled], data.numbers[np.minimum(cover[settled], len(data.numbers) - 1)], 0
    )
    boundary[done] = on_edge[settled]
    outside[done] = ~covered[settled]
    return slow[~settled]
