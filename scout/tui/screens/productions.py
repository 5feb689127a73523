"""The productions: switch to another one (F3), create, rename, archive; and, from the
lieux screen (c), copy or move a lieu to another production.

Switching remembers the choice in the person's state file and reloads the lieux list on
the new production (which then shows the view, filter and sort, that production's list
was left with: scout/tui/screens/lieu_search.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from scout.domain import Production
from scout.i18n import N_, _, formats, ngettext
from scout.tui.screens.base import ScoutScreen, writable
from scout.tui.text import content, plain
from scout.tui.widgets.header import ScoutHeader
from scout.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from scout.services.productions import Copied, Moved
    from scout.tui.app import ScoutApp
    from scout.tui.screens.lieux import LieuxScreen

NameCheck = Callable[[str], "str | None"]


def production_title(app: ScoutApp) -> str:
    """What the header says: scout and the production the lists show."""
    current = app.ws.productions.current()
    if current is None:
        return "scout"
    mark = _(" (archived)") if current.archived else ""
    return "scout · " + plain(current.name) + mark


class ProductionsScreen(ScoutScreen):
    """Every production with its number of lieux; Enter works on the one chosen."""

    LABEL = N_("Productions")
    KEY_BAR = (
        "productions.switch",
        "productions.new",
        "productions.rename",
        "productions.archive",
        "productions.back",
    )
    BINDINGS = [
        Binding(
            "enter",
            "switch",
            N_("Switch"),
            id="productions.switch",
            tooltip=N_("Work on the production under the cursor"),
            priority=True,  # before the table's own Enter, so the key bar names it
        ),
        Binding("n", "new", N_("Create"), id="productions.new", tooltip=N_("Create a production")),
        Binding(
            "r",
            "rename",
            N_("Rename"),
            id="productions.rename",
            tooltip=N_("Rename the production under the cursor"),
        ),
        Binding(
            "a",
            "archive",
            N_("Archive"),
            id="productions.archive",
            tooltip=N_(
                "Archive the production under the cursor (its locations stay), or bring "
                "an archived one back"
            ),
        ),
        Binding(
            "h",
            "show_archived",
            N_("Archived productions"),
            id="productions.show_archived",
            tooltip=N_("Show or hide the archived productions"),
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            id="productions.back",
            tooltip=N_("Back to the locations, on the same production"),
        ),
    ]
    DEFAULT_CSS = """
    ProductionsScreen #productions-title { padding: 0 1; text-style: bold; color: $accent; }
    ProductionsScreen #productions-table { height: 1fr; }
    ProductionsScreen #productions-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    app: ScoutApp

    def __init__(self) -> None:
        super().__init__()
        self.show_archived = False

    def compose(self) -> ComposeResult:
        yield ScoutHeader()
        yield Label(_("Productions"), id="productions-title")
        table: DataTable[Any] = DataTable(id="productions-table", cursor_type="row")
        yield table
        yield Static("", id="productions-status")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("", key="current", width=1)
        table.add_column(_("Production"), key="name")
        table.add_column(_("Locations"), key="count")
        table.add_column(_("Company"), key="company")
        table.add_column("", key="state")
        self.refresh_list()
        table.focus()

    def refresh_list(self, keep: int | None = None) -> None:
        """The list as the database has it now; the cursor on `keep`, else the current."""
        service = self.app.ws.productions
        current = service.current_id()
        shown = service.list(archived=self.show_archived)
        if current is not None and all(p.id != current for p in shown):
            shown.append(service.get(current))  # archived, but in use: always listed
        counts = service.counts()
        table = self.query_one(DataTable)
        table.clear()
        for p in shown:
            table.add_row(  # names as text, never markup (a name may hold « [ »)
                Text("●" if p.id == current else ""),
                Text(plain(p.name)),
                Text(formats.number(counts.get(p.id, 0)), justify="right"),
                Text(plain(p.company)),
                Text(_("archived") if p.archived else "", style="italic"),
                key=str(p.id),
            )
        target = keep if keep is not None else current
        for index, p in enumerate(shown):
            if p.id == target:
                table.move_cursor(row=index)
        hidden = len(service.list(archived=True)) - len(service.list())
        status = ngettext("{n} production", "{n} productions", len(shown)).format(n=len(shown))
        if hidden and not self.show_archived:
            status += "  —  " + ngettext(
                "{n} archived, hidden (h shows it)", "{n} archived, hidden (h shows them)", hidden
            ).format(n=hidden)
        self.query_one("#productions-status", Static).update(status)

    def _under_cursor(self) -> Production | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.app.ws.productions.get(int(key)) if key else None

    # -- switch ------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#productions-table")
    def _selected(self) -> None:
        self.action_switch()

    def action_switch(self) -> None:
        production = self._under_cursor()
        if production is not None and production.id is not None:
            self.switch_to(production.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="production-switch")
    def switch_to(self, production_id: int) -> None:
        production = self.app.ws.productions.switch(production_id)
        self.app.call_from_thread(self._switched, production)

    def _switched(self, production: Production) -> None:
        self.app.production_switched()
        self.notify(
            plain(_("Now working on «{name}»").format(name=production.name)),
            timeout=4,
            markup=False,
        )
        self.app.call_later(self.app.back_to_lieux)  # the list, on the new production

    # -- create, rename ------------------------------------------------------------------
    def action_new(self) -> None:
        if not writable(self):
            return

        def named(name: str | None) -> None:
            if name is not None:
                self.create(name)

        self.app.push_screen(
            NameScreen(_("New production"), "", self.app.ws.productions.name_problem), named
        )

    @work(thread=True, exclusive=False, exit_on_error=False, group="production-save")
    def create(self, name: str) -> None:
        made = self.app.ws.productions.create(name)
        text = _("Created: «{name}» (Enter works on it)").format(name=made.name)
        self.app.call_from_thread(self._saved, made, text)

    def action_rename(self) -> None:
        production = self._under_cursor()
        if production is None or production.id is None or not writable(self):
            return
        own = production.id

        def named(name: str | None) -> None:
            if name is not None:
                self.rename(own, name)

        self.app.push_screen(
            NameScreen(
                _("Rename «{name}»").format(name=production.name),
                production.name,
                lambda text: self.app.ws.productions.name_problem(text, own),
            ),
            named,
        )

    @work(thread=True, exclusive=False, exit_on_error=False, group="production-save")
    def rename(self, production_id: int, name: str) -> None:
        before = self.app.ws.productions.get(production_id)
        after = self.app.ws.productions.rename(production_id, name)
        text = _("Renamed «{old}» to «{new}»").format(old=before.name, new=after.name)
        self.app.call_from_thread(self._saved, after, text)

    # -- archive ---------------------------------------------------------------------------
    def action_archive(self) -> None:
        production = self._under_cursor()
        if production is not None and production.id is not None and writable(self):
            self.archive(production.id, not production.archived)

    @work(thread=True, exclusive=False, exit_on_error=False, group="production-save")
    def archive(self, production_id: int, archived: bool) -> None:
        service = self.app.ws.productions
        was_current = service.current_id() == production_id
        if archived:
            done = service.archive(production_id)
            text = _("Archived «{name}»: its locations stay; a brings it back (h shows it)")
        else:
            done = service.unarchive(production_id)
            text = _("«{name}» is back among the productions")
        text = text.format(name=done.name)
        self.app.call_from_thread(self._saved, done, text, was_current and archived)

    def action_show_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.refresh_list(keep=getattr(self._under_cursor(), "id", None))

    def _saved(self, production: Production, text: str, current_gone: bool = False) -> None:
        if current_gone:  # the current one archived: the list moves to the one that follows
            self.app.production_switched()
        else:
            self.app.show_production()
        self.refresh_list(keep=production.id if not current_gone or self.show_archived else None)
        self.notify(plain(text), timeout=5, markup=False)

    def action_back(self) -> None:
        self.dismiss()


class NameScreen(ModalScreen[str | None]):
    """A production's name, checked as it is typed (empty, taken): returns it, or None."""

    LABEL = N_("Production name")
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            id="production_name.cancel",
            tooltip=N_("Keep things as they are"),
        ),
    ]
    DEFAULT_CSS = """
    NameScreen { align: center middle; }
    NameScreen #name-box { width: 64; max-width: 95%; height: auto; border: thick $accent;
                           background: $surface; padding: 1 2; }
    NameScreen #name-title { text-style: bold; margin-bottom: 1; width: 100%; }
    NameScreen #name-error { color: $error; height: auto; width: 100%; }
    NameScreen #name-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    NameScreen #name-buttons Button { margin-left: 1; }
    """

    def __init__(self, title: str, value: str, check: NameCheck) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="name-box"):
            yield Label(content(self.title_text), id="name-title")
            yield Input(self.value, placeholder=_("The production's name"), id="name-input")
            yield Label("", id="name-error")
            with Horizontal(id="name-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#name-input", Input).focus()

    @on(Input.Submitted, "#name-input")
    def _submitted(self) -> None:
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self._save()
        else:
            self.dismiss(None)

    def _save(self) -> None:
        name = self.query_one("#name-input", Input).value
        problem = self.check(name)
        if problem:
            self.query_one("#name-error", Label).update(content(problem))
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CopyMoveScreen(ModalScreen[tuple[str, int] | None]):
    """Where a lieu goes: returns ("copy" | "move", production id), or None."""

    LABEL = N_("Copy or move to a production")
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            id="copy_move.cancel",
            tooltip=N_("Leave the location where it is"),
        ),
        Binding(
            "c",
            "choose('copy')",
            N_("Copy"),
            id="copy_move.copy",
            tooltip=N_("A copy of the fiche in the production chosen (permits not copied)"),
        ),
        Binding(
            "m",
            "choose('move')",
            N_("Move"),
            id="copy_move.move",
            tooltip=N_("The location goes to the production chosen with its permits and pictures"),
        ),
    ]
    DEFAULT_CSS = """
    CopyMoveScreen { align: center middle; }
    CopyMoveScreen #copy-box { width: 72; max-width: 95%; height: auto; max-height: 90%;
                               border: thick $accent; background: $surface; padding: 1 2; }
    CopyMoveScreen #copy-title { text-style: bold; width: 100%; }
    CopyMoveScreen #copy-list { height: auto; max-height: 8; margin: 1 0 0 0; border: none;
                                padding: 0; background: $boost; }
    CopyMoveScreen #copy-hint { color: $text-muted; width: 100%; height: auto; margin-top: 1; }
    CopyMoveScreen #copy-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    CopyMoveScreen #copy-buttons Button { margin-left: 1; }
    """

    def __init__(self, lieu_name: str, targets: list[Production]) -> None:
        super().__init__()
        self.lieu_name = lieu_name
        self.targets = targets

    def compose(self) -> ComposeResult:
        with Vertical(id="copy-box"):
            yield Label(
                content(_("Copy or move «{name}» to:").format(name=self.lieu_name)),
                id="copy-title",
            )
            yield OptionList(
                *[Option(content(p.name), id=str(p.id)) for p in self.targets], id="copy-list"
            )
            yield Label(
                _(
                    "c Copy: the fiche only, the permits stay here. m Move: the location "
                    "leaves this production with its permits and pictures. Esc cancels."
                ),
                id="copy-hint",
            )
            with Horizontal(id="copy-buttons"):
                yield Button(_("Copy"), variant="primary", id="copy")
                yield Button(_("Move"), variant="warning", id="move")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        options = self.query_one("#copy-list", OptionList)
        options.highlighted = 0
        options.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id in ("copy", "move"):
            self.action_choose(event.button.id)
        else:
            self.dismiss(None)

    @on(OptionList.OptionSelected, "#copy-list")
    def _picked(self) -> None:
        self.query_one("#copy", Button).focus()

    def action_choose(self, how: str) -> None:
        index = self.query_one("#copy-list", OptionList).highlighted
        if index is None:
            return
        target = self.targets[index].id
        assert target is not None
        self.dismiss((how, target))

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- from the lieux screen ---------------------------------------------------------------
def copy_or_move(screen: LieuxScreen, lieu_id: int | None) -> None:
    """Ask where the lieu under the cursor goes, then copy or move it there."""
    app = screen.app
    if lieu_id is None:
        screen.notify(_("No location under the cursor."), severity="warning")
        return
    if app.ws.read_only:
        screen.notify(app.ws.read_only_reason(), severity="warning")
        return
    lieu = app.ws.lieux.get(lieu_id)
    targets = [p for p in app.ws.productions.list() if p.id != lieu.production_id]
    if not targets:
        screen.notify(
            _("No other production to copy it to: F3, then n, creates one."),
            severity="warning",
            timeout=6,
        )
        return

    def chosen(answer: tuple[str, int] | None) -> None:
        if answer is not None:
            _transfer(screen, lieu_id, *answer)

    app.push_screen(CopyMoveScreen(lieu.name, targets), chosen)


@work(thread=True, exclusive=False, exit_on_error=False, group="save")
def _transfer(screen: LieuxScreen, lieu_id: int, how: str, production_id: int) -> None:
    service = screen.app.ws.productions
    if how == "copy":
        copied = service.copy_lieu(lieu_id, production_id)
        screen.app.call_from_thread(_copied, screen, copied)
    else:
        before = screen.app.ws.lieux.get(lieu_id)
        moved = service.move_lieu(lieu_id, production_id)
        screen.app.call_from_thread(_moved, screen, before, moved)


def _copied(screen: LieuxScreen, done: Copied) -> None:
    text = _("Copied «{name}» to «{production}» (location {id}).").format(
        name=done.source.name, production=done.target.name, id=done.lieu.id
    )
    if done.permits_left:
        text += " " + ngettext(
            "Its permit was not copied.", "Its {n} permits were not copied.", done.permits_left
        ).format(n=done.permits_left)
    if done.unretained:
        text += " " + unretained_text(done.lieu.decor, done.target.name)
    screen.notify(plain(text), timeout=8, markup=False)


def _moved(screen: LieuxScreen, before: Any, done: Moved) -> None:
    from scout.tui.screens.lieux import UndoStep
    from scout.tui.widgets.lieu_table import LieuTable

    assert done.lieu.id is not None
    screen.query_one(LieuTable).remove_row(done.lieu.id)
    screen.lieu_saved(done.lieu.id)  # (gone from this list: the count follows)
    what = _("the move of “{name}”").format(name=done.lieu.name)
    # undone from what the move saved: only what the move changed goes back
    screen._remember(UndoStep(what, befores=(before,), afters=(done.lieu,)))
    text = _(
        "Moved «{name}» to «{production}» with its permits ({permits}) and pictures "
        "({photos}) — z to undo"
    ).format(
        name=done.lieu.name, production=done.target.name, permits=done.permits, photos=done.photos
    )
    if done.unretained:
        text += " " + unretained_text(done.lieu.decor, done.target.name)
    screen.notify(plain(text), timeout=8, markup=False)


def unretained_text(decor: str, production: str) -> str:
    return _(
        "It is no longer retained (★): «{production}» has a retained location for "
        "«{decor}» already."
    ).format(decor=decor, production=production)
