"""Who else has a production open, on a team database (PostgreSQL), without a table.

Each open TUI keeps one small connection whose `application_name` says who it is and
which production it shows: "scout-live <production> <user>" (the user percent-encoded:
PostgreSQL keeps printable ASCII only, and 63 bytes at most). Everyone reads the others'
in `pg_stat_activity`: any role, even one that may only read, sees the application_name
and the database of every session, so nothing needs writing and nothing is left behind
when a laptop dies (its session ends with its connection).

The same call reads the change sequence: the heartbeat also tells the live view where it
stands (what to ask `changes_since` after a drop) and whether the server answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import psycopg

from scout.errors import DatabaseUnreachable
from scout.i18n import _

PREFIX = "scout-live"
MAX_NAME = 63  # bytes PostgreSQL keeps of an application_name
# A dropped network is noticed in seconds rather than at the system's TCP timeout.
_LIVELY: dict[str, Any] = {
    "connect_timeout": 3,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 2,
    "tcp_user_timeout": 6000,
}


def presence_name(user: str, production_id: int | None) -> str:
    """The application_name of an open TUI: "scout-live 3 L%C3%A9a"."""
    head = f"{PREFIX} {production_id if production_id is not None else '-'} "
    who = quote(user, safe="")
    room = MAX_NAME - len(head)
    if len(who) > room:  # cut, never in the middle of a %XX
        who = who[:room]
        cut = who.rfind("%", max(0, len(who) - 2))
        if cut != -1:
            who = who[:cut]
    return head + who


def parse_presence(name: str) -> tuple[int | None, str] | None:
    """(production, user) of a presence name; None for any other application_name."""
    parts = name.split(" ", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    production = int(parts[1]) if parts[1].isdigit() else None
    return production, unquote(parts[2], errors="replace")


@dataclass(frozen=True)
class Heartbeat:
    others: tuple[str, ...]  # who else has the production open, by name, sorted
    seq: int  # the change sequence now (see PostgresRepository.version)


class Presence:
    """The presence connection of one open TUI on one team database."""

    def __init__(self, url: str, user: str, location: str) -> None:
        self._url = url
        self.user = user
        self._location = location
        self._conn: psycopg.Connection[Any] | None = None
        self._name = ""

    def beat(self, production_id: int | None) -> Heartbeat:
        """Say we are here (on this production); who else is, and the change number.
        DatabaseUnreachable when the server does not answer (tried again next time)."""
        name = presence_name(self.user, production_id)
        try:
            if self._conn is None or self._conn.closed:
                self._conn = psycopg.connect(
                    self._url, autocommit=True, application_name=name, **_LIVELY
                )
                self._name = name
            conn = self._conn
            if name != self._name:
                conn.execute("SELECT set_config('application_name', %s, false)", (name,))
                self._name = name
            rows = conn.execute(
                "SELECT application_name FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND application_name LIKE %s",
                (PREFIX + " %",),
            ).fetchall()
            top = conn.execute(
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM changes_seq"
            ).fetchone()
        except psycopg.Error as e:
            self.close()
            reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise DatabaseUnreachable(
                _("the team database at {location} cannot be reached ({reason})").format(
                    location=self._location, reason=reason
                )
            ) from None
        others = set()
        for (app_name,) in rows:
            found = parse_presence(app_name or "")
            if found is not None and found[0] == production_id and found[1] != self.user:
                others.add(found[1])
        return Heartbeat(tuple(sorted(others, key=str.casefold)), int(top[0]) if top else 0)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except psycopg.Error:  # already gone with the server
                pass


def presence_of(store: Any) -> Presence | None:
    """The presence of a team store; None for any other (a local file has no one else)."""
    url = getattr(store, "_url", None)
    if not isinstance(url, str) or not hasattr(store, "listen"):
        return None
    return Presence(url, str(getattr(store, "user", "")), str(store.location))
