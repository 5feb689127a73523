"""The permit rules file: read, checked, and explained when it is wrong.

A mistake is reported with the file, the line and the reason; whoever loads the rules
keeps the last good ones (see `RulesBook`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from scout.domain.lieu import SITE_KINDS  # one list of site kinds, the fiche's
from scout.errors import ScoutError
from scout.permits.workdays import CALENDAR, WorkCalendar, calendar_with

UNITS = ("working_days", "calendar_days", "months")
CONFIDENCES = ("sure", "one-source", "unknown")
ZONES = ("sous_tension", "standard")
CONDITIONS: dict[str, type | tuple[type, ...]] = {
    "public_space": bool,
    "parking": bool,
    "night": bool,
    "drone": bool,
    "traffic_control": bool,
    "loges": bool,
    "interior": bool,
    "generator": bool,
    "site": list,
    "zone": str,
    "crew_min": int,
    "crew_max": int,
    "vehicles_min": int,
}
DEFAULT_NAME = "default rules"


class RulesError(ScoutError):
    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file, self.line, self.reason = file, line, reason
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class PermitType:
    id: str
    label: str
    authority: str
    lead: int
    unit: str
    needed_when: tuple[dict[str, Any], ...]
    source: str
    effective: date | None
    confidence: str
    note: str = ""

    @property
    def lead_text(self) -> str:
        words = {"working_days": "jours ouvrés", "calendar_days": "jours", "months": "mois"}
        return f"{self.lead} {words[self.unit]}"


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the régie must know when a situation holds (a drone in Paris, a
    generator on the road), or once per production (`scope = "production"`)."""

    id: str
    text: str
    when: tuple[dict[str, Any], ...]
    scope: str  # "lieu" or "production"
    source: str
    confidence: str


@dataclass(frozen=True, slots=True)
class Rules:
    types: dict[str, PermitType]
    origin: str  # the file they came from, for messages
    # Shooting after this is night for the prior declaration [sure]; the City's guide
    # calls night 22:00–07:00 [one source]: both are data.
    night_after: str = "23:00"
    night_guide: tuple[str, str] = ("22:00", "07:00")
    # Days an authority does not work (the Mission's year-end closure): not working days
    # for the deadlines of its permits.
    closures: dict[str, frozenset[date]] = field(default_factory=dict)
    notices: tuple[Notice, ...] = ()

    def calendar_for(self, authority: str) -> WorkCalendar:
        closed = self.closures.get(authority)
        return calendar_with(closed) if closed else CALENDAR

    def type(self, type_id: str) -> PermitType:
        try:
            return self.types[type_id]
        except KeyError:
            known = ", ".join(self.types)
            raise ScoutError(f"unknown permit type {type_id!r} (the rules know: {known})") from None


# The longest lead a permit can have, per unit: beyond, it is a typing mistake.
MAX_LEAD = {"working_days": 260, "calendar_days": 366, "months": 24}
TEXT_KEYS = ("label", "authority", "source", "confidence", "unit", "note")
# Situation conditions that are counts: never negative, never absurd.
COUNT_CONDITIONS = {"crew_min", "crew_max", "vehicles_min"}
MAX_COUNT = 10_000


def parse_rules(text: str, origin: str) -> Rules:
    text = text.removeprefix("\ufeff")  # a BOM left by a Windows editor is not a mistake
    try:
        doc = tomllib.loads(text)
    except RecursionError:
        raise RulesError(origin, _deep_line(text), "not valid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as e:
        match = re.search(r"\(at line (\d+)", str(e))
        raise RulesError(
            origin, int(match[1]) if match else None, f"not valid TOML: {str(e).split(' (at')[0]}"
        ) from None
    lines = text.splitlines()
    types = doc.get("types")
    if not isinstance(types, dict) or not types:
        raise RulesError(origin, None, "no [types.…] tables: nothing says which permits exist")
    out = {}
    for type_id, spec in types.items():
        out[type_id] = _permit_type(type_id, spec, origin, lines)
    unknown = set(doc) - {"types", "night", "closures", "notices"}
    if unknown:
        name = sorted(unknown)[0]
        raise RulesError(origin, _line_of(lines, None, name), f"unknown section [{name}]")

    def fail(section: str, reason: str) -> RulesError:
        return RulesError(origin, _line_of(lines, None, section), f"[{section}]: {reason}")

    night = doc.get("night", {})
    if not isinstance(night, dict):
        raise fail("night", "must be a table")
    after = night.get("declaration_after", "23:00")
    guide = night.get("guide", "22:00-07:00")
    if not (isinstance(after, str) and _HHMM.fullmatch(after)):
        raise fail("night", f"declaration_after must be HH:MM, not {after!r}")
    if not (isinstance(guide, str) and _SPAN.fullmatch(guide)):
        raise fail("night", f"guide must be HH:MM-HH:MM, not {guide!r}")
    start, end = guide.split("-")
    return Rules(
        out,
        origin,
        night_after=after,
        night_guide=(start, end),
        closures=_closures(doc.get("closures", {}), fail),
        notices=_notices(doc.get("notices", {}), fail),
    )


_HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_SPAN = re.compile(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d")


def _closures(spec: Any, fail: Any) -> dict[str, frozenset[date]]:
    """{authority: [ {from, to, source, confidence}, … ]} → the closed days of each."""
    if not isinstance(spec, dict):
        raise fail("closures", "must be a table of authorities")
    out: dict[str, frozenset[date]] = {}
    for authority, spans in spec.items():
        if not isinstance(spans, list):
            raise fail("closures", f"{authority!r}: a list of {{ from = …, to = … }}")
        days: set[date] = set()
        for span in spans:
            first = span.get("from") if isinstance(span, dict) else None
            last = span.get("to") if isinstance(span, dict) else None
            if not (isinstance(first, date) and isinstance(last, date)) or last < first:
                raise fail("closures", f"{authority!r}: each closure needs from ≤ to, as dates")
            if (last - first).days > 366:
                raise fail("closures", f"{authority!r}: a closure longer than a year")
            days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
        out[authority] = frozenset(days)
    return out


def _notices(spec: Any, fail: Any) -> tuple[Notice, ...]:
    if not isinstance(spec, dict):
        raise fail("notices", "must be a table of [notices.NAME]")
    out = []
    for notice_id, n in spec.items():
        if not isinstance(n, dict) or not isinstance(n.get("text"), str):
            raise fail("notices", f"{notice_id!r}: needs a text")
        scope = n.get("scope", "lieu")
        if scope not in ("lieu", "production"):
            raise fail("notices", f"{notice_id!r}: scope is lieu or production")
        when = n.get("when", [])
        if not isinstance(when, list) or not all(isinstance(w, dict) for w in when):
            raise fail("notices", f"{notice_id!r}: when is a list of condition tables")
        for situation in when:
            for key, value in situation.items():
                expected = CONDITIONS.get(key)
                if expected is None or not isinstance(value, expected):
                    raise fail("notices", f"{notice_id!r}: bad condition {key!r}")
        confidence = n.get("confidence", "unknown")
        if confidence not in CONFIDENCES:
            raise fail("notices", f"{notice_id!r}: confidence is one of {', '.join(CONFIDENCES)}")
        out.append(
            Notice(notice_id, n["text"], tuple(when), scope, str(n.get("source", "")), confidence)
        )
    return tuple(out)


def _permit_type(type_id: str, spec: Any, origin: str, lines: list[str]) -> PermitType:
    def fail(key: str | None, reason: str) -> RulesError:
        return RulesError(origin, _line_of(lines, type_id, key), f"type {type_id!r}: {reason}")

    def fail_at(condition: str, reason: str) -> RulesError:
        """A condition inside needed_when: the line where it is written."""
        line = _line_of(lines, type_id, condition, inline=True) or _line_of(
            lines, type_id, "needed_when"
        )
        return RulesError(origin, line, f"type {type_id!r}, needed_when: {reason}")

    if not isinstance(spec, dict):
        raise fail(None, "must be a table")
    for key in ("label", "authority", "lead", "unit", "source", "confidence"):
        if key not in spec:
            raise fail(None, f"missing {key!r}")
    known = {
        "label",
        "authority",
        "lead",
        "unit",
        "source",
        "confidence",
        "effective",
        "note",
        "needed_when",
    }
    for key in spec:
        if key not in known:
            raise fail(key, f"unknown key {key!r} (known: {', '.join(sorted(known))})")
    for key in TEXT_KEYS:
        if key in spec and not isinstance(spec[key], str):
            raise fail(key, f"{key} must be text in quotes, not {spec[key]!r}")
    lead = spec["lead"]
    if not isinstance(lead, int) or isinstance(lead, bool) or lead < 0:
        raise fail("lead", f"lead must be a whole number of days or months ≥ 0, not {lead!r}")
    if spec["unit"] not in UNITS:
        raise fail("unit", f"unknown unit {spec['unit']!r} (use {', '.join(UNITS)})")
    if lead > MAX_LEAD[spec["unit"]]:
        raise fail("lead", f"lead {lead} is more than {MAX_LEAD[spec['unit']]} {spec['unit']}")
    if spec["confidence"] not in CONFIDENCES:
        raise fail("confidence", f"confidence must be one of {', '.join(CONFIDENCES)}")
    effective = spec.get("effective")
    if effective is not None and not isinstance(effective, date):
        raise fail("effective", "effective must be a date such as 2024-09-01")
    situations = spec.get("needed_when", [])
    if not isinstance(situations, list):
        raise fail("needed_when", "needed_when must be a list of condition tables")
    for situation in situations:
        if not isinstance(situation, dict):
            raise fail("needed_when", "each situation must be a table { … }")
        for key, value in situation.items():
            expected = CONDITIONS.get(key)
            if expected is None:
                raise fail_at(key, f"unknown condition {key!r} (known: {', '.join(CONDITIONS)})")
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise fail_at(key, f"condition {key!r} has the wrong kind of value")
            if key in COUNT_CONDITIONS and isinstance(value, int) and not 0 <= value <= MAX_COUNT:
                raise fail_at(key, f"condition {key!r} must be 0 to {MAX_COUNT}, not {value}")
            if key == "site" and isinstance(value, list) and not set(value) <= set(SITE_KINDS):
                bad = sorted(set(value) - set(SITE_KINDS))
                raise fail_at(key, f"unknown site kind {bad[0]!r}")
            if key == "zone" and value not in ZONES:
                raise fail_at(key, f"unknown zone {value!r} (use {', '.join(ZONES)})")
    return PermitType(
        type_id,
        spec["label"],
        spec["authority"],
        lead,
        spec["unit"],
        tuple(situations),
        spec["source"],
        effective,
        spec["confidence"],
        spec.get("note", ""),
    )


def _line_of(
    lines: list[str], type_id: str | None, key: str | None, *, inline: bool = False
) -> int | None:
    """The line of `[types.ID]` (or of `key` inside it; with `inline`, also inside an
    inline table `{ key = … }`): tomllib gives no positions."""
    header = re.compile(rf"^\s*\[\s*types\.{re.escape(type_id)}\s*\]") if type_id else None
    start = 0
    if header is not None:
        for n, line in enumerate(lines):
            if header.match(line):
                start = n
                break
        else:
            return None
        if key is None:
            return start + 1
    if inline and key:
        pattern = re.compile(rf"[{{,]\s*{re.escape(key)}\s*=")
        for n in range(start + 1, len(lines)):
            if re.match(r"^\s*\[", lines[n]):
                return None
            if pattern.search(lines[n]):
                return n + 1
        return None
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=" if key else r"$^")
    section = re.compile(r"^\s*\[")
    for n in range(start + (1 if header else 0), len(lines)):
        if header is not None and section.match(lines[n]):
            break
        if pattern.match(lines[n]) or (header is None and key and f"[{key}" in lines[n]):
            return n + 1
    return start + 1 if header else None


def _deep_line(text: str, limit: int = 100) -> int:
    """The line where brackets first nest deeper than anyone writes rules."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        for ch in line:
            depth += ch in "[{"
            depth -= ch in "]}"
            if depth > limit:
                return number
    return 1


def default_rules() -> Rules:
    text = resources.files("scout.permits").joinpath("default_rules.toml").read_text("utf-8")
    return parse_rules(text, DEFAULT_NAME)


MAX_RULES_BYTES = 1 << 20


def load_rules_file(path: Path) -> Rules:
    import stat

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would hang, a device never end
            raise RulesError(str(path), None, "is not a regular file")
        if info.st_size > MAX_RULES_BYTES:
            raise RulesError(str(path), None, f"is larger than {MAX_RULES_BYTES:,} bytes")
        text = path.read_bytes().decode("utf-8")
    except OSError as e:
        raise RulesError(str(path), None, f"cannot be read: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise RulesError(str(path), None, f"is not UTF-8 text (byte {e.start + 1})") from None
    return parse_rules(text, str(path))


class RulesBook:
    """The rules in force: a production's file if there is one, else the defaults.
    A broken file is reported and the last good rules stay in force."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.rules = default_rules()
        self.error: RulesError | None = None
        self.reload()

    def reload(self) -> RulesError | None:
        if self.path is None or not self.path.exists():
            self.error = None
            return None
        try:
            self.rules = load_rules_file(self.path)
            self.error = None
        except RulesError as e:
            self.error = e
        return self.error
