"""Build scout's own Paris geodata from the City's open data.

    python geodata/build.py [--source ../shared/data/paris] [--out geodata]

Reads the City's `arrondissements.geojson` and `mairies.csv` (ODbL) and this folder's
`zones.toml`, and writes:

- `paris.geojson`: the 20 arrondissements, normalised (number, INSEE code, official
  name), simplified in Lambert-93 metres so that no boundary moves by more than 1 m,
  coordinates rounded to 1e-6° (about 0.1 m); plus the approximate Butte Montmartre zone,
  clipped to the 18th;
- `mairies.json`: the 17 mairies and the arrondissements each serves.

Every check below must pass or the build stops without writing: each polygon valid,
Hausdorff distance ≤ 1 m and the area moved small against the original, no overlap or gap
between neighbours beyond the tolerance, and the 20 together covering the City's Paris.
The output is deterministic, so a test can prove the shipped files are what this builds.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tomllib
from pathlib import Path

ATTRIBUTION = "Source : Ville de Paris — opendata.paris.fr (ODbL)"
SIMPLIFY_M = 0.5  # Douglas-Peucker tolerance in metres
MAX_MOVE_M = 1.0  # no boundary may move more than this
DECIMALS = 6
HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parent.parent / "shared" / "data" / "paris"


class BuildError(Exception):
    pass


def _transformers():
    from pyproj import Transformer

    to_l93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    to_wgs = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
    return to_l93, to_wgs


def _project(geometry, transformer):
    import shapely

    return shapely.transform(geometry, transformer.transform, interleaved=False)


def build_arrondissements(source: Path) -> tuple[list[dict], dict]:
    import shapely
    from shapely.geometry import Polygon, mapping, shape
    from shapely.ops import unary_union

    to_l93, to_wgs = _transformers()
    raw = json.loads((source / "arrondissements.geojson").read_text(encoding="utf-8"))
    features, originals, simplified, report = [], {}, {}, {}
    for feat in sorted(raw["features"], key=lambda f: int(f["properties"]["c_ar"])):
        props = feat["properties"]
        number = int(props["c_ar"])
        original = _project(shape(feat["geometry"]), to_l93)
        simple = original.simplify(SIMPLIFY_M, preserve_topology=True)
        # Round in WGS84, then measure the result against the original in metres.
        wgs = shapely.set_precision(_project(simple, to_wgs), 10**-DECIMALS)
        back = _project(wgs, to_l93)
        if not wgs.is_valid or not back.is_valid:
            raise BuildError(f"arrondissement {number}: simplified polygon is not valid")
        hausdorff = original.hausdorff_distance(back)
        moved = original.symmetric_difference(back).area
        if hausdorff > MAX_MOVE_M:
            raise BuildError(f"arrondissement {number}: boundary moved {hausdorff:.2f} m")
        if moved > original.length * MAX_MOVE_M:
            raise BuildError(f"arrondissement {number}: {moved:.0f} m² moved")
        originals[number], simplified[number] = original, back
        report[number] = {
            "hausdorff_m": round(hausdorff, 3),
            "area_moved_m2": round(moved, 1),
            "vertices": [len(original.exterior.coords), len(back.exterior.coords)],
        }
        assert isinstance(wgs, Polygon)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "arrondissement",
                    "number": number,
                    "insee": int(props["c_arinsee"]),
                    "name": props["l_aroff"],
                },
                "geometry": mapping(wgs),
            }
        )
    if sorted(simplified) != list(range(1, 21)):
        raise BuildError(f"expected arrondissements 1..20, got {sorted(simplified)}")
    # Neighbours: no overlap thicker than the tolerance, no gap that was not in the source.
    polys = [simplified[n] for n in range(1, 21)]
    for i, a in enumerate(polys):
        for b in polys[i + 1 :]:
            overlap = a.intersection(b)
            if overlap.area > overlap.length * MAX_MOVE_M:
                raise BuildError("two arrondissements overlap beyond the tolerance")
    paris = unary_union(polys)
    source_paris = unary_union(list(originals.values()))
    gap = source_paris.difference(paris)
    if gap.area > source_paris.length * MAX_MOVE_M:
        raise BuildError(f"the simplified arrondissements leave {gap.area:.0f} m² uncovered")
    report["paris_area_km2"] = round(paris.area / 1e6, 3)
    return features, report


def build_zone_features(zones_file: Path, arrondissement_18: dict) -> list[dict]:
    import shapely
    from shapely.geometry import Polygon, mapping, shape

    zones = tomllib.loads(zones_file.read_text(encoding="utf-8"))
    features = []
    for area_id, area in sorted(zones.get("areas", {}).items()):
        outline = Polygon(area["outline"])
        clipped = outline.intersection(shape(arrondissement_18["geometry"]))
        clipped = shapely.set_precision(clipped, 10**-DECIMALS)
        if clipped.is_empty or not clipped.is_valid:
            raise BuildError(f"zone {area_id}: outline does not lie in the 18th")
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "area",
                    "id": area_id,
                    "name": area["label"],
                    "approximate": bool(area.get("approximate", False)),
                },
                "geometry": mapping(clipped),
            }
        )
    return features


def build_mairies(source: Path) -> dict:
    mairies = []
    seen: set[int] = set()
    with (source / "mairies.csv").open(encoding="utf-8-sig", newline="") as f:
        for line, row in enumerate(csv.DictReader(f, delimiter=";"), start=2):
            served = [int(n) for n in row["arrondissements"].split(",")]
            if seen & set(served):
                raise BuildError(f"mairies.csv line {line}: an arrondissement served twice")
            seen |= set(served)
            mairies.append(
                {
                    "name": row["name"].strip(),
                    "sector": row["sector"].strip(),
                    "arrondissements": served,
                    "address": f"{row['address'].strip()}, {row['postcode'].strip()} Paris",
                }
            )
    if seen != set(range(1, 21)):
        raise BuildError(f"mairies.csv does not serve every arrondissement: {sorted(seen)}")
    return {
        "attribution": ATTRIBUTION,
        "note": "Postal addresses as published by the City; re-check before printing a dossier.",
        "mairies": mairies,
    }


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def build(source: Path, out: Path) -> dict:
    arrondissements, report = build_arrondissements(source)
    zones = build_zone_features(HERE / "zones.toml", arrondissements[17])
    collection = {
        "type": "FeatureCollection",
        "attribution": ATTRIBUTION,
        "note": (
            "Simplified from the City's arrondissements (boundaries moved by at most "
            f"{MAX_MOVE_M:g} m) by geodata/build.py. Areas marked approximate are drawn by hand."
        ),
        "features": arrondissements + zones,
    }
    outputs = {"paris.geojson": dumps(collection), "mairies.json": dumps(build_mairies(source))}
    out.mkdir(parents=True, exist_ok=True)
    for name, text in outputs.items():
        (out / name).write_text(text, encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    try:
        report = build(args.source, args.out)
    except (BuildError, OSError, KeyError, ValueError) as e:
        print(f"build failed: {e}", file=sys.stderr)
        return 1
    worst = max(v["hausdorff_m"] for k, v in report.items() if isinstance(k, int))
    print(
        f"built {args.out}: 20 arrondissements, worst boundary move {worst} m, "
        f"Paris {report['paris_area_km2']} km²"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
