"""What every command gets: the parsed arguments, the settings (read once), the output
helpers, and the workspace, opened on first use and closed in one place by `main`."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from scout.i18n import _
from scout.settings import Settings

if TYPE_CHECKING:
    from scout.geocoding.service import GeocodingService
    from scout.services.workspace import Workspace

Progress = Callable[[int, int], None]
_C1 = re.compile(r"[\x7f-\x9f]")


class Context:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.settings = Settings.load(args.db, args.rules)
        self._workspace: Workspace | None = None
        self._geocoder: GeocodingService | None = None
        self.writing = False  # the command opened the database to change it

    def workspace(
        self, *, read_only: bool = False, on_locked: str = "fail", quiet: bool = False
    ) -> Workspace:
        """The database's workspace. A rules file named with --rules must be right; a
        broken rules.toml beside the database is reported and the shipped rules stand in."""
        self.writing = self.writing or not read_only
        if self._workspace is None:
            from scout.services.workspace import Workspace

            ws = Workspace.open(
                self.settings, read_only=read_only, on_locked=on_locked, strict_rules=True
            )
            self._workspace = ws
            if ws.rules.error is not None and not quiet:
                warn(_("{error}; using the rules shipped with scout").format(error=ws.rules.error))
            self._choose_production(ws)
        return self._workspace

    def _choose_production(self, ws: Workspace) -> None:
        """The production named for this run (--production, else $SCOUT_PRODUCTION): an
        unknown one stops the command before it does anything."""
        import os

        named = getattr(self.args, "production", None)
        if named is None:
            named = os.environ.get("SCOUT_PRODUCTION") or None
        if named is not None:
            ws.productions.choose(named)

    def geocoder(self) -> GeocodingService:
        """The workspace's geocoder, or, for a command that needs no database (locate,
        geocode), one with its cache beside the database file."""
        if self._workspace is not None:
            return self._workspace.geocoder
        if self._geocoder is None:
            from scout.clock import Clock
            from scout.geocoding.service import open_geocoder

            self._geocoder = open_geocoder(self.settings.db_path, Clock.from_env())
        return self._geocoder

    def release(self) -> None:
        """Close the database (and free it for other writers) before a network call;
        the next `workspace()` opens it again."""
        if self._workspace is not None:
            ws, self._workspace = self._workspace, None
            notices: list[str] = []
            try:
                notices += ws.notices()
            finally:
                notices += ws.close()  # the lock is freed whatever happened before
            for notice in notices:
                warning(notice)

    def close(self) -> None:
        """Close what was opened; say what the user should know (nothing failed)."""
        if self._geocoder is not None:
            self._geocoder.close()
            self._geocoder = None
        self.release()


def warn(message: str) -> None:
    """A line for the person on standard error, after the program's name."""
    print(_("scout: {message}").format(message=message), file=sys.stderr)


def warning(message: str) -> None:
    """Something the person should know; what the command did stands."""
    print(_("scout: warning: {message}").format(message=message), file=sys.stderr)


@contextmanager
def neutral() -> Iterator[None]:
    """Texts made inside (the sentences that go into JSON: an error on a line of a
    stream, the reasons of a suggestion) are written in English whatever the language
    of the run, so that a script reads the same bytes in every language."""
    from scout.i18n import activate, current_language

    before = current_language()
    activate("en")
    try:
        yield
    finally:
        activate(before)


def json_text(data: Any, *, indent: bool = True) -> str:
    """JSON for scripts: keys and codes unchanged, every control character escaped (JSON
    escapes C0 itself; C1 and undecodable bytes are escaped here)."""
    import orjson

    option = orjson.OPT_INDENT_2 if indent else 0
    try:
        text = orjson.dumps(data, option=option).decode()
    except TypeError:  # lone surrogates (undecodable bytes in a name): escape them
        import json

        text = json.dumps(data, ensure_ascii=False, indent=2 if indent else None, default=str)
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def add_output_option(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    """`--output FILE` / `-o FILE` of every export; standard output without it."""
    parser.add_argument(
        "--output", "-o", metavar=_("FILE"), help=help or _("default: standard output")
    )


def emit(output: str | None, data: bytes, written: str | None = None) -> None:
    """What an export made: to the file named (atomically, then said on standard error,
    `written` being the sentence with its {path}), or to standard output after what the
    command already printed there."""
    if output:
        from scout.files import write_atomic

        target = write_atomic(output, data)
        print((written or _("Wrote {path}")).format(path=target), file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(data) + "\n")


class TerminalSafe:
    """Standard output or error as the user's terminal sees it: text that came from a
    user, a file, a picture or the network cannot clear the screen or retitle the
    window. Bytes written to `.buffer` (an export to stdout) pass unchanged."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from scout.domain.values import terminal_safe

        self._stream.write(terminal_safe(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def print_table(rows: Sequence[tuple[str, ...]]) -> None:
    widths = [min(max(len(r[i]) for r in rows), 40) for i in range(len(rows[0]))]
    for row in rows:
        cells = [c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(row, widths)]
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())


def print_aligned(lines: list[tuple[str, str]], first: int = 0) -> None:
    """(label, text) lines with the texts in one column."""
    width = max([first, *(len(label) for label, _text in lines)])
    for label, text in lines:
        print(f"{label:<{width}}  {text}")


def progress_bar(label: str) -> Progress | None:
    """A progress bar on standard error, only when a person is watching."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def number(value: int | float) -> str:
    """A count or a quantity as the language writes it: 1 881 | 1,881."""
    from scout.i18n import formats

    return formats.number(value)


def iso_day(text: str | None) -> str:
    """A stored ISO date as the language writes it (03/12/2026 | 2026-12-03); — if none."""
    from datetime import date

    from scout.i18n import formats

    if not text:
        return "—"
    try:
        return formats.day(date.fromisoformat(text[:10]))
    except ValueError:
        return text


def iso_moment(text: str | None) -> str:
    """A stored ISO date and time as the language writes it, to the minute."""
    from datetime import datetime

    from scout.i18n import formats

    if not text:
        return "—"
    try:
        return formats.moment(datetime.fromisoformat(text[:19]))
    except ValueError:
        return text[:16].replace("T", " ")


def reason_fields(reason: Any, key: str = "reason", **fixed: Any) -> dict[str, Any]:
    """A reason in JSON, after the `fixed` fields: its code and its neutral data when it
    has them (a `scout.errors.Reason`), else its text as it was written."""
    out = dict(fixed)
    kind = getattr(reason, "kind", None)
    if kind is None:
        out.setdefault(key, str(reason))
        return out
    out.setdefault(key, kind)
    for name, value in (getattr(reason, "data", None) or {}).items():
        out.setdefault(name, value)
    return out


def reason_code(reason: Any) -> Any:
    """Why something was not done, for JSON: null when it was; its code and neutral data
    (a `scout.errors.Reason`); else only that it was not (true), never a sentence."""
    if not reason:
        return None
    if getattr(reason, "kind", None) is None:
        return True
    return reason_fields(reason, "kind")
