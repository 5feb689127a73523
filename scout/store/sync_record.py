"""The sync record of a checkout, kept inside the checkout's own TinyDB file.

Four tables beside the lieux, written in the same transactions as the records they
describe (a pulled lieu and its new base are one journal line):

    sync            one document: {"format": "scout-sync", "version": 1,
                    "source": {"location": <path or URL without password>},
                    "production": {"team_id", "local_id", "name", "created_at"},
                    "checked_out_at", "synced_at", "by"}
    sync_records    one document per record: {"kind": "lieu"|"permit"|"photo",
                    "local": <id here>, "team": <id in the team database>,
                    "base": <the team's document as this checkout last saw it>}
    sync_conflicts  one document per field waiting for a decision (SyncConflict.to_dict)
    sync_pending    the new records being pushed: {"kind", "local", "fingerprint"} each; a
                    sync cut short looks for them on the team side before pushing again
"""

from __future__ import annotations

from typing import Any

from scout.store.tinydb_store import TinyDBRepository

HEADER, RECORDS, CONFLICTS, PENDING = "sync", "sync_records", "sync_conflicts", "sync_pending"


class SyncRecord:
    """Reads and writes a checkout's sync tables (in the store's transactions)."""

    def __init__(self, store: TinyDBRepository) -> None:
        self.store = store
        # the file's own tables, through its journaled TinyDB (the Repository protocol has
        # no room for them: only a checkout, always a local file, carries them)
        self._db = store._db
        self._index: dict[tuple[str, int], int] = {}
        for key, doc in self._live(RECORDS).items():
            self._index[(doc["kind"], int(doc["local"]))] = int(key)

    def _live(self, table: str) -> dict[str, Any]:
        live: dict[str, Any] = self.store._storage.read().get(table, {})
        return live

    # -- the header ---------------------------------------------------------------------
    def header(self) -> dict[str, Any] | None:
        doc = self._live(HEADER).get("1")
        return dict(doc) if isinstance(doc, dict) else None

    def write_header(self, header: dict[str, Any]) -> None:
        table = self._db.table(HEADER, cache_size=0)
        if "1" in self._live(HEADER):
            _overwrite(table, 1, header)
        else:
            table.insert(header)

    # -- one document per record -----------------------------------------------------------
    def records(self, kind: str) -> dict[int, tuple[int, dict[str, Any]]]:
        """{local id: (team id, base)} of one kind."""
        return {
            int(d["local"]): (int(d["team"]), d["base"])
            for d in self._live(RECORDS).values()
            if d["kind"] == kind
        }

    def set_record(self, kind: str, local: int, team: int, base: dict[str, Any]) -> None:
        doc = {"kind": kind, "local": local, "team": team, "base": base}
        table = self._db.table(RECORDS, cache_size=0)
        key = self._index.get((kind, local))
        if key is None:
            self._index[(kind, local)] = table.insert(doc)
        else:
            _overwrite(table, key, doc)

    def drop_record(self, kind: str, local: int) -> None:
        key = self._index.pop((kind, local), None)
        if key is not None:
            self._db.table(RECORDS, cache_size=0).remove(doc_ids=[key])

    # -- conflicts ------------------------------------------------------------------------
    def conflicts(self) -> list[tuple[int, dict[str, Any]]]:
        return [(int(k), d) for k, d in self._live(CONFLICTS).items()]

    def add_conflict(self, conflict: dict[str, Any]) -> None:
        self._db.table(CONFLICTS, cache_size=0).insert(conflict)

    def drop_conflict(self, key: int) -> None:
        self._db.table(CONFLICTS, cache_size=0).remove(doc_ids=[key])

    # -- the push in flight -------------------------------------------------------------------
    def pending(self) -> list[dict[str, Any]]:
        return [dict(d) for d in self._live(PENDING).values()]

    def set_pending(self, pending: list[dict[str, Any]]) -> None:
        table = self._db.table(PENDING, cache_size=0)
        keys = [int(k) for k in self._live(PENDING)]
        if keys:
            table.remove(doc_ids=keys)
        if pending:
            table.insert_multiple(pending)


def _overwrite(table: Any, doc_id: int, doc: dict[str, Any]) -> None:
    def replace_doc(stored: dict[str, Any]) -> None:
        stored.clear()
        stored.update(doc)

    table.update(replace_doc, doc_ids=[doc_id])
