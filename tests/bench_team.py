"""Benchmark of the team store (PostgreSQL), beside the local file (TinyDB journal)
measured in the same run.

    python tests/bench_team.py      one JSON object of figures
    python tests/bench.py --only team

`pg_save_one_ms`: one lieu saved on a local PostgreSQL (Unix socket; read, merge check,
version kept, one transaction), median of 200; `…_baseline_tinydb_journal_ms` the same
200 saves on the local file; `pg_save_one_ratio` = ours ÷ baseline.
`pg_open_list_20000_ms`: open the store and read the 20,000 lines of the list
(`lieu_rows`), median of 5, beside the local file (`…_ratio`, target ≤ 1.5).
`pg_change_heard_*`: from a save (its commit) to the change heard by another store's
`listen` (LISTEN/NOTIFY), median and p95 of 50 (what a live view gets from the store).
`pg_8_writers_*`: eight writer processes saving different fields of the same 20 lieux as
fast as they can: saves per second (all of them together), lost updates (must be 0), and
the same with all eight on one field: conflicts refused, lost updates (must be 0).
The server is SCOUT_TEST_PG when set, else a pgserver started here (`pg_start_s`).
Not a timed test: nothing here fails, it reports.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

SAVES = 200
N = 20_000


def _ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def _load_pg(url: str, docs: list[dict[str, Any]]) -> None:
    import psycopg
    from psycopg.types.json import Jsonb

    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy("COPY lieux (doc) FROM STDIN") as copy:
            for doc in docs:
                copy.write_row((Jsonb(doc),))
        cur.execute(
            "INSERT INTO versions (kind, record_id, version, doc)"
            " SELECT 'lieu', id, 0, doc FROM lieux"
        )


def _saves(store: Any, ids: list[int]) -> list[float]:
    out = []
    for k, lieu_id in enumerate(ids):
        lieu = store.get_lieu(lieu_id)
        t = time.perf_counter()
        store.update_lieu(lieu.with_changes(notes=f"edited {k}"))
        out.append(time.perf_counter() - t)
    return out


def bench_team(tmp: Path) -> dict[str, Any]:
    from bench import TODAY, realistic_docs
    from pg import LOGISTICS, PgServer, lost_updates, run_writers, start_pgserver

    from scout.store import open_store
    from scout.store.postgres import PostgresRepository

    given = os.environ.get("SCOUT_TEST_PG")
    server = PgServer(given) if given else start_pgserver(tmp / "pg")
    figures: dict[str, Any] = {"pg_start_s": round(server.started_in, 2)}
    try:
        server.prepare_template()
        url = server.fresh()
        docs = realistic_docs(N)
        _load_pg(url, docs)
        local = open_store(tmp / "local.db")
        with local.transaction():
            for doc in docs:
                local._lieux.insert(doc)
        local._storage.compact()
        del docs
        ids = random.Random(3).sample(range(1, N + 1), SAVES)
        with PostgresRepository(url, user="bench") as team:
            pg = _ms(_saves(team, ids))
        base = _ms(_saves(local, ids))
        local.close()
        figures.update(
            pg_save_one_ms=pg,
            pg_save_one_baseline_tinydb_journal_ms=base,
            pg_save_one_ratio=round(pg / base, 2),
        )
        today = TODAY.isoformat()
        opens, base_opens = [], []
        for _ in range(5):
            t = time.perf_counter()
            with PostgresRepository(url) as team:
                rows = team.lieu_rows(today)
            opens.append(time.perf_counter() - t)
            t = time.perf_counter()
            with open_store(tmp / "local.db", read_only=True) as store:
                local_rows = store.lieu_rows(today)
            base_opens.append(time.perf_counter() - t)
            assert len(rows) == len(local_rows) == N
        figures.update(
            pg_open_list_20000_ms=_ms(opens),
            pg_open_list_20000_baseline_tinydb_journal_ms=_ms(base_opens),
            pg_open_list_20000_ratio=round(_ms(opens) / _ms(base_opens), 2),
        )
        figures.update(_notify_latency(url))
        figures.update(_writers(url, LOGISTICS, run_writers, lost_updates))
    finally:
        server.close()
    return figures


def _notify_latency(url: str, count: int = 50) -> dict[str, Any]:
    """From a save's commit in one store to the change heard by another's `listen`."""
    import threading

    from scout.store.postgres import PostgresRepository

    heard = threading.Event()
    stop, ready = threading.Event(), threading.Event()
    samples = []
    with PostgresRepository(url) as watcher, PostgresRepository(url, user="b") as other:
        thread = threading.Thread(
            target=watcher.listen,
            args=(lambda change: heard.set(), stop),
            kwargs={"ready": ready},
        )
        thread.start()
        ready.wait(10)
        for k in range(count):
            lieu = other.get_lieu(1 + k)
            heard.clear()
            t = time.perf_counter()
            other.update_lieu(lieu.with_changes(decor=f"live {k}"))
            heard.wait(5)
            samples.append(time.perf_counter() - t)
        stop.set()
        thread.join(5)
    samples.sort()
    return {
        "pg_change_heard_median_ms": _ms(samples),
        "pg_change_heard_p95_ms": round(samples[int(len(samples) * 0.95) - 1] * 1000, 3),
    }


def _writers(url: str, logistics: tuple[str, ...], run_writers: Any, lost_updates: Any) -> dict:
    from scout.store.postgres import PostgresRepository

    ids, rounds = list(range(1, 21)), 10
    fields = [f"logistics.{name}" for name in logistics]
    reports = run_writers(url, fields, ids, rounds, pause=0.0)
    saves = sum(len(r["saved"]) for r in reports)
    seconds = max(r["seconds"] for r in reports)
    lost = 0
    with PostgresRepository(url) as store:
        for lieu_id in ids:
            logistics_now = store.get_lieu(lieu_id).logistics
            for i, field in enumerate(fields):
                if getattr(logistics_now, field.split(".")[1]) != f"w{i}-r{rounds - 1}":
                    lost += 1
    refused = sum(len(r["conflicts"]) for r in reports)
    same = run_writers(url, ["notes"] * 8, ids, rounds, pause=0.0)
    return {
        "pg_8_writers_saves_per_s": round(saves / seconds, 1),
        "pg_8_writers_lost_updates": lost + refused,  # different fields: none refused either
        "pg_8_writers_same_field_saves": sum(len(r["saved"]) for r in same),
        "pg_8_writers_same_field_conflicts": sum(len(r["conflicts"]) for r in same),
        "pg_8_writers_same_field_lost_updates": len(lost_updates(same)),
    }


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as name:
        print(json.dumps(bench_team(Path(name)), indent=2))
