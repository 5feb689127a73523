"""Bad input for the team commands (`scout production …`, `checkout`, `sync`, `db`,
`serve`): the user reads what is wrong and where, the exit code is not 0, what was saved
stays, no traceback, and a database password is never printed."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest
from conftest import RunScout, scout_environment, scout_executable

SECRET = "s3cret-Pw"


def _closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then freed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _no_secret(result: subprocess.CompletedProcess[str], tmp_path: Path) -> None:
    assert SECRET not in result.stdout + result.stderr
    log = tmp_path / "logs" / "scout.log"
    assert not log.exists() or SECRET not in log.read_text(encoding="utf-8")


def _names(run_scout: RunScout) -> list[str]:
    listed = run_scout("production", "list", "--all", "--json")
    assert listed.returncode == 0, listed.stderr
    return [p["name"] for p in json.loads(listed.stdout)]


@pytest.fixture
def film(run_scout: RunScout) -> RunScout:
    """A database with one production, « Film A », current, and one location in it."""
    assert run_scout("production", "add", "Film A", "--use").returncode == 0
    added = run_scout("add", "--name", "Café des Deux Moulins", "--address", "15 rue Lepic")
    assert added.returncode == 0, added.stderr
    return run_scout


# -- production names ----------------------------------------------------------------------
def test_a_huge_production_name_is_refused_and_nothing_is_saved(film: RunScout) -> None:
    result = film("production", "add", "x" * 10_000)
    assert result.returncode == 1
    assert "longer than 200 characters" in result.stderr
    assert "Traceback" not in result.stderr
    assert _names(film) == ["Film A"]
    renamed = film("production", "rename", "Film A", "y" * 10_000)
    assert renamed.returncode == 1 and "longer than 200" in renamed.stderr
    assert _names(film) == ["Film A"]


@pytest.mark.parametrize("bad", ["a\x07b", "Film\x1b[2J", "\u202eA\x9b"])
def test_a_production_name_with_a_control_character_is_refused(film: RunScout, bad: str) -> None:
    result = film("production", "add", bad)
    assert result.returncode == 1
    assert "control character" in result.stderr and "position" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert film("production", "rename", "1", bad).returncode == 1
    assert _names(film) == ["Film A"]


def test_emoji_and_right_to_left_names_are_kept_and_twins_refused(film: RunScout) -> None:
    assert film("production", "add", "🎬 Nuit blanche").returncode == 0
    for twin in ("film a", "FILM Á", "  Film   A "):
        result = film("production", "add", twin)
        assert result.returncode == 1
        assert "«Film A» already (id 1)" in result.stderr
    assert sorted(_names(film)) == ["Film A", "🎬 Nuit blanche"]


@pytest.mark.parametrize("which", ["999", "-1", "", "   ", "Film Z"])
def test_a_production_that_does_not_exist_is_named(film: RunScout, which: str) -> None:
    for command in ("use", "archive", "unarchive"):
        result = film("production", command, which)
        assert result.returncode == 1, command
        assert "production" in result.stderr and "Traceback" not in result.stderr
    moved = film("production", "move", "1", which)
    assert moved.returncode == 1
    assert _names(film) == ["Film A"]


def test_a_location_that_does_not_exist_is_named(film: RunScout) -> None:
    assert film("production", "add", "Film B").returncode == 0
    missing = film("production", "copy", "999", "Film B")
    assert missing.returncode == 1 and "no location with id 999" in missing.stderr
    negative = film("production", "move", "--", "-3", "Film B")
    assert negative.returncode == 2 and "-3 is not a location id" in negative.stderr


# -- checkout and sync files ---------------------------------------------------------------
def test_sync_of_a_folder_a_device_or_nothing_says_what_it_is(
    film: RunScout, tmp_path: Path
) -> None:
    folder = film("sync", str(tmp_path))
    assert folder.returncode == 1 and "is a folder" in folder.stderr
    device = film("sync", "/dev/null")
    assert device.returncode == 1 and "is not a file" in device.stderr
    empty = film("sync", "")
    assert empty.returncode == 1 and "no file named" in empty.stderr
    missing = film("sync", str(tmp_path / "nothing.db"))
    assert missing.returncode == 1 and "does not exist" in missing.stderr


def test_sync_of_files_that_are_not_checkouts(
    film: RunScout, tmp_path: Path, db_path: Path
) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"_default": {"1": {"a": 1}}}', encoding="utf-8")
    before = other.read_bytes()
    result = film("sync", str(other))
    assert result.returncode != 0 and "not a scout database" in result.stderr
    assert other.read_bytes() == before
    binary = tmp_path / "bin.db"
    binary.write_bytes(b"garbage\x00\x01\xff")
    result = film("sync", str(binary))
    assert result.returncode != 0 and "not a scout database" in result.stderr
    itself = film("sync", str(db_path))
    assert itself.returncode == 1 and "not a checkout" in itself.stderr


def test_checkout_to_a_bad_place_writes_nothing(film: RunScout, tmp_path: Path) -> None:
    for target, said in (
        ("", "no file named"),
        (str(tmp_path), "exists and is not a checkout"),
        ("/dev/null", "exists and is not a checkout"),
        (str(tmp_path / "no" / "such" / "co.db"), "does not exist"),
    ):
        result = film("checkout", "--production", "Film A", "--to", target)
        assert result.returncode == 1, target
        assert said in result.stderr, (target, result.stderr)
    assert not (tmp_path / "no").exists()
    nameless = film("checkout", "--to", str(tmp_path / "co.db"))
    assert nameless.returncode == 1 and "--production" in nameless.stderr
    assert not (tmp_path / "co.db").exists()


def test_the_same_checkout_synced_twice_at_once_stays_whole(
    film: RunScout, tmp_path: Path, db_path: Path
) -> None:
    checkout = tmp_path / "co.db"
    made = film("checkout", "--production", "Film A", "--to", str(checkout))
    assert made.returncode == 0, made.stderr
    import os

    env = {**os.environ, **scout_environment(db_path, tmp_path)}
    runs = [
        subprocess.Popen(
            [scout_executable(), "sync", str(checkout)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert "Traceback" not in err
        assert run.returncode == 0 or "scout:" in err  # one may wait for the other's lock
    assert any(run.returncode == 0 for run in runs)
    again = film("--db", str(checkout), "list")
    assert again.returncode == 0 and "Café des Deux Moulins" in again.stdout
    assert film("sync", str(checkout)).returncode == 0


# -- database URLs --------------------------------------------------------------------------
def test_a_url_of_another_kind_of_database_is_refused_without_its_password(
    run_scout: RunScout, tmp_path: Path
) -> None:
    url = f"mysql://ana:{SECRET}@127.0.0.1:{_closed_port()}/scout"
    for args in (("db", "status"), ("db", "upgrade"), ("list",), ("production", "list")):
        result = run_scout("--db", url, *args)
        assert result.returncode == 3, args
        assert "cannot use a «mysql» database" in result.stderr
        _no_secret(result, tmp_path)
    assert not list(tmp_path.glob("mysql*"))


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://ana:{SECRET}@[::1/scout",
        f"postgresql://ana:{SECRET}@127.0.0.1:99999/scout",
        f"postgresql://ana:{SECRET}@127.0.0.1:port/scout",
        f"postgresql://ana@127.0.0.1:1/scout?password={SECRET}&sslmode=bogus",
    ],
)
def test_a_malformed_team_url_is_said_without_its_password(
    run_scout: RunScout, tmp_path: Path, url: str
) -> None:
    for args in (("db", "status"), ("db", "upgrade"), ("list",), ("sync", "x.db")):
        result = run_scout("--db", url, *args)
        assert result.returncode in (1, 3), (args, result.stderr)
        assert result.stderr.startswith("scout: ")
        assert "unexpected" not in result.stderr
        _no_secret(result, tmp_path)


def test_a_team_server_that_does_not_answer(run_installed_scout: RunScout, tmp_path: Path) -> None:
    url = f"postgresql://ana:{SECRET}@127.0.0.1:{_closed_port()}/scout"
    for args in (("db", "status"), ("db", "upgrade"), ("production", "list")):
        result = run_installed_scout("--db", url, *args)
        assert result.returncode == 3
        assert "cannot be reached" in result.stderr and "ana:***@127.0.0.1" in result.stderr
        _no_secret(result, tmp_path)


def test_db_commands_on_a_local_file_say_so(film: RunScout, db_path: Path) -> None:
    result = film("db", "upgrade")
    assert result.returncode == 3 and "is a local file" in result.stderr


# -- scout serve --------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["folder", "json", "url"])
def test_serve_says_at_once_a_database_it_cannot_open(
    run_scout: RunScout, tmp_path: Path, kind: str
) -> None:
    db = {
        "folder": str(tmp_path),
        "json": str(tmp_path / "other.json"),
        "url": f"postgresql://ana:{SECRET}@[::1/scout",
    }[kind]
    (tmp_path / "other.json").write_text('{"a": 1}', encoding="utf-8")
    result = run_scout("--db", db, "serve", "--port", str(_closed_port()))
    assert result.returncode != 0
    assert "in a browser" not in result.stderr  # it did not start
    assert result.stderr.startswith("scout: ")
    _no_secret(result, tmp_path)


def test_serve_refuses_a_production_that_does_not_exist(film: RunScout) -> None:
    result = film("--production", "Film Z", "serve", "--port", str(_closed_port()))
    assert result.returncode == 1 and "no production «Film Z»" in result.stderr


# -- the state file -----------------------------------------------------------------------
@pytest.mark.parametrize("damage", ["garbage", "nul", "list", "wrong-types", "folder"])
def test_a_damaged_state_file_does_not_stop_scout(
    film: RunScout, tmp_path: Path, damage: str
) -> None:
    state = tmp_path / "state" / "state.json"
    state.parent.mkdir(exist_ok=True)
    state.unlink(missing_ok=True)
    if damage == "folder":
        state.mkdir()
    else:
        state.write_bytes(
            {
                "garbage": b"{{{not json",
                "nul": b"\x00\x00\xff",
                "list": b"[1, 2]",
                "wrong-types": b'{"production": "abc", "views": 5}',
            }[damage]
        )
    listed = film("list")
    assert listed.returncode == 0 and "Café des Deux Moulins" in listed.stdout
    used = film("production", "use", "Film A")
    assert used.returncode == 0 and "Now working on «Film A»" in used.stdout
    assert "Traceback" not in listed.stderr + used.stderr


@pytest.mark.parametrize("kind", ["folder", "json", "url"])
def test_the_read_only_tui_says_a_database_it_cannot_open(
    run_scout: RunScout, tmp_path: Path, kind: str
) -> None:
    (tmp_path / "other.json").write_text('{"a": 1}', encoding="utf-8")
    db = {
        "folder": str(tmp_path),
        "json": str(tmp_path / "other.json"),
        "url": f"postgresql://ana:{SECRET}@[::1/scout",
    }[kind]
    result = run_scout("--db", db, "tui", "--read-only")
    assert result.returncode == 3
    assert result.stderr.startswith("scout: ") and "unexpected" not in result.stderr
    _no_secret(result, tmp_path)


def test_productions_are_not_changed_in_a_checkout(
    film: RunScout, tmp_path: Path, db_path: Path
) -> None:
    """`scout sync` carries locations, not productions: a change there would be lost."""
    checkout = tmp_path / "co.db"
    assert film("checkout", "--production", "Film A", "--to", str(checkout)).returncode == 0
    assert film("production", "add", "Film B").returncode == 0
    before = checkout.read_bytes()
    for args in (
        ("add", "Local"),
        ("rename", "Film A", "Film A bis"),
        ("archive", "Film A"),
        ("unarchive", "Film A"),
        ("copy", "1", "Film A"),
        ("move", "1", "Film A"),
    ):
        result = film("--db", str(checkout), "production", *args)
        assert result.returncode == 1, args
        assert "is a checkout of «Film A»" in result.stderr
        assert str(db_path) in result.stderr
    assert checkout.read_bytes() == before
    assert film("--db", str(checkout), "production", "use", "Film A").returncode == 0
    assert film("--db", str(checkout), "production", "list").returncode == 0
    synced = film("sync", str(checkout))
    assert synced.returncode == 0 and "0 pushed" in synced.stdout
