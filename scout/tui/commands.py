"""The command palette (Ctrl+P): every screen and action, and "Go to location …".

The actions are generated from the bindings (their description, key and tooltip): those of
the screen the palette opens over, those of the lieux screen (run there, after closing the
review or the photo import above it), the app's; plus the few commands that have no key.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen
from textual.widgets.option_list import Option

from scout.i18n import N_, _
from scout.tui.keys import KeyEntry, declared_keys
from scout.tui.screens.base import screen_label
from scout.tui.text import plain

if TYPE_CHECKING:
    from scout.tui.app import ScoutApp

# Commands too rare for a key of their own: (name, help, action of the app); the name and
# the help are marked N_() and translated where shown.
PALETTE_ONLY: tuple[tuple[str, str, str], ...] = (
    (
        N_("Geocode the waiting locations"),
        N_(
            "Place the locations marked ?, saved with an address and no position, once "
            "there is signal"
        ),
        "geocode_pending",
    ),
)


class ScoutPalette(CommandPalette):
    """Textual's palette, saying "no matches" in the language of the run."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # As CommandPalette's own (Textual 8.2.8, pinned), with the words translated.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("No matches found"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Callable[[], Awaitable[Any]]


def _help(entry: KeyEntry) -> str:
    return f"{entry.key} — {entry.tooltip}" if entry.tooltip else entry.key


class ScoutCommands(Provider):
    @property
    def scout(self) -> ScoutApp:
        return cast("ScoutApp", self.app)

    def commands(self) -> list[Command]:
        """Every action reachable from the screen the palette was opened over."""
        app = self.scout
        here: Screen[Any] = self.screen
        out: list[Command] = []
        seen: set[str] = set()

        def add(entries: list[KeyEntry], label: str, run: Callable[[str], Awaitable[Any]]) -> None:
            for entry in entries:
                if entry.action == "command_palette" or entry.id in seen:
                    continue
                seen.add(entry.id)
                name = (
                    _("{screen}: {action}").format(screen=label, action=entry.description)
                    if label
                    else entry.description
                )
                out.append(Command(name, _help(entry), partial(run, entry.action)))

        add(
            declared_keys([here], app),
            screen_label(here),
            partial(app.run_action, default_namespace=here),
        )
        lieux = app.lieux_screen()
        if not here.is_modal and here is not lieux:  # never behind an open form's back
            add(declared_keys([lieux], app), screen_label(lieux), app.run_on_lieux)
        add(declared_keys([app], app), "", partial(app.run_action, default_namespace=app))
        for name, help_text, action in PALETTE_ONLY:
            out.append(Command(_(name), _(help_text), partial(app.run_action, action, app)))
        return out

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)
        if self.screen.is_modal:
            return
        # "Go to location …": every lieu by name and décor (the user's words: drawn as text).
        go_to = _("Go to location: {name} — {decor}")
        for row in self.scout.ws.lieux.rows():
            text = plain(go_to.format(name=row.name, decor=row.decor))
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    Content(text) if "[" in text else matcher.highlight(text),
                    partial(self.scout.show_lieu, row.id),
                    help=_("location {id}").format(id=row.id),
                )
