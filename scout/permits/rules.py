"""The permit rules file: read, checked, and explained when it is wrong.

A mistake is reported with the file, the line and the reason; whoever loads the rules
keeps the last good ones (see `RulesBook`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from scout.errors import ScoutError

UNITS = ("working_days", "calendar_days", "months")
CONFIDENCES = ("sure", "one-source", "unknown")
SITE_KINDS = (
    "street",
    "bridge",
    "park",
    "quay",
    "canal",
    "seine",
    "monument",
    "city_building",
    "sports",
    "sncf",
    "ratp",
    "church",
    "private",
)
ZONES = ("sous_tension", "standard")
CONDITIONS: dict[str, type | tuple[type, ...]] = {
    "public_space": bool,
    "parking": bool,
    "night": bool,
    "drone": bool,
    "traffic_control": bool,
    "loges": bool,
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
class Rules:
    types: dict[str, PermitType]
    origin: str  # the file they came from, for messages

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
        raise RulesError(origin, None, "not valid TOML: nested too deeply") from None
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
    unknown = set(doc) - {"types"}
    if unknown:
        name = sorted(unknown)[0]
        raise RulesError(origin, _line_of(lines, None, name), f"unknown section [{name}]")
    return Rules(out, origin)


def _permit_type(type_id: str, spec: Any, origin: str, lines: list[str]) -> PermitType:
    def fail(key: str | None, reason: str) -> RulesError:
        return RulesError(origin, _line_of(lines, type_id, key), f"type {type_id!r}: {reason}")

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
                raise fail(
                    "needed_when", f"unknown condition {key!r} (known: {', '.join(CONDITIONS)})"
                )
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise fail("needed_when", f"condition {key!r} has the wrong kind of value")
            if key in COUNT_CONDITIONS and isinstance(value, int) and not 0 <= value <= MAX_COUNT:
                raise fail(
                    "needed_when", f"condition {key!r} must be 0 to {MAX_COUNT}, not {value}"
                )
            if key == "site" and isinstance(value, list) and not set(value) <= set(SITE_KINDS):
                bad = sorted(set(value) - set(SITE_KINDS))
                raise fail("needed_when", f"unknown site kind {bad[0]!r}")
            if key == "zone" and value not in ZONES:
                raise fail("needed_when", f"unknown zone {value!r} (use {', '.join(ZONES)})")
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


def _line_of(lines: list[str], type_id: str | None, key: str | None) -> int | None:
    """The line of `[types.ID]` (or of `key` inside it): tomllib gives no positions."""
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
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=" if key else r"$^")
    section = re.compile(r"^\s*\[")
    for n in range(start + (1 if header else 0), len(lines)):
        if header is not None and section.match(lines[n]):
            break
        if pattern.match(lines[n]) or (header is None and key and f"[{key}" in lines[n]):
            return n + 1
    return start + 1 if header else None


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
