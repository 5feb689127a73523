"""A yes/no question before anything is destroyed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from scout.i18n import N_, _
from scout.tui.text import plain


class ConfirmScreen(ModalScreen[bool]):
    LABEL = N_("Confirmation")
    # n or Esc says no, y or o (oui) says yes: in either language.
    BINDINGS = [
        Binding("escape,n", "answer(False)", N_("Cancel"), id="confirm.no", tooltip=N_("Keep it")),
        Binding("y,o", "answer(True)", N_("Confirm"), id="confirm.yes", tooltip=N_("Go ahead")),
    ]

    def __init__(
        self, question: str, confirm_label: str | None = None, keep_label: str | None = None
    ) -> None:
        super().__init__()
        self.question = question
        self.confirm_label = confirm_label or _("Delete")
        # Over a form, "Cancel" would read as "cancel the form": the button says what it keeps.
        self.keep_label = keep_label or _("Cancel")

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            # The question names a lieu or a file: drawn as text, never read as markup.
            yield Label(plain(self.question), id="confirm-question", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(self.confirm_label, variant="error", id="yes")
                yield Button(self.keep_label, id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
