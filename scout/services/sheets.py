"""The workspace's side of the spreadsheets: what the exports read, and the import of
checked rows, saved as one transaction (all of them, or none)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
        lieux = sorted(  # the current production's
            filter(ws.lieux.in_current, ws.store.query_lieux()), key=lambda lieu: lieu.id or 0
        )
        permits: dict[int, list[Permit]] = {}
        for p in ws.store.permits():
            permits.setdefault(p.lieu_id, []).append(p)
        productions = {p.id: p.name for p in ws.store.list_productions() if p.id is not None}
    ids = {lieu.id for lieu in lieux}
    rows = [r for r in ws.permits.review().rows if r.lieu_id in ids] if review else []
    return SheetData(lieux, permits, productions, rows)


@dataclass(frozen=True)
class ImportReport:
    added: list[int]  # the new lieux' ids
    updated: list[int]  # rows whose lieu's history got new entries (side effects included)
    unchanged: list[int]
    unretained: list[int] = field(default_factory=list)  # lieux not in the file that lost ★


def import_rows(
    ws: Workspace,
    rows: Sequence[ImportRow],
    progress: Progress | None = None,
    source: str = "",
) -> ImportReport:
    """Rows with the id of a lieu of the database update it (`lieux.edit`: only the cells
    that differ change, each change in its history); rows without an id, or with an id
    this database does not have (a file from another database), are added as new lieux.
    All in one transaction: a failure saves nothing. Two rows that retain a lieu (★) for
    the same décor of a production raise RetainedConflict (`source` names the file).

    A row counts as updated when its lieu's history got new entries by the end of the
    import, whatever made them: its own cells, or another row that took its ★."""
    from scout.exports.csv_import import RetainedConflict

    added: list[int] = []
    edited: list[tuple[int, bool]] = []  # (lieu, whether its own row added to its history)
    retained_by: dict[tuple[str, int | None], int] = {}  # (décor, production) → line
    rivals: set[int] = set()  # the lieux whose ★ a row took (each gets a line of history)
    with ws.transaction():
        current = ws.lieux.all_rows()  # an id of any production updates that lieu
        existing = {r.id for r in current}
        # who holds the ★ of each décor (of a production), kept up to date row by row
        holders: dict[tuple[str, int | None], set[int]] = {}
        for r in current:
            if r.retained and r.decor:
                holders.setdefault((r.decor, r.production_id), set()).add(r.id)
        productions = {p.name: p.id for p in ws.lieux.productions()}
        for done, row in enumerate(rows, start=1):
            before = None
            if row.lieu_id is not None and row.lieu_id in existing:
                before = ws.lieux.get(row.lieu_id)
                lieu = ws.lieux.edit(row.lieu_id, row.entry, row.entry.source)
                edited.append((row.lieu_id, lieu.history != before.history))
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
            assert lieu.id is not None
            if before is not None and before.retained and before.decor:
                holders.get((before.decor, before.production_id), set()).discard(lieu.id)
            if lieu.retained and lieu.decor:
                key = (lieu.decor, lieu.production_id)
                if before is None or not before.retained:  # it took the others' ★
                    rivals.update(holders.get(key, set()) - {lieu.id})
                    holders[key] = {lieu.id}
                else:
                    holders.setdefault(key, set()).add(lieu.id)
                if row.entry.values.get("retained") is True:
                    if key in retained_by:
                        raise RetainedConflict(source, retained_by[key], row.line, lieu.decor)
                    retained_by[key] = row.line
            if progress is not None and (done % 200 == 0 or done == len(rows)):
                progress(done, len(rows))
    # counted at the end: a row read later may have taken the ★ of a lieu already read
    updated = [i for i, grew in edited if grew or i in rivals]
    unchanged = [i for i, grew in edited if not (grew or i in rivals)]
    in_file = {i for i, _grew in edited} | set(added)
    return ImportReport(added, updated, unchanged, sorted(rivals - in_file))
