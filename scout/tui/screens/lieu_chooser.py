"""Choose a lieu: by name, décor or arrondissement as you type, or by its number.

Used where pictures go to a lieu the scout names (a proposal far from every lieu, the
pictures without GPS). The lieux are those already in the main table: nothing is read
from the disk here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from scout.domain.values import fold
from scout.i18n import N_, _
from scout.present.labels import arrondissement_label
from scout.store.repository import LieuRow
from scout.tui.text import content
from scout.tui.widgets.virtual_table import parse_filter

if TYPE_CHECKING:
    from scout.tui.app import ScoutApp

SHOWN = 200  # a list to pick from, not to scroll: type more to narrow it


def lieu_choice(row: LieuRow) -> str:
    where = arrondissement_label(row.arrondissement)
    return f"{row.id:>5}  {row.name} — {row.decor or '—'}  [{where}]"


class LieuChooser(ModalScreen[int | None]):
    """Returns the chosen lieu's id, or None."""

    app: ScoutApp

    LABEL = N_("Choose a location")
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            id="chooser.cancel",
            tooltip=N_("Choose no location"),
        ),
        Binding(
            "down",
            "to_list",
            N_("List"),
            show=False,
            id="chooser.list",
            tooltip=N_("From the search box to the list of locations"),
        ),
    ]

    def __init__(self, question: str, rows: list[LieuRow]) -> None:
        super().__init__()
        self.question = question
        self.rows = sorted(rows, key=lambda r: (fold(r.name), r.id))
        self._words = {r.id: fold(f"{r.name} {r.decor}") for r in self.rows}

    def compose(self) -> ComposeResult:
        with Vertical(id="chooser-box"):
            yield Label(content(self.question), id="chooser-question")
            yield Input(
                placeholder=_("Name, décor, 5e… or the location's number"), id="chooser-filter"
            )
            yield OptionList(id="chooser-list", markup=False)
            yield Label(_("Enter chooses · Esc cancels"), id="chooser-hint")

    def on_mount(self) -> None:
        self._show("")
        self.query_one("#chooser-filter", Input).focus()

    def matching(self, text: str) -> list[LieuRow]:
        arrondissements, words = parse_filter(fold(text))
        return [
            r
            for r in self.rows
            if (not arrondissements or r.arrondissement in arrondissements)
            and all(w in self._words[r.id] or w == str(r.id) for w in words)
        ]

    def _show(self, text: str) -> None:
        options = self.query_one("#chooser-list", OptionList)
        options.clear_options()
        found = self.matching(text)
        options.add_options([Option(content(lieu_choice(r)), id=str(r.id)) for r in found[:SHOWN]])
        if found:
            options.highlighted = 0

    @on(Input.Changed, "#chooser-filter")
    def _typed(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#chooser-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        if typed.isdigit() and any(r.id == int(typed) for r in self.rows):
            self.dismiss(int(typed))
            return
        options = self.query_one("#chooser-list", OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted))

    @on(OptionList.OptionSelected, "#chooser-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option)

    def _choose(self, option: Option) -> None:
        if option.id is not None:
            self.dismiss(int(option.id))

    def action_to_list(self) -> None:
        self.query_one("#chooser-list", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
