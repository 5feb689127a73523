"""Change a permit's status: it opens on the current status, and only the legal next
steps are offered beside it, with a note for the history."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from scout.domain.permit import TRANSITIONS, Permit, PermitStatus, check_transition
from scout.errors import ValidationError
from scout.i18n import N_, _
from scout.tui.text import content


def next_statuses(current: PermitStatus) -> list[PermitStatus]:
    """Where a permit can go from `current`, in the order of the statuses."""
    order = list(PermitStatus)
    return sorted(TRANSITIONS[current], key=order.index)


class StatusScreen(ModalScreen[tuple[str, str] | None]):
    """Returns (new status, note), or None when cancelled."""

    LABEL = N_("Permit status")

    BINDINGS = [
        Binding(
            "escape", "cancel", N_("Cancel"), id="status.cancel", tooltip=N_("Keep the status")
        ),
        Binding("ctrl+s", "save", N_("Save"), id="status.save", tooltip=N_("Change the status")),
    ]

    def __init__(self, permit: Permit, title: str) -> None:
        super().__init__()
        self.permit = permit
        self.title_text = title
        # The current status first (selected), then the only moves the rules allow.
        self.choices = [permit.status, *next_statuses(permit.status)]

    def compose(self) -> ComposeResult:
        current = self.permit.status
        options = [(_("{status} (current)").format(status=current.label), current.value)]
        options += [(s.label, s.value) for s in self.choices[1:]]
        with Vertical(id="status-box"):
            yield Label(content(self.title_text), id="status-title")
            yield Label(content(_("Current status: {status}").format(status=current.label)))
            yield Select(options, value=current.value, allow_blank=False, id="status-new")
            yield Input(placeholder=_("Note for the history (optional)"), id="status-note")
            yield Label("", id="status-error")
            with Horizontal(id="status-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#status-new", Select).focus()

    def action_save(self) -> None:
        current = self.permit.status
        value = self.query_one("#status-new", Select).value
        note = self.query_one("#status-note", Input).value.strip()
        error = self.query_one("#status-error", Label)
        if value == current.value:
            error.update(
                content(
                    _("Choose the new status (Esc keeps “{status}”).").format(status=current.label)
                )
            )
            return
        try:
            check_transition(current, PermitStatus.of(str(value)))
        except (ValidationError, ValueError) as e:  # never offered; checked all the same
            error.update(content(str(e)))
            return
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
