"""`scout locate`: where a position or an address lies, one at a time or as a stream."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from scout.cli.context import Context, neutral, print_aligned, print_json
from scout.errors import ScoutError, ValidationError
from scout.i18n import N_, _

EXIT_OK, EXIT_INPUT = 0, 1
ATTRIBUTION = N_("Source: Ville de Paris — opendata.paris.fr (ODbL)")


def add_locate_command(sub: Any) -> None:
    p = sub.add_parser(
        "locate",
        help=_("arrondissement, mairie and filming rules of a position or address"),
        description=_(
            "Where a position (or an address, geocoded) lies: arrondissement, "
            "mairie, zone rules, boundary candidates. With '-', reads "
            "'lat,lon[,postcode]' or address lines from standard input and writes "
            "one JSON object per line, in order."
        ),
    )
    p.add_argument(
        "position",
        metavar=_("LAT,LON|ADDRESS|-"),
        help=_("a position in degrees, an address, or - for standard input"),
    )
    p.add_argument(
        "--postcode",
        metavar=_("POSTCODE"),
        help=_("breaks ties on a boundary (75001–75020, 75116)"),
    )
    p.add_argument(
        "--json", action="store_true", help=_("one JSON object, the same in every language")
    )
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
    lat, lon = position_of(args.position, or_address=True)
    check_position(lat, lon)
    where = locate(lat, lon, args.postcode)
    if args.json:
        print_json(where.to_dict())
        return EXIT_OK
    print_aligned(location_lines(where))
    print(_(ATTRIBUTION))
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


def position_of(text: str, *, or_address: bool = False) -> tuple[float, float]:
    """'lat,lon' as typed, or a message that says what a position looks like."""
    from scout.domain.values import parse_position

    try:
        return parse_position(text)
    except ValidationError:
        if or_address:
            message = _(
                "{text!r} is not a position: give 'latitude,longitude' in degrees, "
                "e.g. 48.8530,2.3499, or an address"
            )
        else:
            message = _(
                "{text!r} is not a position: give 'latitude,longitude' in degrees, "
                "e.g. 48.8530,2.3499"
            )
        raise ValidationError(_("position"), message.format(text=text)) from None


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
    field and the stream goes on. The errors go into JSON, so they are written in
    English whatever the language of the run: a script reads the same bytes."""
    from scout.cli.context import json_text

    errors = 0
    for number, line in enumerate(_lines(source), start=1):
        result: dict[str, Any]
        with neutral():
            if line is None:
                errors += 1
                result = {"line": number, "error": _("line: not UTF-8 text")}
            else:
                try:
                    result = _stream_line(ctx, number, line.strip())
                except ScoutError as e:  # a bad line or an address the service cannot place
                    errors += 1
                    result = {"line": number, "input": line.rstrip("\n"), "error": str(e)}
        out.write(json_text(result, indent=False) + "\n")
        out.flush()
    return EXIT_INPUT if errors else EXIT_OK


def _stream_line(ctx: Context, number: int, text: str) -> dict[str, Any]:
    """One line of `scout locate -`: an address (geocoded, cached) or a position."""
    from scout.geo import locate

    result: dict[str, Any]
    if looks_like_address(text):
        found = ctx.geocoder().search(text)
        if not found:
            raise ValidationError(_("address"), _("nothing found"))
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
                _("line"), _("expected 'lat,lon', 'lat,lon,postcode' or an address")
            )
        postcode = parts[2] if len(parts) == 3 else None
        result = {"line": number, **locate(parts[0], parts[1], postcode).to_dict()}
    result.pop("attribution")
    return result
