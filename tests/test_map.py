"""The map screen (issue 13): Paris from scout's own polygons, the list's lieux on it.

Tier 1: the rasteriser (scout.present.map) on its own; tier 2: the real app with Pilot on
real database files; tier 3: SVG snapshots at 80×24 and 160×50.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_snapshots import SIZES, SnapCompare, after, fixed_app, press
from test_tui import (
    CLOCK,
    HOLDER,
    _filter,
    _messages,
    _palette,
    _ready,
    _workspace,
    running,
)

from scout.demo import seed_demo
from scout.present.map import (
    LEVELS,
    Ink,
    Markers,
    Rasteriser,
    View,
    fit,
    paris_geometry,
    to_plane,
)
from scout.services import Workspace
from scout.store import open_store
from scout.tui.app import ScoutApp, make_app
from scout.tui.screens.lieux import LieuxScreen
from scout.tui.screens.map import MapScreen
from scout.tui.widgets.lieu_table import LieuTable
from scout.tui.widgets.paris_map import ParisMap

NUMBERS = set(range(1, 21))


def _row(lieu_id: int, lat: float | None, lon: float | None, status: str = "to_scout", **kw):
    return SimpleNamespace(
        id=lieu_id, lat=lat, lon=lon, status=status, retained=kw.get("retained", False)
    )


def _numbers_drawn(lines: list[str]) -> set[int]:
    return {int(token) for line in lines for token in re.findall(r"(?<!\d)\d{1,2}(?!\d)", line)}


# -- tier 1: the rasteriser -------------------------------------------------------------
def test_a_known_point_lands_in_its_cell_and_a_click_there_finds_it() -> None:
    view = View(0.0, 0.0, 6, 10, 5)  # centred on the centre of the plane
    markers = Markers.of([_row(7, *_latlon(0.0, 0.0))])
    picture = Rasteriser().draw(view, markers)
    # 10 cells = 20 dots wide, 5 cells = 20 dots high: the centre dot (10, 10) is in the
    # 6th column (10 // 2) and the 3rd row (10 // 4).
    assert picture.marker_at(5, 2) == 7
    assert picture.lines[2][5] == "●"
    assert picture.inks[2, 5] == Ink.TO_SCOUT
    assert picture.shown == 1
    # one cell east (2 dots) is the next column
    east = Markers.of([_row(8, *_latlon(2 * LEVELS[6] + 1, 0.0))])
    assert Rasteriser().draw(view, east).marker_at(6, 2) == 8


def _latlon(x: float, y: float) -> tuple[float, float]:
    from scout.geo.plane import KX, KY, LAT0, LON0

    return LAT0 + y / KY, LON0 + x / KX


def test_the_retained_lieu_wins_its_cell_with_a_star_and_the_selected_one_is_inked() -> None:
    view = View(0.0, 0.0, 6, 10, 5)
    here = _latlon(0.0, 0.0)
    markers = Markers.of([_row(1, *here, "validated"), _row(2, *here, "rejected", retained=True)])
    picture = Rasteriser().draw(view, markers)
    assert picture.lines[2][5] == "★" and picture.marker_at(5, 2) == 2
    picture = Rasteriser().draw(view, markers, selected=2)
    assert picture.inks[2, 5] == Ink.SELECTED


@pytest.mark.parametrize("size", [(78, 19), (158, 44)])
def test_the_20_arrondissement_numbers_and_the_outlines_are_drawn(size: tuple[int, int]) -> None:
    geometry = paris_geometry()
    view = fit(geometry.bounds, *size)
    picture = Rasteriser(geometry).draw(view)
    assert _numbers_drawn(picture.lines) == NUMBERS
    text = "\n".join(picture.lines)
    assert sum("\u2800" < c <= "\u28ff" for c in text) > 100  # braille outlines
    assert "Bois de Vincennes" in text or "Vincennes" in text
    assert "Boulogne" in text


def test_each_arrondissement_number_sits_inside_its_own_polygon() -> None:
    import shapely

    from scout.geo.lookup import paris

    data = paris()
    for label in paris_geometry().numbers:
        polygon = data.polygons[data.number_list.index(int(label.text))]
        assert polygon.distance(shapely.Point(label.x, label.y)) < 200  # centroids


def test_the_seine_is_derived_from_the_banks_and_passes_under_the_pont_neuf() -> None:
    import shapely

    seine = paris_geometry().seine
    lines = shapely.linestrings(seine.reshape(-1, 2, 2))
    pont_neuf = shapely.Point(*to_plane(48.8575, 2.3412))
    tour_eiffel = shapely.Point(*to_plane(48.8584, 2.2945))
    place_de_la_republique = shapely.Point(*to_plane(48.8674, 2.3637))
    assert shapely.distance(lines, pont_neuf).min() < 120
    assert shapely.distance(lines, tour_eiffel).min() < 350
    assert shapely.distance(lines, place_de_la_republique).min() > 1000


def test_pan_and_zoom_move_the_view_and_the_outlines_are_cached_per_level() -> None:
    raster = Rasteriser()
    view = fit(paris_geometry().bounds, 80, 20)
    raster.draw(view)
    cached = raster.dots(view.level, "outline")
    panned = view.panned(20, 0)
    assert panned.cx > view.cx and panned.level == view.level
    raster.draw(panned)
    assert raster.dots(view.level, "outline") is cached  # a pan computes nothing again
    assert view.zoomed(1).level == view.level + 1
    assert view.zoomed(100).level == len(LEVELS) - 1 and view.zoomed(-100).level == 0


def test_the_outline_dots_keep_every_quarter_of_the_plane() -> None:
    import numpy as np

    from scout.present.map import _line_dots

    # a cross through the centre: dots west, east, north and south of it all kept
    cross = np.array([[-1000.0, 0.0, 1000.0, 0.0], [0.0, -1000.0, 0.0, 1000.0]])
    dots = _line_dots(cross, 10.0)
    xs, ys = dots[:, 0], dots[:, 1]
    assert xs.min() == -100 and xs.max() == 100 and ys.min() == -100 and ys.max() == 100
    assert len(dots) == len({(int(x), int(y)) for x, y in dots}) == 401


def test_at_every_zoom_level_the_outlines_reach_the_east_of_paris() -> None:
    raster = Rasteriser()
    nation = to_plane(48.8483, 2.3958)  # on the 11th/12th boundary (the Place de la Nation)
    for level in range(len(LEVELS)):
        view = View(*nation, level, 40, 10)
        picture = raster.draw(view)
        assert any("\u2800" < c <= "\u28ff" for c in "".join(picture.lines)), level


def test_lieux_without_a_position_are_counted_not_drawn() -> None:
    markers = Markers.of([_row(1, 48.85, 2.35), _row(2, None, None)])
    assert len(markers) == 1 and markers.unplaced == 1


# -- tier 2: the real app ---------------------------------------------------------------
def _map(app: ScoutApp) -> ParisMap:
    return app.screen.query_one(ParisMap)


def _status(app: ScoutApp) -> str:
    return str(app.screen.query_one("#map-status").render())


def _selected_line(app: ScoutApp) -> str:
    return str(app.screen.query_one("#map-selected").render())


async def _open_map(pilot) -> ParisMap:
    await pilot.press("m")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, MapScreen)
    return _map(pilot.app)


async def test_m_opens_the_map_with_the_numbers_and_every_lieu_of_the_list(
    db_path: Path,
) -> None:
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        table = app.screen.query_one(LieuTable)
        under_cursor = table.current_id
        paris = await _open_map(pilot)
        assert _numbers_drawn(paris.lines_text()) == NUMBERS
        assert paris.markers is not None
        assert sorted(paris.markers.ids.tolist()) == sorted(r.id for r in table.rows_shown())
        assert paris.selected == under_cursor  # the list's cursor is the map's selection
        assert "14 locations" in _status(app)
        assert "14 in view" in _status(app)
        name = app.ws.lieux.get(under_cursor).name
        assert name in _selected_line(app)
        text = "\n".join(paris.lines_text())
        assert "★" in text and "●" in text
        legend = str(app.screen.query_one("#map-legend").render())
        assert "Validated" in legend and "retained" in legend
        await pilot.resize_terminal(160, 50)
        await pilot.pause()
        assert "(ODbL)" in str(app.screen.query_one("#map-legend").render())
        await pilot.press("escape")
        assert isinstance(app.screen, LieuxScreen)
        left = paris.view
        await pilot.press("m", "plus", "right")
        zoomed = _map(app).view
        assert zoomed is not None and zoomed.level == left.level + 1
        await pilot.press("escape", "m")
        await pilot.pause()
        assert _map(app).view == zoomed  # opened again where it was left


async def test_pan_zoom_and_whole_paris_again(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        paris = await _open_map(pilot)
        start = paris.view
        before = paris.lines_text()
        await pilot.press("right")
        assert paris.view.cx > start.cx and paris.view.cy == start.cy
        assert paris.lines_text() != before
        await pilot.press("h", "k")
        assert paris.view.cx == pytest.approx(start.cx) and paris.view.cy > start.cy
        await pilot.press("j")
        await pilot.press("plus")
        assert paris.view.level == start.level + 1
        assert f"zoom {start.level + 2}/{len(LEVELS)}" in _status(app)
        await pilot.press("minus", "minus")
        assert paris.view.level == start.level - 1
        await pilot.press("right", "right", "0")
        assert paris.view == start
        from textual.events import MouseScrollUp

        paris.post_message(MouseScrollUp(paris, 10, 5, 0, -1, 0, False, False, False))
        await pilot.pause()  # the mouse wheel zooms too
        assert paris.view.level == start.level + 1


async def test_n_selects_the_next_marker_and_c_centres_on_it(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        paris = await _open_map(pilot)
        first = paris.selected
        await pilot.press("n")
        second = paris.selected
        assert second != first and second is not None
        assert app.ws.lieux.get(second).name in _selected_line(app)
        await pilot.press("N")
        assert paris.selected == first
        await pilot.press("tab")
        assert paris.selected == second  # Tab moves between markers, not between widgets
        assert isinstance(app.focused, ParisMap)
        await pilot.press("plus", "plus", "plus", "c")
        index = paris.markers.index_of(paris.selected)
        assert paris.view.cx == pytest.approx(float(paris.markers.xs[index]))
        assert paris.view.cy == pytest.approx(float(paris.markers.ys[index]))
        col, row = paris.view.cell_of(paris.view.cx, paris.view.cy)
        assert paris.picture.inks[row, col] == Ink.SELECTED


async def test_enter_opens_the_selected_lieu_in_the_list(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        await _open_map(pilot)
        await pilot.press("n", "n", "n")
        chosen = _map(app).selected
        await pilot.press("enter")
        await _ready(pilot)
        assert isinstance(app.screen, LieuxScreen)
        assert app.screen.query_one(LieuTable).current_id == chosen


async def test_a_click_on_a_marker_selects_it(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        paris = await _open_map(pilot)
        ids = paris.picture.ids
        rows, cols = (ids >= 0).nonzero()
        target = next(
            (int(r), int(c)) for r, c in zip(rows, cols) if int(ids[r, c]) != paris.selected
        )
        wanted = int(ids[target])
        await pilot.click(ParisMap, offset=(target[1], target[0]))
        await pilot.pause()
        assert paris.selected == wanted
        assert app.ws.lieux.get(wanted).name in _selected_line(app)
        await pilot.press("enter")
        await _ready(pilot)
        assert app.screen.query_one(LieuTable).current_id == wanted


async def test_the_map_shows_exactly_what_the_filtered_list_shows(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        shown = await _filter(pilot, "5e")
        assert 0 < len(shown) < 14
        await pilot.press("enter")  # out of the filter box, back on the table
        paris = await _open_map(pilot)
        assert sorted(paris.markers.ids.tolist()) == shown
        assert f"{len(shown)} / 14 locations (filter)" in _status(app)
        await pilot.press("escape")
        await _filter(pilot, "")  # the filter emptied: every lieu again
        await pilot.press("enter")
        paris = await _open_map(pilot)
        assert len(paris.markers) == 14


async def test_a_lieu_without_position_is_counted_and_said(db_path: Path) -> None:
    with open_store(db_path) as store:
        ws = Workspace(store, CLOCK)
        seed_demo(ws)
        production = next(p.id for p in ws.lieux.productions() if p.demo)
        ws.lieux.add({"name": "Loge à trouver"}, production_id=production)
    async with running(db_path, size=(80, 24)) as (app, pilot, store):
        table = app.screen.query_one(LieuTable)
        assert any(r.name == "Loge à trouver" for r in table.rows_shown())
        paris = await _open_map(pilot)
        assert len(paris.markers) == 14 and paris.markers.unplaced == 1
        assert "15 locations" in _status(app)
        assert "1 without a position (not on the map)" in _status(app)


async def test_the_citys_past_shoots_are_a_faint_layer_when_imported(
    db_path: Path, tmp_path: Path
) -> None:
    from test_tournages import _row as shoot_row
    from test_tournages import _write

    # a shoot in the middle of the 15th, where the demo has no lieu: a faint braille dot
    at = ("2.2960", "48.8330")
    with open_store(db_path) as store:
        ws = Workspace(store, CLOCK)
        seed_demo(ws)
        ws.tournages.import_file(
            _write(tmp_path / "t.csv", [shoot_row("2019-1", x=at[0], y=at[1])])
        )
    async with running(db_path, size=(80, 24)) as (app, pilot, store):
        paris = await _open_map(pilot)
        assert paris.shoots is not None and len(paris.shoots[0]) == 1
        assert "⠿ past shoots" in str(app.screen.query_one("#map-legend").render())
        col, row = paris.view.cell_of(*to_plane(float(at[1]), float(at[0])))
        assert paris.picture.inks[row, col] == Ink.SHOOT
        assert "\u2800" < paris.picture.lines[row][col] <= "\u28ff"


async def test_an_empty_database_draws_paris_and_says_there_is_nothing(db_path: Path) -> None:
    async with running(db_path, size=(80, 24)) as (app, pilot, store):
        paris = await _open_map(pilot)
        assert _numbers_drawn(paris.lines_text()) == NUMBERS
        assert "0 locations" in _status(app)
        assert "No location to show on the map." in _selected_line(app)
        await pilot.press("n", "enter", "c")
        said = _messages(app)
        assert any("No location with a position" in m for m in said)
        assert any("No location selected" in m for m in said)
        assert isinstance(app.screen, MapScreen)


@pytest.mark.lang("fr")
async def test_the_map_works_on_a_read_only_database(db_path: Path) -> None:
    with open_store(db_path) as store:
        seed_demo(Workspace(store, CLOCK))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        store = open_store(db_path, on_locked="read-only")
        app = make_app(_workspace(db_path, store))
        async with app.run_test(size=(80, 24)) as pilot:
            await _ready(pilot)
            assert app.ws.read_only
            paris = await _open_map(pilot)
            assert "14 lieux" in _status(app)
            await pilot.press("n", "c", "plus")
            chosen = paris.selected
            await pilot.press("enter")
            await _ready(pilot)
            assert app.screen.query_one(LieuTable).current_id == chosen
        store.close()
    finally:
        holder.kill()
        holder.wait()


async def test_the_markers_read_in_the_light_theme_too(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        paris = await _open_map(pilot)
        row, col = (int(v[0]) for v in (paris.picture.inks == Ink.VALIDATED).nonzero())

        def style_at() -> object:
            x = 0
            for segment in paris.render_line(row):
                if x <= col < x + len(segment.text):
                    return segment.style
                x += len(segment.text)
            raise AssertionError("no segment there")

        dark = style_at()
        await pilot.press("f2")
        await pilot.pause()
        assert app.theme == "scout-light"
        light = style_at()
        assert dark != light
        assert light.color != light.bgcolor  # a colour on the background, not the same


async def test_the_map_is_in_the_palette_and_opens_from_it(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        found = await _palette(pilot, "Map")
        assert any("Map\nm — Paris on a map" in f for f in found), found
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)
        found = await _palette(pilot, "Zoom in")  # the map's own keys, while it is open
        assert any("Zoom in" in f for f in found)


async def test_f1_on_the_map_lists_its_keys(db_path: Path) -> None:
    from test_tui import _help_text
    from textual.binding import Binding

    from scout.i18n import _
    from scout.tui.screens.help import HelpScreen

    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        await _open_map(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = _help_text(app)
        for binding in Binding.make_bindings(MapScreen.BINDINGS):
            assert _(binding.description) in text, binding.id


# -- tier 3: snapshots ------------------------------------------------------------------
@pytest.fixture
def demo_app(db_path: Path) -> Iterator[ScoutApp]:
    """As tests/test_snapshots.py's: the demo, a fixed clock, in French."""
    yield from fixed_app(db_path, seed_demo)


@pytest.mark.lang("fr")
@pytest.mark.parametrize("size", SIZES)
def test_map_screen(snap_compare: SnapCompare, demo_app: ScoutApp, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app, terminal_size=size, run_before=after(press("m")))


@pytest.mark.lang("fr")
@pytest.mark.parametrize("size", SIZES)
def test_map_screen_zoomed_on_a_lieu(
    snap_compare: SnapCompare, demo_app: ScoutApp, size: tuple[int, int]
) -> None:
    steps = after(press("m"), press("n", "plus", "plus", "plus", "c"))
    assert snap_compare(demo_app, terminal_size=size, run_before=steps)


@pytest.mark.lang("fr")
def test_map_screen_in_the_light_theme(snap_compare: SnapCompare, demo_app: ScoutApp) -> None:
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=after(press("m", "f2")))
