"""The workspace's side of the spreadsheets: what the exports read, and the import of
checked rows, saved as one transaction (all of them, or none)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scout.domain.permit import Permit

if TYPE_CHECKING:
    from scout.exports.csv_import import ImportRow
    from scout.exports.sheets import SheetData
    from scout.services.workspace import Workspace

Progress = Callable[[int, int], None]


def sheet_data(ws: Workspace, *, review: bool = True) -> SheetData:
    """The lieux (by id), their permits and the productions' names; the permits'
    review when the permits sheet is wanted."""
    from scout.exports.sheets import SheetData

    with ws.lock:
        lieux = sorted(ws.store.query_lieux(), key=lambda lieu: lieu.id or 0)
        permits: dict[int, list[Permit]] = {}
        for p in ws.store.permits():
            permits.setdefault(p.lieu_id, []).append(p)
        productions = {p.id: p.name for p in ws.store.list_productions() if p.id is not None}
    rows = ws.permits.review().rows if review else ()
    return SheetData(lieux, permits, productions, rows)


@dataclass(frozen=True)
class ImportReport:
    added: list[int]  # the new lieux' ids
    updated: list[int]
    unchanged: list[int]


def import_rows(
    ws: Workspace, rows: Sequence[ImportRow], progress: Progress | None = None
) -> ImportReport:
    """Rows with the id of a lieu of the database update it (`lieux.edit`: only the cells
    that differ change, each change in its history); rows without an id, or with an id
    this database does not have (a file from another database), are added as new lieux.
    All in one transaction: a failure saves nothing."""
    added: list[int] = []
    updated: list[int] = []
    unchanged: list[int] = []
    with ws.transaction():
        existing = {r.id for r in ws.lieux.rows()}
        productions = {p.name: p.id for p in ws.lieux.productions()}
        for done, row in enumerate(rows, start=1):
            if row.lieu_id is not None and row.lieu_id in existing:
                before = ws.lieux.get(row.lieu_id)
                after = ws.lieux.edit(row.lieu_id, row.entry, row.entry.source)
                (updated if after.history != before.history else unchanged).append(row.lieu_id)
            else:
                production_id = None
                if row.production:
                    production_id = productions.get(row.production)
                    if production_id is None:
                        production_id = ws.lieux.add_production(row.production).id
                        productions[row.production] = production_id
                lieu = ws.lieux.add(row.entry, production_id=production_id, source=row.entry.source)
                assert lieu.id is not None
                added.append(lieu.id)
            if progress is not None and (done % 200 == 0 or done == len(rows)):
                progress(done, len(rows))
    return ImportReport(added, updated, unchanged)
