"""Textual's header, its icon's tooltip in the language of the run."""

from __future__ import annotations

from textual.widgets import Header
from textual.widgets._header import HeaderIcon

from scout.i18n import _


class ScoutHeader(Header):
    def on_mount(self) -> None:
        self.call_after_refresh(self._say_icon)

    def _say_icon(self) -> None:
        for icon in self.query(HeaderIcon):
            if not icon.disabled:
                icon.tooltip = _("Open the command palette")
