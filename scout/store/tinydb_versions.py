"""Versions in the local file (TinyDB): the same rule as the team database.

Each lieu and permit keeps its last `KEEP_LOCAL` documents in a table of its own
("lieu_versions", "permit_versions": one document per record, under the record's id), so a
save read at an older version is merged field by field, or refused when the same field
changed (scout.store.versioning). Nothing is written for records never edited.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from typing import Any

from tinydb.table import Document

from scout.errors import NotFound
from scout.i18n import _
from scout.store.versioning import Version, next_document

KEEP_LOCAL = 4  # one writer per file: a stale save comes from this process only


def save_versioned(
    repo: Any, kind: str, record_id: int, mine: dict[str, Any], read_version: int
) -> dict[str, Any]:
    """Store `mine` (read at `read_version`) over the record as its next version, merged
    if someone saved it meanwhile; returns the stored document. One journal line."""
    return save_many_versioned(repo, kind, [(record_id, mine, read_version)])[0]


def save_many_versioned(
    repo: Any, kind: str, items: Sequence[tuple[int, dict[str, Any], int]]
) -> list[dict[str, Any]]:
    """`save_versioned` for several records (each once: (id, mine, read version)), in
    one journal line: every document is worked out first, so an EditConflict (or a
    NotFound) on one of them leaves everything as it was."""
    if len({record_id for record_id, _mine, _read in items}) != len(items):
        raise ValueError("each record once per save_many_versioned")
    prepared = [_next(repo, kind, *item) for item in items]  # raises before any write
    records = "lieux" if kind == "lieu" else "permits"
    table_name = f"{kind}_versions"
    table = repo._db.table(table_name, cache_size=0)
    with repo.transaction():
        for record_id, doc, entry, new in prepared:
            overwrite(repo, records, record_id, doc)
            if new:
                table.insert(Document(entry, doc_id=record_id))
            else:
                overwrite(repo, table_name, record_id, entry)
    return [doc for _id, doc, _entry, _new in prepared]


def _next(
    repo: Any, kind: str, record_id: int, mine: dict[str, Any], read_version: int
) -> tuple[int, dict[str, Any], dict[str, Any], bool]:
    """(id, the document to store, its kept versions' entry, whether that entry is new)."""
    table_name = f"{kind}_versions"
    records = "lieux" if kind == "lieu" else "permits"
    stored = repo._live(records).get(str(record_id))
    if stored is None:
        if kind == "permit":
            raise NotFound(_("no permit with id {id}").format(id=record_id))
        raise NotFound(_("no location with id {id}").format(id=record_id))
    # Copies: the journal's documents are changed in place by the next overwrite.
    theirs: dict[str, Any] = deepcopy(stored)
    stored_version = int(theirs.get("version", 0))
    kept = repo._live(table_name).get(str(record_id))
    versions = [
        Version(v["n"], v.get("by", ""), deepcopy(v["doc"]))
        for v in (kept or {}).get("versions", [])
    ]
    if not any(v.number == stored_version for v in versions):
        versions.append(Version(stored_version, "", theirs))  # the base of the first edit
    user = author(repo)
    doc = next_document(
        kind,
        record_id,
        mine,
        read_version,
        theirs,
        stored_version,
        [v for v in versions if v.number >= read_version],
        user,
    )
    versions.append(Version(doc["version"], user, deepcopy(doc)))
    entry = {
        "versions": [{"n": v.number, "by": v.by, "doc": v.doc} for v in versions[-KEEP_LOCAL:]]
    }
    return record_id, doc, entry, kept is None


def overwrite(repo: Any, table_name: str, doc_id: int, doc: dict[str, Any]) -> None:
    def replace_doc(stored: dict[str, Any]) -> None:
        stored.clear()
        stored.update(doc)

    repo._db.table(table_name, cache_size=0).update(replace_doc, doc_ids=[doc_id])


def author(repo: Any) -> str:
    user = getattr(repo, "user", None)
    if not user:
        from scout.settings import current_user

        user = current_user()
        repo.user = user
    return str(user)
