"""Domain objects ⇄ stored documents (plain, JSON-ready dicts): the one place that knows
the shape of what is stored.

Lieux, permits, productions and photos are written and read here, and so are the light
forms the lists and the rules read straight from stored documents (`LieuRow`,
`LieuFacts`, `PermitFacts`). Reading is tolerant of missing keys (older records) and
strict on values.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from decimal import Decimal
from typing import Any

from scout.domain.bin import Binned
from scout.domain.facts import LieuFacts, PermitFacts, site_of
from scout.domain.lieu import (
    PUBLIC_SITES,
    Accessibility,
    Change,
    Contact,
    Lieu,
    Logistics,
    Photo,
    Position,
    PositionSource,
    ScoutingStatus,
    Setting,
    ShootDay,
    ShootNeeds,
)
from scout.domain.permit import Arrete, Permit, PermitStatus, StatusChange
from scout.domain.production import Production, shown_in
from scout.domain.tournage import Tournage
from scout.errors import NotFound
from scout.i18n import _
from scout.store.repository import LieuRow


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def shoot_day_to_dict(d: ShootDay) -> dict[str, Any]:
    return _sparse(
        {
            "date": d.day.isoformat(),
            "call": d.call.strftime("%H:%M") if d.call else None,
            "wrap": d.wrap.strftime("%H:%M") if d.wrap else None,
            "note": d.note,
        }
    )


def _sparse(doc: dict[str, Any]) -> dict[str, Any]:
    """Leave out what is empty: a lieu is mostly blanks at first, and every byte is read
    back at each start. Reading puts the defaults back."""
    # False stays: in the accessibility checklist "no" is an answer, unlike None.
    return {k: v for k, v in doc.items() if v is not None and v != "" and v != [] and v != {}}


def lieu_to_dict(lieu: Lieu) -> dict[str, Any]:
    pos = lieu.position
    return _sparse(
        {
            "name": lieu.name,
            "production_id": lieu.production_id,
            "decor": lieu.decor,
            "sequences": list(lieu.sequences),
            "address": lieu.address,
            "postcode": lieu.postcode,
            "position": {"lat": pos.lat, "lon": pos.lon, "source": pos.source.value}
            if pos
            else None,
            "arrondissement": lieu.arrondissement,
            "on_boundary": lieu.on_boundary,
            "approximate_zone": lieu.approximate_zone,
            "zone": lieu.zone,
            "geocode_pending": lieu.geocode_pending,
            "status": lieu.status.value,
            "setting": lieu.setting.value if lieu.setting else None,
            "retained": lieu.retained,
            "contacts": [
                _sparse({"name": c.name, "role": c.role, "phone": c.phone, "email": c.email})
                for c in lieu.contacts
            ],
            "accessibility": _sparse(
                {
                    name: getattr(lieu.accessibility, name)
                    for name in (*Accessibility.CHECKS, "notes")
                }
            ),
            "logistics": _sparse(
                {f: getattr(lieu.logistics, f) for f in Logistics.__dataclass_fields__}
            ),
            "shoot_days": [shoot_day_to_dict(d) for d in lieu.shoot_days],
            "needs": _sparse({f: getattr(lieu.needs, f) for f in ShootNeeds.__dataclass_fields__}),
            "tags": list(lieu.tags),
            "cost": str(lieu.cost) if lieu.cost is not None else None,
            "notes": lieu.notes,
            "created_at": lieu.created_at,
            "updated_at": lieu.updated_at,
            "history": [
                {"at": h.at, "field": h.field, "old": h.old, "new": h.new}
                | ({"by": h.by} if h.by else {})
                for h in lieu.history
            ],
            "version": lieu.version or None,  # older documents have none: read as 0
        }
    )


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
        position=Position(pos["lat"], pos["lon"], PositionSource.of(pos.get("source", "typed")))
        if pos
        else None,
        arrondissement=doc.get("arrondissement"),
        on_boundary=doc.get("on_boundary", False),
        approximate_zone=doc.get("approximate_zone", False),
        zone=doc.get("zone"),
        geocode_pending=doc.get("geocode_pending", False),
        status=ScoutingStatus.of(doc.get("status", "to_scout")),
        setting=Setting.of(doc["setting"]) if doc.get("setting") else None,
        retained=doc.get("retained"),
        contacts=tuple(Contact(**c) for c in doc.get("contacts", ())),
        accessibility=Accessibility(**acc),
        logistics=Logistics(**log),
        shoot_days=tuple(
            ShootDay(
                date.fromisoformat(d["date"]),
                _time(d.get("call")),
                _time(d.get("wrap")),
                d.get("note", ""),
            )
            for d in doc.get("shoot_days", ())
        ),
        needs=ShootNeeds(**doc.get("needs", {})),
        tags=tuple(doc.get("tags", ())),
        cost=Decimal(doc["cost"]) if doc.get("cost") is not None else None,
        notes=doc.get("notes", ""),
        created_at=doc.get("created_at", ""),
        updated_at=doc.get("updated_at", ""),
        history=tuple(Change(**h) for h in doc.get("history", ())),
        version=doc.get("version", 0),
    )


def production_to_dict(p: Production) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "name": p.name,
        "company": p.company,
        "notes": p.notes,
        "demo": p.demo,
        "created_at": p.created_at,
    }
    if p.archived:  # written only when set: older documents read as not archived
        doc["archived"] = True
    if p.history:
        doc["history"] = [
            {"at": h.at, "field": h.field, "old": h.old, "new": h.new} for h in p.history
        ]
    return doc


def production_from_dict(doc: dict[str, Any], production_id: int | None = None) -> Production:
    return Production(
        id=production_id,
        name=doc["name"],
        company=doc.get("company", ""),
        notes=doc.get("notes", ""),
        demo=doc.get("demo", False),
        created_at=doc.get("created_at", ""),
        archived=bool(doc.get("archived", False)),
        history=tuple(Change(**h) for h in doc.get("history", ())),
    )


def photo_to_dict(p: Photo) -> dict[str, Any]:
    return _sparse(
        {
            "path": p.path,
            "sha256": p.sha256,
            "lieu_id": p.lieu_id,
            "caption": p.caption,
            "metadata": p.metadata,
            "imported_at": p.imported_at,
        }
    )


def photo_from_dict(doc: dict[str, Any], photo_id: int | None = None) -> Photo:
    return Photo(
        path=doc["path"],
        sha256=doc["sha256"],
        id=photo_id,
        lieu_id=doc.get("lieu_id"),
        caption=doc.get("caption", ""),
        metadata=doc.get("metadata", {}),
        imported_at=doc.get("imported_at", ""),
    )


def permit_to_dict(p: Permit) -> dict[str, Any]:
    def iso(d: date | time | None) -> str | None:
        return d.isoformat() if d else None

    a = p.arrete
    return {
        "lieu_id": p.lieu_id,
        "type": p.type,
        "authority": p.authority,
        "status": p.status.value,
        "reference": p.reference,
        "filed_on": iso(p.filed_on),
        "decision_on": iso(p.decision_on),
        "valid_from": iso(p.valid_from),
        "valid_to": iso(p.valid_to),
        "shoot_days": [d.isoformat() for d in p.shoot_days],
        "deadline_override": iso(p.deadline_override),
        "override_reason": p.override_reason,
        "conditions": p.conditions,
        "documents": list(p.documents),
        "contact": p.contact,
        "notes": p.notes,
        "arrete": None
        if a is None
        else {
            "street": a.street,
            "side": a.side,
            "from_number": a.from_number,
            "to_number": a.to_number,
            "perimeter": a.perimeter,
            "spaces": a.spaces,
            "start": iso(a.start),
            "end": iso(a.end),
            "from_time": iso(a.from_time),
            "to_time": iso(a.to_time),
            "notice_posted_on": iso(a.notice_posted_on),
            "proof_photos": list(a.proof_photos),
        },
        "history": [
            {"at": h.at, "old": h.old, "new": h.new, "note": h.note}
            | ({"by": h.by} if h.by else {})
            for h in p.history
        ],
        # the edits of its fields (older documents have none)
        **(
            {
                "changes": [
                    {"at": c.at, "field": c.field, "old": c.old, "new": c.new}
                    | ({"by": c.by} if c.by else {})
                    for c in p.changes
                ]
            }
            if p.changes
            else {}
        ),
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        **({"version": p.version} if p.version else {}),  # older documents: read as 0
    }


def permit_from_dict(doc: dict[str, Any], permit_id: int | None = None) -> Permit:
    def d(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    def t(value: str | None) -> time | None:
        return time.fromisoformat(value) if value else None

    a = doc.get("arrete")
    return Permit(
        id=permit_id,
        lieu_id=doc["lieu_id"],
        type=doc["type"],
        authority=doc.get("authority", ""),
        status=PermitStatus.of(doc.get("status", "to_request")),
        reference=doc.get("reference", ""),
        filed_on=d(doc.get("filed_on")),
        decision_on=d(doc.get("decision_on")),
        valid_from=d(doc.get("valid_from")),
        valid_to=d(doc.get("valid_to")),
        shoot_days=tuple(date.fromisoformat(x) for x in doc.get("shoot_days", ())),
        deadline_override=d(doc.get("deadline_override")),
        override_reason=doc.get("override_reason", ""),
        conditions=doc.get("conditions", ""),
        documents=tuple(doc.get("documents", ())),
        contact=doc.get("contact", ""),
        notes=doc.get("notes", ""),
        arrete=None
        if not a
        else Arrete(
            street=a.get("street", ""),
            side=a.get("side", ""),
            from_number=a.get("from_number", ""),
            to_number=a.get("to_number", ""),
            perimeter=a.get("perimeter", ""),
            spaces=a.get("spaces"),
            start=d(a.get("start")),
            end=d(a.get("end")),
            from_time=t(a.get("from_time")),
            to_time=t(a.get("to_time")),
            notice_posted_on=d(a.get("notice_posted_on")),
            proof_photos=tuple(a.get("proof_photos", ())),
        ),
        history=tuple(StatusChange(**h) for h in doc.get("history", ())),
        changes=tuple(
            Change(c["at"], c["field"], c.get("old"), c.get("new"), c.get("by", ""))
            for c in doc.get("changes", ())
        ),
        created_at=doc.get("created_at", ""),
        updated_at=doc.get("updated_at", ""),
        version=doc.get("version", 0),
    )


def binned_from_dict(entry: dict[str, Any]) -> Binned:
    """A bin entry (the lieu, its permits and photos, when it was deleted) as both
    stores keep it."""
    return Binned(
        lieu_from_dict(entry["lieu"], entry["lieu_id"]),
        tuple(permit_from_dict(d, int(k)) for k, d in entry["permits"].items()),
        tuple(entry["photos"]),
        entry["deleted_at"],
    )


def saved_id(record: Lieu | Permit) -> int:
    """The record's id; NotFound for one never saved (both stores' updates refuse it
    with the same words)."""
    if record.id is None:
        if isinstance(record, Permit):
            raise NotFound(_("this permit was never saved"))
        raise NotFound(_("this location was never saved"))
    return record.id


# -- light forms read straight from the documents ------------------------------------------
_CHECKS = Accessibility.CHECKS


def _assessed(accessibility: dict[str, Any] | None) -> int:
    return sum(1 for k in _CHECKS if accessibility.get(k) is not None) if accessibility else 0


def lieu_row(lieu_id: int, doc: dict[str, Any], today_iso: str) -> LieuRow:
    """What a table line shows, without building the whole Lieu."""
    get = doc.get
    days = get("shoot_days")
    dates = [d["date"] for d in days] if days else []
    upcoming = [d for d in dates if d >= today_iso]
    position = get("position")
    return LieuRow(
        lieu_id,
        doc["name"],
        get("decor", ""),
        get("arrondissement"),
        get("on_boundary", False),
        get("approximate_zone", False),
        get("status", "to_scout"),
        min(upcoming) if upcoming else "",
        get("retained", False),
        get("production_id"),
        get("geocode_pending", False),
        _assessed(get("accessibility")),
        get("address", ""),
        get("postcode", ""),
        position["lat"] if position else None,
        position["lon"] if position else None,
        tuple(get("tags", ())),
        tuple(dates),
    )


_iso = date.fromisoformat


def search_text(doc: dict[str, Any]) -> str:
    """Every word a person may search a lieu by, folded: name, décor, address, postcode,
    contacts, notes, tags, sequences, logistics and access notes."""
    from scout.domain.values import fold

    parts: list[str] = [doc.get(k, "") for k in ("name", "decor", "address", "postcode", "notes")]
    parts += [*doc.get("tags", ()), *doc.get("sequences", ())]
    for contact in doc.get("contacts", ()):
        parts += [str(v) for v in contact.values()]
    for group in ("logistics", "accessibility"):
        parts += [v for v in (doc.get(group) or {}).values() if isinstance(v, str)]
    return fold(" ".join(p for p in parts if isinstance(p, str)))


def lieu_facts(lieu_id: int, doc: dict[str, Any], caps: dict[str, int]) -> LieuFacts:
    """The facts the permit rules look at; `caps` maps a zone id to its vehicle cap."""
    needs = doc.get("needs") or {}
    site = site_of(needs.get("site_kind"), doc.get("setting"))
    shoot_days = doc.get("shoot_days", ())
    days = sorted(_iso(d["date"]) for d in shoot_days)
    hours = tuple((d.get("call"), d.get("wrap")) for d in shoot_days)
    setting = doc.get("setting")
    zone = doc.get("zone")
    parking = needs.get("parking_spaces")
    return LieuFacts(
        id=lieu_id,
        name=doc["name"],
        arrondissement=doc.get("arrondissement"),
        zone=zone,
        tech_vehicle_cap=caps.get(zone) if zone else None,
        site=site,
        public_space=(site in PUBLIC_SITES) if site else None,
        crew=needs.get("crew_size"),
        vehicles=needs.get("tech_vehicles"),
        parking=None if parking is None else parking > 0,
        hours=hours,
        drone=needs.get("drone"),
        traffic_control=needs.get("traffic_control"),
        loges=needs.get("loges"),
        shoot_days=tuple(days),
        address=doc.get("address", ""),
        located="position" in doc or bool(doc.get("postcode")),
        interior=None if not setting else setting != "ext",
        generator=needs.get("generator"),
        production_id=doc.get("production_id"),
    )


def permit_facts(permit_id: int, d: dict[str, Any]) -> PermitFacts:
    get = d.get
    days = get("shoot_days")
    override, start, end = get("deadline_override"), get("valid_from"), get("valid_to")
    return PermitFacts(
        permit_id,
        d["lieu_id"],
        d["type"],
        get("status", "to_request"),
        tuple(map(_iso, days)) if days else (),
        _iso(override) if override else None,
        _iso(start) if start else None,
        _iso(end) if end else None,
    )


# -- the City's past shoots (reference layer, apart from the lieux) ---------------------
def tournage_to_dict(t: Tournage) -> dict[str, Any]:
    return {
        "source_id": t.source_id,
        "year": t.year,
        "title": t.title,
        "type": t.type,
        "director": t.director,
        "producer": t.producer,
        "start": t.start.isoformat(),
        "end": t.end.isoformat(),
        "address": t.address,
        "postcode": t.postcode,
        "lat": t.lat,
        "lon": t.lon,
        "arrondissement": t.arrondissement,
        "flagged": t.flagged,
        "gap_m": t.gap_m,
    }


def tournage_from_dict(d: dict[str, Any], doc_id: int) -> Tournage:
    return Tournage(
        source_id=str(d["source_id"]),
        year=int(d["year"]),
        title=str(d.get("title", "")),
        type=str(d.get("type", "other")),
        director=str(d.get("director", "")),
        producer=str(d.get("producer", "")),
        start=date.fromisoformat(d["start"]),
        end=date.fromisoformat(d["end"]),
        address=str(d.get("address", "")),
        postcode=str(d.get("postcode", "")),
        lat=float(d["lat"]),
        lon=float(d["lon"]),
        arrondissement=d.get("arrondissement"),
        flagged=bool(d.get("flagged", False)),
        gap_m=float(d.get("gap_m", 0.0)),
        id=doc_id,
    )


def first_in_file_order(
    docs: Iterable[tuple[int, dict[str, Any]]], n: int, production_id: int | None
) -> list[tuple[int, dict[str, Any]]]:
    """The first `n` lieux of a production (and those of none; every one when
    `production_id` is None) in the order of a scouting file — décor, then name, folded,
    then id — without folding every lieu's name: the décors are sorted (few, each folded
    once) and only the names of the first décors' lieux are read. What a list shows first,
    before every row is read."""
    from scout.domain.values import fold

    folded: dict[str, str] = {}
    by_decor: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for lieu_id, doc in docs:
        if not shown_in(production_id, doc.get("production_id")):
            continue
        decor = doc.get("decor", "")
        key = folded.get(decor)
        if key is None:
            key = folded[decor] = fold(decor)
        by_decor.setdefault(key, []).append((lieu_id, doc))
    picked: list[tuple[str, str, int, dict[str, Any]]] = []
    for key in sorted(by_decor):
        picked += [(key, fold(doc["name"]), i, doc) for i, doc in by_decor[key]]
        if len(picked) >= n:
            break
    picked.sort(key=lambda item: item[:3])
    return [(i, doc) for _k, _n, i, doc in picked[:n]]
