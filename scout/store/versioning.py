"""Versions of lieux and permits, and what happens when a save comes from an older one.

Every save stores the record as version N + 1 and keeps the document of each version (the
last `KEEP_VERSIONS`) with who saved it. A save that was read at version R < N is merged
field by field (scout.domain.merge) with the document of version R as the base: fields
changed on one side only are kept from both sides; a field both changed differently is
refused (EditConflict) naming the field, who changed it and to what. Nothing is lost
silently. Both stores (TinyDB, PostgreSQL) call `next_document`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from scout.domain.merge import Conflict, merge_fields
from scout.errors import EditConflict
from scout.i18n import _

KEEP_VERSIONS = 50  # per record: a save read more than that many saves ago is refused

LIEU, PERMIT = "lieu", "permit"


class Version:
    """One stored version of a record: its number, its author and its document."""

    __slots__ = ("by", "doc", "number")

    def __init__(self, number: int, by: str, doc: dict[str, Any]) -> None:
        self.number, self.by, self.doc = number, by, doc


def next_document(
    kind: str,
    record_id: int,
    mine: dict[str, Any],
    read_version: int,
    theirs: dict[str, Any],
    stored_version: int,
    versions: Sequence[Version],
    user: str,
) -> dict[str, Any]:
    """The document to store as version `stored_version + 1`.

    `mine` is what this person saves, read at `read_version`; `theirs` is what is stored
    now, at `stored_version`; `versions` the kept versions from `read_version` on (the
    base first), oldest first. Raises EditConflict when the same field was changed on
    both sides (nothing is saved)."""
    if read_version == stored_version:
        doc = dict(mine)
    else:
        base = next((v.doc for v in versions if v.number == read_version), None)
        if base is None or read_version > stored_version:
            raise EditConflict(
                _(
                    "{what} was saved by others {count} times since you opened it: "
                    "nothing was saved. Open it again and redo your change."
                ).format(what=describe(kind, record_id), count=stored_version - read_version)
            )
        result = merge_fields(base, mine, theirs)
        if result.conflicts:
            first = result.conflicts[0]
            later = [v for v in versions if v.number > read_version]
            by = changed_by(first.field, base, later) or _("someone")
            raise field_conflict(
                _(
                    "{what}: {by} changed “{field}” to {theirs} since you opened it; "
                    "your value {mine} was not saved, nor anything else of this save. "
                    "Open it again to see their version."
                ),
                first,
                by,
                what=describe(kind, record_id),
            )
        doc = {k: v for k, v in result.merged.items() if v != {}}  # sparse, as written
        if mine.get("updated_at"):
            doc["updated_at"] = mine["updated_at"]
        # The history: theirs, then the entries this save adds.
        for log in ("history", "changes"):  # a permit's field edits: kept as its history
            added = mine.get(log, [])[len(base.get(log, [])) :]
            history = list(theirs.get(log, [])) + list(added)
            if history:
                doc[log] = history
    for log in ("history", "changes"):
        if doc.get(log):
            doc[log] = [h if h.get("by") else {**h, "by": user} for h in doc[log]]
    doc["version"] = stored_version + 1
    return doc


def changed_by(field: str, base: dict[str, Any], later: Sequence[Version]) -> str:
    """Who last changed `field` ("a.b" for a nested one) after `base`: "" when unknown."""
    who, previous = "", _value(base, field)
    for version in later:
        value = _value(version.doc, field)
        if value != previous:
            who, previous = version.by, value
    return who


def _value(doc: dict[str, Any], field: str) -> Any:
    value: Any = doc
    for part in field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def field_conflict(message: str, conflict: Conflict, by: str, **names: str) -> EditConflict:
    """The EditConflict for one field changed by `by` since it was read: `message` (already
    translated) filled with {by}, {field}, {theirs}, {mine} and `names`. One place, so a save
    refused here and an undo refused in the services carry the same details (the TUI shows
    them)."""
    text = message.format(
        by=by,
        field=conflict.field,
        theirs=shown(conflict.theirs),
        mine=shown(conflict.mine),
        **names,
    )
    return EditConflict(
        text, field=conflict.field, by=by, theirs=conflict.theirs, mine=conflict.mine
    )


def shown(value: Any) -> str:
    """A stored value as a person reads it in a message: text in « » or “ ”, nothing as
    (empty)."""
    if value is None or value == "" or value == []:
        return _("(empty)")
    if isinstance(value, str):
        return _("“{text}”").format(text=value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return json.dumps(value, ensure_ascii=False)


def describe(kind: str, record_id: int) -> str:
    if kind == PERMIT:
        return _("permit {id}").format(id=record_id)
    return _("location {id}").format(id=record_id)
