"""`scout import photos …` and `scout photos …`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scout.cli.context import Context, print_json
from scout.cli.options import lieu_id, proposal_number
from scout.errors import ValidationError
from scout.photos.importer import Proposal
from scout.present.lines import proposal_line


def add_photo_commands(sub: Any) -> None:
    imp = sub.add_parser("import", help="import pictures (and later, the City's open data)")
    isub = imp.add_subparsers(title="what", metavar="WHAT", required=True)
    p = isub.add_parser(
        "photos", help="pictures: metadata read, files referenced, never copied or changed"
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="DIR_OR_FILE")
    p.add_argument(
        "--lieu",
        type=lieu_id,
        metavar="ID",
        help="give them to this lieu (otherwise they are grouped into proposals)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import_photos)

    photos = sub.add_parser("photos", help="pictures and the places they propose")
    psub = photos.add_subparsers(title="photo commands", metavar="ACTION", required=True)
    p = psub.add_parser("list", help="pictures of a lieu, or all")
    p.add_argument("lieu", type=lieu_id, nargs="?", metavar="LIEU_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_photos_list)
    p = psub.add_parser("proposals", help="places proposed from pictures without a lieu")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_photos_proposals)
    p = psub.add_parser(
        "accept", help="make a proposal a new lieu (or give it to the lieu it is near)"
    )
    p.add_argument("number", type=proposal_number, metavar="N")
    p.add_argument("--name", help="name of the new lieu (default: its address)")
    p.add_argument("--decor", default="")
    p.set_defaults(func=cmd_photos_accept)
    p = psub.add_parser("attach", help="give a proposal's pictures to a lieu (merge)")
    p.add_argument("number", type=proposal_number, metavar="N")
    p.add_argument("lieu", type=lieu_id, metavar="LIEU_ID")
    p.set_defaults(func=cmd_photos_attach)
    p = psub.add_parser("relink", help="find moved pictures again, by content, under DIR")
    p.add_argument("folder", type=Path, metavar="DIR")
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
                "skipped": [{"path": str(p), "reason": r} for p, r in report.skipped],
                "without_position": [p.path for p in report.without_position],
                "proposals": [_proposal_json(x) for x in proposals],
            }
        )
    else:
        print(
            f"{len(report.imported)} imported, {len(report.already_known)} already known, "
            f"{len(report.moved)} found at a new place, {len(report.skipped)} skipped"
        )
        if report.attached:
            print(f"  {len(report.attached)} already known, now given to lieu {args.lieu}")
        for path, reason in report.skipped:
            print(f"  skipped {path}: {reason}")
        if report.without_position:
            print(
                f"  {len(report.without_position)} without a GPS position: give them to a "
                f"lieu with --lieu"
            )
        if proposals:
            print("Proposed lieux (scout photos accept N / attach N LIEU_ID):")
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
    for p in photos:
        m = p.metadata
        missing = "" if Path(p.path).exists() else "  (file missing: scout photos relink DIR)"
        print(
            f"{p.id:>4}  {p.path}  {m.get('taken_at', '')[:16]}  "
            f"{m.get('make', '')} {m.get('model', '')}{missing}"
        )
    if not photos:
        print("No pictures yet: scout import photos DIR")
    return 0


def cmd_photos_proposals(ctx: Context) -> int:
    proposals = ctx.workspace(read_only=True).photos.proposals()
    if ctx.args.json:
        print_json([_proposal_json(x) for x in proposals])
    else:
        for x in proposals:
            print(proposal_line(x))
        if not proposals:
            print("No pictures waiting for a lieu.")
    return 0


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
        print(f"{placed.photos} picture(s) given to lieu {placed.lieu_id}")
        return 0
    later = "" if placed.address else " (address: ask again when online)"
    print(
        f"Added lieu {lieu.id}: {lieu.name}{where_suffix(lieu)} with {placed.photos} "
        f"picture(s){later}"
    )
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
    print(f"{placed.photos} picture(s) given to lieu {placed.lieu_id}")
    return 0


def cmd_photos_relink(ctx: Context) -> int:
    if not ctx.args.folder.is_dir():
        raise ValidationError("DIR", f"{ctx.args.folder} is not a folder")
    found = ctx.workspace().photos.relink(ctx.args.folder)
    for p in found:
        print(f"found again: {p.path}")
    print(f"{len(found)} picture(s) relinked")
    return 0
