"""Geocoding on the command line: `scout geocode …`, and addresses in `scout locate`
and `scout add`."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

from scout.cli.context import Context, print_aligned, print_json, progress_bar, warn
from scout.errors import ValidationError
from scout.present.lines import candidate_line

if TYPE_CHECKING:
    from scout.domain import Lieu
    from scout.geocoding.service import GeocodingService


def add_geocode_commands(sub: Any) -> None:
    p = sub.add_parser(
        "geocode",
        help="addresses to positions: the queue, reverse, batches",
        description="Geocode with the national address service (fallback: Nominatim). "
        "Answers are cached next to the database; SCOUT_OFFLINE=1 never touches "
        "the network.",
    )
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("address", nargs="?", help="an address or place name")
    what.add_argument(
        "--pending",
        action="store_true",
        help="place the lieux saved with an address but no position",
    )
    what.add_argument("--reverse", metavar="LAT,LON", help="the addresses nearest a position")
    what.add_argument(
        "--batch",
        metavar="FILE",
        help="one address per line ('-' for standard input); JSON lines out",
    )
    p.add_argument("--refresh", action="store_true", help="ask again, ignoring the cache")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_geocode)


def cmd_geocode(ctx: Context) -> int:
    args = ctx.args
    if args.pending:
        return _pending(ctx)
    geocoder = ctx.geocoder()
    if args.batch is not None:
        return _batch(_batch_lines(args.batch), sys.stdout, geocoder)
    if args.reverse is not None:
        from scout.cli.locate import position_of

        lat, lon = position_of(args.reverse)
        found = geocoder.reverse(lat, lon, refresh=args.refresh)
    else:
        found = geocoder.search(args.address, refresh=args.refresh)
    if args.json:
        print_json([c.to_dict() for c in found])
    elif found:
        for c in found:
            print(candidate_line(c))
    else:
        print("Nothing found.")
    return 0 if found else 1


def _pending(ctx: Context) -> int:
    from scout.services.geocoding import apply_answers, look_up

    pending = ctx.workspace().geocoding.pending()
    ctx.release()  # no network call holds the database: other writers go on meanwhile
    answers, unreachable = look_up(pending, ctx.geocoder(), progress_bar("geocoding"))
    report = apply_answers(ctx.workspace().lieux, answers, unreachable)
    if ctx.args.json:
        print_json(
            {
                "placed": [lieu.id for lieu in report.placed],
                "ambiguous": {
                    str(lieu.id): [c.to_dict() for c in cands] for lieu, cands in report.ambiguous
                },
                "not_found": [lieu.id for lieu in report.not_found],
                "edited_meanwhile": [lieu.id for lieu in report.edited_meanwhile],
                "unreachable": report.unreachable or None,
            }
        )
    else:
        for lieu in report.placed:
            print(f"placed   lieu {lieu.id}: {lieu.name} ({lieu.address})")
        for lieu, cands in report.ambiguous:
            print(
                f"choose   lieu {lieu.id}: {lieu.name} — {len(cands)} candidates; "
                f"pick one in the interface or give --lat/--lon"
            )
            for c in cands[:5]:
                print(f"           {candidate_line(c)}")
        for lieu in report.not_found:
            print(f"no match lieu {lieu.id}: {lieu.name} ({lieu.address!r})")
        if report.unreachable:
            warn(f"{report.unreachable}; the others stay in the queue")
        if not (report.placed or report.waiting or report.unreachable):
            print("Nothing waits to be geocoded.")
    return 1 if report.unreachable else 0


def _batch_lines(name: str) -> list[str]:
    """The addresses of a batch file ('-': standard input), one per line, UTF-8."""
    import stat

    if name == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
    else:
        try:
            if not stat.S_ISREG(os.stat(name).st_mode):
                raise ValidationError("--batch", f"{name} is not a regular file")
            with open(name, "rb") as f:
                data = f.read()
        except OSError as e:
            raise ValidationError("--batch", f"{name}: {e.strerror or e}") from None
    if isinstance(data, bytes):
        raw = data
        try:
            data = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            where = "standard input" if name == "-" else name
            line = raw[: e.start].count(b"\n") + 1
            raise ValidationError(
                "--batch", f"{where} is not a UTF-8 text file (line {line})"
            ) from None
    return [line.strip() for line in data.splitlines() if line.strip()]


def _batch(queries: list[str], out: TextIO, geocoder: GeocodingService) -> int:
    import orjson

    results = geocoder.search_many(queries, progress=progress_bar("geocoding"))
    errors = 0
    for number, (query, found) in enumerate(zip(queries, results), start=1):
        if isinstance(found, Exception):
            errors += 1
            row: dict[str, Any] = {"line": number, "query": query, "error": str(found)}
        else:
            row = {"line": number, "query": query, "candidates": [c.to_dict() for c in found]}
        out.write(orjson.dumps(row).decode() + "\n")
    return 1 if errors else 0


def locate_address(ctx: Context, text: str) -> int:
    """`scout locate "28 rue Buffault"`: geocode, then what locate prints for a position."""
    from scout.cli.locate import ATTRIBUTION
    from scout.geo import locate
    from scout.present.sheets import location_lines

    found = ctx.geocoder().search(text)
    if not found:
        warn(f"nothing found for {text!r}")
        return 1
    best = found[0]
    where = locate(best.lat, best.lon, best.postcode or ctx.args.postcode)
    if ctx.args.json:
        print_json({**where.to_dict(), "query": text, "matches": [c.to_dict() for c in found]})
        return 0
    lines = [("Found", candidate_line(best))]
    lines += [("or", candidate_line(other)) for other in found[1:]]
    print_aligned(lines + location_lines(where), first=12)
    provider = "Base Adresse Nationale" if best.provider == "ban" else "OpenStreetMap"
    print(f"{ATTRIBUTION}; address: {provider}")
    return 0


def place_new_lieu(ctx: Context, lieu: Lieu) -> str:
    """After `scout add`/`edit` with an address and no position: geocode it now if the
    network allows; otherwise it stays in the queue. Returns a line for the user."""
    from scout.errors import ScoutError
    from scout.present.labels import where_suffix
    from scout.services.geocoding import apply_answers, look_up

    ctx.release()  # the lieu is saved; the database is free while the network answers
    try:
        answers, unreachable = look_up([lieu], ctx.geocoder())
        report = apply_answers(ctx.workspace().lieux, answers, unreachable)
    except ScoutError as e:  # a bad setting, a database gone busy: the lieu stays saved
        return f"  saved without a position ({e}); `scout geocode --pending` will place it later"
    if report.placed:
        return f"  placed from its address{where_suffix(report.placed[0])}"
    if report.ambiguous:
        _, cands = report.ambiguous[0]
        lines = [
            f"  several places match {lieu.address!r}; choose in the interface or give --lat/--lon:"
        ] + [f"    {candidate_line(c)}" for c in cands[:5]]
        return "\n".join(lines)
    if report.not_found:
        return f"  no place matches {lieu.address!r}: check the address"
    return (
        f"  saved without a position ({report.unreachable}); "
        "`scout geocode --pending` will place it when the network is back"
    )
