"""Hardening of geocoding: a hostile or broken address service, or broken settings, never
lose a saved lieu, never crash (exit 4), never hang, never eat the memory, never fill the
cache, and never hold the database while the network answers.

A real HTTP server on 127.0.0.1 plays the hostile service (tests/geoserver.py plays the
polite one). The timing and memory tests run the real installed command in a process of
its own and measure it.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
import subprocess
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import TODAY, scout_executable
from geoserver import ban_collection

from scout.store.journal import decode_line

# -- a hostile address service -------------------------------------------------------

Respond = Callable[["HostileHandler", str, str], None]


class HostileHandler(BaseHTTPRequestHandler):
    server: HostileServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def send_body(
        self,
        body: bytes,
        status: int = 200,
        headers: dict[str, str] | None = None,
        ctype: str = "application/json",
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}.get("q", "")
        with self.server.lock:
            self.server.requests.append((url.path, query, time.monotonic()))
        try:
            self.server.respond(self, url.path, query)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass  # the client gave up: that is what the test wants

    do_POST = do_GET


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, respond: Respond) -> None:
        super().__init__(("127.0.0.1", 0), HostileHandler)
        self.respond = respond
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, float]] = []
        self.thread = threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "SCOUT_OFFLINE": "0",
            "SCOUT_BAN_URL": f"{self.url}/geocodage",
            "SCOUT_NOMINATIM_URL": f"{self.url}/nominatim",
            **extra,
        }

    def __enter__(self) -> HostileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


def polite(handler: HostileHandler, path: str, query: str) -> None:
    """What tests/geoserver.py answers for the address service; empty for the rest."""
    from geoserver import _match

    if path.startswith("/nominatim"):
        handler.send_body(b"[]")
    else:
        handler.send_body(json.dumps(ban_collection(_match(query))).encode())


def fixed(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Respond:
    def respond(handler: HostileHandler, path: str, query: str) -> None:
        handler.send_body(body, status, headers)

    return respond


def feature(lon: Any, lat: Any, label: str = "1 Rue X 75001 Paris", score: Any = 0.95) -> str:
    """One GeoCodeJSON feature as text (NaN is written as JSON readers accept it)."""
    geometry = f'{{"type":"Point","coordinates":[{lon},{lat}]}}'
    properties = (
        f'{{"label":"{label}","score":{score},"postcode":"75001","city":"Paris",'
        '"type":"housenumber"}'
    )
    return f'{{"type":"Feature","geometry":{geometry},"properties":{properties}}}'


def collection(*features: str) -> bytes:
    return ('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}").encode()


NESTED = b"[" * 5000 + b"]" * 5000
BAD_ANSWERS = {
    "a list of numbers": b"[1,2,3]",
    "features of the wrong kinds": b'{"features":[1,"x",null]}',
    "JSON nested 5000 deep": NESTED,
    "features nested 5000 deep": b'{"features":' + NESTED + b"}",
    "coordinates NaN": collection(feature("NaN", "NaN")),
    "coordinates Infinity": collection(feature("Infinity", "-Infinity")),
    "coordinates 999": collection(feature(999, 999)),
    "coordinates as text": collection(feature('"2.35"', '"48.85"')),
    "a score of NaN": collection(feature(2.35, 48.86, score="NaN")),
    "not JSON at all": b"\x00\xff<html>",
}


@pytest.fixture
def hostile():
    """A server that answers what the test says: `hostile(respond)` starts it."""
    servers: list[HostileServer] = []

    def start(respond: Respond) -> HostileServer:
        server = HostileServer(respond).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__()


def not_a_bug(ran) -> None:
    assert ran.returncode != 4, f"exit 4 (a bug): {ran.stderr}"
    assert "unexpected error" not in ran.stderr.lower(), ran.stderr


def lieux(run_scout) -> dict[str, dict[str, Any]]:
    listed = run_scout("list", "--json")
    assert listed.returncode == 0, listed.stderr
    return {lieu["name"]: lieu for lieu in json.loads(listed.stdout)}


# -- 5. a lieu saved is said saved, whatever the geocoder does after -----------------


@pytest.mark.parametrize("body", list(BAD_ANSWERS.values()), ids=list(BAD_ANSWERS))
def test_a_saved_lieu_stays_saved_whatever_the_service_answers(
    run_scout, hostile, body: bytes
) -> None:
    server = hostile(fixed(body))
    ran = run_scout("add", "--name", "A", "--address", "1 rue X", env=server.env())
    not_a_bug(ran)
    assert ran.returncode == 0, ran.stderr
    assert "nothing was saved" not in ran.stderr + ran.stdout
    assert "Added location 1" in ran.stdout
    saved = lieux(run_scout)
    assert "A" in saved
    if not saved["A"]["geocode_pending"]:  # placed: only from a usable position
        shown = json.loads(run_scout("show", "1", "--json").stdout)
        assert _finite_position(shown["position"] or {}), shown["position"]


@pytest.mark.parametrize("url", ["http://[::1", "ftp://x", "http://", "://", "http://a b"])
def test_a_saved_lieu_stays_saved_with_a_broken_service_url(run_scout, url: str) -> None:
    ran = run_scout(
        "add",
        "--name",
        "A",
        "--address",
        "1 rue X",
        env={"SCOUT_OFFLINE": "0", "SCOUT_BAN_URL": url},
    )
    not_a_bug(ran)
    assert ran.returncode == 0, ran.stderr
    assert "nothing was saved" not in ran.stderr + ran.stdout
    saved = lieux(run_scout)
    assert "A" in saved and saved["A"]["geocode_pending"] is True


def test_an_edit_with_a_bad_answer_is_said_saved(run_scout, hostile) -> None:
    assert run_scout("add", "--name", "A").returncode == 0
    server = hostile(fixed(collection(feature(999, 999))))
    ran = run_scout("edit", "1", "--address", "1 rue X", env=server.env())
    not_a_bug(ran)
    assert ran.returncode == 0, ran.stderr
    assert "nothing was saved" not in ran.stderr + ran.stdout
    assert lieux(run_scout)["A"]["geocode_pending"] is True


# -- 6. a bad answer is never cached, and the queue goes on --------------------------


def _cached_candidates(db: Path) -> list[dict[str, Any]]:
    """Every candidate written to geocache.db (snapshot and journal)."""
    cache = db.with_name("geocache.db")
    if not cache.exists():
        return []
    found: list[dict[str, Any]] = []

    def collect(doc: Any) -> None:
        if isinstance(doc, dict):
            found.extend(c for c in doc.get("candidates", []) if isinstance(c, dict))

    for number, line in enumerate(cache.read_bytes().splitlines(keepends=True)):
        payload = decode_line(line)
        if payload is None or number == 0:
            continue
        data = json.loads(payload)
        if isinstance(data, dict):
            for table in data.get("tables", {}).values():
                for doc in table.values():
                    collect(doc)
        elif isinstance(data, list):
            for op in data:
                collect(op[-1])
    return found


def _finite_position(c: dict[str, Any]) -> bool:
    lat, lon = c.get("lat"), c.get("lon")
    return (
        isinstance(lat, (int, float))
        and isinstance(lon, (int, float))
        and math.isfinite(lat)
        and math.isfinite(lon)
        and -90 <= lat <= 90
        and -180 <= lon <= 180
    )


QUEUE_POISONS = {
    k: BAD_ANSWERS[k]
    for k in (
        "coordinates NaN",
        "coordinates 999",
        "a list of numbers",
        "features of the wrong kinds",
    )
}


@pytest.mark.parametrize("poison", list(QUEUE_POISONS.values()), ids=list(QUEUE_POISONS))
def test_a_bad_answer_is_never_cached_and_the_queue_goes_on(
    run_scout, hostile, db_path: Path, poison: bytes
) -> None:
    def respond(handler: HostileHandler, path: str, query: str) -> None:
        if "poison" in query.lower():
            handler.send_body(poison)
        else:
            polite(handler, path, query)

    assert run_scout("add", "--name", "Poisoned", "--address", "1 rue Poison").returncode == 0
    assert run_scout("add", "--name", "Cour", "--address", "28 rue Buffault").returncode == 0
    server = hostile(respond)
    ran = run_scout("geocode", "--pending", env=server.env())
    not_a_bug(ran)
    assert ran.returncode in (0, 1), ran.stderr
    saved = lieux(run_scout)
    assert saved["Cour"]["geocode_pending"] is False and saved["Cour"]["arrondissement"] == 9
    assert saved["Poisoned"]["geocode_pending"] is True
    bad = [c for c in _cached_candidates(db_path) if not _finite_position(c)]
    assert not bad, f"an unusable answer was cached: {bad}"
    again = run_scout("geocode", "1 rue Poison", env=server.env())
    not_a_bug(again)
    assert again.returncode in (0, 1)
    assert "nan" not in again.stdout.lower() and "999" not in again.stdout


# -- settings that cannot work --------------------------------------------------------

CONFIGS = {
    "geocoding = 5": ("geocoding = 5\n", ["geocoding"]),
    "providers = 5": ("[geocoding]\nproviders = 5\n", ["providers"]),
    "providers = []": ("[geocoding]\nproviders = []\n", ["providers"]),
    "providers = [5]": ("[geocoding]\nproviders = [5]\n", ["providers"]),
    "timeout_s = inf": ("[geocoding]\ntimeout_s = inf\n", ["timeout_s"]),
    "timeout_s = nan": ("[geocoding]\ntimeout_s = nan\n", ["timeout_s"]),
    "retries = 1e9": ("[geocoding]\nretries = 1000000000\n", ["retries"]),
    "ban_url = ftp": ('[geocoding]\nban_url = "ftp://x"\n', ["ban_url"]),
    "ban_url = 5": ("[geocoding]\nban_url = 5\n", ["ban_url"]),
    "a table of tables": ("[geocoding.timeout_s]\nx = 1\n", ["timeout_s"]),
}
ENVIRONMENTS = {
    "SCOUT_BAN_URL=http://[::1": ({"SCOUT_BAN_URL": "http://[::1"}, ["SCOUT_BAN_URL", "ban_url"]),
    "SCOUT_BAN_URL=ftp://x": ({"SCOUT_BAN_URL": "ftp://x"}, ["SCOUT_BAN_URL", "ban_url"]),
    "SCOUT_NOMINATIM_URL=http://[::1": (
        {"SCOUT_NOMINATIM_URL": "http://[::1"},
        ["SCOUT_NOMINATIM_URL", "nominatim_url"],
    ),
    "SCOUT_GEOCODER_TIMEOUT=inf": (
        {"SCOUT_GEOCODER_TIMEOUT": "inf"},
        ["SCOUT_GEOCODER_TIMEOUT", "timeout_s"],
    ),
    "SCOUT_GEOCODER_TIMEOUT=nan": (
        {"SCOUT_GEOCODER_TIMEOUT": "nan"},
        ["SCOUT_GEOCODER_TIMEOUT", "timeout_s"],
    ),
    "SCOUT_GEOCODER_TIMEOUT=abc": (
        {"SCOUT_GEOCODER_TIMEOUT": "abc"},
        ["SCOUT_GEOCODER_TIMEOUT", "timeout_s"],
    ),
    "SCOUT_GEOCODER_PROVIDERS=,": (
        {"SCOUT_GEOCODER_PROVIDERS": ","},
        ["SCOUT_GEOCODER_PROVIDERS", "providers"],
    ),
    "SCOUT_GEOCODER_PROVIDERS=google": (
        {"SCOUT_GEOCODER_PROVIDERS": "google"},
        ["SCOUT_GEOCODER_PROVIDERS", "providers"],
    ),
}


def _settings_env(tmp_path: Path, case: tuple[Any, list[str]]) -> tuple[dict[str, str], list[str]]:
    what, names = case
    env = {"SCOUT_OFFLINE": "0"}
    if isinstance(what, str):
        config = tmp_path / "config.toml"
        config.write_text(what, encoding="utf-8")
        env["SCOUT_CONFIG"] = str(config)
    else:
        env.update(what)
    return env, names


SETTINGS = {**CONFIGS, **ENVIRONMENTS}


@pytest.mark.parametrize("case", list(SETTINGS.values()), ids=list(SETTINGS))
def test_a_broken_setting_is_exit_1_naming_it(run_scout, tmp_path: Path, case) -> None:
    env, names = _settings_env(tmp_path, case)
    ran = run_scout("geocode", "1 rue X", env=env)
    not_a_bug(ran)
    assert ran.returncode == 1, (ran.returncode, ran.stdout, ran.stderr)
    assert any(name in ran.stderr for name in names), ran.stderr
    assert "Nothing found." not in ran.stdout


@pytest.mark.parametrize("case", list(SETTINGS.values()), ids=list(SETTINGS))
def test_a_broken_setting_never_lies_about_a_save(run_scout, tmp_path: Path, case) -> None:
    env, _ = _settings_env(tmp_path, case)
    ran = run_scout("add", "--name", "A", "--address", "1 rue X", env=env)
    not_a_bug(ran)
    assert ran.returncode in (0, 1), ran.stderr
    saved = "A" in lieux(run_scout)
    if saved:
        assert ran.returncode == 0 and "nothing was saved" not in ran.stderr, ran.stderr
    else:
        assert ran.returncode == 1 and "nothing was saved" in ran.stderr, ran.stderr


# -- a hostile service, measured in a process of its own -----------------------------


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float


def measured(*args: str, db: Path, env: dict[str, str], timeout: float = 60) -> Measured:
    """The installed command in its own process: its exit code, time and peak memory."""
    out, err = db.with_name("out.txt"), db.with_name("err.txt")
    environ = {
        **os.environ,
        "SCOUT_DB": str(db),
        "SCOUT_TODAY": TODAY,
        "SCOUT_LOG_DIR": str(db.parent / "logs"),
        **env,
    }
    started = time.monotonic()
    with out.open("wb") as o, err.open("wb") as e:
        child = subprocess.Popen([scout_executable(), *args], stdout=o, stderr=e, env=environ)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                child.kill()
                os.wait4(child.pid, 0)
                pytest.fail(f"`scout {' '.join(args)}` still running after {timeout} s")
            time.sleep(0.02)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return Measured(
        child.returncode,
        out.read_text("utf-8", "replace"),
        err.read_text("utf-8", "replace"),
        time.monotonic() - started,
        usage.ru_maxrss / 1024,
    )


@pytest.fixture(scope="module")
def baseline_rss_mb(tmp_path_factory) -> float:
    """The peak memory of `scout geocode` on a polite answer, to compare with."""
    with HostileServer(polite) as server:
        db = tmp_path_factory.mktemp("baseline") / "scout.db"
        run = measured("geocode", "28 rue Buffault", db=db, env=server.env())
    assert run.returncode == 0, run.stderr
    return run.max_rss_mb


def trickle(handler: HostileHandler, path: str, query: str) -> None:
    """A valid-looking answer, one byte every half second: no single read times out."""
    body = collection(feature(2.35, 48.86)) + b" " * 4000
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    for byte in body:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.5)


def test_a_trickling_service_is_given_up_on_within_the_deadline(db_path: Path, hostile) -> None:
    server = hostile(trickle)
    run = measured(
        "geocode", "1 rue X", db=db_path, env=server.env(SCOUT_GEOCODER_TIMEOUT="2"), timeout=30
    )
    not_a_bug(run)
    assert run.returncode == 1, run.stderr
    assert run.seconds < 7.0, f"took {run.seconds:.1f} s with a 2 s timeout"


def test_a_huge_retry_after_is_not_obeyed(db_path: Path, hostile) -> None:
    server = hostile(fixed(b'{"error":"slow down"}', 429, {"Retry-After": "999999"}))
    run = measured("geocode", "1 rue X", db=db_path, env=server.env(), timeout=60)
    not_a_bug(run)
    assert run.returncode == 1, run.stderr
    assert run.seconds < 15.0, f"took {run.seconds:.1f} s"


def test_a_retry_after_date_far_away_is_not_obeyed(db_path: Path, hostile) -> None:
    server = hostile(fixed(b"{}", 503, {"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}))
    run = measured("geocode", "1 rue X", db=db_path, env=server.env(), timeout=60)
    not_a_bug(run)
    assert run.returncode == 1, run.stderr
    assert run.seconds < 15.0, f"took {run.seconds:.1f} s"


def huge_body(handler: HostileHandler, path: str, query: str) -> None:
    """50 MB announced and sent as fast as the client reads."""
    size = 50 * 1024 * 1024
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(size))
    handler.end_headers()
    head = b'{"type":"FeatureCollection","features":[],"pad":"'
    handler.wfile.write(head)
    chunk = b"a" * 65536
    sent = len(head)
    while sent < size - 2:
        part = chunk[: size - 2 - sent]
        handler.wfile.write(part)
        sent += len(part)
    handler.wfile.write(b'"}')


_BOMB: list[bytes] = []


def gzip_bomb() -> bytes:
    """A valid gzip stream of 200 MB of JSON, about 200 KB on the wire."""
    if not _BOMB:
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip framing
        parts = [packer.compress(b'{"type":"FeatureCollection","features":[],"pad":"')]
        block = b"a" * (1 << 20)
        parts += [packer.compress(block) for _ in range(200)]
        parts.append(packer.compress(b'"}') + packer.flush())
        _BOMB.append(b"".join(parts))
    return _BOMB[0]


def bomb(handler: HostileHandler, path: str, query: str) -> None:
    handler.send_body(gzip_bomb(), headers={"Content-Encoding": "gzip"})


@pytest.mark.parametrize("respond", [huge_body, bomb], ids=["50 MB body", "gzip bomb"])
def test_a_huge_answer_is_refused_quickly_in_little_memory(
    db_path: Path, hostile, baseline_rss_mb: float, respond
) -> None:
    server = hostile(respond)
    run = measured("geocode", "1 rue X", db=db_path, env=server.env(), timeout=60)
    not_a_bug(run)
    assert run.returncode == 1, run.stderr
    assert run.seconds < 10.0, f"took {run.seconds:.1f} s"
    assert run.max_rss_mb < max(baseline_rss_mb, 70) + 60, (
        f"peak memory {run.max_rss_mb:.0f} MB (a polite answer: {baseline_rss_mb:.0f} MB)"
    )


_MANY: list[bytes] = []


def many_features(handler: HostileHandler, path: str, query: str) -> None:
    if not _MANY:
        one = feature(2.3522, 48.8566, "Rue X 75004 Paris", 0.5)
        _MANY.append(collection(*([one] * 200_000)))
    handler.send_body(_MANY[0])


def test_an_answer_with_200000_features_caches_a_capped_few(db_path: Path, hostile) -> None:
    server = hostile(many_features)
    run = measured("geocode", "1 rue X", "--json", db=db_path, env=server.env(), timeout=60)
    not_a_bug(run)
    assert run.returncode in (0, 1), run.stderr
    if run.returncode == 0:
        assert len(json.loads(run.stdout)) <= 100
    cache = db_path.with_name("geocache.db")
    size = cache.stat().st_size if cache.exists() else 0
    assert size < 2 * 1024 * 1024, f"geocache.db is {size / 1e6:.1f} MB"
    assert len(_cached_candidates(db_path)) <= 100


def test_a_gzip_answer_of_normal_size_still_works(db_path: Path, hostile) -> None:
    def respond(handler: HostileHandler, path: str, query: str) -> None:
        body = gzip.compress(
            json.dumps(
                ban_collection(
                    [
                        (
                            "28 Rue Buffault 75009 Paris",
                            48.87637,
                            2.34213,
                            0.97,
                            "75009",
                            "housenumber",
                        )
                    ]
                )
            ).encode()
        )
        handler.send_body(body, headers={"Content-Encoding": "gzip"})

    server = hostile(respond)
    run = measured("geocode", "28 rue Buffault", "--json", db=db_path, env=server.env())
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)[0]["arrondissement"] == 9


# -- the network never holds the database --------------------------------------------


def test_a_slow_geocoder_does_not_hold_the_database(db_path: Path, hostile) -> None:
    def slow(handler: HostileHandler, path: str, query: str) -> None:
        time.sleep(5)
        polite(handler, path, query)

    server = hostile(slow)
    environ = {
        **os.environ,
        "SCOUT_DB": str(db_path),
        "SCOUT_TODAY": TODAY,
        "SCOUT_LOG_DIR": str(db_path.parent / "logs"),
    }
    first = subprocess.Popen(
        [scout_executable(), "add", "--name", "A", "--address", "28 rue Buffault"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**environ, **server.env(SCOUT_GEOCODER_TIMEOUT="10")},
    )
    try:
        deadline = time.monotonic() + 15
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.requests, "the first add never asked the geocoder"
        second = subprocess.run(
            [scout_executable(), "add", "--name", "B"],
            capture_output=True,
            text=True,
            env={**environ, "SCOUT_OFFLINE": "1"},
            timeout=30,
        )
        assert first.poll() is None, "the geocoder answered before the test could check"
        assert second.returncode == 0, second.stderr
        out, err = first.communicate(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, err
    listed = subprocess.run(
        [scout_executable(), "list", "--json"],
        capture_output=True,
        text=True,
        env={**environ, "SCOUT_OFFLINE": "1"},
        timeout=30,
    )
    found = {lieu["name"]: lieu for lieu in json.loads(listed.stdout)}
    assert set(found) == {"A", "B"} and found["A"]["id"] != found["B"]["id"]
    assert found["A"]["arrondissement"] == 9  # placed once the answer came


# -- a hostile answer is said in the language of the run --------------------------------

ENGLISH_WORDS = re.compile(r"\b(sent|answer|cannot|reached|wrong|shape|read|network|object|has)\b")


@pytest.mark.lang("fr")
@pytest.mark.parametrize("body", list(BAD_ANSWERS.values()), ids=list(BAD_ANSWERS))
def test_a_hostile_answer_is_said_in_french(run_scout, hostile, body: bytes) -> None:
    server = hostile(fixed(body))
    ran = run_scout("geocode", "1 rue X", env=server.env(SCOUT_GEOCODER_PROVIDERS="ban"))
    assert ran.returncode != 4 and "erreur inattendue" not in ran.stderr, ran.stderr
    if ran.returncode:  # an empty answer is "nothing found"; anything else is said
        assert "le service d'adresses (Géoplateforme)" in ran.stderr, ran.stderr
        assert not ENGLISH_WORDS.search(ran.stderr), ran.stderr
