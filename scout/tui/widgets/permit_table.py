"""The régie's review: every permit of the production, most urgent first."""

from __future__ import annotations

from functools import cache

from scout.domain.values import fold
from scout.permits.deadlines import Urgency
from scout.permits.review import ReviewRow
from scout.present.labels import arrondissement_label, permit_status_label
from scout.tui.widgets.virtual_table import Keys, VirtualTable, french_date


@cache
def _folded(text: str) -> str:
    return fold(text)


@cache
def _words(
    urgency: int, status: str, arrondissement: int | None, type_label: str, authority: str
) -> str:
    # Keyed by the urgency's number: an enum member hashes in Python, 60,000 times.
    return fold(
        f"{Urgency(urgency).label} {permit_status_label(status)} "
        f"{arrondissement_label(arrondissement)} {type_label} {authority}"
    )


class PermitTable(VirtualTable[ReviewRow]):
    COLUMNS = (
        ("Urgence", 13),
        ("Lieu", 0),
        ("Arr.", 5),
        ("Type", 0),
        ("Autorité", 0),
        ("Statut", 14),
        ("Échéance", 10),
    )
    FLEX = (40, 35, 25)

    @classmethod
    def row_id(cls, row: ReviewRow) -> str:
        return row.key  # a permit, or a permit the rules call for that nobody created

    @classmethod
    def row_arrondissement(cls, row: ReviewRow) -> int | None:
        return row.arrondissement

    @classmethod
    def row_keys(cls, row: ReviewRow) -> Keys:
        urgency = int(row.urgency)
        key = (
            urgency,
            row.deadline.toordinal() if row.deadline else 10**7,
            row.lieu_name,
            row.key,
        )
        return key, f"{_folded(row.lieu_name)} " + _words(
            urgency, row.status, row.arrondissement, row.type_label, row.authority
        )

    def cells(self, row: ReviewRow) -> list[str]:
        urgency = row.urgency.label
        if row.working_days_left is not None and row.urgency <= Urgency.DUE_14:
            urgency = (
                f"{-row.working_days_left} j en retard"
                if row.working_days_left < 0
                else f"{row.working_days_left} j ouvrés"
            )
        return [
            urgency,
            f"{row.lieu_name}",
            arrondissement_label(row.arrondissement),
            row.type_label,
            row.authority,
            permit_status_label(row.status),
            french_date(row.deadline),
        ]

    def styles_of(self, row: ReviewRow) -> tuple[str, ...]:
        if row.urgency in (Urgency.OVERDUE, Urgency.DUE_3):
            return ("alert",)
        if row.urgency is Urgency.REFUSED:
            return ("strong",)
        if row.urgency in (Urgency.GRANTED,):
            return ("good",)
        if row.urgency is Urgency.CLOSED:
            return ("muted",)
        return ()
