"""The command palette (Ctrl+P): go to a lieu by name, add a lieu, help."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from scout.tui.app import ScoutApp


class ScoutCommands(Provider):
    app: ScoutApp

    def _actions(self) -> list[tuple[str, str, object]]:
        screen = self.app.lieux_screen()
        return [
            ("Ajouter un lieu", "Open the form for a new lieu", screen.action_add),
            (
                "Filtrer les lieux",
                "Filter by name, décor, status, arrondissement",
                screen.action_filter,
            ),
            ("Aide", "Keys and marks", self.app.action_help),
        ]

    async def discover(self) -> Hits:
        for name, help_text, action in self._actions():
            yield DiscoveryHit(name, action, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in self._actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), action, help=help_text)  # type: ignore[arg-type]
        # "Aller au lieu …": every lieu by name and décor.
        for row in self.app.ws.lieux.rows():
            text = f"Aller au lieu : {row.name} — {row.decor}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(self.app.go_to_lieu, row.id),
                    help=f"lieu {row.id}",
                )
