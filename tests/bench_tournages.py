"""Benchmark of the City's past shoots, beside its baseline measured in the same run.

    python tests/bench_tournages.py      one JSON object of figures

`tournages_import_s`: `scout import tournages` of the shared 9,241-row sample, end to end
through the installed command (a process of its own: start, read, convert, save) on a
fresh database; `tournages_import_baseline_csv_module_s`: the same file read with the csv
module alone; `tournages_import_ratio` = ours ÷ baseline (target: ours ≤ 3 s).
`nearby_ms`: one `nearby` search (150 m) in a warm workspace, median over the demo lieux.
Not a timed test: nothing here fails, it reports. The sample is ODbL and stays in
../shared (the figures are null when it is absent).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "data" / "paris" / "lieux-de-tournage-sample.csv"
RUNS = 3


def _scout() -> str:
    beside = Path(sys.executable).parent / "scout"
    return str(beside) if beside.exists() else (shutil.which("scout") or "scout")


def _csv_alone(path: Path) -> float:
    started = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert len(rows) > 9000
    return time.perf_counter() - started


def _import_once(tmp: Path, n: int) -> float:
    db = tmp / f"bench-{n}.db"
    env = {
        **os.environ,
        "SCOUT_DB": str(db),
        "SCOUT_LOG_DIR": str(tmp / "logs"),
        "SCOUT_OFFLINE": "1",
        "SCOUT_LANG": "en",
    }
    started = time.perf_counter()
    out = subprocess.run(
        [_scout(), "import", "tournages", str(SAMPLE), "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    elapsed = time.perf_counter() - started
    assert json.loads(out.stdout)["imported"] > 8000
    return elapsed


def _nearby_ms(tmp: Path) -> float:
    from scout.clock import Clock
    from scout.demo import seed_demo
    from scout.services.workspace import Workspace
    from scout.store import open_store

    db = tmp / "nearby.db"
    with open_store(db) as store:
        ws = Workspace(store, Clock())
        seed_demo(ws)
        ws.tournages.import_file(SAMPLE)
        lieux = [lieu.id for lieu in store.query_lieux() if lieu.position is not None]
        ws.tournages.near_lieu(lieux[0])  # the index is built once per store version
        samples = []
        for _round in range(20):
            for lieu_id in lieux:
                started = time.perf_counter()
                ws.tournages.near_lieu(lieu_id)
                samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 3)


def bench_tournages(tmp: Path) -> dict:
    if not SAMPLE.exists():
        return {
            "tournages_import_s": None,
            "tournages_import_baseline_csv_module_s": None,
            "tournages_import_ratio": None,
            "nearby_ms": None,
        }
    ours = min(_import_once(tmp, n) for n in range(RUNS))
    baseline = min(_csv_alone(SAMPLE) for _n in range(RUNS))
    return {
        "tournages_import_s": round(ours, 3),
        "tournages_import_baseline_csv_module_s": round(baseline, 4),
        "tournages_import_ratio": round(ours / baseline, 1),
        "nearby_ms": _nearby_ms(tmp),
    }


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as name:
        print(json.dumps(bench_tournages(Path(name)), indent=2))
