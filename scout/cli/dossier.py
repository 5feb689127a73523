"""The dossier de repérage: `scout export dossier` (PDF or HTML)."""

from __future__ import annotations

from typing import Any

from scout.cli.context import Context, add_output_option, emit, progress_bar
from scout.cli.options import lieu_id
from scout.i18n import _

EXIT_OK = 0


def add_dossier_commands(sub: Any, exports: Any) -> None:
    """Adds this module's commands to the parser (`sub`: the top-level commands;
    `exports` / `imports`: the formats of `scout export` / `scout import`)."""
    p = exports.add_parser(
        "dossier",
        help=_("the dossier de repérage of a décor, to print or send (PDF or HTML)"),
        description=_(
            "The dossier de repérage: a cover page with the production and the décors, "
            "then a page per candidate location (address, arrondissement and mairie, map, "
            "photos, PMR checklist, logistics, sun on the shoot days, contacts, permits)."
        ),
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--decor", metavar=_("NAME"), help=_("the décor's name (default: every décor)")
    )
    which.add_argument(
        "--lieu",
        type=lieu_id,
        action="append",
        metavar="ID",
        help=_("a location's id (repeat it for several)"),
    )
    p.add_argument(
        "--format",
        choices=("pdf", "html"),
        default=None,
        help=_("pdf or html (default: from the file name, else pdf)"),
    )
    add_output_option(p)
    p.add_argument(
        "--no-contacts",
        action="store_true",
        help=_("leave the contacts out (for wide circulation)"),
    )
    p.add_argument(
        "--full-photos",
        action="store_true",
        help=_("add each picture at full page size after its location"),
    )
    p.set_defaults(func=cmd_dossier)


def output_format(chosen: str | None, output: str | None) -> str:
    if chosen:
        return chosen
    if output and output.lower().endswith((".html", ".htm")):
        return "html"
    return "pdf"


def cmd_dossier(ctx: Context) -> int:
    from scout.exports.dossier import compose, render
    from scout.services.dossier import gather

    args = ctx.args
    fmt = output_format(args.format, args.output)
    if args.output:
        _check_output(args.output)
    ws = ctx.workspace(read_only=True)
    data = gather(ws, decor=args.decor, lieu_ids=args.lieu)
    dossier = compose(
        data,
        contacts=not args.no_contacts,
        full_photos=args.full_photos,
        progress=progress_bar(_("Scouting file")),
    )
    body = render(dossier, fmt)
    emit(args.output, body, _("Scouting file written to {path}"))
    return EXIT_OK


def _check_output(path: str) -> None:
    """Say at once that the output cannot be written, before making the dossier."""
    from scout.files import checked_target

    checked_target(path)
