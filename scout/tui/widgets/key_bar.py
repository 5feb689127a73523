"""The keys of the moment, on one line at the bottom of each screen.

Textual's Footer builds a widget per key and rebuilds them whenever focus moves: about
65 ms of the first paint here. This bar draws the same keys as one line of text, redrawn
when the screen's bindings change or the terminal is resized, and a click on a key runs it.

Which keys, when they do not all fit: F1 (the help, which lists every key) always has its
place at the right end; the others are taken by importance while they fit: first the
screen's KEY_BAR ids in that order, then the rest in the order Textual dispatches them
(the screen's BINDINGS, then the app's). The keys taken are drawn in that dispatch order,
so a key does not move when the terminal widens. Every key left out is in F1 and in the
command palette (Ctrl+P).
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from scout.tui.keys import KeyEntry, active_keys

HELP_ID = "app.help"


def _width(entry: KeyEntry) -> int:
    """ " a " + " Ajouter " """
    return cell_len(entry.first_key) + 2 + cell_len(entry.description) + 2


def choose(entries: list[KeyEntry], first: tuple[str, ...], width: int) -> list[KeyEntry]:
    """The keys that fit in `width` columns, the help's room kept, in dispatch order."""
    shown = [e for e in entries if e.binding.show and e.enabled]
    helps = [e for e in shown if e.id == HELP_ID][:1]
    others = [e for e in shown if e.id != HELP_ID]
    room = width - sum(_width(e) for e in helps)

    def importance(entry: KeyEntry) -> int:
        return first.index(entry.id) if entry.id in first else len(first)

    taken: set[int] = set()
    for entry in sorted(others, key=importance):  # sorted() is stable: dispatch order next
        if _width(entry) <= room:
            taken.add(id(entry))
            room -= _width(entry)
    return [e for e in others if id(e) in taken] + helps


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[KeyEntry] = []
        self._spans: list[tuple[int, int, KeyEntry]] = []  # (start, end, key) for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        self._entries = active_keys(screen)
        self.refresh()

    def on_resize(self) -> None:
        self.refresh()

    @property
    def shown(self) -> list[KeyEntry]:
        """The keys drawn at the current width."""
        return choose(self._entries, getattr(self.screen, "KEY_BAR", ()), self.size.width)

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        self._spans = []
        shown = self.shown
        for entry in shown:
            if entry.id == HELP_ID:  # at the right end
                text.append(" " * max(self.size.width - text.cell_len - _width(entry), 0))
            start = text.cell_len
            text.append(f" {entry.first_key} ", style="bold reverse")
            text.append(f" {entry.description} ")
            self._spans.append((start, text.cell_len, entry))
        return text

    async def on_click(self, event: events.Click) -> None:
        for start, end, entry in self._spans:
            if start <= event.x < end:
                await self.app.run_action(entry.action, entry.node)
                return
