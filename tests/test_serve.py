"""`scout serve`: the real installed command serving the TUI on 127.0.0.1, answered by a
real HTTP request and a real browser session (a websocket) that runs the app read-only;
the warning when bound beyond the loopback; bad ports and hosts said, exit non-zero."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from conftest import scout_environment, scout_executable

from scout.cli.serve import is_loopback, tui_command


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(
    db_path: Path, tmp_path: Path, *args: str, lang: str = "en"
) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """The installed `scout serve` in a process of its own; stopped (SIGTERM, then
    SIGKILL) whatever happens. Yields the process and what it wrote to stderr so far."""
    env = {**os.environ, **scout_environment(db_path, tmp_path)}
    process = subprocess.Popen(
        [scout_executable(), "--db", str(db_path), "--lang", lang, "serve", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    said: list[str] = []
    try:
        assert process.stderr is not None
        said.append(process.stderr.readline())  # the warning, or where it listens
        yield process, said
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_page(url: str, process: subprocess.Popen[str]) -> httpx.Response:
    deadline = time.monotonic() + 30
    while True:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_scout_serve_answers_on_the_loopback_with_the_app_page(
    db_path: Path, tmp_path: Path, run_installed_scout
) -> None:
    assert run_installed_scout("demo").returncode == 0
    port = free_port()
    with serving(db_path, tmp_path, "--port", str(port)) as (process, said):
        assert f"http://127.0.0.1:{port}/" in said[0] and "read-only" in said[0]
        page = wait_for_page(f"http://127.0.0.1:{port}/", process)
        assert page.status_code == 200
        assert "scout (read-only)" in page.text  # the page names the app
        assert f"ws://127.0.0.1:{port}/ws" in page.text  # the browser's session
        assert "textual.js" in page.text  # textual-serve's terminal in the page
        screen = asyncio.run(browser_session(f"ws://127.0.0.1:{port}/ws"))
        assert "READ-ONLY: opened to look, not to change" in screen
        assert "Café de Flore" in screen
    assert process.returncode is not None  # stopped
    port = free_port()
    with serving(db_path, tmp_path, "--port", str(port), "--write") as (process, said):
        assert "changes allowed" in said[0]
        page = wait_for_page(f"http://127.0.0.1:{port}/", process)
        assert "scout (read-only)" not in page.text and "scout" in page.text


async def browser_session(url: str) -> str:
    """What a browser does: open the websocket, say its size, read what the app draws
    until the list of lieux and the read-only notice are there (or 40 s)."""
    import aiohttp

    seen = ""
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        await ws.send_str(json.dumps(["resize", {"width": 120, "height": 40}]))
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            try:
                message = await ws.receive(timeout=2)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data.decode("utf-8", "replace")
            elif message.type == aiohttp.WSMsgType.TEXT:
                seen += message.data
            else:
                break
            if "opened to look" in seen and "Café de Flore" in seen:
                break
    return seen


def test_bound_beyond_the_loopback_it_warns_who_can_see(db_path: Path, tmp_path: Path) -> None:
    port = free_port()
    with serving(db_path, tmp_path, "--host", "0.0.0.0", "--port", str(port)) as (_p, said):
        assert "anyone who can reach this address can see the production" in said[0]
        assert "0.0.0.0" in said[0]
    with serving(db_path, tmp_path, "--host", "0.0.0.0", "--port", str(port), "--write") as (
        _p,
        said,
    ):
        assert "see and change the production" in said[0]


@pytest.mark.lang("fr")
def test_the_warning_is_in_french_too(db_path: Path, tmp_path: Path) -> None:
    port = free_port()
    with serving(db_path, tmp_path, "--host", "0.0.0.0", "--port", str(port), lang="fr") as (
        _p,
        said,
    ):
        assert "quiconque" in said[0] and "0.0.0.0" in said[0]


def test_a_bad_port_or_host_is_said_and_nothing_is_served(run_scout, tmp_path: Path) -> None:
    for bad in ("0", "70000", "http"):
        done = run_scout("--lang", "en", "serve", "--port", bad)
        assert done.returncode == 2
        assert "is not a port number (1 to 65535)" in done.stderr
    done = run_scout("--lang", "en", "serve", "--host", "no-such-host.invalid", "--port", "8123")
    assert done.returncode == 1 and "no-such-host.invalid" in done.stderr
    with socket.socket() as taken:  # a port already in use
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_scout("--lang", "en", "serve", "--port", str(port))
    assert done.returncode == 1 and f"cannot listen on 127.0.0.1 port {port}" in done.stderr


def test_what_counts_as_the_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    assert not is_loopback("::")


def test_each_tab_runs_this_scout_on_this_database_read_only_unless_write(
    db_path: Path,
) -> None:
    import argparse

    from scout.cli.context import Context

    args = argparse.Namespace(db=str(db_path), rules=None, production=None)
    ctx = Context(args)
    command = tui_command(ctx, write=False)
    assert command.endswith("tui --read-only")
    assert f"--db {db_path}" in command and "--lang en" in command
    assert tui_command(ctx, write=True).endswith(" tui")
