"""The keys of the moment, on one line at the bottom of each screen.

Textual's Footer builds a widget per key and rebuilds them whenever focus moves: about
65 ms of the first paint here. This bar draws the same keys as one line of text, redrawn
when the screen's bindings change, and a click on a key runs it.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str]] = []  # (start, end, action) for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        text = Text(no_wrap=True, overflow="ellipsis")
        self._spans = []
        shown: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.action in shown or not active.enabled:
                continue
            shown.add(binding.action)
            start = len(text)
            text.append(f" {self.app.get_key_display(binding)} ", style="bold reverse")
            text.append(f" {binding.description} ")
            self._spans.append((start, len(text), binding.action))
            text.append(" ")
        self.update(text)

    async def on_click(self, event: events.Click) -> None:
        for start, end, action in self._spans:
            if start <= event.x < end:
                await self.screen.run_action(action)
                return
