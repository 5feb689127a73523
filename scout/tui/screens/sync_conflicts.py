"""The fields a `scout sync` found changed on both sides, waiting for a person's decision.

A checkout file (`scout checkout`) keeps them after a sync: the team's value is in the
record, the one written here in its history. This screen lists them (record, field, mine,
the team's, who changed it on the team) and lets the person keep either; the next sync
takes the decision to the team.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from scout.domain.sync import DELETED, SyncConflict
from scout.i18n import N_, _, ngettext
from scout.present.labels import field_label, value_label
from scout.tui.screens.base import ScoutScreen
from scout.tui.text import plain
from scout.tui.widgets.header import ScoutHeader
from scout.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from scout.tui.app import ScoutApp


def announce_conflicts(app: Any) -> None:
    """At start-up, on a checkout with conflicts waiting: say so, and which key (read
    beside the UI: the first paint does not wait for it)."""

    def count() -> None:
        n = len(app.ws.sync_conflicts())
        if n:
            app.call_from_thread(_announce, app, n)

    app.run_worker(count, thread=True, group="sync-conflicts", exit_on_error=False)


def _announce(app: Any, n: int) -> None:
    if n:
        app.notify(
            ngettext(
                "{n} field was changed both here and by the team: it waits for your "
                "decision (key C).",
                "{n} fields were changed both here and by the team: they wait for your "
                "decision (key C).",
                n,
            ).format(n=n),
            title=_("Sync conflicts"),
            severity="warning",
            timeout=10,
        )


def open_conflicts(screen: Any) -> None:
    if not screen.app.ws.sync_conflicts():
        screen.notify(_("No sync conflict waiting for a decision."), timeout=4)
        return
    screen.app.push_screen(SyncConflictsScreen())


def _value(conflict: SyncConflict, value: Any) -> str:
    if conflict.field == DELETED:
        return _("deleted") if value is None else _("kept")
    return value_label(conflict.field, value)


class SyncConflictsScreen(ScoutScreen):
    LABEL = N_("Sync conflicts")
    KEY_BAR = ("conflicts.mine", "conflicts.team", "conflicts.close")
    BINDINGS = [
        Binding(
            "m",
            "keep_mine",
            N_("Keep mine"),
            id="conflicts.mine",
            tooltip=N_("Keep the value written in this file: the team gets it at the next sync"),
        ),
        Binding(
            "t",
            "keep_team",
            N_("Keep the team's"),
            id="conflicts.team",
            tooltip=N_("Keep the team's value, already in this file"),
        ),
        Binding(
            "escape",
            "close",
            N_("Back"),
            id="conflicts.close",
            tooltip=N_("Back to the locations (the conflicts left wait)"),
        ),
    ]

    app: ScoutApp

    def __init__(self) -> None:
        super().__init__()
        self.conflicts: list[SyncConflict] = []

    def compose(self) -> ComposeResult:
        yield ScoutHeader()
        yield Static(
            _(
                "Changed both here and by the team at the last sync. The team's value is "
                "in the record now; yours is in its history. m: keep mine · t: keep the "
                "team's."
            ),
            id="conflicts-intro",
            markup=False,
        )
        yield DataTable(id="conflicts-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("Location"), _("Field"), _("Mine"), _("The team's"), _("By"))
        self.load()
        table.focus()

    def load(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.conflicts = self.app.ws.sync_conflicts()
        for n, c in enumerate(self.conflicts):
            field = _("the record") if c.field == DELETED else field_label(c.field)
            table.add_row(
                plain(c.name),
                plain(field),
                plain(_value(c, c.local)),
                plain(_value(c, c.team)),
                plain(c.team_by),
                key=str(n),
            )

    def _current(self) -> SyncConflict | None:
        table = self.query_one(DataTable)
        if not self.conflicts or table.cursor_row >= len(self.conflicts):
            return None
        return self.conflicts[table.cursor_row]

    def _decide(self, mine: bool) -> None:
        conflict = self._current()
        if conflict is None:
            return
        if self.app.ws.read_only:
            self.notify(self.app.ws.read_only_reason(), severity="warning")
            return
        if mine and (conflict.field == DELETED or conflict.kind not in ("lieu", "permit")):
            self.notify(
                _("Here only the team's can be kept: the record was deleted on one side."),
                severity="warning",
            )
            return
        self.resolve(conflict, mine)

    def action_keep_mine(self) -> None:
        self._decide(True)

    def action_keep_team(self) -> None:
        self._decide(False)

    def action_close(self) -> None:
        self.dismiss()

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def resolve(self, conflict: SyncConflict, mine: bool) -> None:
        if mine:
            self.app.ws.live.keep_mine(conflict)
        else:
            self.app.ws.resolve_sync_conflict(conflict)
        self.app.call_from_thread(self._resolved, conflict, mine)

    def _resolved(self, conflict: SyncConflict, mine: bool) -> None:
        field = _("the record") if conflict.field == DELETED else field_label(conflict.field)
        text = (
            _("{name}: {field} — yours is kept; the next sync takes it to the team.")
            if mine
            else _("{name}: {field} — the team's is kept.")
        )
        self.notify(plain(text.format(name=conflict.name, field=field)), markup=False, timeout=5)
        if conflict.kind == "lieu":
            try:
                self.app.lieux_screen().lieu_saved(conflict.local_id)
            except LookupError:
                pass
        self.load()
        if not self.conflicts:
            self.dismiss()
