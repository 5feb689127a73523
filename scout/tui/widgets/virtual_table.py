"""A table that renders only the lines on screen (Textual's line API).

Textual's stock DataTable builds every row up front: about 3.3 s to first paint with
20,000 rows. Here rows are kept in a dict by id with their sort key and folded search
text, computed once; the visible lines are drawn on demand, so first paint and cursor
moves cost the same with 20 or 20,000 rows. Rows are updated in place by id, never
cleared and rebuilt. Subclasses say what a row's cells, keys and style are.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from scout.domain.values import fold
from scout.i18n import N_, _
from scout.perf import paused_gc
from scout.tui.text import plain

Row = TypeVar("Row")
Keys = tuple[Any, str]  # (sort key, folded text the filter searches)

# « 5e », « 5 », « 1er », « 5eme » (folded « 5ème »): an arrondissement, not a substring.
_ARRONDISSEMENT = re.compile(r"^(\d{1,2})(?:e|er|ere|re|eme)?$")


def parse_filter(folded: str) -> tuple[frozenset[int], list[str]]:
    """The arrondissements a filter names (1 to 20: `5e` is the 5e, never the 15e) and
    its other words, each matched as a substring of a row's words."""
    arrondissements: set[int] = set()
    words: list[str] = []
    for word in folded.split():
        found = _ARRONDISSEMENT.match(word)
        if found and 1 <= int(found.group(1)) <= 20:
            arrondissements.add(int(found.group(1)))
        else:
            words.append(word)
    return frozenset(arrondissements), words


class VirtualTable(ScrollView, Generic[Row], can_focus=True):
    """Rows sorted by key; a cursor; a text filter (every word must match: an
    arrondissement token the row's arrondissement, any other word a substring of the row's
    words or of the extra words given by `set_search_texts`). Line 0 is the header."""

    # (title marked N_(), width; 0 = share the rest)
    COLUMNS: ClassVar[tuple[tuple[str, int], ...]] = ()
    FLEX: ClassVar[tuple[int, ...]] = ()  # the share of each flexible column, in order
    BINDINGS = [
        Binding(
            "up,k", "cursor(-1)", N_("Up"), show=False, id="table.up", tooltip=N_("Previous row")
        ),
        Binding(
            "down,j", "cursor(1)", N_("Down"), show=False, id="table.down", tooltip=N_("Next row")
        ),
        Binding(
            "pageup",
            "page(-1)",
            N_("Page up"),
            show=False,
            id="table.pageup",
            tooltip=N_("One screenful up"),
        ),
        Binding(
            "pagedown",
            "page(1)",
            N_("Page down"),
            show=False,
            id="table.pagedown",
            tooltip=N_("One screenful down"),
        ),
        Binding(
            "home", "jump(0)", N_("First"), show=False, id="table.home", tooltip=N_("First row")
        ),
        Binding("end", "jump(-1)", N_("Last"), show=False, id="table.end", tooltip=N_("Last row")),
        Binding(
            "enter",
            "select",
            N_("Open"),
            show=False,
            id="table.select",
            tooltip=N_("Open the row under the cursor (a location's sheet, a permit's status)"),
        ),
    ]
    COMPONENT_CLASSES = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--strong",
        "virtual-table--muted",
        "virtual-table--good",
        "virtual-table--alert",
    }
    DEFAULT_CSS = """
    VirtualTable { background: $surface; }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; }
    VirtualTable > .virtual-table--cursor { background: $accent 40%; }
    VirtualTable:focus > .virtual-table--cursor { background: $accent; color: $text; }
    VirtualTable > .virtual-table--strong { text-style: bold; }
    VirtualTable > .virtual-table--muted { color: $text-muted; }
    VirtualTable > .virtual-table--good { color: $success; }
    VirtualTable > .virtual-table--alert { color: $error; text-style: bold; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class _RowMessage(Message):
        def __init__(self, table: VirtualTable[Any], row_id: Hashable | None) -> None:
            self.table = table
            self.row_id = row_id
            super().__init__()

        @property
        def control(self) -> VirtualTable[Any]:
            return self.table

    class Highlighted(_RowMessage):
        """The cursor is on this row (None: the table is empty)."""

    class Selected(_RowMessage):
        """Enter on this row."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: dict[Hashable, Row] = {}
        self._keys: dict[Hashable, Keys] = {}
        self._order: list[Hashable] = []
        self._filter = ""
        self._extra: dict[Hashable, str] = {}  # more folded words per row (a search index)
        # Once there are extra words: each row's words and its extra words in one string,
        # so that a keystroke costs one `in` per word and row.
        self._haystack: dict[Hashable, str] | None = None

    # -- what subclasses say ------------------------------------------------------------
    @classmethod
    def row_id(cls, row: Row) -> Hashable:
        raise NotImplementedError

    @classmethod
    def row_keys(cls, row: Row) -> Keys:
        raise NotImplementedError

    @classmethod
    def row_arrondissement(cls, row: Row) -> int | None:
        """The row's arrondissement, for a filter that names one (None: it has none)."""
        return None

    def cells(self, row: Row) -> list[str]:
        raise NotImplementedError

    def styles_of(self, row: Row) -> tuple[str, ...]:
        """Component classes ("strong", "muted", "good", "alert") for a row."""
        return ()

    @classmethod
    def prepare(cls, rows: list[Row]) -> dict[Hashable, tuple[Row, Keys]]:
        """What `load` takes; pure Python, so a worker thread can compute it."""
        with paused_gc():
            return {cls.row_id(row): (row, cls.row_keys(row)) for row in rows}

    # -- data -------------------------------------------------------------------------
    def set_rows(self, rows: list[Row]) -> None:
        self.load(self.prepare(rows))

    def load(
        self, prepared: dict[Hashable, tuple[Row, Keys]], filter_text: str | None = None
    ) -> None:
        self._rows = {k: row for k, (row, _) in prepared.items()}
        self._keys = {k: keys for k, (_, keys) in prepared.items()}
        if self._haystack is not None:
            self._haystack = {k: self._hay(k) for k in self._keys}
        if filter_text is not None:
            self._filter = fold(filter_text)
        self._reorder()

    def upsert(self, row: Row) -> None:
        key = self.row_id(row)
        self._rows[key] = row
        self._keys[key] = self.row_keys(row)
        if self._haystack is not None:
            self._haystack[key] = self._hay(key)
        self._reorder(keep=key)

    def remove_row(self, row_id: Hashable) -> None:
        if self._rows.pop(row_id, None) is not None:
            del self._keys[row_id]
            self._extra.pop(row_id, None)
            if self._haystack is not None:
                self._haystack.pop(row_id, None)
            self._reorder()

    def set_filter(self, text: str) -> None:
        self._filter = fold(text)
        self._reorder()

    def set_search_texts(self, texts: Mapping[Any, str]) -> None:
        """More words the filter finds each row by (folded), beside those of its cells."""
        self._extra = dict(texts)
        self._haystack = {k: self._hay(k) for k in self._keys}
        if self._filter:
            self._reorder()

    def set_search_text(self, row_id: Hashable, text: str) -> None:
        self._extra[row_id] = text
        if self._haystack is not None and row_id in self._keys:
            self._haystack[row_id] = self._hay(row_id)
        if self._filter:
            self._reorder()

    def _hay(self, row_id: Hashable) -> str:
        return f"{self._keys[row_id][1]}\n{self._extra.get(row_id, '')}"

    def all_rows(self) -> list[Row]:
        """Every row, the filter aside."""
        return list(self._rows.values())

    @property
    def row_count(self) -> int:
        return len(self._order)

    @property
    def current_id(self) -> Any:
        return self._order[self.cursor] if self._order else None

    def get_row(self, row_id: Hashable) -> Row | None:
        return self._rows.get(row_id)

    def keep_only(self, row_ids: set[Hashable]) -> None:
        """Narrow the rows shown (after the text filter) to these ids."""
        self._order = [k for k in self._order if k in row_ids]
        self.virtual_size = Size(self.size.width, len(self._order) + 1)
        self.cursor = 0
        self.refresh()

    def rows_shown(self) -> list[Row]:
        return [self._rows[k] for k in self._order]

    def move_to(self, row_id: Hashable) -> bool:
        try:
            self.cursor = self._order.index(row_id)
        except ValueError:
            return False
        return True

    def _reorder(self, keep: Hashable | None = None) -> None:
        keep = keep if keep is not None else self.current_id
        keys = self._keys
        ids: Any = keys
        if self._filter:
            ids = self._matching(*parse_filter(self._filter))
        self._order = sorted(ids, key=lambda k: keys[k][0])
        self.virtual_size = Size(self.size.width, len(self._order) + 1)
        position = self._order.index(keep) if keep in self._rows and keep in self._order else 0
        self.cursor = min(position, max(len(self._order) - 1, 0))
        self.refresh()

    def _matching(self, arrondissements: frozenset[int], words: list[str]) -> list[Hashable]:
        keys, rows, hay = self._keys, self._rows, self._haystack
        found: Any = keys
        if arrondissements:
            where = self.row_arrondissement
            found = [k for k in found if where(rows[k]) in arrondissements]
        if not words:
            return list(found)
        if hay is not None:
            return [k for k in found if all(w in hay[k] for w in words)]
        return [k for k in found if all(w in keys[k][1] for w in words)]

    # -- cursor -------------------------------------------------------------------------
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
        self.post_message(self.Highlighted(self, self.current_id))

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
            self.post_message(self.Selected(self, self.current_id))

    def on_click(self, event: Any) -> None:
        y = getattr(event, "y", 0)
        if y >= 1:
            index = int(self.scroll_y) + y - 1
            if 0 <= index < len(self._order):
                self.cursor = index

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._order) + 1)

    # -- drawing ------------------------------------------------------------------------
    @property
    def _text_width(self) -> int:
        """The width left for text once the vertical scrollbar is drawn."""
        return self.scrollable_content_region.width

    def _widths(self) -> list[int]:
        fixed = sum(w for _title, w in self.COLUMNS) + len(self.COLUMNS) - 1
        free = max(self._text_width - fixed, 20)
        flex = list(self.FLEX) or [1] * sum(1 for _title, w in self.COLUMNS if not w)
        total, shares, out = sum(flex), iter(flex), []
        left = free
        flexible = [i for i, (_title, w) in enumerate(self.COLUMNS) if not w]
        for i, (_title, width) in enumerate(self.COLUMNS):
            if width:
                out.append(width)
            else:
                share = free * next(shares) // total if i != flexible[-1] else left
                left -= share
                out.append(share)
        return out

    def _line(self, cells: list[str], style: Style) -> Strip:
        parts = []
        for text, width in zip(cells, self._widths()):
            text = plain(text)  # a name, a file's words: never an escape sequence
            text = text if len(text) <= width else text[: max(width - 1, 0)] + "…"
            parts.append(text.ljust(width))
        width = self._text_width
        line = " ".join(parts)[:width].ljust(width)
        return Strip([Segment(line, style)], width)

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        if y == 0:
            header = base + self.get_component_rich_style("virtual-table--header")
            return self._line([_(title) for title, _width in self.COLUMNS], header)
        index = int(self.scroll_y) + y - 1
        if index >= len(self._order):
            return Strip.blank(self.size.width, base)
        row = self._rows[self._order[index]]
        style = base
        for name in self.styles_of(row):
            style += self.get_component_rich_style(f"virtual-table--{name}")
        if index == self.cursor:
            style += self.get_component_rich_style("virtual-table--cursor")
        return self._line(self.cells(row), style)
