"""Benchmark of the maps (issue 12): the GeoJSON export of 20,000 lieux, beside
`json.dumps` of the same features alone, measured in the same run.

    python tests/bench_maps.py      one JSON object of figures

`bench_maps(tmp)` is what tests/bench.py calls for its group "maps" (see the report).
"""

from __future__ import annotations

import gc
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import N_LIEUX, median_ms, realistic_db  # noqa: E402


def bench_maps(tmp: Path, n: int = N_LIEUX, runs: int = 5) -> dict:
    from scout.exports.geojson import feature, feature_collection
    from scout.files import write_atomic
    from scout.services.maps import map_lieux
    from scout.services.workspace import Workspace
    from scout.settings import Settings

    path = realistic_db(tmp / "maps.db", n)
    gc.collect()
    ours, base, reads = [], [], []
    features: list[dict] = []
    for k in range(runs):
        ws = Workspace.open(Settings.load(str(path)), read_only=True)
        try:
            t0 = time.perf_counter()
            found = map_lieux(ws)
            t1 = time.perf_counter()
            # as `scout export geojson` does: each feature made and written in turn
            data = feature_collection(feature(lieu, sid) for lieu, sid in found.placed)
            write_atomic(tmp / f"ours{k}.geojson", data)
            t2 = time.perf_counter()
            features = [feature(lieu, sid) for lieu, sid in found.placed]  # not timed
        finally:
            ws.close()
        reads.append(t1 - t0)
        ours.append(t2 - t0)
        # the baseline: the same features, already made, through the json module alone
        t = time.perf_counter()
        data = json.dumps(
            {"type": "FeatureCollection", "features": features}, ensure_ascii=False
        ).encode()
        (tmp / f"base{k}.geojson").write_bytes(data)
        base.append(time.perf_counter() - t)
    assert len(features) == n
    ours_ms, base_ms = median_ms(ours), median_ms(base)
    write_ms = median_ms([o - r for o, r in zip(ours, reads, strict=True)])
    return {
        # the whole export: the lieux read from the database, features made and written
        "geojson_export_20000_ms": ours_ms,
        "geojson_export_20000_baseline_json_module_ms": base_ms,
        "geojson_export_20000_ratio": round(ours_ms / base_ms, 2),
        # its two parts: reading 20,000 whole lieux (the store's), writing (the export's)
        "geojson_export_20000_read_lieux_ms": median_ms(reads),
        "geojson_export_20000_write_ms": write_ms,
        "geojson_export_20000_write_ratio": round(write_ms / base_ms, 2),
    }


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as name:
        print(json.dumps(bench_maps(Path(name)), indent=2))
