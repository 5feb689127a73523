"""Geocoding on the command line: `scout geocode …`, and addresses in `scout locate`
and `scout add`."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from scout.errors import ValidationError


def add_geocode_commands(sub: Any) -> None:
    p = sub.add_parser(
        "geocode", help="addresses to positions: the queue, reverse, batches",
        description="Geocode with the national address service (fallback: Nominatim). "
                    "Answers are cached next to the database; SCOUT_OFFLINE=1 never touches "
                    "the network.")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("address", nargs="?", help="an address or place name")
    what.add_argument("--pending", action="store_true",
                      help="place the lieux saved with an address but no position")
    what.add_argument("--reverse", metavar="LAT,LON", help="the addresses nearest a position")
    what.add_argument("--batch", metavar="FILE",
                      help="one address per line ('-' for standard input); JSON lines out")
    p.add_argument("--refresh", action="store_true", help="ask again, ignoring the cache")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_geocode)


def geocoder_for(args: argparse.Namespace) -> Any:
    from scout.clock import Clock
    from scout.geocoding.queue import open_geocoder
    from scout.settings import Settings

    return open_geocoder(Settings.load(args.db, args.rules).db_path, Clock.from_env())


def candidate_line(c: Any) -> str:
    from scout.formatting import arrondissement_label

    where = ("outside Paris" if c.outside_paris else
             arrondissement_label(c.arrondissement, c.on_boundary))
    flag = "  ⚠ outside Île-de-France: check" if c.outside_ile_de_france else ""
    return f"{c.label}  [{where}]  score {c.score:.2f} ({c.provider}){flag}"


def cmd_geocode(args: argparse.Namespace) -> int:
    from scout.cli import _print_json

    geocoder = geocoder_for(args)
    try:
        if args.pending:
            return _pending(args, geocoder)
        if args.batch:
            if args.batch == "-":
                return _batch(sys.stdin, sys.stdout, geocoder)
            try:
                source = open(args.batch, encoding="utf-8")
            except OSError as e:
                raise ValidationError("--batch", f"{args.batch}: {e.strerror or e}") from None
            with source:
                try:
                    return _batch(source, sys.stdout, geocoder)
                except UnicodeDecodeError:
                    raise ValidationError("--batch", f"{args.batch} is not a UTF-8 text "
                                                     "file") from None
        if args.reverse:
            from scout.cli import _position
            from scout.domain.values import parse_position

            lat, lon = _position(args.reverse, parse_position)
            found = geocoder.reverse(lat, lon, refresh=args.refresh)
        else:
            found = geocoder.search(args.address, refresh=args.refresh)
    finally:
        geocoder.close()
    if args.json:
        _print_json([c.to_dict() for c in found])
    elif found:
        for c in found:
            print(candidate_line(c))
    else:
        print("Nothing found.")
    return 0 if found else 1


def _pending(args: argparse.Namespace, geocoder: Any) -> int:
    from scout.cli import _print_json, _service
    from scout.geocoding.queue import resolve_queue

    service = _service(args)
    try:
        report = resolve_queue(service, geocoder, progress=_progress_bar("geocoding"))
    finally:
        service.store.close()
    if args.json:
        _print_json({
            "placed": [lieu.id for lieu in report.placed],
            "ambiguous": {str(lieu.id): [c.to_dict() for c in cands]
                          for lieu, cands in report.ambiguous},
            "not_found": [lieu.id for lieu in report.not_found],
            "edited_meanwhile": [lieu.id for lieu in report.edited_meanwhile],
            "unreachable": report.unreachable or None,
        })
    else:
        for lieu in report.placed:
            print(f"placed   lieu {lieu.id}: {lieu.name} ({lieu.address})")
        for lieu, cands in report.ambiguous:
            print(f"choose   lieu {lieu.id}: {lieu.name} — {len(cands)} candidates; "
                  f"pick one in the interface or give --lat/--lon")
            for c in cands[:5]:
                print(f"           {candidate_line(c)}")
        for lieu in report.not_found:
            print(f"no match lieu {lieu.id}: {lieu.name} ({lieu.address!r})")
        if report.unreachable:
            print(f"scout: {report.unreachable}; the others stay in the queue", file=sys.stderr)
        if not (report.placed or report.waiting or report.unreachable):
            print("Nothing waits to be geocoded.")
    return 1 if report.unreachable else 0


def _batch(source: TextIO, out: TextIO, geocoder: Any) -> int:
    import orjson

    queries = [line.strip() for line in source if line.strip()]
    results = geocoder.search_many(queries, progress=_progress_bar("geocoding"))
    errors = 0
    for number, (query, found) in enumerate(zip(queries, results), start=1):
        if isinstance(found, Exception):
            errors += 1
            row: dict[str, Any] = {"line": number, "query": query, "error": str(found)}
        else:
            row = {"line": number, "query": query,
                   "candidates": [c.to_dict() for c in found]}
        out.write(orjson.dumps(row).decode() + "\n")
    return 1 if errors else 0


def _progress_bar(label: str) -> Any:
    """A progress bar on standard error, only when a person is watching."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def locate_address(args: argparse.Namespace, text: str) -> int:
    """`scout locate "28 rue Buffault"`: geocode, then what locate prints for a position."""
    from scout.cli import _print_json
    from scout.formatting import location_lines
    from scout.geo import locate

    geocoder = geocoder_for(args)
    try:
        found = geocoder.search(text)
    finally:
        geocoder.close()
    if not found:
        print(f"scout: nothing found for {text!r}", file=sys.stderr)
        return 1
    best = found[0]
    where = locate(best.lat, best.lon, best.postcode or args.postcode)
    if args.json:
        _print_json({**where.to_dict(), "query": text,
                     "matches": [c.to_dict() for c in found]})
        return 0
    print(f"Found        {candidate_line(best)}")
    for other in found[1:]:
        print(f"or           {candidate_line(other)}")
    lines = location_lines(where)
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        print(f"{label:<{width}}  {value}")
    print("Source : Ville de Paris — opendata.paris.fr (ODbL); address: "
          f"{'Base Adresse Nationale' if best.provider == 'ban' else 'OpenStreetMap'}")
    return 0


def place_new_lieu(args: argparse.Namespace, service: Any, lieu: Any) -> str:
    """After `scout add`/`edit` with an address and no position: geocode it now if the
    network allows; otherwise it stays in the queue. Returns a line for the user."""
    from scout.geocoding.queue import resolve_queue

    geocoder = geocoder_for(args)
    try:
        report = resolve_queue(service, geocoder, only=[lieu.id])
    finally:
        geocoder.close()
    if report.placed:
        placed = report.placed[0]
        from scout.cli import _where

        return f"  placed from its address{_where(placed)}"
    if report.ambiguous:
        _, cands = report.ambiguous[0]
        lines = [f"  several places match {lieu.address!r}; choose in the interface or "
                 f"give --lat/--lon:"] + [f"    {candidate_line(c)}" for c in cands[:5]]
        return "\n".join(lines)
    if report.not_found:
        return f"  no place matches {lieu.address!r}: check the address"
    return (f"  saved without a position ({report.unreachable}); "
            "`scout geocode --pending` will place it when the network is back")
