"""Schema versions of the database file and how to move an older file forward.

Each step takes the tables of version N and returns those of version N + 1. A file is
migrated when it is opened for writing; the original is kept as `<db>.schemaN.bak`.

- 1 → 2: the pre-release layout stored the position flat (`lat`, `lon`) and a single
  `contact` string; version 2 has `position: {lat, lon, source}` and a `contacts` list.
- 2 → 3: every lieu belongs to a production. Lieux of none (added by hand before
  productions could be made) go to the one production if there is exactly one (and it is
  not the demo's), else to a new production named "Production" (the same word in French
  and in English; rename it). Deleted lieux in the bin too, so a restore keeps it so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 3

Tables = dict[str, dict[str, Any]]


def _v1_to_v2(tables: Tables) -> Tables:
    for doc in tables.get("lieux", {}).values():
        lat, lon = doc.pop("lat", None), doc.pop("lon", None)
        if "position" not in doc:
            doc["position"] = (
                {"lat": lat, "lon": lon, "source": "typed"}
                if lat is not None and lon is not None
                else None
            )
        contact = doc.pop("contact", None)
        if "contacts" not in doc:
            doc["contacts"] = (
                [{"name": contact, "role": "", "phone": "", "email": ""}] if contact else []
            )
    return tables


DEFAULT_PRODUCTION = "Production"  # data, not a message: the same in French and English


def _v2_to_v3(tables: Tables) -> Tables:
    lieux = tables.get("lieux", {})
    binned = [e["lieu"] for e in tables.get("bin", {}).values() if isinstance(e.get("lieu"), dict)]
    orphans = [d for d in (*lieux.values(), *binned) if d.get("production_id") is None]
    if not orphans:
        return tables
    productions = tables.setdefault("productions", {})
    if len(productions) == 1 and not next(iter(productions.values())).get("demo"):
        home = int(next(iter(productions)))
    else:
        home = max((int(k) for k in productions), default=0) + 1
        stamps = [d["created_at"] for d in orphans if d.get("created_at")]
        productions[str(home)] = {
            "name": _free_name(DEFAULT_PRODUCTION, productions),
            "company": "",
            "notes": "",
            "demo": False,
            "created_at": min(stamps, default=""),
        }
    for doc in orphans:
        doc["production_id"] = home
    return tables


def _free_name(name: str, productions: dict[str, Any]) -> str:
    taken = {str(p.get("name", "")).casefold() for p in productions.values()}
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name} {n}"
    return candidate


STEPS: dict[int, Callable[[Tables], Tables]] = {1: _v1_to_v2, 2: _v2_to_v3}


def migrate(version: int, tables: Tables) -> Tables:
    while version < SCHEMA_VERSION:
        tables = STEPS[version](tables)
        version += 1
    return tables
