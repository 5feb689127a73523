"""Text that comes from a user, a file, a picture or the network, made safe to draw.

A terminal acts on what it is sent: an ESC or a BEL in a lieu's name, a file name or an
address service's answer could clear the screen, retitle the window or worse. Every such
text goes through `plain` before it is drawn, and is never parsed as markup (a name with
`[/]` in it would otherwise break the widget that shows it): widgets get `Content`.
"""

from __future__ import annotations

from textual.content import Content

from scout.domain.values import terminal_safe


def plain(text: object) -> str:
    """Control and escape characters made visible and harmless (the table calls this for
    every cell: printable text costs one check in C)."""
    return terminal_safe(str(text))


def content(text: object, style: str = "") -> Content:
    """Safe text as Content: drawn as it is, never read as markup."""
    return Content.styled(plain(text), style) if style else Content(plain(text))
