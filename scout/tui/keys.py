"""Keys as data: the key bar, the help (F1) and the command palette all read the bindings,
so a key added to a screen's BINDINGS shows in all three without another line of code.

scout's own bindings all carry an id and a tooltip (STYLE.md); Textual's built-in ones
(focus, copy, scroll, the editing keys of an input) carry no id and are left to Textual.
Their description and tooltip are marked `N_()` where they are declared (the language is
chosen after the classes exist) and translated here, where every face reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from scout.i18n import _


@dataclass(frozen=True)
class KeyEntry:
    """One action of a screen with every key bound to it ("F1", "?")."""

    binding: Binding  # the first key's binding: description, tooltip, id, show
    node: DOMNode  # where the action runs: a widget, the screen or the app
    keys: tuple[str, ...]  # as shown to the user
    enabled: bool = True

    @property
    def key(self) -> str:
        return " ".join(self.keys)

    @property
    def first_key(self) -> str:
        return self.keys[0]

    @property
    def action(self) -> str:
        return self.binding.action

    @property
    def description(self) -> str:
        """The action's name in the language of the run."""
        return _(self.binding.description)

    @property
    def tooltip(self) -> str:
        """What the action does, in the language of the run."""
        return _(self.binding.tooltip) if self.binding.tooltip else ""

    @property
    def id(self) -> str:
        return self.binding.id or ""


def is_ours(binding: Binding) -> bool:
    """A scout binding worth telling a person about."""
    return bool(binding.id and binding.description and not binding.system)


def declared_bindings(node: DOMNode) -> list[Binding]:
    """The bindings a node's classes declare, one per key, a subclass's winning (as Textual
    merges them), whatever has the focus."""
    by_key: dict[str, Binding] = {}
    for cls in reversed(type(node).__mro__):
        for binding in Binding.make_bindings(vars(cls).get("BINDINGS", ())):
            by_key[binding.key] = binding
    return list(by_key.values())


def _enabled(node: DOMNode, action: str) -> bool | None:
    """None when the node hides the action (check_action returns False)."""
    state = node.check_action(action.partition("(")[0], ())
    return None if state is False else bool(state)


def group(pairs: Iterable[tuple[DOMNode, Binding, bool]], app: Any) -> list[KeyEntry]:
    """One entry per (node, action), its keys joined, in the order first seen."""
    entries: dict[tuple[int, str], KeyEntry] = {}
    for node, binding, enabled in pairs:
        if not is_ours(binding):
            continue
        shown = app.get_key_display(binding)
        slot = (id(node), binding.action)
        found = entries.get(slot)
        if found is None:
            entries[slot] = KeyEntry(binding, node, (shown,), enabled)
        elif shown not in found.keys:
            entries[slot] = KeyEntry(found.binding, node, (*found.keys, shown), found.enabled)
    return list(entries.values())


def active_keys(screen: Screen[Any]) -> list[KeyEntry]:
    """What the keys do right now on this screen: the focused widget's, the screen's, then
    the app's (a modal screen stops before the app), as Textual dispatches them."""
    return group(
        ((a.node, a.binding, a.enabled) for a in screen.active_bindings.values()), screen.app
    )


def declared_keys(nodes: Iterable[DOMNode], app: Any) -> list[KeyEntry]:
    """Every scout binding of these nodes, whatever has the focus; hidden actions left out."""
    pairs = []
    for node in nodes:
        for binding in declared_bindings(node):
            enabled = _enabled(node, binding.action)
            if enabled is not None:
                pairs.append((node, binding, enabled))
    return group(pairs, app)


def screen_keys(screen: Screen[Any]) -> list[KeyEntry]:
    """For the help: every key of a screen and of the app behind it. The keys of the moment
    first (the list's arrows among them), then those a focused field masks (in the filter
    box, `a` types an a; it still adds a lieu once the list has the focus)."""
    entries = active_keys(screen)
    seen = {(id(e.node), e.action) for e in entries}
    nodes: list[DOMNode] = [screen] if screen.is_modal else [screen, screen.app]
    for entry in declared_keys(nodes, screen.app):
        if (id(entry.node), entry.action) not in seen:
            entries.append(entry)
    return entries
