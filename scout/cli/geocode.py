"""Geocoding on the command line: `scout geocode …`, and addresses in `scout locate`
and `scout add`."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

from scout.cli.context import (
    Context,
    neutral,
    number,
    print_aligned,
    print_json,
    progress_bar,
    reason_code,
    warn,
)
from scout.errors import ValidationError
from scout.files import os_reason
from scout.i18n import _, ngettext
from scout.present.lines import candidate_line

if TYPE_CHECKING:
    from scout.domain import Lieu
    from scout.geocoding.service import GeocodingService


def add_geocode_commands(sub: Any) -> None:
    p = sub.add_parser(
        "geocode",
        help=_("addresses to positions: the queue, reverse, batches"),
        description=_(
            "Geocode with the national address service (fallback: Nominatim). "
            "Answers are cached next to the database; SCOUT_OFFLINE=1 never touches "
            "the network."
        ),
    )
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "address", nargs="?", metavar=_("ADDRESS"), help=_("an address or place name")
    )
    what.add_argument(
        "--pending",
        action="store_true",
        help=_("place the locations saved with an address but no position"),
    )
    what.add_argument("--reverse", metavar="LAT,LON", help=_("the addresses nearest a position"))
    what.add_argument(
        "--batch",
        metavar=_("FILE"),
        help=_("one address per line ('-' for standard input); JSON lines out"),
    )
    p.add_argument("--refresh", action="store_true", help=_("ask again, ignoring the cache"))
    p.add_argument(
        "--json", action="store_true", help=_("one JSON array, the same in every language")
    )
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
        print(_("Nothing found."))
    return 0 if found else 1


def _pending(ctx: Context) -> int:
    from scout.services.geocoding import apply_answers, look_up

    pending = ctx.workspace().geocoding.pending()
    ctx.release()  # no network call holds the database: other writers go on meanwhile
    answers, unreachable = look_up(pending, ctx.geocoder(), progress_bar(_("geocoding")))
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
                "unreachable": reason_code(report.unreachable),
            }
        )
        if report.unreachable:
            warn(_("{reason}; the others stay in the queue").format(reason=report.unreachable))
    else:
        # A column of what happened, as wide as its longest word in this language.
        placed, choose, no_match = _("placed"), _("choose"), _("no match")
        width = max(len(placed), len(choose), len(no_match))
        for lieu in report.placed:
            line = _("location {id}: {name} ({address})").format(
                id=lieu.id, name=lieu.name, address=lieu.address
            )
            print(f"{placed:<{width}} {line}")
        for lieu, cands in report.ambiguous:
            line = ngettext(
                "location {id}: {name} — {n} candidate; "
                "pick one in the interface or give --lat/--lon",
                "location {id}: {name} — {n} candidates; "
                "pick one in the interface or give --lat/--lon",
                len(cands),
            ).format(id=lieu.id, name=lieu.name, n=number(len(cands)))
            print(f"{choose:<{width}} {line}")
            for c in cands[:5]:
                print(f"{'':<{width}}   {candidate_line(c)}")
        for lieu in report.not_found:
            line = _("location {id}: {name} ({address!r})").format(
                id=lieu.id, name=lieu.name, address=lieu.address
            )
            print(f"{no_match:<{width}} {line}")
        if report.unreachable:
            warn(_("{reason}; the others stay in the queue").format(reason=report.unreachable))
        if not (report.placed or report.waiting or report.unreachable):
            print(_("Nothing waits to be geocoded."))
    return 1 if report.unreachable else 0


def _batch_lines(name: str) -> list[str]:
    """The addresses of a batch file ('-': standard input), one per line, UTF-8."""
    import stat

    if name == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
    else:
        try:
            if not stat.S_ISREG(os.stat(name).st_mode):
                raise ValidationError(
                    "--batch", _("{name} is not a regular file").format(name=name)
                )
            with open(name, "rb") as f:
                data = f.read()
        except OSError as e:
            raise ValidationError(
                "--batch", _("{name}: {reason}").format(name=name, reason=os_reason(e))
            ) from None
    if isinstance(data, bytes):
        raw = data
        try:
            data = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            line = raw[: e.start].count(b"\n") + 1
            if name == "-":
                message = _("standard input is not UTF-8 text (line {line})")
            else:
                message = _("{name} is not a UTF-8 text file (line {line})")
            raise ValidationError("--batch", message.format(name=name, line=line)) from None
    return [line.strip() for line in data.splitlines() if line.strip()]


def _batch(queries: list[str], out: TextIO, geocoder: GeocodingService) -> int:
    import orjson

    progress = progress_bar(_("geocoding"))
    with neutral():  # the errors go into JSON lines: the same in every language
        results = geocoder.search_many(queries, progress=progress)
    errors = 0
    for line, (query, found) in enumerate(zip(queries, results), start=1):
        if isinstance(found, Exception):
            errors += 1
            row: dict[str, Any] = {"line": line, "query": query, "error": str(found)}
        else:
            row = {"line": line, "query": query, "candidates": [c.to_dict() for c in found]}
        out.write(orjson.dumps(row).decode() + "\n")
    return 1 if errors else 0


def locate_address(ctx: Context, text: str) -> int:
    """`scout locate "28 rue Buffault"`: geocode, then what locate prints for a position."""
    from scout.cli.locate import ATTRIBUTION
    from scout.geo import locate
    from scout.present.sheets import location_lines

    found = ctx.geocoder().search(text)
    if not found:
        warn(_("nothing found for {text!r}").format(text=text))
        return 1
    best = found[0]
    where = locate(best.lat, best.lon, best.postcode or ctx.args.postcode)
    if ctx.args.json:
        print_json({**where.to_dict(), "query": text, "matches": [c.to_dict() for c in found]})
        return 0
    lines = [(_("Found"), candidate_line(best))]
    lines += [(_("or"), candidate_line(other)) for other in found[1:]]
    print_aligned(lines + location_lines(where), first=12)
    provider = "Base Adresse Nationale" if best.provider == "ban" else "OpenStreetMap"
    print(_("{source}; address: {provider}").format(source=_(ATTRIBUTION), provider=provider))
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
        return "  " + _(
            "saved without a position ({reason}); `scout geocode --pending` will place it later"
        ).format(reason=e)
    if report.placed:
        return "  " + _("placed from its address{where}").format(
            where=where_suffix(report.placed[0])
        )
    if report.ambiguous:
        _lieu, cands = report.ambiguous[0]
        lines = [
            "  "
            + _(
                "several places match {address!r}; choose in the interface or give --lat/--lon:"
            ).format(address=lieu.address)
        ] + [f"    {candidate_line(c)}" for c in cands[:5]]
        return "\n".join(lines)
    if report.not_found:
        return "  " + _("no place matches {address!r}: check the address").format(
            address=lieu.address
        )
    return "  " + _(
        "saved without a position ({reason}); "
        "`scout geocode --pending` will place it when the network is back"
    ).format(reason=report.unreachable)
