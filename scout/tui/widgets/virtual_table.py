"""A table that renders only the lines on screen (Textual's line API).

Textual's stock DataTable builds every row up front: about 3.3 s to first paint with
20,000 rows. Here rows are kept in a dict by id with their sort key and folded search
text, computed once; the visible lines are drawn on demand, so first paint and cursor
moves cost the same with 20 or 20,000 rows. Rows are updated in place by id, never
cleared and rebuilt. Subclasses say what a row's cells, keys and style are.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable
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
    """Rows sorted by key or by a column; a cursor; a text filter (every word must match:
    an arrondissement token the row's arrondissement, any other word a substring of the
    row's words; subclasses may answer `matching` otherwise). Line 0 is the header.

    The sorted order of every row is computed once per sort (when first shown) and kept
    as rows change (a row moves by bisection); a keystroke in the filter only picks the
    rows it keeps from that order."""

    # (title marked N_(), width; 0 = share the rest)
    COLUMNS: ClassVar[tuple[tuple[str, int], ...]] = ()
    FLEX: ClassVar[tuple[int, ...]] = ()  # the share of each flexible column, in order
    # Subclasses that say `sort_key` sort by any column (header click, `sort_by`);
    # None: by the first of the row's keys.
    SORTABLE: ClassVar[bool] = False
    DEFAULT_SORT: ClassVar[int | None] = None
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
    VirtualTable { background: $surface; overflow-x: hidden; }  /* columns fit the width */
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; }
    VirtualTable > .virtual-table--cursor { background: $accent 40%; }
    VirtualTable:focus > .virtual-table--cursor { background: $accent; color: $text; }
    VirtualTable > .virtual-table--strong { text-style: bold; }
    VirtualTable > .virtual-table--muted { color: $text-muted; }
    VirtualTable > .virtual-table--good { color: $success; }
    VirtualTable > .virtual-table--alert { color: $error; text-style: bold; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class _TableMessage(Message):
        """Sent by this table, `control` saying which (one base for every message here)."""

        def __init__(self, table: VirtualTable[Any]) -> None:
            self.table = table
            super().__init__()

        @property
        def control(self) -> VirtualTable[Any]:
            return self.table

    class _RowMessage(_TableMessage):
        def __init__(self, table: VirtualTable[Any], row_id: Hashable | None) -> None:
            self.row_id = row_id
            super().__init__(table)

    class Highlighted(_RowMessage):
        """The cursor is on this row (None: the table is empty)."""

    class Selected(_RowMessage):
        """Enter on this row."""

    class SortChanged(_TableMessage):
        """The rows are sorted by another column or the other way (a header clicked)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: dict[Hashable, Row] = {}
        self._keys: dict[Hashable, Keys] = {}
        self._order: list[Hashable] = []  # what is shown: the filter's rows, sorted
        self._filter = ""
        self._matched: set[Hashable] | None = None  # the filter's rows (None: all)
        # Every row in the sort's order, kept as rows change (None: sorted when next shown).
        self._sorted: list[Hashable] | None = None
        self._sort_keys: dict[Hashable, Any] = {}
        self._rank: dict[Hashable, int] | None = None
        self.sort_column: int | None = self.DEFAULT_SORT
        self.sort_reverse = False
        self._styles: dict[tuple[tuple[str, ...], bool, bool], Style] = {}
        self._widths_for: tuple[int, list[int]] = (-1, [])
        self._frame_width: int | None = None

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

    def sort_key(self, row: Row, column: int) -> Any:
        """How a row sorts by this column (SORTABLE tables say it)."""
        raise NotImplementedError

    @classmethod
    def prepare(cls, rows: list[Row]) -> dict[Hashable, tuple[Row, Keys]]:
        """What `load` takes; pure Python, so a worker thread can compute it. In the rows'
        own order (their first key): the table's first sort finds them sorted."""
        with paused_gc():
            prepared = [(cls.row_id(row), (row, cls.row_keys(row))) for row in rows]
            prepared.sort(key=lambda item: item[1][1][0])
            return dict(prepared)

    # -- data -------------------------------------------------------------------------
    def set_rows(self, rows: list[Row]) -> None:
        self.load(self.prepare(rows))

    def load(
        self, prepared: dict[Hashable, tuple[Row, Keys]], filter_text: str | None = None
    ) -> None:
        with paused_gc():
            self._rows = {k: row for k, (row, _) in prepared.items()}
            self._keys = {k: keys for k, (_, keys) in prepared.items()}
            self._sort_keys = {}  # worked out when a save moves a row
            # `prepare` gave them in the default order: no sorting here, on the UI thread
            self._sorted = list(prepared) if self.sort_column == self.DEFAULT_SORT else None
            self._rank = None
            if filter_text is not None:
                self._filter = fold(filter_text)
            self._refilter()
            self._reorder()

    def load_sorted(self, rows: list[tuple[Hashable, Row]], filter_text: str | None = None) -> None:
        """Rows already in the table's own order (the first of their keys), by id: their
        keys are worked out when first needed (a filter, a save, another sort), so a
        screen of 60,000 rows draws its first lines at once. A row equal to the one it
        replaces keeps its keys."""
        self.load_keyed(dict(rows), [k for k, _row in rows], filter_text, copy=False)

    def load_keyed(
        self,
        rows: dict[Any, Row],  # (any hashable id)
        order: list[Any],
        filter_text: str | None = None,
        *,
        copy: bool = True,
    ) -> None:
        """`load_sorted` of rows by id and their ids in that order, as a worker made (and
        keeps) them: the table takes copies (two quick copies, no loop in Python over the
        rows) unless `copy` is False."""
        with paused_gc():
            old_rows, old_keys = self._rows, self._keys
            self._rows = dict(rows) if copy else rows
            self._keys = {
                k: keys
                for k, keys in old_keys.items()
                if k in self._rows and old_rows.get(k) == self._rows[k]
            }
            self._sort_keys = {}
            if self.sort_column == self.DEFAULT_SORT:
                self._sorted = list(order) if copy else order
            else:
                self._sorted = None
            self._rank = None
            if filter_text is not None:
                self._filter = fold(filter_text)
            self._refilter()
            self._reorder()

    def keys_of(self, key: Hashable) -> Keys:
        """A row's sort key and words (worked out once, on first need)."""
        keys = self._keys.get(key)
        if keys is None:
            keys = self._keys[key] = self.row_keys(self._rows[key])
        return keys

    def upsert(self, row: Row) -> None:
        key = self.row_id(row)
        self._unsort(key, self._rows.get(key))
        self._rows[key] = row
        self._keys[key] = self.row_keys(row)
        if self._sorted is not None:
            keys = self._all_sort_keys()
            keys[key] = self._sort_key_of(key)
            bisect.insort(self._sorted, key, key=keys.__getitem__)
        self._refilter()
        self._reorder(keep=key)

    def remove_row(self, row_id: Hashable) -> None:
        if row_id in self._rows:
            # The cursor stays where it was: on the row that followed (or the one before
            # the last), not back at the top.
            neighbour = None
            if self.current_id == row_id and len(self._order) > 1:
                at = self.cursor
                neighbour = self._order[at + 1 if at + 1 < len(self._order) else at - 1]
            self._unsort(row_id, self._rows[row_id])
            del self._rows[row_id]
            self._keys.pop(row_id, None)
            if self._matched is not None:
                self._matched.discard(row_id)
            self._reorder(keep=neighbour)

    def _unsort(self, key: Hashable, old: Row | None) -> None:
        """Take a row out of the sorted order, found by its key as it was sorted (`old`:
        the row before the change; a search, no scan)."""
        self._rank = None
        if self._sorted is None or old is None:
            return
        keys = self._all_sort_keys()
        keys[key] = self._sort_key_of(key, old)
        ordered = self._sorted
        at = bisect.bisect_left(ordered, keys[key], key=keys.__getitem__)
        while at < len(ordered) and ordered[at] != key and keys[ordered[at]] == keys[key]:
            at += 1  # equal sort keys: the row is among them
        if at < len(ordered) and ordered[at] == key:
            del ordered[at]
        elif key in ordered:  # (never expected: found the slow way)
            ordered.remove(key)
        del keys[key]

    def set_filter(self, text: str) -> None:
        self._filter = fold(text)
        self._refilter()
        self._reorder()

    @property
    def filter_text(self) -> str:
        return self._filter

    def matching(self) -> set[Hashable] | None:
        """The rows the filter keeps (None: all). Subclasses may search otherwise."""
        if not self._filter:
            return None
        return set(self._matching(*parse_filter(self._filter)))

    def _refilter(self) -> None:
        self._matched = self.matching()

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

    # -- sorting --------------------------------------------------------------------------
    def sort_by(self, column: int | None, reverse: bool = False) -> None:
        """Sort by this column (None: the rows' own order), ascending unless `reverse`."""
        if column is not None and not 0 <= column < len(self.COLUMNS):
            column = self.DEFAULT_SORT
        if column != self.sort_column:
            self._sorted = None  # sorted again when next shown, by the new keys
        self.sort_column, self.sort_reverse = column, reverse
        self._reorder()
        self.refresh()

    def _sort_key_of(self, key: Hashable, row: Row | None = None) -> Any:
        """A row's key in the current sort (`row`: as it was, not as it is now)."""
        column = self.sort_column
        if column is None or not self.SORTABLE or column == self.DEFAULT_SORT:
            if row is not None:
                return self.row_keys(row)[0]
            return self.keys_of(key)[0]  # (the default sort's key: the row's own)
        return self.sort_key(row if row is not None else self._rows[key], column)

    def _all_sort_keys(self) -> dict[Hashable, Any]:
        """Every row's key in the current sort (after `load_sorted`: worked out now)."""
        if len(self._sort_keys) < len(self._rows) and self._sorted is not None:
            with paused_gc():
                self._sort_keys = {k: self._sort_key_of(k) for k in self._sorted}
        return self._sort_keys

    def _sorted_ids(self) -> list[Hashable]:
        if self._sorted is None:
            with paused_gc():
                self._sort_keys = {k: self._sort_key_of(k) for k in self._rows}
                self._sorted = sorted(self._rows, key=self._sort_keys.__getitem__)
            self._rank = None
        return self._sorted

    def _reorder(self, keep: Hashable | None = None) -> None:
        keep = keep if keep is not None else self.current_id
        ordered = self._sorted_ids()
        matched = self._matched
        if matched is None:
            order = ordered[::-1] if self.sort_reverse else list(ordered)
        elif len(matched) * 8 < len(ordered):  # a few rows: sort them by their rank
            if self._rank is None:
                self._rank = {k: i for i, k in enumerate(ordered)}
            order = sorted(matched, key=self._rank.__getitem__, reverse=self.sort_reverse)
        else:
            order = [k for k in ordered if k in matched]
            if self.sort_reverse:
                order.reverse()
        self._order = order
        self.virtual_size = Size(self.size.width, len(order) + 1)
        position = 0
        if keep is not None and (matched is None or keep in matched) and keep in self._rows:
            try:
                position = order.index(keep)
            except ValueError:
                position = 0
        self.cursor = min(position, max(len(order) - 1, 0))
        self.refresh()

    def _matching(self, arrondissements: frozenset[int], words: list[str]) -> list[Hashable]:
        rows = self._rows
        keys = {k: self.keys_of(k) for k in rows} if len(self._keys) < len(rows) else self._keys
        found: Any = keys
        if arrondissements:
            where = self.row_arrondissement
            found = [k for k in found if where(rows[k]) in arrondissements]
        if not words:
            return list(found)
        return [k for k in found if all(w in keys[k][1] for w in words)]

    # -- cursor -------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        page = max(self.scrollable_content_region.height - 1, 1)  # the rows under the header
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
        if y == 0 and self.SORTABLE:
            column = self.column_at(getattr(event, "x", 0))
            if column is not None:
                reverse = not self.sort_reverse if column == self.sort_column else False
                self.sort_by(column, reverse)
                self.post_message(self.SortChanged(self))
            return
        if y >= 1:
            index = int(self.scroll_y) + y - 1
            if 0 <= index < len(self._order):
                self.cursor = index

    def on_resize(self) -> None:
        # Only the rows' count matters (overflow-x: hidden): a width changed from the one
        # read before the first layout would lay out the whole screen again (issue 13).
        height = len(self._order) + 1
        if self.virtual_size.height != height:
            self.virtual_size = Size(self.size.width, height)

    # -- drawing ------------------------------------------------------------------------
    def render_lines(self, crop: Any) -> list[Strip]:
        # The width read once a frame (reading a region walks up to the screen).
        self._frame_width = self.scrollable_content_region.width
        try:
            return super().render_lines(crop)
        finally:
            self._frame_width = None

    @property
    def _text_width(self) -> int:
        """The width left for text once the vertical scrollbar is drawn."""
        if self._frame_width is not None:
            return self._frame_width
        return self.scrollable_content_region.width

    def _widths(self) -> list[int]:
        width = self._text_width
        if self._widths_for[0] != width:
            self._widths_for = (width, self._column_widths())
        return self._widths_for[1]

    def _column_widths(self) -> list[int]:
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

    def column_at(self, x: int) -> int | None:
        """The column drawn at this x (None: between or beyond them)."""
        left = 0
        for i, width in enumerate(self._widths()):
            if left <= x < left + width:
                return i
            left += width + 1
        return None

    def titles(self) -> list[str]:
        """The header's words; the sorted column marked ▲ (ascending) or ▼."""
        titles = [_(title) for title, _width in self.COLUMNS]
        column = self.sort_column
        if self.SORTABLE and column is not None and 0 <= column < len(titles):
            width = self._widths()[column]
            title = titles[column]
            if len(title) + 2 > width:  # the mark is what matters: the title gives way
                title = title[: max(width - 3, 0)] + "…"
            titles[column] = title + (" ▼" if self.sort_reverse else " ▲")
        return titles

    def _line(self, cells: list[str], style: Style) -> Strip:
        parts = []
        for text, width in zip(cells, self._widths()):
            text = plain(text)  # a name, a file's words: never an escape sequence
            text = text if len(text) <= width else text[: max(width - 1, 0)] + "…"
            parts.append(text.ljust(width))
        width = self._text_width
        line = " ".join(parts)[:width].ljust(width)
        return Strip([Segment(line, style)], width)

    def notify_style_update(self) -> None:
        self._styles.clear()  # a theme, the focus: the lines' styles are read again
        super().notify_style_update()

    def _style(self, names: tuple[str, ...], cursor: bool) -> Style:
        """A line's style, worked out once per kind of line (reading a widget's style
        walks its ancestors: 40 lines a frame, a frame a keystroke)."""
        key = (names, cursor, self.has_focus)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            for name in names:
                style += self.get_component_rich_style(f"virtual-table--{name}")
            if cursor:
                style += self.get_component_rich_style("virtual-table--cursor")
            self._styles[key] = style
        return style

    def render_line(self, y: int) -> Strip:
        if y == 0:
            return self._line(self.titles(), self._style(("header",), False))
        index = int(self.scroll_y) + y - 1
        if index >= len(self._order):
            return Strip.blank(self._text_width, self._style((), False))
        row = self._rows[self._order[index]]
        return self._line(self.cells(row), self._style(self.styles_of(row), index == self.cursor))
