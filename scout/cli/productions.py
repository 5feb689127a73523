"""`scout production list|add|rename|archive|unarchive|use|copy|move`: the productions,
and which one the other commands work on (`use`, or `--production` for one run)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scout.cli.context import Context, number, print_json, print_table, warning
from scout.cli.options import lieu_id
from scout.i18n import _, ngettext, pgettext

if TYPE_CHECKING:
    from scout.domain import Production
    from scout.services.productions import ProductionService

EXIT_OK = 0


def add_production_commands(sub: Any) -> None:
    top = sub.add_parser(
        "production",
        help=_("the productions: list, add, rename, archive, choose the current one"),
        description=_(
            "Every location belongs to a production; the other commands work on the "
            "current one (`scout production use`, or --production NAME|ID for one run)."
        ),
    )
    cmds = top.add_subparsers(title=_("commands"), metavar=_("COMMAND"), required=True)
    which = _("the production's id or name")

    p = cmds.add_parser("list", help=_("the productions, with their number of locations"))
    p.add_argument("--all", action="store_true", help=_("the archived productions too"))
    p.add_argument(
        "--json", action="store_true", help=_("one JSON array, the same in every language")
    )
    p.set_defaults(func=cmd_list)

    p = cmds.add_parser("add", help=_("create a production"))
    p.add_argument("name", metavar=_("NAME"), help=_("its name (unique)"))
    p.add_argument("--company", default="", metavar=_("TEXT"), help=_("the production company"))
    p.add_argument("--use", action="store_true", help=_("make it the current production at once"))
    p.set_defaults(func=cmd_add)

    p = cmds.add_parser("rename", help=_("rename a production"))
    p.add_argument("which", metavar="ID", help=which)
    p.add_argument("new_name", metavar=_("NEW"), help=_("its new name (unique)"))
    p.set_defaults(func=cmd_rename)

    p = cmds.add_parser(
        "archive", help=_("archive a production (its locations stay; hidden from the lists)")
    )
    p.add_argument("which", metavar="ID", help=which)
    p.set_defaults(func=cmd_archive)

    p = cmds.add_parser("unarchive", help=_("bring an archived production back"))
    p.add_argument("which", metavar="ID", help=which)
    p.set_defaults(func=cmd_unarchive)

    p = cmds.add_parser("use", help=_("work on this production from now on"))
    p.add_argument("which", metavar="ID", help=which)
    p.set_defaults(func=cmd_use)

    for name, helped in (
        ("copy", _("copy a location into another production (its permits are not copied)")),
        ("move", _("move a location, with its permits and pictures, to another production")),
    ):
        p = cmds.add_parser(name, help=helped)
        p.add_argument("lieu", type=lieu_id, metavar=_("LOCATION"), help=_("the location's id"))
        p.add_argument("which", metavar=_("PRODUCTION"), help=which)
        p.set_defaults(func=cmd_copy if name == "copy" else cmd_move)


def _service(ctx: Context, *, read_only: bool = False) -> ProductionService:
    if not read_only:
        _refuse_in_checkout(ctx)
    return ctx.workspace(read_only=read_only).productions


def _refuse_in_checkout(ctx: Context) -> None:
    """A checkout carries one production's locations; `scout sync` sends those, not the
    productions: a production made, renamed or archived there would stay in the file."""
    from scout.errors import ScoutError
    from scout.services.sync import SyncError, checkout_header

    if ctx.settings.db_url is not None or not ctx.settings.db_path.is_file():
        return
    try:
        header = checkout_header(ctx.settings.db_path)
    except (SyncError, ScoutError):
        return  # not a checkout (or not a database: opening it says so)
    raise ScoutError(
        _(
            "{path} is a checkout of «{production}»: `scout sync` does not carry the "
            "productions, so change them on the team database ({source}). Nothing was "
            "changed."
        ).format(
            path=ctx.settings.db_path,
            production=header["production"].get("name", ""),
            source=header["source"]["location"],
        )
    )


def cmd_list(ctx: Context) -> int:
    service = _service(ctx, read_only=True)
    productions = service.list(archived=ctx.args.all)
    counts = service.counts()
    current = service.current_id()
    if not ctx.args.all and current is not None and all(p.id != current for p in productions):
        productions.append(service.get(current))  # archived, but the one in use: said so
    if ctx.args.json:
        print_json(
            [
                {
                    "id": p.id,
                    "name": p.name,
                    "company": p.company,
                    "archived": p.archived,
                    "demo": p.demo,
                    "current": p.id == current,
                    "lieux": counts.get(p.id, 0),
                    "created_at": p.created_at or None,
                }
                for p in productions
            ]
        )
        return EXIT_OK
    if not productions:
        print(_("No production yet. Create one: `scout production add NAME`."))
        return EXIT_OK
    table = [
        (
            "",
            pgettext("column", "ID"),
            pgettext("column", "PRODUCTION"),
            pgettext("column", "LOCATIONS"),
            "",
        )
    ]
    for p in productions:
        table.append(
            (
                "*" if p.id == current else "",
                str(p.id),
                p.name,
                number(counts.get(p.id, 0)),
                _("archived") if p.archived else "",
            )
        )
    print_table(table)
    return EXIT_OK


def cmd_add(ctx: Context) -> int:
    service = _service(ctx)
    made = service.create(ctx.args.name, company=ctx.args.company)
    assert made.id is not None
    print(_("Created production {id}: «{name}»").format(id=made.id, name=made.name))
    if ctx.args.use:
        _use(service, made)
    return EXIT_OK


def cmd_rename(ctx: Context) -> int:
    service = _service(ctx)
    before = service.find(ctx.args.which)
    assert before.id is not None
    after = service.rename(before.id, ctx.args.new_name)
    if after.name == before.name:
        print(_("«{name}» has that name already; nothing changed").format(name=before.name))
    else:
        print(_("Renamed «{old}» to «{new}»").format(old=before.name, new=after.name))
    return EXIT_OK


def cmd_archive(ctx: Context) -> int:
    service = _service(ctx)
    production = service.find(ctx.args.which)
    assert production.id is not None
    if production.archived:
        print(_("«{name}» is archived already; nothing changed").format(name=production.name))
        return EXIT_OK
    service.archive(production.id)
    n = service.counts().get(production.id, 0)
    print(
        ngettext(
            "Archived «{name}»; its {n} location stays (`scout production list --all`)",
            "Archived «{name}»; its {n} locations stay (`scout production list --all`)",
            n,
        ).format(name=production.name, n=number(n))
    )
    return EXIT_OK


def cmd_unarchive(ctx: Context) -> int:
    service = _service(ctx)
    production = service.find(ctx.args.which)
    assert production.id is not None
    if not production.archived:
        print(_("«{name}» is not archived; nothing changed").format(name=production.name))
        return EXIT_OK
    service.unarchive(production.id)
    print(_("«{name}» is back among the productions").format(name=production.name))
    return EXIT_OK


def cmd_use(ctx: Context) -> int:
    service = _service(ctx, read_only=True)
    _use(service, service.find(ctx.args.which))
    return EXIT_OK


def _use(service: ProductionService, production: Production) -> None:
    assert production.id is not None
    service.switch(production.id)
    print(_("Now working on «{name}»").format(name=production.name))
    if production.archived:
        warning(_("«{name}» is archived").format(name=production.name))


def cmd_copy(ctx: Context) -> int:
    service = _service(ctx)
    target = service.find(ctx.args.which)
    assert target.id is not None
    done = service.copy_lieu(ctx.args.lieu, target.id)
    print(
        _("Copied «{name}» to «{production}» as location {id}").format(
            name=done.source.name, production=target.name, id=done.lieu.id
        )
    )
    if done.permits_left:
        print(
            ngettext(
                "Its {n} permit was not copied: it stays with location {id}.",
                "Its {n} permits were not copied: they stay with location {id}.",
                done.permits_left,
            ).format(n=done.permits_left, id=done.source.id)
        )
    if done.unretained:
        print(_unretained_text(done.lieu.decor, target.name))
    return EXIT_OK


def cmd_move(ctx: Context) -> int:
    service = _service(ctx)
    target = service.find(ctx.args.which)
    assert target.id is not None
    done = service.move_lieu(ctx.args.lieu, target.id)
    print(
        _(
            "Moved «{name}» to «{production}» with its permits ({permits}) and pictures ({photos})"
        ).format(
            name=done.lieu.name,
            production=target.name,
            permits=done.permits,
            photos=done.photos,
        )
    )
    if done.unretained:
        print(_unretained_text(done.lieu.decor, target.name))
    return EXIT_OK


def _unretained_text(decor: str, production: str) -> str:
    return _(
        "It is no longer retained (★): «{production}» has a retained location for "
        "«{decor}» already."
    ).format(decor=decor, production=production)
