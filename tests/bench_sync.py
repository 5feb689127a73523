"""Benchmark of field sync, beside its baseline measured in the same run.

    python tests/bench_sync.py      one JSON object of figures

`sync_1000_s`: `scout sync` (the service, in this process) of a checkout holding 1,000
edited lieux (a production of 1,000) back to a team file: read both sides, merge each
record, push each in a transaction of its own, note each in the sync record.
`sync_1000_baseline_direct_saves_s`: the same 1,000 edits saved straight into a copy of
the team file, one save each (what a person at the office would have done);
`sync_1000_ratio` = sync ÷ baseline. Target: sync ≤ 2 s. `sync_1000_second_s`: the sync
run again at once (nothing to do); `sync_1000_cpu_s` the processor time of the first (the
machine is shared: the rest is waiting for the disk). `pg_…`: the same with the team on a
local PostgreSQL (pgserver, or SCOUT_TEST_PG; null without one), its baseline the same
edits saved straight into it. Not a timed test: nothing here fails, it reports.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
N = 1000


def _team(path: Path | str) -> None:
    from bench import realistic_docs

    from scout.domain import Production
    from scout.store import open_store
    from scout.store.documents import lieu_from_dict

    with open_store(path) as store:
        production = store.add_production(
            Production("Bench", created_at="2026-11-01T10:00:00+01:00")
        )
        with store.transaction():
            for doc in realistic_docs(N):
                store.add_lieu(lieu_from_dict({**doc, "production_id": production.id}))


def _edit_all(path: Path | str) -> None:
    """1,000 edits, one save each, as a scout in the field makes them."""
    from dataclasses import replace

    from scout.store import open_store

    with open_store(path) as store:
        for lieu in store.query_lieux():
            store.update_lieu(replace(lieu, notes=f"{lieu.notes} vu le 23/11"))


def _sync_figures(tmp: Path, team: Path | str, prefix: str) -> dict[str, float]:
    """Checkout of the team's production, 1,000 edits in the field, sync, sync again."""
    from scout.clock import Clock
    from scout.services.sync import checkout, sync
    from scout.store import open_store
    from scout.store.tinydb_store import open_store as open_file

    field = tmp / f"{prefix}field.db"
    with open_store(team) as store:
        checkout(store, 1, field, Clock(), "bench")
    _edit_all(field)
    started, cpu = time.perf_counter(), time.process_time()
    with open_store(team) as store, open_file(field) as local:
        report = sync(store, local, Clock(), "bench")
    ours, ours_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert report.pushed == N and report.pulled == 0, report
    started = time.perf_counter()
    with open_store(team) as store, open_file(field) as local:
        again = sync(store, local, Clock(), "bench")
    second = time.perf_counter() - started
    assert again.pushed == again.pulled == 0
    return {
        f"{prefix}sync_1000_s": round(ours, 3),
        f"{prefix}sync_1000_cpu_s": round(ours_cpu, 3),
        f"{prefix}sync_1000_second_s": round(second, 3),
    }


def bench_sync(tmp: Path) -> dict[str, float | None]:
    team = tmp / "team.db"
    _team(team)
    baseline_copy = tmp / "baseline.db"
    shutil.copy(team, baseline_copy)
    started = time.perf_counter()
    _edit_all(baseline_copy)
    baseline = time.perf_counter() - started
    figures: dict[str, float | None] = {**_sync_figures(tmp, team, "")}
    figures["sync_1000_baseline_direct_saves_s"] = round(baseline, 3)
    figures["sync_1000_ratio"] = round(float(figures["sync_1000_s"] or 0) / baseline, 2)
    figures.update(_postgresql(tmp))
    return figures


def _postgresql(tmp: Path) -> dict[str, float | None]:
    """The same sync to a team on a local PostgreSQL (pgserver, or SCOUT_TEST_PG)."""
    import os

    try:
        from pg import PgServer, start_pgserver
    except ImportError:
        return {"pg_sync_1000_s": None}
    given = os.environ.get("SCOUT_TEST_PG")
    try:
        server = PgServer(given) if given else start_pgserver(tmp / "pg")
    except Exception:  # noqa: BLE001 - no PostgreSQL here: the figure is null
        return {"pg_sync_1000_s": None}
    try:
        server.prepare_template()
        url = server.fresh()
        _team(url)
        started = time.perf_counter()
        _edit_all(url)  # the baseline: the same 1,000 edits saved at the office
        baseline = time.perf_counter() - started
        figures: dict[str, float | None] = {**_sync_figures(tmp, url, "pg_")}
        figures["pg_sync_1000_baseline_direct_saves_s"] = round(baseline, 3)
        figures["pg_sync_1000_ratio"] = round(float(figures["pg_sync_1000_s"] or 0) / baseline, 2)
        return figures
    finally:
        server.close()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as name:
        print(json.dumps(bench_sync(Path(name)), indent=2))
