"""`scout demo`, `list`, `show`, `add`, `edit`, `rm`, and the terminal interface."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scout.cli.context import (
    Context,
    iso_day,
    iso_moment,
    number,
    print_json,
    print_table,
    warn,
    warning,
)
from scout.cli.options import add_fiche_options, fiche_from, lieu_id
from scout.errors import ValidationError
from scout.i18n import _, formats, ngettext, pgettext

if TYPE_CHECKING:
    from scout.domain import Lieu
    from scout.services.workspace import Workspace

EXIT_OK, EXIT_INPUT = 0, 1


def add_lieu_commands(sub: Any) -> None:
    p = sub.add_parser("demo", help=_("seed a demonstration production of real Paris places"))
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("list", help=_("list the locations"))
    p.add_argument(
        "--json", action="store_true", help=_("one JSON array, the same in every language")
    )
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help=_("everything about one location"))
    p.add_argument("id", type=lieu_id, metavar="ID", help=_("the location's id"))
    p.add_argument(
        "--json", action="store_true", help=_("one JSON object, the same in every language")
    )
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("add", help=_("add a location"))
    add_fiche_options(p, require_name=True)
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("edit", help=_("change fields of a location (history is kept)"))
    p.add_argument("id", type=lieu_id, metavar="ID", help=_("the location's id"))
    add_fiche_options(p, require_name=False)
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser(
        "rm",
        help=_("delete a location (to the bin: `scout restore ID` brings it back)"),
        description=_(
            "Delete a location. It goes to the bin with its permits and the links to "
            "its pictures; `scout restore ID` brings it back whole. A location with permits "
            "or pictures is deleted only with --with-permits, after the list is shown."
        ),
    )
    p.add_argument("id", type=lieu_id, metavar="ID", help=_("the location's id"))
    p.add_argument(
        "--with-permits",
        action="store_true",
        help=_("delete it with its permits and picture links (they go to the bin with it)"),
    )
    p.set_defaults(func=cmd_rm)

    p = sub.add_parser("bin", help=_("the deleted locations, with what went with them"))
    p.add_argument(
        "--json", action="store_true", help=_("one JSON array, the same in every language")
    )
    p.set_defaults(func=cmd_bin)

    p = sub.add_parser("restore", help=_("bring a deleted location back whole from the bin"))
    p.add_argument("id", type=lieu_id, metavar="ID", help=_("the location's id"))
    p.set_defaults(func=cmd_restore)


def cmd_tui(ctx: Context) -> int:
    from scout.tui.app import make_app
    from scout.tui.images import probe_in_background

    probing = probe_in_background()  # what the terminal can draw, asked while the file opens
    read_only = bool(getattr(ctx.args, "read_only", False))  # `scout tui --read-only`
    ws = ctx.workspace(read_only=read_only, on_locked="read-only", quiet=True)
    probing.join(timeout=5.0)  # each question waits 0.1 s at most: imports are most of it
    make_app(ws).run()
    return EXIT_OK


def cmd_demo(ctx: Context) -> int:
    from scout.demo import PRODUCTION, seed_demo

    ws = ctx.workspace()
    count, created = seed_demo(ws)
    fields = {"production": PRODUCTION, "n": number(count), "where": ws.location}
    if created:
        text = ngettext(
            "Seeded «{production}»: {n} location in {where}",
            "Seeded «{production}»: {n} locations in {where}",
            count,
        )
    else:
        text = ngettext(
            "«{production}» is already in {where} ({n} location); nothing added",
            "«{production}» is already in {where} ({n} locations); nothing added",
            count,
        )
    print(text.format(**fields))
    return EXIT_OK


def cmd_list(ctx: Context) -> int:
    from scout.present.labels import arrondissement_label, status_label

    ws = ctx.workspace(read_only=True)
    rows = sorted(ws.lieux.rows(), key=lambda r: (r.decor, r.name, r.id))
    if ctx.args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "name": r.name,
                    "decor": r.decor,
                    "address": r.address,
                    "postcode": r.postcode,
                    "lat": r.lat,
                    "lon": r.lon,
                    "arrondissement": r.arrondissement,
                    "on_boundary": r.on_boundary,
                    "approximate_zone": r.approximate_zone,
                    "status": r.status,
                    "retained": r.retained,
                    "geocode_pending": r.geocode_pending,
                    "next_shoot_day": r.next_shoot or None,
                    "production_id": r.production_id,
                }
                for r in rows
            ]
        )
        return EXIT_OK
    current = ws.productions.current()
    if not rows and current is not None and any(ws.productions.counts().values()):
        print(  # the others' lieux are there: say whose list is empty
            _(
                "No locations in «{production}», the current production; "
                "`scout production list` shows the others."
            ).format(production=current.name)
        )
        return EXIT_OK
    if not rows:
        print(
            _("No locations yet in {where}. Try `scout demo` or `scout add`.").format(
                where=ws.location
            )
        )
        return EXIT_OK
    table = [
        (
            pgettext("column", "ID"),
            pgettext("column", "LOCATION"),
            pgettext("column", "DÉCOR"),
            pgettext("column", "ARR."),
            pgettext("column", "STATUS"),
            pgettext("column", "NEXT SHOOT"),
        )
    ]
    for r in rows:
        name = ("★ " if r.retained else "") + r.name
        arr = arrondissement_label(
            r.arrondissement, r.on_boundary, r.approximate_zone, r.geocode_pending
        )
        shoot = iso_day(r.next_shoot)
        table.append((str(r.id), name, r.decor, arr, status_label(r.status), shoot))
    print_table(table)
    if any(r.on_boundary or r.approximate_zone or r.geocode_pending for r in rows):
        print()
        print(
            _(
                "* on an arrondissement boundary: check the side   "
                "~ in or near an approximate zone   ? waiting to be geocoded   "
                "★ retained for its décor"
            )
        )
    return EXIT_OK


def cmd_show(ctx: Context) -> int:
    ws = ctx.workspace(read_only=True)
    lieu = ws.lieux.get(ctx.args.id)
    if ctx.args.json:
        from scout.store.documents import lieu_to_dict

        print_json({"id": lieu.id, **lieu_to_dict(lieu)})
        return EXIT_OK
    from scout.present.photos import photo_and_sun_lines
    from scout.present.sheets import lieu_sheet, permit_lines

    today = ws.clock.today()
    review = ws.permits.review(lieu_id=ctx.args.id)
    lines = [
        lieu_sheet(lieu, today),
        *permit_lines(review.rows, review.warnings, ws.permits.suggest(ctx.args.id)),
        *photo_and_sun_lines(lieu, ws.photos.of_lieu(ctx.args.id), today),
    ]
    print("\n".join(lines))
    return EXIT_OK


def cmd_add(ctx: Context) -> int:
    from scout.present.labels import where_suffix

    ws = ctx.workspace()
    raw = fiche_from(ctx.args)
    rivals = _rivals(ws, raw, raw.get("decor", ""), None, None)
    lieu = ws.lieux.add(raw)
    print(
        _("Added location {id}: {name}{where}").format(
            id=lieu.id, name=lieu.name, where=where_suffix(lieu)
        ),
        flush=True,
    )
    _say_unretained(lieu, rivals)
    _say_position(lieu)
    if lieu.geocode_pending:
        _place(ctx, lieu)
    return EXIT_OK


def _place(ctx: Context, lieu: Lieu) -> None:
    """After a save: place the lieu from its address. Whatever goes wrong here, the save
    stands and is reported as such."""
    from scout.cli.geocode import place_new_lieu

    try:
        print(place_new_lieu(ctx, lieu))
    except Exception as e:  # a bug must not turn a saved lieu into a reported failure
        from scout.logs import log_once

        reason = log_once(e, ctx.settings.log_path)
        warning(
            _("location {id} is saved, but placing it failed: {reason}").format(
                id=lieu.id, reason=reason
            )
        )


def cmd_edit(ctx: Context) -> int:
    from scout.present.labels import where_suffix

    raw = fiche_from(ctx.args)
    if not raw:
        raise ValidationError("edit", _("nothing to change: give at least one --field value"))
    ws = ctx.workspace()
    before = ws.lieux.get(ctx.args.id)
    rivals = (
        []
        if before.retained
        else _rivals(ws, raw, raw.get("decor", before.decor), before.production_id, before.id)
    )
    lieu = ws.lieux.edit(ctx.args.id, raw)
    changed = len(lieu.history) - len(before.history)
    if changed:
        text = ngettext(
            "Location {id}: {n} field changed{where}",
            "Location {id}: {n} fields changed{where}",
            changed,
        ).format(id=lieu.id, n=number(changed), where=where_suffix(lieu))
    else:
        text = _("Location {id}: nothing changed").format(id=lieu.id)
    print(text, flush=True)
    _say_unretained(lieu, rivals)
    if (lieu.position, lieu.postcode) != (before.position, before.postcode):
        _say_position(lieu)
    if lieu.geocode_pending and lieu.address != before.address:
        _place(ctx, lieu)
    return EXIT_OK


def _say_position(lieu: Lieu) -> None:
    from scout.present.sheets import position_warnings

    for said in position_warnings(lieu):
        warning(_("{warning} (saved all the same)").format(warning=said))


def _rivals(
    ws: Workspace, raw: dict[str, Any], decor: str, production_id: int | None, own: int | None
) -> list[Lieu]:
    """The lieux that lose their ★ if this save retains the lieu: read before the save,
    and only when it does retain (reading them scans every lieu)."""
    from scout.domain.values import parse_yes_no
    from scout.errors import ValidationError

    try:
        retaining = parse_yes_no(raw.get("retained"), "retained") is True
    except ValidationError:
        return []  # the save itself says what is wrong with the value
    return ws.lieux.retained_rivals(decor, production_id, own) if retaining else []


def _say_unretained(lieu: Lieu, rivals: list[Lieu]) -> None:
    """Retaining a lieu un-retains the other of its décor: say which."""
    if lieu.retained:
        for r in rivals:
            print(
                _("Location {id} «{name}» is no longer retained for «{decor}» (★)").format(
                    id=r.id, name=r.name, decor=lieu.decor
                )
            )


def cmd_rm(ctx: Context) -> int:
    from scout.present.labels import permit_status_label

    ws = ctx.workspace()
    permits, photos = ws.lieux.dependents(ctx.args.id)
    if (permits or photos) and not ctx.args.with_permits:
        lieu = ws.lieux.get(ctx.args.id)
        rules = ws.permits.rules
        warn(_("location {id} «{name}» has:").format(id=lieu.id, name=lieu.name))
        for p in permits:
            label = rules.types[p.type].label if p.type in rules.types else p.type
            status = permit_status_label(p.status.value)
            if p.valid_to:
                line = _("permit {id}: {type} — {status}, valid to {day}").format(
                    id=p.id, type=label, status=status, day=formats.day(p.valid_to)
                )
            else:
                line = _("permit {id}: {type} — {status}").format(
                    id=p.id, type=label, status=status
                )
            warn(f"  {line}")
        if photos:
            pictures = ngettext(
                "{n} picture (the files are never touched)",
                "{n} pictures (the files are never touched)",
                len(photos),
            )
            warn("  " + pictures.format(n=number(len(photos))))
        warn(_("nothing was deleted: give --with-permits to delete it with them (to the bin)"))
        return EXIT_INPUT
    gone = ws.lieux.remove(ctx.args.id)
    summary = gone.summary()
    if summary:
        text = _(
            "Deleted location {id}: {name}, with {what} "
            "(in the bin: `scout restore {id}` brings it back)"
        )
    else:
        text = _("Deleted location {id}: {name} (in the bin: `scout restore {id}` brings it back)")
    print(text.format(id=gone.lieu.id, name=gone.lieu.name, what=summary))
    return EXIT_OK


def cmd_bin(ctx: Context) -> int:
    entries = ctx.workspace(read_only=True).lieux.binned()
    if ctx.args.json:
        print_json(
            [
                {
                    "lieu_id": b.lieu.id,
                    "name": b.lieu.name,
                    "decor": b.lieu.decor,
                    "deleted_at": b.deleted_at,
                    "permits": [p.id for p in b.permits],
                    "photos": list(b.photo_ids),
                }
                for b in entries
            ]
        )
        return EXIT_OK
    if not entries:
        print(_("The bin is empty."))
    for b in entries:
        line = f"{b.lieu.id:>4}  {b.lieu.name}  ({iso_moment(b.deleted_at)})"
        summary = b.summary()
        if summary:
            line += " — " + _("with {what}").format(what=summary)
        print(line)
    return EXIT_OK


def cmd_restore(ctx: Context) -> int:
    from scout.present.labels import where_suffix

    lieu = ctx.workspace().lieux.restore(ctx.args.id)
    print(
        _("Restored location {id}: {name}{where}").format(
            id=lieu.id, name=lieu.name, where=where_suffix(lieu)
        )
    )
    return EXIT_OK
