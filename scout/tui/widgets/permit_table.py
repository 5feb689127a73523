"""The régie's review: every permit of the production, most urgent first."""

from __future__ import annotations

from functools import cache

from scout.domain.values import fold
from scout.i18n import N_, current_language, ngettext
from scout.permits.deadlines import Urgency
from scout.permits.review import ReviewRow
from scout.present.labels import arrondissement_label, permit_status_label
from scout.tui.text import day_text
from scout.tui.widgets.virtual_table import Keys, VirtualTable


@cache
def _folded(text: str) -> str:
    return fold(text)


@cache
def _words(
    urgency: int,
    status: str,
    arrondissement: int | None,
    type_label: str,
    authority: str,
    language: str,
) -> str:
    # Keyed by the urgency's number: an enum member hashes in Python, 60,000 times; and
    # by the language, whose words the filter finds a permit by.
    return fold(
        f"{Urgency(urgency).label} {permit_status_label(status)} "
        f"{arrondissement_label(arrondissement)} {type_label} {authority}"
    )


class PermitTable(VirtualTable[ReviewRow]):
    COLUMNS = (
        (N_("Urgency"), 13),
        (N_("Location"), 0),
        (N_("Arr."), 5),
        (N_("Type"), 0),
        (N_("Authority"), 0),
        (N_("Status"), 14),
        (N_("Deadline"), 10),
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
            urgency,
            row.status,
            row.arrondissement,
            row.type_label,
            row.authority,
            current_language(),
        )

    def cells(self, row: ReviewRow) -> list[str]:
        urgency = row.urgency.label
        days = row.working_days_left
        if days is not None and row.urgency <= Urgency.DUE_14:
            if days < 0:  # 13 columns: « 12 j en retard » is cut, « −12 work days » is not
                urgency = ngettext("−{n} work day", "−{n} work days", -days).format(n=-days)
            else:
                urgency = ngettext("{n} work day", "{n} work days", days).format(n=days)
        return [
            urgency,
            f"{row.lieu_name}",
            arrondissement_label(row.arrondissement),
            row.type_label,
            row.authority,
            permit_status_label(row.status),
            day_text(row.deadline),
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
