"""What every full screen of scout shares."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from scout.i18n import _


class ScoutScreen(Screen[None]):
    # The screen's name in the help and the command palette: marked N_(), read through
    # screen_label (translated there).
    LABEL: ClassVar[str] = ""
    # The binding ids the key bar shows first, most important first; the other keys follow
    # while they fit (F1 always has its place at the right end).
    KEY_BAR: ClassVar[tuple[str, ...]] = ()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one handler for failed workers (a save, a load, a lookup): worker
        messages stop at the screen that started them, so every screen inherits it."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            app: Any = self.app
            app.report_error(event.worker.error)


def screen_label(screen: Screen[Any]) -> str:
    """The screen's name in the language of the run."""
    label = getattr(screen, "LABEL", "")
    return _(label) if label else type(screen).__name__
