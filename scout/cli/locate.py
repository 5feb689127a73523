"""`scout locate`: where a position or an address lies, one at a time or as a stream."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from scout.cli.context import Context, print_aligned, print_json
from scout.errors import ScoutError, ValidationError

EXIT_OK, EXIT_INPUT = 0, 1
ATTRIBUTION = "Source : Ville de Paris — opendata.paris.fr (ODbL)"


def add_locate_command(sub: Any) -> None:
    p = sub.add_parser(
        "locate",
        help="arrondissement, mairie and filming rules of a position or address",
        description="Where a position (or an address, geocoded) lies: arrondissement, "
        "mairie, zone rules, boundary candidates. With '-', reads "
        "'lat,lon[,postcode]' or address lines from standard input and writes "
        "one JSON object per line, in order.",
    )
    p.add_argument("position", metavar="LAT,LON|ADDRESS|-")
    p.add_argument("--postcode", help="breaks ties on a boundary (75001–75020, 75116)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_locate)


def cmd_locate(ctx: Context) -> int:
    args = ctx.args
    if args.position == "-":
        return locate_stream(ctx, sys.stdin, sys.stdout)
    from scout.geo import check_position, locate
    from scout.present.sheets import location_lines

    if looks_like_address(args.position):
        from scout.cli.geocode import locate_address

        return locate_address(ctx, args.position)
    lat, lon = position_of(args.position, "or an address")
    check_position(lat, lon)
    where = locate(lat, lon, args.postcode)
    if args.json:
        print_json(where.to_dict())
        return EXIT_OK
    print_aligned(location_lines(where))
    print(ATTRIBUTION)
    return EXIT_OK


def looks_like_address(text: str) -> bool:
    """Letters, and not two numbers ('nan,2.35' is a bad position, not an address)."""
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    if len(parts) in (2, 3):
        try:
            float(parts[0]), float(parts[1])
            return False
        except ValueError:
            pass
    return any(ch.isalpha() for ch in text)


def position_of(text: str, alternative: str = "") -> tuple[float, float]:
    """'lat,lon' as typed, or a message that says what a position looks like."""
    from scout.domain.values import parse_position

    try:
        return parse_position(text)
    except ValidationError:
        tail = f", {alternative}" if alternative else ""
        raise ValidationError(
            "position",
            f"{text!r} is not a position: give 'latitude,longitude' in degrees, "
            f"e.g. 48.8530,2.3499{tail}",
        ) from None


def _lines(source: TextIO) -> Iterator[str | None]:
    """The lines of standard input; None for a line that is not UTF-8 text."""
    raw = getattr(source, "buffer", None)
    if raw is None:
        yield from source
        return
    for line in raw:
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            yield None


def locate_stream(ctx: Context, source: TextIO, out: TextIO) -> int:
    """One JSON object per input line, in order, flushed as it goes. A line with letters
    is an address: it is geocoded (cached), then located. A bad line gets an error
    field and the stream goes on."""
    from scout.cli.context import json_text
    from scout.geo import locate

    errors = 0
    geocoder = None
    for number, line in enumerate(_lines(source), start=1):
        result: dict[str, Any]
        if line is None:
            errors += 1
            result = {"line": number, "error": "line: not UTF-8 text"}
            out.write(json_text(result, indent=False) + "\n")
            out.flush()
            continue
        text = line.strip()
        try:
            if looks_like_address(text):
                if geocoder is None:
                    geocoder = ctx.geocoder()
                found = geocoder.search(text)
                if not found:
                    raise ValidationError("address", "nothing found")
                best = found[0]
                result = {
                    "line": number,
                    "query": text,
                    "geocoded": best.to_dict(),
                    **locate(best.lat, best.lon, best.postcode or None).to_dict(),
                }
            else:
                parts = [p.strip() for p in text.split(",")]
                if len(parts) not in (2, 3) or not all(parts[:2]):
                    raise ValidationError(
                        "line", "expected 'lat,lon', 'lat,lon,postcode' or an address"
                    )
                postcode = parts[2] if len(parts) == 3 else None
                result = {"line": number, **locate(parts[0], parts[1], postcode).to_dict()}
            result.pop("attribution")
        except ScoutError as e:  # a bad line or an address the service could not place
            errors += 1
            result = {"line": number, "input": line.rstrip("\n"), "error": str(e)}
        out.write(json_text(result, indent=False) + "\n")
        out.flush()
    return EXIT_INPUT if errors else EXIT_OK
