"""The lieux of the production: sorted by décor then name, one line each."""

from __future__ import annotations

from functools import cache

from scout.domain.values import fold
from scout.i18n import N_, current_language
from scout.present.labels import arrondissement_label, status_label
from scout.store.repository import LieuRow
from scout.tui.text import day_text
from scout.tui.widgets.virtual_table import Keys, VirtualTable


@cache
def _folded(text: str) -> str:
    return fold(text)


@cache
def _tail(status: str, arrondissement: int | None, language: str) -> str:
    # The language is part of the key: the status is found by its word in that language.
    return f"{fold(status_label(status))} {arrondissement_label(arrondissement)}"


class LieuTable(VirtualTable[LieuRow]):
    COLUMNS = (
        ("ID", 4),
        (N_("Location"), 0),
        (N_("Décor"), 0),
        (N_("Arr."), 6),
        (N_("Status"), 10),
        ("PMR", 4),
        (N_("Next shoot"), 10),
    )
    FLEX = (55, 45)

    @classmethod
    def row_id(cls, row: LieuRow) -> int:
        return row.id

    @classmethod
    def row_arrondissement(cls, row: LieuRow) -> int | None:
        return row.arrondissement

    @classmethod
    def row_keys(cls, row: LieuRow) -> Keys:
        """Décors, statuses and arrondissements repeat: they are folded once each."""
        decor, name = _folded(row.decor), fold(row.name)
        return (decor, name, row.id), (
            f"{name} {decor} {_tail(row.status, row.arrondissement, current_language())} "
            f"pmr{row.pmr_assessed}"
        )

    def cells(self, row: LieuRow) -> list[str]:
        return [
            str(row.id),
            ("★ " if row.retained else "") + row.name,
            row.decor,
            arrondissement_label(
                row.arrondissement, row.on_boundary, row.approximate_zone, row.geocode_pending
            ),
            status_label(row.status),
            f"{row.pmr_assessed}/6",
            day_text(row.next_shoot),
        ]

    def styles_of(self, row: LieuRow) -> tuple[str, ...]:
        styles: tuple[str, ...] = ()
        if row.status == "rejected":
            styles += ("muted",)
        elif row.status == "validated":
            styles += ("good",)
        if row.retained:
            styles += ("strong",)
        return styles


prepare = LieuTable.prepare
