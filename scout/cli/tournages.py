"""The City's past shoots: `scout import tournages`, `scout nearby`."""

from __future__ import annotations

from typing import Any

from scout.cli.context import Context, number, print_json, print_table, progress_bar
from scout.i18n import _, formats, ngettext

SHOWN_REASONS = 10


def add_tournage_commands(sub: Any, exports: Any, imports: Any) -> None:
    """Adds this module's commands to the parser (`sub`: the top-level commands;
    `exports` / `imports`: the formats of `scout export` / `scout import`)."""
    from scout.cli.options import lieu_id

    p = imports.add_parser(
        "tournages",
        help=_('the City\'s past shoots (opendata.paris.fr "lieux de tournage" CSV)'),
    )
    p.add_argument("file", metavar=_("FILE.csv"), help=_("the City's export, as downloaded"))
    p.add_argument(
        "--show",
        type=int,
        default=SHOWN_REASONS,
        metavar=_("N"),
        help=_("how many rejected rows to list (default {n})").format(n=SHOWN_REASONS),
    )
    p.add_argument(
        "--json", action="store_true", help=_("counts and reasons as codes, in every language")
    )
    p.set_defaults(func=cmd_import_tournages)

    p = sub.add_parser("nearby", help=_("the City's past shoots around a location"))
    p.add_argument("lieu", type=lieu_id, metavar=_("LOCATION_ID"), help=_("the location's id"))
    p.add_argument(
        "--radius",
        type=float,
        default=150.0,
        metavar=_("METRES"),
        help=_("how far around the location (default 150 m)"),
    )
    p.add_argument(
        "--limit", type=int, default=20, metavar=_("N"), help=_("how many shoots to list")
    )
    p.add_argument(
        "--json", action="store_true", help=_("one JSON object, the same in every language")
    )
    p.set_defaults(func=cmd_nearby)


def cmd_import_tournages(ctx: Context) -> int:
    ws = ctx.workspace()
    done = ws.tournages.import_file(
        ctx.args.file, progress_bar(_("Reading the City's shoots")) if not ctx.args.json else None
    )
    if ctx.args.json:
        print_json(
            {
                "file": str(done.path),
                "imported": done.imported,
                "added": done.added,
                "updated": done.updated,
                "unchanged": done.unchanged,
                "flagged": len(done.flagged),
                "duplicates": len(done.duplicates),
                "rejected": len(done.rejected),
                "flags": [
                    {"line": line, "source_id": t.source_id, "gap_m": t.gap_m}
                    for line, t in done.flagged
                ],
                "reasons": [
                    {
                        "line": r.line,
                        "source_id": r.source_id,
                        "reason": r.reason.kind,
                        **r.reason.data,
                    }
                    for r in done.rejected
                ],
            }
        )
        return 0
    print(
        ngettext(
            "{path}: {n} past shoot imported ({added} new, {updated} updated, {unchanged} "
            "unchanged).",
            "{path}: {n} past shoots imported ({added} new, {updated} updated, {unchanged} "
            "unchanged).",
            done.imported,
        ).format(
            path=done.path,
            n=number(done.imported),
            added=number(done.added),
            updated=number(done.updated),
            unchanged=number(done.unchanged),
        )
    )
    print(
        ngettext(
            "{n} flagged: its X/Y and geo_point_2d are more than 5 m apart (kept).",
            "{n} flagged: their X/Y and geo_point_2d are more than 5 m apart (kept).",
            len(done.flagged),
        ).format(n=number(len(done.flagged)))
    )
    for line, t in done.flagged[: max(ctx.args.show, 0)]:
        print(
            "  "
            + _("line {line} ({id}): X/Y {gap} from geo_point_2d").format(
                line=number(line), id=t.source_id, gap=formats.metres(t.gap_m)
            )
        )
    print(
        ngettext(
            "{n} duplicate skipped (same title, address and dates as another id).",
            "{n} duplicates skipped (same title, address and dates as another id).",
            len(done.duplicates),
        ).format(n=number(len(done.duplicates)))
    )
    print(
        ngettext("{n} row rejected.", "{n} rows rejected.", len(done.rejected)).format(
            n=number(len(done.rejected))
        )
    )
    shown = done.rejected[: max(ctx.args.show, 0)]
    for r in shown:
        print(
            "  "
            + _("line {line} ({id}): {reason}").format(
                line=number(r.line), id=r.source_id or "—", reason=r.reason
            )
        )
    if len(done.rejected) > len(shown):
        more = len(done.rejected) - len(shown)
        print(
            "  "
            + ngettext(
                "… and {n} more (--show N, or --json for all)",
                "… and {n} more (--show N, or --json for all)",
                more,
            ).format(n=number(more))
        )
    print(_("Source: Ville de Paris — opendata.paris.fr (ODbL)"))
    return 0


def cmd_nearby(ctx: Context) -> int:
    from scout.domain.tournage import per_year_text, type_label
    from scout.errors import ValidationError
    from scout.services.tournages import MAX_RADIUS_M

    if not 0 < ctx.args.radius <= MAX_RADIUS_M:
        raise ValidationError(
            "--radius",
            _("the radius must be more than 0 and at most {max} metres").format(
                max=number(MAX_RADIUS_M)
            ),
        )
    ws = ctx.workspace(read_only=True)
    lieu = ws.lieux.get(ctx.args.lieu)
    total = ws.tournages.count()
    found = ws.tournages.near_lieu(ctx.args.lieu, ctx.args.radius)
    limit = max(ctx.args.limit, 0)
    if ctx.args.json:
        print_json(
            {
                "lieu_id": ctx.args.lieu,
                "lat": found.lat,
                "lon": found.lon,
                "radius_m": found.radius_m,
                "count": len(found.shoots),
                "per_year": {str(y): n for y, n in found.per_year.items()},
                "shoots": [
                    {
                        "source_id": n.shoot.source_id,
                        "year": n.shoot.year,
                        "title": n.shoot.title,
                        "type": n.shoot.type,
                        "director": n.shoot.director,
                        "producer": n.shoot.producer,
                        "start": n.shoot.start.isoformat(),
                        "end": n.shoot.end.isoformat(),
                        "address": n.shoot.address,
                        "postcode": n.shoot.postcode,
                        "arrondissement": n.shoot.arrondissement,
                        "lat": n.shoot.lat,
                        "lon": n.shoot.lon,
                        "flagged": n.shoot.flagged,
                        "distance_m": round(n.distance_m, 1),
                    }
                    for n in found.shoots[:limit]
                ],
            }
        )
        return 0
    if total == 0:
        print(
            _(
                'No past shoots imported yet: download the City\'s "lieux de tournage à Paris" '
                "CSV and run `scout import tournages FILE.csv`."
            )
        )
        return 0
    radius = formats.metres(found.radius_m)
    if not found.shoots:
        print(
            _("No past shoot within {radius} of {name} (location {id}).").format(
                radius=radius, name=lieu.name, id=ctx.args.lieu
            )
        )
    else:
        print(
            ngettext(
                "{n} past shoot within {radius} of {name} (location {id}):",
                "{n} past shoots within {radius} of {name} (location {id}):",
                len(found.shoots),
            ).format(n=number(len(found.shoots)), radius=radius, name=lieu.name, id=ctx.args.lieu)
        )
        rows = [(_("DISTANCE"), _("YEAR"), _("TYPE"), _("TITLE"), _("ADDRESS"))]
        rows += [
            (
                formats.metres(n.distance_m),
                str(n.shoot.year),
                type_label(n.shoot.type),
                n.shoot.title,
                n.shoot.address,
            )
            for n in found.shoots[:limit]
        ]
        print_table(rows)
        if len(found.shoots) > limit:
            more = len(found.shoots) - limit
            print(
                ngettext("… and {n} more (--limit N)", "… and {n} more (--limit N)", more).format(
                    n=number(more)
                )
            )
        print(_("Shoots per year: {years}").format(years=per_year_text(found.per_year)))
    print(_("Source: Ville de Paris — opendata.paris.fr (ODbL)"))
    return 0
