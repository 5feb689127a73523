"""`scout import photos …` and `scout photos …`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scout.cli.context import Context, iso_moment, number, print_json, reason_fields
from scout.cli.options import lieu_id, proposal_number
from scout.errors import ValidationError
from scout.i18n import _, ngettext
from scout.photos.importer import Proposal
from scout.present.lines import proposal_line


def add_photo_commands(sub: Any, isub: Any) -> None:
    p = isub.add_parser(
        "photos", help=_("pictures: metadata read, files referenced, never copied or changed")
    )
    p.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar=_("DIR_OR_FILE"),
        help=_("folders (searched whole) or picture files"),
    )
    p.add_argument(
        "--lieu",
        type=lieu_id,
        metavar="ID",
        help=_("give them to this location (otherwise they are grouped into proposals)"),
    )
    p.add_argument(
        "--json", action="store_true", help=_("one JSON object, the same in every language")
    )
    p.set_defaults(func=cmd_import_photos)

    photos = sub.add_parser("photos", help=_("pictures and the places they propose"))
    psub = photos.add_subparsers(title=_("photo commands"), metavar=_("ACTION"), required=True)
    p = psub.add_parser("list", help=_("pictures of a location, or all"))
    p.add_argument(
        "lieu", type=lieu_id, nargs="?", metavar=_("LOCATION_ID"), help=_("the location's id")
    )
    p.add_argument(
        "--json", action="store_true", help=_("one JSON array, the same in every language")
    )
    p.set_defaults(func=cmd_photos_list)
    p = psub.add_parser("proposals", help=_("places proposed from pictures without a location"))
    p.add_argument(
        "--json", action="store_true", help=_("one JSON array, the same in every language")
    )
    p.set_defaults(func=cmd_photos_proposals)
    p = psub.add_parser(
        "accept", help=_("make a proposal a new location (or give it to the location it is near)")
    )
    p.add_argument("number", type=proposal_number, metavar="N", help=_("the proposal's number"))
    p.add_argument(
        "--name", metavar=_("TEXT"), help=_("name of the new location (default: its address)")
    )
    p.add_argument("--decor", default="", metavar=_("TEXT"), help=_("its décor"))
    p.set_defaults(func=cmd_photos_accept)
    p = psub.add_parser("attach", help=_("give a proposal's pictures to a location (merge)"))
    p.add_argument("number", type=proposal_number, metavar="N", help=_("the proposal's number"))
    p.add_argument("lieu", type=lieu_id, metavar=_("LOCATION_ID"), help=_("the location's id"))
    p.set_defaults(func=cmd_photos_attach)
    p = psub.add_parser("relink", help=_("find moved pictures again, by content, under DIR"))
    p.add_argument(
        "folder", type=Path, metavar=_("DIR"), help=_("the folder the pictures moved to")
    )
    p.set_defaults(func=cmd_photos_relink)


def _proposal_json(x: Proposal) -> dict[str, Any]:
    return {
        "number": x.number,
        "lat": x.lat,
        "lon": x.lon,
        "photos": len(x.photos),
        "near_lieu": x.lieu_id,
        "first_taken": x.first_taken,
    }


def cmd_import_photos(ctx: Context) -> int:
    args = ctx.args
    ws = ctx.workspace()
    report = ws.photos.import_paths(args.paths, args.lieu)
    proposals = ws.photos.proposals() if args.lieu is None else []
    if args.json:
        print_json(
            {
                "imported": [p.path for p in report.imported],
                "already_known": [str(p) for p in report.already_known],
                "moved": [p.path for p in report.moved],
                "attached": [p.path for p in report.attached],
                # why, as a code (not_an_image, missing…) with its neutral data
                "skipped": [reason_fields(r, path=str(p)) for p, r in report.skipped],
                "without_position": [p.path for p in report.without_position],
                "proposals": [_proposal_json(x) for x in proposals],
            }
        )
    else:
        print(
            _(
                "{imported} imported, {known} already known, {moved} found at a new place, "
                "{skipped} skipped"
            ).format(
                imported=number(len(report.imported)),
                known=number(len(report.already_known)),
                moved=number(len(report.moved)),
                skipped=number(len(report.skipped)),
            )
        )
        if report.attached:
            n = len(report.attached)
            line = ngettext(
                "{n} already known, now given to location {lieu}",
                "{n} already known, now given to location {lieu}",
                n,
            ).format(n=number(n), lieu=args.lieu)
            print(f"  {line}")
        for path, reason in report.skipped:
            print("  " + _("skipped {path}: {reason}").format(path=path, reason=reason))
        placed = [p for p in report.without_position if p.lieu_id is not None]
        if placed:
            n = len(placed)
            line = ngettext(
                "{n} without a GPS position, given to location {lieu}",
                "{n} without a GPS position, given to location {lieu}",
                n,
            ).format(n=number(n), lieu=args.lieu)
            print(f"  {line}")
        unplaced = [p for p in report.without_position if p.lieu_id is None]
        if unplaced:
            n = len(unplaced)
            line = ngettext(
                "{n} without a GPS position: give it to a location with --lieu",
                "{n} without a GPS position: give them to a location with --lieu",
                n,
            ).format(n=number(n))
            print(f"  {line}")
        if proposals:
            print(_("Proposed locations (scout photos accept N / attach N LOCATION_ID):"))
            for x in proposals:
                print("  " + proposal_line(x))
    return 1 if report.skipped else 0


def cmd_photos_list(ctx: Context) -> int:
    photos = ctx.workspace(read_only=True).photos.of_lieu(ctx.args.lieu)
    if ctx.args.json:
        print_json(
            [
                {
                    "id": p.id,
                    "path": p.path,
                    "sha256": p.sha256,
                    "lieu_id": p.lieu_id,
                    "exists": Path(p.path).exists(),
                    "metadata": p.metadata,
                }
                for p in photos
            ]
        )
        return 0
    missing = _("(file missing: scout photos relink DIR)")
    for p in photos:
        m = p.metadata
        taken = iso_moment(m.get("taken_at")) if m.get("taken_at") else ""
        gone = "" if Path(p.path).exists() else f"  {missing}"
        print(f"{p.id:>4}  {p.path}  {taken}  {m.get('make', '')} {m.get('model', '')}{gone}")
    if not photos:
        print(_("No pictures yet: scout import photos DIR"))
    return 0


def cmd_photos_proposals(ctx: Context) -> int:
    proposals = ctx.workspace(read_only=True).photos.proposals()
    if ctx.args.json:
        print_json([_proposal_json(x) for x in proposals])
    else:
        for x in proposals:
            print(proposal_line(x))
        if not proposals:
            print(_("No pictures waiting for a location."))
    return 0


def _given(count: int, lieu: int | None) -> str:
    return ngettext(
        "{n} picture given to location {lieu}", "{n} pictures given to location {lieu}", count
    ).format(n=number(count), lieu=lieu)


def cmd_photos_accept(ctx: Context) -> int:
    from scout.present.labels import where_suffix

    proposal = ctx.workspace().photos.proposal(ctx.args.number)
    address = None
    if proposal.lieu_id is None or ctx.args.name:
        ctx.release()  # the database is free while the address service answers
        address = _reverse(ctx, proposal)
    ws = ctx.workspace()
    proposal = ws.photos.proposal(ctx.args.number)  # as it is now, after the wait
    placed = ws.photos.accept(proposal, ctx.args.name, ctx.args.decor, address=address)
    lieu = placed.new_lieu
    if lieu is None:
        print(_given(placed.photos, placed.lieu_id))
        return 0
    line = ngettext(
        "Added location {id}: {name}{where} with {n} picture",
        "Added location {id}: {name}{where} with {n} pictures",
        placed.photos,
    ).format(id=lieu.id, name=lieu.name, where=where_suffix(lieu), n=number(placed.photos))
    if not placed.address:
        line += " " + _("(address: ask again when online)")
    print(line)
    return 0


def _reverse(ctx: Context, proposal: Proposal) -> str:
    from scout.errors import ScoutError

    try:
        found = ctx.geocoder().reverse(proposal.lat, proposal.lon)
    except ScoutError:  # offline, a bad setting: the lieu is named otherwise
        return ""
    return found[0].label if found else ""


def cmd_photos_attach(ctx: Context) -> int:
    ws = ctx.workspace()
    ws.lieux.get(ctx.args.lieu)
    placed = ws.photos.attach(ws.photos.proposal(ctx.args.number), ctx.args.lieu)
    print(_given(placed.photos, placed.lieu_id))
    return 0


def cmd_photos_relink(ctx: Context) -> int:
    if not ctx.args.folder.is_dir():
        raise ValidationError(_("DIR"), _("{path} is not a folder").format(path=ctx.args.folder))
    found = ctx.workspace().photos.relink(ctx.args.folder)
    for p in found:
        print(_("found again: {path}").format(path=p.path))
    n = len(found)
    print(ngettext("{n} picture relinked", "{n} pictures relinked", n).format(n=number(n)))
    return 0
