"""Field-by-field three-way merge of two edits of one record (a lieu, a permit).

`base` is the record as both sides last saw it, `mine` what this person saves, `theirs`
what is stored now (a colleague saved in between). A field changed on one side only takes
that side's value; a field changed on both sides to different values is a conflict, which
is reported with both values and never decided silently.

Records are the stored documents (plain dicts, see scout.store.documents). Nested dicts
(accessibility, logistics, shoot needs…) are merged key by key and their fields named with
a dot: "accessibility.lift"; a group missing (or None) on a side merges as an empty one
(documents leave empty groups out), so two people filling different fields of a group the
record did not have yet both keep theirs. Lists and other values are compared whole.
Fields named in `ignored` (the version, the update time, the history, which the store
itself keeps) are never conflicts: the caller sets them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_MISSING: Any = object()

# Kept by the store, not by the person saving: never a conflict.
BOOKKEEPING = frozenset({"version", "updated_at", "history", "changes", "updated_by"})


@dataclass(frozen=True)
class Conflict:
    field: str  # "decor", "accessibility.lift"
    base: Any
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class MergeResult:
    merged: dict[str, Any]
    conflicts: tuple[Conflict, ...] = ()
    mine_changed: tuple[str, ...] = field(default=())  # the fields this save changes

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_fields(
    base: dict[str, Any],
    mine: dict[str, Any],
    theirs: dict[str, Any],
    *,
    ignored: frozenset[str] = BOOKKEEPING,
) -> MergeResult:
    """Theirs, with my changes since base laid over it where they do not collide."""
    merged, conflicts, changed = _merge(base, mine, theirs, ignored, "")
    return MergeResult(merged, tuple(conflicts), tuple(changed))


def _merge(
    base: dict[str, Any],
    mine: dict[str, Any],
    theirs: dict[str, Any],
    ignored: frozenset[str],
    prefix: str,
) -> tuple[dict[str, Any], list[Conflict], list[str]]:
    merged = dict(theirs)
    conflicts: list[Conflict] = []
    changed: list[str] = []
    for key in sorted(set(base) | set(mine) | set(theirs)):
        if not prefix and key in ignored:
            continue
        name = f"{prefix}{key}"
        b, m, t = base.get(key, _MISSING), mine.get(key, _MISSING), theirs.get(key, _MISSING)
        if m == b:
            continue  # not mine to change: theirs stands
        if _group(b, m, t):  # a nested group: key by key, a missing one as if empty
            sub, sub_conflicts, sub_changed = _merge(
                _dict(b), _dict(m), _dict(t), ignored, f"{name}."
            )
            if sub:
                merged[key] = sub
            elif m is _MISSING:  # emptied: as mine leaves it (out, None or {})
                merged.pop(key, None)
            else:
                merged[key] = {} if isinstance(m, dict) else m
            conflicts += sub_conflicts
            changed += sub_changed
            continue
        changed.append(name)
        if t in (b, m):  # only I changed it, or we both made the same change
            if m is _MISSING:
                merged.pop(key, None)
            else:
                merged[key] = m
            continue
        conflicts.append(Conflict(name, _none(b), _none(m), _none(t)))
    return merged, conflicts, changed


def _group(*values: Any) -> bool:
    """Whether a field is a nested group on every side that has it: documents leave an
    empty group out (or hold None), which merges as an empty one, key by key."""
    present = [v for v in values if v is not _MISSING and v is not None]
    return bool(present) and all(isinstance(v, dict) for v in present)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _none(value: Any) -> Any:
    return None if value is _MISSING else value
