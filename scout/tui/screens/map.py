"""The map: Paris drawn from scout's own polygons, with the lieux the list shows (the same
filter) as markers coloured by status; the City's past shoots faint beneath when imported."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static

from scout.geo.lookup import ATTRIBUTION
from scout.i18n import N_, _, formats, ngettext
from scout.present.labels import arrondissement_label, status_label
from scout.present.map import DOT, LEVELS, STAR, STATUS_INK, Ink, Markers, to_plane
from scout.tui.screens.base import ScoutScreen
from scout.tui.widgets.header import ScoutHeader
from scout.tui.widgets.key_bar import KeyBar
from scout.tui.widgets.lieu_table import LieuTable
from scout.tui.widgets.paris_map import ParisMap, rasteriser

if TYPE_CHECKING:
    from scout.tui.app import ScoutApp

PAN_SHARE = 4  # an arrow moves the map by a quarter of its width or height


class MapLegend(Widget):
    """One line: the marks and their colours, as many as fit."""

    DEFAULT_CSS = "MapLegend { height: 1; padding: 0 1; background: $panel; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shoots = False

    def render(self) -> Text:
        paris = self.screen.query_one(ParisMap)
        styles = paris._styles()
        items = [
            (DOT, status_label(status), styles[int(ink)]) for status, ink in STATUS_INK.items()
        ]
        items.append((STAR, _("retained"), styles[int(Ink.TO_SCOUT)]))
        if self.shoots:
            items.append(("⠿", _("past shoots"), styles[int(Ink.SHOOT)]))
        items.append(("⣿", _("Seine"), styles[int(Ink.SEINE)]))
        text, room = Text(), max(self.size.width, 1)
        for mark, label, style in items:
            if text.cell_len + len(mark) + 1 + len(label) > room:
                break
            # the colour alone: on the legend's own background
            text.append(mark, Style(color=style.color, bold=style.bold))
            text.append(f" {label} ")
        text.rstrip()
        # The outlines are the City's (ODbL): said at the right end where there is room.
        if text.cell_len + 2 + len(ATTRIBUTION) <= room:
            text.append(" " * (room - text.cell_len - len(ATTRIBUTION)))
            text.append(ATTRIBUTION, "dim")
        return text


class MapScreen(ScoutScreen):
    LABEL = N_("Map")
    KEY_BAR = ("map.open", "map.next", "map.centre", "map.zoom_in", "map.zoom_out", "map.back")
    BINDINGS = [
        Binding(
            "enter",
            "open",
            N_("Open"),
            id="map.open",
            tooltip=N_("Back to the list with the selected location under the cursor"),
        ),
        Binding(
            "tab,n",
            "step(1)",
            N_("Next location"),
            id="map.next",
            tooltip=N_("Select the next location on the map (in the list's order)"),
        ),
        Binding(
            "shift+tab,N",
            "step(-1)",
            N_("Previous location"),
            show=False,
            id="map.previous",
            tooltip=N_("Select the previous location on the map"),
        ),
        Binding(
            "c",
            "centre",
            N_("Centre"),
            id="map.centre",
            tooltip=N_("Centre the map on the selected location"),
        ),
        Binding(
            "plus,equals_sign",
            "zoom(1)",
            N_("Zoom in"),
            key_display="+",
            id="map.zoom_in",
            tooltip=N_("Closer: twice the detail every two presses"),
        ),
        Binding(
            "minus",
            "zoom(-1)",
            N_("Zoom out"),
            key_display="-",
            id="map.zoom_out",
            tooltip=N_("Further: more of Paris on the screen"),
        ),
        Binding(
            "0",
            "fit",
            N_("All Paris"),
            show=False,
            id="map.fit",
            tooltip=N_("The whole of Paris on the screen again"),
        ),
        Binding(
            "left,h",
            "pan(-1,0)",
            N_("West"),
            show=False,
            id="map.left",
            tooltip=N_("Move the map west"),
        ),
        Binding(
            "right,l",
            "pan(1,0)",
            N_("East"),
            show=False,
            id="map.right",
            tooltip=N_("Move the map east"),
        ),
        Binding(
            "up,k",
            "pan(0,-1)",
            N_("North"),
            show=False,
            id="map.up",
            tooltip=N_("Move the map north"),
        ),
        Binding(
            "down,j",
            "pan(0,1)",
            N_("South"),
            show=False,
            id="map.down",
            tooltip=N_("Move the map south"),
        ),
        Binding(
            "escape",
            "back",
            N_("List"),
            id="map.back",
            tooltip=N_("Back to the list of locations"),
        ),
    ]

    app: ScoutApp

    def compose(self) -> ComposeResult:
        yield ScoutHeader()
        yield MapLegend(id="map-legend")
        yield ParisMap(id="paris-map")
        yield Static("", id="map-selected", markup=False)
        yield Static("", id="map-status", markup=False)
        yield KeyBar()

    def __init__(self) -> None:
        super().__init__()
        self._total = 0
        self._filtered = False

    def on_mount(self) -> None:
        paris = self.query_one(ParisMap)
        paris.focus()
        self.read_list()
        self.load_shoots()
        self.load_paris()

    @work(thread=True, exclusive=True, exit_on_error=False, group="map-paris")
    def load_paris(self) -> None:
        """Paris' outlines read beside the UI (a second on a cold start), then every zoom
        level's dots computed while the map is looked at."""
        drawing = rasteriser()
        self.app.call_from_thread(self.query_one(ParisMap).ready)
        drawing.warm()

    def on_screen_resume(self) -> None:
        self.read_list()

    def read_list(self) -> None:
        """The lieux the list shows now (its filter, whatever it is), and its cursor."""
        try:
            table = self.app.lieux_screen().query_one(LieuTable)
        except LookupError:
            return
        rows = table.rows_shown()
        self._total = self.app.ws.lieux.count()
        self._filtered = len(rows) != self._total
        paris = self.query_one(ParisMap)
        paris.show(Markers.of(rows), table.current_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="map-shoots")
    def load_shoots(self) -> None:
        """The City's past shoots, if they were imported: a faint layer beneath."""
        import numpy as np

        tournages = self.app.ws.tournages
        if not tournages.count():
            return
        shoots = tournages.all()
        xs, ys = to_plane(
            np.array([s.lat for s in shoots], dtype=float),
            np.array([s.lon for s in shoots], dtype=float),
        )
        self.app.call_from_thread(self._shoots_loaded, xs, ys)

    def _shoots_loaded(self, xs: object, ys: object) -> None:
        self.query_one(ParisMap).show_shoots(xs, ys)  # type: ignore[arg-type]
        legend = self.query_one(MapLegend)
        legend.shoots = True
        legend.refresh()

    # -- what the lines under the map say ---------------------------------------------
    @on(ParisMap.Changed)
    def _changed(self) -> None:
        paris = self.query_one(ParisMap)
        self._say_selected(paris)
        self._say_status(paris)

    def _say_selected(self, paris: ParisMap) -> None:
        line = self.query_one("#map-selected", Static)
        try:
            table = self.app.lieux_screen().query_one(LieuTable)
        except LookupError:
            return
        row = table.get_row(paris.selected) if paris.selected is not None else None
        if row is None:
            if paris.markers is not None and len(paris.markers):
                line.update(_("No location selected: Tab or n selects the next one."))
            else:
                line.update(_("No location to show on the map."))
            return
        parts = [("★ " if row.retained else "▸ ") + row.name]
        if row.decor:
            parts.append(row.decor)
        parts.append(status_label(row.status))
        parts.append(arrondissement_label(row.arrondissement, row.on_boundary))
        line.update(Text(" — ".join(parts)))

    def _say_status(self, paris: ParisMap) -> None:
        markers, view, picture = paris.markers, paris.view, paris.picture
        if view is None or markers is None:
            return
        placed = len(markers)
        shown = placed + markers.unplaced
        if self._filtered:
            counted = ngettext(
                "{shown} / {n} location (filter)", "{shown} / {n} locations (filter)", self._total
            ).format(shown=formats.number(shown), n=formats.number(self._total))
        else:
            counted = ngettext("{n} location", "{n} locations", shown).format(
                n=formats.number(shown)
            )
        parts = [counted]
        if placed:
            in_view = picture.shown if picture is not None else 0
            parts.append(
                ngettext("{n} in view", "{n} in view", in_view).format(n=formats.number(in_view))
            )
        if markers.unplaced:
            parts.append(
                ngettext(
                    "{n} without a position (not on the map)",
                    "{n} without a position (not on the map)",
                    markers.unplaced,
                ).format(n=formats.number(markers.unplaced))
            )
        parts.append(
            _("zoom {level}/{levels}, 1 character ≈ {metres}").format(
                level=view.level + 1,
                levels=len(LEVELS),
                metres=formats.metres(round(2 * view.mpd)),
            )
        )
        self.query_one("#map-status", Static).update(" · ".join(parts))

    # -- actions ------------------------------------------------------------------------
    def action_pan(self, columns: int, rows: int) -> None:
        paris = self.query_one(ParisMap)
        paris.pan(columns * paris.size.width / PAN_SHARE, rows * paris.size.height / PAN_SHARE)

    def action_zoom(self, step: int) -> None:
        self.query_one(ParisMap).zoom(step)

    def action_fit(self) -> None:
        self.query_one(ParisMap).fit_paris()

    def action_step(self, direction: int) -> None:
        paris = self.query_one(ParisMap)
        if paris.markers is None or not len(paris.markers):
            self.notify(_("No location with a position to select."), severity="warning")
            return
        paris.step(direction)

    def action_centre(self) -> None:
        if not self.query_one(ParisMap).centre_on_selected():
            self.notify(_("No location selected: Tab or n selects one."), severity="warning")

    async def action_open(self) -> None:
        selected = self.query_one(ParisMap).selected
        if selected is None:
            self.notify(_("No location selected: Tab or n selects one."), severity="warning")
            return
        await self.app.show_lieu(selected)

    def action_back(self) -> None:
        self.dismiss()

    @on(ParisMap.Picked)
    def _picked(self, event: ParisMap.Picked) -> None:
        event.stop()
