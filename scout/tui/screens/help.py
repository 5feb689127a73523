"""Keys and words of the trade, one key away.

The keys are generated from the bindings of the screen the help opens over (its own, its
list's, the app's): a key added to a screen's BINDINGS is in the help without another line.
"""

from __future__ import annotations

import re
from typing import Any

from rich.cells import cell_len
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown, Static

from scout.i18n import N_, _
from scout.present.glossary import glossary_lines
from scout.tui.commands import PALETTE_ONLY
from scout.tui.keys import KeyEntry, declared_keys, screen_keys
from scout.tui.screens.base import screen_label

# The marks, the filter and the form, paragraph by paragraph (Markdown), marked N_() and
# translated when the help opens.
MARKS = (
    N_(
        "**Marks** in the Arr. column: `*` the location lies within 15 m of another "
        "arrondissement (check which side of the street); `~` in or near the approximate "
        "Butte Montmartre zone; `?` waiting to be geocoded (saved with its address while "
        "there was no signal). ★ the location retained for its décor."
    ),
    N_(
        "In the filter (**/**), every word must match: `5e`, `5` or `1er` is that "
        "arrondissement (the 5e, never the 15e); any other word is looked for in the name, "
        "décor, address, postcode, contacts, notes and tags. Filters: `arr:5,6` "
        "`status:option` (or `retained`) `permit:late` (`none`, `to-create`, `to-file`, "
        "`filed`, `granted`, `refused`) `décor:salon` `tag:night` "
        "`date:2026-12-01..2026-12-31` `geocode:pending` `pmr:none` (key **n**); in French "
        "too (`statut:`, `autorisation:`, `étiquette:`, `géocodage:`). **f**: the Filters "
        "panel writes them. **s** sorts by the next column, **S** the other way; a click on "
        "a column's title sorts by it."
    ),
    N_(
        "In the form: Tab moves between fields, **Ctrl+S** saves, **Esc** closes (asking "
        "first when something was changed). Shoot days, one per line: "
        "`2026-12-03 07:30-19:00`. Contacts, one per line: `name; role; phone; e-mail`."
    ),
    N_(
        "The arrondissement is computed from the position, never typed. "
        "Source: Ville de Paris — opendata.paris.fr (ODbL)."
    ),
)


def marks() -> str:
    return "\n\n".join(_(paragraph) for paragraph in MARKS)


def glossary_table() -> Table:
    """The words of the trade, kept in French in both languages, and what they mean."""
    table = Table(box=None, show_header=False, expand=True, padding=(0, 1, 0, 0))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1)
    for line in glossary_lines():
        word, meaning = (re.split(r"\s{2,}", line.strip(), maxsplit=1) + [""])[:2]
        table.add_row(word, meaning)
    return table


def _keys(entry: KeyEntry) -> Text:
    return Text(" ").join(Text(f" {k} ", style="bold reverse") for k in entry.keys)


def key_table(entries: list[KeyEntry], widths: tuple[int, int] = (0, 0)) -> Table:
    """One line per action: its keys as in the key bar, its name, what it does."""
    table = Table(box=None, show_header=False, expand=True, padding=(0, 1, 0, 0))
    table.add_column(_("Key"), no_wrap=True, min_width=widths[0])
    table.add_column(_("Action"), no_wrap=True, style="bold", min_width=widths[1])
    table.add_column("", ratio=1, style="dim")
    for e in entries:
        table.add_row(_keys(e), e.description, e.tooltip)
    return table


def column_widths(entries: list[KeyEntry]) -> tuple[int, int]:
    """The same columns in every section of the help."""
    keys = max((_keys(e).cell_len for e in entries), default=0)
    return keys, max((cell_len(e.description) for e in entries), default=0)


def sections(opener: Screen[Any]) -> list[tuple[str, list[KeyEntry]]]:
    """(title, keys): the screen's own and its list's, then those that work everywhere."""
    entries = screen_keys(opener)
    app = opener.app
    own = [e for e in entries if e.node is opener]
    widgets = [e for e in entries if e.node is not opener and e.node is not app]
    everywhere = [e for e in entries if e.node is app]
    found = [(screen_label(opener), own + widgets), (_("Everywhere"), everywhere)]
    return [(title, keys) for title, keys in found if keys]


def palette_note() -> str:
    only = "; ".join(
        f"[b]{escape(_(name))}[/b] ({escape(_(text))})" for name, text, _action in PALETTE_ONLY
    )
    return _(
        "Every action is also in the command palette ([b]Ctrl+P[/b]): type a few letters "
        "of its name, or of a location's to go to it. Only there: {commands}."
    ).format(commands=only)


class HelpScreen(ModalScreen[None]):
    LABEL = N_("Help")
    BINDINGS = [
        Binding(
            "escape,q,f1,question_mark",
            "dismiss",
            N_("Close"),
            id="help.close",
            tooltip=N_("Back to where you were"),
        )
    ]

    def __init__(self, opener: Screen[Any] | None = None) -> None:
        super().__init__()
        self.opener = opener
        # Read now, while the opener still has its focus: its keys of the moment come first.
        self.sections = sections(opener) if opener is not None else []

    def compose(self) -> ComposeResult:
        close = ", ".join(
            _("{action}: {keys}").format(action=e.description, keys=e.key)
            for e in declared_keys([self], self.app)
        )
        widths = column_widths([e for _title, entries in self.sections for e in entries])
        title = escape(_("scout — help"))
        with VerticalScroll(id="help-box"):
            yield Static(f"{title}   [dim]{escape(close)}[/dim]", classes="help-title")
            for title, entries in self.sections:
                yield Static(escape(title), classes="help-section")
                yield Static(key_table(entries, widths), classes="help-keys")
            yield Static(palette_note(), classes="help-note")
            yield Markdown(marks(), id="help-marks")
            yield Static(_("Words of the trade, said in French"), classes="help-section")
            yield Static(glossary_table(), id="help-glossary")
