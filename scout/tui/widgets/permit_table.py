"""The régie's review: every permit of the production, most urgent first."""

from __future__ import annotations

from functools import cache

from scout.domain.values import fold
from scout.i18n import N_, current_language, ngettext
from scout.perf import paused_gc
from scout.permits.deadlines import Urgency
from scout.permits.review import ReviewRow
from scout.present.labels import arrondissement_label, permit_status_label
from scout.tui.text import day_text
from scout.tui.widgets.virtual_table import Keys, VirtualTable


@cache
def _folded(text: str) -> str:
    return fold(text)


# (urgency number, status, arrondissement, type, language) → the words the filter finds a
# permit by. Keyed by the urgency's number (an enum member hashes in Python, 60,000 times),
# by the type's id (its label and authority are read only when first met) and by the
# language, whose words they are.
_WORDS: dict[tuple[int, str, int | None, str, str], str] = {}

# The last review's rows by key: made once per review (in the worker that computed it, for
# the badge), not again each time the review screen opens.
Keyed = tuple[dict[str, ReviewRow], list[str]]  # the rows by key, and their keys in order
_BY_KEY: tuple[list[ReviewRow], Keyed] | None = None


def _words(urgency: int, row: ReviewRow, language: str) -> str:
    key = (urgency, row.status, row.arrondissement, row.type, language)
    words = _WORDS.get(key)
    if words is None:
        words = _WORDS[key] = fold(
            f"{Urgency(urgency).label} {permit_status_label(row.status)} "
            f"{arrondissement_label(row.arrondissement)} {row.type_label} {row.authority}"
        )
    return words


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
        key = (  # the review's own order (scout.services.permits)
            urgency,
            row.deadline.toordinal() if row.deadline else 10**7,
            row.lieu_name,
            row.permit_id or 0,
            row.type,
        )
        return key, f"{_folded(row.lieu_name)} " + _words(urgency, row, current_language())

    @classmethod
    def by_key(cls, rows: list[ReviewRow]) -> Keyed:
        """The review's rows (in its order) for `load_keyed`: their keys and words are
        worked out only when a filter or a sort asks."""
        global _BY_KEY
        kept = _BY_KEY
        if kept is not None and kept[0] is rows:
            return kept[1]
        with paused_gc():  # 60,000 small strings: no collection of the whole heap meanwhile
            by_key = {row.key: row for row in rows}
            keyed = (by_key, list(by_key))
        _BY_KEY = (rows, keyed)
        return keyed

    @classmethod
    def kept_by_key(cls, rows: list[ReviewRow]) -> Keyed | None:
        """`by_key` of these rows if it was made already (None otherwise: nothing made)."""
        kept = _BY_KEY
        return kept[1] if kept is not None and kept[0] is rows else None

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
