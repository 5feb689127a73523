"""Benchmark of team mode, live: a change seen by a second open app (the TUI, driven by
Pilot), beside the raw listen latency of the store measured on the same changes.

    python tests/bench_live.py      one JSON object of figures
    python tests/bench.py --only live

`live_change_seen_*`: from the save of a lieu by someone else (a plain store, user "A") to
its new décor in the list of an open app (user "B": LISTEN/NOTIFY, the fields changed
read from the kept versions, the row upserted on the UI thread), median and p95 of 50
changes, in ms (target: median ≤ 1 s). `live_raw_listen_*`: the same 50 saves heard by a
bare `listen` of the store, in another thread of the same process (what the app builds on).
`live_presence_seen_s`: from a second user's presence connection to their name in the
header (the heartbeat runs every 3 s). The server is SCOUT_TEST_PG when set, else a
pgserver started here. Not a timed test: nothing here fails, it reports.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

CHANGES = 50
LIEUX = 200


def _ms(value: float) -> float:
    return round(value * 1000, 2)


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def bench_live(tmp: Path) -> dict[str, Any]:
    from pg import PgServer, start_pgserver

    given = os.environ.get("SCOUT_TEST_PG")
    server = PgServer(given) if given else start_pgserver(tmp / "pg")
    try:
        server.prepare_template()
        url = server.fresh()
        return asyncio.run(_measure(url, tmp))
    finally:
        server.close()


async def _measure(url: str, tmp: Path) -> dict[str, Any]:
    from scout.clock import Clock
    from scout.domain import Lieu
    from scout.permits.rules import RulesBook
    from scout.services import Workspace
    from scout.settings import Settings
    from scout.store import open_store
    from scout.store.postgres import PostgresRepository
    from scout.tui.app import make_app
    from scout.tui.widgets.lieu_table import LieuTable

    config = tmp / "config.toml"
    config.write_text('user = "B"\n', encoding="utf-8")
    os.environ["SCOUT_CONFIG"] = str(config)
    os.environ["SCOUT_STATE_DIR"] = str(tmp / "state")
    os.environ["SCOUT_OFFLINE"] = "1"

    with PostgresRepository(url, user="A") as writer:
        # the production the app will show (its current one), then the lieux
        settings = Settings(db_path=tmp / "scout.db", log_path=tmp / "logs" / "scout.log")
        with Workspace(open_store(url, user="A"), Clock(), settings=settings) as seed:
            production = seed.productions.ensure_current()
        ids = [
            writer.add_lieu(Lieu(name=f"Lieu {n}", decor="D", production_id=production)).id
            for n in range(LIEUX)
        ]
        ws = Workspace(open_store(url), Clock(), RulesBook(), settings=settings)
        app = make_app(ws)
        raw: dict[int, float] = {}
        stop, ready = threading.Event(), threading.Event()

        def heard(change: dict[str, Any]) -> None:
            if change.get("table") == "lieux":
                raw.setdefault(int(change.get("version") or 0), time.perf_counter())

        bare = PostgresRepository(url, user="bench")
        listening = threading.Thread(
            target=bare.listen, args=(heard, stop), kwargs={"ready": ready}, daemon=True
        )
        listening.start()
        seen: list[float] = []
        raw_ms: list[float] = []
        presence_s = 0.0
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                await app.workers.wait_for_complete()
                assert app.live.ready.wait(10) and ready.wait(10)
                table = app.lieux_screen().query_one(LieuTable)
                for k in range(CHANGES):
                    lieu_id = ids[(k * 7) % len(ids)]
                    lieu = writer.get_lieu(lieu_id)
                    decor = f"LIVE {k}"
                    began = time.perf_counter()
                    saved = writer.update_lieu(lieu.with_changes(decor=decor))
                    while True:
                        row = table.get_row(lieu_id)
                        if row is not None and row.decor == decor:
                            break
                        if time.perf_counter() - began > 10:
                            raise RuntimeError(f"change {k} not seen in 10 s")
                        await pilot.pause(0.002)
                    seen.append(time.perf_counter() - began)
                    for _ in range(500):  # the bare listener, usually long done
                        if saved.version in raw:
                            break
                        time.sleep(0.002)
                    raw_ms.append(raw.pop(saved.version, time.perf_counter()) - began)
                    raw.clear()
                # presence: a second person opens the production
                from scout.store.pg_presence import Presence

                other = Presence(url, "Karim", "bench")
                began = time.perf_counter()
                other.beat(production)
                while "Karim" not in app.title and time.perf_counter() - began < 10:
                    await pilot.pause(0.05)
                presence_s = time.perf_counter() - began
                other.close()
        finally:
            stop.set()
            listening.join(5)
            bare.close()
            ws.close()
    return {
        "live_change_seen_median_ms": _ms(statistics.median(seen)),
        "live_change_seen_p95_ms": _ms(_p95(seen)),
        "live_raw_listen_median_ms": _ms(statistics.median(raw_ms)),
        "live_raw_listen_p95_ms": _ms(_p95(raw_ms)),
        "live_changes": CHANGES,
        "live_presence_seen_s": round(presence_s, 2),
    }


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as name:
        print(json.dumps(bench_live(Path(name)), indent=2))
