"""Change a permit's status: only the legal next steps are offered, with a note."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from scout.domain.permit import TRANSITIONS, Permit, PermitStatus


class StatusScreen(ModalScreen[tuple[str, str] | None]):
    """Returns (new status, note), or None when cancelled."""

    LABEL = "Statut d'une autorisation"

    BINDINGS = [
        Binding("escape", "cancel", "Annuler", id="status.cancel", tooltip="Keep the status"),
        Binding("ctrl+s", "save", "Enregistrer", id="status.save", tooltip="Change the status"),
    ]

    def __init__(self, permit: Permit, title: str) -> None:
        super().__init__()
        self.permit = permit
        self.title_text = title

    def compose(self) -> ComposeResult:
        order = list(PermitStatus)
        allowed = sorted(TRANSITIONS[self.permit.status], key=order.index)
        with Vertical(id="status-box"):
            yield Label(self.title_text, id="status-title")
            yield Label(f"Statut actuel : {self.permit.status.label}")
            yield Select([(s.label, s.value) for s in allowed], allow_blank=False, id="status-new")
            yield Input(placeholder="Note pour l'historique (facultatif)", id="status-note")
            yield Label("", id="status-error")
            with Horizontal(id="status-buttons"):
                yield Button("Enregistrer", variant="primary", id="save")
                yield Button("Annuler", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#status-new", Select).focus()

    def action_save(self) -> None:
        value = self.query_one("#status-new", Select).value
        note = self.query_one("#status-note", Input).value.strip()
        self.dismiss((str(value), note))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted, "#status-note")
    def _submitted(self) -> None:
        self.action_save()
