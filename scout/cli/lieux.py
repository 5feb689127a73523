"""`scout demo`, `list`, `show`, `add`, `edit`, `rm`, and the terminal interface."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scout.cli.context import Context, print_json, print_table, warn
from scout.cli.options import add_fiche_options, fiche_from, lieu_id
from scout.errors import ValidationError

if TYPE_CHECKING:
    from scout.domain import Lieu

EXIT_OK = 0


def add_lieu_commands(sub: Any) -> None:
    p = sub.add_parser("demo", help="seed a demonstration production of real Paris places")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("list", help="list the lieux")
    p.add_argument("--json", action="store_true", help="one JSON array")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="everything about one lieu")
    p.add_argument("id", type=lieu_id, metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("add", help="add a lieu")
    add_fiche_options(p, require_name=True)
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("edit", help="change fields of a lieu (history is kept)")
    p.add_argument("id", type=lieu_id, metavar="ID")
    add_fiche_options(p, require_name=False)
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("rm", help="delete a lieu")
    p.add_argument("id", type=lieu_id, metavar="ID")
    p.set_defaults(func=cmd_rm)


def cmd_tui(ctx: Context) -> int:
    from scout.tui.app import make_app

    make_app(ctx.workspace(on_locked="read-only", quiet=True)).run()
    return EXIT_OK


def cmd_demo(ctx: Context) -> int:
    from scout.demo import PRODUCTION, seed_demo

    ws = ctx.workspace()
    count, created = seed_demo(ws)
    if created:
        print(f"Seeded «{PRODUCTION}»: {count} lieux in {ws.location}")
    else:
        print(f"«{PRODUCTION}» is already in {ws.location} ({count} lieux); nothing added")
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
    if not rows:
        print(f"No lieux yet in {ws.location}. Try `scout demo` or `scout add`.")
        return EXIT_OK
    table = [("ID", "LIEU", "DÉCOR", "ARR.", "STATUT", "PROCHAIN TOURNAGE")]
    for r in rows:
        name = ("★ " if r.retained else "") + r.name
        arr = arrondissement_label(
            r.arrondissement, r.on_boundary, r.approximate_zone, r.geocode_pending
        )
        table.append((str(r.id), name, r.decor, arr, status_label(r.status), r.next_shoot or "—"))
    print_table(table)
    if any(r.on_boundary or r.approximate_zone or r.geocode_pending for r in rows):
        print(
            "\n* on an arrondissement boundary: check the side   "
            "~ in or near an approximate zone   ? waiting to be geocoded   "
            "★ retained for its décor"
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
        *permit_lines(review.rows, review.warnings),
        *photo_and_sun_lines(lieu, ws.photos.of_lieu(ctx.args.id), today),
    ]
    print("\n".join(lines))
    return EXIT_OK


def cmd_add(ctx: Context) -> int:
    from scout.present.labels import where_suffix

    ws = ctx.workspace()
    lieu = ws.lieux.add(fiche_from(ctx.args))
    print(f"Added lieu {lieu.id}: {lieu.name}{where_suffix(lieu)}", flush=True)
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
        from scout.logs import report_unexpected, setup_logging

        setup_logging(ctx.settings.log_path)
        reason = report_unexpected(e, ctx.settings.log_path)
        warn(f"warning: lieu {lieu.id} is saved, but placing it failed: {reason}")


def cmd_edit(ctx: Context) -> int:
    from scout.present.labels import where_suffix

    raw = fiche_from(ctx.args)
    if not raw:
        raise ValidationError("edit", "nothing to change: give at least one --field value")
    ws = ctx.workspace()
    before = ws.lieux.get(ctx.args.id)
    lieu = ws.lieux.edit(ctx.args.id, raw)
    changed = len(lieu.history) - len(before.history)
    print(
        f"Lieu {lieu.id}: {changed} field(s) changed{where_suffix(lieu)}"
        if changed
        else f"Lieu {lieu.id}: nothing changed",
        flush=True,
    )
    if lieu.geocode_pending and lieu.address != before.address:
        _place(ctx, lieu)
    return EXIT_OK


def cmd_rm(ctx: Context) -> int:
    lieu = ctx.workspace().lieux.remove(ctx.args.id)
    print(f"Deleted lieu {lieu.id}: {lieu.name}")
    return EXIT_OK
