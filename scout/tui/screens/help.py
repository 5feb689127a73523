"""Keys and words of the trade, one key away."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# scout — aide

| Touche | Action |
|---|---|
| ↑ ↓ PgUp PgDn Home End | move in the list of lieux |
| **a** | add a lieu (ajouter) |
| **e** or Enter | edit the lieu under the cursor (modifier) |
| **d** | delete it, after confirmation (supprimer) |
| **/** | filter by name, décor, status or arrondissement; Esc clears |
| **Ctrl+P** | command palette: go to a lieu, add a lieu… |
| **F1** or **?** | this help |
| **F2** | light or dark theme |
| **q** | quit (everything is already saved) |

In the form: Tab moves between fields, **Ctrl+S** saves, **Esc** cancels.
Shoot days, one per line: `2026-12-03 07:30-19:00`. Contacts, one per line:
`name; role; phone; e-mail`.

**Marks** in the Arr. column: `*` the lieu lies within 15 m of another
arrondissement (check which side of the street); `~` in or near the approximate
Butte Montmartre zone. ★ the lieu retained for its décor.

The arrondissement is computed from the position, never typed.
Source : Ville de Paris — opendata.paris.fr (ODbL).
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding(
            "escape,q,f1,question_mark",
            "dismiss",
            "Fermer",
            id="help.close",
            tooltip="Back to the lieux",
        )
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(HELP)
