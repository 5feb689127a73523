"""The scout application: one factory, used by the CLI and by every test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding

from scout.clock import Clock
from scout.errors import ScoutError
from scout.logs import report_unexpected, setup_logging
from scout.services import LieuService
from scout.settings import Settings
from scout.store.repository import Repository
from scout.tui.commands import ScoutCommands
from scout.tui.screens.help import HelpScreen
from scout.tui.screens.lieux import LieuxScreen
from scout.tui.widgets.lieu_table import LieuTable


class ScoutApp(App[None]):
    TITLE = "scout"
    SUB_TITLE = "repérages & autorisations de tournage — Paris"
    CSS_PATH = "scout.tcss"
    COMMANDS = App.COMMANDS | {ScoutCommands}
    BINDINGS = [
        Binding("q", "quit", "Quitter", id="app.quit", tooltip="Quit (everything is saved)"),
        Binding("f1,question_mark", "help", "Aide", id="app.help", tooltip="Keys and marks"),
    ]

    def __init__(self, settings: Settings, service: LieuService, clock: Clock) -> None:
        super().__init__()
        self.settings = settings
        self.service = service
        self.clock = clock

    def get_default_screen(self) -> LieuxScreen:
        return LieuxScreen()  # the first screen is the real one: no blank screen painted first

    def on_mount(self) -> None:
        store = self.service.store
        if getattr(store, "locked_by_other", False):
            self.notify(f"{store.location} is open in another scout process: read-only here.",
                        severity="warning", timeout=10)

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

    def report_error(self, error: BaseException) -> None:
        """A ScoutError is the user's to fix: say it. Anything else is ours: log it."""
        if isinstance(error, ScoutError):
            self.notify(str(error), severity="error", timeout=8)
        else:
            self.notify(report_unexpected(error, self.settings.log_path), severity="error",
                        timeout=12)

    def _handle_exception(self, error: Exception) -> None:
        # No traceback ever reaches the user: errors in handlers are reported and logged,
        # and the app stays up with everything saved so far.
        self.report_error(error)


def make_app(settings: Settings, store: Repository, clock: Clock | None = None,
             **service_options: Any) -> ScoutApp:
    setup_logging(settings.log_path)
    clock = clock or Clock()
    return ScoutApp(settings, LieuService(store, clock, **service_options), clock)


def default_settings(db_path: Path) -> Settings:
    return Settings(db_path=db_path, log_path=db_path.with_name("scout.log"))
