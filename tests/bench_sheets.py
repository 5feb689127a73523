"""Benchmark of the spreadsheets (issue 12): the CSV export of 20,000 lieux next to writing
the same rows with the csv module alone, in the same run.

    python tests/bench_sheets.py      one JSON object of figures

`csv_export_20000_ms`: the lieux (read from the database beforehand) to the bytes of the
file, as `scout export csv` makes them; `…_baseline_csv_module_ms`: the same cells, already
made, written by `csv.writer` to the same bytes; `…_ratio` = ours ÷ baseline (target ≤ 2).
`csv_export_20000_with_read_ms` adds reading the lieux and their permits from the database;
`csv_import_20000_check_ms` is the reading and checking of that file by `scout import csv`.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import N_LIEUX, TODAY, median_ms, realistic_docs  # noqa: E402


def bench_sheets(tmp: Path) -> dict:
    from scout.clock import Clock
    from scout.exports.csv_import import read_lieux_csv
    from scout.exports.sheets import LIEU_COLUMNS, SheetData, lieux_csv
    from scout.services.sheets import sheet_data
    from scout.services.workspace import Workspace
    from scout.store import open_store

    path = tmp / "sheets.db"
    store = open_store(path)
    with store.transaction():
        for doc in realistic_docs(N_LIEUX):
            store._lieux.insert(doc)
    store.close()

    ws = Workspace(open_store(path, read_only=True), Clock(TODAY))
    try:
        reads, ours, base = [], [], []
        for _ in range(3):
            t = time.perf_counter()
            data = sheet_data(ws, review=False)
            reads.append(time.perf_counter() - t)
        assert isinstance(data, SheetData) and len(data.lieux) == N_LIEUX
        cells = [list(row) for row in data.lieu_rows()]
        for _ in range(5):
            t = time.perf_counter()
            ours_bytes = lieux_csv(data)
            ours.append(time.perf_counter() - t)

            t = time.perf_counter()
            out = io.StringIO()
            out.write("\ufeff")
            writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
            writer.writerow(LIEU_COLUMNS)
            writer.writerows(cells)
            base_bytes = out.getvalue().encode("utf-8")
            base.append(time.perf_counter() - t)
        assert ours_bytes == base_bytes
        t = time.perf_counter()
        rows = read_lieux_csv(ours_bytes, "bench.csv")
        check = time.perf_counter() - t
        assert len(rows) == N_LIEUX
    finally:
        ws.close()
    ours_ms, base_ms = median_ms(ours), median_ms(base)
    return {
        "csv_export_20000_ms": ours_ms,
        "csv_export_20000_baseline_csv_module_ms": base_ms,
        "csv_export_20000_ratio": round(ours_ms / base_ms, 2),
        "csv_export_20000_with_read_ms": round(median_ms(reads) + ours_ms, 3),
        "csv_export_20000_bytes": len(ours_bytes),
        "csv_import_20000_check_ms": round(check * 1000, 3),
    }


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(bench_sheets(Path(folder)), indent=2))
