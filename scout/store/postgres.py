"""The team store: the same Repository on a PostgreSQL server (psycopg 3, a pool).

Each record is one JSONB document written by scout.store.documents (the same dict the
TinyDB file keeps) beside the real columns the queries need (id, production_id, lieu_id,
version, updated_by, seq). Every statement is parametrised. Every save is one transaction:
it happens whole or not at all. Lieux and permits carry a version; a save read at an older
version is merged field by field or refused (scout.store.versioning).

Credentials are libpq's (PGPASSWORD, ~/.pgpass, service files, sslmode=… in the URL):
scout never writes a password anywhere and masks it in messages (`location`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from typing import Any

import orjson
import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool, PoolTimeout

from scout.domain import Lieu, Photo, Production
from scout.domain.bin import Binned
from scout.domain.facts import LieuFacts, PermitFacts
from scout.domain.permit import Permit
from scout.domain.tournage import Tournage
from scout.errors import (
    DatabaseUnreachable,
    NotFound,
    ReadOnlyDatabase,
    StoreError,
    ValidationError,
)
from scout.i18n import _
from scout.store.documents import (
    binned_from_dict,
    lieu_facts,
    lieu_from_dict,
    lieu_row,
    lieu_to_dict,
    permit_facts,
    permit_from_dict,
    permit_to_dict,
    photo_from_dict,
    photo_to_dict,
    production_from_dict,
    production_to_dict,
    saved_id,
    search_text,
    tournage_from_dict,
    tournage_to_dict,
)
from scout.store.pg_migrations import SCHEMA_VERSION, schema_version
from scout.store.repository import LieuRow, TournageSave
from scout.store.urls import masked
from scout.store.versioning import KEEP_VERSIONS, LIEU, PERMIT, Version, next_document

# What the list's lines and the search never read: left on the server when 20,000 lieux
# are read at once (tests/test_pg_store.py checks that lieu_row and search_text agree).
ROW_SKIPS = (
    "history", "notes", "contacts", "logistics", "needs", "sequences", "created_at",
    "updated_at", "cost",
)  # fmt: skip
SEARCH_SKIPS = ("history", "needs", "shoot_days", "created_at", "updated_at", "position")

CONNECT_TIMEOUT = 5  # seconds to reach the server when opening
WAIT_TIMEOUT = 3.0  # seconds a save waits for a working connection before it gives up


class PostgresRepository:
    """Lieux, permits, photos and productions of a team, on a PostgreSQL server."""

    locked_by_other = False  # a server has no file lock: everyone writes
    migrated_from: int | None = None

    def __init__(
        self,
        url: str,
        *,
        read_only: bool = False,
        user: str | None = None,
        pool_size: int = 4,
        wait_timeout: float = WAIT_TIMEOUT,
    ) -> None:
        if user is None:
            from scout.settings import current_user

            user = current_user()
        self.user = user
        self.location = masked(url)
        self._url = url
        self._wait = wait_timeout
        self._local = threading.local()
        self._notices: list[str] = []
        try:
            with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT) as conn:
                self._check_schema(conn)
                can_write = self._can_write(conn)
        except psycopg.OperationalError as e:
            raise self._unreachable(e, writing=False) from None
        except psycopg.Error as e:
            raise StoreError(
                _("cannot use the team database at {location}: {reason}").format(
                    location=self.location, reason=_first_line(e)
                )
            ) from None
        if not can_write and not read_only:
            self._notices.append(
                _("your database role can only read {location}: opened read-only").format(
                    location=self.location
                )
            )
        self.read_only = read_only or not can_write
        self.role_reads_only = not can_write  # (Workspace.read_only_reason)
        self._pool_size = max(1, pool_size)
        self._pool_lock = threading.Lock()
        self._suspect = False  # the server did not answer the last time
        # The server processes of this store's connections: a live view leaves out the
        # changes they announce (its own), see `listen(others_only=True)`.
        self.backend_pids: set[int] = set()
        self._pool = self._new_pool()

    def _new_pool(self) -> ConnectionPool:
        pool: ConnectionPool = ConnectionPool(
            self._url,
            min_size=1,
            max_size=self._pool_size,
            open=False,
            timeout=self._wait,
            check=ConnectionPool.check_connection,
            kwargs={"connect_timeout": CONNECT_TIMEOUT, "application_name": "scout"},
            configure=self._remember_pid,
            name="scout",
        )
        pool.open(wait=False)
        return pool

    def _remember_pid(self, conn: psycopg.Connection[Any]) -> None:
        self.backend_pids.add(conn.info.backend_pid)

    # -- opening -------------------------------------------------------------------------
    def _check_schema(self, conn: psycopg.Connection[Any]) -> None:
        found = schema_version(conn)
        if found is None:
            raise StoreError(
                _(
                    "the database at {location} has no scout tables yet: run "
                    "`scout --db URL db upgrade` once (with a role that may create tables)"
                ).format(location=self.location)
            )
        if found < SCHEMA_VERSION:
            raise StoreError(
                _(
                    "the team database at {location} has an older layout (version {found}, "
                    "this scout needs {needed}): run `scout db upgrade`"
                ).format(location=self.location, found=found, needed=SCHEMA_VERSION)
            )
        if found > SCHEMA_VERSION:
            raise StoreError(
                _(
                    "the team database at {location} was upgraded by a newer scout (layout "
                    "version {found}, this one knows {needed}): upgrade scout"
                ).format(location=self.location, found=found, needed=SCHEMA_VERSION)
            )
        conn.rollback()

    @staticmethod
    def _can_write(conn: psycopg.Connection[Any]) -> bool:
        row = conn.execute(
            "SELECT has_table_privilege('lieux', 'INSERT')"
            " AND has_table_privilege('lieux', 'UPDATE')"
            " AND has_table_privilege('versions', 'INSERT')"
        ).fetchone()
        conn.rollback()
        return bool(row and row[0])

    # -- connections and errors ------------------------------------------------------------
    def _unreachable(self, error: BaseException, *, writing: bool) -> DatabaseUnreachable:
        if writing:
            text = _(
                "the team database at {location} cannot be reached: nothing was saved "
                "({reason}). Try again when the server is back."
            )
        else:
            text = _("the team database at {location} cannot be reached ({reason})")
        return DatabaseUnreachable(text.format(location=self.location, reason=_first_line(error)))

    @contextmanager
    def _conn(self, *, write: bool) -> Iterator[psycopg.Connection[Any]]:
        """The connection of the current transaction, or one from the pool for one
        statement group (committed at the end, rolled back on any error)."""
        if write and self.read_only:
            raise ReadOnlyDatabase(
                _("{location} is open read-only: nothing was saved").format(location=self.location)
            )
        current = getattr(self._local, "conn", None)
        if current is not None:
            yield current
            return
        try:
            with self._pool_connection() as conn:
                yield conn
        except (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout) as e:
            raise self._unreachable(e, writing=write) from None
        except psycopg.errors.InsufficientPrivilege as e:
            raise ReadOnlyDatabase(
                _(
                    "your database role may not change {location}: nothing was saved ({reason})"
                ).format(location=self.location, reason=_first_line(e))
            ) from None

    @contextmanager
    def _pool_connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A working connection from the pool, committed when the block ends well and
        rolled back otherwise. When the pool has none (the server was down: the pool then
        waits longer and longer between its attempts), ask the server directly: if it
        answers, start a new pool rather than wait for the old one; if not, the error
        says libpq's reason."""
        pool = self._pool
        try:
            if self._suspect:  # it was away last time: ask it before waiting on the pool
                raise PoolTimeout("the server was away")
            conn = pool.getconn(timeout=self._wait)
        except PoolTimeout:
            try:
                with psycopg.connect(self._url, connect_timeout=CONNECT_TIMEOUT):
                    pass
            except psycopg.OperationalError:
                self._suspect = True  # the next call fails at once, with the reason
                raise
            self._suspect = False
            with self._pool_lock:
                if self._pool is pool:
                    self._pool = self._new_pool()
                    threading.Thread(target=pool.close, kwargs={"timeout": 0}, daemon=True).start()
                pool = self._pool
            conn = pool.getconn(timeout=self._wait)
        ok = False
        try:
            yield conn
            ok = True
        finally:
            try:
                if ok:
                    conn.commit()
                else:
                    with suppress(psycopg.Error):
                        conn.rollback()
            finally:
                pool.putconn(conn)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is saved in one transaction, or not at all."""
        if getattr(self._local, "conn", None) is not None:
            yield  # nested: part of the outer one
            return
        with self._conn(write=True) as conn:
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._conn(write=False) as conn:
            return conn.execute(sql, params).fetchall()

    # -- lieux ------------------------------------------------------------------------------
    def add_lieu(self, lieu: Lieu) -> Lieu:
        doc = _storable(lieu_to_dict(replace(lieu, version=0)))
        doc = _stamped(doc, self.user)
        with self._conn(write=True) as conn:
            lieu_id = self._insert_first(conn, LIEU, lieu.production_id, doc)
        return lieu_from_dict(doc, lieu_id)

    def get_lieu(self, lieu_id: int) -> Lieu:
        return lieu_from_dict(self._raw_lieu(lieu_id), lieu_id)

    def update_lieu(self, lieu: Lieu) -> Lieu:
        lieu_id = saved_id(lieu)
        doc = self._update_one(LIEU, lieu_id, _storable(lieu_to_dict(lieu)), lieu.version)
        return lieu_from_dict(doc, lieu_id)

    def _insert_first(
        self, conn: psycopg.Connection[Any], kind: str, owner: Any, doc: dict[str, Any]
    ) -> int:
        """A new lieu or permit row at version 0 with its kept version: the one INSERT
        both adds write, so they stay alike."""
        table, owner_column = _VERSIONED[kind]
        row = conn.execute(
            f"INSERT INTO {table} ({owner_column}, version, updated_by, doc)"  # noqa: S608
            " VALUES (%s, 0, %s, %s) RETURNING id",
            (owner, self.user, Jsonb(doc)),
        ).fetchone()
        assert row is not None
        self._keep_version(conn, kind, row[0], 0, doc)
        return int(row[0])

    def _update_one(
        self, kind: str, record_id: int, mine: dict[str, Any], read: int
    ) -> dict[str, Any]:
        """`update_lieu` / `update_permit`: merged against what was read (or refused),
        then written as `_update_many` writes each record."""
        table, owner = _VERSIONED[kind]
        with self._conn(write=True) as conn:
            doc = self._save_version(conn, kind, table, record_id, mine, read)
            conn.execute(
                _update_sql(kind), _saved(kind, record_id, doc, self.user, owner=doc.get(owner))
            )
        return doc

    def update_lieux(self, lieux: Sequence[Lieu]) -> list[Lieu]:
        """`update_lieu` of each (each once), in one transaction and a few round trips:
        all or nothing (an EditConflict or NotFound on one saves none)."""
        items = [(saved_id(x), _storable(lieu_to_dict(x)), x.version) for x in lieux]
        docs = self._update_many(LIEU, "lieux", items)
        return [lieu_from_dict(doc, i) for (i, _d, _v), doc in zip(items, docs, strict=True)]

    def _update_many(
        self, kind: str, table: str, items: Sequence[tuple[int, dict[str, Any], int]]
    ) -> list[dict[str, Any]]:
        """The saves of several records as `_save_version` does each: their rows locked
        and read at once, every document worked out (merged, or refused before anything
        is written), then written in one pipelined batch with their kept versions."""
        if not items:
            return []
        ids = [record_id for record_id, _mine, _read in items]
        if len(set(ids)) != len(ids):
            raise ValueError("each record once per update_lieux / update_permits")
        with self.transaction(), self._conn(write=True) as conn:
            stored = {
                i: (v, doc)
                for i, v, doc in conn.execute(
                    f"SELECT id, version, doc FROM {table} WHERE id = ANY(%s)"  # noqa: S608
                    " ORDER BY id FOR UPDATE",
                    (ids,),
                )
            }
            stale = [i for i, _mine, read in items if i in stored and stored[i][0] != read]
            kept: dict[int, list[Version]] = {}
            if stale:
                for record_id, number, by, doc in conn.execute(
                    "SELECT record_id, version, saved_by, doc FROM versions"
                    " WHERE kind = %s AND record_id = ANY(%s) ORDER BY record_id, version",
                    (kind, stale),
                ):
                    kept.setdefault(record_id, []).append(Version(number, by, doc))
            docs: list[dict[str, Any]] = []
            for record_id, mine, read in items:
                if record_id not in stored:
                    raise self._missing(kind, record_id)
                stored_version, theirs = stored[record_id]
                versions = [v for v in kept.get(record_id, []) if v.number >= read]
                docs.append(
                    next_document(
                        kind, record_id, mine, read, theirs, stored_version, versions, self.user
                    )
                )
            old = [
                (kind, i, doc["version"] - KEEP_VERSIONS)
                for i, doc in zip(ids, docs, strict=True)
                if doc["version"] >= KEEP_VERSIONS
            ]
            owner = _VERSIONED[kind][1]
            with conn.cursor() as cur:
                if old:
                    cur.executemany(
                        "DELETE FROM versions WHERE kind = %s AND record_id = %s AND version <= %s",
                        old,
                    )
                cur.executemany(
                    _update_sql(kind),
                    [
                        _saved(kind, i, doc, self.user, owner=doc.get(owner))
                        for i, doc in zip(ids, docs, strict=True)
                    ],
                )
        return docs

    def _save_version(
        self,
        conn: psycopg.Connection[Any],
        kind: str,
        table: str,
        record_id: int,
        mine: dict[str, Any],
        read_version: int,
    ) -> dict[str, Any]:
        """The document to store (merged if need be), its version kept; the row is locked
        until the transaction ends, so two saves of one record take turns."""
        row = conn.execute(
            f"SELECT version, doc FROM {table} WHERE id = %s FOR UPDATE",  # noqa: S608
            (record_id,),
        ).fetchone()
        if row is None:
            raise self._missing(kind, record_id)
        stored_version, theirs = row
        versions: list[Version] = []
        if read_version != stored_version:
            versions = [
                Version(number, by, doc)
                for number, by, doc in conn.execute(
                    "SELECT version, saved_by, doc FROM versions"
                    " WHERE kind = %s AND record_id = %s AND version >= %s ORDER BY version",
                    (kind, record_id, read_version),
                )
            ]
        doc = next_document(
            kind, record_id, mine, read_version, theirs, stored_version, versions, self.user
        )
        if doc["version"] >= KEEP_VERSIONS:  # the oldest kept version goes
            conn.execute(
                "DELETE FROM versions WHERE kind = %s AND record_id = %s AND version <= %s",
                (kind, record_id, doc["version"] - KEEP_VERSIONS),
            )
        return doc  # the caller keeps it as a version, in the same statement as the save

    def _keep_version(
        self,
        conn: psycopg.Connection[Any],
        kind: str,
        record_id: int,
        version: int,
        doc: dict[str, Any],
    ) -> None:
        conn.execute(
            "INSERT INTO versions (kind, record_id, version, saved_by, doc)"
            " VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (kind, record_id, version) DO UPDATE"
            " SET doc = EXCLUDED.doc, saved_by = EXCLUDED.saved_by, saved_at = now()",
            (kind, record_id, version, self.user, Jsonb(doc)),
        )

    def history_of(self, kind: str, record_id: int) -> list[tuple[int, str, dict[str, Any]]]:
        """The kept versions of a lieu ("lieu") or a permit ("permit"), oldest first:
        (version, who saved it, document)."""
        return [
            (int(n), str(by), doc)
            for n, by, doc in self._read(
                "SELECT version, saved_by, doc FROM versions"
                " WHERE kind = %s AND record_id = %s ORDER BY version",
                (kind, record_id),
            )
        ]

    def delete_lieu(self, lieu_id: int) -> None:
        """The lieu and its permits, together; its pictures stay, without a lieu."""
        with self.transaction(), self._conn(write=True) as conn:
            self._delete_lieu(conn, lieu_id)

    def _delete_lieu(self, conn: psycopg.Connection[Any], lieu_id: int) -> None:
        gone = conn.execute("DELETE FROM lieux WHERE id = %s RETURNING id", (lieu_id,)).fetchone()
        if gone is None:
            raise self._missing(LIEU, lieu_id)
        permits = conn.execute(
            "DELETE FROM permits WHERE lieu_id = %s RETURNING id", (lieu_id,)
        ).fetchall()
        conn.execute(
            "UPDATE photos SET lieu_id = NULL, doc = doc - 'lieu_id' WHERE lieu_id = %s",
            (lieu_id,),
        )
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO deletions (kind, record_id, deleted_by) VALUES (%s, %s, %s)",
                [(LIEU, lieu_id, self.user)] + [(PERMIT, p, self.user) for (p,) in permits],
            )

    def bin_lieu(self, lieu_id: int, at: str) -> Binned:
        """Move the lieu, its permits and its pictures' links to the bin, together."""
        with self.transaction(), self._conn(write=True) as conn:
            row = conn.execute(
                "SELECT doc FROM lieux WHERE id = %s FOR UPDATE", (lieu_id,)
            ).fetchone()
            if row is None:
                raise self._missing(LIEU, lieu_id)
            permits = {
                str(pid): doc
                for pid, doc in conn.execute(
                    "SELECT id, doc FROM permits WHERE lieu_id = %s ORDER BY id", (lieu_id,)
                )
            }
            photos = [
                pid
                for (pid,) in conn.execute(
                    "SELECT id FROM photos WHERE lieu_id = %s ORDER BY id", (lieu_id,)
                )
            ]
            entry = {
                "lieu_id": lieu_id,
                "lieu": row[0],
                "permits": permits,
                "photos": photos,
                "deleted_at": at,
            }
            conn.execute("INSERT INTO bin (lieu_id, doc) VALUES (%s, %s)", (lieu_id, Jsonb(entry)))
            self._delete_lieu(conn, lieu_id)
        return binned_from_dict(entry)

    def binned(self) -> list[Binned]:
        """The bin, latest deletion last."""
        return [binned_from_dict(doc) for (doc,) in self._read("SELECT doc FROM bin ORDER BY id")]

    def restore_lieu(self, lieu_id: int) -> Lieu:
        """Bring a lieu back whole, under its own id, from its latest deletion."""
        with self.transaction(), self._conn(write=True) as conn:
            row = conn.execute(
                "SELECT id, doc FROM bin WHERE lieu_id = %s ORDER BY id DESC LIMIT 1 FOR UPDATE",
                (lieu_id,),
            ).fetchone()
            if row is None:
                raise NotFound(
                    _("location {id} is not in the bin (see `scout bin`)").format(id=lieu_id)
                )
            key, entry = row
            lieu = entry["lieu"]
            conn.execute(
                "INSERT INTO lieux (id, production_id, version, updated_by, doc)"
                " VALUES (%s, %s, %s, %s, %s)",
                (
                    lieu_id,
                    lieu.get("production_id"),
                    lieu.get("version", 0),
                    self.user,
                    Jsonb(lieu),
                ),
            )
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO permits (id, lieu_id, version, updated_by, doc)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    [
                        (int(pid), lieu_id, doc.get("version", 0), self.user, Jsonb(doc))
                        for pid, doc in entry["permits"].items()
                    ],
                )
            if entry["photos"]:
                conn.execute(
                    "UPDATE photos SET lieu_id = %s, doc = doc || jsonb_build_object("
                    "'lieu_id', %s::bigint) WHERE id = ANY(%s) AND lieu_id IS NULL",
                    (lieu_id, lieu_id, list(entry["photos"])),
                )
            conn.execute("DELETE FROM bin WHERE id = %s", (key,))
        return self.get_lieu(lieu_id)

    def query_lieux(self, where: Callable[[Lieu], bool] | None = None) -> list[Lieu]:
        lieux = [lieu_from_dict(doc, i) for i, doc in self._lieu_docs()]
        return [lieu for lieu in lieux if where(lieu)] if where else lieux

    def count_lieux(self) -> int:
        return int(self._read("SELECT count(*) FROM lieux")[0][0])

    def lieu_rows(self, today_iso: str) -> list[LieuRow]:
        return [lieu_row(i, doc, today_iso) for i, doc in self._lieu_docs(ROW_SKIPS)]

    def lieu_row(self, lieu_id: int, today_iso: str) -> LieuRow:
        return lieu_row(lieu_id, self._raw_lieu(lieu_id), today_iso)

    def first_lieu_rows(self, n: int, today_iso: str, production_id: int | None) -> list[LieuRow]:
        """None here: it would read every lieu from the server (on the UI thread, before
        the first frame); the list's rows all come from `lieu_rows`, in a worker."""
        return []

    def search_texts(self) -> dict[int, str]:
        return {i: search_text(doc) for i, doc in self._lieu_docs(SEARCH_SKIPS)}

    def search_text(self, lieu_id: int) -> str:
        return search_text(self._raw_lieu(lieu_id))

    def _lieu_docs(self, skips: tuple[str, ...] = ()) -> list[tuple[int, dict[str, Any]]]:
        """Every lieu's document (without the keys `skips` names, left on the server),
        oldest first. Read as text and parsed with orjson: twice as fast as psycopg's
        json for the 20,000 lines of a list."""
        rows = self._read(
            "SELECT id, (doc - %s::text[])::text FROM lieux ORDER BY id", (list(skips),)
        )
        loads = orjson.loads
        return [(i, loads(text)) for i, text in rows]

    def _raw_lieu(self, lieu_id: int) -> dict[str, Any]:
        rows = self._read("SELECT doc FROM lieux WHERE id = %s", (lieu_id,))
        if not rows:
            raise self._missing(LIEU, lieu_id)
        doc: dict[str, Any] = rows[0][0]
        return doc

    # -- productions ------------------------------------------------------------------------
    def add_production(self, production: Production) -> Production:
        doc = _storable(production_to_dict(production))
        with self._conn(write=True) as conn:
            row = conn.execute(
                "INSERT INTO productions (doc) VALUES (%s) RETURNING id", (Jsonb(doc),)
            ).fetchone()
            conn.execute("SELECT nextval('changes_seq')")
        assert row is not None
        return replace(production, id=row[0])

    def get_production(self, production_id: int) -> Production:
        rows = self._read("SELECT doc FROM productions WHERE id = %s", (production_id,))
        if not rows:
            raise NotFound(_("no production with id {id}").format(id=production_id))
        return production_from_dict(rows[0][0], production_id)

    def list_productions(self) -> list[Production]:
        return [
            production_from_dict(doc, i)
            for i, doc in self._read("SELECT id, doc FROM productions ORDER BY id")
        ]

    def update_production(self, production: Production) -> Production:
        doc = _storable(production_to_dict(production))
        with self._conn(write=True) as conn:
            found = conn.execute(
                "UPDATE productions SET doc = %s WHERE id = %s RETURNING id",
                (Jsonb(doc), production.id),
            ).fetchone()
            if found is None:
                raise NotFound(_("no production with id {id}").format(id=production.id))
            conn.execute("SELECT nextval('changes_seq')")
        return production

    def lieu_counts(self) -> dict[int | None, int]:
        """How many lieux each production holds (None: of no production)."""
        return {
            pid: int(n)
            for pid, n in self._read("SELECT production_id, count(*) FROM lieux GROUP BY 1")
        }

    # -- permits ----------------------------------------------------------------------------
    def add_permit(self, permit: Permit) -> Permit:
        doc = _stamped(_storable(permit_to_dict(replace(permit, version=0))), self.user)
        with self._conn(write=True) as conn:
            if (
                conn.execute("SELECT 1 FROM lieux WHERE id = %s", (permit.lieu_id,)).fetchone()
                is None
            ):
                raise self._missing(LIEU, permit.lieu_id)
            permit_id = self._insert_first(conn, PERMIT, permit.lieu_id, doc)
        return permit_from_dict(doc, permit_id)

    def get_permit(self, permit_id: int) -> Permit:
        rows = self._read("SELECT doc FROM permits WHERE id = %s", (permit_id,))
        if not rows:
            raise self._missing(PERMIT, permit_id)
        return permit_from_dict(rows[0][0], permit_id)

    def update_permit(self, permit: Permit) -> Permit:
        permit_id = saved_id(permit)
        doc = self._update_one(PERMIT, permit_id, _storable(permit_to_dict(permit)), permit.version)
        return permit_from_dict(doc, permit_id)

    def update_permits(self, permits: Sequence[Permit]) -> list[Permit]:
        """`update_permit` of each (each once), in one transaction and a few round
        trips: all or nothing."""
        items = [(saved_id(p), _storable(permit_to_dict(p)), p.version) for p in permits]
        docs = self._update_many(PERMIT, "permits", items)
        return [permit_from_dict(doc, i) for (i, _d, _v), doc in zip(items, docs, strict=True)]

    def delete_permit(self, permit_id: int) -> None:
        with self._conn(write=True) as conn:
            gone = conn.execute(
                "DELETE FROM permits WHERE id = %s RETURNING id", (permit_id,)
            ).fetchone()
            if gone is None:
                raise self._missing(PERMIT, permit_id)
            conn.execute(
                "INSERT INTO deletions (kind, record_id, deleted_by) VALUES (%s, %s, %s)",
                (PERMIT, permit_id, self.user),
            )

    def permits(self, lieu_id: int | None = None) -> list[Permit]:
        return [permit_from_dict(doc, i) for i, doc in self._permit_docs(lieu_id)]

    def permit_facts(self, lieu_id: int | None = None) -> list[PermitFacts]:
        return [permit_facts(i, doc) for i, doc in self._permit_docs(lieu_id)]

    def _permit_docs(self, lieu_id: int | None) -> list[tuple[int, dict[str, Any]]]:
        if lieu_id is None:
            return self._read("SELECT id, doc FROM permits ORDER BY id")
        return self._read("SELECT id, doc FROM permits WHERE lieu_id = %s ORDER BY id", (lieu_id,))

    def lieu_facts(self, caps: dict[str, int], lieu_id: int | None = None) -> dict[int, LieuFacts]:
        if lieu_id is not None:
            rows = self._read("SELECT doc FROM lieux WHERE id = %s", (lieu_id,))
            return {lieu_id: lieu_facts(lieu_id, rows[0][0], caps)} if rows else {}
        return {i: lieu_facts(i, doc, caps) for i, doc in self._lieu_docs()}

    # -- photos -----------------------------------------------------------------------------
    def add_photo(self, photo: Photo) -> Photo:
        doc = _storable(photo_to_dict(photo))
        with self._conn(write=True) as conn:
            row = conn.execute(
                "INSERT INTO photos (lieu_id, doc) VALUES (%s, %s) RETURNING id",
                (photo.lieu_id, Jsonb(doc)),
            ).fetchone()
            conn.execute("SELECT nextval('changes_seq')")
        assert row is not None
        return replace(photo, id=row[0])

    def update_photo(self, photo: Photo) -> Photo:
        doc = _storable(photo_to_dict(photo))
        with self._conn(write=True) as conn:
            found = conn.execute(
                "UPDATE photos SET lieu_id = %s, doc = %s WHERE id = %s RETURNING id",
                (photo.lieu_id, Jsonb(doc), photo.id),
            ).fetchone()
            if found is None:
                raise NotFound(_("no picture with id {id}").format(id=photo.id))
            conn.execute("SELECT nextval('changes_seq')")
        return photo

    def photos(self, lieu_id: int | None = None, *, unassigned: bool = False) -> list[Photo]:
        if unassigned:
            rows = self._read("SELECT id, doc FROM photos WHERE lieu_id IS NULL ORDER BY id")
        elif lieu_id is None:
            rows = self._read("SELECT id, doc FROM photos ORDER BY id")
        else:
            rows = self._read(
                "SELECT id, doc FROM photos WHERE lieu_id = %s ORDER BY id", (lieu_id,)
            )
        return [photo_from_dict(doc, i) for i, doc in rows]

    # -- the City's past shoots ---------------------------------------------------------------
    def tournages(self) -> list[Tournage]:
        return [
            tournage_from_dict(doc, i)
            for i, doc in self._read("SELECT id, doc FROM tournages ORDER BY id")
        ]

    def count_tournages(self) -> int:
        return int(self._read("SELECT count(*) FROM tournages")[0][0])

    def save_tournages(self, items: Sequence[Tournage]) -> TournageSave:
        """Add the new ones and update the known ones (matched on the City's source id),
        in one transaction: a re-import never duplicates a shoot."""
        with self.transaction(), self._conn(write=True) as conn:
            known = {
                source: (i, doc)
                for i, source, doc in conn.execute("SELECT id, source_id, doc FROM tournages")
            }
            new: list[tuple[str, Jsonb]] = []
            changed: list[tuple[Jsonb, int]] = []
            unchanged = 0
            for item in items:
                doc = _storable(tournage_to_dict(item))
                found = known.get(item.source_id)
                if found is None:
                    new.append((item.source_id, Jsonb(doc)))
                    known[item.source_id] = (-1, doc)
                elif found[1] == doc:
                    unchanged += 1
                else:
                    changed.append((Jsonb(doc), found[0]))
            with conn.cursor() as cur:
                if new:
                    cur.executemany("INSERT INTO tournages (source_id, doc) VALUES (%s, %s)", new)
                if changed:
                    cur.executemany("UPDATE tournages SET doc = %s WHERE id = %s", changed)
            if new or changed:
                conn.execute("SELECT nextval('changes_seq')")
        return TournageSave(len(new), len(changed), unchanged)

    # -- the rest -----------------------------------------------------------------------------
    @property
    def version(self) -> int:
        """Changes with every saved change, by anyone (the change sequence)."""
        row = self._read("SELECT last_value, is_called FROM changes_seq")[0]
        return int(row[0]) if row[1] else 0

    @property
    def notices(self) -> list[str]:
        out, self._notices = self._notices, []
        return out

    def changes_since(self, seq: int) -> tuple[int, list[int], list[int], list[int]]:
        """What changed after the change number `seq` (see `version`), for a live view:
        (the latest number, lieux changed or added, permits changed or added, lieux
        deleted)."""
        with self._conn(write=False) as conn:
            top = conn.execute(
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM changes_seq"
            ).fetchone()
            lieux = [i for (i,) in conn.execute("SELECT id FROM lieux WHERE seq > %s", (seq,))]
            permits = [i for (i,) in conn.execute("SELECT id FROM permits WHERE seq > %s", (seq,))]
            deleted = [
                i
                for (i,) in conn.execute(
                    "SELECT record_id FROM deletions WHERE seq > %s AND kind = %s", (seq, LIEU)
                )
            ]
        return (int(top[0]) if top else seq), lieux, permits, deleted

    def listen(
        self,
        on_change: Callable[[dict[str, Any]], None],
        stop: threading.Event,
        *,
        ready: threading.Event | None = None,
        others_only: bool = False,
    ) -> None:
        """Call `on_change` with each change others (and this process) commit, until `stop`
        is set: {"table": "lieux", "op": "update", "id": 12, "version": 3, "by": "ana",
        "production_id": 1}. Blocks: run it in a worker thread. A dropped connection is
        opened again (every second) and `{"table": "", "op": "reconnected"}` is sent then,
        as changes may have been missed meanwhile (read them with `changes_since`);
        `{"table": "", "op": "disconnected"}` when it drops (or cannot connect at first).
        `others_only`: not the changes this store's own connections committed (a live
        view has shown them already). `ready` is set once the first LISTEN is in place."""
        missed = False
        while not stop.is_set():
            try:
                with psycopg.connect(
                    self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT
                ) as conn:
                    conn.execute("LISTEN scout_changes")
                    if ready is not None:
                        ready.set()
                    if missed:
                        missed = False
                        on_change({"table": "", "op": "reconnected"})
                    while not stop.is_set():
                        for note in conn.notifies(timeout=0.2):
                            if others_only and note.pid in self.backend_pids:
                                continue
                            try:
                                on_change(orjson.loads(note.payload))
                            except orjson.JSONDecodeError:
                                continue
            except psycopg.Error:
                if not missed:  # once, until it is back: a live view says it is offline
                    on_change({"table": "", "op": "disconnected"})
                missed = True
                stop.wait(1.0)

    def close(self) -> None:
        self._pool.close()

    def _missing(self, kind: str, record_id: int) -> NotFound:
        if kind == PERMIT:
            return NotFound(_("no permit with id {id}").format(id=record_id))
        return NotFound(_("no location with id {id}").format(id=record_id))

    def __enter__(self) -> PostgresRepository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Kept in the same statement as the save (one round trip less): `_saved` gives the values.
KEEP_VERSION = (
    "WITH kept AS (INSERT INTO versions (kind, record_id, version, saved_by, doc)"
    " VALUES (%(kind)s, %(id)s, %(version)s, %(by)s, %(doc)s)"
    " ON CONFLICT (kind, record_id, version) DO UPDATE"
    " SET doc = EXCLUDED.doc, saved_by = EXCLUDED.saved_by, saved_at = now()) "
)


# The versioned records: their table and the column of what owns them.
_VERSIONED = {LIEU: ("lieux", "production_id"), PERMIT: ("permits", "lieu_id")}


def _update_sql(kind: str) -> str:
    """The UPDATE of a versioned record with its kept version (KEEP_VERSION), written
    once for single and bulk saves: they must set the same columns (seq wakes listeners)."""
    table, owner = _VERSIONED[kind]
    return (
        KEEP_VERSION + f"UPDATE {table} SET doc = %(doc)s, version = %(version)s,"  # noqa: S608
        f" {owner} = %(owner)s, updated_at = now(), updated_by = %(by)s,"
        " seq = nextval('changes_seq') WHERE id = %(id)s"
    )


def _saved(kind: str, record_id: int, doc: dict[str, Any], by: str, owner: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "id": record_id,
        "version": doc["version"],
        "by": by,
        "doc": Jsonb(doc),
        "owner": owner,
    }


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _stamped(doc: dict[str, Any], user: str) -> dict[str, Any]:
    for log in ("history", "changes"):  # a permit's field edits are stamped as its history
        if doc.get(log):
            doc[log] = [h if h.get("by") else {**h, "by": user} for h in doc[log]]
    return doc


def _storable(doc: dict[str, Any]) -> dict[str, Any]:
    """The document, checked for what PostgreSQL cannot keep in text: the NUL character
    (\\0), and a broken character (a lone UTF-16 surrogate, e.g. from a badly decoded file
    name). Refused with the field named; nothing is saved."""
    found = _unstorable_in(doc, "")
    if found is not None:
        field, nul = found
        raise ValidationError(
            field or "?",
            _(
                "contains a NUL character (\\0), which the team database (PostgreSQL) "
                "cannot store: remove it. Nothing was saved."
            )
            if nul
            else _(
                "contains a broken character (not valid Unicode text), which the team "
                "database (PostgreSQL) cannot store: type it again. Nothing was saved."
            ),
        )
    return doc


def _unstorable_in(value: Any, path: str) -> tuple[str, bool] | None:
    """(the field, True for a NUL / False for a broken character), or None."""
    if isinstance(value, str):
        if "\x00" in value:
            return path, True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path, False
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            found = _unstorable_in(str(key), name) or _unstorable_in(item, name)
            if found is not None:
                return found
    elif isinstance(value, (list, tuple)):
        for item in value:
            found = _unstorable_in(item, path)
            if found is not None:
                return found
    return None


def open_postgres(
    url: str, *, read_only: bool = False, user: str | None = None
) -> PostgresRepository:
    return PostgresRepository(url, read_only=read_only, user=user)
