"""Which permits a lieu needs, and what will go wrong if nobody acts.

Everything here works on `LieuFacts` and `PermitFacts`: the few facts the rules look at,
read straight from stored rows, so that a whole production (thousands of lieux) is
checked in a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from scout.domain.facts import LieuFacts, PermitFacts
from scout.domain.lieu import site_kind_label
from scout.i18n import Text, _, formats, ngettext, pgettext
from scout.permits.deadlines import Urgency, filing_deadline, plausible, urgency
from scout.permits.rules import PermitType, Rules, confidence_label
from scout.permits.workdays import CALENDAR, WorkCalendar

# The fiche's fields that settle each condition of the rules, for a person or a script
# that wants to know what to fill in (neutral codes, the same in every language).
FACT_FIELDS: dict[str, tuple[str, ...]] = {
    "public_space": ("setting", "site_kind"),
    "site": ("setting", "site_kind"),
    "interior": ("setting",),
    "parking": ("parking_spaces",),
    "night": ("shoot_days",),
    "drone": ("drone",),
    "traffic_control": ("traffic_control",),
    "loges": ("loges",),
    "generator": ("generator",),
    "zone": ("lat", "lon", "postcode"),
    "crew_min": ("crew_size",),
    "crew_max": ("crew_size",),
    "vehicles_min": ("tech_vehicles",),
}


class Suggestion(NamedTuple):
    """A permit the lieu needs (`reasons`: the known facts that call for it, in the
    language of the run) or may need (`depends_on`: « crew size (≥ 10) », the facts
    nobody has given yet). `conditions` and `unknown` say the same as neutral data for
    JSON: {"condition": code, "value": what the rules want[, "fields": fiche keys]}."""

    type: PermitType
    reasons: tuple[str, ...]
    deadline: date | None
    requested: bool  # a permit of this type exists already
    # Not empty: only possibly needed, depending on these facts nobody has given yet.
    depends_on: tuple[str, ...] = ()
    conditions: tuple[dict[str, Any], ...] = ()
    unknown: tuple[dict[str, Any], ...] = ()

    @property
    def certain(self) -> bool:
        return not self.depends_on


@dataclass(frozen=True, slots=True)
class Warning:
    """Something that will go wrong if nobody acts. Language-neutral: `kind` (a stable
    English code: vehicles, loges, overdue, due, night, validity, not_granted, or the id
    of a notice of the rules), `lieu_id`, `permit_id` and `data` (ISO dates, type codes,
    counts) are what JSON gives; `message` is the sentence, built in the language of the
    run when it is read. `texts` holds the rules' texts the sentence names (type labels,
    a notice's text), in both languages."""

    kind: str
    lieu_id: int
    permit_id: int | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    texts: Mapping[str, Text | tuple[Text, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def message(self) -> str:
        return warning_message(self)


class Assessed(NamedTuple):
    """One permit with its deadline and urgency."""

    permit: PermitFacts
    deadline: date | None
    urgency: Urgency
    working_days_left: int | None


_FLAGS = ("public_space", "parking", "drone", "traffic_control", "loges", "interior", "generator")


def _flag_words(key: str, wanted: bool) -> str:
    """A yes/no condition of the rules, as a reason: « a drone » or « no drone »."""
    words = {
        "public_space": (
            pgettext("condition", "in public space"),
            pgettext("condition", "not in public space"),
        ),
        "parking": (
            pgettext("condition", "parking spaces needed"),
            pgettext("condition", "no parking needed"),
        ),
        "drone": (pgettext("condition", "a drone"), pgettext("condition", "no drone")),
        "traffic_control": (
            pgettext("condition", "traffic control"),
            pgettext("condition", "no traffic control"),
        ),
        "loges": (pgettext("condition", "loges"), pgettext("condition", "no loges")),
        "interior": (
            pgettext("condition", "inside a building"),
            pgettext("condition", "outside"),
        ),
        "generator": (
            pgettext("condition", "a generator"),
            pgettext("condition", "no generator"),
        ),
    }
    return words[key][0 if wanted else 1]


def _fact(key: str) -> str:
    """The fact a person must give when a condition cannot be decided, in their words."""
    facts = {
        "public_space": pgettext("fact", "INT/EXT or the site kind"),
        "parking": pgettext("fact", "parking spaces"),
        "night": pgettext("fact", "shoot hours"),
        "drone": pgettext("fact", "drone"),
        "traffic_control": pgettext("fact", "traffic control"),
        "loges": pgettext("fact", "loges"),
        "interior": pgettext("fact", "INT/EXT"),
        "generator": pgettext("fact", "generator"),
        "site": pgettext("fact", "INT/EXT or the site kind"),
        "zone": pgettext("fact", "the position"),
        "crew_min": pgettext("fact", "crew size"),
        "crew_max": pgettext("fact", "crew size"),
        "vehicles_min": pgettext("fact", "technical vehicles"),
    }
    return facts.get(key, key)


class Match(NamedTuple):
    """How a situation of the rules applies to a lieu: it holds (`state` True), it
    cannot hold (False), or it may, depending on facts nobody has given yet (None)."""

    state: bool | None
    reasons: tuple[str, ...]  # the known facts that make it hold
    missing: tuple[str, ...] = ()  # for None: "crew size (≥ 10)", …
    held: tuple[tuple[str, Any], ...] = ()  # (condition, wanted) known to hold
    pending: tuple[tuple[str, Any], ...] = ()  # (condition, wanted) not known yet


_NO = Match(False, ())


def _holds(key: str, wanted: Any, f: LieuFacts, night_after: str) -> bool | None:
    """One condition: does it hold? None when the fact is unknown."""
    if key == "night":
        actual = f.night(night_after)
        return None if actual is None else actual == wanted
    if key in _FLAGS:
        flag = getattr(f, key)
        return None if flag is None else flag == wanted
    if key == "site":
        return None if not f.site else f.site in wanted
    if key == "zone":
        return None if not f.located else f.zone == wanted
    if key in ("crew_min", "crew_max"):
        if f.crew is None:
            return None
        return bool(f.crew >= wanted if key == "crew_min" else f.crew <= wanted)
    if key == "vehicles_min":
        return None if f.vehicles is None else bool(f.vehicles >= wanted)
    return False


def _words(key: str, wanted: Any, f: LieuFacts, night_after: str) -> str:
    """What a condition says, in the language of the run: the fact that makes it hold,
    or, when the fact is unknown, the value that would."""
    if key == "night":
        if wanted:
            return _("shooting after {time}").format(time=night_after)
        return _("nothing after {time}").format(time=night_after)
    if key in _FLAGS:
        return _flag_words(key, wanted)
    if key == "site":
        kinds = [f.site] if f.site else list(wanted)
        return _("site: {kinds}").format(kinds=", ".join(site_kind_label(k) for k in kinds))
    if key == "zone":
        if wanted == "sous_tension":
            return _("arrondissement under pressure")
        return _("standard zone")
    if key in ("crew_min", "crew_max"):
        sign = "≥" if key == "crew_min" else "≤"
        if f.crew is None:
            return f"{sign} {wanted}"
        return _("crew of {count} ({sign} {wanted})").format(count=f.crew, sign=sign, wanted=wanted)
    if key == "vehicles_min":
        if f.vehicles is None:
            return f"≥ {wanted}"
        return ngettext(
            "{count} technical vehicle", "{count} technical vehicles", f.vehicles
        ).format(count=f.vehicles)
    return key


def evaluate(
    situation: dict[str, Any], f: LieuFacts, night_after: str = "23:00", *, say: bool = True
) -> Match:
    """Three-valued: a situation holds only when every condition is known to hold. With
    `say` False, only the state (the words cost a lookup each)."""
    held: list[tuple[str, Any]] = []
    pending: list[tuple[str, Any]] = []
    for key, wanted in situation.items():
        holds = _holds(key, wanted, f, night_after)
        if holds is False:
            return _NO
        (pending if holds is None else held).append((key, wanted))
    state = None if pending else True
    if not say:
        return Match(state, ())
    reasons = tuple(_words(k, w, f, night_after) for k, w in held)
    missing = tuple(f"{_fact(k)} ({_words(k, w, f, night_after)})" for k, w in pending)
    return Match(state, reasons, missing, tuple(held), tuple(pending))


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
    closed = rules.calendar_for(ptype.authority_text) if calendar is CALENDAR else calendar
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
        held: list[dict[str, Any]] = []
        pending: list[dict[str, Any]] = []
        for situation in ptype.needed_when:
            m = evaluate(situation, f, rules.night_after)
            if m.state:
                reasons.extend(r for r in m.reasons if r not in reasons)
                held.extend(c for c in _conditions(m.held) if c not in held)
            elif m.state is None:
                depends.extend(x for x in m.missing if x not in depends)
                pending.extend(c for c in _conditions(m.pending, True) if c not in pending)
        deadline = deadline_for(ptype, first, rules, calendar)
        requested = ptype.id in requested_types
        if reasons:
            needed.append(Suggestion(ptype, tuple(reasons), deadline, requested, (), tuple(held)))
        elif depends:
            possible.append(
                Suggestion(ptype, (), deadline, requested, tuple(depends), (), tuple(pending))
            )
    return needed + possible


def _conditions(pairs: tuple[tuple[str, Any], ...], fields: bool = False) -> list[dict[str, Any]]:
    """Conditions as neutral data: {"condition", "value"[, "fields"]}."""
    out = []
    for key, wanted in pairs:
        item: dict[str, Any] = {"condition": key, "value": wanted}
        if fields:
            item["fields"] = list(FACT_FIELDS.get(key, ()))
        out.append(item)
    return out


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
            if any(evaluate(s, f, after, say=False).state for s in t.needed_when)
        )
        notices = tuple(
            n.id
            for n in rules.notices
            if n.scope == "lieu" and any(evaluate(w, f, after, say=False).state for w in n.when)
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
            Warning("vehicles", f.id, None, {"vehicles": f.vehicles, "cap": f.tech_vehicle_cap})
        )
    if f.loges and f.zone == "sous_tension":
        out.append(Warning("loges", f.id, None, {"zone": f.zone}))
    granted: dict[str, list[PermitFacts]] = {}
    for a in permits:
        p = a.permit
        named = {"type": _label(rules, p.type)}
        if a.urgency is Urgency.OVERDUE and a.deadline is not None:
            data: dict[str, Any] = {"type": p.type, "deadline": a.deadline.isoformat()}
            out.append(Warning("overdue", f.id, p.id, data, named))
        elif a.urgency is Urgency.DUE_3 and a.deadline is not None:
            data = {
                "type": p.type,
                "deadline": a.deadline.isoformat(),
                "working_days_left": a.working_days_left,
            }
            out.append(Warning("due", f.id, p.id, data, named))
        night = f.night(rules.night_after)
        if p.type == "declaration_prealable" and night and p.status != "cancelled":
            data = {"type": p.type, "after": rules.night_after}
            out.append(Warning("night", f.id, p.id, data, named))
        if p.status in ("granted", "granted_with_conditions"):
            granted.setdefault(p.type, []).append(p)
            for day in p.shoot_days or f.shoot_days:
                if (p.valid_from or p.valid_to) and not _covers(p, day) and day >= today:
                    data = {
                        "type": p.type,
                        "valid_from": _iso(p.valid_from),
                        "valid_to": _iso(p.valid_to),
                        "shoot_day": day.isoformat(),
                    }
                    out.append(Warning("validity", f.id, p.id, data, named))
    holding = lieu_notices(f, rules)
    for notice in rules.notices:
        if notice.id in holding:
            data = {"notice": notice.id, "confidence": notice.confidence}
            out.append(Warning(notice.id, f.id, None, data, {"text": notice.text_text}))
    needed = needed_types(f, rules)
    for day in f.shoot_days:
        if day < today:
            continue
        missing = sorted(
            t for t in needed if not any(_covers_or_open(p, day) for p in granted.get(t, ()))
        )
        if missing:
            data = {"shoot_day": day.isoformat(), "types": missing}
            names = {"types": tuple(_label(rules, t) for t in missing)}
            out.append(Warning("not_granted", f.id, None, data, names))
    return out


def production_notice(notice: Any, lieu_id: int, before: date) -> Warning:
    """A step taken once per production (the City's VHSS charter) before its first shoot
    day, said on the lieu that is shot first."""
    data = {"notice": notice.id, "confidence": notice.confidence, "before": before.isoformat()}
    return Warning(notice.id, lieu_id, None, data, {"text": notice.text_text})


def warning_message(w: Warning) -> str:
    """The warning as a sentence, in the language of the run."""
    d = w.data
    if "notice" in d:
        text = _said(w.texts.get("text")) or str(d["notice"])
        confidence = confidence_label(str(d.get("confidence", "unknown")))
        if "before" in d:
            # i18n: a notice of the rules, the day before which to act, how sure it is
            return _("{text} — before {date} [{confidence}]").format(
                text=text, date=_day(d["before"]), confidence=confidence
            )
        return f"{text} [{confidence}]"
    kind = w.kind
    label = _said(w.texts.get("type")) or str(d.get("type", ""))
    if kind == "vehicles":
        return ngettext(
            "{count} technical vehicle: the cap in this zone is {cap} (catering excluded)",
            "{count} technical vehicles: the cap in this zone is {cap} (catering excluded)",
            int(d["vehicles"]),
        ).format(count=d["vehicles"], cap=d["cap"])
    if kind == "loges":
        return _(
            "loges (dressing-room vehicles) are no longer allowed in the arrondissements "
            "under pressure"
        )
    if kind == "overdue":
        return _("{type}: filing deadline {date} has passed").format(
            type=label, date=_day(d["deadline"])
        )
    if kind == "due":
        left = int(d.get("working_days_left") or 0)
        return ngettext(
            "{type}: file by {date} ({count} working day left)",
            "{type}: file by {date} ({count} working days left)",
            left,
        ).format(type=label, date=_day(d["deadline"]), count=left)
    if kind == "night":
        return _(
            "a prior declaration does not allow shooting after {time}: a full request is needed"
        ).format(time=d["after"])
    if kind == "validity":
        span = f"{_day(d.get('valid_from'), '…')}–{_day(d.get('valid_to'), '…')}"
        return _("{type} is valid {span}: it does not cover the shoot day {date}").format(
            type=label, span=span, date=_day(d["shoot_day"])
        )
    if kind == "not_granted":
        names = _said(w.texts.get("types")) or ", ".join(d.get("types", ()))
        return _("shoot day {date}: not yet granted: {types}").format(
            date=_day(d["shoot_day"]), types=names
        )
    return kind


def _said(text: Text | tuple[Text, ...] | None) -> str:
    """Texts of the rules in the language of the run ("" for none)."""
    if text is None:
        return ""
    if isinstance(text, tuple):
        return ", ".join(str(t) for t in text)
    return str(text)


def _day(iso: Any, empty: str = "—") -> str:
    """An ISO date of a warning's data as the language of the run writes it."""
    if not iso:
        return empty
    return formats.day(date.fromisoformat(str(iso)))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _label(rules: Rules, type_id: str) -> Text:
    t = rules.types.get(type_id)
    return t.label_text if t else Text.plain(type_id)


def _covers(p: PermitFacts, day: date) -> bool:
    start = p.valid_from or date.min
    end = p.valid_to or p.valid_from or date.max
    return start <= day <= end


def _covers_or_open(p: PermitFacts, day: date) -> bool:
    """A granted permit without dates is taken to cover its shoot days."""
    if p.valid_from is None and p.valid_to is None:
        return not p.shoot_days or day in p.shoot_days
    return _covers(p, day)
