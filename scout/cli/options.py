"""Options shared by several commands: the fiche of a lieu (generated from the fiche's
fields, so the CLI and the form accept the same words), the permit fields, and ids."""

from __future__ import annotations

import argparse
from typing import Any

# Options repeated on the command line, collected as lists.
REPEATED = {"shoot_days": "--shoot-date", "contacts": "--contact", "tags": "--tag"}
_HELP = {
    "shoot_days": "a shoot day, YYYY-MM-DD [HH:MM-HH:MM] (repeat; replaces the list)",
    "contacts": "'name; role; phone; email' (repeat; replaces the list)",
    "tags": "a tag (repeat; replaces the list)",
    "lat": "latitude, WGS84 degrees (with --lon)",
    "lon": "longitude, WGS84 degrees (with --lat)",
    "status": "to_scout, scouted, option, validated or rejected (French labels accepted)",
    "setting": "int, ext or int_ext",
}

PERMIT_OPTIONS: list[tuple[str, str, str, bool]] = [
    # (flag, dest, help, repeated)
    ("--authority", "authority", "issuing authority (default: the type's)", False),
    ("--reference", "reference", "the authority's reference number", False),
    (
        "--shoot-date",
        "shoot_days",
        "a shoot day it covers, YYYY-MM-DD (repeat; default: the lieu's shoot days)",
        True,
    ),
    ("--filed-on", "filed_on", "date filed", False),
    ("--decision-on", "decision_on", "date of the decision", False),
    ("--valid-from", "valid_from", "validity start", False),
    ("--valid-to", "valid_to", "validity end", False),
    ("--deadline", "deadline_override", "override the computed filing deadline", False),
    ("--deadline-reason", "override_reason", "why the deadline is overridden", False),
    ("--conditions", "conditions", "conditions attached to the permit", False),
    ("--document", "documents", "an attached document's path (repeat)", True),
    ("--contact", "contact", "contact at the authority", False),
    ("--notes", "notes", "free notes", False),
]
ARRETE_OPTIONS: list[tuple[str, str, str, bool]] = [
    ("--street", "street", "street of the arrêté", False),
    ("--side", "side", "pair, impair or both", False),
    ("--from-number", "from_number", "from street number", False),
    ("--to-number", "to_number", "to street number", False),
    ("--perimeter", "perimeter", "the perimeter, described", False),
    ("--spaces", "spaces", "number of parking spaces", False),
    ("--arrete-start", "start", "first day of the arrêté", False),
    ("--arrete-end", "end", "last day of the arrêté", False),
    ("--from-time", "from_time", "start time, HH:MM", False),
    ("--to-time", "to_time", "end time, HH:MM", False),
    (
        "--notice-posted-on",
        "notice_posted_on",
        "residents' notice posted on (≥ 3 days before)",
        False,
    ),
    ("--proof-photo", "proof_photos", "photo of the signs going up or down (repeat)", True),
]


def add_fiche_options(parser: argparse.ArgumentParser, *, require_name: bool) -> None:
    from scout.domain.fiche import FIELDS

    groups: dict[str, Any] = {
        "": parser.add_argument_group("lieu"),
        "accessibility": parser.add_argument_group("accessibility (PMR): oui/non/?"),
        "needs": parser.add_argument_group("shoot needs (decide the permits)"),
        "logistics": parser.add_argument_group("crew logistics"),
    }
    for f in FIELDS:
        flag = REPEATED.get(f.key, "--" + f.key.replace("_", "-"))
        kwargs: dict[str, Any] = {
            "dest": f.key,
            "metavar": "TEXT",
            "help": _HELP.get(f.key, f.label),
        }
        if f.key in REPEATED:
            kwargs["action"] = "append"
        if f.key == "name" and require_name:
            kwargs["required"] = True
        groups[f.group].add_argument(flag, **kwargs)


def fiche_from(args: argparse.Namespace) -> dict[str, Any]:
    from scout.domain.fiche import FIELDS

    return {f.key: getattr(args, f.key) for f in FIELDS if getattr(args, f.key) is not None}


def add_permit_fields(parser: argparse.ArgumentParser) -> None:
    for title, options in (("permit", PERMIT_OPTIONS), ("arrêté", ARRETE_OPTIONS)):
        group = parser.add_argument_group(title)
        for flag, dest, help_text, repeated in options:
            group.add_argument(
                flag,
                dest=f"f_{dest}",
                metavar="TEXT",
                help=help_text,
                action="append" if repeated else "store",
            )


def permit_fields(args: argparse.Namespace) -> dict[str, Any]:
    return {k[2:]: v for k, v in vars(args).items() if k.startswith("f_") and v is not None}


def flag_of(field: str) -> str:
    """Name a field as the user typed it: --shoot-date, --lat."""
    from scout.domain.fiche import BY_KEY

    key = field.split(" ")[0]
    if key in BY_KEY:
        return REPEATED.get(key, "--" + key.replace("_", "-"))
    for flag, dest, _, _ in (*PERMIT_OPTIONS, *ARRETE_OPTIONS):
        if dest == key:
            return flag
    return field


def _id_of(what: str) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a {what} id (a whole number)"
            ) from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"{value} is not a {what} id (ids start at 1)")
        return value

    parse.__name__ = f"{what}_id"
    return parse


lieu_id = _id_of("lieu")
permit_id = _id_of("permit")
proposal_number = _id_of("proposal")
