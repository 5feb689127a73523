"""Text that comes from a user, a file, a picture or the network, made safe to draw; and
the dates the screens show, written as the language of the run writes them.

A terminal acts on what it is sent: an ESC or a BEL in a lieu's name, a file name or an
address service's answer could clear the screen, retitle the window or worse. Every such
text goes through `plain` before it is drawn, and is never parsed as markup (a name with
`[/]` in it would otherwise break the widget that shows it): widgets get `Content`.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from textual.content import Content

from scout.domain.values import terminal_safe
from scout.i18n import _, current_language, formats


def plain(text: object) -> str:
    """Control and escape characters made visible and harmless (the table calls this for
    every cell: printable text costs one check in C)."""
    return terminal_safe(str(text))


def content(text: object, style: str = "") -> Content:
    """Safe text as Content: drawn as it is, never read as markup."""
    return Content.styled(plain(text), style) if style else Content(plain(text))


def quoted(name: object) -> str:
    """A name in the quotation marks of the language: « Rue Crémieux », “Rue Crémieux”."""
    return _("“{name}”").format(name=name)


@lru_cache(maxsize=4096)
def _day(iso: str, language: str) -> str:
    try:
        return formats.day(date.fromisoformat(iso))
    except ValueError:
        return iso


def day_text(value: date | str | None) -> str:
    """A date (or an ISO date string) as the language writes it: 03/12/2026, 2026-12-03;
    — when there is none. The table draws one per visible row: each is computed once."""
    if not value:
        return "—"
    iso = value if isinstance(value, str) else value.isoformat()
    return _day(iso[:10], current_language())


def moment_text(value: str) -> str:
    """A stored ISO time stamp (a history line, a picture's date) as the language writes
    it, to the minute: « 23/11/2026 09:00 »; the text as it is when it is not one."""
    try:
        return formats.moment(datetime.fromisoformat(value))
    except ValueError:
        return value[:16].replace("T", " ")


def warm_up() -> None:
    """Read the locale's data (Babel) now, in a worker, rather than on the main thread when
    the first dates and counts are drawn."""
    formats.day(date(2000, 1, 1))
    formats.number(0)
