"""The permit rules file: read, checked, and explained when it is wrong.

A mistake is reported with the file, the line and the reason; whoever loads the rules
keeps the last good ones (see `RulesBook`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from scout.domain.lieu import SITE_KINDS  # one list of site kinds, the fiche's
from scout.errors import ScoutError
from scout.files import os_reason
from scout.i18n import LANGUAGES, Text, _, formats, ngettext, pgettext
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
        where = _("{file}, line {line}").format(file=file, line=line) if line else file
        super().__init__(_("{where}: {reason}").format(where=where, reason=reason))


def confidence_label(confidence: str) -> str:
    """How sure a rule is, in words: the codes of the rules file (sure, one-source,
    unknown) → « sûr », « une source », « inconnu » | « sure », « one source »…"""
    words = {
        "sure": pgettext("confidence", "sure"),
        "one-source": pgettext("confidence", "one source"),
        "unknown": pgettext("confidence", "unknown"),
    }
    return words.get(confidence, confidence)


def lead_text(lead: int, unit: str) -> str:
    """« 15 jours ouvrés », « 1 mois » | « 15 working days », « 1 month »."""
    if unit == "working_days":
        return ngettext("{n} working day", "{n} working days", lead).format(n=lead)
    if unit == "calendar_days":
        return ngettext("{n} day", "{n} days", lead).format(n=lead)
    return ngettext("{n} month", "{n} months", lead).format(n=lead)


@dataclass(frozen=True, slots=True)
class PermitType:
    """A kind of permit. Its texts (`label`, `authority`, `source`, `note`) are said in the
    language of the run when read; `texts` keeps both languages."""

    id: str
    label_text: Text
    authority_text: Text
    lead: int
    unit: str
    needed_when: tuple[dict[str, Any], ...]
    source_text: Text
    effective: date | None
    confidence: str
    note_text: Text = Text()

    @property
    def label(self) -> str:
        return str(self.label_text)

    @property
    def authority(self) -> str:
        return str(self.authority_text)

    @property
    def source(self) -> str:
        return str(self.source_text)

    @property
    def note(self) -> str:
        return str(self.note_text)

    @property
    def lead_text(self) -> str:
        return lead_text(self.lead, self.unit)


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the régie must know when a situation holds (a drone in Paris, a
    generator on the road), or once per production (`scope = "production"`). `text` and
    `source` are said in the language of the run when read."""

    id: str
    text_text: Text
    when: tuple[dict[str, Any], ...]
    scope: str  # "lieu" or "production"
    source_text: Text
    confidence: str

    @property
    def text(self) -> str:
        return str(self.text_text)

    @property
    def source(self) -> str:
        return str(self.source_text)


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

    def calendar_for(self, authority: str | Text) -> WorkCalendar:
        """The working days of an authority, named in either language."""
        names = authority.variants() if isinstance(authority, Text) else (authority,)
        for name in names:
            closed = self.closures.get(name)
            if closed:
                return calendar_with(closed)
        return CALENDAR

    def type(self, type_id: str) -> PermitType:
        try:
            return self.types[type_id]
        except KeyError:
            known = ", ".join(self.types)
            raise ScoutError(
                _("unknown permit type {type!r} (the rules know: {known})").format(
                    type=type_id, known=known
                )
            ) from None


# The longest lead a permit can have, per unit: beyond, it is a typing mistake.
MAX_LEAD = {"working_days": 260, "calendar_days": 366, "months": 24}
# Texts a person reads: a string (one text for both languages) or { fr = "…", en = "…" }.
LOCALISED_KEYS = ("label", "authority", "source", "note")
TEXT_KEYS = ("confidence", "unit")  # codes: plain strings
# Situation conditions that are counts: never negative, never absurd.
COUNT_CONDITIONS = {"crew_min", "crew_max", "vehicles_min"}
MAX_COUNT = 10_000


def parse_rules(text: str, origin: str) -> Rules:
    text = text.removeprefix("\ufeff")  # a BOM left by a Windows editor is not a mistake
    try:
        doc = tomllib.loads(text)
    except RecursionError:
        raise RulesError(origin, _deep_line(text), _("not valid TOML: nested too deeply")) from None
    except tomllib.TOMLDecodeError as e:
        match = re.search(r"\(at line (\d+)", str(e))
        raise RulesError(
            origin,
            int(match[1]) if match else None,
            _("not valid TOML: {reason}").format(reason=str(e).split(" (at")[0]),
        ) from None
    lines = text.splitlines()
    types = doc.get("types")
    if not isinstance(types, dict) or not types:
        raise RulesError(origin, None, _("no [types.…] tables: nothing says which permits exist"))
    out = {}
    for type_id, spec in types.items():
        out[type_id] = _permit_type(type_id, spec, origin, lines)
    unknown = set(doc) - {"types", "night", "closures", "notices"}
    if unknown:
        name = sorted(unknown)[0]
        raise RulesError(
            origin,
            _line_of(lines, None, name),
            _("unknown section [{section}]").format(section=name),
        )

    def fail(section: str, reason: str, entry: str | None = None) -> RulesError:
        line = _line_of(lines, entry, None, table=section) if entry else None
        return RulesError(
            origin,
            line or _line_of(lines, None, section),
            _("[{section}]: {reason}").format(section=section, reason=reason),
        )

    night = doc.get("night", {})
    if not isinstance(night, dict):
        raise fail("night", _("must be a table"))
    after = night.get("declaration_after", "23:00")
    guide = night.get("guide", "22:00-07:00")
    if not (isinstance(after, str) and _HHMM.fullmatch(after)):
        raise fail("night", _("declaration_after must be HH:MM, not {value!r}").format(value=after))
    if not (isinstance(guide, str) and _SPAN.fullmatch(guide)):
        raise fail("night", _("guide must be HH:MM-HH:MM, not {value!r}").format(value=guide))
    start, end = guide.split("-")
    return Rules(
        out,
        origin,
        night_after=after,
        night_guide=(start, end),
        closures=_by_every_name(_closures(doc.get("closures", {}), fail), out),
        notices=_notices(doc.get("notices", {}), fail),
    )


def _by_every_name(
    closures: dict[str, frozenset[date]], types: dict[str, PermitType]
) -> dict[str, frozenset[date]]:
    """The closures of an authority under each of its names: the file names it in one
    language, a permit may name it in the other."""
    out = dict(closures)
    for ptype in types.values():
        names = ptype.authority_text.variants()
        closed = next((closures[n] for n in names if n in closures), None)
        if closed is not None:
            for name in names:
                out.setdefault(name, closed)
    return out


_HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_SPAN = re.compile(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d")
MAX_TEXT = 2000  # characters of one text of the rules: beyond, it is not a label or a note


def localised(value: Any, key: str) -> Text:
    """A text of the rules as the file gives it: a string (one text, shown as it is in
    both languages) or a table { fr = "…", en = "…" } (one language may be left out: the
    other is shown). Raises ValueError with the reason, in the language of the run."""
    if isinstance(value, str):
        if not value.strip() or len(value) > MAX_TEXT:
            raise ValueError(
                _("{key} must be a text of 1 to {limit} characters").format(key=key, limit=MAX_TEXT)
            )
        return Text.plain(value)
    if not isinstance(value, dict):
        raise ValueError(
            _(
                "{key} must be text in quotes, or a table of texts by language "
                "(fr, en), not {value!r}"
            ).format(key=key, value=value)
        )
    for language, text in value.items():
        if language not in LANGUAGES:
            raise ValueError(
                _("{key}: unknown language {language!r} (use {languages})").format(
                    key=key, language=language, languages=", ".join(LANGUAGES)
                )
            )
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
            raise ValueError(
                _(
                    "{key}.{language} must be text in quotes (1 to {limit} characters), not "
                    "{value!r}"
                ).format(key=key, language=language, limit=MAX_TEXT, value=text)
            )
    if not value:
        raise ValueError(_("{key} gives no text (fr, en)").format(key=key))
    return Text(value.get("fr", ""), value.get("en", ""))


def _closures(spec: Any, fail: Callable[..., RulesError]) -> dict[str, frozenset[date]]:
    """{authority: [ {from, to, source, confidence}, … ]} → the closed days of each."""
    if not isinstance(spec, dict):
        raise fail("closures", _("must be a table of authorities"))
    out: dict[str, frozenset[date]] = {}
    for authority, spans in spec.items():
        if not isinstance(spans, list):
            raise fail(
                "closures",
                _("{authority!r}: a list of {{ from = …, to = … }}").format(authority=authority),
            )
        days: set[date] = set()
        for span in spans:
            first = span.get("from") if isinstance(span, dict) else None
            last = span.get("to") if isinstance(span, dict) else None
            if not (isinstance(first, date) and isinstance(last, date)) or last < first:
                raise fail(
                    "closures",
                    _("{authority!r}: each closure needs from ≤ to, as dates").format(
                        authority=authority
                    ),
                )
            if (last - first).days > 366:
                raise fail(
                    "closures",
                    _("{authority!r}: a closure longer than a year").format(authority=authority),
                )
            days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
        out[authority] = frozenset(days)
    return out


def _notices(spec: Any, fail: Callable[..., RulesError]) -> tuple[Notice, ...]:
    if not isinstance(spec, dict):
        raise fail("notices", _("must be a table of [notices.NAME]"))
    out = []
    for notice_id, n in spec.items():

        def bad(reason: str, notice: str = notice_id) -> RulesError:
            return fail("notices", f"{notice!r}: {reason}", notice)

        if not isinstance(n, dict) or "text" not in n:
            raise bad(_("needs a text"))
        known = {"text", "when", "scope", "source", "confidence"}
        for key in n:
            if key not in known:
                raise bad(
                    _("unknown key {key!r} (known: {known})").format(
                        key=key, known=", ".join(sorted(known))
                    )
                )
        try:
            text = localised(n["text"], "text")
            source = localised(n["source"], "source") if "source" in n else Text()
        except ValueError as e:
            raise bad(str(e)) from None
        scope = n.get("scope", "lieu")
        if scope not in ("lieu", "production"):
            raise bad(_("scope is lieu or production"))
        when = n.get("when", [])
        if not isinstance(when, list) or not all(isinstance(w, dict) for w in when):
            raise bad(_("when is a list of condition tables"))
        for situation in when:
            for key, value in situation.items():
                expected = CONDITIONS.get(key)
                if expected is None or not isinstance(value, expected):
                    raise bad(_("bad condition {key!r}").format(key=key))
        confidence = n.get("confidence", "unknown")
        if confidence not in CONFIDENCES:
            raise bad(_("confidence is one of {choices}").format(choices=", ".join(CONFIDENCES)))
        out.append(Notice(notice_id, text, tuple(when), scope, source, confidence))
    return tuple(out)


def _permit_type(type_id: str, spec: Any, origin: str, lines: list[str]) -> PermitType:
    def fail(key: str | None, reason: str) -> RulesError:
        return RulesError(
            origin,
            _line_of(lines, type_id, key),
            _("type {type!r}: {reason}").format(type=type_id, reason=reason),
        )

    def fail_at(condition: str, reason: str) -> RulesError:
        """A condition inside needed_when: the line where it is written."""
        line = _line_of(lines, type_id, condition, inline=True) or _line_of(
            lines, type_id, "needed_when"
        )
        return RulesError(
            origin,
            line,
            _("type {type!r}, needed_when: {reason}").format(type=type_id, reason=reason),
        )

    if not isinstance(spec, dict):
        raise fail(None, _("must be a table"))
    for key in ("label", "authority", "lead", "unit", "source", "confidence"):
        if key not in spec:
            raise fail(None, _("missing {key!r}").format(key=key))
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
            raise fail(
                key,
                _("unknown key {key!r} (known: {known})").format(
                    key=key, known=", ".join(sorted(known))
                ),
            )
    texts: dict[str, Text] = {}
    for key in LOCALISED_KEYS:
        if key in spec:
            try:
                texts[key] = localised(spec[key], key)
            except ValueError as e:
                raise fail(key, str(e)) from None
    for key in TEXT_KEYS:
        if not isinstance(spec[key], str):
            raise fail(
                key,
                _("{key} must be text in quotes, not {value!r}").format(key=key, value=spec[key]),
            )
    lead = spec["lead"]
    if not isinstance(lead, int) or isinstance(lead, bool) or lead < 0:
        raise fail(
            "lead",
            _("lead must be a whole number of days or months ≥ 0, not {value!r}").format(
                value=lead
            ),
        )
    if spec["unit"] not in UNITS:
        raise fail(
            "unit",
            _("unknown unit {unit!r} (use {units})").format(
                unit=spec["unit"], units=", ".join(UNITS)
            ),
        )
    if lead > MAX_LEAD[spec["unit"]]:
        raise fail(
            "lead",
            _("lead {lead} is more than {limit} {unit}").format(
                lead=lead, limit=MAX_LEAD[spec["unit"]], unit=spec["unit"]
            ),
        )
    if spec["confidence"] not in CONFIDENCES:
        raise fail(
            "confidence",
            _("confidence must be one of {choices}").format(choices=", ".join(CONFIDENCES)),
        )
    effective = spec.get("effective")
    if effective is not None and not isinstance(effective, date):
        raise fail("effective", _("effective must be a date such as 2024-09-01"))
    situations = spec.get("needed_when", [])
    if not isinstance(situations, list):
        raise fail("needed_when", _("needed_when must be a list of condition tables"))
    for situation in situations:
        if not isinstance(situation, dict):
            raise fail("needed_when", _("each situation must be a table { … }"))
        for key, value in situation.items():
            expected = CONDITIONS.get(key)
            if expected is None:
                raise fail_at(
                    key,
                    _("unknown condition {condition!r} (known: {known})").format(
                        condition=key, known=", ".join(CONDITIONS)
                    ),
                )
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise fail_at(
                    key,
                    _("condition {condition!r} has the wrong kind of value").format(condition=key),
                )
            if key in COUNT_CONDITIONS and isinstance(value, int) and not 0 <= value <= MAX_COUNT:
                raise fail_at(
                    key,
                    _("condition {condition!r} must be 0 to {limit}, not {value}").format(
                        condition=key, limit=MAX_COUNT, value=value
                    ),
                )
            if key == "site" and isinstance(value, list) and not set(value) <= set(SITE_KINDS):
                bad = sorted(set(value) - set(SITE_KINDS), key=str)
                raise fail_at(key, _("unknown site kind {kind!r}").format(kind=bad[0]))
            if key == "zone" and value not in ZONES:
                raise fail_at(
                    key,
                    _("unknown zone {zone!r} (use {zones})").format(
                        zone=value, zones=", ".join(ZONES)
                    ),
                )
    return PermitType(
        type_id,
        texts["label"],
        texts["authority"],
        lead,
        spec["unit"],
        tuple(situations),
        texts["source"],
        effective,
        spec["confidence"],
        texts.get("note", Text()),
    )


def _line_of(
    lines: list[str],
    type_id: str | None,
    key: str | None,
    *,
    inline: bool = False,
    table: str = "types",
) -> int | None:
    """The line of `[types.ID]` (or `[TABLE.ID]`; or of `key` inside it; with `inline`,
    also inside an inline table `{ key = … }`): tomllib gives no positions."""
    header = (
        re.compile(rf"^\s*\[\s*{re.escape(table)}\.{re.escape(type_id)}\s*\]") if type_id else None
    )
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
            raise RulesError(str(path), None, _("is not a regular file"))
        if info.st_size > MAX_RULES_BYTES:
            raise RulesError(
                str(path),
                None,
                _("is larger than {size} bytes").format(size=formats.number(MAX_RULES_BYTES)),
            )
        text = path.read_bytes().decode("utf-8")
    except OSError as e:
        raise RulesError(
            str(path), None, _("cannot be read: {reason}").format(reason=os_reason(e))
        ) from None
    except UnicodeDecodeError as e:
        raise RulesError(
            str(path), None, _("is not UTF-8 text (byte {position})").format(position=e.start + 1)
        ) from None
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
