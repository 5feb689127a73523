"""The team store (PostgreSQL) behind the same Repository as the local file: the
repository tests on both stores (`store_location` is a file, then a postgresql:// URL),
versions and the field-by-field merge, hostile input, the schema and its upgrade, the
read-only role, a server that stops and comes back, and the CLI on a team database.

The server is real (tests/pg.py): SCOUT_TEST_PG, else a pgserver of our own."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
import test_cli
import test_store
from pg import ROLE_PASSWORD, PgServer, create_roles, drop_roles, private_server

from scout.domain import Lieu, Photo, Production
from scout.domain.lieu import Accessibility, Change
from scout.domain.permit import Permit, PermitStatus
from scout.domain.tournage import Tournage
from scout.errors import (
    DatabaseUnreachable,
    EditConflict,
    NotFound,
    ReadOnlyDatabase,
    StoreError,
    ValidationError,
)
from scout.settings import Settings
from scout.store import open_store
from scout.store.pg_migrations import SCHEMA_VERSION, upgrade

TODAY = "2026-11-23"

HOSTILE = [
    "Robert'); DROP TABLE lieux;--",
    'O\'Brien "le grand" \\ backslash',
    "'; DELETE FROM versions; --",
    "%s %(name)s {name} $1",
    "[bold red]marqué[/] « guillemets »",
    "😀 emoji ‮ right-to-left",
]


# -- the existing repository tests, on both stores -------------------------------------------
@pytest.mark.parametrize(
    "existing",
    [
        test_store.test_saved_lieux_survive_reopening,
        test_store.test_a_failed_transaction_leaves_nothing_behind,
        test_store.test_read_only_store_refuses_writes,
    ],
    ids=lambda f: f.__name__.removeprefix("test_"),
)
def test_the_repository_tests_pass_on_both_stores(store_location: str, existing: Any) -> None:
    existing(store_location)  # open_store takes a file or a postgresql:// URL


def test_ids_are_never_reused_after_a_delete(store_location: str) -> None:
    with open_store(store_location) as store:
        a = store.add_lieu(Lieu(name="A"))
        b = store.add_lieu(Lieu(name="B"))
        store.delete_lieu(b.id)
    with open_store(store_location) as store:
        assert store.add_lieu(Lieu(name="C")).id > b.id > a.id


def test_the_whole_interface_on_both_stores(store_location: str) -> None:
    with open_store(store_location) as store:
        film = store.add_production(Production(name="Film", company="Prod & Cie"))
        assert store.get_production(film.id).company == "Prod & Cie"
        store.update_production(Production(name="Film 2", id=film.id))
        assert [p.name for p in store.list_productions()] == ["Film 2"]
        lieu = store.add_lieu(
            Lieu(
                name="Café de Flore",
                production_id=film.id,
                decor="CAFÉ — INT. JOUR",
                address="172 bd Saint-Germain",
                postcode="75006",
                tags=("terrasse",),
                accessibility=Accessibility(lift=False),
            )
        )
        other = store.add_lieu(Lieu(name="Deux Magots", production_id=film.id))
        assert store.count_lieux() == 2
        assert store.lieu_counts() == {film.id: 2}
        rows = store.lieu_rows(TODAY)
        assert [r.name for r in rows] == ["Café de Flore", "Deux Magots"]
        assert rows[0].pmr_assessed == 1 and rows[0].postcode == "75006"
        assert store.lieu_row(lieu.id, TODAY) == rows[0]
        texts = store.search_texts()
        assert "terrasse" in texts[lieu.id].lower() and texts[lieu.id] == store.search_text(lieu.id)
        assert [x.name for x in store.query_lieux(lambda x: x.name.startswith("D"))] == [
            "Deux Magots"
        ]
        permit = store.add_permit(Permit(lieu_id=lieu.id, type="voirie"))
        changed = store.update_permit(permit.with_status(PermitStatus.FILED, "2026-11-23T10:00:00"))
        assert changed.version == 1 and store.get_permit(permit.id).status == PermitStatus.FILED
        assert [p.id for p in store.permits(lieu.id)] == [permit.id]
        assert len(store.permit_facts()) == 1 == len(store.permit_facts(lieu.id))
        assert set(store.lieu_facts({})) == {lieu.id, other.id}
        with pytest.raises(NotFound):
            store.add_permit(Permit(lieu_id=9999, type="voirie"))
        photo = store.add_photo(Photo(path="/p/a.jpg", sha256="ab" * 32, lieu_id=lieu.id))
        loose = store.add_photo(Photo(path="/p/b.jpg", sha256="cd" * 32))
        assert [p.id for p in store.photos(lieu.id)] == [photo.id]
        assert [p.id for p in store.photos(unassigned=True)] == [loose.id]
        store.update_photo(Photo(path="/p/b.jpg", sha256="cd" * 32, id=loose.id, caption="x"))
        # The bin: the lieu, its permits and its pictures' links go together, and come back.
        before = store.version
        binned = store.bin_lieu(lieu.id, "2026-11-23T11:00:00")
        assert store.version != before
        assert binned.lieu.name == "Café de Flore" and len(binned.permits) == 1
        assert [b.lieu.id for b in store.binned()] == [lieu.id]
        assert store.permits(lieu.id) == [] and len(store.photos(unassigned=True)) == 2
        with pytest.raises(NotFound):
            store.get_lieu(lieu.id)
        back = store.restore_lieu(lieu.id)
        assert back.id == lieu.id and back.tags == ("terrasse",)
        assert [p.id for p in store.permits(lieu.id)] == [permit.id]
        assert [p.id for p in store.photos(lieu.id)] == [photo.id]
        assert store.binned() == []
        with pytest.raises(NotFound):
            store.restore_lieu(lieu.id)
        store.delete_permit(permit.id)
        with pytest.raises(NotFound):
            store.get_permit(permit.id)
        shoot = Tournage(
            "2019-242", 2019, "Titre", "feature_film", "Réal", "Prod", date(2019, 5, 1),
            date(2019, 5, 2), "1 rue X", "75001", 48.86, 2.34,
        )  # fmt: skip
        assert tuple(store.save_tournages([shoot])) == (1, 0, 0)
        assert tuple(store.save_tournages([shoot])) == (0, 0, 1)
        from dataclasses import replace

        assert tuple(store.save_tournages([replace(shoot, title="Autre")])) == (0, 1, 0)
        assert store.count_tournages() == 1 and store.tournages()[0].title == "Autre"


# -- versions, merge, conflicts ------------------------------------------------------------
def test_each_save_adds_a_version_and_old_documents_read_as_zero(store_location: str) -> None:
    with open_store(store_location, user="ana") as store:
        lieu = store.add_lieu(Lieu(name="Quai"))
        assert lieu.version == 0
        one = store.update_lieu(lieu.with_changes(decor="QUAI — EXT"))
        two = store.update_lieu(one.with_changes(notes="péniche"))
        assert (one.version, two.version) == (1, 2)
        assert store.get_lieu(lieu.id).version == 2
    from scout.store.documents import lieu_from_dict, permit_from_dict

    assert lieu_from_dict({"name": "old"}).version == 0
    assert permit_from_dict({"lieu_id": 1, "type": "x"}).version == 0


def test_a_save_from_an_older_version_keeps_both_edits(store_location: str) -> None:
    with open_store(store_location, user="ana") as store:
        read = store.add_lieu(Lieu(name="Quai", decor="A"))
        store.update_lieu(read.with_changes(decor="B", accessibility=Accessibility(lift=True)))
        merged = store.update_lieu(read.with_changes(notes="péniche"))
        assert (merged.decor, merged.notes, merged.accessibility.lift) == ("B", "péniche", True)
        assert merged.version == 2 and store.get_lieu(read.id) == merged


def test_the_same_field_changed_twice_is_refused_and_named(store_location: str) -> None:
    with open_store(store_location, user="bruno") as bruno:
        read = bruno.add_lieu(Lieu(name="Quai", decor="A"))
        bruno.update_lieu(read.with_changes(decor="B — bruno"))
    with open_store(store_location, user="claire") as claire:
        with pytest.raises(EditConflict) as refused:
            claire.update_lieu(read.with_changes(decor="C — claire", notes="kept?"))
        message = str(refused.value)
        assert "decor" in message and "bruno" in message and "B — bruno" in message
        assert "C — claire" in message and "not saved" in message
        assert refused.value.field == "decor" and refused.value.by == "bruno"
        stored = claire.get_lieu(read.id)
        assert (stored.decor, stored.notes, stored.version) == ("B — bruno", "", 1)


def test_permits_merge_too(store_location: str) -> None:
    with open_store(store_location) as store:
        lieu = store.add_lieu(Lieu(name="Quai"))
        read = store.add_permit(Permit(lieu_id=lieu.id, type="voirie"))
        store.update_permit(read.with_status(PermitStatus.FILED, "2026-11-23T10:00"))
        merged = store.update_permit(Permit(**{**_fields(read), "notes": "mairie du 5e"}))
        assert merged.status == PermitStatus.FILED and merged.notes == "mairie du 5e"
        with pytest.raises(EditConflict, match="status"):
            store.update_permit(read.with_status(PermitStatus.CANCELLED, "2026-11-23T11:00"))


def test_history_entries_carry_their_author(store_location: str, tmp_path: Path) -> None:
    config = Path(os.environ["SCOUT_CONFIG"])
    config.write_text('user = "Régie — Léa"\n', encoding="utf-8")
    with open_store(store_location) as store:
        lieu = store.add_lieu(Lieu(name="Quai"))
        saved = store.update_lieu(
            lieu.with_changes(decor="X", history=(Change("2026-11-23T10:00", "decor", "", "X"),))
        )
        assert [h.by for h in saved.history] == ["Régie — Léa"]
        assert store.get_lieu(lieu.id).history[0].by == "Régie — Léa"


def test_hostile_names_and_notes_are_kept_as_typed(store_location: str) -> None:
    with open_store(store_location) as store:
        ids = [store.add_lieu(Lieu(name=text, notes=text, decor=text)).id for text in HOSTILE]
        for lieu_id, text in zip(ids, HOSTILE, strict=True):
            got = store.get_lieu(lieu_id)
            assert (got.name, got.notes, got.decor) == (text, text, text)
        production = store.add_production(Production(name=HOSTILE[0]))
        assert store.get_production(production.id).name == HOSTILE[0]
        assert store.count_lieux() == len(HOSTILE)  # no table was dropped
        assert [r.name for r in store.lieu_rows(TODAY)] == HOSTILE


def test_a_nul_character_is_refused_clearly_on_the_team_database(pg_url: str) -> None:
    with open_store(pg_url) as store:
        with pytest.raises(ValidationError) as refused:
            store.add_lieu(Lieu(name="Quai", notes="avant\x00après"))
        assert refused.value.field == "notes"
        assert "NUL character" in str(refused.value) and "Nothing was saved" in str(refused.value)
        kept = store.add_lieu(Lieu(name="Quai"))
        with pytest.raises(ValidationError, match="NUL"):
            store.update_lieu(kept.with_changes(decor="a\x00"))
        with pytest.raises(ValidationError, match="broken character") as broken:
            store.update_lieu(kept.with_changes(tags=("ok", "photo-\udc80.jpg")))
        assert broken.value.field == "tags"
        assert store.count_lieux() == 1 and store.get_lieu(kept.id).decor == ""


def test_a_nul_character_through_the_command_is_one_line(run_scout, pg_url: str) -> None:
    result = run_scout("add", "--name", "Quai\x00", env={"SCOUT_DB": pg_url})
    assert result.returncode == 1  # the command refuses it before the store does
    assert "\\x00" in result.stderr and "nothing was saved" in result.stderr
    assert "Traceback" not in result.stderr
    with open_store(pg_url) as store:
        assert store.count_lieux() == 0


# -- the schema ---------------------------------------------------------------------------
def test_an_empty_database_says_run_scout_db_upgrade(pg_server: PgServer, run_scout) -> None:
    url = pg_server.fresh(template="template0")
    try:
        with pytest.raises(StoreError, match="no scout tables yet"):
            open_store(url)
        listed = run_scout("list", env={"SCOUT_DB": url})
        assert listed.returncode == 3 and "`scout --db URL db upgrade`" in listed.stderr
        made = run_scout("db", "upgrade", env={"SCOUT_DB": url})
        assert made.returncode == 0 and "tables created" in made.stdout
        with open_store(url) as store:
            assert store.count_lieux() == 0 and not store.read_only
    finally:
        pg_server.drop(url)


def test_an_older_schema_is_upgraded_and_its_records_kept(pg_server: PgServer, run_scout) -> None:
    url = pg_server.fresh(template="template0")
    try:
        with psycopg.connect(url) as conn:
            upgrade(conn, target=1)
            conn.execute(
                "INSERT INTO lieux (doc) VALUES (%s::jsonb)",
                (json.dumps({"name": "Vieux quai", "decor": "D"}),),
            )
            conn.commit()
        with pytest.raises(StoreError, match="run `scout db upgrade`"):
            open_store(url)
        done = run_scout("db", "upgrade", env={"SCOUT_DB": url})
        assert done.returncode == 0, done.stderr
        assert f"from layout version 1 to {SCHEMA_VERSION}" in done.stdout
        again = run_scout("db", "upgrade", env={"SCOUT_DB": url})
        assert "nothing to do" in again.stdout
        with open_store(url) as store:
            old = store.get_lieu(1)
            assert (old.name, old.version) == ("Vieux quai", 0)
            newer = store.update_lieu(old.with_changes(notes="n"))
            # a save read before the upgrade still merges against version 0
            merged = store.update_lieu(old.with_changes(decor="E"))
            assert (merged.decor, merged.notes, newer.version) == ("E", "n", 1)
    finally:
        pg_server.drop(url)


def test_a_newer_schema_says_upgrade_scout(pg_url: str, run_scout) -> None:
    with psycopg.connect(pg_url) as conn:
        conn.execute("UPDATE schema_version SET version = %s", (SCHEMA_VERSION + 1,))
        conn.commit()
    with pytest.raises(StoreError, match="upgrade scout"):
        open_store(pg_url)
    result = run_scout("list", env={"SCOUT_DB": pg_url})
    assert result.returncode == 3 and "upgrade scout" in result.stderr


# -- choosing the store, credentials -----------------------------------------------------
def test_the_store_is_chosen_by_flag_env_or_config(pg_url: str, tmp_path: Path) -> None:
    assert Settings.load(db=pg_url).db_url == pg_url
    os.environ["SCOUT_DB"] = pg_url
    try:
        assert Settings.load().db_url == pg_url
    finally:
        del os.environ["SCOUT_DB"]
    Path(os.environ["SCOUT_CONFIG"]).write_text(f'database_url = "{pg_url}"\n', encoding="utf-8")
    assert Settings.load().db_url == pg_url
    assert Settings.load(db=str(tmp_path / "x.db")).db_url is None  # --db wins


def test_a_password_is_never_shown(pg_server: PgServer, pg_url: str, run_scout) -> None:
    from scout.store.urls import masked

    secret = "s3cr3t-pw"
    url = pg_url.replace("postgres:@", f"postgres:{secret}@")
    assert secret not in masked(url) and "***" in masked(url)
    assert secret not in masked(url + "&password=" + secret)
    with open_store(url) as store:  # trust authentication: the password is not needed
        assert secret not in store.location
    unreachable = "postgresql://ana:" + secret + "@127.0.0.1:9/none?connect_timeout=2"
    result = run_scout("list", env={"SCOUT_DB": unreachable})
    assert result.returncode == 3 and "cannot be reached" in result.stderr
    assert secret not in result.stderr + result.stdout
    logs = Path(os.environ.get("SCOUT_LOG_DIR", "/nonexistent"))
    if logs.exists():
        assert all(secret not in p.read_text() for p in logs.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    "existing",
    [test_cli.test_add_edit_show_rm, test_cli.test_demo_seeds_real_places_once],
    ids=lambda f: f.__name__.removeprefix("test_"),
)
def test_the_commands_work_the_same_on_a_team_database(
    run_scout, pg_url: str, existing: Any
) -> None:
    def on_team(*args: str, **kwargs: Any) -> Any:
        env = {**(kwargs.pop("env", None) or {}), "SCOUT_DB": pg_url}
        return run_scout(*args, env=env, **kwargs)

    existing(on_team)


# -- roles ------------------------------------------------------------------------------
def test_a_reader_role_opens_read_only_and_a_writer_role_writes(
    pg_server: PgServer, pg_url: str, run_scout
) -> None:
    with open_store(pg_url) as store:
        store.add_lieu(Lieu(name="Quai"))
    writer_url, reader_url = create_roles(pg_server, pg_url, f"r{os.getpid()}")
    try:
        with open_store(writer_url) as writer:
            assert not writer.read_only
            writer.update_lieu(writer.get_lieu(1).with_changes(decor="W"))
        with open_store(reader_url) as reader:
            assert reader.read_only and ROLE_PASSWORD not in reader.location
            assert any("only read" in n for n in reader.notices)
            assert reader.get_lieu(1).decor == "W" and reader.count_lieux() == 1
            with pytest.raises(ReadOnlyDatabase, match="nothing was saved"):
                reader.add_lieu(Lieu(name="Non"))
        from scout.services.workspace import Workspace

        with Workspace.open(Settings.load(db=reader_url)) as ws:
            assert ws.read_only
        refused = run_scout("edit", "1", "--decor", "R", env={"SCOUT_DB": reader_url})
        assert refused.returncode == 3 and "nothing was saved" in refused.stderr
        status = run_scout("db", "status", env={"SCOUT_DB": reader_url})
        assert "read only" in status.stdout and ROLE_PASSWORD not in status.stdout
        denied = run_scout("db", "upgrade", env={"SCOUT_DB": reader_url})
        assert denied.returncode == 0 and "nothing to do" in denied.stdout
    finally:
        drop_roles(pg_server, pg_url, f"r{os.getpid()}")


# -- faults -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def own_server() -> Any:
    """A PostgreSQL of this test only, to stop and start again."""
    yield from private_server("scout-pg-own-")


def test_a_stopped_server_refuses_saves_clearly_and_the_next_save_works(
    own_server: PgServer,
) -> None:
    url = own_server.fresh()
    store = open_store(url)
    try:
        lieu = store.add_lieu(Lieu(name="Quai"))
        own_server.stop("immediate")
        with pytest.raises(DatabaseUnreachable) as refused:
            store.update_lieu(lieu.with_changes(decor="lost?"))
        assert "cannot be reached: nothing was saved" in str(refused.value)
        assert store.location in str(refused.value)
        with pytest.raises(DatabaseUnreachable):
            store.lieu_rows(TODAY)
        own_server.start()
        saved = store.update_lieu(lieu.with_changes(decor="after"))  # no reopening
        assert saved.version == 1 and store.get_lieu(lieu.id).decor == "after"
    finally:
        store.close()


def test_a_server_killed_mid_transaction_keeps_nothing_half_saved(
    own_server: PgServer,
) -> None:
    url = own_server.fresh()
    with open_store(url) as store:
        first = store.add_lieu(Lieu(name="Un"))
        with pytest.raises(DatabaseUnreachable), store.transaction():
            store.update_lieu(first.with_changes(decor="half"))
            store.add_lieu(Lieu(name="Deux"))
            own_server.stop("immediate")  # the server dies before the commit
            store.add_lieu(Lieu(name="Trois"))
        own_server.start()
        assert [(x.name, x.decor, x.version) for x in store.query_lieux()] == [("Un", "", 0)]
        assert store.update_lieu(first.with_changes(decor="ok")).version == 1


def _fields(permit: Permit) -> dict[str, Any]:
    return {f: getattr(permit, f) for f in permit.__dataclass_fields__}


def test_the_list_and_the_search_read_what_they_need_from_the_server() -> None:
    """lieu_rows and search_texts leave some keys on the server: the lines and the texts
    made without them are the same as from the whole document."""
    from bench import realistic_docs

    from scout.store.documents import lieu_row, search_text
    from scout.store.postgres import ROW_SKIPS, SEARCH_SKIPS

    for doc in realistic_docs(50):
        doc = {**doc, "tags": ["a"], "history": [{"at": "x", "field": "f", "old": 1, "new": 2}]}
        row = {k: v for k, v in doc.items() if k not in ROW_SKIPS}
        assert lieu_row(1, row, TODAY) == lieu_row(1, doc, TODAY)
        text = {k: v for k, v in doc.items() if k not in SEARCH_SKIPS}
        assert search_text(text) == search_text(doc)


# -- live: LISTEN/NOTIFY and changes_since (for the live view) ---------------------------
def test_a_change_is_announced_to_a_listener_within_a_second(pg_url: str) -> None:
    import threading
    import time

    heard: list[dict[str, Any]] = []
    stop, ready = threading.Event(), threading.Event()
    with open_store(pg_url, user="ana") as watcher, open_store(pg_url, user="bruno") as other:
        lieu = other.add_lieu(Lieu(name="Quai"))
        seen = watcher.version
        listening = threading.Thread(
            target=watcher.listen, args=(heard.append, stop), kwargs={"ready": ready}
        )
        listening.start()
        try:
            assert ready.wait(10)
            began = time.perf_counter()
            other.update_lieu(lieu.with_changes(decor="NUIT"))
            while not heard and time.perf_counter() - began < 5:
                time.sleep(0.01)
            assert time.perf_counter() - began < 1.0
        finally:
            stop.set()
            listening.join(5)
        assert heard[0] == {
            "table": "lieux",
            "op": "update",
            "id": lieu.id,
            "version": 1,
            "by": "bruno",
            "production_id": None,
        }
        top, lieux, permits, deleted = watcher.changes_since(seen)
        assert top > seen and lieux == [lieu.id] and permits == deleted == []
        other.delete_lieu(lieu.id)
        assert watcher.changes_since(top)[3] == [lieu.id]


def test_only_the_last_versions_are_kept(store_location: str) -> None:
    from scout.store.versioning import KEEP_VERSIONS

    with open_store(store_location) as store:
        lieu = store.add_lieu(Lieu(name="Quai"))
        for n in range(KEEP_VERSIONS + 3):
            lieu = store.update_lieu(lieu.with_changes(notes=f"n{n}"))
        assert lieu.version == KEEP_VERSIONS + 3
        if hasattr(store, "history_of"):  # the team database: the last KEEP_VERSIONS
            kept = [n for n, _, _ in store.history_of("lieu", lieu.id)]
            assert kept == list(range(4, KEEP_VERSIONS + 4))
        stale = store.get_lieu(lieu.id).with_changes(version=1, decor="too old")
        with pytest.raises(EditConflict, match="saved by others"):
            store.update_lieu(stale)


@pytest.mark.lang("fr")
def test_a_conflict_and_an_old_layout_are_said_in_french(pg_url: str, run_scout) -> None:
    with open_store(pg_url, user="bruno") as store:
        read = store.add_lieu(Lieu(name="Quai", decor="A"))
        store.update_lieu(read.with_changes(decor="B"))
        with pytest.raises(EditConflict) as refused:
            store.update_lieu(read.with_changes(decor="C"))
    assert str(refused.value) == (
        "lieu 1 : bruno a changé « decor » en « B » depuis que vous l'avez ouvert ; votre "
        "valeur « C » n'a pas été enregistrée, ni rien d'autre de cet enregistrement. "
        "Rouvrez-le pour voir sa version."
    )
    with psycopg.connect(pg_url) as conn:
        conn.execute("UPDATE schema_version SET version = 1")
        conn.commit()
    result = run_scout("list", env={"SCOUT_DB": pg_url})
    assert "a une structure plus ancienne" in result.stderr
    assert "lancez « scout db upgrade »" in result.stderr
