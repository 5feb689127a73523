"""The detail pane: everything about the lieu under the cursor.

What the position says against the rest of the fiche (outside Paris, another
arrondissement than the postcode's) comes first, under the name, in the warning colour:
the pane is only a few lines high at 80×24 and a doubt about where a lieu is must not sit
below the fold. Every line is drawn as text, never read as markup, and made terminal-safe
(names, addresses, notes and file names are the user's or a file's).
"""

from __future__ import annotations

from datetime import date

from textual.content import Content
from textual.widgets import Static

from scout.domain import Lieu
from scout.i18n import _
from scout.present.sheets import lieu_sheet, position_warnings
from scout.tui.text import content

WARNING = "⚠"


class LieuDetail(Static):
    def show_lieu(
        self,
        lieu: Lieu | None,
        today: date,
        extra: list[str] | None = None,
        *,
        filtered: bool = False,
    ) -> None:
        if lieu is None and filtered:
            self.update(_("No location matches the filter. Esc to see them all again."))
        elif lieu is None:
            self.update(_("No location yet. Press [b]a[/b] to add one."))
        else:
            self.update(fiche_content(lieu, today, extra or []))


def fiche_content(lieu: Lieu, today: date, extra: list[str]) -> Content:
    warnings = [f"{WARNING} {w}" for w in position_warnings(lieu)]
    title, *rest = lieu_sheet(lieu, today).split("\n")
    lines = [content(title, "bold")]
    lines += [content(w, "bold $warning") for w in warnings]
    for line in [*(x for x in rest if x not in warnings), *extra]:
        lines.append(content(line, "$warning") if line.startswith(WARNING) else content(line))
    return Content("\n").join(lines)
