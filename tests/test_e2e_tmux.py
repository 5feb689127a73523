"""A newcomer's whole round, as a person at a real 80×24 terminal would do it: the installed
`scout` in tmux on a demo database, find a lieu by part of its street, see it on the map,
add a permit to it, quit; then the database file says the permit is there."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import scout_environment, scout_executable


class Terminal:
    """One tmux server of the test's own (its own socket), one window of 80×24."""

    def __init__(self, tmp_path: Path, env: dict[str, str]) -> None:
        self.socket = f"scout-e2e-{os.getpid()}-{tmp_path.name}"
        self.env = env

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20
        )
        return done.stdout

    def start(self, command: list[str]) -> None:
        flags = [f"-e{name}={value}" for name, value in self.env.items()]
        self.tmux("new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", *flags, *command)
        # Escape at once: tmux would otherwise hold it to see whether a key follows (Alt+…).
        self.tmux("set-option", "-s", "escape-time", "0")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "e2e", *(["-l"] if literal else []), *keys)

    def wait_for(self, what: Callable[[str], bool], label: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < end:
            shown = self.screen()
            if what(shown):
                return shown
            time.sleep(0.2)
        raise AssertionError(f"never saw {label} on the screen; it shows:\n{shown}")

    def alive(self) -> bool:
        return "e2e" in self.tmux("list-sessions")

    def stop(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal(tmp_path: Path, db_path: Path) -> Terminal:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed (apt-get install -y tmux): .ci/run installs it")
    env = scout_environment(
        db_path,
        tmp_path,
        {
            "SCOUT_LANG": "en",
            "SCOUT_STATE_DIR": str(tmp_path / "state"),
            "SCOUT_CONFIG": str(tmp_path / "no-config.toml"),
            "SCOUT_OFFLINE": "1",
            "TERM": "xterm-256color",
        },
    )
    term = Terminal(tmp_path, env)
    yield term
    term.stop()


def test_a_newcomer_finds_a_lieu_maps_it_and_files_its_permit(
    terminal: Terminal, run_installed_scout, db_path: Path
) -> None:
    assert run_installed_scout("demo").returncode == 0
    before = _permits_of_rue_cremieux(db_path)

    terminal.start([scout_executable()])
    terminal.wait_for(lambda s: "14 locations" in s, "the demo's 14 locations")

    # Part of its street, without the accent, as one types in a hurry.
    terminal.keys("/")
    terminal.wait_for(lambda s: s.splitlines()[1].startswith(" ▊"), "the filter box")
    time.sleep(0.3)  # as a person does: the box is there, then one types
    terminal.keys("cremieux", literal=True)
    shown = terminal.wait_for(lambda s: "1 / 14 locations" in s, "the list narrowed to one")
    assert "Rue Crémieux" in shown
    terminal.keys("Enter")

    terminal.keys("m")
    shown = terminal.wait_for(lambda s: "zoom" in s and "Seine" in s, "the map")
    assert "▸ Rue Crémieux" in shown  # the lieu the list shows is the one on the map
    assert "12" in shown  # its arrondissement is drawn with its number

    terminal.keys("Escape")
    terminal.wait_for(
        lambda s: "ID   Location" in s and "1 / 14 locations" in s, "the list again, still filtered"
    )
    terminal.keys("t")
    terminal.wait_for(lambda s: "New permit — Rue Crémieux" in s, "the permit form")
    terminal.keys("C-s")
    terminal.wait_for(lambda s: "Saved: permit" in s, "the permit saved")

    terminal.keys("q")
    end = time.monotonic() + 15
    while terminal.alive() and time.monotonic() < end:
        time.sleep(0.2)
    assert not terminal.alive(), "q did not quit"

    after = _permits_of_rue_cremieux(db_path)
    assert len(after) == len(before) + 1


def _permits_of_rue_cremieux(db_path: Path) -> list[object]:
    from scout.store import open_store

    store = open_store(db_path, read_only=True)
    try:
        (lieu,) = store.query_lieux(lambda lieu: lieu.name == "Rue Crémieux")
        return list(store.permits(lieu.id))
    finally:
        store.close()
