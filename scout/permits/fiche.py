"""A permit as the régie types it: text fields in, a checked Permit out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from scout.domain.lieu import typed_word
from scout.domain.permit import Arrete, Permit, PermitStatus
from scout.domain.values import check_text, parse_date, parse_int, parse_time
from scout.errors import ValidationError, ValidationErrors
from scout.i18n import N_, _


def _text(v: Any, f: str) -> str:
    """Typed text: valid UTF-8 without control characters, as every text of a fiche."""
    return check_text(str(v), f).strip()


def _date(v: Any, f: str) -> Any:
    return None if str(v).strip() == "" else parse_date(v, f)


def _time(v: Any, f: str) -> Any:
    return None if str(v).strip() == "" else parse_time(v, f)


def _dates(v: Any, f: str) -> tuple[Any, ...]:
    items = v if isinstance(v, (list, tuple)) else str(v).split(",")
    return tuple(sorted(parse_date(i, f) for i in items if str(i).strip()))


def _paths(v: Any, f: str) -> tuple[str, ...]:
    items = v if isinstance(v, (list, tuple)) else [v]
    return tuple(str(i).strip() for i in items if str(i).strip())


# A Paris street number: 12, 12 bis, 12bis, 12 ter, 12 B (the letters in either case).
STREET_NUMBER = re.compile(r"^\d{1,4}\s?(bis|ter|quater|[a-z])?$", re.IGNORECASE)


def _number(v: Any, f: str) -> str:
    text = " ".join(_text(v, f).split())
    if text and not STREET_NUMBER.match(text):
        raise ValidationError(
            f,
            _('"{value}" is not a street number (like 12, 12 bis or 12 B)').format(value=text),
        )
    return text


def _spaces(v: Any, f: str) -> int | None:
    return None if str(v).strip() == "" else parse_int(v, f, minimum=1, maximum=500)


# The sides of a street an arrêté covers, as typed in French or in English.
SIDES = {
    "pair": "pair",
    "even": "pair",
    "cote pair": "pair",
    "even side": "pair",
    "impair": "impair",
    "odd": "impair",
    "cote impair": "impair",
    "odd side": "impair",
    "both": "both",
    "les deux": "both",
    "deux": "both",
    "both sides": "both",
    "": "",
}


def _side(v: Any, f: str) -> str:
    text = typed_word(str(v))
    if text not in SIDES:
        raise ValidationError(
            f, _("{value!r} is not even (pair), odd (impair) or both").format(value=v)
        )
    return SIDES[text]


PERMIT_FIELDS: dict[str, Callable[[Any, str], Any]] = {
    "authority": _text,
    "reference": _text,
    "filed_on": _date,
    "decision_on": _date,
    "valid_from": _date,
    "valid_to": _date,
    "shoot_days": _dates,
    "deadline_override": _date,
    "override_reason": _text,
    "conditions": _text,
    "documents": _paths,
    "contact": _text,
    "notes": _text,
}
ARRETE_FIELDS: dict[str, Callable[[Any, str], Any]] = {
    "street": _text,
    "side": _side,
    "from_number": _number,
    "to_number": _number,
    "perimeter": _text,
    "spaces": _spaces,
    "start": _date,
    "end": _date,
    "from_time": _time,
    "to_time": _time,
    "notice_posted_on": _date,
    "proof_photos": _paths,
}


def apply_permit_fiche(permit: Permit, raw: dict[str, Any]) -> Permit:
    """The permit with `raw` applied; every bad field reported at once."""
    errors: list[ValidationError] = []
    values: dict[str, Any] = {}
    arrete: dict[str, Any] = {}
    for key, value in raw.items():
        parse = PERMIT_FIELDS.get(key) or ARRETE_FIELDS.get(key)
        if parse is None:
            errors.append(ValidationError(key, _("is not a field of a permit")))
            continue
        try:
            (values if key in PERMIT_FIELDS else arrete)[key] = parse(value, key)
        except ValidationError as e:
            errors.append(e)
    if errors:
        raise ValidationErrors(errors)
    if arrete:
        values["arrete"] = replace(permit.arrete or Arrete(), **arrete)
    result = replace(permit, **values)
    _check(result)
    return result


def _check(p: Permit) -> None:
    errors = []
    if p.deadline_override and not p.override_reason:
        errors.append(ValidationError("deadline_override", _("say why the deadline is overridden")))
    if p.valid_from and p.valid_to and p.valid_to < p.valid_from:
        errors.append(ValidationError("valid_to", _("the validity ends before it starts")))
    a = p.arrete
    if a and a.start and a.end and a.end < a.start:
        errors.append(ValidationError("end", _("the arrêté ends before it starts")))
    if errors:
        raise ValidationErrors(errors)


def missing_to_file(p: Permit, new: PermitStatus) -> list[tuple[str, str]]:
    """What an arrêté lacks to be filed, as (field, what is missing; marked N_()): the
    field is where a form shows it, the words are the CLI's message."""
    if new is not PermitStatus.FILED or p.arrete is None:
        return []
    a = p.arrete
    missing = []
    if not a.street:
        missing.append(("street", N_("the street")))
    if not a.spaces:
        missing.append(("spaces", N_("the spaces (how many parking spaces)")))
    if a.from_number and not a.to_number:
        missing.append(("to_number", N_("the street number it goes to (both numbers)")))
    elif a.to_number and not a.from_number:
        missing.append(("from_number", N_("the street number it starts from (both numbers)")))
    elif not (a.from_number and a.to_number) and not a.perimeter:
        missing.append(
            ("from_number", N_("the street numbers (from, to) or a described perimeter"))
        )
    return missing


def check_ready_to_file(p: Permit, new: PermitStatus) -> None:
    """An arrêté is filed with an explicit place and count: residents need to know."""
    missing = missing_to_file(p, new)
    if missing:
        raise ValidationError(
            "arrêté",
            _("cannot be filed without {missing}").format(
                missing=", ".join(_(m) for _field, m in missing)
            ),
        )


def ready_to_file_errors(p: Permit, new: PermitStatus) -> list[ValidationError]:
    """The same check, one error per field (for a form that shows each beside its field)."""
    return [
        ValidationError(key, _("cannot be filed without {missing}").format(missing=_(m)))
        for key, m in missing_to_file(p, new)
    ]


def has_arrete(type_id: str) -> bool:
    """A permit of this type carries an arrêté (street, side, spaces…)."""
    return type_id.startswith("arrete")
