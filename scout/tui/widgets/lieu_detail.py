"""The detail pane: everything about the lieu under the cursor.

What the position says against the rest of the fiche (outside Paris, another
arrondissement than the postcode's) comes first, under the name, in the warning colour:
the pane is only a few lines high at 80×24 and a doubt about where a lieu is must not sit
below the fold. Every line is drawn as text, never read as markup, and made terminal-safe
(names, addresses, notes and file names are the user's or a file's).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from scout.domain import Lieu
from scout.i18n import _, formats, ngettext
from scout.present.sheets import lieu_sheet, position_warnings
from scout.tui.text import content

if TYPE_CHECKING:
    from scout.services.tournages import Nearby

WARNING = "⚠"
NEAREST = 3  # past shoots listed in the fiche


class LieuDetail(Static):
    def show_lieu(
        self,
        lieu: Lieu | None,
        today: date,
        extra: list[str] | None = None,
        *,
        filtered: bool = False,
        changed: str = "",
    ) -> None:
        """`changed`: who changed it on the team database while it was open here (under
        the name: it must not sit below the fold)."""
        if lieu is None and filtered:
            self.update(_("No location matches the filter. Esc to see them all again."))
        elif lieu is None:
            self.update(_("No location yet. Press [b]a[/b] to add one."))
        else:
            self.update(
                fiche_content(lieu, today, [*(extra or []), *self._past_shoots(lieu)], changed)
            )

    def _past_shoots(self, lieu: Lieu) -> list[str]:
        """The section "Past shoots nearby", only once the City's shoots are imported
        (and the lieu has a position): an empty reference layer adds nothing."""
        ws = getattr(self.app, "ws", None)
        service = getattr(ws, "tournages", None)
        if service is None or lieu.id is None or lieu.position is None or not service.count():
            return []
        return past_shoot_lines(service.near(lieu.position.lat, lieu.position.lon))


def past_shoot_lines(found: Nearby) -> list[str]:
    """Count, the 3 nearest (title, year, type, distance) and the shoots per year."""
    from scout.domain.tournage import per_year_text, type_label

    radius = formats.metres(found.radius_m)
    lines = [""]
    if not found.shoots:
        lines.append(_("Past shoots nearby: none within {radius}").format(radius=radius))
        return lines
    lines.append(
        ngettext(
            "Past shoots nearby: {n} within {radius}",
            "Past shoots nearby: {n} within {radius}",
            len(found.shoots),
        ).format(n=formats.number(len(found.shoots)), radius=radius)
    )
    for near in found.shoots[:NEAREST]:
        lines.append(
            "  "
            + _("{distance} · {title} ({year}, {type})").format(
                distance=formats.metres(near.distance_m),
                title=near.shoot.title,
                year=near.shoot.year,
                type=type_label(near.shoot.type),
            )
        )
    lines.append("  " + _("Per year: {years}").format(years=per_year_text(found.per_year)))
    lines.append("  " + _("Source: Ville de Paris — opendata.paris.fr (ODbL)"))
    return lines


def fiche_content(lieu: Lieu, today: date, extra: list[str], changed: str = "") -> Content:
    warnings = [f"{WARNING} {w}" for w in position_warnings(lieu)]
    title, *rest = lieu_sheet(lieu, today).split("\n")
    lines = [content(title, "bold")]
    if changed:  # a team-mate's change while it was open here (scout/tui/live.py)
        lines.append(content(changed, "italic $accent"))
    lines += [content(w, "bold $warning") for w in warnings]
    for line in [*(x for x in rest if x not in warnings), *extra]:
        lines.append(content(line, "$warning") if line.startswith(WARNING) else content(line))
    return Content("\n").join(lines)
