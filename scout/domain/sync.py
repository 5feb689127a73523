"""The pure part of field sync: a checkout's records (a local file's copy of a team
production) compared with their base and with the team's, each record's fate decided,
histories joined, ids translated between the two databases, a location said without its
password. No I/O: scout.services.sync reads and writes both sides.

Records are stored documents (plain dicts, see scout.store.documents) in the team's ids:
a local document is translated (its `production_id`, its `lieu_id`) before it is compared
with the base, which is the team's document as last seen by this checkout.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scout.domain.merge import BOOKKEEPING, Conflict, merge_fields

FORMAT = "scout-sync"
FORMAT_VERSION = 1
KINDS = ("lieu", "permit", "photo")  # in the order they are synced: a permit needs its lieu
# The fields that point at another record, per kind: translated between the two id spaces.
LINKS = {
    "lieu": ("production_id", "production"),
    "permit": ("lieu_id", "lieu"),
    "photo": ("lieu_id", "lieu"),
}
# A record deleted on one side while the other changed it: named like a field in a conflict.
DELETED = "(deleted)"


class Fate(StrEnum):
    """What a sync does with one record known to both sides (or to one of them)."""

    NOTHING = "nothing"
    PUSH = "push"  # changed here only: the team takes it
    PULL = "pull"  # changed by the team only: this file takes it
    MERGE = "merge"  # changed on both sides: field by field
    PUSH_DELETE = "push_delete"  # deleted here, unchanged by the team
    PULL_DELETE = "pull_delete"  # deleted by the team, unchanged here
    FORGET = "forget"  # deleted on both sides
    KEEP_TEAM = "keep_team"  # deleted here, changed by the team: the team's stays, comes back
    KEEP_MINE = "keep_mine"  # deleted by the team, changed here: brought back on the team


def fields_of(doc: dict[str, Any]) -> dict[str, Any]:
    """A document without what the stores keep themselves (version, times, history)."""
    return {k: v for k, v in doc.items() if k not in BOOKKEEPING}


def history_key(entry: dict[str, Any]) -> tuple[str, ...]:
    """One history entry, the same whichever store stamped its author."""
    return tuple(repr(entry.get(k)) for k in ("at", "field", "old", "new", "note"))


def new_entries(
    base: dict[str, Any], doc: dict[str, Any], log: str = "history"
) -> list[dict[str, Any]]:
    """The history entries `doc` has that `base` had not (`log`: "changes" for a permit's
    field edits)."""
    seen = {history_key(h) for h in base.get(log, ())}
    return [h for h in doc.get(log, ()) if history_key(h) not in seen]


def changed(base: dict[str, Any], doc: dict[str, Any]) -> bool:
    """Something a person did: a field, or a line of history (an undo leaves the fields
    as they were and two lines in the history: they are kept too)."""
    return fields_of(base) != fields_of(doc) or bool(new_entries(base, doc))


def fate(base: dict[str, Any], mine: dict[str, Any] | None, theirs: dict[str, Any] | None) -> Fate:
    """What becomes of a record both sides knew as `base` (None: deleted on that side)."""
    if mine is None and theirs is None:
        return Fate.FORGET
    if mine is None:
        assert theirs is not None
        return Fate.KEEP_TEAM if changed(base, theirs) else Fate.PUSH_DELETE
    if theirs is None:
        return Fate.KEEP_MINE if changed(base, mine) else Fate.PULL_DELETE
    mine_changed, theirs_changed = changed(base, mine), changed(base, theirs)
    if mine_changed and theirs_changed:
        return Fate.MERGE
    if mine_changed:
        return Fate.PUSH
    if theirs_changed:
        return Fate.PULL
    return Fate.NOTHING


def join_histories(
    base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any], log: str = "history"
) -> list[dict[str, Any]]:
    """The team's history, then the lines written here since base that it has not."""
    have = {history_key(h) for h in theirs.get(log, ())}
    return [
        *theirs.get(log, ()),
        *(h for h in new_entries(base, mine, log) if history_key(h) not in have),
    ]


@dataclass(frozen=True)
class Merged:
    doc: dict[str, Any]  # what both sides hold afterwards (the team's bookkeeping)
    conflicts: tuple[Conflict, ...]


def merge_record(
    kind: str,
    base: dict[str, Any],
    mine: dict[str, Any],
    theirs: dict[str, Any],
    *,
    at: str,
    by: str,
) -> Merged:
    """Both edits field by field (scout.domain.merge); on a field changed on both sides the
    team's value stays and the history keeps both: the two edits, joined, and a line that
    says the value here went from mine to the team's."""
    result = merge_fields(base, mine, theirs)
    doc = dict(result.merged)
    history = join_histories(base, mine, theirs)
    have = {history_key(h) for h in history}
    for c in result.conflicts:
        line = conflict_line(kind, c, doc, at=at, by=by)
        if line is not None and history_key(line) not in have:
            history.append(line)
    if history:
        doc["history"] = history
    changes = join_histories(base, mine, theirs, "changes")  # a permit's field edits
    if changes:
        doc["changes"] = changes
    return Merged(doc, result.conflicts)


def conflict_line(
    kind: str, conflict: Conflict, doc: dict[str, Any], *, at: str, by: str
) -> dict[str, Any] | None:
    """The history line that keeps the value not kept. A lieu's history names fields; a
    permit's says status changes, so the line keeps the status and notes both values."""
    if kind == "lieu":
        line = {"at": at, "field": conflict.field, "old": conflict.mine, "new": conflict.theirs}
    elif kind == "permit":
        status = doc.get("status", "to_request")
        note = f"{conflict.field}: {_brief(conflict.mine)} ≠ {_brief(conflict.theirs)}"
        line = {"at": at, "old": status, "new": status, "note": note}
    else:
        return None  # a picture keeps no history: the conflict list holds both values
    if by:
        line["by"] = by
    return line


def _brief(value: Any) -> str:
    return "—" if value in (None, "", [], {}) else str(value)


def last_author(doc: dict[str, Any] | None, field: str) -> str:
    """Who last changed `field` of a document, as its history says ("" if it does not)."""
    if not doc:
        return ""
    for entry in reversed(doc.get("history", ())):
        if entry.get("by") and (field == DELETED or entry.get("field", field) == field):
            return str(entry["by"])
    return str(doc.get("updated_by", "") or "")


def translate(
    kind: str, doc: dict[str, Any], ids: dict[str, dict[int, int]]
) -> dict[str, Any] | None:
    """A document with its link to another record in the other database's ids; None when
    that record has no counterpart there (a lieu of a production the checkout is not)."""
    key, target = LINKS[kind]
    value = doc.get(key)
    if value is None:
        return doc
    other = ids.get(target, {}).get(int(value))
    if other is None:
        return None
    return {**doc, key: other}


def fingerprint(kind: str, doc: dict[str, Any]) -> tuple[str, ...]:
    """What tells a record pushed by a sync cut short from any other: a new record is
    searched on the team side by it before it is pushed again."""
    if kind == "lieu":
        keys: tuple[str, ...] = ("name", "created_at", "production_id")
    elif kind == "permit":
        keys = ("lieu_id", "type", "created_at")
    else:
        keys = ("sha256", "path", "imported_at")
    return tuple(repr(doc.get(k)) for k in keys)


def safe_location(location: str) -> str:
    """Where a database is, to be written down: a file's path as it is, a URL without its
    password (in the authority or as a `password=` parameter)."""
    if "://" not in location:
        return location
    parts = urlsplit(location)
    netloc = parts.netloc
    if "@" in netloc:
        credentials, _sep, host = netloc.rpartition("@")
        user = credentials.split(":", 1)[0]
        netloc = f"{user}@{host}" if user else host
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k.lower() != "password"])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def same_database(a: str, b: str) -> bool:
    """Two locations naming one database: the same path, or the same server, port and
    database whoever connects (a colleague syncs with their own role)."""
    if "://" not in a or "://" not in b:
        return a == b
    return _server(a) == _server(b)


def _server(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    host = parts.hostname or query.get("host", "")  # a socket folder may come as ?host=
    port = parts.port or int(query.get("port", "5432") or 5432)
    return host, port, parts.path.strip("/") or query.get("dbname", "")


@dataclass(frozen=True)
class SyncConflict:
    """A field changed on both sides, waiting for a person's decision: the team's value
    was kept on both sides, the one written here is kept in the history and here."""

    kind: str  # "lieu", "permit", "photo"
    local_id: int
    team_id: int
    name: str  # the lieu's name (a permit's or a picture's lieu), for people
    field: str  # "decor", "accessibility.lift"; DELETED when one side deleted the record
    local: Any
    team: Any
    base: Any
    local_by: str
    team_by: str
    at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "local_id": self.local_id,
            "team_id": self.team_id,
            "name": self.name,
            "field": self.field,
            "local": self.local,
            "team": self.team,
            "base": self.base,
            "local_by": self.local_by,
            "team_by": self.team_by,
            "at": self.at,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SyncConflict:
        return cls(
            kind=str(d["kind"]),
            local_id=int(d["local_id"]),
            team_id=int(d["team_id"]),
            name=str(d.get("name", "")),
            field=str(d["field"]),
            local=d.get("local"),
            team=d.get("team"),
            base=d.get("base"),
            local_by=str(d.get("local_by", "")),
            team_by=str(d.get("team_by", "")),
            at=str(d.get("at", "")),
        )
