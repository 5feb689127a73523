from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "paris"
TODAY = "2026-11-23"

RunScout = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(autouse=True)
def language(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The language of the test: English unless it is marked `@pytest.mark.lang("fr")`;
    set for the in-process runs (SCOUT_LANG) and for what the test builds itself."""
    from scout import i18n

    marker = request.node.get_closest_marker("lang")
    chosen = marker.args[0] if marker else "en"
    monkeypatch.setenv("SCOUT_LANG", chosen)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    i18n.activate(chosen)
    return str(chosen)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reaches the internet: geocoding is offline unless a test points it at its
    own server on 127.0.0.1, and no user config file is read."""
    monkeypatch.setenv("SCOUT_OFFLINE", "1")
    monkeypatch.setenv("SCOUT_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("SCOUT_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("SCOUT_BAN_URL", "http://127.0.0.1:9/geocodage")
    monkeypatch.setenv("SCOUT_NOMINATIM_URL", "http://127.0.0.1:9/nominatim")


@pytest.fixture
def shared_dir() -> Path:
    """The City's reference data, beside the repository (as in CI), or the test skips."""
    if not SHARED.exists():
        pytest.skip(f"the City's reference data is not at {SHARED}")
    return SHARED


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "scout.db"


def scout_executable() -> str:
    """The installed `scout` entry point, next to the running interpreter."""
    beside = Path(sys.executable).parent / "scout"
    found = str(beside) if beside.exists() else shutil.which("scout")
    if not found:
        pytest.fail("the `scout` command is not installed: pip install . first")
    return found


def scout_environment(
    db: Path, tmp_path: Path, env: dict[str, str] | None = None
) -> dict[str, str]:
    """What every run of scout gets on top of the test's environment: its database, a log
    directory of its own, a fixed today, then the test's own variables."""
    return {
        "SCOUT_DB": str(db),
        "SCOUT_LOG_DIR": str(tmp_path / "logs"),
        "SCOUT_TODAY": TODAY,
        **(env or {}),
    }


class _Output(io.BytesIO):
    """What scout writes to a standard stream. `main` closes standard error on a broken
    pipe; what was written stays readable."""

    def close(self) -> None:
        pass


def _text_of(output: _Output) -> str:
    """Decoded as `subprocess.run(text=True)` decodes: universal newlines."""
    return output.getvalue().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def run_in_process(
    args: list[str], input: str | None, environ: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """`scout.cli.main(args)` in this process, as the installed command would run it: the
    environment variables set for this run only, standard input a text stream (empty
    without `input`, as /dev/null), standard output and error text streams over bytes
    (`export ics` writes bytes to `sys.stdout.buffer`), the exit code returned. What the
    run adds to the "scout" logger is closed and removed afterwards."""
    from scout.cli import main

    logger = logging.getLogger("scout")
    handlers, level = list(logger.handlers), logger.level
    out, err = _Output(), _Output()
    stdin = io.TextIOWrapper(io.BytesIO((input or "").encode("utf-8")), "utf-8", newline="\n")
    stdout = io.TextIOWrapper(out, "utf-8", newline="\n", write_through=True)
    stderr = io.TextIOWrapper(
        err, "utf-8", errors="backslashreplace", newline="\n", write_through=True
    )
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environ.items():
            patch.setenv(name, value)
        patch.setattr(sys, "stdin", stdin)
        patch.setattr(sys, "stdout", stdout)
        patch.setattr(sys, "stderr", stderr)
        try:
            code = main(args)
        except SystemExit as e:  # as the interpreter turns it into an exit code
            if e.code is None or isinstance(e.code, int):
                code = e.code or 0
            else:
                print(e.code, file=stderr)
                code = 1
        finally:
            stdout.flush()
            stderr.flush()
            for handler in list(logger.handlers):
                if handler not in handlers:
                    logger.removeHandler(handler)
                    handler.close()
            logger.setLevel(level)
    return subprocess.CompletedProcess(["scout", *args], code, _text_of(out), _text_of(err))


@pytest.fixture
def run_scout(db_path: Path, tmp_path: Path) -> RunScout:
    """Run the `scout` command in this process (`scout.cli.main`) on a temporary
    database; nothing it sets outlives the run."""

    def run(
        *args: str,
        input: str | None = None,
        db: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return run_in_process(list(args), input, scout_environment(db or db_path, tmp_path, env))

    return run


@pytest.fixture
def run_installed_scout(db_path: Path, tmp_path: Path) -> RunScout:
    """Run the real installed `scout` command, in a process of its own, on a temporary
    database: for the few tests that prove the command works end to end."""

    def run(
        *args: str,
        input: str | None = None,
        db: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [scout_executable(), *args],
            capture_output=True,
            text=True,
            input=input,
            env={**os.environ, **scout_environment(db or db_path, tmp_path, env)},
            timeout=60,
        )

    return run


# -- the team store (PostgreSQL): see tests/pg.py ------------------------------------------
@pytest.fixture(scope="session")
def pg_server():  # type: ignore[no-untyped-def]
    """One real PostgreSQL for the session: SCOUT_TEST_PG, else a pgserver of our own."""
    from pg import session_server

    yield from session_server()


@pytest.fixture
def pg_url(pg_server) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A fresh database with scout's schema, dropped after the test."""
    url = pg_server.fresh()
    yield url
    pg_server.drop(url)


@pytest.fixture(params=["tinydb", "postgresql"])
def store_kind(request: pytest.FixtureRequest) -> str:
    """Run the test on both stores: the local file and the team database."""
    return str(request.param)


@pytest.fixture
def store_location(store_kind: str, request: pytest.FixtureRequest, db_path: Path) -> str:
    """What `open_store` / `--db` takes for the store of the test: a file or a URL."""
    if store_kind == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return str(db_path)
