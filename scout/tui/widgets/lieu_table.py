"""The lieux of the production, one line each: sorted by any column (décor then name
first), filtered as you type by words and tokens (scout.present.lieu_filter)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from functools import cache
from typing import Any

from scout.domain.lieu import ScoutingStatus
from scout.domain.values import fold
from scout.i18n import N_, current_language
from scout.present.labels import arrondissement_label, status_label
from scout.present.lieu_filter import LieuSearch, Query, WordIndex, parse_query
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


_STATUS_ORDER = {m.value: i for i, m in enumerate(ScoutingStatus)}
DECOR_COLUMN = 2


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
    SORTABLE = True
    DEFAULT_SORT = DECOR_COLUMN  # décor, then name: the order of a scouting file

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.search = LieuSearch(self.row_words)
        self.lieu_query = Query()

    @classmethod
    def row_id(cls, row: LieuRow) -> int:
        return row.id

    @classmethod
    def row_arrondissement(cls, row: LieuRow) -> int | None:
        return row.arrondissement

    @classmethod
    def row_keys(cls, row: LieuRow) -> Keys:
        """The sort key only: the words are the search's (`row_words`), read when a
        filter is first typed, not for every row before the first paint."""
        return (_folded(row.decor), fold(row.name), row.id), ""

    @classmethod
    def row_words(cls, row: LieuRow) -> str:
        """The words of the row itself (name, décor, status, arrondissement), folded.
        Décors, statuses and arrondissements repeat: they are folded once each."""
        return (
            f"{fold(row.name)} {_folded(row.decor)} "
            f"{_tail(row.status, row.arrondissement, current_language())}"
        )

    def sort_key(self, row: LieuRow, column: int) -> Any:
        decor, name = _folded(row.decor), _folded(row.name)
        if column == 0:
            return row.id
        if column == 1:
            return (name, decor, row.id)
        if column == 3:
            arr = row.arrondissement if row.arrondissement is not None else 99
            return (arr, decor, name, row.id)
        if column == 4:
            return (_STATUS_ORDER.get(row.status, 99), decor, name, row.id)
        if column == 5:
            return (row.pmr_assessed, decor, name, row.id)
        if column == 6:  # no shoot day to come: last
            return (row.next_shoot or "9999", decor, name, row.id)
        return (decor, name, row.id)

    # -- the filter ---------------------------------------------------------------------
    def load(
        self, prepared: dict[Hashable, tuple[LieuRow, Keys]], filter_text: str | None = None
    ) -> None:
        if filter_text is not None:
            self.lieu_query = parse_query(filter_text)
        self.search.rows = {}  # (no filter on the old rows while the new ones come in)
        super().load(prepared, filter_text)

    def upsert(self, row: LieuRow) -> None:
        self.search.upsert(row)  # (first: the table's filter reads what the search knows)
        super().upsert(row)

    def remove_row(self, row_id: Hashable) -> None:
        super().remove_row(row_id)
        if isinstance(row_id, int):
            self.search.remove(row_id)

    def set_filter(self, text: str) -> None:
        """Read the box (`self.lieu_query.errors` says what could not be read) and show the
        rows it keeps."""
        self.lieu_query = parse_query(text)
        super().set_filter(text)

    def matching(self) -> set[Hashable] | None:
        if self.search.rows is not self._rows:  # the search reads the table's own rows
            self.search.set_rows(self._rows)  # type: ignore[arg-type]
        if self.lieu_query.empty:
            return None
        return self.search.select(self.lieu_query)  # type: ignore[return-value]

    def install_index(self, index: WordIndex, texts: Mapping[int, str]) -> None:
        """Every lieu's words, read and indexed in a worker."""
        self.search.install(index, texts)
        if not self.lieu_query.empty:
            self._refilter()
            self._reorder()

    def set_search_text(self, lieu_id: int, text: str) -> None:
        self.search.set_text(lieu_id, text)
        if not self.lieu_query.empty:
            self._refilter()
            self._reorder()

    def set_permit_states(self, states: dict[int, frozenset[str]]) -> None:
        self.search.set_permits(states)
        if self.lieu_query.needs_permits:
            self._refilter()
            self._reorder()

    # -- drawing ------------------------------------------------------------------------
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
