"""The `scout` command: the TUI by default, and scriptable subcommands.

Exit codes: 0 done; 1 bad input or nothing found (the message says what and where);
2 bad usage; 3 the database cannot be used (in use, damaged, foreign); 4 an unexpected
error (logged to the file the message names); 5 `scout deadlines` found an overdue permit.

argparse rather than click: the fiche's options are generated from the fiche's fields
(one table serves the CLI and the form), which argparse takes as data; it is in the
standard library, so `scout --version` and `scout list` import nothing more.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from scout import __version__
from scout.cli.context import Context, TerminalSafe, warn, warning
from scout.errors import NotFound, ScoutError, StoreError, ValidationError, ValidationErrors
from scout.i18n import _, pgettext

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_STORE, EXIT_BUG = 0, 1, 2, 3, 4


class _Help(argparse.HelpFormatter):
    """argparse's help, with its section headings written the way of the language
    (« options : » in French)."""

    def start_section(self, heading: str | None) -> None:
        if heading:
            # argparse adds the colon itself: the translation says what goes before it
            heading = pgettext("help section", "{heading}:").format(heading=heading)
            heading = heading.removesuffix(":")
        super().start_section(heading)


class _RawDescriptionHelp(_Help, argparse.RawDescriptionHelpFormatter):
    """For `scout --help`: the description and the glossary keep their lines."""


class ScoutParser(argparse.ArgumentParser):
    """Every parser of scout, subcommands included (they are made of the same class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    from scout.cli.db import add_db_commands
    from scout.cli.dossier import add_dossier_commands
    from scout.cli.geocode import add_geocode_commands
    from scout.cli.lieux import add_lieu_commands, cmd_tui
    from scout.cli.locate import add_locate_command
    from scout.cli.maps import add_map_commands
    from scout.cli.permits import add_calendar_export, add_permit_commands
    from scout.cli.photos import add_photo_commands
    from scout.cli.productions import add_production_commands
    from scout.cli.serve import add_serve_commands
    from scout.cli.sheets import add_sheet_commands
    from scout.cli.sync import add_sync_commands
    from scout.cli.tournages import add_tournage_commands

    parser = ScoutParser(
        prog="scout",
        description=_(
            "Film location scouting and permit tracking for Paris.\n"
            "Without a command, opens the terminal interface."
        ),
        epilog=_glossary(),
        formatter_class=_RawDescriptionHelp,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"scout {__version__}",
        help=_("show program's version number and exit"),  # argparse leaves it English
    )
    parser.add_argument(
        "--lang",
        metavar=_("LANG"),
        help=_(
            "language of this run: fr or en (default: $SCOUT_LANG, else language in "
            "config.toml, else the locale, else fr)"
        ),
    )
    parser.add_argument(
        "--db",
        metavar=_("PATH|URL"),
        help=_(
            "database file, or a team database postgresql://… (default: $SCOUT_DB, else "
            "database_url in config.toml, else the user data directory)"
        ),
    )
    parser.add_argument(
        "--rules",
        metavar=_("FILE"),
        help=_(
            "permit rules (default: rules.toml next to the database if there "
            "is one, else the rules shipped with scout)"
        ),
    )
    parser.add_argument(
        "--production",
        metavar=_("NAME|ID"),
        help=_(
            "the production to work on for this run (default: $SCOUT_PRODUCTION, else "
            "the one chosen last with `scout production use`)"
        ),
    )
    parser.set_defaults(func=cmd_tui)
    sub = parser.add_subparsers(title=_("commands"), metavar=_("COMMAND"))
    add_lieu_commands(sub)
    add_production_commands(sub)
    add_locate_command(sub)
    add_permit_commands(sub)
    add_geocode_commands(sub)
    export = sub.add_parser("export", help=_("export to other tools"))
    exports = export.add_subparsers(title=_("formats"), metavar=_("FORMAT"), required=True)
    imp = sub.add_parser("import", help=_("import pictures, spreadsheets, maps, the City's shoots"))
    imports = imp.add_subparsers(title=_("what"), metavar=_("WHAT"), required=True)
    add_photo_commands(sub, imports)
    add_calendar_export(exports)
    add_dossier_commands(sub, exports)
    add_sheet_commands(sub, exports, imports)
    add_map_commands(sub, exports, imports)
    add_tournage_commands(sub, exports, imports)
    add_serve_commands(sub)
    add_sync_commands(sub)
    add_db_commands(sub)
    return parser


def _glossary() -> str:
    """The French words of the trade, explained in the language of the run, each meaning
    wrapped to the terminal under itself."""
    import re
    import shutil
    import textwrap

    from scout.present.glossary import glossary_lines

    width = max(shutil.get_terminal_size().columns - 2, 40)
    lines = [_("Words of the trade (kept in French):")]
    for line in glossary_lines():
        word = re.match(r"\S.*?\s{2,}", line)
        indent = " " * (2 + (word.end() if word else 0))
        lines.append(textwrap.fill(line, width, initial_indent="  ", subsequent_indent=indent))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else list(argv)
    if args_list == ["--version"]:  # what scripts and packagers ask first: no language,
        print(f"scout {__version__}")  # no parser, no import of the commands
        return EXIT_OK
    if not _speak(args_list):
        return EXIT_USAGE
    from scout.i18n.choice import split_flag

    parser = build_parser()
    # --production, like --lang, may come anywhere on the line (`scout list --production X`)
    production, rest = split_flag(split_flag(args_list)[1], "--production")
    if production is None and "--production" in args_list[-1:]:
        warn(_("--production: say which production (its name or its id)"))
        return EXIT_USAGE
    try:
        args = parser.parse_args(rest)
    except SystemExit as e:  # argparse has printed its usage message
        return int(e.code or 0)
    args.production = production
    ctx = Context(args)
    real_stdout, real_stderr = sys.stdout, sys.stderr
    sys.stdout = TerminalSafe(real_stdout)
    sys.stderr = TerminalSafe(real_stderr)
    try:
        return int(args.func(ctx))
    except (ValidationError, ValidationErrors) as e:
        from scout.cli.options import flag_of

        errors = e.errors if isinstance(e, ValidationErrors) else [e]
        for err in errors:
            warn(_("{field}: {message}").format(field=flag_of(err.field), message=err.message))
        if ctx.writing:  # not after `scout locate` or a `--batch` file that cannot be read
            warn(_("nothing was saved"))
        return EXIT_INPUT
    except NotFound as e:
        warn(str(e))
        return EXIT_INPUT
    except StoreError as e:
        warn(str(e))
        return EXIT_STORE
    except ScoutError as e:
        warn(str(e))
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `scout list | head`
        sys.stderr.close()
        return EXIT_OK
    except Exception as e:  # a bug: the user gets one line, the log gets the traceback
        from scout.logs import log_once

        warn(log_once(e, ctx.settings.log_path))
        return EXIT_BUG
    finally:
        _close(ctx)
        sys.stdout, sys.stderr = real_stdout, real_stderr


def _speak(argv: list[str]) -> bool:
    """Chooses the language of the run before anything is written, the help included."""
    from scout.cli.argparse_words import install
    from scout.i18n import activate
    from scout.i18n.choice import choose, flag_value
    from scout.settings import config_path

    try:
        choice = choose(flag_value(argv), config=config_path())
    except ValueError as bad:  # said in the language the rest of the setting chooses
        activate(choose(None, config=config_path()).language)
        message = _("--lang: {value!r} is not a language scout speaks (fr, en)")
        warn(message.format(value=str(bad)))
        return False
    activate(choice.language)
    install()
    for message, fields in choice.notes:
        warning(_(message).format(**fields))
    return True


def _close(ctx: Context) -> None:
    """What the command did stands: a failure while closing is said as a warning."""
    try:
        ctx.close()
    except ScoutError as e:
        warning(str(e))
    except Exception as e:
        from scout.logs import log_once

        warning(log_once(e, ctx.settings.log_path))
