"""Parsing and checking of the values a user types.

Each parser takes text (from the CLI or a form field) and the field's name, and
returns a clean value or raises ValidationError naming the field.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, time
from decimal import Decimal, InvalidOperation

from scout.errors import ValidationError
from scout.i18n import N_, _, formats

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_TIME = re.compile(r"^(\d{1,2})[:hH](\d{2})?$")


_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "\u00a0": " ", "’": "'"}
)


FIRST_YEAR, LAST_YEAR = 1900, 2100  # dates outside are typing mistakes
MAX_COST = Decimal(10) ** 12
# C0 and C1 control characters (ESC, BEL, CSI…) and DEL; tab and newline are text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What a terminal must not be handed from a file or the network either: the controls above
# and the bidirectional overrides and isolates, which reorder what follows them on screen
# (a name that displays as another). Typed text may hold them (right-to-left scripts).
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def check_text(text: str, field: str) -> str:
    """Text a person typed: valid Unicode (the command line hands undecodable bytes over
    as surrogates) and no control characters, which would act on a terminal."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(field, _("is not valid UTF-8 text")) from None
    bad = _CONTROL.search(text)
    if bad:
        raise ValidationError(
            field,
            _("contains a control character ({character!r}) at position {position}").format(
                character=bad.group(), position=bad.start() + 1
            ),
        )
    return text


def terminal_safe(text: str) -> str:
    """Text from a file, a picture or the network, made harmless for a terminal: control
    characters shown as visible escapes, undecodable bytes as \\udcXX. Printable text,
    the common case, is recognised in C and returned as it is."""
    if text.isprintable():
        return text
    text = _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: how we compare words a user typed.

    Called for every row of a 20,000-lieu table, so it stays in C: decompose, then
    drop what is not ASCII (the accents, once separated from their letters)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
        text = text.encode("ascii", "ignore").decode("ascii")
    return " ".join(text.lower().split())


def parse_float(text: str | float, field: str) -> float:
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
    else:
        cleaned = str(text).strip().replace(",", ".")
        if not cleaned:
            raise ValidationError(field, _("is empty"))
        try:
            value = float(cleaned)
        except ValueError:
            raise ValidationError(
                field, _("{value!r} is not a number").format(value=str(text))
            ) from None
    if not math.isfinite(value):
        raise ValidationError(field, _("{value!r} is not a finite number").format(value=text))
    return value


# Default field names, for a value checked on its own (translated where they are said).
_LATITUDE, _LONGITUDE, _DATE, _TIME_FIELD = N_("latitude"), N_("longitude"), N_("date"), N_("time")
_EMAIL_FIELD, _PHONE, _COST, _POSITION = N_("e-mail"), N_("phone"), N_("cost"), N_("position")


def _shown(text: str | float) -> str:
    """A number as the person typed it (91,5 stays 91,5), or as it was given."""
    return str(text).strip()


def parse_latitude(text: str | float, field: str | None = None) -> float:
    field = field or _(_LATITUDE)
    value = parse_float(text, field)
    if not -90.0 <= value <= 90.0:
        raise ValidationError(
            field, _("{value} is out of range (-90 to 90)").format(value=_shown(text))
        )
    return value


def parse_longitude(text: str | float, field: str | None = None) -> float:
    field = field or _(_LONGITUDE)
    value = parse_float(text, field)
    if not -180.0 <= value <= 180.0:
        raise ValidationError(
            field, _("{value} is out of range (-180 to 180)").format(value=_shown(text))
        )
    return value


def parse_date(text: str | date, field: str | None = None) -> date:
    if isinstance(text, date):
        return text
    field = field or _(_DATE)
    cleaned = str(text).strip()
    # Accept the ISO form and the French day-first form the régie writes.
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", cleaned)
    if m:
        cleaned = f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    try:
        value = date.fromisoformat(cleaned)
    except ValueError:
        raise ValidationError(
            field,
            _("{value!r} is not a date (expected YYYY-MM-DD or DD/MM/YYYY)").format(
                value=str(text)
            ),
        ) from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            field,
            _("{date} is not between {first} and {last}").format(
                date=formats.day(value), first=FIRST_YEAR, last=LAST_YEAR
            ),
        )
    return value


def parse_time(text: str | time, field: str | None = None) -> time:
    if isinstance(text, time):
        return text
    field = field or _(_TIME_FIELD)
    m = _TIME.fullmatch(str(text).strip())
    if m:
        hour, minute = int(m[1]), int(m[2] or 0)
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ValidationError(
        field,
        _("{value!r} is not a time (expected HH:MM, e.g. 07:30 or 7h30)").format(value=str(text)),
    )


def parse_email(text: str, field: str | None = None) -> str:
    cleaned = text.strip()
    if not _EMAIL.fullmatch(cleaned):
        raise ValidationError(
            field or _(_EMAIL_FIELD), _("{value!r} is not an e-mail address").format(value=text)
        )
    return cleaned


def parse_phone(text: str, field: str | None = None) -> str:
    """A French or international number, returned in E.164 form (+33142…)."""
    import phonenumbers  # imported here: it is large and only forms need it

    field = field or _(_PHONE)
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            field, _("{value!r} is not a phone number").format(value=text)
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(field, _("{value!r} is not a valid phone number").format(value=text))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """How a régie writes it: 01 42 76 40 40 in France, +44 20 … elsewhere."""
    if e164.startswith("+33") and len(e164) == 12 and e164[1:].isdigit():
        national = "0" + e164[3:]  # the common case, without loading phonenumbers
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, "FR")
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def parse_cost(text: str | Decimal | int | float, field: str | None = None) -> Decimal:
    """A cost in euros: '1 200,50', '1200.5', '1200 €', '€1,200.50'. A lone comma is the
    decimal mark (the régie's 1200,50); with both marks, the last one is."""
    field = field or _(_COST)
    cleaned = "".join(str(text).replace("€", "").split())
    if "," in cleaned and "." in cleaned:
        thousands = "," if cleaned.rfind(",") < cleaned.rfind(".") else "."
        cleaned = cleaned.replace(thousands, "")
    cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(
            field, _("{value!r} is not an amount in euros").format(value=str(text))
        ) from None
    if not value.is_finite() or value < 0:
        raise ValidationError(
            field, _("{value!r} must be a positive amount").format(value=str(text))
        )
    if value > MAX_COST:
        raise ValidationError(
            field,
            _("{value!r} is more than {limit}").format(
                value=str(text), limit=formats.money(MAX_COST)
            ),
        )
    return value.quantize(Decimal("0.01"))


def parse_int(text: str | int, field: str, *, minimum: int = 0, maximum: int = 10**9) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise ValidationError(
            field, _("{value!r} is not a whole number").format(value=str(text))
        ) from None
    if not minimum <= value <= maximum:
        raise ValidationError(
            field,
            _("{value} is out of range ({minimum} to {maximum})").format(
                value=value, minimum=formats.number(minimum), maximum=formats.number(maximum)
            ),
        )
    return value


# The words a person types for yes, no and "not known yet", in French and in English
# (folded: lower case, no accents), whatever the language of the run.
YES_WORDS = frozenset({"oui", "o", "yes", "y", "vrai", "true", "1"})
NO_WORDS = frozenset({"non", "n", "no", "faux", "false", "0"})
UNKNOWN_WORDS = frozenset(
    {
        "",
        "?",
        "unknown",
        "not known",
        "not given",
        "not assessed",
        "maybe",
        "na",
        "n/a",
        "inconnu",
        "inconnue",
        "peut-etre",
        "peut etre",
        "nsp",
        "ne sait pas",
        "non renseigne",
        "non renseignee",
        "non evalue",
        "non evaluee",
    }
)


def parse_yes_no(text: str | bool | None, field: str) -> bool | None:
    """Yes / no / unknown, in French or in English: accessibility is often not assessed
    yet, and "not known" is not "no"."""
    if text is None or isinstance(text, bool):
        return text
    folded = fold(str(text))
    if folded in YES_WORDS:
        return True
    if folded in NO_WORDS:
        return False
    if folded in UNKNOWN_WORDS:
        return None
    raise ValidationError(
        field, _("{value!r} is not yes, no or ? (not known)").format(value=str(text))
    )


def parse_position(text: str, field: str | None = None) -> tuple[float, float]:
    """'48.8530,2.3499' or '48.8530 2.3499' → (lat, lon)."""
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    if len(parts) != 2:
        raise ValidationError(
            field or _(_POSITION), _("{value!r} is not 'latitude,longitude'").format(value=text)
        )
    return parse_latitude(parts[0]), parse_longitude(parts[1])


def arrondissement_ordinal(number: int) -> str:
    """How Paris writes an arrondissement's number: 1er, then 2e … 20e."""
    return "1er" if number == 1 else f"{number}e"
