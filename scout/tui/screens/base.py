"""What every full screen of scout shares."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from textual import on
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input
from textual.worker import Worker, WorkerState

from scout.i18n import _

FormResult = TypeVar("FormResult")


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


class GuardedForm(ModalScreen[FormResult]):
    """A form that asks before its changes are thrown away: Esc (or Cancel) closes at once
    when nothing was changed, and asks otherwise; Save, Enter in a field or Ctrl+S save.
    Subclasses say what changed, what would be lost and how to save."""

    @property
    def changed(self) -> bool:
        raise NotImplementedError

    def discard_question(self) -> str:
        """« Close without saving? The changes to … will be lost. » (translated)"""
        raise NotImplementedError

    def action_save(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        if not self.changed:
            self.dismiss(None)
            return
        from scout.tui.screens.confirm import ConfirmScreen
        from scout.tui.text import plain

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(None)

        question = ConfirmScreen(plain(self.discard_question()), _("Discard"), _("Keep editing"))
        self.app.push_screen(question, answered)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()


def writable(screen: Screen[Any]) -> bool:
    """True when the workspace may be changed; otherwise says why (another scout process,
    a reader role, opened read-only) and returns False."""
    app: Any = screen.app
    if app.ws.read_only:
        screen.notify(app.ws.read_only_reason(), severity="warning")
        return False
    return True
