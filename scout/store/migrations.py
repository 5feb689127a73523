"""Schema versions of the database file and how to move an older file forward.

Each step takes the tables of version N and returns those of version N + 1. A file is
migrated when it is opened for writing; the original is kept as `<db>.schemaN.bak`.

- 1 → 2: the pre-release layout stored the position flat (`lat`, `lon`) and a single
  `contact` string; version 2 has `position: {lat, lon, source}` and a `contacts` list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 2

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


STEPS: dict[int, Callable[[Tables], Tables]] = {1: _v1_to_v2}


def migrate(version: int, tables: Tables) -> Tables:
    while version < SCHEMA_VERSION:
        tables = STEPS[version](tables)
        version += 1
    return tables
