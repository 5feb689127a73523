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

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_TIME = re.compile(r"^(\d{1,2})[:hH](\d{2})?$")


_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "\u00a0": " ", "’": "'"}
)


FIRST_YEAR, LAST_YEAR = 1900, 2100  # dates outside are typing mistakes
MAX_COST = Decimal(10) ** 12
# C0 and C1 control characters (ESC, BEL, CSI…) and DEL; tab and newline are text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def check_text(text: str, field: str) -> str:
    """Text a person typed: valid Unicode (the command line hands undecodable bytes over
    as surrogates) and no control characters, which would act on a terminal."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(field, "is not valid UTF-8 text") from None
    bad = _CONTROL.search(text)
    if bad:
        raise ValidationError(
            field, f"contains a control character ({bad.group()!r}) at position {bad.start() + 1}"
        )
    return text


def terminal_safe(text: str) -> str:
    """Text from a file, a picture or the network, made harmless for a terminal: control
    characters shown as visible escapes, undecodable bytes as \\udcXX. Printable text,
    the common case, is recognised in C and returned as it is."""
    if text.isprintable():
        return text
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)
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
            raise ValidationError(field, "is empty")
        try:
            value = float(cleaned)
        except ValueError:
            raise ValidationError(field, f"{str(text)!r} is not a number") from None
    if not math.isfinite(value):
        raise ValidationError(field, f"{text!r} is not a finite number")
    return value


def parse_latitude(text: str | float, field: str = "latitude") -> float:
    value = parse_float(text, field)
    if not -90.0 <= value <= 90.0:
        raise ValidationError(field, f"{value} is out of range (-90 to 90)")
    return value


def parse_longitude(text: str | float, field: str = "longitude") -> float:
    value = parse_float(text, field)
    if not -180.0 <= value <= 180.0:
        raise ValidationError(field, f"{value} is out of range (-180 to 180)")
    return value


def parse_date(text: str | date, field: str = "date") -> date:
    if isinstance(text, date):
        return text
    cleaned = str(text).strip()
    # Accept the ISO form and the French day-first form the régie writes.
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", cleaned)
    if m:
        cleaned = f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    try:
        value = date.fromisoformat(cleaned)
    except ValueError:
        raise ValidationError(
            field, f"{str(text)!r} is not a date (expected YYYY-MM-DD or DD/MM/YYYY)"
        ) from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            field, f"{value.isoformat()} is not between {FIRST_YEAR} and {LAST_YEAR}"
        )
    return value


def parse_time(text: str | time, field: str = "time") -> time:
    if isinstance(text, time):
        return text
    m = _TIME.fullmatch(str(text).strip())
    if m:
        hour, minute = int(m[1]), int(m[2] or 0)
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ValidationError(
        field, f"{str(text)!r} is not a time (expected HH:MM, e.g. 07:30 or 7h30)"
    )


def parse_email(text: str, field: str = "email") -> str:
    cleaned = text.strip()
    if not _EMAIL.fullmatch(cleaned):
        raise ValidationError(field, f"{text!r} is not an e-mail address")
    return cleaned


def parse_phone(text: str, field: str = "phone") -> str:
    """A French or international number, returned in E.164 form (+33142…)."""
    import phonenumbers  # imported here: it is large and only forms need it

    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        raise ValidationError(field, f"{text!r} is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(field, f"{text!r} is not a valid phone number")
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


def parse_cost(text: str | Decimal | int | float, field: str = "cost") -> Decimal:
    """A cost in euros; accepts '1 200,50', '1200.5', '1200 €'."""
    cleaned = str(text).replace("€", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(field, f"{str(text)!r} is not an amount in euros") from None
    if not value.is_finite() or value < 0:
        raise ValidationError(field, f"{str(text)!r} must be a positive amount")
    if value > MAX_COST:
        raise ValidationError(field, f"{str(text)!r} is more than {MAX_COST:,} €")
    return value.quantize(Decimal("0.01"))


def parse_int(text: str | int, field: str, *, minimum: int = 0, maximum: int = 10**9) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise ValidationError(field, f"{str(text)!r} is not a whole number") from None
    if not minimum <= value <= maximum:
        raise ValidationError(field, f"{value} is out of range ({minimum} to {maximum})")
    return value


UNKNOWN_WORDS = {"", "?", "unknown", "inconnu", "na", "n/a", "non renseigne", "non evalue"}


def parse_yes_no(text: str | bool | None, field: str) -> bool | None:
    """Yes / no / unknown: accessibility is often not assessed yet."""
    if text is None or isinstance(text, bool):
        return text
    folded = fold(str(text))
    if folded in {"oui", "yes", "y", "o", "true", "1"}:
        return True
    if folded in {"non", "no", "n", "false", "0"}:
        return False
    if folded in UNKNOWN_WORDS:
        return None
    raise ValidationError(field, f"{text!r} is not yes, no or unknown")


def parse_position(text: str, field: str = "position") -> tuple[float, float]:
    """'48.8530,2.3499' or '48.8530 2.3499' → (lat, lon)."""
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    if len(parts) != 2:
        raise ValidationError(field, f"{text!r} is not 'latitude,longitude'")
    return parse_latitude(parts[0]), parse_longitude(parts[1])


def arrondissement_ordinal(number: int) -> str:
    """How Paris writes an arrondissement's number: 1er, then 2e … 20e."""
    return "1er" if number == 1 else f"{number}e"
