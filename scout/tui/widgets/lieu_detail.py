"""The detail pane: everything about the lieu under the cursor."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from scout.domain import Lieu
from scout.present.sheets import lieu_sheet


class LieuDetail(Static):
    def show_lieu(self, lieu: Lieu | None, today: date, extra: list[str] | None = None) -> None:
        if lieu is None:
            self.update("Aucun lieu. Appuyez sur [b]a[/b] pour en ajouter un.")
        else:
            self.update(_escape("\n".join([lieu_sheet(lieu, today), *(extra or [])])))


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
