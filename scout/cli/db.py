"""`scout db upgrade`: create or upgrade the team database's tables (PostgreSQL);
`scout db status`: where the data is and what layout it has."""

from __future__ import annotations

from typing import Any

from scout.cli.context import Context
from scout.errors import StoreError
from scout.i18n import _


def add_db_commands(sub: Any) -> None:
    p = sub.add_parser(
        "db",
        help=_("the team database (PostgreSQL): create or upgrade its tables"),
        description=_(
            "Team mode keeps a production on a PostgreSQL server: point scout at it with "
            "--db postgresql://…, $SCOUT_DB or database_url in config.toml. Passwords come "
            "the PostgreSQL way (PGPASSWORD, ~/.pgpass, a service file), never from scout."
        ),
    )
    what = p.add_subparsers(title=_("commands"), metavar=_("COMMAND"), required=True)
    up = what.add_parser(
        "upgrade",
        help=_("create scout's tables, or bring them to this scout's layout"),
        description=_(
            "Create scout's tables in an empty database, or apply the missing steps to an "
            "older one, each step whole or not at all. Run it with a role that may create "
            "tables; running it again changes nothing."
        ),
    )
    up.set_defaults(func=cmd_db_upgrade)
    status = what.add_parser("status", help=_("which database, which layout, read or write"))
    status.set_defaults(func=cmd_db_status)


def _url(ctx: Context) -> str:
    url = ctx.settings.db_url
    if url is None:
        from scout.store.urls import scheme_problem

        problem = scheme_problem(str(ctx.settings.db_path))
        if problem:
            raise StoreError(problem)
        raise StoreError(
            _(
                "{path} is a local file: it needs no upgrade (scout upgrades it when it "
                "opens it). `scout db` is for a team database: --db postgresql://…"
            ).format(path=ctx.settings.db_path)
        )
    return url


def cmd_db_upgrade(ctx: Context) -> int:
    from scout.store.pg_admin import upgrade_database

    before, after = upgrade_database(_url(ctx))
    location = ctx.settings.location
    if before == after:
        print(
            _("{location}: already at layout version {version}; nothing to do").format(
                location=location, version=after
            )
        )
    elif before == 0:
        print(
            _("{location}: scout's tables created (layout version {version})").format(
                location=location, version=after
            )
        )
    else:
        print(
            _("{location}: upgraded from layout version {old} to {new}").format(
                location=location, old=before, new=after
            )
        )
    return 0


def cmd_db_status(ctx: Context) -> int:
    from scout.store.pg_admin import database_status

    version, needed, writable = database_status(_url(ctx))
    print(_("database: {location}").format(location=ctx.settings.location))
    print(_("layout version: {found} (this scout: {needed})").format(found=version, needed=needed))
    print(
        _("your role: {rights}").format(rights=_("read and write") if writable else _("read only"))
    )
    return 0
