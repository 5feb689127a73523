"""Lieu ⇄ plain dict (JSON-ready), the shape stored in the database.

Kept beside the model so that a new field is added in one place. Reading is
tolerant of missing keys (older records) and strict on values.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

from scout.domain.lieu import (
    Photo,
    Accessibility,
    Change,
    Contact,
    Lieu,
    Logistics,
    Position,
    PositionSource,
    ScoutingStatus,
    Setting,
    ShootDay,
    ShootNeeds,
)
from scout.domain.production import Production


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def shoot_day_to_dict(d: ShootDay) -> dict[str, Any]:
    return _sparse({
        "date": d.day.isoformat(),
        "call": d.call.strftime("%H:%M") if d.call else None,
        "wrap": d.wrap.strftime("%H:%M") if d.wrap else None,
        "note": d.note,
    })


def _sparse(doc: dict[str, Any]) -> dict[str, Any]:
    """Leave out what is empty: a lieu is mostly blanks at first, and every byte is read
    back at each start. Reading puts the defaults back."""
    # False stays: in the accessibility checklist "no" is an answer, unlike None.
    return {k: v for k, v in doc.items() if v is not None and v != "" and v != [] and v != {}}


def lieu_to_dict(lieu: Lieu) -> dict[str, Any]:
    pos = lieu.position
    return _sparse({
        "name": lieu.name,
        "production_id": lieu.production_id,
        "decor": lieu.decor,
        "sequences": list(lieu.sequences),
        "address": lieu.address,
        "postcode": lieu.postcode,
        "position": {"lat": pos.lat, "lon": pos.lon, "source": pos.source.value} if pos else None,
        "arrondissement": lieu.arrondissement,
        "on_boundary": lieu.on_boundary,
        "approximate_zone": lieu.approximate_zone,
        "zone": lieu.zone,
        "geocode_pending": lieu.geocode_pending,
        "status": lieu.status.value,
        "setting": lieu.setting.value,
        "retained": lieu.retained,
        "contacts": [
            _sparse({"name": c.name, "role": c.role, "phone": c.phone, "email": c.email})
            for c in lieu.contacts
        ],
        "accessibility": _sparse({
            name: getattr(lieu.accessibility, name)
            for name in (*Accessibility.CHECKS, "notes")
        }),
        "logistics": _sparse({
            f: getattr(lieu.logistics, f) for f in Logistics.__dataclass_fields__
        }),
        "shoot_days": [shoot_day_to_dict(d) for d in lieu.shoot_days],
        "needs": _sparse({f: getattr(lieu.needs, f) for f in ShootNeeds.__dataclass_fields__}),
        "tags": list(lieu.tags),
        "cost": str(lieu.cost) if lieu.cost is not None else None,
        "notes": lieu.notes,
        "created_at": lieu.created_at,
        "updated_at": lieu.updated_at,
        "history": [
            {"at": h.at, "field": h.field, "old": h.old, "new": h.new} for h in lieu.history
        ],
    })


def lieu_from_dict(doc: dict[str, Any], lieu_id: int | None = None) -> Lieu:
    pos = doc.get("position")
    acc = doc.get("accessibility") or {}
    log = doc.get("logistics") or {}
    return Lieu(
        id=lieu_id,
        name=doc["name"],
        production_id=doc.get("production_id"),
        decor=doc.get("decor", ""),
        sequences=tuple(doc.get("sequences", ())),
        address=doc.get("address", ""),
        postcode=doc.get("postcode", ""),
        position=Position(pos["lat"], pos["lon"], PositionSource(pos.get("source", "typed")))
        if pos
        else None,
        arrondissement=doc.get("arrondissement"),
        on_boundary=doc.get("on_boundary", False),
        approximate_zone=doc.get("approximate_zone", False),
        zone=doc.get("zone"),
        geocode_pending=doc.get("geocode_pending", False),
        status=ScoutingStatus(doc.get("status", "to_scout")),
        setting=Setting(doc.get("setting", "int")),
        retained=doc.get("retained", False),
        contacts=tuple(Contact(**c) for c in doc.get("contacts", ())),
        accessibility=Accessibility(**acc),
        logistics=Logistics(**log),
        shoot_days=tuple(
            ShootDay(date.fromisoformat(d["date"]), _time(d.get("call")), _time(d.get("wrap")),
                     d.get("note", ""))
            for d in doc.get("shoot_days", ())
        ),
        needs=ShootNeeds(**doc.get("needs", {})),
        tags=tuple(doc.get("tags", ())),
        cost=Decimal(doc["cost"]) if doc.get("cost") is not None else None,
        notes=doc.get("notes", ""),
        created_at=doc.get("created_at", ""),
        updated_at=doc.get("updated_at", ""),
        history=tuple(Change(**h) for h in doc.get("history", ())),
    )


def production_to_dict(p: Production) -> dict[str, Any]:
    return {"name": p.name, "company": p.company, "notes": p.notes, "demo": p.demo,
            "created_at": p.created_at}


def production_from_dict(doc: dict[str, Any], production_id: int | None = None) -> Production:
    return Production(
        id=production_id,
        name=doc["name"],
        company=doc.get("company", ""),
        notes=doc.get("notes", ""),
        demo=doc.get("demo", False),
        created_at=doc.get("created_at", ""),
    )


def photo_to_dict(p: Photo) -> dict[str, Any]:
    return _sparse({"path": p.path, "sha256": p.sha256, "lieu_id": p.lieu_id,
                    "caption": p.caption, "metadata": p.metadata,
                    "imported_at": p.imported_at})


def photo_from_dict(doc: dict[str, Any], photo_id: int | None = None) -> Photo:
    return Photo(path=doc["path"], sha256=doc["sha256"], id=photo_id,
                 lieu_id=doc.get("lieu_id"), caption=doc.get("caption", ""),
                 metadata=doc.get("metadata", {}), imported_at=doc.get("imported_at", ""))
