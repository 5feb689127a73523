"""Maps: the lieux a map shows, and the features a map file brings in.

Where a lieu came from (the `source_id` of the file it was imported from) is kept as a
tag `source:<id>` on the lieu: the fiche has no field of its own for it yet. Importing a
file again updates the lieux whose source id it carries (their fields are set to the
file's; their history records what changed) instead of adding copies; a feature without
a source id is always added.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scout.domain import Lieu
from scout.domain.lieu import PositionSource

if TYPE_CHECKING:
    from scout.exports.geojson import MapEntry
    from scout.services.workspace import Workspace

SOURCE_TAG = "source:"
Progress = Callable[[int, int], None]


def source_id_of(lieu: Lieu) -> str | None:
    """The id the lieu had in the file it was imported from, if it was."""
    for tag in lieu.tags:
        if tag.startswith(SOURCE_TAG):
            return tag[len(SOURCE_TAG) :]
    return None


@dataclass(frozen=True)
class MapLieux:
    """What a map shows: the placed lieux by id, with their source ids; how many lieux
    were left out for want of a position."""

    placed: list[tuple[Lieu, str | None]]
    unplaced: int


def map_lieux(ws: Workspace, decor: str | None = None) -> MapLieux:
    with ws.lock:
        lieux = ws.store.query_lieux()
    if decor is not None:
        lieux = [lieu for lieu in lieux if lieu.decor == decor]
    lieux.sort(key=lambda lieu: lieu.id or 0)
    placed = [(lieu, source_id_of(lieu)) for lieu in lieux if lieu.position is not None]
    return MapLieux(placed, len(lieux) - len(placed))


@dataclass(frozen=True)
class ImportCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def import_entries(
    ws: Workspace, entries: Sequence[MapEntry], progress: Progress | None = None
) -> ImportCounts:
    """Save checked features as one transaction: all of them, or none."""
    added = updated = unchanged = 0
    with ws.transaction():
        known = {
            sid: lieu.id
            for lieu in ws.store.query_lieux()
            if (sid := source_id_of(lieu)) is not None and lieu.id is not None
        }
        for done, entry in enumerate(entries, start=1):
            lieu_id = known.get(entry.source_id) if entry.source_id is not None else None
            if lieu_id is not None:
                before = ws.lieux.get(lieu_id)
                after = ws.lieux.edit(lieu_id, entry.raw, PositionSource.IMPORTED)
                if after is before or after.history == before.history:
                    unchanged += 1
                else:
                    updated += 1
            else:
                raw = dict(entry.raw)
                if entry.source_id is not None:
                    raw["tags"] = [SOURCE_TAG + entry.source_id]
                ws.lieux.add(raw, source=PositionSource.IMPORTED)
                added += 1
            if progress is not None and (done % 200 == 0 or done == len(entries)):
                progress(done, len(entries))
    return ImportCounts(added, updated, unchanged)
