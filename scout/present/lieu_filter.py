"""The list's filter: what a person types in the filter box, read as words and tokens, and
the index that answers it in a few milliseconds over 20,000 lieux.

    rivoli 5e                    words (anywhere in the fiche) and an arrondissement
    arr:5,6  status:option       one of these arrondissements, this scouting status
    permit:late  decor:salon     a permit state, a décor (part of its name)
    tag:nuit  date:2026-12-01..2026-12-31  geocode:pending  pmr:none

Keywords and values are French or English, accents and case aside (`statut:validée`,
`autorisation:en-retard`, `décor:…`); a value may be the start of one (`status:ret`);
commas say "or" (`arr:5,6`); quotes keep spaces (`decor:"salle a manger"`). What cannot
be read is said in `Query.errors` (the status line shows it) and left out, never raised.

No Textual here: the TUI's table calls `LieuSearch.select`, tests call it directly.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, partial

from scout.domain.lieu import ScoutingStatus, typed_word
from scout.domain.values import fold
from scout.i18n import _
from scout.permits.deadlines import Urgency
from scout.permits.review import TO_CREATE, ReviewRow
from scout.store.repository import LieuRow

# -- the words of the filter --------------------------------------------------------------
# folded keyword → the key it means
KEYWORDS = {
    "arr": "arr",
    "arrondissement": "arr",
    "ardt": "arr",
    "status": "status",
    "statut": "status",
    "permit": "permit",
    "permits": "permit",
    "permis": "permit",
    "autorisation": "permit",
    "autorisations": "permit",
    "decor": "decor",
    "decors": "decor",
    "tag": "tag",
    "tags": "tag",
    "etiquette": "tag",
    "etiquettes": "tag",
    "date": "date",
    "dates": "date",
    "shoot": "date",
    "tournage": "date",
    "geocode": "geocode",
    "geocoding": "geocode",
    "geocodage": "geocode",
    "pmr": "pmr",
    "access": "pmr",
    "accessibilite": "pmr",
}
KEYS = ("arr", "status", "permit", "decor", "tag", "date", "geocode", "pmr")

RETAINED = "retained"  # status:retained is the ★, not a scouting status
_STATUS_WORDS: dict[str, str] = {
    **{w: m.value for m in ScoutingStatus for w in m._words},
    "retained": RETAINED,
    "retenu": RETAINED,
    "retenue": RETAINED,
    "star": RETAINED,
    "etoile": RETAINED,
}

# A lieu's permit states (several at once: one permit late, another granted).
PERMIT_STATES = ("none", "to_create", "to_file", "late", "filed", "granted", "refused")
_PERMIT_WORDS = {
    "none": "none",
    "no": "none",
    "aucune": "none",
    "aucun": "none",
    "sans": "none",
    "to create": "to_create",
    "a creer": "to_create",
    "missing": "to_create",
    "manquante": "to_create",
    "to file": "to_file",
    "to request": "to_file",
    "a deposer": "to_file",
    "a demander": "to_file",
    "open": "to_file",
    "late": "late",
    "overdue": "late",
    "retard": "late",
    "en retard": "late",
    "filed": "filed",
    "awaiting": "filed",
    "under review": "filed",
    "deposee": "filed",
    "en attente": "filed",
    "en instruction": "filed",
    "granted": "granted",
    "accordee": "granted",
    "refused": "refused",
    "refusee": "refused",
}
_GEOCODE_WORDS = {
    "pending": True,
    "needed": True,
    "todo": True,
    "yes": True,
    "a geocoder": True,
    "en attente": True,
    "oui": True,
    "done": False,
    "placed": False,
    "no": False,
    "place": False,
    "fait": False,
    "non": False,
}
_PMR_WORDS = {
    "none": "none",
    "0": "none",
    "not assessed": "none",
    "aucun": "none",
    "non evalue": "none",
    "a evaluer": "none",
    "partial": "partial",
    "partiel": "partial",
    "done": "done",
    "assessed": "done",
    "complete": "done",
    "complet": "done",
    "evalue": "done",
    "6": "done",
}

# « 5e », « 5 », « 1er », « 5eme »: an arrondissement, not a substring (the 5e, never the 15e).
_ARRONDISSEMENT = re.compile(r"^(\d{1,2})(?:e|er|ere|re|eme)?$")
_KEYWORD = re.compile(r"^([a-z]+):(.*)$", re.S)
_TOKEN = re.compile(r'(\S*?)(?:"([^"]*)"?|«\s*([^»]*?)\s*(?:»|$))|(\S+)')


@dataclass(frozen=True)
class Query:
    """A filter box read: every part must hold (values of one key: any of them)."""

    words: tuple[str, ...] = ()  # folded; each a substring of the lieu's words
    arrondissements: frozenset[int] = frozenset()
    statuses: frozenset[str] = frozenset()  # scouting statuses, or "retained"
    permits: frozenset[str] = frozenset()  # PERMIT_STATES
    decors: tuple[tuple[str, ...], ...] = ()  # each group: one of these in the décor
    tags: tuple[tuple[str, ...], ...] = ()  # each group: one of these in a tag
    date_from: date | None = None
    date_to: date | None = None
    geocode_pending: bool | None = None
    pmr: frozenset[str] = frozenset()  # "none", "partial", "done"
    errors: tuple[str, ...] = field(default=(), compare=False)

    @property
    def dated(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    @property
    def empty(self) -> bool:
        return self == Query()

    @property
    def needs_permits(self) -> bool:
        return bool(self.permits)


def split_tokens(text: str) -> list[str]:
    """Words split on spaces, except inside "…" or « … » (a key's value may be quoted)."""
    out = []
    for m in _TOKEN.finditer(text):
        if m.group(4) is not None:
            out.append(m.group(4))
        else:
            quoted = m.group(2) if m.group(2) is not None else m.group(3) or ""
            out.append(m.group(1) + quoted)
    return [t for t in out if t]


def _values(raw: str) -> list[str]:
    return [typed_word(v) for v in raw.split(",") if typed_word(v)]


def _lookup(value: str, words: Mapping[str, object]) -> set[object]:
    """The meanings of a typed value: its own, else those of every word it starts."""
    if value in words:
        return {words[value]}
    return {meaning for word, meaning in words.items() if word.startswith(value)}


def _meanings(
    values: list[str],
    words: Mapping[str, object],
    unknown: str,
    choices: list[str],
    errors: list[str],
) -> set[str]:
    """The meanings of typed words (`_lookup`); each unknown one adds `unknown` (filled
    with {value} and {choices}) to `errors`. `status:` and `permit:` read their words
    alike through here."""
    found: set[str] = set()
    for v in values:
        meanings = _lookup(v, words)
        if not meanings:
            errors.append(unknown.format(value=v, choices=", ".join(choices)))
        found.update(str(m) for m in meanings)
    return found


def parse_date(text: str) -> date | None:
    """2026-12-01, 01/12/2026 (None if neither)."""
    text = text.strip()
    try:
        if "/" in text:
            d, m, y = text.split("/")
            return date(int(y), int(m), int(d))
        return date.fromisoformat(text)
    except ValueError:
        return None


def _month(text: str) -> tuple[date, date] | None:
    found = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12:
        return None
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def parse_range(text: str) -> tuple[date | None, date | None] | None:
    """`2026-12-01..2026-12-31`, `2026-12-01..`, `..2026-12-31`, `2026-12-01`, `2026-12`
    (None if it cannot be read, or if it ends before it starts)."""
    if ".." in text:
        start_text, _sep, end_text = text.partition("..")
        start = parse_date(start_text) if start_text.strip() else None
        end = parse_date(end_text) if end_text.strip() else None
        if (start_text.strip() and start is None) or (end_text.strip() and end is None):
            return None
        if start is None and end is None:
            return None
        if start is not None and end is not None and end < start:
            return None
        return start, end
    month = _month(text)
    if month is not None:
        return month
    day = parse_date(text)
    return (day, day) if day is not None else None


def _date_error(typed: str) -> str:
    """Why `date:…` cannot be read, the value first (the status line is 80 columns)."""
    if not typed:
        return _("date: which days? date:2026-12-01..2026-12-31")
    start_text, _sep, end_text = typed.partition("..")
    start, end = parse_date(start_text), parse_date(end_text)
    if start is not None and end is not None and end < start:
        return _("“{value}”: the range ends before it starts").format(value=typed)
    return _("“{value}”: not a date — date:2026-12-01..2026-12-31").format(value=typed)


def parse_query(text: str) -> Query:
    """What the filter box says (never raises: what cannot be read is in `errors`)."""
    words: list[str] = []
    arrs: set[int] = set()
    statuses: set[str] = set()
    permits: set[str] = set()
    decors: list[tuple[str, ...]] = []
    tags: list[tuple[str, ...]] = []
    pmr: set[str] = set()
    geocode: bool | None = None
    date_from: date | None = None
    date_to: date | None = None
    errors: list[str] = []
    for token in split_tokens(text):
        folded = fold(token)
        if folded == "pmr0":  # the `n` key's word before these filters existed
            pmr.add("none")
            continue
        found = _KEYWORD.match(folded)
        if found is None:
            arr = _ARRONDISSEMENT.match(folded)
            if arr and 1 <= int(arr.group(1)) <= 20:
                arrs.add(int(arr.group(1)))
            else:
                words.append(folded)
            continue
        keyword, raw = found.group(1), found.group(2)
        key = KEYWORDS.get(keyword)
        if key is None:
            errors.append(
                _(
                    "“{keyword}:” unknown — arr: status: permit: décor: tag: date: geocode: pmr:"
                ).format(keyword=keyword)
            )
            continue
        # The value as typed (dates keep their dots and slashes), and its words.
        raw_value = token.split(":", 1)[1].strip().strip('"«» ')
        values = _values(raw)
        if not values and key != "date":
            continue  # `status:` while typing: nothing asked yet
        if key == "arr":
            for v in values:
                arr = _ARRONDISSEMENT.match(v.replace(" ", ""))
                if arr and 1 <= int(arr.group(1)) <= 20:
                    arrs.add(int(arr.group(1)))
                else:
                    errors.append(_("“{value}”: not an arrondissement (1 to 20)").format(value=v))
        elif key == "status":
            statuses |= _meanings(
                values,
                _STATUS_WORDS,
                _("“{value}”: unknown status — {choices}"),
                [m.label for m in ScoutingStatus] + [_("retained")],
                errors,
            )
        elif key == "permit":
            permits |= _meanings(
                values,
                _PERMIT_WORDS,
                _("“{value}”: unknown permit state — {choices}"),
                [permit_state_label(s) for s in PERMIT_STATES],
                errors,
            )
        elif key == "decor":
            decors.append(tuple(fold(v) for v in raw.split(",") if fold(v)))
        elif key == "tag":
            tags.append(tuple(fold(v) for v in raw.split(",") if fold(v)))
        elif key == "geocode":
            meanings = set().union(*(_lookup(v, _GEOCODE_WORDS) for v in values))
            if len(meanings) == 1:
                geocode = bool(meanings.pop())
            else:
                errors.append(
                    _("“{value}”: geocode:pending or geocode:done").format(value=raw_value)
                )
        elif key == "pmr":
            for v in values:
                meanings = _lookup(v, _PMR_WORDS)
                if not meanings:
                    errors.append(_("“{value}”: pmr:none, pmr:partial or pmr:done").format(value=v))
                pmr.update(str(m) for m in meanings)
        elif key == "date":
            span = parse_range(raw_value) if raw_value else None
            if span is None:
                errors.append(_date_error(raw_value))
            else:
                date_from, date_to = span
    return Query(
        tuple(words),
        frozenset(arrs),
        frozenset(statuses),
        frozenset(permits),
        tuple(d for d in decors if d),
        tuple(t for t in tags if t),
        date_from,
        date_to,
        geocode,
        frozenset(pmr),
        tuple(errors),
    )


def permit_state_label(state: str) -> str:
    """The word a person types for a permit state, in the language of the run."""
    return {
        "none": _("none"),
        "to_create": _("to-create"),
        "to_file": _("to-file"),
        "late": _("late"),
        "filed": _("filed"),
        "granted": _("granted"),
        "refused": _("refused"),
    }.get(state, state)


# -- a lieu's permit states, from the review ----------------------------------------------
_OPEN = frozenset({"to_request", "in_preparation"})
_AWAITING = frozenset({"filed", "under_review"})
_GRANTED = frozenset({"granted", "granted_with_conditions"})


def permit_states(rows: Iterable[ReviewRow]) -> dict[int, frozenset[str]]:
    """Each lieu's permit states, from the review's rows (a lieu with none: absent, which
    is the state "none"). "granted": every permit it has is granted."""
    seen: dict[int, set[str]] = {}
    ungranted: set[int] = set()
    for row in rows:
        states = seen.setdefault(row.lieu_id, set())
        status = row.status
        if status == TO_CREATE:
            states.add("to_create")
            states.add("to_file")
        elif status in _OPEN:
            states.add("to_file")
        elif status in _AWAITING:
            states.add("filed")
        elif status == "refused":
            states.add("refused")
        if row.urgency is Urgency.OVERDUE:
            states.add("late")
        if status in _GRANTED:
            states.add("granted")
        elif status not in ("cancelled", "expired"):
            ungranted.add(row.lieu_id)
    out: dict[int, frozenset[str]] = {}
    for lieu_id, states in seen.items():
        if lieu_id in ungranted:
            states.discard("granted")
        out[lieu_id] = frozenset(states or {"none"})
    return out


# -- the words index ----------------------------------------------------------------------
class WordIndex:
    """Every lieu's folded words, indexed by word: a typed word is looked up in the
    vocabulary (a few thousand distinct words) rather than in 20,000 texts, and each
    answer is kept, so the next keystroke (the same word, one letter longer) reads only
    the lieux the last one found. A word matches where the old scan matched: as a
    substring of one of the lieu's words (a typed word has no space)."""

    CACHE = 64

    def __init__(self, texts: Mapping[int, str] | None = None) -> None:
        self._text: dict[int, str] = {}
        self._post: dict[str, set[int]] = {}
        self._found: dict[str, frozenset[int]] = {}
        for key, text in (texts or {}).items():
            self._add(key, text)

    def __len__(self) -> int:
        return len(self._text)

    def __contains__(self, key: object) -> bool:
        return key in self._text

    def text(self, key: int) -> str:
        return self._text.get(key, "")

    def _add(self, key: int, text: str) -> None:
        self._text[key] = text
        post = self._post
        for word in set(text.split()):
            ids = post.get(word)
            if ids is None:
                post[word] = {key}
            else:
                ids.add(key)

    def set(self, key: int, text: str) -> None:
        if self._text.get(key) == text:
            return
        self.remove(key)
        self._add(key, text)

    def remove(self, key: int) -> None:
        old = self._text.pop(key, None)
        self._found.clear()
        if old is None:
            return
        for word in set(old.split()):
            ids = self._post.get(word)
            if ids is not None:
                ids.discard(key)
                if not ids:
                    del self._post[word]

    def find(self, word: str) -> frozenset[int]:
        """The lieux with `word` in one of their words."""
        found = self._found.get(word)
        if found is not None:
            return found
        # A word this one extends found a superset: read its lieux only.
        base: frozenset[int] | None = None
        for known, ids in self._found.items():
            if known in word and (base is None or len(ids) < len(base)):
                base = ids
        text = self._text
        if base is not None and len(base) < len(text) // 4:
            found = frozenset(k for k in base if word in text[k])
        elif len(word) <= 2:  # in most words: cheaper to read each lieu's text once
            found = frozenset(k for k, t in text.items() if word in t)
        else:
            post = self._post
            found = frozenset().union(*[post[w] for w in post if word in w])
        if len(self._found) >= self.CACHE:
            del self._found[next(iter(self._found))]
        self._found[word] = found
        return found


# -- the search: structured parts, then words ---------------------------------------------
@cache
def _folded(text: str) -> str:
    return fold(text)  # décors and tags repeat: folded once each


def _in_any(needles: tuple[str, ...], haystacks: Iterable[str]) -> bool:
    return any(n in h for h in haystacks for n in needles)


def _decor_has(needles: tuple[str, ...], row: LieuRow) -> bool:
    return _in_any(needles, (_folded(row.decor),))


def _tag_has(needles: tuple[str, ...], row: LieuRow) -> bool:
    return _in_any(needles, map(_folded, row.tags))


def _pmr_level(assessed: int) -> str:
    return "none" if assessed == 0 else "done" if assessed >= 6 else "partial"


def build_index(
    rows: Mapping[int, LieuRow], texts: Mapping[int, str], row_words: Callable[[LieuRow], str]
) -> WordIndex:
    """Every lieu's words (its row's and its fiche's) indexed: pure, for a worker."""
    return WordIndex({k: _joined(row_words(r), texts.get(k)) for k, r in rows.items()})


def _joined(own: str, extra: str | None) -> str:
    return f"{own} {extra}" if extra else own


class LieuSearch:
    """The lieux a query keeps. Rows come from the table (kept current as saves happen);
    their words from `row_words` and, once read (in a worker: `build_index`, then
    `install`), from the fiche; permit states from the review. Each structured part's
    answer is kept until a row changes, each word's by the index."""

    def __init__(self, row_words: Callable[[LieuRow], str]) -> None:
        self.rows: dict[int, LieuRow] = {}
        self.row_words = row_words
        self.index: WordIndex | None = None  # None: words are read from the rows
        self.texts: dict[int, str] = {}
        self.permits: dict[int, frozenset[str]] | None = None  # None: not read yet
        self._parts: dict[tuple[object, ...], frozenset[int]] = {}
        self._changed: set[int] | None = None  # while an index is being built

    # -- data ------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[LieuRow] | dict[int, LieuRow]) -> None:
        """The rows, by id (a dict is shared, not copied: the table keeps it current and
        calls `upsert` and `remove` as it does)."""
        self.rows = rows if isinstance(rows, dict) else {r.id: r for r in rows}
        self._parts.clear()
        if self.index is not None:
            self.index = build_index(self.rows, self.texts, self.row_words)

    def upsert(self, row: LieuRow) -> None:
        if self.rows.get(row.id) is not row:
            self.rows[row.id] = row
        self._parts.clear()
        self._touch(row.id)

    def remove(self, lieu_id: int) -> None:
        self.rows.pop(lieu_id, None)
        self.texts.pop(lieu_id, None)
        self._parts.clear()
        self._touch(lieu_id)

    def set_text(self, lieu_id: int, text: str) -> None:
        self.texts[lieu_id] = text
        self._touch(lieu_id)

    def _touch(self, lieu_id: int) -> None:
        if self._changed is not None:
            self._changed.add(lieu_id)
        if self.index is not None:
            row = self.rows.get(lieu_id)
            if row is None:
                self.index.remove(lieu_id)
            else:
                self.index.set(lieu_id, _joined(self.row_words(row), self.texts.get(lieu_id)))

    def snapshot(self) -> dict[int, LieuRow]:
        """The rows to build an index from; what changes meanwhile is applied by `install`."""
        self._changed = set()
        return dict(self.rows)

    def install(self, index: WordIndex, texts: Mapping[int, str]) -> None:
        changed, self._changed = self._changed or set(), None
        self.texts = {**texts, **{k: v for k, v in self.texts.items() if k in changed}}
        self.index = index
        for lieu_id in changed:
            self._touch(lieu_id)

    def set_permits(self, states: dict[int, frozenset[str]]) -> None:
        self.permits = states
        self._parts = {k: v for k, v in self._parts.items() if k[0] != "permit"}

    # -- answering -------------------------------------------------------------------
    def _part(self, key: tuple[object, ...], keep: Callable[[LieuRow], bool]) -> frozenset[int]:
        found = self._parts.get(key)
        if found is None:
            found = frozenset(k for k, r in self.rows.items() if keep(r))
            self._parts[key] = found
        return found

    def _word(self, word: str) -> frozenset[int]:
        if self.index is not None:
            return self.index.find(word)
        words = self.row_words
        return self._part(("word", word), lambda r: word in words(r))

    def select(self, query: Query) -> set[int] | None:
        """The ids the query keeps (None: every lieu)."""
        parts: list[frozenset[int]] = []
        if query.arrondissements:
            arrs = query.arrondissements
            parts.append(self._part(("arr", arrs), lambda r: r.arrondissement in arrs))
        if query.statuses:
            wanted = query.statuses
            retained = RETAINED in wanted
            parts.append(
                self._part(
                    ("status", wanted), lambda r: r.status in wanted or (retained and r.retained)
                )
            )
        if query.permits:
            states = self.permits or {}
            want = query.permits
            none = frozenset({"none"})
            parts.append(
                self._part(("permit", want), lambda r: not want.isdisjoint(states.get(r.id, none)))
            )
        for group in query.decors:
            parts.append(self._part(("decor", group), partial(_decor_has, group)))
        for group in query.tags:
            parts.append(self._part(("tag", group), partial(_tag_has, group)))
        if query.dated:
            start = query.date_from.isoformat() if query.date_from else ""
            end = query.date_to.isoformat() if query.date_to else "9999"
            parts.append(
                self._part(
                    ("date", start, end), lambda r: any(start <= d <= end for d in r.shoot_days)
                )
            )
        if query.geocode_pending is not None:
            pending = query.geocode_pending
            parts.append(
                self._part(("geocode", pending), lambda r: bool(r.geocode_pending) is pending)
            )
        if query.pmr:
            levels = query.pmr
            parts.append(
                self._part(("pmr", levels), lambda r: _pmr_level(r.pmr_assessed) in levels)
            )
        parts.extend(self._word(w) for w in query.words)
        if not parts:
            return None
        parts.sort(key=len)
        kept = set(parts[0])
        for part in parts[1:]:
            kept.intersection_update(part)
            if not kept:
                break
        return kept


# -- the Filters panel writes tokens ------------------------------------------------------
def free_text(text: str) -> str:
    """The box's own words, without its tokens (`rivoli 5e arr:6` → `rivoli`)."""
    kept = []
    for token in split_tokens(text):
        folded = fold(token)
        if folded == "pmr0" or _KEYWORD.match(folded):
            continue
        arr = _ARRONDISSEMENT.match(folded)
        if arr and 1 <= int(arr.group(1)) <= 20:
            continue
        kept.append(token)
    return " ".join(kept)


def _quoted(value: str) -> str:
    value = value.replace('"', "")
    return f'"{value}"' if " " in value else value


def compose_filter(
    words: str = "",
    *,
    arrondissements: Iterable[int] = (),
    statuses: Iterable[str] = (),
    permits: Iterable[str] = (),
    decor: str = "",
    tag: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    geocode_pending: bool | None = None,
    pmr_none: bool = False,
) -> str:
    """The filter box's text for these choices (what the Filters panel writes)."""
    parts = [words.strip()] if words.strip() else []
    arrs = sorted(set(arrondissements))
    if arrs:
        parts.append("arr:" + ",".join(str(a) for a in arrs))
    if statuses:
        parts.append("status:" + ",".join(statuses))
    if permits:
        parts.append("permit:" + ",".join(permits))
    if decor.strip():
        parts.append("decor:" + _quoted(decor.strip()))
    if tag.strip():
        parts.append("tag:" + _quoted(tag.strip()))
    if date_from is not None or date_to is not None:
        start = date_from.isoformat() if date_from else ""
        end = date_to.isoformat() if date_to else ""
        parts.append(f"date:{start}" if start == end else f"date:{start}..{end}")
    if geocode_pending is not None:
        parts.append("geocode:" + ("pending" if geocode_pending else "done"))
    if pmr_none:
        parts.append("pmr:none")
    return " ".join(parts)
