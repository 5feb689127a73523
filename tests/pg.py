"""A real PostgreSQL for the tests: `SCOUT_TEST_PG` (a URL of a role that may create
databases and roles) when set, else a server of our own from the `pgserver` wheel
(PostgreSQL 16, started in about a second, stopped at the end of the session).

One server per test session (per xdist worker); each test gets a fresh database, copied
from a template that already has scout's schema (CREATE DATABASE … TEMPLATE: a few ms).

Run as root (CI containers), pgserver refuses nothing: it creates a system user
`pgserver` (useradd), gives it the data folder, opens the folders above it for reading
(chmod o+rx) and runs initdb and the server as that user. Nothing to do here.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

TEMPLATE = "scout_template"
_counter = itertools.count(1)


@dataclass
class PgServer:
    """One PostgreSQL server and how to reach its databases."""

    admin_url: str  # a superuser's URL (database "postgres")
    handle: Any = None  # pgserver's PostgresServer, when we started it
    started_in: float = 0.0  # seconds to start (or to reach SCOUT_TEST_PG)
    databases: list[str] = field(default_factory=list)

    def url(self, database: str, user: str | None = None, password: str = "") -> str:
        """The admin URL pointed at another database (and another role)."""
        parts = urlsplit(self.admin_url)
        netloc = parts.netloc
        if user is not None:
            secret = f":{password}" if password else ""
            netloc = f"{user}{secret}@{netloc.rsplit('@', 1)[-1]}"
        return urlunsplit((parts.scheme, netloc, f"/{database}", parts.query, parts.fragment))

    def execute(self, sql: str, params: tuple[Any, ...] = (), database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(sql, params)  # type: ignore[arg-type]

    def prepare_template(self) -> None:
        """`scout_template`: an empty database with scout's schema."""
        import psycopg

        from scout.store.pg_migrations import upgrade

        self.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        self.execute(f"CREATE DATABASE {TEMPLATE}")
        with psycopg.connect(self.url(TEMPLATE)) as conn:
            upgrade(conn)

    def fresh(self, *, template: str = TEMPLATE) -> str:
        """A new database (scout's schema in it unless template="template0"); its URL."""
        name = f"scout_t{os.getpid()}_{next(_counter)}"
        self.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        self.databases.append(name)
        return self.url(name)

    def drop(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if name in self.databases:
            self.databases.remove(name)

    # -- a server we started: stop it, start it again (fault tests) ------------------------
    def stop(self, mode: str = "immediate") -> None:
        from pgserver._commands import pg_ctl

        pg_ctl(["-w", "-m", mode, "stop"], pgdata=self.handle.pgdata, user=self.handle.system_user)

    def start(self) -> None:
        self.handle.ensure_postgres_running()

    def close(self) -> None:
        if self.handle is not None:
            process = self.handle.get_postmaster_info().process
            try:
                self.stop("immediate")  # pgserver's own stop waits for its clients
                process.wait(10)
            except Exception:  # noqa: BLE001, S110 - stopped already
                pass
            self.handle.cleanup()
            if self.handle.pgdata.parent.name.startswith("scout-pg-"):  # our mkdtemp
                shutil.rmtree(self.handle.pgdata.parent, ignore_errors=True)


def start_pgserver(folder: Path) -> PgServer:
    """A PostgreSQL of our own in `folder` (created), up and ready."""
    import pgserver

    began = time.perf_counter()
    handle = pgserver.get_server(folder, cleanup_mode="delete")
    return PgServer(handle.get_uri(), handle, time.perf_counter() - began)


def private_server(prefix: str) -> Iterator[PgServer]:
    """For a module fixture whose tests stop and start their server: a pgserver of their
    own with the template ready, closed after. Not under tmp_path: pytest makes
    /tmp/pytest-of-<user> private again (0700) whenever a pytest starts, and the server
    runs as the `pgserver` user when we are root."""
    server = start_pgserver(Path(tempfile.mkdtemp(prefix=prefix)) / "data")
    server.prepare_template()
    try:
        yield server
    finally:
        server.close()


def session_server() -> Iterator[PgServer]:
    """For the session fixture: SCOUT_TEST_PG, or a pgserver in a temporary folder."""
    given = os.environ.get("SCOUT_TEST_PG")
    if given:
        began = time.perf_counter()
        server = PgServer(given)
        server.execute("SELECT 1")
        server.started_in = time.perf_counter() - began
    else:
        server = start_pgserver(Path(tempfile.mkdtemp(prefix="scout-pg-")) / "data")
    server.prepare_template()
    try:
        yield server
    finally:
        for name in server.databases:
            try:
                server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            except Exception:  # noqa: BLE001, S110 - the server may be gone already
                pass
        server.close()


def create_roles(server: PgServer, database_url: str, suffix: str) -> tuple[str, str]:
    """A writer role and a reader role on the database (as the README says); their URLs."""
    database = urlsplit(database_url).path.lstrip("/")
    writer, reader = f"scout_writer_{suffix}", f"scout_reader_{suffix}"
    for role in (writer, reader):
        server.execute(f"DROP ROLE IF EXISTS {role}")  # a rerun of a killed session
    for statement in roles_sql(database, writer, reader):
        server.execute(statement, database=database)
    return (
        server.url(database, writer, ROLE_PASSWORD),
        server.url(database, reader, ROLE_PASSWORD),
    )


def drop_roles(server: PgServer, database_url: str, suffix: str) -> None:
    database = urlsplit(database_url).path.lstrip("/")
    for role in (f"scout_writer_{suffix}", f"scout_reader_{suffix}"):
        server.execute(f"DROP OWNED BY {role}", database=database)
        server.execute(f"DROP ROLE {role}")


ROLE_PASSWORD = "scout-test-pw"  # noqa: S105 - a throwaway role of a test database


def roles_sql(database: str, writer: str, reader: str) -> list[str]:
    """The statements of the README's "Working as a team"."""
    return [
        f"CREATE ROLE {writer} LOGIN PASSWORD '{ROLE_PASSWORD}'",
        f"CREATE ROLE {reader} LOGIN PASSWORD '{ROLE_PASSWORD}'",
        f"GRANT CONNECT ON DATABASE {database} TO {writer}, {reader}",
        f"GRANT USAGE ON SCHEMA public TO {writer}, {reader}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {writer}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {writer}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader}",
        f"GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {reader}",
    ]


# -- concurrent writers (processes: multiprocessing, spawn) ---------------------------------
LOGISTICS = (
    "truck_access", "tech_vehicle_parking", "power", "water",
    "toilets", "hmc_rooms", "catering_space", "noise",
)  # fmt: skip


def edit_worker(
    url: str,
    writer: int,
    lieu_ids: list[int],
    field: str,
    rounds: int,
    start_at: float,
    pause: float = 0.004,
) -> dict[str, Any]:
    """One writer process: `rounds` times over the lieux, read, wait a little (others
    save meanwhile), change `field` ("notes", or "logistics.<name>") to "w<writer>-r<round>",
    save. Returns what it saved (value, version read, version made) and the conflicts
    refused (field, by, message)."""
    import random
    from dataclasses import replace

    from scout import i18n
    from scout.errors import EditConflict
    from scout.store.postgres import PostgresRepository

    saved: list[tuple[int, str, int, int]] = []
    conflicts: list[tuple[int, str, str, str]] = []
    rng = random.Random(writer)
    i18n.activate(os.environ.get("SCOUT_LANG", "en"))  # a new process: the test's language
    with PostgresRepository(url, user=f"w{writer}", pool_size=1) as store:
        time.sleep(max(0.0, start_at - time.time()))
        began = time.perf_counter()
        for n in range(rounds):
            for lieu_id in lieu_ids:
                lieu = store.get_lieu(lieu_id)
                value = f"w{writer}-r{n}"
                if field.startswith("logistics."):
                    changed = replace(
                        lieu, logistics=replace(lieu.logistics, **{field.split(".")[1]: value})
                    )
                else:
                    changed = replace(lieu, **{field: value})
                if pause:
                    time.sleep(rng.random() * pause)
                try:
                    after = store.update_lieu(changed)
                except EditConflict as e:
                    conflicts.append((lieu_id, e.field, e.by, str(e)))
                    continue
                saved.append((lieu_id, value, lieu.version, after.version))
        elapsed = time.perf_counter() - began
    return {"writer": writer, "saved": saved, "conflicts": conflicts, "seconds": elapsed}


def run_writers(
    url: str, fields: list[str], lieu_ids: list[int], rounds: int, pause: float = 0.004
) -> list[dict[str, Any]]:
    """One process per field, all starting together; their reports."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    start_at = time.time() + 2.0 + 0.4 * len(fields)  # after every process has started
    with context.Pool(len(fields)) as pool:
        return pool.starmap(
            edit_worker,
            [(url, i, lieu_ids, f, rounds, start_at, pause) for i, f in enumerate(fields)],
        )


def lost_updates(reports: list[dict[str, Any]]) -> list[str]:
    """Saves of the same field overwritten by a save that had not seen them: for each
    lieu, in the order of the versions they made, each save must have read at least the
    version the previous save of that field made."""
    by_lieu: dict[int, list[tuple[int, int, str]]] = {}
    for report in reports:
        for lieu_id, value, read, made in report["saved"]:
            by_lieu.setdefault(lieu_id, []).append((made, read, value))
    lost = []
    for lieu_id, saves in by_lieu.items():
        saves.sort()
        for (made, _read, value), (_made2, read2, value2) in zip(saves, saves[1:]):
            if read2 < made:
                lost.append(
                    f"lieu {lieu_id}: {value} (v{made}) overwritten by {value2} (read v{read2})"
                )
    return lost
