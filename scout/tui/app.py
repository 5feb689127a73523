"""The scout application: one factory, used by the CLI and by every test."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any, cast

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.theme import ThemeProvider
from textual.worker import Worker, WorkerState

from scout.errors import DatabaseUnreachable, ScoutError
from scout.i18n import N_, _, ngettext
from scout.logs import report_unexpected, setup_logging
from scout.permits.review import Review
from scout.services.geocoding import QueueReport
from scout.services.workspace import Workspace
from scout.settings import Settings
from scout.tui.commands import ScoutCommands, ScoutPalette
from scout.tui.live import LiveHeard, LiveView
from scout.tui.screens.help import HelpScreen
from scout.tui.screens.lieux import LieuxScreen
from scout.tui.text import plain
from scout.tui.themes import THEMES
from scout.tui.widgets.lieu_table import LieuTable


class ScoutApp(App[None]):
    TITLE = "scout"
    SUB_TITLE = N_("repérages & filming permits — Paris")
    CSS_PATH = "scout.tcss"
    _review_ready: Any = None  # the review screen composed ahead (`prepare_review`)
    # Under 110 columns the fiche goes under the table instead of beside it.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    COMMANDS = App.COMMANDS | {ScoutCommands}
    # The order is the key bar's, after the screen's own keys: p before q.
    # Descriptions and tooltips are marked N_(): the key bar, the help and the palette
    # translate them (scout.tui.keys).
    BINDINGS = [
        Binding(
            "p",
            "permits",
            N_("Permits"),
            id="app.permits",
            tooltip=N_("The régie's review: every permit by urgency"),
        ),
        Binding("q", "quit", N_("Quit"), id="app.quit", tooltip=N_("Quit (everything is saved)")),
        Binding(
            "f1,question_mark",
            "help",
            N_("Help"),
            id="app.help",
            tooltip=N_("Keys, marks and the words of the trade"),
        ),
        Binding(
            "f3",
            "productions",
            N_("Productions"),
            id="app.production",
            tooltip=N_("Switch to another production; create, rename or archive one"),
        ),
        Binding(
            "f2",
            "toggle_theme",
            N_("Light/dark"),
            show=False,
            id="app.theme",
            tooltip=N_("Switch between the dark and the light theme"),
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            N_("Commands"),
            show=False,
            priority=True,
            id="app.palette",
            tooltip=N_("Every screen and action by name, and go to a location"),
        ),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.ws = workspace
        self.sub_title = _(self.SUB_TITLE)
        self.live = LiveView(self)  # team mode: others' changes, presence (tui/live.py)

    @property
    def settings(self) -> Settings:
        return self.ws.settings

    def get_key_display(self, binding: Binding) -> str:
        """F1 rather than f1, Ctrl+S rather than ^s: as the help and the form write them."""
        shown = super().get_key_display(binding)
        if shown[:1] == "f" and shown[1:].isdigit():
            return shown.upper()
        if shown[:1] == "^" and len(shown) > 1:
            return f"Ctrl+{shown[1:].upper()}"
        return shown

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "permits":  # not on the review itself (not imported before it opens)
            review = sys.modules.get("scout.tui.screens.permits")
            return review is None or not isinstance(self.screen, review.PermitsScreen)
        if action == "productions":  # not over a form or a question (not on itself)
            from textual.screen import ModalScreen

            from scout.tui.screens.productions import ProductionsScreen

            screen = self.screen
            if isinstance(screen, CommandPalette) and len(self.screen_stack) > 1:
                screen = self.screen_stack[-2]  # the palette asks for the screen under it
            return not isinstance(screen, (ProductionsScreen, ModalScreen))
        return True

    def on_load(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = "scout-dark"

    def action_toggle_theme(self) -> None:
        self.theme = "scout-light" if self.theme == "scout-dark" else "scout-dark"

    def get_default_screen(self) -> LieuxScreen:
        return LieuxScreen()  # the first screen is the real one: no blank screen painted first

    def on_mount(self) -> None:
        self.show_production()
        if self.ws.locked_by_other:
            self.notify(
                plain(
                    _("{location} is open in another scout process: read-only here.").format(
                        location=self.ws.location
                    )
                ),
                severity="warning",
                timeout=10,
                markup=False,
            )
        if self.ws.rules.error is not None:
            self.notify(
                plain(
                    _("{error}. The rules shipped with scout stay in force.").format(
                        error=self.ws.rules.error
                    )
                ),
                severity="error",
                timeout=15,
                markup=False,
            )
        self.live.start()  # (a team database only)
        from scout.tui.screens.sync_conflicts import announce_conflicts

        announce_conflicts(self)

    def on_unmount(self) -> None:
        self.live.stop()

    def on_live_heard(self, message: LiveHeard) -> None:
        self.live.apply(message.event)

    def on_lieux_screen_rows_loaded(self) -> None:
        """Once the table is filled (not before: they would compete for the CPU), place
        the lieux waiting for a position. (The deadlines for the badge are checked by the
        worker that filled the table, right after: `deadlines_checked`.)"""
        self.resolve_geocoding()

    @work(thread=True, exclusive=True, exit_on_error=False, group="geocode-queue")
    def resolve_geocoding(self, announce: bool = False) -> None:
        """Lieux saved with an address but no position: place them when the network allows
        (at start-up, after each such save, and from the command palette, which `announce`s
        the outcome even when there is nothing to do)."""
        if self.ws.read_only or not self.ws.geocoding.pending():
            if announce:
                self.call_from_thread(
                    self.notify,
                    _("Read-only: nothing is geocoded here.")
                    if self.ws.read_only
                    else _("No location is waiting to be geocoded."),
                    timeout=4,
                )
            return
        report = self.ws.geocoding.resolve()
        self.call_from_thread(self._geocoding_done, report, announce)

    def action_geocode_pending(self) -> None:
        self.resolve_geocoding(announce=True)

    def _geocoding_done(self, report: QueueReport, announce: bool = False) -> None:
        try:
            lieux = self.lieux_screen()
        except LookupError:
            return
        for lieu in report.placed:
            if lieu.id is not None:
                lieux.lieu_saved(lieu.id)
        if announce and report.unreachable:
            self.notify(
                plain(
                    _("Locations still waiting to be geocoded: {reason}").format(
                        reason=report.unreachable
                    )
                ),
                severity="warning",
                timeout=6,
                markup=False,
            )
        if announce and report.not_found:
            n = len(report.not_found)
            self.notify(
                ngettext(
                    "{n} address found nothing: correct it (e).",
                    "{n} addresses found nothing: correct them (e).",
                    n,
                ).format(n=n),
                severity="warning",
                timeout=6,
            )
        if report.placed:
            n = len(report.placed)
            self.notify(
                ngettext(
                    "{n} location placed from its address.",
                    "{n} locations placed from their addresses.",
                    n,
                ).format(n=n),
                timeout=5,
            )
        if report.ambiguous:
            n = len(report.ambiguous)
            self.notify(
                ngettext(
                    "{n} address to make precise: open the location (e) and choose one of "
                    "the results.",
                    "{n} addresses to make precise: open the locations (e) and choose one of "
                    "the results.",
                    n,
                ).format(n=n),
                severity="warning",
                timeout=8,
            )

    @work(thread=True, exclusive=True, exit_on_error=False, group="badge")
    def check_deadlines(self, announce: bool = True) -> None:
        """The header badge (and, at start-up, a word about what is pressing); again
        after each save or delete, so the badge never lags behind."""
        self.deadlines_checked(announce)

    def deadlines_checked(self, announce: bool = True) -> None:
        """`check_deadlines` in the worker that calls it (the one that filled the list)."""
        review = self.ws.permits.review()
        from scout.tui.widgets.permit_table import PermitTable

        PermitTable.by_key(review.rows)  # here, not when the review screen opens (kept)
        self.call_from_thread(self.show_badge, review, announce)

    def show_badge(self, review: Review, announce: bool = False) -> None:
        self.show_production()  # (after each save: the first lieu may have made one)
        try:  # the list's permit filters (permit:late…) follow each new review
            self.lieux_screen().review_changed(review)
        except LookupError:
            pass
        pressing = review.pressing
        overdue = len(review.overdue)
        self.sub_title = (
            ngettext(
                # "urgent" first: cut short at 80 columns, it still says what it counts
                "⚠ {n} urgent permit: overdue or to file within 3 working days",
                "⚠ {n} urgent permits: overdue or to file within 3 working days",
                pressing,
            ).format(n=pressing)
            if pressing
            else _(self.SUB_TITLE)
        )
        self.prepare_review()
        if announce and pressing:
            self.notify(
                _(
                    "{overdue} overdue, {soon} to file within 3 working days. "
                    "Key p: the permits review."
                ).format(overdue=overdue, soon=pressing - overdue),
                title=_("Permits"),
                severity="warning" if overdue else "information",
                timeout=8,
            )

    # -- productions (scout/tui/screens/productions.py) -----------------------------------
    def action_productions(self) -> None:
        from scout.tui.screens.productions import ProductionsScreen

        if not isinstance(self.screen, ProductionsScreen):
            self.push_screen(ProductionsScreen())

    def show_production(self) -> None:
        """The header names the production the lists show."""
        from scout.tui.screens.productions import production_title

        try:
            self._production_title = production_title(self)
        except DatabaseUnreachable:  # the team database is away: the name read last
            pass
        base = getattr(self, "_production_title", "scout")
        self.title = base + self.live.title_suffix()  # who else, offline (tui/live.py)

    def production_switched(self) -> None:
        """Another production is current: the header, the list (with the view it was
        left with) and the badge follow."""
        self.show_production()
        try:
            self.lieux_screen().load_rows()
        except LookupError:
            pass
        self.check_deadlines(announce=False)

    def action_permits(self) -> None:
        from scout.tui.screens.permits import PermitsScreen

        if not isinstance(self.screen, PermitsScreen):
            ready, self._review_ready = self._review_ready, None
            self.push_screen(ready if ready is not None and ready.is_running else PermitsScreen())

    def prepare_review(self) -> None:
        """Compose the review screen in the background once the list is up (and again
        after each visit), so that p only lays it out and draws it (issue 13: the review's
        first paint). It reads the review again when shown if a save changed it since."""
        from scout.tui.screens.permits import PermitsScreen

        if self._review_ready is not None or not self.is_running:
            return
        if any(isinstance(s, PermitsScreen) for s in self.screen_stack):
            return
        screen = self._review_ready = PermitsScreen()
        try:
            self._register(self, screen)  # (what push_screen does first, without showing it)
        except Exception:  # a Textual without it: composed when pushed, as before
            self._review_ready = None

    def lieux_screen(self) -> LieuxScreen:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, LieuxScreen):
                return screen
        raise LookupError("the lieux screen is not open")

    async def back_to_lieux(self) -> LieuxScreen:
        """Close the screens above the lieux (the review, the photo import) and return it."""
        screen = self.lieux_screen()
        while self.screen is not screen and len(self.screen_stack) > 1:
            await self.pop_screen()
        return screen

    async def run_on_lieux(self, action: str) -> None:
        """A lieux-screen action from elsewhere (the command palette): back there first."""
        await self.run_action(action, await self.back_to_lieux())

    async def show_lieu(self, lieu_id: int) -> None:
        await self.back_to_lieux()
        self.go_to_lieu(lieu_id)

    def go_to_lieu(self, lieu_id: int) -> None:
        screen = self.lieux_screen()
        table = screen.query_one(LieuTable)
        if not table.move_to(lieu_id):
            screen.action_clear_filter()
            table.move_to(lieu_id)
        table.focus()

    # -- Textual's own words, in the language of the run ---------------------------------
    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(
                ScoutPalette(placeholder=_("Search for commands…"), id="--command-palette")
            )

    def search_themes(self) -> None:
        self.push_screen(
            ScoutPalette(providers=[ThemeProvider], placeholder=_("Search for a theme…"))
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands worth a place beside scout's (quit and the keys are scout's
        own, in the palette and in F1)."""
        yield SystemCommand(_("Theme"), _("Change the colours of scout"), self.action_change_theme)
        if screen.maximized is not None:
            yield SystemCommand(
                _("Minimize"), _("Back to the whole screen"), screen.action_minimize
            )
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(
                _("Maximize"), _("The focused part on the whole screen"), screen.action_maximize
            )

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit (it copies): say which key does, scout's own first."""
        quits = [
            active.binding
            for active in self.active_bindings.values()
            if active.binding.action in ("quit", "app.quit")
        ]
        if quits:
            binding = next((b for b in quits if b.id == "app.quit"), quits[0])
            self.notify(
                _("Press [b]{key}[/b] to quit scout.").format(key=self.get_key_display(binding)),
                title=_("Quit?"),
            )

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))  # the keys of the screen it opens over

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (badge, geocoding queue); screens have ScoutScreen's."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.report_error(event.worker.error)

    def report_error(self, error: BaseException) -> None:
        """A ScoutError is the user's to fix: say it. Anything else is ours: log it."""
        # A message may quote what the user typed or a file held: text, never markup.
        if isinstance(error, ScoutError):
            self.notify(plain(error), severity="error", timeout=8, markup=False)
        else:
            self.notify(
                plain(report_unexpected(error, self.settings.log_path)),
                severity="error",
                timeout=12,
                markup=False,
            )

    async def action_quit(self) -> None:
        self.exit()  # the workspace is closed by whoever opened it

    def _handle_exception(self, error: Exception) -> None:
        # No traceback ever reaches the user: errors in handlers are reported and logged,
        # and the app stays up with everything saved so far.
        self.report_error(error)


def make_app(workspace: Workspace) -> ScoutApp:
    """The app on a workspace (the CLI's, or a test's); the caller closes the workspace."""
    setup_logging(workspace.settings.log_path)
    return ScoutApp(workspace)
