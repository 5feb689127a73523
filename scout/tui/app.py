"""The scout application: one factory, used by the CLI and by every test."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from scout.clock import Clock
from scout.errors import ScoutError
from scout.logs import report_unexpected, setup_logging
from scout.permits.rules import RulesBook
from scout.permits.service import PermitService, Review
from scout.services import LieuService
from scout.settings import Settings
from scout.store.repository import Repository
from scout.tui.commands import ScoutCommands
from scout.tui.screens.help import HelpScreen
from scout.tui.screens.lieux import LieuxScreen
from scout.tui.themes import THEMES
from scout.tui.widgets.lieu_table import LieuTable


class ScoutApp(App[None]):
    TITLE = "scout"
    SUB_TITLE = "repérages & autorisations de tournage — Paris"
    CSS_PATH = "scout.tcss"
    # Under 110 columns the fiche goes under the table instead of beside it.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    COMMANDS = App.COMMANDS | {ScoutCommands}
    BINDINGS = [
        Binding("q", "quit", "Quitter", id="app.quit", tooltip="Quit (everything is saved)"),
        Binding("p", "permits", "Autorisations", id="app.permits",
                tooltip="The régie's review: every permit by urgency"),
        Binding("f1,question_mark", "help", "Aide", id="app.help", tooltip="Keys and marks"),
        Binding("f2", "toggle_theme", "Clair/sombre", show=False, id="app.theme",
                tooltip="Switch between the dark and the light theme"),
    ]

    def __init__(self, settings: Settings, service: LieuService, clock: Clock,
                 permits: PermitService) -> None:
        super().__init__()
        self.settings = settings
        self.service = service
        self.clock = clock
        self.permits = permits
        self._geocoder: Any = None
        self._make_geocoder: Any = lambda: None

    def on_load(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = "scout-dark"

    def action_toggle_theme(self) -> None:
        self.theme = "scout-light" if self.theme == "scout-dark" else "scout-dark"

    def get_default_screen(self) -> LieuxScreen:
        return LieuxScreen()  # the first screen is the real one: no blank screen painted first

    def on_mount(self) -> None:
        store = self.service.store
        if getattr(store, "locked_by_other", False):
            self.notify(f"{store.location} is open in another scout process: read-only here.",
                        severity="warning", timeout=10)
        if self.permits.book.error is not None:
            self.notify(f"{self.permits.book.error}. The rules shipped with scout stay in force.",
                        severity="error", timeout=15)

    def on_lieux_screen_rows_loaded(self) -> None:
        """Once the table is filled (not before: they would compete for the CPU), check
        the deadlines for the badge and place the lieux waiting for a position."""
        self.check_deadlines()
        self.resolve_geocoding()

    @property
    def geocoder(self) -> Any:
        """The geocoder, made on first use (geopy and httpx are not needed to start)."""
        if self._geocoder is None:
            self._geocoder = self._make_geocoder()
        return self._geocoder

    @work(thread=True, exclusive=True, exit_on_error=False, group="geocode-queue")
    def resolve_geocoding(self) -> None:
        """Lieux saved with an address but no position: place them when the network allows
        (at start-up, and after each such save)."""
        from scout.geocoding.queue import resolve_queue

        if self.service.store.read_only or not self.service.pending_geocoding():
            return
        report = resolve_queue(self.service, self.geocoder)
        self.call_from_thread(self._geocoding_done, report)

    def _geocoding_done(self, report: Any) -> None:
        from scout.tui.widgets.lieu_table import LieuTable

        try:
            table = self.lieux_screen().query_one(LieuTable)
        except LookupError:
            return
        for lieu in report.placed:
            table.upsert(self.service.row(lieu.id))
        if report.placed:
            self.notify(f"{len(report.placed)} lieu(x) placé(s) d'après leur adresse.",
                        timeout=5)
        if report.ambiguous:
            self.notify(f"{len(report.ambiguous)} adresse(s) à préciser : ouvrez le lieu (e) "
                        "et choisissez parmi les résultats.", severity="warning", timeout=8)
    @work(thread=True, exclusive=True, exit_on_error=False, group="badge")
    def check_deadlines(self) -> None:
        """At start-up: the header badge and a word about what is pressing."""
        with self.service.lock:
            review = self.permits.review()
        self.call_from_thread(self.show_badge, review, True)

    def show_badge(self, review: Review, announce: bool = False) -> None:
        pressing = review.pressing
        overdue = len(review.overdue)
        self.sub_title = (f"⚠ {pressing} autorisation(s) en retard ou à déposer sous 3 jours "
                          f"ouvrés" if pressing else "repérages & autorisations — Paris")
        if announce and pressing:
            self.notify(f"{overdue} en retard, {pressing - overdue} à déposer sous 3 jours "
                        f"ouvrés. Touche p : la revue des autorisations.",
                        title="Autorisations", severity="warning" if overdue else "information",
                        timeout=8)

    def action_permits(self) -> None:
        from scout.tui.screens.permits import PermitsScreen

        if not isinstance(self.screen, PermitsScreen):
            self.push_screen(PermitsScreen())

    def lieux_screen(self) -> LieuxScreen:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, LieuxScreen):
                return screen
        raise LookupError("the lieux screen is not open")

    def go_to_lieu(self, lieu_id: int) -> None:
        screen = self.lieux_screen()
        table = screen.query_one(LieuTable)
        if not table.move_to(lieu_id):
            screen.action_clear_filter()
            table.move_to(lieu_id)
        table.focus()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (badge, geocoding queue); screens have ScoutScreen's."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.report_error(event.worker.error)

    def report_error(self, error: BaseException) -> None:
        """A ScoutError is the user's to fix: say it. Anything else is ours: log it."""
        if isinstance(error, ScoutError):
            self.notify(str(error), severity="error", timeout=8)
        else:
            self.notify(report_unexpected(error, self.settings.log_path), severity="error",
                        timeout=12)

    async def action_quit(self) -> None:
        if self._geocoder is not None:
            self._geocoder.close()
        self.exit()

    def _handle_exception(self, error: Exception) -> None:
        # No traceback ever reaches the user: errors in handlers are reported and logged,
        # and the app stays up with everything saved so far.
        self.report_error(error)


def make_app(settings: Settings, store: Repository, clock: Clock | None = None,
             geocoder_factory: Any = None, **service_options: Any) -> ScoutApp:
    setup_logging(settings.log_path)
    clock = clock or Clock()
    permits = PermitService(store, clock, RulesBook(settings.rules_path))
    app = ScoutApp(settings, LieuService(store, clock, **service_options), clock, permits)

    def make_geocoder() -> Any:
        from scout.geocoding.queue import open_geocoder

        return open_geocoder(settings.db_path, clock)

    app._make_geocoder = geocoder_factory or make_geocoder
    return app
