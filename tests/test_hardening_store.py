"""Hardening: the database file is never lost, damaged, or silently rewritten.

Each test reproduces one way a user could lose or damage data and asserts what the user
must see. Real files in temporary folders; the real installed `scout` command where the
behaviour spans processes (locks, FIFOs, symlinks), `scout.cli.main` in-process elsewhere.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import TODAY, scout_executable

from scout.domain import Lieu
from scout.store.documents import lieu_to_dict
from scout.store.journal import COMPACT_MIN_BYTES, encode_line
from scout.store.migrations import SCHEMA_VERSION

# -- helpers -------------------------------------------------------------------------


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def scout(
    *args: str | bytes,
    db: Path | None = None,
    env: dict[str, str] | None = None,
    input: bytes | None = None,
    timeout: float = 60,
    logs: Path | None = None,
) -> Ran:
    """The real installed command, bytes in and out (a hang is a failure, not a wait)."""
    environ = {**os.environ, "SCOUT_TODAY": TODAY, "SCOUT_OFFLINE": "1", **(env or {})}
    if db is not None:
        environ["SCOUT_DB"] = str(db)
    if logs is not None:
        environ["SCOUT_LOG_DIR"] = str(logs)
    try:
        done = subprocess.run(
            [scout_executable(), *args],
            capture_output=True,
            input=input,
            env=environ,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`scout {' '.join(map(str, args))}` hung for more than {timeout} s")
    return Ran(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def run_main(*args: str, stdin: bytes = b"") -> Ran:
    """`scout.cli.main` in this process, with its own standard streams."""
    from scout.cli import main

    out, err = io.BytesIO(), io.BytesIO()
    streams = (sys.stdin, sys.stdout, sys.stderr)
    wrappers = (
        io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"),
        io.TextIOWrapper(out, encoding="utf-8", write_through=True),
        io.TextIOWrapper(err, encoding="utf-8", write_through=True),
    )
    sys.stdin, sys.stdout, sys.stderr = wrappers
    try:
        code = main(list(args))
    finally:
        sys.stdin, sys.stdout, sys.stderr = streams
        for wrapper in wrappers:
            if not wrapper.closed:
                wrapper.flush()
                wrapper.detach()  # the buffers stay readable
    return Ran(
        code, out.getvalue().decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace")
    )


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SCOUT_TODAY", TODAY)
    monkeypatch.setenv("SCOUT_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.delenv("SCOUT_DB", raising=False)


def not_a_bug(ran: Ran) -> None:
    assert ran.returncode != 4, f"exit 4 (a bug): {ran.stderr}"
    assert "unexpected error" not in ran.stderr.lower(), ran.stderr


def listed(db: Path) -> list[dict[str, Any]]:
    ran = run_main("--db", str(db), "list", "--json")
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)


# -- 1. a FIFO or a device as the database -----------------------------------------


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.db"
    os.mkfifo(path)
    return path


def _device(tmp_path: Path) -> Path:
    """A private twin of /dev/null (same major/minor): the system's own is never put at
    risk by a scout that would replace it."""
    path = tmp_path / "null.db"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as e:
        pytest.skip(f"cannot create a device node here ({e}); /dev/null itself is not risked")
    return path


@pytest.mark.parametrize("make", [_fifo, _device], ids=["fifo", "device"])
@pytest.mark.parametrize(
    "command", [["list"], ["add", "--name", "X"], ["demo"]], ids=["list", "add", "demo"]
)
def test_a_fifo_or_a_device_is_refused_and_left_alone(tmp_path: Path, make, command) -> None:
    special = make(tmp_path)
    mode = os.stat(special).st_mode
    ran = scout("--db", str(special), *command, timeout=15, logs=tmp_path / "logs")
    assert ran.returncode == 3, (ran.returncode, ran.stderr)
    assert "not a regular file" in ran.stderr, ran.stderr
    assert str(special) in ran.stderr
    after = os.lstat(special)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(mode), "the FIFO/device was replaced"
    assert not (tmp_path / (special.name + ".bak1")).exists()
    assert not (tmp_path / (special.name + ".tmp")).exists()


# -- 2. a symlinked database ---------------------------------------------------------


def _linked(tmp_path: Path) -> tuple[Path, Path]:
    real = tmp_path / "real" / "s.db"
    real.parent.mkdir()
    link = tmp_path / "link.db"
    link.symlink_to(real)
    return real, link


def test_adds_through_a_symlink_land_in_the_real_file(tmp_path: Path) -> None:
    real, link = _linked(tmp_path)
    assert run_main("--db", str(real), "add", "--name", "Alpha").returncode == 0
    ran = run_main("--db", str(link), "add", "--name", "Bravo")
    assert ran.returncode == 0, ran.stderr
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert [lieu["name"] for lieu in listed(real)] == ["Alpha", "Bravo"]


def test_a_symlink_stays_a_symlink_after_compaction(tmp_path: Path) -> None:
    from scout.store import open_store

    real, link = _linked(tmp_path)
    assert run_main("--db", str(link), "add", "--name", "Alpha").returncode == 0
    store = open_store(link)
    try:  # a journal line larger than COMPACT_MIN_BYTES: the file is compacted
        store.add_lieu(Lieu(name="Big notes", notes="n" * (COMPACT_MIN_BYTES + 4096)))
        store.add_lieu(Lieu(name="After"))
    finally:
        store.close()
    assert link.is_symlink(), "compaction replaced the symlink by a regular file"
    assert os.readlink(link) == str(real)
    assert real.is_file() and not real.is_symlink()
    assert real.stat().st_size > COMPACT_MIN_BYTES  # the data went to the real file
    ran = run_main("--db", str(link), "add", "--name", "Charlie")
    assert ran.returncode == 0, ran.stderr
    assert link.is_symlink()
    names = sorted(lieu["name"] for lieu in listed(real))
    assert names == ["After", "Alpha", "Big notes", "Charlie"]


ADDED = re.compile(r"Added location (?P<id>\d+): (?P<name>\S+)")  # the English run's words
_ADDER = """
import sys
from scout.cli import main
db, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for k in range(count):
    code = main(["--db", db, "add", "--name", f"{tag}-{k}"])
    print(f"RESULT {tag}-{k} {code}", flush=True)
"""


def test_the_lock_is_shared_between_a_symlink_and_its_target(tmp_path: Path) -> None:
    from scout.store import open_store

    real, link = _linked(tmp_path)
    store = open_store(real)
    try:  # a few thousand lieux: each open reads for a while, so two writers overlap
        with store.transaction():
            for n in range(3000):
                store.add_lieu(Lieu(name=f"Seed {n}", notes="seed " * 20))
    finally:
        store.close()
    count = 20
    env = {**os.environ, "SCOUT_TODAY": TODAY, "SCOUT_LOG_DIR": str(tmp_path / "logs")}
    outputs: dict[str, str] = {}

    def adder(db: Path, tag: str) -> None:
        done = subprocess.run(
            [sys.executable, "-c", _ADDER, str(db), tag, str(count)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,  # `python -c` puts the working folder first on the path
            timeout=120,
        )
        outputs[tag] = done.stdout + done.stderr

    threads = [
        threading.Thread(target=adder, args=(link, "viaLink")),
        threading.Thread(target=adder, args=(real, "viaReal")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved: dict[str, int] = {}  # name -> id printed by "Added location N: name"
    codes = []
    for text in outputs.values():
        added = {}
        for line in text.splitlines():
            if said := ADDED.match(line):
                added[said["name"]] = int(said["id"])
            if line.startswith("RESULT "):
                _, name, code = line.split()
                codes.append(int(code))
                if int(code) == 0:
                    saved[name] = added[name]
    assert len(codes) == 2 * count, outputs
    assert set(codes) <= {0, 3}, outputs
    assert len(set(saved.values())) == len(saved), f"two saves got one id: {saved}"
    stored = {lieu["name"]: lieu["id"] for lieu in listed(real)}
    lost = {name: i for name, i in saved.items() if stored.get(name) != i}
    assert not lost, f"said saved, but not in the database: {lost}"
    assert len(set(stored.values())) == len(stored)


# -- 3. damage and torn tails --------------------------------------------------------


def _alpha_bravo(db: Path) -> None:
    for name in ("Alpha", "Bravo"):
        ran = run_main("--db", str(db), "add", "--name", name)
        assert ran.returncode == 0, ran.stderr


def test_a_damaged_complete_last_line_is_reported_not_dropped(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _alpha_bravo(db)
    lines = db.read_bytes().splitlines(keepends=True)
    assert b"Bravo" in lines[-1] and lines[-1].endswith(b"\n")
    lines[-1] = lines[-1].replace(b"Bravo", b"Cravo")  # the CRC no longer matches
    db.write_bytes(b"".join(lines))
    damaged = db.read_bytes()

    shown = scout("--db", str(db), "list", logs=tmp_path / "logs")
    assert shown.returncode == 3, (shown.returncode, shown.stdout, shown.stderr)
    assert f"line {len(lines)}" in shown.stderr, shown.stderr
    assert "backup" in shown.stderr or ".bak" in shown.stderr, "the backups are not named"
    assert db.read_bytes() == damaged

    added = scout("--db", str(db), "add", "--name", "Charlie", logs=tmp_path / "logs")
    assert added.returncode == 3, (added.returncode, added.stdout, added.stderr)
    assert db.read_bytes() == damaged, "a write went ahead on a damaged file"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("s.db.bak")]


def test_a_torn_tail_is_kept_aside_and_said(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _alpha_bravo(db)
    data = db.read_bytes()
    last = data.splitlines(keepends=True)[-1]
    torn = last[: len(last) // 2]  # a crash mid-write: half a line, no newline
    db.write_bytes(data[: len(data) - len(last)] + torn)

    shown = scout("--db", str(db), "list", "--json", logs=tmp_path / "logs")
    assert shown.returncode == 0, shown.stderr
    assert [lieu["name"] for lieu in json.loads(shown.stdout)] == ["Alpha"]

    added = scout("--db", str(db), "add", "--name", "Charlie", logs=tmp_path / "logs")
    assert added.returncode == 0, added.stderr
    copies = [p for p in tmp_path.iterdir() if "torn" in p.name]
    assert copies, f"the torn bytes were not kept beside the file: {os.listdir(tmp_path)}"
    assert any(torn in p.read_bytes() for p in copies)
    assert "torn" in added.stderr.lower() or any(p.name in added.stderr for p in copies), (
        "the user was not told about the torn tail: " + added.stderr
    )
    assert [lieu["name"] for lieu in listed(db)] == ["Alpha", "Charlie"]


# -- OS errors on the database path --------------------------------------------------


def _db_is_a_folder(tmp_path: Path) -> Path:
    path = tmp_path / "folder.db"
    path.mkdir()
    return path


def _parent_is_a_file(tmp_path: Path) -> Path:
    parent = tmp_path / "plain.txt"
    parent.write_text("not a folder\n")
    return parent / "s.db"


def _missing_folder(tmp_path: Path) -> Path:
    return tmp_path / "missing" / "deeper" / "s.db"


@pytest.mark.parametrize(
    "make", [_db_is_a_folder, _parent_is_a_file, _missing_folder], ids=lambda f: f.__name__[1:]
)
@pytest.mark.parametrize("command", [["list"], ["add", "--name", "X"]], ids=["list", "add"])
def test_an_unusable_db_path_is_exit_3_naming_it(tmp_path: Path, make, command) -> None:
    db = make(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    ran = run_main("--db", str(db), *command)
    not_a_bug(ran)
    assert ran.returncode == 3, (ran.returncode, ran.stderr)
    assert str(db) in ran.stderr, ran.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "logs") == [
        n for n in before if n != "logs"
    ], "something was created for an explicit --db that cannot be used"


def test_an_explicit_db_in_a_missing_folder_via_the_command(tmp_path: Path) -> None:
    db = _missing_folder(tmp_path)
    ran = scout("--db", str(db), "add", "--name", "X", logs=tmp_path / "logs")
    assert ran.returncode == 3, (ran.returncode, ran.stderr)
    assert str(db) in ran.stderr
    assert not (tmp_path / "missing").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to a read-only file anyway")
def test_a_read_only_db_file_is_exit_3_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert run_main("--db", str(db), "add", "--name", "Alpha").returncode == 0
    db.chmod(0o444)
    before = db.read_bytes()
    ran = run_main("--db", str(db), "add", "--name", "Bravo")
    not_a_bug(ran)
    assert ran.returncode == 3 and str(db) in ran.stderr, ran.stderr
    assert db.read_bytes() == before


def test_proc_version_is_not_a_scout_database(tmp_path: Path) -> None:
    for command in (["list"], ["add", "--name", "X"]):
        ran = scout("--db", "/proc/version", *command, logs=tmp_path / "logs", timeout=15)
        assert ran.returncode == 3, (ran.returncode, ran.stderr)
        assert "not a scout database" in ran.stderr, ran.stderr
        assert "another scout process" not in ran.stderr, ran.stderr


# -- hand-made database files with valid CRCs ----------------------------------------

ALPHA = lieu_to_dict(Lieu(name="Alpha"))


def _file(header: Any, snapshot: Any, *journal: Any) -> bytes:
    return b"".join(
        encode_line(payload if isinstance(payload, bytes) else orjson.dumps(payload))
        for payload in (header, snapshot, *journal)
    )


def _header(schema: Any) -> dict[str, Any]:
    return {"format": "scout-db", "schema": schema}


GOOD_HEADER = _header(SCHEMA_VERSION)
HANDMADE = {
    "schema 0": _file(_header(0), {"tables": {"lieux": {"1": ALPHA}}, "highwater": {"lieux": 1}}),
    "schema -1": _file(_header(-1), {"tables": {"lieux": {"1": ALPHA}}, "highwater": {}}),
    "schema '2'": _file(_header("2"), {"tables": {"lieux": {"1": ALPHA}}, "highwater": {}}),
    "schema 1.5": _file(_header(1.5), {"tables": {"lieux": {"1": ALPHA}}, "highwater": {}}),
    "schema null": _file(_header(None), {"tables": {"lieux": {"1": ALPHA}}, "highwater": {}}),
    "lieux is a list": _file(GOOD_HEADER, {"tables": {"lieux": [ALPHA]}, "highwater": {}}),
    "lieux is null": _file(GOOD_HEADER, {"tables": {"lieux": None}, "highwater": {}}),
    "a lieu without a name": _file(
        GOOD_HEADER,
        {"tables": {"lieux": {"1": {k: v for k, v in ALPHA.items() if k != "name"}}}},
    ),
    "a lieu that is a number": _file(GOOD_HEADER, {"tables": {"lieux": {"1": 5}}}),
    "a lieu id that is not a number": _file(
        GOOD_HEADER, {"tables": {"lieux": {"abc": ALPHA}}, "highwater": {}}
    ),
    "highwater below the ids": _file(
        GOOD_HEADER, {"tables": {"lieux": {"1": ALPHA}}, "highwater": {"lieux": 0}}
    ),
    "highwater missing": _file(GOOD_HEADER, {"tables": {"lieux": {"1": ALPHA}}}),
    "highwater not a number": _file(
        GOOD_HEADER, {"tables": {"lieux": {"1": ALPHA}}, "highwater": {"lieux": "abc"}}
    ),
    "highwater a list": _file(GOOD_HEADER, {"tables": {"lieux": {"1": ALPHA}}, "highwater": []}),
    "a two-field journal op": _file(
        GOOD_HEADER, {"tables": {}, "highwater": {}}, [["lieux", 1]], [["lieux", 2, ALPHA]]
    ),
    "a journal op with a text id": _file(
        GOOD_HEADER, {"tables": {}, "highwater": {}}, [["lieux", "x", ALPHA]]
    ),
    "a journal op on a table that is not text": _file(
        GOOD_HEADER, {"tables": {}, "highwater": {}}, [[5, 1, ALPHA]]
    ),
    "a journal line that is an object": _file(
        GOOD_HEADER, {"tables": {}, "highwater": {}}, {"lieux": 1}, [["lieux", 2, ALPHA]]
    ),
}


@pytest.mark.parametrize("content", list(HANDMADE.values()), ids=list(HANDMADE))
def test_a_hand_made_file_opens_or_is_refused_never_a_crash(tmp_path: Path, content) -> None:
    db = tmp_path / "s.db"
    db.write_bytes(content)
    shown = run_main("--db", str(db), "list", "--json")
    not_a_bug(shown)
    assert shown.returncode in (0, 3), (shown.returncode, shown.stderr)
    added = run_main("--db", str(db), "add", "--name", "New")
    not_a_bug(added)
    assert "already exists" not in added.stderr, added.stderr
    if shown.returncode == 3:
        assert added.returncode == 3, (added.returncode, added.stderr)
        assert db.read_bytes() == content, "a refused file was changed"
        return
    assert added.returncode == 0, added.stderr
    before_ids = {lieu["id"] for lieu in json.loads(shown.stdout)}
    after = listed(db)
    new_id = next(lieu["id"] for lieu in after if lieu["name"] == "New")
    assert new_id not in before_ids, f"the new lieu took an existing id {new_id}"
    ids = [lieu["id"] for lieu in after]
    assert len(ids) == len(set(ids)) and before_ids | {new_id} == set(ids)
    assert "New" in [lieu["name"] for lieu in after]
