"""Options shared by several commands: the fiche of a lieu (generated from the fiche's
fields, so the CLI and the form accept the same words), the permit fields, and ids."""

from __future__ import annotations

import argparse
from typing import Any, NamedTuple

from scout.i18n import N_, _

# Options repeated on the command line, collected as lists.
REPEATED = {"shoot_days": "--shoot-date", "contacts": "--contact", "tags": "--tag"}
# Where the command line differs from the form: options repeated, not lists in one text.
_HELP = {
    "tags": N_("a tag (repeat; replaces the list)"),
}
_REPEAT = N_("(repeat; replaces the list)")
_METAVAR = {
    "shoot_days": N_("DAY"),
    "contacts": N_("CONTACT"),
    "tags": N_("TAG"),
    "lat": N_("DEGREES"),
    "lon": N_("DEGREES"),
    "status": N_("STATUS"),
    "setting": "INT|EXT|INT/EXT",
    "site_kind": N_("KIND"),
    "postcode": N_("POSTCODE"),
    "cost": N_("AMOUNT"),
    "narrowest_door_cm": "N",
    "dropoff_distance_m": "N",
    "crew_size": "N",
    "tech_vehicles": "N",
    "parking_spaces": "N",
}


class Option(NamedTuple):
    flag: str
    dest: str
    help: str  # marked with N_, translated when the parser is built
    repeated: bool = False
    metavar: str = N_("TEXT")


_DATE = N_("DATE")
PERMIT_OPTIONS = (
    Option("--authority", "authority", N_("issuing authority (default: the type's)")),
    Option("--reference", "reference", N_("the authority's reference number")),
    Option(
        "--shoot-date",
        "shoot_days",
        N_("a shoot day it covers (repeat; default: the location's shoot days)"),
        True,
        _DATE,
    ),
    Option("--filed-on", "filed_on", N_("date filed"), metavar=_DATE),
    Option("--decision-on", "decision_on", N_("date of the decision"), metavar=_DATE),
    Option("--valid-from", "valid_from", N_("validity start"), metavar=_DATE),
    Option("--valid-to", "valid_to", N_("validity end"), metavar=_DATE),
    Option(
        "--deadline",
        "deadline_override",
        N_("override the computed filing deadline"),
        metavar=_DATE,
    ),
    Option("--deadline-reason", "override_reason", N_("why the deadline is overridden")),
    Option("--conditions", "conditions", N_("conditions attached to the permit")),
    Option("--document", "documents", N_("an attached document's path (repeat)"), True, N_("FILE")),
    Option("--contact", "contact", N_("contact at the authority")),
    Option("--notes", "notes", N_("free notes")),
)
ARRETE_OPTIONS = (
    Option("--street", "street", N_("street of the arrêté")),
    Option("--side", "side", N_("even, odd or both"), metavar=N_("SIDE")),
    Option("--from-number", "from_number", N_("from street number"), metavar="N"),
    Option("--to-number", "to_number", N_("to street number"), metavar="N"),
    Option("--perimeter", "perimeter", N_("the perimeter, described")),
    Option("--spaces", "spaces", N_("number of parking spaces"), metavar="N"),
    Option("--arrete-start", "start", N_("first day of the arrêté"), metavar=_DATE),
    Option("--arrete-end", "end", N_("last day of the arrêté"), metavar=_DATE),
    Option("--from-time", "from_time", N_("start time"), metavar=N_("HH:MM")),
    Option("--to-time", "to_time", N_("end time"), metavar=N_("HH:MM")),
    Option(
        "--notice-posted-on",
        "notice_posted_on",
        N_("residents' notice posted on (≥ 3 days before)"),
        metavar=_DATE,
    ),
    Option(
        "--proof-photo",
        "proof_photos",
        N_("photo of the signs going up or down (repeat)"),
        True,
        N_("FILE"),
    ),
)


def add_fiche_options(parser: argparse.ArgumentParser, *, require_name: bool) -> None:
    """The fiche's fields as options, with the fiche's own help (the words each field
    accepts, in the language of the run; both languages are understood)."""
    from scout.domain.fiche import FIELDS
    from scout.domain.values import parse_yes_no

    parser.epilog = _(
        "Dates: YYYY-MM-DD or DD/MM/YYYY. Yes/no answers: yes, no, or ? when not known "
        "yet ('oui', 'non' and 'inconnu' are understood too)."
    )
    groups: dict[str, Any] = {
        "": parser.add_argument_group(_("location")),
        "accessibility": parser.add_argument_group(_("accessibility (PMR)")),
        "needs": parser.add_argument_group(_("shoot needs (decide the permits)")),
        "logistics": parser.add_argument_group(_("crew logistics")),
    }
    for f in FIELDS:
        flag = REPEATED.get(f.key, "--" + f.key.replace("_", "-"))
        if f.key in _HELP:
            help_text = _(_HELP[f.key])
        elif f.key in REPEATED:
            help_text = f"{f.help} {_(_REPEAT)}"
        else:
            help_text = f.help
        yes_no = f.parse is parse_yes_no
        kwargs: dict[str, Any] = {
            "dest": f.key,
            "metavar": _("yes|no|?") if yes_no else _(_METAVAR.get(f.key, N_("TEXT"))),
            # argparse formats help with %: a % typed in a translation stays a %
            "help": help_text.replace("%", "%%"),
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
    parser.epilog = _("Dates: YYYY-MM-DD or DD/MM/YYYY. Times: HH:MM.")
    for title, options in ((_("permit"), PERMIT_OPTIONS), ("arrêté", ARRETE_OPTIONS)):
        group = parser.add_argument_group(title)
        for option in options:
            group.add_argument(
                option.flag,
                dest=f"f_{option.dest}",
                metavar=_(option.metavar),
                help=_(option.help),
                action="append" if option.repeated else "store",
            )


def permit_fields(args: argparse.Namespace) -> dict[str, Any]:
    return {k[2:]: v for k, v in vars(args).items() if k.startswith("f_") and v is not None}


def flag_of(field: str) -> str:
    """Name a field as the user typed it: --shoot-date, --lat."""
    from scout.domain.fiche import BY_KEY

    key = field.split(" ")[0]
    if key in BY_KEY:
        return REPEATED.get(key, "--" + key.replace("_", "-"))
    for option in (*PERMIT_OPTIONS, *ARRETE_OPTIONS):
        if option.dest == key:
            return option.flag
    return field


# What an id names, in the messages of a bad one (French says each differently).
_NOT_A_NUMBER = {
    "lieu": N_("{text!r} is not a location id (a whole number)"),
    "permit": N_("{text!r} is not a permit id (a whole number)"),
    "proposal": N_("{text!r} is not a proposal number (a whole number)"),
}
_BELOW_ONE = {
    "lieu": N_("{value} is not a location id (ids start at 1)"),
    "permit": N_("{value} is not a permit id (ids start at 1)"),
    "proposal": N_("{value} is not a proposal number (numbers start at 1)"),
}


def _id_of(what: str) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(_(_NOT_A_NUMBER[what]).format(text=text)) from None
        if value < 1:
            raise argparse.ArgumentTypeError(_(_BELOW_ONE[what]).format(value=value))
        return value

    parse.__name__ = f"{what}_id"
    return parse


lieu_id = _id_of("lieu")
permit_id = _id_of("permit")
proposal_number = _id_of("proposal")
