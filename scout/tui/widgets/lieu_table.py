"""A table of lieux that renders only the lines on screen (Textual's line API).

Textual's stock DataTable builds every row up front: about 3.3 s to first paint with
20,000 lieux. Here a row is a LieuRow kept in a dict by lieu id; the visible lines are
drawn on demand, so first paint and cursor moves cost the same with 20 or 20,000 lieux.
Rows are updated in place by id, never cleared and rebuilt.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from scout.domain.values import fold
from scout.formatting import arrondissement_label, status_label
from scout.store.repository import LieuRow

COLUMNS = (("ID", 5), ("Lieu", 0), ("Décor", 0), ("Arr.", 6), ("Statut", 10), ("Tournage", 10))


Keys = tuple[tuple[str, str, int], str]  # (sort key, folded text the filter searches)


@cache
def _folded(text: str) -> str:
    return fold(text)


@cache
def _tail(status: str, arrondissement: int | None) -> str:
    return f"{fold(status_label(status))} {arrondissement_label(arrondissement)}"


def row_keys(row: LieuRow) -> Keys:
    """Folded once per row, not at every sort or keystroke: 20,000 rows add up.
    Décors, statuses and arrondissements repeat, so they are folded once each."""
    decor, name = _folded(row.decor), fold(row.name)
    return (decor, name, row.id), f"{name} {decor} {_tail(row.status, row.arrondissement)}"


def prepare(rows: list[LieuRow]) -> dict[int, tuple[LieuRow, Keys]]:
    """What `LieuTable.load` takes; pure Python, so a worker thread can compute it."""
    return {row.id: (row, row_keys(row)) for row in rows}


class LieuTable(ScrollView, can_focus=True):
    """Lieux sorted by décor then name; a cursor; a text filter."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Haut", show=False, id="table.up"),
        Binding("down,j", "cursor(1)", "Bas", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page précédente", show=False, id="table.pageup"),
        Binding("pagedown", "page(1)", "Page suivante", show=False, id="table.pagedown"),
        Binding("home", "jump(0)", "Début", show=False, id="table.home"),
        Binding("end", "jump(-1)", "Fin", show=False, id="table.end"),
        Binding("enter", "select", "Ouvrir", show=False, id="table.select"),
    ]
    COMPONENT_CLASSES = {
        "lieu-table--header",
        "lieu-table--cursor",
        "lieu-table--retained",
        "lieu-table--rejected",
        "lieu-table--validated",
    }
    DEFAULT_CSS = """
    LieuTable { background: $surface; }
    LieuTable > .lieu-table--header { text-style: bold; background: $panel; }
    LieuTable > .lieu-table--cursor { background: $accent 40%; }
    LieuTable:focus > .lieu-table--cursor { background: $accent; color: $text; }
    LieuTable > .lieu-table--retained { text-style: bold; }
    LieuTable > .lieu-table--rejected { color: $text-muted; }
    LieuTable > .lieu-table--validated { color: $success; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        def __init__(self, lieu_id: int | None) -> None:
            self.lieu_id = lieu_id
            super().__init__()

    class Selected(Message):
        def __init__(self, lieu_id: int) -> None:
            self.lieu_id = lieu_id
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: dict[int, LieuRow] = {}
        self._keys: dict[int, Keys] = {}
        self._order: list[int] = []
        self._filter = ""

    # -- data -----------------------------------------------------------------------
    def set_rows(self, rows: list[LieuRow]) -> None:
        self.load(prepare(rows))

    def load(self, prepared: dict[int, tuple[LieuRow, Keys]]) -> None:
        self._rows = {k: row for k, (row, _) in prepared.items()}
        self._keys = {k: keys for k, (_, keys) in prepared.items()}
        self._reorder()

    def upsert(self, row: LieuRow) -> None:
        self._rows[row.id] = row
        self._keys[row.id] = row_keys(row)
        self._reorder(keep=row.id)

    def remove(self, lieu_id: int) -> None:
        if self._rows.pop(lieu_id, None) is not None:
            del self._keys[lieu_id]
            self._reorder()

    def set_filter(self, text: str) -> None:
        self._filter = fold(text)
        self._reorder()

    @property
    def row_count(self) -> int:
        return len(self._order)

    @property
    def current_id(self) -> int | None:
        return self._order[self.cursor] if self._order else None

    def visible_ids(self) -> list[int]:
        return list(self._order)

    def move_to(self, lieu_id: int) -> bool:
        try:
            self.cursor = self._order.index(lieu_id)
        except ValueError:
            return False
        return True

    def _reorder(self, keep: int | None = None) -> None:
        keep = keep if keep is not None else self.current_id
        keys = self._keys
        ids: Any = keys
        if self._filter:
            words = self._filter.split()
            ids = [k for k, (_, text) in keys.items() if all(w in text for w in words)]
        self._order = sorted(ids, key=lambda k: keys[k][0])
        self.virtual_size = Size(self.size.width, len(self._order) + 1)
        position = self._order.index(keep) if keep in self._rows and keep in self._order else 0
        self.cursor = min(position, max(len(self._order) - 1, 0))
        self.refresh()

    # -- cursor -----------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        page = max(self.size.height - 1, 1)
        top = int(self.scroll_y)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
            self.refresh()
        elif new >= top + page:
            self.scroll_to(y=new - page + 1, animate=False, immediate=True)
            self.refresh()
        else:  # only the two lines that changed (line 0 is the header)
            self.refresh_lines(old - top + 1)
            self.refresh_lines(new - top + 1)
        self.post_message(self.Highlighted(self.current_id))

    def action_cursor(self, step: int) -> None:
        if self._order:
            self.cursor = max(0, min(self.cursor + step, len(self._order) - 1))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(self.size.height - 2, 1))

    def action_jump(self, where: int) -> None:
        if self._order:
            self.cursor = where % len(self._order)

    def action_select(self) -> None:
        if self.current_id is not None:
            self.post_message(self.Selected(self.current_id))

    def on_click(self, event: object) -> None:
        y = getattr(event, "y", 0)
        if y >= 1:
            index = int(self.scroll_y) + y - 1
            if 0 <= index < len(self._order):
                self.cursor = index

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._order) + 1)

    # -- drawing ----------------------------------------------------------------------
    def _widths(self) -> list[int]:
        fixed = sum(w for _, w in COLUMNS) + len(COLUMNS) - 1
        free = max(self.size.width - fixed, 20)
        name_w = free * 55 // 100
        return [w or (name_w if i == 1 else free - name_w) for i, (_, w) in enumerate(COLUMNS)]

    def _line(self, cells: list[str], style: Style) -> Strip:
        widths = self._widths()
        parts = []
        for text, width in zip(cells, widths):
            text = text if len(text) <= width else text[: max(width - 1, 0)] + "…"
            parts.append(text.ljust(width))
        line = " ".join(parts)[: self.size.width].ljust(self.size.width)
        return Strip([Segment(line, style)], self.size.width)

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        if y == 0:
            header = base + self.get_component_rich_style("lieu-table--header")
            return self._line([name for name, _ in COLUMNS], header)
        index = int(self.scroll_y) + y - 1
        if index >= len(self._order):
            return Strip.blank(self.size.width, base)
        row = self._rows[self._order[index]]
        style = base
        if row.status == "rejected":
            style += self.get_component_rich_style("lieu-table--rejected")
        elif row.status == "validated":
            style += self.get_component_rich_style("lieu-table--validated")
        if row.retained:
            style += self.get_component_rich_style("lieu-table--retained")
        if index == self.cursor:
            style += self.get_component_rich_style("lieu-table--cursor")
        cells = [
            str(row.id),
            ("★ " if row.retained else "") + row.name,
            row.decor,
            arrondissement_label(row.arrondissement, row.on_boundary, row.approximate_zone),
            status_label(row.status),
            _french_date(row.next_shoot),
        ]
        return self._line(cells, style)


def _french_date(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso else "—"
