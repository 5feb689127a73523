"""Benchmark of the map screen (issue 13): Paris and 20,000 lieux redrawn after a pan and
after a zoom, beside a bare Textual Static repainted at the same size, in the same run.

    python tests/bench_map.py      one JSON object of figures

`bench_map(tmp)` is what tests/bench.py calls for its group "map". A redraw is what a key
costs before the terminal is written: the raster of the new view (scout.present.map) and
every line of the widget rendered by Textual (`render_lines`, styles included); the
baseline is a Static of the same size given a new text of the same size and rendered the
same way.

When the Textual drawing libraries are installed (textual-hires-canvas, textual-canvas),
the same picture — the outlines and the Seine as lines, the 20,000 markers, the numbers —
is drawn through each one's own API and rendered the same way: the figures that chose
drawing the braille by hand (the report of issue 13 gives them).
"""

from __future__ import annotations

import gc
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import N_LIEUX, median_ms  # noqa: E402

SIZE = (160, 50)
RUNS = 21
STATUSES = ("to_scout", "scouted", "option", "validated", "rejected")
COLOURS = ("white", "magenta", "yellow", "green", "grey50")


def lieu_rows(n: int, seed: int = 3) -> list[Any]:
    """As many list rows as the list would give the map: positions all over Paris."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        rows.append(
            SimpleNamespace(
                id=i + 1,
                status=rng.choice(STATUSES),
                retained=rng.random() < 0.05,
                lat=48.82 + rng.random() * 0.08,
                lon=2.25 + rng.random() * 0.17,
            )
        )
    return rows


def _timed(samples: list[float], work: Any) -> None:
    t = time.perf_counter()
    work()
    samples.append(time.perf_counter() - t)


async def _measure(n: int, runs: int) -> dict:
    from textual.app import App, ComposeResult
    from textual.geometry import Region
    from textual.widgets import Static

    from scout.present.map import Markers
    from scout.tui.widgets.paris_map import ParisMap

    markers = Markers.of(lieu_rows(n))
    width, height = SIZE
    paris_rasteriser()  # Paris read before the widget is mounted (the screen does it in a worker)

    class Bench(App[None]):
        CSS = "ParisMap, Static { width: 100%; height: 100%; }"

        def compose(self) -> ComposeResult:
            yield ParisMap(id="map")

    class Bare(App[None]):
        CSS = "Static { width: 100%; height: 100%; }"

        def compose(self) -> ComposeResult:
            yield Static("", id="bare")

    figures: dict = {}
    region = Region(0, 0, width, height)
    async with Bench().run_test(size=SIZE) as pilot:
        paris = pilot.app.query_one(ParisMap)
        paris.show(markers, int(markers.ids[0]))
        paris.zoom(2)  # a level the first pan below has not drawn yet is computed once
        paris.render_lines(region)
        gc.collect()
        pans: list[float] = []
        zooms: list[float] = []
        for k in range(runs):
            step = 1 if k % 2 == 0 else -1
            _timed(pans, lambda s=step: (paris.pan(s * width / 4, 0), paris.render_lines(region)))
        for k in range(runs):
            step = 1 if k % 2 == 0 else -1  # in and out: both levels cached after the first
            _timed(zooms, lambda s=step: (paris.zoom(s), paris.render_lines(region)))
        first_zoom: list[float] = []  # a level never shown yet (the screen warms them all)
        rasteriser = paris_rasteriser()
        for k in range(5):
            rasteriser._cache.clear()
            step = 1 if k % 2 == 0 else -1
            _timed(first_zoom, lambda s=step: (paris.zoom(s), paris.render_lines(region)))
    async with Bare().run_test(size=SIZE) as pilot:
        bare = pilot.app.query_one("#bare", Static)
        texts = ["".join(chr(0x2800 + (i * 7 + k) % 255) for i in range(width)) for k in range(2)]
        body = ["\n".join([texts[k]] * height) for k in range(2)]
        bare.render_lines(region)
        gc.collect()
        base: list[float] = []
        for k in range(runs):
            _timed(base, lambda k=k: (bare.update(body[k % 2]), bare.render_lines(region)))
    pan, zoom, baseline = median_ms(pans), median_ms(zooms), median_ms(base)
    figures.update(
        {
            "map_lieux": n,
            "map_size": f"{width}x{height}",
            "map_pan_redraw_ms": pan,
            "map_pan_redraw_p95_ms": round(sorted(pans)[int(0.95 * (len(pans) - 1))] * 1000, 3),
            "map_zoom_redraw_ms": zoom,
            "map_zoom_first_time_at_a_level_ms": median_ms(first_zoom),
            "map_redraw_baseline_static_ms": baseline,
            "map_pan_redraw_ratio": round(pan / baseline, 2),
            "map_zoom_redraw_ratio": round(zoom / baseline, 2),
        }
    )
    figures.update(await _libraries(markers, runs))
    return figures


def paris_rasteriser() -> Any:
    from scout.tui.widgets.paris_map import rasteriser

    return rasteriser()


async def _libraries(markers: Any, runs: int) -> dict:
    """The same picture through the drawing libraries, where they are installed."""
    import numpy as np
    from textual.app import App, ComposeResult
    from textual.geometry import Region

    from scout.present.map import STATUS_INK, View, fit, paris_geometry

    geometry = paris_geometry()
    width, height = SIZE
    region = Region(0, 0, width, height)
    figures: dict = {}

    def in_cells(view: View) -> tuple[Any, Any, Any, list]:
        """Segments and markers in cell units (floats), the numbers' cells."""
        ox, oy = view.origin()
        segs = np.vstack([geometry.outlines, geometry.seine])
        cx0 = (segs[:, 0] / view.mpd - ox) / 2
        cy0 = (-segs[:, 1] / view.mpd - oy) / 4
        cx1 = (segs[:, 2] / view.mpd - ox) / 2
        cy1 = (-segs[:, 3] / view.mpd - oy) / 4
        mx = (markers.xs / view.mpd - ox) / 2
        my = (-markers.ys / view.mpd - oy) / 4
        labels = [(*view.cell_of(lab.x, lab.y), lab.text) for lab in geometry.numbers]
        return np.stack([cx0, cy0, cx1, cy1], axis=1), mx, my, labels

    try:
        from textual_hires_canvas import Canvas as HiresCanvas
        from textual_hires_canvas import HiResMode
    except ImportError:
        HiresCanvas = None
    if HiresCanvas is not None:

        class Hires(App[None]):
            def compose(self) -> ComposeResult:
                yield HiresCanvas(width, height, HiResMode.BRAILLE)

        def draw_hires(canvas: Any, view: View) -> None:
            segs, mx, my, labels = in_cells(view)
            with canvas.batch_refresh():
                canvas.reset()
                canvas.draw_hires_lines(segs.tolist(), HiResMode.BRAILLE, "grey50")
                for colour, ink in zip(COLOURS, STATUS_INK.values()):  # one style a status
                    mask = markers.inks == ink
                    cells = zip(mx[mask].astype(int).tolist(), my[mask].astype(int).tolist())
                    canvas.set_pixels(cells, "●", colour)
                for col, row, text in labels:
                    canvas.write_text(col, row, f"[b]{text}[/b]")
            canvas.render_lines(region)

        async with Hires().run_test(size=SIZE) as pilot:
            canvas = pilot.app.query_one(HiresCanvas)
            view = fit(geometry.bounds, width, height).zoomed(2)
            draw_hires(canvas, view)
            samples: list[float] = []
            for k in range(max(runs // 3, 5)):
                view = view.panned(width / 4 if k % 2 == 0 else -width / 4, 0)
                _timed(samples, lambda v=view: draw_hires(canvas, v))
            figures["map_pan_redraw_textual_hires_canvas_ms"] = median_ms(samples)

    try:
        from textual_canvas import Canvas as PixelCanvas
    except ImportError:
        PixelCanvas = None
    if PixelCanvas is not None:
        from textual.color import Color

        class Pixels(App[None]):
            def compose(self) -> ComposeResult:
                yield PixelCanvas(width, height * 2)

        grey, green = Color(128, 128, 128), Color(0, 200, 0)

        def draw_pixels(canvas: Any, view: View) -> None:
            segs, mx, my, _ = in_cells(view)
            with canvas.batch_refresh():
                canvas.clear()
                for x0, y0, x1, y1 in segs.tolist():  # half-blocks: 1×2 pixels a cell
                    a, b, c, d = int(x0), int(y0 * 2), int(x1), int(y1 * 2)
                    if all(0 <= v < width for v in (a, c)) and all(
                        0 <= v < 2 * height for v in (b, d)
                    ):
                        canvas.draw_line(a, b, c, d, grey)
                px, py = mx.astype(int), (my * 2).astype(int)
                inside = (px >= 0) & (px < width) & (py >= 0) & (py < 2 * height)
                canvas.set_pixels(zip(px[inside].tolist(), py[inside].tolist()), green)
            canvas.render_lines(region)

        async with Pixels().run_test(size=SIZE) as pilot:
            canvas = pilot.app.query_one(PixelCanvas)
            view = fit(geometry.bounds, width, height).zoomed(2)
            draw_pixels(canvas, view)
            samples = []
            for k in range(max(runs // 3, 5)):
                view = view.panned(width / 4 if k % 2 == 0 else -width / 4, 0)
                _timed(samples, lambda v=view: draw_pixels(canvas, v))
            figures["map_pan_redraw_textual_canvas_ms"] = median_ms(samples)
    return figures


def bench_map(tmp: Path, n: int = N_LIEUX, runs: int = RUNS) -> dict:
    import asyncio

    del tmp  # nothing written: the map draws what the list holds
    return asyncio.run(_measure(n, runs))


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as name:
        print(json.dumps(bench_map(Path(name)), indent=2))
