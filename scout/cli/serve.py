"""`scout serve`: the terminal interface in a web browser (textual-serve), for a director or
a producer without a terminal; and `scout tui`, the terminal interface by name, with
`--read-only`.

Each browser tab runs its own `scout … tui` process on the same database, in the same
language; read-only unless `--write`. The server listens on the loopback (this computer
only) unless `--host` says otherwise, and then says on standard error who can see (and,
with --write, change) the production.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import socket
import sys
from typing import TYPE_CHECKING, Any

from scout.cli.context import warn, warning
from scout.i18n import _, current_language

if TYPE_CHECKING:
    from scout.cli.context import Context

EXIT_OK, EXIT_INPUT = 0, 1
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def add_serve_commands(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help=_("serve the terminal interface in a web browser (read-only unless --write)"),
        description=_(
            "Serve the terminal interface in a web browser, on this computer only unless "
            "--host says otherwise. Each browser tab runs its own scout on the same database, "
            "read-only unless --write."
        ),
    )
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        metavar=_("HOST"),
        help=_(
            "address to listen on (default: 127.0.0.1, this computer only; 0.0.0.0: every "
            "network of this computer)"
        ),
    )
    p.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        metavar=_("PORT"),
        help=_("port to listen on, 1–65535 (default: 8000)"),
    )
    p.add_argument(
        "--write",
        action="store_true",
        help=_("let the browser change the production (default: it can only look)"),
    )
    p.add_argument(
        "--public-url",
        metavar=_("URL"),
        help=_("the address browsers use, behind a proxy (default: the one they asked for)"),
    )
    p.set_defaults(func=cmd_serve)

    t = sub.add_parser(
        "tui", help=_("open the terminal interface (what scout does without a command)")
    )
    t.add_argument(
        "--read-only",
        action="store_true",
        help=_("look without changing anything (what scout serve runs without --write)"),
    )
    t.set_defaults(func=cmd_tui)


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535, or argparse's clear error."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a port number (1 to 65535)").format(value=text)
        )
    return port


def cmd_tui(ctx: Context) -> int:
    from scout.cli.lieux import cmd_tui as run_tui

    return run_tui(ctx)


def is_loopback(host: str) -> bool:
    """Whether every address the host name stands for is this computer's own."""
    name = host.strip("[]")
    if name.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(name, None)
    except OSError:
        return False
    addresses = {info[4][0] for info in found}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


def can_listen(host: str, port: int) -> str | None:
    """None when the server can listen there; else why not, in the user's words."""
    try:
        found = socket.getaddrinfo(
            host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (OSError, UnicodeError) as e:
        return _("{host} is not an address of this computer ({reason})").format(
            host=host, reason=_network_reason(e)
        )
    family, kind, proto, _name, address = found[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as e:
            return _("cannot listen on {host} port {port}: {reason}").format(
                host=host, port=port, reason=_network_reason(e)
            )
    return None


def _network_reason(error: BaseException) -> str:
    """Why the system refused to listen, in the language of the run (its words are English)."""
    import errno

    from scout.files import os_reason

    if isinstance(error, socket.gaierror):
        if error.errno in (socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", None)):
            return _("no name server answered")
        return _("unknown host name")
    if isinstance(error, UnicodeError):
        return _("unknown host name")
    if isinstance(error, OSError):
        if error.errno == errno.EADDRINUSE:
            return _("the port is already in use")
        if error.errno == errno.EADDRNOTAVAIL:
            return _("this computer has no such address")
        if error.errno in (errno.EACCES, errno.EPERM):
            return _("permission denied (ports below 1024 need an administrator)")
        return os_reason(error)
    return str(error)


def tui_command(ctx: Context, *, write: bool) -> str:
    """The command each browser tab runs: this scout, on this database, in this language."""
    args = [sys.executable, "-m", "scout", "--lang", current_language()]
    settings = ctx.settings
    if settings.db_url is None:
        args += ["--db", str(settings.db_path.expanduser().resolve())]
    # a database URL (it may hold a password) goes by the environment, not the command line
    if settings.rules is not None:
        args += ["--rules", str(settings.rules.resolve())]
    production = getattr(ctx.args, "production", None)
    if production:
        args += ["--production", str(production)]
    args.append("tui")
    if not write:
        args.append("--read-only")
    return shlex.join(args)


def cmd_serve(ctx: Context) -> int:
    args = ctx.args
    host, port, write = args.host, args.port, bool(args.write)
    problem = can_listen(host, port)
    if problem is not None:
        warn(problem)
        return EXIT_INPUT
    # a database the tabs cannot open is said now, once, rather than in every browser tab
    ctx.workspace(read_only=True, quiet=True)
    ctx.release()
    if not is_loopback(host):
        if write:
            warning(
                _(
                    "listening on {host}: anyone who can reach this address can see and "
                    "change the production (--write); there is no password"
                ).format(host=host)
            )
        else:
            warning(
                _(
                    "listening on {host}: anyone who can reach this address can see the "
                    "production; there is no password"
                ).format(host=host)
            )
    if ctx.settings.db_url is not None:
        os.environ["SCOUT_DB"] = ctx.settings.db_url
    os.environ.pop("SCOUT_IMAGES", None)  # the browser draws pictures with half blocks
    server = _server(tui_command(ctx, write=write), host, port, args.public_url, write)
    shown = host if ":" not in host else f"[{host}]"
    print(
        (
            _("scout in a browser: http://{host}:{port}/  (changes allowed; Ctrl+C stops)")
            if write
            else _("scout in a browser: http://{host}:{port}/  (read-only; Ctrl+C stops)")
        ).format(host=shown, port=port),
        file=sys.stderr,
        flush=True,
    )
    server.serve()
    return EXIT_OK


def _server(command: str, host: str, port: int, public_url: str | None, write: bool) -> Any:
    """textual-serve's server; the page's links follow the address the browser asked for
    (0.0.0.0 is no address a browser can use) unless --public-url fixes it."""
    import aiohttp_jinja2
    from textual_serve.server import Server

    index = Server.handle_index.__wrapped__  # type: ignore[attr-defined]

    class ScoutServer(Server):
        @aiohttp_jinja2.template("app_index.html")
        async def handle_index(self, request: Any) -> dict[str, Any]:
            if public_url is None:
                self.public_url = f"{request.scheme}://{request.host}"
            result: dict[str, Any] = await index(self, request)
            return result

        async def on_startup(self, app: Any) -> None:
            """Quiet: scout has said where it listens (the command holds the database's
            path)."""

    title = "scout" if write else _("scout (read-only)")
    return ScoutServer(command, host=host, port=port, title=title, public_url=public_url)
