"""`scout import photos …` and `scout photos …`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_photo_commands(sub: Any) -> None:
    from scout.cli import _lieu_id

    imp = sub.add_parser("import", help="import pictures (and later, the City's open data)")
    isub = imp.add_subparsers(title="what", metavar="WHAT", required=True)
    p = isub.add_parser("photos", help="pictures: metadata read, files referenced, never "
                                       "copied or changed")
    p.add_argument("paths", nargs="+", type=Path, metavar="DIR_OR_FILE")
    p.add_argument("--lieu", type=_lieu_id, metavar="ID",
                   help="give them to this lieu (otherwise they are grouped into proposals)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import_photos)

    photos = sub.add_parser("photos", help="pictures and the places they propose")
    psub = photos.add_subparsers(title="photo commands", metavar="ACTION", required=True)
    p = psub.add_parser("list", help="pictures of a lieu, or all")
    p.add_argument("lieu", type=_lieu_id, nargs="?", metavar="LIEU_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_photos_list)
    p = psub.add_parser("proposals", help="places proposed from pictures without a lieu")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_photos_proposals)
    p = psub.add_parser("accept", help="make a proposal a new lieu (or give it to the lieu "
                                       "it is near)")
    p.add_argument("number", type=int, metavar="N")
    p.add_argument("--name", help="name of the new lieu (default: its address)")
    p.add_argument("--decor", default="")
    p.set_defaults(func=cmd_photos_accept)
    p = psub.add_parser("attach", help="give a proposal's pictures to a lieu (merge)")
    p.add_argument("number", type=int, metavar="N")
    p.add_argument("lieu", type=_lieu_id, metavar="LIEU_ID")
    p.set_defaults(func=cmd_photos_attach)
    p = psub.add_parser("relink", help="find moved pictures again, by content, under DIR")
    p.add_argument("folder", type=Path, metavar="DIR")
    p.set_defaults(func=cmd_photos_relink)


def _proposals(store: Any) -> list[Any]:
    from scout.photos.importer import propose

    lieux = [(lieu.id, lieu.position.lat, lieu.position.lon)
             for lieu in store.query_lieux() if lieu.position is not None]
    return propose(store.photos(unassigned=True), lieux)


def cmd_import_photos(args: argparse.Namespace) -> int:
    from scout.cli import _print_json, _service
    from scout.photos.importer import import_photos

    service = _service(args)
    try:
        with service.store.transaction():  # one commit for the whole batch
            report = import_photos(service.store, args.paths, lieu_id=args.lieu,
                                   stamp=service.clock.stamp())
        proposals = _proposals(service.store) if args.lieu is None else []
    finally:
        service.store.close()
    if args.json:
        _print_json({
            "imported": [p.path for p in report.imported],
            "already_known": [str(p) for p in report.already_known],
            "moved": [p.path for p in report.moved],
            "skipped": [{"path": str(p), "reason": r} for p, r in report.skipped],
            "without_position": [p.path for p in report.without_position],
            "proposals": [_proposal_json(x) for x in proposals],
        })
    else:
        print(f"{len(report.imported)} imported, {len(report.already_known)} already known, "
              f"{len(report.moved)} found at a new place, {len(report.skipped)} skipped")
        for path, reason in report.skipped:
            print(f"  skipped {path}: {reason}")
        if report.without_position:
            print(f"  {len(report.without_position)} without a GPS position: give them to a "
                  f"lieu with --lieu")
        if proposals:
            print("Proposed lieux (scout photos accept N / attach N LIEU_ID):")
            for x in proposals:
                print("  " + _proposal_line(x))
    return 1 if report.skipped else 0


def _proposal_json(x: Any) -> dict[str, Any]:
    return {"number": x.number, "lat": x.lat, "lon": x.lon, "photos": len(x.photos),
            "near_lieu": x.lieu_id, "first_taken": x.first_taken}


def _proposal_line(x: Any) -> str:
    from scout.formatting import arrondissement_label
    from scout.geo import locate

    where = locate(x.lat, x.lon)
    arr = ("outside Paris" if where.outside_paris else
           arrondissement_label(where.arrondissement.number, where.on_boundary))
    near = f" — near lieu {x.lieu_id}" if x.lieu_id else ""
    return (f"{x.number}. {len(x.photos)} picture(s) at {x.lat:.5f}, {x.lon:.5f} [{arr}]"
            f"{near}" + (f", from {x.first_taken[:16].replace('T', ' ')}"
                         if x.first_taken else ""))


def cmd_photos_list(args: argparse.Namespace) -> int:
    from scout.cli import _print_json, _service

    service = _service(args, read_only=True)
    if args.lieu is not None:
        service.store.get_lieu(args.lieu)
    photos = service.store.photos(args.lieu)
    if args.json:
        _print_json([{"id": p.id, "path": p.path, "sha256": p.sha256, "lieu_id": p.lieu_id,
                      "exists": Path(p.path).exists(), "metadata": p.metadata}
                     for p in photos])
        return 0
    for p in photos:
        m = p.metadata
        missing = "" if Path(p.path).exists() else "  (file missing: scout photos relink DIR)"
        print(f"{p.id:>4}  {p.path}  {m.get('taken_at', '')[:16]}  "
              f"{m.get('make', '')} {m.get('model', '')}{missing}")
    if not photos:
        print("No pictures yet: scout import photos DIR")
    return 0


def cmd_photos_proposals(args: argparse.Namespace) -> int:
    from scout.cli import _print_json, _service

    service = _service(args, read_only=True)
    proposals = _proposals(service.store)
    if args.json:
        _print_json([_proposal_json(x) for x in proposals])
    else:
        for x in proposals:
            print(_proposal_line(x))
        if not proposals:
            print("No pictures waiting for a lieu.")
    return 0


def _proposal(store: Any, number: int) -> Any:
    from scout.errors import NotFound

    for x in _proposals(store):
        if x.number == number:
            return x
    raise NotFound(f"no proposal {number}: see `scout photos proposals`")


def _give(store: Any, proposal: Any, lieu_id: int) -> None:
    from dataclasses import replace

    with store.transaction():
        for photo in proposal.photos:
            store.update_photo(replace(photo, lieu_id=lieu_id))


def cmd_photos_accept(args: argparse.Namespace) -> int:
    from scout.cli import _service, _where
    from scout.domain.lieu import PositionSource

    service = _service(args)
    try:
        proposal = _proposal(service.store, args.number)
        if proposal.lieu_id is not None and not args.name:
            _give(service.store, proposal, proposal.lieu_id)
            print(f"{len(proposal.photos)} picture(s) given to lieu {proposal.lieu_id}")
            return 0
        address = _reverse_address(args, proposal)
        name = args.name or address or f"Repérage du {(proposal.first_taken or '')[:10]}"
        lieu = service.add({"name": name, "decor": args.decor, "address": address,
                            "lat": proposal.lat, "lon": proposal.lon},
                           source=PositionSource.PHOTO_EXIF)
        _give(service.store, proposal, lieu.id)
    finally:
        service.store.close()
    print(f"Added lieu {lieu.id}: {lieu.name}{_where(lieu)} with {len(proposal.photos)} "
          f"picture(s)" + ("" if address else " (address: ask again when online)"))
    return 0


def _reverse_address(args: argparse.Namespace, proposal: Any) -> str:
    from scout.cli_geocode import geocoder_for
    from scout.geocoding.errors import GeocodingError

    geocoder = geocoder_for(args)
    try:
        found = geocoder.reverse(proposal.lat, proposal.lon)
        return found[0].label if found else ""
    except GeocodingError:
        return ""
    finally:
        geocoder.close()


def cmd_photos_attach(args: argparse.Namespace) -> int:
    from scout.cli import _service

    service = _service(args)
    try:
        service.store.get_lieu(args.lieu)
        proposal = _proposal(service.store, args.number)
        _give(service.store, proposal, args.lieu)
    finally:
        service.store.close()
    print(f"{len(proposal.photos)} picture(s) given to lieu {args.lieu}")
    return 0


def cmd_photos_relink(args: argparse.Namespace) -> int:
    from scout.cli import _service
    from scout.errors import ValidationError
    from scout.photos.importer import relink

    if not args.folder.is_dir():
        raise ValidationError("DIR", f"{args.folder} is not a folder")
    service = _service(args)
    try:
        found = relink(service.store, args.folder)
    finally:
        service.store.close()
    for p in found:
        print(f"found again: {p.path}")
    print(f"{len(found)} picture(s) relinked")
    return 0
