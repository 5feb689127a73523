"""What `scout db` does on the server, with clear messages instead of psycopg's errors."""

from __future__ import annotations

from typing import Any

from scout.errors import DatabaseUnreachable, StoreError
from scout.i18n import _
from scout.store.pg_migrations import SCHEMA_VERSION, schema_version, upgrade
from scout.store.urls import masked


def upgrade_database(url: str) -> tuple[int, int]:
    """Create or upgrade scout's tables; (version before, version after)."""
    import psycopg

    with _connected(url) as conn:
        try:
            found = schema_version(conn) or 0
            conn.rollback()
            if found > SCHEMA_VERSION:
                raise StoreError(
                    _(
                        "the team database at {location} was upgraded by a newer scout "
                        "(layout version {found}, this one knows {needed}): upgrade scout"
                    ).format(location=masked(url), found=found, needed=SCHEMA_VERSION)
                )
            return upgrade(conn)
        except psycopg.errors.InsufficientPrivilege as e:
            raise StoreError(
                _(
                    "your database role may not create tables in {location} ({reason}): "
                    "run `scout db upgrade` as the database's owner. Nothing was changed."
                ).format(location=masked(url), reason=_first_line(e))
            ) from None


def database_status(url: str) -> tuple[int, int, bool]:
    """(layout version, the one this scout needs, whether the role may write)."""
    from scout.store.postgres import PostgresRepository

    with _connected(url) as conn:
        found = schema_version(conn) or 0
        writable = found > 0 and PostgresRepository._can_write(conn)
    return found, SCHEMA_VERSION, writable


def _connected(url: str) -> Any:
    import psycopg

    from scout.store.postgres import CONNECT_TIMEOUT
    from scout.store.urls import checked_url

    try:
        return psycopg.connect(checked_url(url), connect_timeout=CONNECT_TIMEOUT)
    except psycopg.OperationalError as e:
        raise DatabaseUnreachable(
            _("the team database at {location} cannot be reached ({reason})").format(
                location=masked(url), reason=_first_line(e)
            )
        ) from None


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
