"""Which permits a lieu needs, and what will go wrong if nobody acts.

Everything here works on `LieuFacts` and `PermitFacts`: the few facts the rules look at,
read straight from stored rows, so that a whole production (thousands of lieux) is
checked in a fraction of a second.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from scout.domain.facts import LieuFacts, PermitFacts
from scout.permits.deadlines import Urgency, filing_deadline, plausible, urgency
from scout.permits.rules import PermitType, Rules
from scout.permits.workdays import CALENDAR, WorkCalendar


class Suggestion(NamedTuple):
    type: PermitType
    reasons: tuple[str, ...]
    deadline: date | None
    requested: bool  # a permit of this type exists already


class Warning(NamedTuple):
    kind: str
    message: str
    lieu_id: int
    permit_id: int | None = None


class Assessed(NamedTuple):
    """One permit with its deadline and urgency."""

    permit: PermitFacts
    deadline: date | None
    urgency: Urgency
    working_days_left: int | None


_WORDS = {
    "public_space": ("in public space", "not in public space"),
    "parking": ("parking spaces needed", "no parking needed"),
    "night": ("shooting after 23:00", "nothing after 23:00"),
    "drone": ("a drone", "no drone"),
    "traffic_control": ("traffic control", "no traffic control"),
    "loges": ("loges", "no loges"),
}


def _matches(situation: dict[str, Any], f: LieuFacts) -> list[str] | None:
    """The reasons, if every condition of the situation holds; else None."""
    reasons = []
    for key, wanted in situation.items():
        if key in _WORDS:
            actual = getattr(f, key)
            if actual != wanted:
                return None
            reasons.append(_WORDS[key][0 if wanted else 1])
        elif key == "site":
            if f.site not in wanted:
                return None
            reasons.append(f"site: {f.site.replace('_', ' ')}")
        elif key == "zone":
            if f.zone != wanted:
                return None
            reasons.append(
                "arrondissement under pressure" if wanted == "sous_tension" else "standard zone"
            )
        elif key == "crew_min":
            if f.crew is None or f.crew < wanted:
                return None
            reasons.append(f"crew of {f.crew} (≥ {wanted})")
        elif key == "crew_max":
            if f.crew is None or f.crew > wanted:
                return None
            reasons.append(f"crew of {f.crew} (≤ {wanted})")
        elif key == "vehicles_min":
            if f.vehicles is None or f.vehicles < wanted:
                return None
            reasons.append(f"{f.vehicles} technical vehicles")
    return reasons


def suggest(
    f: LieuFacts, rules: Rules, requested_types: set[str], calendar: WorkCalendar = CALENDAR
) -> list[Suggestion]:
    out = []
    for ptype in rules.types.values():
        reasons: list[str] = []  # every situation that calls for it, rule by rule
        for situation in ptype.needed_when:
            matched = _matches(situation, f)
            if matched is not None:
                reasons.extend(r for r in matched if r not in reasons)
        if reasons:
            first = f.first_shoot_day
            deadline = filing_deadline(ptype, first, calendar) if first else None
            out.append(Suggestion(ptype, tuple(reasons), deadline, ptype.id in requested_types))
    return out


_NEEDED: dict[tuple[Any, ...], frozenset[str]] = {}


def needed_types(f: LieuFacts, rules: Rules) -> frozenset[str]:
    """The permit types a lieu needs. Lieux that share the facts the rules read share the
    answer: a production of 20,000 lieux has far fewer distinct situations."""
    key = (
        id(rules),
        f.site,
        f.public_space,
        f.crew,
        f.vehicles,
        f.parking,
        f.night,
        f.drone,
        f.traffic_control,
        f.loges,
        f.zone,
    )
    known = _NEEDED.get(key)
    if known is None:
        if len(_NEEDED) > 100_000:
            _NEEDED.clear()
        known = frozenset(
            t.id
            for t in rules.types.values()
            if any(_matches(s, f) is not None for s in t.needed_when)
        )
        _NEEDED[key] = known
    return known


def assess(
    p: PermitFacts,
    lieu_days: tuple[date, ...],
    rules: Rules,
    today: date,
    calendar: WorkCalendar = CALENDAR,
) -> Assessed:
    days = p.shoot_days or lieu_days  # both sorted: the first is the earliest
    deadline = p.deadline_override
    if deadline is None and days and p.type in rules.types:
        deadline = filing_deadline(rules.types[p.type], days[0], calendar)
    if deadline is not None and not plausible(deadline):
        deadline = None  # a date typed long ago, before dates were checked: not counted
    level, left = urgency(p.status, deadline, p.valid_to, today, calendar)
    return Assessed(p, deadline, level, left)


def lieu_warnings(
    f: LieuFacts, permits: list[Assessed], rules: Rules, today: date
) -> list[Warning]:
    """Conflicts and dangers for one lieu and its permits."""
    out: list[Warning] = []
    if (
        f.vehicles is not None
        and f.tech_vehicle_cap is not None
        and f.vehicles > f.tech_vehicle_cap
    ):
        out.append(
            Warning(
                "vehicles",
                f"{f.vehicles} technical vehicles: the cap in this zone "
                f"is {f.tech_vehicle_cap} (catering excluded)",
                f.id,
            )
        )
    if f.loges and f.zone == "sous_tension":
        out.append(
            Warning(
                "loges",
                "loges (dressing-room vehicles) are no longer allowed in "
                "the arrondissements under pressure",
                f.id,
            )
        )
    granted: dict[str, list[PermitFacts]] = {}
    for a in permits:
        p = a.permit
        if a.urgency is Urgency.OVERDUE:
            out.append(
                Warning(
                    "overdue",
                    f"{_label(rules, p.type)}: filing deadline {_fr(a.deadline)} has passed",
                    f.id,
                    p.id,
                )
            )
        elif a.urgency is Urgency.DUE_3:
            out.append(
                Warning(
                    "due",
                    f"{_label(rules, p.type)}: file by {_fr(a.deadline)} "
                    f"({a.working_days_left} working days left)",
                    f.id,
                    p.id,
                )
            )
        if p.type == "declaration_prealable" and f.night and p.status != "cancelled":
            out.append(
                Warning(
                    "night",
                    "a prior declaration does not allow shooting after "
                    "23:00: a full request is needed",
                    f.id,
                    p.id,
                )
            )
        if p.status in ("granted", "granted_with_conditions"):
            granted.setdefault(p.type, []).append(p)
            for day in p.shoot_days or f.shoot_days:
                if (p.valid_from or p.valid_to) and not _covers(p, day) and day >= today:
                    out.append(
                        Warning(
                            "validity",
                            f"{_label(rules, p.type)} is valid "
                            f"{_span(p)}: it does not cover the shoot "
                            f"day {_fr(day)}",
                            f.id,
                            p.id,
                        )
                    )
    needed = needed_types(f, rules)
    for day in f.shoot_days:
        if day < today:
            continue
        missing = sorted(
            t for t in needed if not any(_covers_or_open(p, day) for p in granted.get(t, ()))
        )
        if missing:
            names = ", ".join(_label(rules, t) for t in missing)
            out.append(
                Warning("not_granted", f"shoot day {_fr(day)}: not yet granted: {names}", f.id)
            )
    return out


@lru_cache(maxsize=4096)
def _fr(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _label(rules: Rules, type_id: str) -> str:
    t = rules.types.get(type_id)
    return t.label if t else type_id


def _covers(p: PermitFacts, day: date) -> bool:
    start = p.valid_from or date.min
    end = p.valid_to or p.valid_from or date.max
    return start <= day <= end


def _covers_or_open(p: PermitFacts, day: date) -> bool:
    """A granted permit without dates is taken to cover its shoot days."""
    if p.valid_from is None and p.valid_to is None:
        return not p.shoot_days or day in p.shoot_days
    return _covers(p, day)


def _span(p: PermitFacts) -> str:
    start = f"{p.valid_from:%d/%m/%Y}" if p.valid_from else "…"
    end = f"{p.valid_to:%d/%m/%Y}" if p.valid_to else "…"
    return f"{start}–{end}"
