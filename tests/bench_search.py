"""Benchmark of the list's search (issue 13): keystroke to updated list with 20,000 lieux,
beside a bare Textual app's own keystroke (an Input over an empty DataTable) and beside the
rescan the index replaced (every lieu's words read at each keystroke), in the same run.

    python tests/bench_search.py      one JSON object of figures

`bench_search(tmp)` is what tests/bench.py calls for its group "search".
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import N_LIEUX, TODAY, realistic_db  # noqa: E402

# 50 keystrokes: a street typed letter by letter, then structured filters, then two
# letters taken back.
STREET = "rue de la roquette"
KEYS = [*STREET, *" arr:11", *" status:opt", *" pmr:none", "backspace", "backspace"]
KEYS += ["backspace"] * (50 - len(KEYS))
assert len(KEYS) == 50


class _LastDraw:
    """When a table last drew a line: the list a person sees updated."""

    def __init__(self, table_class: type) -> None:
        self.at = 0.0
        self.table_class = table_class
        self.original = table_class.render_line

    def __enter__(self) -> _LastDraw:
        watcher = self

        def render_line(table, y):  # type: ignore[no-untyped-def]
            watcher.at = time.perf_counter()
            return watcher.original(table, y)

        self.table_class.render_line = render_line
        return self

    def __exit__(self, *exc: object) -> None:
        self.table_class.render_line = self.original


async def _type(
    pilot, keys: list[str], watcher: _LastDraw, cpu: list[float] | None = None
) -> list[float]:
    """ms from each key to the widget drawn again (or to idle, if nothing was redrawn);
    the app's idle wait and the frame rate's are in both figures, ours and the bare app's."""
    out = []
    for key in keys:
        watcher.at = 0.0
        c = time.process_time()
        t = time.perf_counter()
        await pilot.press(key)
        await pilot.pause()
        end = watcher.at if watcher.at > t else time.perf_counter()
        out.append((end - t) * 1000)
        if cpu is not None:  # the CPU the process spent: what a busy machine cannot inflate
            cpu.append((time.process_time() - c) * 1000)
    return out


async def _ours(path: Path, cpu: list[float]) -> list[float]:
    from scout.clock import Clock
    from scout.services import Workspace
    from scout.settings import Settings
    from scout.store import open_store
    from scout.tui.app import make_app
    from scout.tui.widgets.lieu_table import LieuTable

    settings = Settings(db_path=path, log_path=path.with_name("scout.log"))
    store = open_store(path, read_only=True)
    app = make_app(Workspace(store, Clock(TODAY), settings=settings))
    try:
        with _LastDraw(LieuTable) as watcher:
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                await pilot.press("slash", "r")  # the first word reads every lieu's words
                await app.workers.wait_for_complete()
                await pilot.pause()
                await pilot.press("backspace")
                await pilot.pause()
                times = await _type(pilot, KEYS, watcher, cpu)
                table = app.screen.query_one(LieuTable)
                assert table.row_count < 20_000, "the filter kept every row"
    finally:
        store.close()
    return times


async def _bare(cpu: list[float]) -> list[float]:
    from textual.app import App
    from textual.widgets import DataTable, Input

    class Bare(App):
        def compose(self):
            yield Input()
            yield DataTable()

        def on_mount(self):
            self.query_one(Input).focus()

    with _LastDraw(Input) as watcher:  # (the empty table is never drawn again)
        async with Bare().run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return await _type(pilot, KEYS, watcher, cpu)


def _rescan(path: Path) -> list[float]:
    """The filter before the index: each keystroke read every lieu's words and sorted
    what it kept (the words and keys prepared as the old table did)."""
    from scout.domain.values import fold
    from scout.present.lieu_filter import parse_query
    from scout.store import open_store
    from scout.tui.widgets.lieu_table import LieuTable

    with open_store(path, read_only=True) as store:
        rows = store.lieu_rows(TODAY.isoformat())
        texts = store.search_texts()
    keys = {r.id: LieuTable.row_keys(r) for r in rows}
    hay = {k: f"{keys[k][1]}\n{texts.get(k, '')}" for k in keys}
    by_id = {r.id: r for r in rows}
    typed, out = "", []
    for key in KEYS:
        typed = typed[:-1] if key == "backspace" else typed + key
        t = time.perf_counter()
        words = list(parse_query(fold(typed)).words)
        arr = parse_query(typed).arrondissements
        found = [
            k
            for k in keys
            if (not arr or by_id[k].arrondissement in arr) and all(w in hay[k] for w in words)
        ]
        sorted(found, key=lambda k: keys[k][0])
        out.append((time.perf_counter() - t) * 1000)
    return out


def _indexed(path: Path) -> list[float]:
    """The same keystrokes answered by the index (scout.present.lieu_filter), the rows
    picked from the kept sorted order as the table does."""
    from scout.present.lieu_filter import LieuSearch, build_index, parse_query
    from scout.store import open_store
    from scout.tui.widgets.lieu_table import LieuTable

    with open_store(path, read_only=True) as store:
        rows = store.lieu_rows(TODAY.isoformat())
        texts = store.search_texts()
    search = LieuSearch(LieuTable.row_words)
    search.set_rows(rows)
    search.install(build_index(search.snapshot(), texts, LieuTable.row_words), texts)
    ordered = sorted(search.rows, key=lambda k: LieuTable.row_keys(search.rows[k])[0])
    typed, out = "", []
    for key in KEYS:
        typed = typed[:-1] if key == "backspace" else typed + key
        t = time.perf_counter()
        kept = search.select(parse_query(typed))
        if kept is not None:
            [k for k in ordered if k in kept]
        out.append((time.perf_counter() - t) * 1000)
    return out


def _p95(samples: list[float]) -> float:
    return round(sorted(samples)[int(len(samples) * 0.95) - 1], 1)


def bench_search(tmp: Path, n: int = N_LIEUX) -> dict:
    os.environ.setdefault("SCOUT_STATE_DIR", str(tmp / "state"))  # no remembered view
    path = realistic_db(tmp / "search.db", n)
    gc.collect()
    ours_cpu: list[float] = []
    bare_cpu: list[float] = []
    ours = asyncio.run(_ours(path, ours_cpu))
    bare = asyncio.run(_bare(bare_cpu))
    rescan = _rescan(path)
    indexed = _indexed(path)
    return {
        "search_lieux": n,
        "search_keystrokes": len(KEYS),
        "search_keystroke_ms_median": round(statistics.median(ours), 1),
        "search_keystroke_ms_p95": _p95(ours),
        "search_keystroke_baseline_bare_input_ms_median": round(statistics.median(bare), 1),
        "search_keystroke_baseline_bare_input_ms_p95": _p95(bare),
        "search_keystroke_ratio": round(statistics.median(ours) / statistics.median(bare), 2),
        "search_keystroke_cpu_ms_median": round(statistics.median(ours_cpu), 1),
        "search_keystroke_cpu_ms_p95": _p95(ours_cpu),
        "search_keystroke_baseline_bare_input_cpu_ms_median": round(statistics.median(bare_cpu), 1),
        "search_filter_only_ms_median": round(statistics.median(indexed), 2),
        "search_filter_only_ms_p95": _p95(indexed),
        "search_filter_only_rescan_baseline_ms_median": round(statistics.median(rescan), 1),
        "search_filter_only_rescan_baseline_ms_p95": _p95(rescan),
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as name:
        print(json.dumps(bench_search(Path(name)), indent=2))
