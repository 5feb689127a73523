from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "paris"
TODAY = "2026-11-23"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reaches the internet: geocoding is offline unless a test points it at its
    own server on 127.0.0.1, and no user config file is read."""
    monkeypatch.setenv("SCOUT_OFFLINE", "1")
    monkeypatch.setenv("SCOUT_CONFIG", str(tmp_path / "no-config.toml"))
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


@pytest.fixture
def run_scout(db_path: Path, tmp_path: Path):
    """Run the real installed `scout` command on a temporary database."""

    def run(
        *args: str,
        input: str | None = None,
        db: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        environ = {
            **os.environ,
            "SCOUT_DB": str(db or db_path),
            "SCOUT_LOG_DIR": str(tmp_path / "logs"),
            "SCOUT_TODAY": TODAY,
            **(env or {}),
        }
        return subprocess.run(
            [scout_executable(), *args],
            capture_output=True,
            text=True,
            input=input,
            env=environ,
            timeout=60,
        )

    return run
