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
    # Not empty: only possibly needed, depending on these facts nobody has given yet.
    depends_on: tuple[str, ...] = ()

    @property
    def certain(self) -> bool:
        return not self.depends_on


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
    "interior": ("inside a building", "outside"),
    "generator": ("a generator", "no generator"),
}
# The fact a person must give when a condition cannot be decided, in their words.
_UNKNOWN = {
    "public_space": "INT/EXT or the site kind",
    "parking": "parking spaces",
    "night": "shoot hours",
    "drone": "drone",
    "traffic_control": "traffic control",
    "loges": "loges",
    "interior": "INT/EXT",
    "generator": "generator",
    "site": "INT/EXT or the site kind",
    "zone": "the position",
    "crew_min": "crew size",
    "crew_max": "crew size",
    "vehicles_min": "technical vehicles",
}


class Match(NamedTuple):
    """How a situation of the rules applies to a lieu: it holds (`state` True), it
    cannot hold (False), or it may, depending on facts nobody has given yet (None)."""

    state: bool | None
    reasons: tuple[str, ...]  # the known facts that make it hold
    missing: tuple[str, ...] = ()  # for None: "crew size (≥ 10)", …


_NO = Match(False, ())


def _condition(key: str, wanted: Any, f: LieuFacts, night_after: str) -> tuple[bool | None, str]:
    """One condition: (holds, reason) — holds is None when the fact is unknown, and the
    reason then says what value would make it hold."""
    if key == "night":
        actual = f.night(night_after)
        words = f"shooting after {night_after}" if wanted else f"nothing after {night_after}"
        return (None if actual is None else actual == wanted), words
    if key in _WORDS:
        actual = getattr(f, key)
        words = _WORDS[key][0 if wanted else 1]
        return (None if actual is None else actual == wanted), words
    if key == "site":
        kinds = ", ".join(k.replace("_", " ") for k in wanted)
        if not f.site:
            return None, f"site: {kinds}"
        return f.site in wanted, f"site: {f.site.replace('_', ' ')}"
    if key == "zone":
        words = "arrondissement under pressure" if wanted == "sous_tension" else "standard zone"
        return (None if not f.located else f.zone == wanted), words
    if key in ("crew_min", "crew_max"):
        sign = "≥" if key == "crew_min" else "≤"
        if f.crew is None:
            return None, f"{sign} {wanted}"
        holds = f.crew >= wanted if key == "crew_min" else f.crew <= wanted
        return holds, f"crew of {f.crew} ({sign} {wanted})"
    if key == "vehicles_min":
        if f.vehicles is None:
            return None, f"≥ {wanted}"
        return f.vehicles >= wanted, f"{f.vehicles} technical vehicles"
    return False, key


def evaluate(situation: dict[str, Any], f: LieuFacts, night_after: str = "23:00") -> Match:
    """Three-valued: a situation holds only when every condition is known to hold."""
    reasons: list[str] = []
    missing: list[str] = []
    for key, wanted in situation.items():
        holds, words = _condition(key, wanted, f, night_after)
        if holds is False:
            return _NO
        if holds is None:
            missing.append(f"{_UNKNOWN.get(key, key)} ({words})")
        else:
            reasons.append(words)
    if missing:
        return Match(None, tuple(reasons), tuple(missing))
    return Match(True, tuple(reasons))


def deadline_for(
    ptype: PermitType,
    first_shoot_day: date | None,
    rules: Rules,
    calendar: WorkCalendar = CALENDAR,
) -> date | None:
    """A permit's filing deadline, counted in its authority's working days (its own
    closures included) unless a calendar is given; None without a shoot day."""
    if first_shoot_day is None:
        return None
    closed = rules.calendar_for(ptype.authority) if calendar is CALENDAR else calendar
    return filing_deadline(ptype, first_shoot_day, closed)


def suggest(
    f: LieuFacts, rules: Rules, requested_types: set[str], calendar: WorkCalendar = CALENDAR
) -> list[Suggestion]:
    """The permits a lieu needs, then those it may need depending on facts not given yet
    (`Suggestion.depends_on` names them). A type that no situation can call for with
    what is known is left out: "not needed" is said only when the facts are known."""
    needed: list[Suggestion] = []
    possible: list[Suggestion] = []
    first = f.first_shoot_day
    for ptype in rules.types.values():
        reasons: list[str] = []  # every situation that calls for it, rule by rule
        depends: list[str] = []
        for situation in ptype.needed_when:
            m = evaluate(situation, f, rules.night_after)
            if m.state:
                reasons.extend(r for r in m.reasons if r not in reasons)
            elif m.state is None:
                depends.extend(x for x in m.missing if x not in depends)
        deadline = deadline_for(ptype, first, rules, calendar)
        requested = ptype.id in requested_types
        if reasons:
            needed.append(Suggestion(ptype, tuple(reasons), deadline, requested))
        elif depends:
            possible.append(Suggestion(ptype, (), deadline, requested, tuple(depends)))
    return needed + possible


# Keyed by the facts the rules read; the rules object is kept in the entry and checked by
# identity (an id() alone can be reused by new rules once the old ones are freed).
_NEEDED: dict[tuple[Any, ...], tuple[Rules, frozenset[str], tuple[str, ...]]] = {}


def needed_types(f: LieuFacts, rules: Rules) -> frozenset[str]:
    """The permit types a lieu needs. Lieux that share the facts the rules read share the
    answer: a production of 20,000 lieux has far fewer distinct situations."""
    return _situation(f, rules)[1]


def lieu_notices(f: LieuFacts, rules: Rules) -> tuple[str, ...]:
    """The ids of the lieu-scoped notices whose situation holds (shared like the above)."""
    return _situation(f, rules)[2]


def _situation(f: LieuFacts, rules: Rules) -> tuple[Rules, frozenset[str], tuple[str, ...]]:
    key = (
        id(rules),
        f.site,
        f.public_space,
        f.crew,
        f.vehicles,
        f.parking,
        f.night(rules.night_after),  # the night, not the hours: far fewer situations
        f.drone,
        f.traffic_control,
        f.loges,
        f.zone,
        f.located,
        f.interior,
        f.generator,
    )
    entry = _NEEDED.get(key)
    if entry is None or entry[0] is not rules:
        if len(_NEEDED) > 100_000:
            _NEEDED.clear()
        after = rules.night_after
        known = frozenset(
            t.id
            for t in rules.types.values()
            if any(evaluate(s, f, after).state for s in t.needed_when)
        )
        notices = tuple(
            n.id
            for n in rules.notices
            if n.scope == "lieu" and any(evaluate(w, f, after).state for w in n.when)
        )
        entry = _NEEDED[key] = (rules, known, notices)
    return entry


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
        ptype = rules.types[p.type]
        deadline = deadline_for(ptype, days[0], rules, calendar)
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
        night = f.night(rules.night_after)
        if p.type == "declaration_prealable" and night and p.status != "cancelled":
            out.append(
                Warning(
                    "night",
                    "a prior declaration does not allow shooting after "
                    f"{rules.night_after}: a full request is needed",
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
    holding = lieu_notices(f, rules)
    for notice in rules.notices:
        if notice.id in holding:
            out.append(Warning(notice.id, f"{notice.text} [{notice.confidence}]", f.id))
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
