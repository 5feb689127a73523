"""Paris in braille, the lieux on it: the raster comes from scout.present.map, this widget
only colours it (by the theme, light or dark) and answers keys and clicks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from rich.segment import Segment
from rich.style import Style
from textual.events import Click, MouseScrollDown, MouseScrollUp, Resize
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from scout.present.map import Ink, Markers, Picture, Rasteriser, View, fit, paris_geometry

if TYPE_CHECKING:
    import numpy as np

# The view the map was left at, per app: opened again, it is where it was.
_LAST_VIEW: WeakKeyDictionary[Any, View] = WeakKeyDictionary()
# One rasteriser for the app's life: each zoom level's outlines are computed once.
_RASTERISER: Rasteriser | None = None


def rasteriser() -> Rasteriser:
    """The rasteriser, Paris' geometry read the first time (a second or so on a cold
    start: the map screen calls this in a worker, then `ParisMap.ready()`)."""
    global _RASTERISER
    if _RASTERISER is None:
        _RASTERISER = Rasteriser(paris_geometry())
    return _RASTERISER


def geometry_ready() -> bool:
    return _RASTERISER is not None


_CLASS_OF = {
    Ink.SHOOT: "paris-map--shoot",
    Ink.OUTLINE: "paris-map--outline",
    Ink.SEINE: "paris-map--seine",
    Ink.BOIS: "paris-map--bois",
    Ink.NUMBER: "paris-map--number",
    Ink.REJECTED: "paris-map--rejected",
    Ink.TO_SCOUT: "paris-map--to-scout",
    Ink.SCOUTED: "paris-map--scouted",
    Ink.OPTION: "paris-map--option",
    Ink.VALIDATED: "paris-map--validated",
    Ink.SELECTED: "paris-map--selected",
}


class ParisMap(Widget, can_focus=True):
    COMPONENT_CLASSES = set(_CLASS_OF.values())
    DEFAULT_CSS = """
    ParisMap { background: $surface; height: 1fr; }
    ParisMap > .paris-map--shoot { color: $foreground 30%; }
    ParisMap > .paris-map--outline { color: $foreground 60%; }
    ParisMap > .paris-map--seine { color: $secondary; }
    ParisMap > .paris-map--bois { color: $success; text-style: italic; }
    ParisMap > .paris-map--number { color: $foreground; text-style: bold; }
    ParisMap > .paris-map--rejected { color: $foreground 45%; }
    ParisMap > .paris-map--to-scout { color: $foreground; text-style: bold; }
    ParisMap > .paris-map--scouted { color: #C586F0; text-style: bold; }
    ParisMap:light > .paris-map--scouted { color: #7B3FA0; }
    ParisMap > .paris-map--option { color: $warning; text-style: bold; }
    ParisMap > .paris-map--validated { color: $success; text-style: bold; }
    ParisMap > .paris-map--selected { color: $background; background: $accent; text-style: bold; }
    """

    class Changed(Message):
        """The view or the selected marker changed: the screen says so below the map."""

    class Picked(Message):
        """A marker was clicked: it is selected now."""

        def __init__(self, lieu_id: int) -> None:
            super().__init__()
            self.lieu_id = lieu_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: View | None = None
        self.markers: Markers | None = None
        self.shoots: tuple[np.ndarray, np.ndarray] | None = None
        self.selected: int | None = None
        self.picture: Picture | None = None
        self._strips: list[Strip] | None = None

    # -- what is shown ---------------------------------------------------------------
    def show(self, markers: Markers, selected: int | None = None) -> None:
        self.markers = markers
        self.selected = selected if markers.index_of(selected) is not None else None
        self.redraw()

    def show_shoots(self, xs: np.ndarray, ys: np.ndarray) -> None:
        self.shoots = (xs, ys)
        self.redraw()

    def redraw(self) -> None:
        if self.view is None:
            return
        self.picture = rasteriser().draw(self.view, self.markers, self.selected, self.shoots)
        self._strips = None
        self.refresh()
        self.post_message(self.Changed())

    def _set_view(self, view: View) -> None:
        self.view = view
        self.redraw()

    # -- moving ----------------------------------------------------------------------
    def pan(self, columns: float, rows: float) -> None:
        if self.view is not None:
            self._set_view(self.view.panned(columns, rows))

    def zoom(self, step: int) -> None:
        if self.view is not None:
            self._set_view(self.view.zoomed(step))

    def fit_paris(self) -> None:
        width, height = self.size.width, self.size.height
        self._set_view(fit(paris_geometry().bounds, max(width, 1), max(height, 1)))

    def centre_on_selected(self) -> bool:
        chosen = self.markers.index_of(self.selected) if self.markers is not None else None
        if chosen is None or self.view is None or self.markers is None:
            return False
        self._set_view(
            self.view.centred(float(self.markers.xs[chosen]), float(self.markers.ys[chosen]))
        )
        return True

    def select(self, lieu_id: int | None, *, follow: bool = False) -> None:
        """Select a marker; `follow` brings it into view when it is off the map."""
        self.selected = lieu_id
        if follow and self.view is not None and self.markers is not None:
            chosen = self.markers.index_of(lieu_id)
            if chosen is not None:
                col, row = self.view.cell_of(
                    float(self.markers.xs[chosen]), float(self.markers.ys[chosen])
                )
                if not (0 <= col < self.view.width and 0 <= row < self.view.height):
                    self.centre_on_selected()
                    return
        self.redraw()

    def step(self, direction: int) -> None:
        """The next (or previous) marker, in the list's order."""
        if self.markers is None or not len(self.markers):
            return
        chosen = self.markers.index_of(self.selected)
        if chosen is None:
            index = 0 if direction > 0 else len(self.markers) - 1
        else:
            index = (chosen + direction) % len(self.markers)
        self.select(int(self.markers.ids[index]), follow=True)

    # -- Textual ---------------------------------------------------------------------
    def on_resize(self, event: Resize) -> None:
        width, height = max(event.size.width, 1), max(event.size.height, 1)
        if self.view is not None:
            self._set_view(self.view.sized(width, height))
        elif geometry_ready():
            self._first_view(width, height)

    def ready(self) -> None:
        """Paris' geometry is read (by the screen's worker): draw."""
        if self.view is None and self.size.area:
            self._first_view(self.size.width, self.size.height)

    def _first_view(self, width: int, height: int) -> None:
        last = _LAST_VIEW.get(self.app)
        if last is None:
            self.fit_paris()
            return
        self.view = last.sized(width, height)  # where the map was left, in this run
        self.select(self.selected, follow=True)

    def on_unmount(self) -> None:
        if self.view is not None:
            _LAST_VIEW[self.app] = self.view

    def on_mouse_scroll_up(self, event: MouseScrollUp) -> None:
        event.stop()
        self.zoom(1)

    def on_mouse_scroll_down(self, event: MouseScrollDown) -> None:
        event.stop()
        self.zoom(-1)

    def on_click(self, event: Click) -> None:
        if self.picture is None:
            return
        found = self.picture.marker_at(event.x, event.y)
        if found is not None:
            self.select(found)
            self.post_message(self.Picked(found))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None  # the theme changed: colour again

    def _styles(self) -> dict[int, Style]:
        # The whole style: its colour blended over the map's background (a partial one
        # would keep « 45 % » as an alpha that the terminal never sees).
        styles = {int(Ink.BLANK): self.rich_style}
        for ink, name in _CLASS_OF.items():
            styles[int(ink)] = self.get_component_rich_style(name)
        return styles

    def _make_strips(self) -> list[Strip]:
        import numpy as np

        picture = self.picture
        if picture is None:
            return []
        styles = self._styles()
        # Among many markers most runs are one cell: one Segment each of (glyph, ink).
        singles: dict[tuple[str, int], Segment] = {}
        strips = []
        for text, inks in zip(picture.lines, picture.inks):
            cuts = (np.flatnonzero(inks[1:] != inks[:-1]) + 1).tolist()
            segments = []
            for a, b, k in zip([0, *cuts], [*cuts, len(text)], inks[[0, *cuts]].tolist()):
                if b - a == 1:
                    key = (text[a], k)
                    segment = singles.get(key)
                    if segment is None:
                        segment = singles[key] = Segment(text[a], styles[k])
                    segments.append(segment)
                else:
                    segments.append(Segment(text[a:b], styles[k]))
            strips.append(Strip(segments, len(text)))
        return strips

    def render_line(self, y: int) -> Strip:
        if self.picture is None and y == self.size.height // 2:  # Paris is being read
            from scout.i18n import _

            words = _("Drawing Paris…")
            pad = max((self.size.width - len(words)) // 2, 0)
            return Strip([Segment(" " * pad + words, self.rich_style)]).crop_extend(
                0, self.size.width, self.rich_style
            )
        if self._strips is None:
            self._strips = self._make_strips()
        if 0 <= y < len(self._strips):
            strip = self._strips[y]
            width = self.size.width
            if strip.cell_length == width:
                return strip
            return strip.crop_extend(0, width, self.rich_style)
        return Strip.blank(self.size.width, self.rich_style)

    def lines_text(self) -> list[str]:
        """What the map shows, as text (for the tests and the screen reader of a person
        who asks)."""
        return list(self.picture.lines) if self.picture is not None else []
