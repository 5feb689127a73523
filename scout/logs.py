"""Unexpected errors go to a log file; the user sees one short line pointing to it.

The short line is in the language of the run; the log file itself stays in English, for
whoever reads it to fix the bug (a traceback is English anyway).
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from scout.i18n import _

log = logging.getLogger("scout")


def setup_logging(path: Path) -> None:
    for handler in list(log.handlers):
        if getattr(handler, "baseFilename", None) == str(path.resolve()):
            return
        log.removeHandler(handler)  # another database, another log: follow the latest
        handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        new: logging.Handler = RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        new = logging.NullHandler()  # a read-only home must not stop the app
    new.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(new)
    log.setLevel(logging.INFO)


def report_unexpected(error: BaseException, log_path: Path) -> str:
    """Log the traceback; return the short message for the screen."""
    log.error("unexpected error", exc_info=error)
    # No claim about what was saved: each save is confirmed on its own, when it is made.
    return _("unexpected error: {kind}: {error} (details in {log})").format(
        kind=type(error).__name__, error=error, log=log_path
    )


def log_once(error: BaseException, log_path: Path) -> str:
    """For a command: log the traceback to the file, close it, return the short line."""
    setup_logging(log_path)
    try:
        return report_unexpected(error, log_path)
    finally:
        for handler in list(log.handlers):
            log.removeHandler(handler)
            handler.close()
