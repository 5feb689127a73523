"""Tier 1: the journaled TinyDB store — durable, atomic, one writer, never overwrites damage."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import orjson
import pytest

from scout.domain import Lieu, Production
from scout.errors import CorruptDatabase, DatabaseLocked, NotFound, ReadOnlyDatabase, StoreError
from scout.store import open_store
from scout.store.journal import encode_line
from scout.store.migrations import SCHEMA_VERSION


def test_saved_lieux_survive_reopening(db_path: Path) -> None:
    with open_store(db_path) as store:
        production = store.add_production(Production(name="Film"))
        first = store.add_lieu(Lieu(name="Café de Flore", production_id=production.id))
        second = store.add_lieu(Lieu(name="Deux Magots"))
        store.update_lieu(first.with_changes(decor="CAFÉ"))
        store.delete_lieu(second.id)
    with open_store(db_path) as store:
        assert [lieu.name for lieu in store.query_lieux()] == ["Café de Flore"]
        assert store.get_lieu(first.id).decor == "CAFÉ"
        assert store.get_production(production.id).name == "Film"
        with pytest.raises(NotFound):
            store.get_lieu(second.id)


def test_ids_are_never_reused_after_a_delete(db_path: Path) -> None:
    with open_store(db_path) as store:
        a = store.add_lieu(Lieu(name="A"))
        b = store.add_lieu(Lieu(name="B"))
        store.delete_lieu(b.id)
    with open_store(db_path) as store:
        assert store.add_lieu(Lieu(name="C")).id == b.id + 1
        assert a.id == 1


def test_a_failed_transaction_leaves_nothing_behind(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.add_lieu(Lieu(name="Kept"))
        with pytest.raises(RuntimeError), store.transaction():
            store.add_lieu(Lieu(name="Half"))
            store.update_lieu(store.get_lieu(1).with_changes(decor="changed"))
            raise RuntimeError("power cut in the middle of an import")
        assert [(lieu.name, lieu.decor) for lieu in store.query_lieux()] == [("Kept", "")]
    with open_store(db_path) as store:
        assert [(lieu.name, lieu.decor) for lieu in store.query_lieux()] == [("Kept", "")]


def test_a_batch_is_one_journal_line(db_path: Path) -> None:
    with open_store(db_path) as store:
        size = db_path.stat().st_size
        with store.transaction():
            for i in range(500):
                store.add_lieu(Lieu(name=f"Lieu {i}"))
        assert db_path.read_bytes()[size:].count(b"\n") == 1
        assert store.count_lieux() == 500


def test_a_torn_last_write_is_dropped_and_the_rest_kept(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.add_lieu(Lieu(name="Acknowledged"))
    with db_path.open("ab") as f:  # a crash in the middle of the next write
        f.write(encode_line(b'[["lieux",2,{"name":"never acknowledged"}]]')[:30])
    with open_store(db_path) as store:
        assert [lieu.name for lieu in store.query_lieux()] == ["Acknowledged"]
        store.add_lieu(Lieu(name="After the crash"))
    with open_store(db_path) as store:
        assert [lieu.name for lieu in store.query_lieux()] == ["Acknowledged", "After the crash"]


def test_damage_in_the_middle_is_reported_and_the_file_left_alone(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.add_lieu(Lieu(name="One"))
        store.add_lieu(Lieu(name="Two"))
    lines = db_path.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b"One", b"0ne")  # CRC no longer matches
    damaged = b"".join(lines)
    db_path.write_bytes(damaged)
    with pytest.raises(CorruptDatabase, match="damaged at line 3"):
        open_store(db_path)
    assert db_path.read_bytes() == damaged


@pytest.mark.parametrize(
    "content, message",
    [
        (b'{"_default": {"1": {"a": 1}}}', "a JSON file, but not a scout database"),
        (b"\x89PNG\r\n\x1a\n\0\0\0", "a binary file"),
        (b"name;address\nCafe;1 rue X\n", "not a scout database"),
        (b'c9fa4f11 {"format":"scout-db"', "not a scout database"),  # truncated header
    ],
)
def test_foreign_or_truncated_files_are_refused_and_untouched(
    db_path: Path, content: bytes, message: str
) -> None:
    db_path.write_bytes(content)
    with pytest.raises(CorruptDatabase, match=message):
        open_store(db_path)
    assert db_path.read_bytes() == content


def test_a_file_from_a_newer_scout_is_refused(db_path: Path) -> None:
    content = encode_line(
        orjson.dumps({"format": "scout-db", "schema": SCHEMA_VERSION + 1})
    ) + encode_line(b'{"tables":{}}')
    db_path.write_bytes(content)
    with pytest.raises(CorruptDatabase, match="newer scout"):
        open_store(db_path)
    assert db_path.read_bytes() == content


def test_an_older_file_is_migrated_and_the_original_kept(db_path: Path) -> None:
    v1 = {
        "tables": {"lieux": {"1": {"name": "Café", "lat": 48.85, "lon": 2.35, "contact": "Marc"}}},
        "highwater": {"lieux": 1},
    }
    original = encode_line(orjson.dumps({"format": "scout-db", "schema": 1})) + encode_line(
        orjson.dumps(v1)
    )
    db_path.write_bytes(original)
    with open_store(db_path) as store:
        assert store.migrated_from == 1
        lieu = store.get_lieu(1)
        assert (lieu.position.lat, lieu.position.lon) == (48.85, 2.35)
        assert lieu.contacts[0].name == "Marc"
    assert (db_path.parent / "scout.db.schema1.bak").read_bytes() == original
    header = orjson.loads(db_path.read_bytes().splitlines()[0][9:])
    assert header["schema"] == SCHEMA_VERSION


def test_compaction_keeps_rotating_backups_of_the_last_good_state(db_path: Path) -> None:
    with open_store(db_path) as store:
        for round_ in range(5):
            store.add_lieu(Lieu(name=f"Round {round_}"))
            store._storage.compact()  # what a long session does by itself
    backups = sorted(p.name for p in db_path.parent.glob("scout.db.bak*"))
    assert backups == ["scout.db.bak1", "scout.db.bak2", "scout.db.bak3"]
    # each backup is the file as it stood before a compaction: readable, with its lieux
    for n, expected in ((1, 5), (2, 4), (3, 3)):
        with open_store(db_path.parent / f"scout.db.bak{n}", read_only=True) as previous:
            assert previous.count_lieux() == expected
    with open_store(db_path) as store:
        assert store.count_lieux() == 5


def test_read_only_store_refuses_writes(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.add_lieu(Lieu(name="A"))
    with open_store(db_path, read_only=True) as store:
        with pytest.raises(ReadOnlyDatabase):
            store.add_lieu(Lieu(name="B"))
        assert store.count_lieux() == 1


def test_a_full_disk_is_reported_and_memory_rolled_back(db_path: Path) -> None:
    store = open_store(db_path)
    store.add_lieu(Lieu(name="Saved"))
    os.close(store._storage._fd)  # the next write fails, as on a full or vanished disk
    store._storage._fd = os.open(os.devnull, os.O_RDONLY)
    with pytest.raises(StoreError, match="could not save"):
        store.add_lieu(Lieu(name="Lost"))
    assert [lieu.name for lieu in store.query_lieux()] == ["Saved"]


HOLDER = textwrap.dedent("""
    import sys, time
    from scout.store import open_store
    store = open_store(sys.argv[1])
    print("locked", flush=True)
    time.sleep(60)
""")


def test_a_second_writer_is_refused_or_gets_a_read_only_view(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.add_lieu(Lieu(name="Mine"))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseLocked, match="open in another scout process"):
            open_store(db_path)
        view = open_store(db_path, on_locked="read-only")
        assert view.read_only and view.locked_by_other
        assert [lieu.name for lieu in view.query_lieux()] == ["Mine"]
        view.close()
    finally:
        holder.kill()
        holder.wait()
    with open_store(db_path) as store:  # the lock dies with its process
        assert store.count_lieux() == 1


WRITER = textwrap.dedent("""
    import sys
    from scout.domain import Lieu
    from scout.store import open_store
    store = open_store(sys.argv[1])
    n = store.count_lieux() - 1
    while True:
        n += 1
        if n % 3 == 0:
            with store.transaction():
                store.add_lieu(Lieu(name=f"lieu {n}"))
                store.update_lieu(store.get_lieu(1).with_changes(notes=f"after {n}"))
        else:
            store.add_lieu(Lieu(name=f"lieu {n}"))
        print(n, flush=True)
""")


def test_kill_9_at_random_moments_loses_no_acknowledged_change(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.add_lieu(Lieu(name="lieu 0"))
    rng = random.Random(7)
    acknowledged = 0
    for _ in range(12):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db_path)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None
        first = writer.stdout.readline()  # started: the kill lands among its writes,
        time.sleep(rng.random() * 0.4)  # however long a loaded machine took to start it
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate()
        numbers = [int(x) for x in (first + out).split()]
        if numbers:
            acknowledged = max(acknowledged, numbers[-1])
        with open_store(db_path) as store:
            names = {lieu.name for lieu in store.query_lieux()}
            missing = [n for n in range(1, acknowledged + 1) if f"lieu {n}" not in names]
            assert not missing, f"acknowledged but lost: {missing[:5]}"
            # a transaction is whole or absent: its note never runs ahead of its lieu
            note = store.get_lieu(1).notes
            if note:
                assert f"lieu {note.split()[-1]}" in names
    assert acknowledged > 50


# -- what the person reads: in the language of the run ------------------------------------


def _damaged(run_scout, db_path: Path) -> bytes:
    """A database of two lieux whose third line (the first saved change) is damaged."""
    for name in ("One", "Two"):
        assert run_scout("add", "--name", name).returncode == 0
    lines = db_path.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b"One", b"0ne")  # the CRC no longer matches
    db_path.write_bytes(b"".join(lines))
    return b"".join(lines)


def test_a_damaged_database_is_reported_in_english(run_scout, db_path: Path) -> None:
    damaged = _damaged(run_scout, db_path)
    shown = run_scout("list")
    assert shown.returncode == 3, shown.stderr
    assert (
        f"{db_path} is damaged at line 3 of 4: a saved change cannot be read. The file was "
        "not touched; no backup exists." in shown.stderr
    )
    assert db_path.read_bytes() == damaged


@pytest.mark.lang("fr")
def test_a_damaged_database_is_reported_in_french(run_scout, db_path: Path) -> None:
    damaged = _damaged(run_scout, db_path)
    shown = run_scout("list")
    assert shown.returncode == 3, shown.stderr
    assert (
        f"{db_path} est endommagé à la ligne 3 sur 4 : une modification enregistrée est "
        "illisible. Le fichier n'a pas été modifié ; il n'existe aucune sauvegarde." in shown.stderr
    )
    assert "not touched" not in shown.stderr and db_path.read_bytes() == damaged


@pytest.mark.lang("fr")
def test_a_foreign_file_and_a_busy_database_are_said_in_french(db_path: Path) -> None:
    other = db_path.with_name("export.json")
    other.write_bytes(b'{"lieux": []}')
    with pytest.raises(CorruptDatabase) as foreign:
        open_store(other)
    assert str(foreign.value) == (
        f"{other} est un fichier JSON, mais pas une base scout. Il n'a pas été modifié ; "
        "choisissez un autre fichier avec --db."
    )
    with open_store(db_path) as store:
        with pytest.raises(DatabaseLocked, match="est ouvert dans un autre processus scout"):
            open_store(db_path)
        with pytest.raises(NotFound, match="^aucun lieu avec l'identifiant 7$"):
            store.get_lieu(7)
    refused = pytest.raises(ReadOnlyDatabase, match="lecture seule : rien n'a été enregistré")
    with open_store(db_path, read_only=True) as view, refused:
        view.add_lieu(Lieu(name="B"))


@pytest.mark.lang("fr")
def test_a_torn_tail_is_said_in_french(run_scout, db_path: Path) -> None:
    assert run_scout("add", "--name", "Acknowledged").returncode == 0
    with db_path.open("ab") as f:  # a crash in the middle of the next write
        f.write(encode_line(b'[["lieux",2,{"name":"never acknowledged"}]]')[:30])
    added = run_scout("add", "--name", "After")
    assert added.returncode == 0, added.stderr
    assert "se termine par un enregistrement inachevé" in added.stderr, added.stderr
    assert "Ses 30 octets sont conservés dans" in added.stderr


@pytest.mark.parametrize(
    "said",
    [
        "not enough free space beside {path} ({free} bytes free, {needed} needed)",
        pytest.param(
            "pas assez d'espace libre à côté de {path} ({free} octets libres, {needed} ",
            marks=pytest.mark.lang("fr"),
        ),
    ],
)
def test_free_space_is_counted_as_the_language_writes_numbers(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, said: str
) -> None:
    from scout.store import journal

    full = type("Usage", (), {"free": 1_234_567})
    monkeypatch.setattr(journal.shutil, "disk_usage", lambda _: full)
    with pytest.raises(StoreError) as caught:
        journal._check_free_space(db_path, 2_000_000)
    free, needed = ("1,234,567", "2,000,000") if language == "en" else ("1 234 567", "2 000 000")
    if language == "fr":  # the French thousands separator is a narrow no-break space
        free, needed = free.replace(" ", "\u202f"), needed.replace(" ", "\u202f")
    assert str(caught.value).startswith(said.format(path=db_path, free=free, needed=needed))


@pytest.mark.lang("fr")
def test_an_unexpected_error_is_one_french_line_and_the_log_stays_english(tmp_path: Path) -> None:
    from scout.logs import log_once

    log = tmp_path / "logs" / "scout.log"
    line = log_once(ValueError("boom"), log)
    assert line == f"erreur inattendue : ValueError : boom (détails dans {log})"
    assert "unexpected error" in log.read_text(encoding="utf-8")  # for whoever fixes it


@pytest.mark.lang("fr")
def test_a_file_that_cannot_be_written_is_said_in_french(tmp_path: Path) -> None:
    from scout.files import OutputError, write_atomic

    with pytest.raises(OutputError) as caught:
        write_atomic(tmp_path / "nowhere" / "out.ics", b"x")
    assert str(caught.value) == (
        f"{tmp_path / 'nowhere'} n'existe pas : impossible d'écrire "
        f"{tmp_path / 'nowhere' / 'out.ics'} ; rien n'a été écrit"
    )
