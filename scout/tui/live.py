"""Team mode in the TUI: the others' changes as they happen, who else is here, offline.

Only on a team database (`ws.live.available`). Two daemon threads, neither holding the UI:
one runs `ws.live.listen` (LISTEN/NOTIFY: each change by someone else), one says every few
seconds that we are here and reads who else is (`ws.live.heartbeat`: also how an outage
is noticed when nothing is being saved). Both post their events to the app (post_message
is thread-safe and never waits), which applies them here on the UI thread:

- a lieu changed: its row in place (a deleted one leaves the list; another production's
  is ignored), its fiche says who changed what, a toast when it is under the cursor;
- a permit changed: that lieu's part of the review and the badge (permit_form's merge);
- presence: "· with Léa, Karim" in the header;
- the server gone: "offline" in the header and the status line, a warning once, saves
  refused with the form kept; back: the notice goes, what changed meanwhile is read
  (changes_since) and shown.
"""

from __future__ import annotations

import threading
import time
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.message import Message

from scout.errors import ScoutError
from scout.i18n import _, ngettext
from scout.present.labels import field_label
from scout.services.live import (
    HEARTBEAT_S,
    LiveChange,
    LiveEvent,
    Online,
    Present,
    Resync,
)
from scout.tui.text import plain, quoted

if TYPE_CHECKING:
    from scout.domain.fiche import FicheEntry
    from scout.tui.app import ScoutApp
    from scout.tui.screens.lieux import LieuxScreen


class LiveHeard(Message):
    """An event of the live threads, for the app's own thread."""

    def __init__(self, event: LiveEvent) -> None:
        super().__init__()
        self.event = event


class LiveView:
    """The app's live part: started on mount, stopped on unmount."""

    def __init__(self, app: ScoutApp) -> None:
        self.app = app
        self.others: tuple[str, ...] = ()
        self.offline = False
        self._stop = threading.Event()
        self.ready = threading.Event()  # listening (tests and the benchmark wait on it)
        self._threads: list[threading.Thread] = []

    # -- the threads -----------------------------------------------------------------------
    def start(self) -> None:
        ws = self.app.ws
        if ws.read_only and not ws.locked_by_other:  # the director's, the producer's
            self.app.notify(ws.read_only_reason(), severity="warning", timeout=8)
        if not ws.live.available:
            return
        for target, name in ((self._listen, "scout-live"), (self._beat, "scout-presence")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()

    def _post(self, event: LiveEvent) -> None:
        if not self._stop.is_set():
            self.app.post_message(LiveHeard(event))

    def _listen(self) -> None:
        self.app.ws.live.listen(self._heard, self._stop, self.ready)

    def _heard(self, event: LiveEvent) -> None:
        """On the listening thread: a permit's lieu is read here, not on the UI thread."""
        if isinstance(event, LiveChange) and event.kind == "permit" and event.op != "delete":
            try:
                lieu_id = self.app.ws.permits.get(event.id).lieu_id
            except ScoutError:
                lieu_id = None
            event = LiveChange(**{**event.__dict__, "fields": (str(lieu_id or ""),)})
        self._post(event)

    def _beat(self) -> None:
        while not self._stop.is_set():
            try:
                events = self.app.ws.live.heartbeat()
            except Exception as e:  # noqa: BLE001 - logged; the presence thread goes on
                from scout.logs import report_unexpected

                report_unexpected(e, self.app.settings.log_path)
                events = []
            for event in events:
                self._post(event)
            self._stop.wait(HEARTBEAT_S)

    def went_away(self, reason: str) -> None:
        """A save found the server gone: offline now, not at the next heartbeat."""
        events = self.app.ws.live.went_away(reason)
        if not events and not self.app.ws.live.online:  # known there, not shown here yet
            events = [Online(False, reason)]
        for event in events:
            self.apply(event)

    # -- on the UI thread ----------------------------------------------------------------
    def apply(self, event: LiveEvent) -> None:
        if isinstance(event, Present):
            if event.others != self.others:
                self.others = event.others
                self.app.show_production()
        elif isinstance(event, Online):
            self._online(event)
        elif isinstance(event, Resync):
            self._resync(event)
        elif event.kind == "lieu":
            self._lieu_changed(event)
        elif event.kind == "permit":
            self._permit_changed(event)
        elif event.kind == "production":
            self.app.show_production()  # (renamed: the header follows)

    def title_suffix(self) -> str:
        """What the header adds to the production's name: who else, offline."""
        parts = []
        if self.others:
            parts.append(_("with {names}").format(names=", ".join(self.others)))
        if self.offline:
            parts.append("⚠ " + _("offline"))
        return "".join(f" · {p}" for p in parts)

    def status_text(self) -> str:
        """For the lieux screen's status line ("" when online)."""
        if not self.offline:
            return ""
        return "⚠ " + _("OFFLINE: the team database cannot be reached; saves are refused")

    def _screen(self) -> LieuxScreen | None:
        try:
            return self.app.lieux_screen()
        except LookupError:
            return None

    def _online(self, event: Online) -> None:
        if self.offline == (not event.online):
            return
        self.offline = not event.online
        self.app.show_production()
        screen = self._screen()
        if screen is not None:
            screen._update_status()
        if self.offline:
            self.app.notify(
                _(
                    "The team database cannot be reached: saves are refused until it is "
                    "back, and what you type in a form stays there."
                ),
                title=_("Offline"),
                severity="warning",
                timeout=10,
            )
        else:
            self.app.notify(
                _("The team database is back: the changes made meanwhile are shown."),
                title=_("Online"),
                timeout=5,
            )

    def _resync(self, event: Resync) -> None:
        screen = self._screen()
        if screen is None:
            return
        from scout.tui.widgets.lieu_table import LieuTable

        if event.everything:  # what changed is unknown: every row read again
            screen.load_rows()
            self.app.check_deadlines(announce=False)
            return
        table = screen.query_one(LieuTable)
        for lieu_id in event.deleted:
            table.remove_row(lieu_id)
        for lieu_id in event.lieux:
            self._refresh_row(screen, lieu_id)
        screen._update_status()
        if event.permits or event.deleted:
            self.app.check_deadlines(announce=False)
        self._refresh_fiche(screen, set(event.lieux))

    def _refresh_row(self, screen: LieuxScreen, lieu_id: int) -> None:
        from scout.tui.widgets.lieu_table import LieuTable

        try:
            screen.lieu_saved(lieu_id)
        except ScoutError:  # gone again meanwhile
            screen.query_one(LieuTable).remove_row(lieu_id)

    def _refresh_fiche(self, screen: LieuxScreen, lieu_ids: set[int]) -> None:
        from scout.tui.widgets.lieu_table import LieuTable

        current = screen.query_one(LieuTable).current_id
        if current in lieu_ids:
            screen._detail_key = None
            screen.show_detail(current)

    def _lieu_changed(self, change: LiveChange) -> None:
        screen = self._screen()
        if screen is None:
            return
        from scout.tui.widgets.lieu_table import LieuTable

        table = screen.query_one(LieuTable)
        known = table.get_row(change.id)
        current = table.current_id
        if known is None and not self._of_current_production(change):
            return  # another production's: not in this list
        under_cursor = current == change.id
        if change.op == "delete":
            if known is None:
                return
            table.remove_row(change.id)
            screen._update_status()
            if under_cursor:
                self._toast(
                    _("{who} deleted {name}.").format(who=change.by, name=quoted(known.name))
                )
            return
        self._refresh_row(screen, change.id)
        if current is not None and table.current_id != current:
            table.move_to(current)  # the upsert moves the cursor: the person's stays
        if under_cursor:
            self._refresh_fiche(screen, {change.id})
            row = table.get_row(change.id)
            name = quoted(row.name) if row is not None else str(change.id)
            fields = ", ".join(field_label(f) for f in change.fields)
            self._toast(
                _("{who} changed {name}: {fields}").format(who=change.by, name=name, fields=fields)
                if fields
                else _("{who} changed {name}.").format(who=change.by, name=name)
            )

    def _of_current_production(self, change: LiveChange) -> bool:
        current = self.app.ws.productions.current_id()
        return current is None or change.production_id in (None, current)

    def _permit_changed(self, change: LiveChange) -> None:
        lieu = change.fields[0] if change.fields else ""
        if not lieu.isdigit():  # deleted (its lieu unknown now): the whole review again
            self.app.check_deadlines(announce=False)
            return
        from scout.tui.screens.permit_form import permits_changed

        self.app.run_worker(
            partial(permits_changed, self.app, int(lieu), change.id),
            thread=True,
            group="live-permits",
            exit_on_error=False,
        )

    def _toast(self, text: str) -> None:
        self.app.notify(plain(text), title=_("Team"), timeout=6, markup=False)

    # -- the fiche ------------------------------------------------------------------------
    def fiche_line(self, lieu_id: int | None) -> str:
        """The fiche's line « Changed by Léa just now: Décor », or ""."""
        if lieu_id is None:
            return ""
        change = self.app.ws.live.last_change(lieu_id)
        if change is None:
            return ""
        minutes = int((time.time() - change.at) // 60)
        when = (
            _("just now")
            if minutes < 1
            else ngettext("{n} minute ago", "{n} minutes ago", minutes).format(n=minutes)
        )
        if change.op == "insert":
            return _("Added by {who} {when}").format(who=change.by, when=when)
        fields = ", ".join(field_label(f) for f in change.fields)
        if not fields:
            return _("Changed by {who} {when}").format(who=change.by, when=when)
        return _("Changed by {who} {when}: {fields}").format(
            who=change.by, when=when, fields=fields
        )

    # -- a save the server refused ----------------------------------------------------------
    def save_refused(
        self, screen: LieuxScreen, lieu_id: int | None, entry: FicheEntry, error: Exception
    ) -> None:
        """The server went away during the save: nothing was saved. Say so and open the
        form again with what was typed, so that nothing is lost."""
        from scout.domain import Lieu
        from scout.domain.fiche import apply_fiche
        from scout.tui.screens.lieu_form import LieuForm

        self.went_away(str(error))
        self.app.notify(offline_refusal(), severity="error", timeout=10)
        base: Any = None
        if lieu_id is not None:
            try:
                base = self.app.ws.lieux.get(lieu_id)
            except ScoutError:
                base = None
        if base is None:
            base = Lieu(name=str(entry.values.get("name", "")))
        typed = apply_fiche(base, dict(entry.values), entry.source)
        self.app.push_screen(LieuForm(typed), partial(screen.save_again, lieu_id))


def offline_refusal() -> str:
    """A save refused before it is tried: the live view knows the server is away."""
    return _(
        "The team database cannot be reached: nothing was saved. What you typed stays "
        "here: save again when the server is back."
    )
