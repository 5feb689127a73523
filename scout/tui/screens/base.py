"""What every full screen of scout shares."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.worker import Worker, WorkerState


class ScoutScreen(Screen[None]):
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one handler for failed workers (a save, a load, a lookup): worker
        messages stop at the screen that started them, so every screen inherits it."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            app: Any = self.app
            app.report_error(event.worker.error)
