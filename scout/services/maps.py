"""Maps: the lieux a map shows, and the features a map file brings in.

Where a lieu came from (the `source_id` of the file it was imported from) is kept as a
tag `source:<id>` on the lieu: the fiche has no field of its own for it yet. Importing a
file again updates the lieux whose source id it carries (their fields are set to the
file's; their history records what changed) instead of adding copies; a feature without
a source id is always added.

A map file written by scout gives every lieu a source id: the one it was imported with,
else one of its own, `scout:<id>@<created_at>` (this database's id and the moment the
lieu was created, to the second). The moment makes it the lieu's and no other's: lieu 3
of another database has the same id, not (but for a copy of this very database) the same
moment. So a file scout wrote, imported into another database, updates there what it
added the first time; imported into the database it came from, each feature finds the
lieu it was written from (same id, same creation moment, no source id of its own; for
`scout:<id>` alone, the same id and the same name) and updates it instead of adding a copy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scout.domain import Lieu
from scout.domain.lieu import PositionSource
from scout.domain.values import fold
from scout.errors import NotFound
from scout.i18n import _

if TYPE_CHECKING:
    from scout.exports.geojson import MapEntry
    from scout.services.workspace import Workspace

SOURCE_TAG = "source:"
OWN_PREFIX = "scout:"
_OWN = re.compile(r"scout:(\d+)(?:@(\S+))?")
_DASHES = re.compile("[-\u2010-\u2015\u2212]")
Progress = Callable[[int, int], None]


def source_id_of(lieu: Lieu) -> str | None:
    """The id the lieu had in the file it was imported from, if it was."""
    for tag in lieu.tags:
        if tag.startswith(SOURCE_TAG):
            return tag[len(SOURCE_TAG) :]
    return None


def own_source_id(lieu: Lieu) -> str:
    """The source id a map file gives a lieu that was not imported: `scout:<id>@<created>`
    (`scout:<id>` for a lieu of an old database that has no creation moment)."""
    stamp = "".join(lieu.created_at.split())
    return f"{OWN_PREFIX}{lieu.id}@{stamp}" if stamp else f"{OWN_PREFIX}{lieu.id}"


def export_source_id(lieu: Lieu) -> str:
    """The source id a map file writes: the one the lieu was imported with, else its own."""
    return source_id_of(lieu) or own_source_id(lieu)


def decor_key(text: str) -> str:
    """How décors are compared: any case, no accents, any dash, any spacing —
    « Café — int. jour » is « CAFE - INT. JOUR »."""
    return fold(_DASHES.sub(" - ", text))


@dataclass(frozen=True)
class MapLieux:
    """What a map shows: the placed lieux by id, with the source ids a file writes; how
    many lieux were left out for want of a position; the décors asked for, as the
    lieux spell them (empty: every décor)."""

    placed: list[tuple[Lieu, str]]
    unplaced: int
    decors: tuple[str, ...] = ()


def map_lieux(ws: Workspace, decor: str | None = None) -> MapLieux:
    """The lieux of a map: all of them, or the ones of one décor (by name, in any case,
    with or without accents; NotFound naming the known décors for an unknown one)."""
    with ws.lock:
        lieux = list(filter(ws.lieux.in_current, ws.store.query_lieux()))  # the production's
    decors: tuple[str, ...] = ()
    if decor is not None:
        wanted = decor_key(decor)
        every = lieux
        lieux = [lieu for lieu in every if lieu.decor.strip() and decor_key(lieu.decor) == wanted]
        if not lieux:
            known = sorted({lieu.decor for lieu in every if lieu.decor.strip()}, key=str.casefold)
            raise NotFound(
                _("No décor named «{decor}». Décors: {known}").format(
                    decor=decor, known=", ".join(f"«{k}»" for k in known) or "—"
                )
            )
        decors = tuple(sorted({lieu.decor for lieu in lieux}, key=str.casefold))
    lieux.sort(key=lambda lieu: lieu.id or 0)
    placed = [(lieu, export_source_id(lieu)) for lieu in lieux if lieu.position is not None]
    return MapLieux(placed, len(lieux) - len(placed), decors)


@dataclass(frozen=True)
class ImportCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def _own_lieu(source_id: str, lieux: dict[int, Lieu], name: str) -> Lieu | None:
    """The lieu of this database that a `scout:<id>@<created_at>` source id names: the
    same id, created at the same moment, never imported (an imported lieu is written with
    the source id it came with). For `scout:<id>` alone (a lieu of an old database,
    without a creation moment) the name must be the same too."""
    match = _OWN.fullmatch(source_id)
    if match is None:
        return None
    lieu = lieux.get(int(match.group(1)))
    if lieu is None or source_id_of(lieu) is not None or own_source_id(lieu) != source_id:
        return None
    if match.group(2) is None and " ".join(lieu.name.split()) != " ".join(name.split()):
        return None
    return lieu


def _same_place(lieu: Lieu, raw: dict[str, Any]) -> bool:
    """The file's point is the lieu's, as a map file writes it (6 decimals)."""
    pos = lieu.position
    if pos is None:
        return False
    return (round(pos.lon, 6), round(pos.lat, 6)) == (round(raw["lon"], 6), round(raw["lat"], 6))


def import_entries(
    ws: Workspace, entries: Sequence[MapEntry], progress: Progress | None = None
) -> ImportCounts:
    """Save checked features as one transaction: all of them, or none."""
    added = updated = unchanged = 0
    with ws.transaction():
        lieux = {lieu.id: lieu for lieu in ws.store.query_lieux() if lieu.id is not None}
        known = {
            sid: lieu_id
            for lieu_id, lieu in lieux.items()
            if (sid := source_id_of(lieu)) is not None
        }
        for done, entry in enumerate(entries, start=1):
            lieu_id = None
            if entry.source_id is not None:
                lieu_id = known.get(entry.source_id)
                if lieu_id is None:
                    own = _own_lieu(entry.source_id, lieux, entry.raw["name"])
                    lieu_id = own.id if own is not None else None
            if lieu_id is not None:
                before = ws.lieux.get(lieu_id)
                raw = dict(entry.raw)
                if _same_place(before, raw):  # not moved: its position (and where it
                    del raw["lat"], raw["lon"]  # came from) stays as it is
                after = ws.lieux.edit(lieu_id, raw, PositionSource.IMPORTED)
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
