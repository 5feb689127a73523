"""The geocoding cache, next to the database: the same address is never asked twice.

Keyed by the normalised query. Bounded: past `max_entries` the oldest answers go first.
Stored with the same journaled TinyDB storage as the database (a hit costs a dict read).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from scout.geocoding.candidates import Candidate
from scout.store.journal import JournalStorage, ScoutTinyDB

ENTRIES = "entries"


class GeocodeCache:
    def __init__(self, path: Path | None, max_entries: int = 5000, clock: Any = None) -> None:
        self.max_entries = max_entries
        self.clock = clock
        self._lock = threading.Lock()
        self._db: ScoutTinyDB | None = None
        self._file_lock: FileLock | None = None
        self._memory: dict[str, tuple[list[dict[str, Any]], str]] = {}
        self._ids: dict[str, int] = {}
        if path is None:
            return
        lock = FileLock(str(path) + ".lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return  # another scout holds it: this one keeps its answers in memory
        try:
            self._db = ScoutTinyDB(path, storage=JournalStorage, schema=1)
        except Exception:  # a damaged cache is not worth stopping for: it is only a cache
            lock.release()
            return
        self._file_lock = lock
        self._table = self._db.table(ENTRIES, cache_size=0)
        for doc_id, doc in self._storage().read().get(ENTRIES, {}).items():
            self._ids[doc["key"]] = int(doc_id)

    def _storage(self) -> JournalStorage:
        assert self._db is not None
        storage: JournalStorage = self._db.storage  # type: ignore[assignment]  # opened so
        return storage

    def get(self, key: str) -> list[Candidate] | None:
        with self._lock:
            if self._db is None:
                hit = self._memory.get(key)
                return [Candidate.from_dict(c) for c in hit[0]] if hit else None
            doc_id = self._ids.get(key)
            if doc_id is None:
                return None
            doc = self._storage().read()[ENTRIES][str(doc_id)]
            return [Candidate.from_dict(c) for c in doc["candidates"]]

    def put(self, key: str, candidates: list[Candidate]) -> None:
        stamp = self.clock.stamp() if self.clock else ""
        payload = [c.to_dict() for c in candidates]
        with self._lock:
            if self._db is None:
                self._memory[key] = (payload, stamp)
                while len(self._memory) > self.max_entries:
                    self._memory.pop(next(iter(self._memory)))
                return
            doc = {"key": key, "candidates": payload, "stored_at": stamp}
            with self._storage().transaction():
                old = self._ids.pop(key, None)
                if old is not None:
                    self._table.remove(doc_ids=[old])
                self._ids[key] = self._table.insert(doc)
                if len(self._ids) > self.max_entries:
                    self._evict()

    def _evict(self) -> None:
        """Drop the oldest tenth: ids grow with time, so the smallest are the oldest."""
        excess = len(self._ids) - self.max_entries + self.max_entries // 10
        oldest = sorted(self._ids.items(), key=lambda item: item[1])[:excess]
        self._table.remove(doc_ids=[doc_id for _, doc_id in oldest])
        for key, _ in oldest:
            del self._ids[key]

    def __len__(self) -> int:
        return len(self._ids) if self._db is not None else len(self._memory)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._file_lock is not None:
            self._file_lock.release()
            self._file_lock = None
