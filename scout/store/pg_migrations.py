"""The team database's schema, in numbered steps, and `scout db upgrade`.

Each step moves a database from version N - 1 to N in one transaction (PostgreSQL's DDL is
transactional: a step either happens whole or not at all). The version is in the
`schema_version` table. Opening a database checks it: older → "run scout db upgrade",
newer → "upgrade scout". Records are stored as JSONB documents written by
scout.store.documents (the same dicts as the TinyDB file) with real columns for what the
queries need.

- 1: productions, lieux, permits, photos, the bin, the City's past shoots.
- 3: LISTEN/NOTIFY: a trigger announces each change on the channel "scout_changes".
- 2: versions and authors: `version`, `updated_by` and a change sequence number on lieux
  and permits, the `versions` table (each record's previous documents, with who saved
  them), `deletions` (what was deleted, for a later `changes_since`).
"""

from __future__ import annotations

from typing import Any

STEPS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE productions (id bigserial PRIMARY KEY, doc jsonb NOT NULL)",
        """CREATE TABLE lieux (
            id bigserial PRIMARY KEY,
            production_id bigint,
            updated_at timestamptz NOT NULL DEFAULT now(),
            doc jsonb NOT NULL
        )""",
        "CREATE INDEX lieux_production ON lieux (production_id)",
        """CREATE TABLE permits (
            id bigserial PRIMARY KEY,
            lieu_id bigint NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            doc jsonb NOT NULL
        )""",
        "CREATE INDEX permits_lieu ON permits (lieu_id)",
        "CREATE TABLE photos (id bigserial PRIMARY KEY, lieu_id bigint, doc jsonb NOT NULL)",
        "CREATE INDEX photos_lieu ON photos (lieu_id)",
        "CREATE TABLE bin (id bigserial PRIMARY KEY, lieu_id bigint NOT NULL, doc jsonb NOT NULL)",
        """CREATE TABLE tournages (
            id bigserial PRIMARY KEY,
            source_id text NOT NULL UNIQUE,
            doc jsonb NOT NULL
        )""",
    ),
    2: (
        "CREATE SEQUENCE changes_seq",
        """ALTER TABLE lieux
            ADD COLUMN version integer NOT NULL DEFAULT 0,
            ADD COLUMN updated_by text NOT NULL DEFAULT '',
            ADD COLUMN seq bigint NOT NULL DEFAULT nextval('changes_seq')""",
        """ALTER TABLE permits
            ADD COLUMN version integer NOT NULL DEFAULT 0,
            ADD COLUMN updated_by text NOT NULL DEFAULT '',
            ADD COLUMN seq bigint NOT NULL DEFAULT nextval('changes_seq')""",
        "CREATE INDEX lieux_seq ON lieux (seq)",
        "CREATE INDEX permits_seq ON permits (seq)",
        """CREATE TABLE versions (
            kind text NOT NULL,
            record_id bigint NOT NULL,
            version integer NOT NULL,
            saved_by text NOT NULL DEFAULT '',
            saved_at timestamptz NOT NULL DEFAULT now(),
            doc jsonb NOT NULL,
            PRIMARY KEY (kind, record_id, version)
        )""",
        # What was there before versions existed is each record's version 0: a save read
        # before the upgrade still finds its base.
        "INSERT INTO versions (kind, record_id, version, doc) SELECT 'lieu', id, 0, doc FROM lieux",
        """INSERT INTO versions (kind, record_id, version, doc)
            SELECT 'permit', id, 0, doc FROM permits""",
        """CREATE TABLE deletions (
            seq bigint PRIMARY KEY DEFAULT nextval('changes_seq'),
            kind text NOT NULL,
            record_id bigint NOT NULL,
            deleted_by text NOT NULL DEFAULT '',
            deleted_at timestamptz NOT NULL DEFAULT now()
        )""",
    ),
    3: (
        # Every change to a lieu, a permit, a production or a picture is announced on the
        # channel "scout_changes" when its transaction commits (LISTEN/NOTIFY): an open
        # TUI refreshes what changed. The payload is small JSON: table, op, id, version,
        # who, production.
        """CREATE FUNCTION scout_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            rec jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
        BEGIN
            PERFORM pg_notify('scout_changes', json_build_object(
                'table', TG_TABLE_NAME,
                'op', lower(TG_OP),
                'id', rec->'id',
                'version', rec->'version',
                'by', rec->'updated_by',
                'production_id', coalesce(rec->'production_id', rec->'doc'->'production_id')
            )::text);
            RETURN NULL;
        END
        $$""",
        *(
            f"""CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION scout_notify()"""
            for table in ("lieux", "permits", "productions", "photos")
        ),
    ),
}

SCHEMA_VERSION = max(STEPS)

# Two `scout db upgrade` at once: the second waits for the first (any fixed number).
_UPGRADE_LOCK = 0x5C0075


def schema_version(conn: Any) -> int | None:
    """The database's schema version; None when it has no scout tables yet."""
    found = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not found or not found[0]:
        return None
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def upgrade(conn: Any, target: int = SCHEMA_VERSION) -> tuple[int, int]:
    """Apply the missing steps up to `target`, each in its own transaction; returns
    (version before, version after). `conn` is a psycopg connection (not autocommit)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_UPGRADE_LOCK,))
        before = schema_version(conn)
        if before is None:
            conn.execute("CREATE TABLE schema_version (version integer NOT NULL)")
            conn.execute("INSERT INTO schema_version VALUES (0)")
            before = 0
    current = before
    while current < target:
        step = current + 1
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_UPGRADE_LOCK,))
            if (schema_version(conn) or 0) >= step:  # someone else did it meanwhile
                current = step
                continue
            for statement in STEPS[step]:
                conn.execute(statement)
            conn.execute("UPDATE schema_version SET version = %s", (step,))
        current = step
    return before, current
