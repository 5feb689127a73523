"""The list's sort and its remembered view (filter, sort column, direction), per production,
in the person's state file (scout.state): what the lieux screen mixes in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.timer import Timer
from textual.widgets import Input

from scout.i18n import _
from scout.tui.widgets.lieu_table import LieuTable

if TYPE_CHECKING:
    from scout.state import UserState
    from scout.tui.app import ScoutApp

SAVE_DELAY_S = 0.8  # the view is written once typing pauses, not at each keystroke
_UNSET = object()


def production_key(ws: Any) -> int | None:
    """The current production's id, when the workspace knows one (None otherwise: the
    views of a database without productions are kept under None)."""
    productions = getattr(ws, "productions", None)
    for name in ("current_id", "current"):
        found = getattr(productions, name, None)
        if callable(found):
            try:
                found = found()
            except Exception:  # a view is a convenience: never a reason to fail
                return None
        if isinstance(found, int) and not isinstance(found, bool):
            return found
        found_id = getattr(found, "id", None)
        if isinstance(found_id, int):
            return found_id
    return None


def user_state(ws: Any) -> UserState:
    """The person's state: the productions service's own (one object, so that neither
    overwrites the other's part of the file), else read here once."""
    state = getattr(getattr(ws, "productions", None), "state", None)
    if state is not None and hasattr(state, "set_view"):
        return state  # type: ignore[no-any-return]
    from scout.state import UserState

    cached = getattr(ws, "_scout_user_state", None)
    if cached is None:
        cached = UserState.load(ws.location)
        ws._scout_user_state = cached
    return cached


class SearchAndSort:
    """Sort keys and the remembered view of the lieux screen (a mixin of LieuxScreen)."""

    app: ScoutApp
    _view: dict[str, Any] | None
    _view_for: object
    _view_timer: Timer | None
    _pending_view: dict[str, Any] | None = None

    # -- sort -----------------------------------------------------------------------------
    def action_sort(self) -> None:
        table = self.query_one(LieuTable)  # type: ignore[attr-defined]
        current = table.sort_column if table.sort_column is not None else -1
        table.sort_by((current + 1) % len(table.COLUMNS), False)
        self._sorted_now(table)

    def action_sort_reverse(self) -> None:
        table = self.query_one(LieuTable)  # type: ignore[attr-defined]
        table.sort_by(table.sort_column, not table.sort_reverse)
        self._sorted_now(table)

    def on_virtual_table_sort_changed(self) -> None:  # a click on a column's title
        self._sorted_now(self.query_one(LieuTable))  # type: ignore[attr-defined]

    def _sorted_now(self, table: LieuTable) -> None:
        titles = table.titles()
        column = table.sort_column
        if column is not None:
            self.notify(  # type: ignore[attr-defined]
                _("Sorted by {column}").format(column=titles[column]), timeout=2
            )
        self._view_changed()

    # -- the view, kept per production ----------------------------------------------------
    def current_view(self) -> dict[str, Any]:
        table = self.query_one(LieuTable)  # type: ignore[attr-defined]
        box = self.query_one("#filter", Input)  # type: ignore[attr-defined]
        return {"filter": box.value, "sort": table.sort_column, "reverse": table.sort_reverse}

    def restore_view(self) -> None:
        """The view this person left for the current production (at start, and when the
        production changes under the list)."""
        ws = self.app.ws
        key = production_key(ws)
        if key is self._view_for or key == self._view_for:
            return
        self._flush_view()  # the last production's view, changed just before the switch
        self._view_for = key
        try:
            view = user_state(ws).view(key)
        except Exception:  # an unreadable state is ignored (scout.state logs it)
            view = {}
        table = self.query_one(LieuTable)  # type: ignore[attr-defined]
        sort = view.get("sort", table.DEFAULT_SORT)
        reverse = view.get("reverse") is True
        table.sort_by(sort if isinstance(sort, int) else table.DEFAULT_SORT, reverse)
        text = view.get("filter")
        text = text if isinstance(text, str) else ""
        box = self.query_one("#filter", Input)  # type: ignore[attr-defined]
        if text:
            box.add_class("-visible")
        elif box.value:
            box.remove_class("-visible")
        if box.value != text:
            box.value = text
        table.set_filter(text)
        self._view = self.current_view()

    def _view_changed(self) -> None:
        if self._view_for is _UNSET:
            return
        view = self.current_view()
        if view == self._view:
            return
        self._pending_view = view  # written after a pause, or when the screen goes
        if self._view_timer is not None:
            self._view_timer.stop()
        self._view_timer = self.set_timer(SAVE_DELAY_S, self.save_view)  # type: ignore[attr-defined]

    def save_view(self) -> None:
        view = self.current_view()
        if view == self._view or self._view_for is _UNSET:
            return
        self._view = view
        state = user_state(self.app.ws)
        state.set_view(self._view_for, view)  # type: ignore[arg-type]
        self.write_state(state)

    @work(thread=True, exclusive=True, exit_on_error=False, group="view")
    def write_state(self, state: UserState) -> None:
        state.save()  # a state that cannot be written is logged, never an error

    def on_unmount(self) -> None:
        """Quitting within the delay still keeps the view (written here, at once)."""
        self._flush_view()

    def _flush_view(self) -> None:
        if self._view_timer is not None:
            self._view_timer.stop()
        view = getattr(self, "_pending_view", None)
        if view is not None and view != self._view and self._view_for is not _UNSET:
            state = user_state(self.app.ws)
            state.set_view(self._view_for, view)  # type: ignore[arg-type]
            state.save()
        self._pending_view = None
