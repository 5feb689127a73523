"""Field sync: `scout checkout --production P --to FILE`, `scout sync FILE`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from scout.cli.context import Context, print_json
from scout.i18n import _, ngettext


def add_sync_commands(sub: Any) -> None:
    p = sub.add_parser(
        "checkout",
        help=_(
            "copy a production (--production) into a local file, to work offline "
            "(then `scout sync`)"
        ),
    )
    p.add_argument("--to", required=True, metavar=_("FILE"), help=_("the new local file to write"))
    p.add_argument(
        "--json", action="store_true", help=_("one JSON object, the same in every language")
    )
    p.set_defaults(func=cmd_checkout)

    p = sub.add_parser(
        "sync",
        help=_("send a checkout's changes to the team database and bring back the team's"),
    )
    p.add_argument("file", metavar=_("FILE"), help=_("the file `scout checkout` made"))
    p.add_argument(
        "--json", action="store_true", help=_("one JSON object, the same in every language")
    )
    p.set_defaults(func=cmd_sync)


def _user() -> str:
    from scout.settings import current_user

    return current_user()


def _check_reachable(location: str) -> None:
    """A team file that is not there is not created by a sync or a checkout."""
    from scout.errors import StoreError

    if "://" not in location and not Path(location).expanduser().exists():
        raise StoreError(
            _("cannot reach the team database at {location}: nothing was changed").format(
                location=location
            )
        )


def cmd_checkout(ctx: Context) -> int:
    from scout.services.sync import SyncError, checkout

    _check_reachable(_current_location(ctx))
    if not getattr(ctx.args, "production", None):
        raise SyncError(_("say which production to take: --production NAME|ID"))
    ws = ctx.workspace(read_only=True)
    ctx.writing = True
    production = ws.productions.find(ctx.args.production)
    assert production.id is not None
    report = checkout(ws.store, production.id, ctx.args.to, ws.clock, _user())
    if ctx.args.json:
        print_json(
            {
                "file": report.path,
                "production": report.production,
                "source": report.source,
                "already": report.already,
                "lieux": report.lieux,
                "permits": report.permits,
                "photos": report.photos,
            }
        )
        return 0
    if report.already:
        print(
            _(
                "{path} is already a checkout of « {production} » from {source}: "
                "`scout sync {path}` brings it up to date. Nothing was changed."
            ).format(path=report.path, production=report.production, source=report.source)
        )
        return 0
    counts = ", ".join(
        (
            ngettext("{n} location", "{n} locations", report.lieux).format(n=report.lieux),
            ngettext("{n} permit", "{n} permits", report.permits).format(n=report.permits),
            ngettext("{n} picture", "{n} pictures", report.photos).format(n=report.photos),
        )
    )
    print(
        _("Checked out « {production} » from {source} to {path}: {counts}.").format(
            production=report.production, source=report.source, path=report.path, counts=counts
        )
    )
    print(
        _("Work offline with `scout --db {path}`, then `scout sync {path}`.").format(
            path=report.path
        )
    )
    return 0


def _current_location(ctx: Context) -> str:
    return str(getattr(ctx.settings, "location", ctx.settings.db_path))


def cmd_sync(ctx: Context) -> int:
    from scout.services.sync import checkout_header, sync
    from scout.settings import Settings
    from scout.store.tinydb_store import open_store as open_file

    header = checkout_header(ctx.args.file)
    recorded = str(header["source"]["location"])
    if not (ctx.args.db or os.environ.get("SCOUT_DB")):
        # no database named: the one the file was checked out from (a password, if it
        # needs one, comes the libpq way: PGPASSWORD, ~/.pgpass, a service file)
        ctx.settings = Settings.load(recorded, ctx.args.rules)
    _check_reachable(_current_location(ctx))
    ws = ctx.workspace()
    local = open_file(ctx.args.file, create_folder=False)
    try:
        report = sync(ws.store, local, ws.clock, _user())
    finally:
        local.close()
    if ctx.args.json:
        print_json(report.to_dict())
        return 0
    counts = ", ".join(
        (
            ngettext("{n} pushed", "{n} pushed", report.pushed).format(n=report.pushed),
            ngettext("{n} pulled", "{n} pulled", report.pulled).format(n=report.pulled),
        )
    )
    print(
        _("Synced {path} with {source} (« {production} »): {counts}.").format(
            path=report.path, source=report.source, production=report.production, counts=counts
        )
    )
    if report.conflicts:
        n = len(report.conflicts)
        print(
            ngettext(
                "{n} field was changed on both sides: the team's value is kept, yours is "
                "in the history and waits for a decision in this file:",
                "{n} fields were changed on both sides: the team's values are kept, yours "
                "are in the history and wait for a decision in this file:",
                n,
            ).format(n=n)
        )
        for c in report.conflicts:
            print("  " + _conflict_line(c))
    if report.waiting:
        print(
            ngettext(
                "{n} conflict waits for a decision in {path}.",
                "{n} conflicts wait for a decision in {path}.",
                report.waiting,
            ).format(n=report.waiting, path=report.path),
            file=sys.stderr if not report.conflicts else sys.stdout,
        )
    return 0


def _conflict_line(c: Any) -> str:
    from scout.domain.sync import DELETED
    from scout.present.labels import field_label

    what = {
        "lieu": _("location {id}"),
        "permit": _("permit {id}"),
        "photo": _("picture {id}"),
    }[c.kind].format(id=c.local_id)
    if c.field == DELETED:
        if c.local is None:
            text = _("deleted here, changed by {by} on the team: brought back")
        else:
            text = _("deleted by the team, changed here: brought back on the team")
        return _("{what} « {name} »: {text}").format(
            what=what, name=c.name, text=text.format(by=c.team_by or _("someone"))
        )
    return _(
        "{what} « {name} », {field}: yours {local}, the team's {team} (changed by {by})"
    ).format(
        what=what,
        name=c.name,
        field=field_label(c.field) if c.kind == "lieu" else c.field,
        local=_shown(c.local),
        team=_shown(c.team),
        by=c.team_by or _("someone"),
    )


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return _("(empty)")
    if isinstance(value, str):
        return f"« {value} »"
    return str(value)
