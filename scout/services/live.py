"""Team mode, live: what the others change, who else is here, whether the server answers.

Only a team database (PostgreSQL) has any of it: the store's `listen` (LISTEN/NOTIFY)
and a presence connection (scout.store.pg_presence). A local file is never "live":
`available` is False and nothing here runs.

The faces run `listen` in a worker thread and `heartbeat` every few seconds in another;
both call back with events (`LiveChange`, `Resync`, `Online`) that the face applies on
its own thread. The changes this workspace made itself (its own connections) are left
out: the person saw them already.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scout.errors import DatabaseUnreachable, ScoutError
from scout.services.lieux import Service

if TYPE_CHECKING:
    from scout.domain.sync import SyncConflict
    from scout.services.workspace import Workspace
    from scout.store.pg_presence import Heartbeat, Presence

# The stored tables, as the rest of scout names the records.
KINDS = {"lieux": "lieu", "permits": "permit", "productions": "production", "photos": "photo"}
HEARTBEAT_S = 3.0  # how often the presence is said and the others' read
RECENT_S = 15 * 60  # how long the fiche says who changed a lieu


@dataclass(frozen=True)
class LiveChange:
    """One change committed by someone else: a lieu, a permit, a production, a picture."""

    kind: str  # "lieu", "permit", "production", "photo"
    op: str  # "insert", "update", "delete"
    id: int
    version: int | None
    by: str
    production_id: int | None
    fields: tuple[str, ...] = ()  # the stored fields it changed ("decor", "logistics.power")
    at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class Resync:
    """Back after a drop: what changed meanwhile (nothing was announced then)."""

    lieux: tuple[int, ...]
    permits: tuple[int, ...]
    deleted: tuple[int, ...]
    everything: bool = False  # what changed could not be read: read everything again


@dataclass(frozen=True)
class Online:
    """The server answers again (True) or no longer does (False, with libpq's reason)."""

    online: bool
    reason: str = ""


@dataclass(frozen=True)
class Present:
    """Who else has the current production open."""

    others: tuple[str, ...]


LiveEvent = LiveChange | Resync | Online | Present


class LiveService(Service):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self._presence: Presence | None = None
        self._state = threading.Lock()
        self._listening = True  # until told otherwise
        self._reachable = True
        self._online = True
        self._seq = 0  # the change number last seen while online
        self._recent: dict[int, LiveChange] = {}  # the last change of each lieu, by others

    @property
    def available(self) -> bool:
        """A team database: the others' changes are heard, and who else is here."""
        return callable(getattr(self.store, "listen", None))

    @property
    def online(self) -> bool:
        """False while the server does not answer (a local file is always online)."""
        return self._online

    # -- listening ---------------------------------------------------------------------
    def listen(
        self,
        on_event: Callable[[LiveEvent], None],
        stop: threading.Event,
        ready: threading.Event | None = None,
    ) -> None:
        """Blocks until `stop` (run it in a worker thread): each change by someone else
        as a LiveChange, a Resync after a drop, Online when the server goes or comes."""
        if not self.available:
            return
        try:
            self._seq = self.store.version
        except DatabaseUnreachable:
            pass

        def heard(raw: dict[str, Any]) -> None:
            try:
                for event in self._events(raw):
                    on_event(event)
            except ScoutError:  # the server went while we read: the next event says so
                pass

        store: Any = self.store  # (a team store: `available` said so)
        store.listen(heard, stop, ready=ready, others_only=True)

    def _events(self, raw: dict[str, Any]) -> list[LiveEvent]:
        op = str(raw.get("op", ""))
        if op == "disconnected":
            self._listening = False
            return self._status("")
        if op == "reconnected":
            self._listening = self._reachable = True
            store: Any = self.store
            try:
                seq, lieux, permits, deleted = store.changes_since(self._seq)
            except ScoutError:  # gone again, or the pool not back yet
                return [Resync((), (), (), everything=True), *self._status("")]
            self._seq = seq
            return [Resync(tuple(lieux), tuple(permits), tuple(deleted)), *self._status("")]
        kind = KINDS.get(str(raw.get("table", "")))
        record_id = raw.get("id")
        if kind is None or not isinstance(record_id, int):
            return []
        version = raw.get("version")
        production = raw.get("production_id")
        change = LiveChange(
            kind,
            op,
            record_id,
            version if isinstance(version, int) else None,
            str(raw.get("by") or ""),
            production if isinstance(production, int) else None,
        )
        if kind == "lieu" and op == "update" and change.version is not None:
            change = LiveChange(
                **{**change.__dict__, "fields": self.changed_fields(record_id, change.version)}
            )
        if kind == "lieu":
            with self._state:
                if op == "delete":
                    self._recent.pop(record_id, None)
                else:
                    self._recent[record_id] = change
        return [change]

    def changed_fields(self, lieu_id: int, version: int) -> tuple[str, ...]:
        """The fields a lieu's version changed from the one before (stored names);
        empty when the version before is no longer kept."""
        history = getattr(self.store, "history_of", None)
        if history is None:
            return ()
        docs = {n: doc for n, _by, doc in history("lieu", lieu_id)}
        before, after = docs.get(version - 1), docs.get(version)
        if before is None or after is None:
            return ()
        return tuple(_differences(before, after))

    def last_change(self, lieu_id: int) -> LiveChange | None:
        """The last change someone else made to this lieu while it was open here (the
        last quarter of an hour), for the fiche."""
        with self._state:
            change = self._recent.get(lieu_id)
        if change is None or time.time() - change.at > RECENT_S:
            return None
        return change

    # -- presence and the server's health ------------------------------------------------
    def heartbeat(self) -> list[LiveEvent]:
        """Say we are here, read who else is (Present), and whether the server answers
        (Online when that changed). Called every HEARTBEAT_S seconds by a worker."""
        if not self.available:
            return []
        if self._presence is None:
            from scout.store.pg_presence import presence_of

            self._presence = presence_of(self.store)
            if self._presence is None:
                return []
        try:
            beat: Heartbeat = self._presence.beat(self.ws.productions.current_id())
        except DatabaseUnreachable as e:
            self._reachable = False
            return self._status(str(e))
        except ScoutError:
            return []
        self._reachable = True
        if self._online:
            self._seq = max(self._seq, beat.seq)
        return [Present(beat.others), *self._status("")]

    def went_away(self, reason: str) -> list[LiveEvent]:
        """A save or a read found the server gone: say it now, not at the next beat."""
        self._reachable = False
        return self._status(reason)

    def _status(self, reason: str) -> list[LiveEvent]:
        now = self._listening and self._reachable
        with self._state:
            if now == self._online:
                return []
            self._online = now
        return [Online(now, reason)]

    def close(self) -> None:
        if self._presence is not None:
            self._presence.close()
            self._presence = None

    # -- a checkout's conflicts (scout sync) ----------------------------------------------
    def keep_mine(self, conflict: SyncConflict) -> None:
        """The value written here wins: saved again (the team gets it at the next sync),
        and the conflict leaves the list."""
        from scout.store.documents import (
            lieu_from_dict,
            lieu_to_dict,
            permit_from_dict,
            permit_to_dict,
        )

        with self.ws.transaction():
            if conflict.kind == "lieu":
                lieu = self.store.get_lieu(conflict.local_id)
                doc = _with_field(lieu_to_dict(lieu), conflict.field, conflict.local)
                self.ws.lieux.revert(lieu_from_dict(doc, conflict.local_id))
            elif conflict.kind == "permit":
                permit = self.store.get_permit(conflict.local_id)
                doc = _with_field(permit_to_dict(permit), conflict.field, conflict.local)
                self.store.update_permit(permit_from_dict(doc, conflict.local_id))
            self.ws.resolve_sync_conflict(conflict)


def _differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    from scout.domain.merge import BOOKKEEPING

    out: list[str] = []
    for key in sorted(set(before) | set(after)):
        if key in BOOKKEEPING or key == "history":
            continue
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            out += [f"{key}.{k}" for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
        else:
            out.append(key)
    return out


def _with_field(doc: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    """The document with one stored field ("decor", "accessibility.lift") set."""
    doc = dict(doc)
    head, _, rest = name.partition(".")
    if rest:
        doc[head] = {**(doc.get(head) or {}), rest: value}
    else:
        doc[head] = value
    return doc
