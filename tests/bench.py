"""Benchmarks: each figure beside its baseline measured in the same run.

    python tests/bench.py --json      one JSON object of figures
    python tests/bench.py             the same, one figure a line

Machines are shared and noisy: read the ratios. `…_speedup` = baseline ÷ ours (higher is
better); `…_ratio` = ours ÷ baseline (lower is better). Not a timed test: nothing here
fails, it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # scout itself is imported as installed
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the tests' loopback server
SHARED = ROOT.parent / "shared" / "data" / "paris"
N_LIEUX = 20_000
TODAY = date(2026, 11, 23)


def realistic_docs(n: int, seed: int = 1) -> list[dict]:
    """Lieux as a scout writes them: about 650 bytes of JSON each."""
    from scout.domain import Accessibility, Contact, Lieu, Logistics, Position, ShootDay
    from scout.store.documents import lieu_to_dict

    rng = random.Random(seed)
    streets = [
        "rue de Rivoli",
        "boulevard Voltaire",
        "rue Oberkampf",
        "quai de Valmy",
        "avenue Trudaine",
        "rue Lepic",
        "rue des Martyrs",
        "rue de la Roquette",
    ]
    docs = []
    for i in range(n):
        day = TODAY + timedelta(days=rng.randint(-30, 120))
        lieu = Lieu(
            name=f"{rng.choice(['Café', 'Appartement', 'Cour', 'Atelier'])} {i}",
            decor=f"DÉCOR {i % 400} — {rng.choice(['INT', 'EXT'])}. JOUR",
            sequences=(str(rng.randint(1, 90)), str(rng.randint(1, 90))),
            address=f"{rng.randint(1, 150)} {rng.choice(streets)}",
            postcode=f"750{rng.randint(1, 20):02d}",
            position=Position(48.82 + rng.random() * 0.08, 2.26 + rng.random() * 0.15),
            arrondissement=rng.randint(1, 20),
            contacts=(Contact("Claire Martin", "gérante", "+33199001234", "c@example.org"),),
            accessibility=Accessibility(
                step_free=rng.choice([True, False, None]), narrowest_door_cm=80
            ),
            logistics=Logistics(truck_access="livraisons avant 10 h", power="groupe"),
            shoot_days=(ShootDay(day),),
            notes="Propriétaire joignable le matin ; prévoir protections de sol.",
            created_at="2026-11-01T10:00:00+01:00",
            updated_at="2026-11-01T10:00:00+01:00",
        )
        docs.append(lieu_to_dict(lieu))
    return docs


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def realistic_db(path: Path, n: int) -> Path:
    """A database file of `n` realistic lieux written in one transaction and compacted, as
    `bench_store` writes its own: the start of the search and map benches."""
    from scout.store import open_store

    store = open_store(path)
    with store.transaction():
        for doc in realistic_docs(n):
            store._lieux.insert(doc)
    store._storage.compact()
    store.close()
    return path


# -- issue 3: the store -----------------------------------------------------------------
def bench_store(tmp: Path, docs: list[dict]) -> dict:
    from tinydb import TinyDB
    from tinydb.storages import JSONStorage

    from scout.store import open_store

    ours_path, base_path = tmp / "ours.db", tmp / "tinydb.json"
    store = open_store(ours_path)
    with store.transaction():
        for doc in docs:
            store._lieux.insert(doc)
    store._storage.compact()
    ids = random.Random(2).sample(range(1, len(docs) + 1), 50)
    saves = []
    for k, lieu_id in enumerate(ids):
        lieu = store.get_lieu(lieu_id)
        t = time.perf_counter()
        store.update_lieu(lieu.with_changes(notes=f"edited {k}"))
        saves.append(time.perf_counter() - t)
    store.close()

    base = TinyDB(base_path, storage=JSONStorage)
    base.table("lieux").insert_multiple(docs)
    base_saves = []
    for k, lieu_id in enumerate(ids[:10]):
        t = time.perf_counter()
        base.table("lieux").update({"notes": f"edited {k}"}, doc_ids=[lieu_id])
        base_saves.append(time.perf_counter() - t)
    base.close()

    opens, base_opens = [], []
    for _ in range(5):
        t = time.perf_counter()
        store = open_store(ours_path, read_only=True)
        rows = store.lieu_rows(TODAY.isoformat())
        opens.append(time.perf_counter() - t)
        store.close()
        t = time.perf_counter()
        db = TinyDB(base_path, storage=JSONStorage)
        docs_back = db.table("lieux").all()
        base_opens.append(time.perf_counter() - t)
        db.close()
        assert len(rows) == len(docs_back) == len(docs)
    ours, baseline = median_ms(saves), median_ms(base_saves)
    return {
        "lieux": len(docs),
        "db_megabytes": round(ours_path.stat().st_size / 1e6, 1),
        "save_one_ms": ours,
        "save_one_baseline_tinydb_json_ms": baseline,
        "save_one_speedup": round(baseline / ours, 1),
        "open_and_list_ms": median_ms(opens),
        "open_and_list_baseline_tinydb_json_ms": median_ms(base_opens),
        "open_and_list_ratio": round(median_ms(opens) / median_ms(base_opens), 2),
    }


# -- issue 3: the TUI -------------------------------------------------------------------
class _FirstRows:
    """Notes when a table first draws a line of data: what a person sees as "it's there"."""

    def __init__(self, table_class: type, has_rows) -> None:
        self.at: float | None = None
        self.table_class, self.has_rows = table_class, has_rows
        self.original = table_class.render_line

    def __enter__(self) -> _FirstRows:
        watcher = self

        def render_line(table, y):  # type: ignore[no-untyped-def]
            if watcher.at is None and y >= 1 and watcher.has_rows(table):
                watcher.at = time.perf_counter()
            return watcher.original(table, y)

        self.table_class.render_line = render_line
        return self

    def __exit__(self, *exc: object) -> None:
        self.table_class.render_line = self.original


async def _first_paint(make, table_class: type, has_rows) -> tuple[float, float, float]:
    """(ms until the table first draws a row, ms until the app is idle with every row in,
    ms to move the cursor down 50 rows)."""
    with _FirstRows(table_class, has_rows) as first:
        t = time.perf_counter()
        app = make()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            ready = time.perf_counter() - t
            paint = (first.at or time.perf_counter()) - t
            t = time.perf_counter()
            for _ in range(50):
                await pilot.press("down")
            await pilot.pause()
            cursor = time.perf_counter() - t
    return paint * 1000, ready * 1000, cursor * 1000


def _bare_app(rows: int):
    from textual.app import App
    from textual.widgets import DataTable

    class Bare(App):
        def compose(self):
            yield DataTable()

        def on_mount(self):
            table = self.query_one(DataTable)
            table.add_columns("ID", "Lieu", "Décor", "Arr.", "Statut", "Tournage")
            for i in range(rows):
                table.add_row(str(i), f"Lieu {i}", "DÉCOR", "9e", "Option", "03/12/2026")
            table.focus()

    return Bare()


def bench_tui(tmp: Path) -> dict:
    from scout.clock import Clock
    from scout.services import Workspace
    from scout.settings import Settings
    from scout.store import open_store
    from scout.tui.app import make_app

    path = tmp / "ours.db"
    settings = Settings(db_path=path, log_path=tmp / "scout.log")
    results: dict[str, list[float]] = {
        "ours": [],
        "ours_ready": [],
        "ours_cursor": [],
        "bare": [],
        "bare_cursor": [],
    }
    from textual.widgets import DataTable

    from scout.tui.widgets.lieu_table import LieuTable

    for _ in range(3):
        store = open_store(path)
        paint, ready, cursor = asyncio.run(
            _first_paint(
                lambda store=store: make_app(Workspace(store, Clock(TODAY), settings=settings)),
                LieuTable,
                lambda table: table.row_count > 0,
            )
        )
        store.close()
        results["ours"].append(paint)
        results["ours_ready"].append(ready)
        results["ours_cursor"].append(cursor)
        # the bare app's table is empty: its first drawn line is its first paint
        paint, _, _ = asyncio.run(_first_paint(lambda: _bare_app(0), DataTable, lambda table: True))
        results["bare"].append(paint)
        _, _, cursor = asyncio.run(
            _first_paint(lambda: _bare_app(100), DataTable, lambda table: True)
        )
        results["bare_cursor"].append(cursor)
    med = {k: round(statistics.median(v), 1) for k, v in results.items()}
    return {
        "tui_first_paint_ms": med["ours"],
        "tui_first_paint_baseline_bare_app_ms": med["bare"],
        "tui_first_paint_ratio": round(med["ours"] / med["bare"], 2),
        "tui_idle_with_all_rows_ms": med["ours_ready"],
        "tui_idle_with_all_rows_ratio": round(med["ours_ready"] / med["bare"], 2),
        "tui_cursor_50_rows_ms": med["ours_cursor"],
        "tui_cursor_50_rows_baseline_bare_100_rows_ms": med["bare_cursor"],
        "tui_cursor_50_rows_ratio": round(med["ours_cursor"] / med["bare_cursor"], 2),
    }


# -- issue 5: permits -------------------------------------------------------------------
PERMIT_TYPES = [
    "demande_agate",
    "arrete_stationnement",
    "proprietaire",
    "declaration_prealable",
    "monument",
]
STATUSES = ["to_request", "in_preparation", "filed", "under_review", "granted", "refused"]


def permit_store(tmp: Path, docs: list[dict]) -> Path:
    """20,000 lieux with needs and 3 permits each, in one store file."""
    from scout.store import open_store

    path = tmp / "permits.db"
    rng = random.Random(5)
    store = open_store(path)
    with store.transaction():
        for i, doc in enumerate(docs, start=1):
            doc = dict(
                doc,
                needs={
                    "crew_size": rng.randint(3, 40),
                    "tech_vehicles": rng.randint(0, 9),
                    "parking_spaces": rng.randint(0, 8),
                    "site_kind": rng.choice(["street", "park", "private"]),
                },
                zone=rng.choice(["sous_tension", "standard"]),
                setting="ext",
            )
            store._lieux.insert(doc)
            for k in range(3):
                store._permits.insert(
                    {
                        "lieu_id": i,
                        "type": PERMIT_TYPES[(i + k) % 5],
                        "status": rng.choice(STATUSES),
                    }
                )
    store.close()
    return path


def bench_permits(tmp: Path, path: Path) -> dict:
    from scout.clock import Clock
    from scout.geo.lookup import vehicle_caps
    from scout.permits import deadlines
    from scout.permits.checks import assess
    from scout.permits.rules import default_rules
    from scout.permits.workdays import WorkCalendar
    from scout.services import Workspace
    from scout.store import open_store

    store = open_store(path, read_only=True)
    service = Workspace(store, Clock(TODAY)).permits
    service.review()  # warm: the first holiday years are built once in any case
    runs = []
    for _ in range(3):
        service._last = service._state = None  # the computation, not the review kept
        t = time.perf_counter()
        review = service.review()
        runs.append(time.perf_counter() - t)
    ours = statistics.median(runs)

    # Baseline: the same deadlines with the holiday calendar rebuilt for each permit, on a
    # sample (a full run would take minutes), scaled to all permits.
    rules = default_rules()
    lieux = store.lieu_facts(vehicle_caps())
    facts = store.permit_facts()
    sample = facts[:: max(len(facts) // 300, 1)]
    t = time.perf_counter()
    for pf in sample:
        deadlines._deadline.cache_clear()
        assess(pf, lieux[pf.lieu_id].shoot_days, rules, TODAY, WorkCalendar())
    per_permit = (time.perf_counter() - t) / len(sample)
    baseline = per_permit * len(facts)
    store.close()
    after_save = _review_after_one_save(tmp, path)
    return {
        "review_after_one_save_s": round(after_save, 4),
        "permits": len(facts),
        "deadlines_and_warnings_s": round(ours, 3),
        "deadlines_baseline_calendar_rebuilt_per_permit_s": round(baseline, 1),
        "deadlines_speedup": round(baseline / ours, 1),
        "warnings": len(review.warnings),
    }


def _review_after_one_save(tmp: Path, path: Path) -> float:
    """The review kept, brought up to date after a lieu's shoot day is saved (issue 13:
    merged lieu by lieu, not computed whole): median of 5 saves."""
    import shutil

    from scout.clock import Clock
    from scout.services import Workspace
    from scout.store import open_store

    copy = tmp / "permits-saved.db"
    shutil.copy(path, copy)
    store = open_store(copy)
    ws = Workspace(store, Clock(TODAY))
    ws.permits.review()
    runs = []
    for k in range(5):
        ws.lieux.edit(100 + k, {"shoot_days": [f"2026-12-{10 + k} 08:00-18:00"]})
        t = time.perf_counter()
        ws.permits.review()
        runs.append(time.perf_counter() - t)
    store.close()
    return statistics.median(runs)


def bench_review_screen(path: Path) -> dict:
    from scout.clock import Clock
    from scout.services import Workspace
    from scout.settings import Settings
    from scout.store import open_store
    from scout.tui.app import make_app

    settings = Settings(db_path=path, log_path=path.with_name("scout.log"))

    async def review_paint() -> tuple[float, float]:
        store = open_store(path, read_only=True)
        app = make_app(Workspace(store, Clock(TODAY), settings=settings))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            t = time.perf_counter()
            await pilot.press("p")
            await pilot.pause()
            paint = time.perf_counter() - t
            await app.workers.wait_for_complete()
            await pilot.pause()
            ready = time.perf_counter() - t
        store.close()
        return paint * 1000, ready * 1000

    ours = [asyncio.run(review_paint()) for _ in range(3)]
    from textual.widgets import DataTable

    bare = [
        asyncio.run(_first_paint(lambda: _bare_app(0), DataTable, lambda t: True))[0]
        for _ in range(3)
    ]
    paint = statistics.median(p for p, _ in ours)
    ready = statistics.median(r for _, r in ours)
    base = statistics.median(bare)
    return {
        "review_first_paint_ms": round(paint, 1),
        "review_all_permits_shown_ms": round(ready, 1),
        "review_baseline_bare_app_ms": round(base, 1),
        "review_first_paint_ratio": round(paint / base, 2),
        "review_all_permits_shown_ratio": round(ready / base, 2),
    }


# -- issue 6: geocoding -------------------------------------------------------------------
def bench_geocoding(tmp: Path) -> dict:
    import httpx
    from geoserver import GeoServer

    from scout.geocoding.cache import GeocodeCache
    from scout.geocoding.service import GeocodingService
    from scout.geocoding.settings import GeocodingSettings

    with GeoServer() as server:
        settings = GeocodingSettings(
            ban_url=f"{server.url}/geocodage",
            nominatim_url=f"{server.url}/nominatim",
            ban_per_second=100_000,
            providers=("ban",),
        )
        url = f"{server.url}/geocodage/search?q=28+rue+Buffault"
        n = 300
        with httpx.Client() as client:
            t = time.perf_counter()
            for _ in range(n):
                client.get(url)
            reuse = n / (time.perf_counter() - t)
        t = time.perf_counter()
        for _ in range(n):
            with httpx.Client() as client:
                client.get(url)
        fresh = n / (time.perf_counter() - t)

        geocoder = GeocodingService(settings, GeocodeCache(tmp / "geocache.db"))
        geocoder.search("28 rue Buffault")
        hits = []
        for _ in range(1000):
            t = time.perf_counter()
            geocoder.search("28 BIS, rue  Buffault" if _ % 2 else "28 rue Buffault")
            hits.append(time.perf_counter() - t)
        geocoder.close()

        addresses = [f"{i} rue Buffault" for i in range(5000)]
        batch = GeocodingService(settings)
        t = time.perf_counter()
        batch.search_many(addresses)
        csv_s = time.perf_counter() - t
        loop = GeocodingService(settings)
        t = time.perf_counter()
        for address in addresses[:1000]:  # the loop on a fifth, scaled: it is the slow one
            loop.search(address)
        loop_s = (time.perf_counter() - t) * 5
        batch.close()
        loop.close()
    hits.sort()
    return {
        "geocode_requests_per_s_connection_reused": round(reuse),
        "geocode_requests_per_s_new_connection_baseline": round(fresh),
        "geocode_connection_reuse_speedup": round(reuse / fresh, 2),
        "geocode_cache_hit_ms_median": round(hits[len(hits) // 2] * 1000, 4),
        "geocode_batch_5000_csv_s": round(csv_s, 2),
        "geocode_batch_5000_loop_baseline_s": round(loop_s, 2),
        "geocode_batch_csv_speedup": round(loop_s / csv_s, 1),
    }


# -- issue 7: photos -------------------------------------------------------------------
def bench_photos(tmp: Path, count: int = 500) -> dict:
    """500 phone-sized (12 MP) JPEGs: one encoded, the others byte copies with their own
    capture time patched in (re-encoding 500 pictures would take minutes)."""
    from photo_factory import make_photo
    from PIL import Image

    from scout.photos.exif import read_meta

    folder = tmp / "photos"
    folder.mkdir()
    first = make_photo(
        folder / "0000.jpg", 48.87637, 2.34213, size=(4000, 3000), taken="2026:11:20 10:00:00"
    )
    data = first.read_bytes()
    stamp = b"2026:11:20 10:00:00"
    assert stamp in data
    files = [first]
    for i in range(1, count):
        patched = data.replace(
            stamp, f"2026:11:20 {10 + i // 60 % 10:02d}:{i % 60:02d}:00".encode(), 1
        )
        path = folder / f"{i:04d}.jpg"
        path.write_bytes(patched)
        files.append(path)
    t = time.perf_counter()
    for path in files:
        read_meta(path)
    ours = count / (time.perf_counter() - t)
    sample = files[:100]  # the full decode is the slow one: measured on a fifth
    t = time.perf_counter()
    for path in sample:
        with Image.open(path) as img:
            img.load()
    baseline = len(sample) / (time.perf_counter() - t)
    return {
        "photos": count,
        "photo_megapixels": 12,
        "photo_metadata_per_s": round(ours),
        "photo_full_decode_per_s_baseline": round(baseline, 1),
        "photo_metadata_speedup": round(ours / baseline, 1),
    }


# -- issue 4: geodata -------------------------------------------------------------------
def bench_geo() -> dict:
    import numpy as np
    import shapely

    from scout.geo import locate, locate_many
    from scout.geo.lookup import ParisData, paris
    from scout.geo.plane import KX, KY, LAT0, LON0

    loads = []
    for _ in range(5):
        t = time.perf_counter()
        ParisData()
        loads.append(time.perf_counter() - t)
    data = paris()
    rng = np.random.default_rng(3)
    n = 100_000
    lats, lons = rng.uniform(48.815, 48.902, n), rng.uniform(2.224, 2.470, n)

    def raw_loop() -> None:
        xs, ys = (lons - LON0) * KX, (lats - LAT0) * KY
        out = np.zeros(n, dtype=np.int16)
        for i, polygon in enumerate(data.polygons):
            out[shapely.contains_xy(polygon, xs, ys)] = data.numbers[i]

    def best_of(fn, runs: int = 5) -> float:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    raw = n / best_of(raw_loop)
    ours = n / best_of(lambda: locate_many(lats, lons))

    def singles(points) -> float:
        times = []
        for lat, lon in points:
            t = time.perf_counter()
            locate(lat, lon)
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1e6

    sample = list(zip(lats[:5000].tolist(), lons[:5000].tolist()))
    in_paris = [(la, lo) for la, lo in sample if locate(la, lo).arrondissement][:3000]
    tree = data.poly_tree

    def strtree_single(points) -> float:
        times = []
        for lat, lon in points:
            t = time.perf_counter()
            tree.query(shapely.Point((lon - LON0) * KX, (lat - LAT0) * KY), predicate="intersects")
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1e6

    single_bbox, single_paris = singles(sample), singles(in_paris)
    baseline_single = strtree_single(sample)
    return {
        "geo_load_ms": median_ms(loads),
        "geo_batch_points_per_s": round(ours),
        "geo_batch_baseline_raw_contains_xy_points_per_s": round(raw),
        "geo_batch_speedup": round(ours / raw, 2),
        "geo_single_median_us_in_paris": round(single_paris, 1),
        "geo_single_median_us_bbox": round(single_bbox, 1),
        "geo_single_baseline_strtree_us": round(baseline_single, 1),
        "geo_single_bbox_speedup": round(baseline_single / single_bbox, 2),
    }


def bench_locate_stream(tmp: Path) -> dict:
    if not (SHARED / "lieux-de-tournage-sample.csv").exists():
        return {"locate_stream_rows_per_s": None}
    with (SHARED / "lieux-de-tournage-sample.csv").open(encoding="utf-8-sig") as f:
        lines = [
            f"{r['geo_point_2d'].replace(' ', '')},{r['Code postal']}"
            for r in csv.DictReader(f, delimiter=";")
        ]
    scout = Path(sys.executable).parent / "scout"
    t = time.perf_counter()
    out = subprocess.run(
        [str(scout), "locate", "-"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env={**os.environ, "SCOUT_DB": str(tmp / "x.db")},
    )
    elapsed = time.perf_counter() - t
    assert len(out.stdout.splitlines()) == len(lines)
    return {
        "locate_stream_rows": len(lines),
        "locate_stream_rows_per_s": round(len(lines) / elapsed),
    }


# -- issue 11: languages ------------------------------------------------------------------
def _start_ms(command: list[str], env: dict[str, str], runs: int = 15) -> float:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(command, capture_output=True, env=env, check=True)
        samples.append(time.perf_counter() - t)
    return median_ms(samples)


def bench_languages(tmp: Path) -> dict:
    """Start-up of the command in each language against the interpreter importing
    argparse (what any CLI pays), and a date written for a person: Babel behind a cache
    against the f-string it replaced."""
    import timeit

    from scout import i18n
    from scout.i18n import formats

    scout = str(Path(sys.executable).parent / "scout")
    env = {**os.environ, "SCOUT_DB": str(tmp / "x.db"), "SCOUT_CONFIG": str(tmp / "none")}
    baseline = _start_ms([sys.executable, "-c", "import argparse"], env)
    version = _start_ms([scout, "--version"], {**env, "SCOUT_LANG": "fr"})
    help_fr = _start_ms([scout, "show", "--help"], {**env, "SCOUT_LANG": "fr"})
    help_en = _start_ms([scout, "show", "--help"], {**env, "SCOUT_LANG": "en"})
    days = [TODAY + timedelta(days=i % 400) for i in range(20_000)]
    i18n.activate("fr")
    formats.day(TODAY)  # Babel's locale data read once, as in a run
    ours = min(timeit.repeat(lambda: [formats.day(d) for d in days], number=1, repeat=5))
    fstring = min(timeit.repeat(lambda: [f"{d:%d/%m/%Y}" for d in days], number=1, repeat=5))
    return {
        "version_start_ms": version,
        "version_start_baseline_python_argparse_ms": baseline,
        "version_start_ratio": round(version / baseline, 2),
        "help_start_fr_ms": help_fr,
        "help_start_en_ms": help_en,
        "help_start_en_over_fr_ratio": round(help_en / help_fr, 2),
        "day_20000_rows_ms": round(ours * 1000, 1),
        "day_20000_rows_baseline_fstring_ms": round(fstring * 1000, 1),
        "day_20000_rows_speedup": round(fstring / ours, 2),
    }


GROUPS = (
    "store",
    "tui",
    "permits",
    "geo",
    "geocoding",
    "photos",
    "languages",
    "tournages",
    "sheets",
    "maps",
    "dossier",
    "search",
    "map",
    "sync",
    "team",
    "live",
)


def run_group(group: str) -> dict:
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        docs = realistic_docs(N_LIEUX) if group in ("store", "tui", "permits") else []
        if group in ("store", "tui"):
            store_figures = bench_store(tmp, docs)  # the TUI reads the file this writes
            if group == "store":
                figures.update(store_figures)
        if group == "permits":
            path = permit_store(tmp, docs)
        docs.clear()  # what follows runs as a user's process would: with the store only
        gc.collect()
        if group == "tui":
            figures.update(bench_tui(tmp))
        if group == "permits":
            figures.update(bench_permits(tmp, path))
            figures.update(bench_review_screen(path))
        if group == "geocoding":
            figures.update(bench_geocoding(tmp))
        if group == "photos":
            figures.update(bench_photos(tmp))
        if group == "languages":
            figures.update(bench_languages(tmp))
        # one file each
        if group in ("tournages", "sheets", "maps", "dossier", "search", "map", "sync", "team"):
            module = __import__(f"bench_{group}")
            figures.update(getattr(module, f"bench_{group}")(tmp))
        if group == "live":  # tests/bench_live.py: a change seen by a second open app
            from bench_live import bench_live

            figures.update(bench_live(tmp))
        if group == "geo":
            figures.update(bench_geo())
            figures.update(bench_locate_stream(tmp))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", choices=GROUPS, help="one group")
    args = parser.parse_args()
    if args.only:
        figures = run_group(args.only)
    else:  # each group in a fresh process: one group's heap must not slow the next
        figures = {}
        for group in GROUPS:
            out = subprocess.run(
                [sys.executable, __file__, "--only", group, "--json"],
                capture_output=True,
                text=True,
                check=True,
            )
            figures.update(json.loads(out.stdout))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:<50} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
