"""The `scout` command: the TUI by default, and scriptable subcommands.

Exit codes: 0 done; 1 bad input or nothing found (the message says what and where);
2 bad usage; 3 the database cannot be used (in use, damaged, foreign); 4 an unexpected
error (logged to the file the message names); 5 `scout deadlines` found an overdue permit.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from scout import __version__
from scout.errors import NotFound, ScoutError, StoreError, ValidationError, ValidationErrors

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_STORE, EXIT_BUG = 0, 1, 2, 3, 4

# Options repeated on the command line, collected as lists.
_REPEATED = {"shoot_days": "--shoot-date", "contacts": "--contact", "tags": "--tag"}
_HELP = {
    "shoot_days": "a shoot day, YYYY-MM-DD [HH:MM-HH:MM] (repeat; replaces the list)",
    "contacts": "'name; role; phone; email' (repeat; replaces the list)",
    "tags": "a tag (repeat; replaces the list)",
    "lat": "latitude, WGS84 degrees (with --lon)",
    "lon": "longitude, WGS84 degrees (with --lat)",
    "status": "to_scout, scouted, option, validated or rejected (French labels accepted)",
    "setting": "int, ext or int_ext",
}


def _add_fiche_options(parser: argparse.ArgumentParser, *, require_name: bool) -> None:
    from scout.domain.fiche import FIELDS

    groups: dict[str, Any] = {
        "": parser.add_argument_group("lieu"),
        "accessibility": parser.add_argument_group("accessibility (PMR): oui/non/?"),
        "needs": parser.add_argument_group("shoot needs (decide the permits)"),
        "logistics": parser.add_argument_group("crew logistics"),
    }
    for f in FIELDS:
        flag = _REPEATED.get(f.key, "--" + f.key.replace("_", "-"))
        kwargs: dict[str, Any] = {"dest": f.key, "metavar": "TEXT",
                                  "help": _HELP.get(f.key, f.label)}
        if f.key in _REPEATED:
            kwargs["action"] = "append"
        if f.key == "name" and require_name:
            kwargs["required"] = True
        groups[f.group].add_argument(flag, **kwargs)


def _fiche_from(args: argparse.Namespace) -> dict[str, Any]:
    from scout.domain.fiche import FIELDS

    return {f.key: getattr(args, f.key) for f in FIELDS if getattr(args, f.key) is not None}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scout",
        description="Film location scouting and permit tracking for Paris. "
                    "Without a command, opens the terminal interface.",
    )
    parser.add_argument("--version", action="version", version=f"scout {__version__}")
    parser.add_argument("--db", metavar="PATH",
                        help="database file (default: $SCOUT_DB, else the user data directory)")
    parser.add_argument("--rules", metavar="FILE",
                        help="permit rules (default: rules.toml next to the database if there "
                             "is one, else the rules shipped with scout)")
    parser.set_defaults(func=cmd_tui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("demo", help="seed a demonstration production of real Paris places")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("list", help="list the lieux")
    p.add_argument("--json", action="store_true", help="one JSON array")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="everything about one lieu")
    p.add_argument("id", type=_lieu_id, metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("add", help="add a lieu")
    _add_fiche_options(p, require_name=True)
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("edit", help="change fields of a lieu (history is kept)")
    p.add_argument("id", type=_lieu_id, metavar="ID")
    _add_fiche_options(p, require_name=False)
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("rm", help="delete a lieu")
    p.add_argument("id", type=_lieu_id, metavar="ID")
    p.set_defaults(func=cmd_rm)

    p = sub.add_parser(
        "locate", help="arrondissement, mairie and filming rules of a position or address",
        description="Where a position (or an address, geocoded) lies: arrondissement, "
                    "mairie, zone rules, boundary candidates. With '-', reads "
                    "'lat,lon[,postcode]' or address lines from standard input and writes "
                    "one JSON object per line, in order.",
    )
    p.add_argument("position", metavar="LAT,LON|ADDRESS|-")
    p.add_argument("--postcode", help="breaks ties on a boundary (75001–75020, 75116)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_locate)

    from scout.cli_geocode import add_geocode_commands
    from scout.cli_permits import add_permit_commands

    from scout.cli_photos import add_photo_commands

    add_permit_commands(sub)
    add_geocode_commands(sub)
    add_photo_commands(sub)
    return parser


def _lieu_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a lieu id (a whole number)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a lieu id (ids start at 1)")
    return value


# -- commands ---------------------------------------------------------------------------
def _service(args: argparse.Namespace, *, read_only: bool = False) -> Any:
    from scout.clock import Clock
    from scout.services import LieuService
    from scout.settings import Settings
    from scout.store import open_store

    settings = Settings.load(args.db, args.rules)
    store = open_store(settings.db_path, read_only=read_only)
    return LieuService(store, Clock.from_env())


def cmd_tui(args: argparse.Namespace) -> int:
    from scout.clock import Clock
    from scout.settings import Settings
    from scout.store import open_store
    from scout.tui.app import make_app

    settings = Settings.load(args.db, args.rules)
    store = open_store(settings.db_path, on_locked="read-only")
    try:
        make_app(settings, store, Clock.from_env()).run()
    finally:
        store.close()
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from scout.demo import PRODUCTION, seed_demo

    service = _service(args)
    try:
        count, created = seed_demo(service)
    finally:
        service.store.close()
    if created:
        print(f"Seeded «{PRODUCTION}»: {count} lieux in {service.store.location}")
    else:
        print(f"«{PRODUCTION}» is already in {service.store.location} ({count} lieux); "
              "nothing added")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from scout.formatting import arrondissement_label, status_label

    service = _service(args, read_only=True)
    rows = sorted(service.rows(), key=lambda r: (r.decor, r.name, r.id))
    if args.json:
        _print_json([
            {"id": r.id, "name": r.name, "decor": r.decor, "arrondissement": r.arrondissement,
             "on_boundary": r.on_boundary, "approximate_zone": r.approximate_zone,
             "status": r.status, "retained": r.retained,
             "geocode_pending": r.geocode_pending,
             "next_shoot_day": r.next_shoot or None, "production_id": r.production_id}
            for r in rows
        ])
        return EXIT_OK
    if not rows:
        print(f"No lieux yet in {service.store.location}. Try `scout demo` or `scout add`.")
        return EXIT_OK
    table = [("ID", "LIEU", "DÉCOR", "ARR.", "STATUT", "PROCHAIN TOURNAGE")]
    for r in rows:
        name = ("★ " if r.retained else "") + r.name
        table.append((str(r.id), name, r.decor,
                      arrondissement_label(r.arrondissement, r.on_boundary, r.approximate_zone,
                                           r.geocode_pending),
                      status_label(r.status), r.next_shoot or "—"))
    _print_table(table)
    if any(r.on_boundary or r.approximate_zone or r.geocode_pending for r in rows):
        print("\n* on an arrondissement boundary: check the side   "
              "~ in or near an approximate zone   ? waiting to be geocoded   "
              "★ retained for its décor")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from scout.domain.codec import lieu_to_dict

    service = _service(args, read_only=True)
    lieu = service.get(args.id)
    if args.json:
        _print_json({"id": lieu.id, **lieu_to_dict(lieu)})
        return EXIT_OK
    from scout.formatting import lieu_sheet, permit_lines  # shared with the TUI detail pane
    from scout.permits.service import PermitService

    from scout.photos.sheet import photo_and_sun_lines

    review = PermitService(service.store, service.clock).review(lieu_id=lieu.id)
    print("\n".join([lieu_sheet(lieu, service.clock.today()),
                     *permit_lines(review.rows, review.warnings),
                     *photo_and_sun_lines(lieu, service.store.photos(lieu.id),
                                          service.clock.today())]))
    return EXIT_OK


def cmd_add(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        lieu = service.add(_fiche_from(args))
        note = ""
        if lieu.geocode_pending:
            from scout.cli_geocode import place_new_lieu

            note = place_new_lieu(args, service, lieu)
    finally:
        service.store.close()
    print(f"Added lieu {lieu.id}: {lieu.name}{_where(lieu)}")
    if note:
        print(note)
    return EXIT_OK


def cmd_edit(args: argparse.Namespace) -> int:
    raw = _fiche_from(args)
    if not raw:
        raise ValidationError("edit", "nothing to change: give at least one --field value")
    service = _service(args)
    try:
        before = service.get(args.id)
        lieu = service.edit(args.id, raw)
        note = ""
        if lieu.geocode_pending and lieu.address != before.address:
            from scout.cli_geocode import place_new_lieu

            note = place_new_lieu(args, service, lieu)
    finally:
        service.store.close()
    if note:
        print(note)
    changed = len(lieu.history) - len(before.history)
    print(f"Lieu {lieu.id}: {changed} field(s) changed{_where(lieu)}" if changed
          else f"Lieu {lieu.id}: nothing changed")
    return EXIT_OK


def cmd_rm(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        lieu = service.remove(args.id)
    finally:
        service.store.close()
    print(f"Deleted lieu {lieu.id}: {lieu.name}")
    return EXIT_OK


def cmd_locate(args: argparse.Namespace) -> int:
    if args.position == "-":
        return _locate_stream(sys.stdin, sys.stdout, args)
    from scout.domain.values import parse_position
    from scout.formatting import location_lines
    from scout.geo import check_position, locate

    if _looks_like_address(args.position):
        from scout.cli_geocode import locate_address

        return locate_address(args, args.position)
    try:
        lat, lon = parse_position(args.position)
    except ValidationError:
        raise ValidationError(
            "position", f"{args.position!r} is not a position: give 'latitude,longitude' "
                        "in degrees, e.g. 48.8530,2.3499, or an address") from None
    check_position(lat, lon)
    where = locate(lat, lon, args.postcode)
    if args.json:
        _print_json(where.to_dict())
        return EXIT_OK
    lines = location_lines(where)
    width = max(len(label) for label, _ in lines)
    for label, text in lines:
        print(f"{label:<{width}}  {text}")
    print("Source : Ville de Paris — opendata.paris.fr (ODbL)")
    return EXIT_OK


def _looks_like_address(text: str) -> bool:
    """Letters, and not two numbers ('nan,2.35' is a bad position, not an address)."""
    import re

    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    if len(parts) in (2, 3):
        try:
            float(parts[0]), float(parts[1])
            return False
        except ValueError:
            pass
    return any(ch.isalpha() for ch in text)


def _position(text: str, parse: Callable[[str], tuple[float, float]]) -> tuple[float, float]:
    try:
        return parse(text)
    except ValidationError:
        raise ValidationError(
            "position", f"{text!r} is not a position: give 'latitude,longitude' in degrees, "
                        "e.g. 48.8530,2.3499"
        ) from None


def _locate_stream(source: TextIO, out: TextIO, args: argparse.Namespace) -> int:
    """One JSON object per input line, in order, flushed as it goes. A line with letters
    is an address: it is geocoded (cached), then located."""
    import orjson

    from scout.geo import locate

    errors = 0
    geocoder = None
    for number, line in enumerate(source, start=1):
        text = line.strip()
        try:
            if _looks_like_address(text):
                if geocoder is None:
                    from scout.cli_geocode import geocoder_for

                    geocoder = geocoder_for(args)
                found = geocoder.search(text)
                if not found:
                    raise ValidationError("address", "nothing found")
                best = found[0]
                result = {"line": number, "query": text, "geocoded": best.to_dict(),
                          **locate(best.lat, best.lon, best.postcode or None).to_dict()}
            else:
                parts = [p.strip() for p in text.split(",")]
                if len(parts) not in (2, 3) or not all(parts[:2]):
                    raise ValidationError("line", "expected 'lat,lon', 'lat,lon,postcode' "
                                                  "or an address")
                postcode = parts[2] if len(parts) == 3 else None
                result = {"line": number, **locate(parts[0], parts[1], postcode).to_dict()}
            result.pop("attribution")
        except ScoutError as e:  # a bad line or an address the service could not place
            errors += 1
            result = {"line": number, "input": line.rstrip("\n"), "error": str(e)}
        out.write(orjson.dumps(result).decode() + "\n")
        out.flush()
    if geocoder is not None:
        geocoder.close()
    return EXIT_INPUT if errors else EXIT_OK


# -- output helpers ------------------------------------------------------------------------
def _where(lieu: Any) -> str:
    from scout.formatting import arrondissement_label

    if lieu.arrondissement is None:
        return " (outside Paris)" if lieu.position else ""
    return f" ({arrondissement_label(lieu.arrondissement, lieu.on_boundary, lieu.approximate_zone)})"


def _print_json(data: Any) -> None:
    import orjson

    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


def _print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [min(max(len(r[i]) for r in rows), 40) for i in range(len(rows[0]))]
    for row in rows:
        cells = [c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(row, widths)]
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())


def _flag(field: str) -> str:
    """Name a field as the user typed it: --shoot-date, --lat."""
    from scout.domain.fiche import BY_KEY

    key = field.split(" ")[0]
    if key in BY_KEY:
        return _REPEATED.get(key, "--" + key.replace("_", "-"))
    from scout.cli_permits import _ARRETE_OPTIONS, _PERMIT_OPTIONS

    for flag, dest, _, _ in (*_PERMIT_OPTIONS, *_ARRETE_OPTIONS):
        if dest == key:
            return flag
    return field


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse has printed its usage message
        return int(e.code or 0)
    from scout.logs import report_unexpected, setup_logging
    from scout.settings import Settings

    settings = Settings.load(args.db, args.rules)
    try:
        return int(args.func(args))
    except (ValidationError, ValidationErrors) as e:
        errors = e.errors if isinstance(e, ValidationErrors) else [e]
        for err in errors:
            print(f"scout: {_flag(err.field)}: {err.message}", file=sys.stderr)
        print("scout: nothing was saved", file=sys.stderr)
        return EXIT_INPUT
    except NotFound as e:
        print(f"scout: {e}", file=sys.stderr)
        return EXIT_INPUT
    except StoreError as e:
        print(f"scout: {e}", file=sys.stderr)
        return EXIT_STORE
    except ScoutError as e:
        print(f"scout: {e}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `scout list | head`
        sys.stderr.close()
        return EXIT_OK
    except Exception as e:  # a bug: the user gets one line, the log gets the traceback
        setup_logging(settings.log_path)
        print(f"scout: {report_unexpected(e, settings.log_path)}", file=sys.stderr)
        return EXIT_BUG
