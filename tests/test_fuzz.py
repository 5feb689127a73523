"""Fuzzing (hypothesis), bounded so the file runs in well under a minute.

1. Every CLI command with generated arguments, run in-process through `scout.cli.main`
   on a fresh copy of a seeded database: the exit code is always one of 0, 1, 2, 3, 5
   (never 4, never an exception), and a command that did not succeed left the database
   file's bytes as they were.
2. The database file with random byte flips, cuts and insertions, opened with
   `scout.store.open_store`: it opens, or raises StoreError; never another exception,
   and a refused file is never modified.

The number of inputs tried is the sum of the MAX_EXAMPLES constants below.
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from photo_factory import make_photo

import scout.permits
from scout.domain import Lieu

CLI_MAX_EXAMPLES = 300  # generated command lines
RULES_MAX_EXAMPLES = 60  # generated rules files given to `scout rules check`
DB_MUTATION_MAX_EXAMPLES = 300  # mutated database files opened for writing
DB_READ_ONLY_MAX_EXAMPLES = 100  # mutated database files opened read-only

ALLOWED_EXIT_CODES = {0, 1, 2, 3, 5}
DEFAULT_RULES = Path(scout.permits.__file__).with_name("default_rules.toml")
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# -- running scout in-process ----------------------------------------------------------


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_main(args: list[str], folder: Path, stdin: bytes = b"") -> tuple[int, str, str]:
    """`scout.cli.main(args)` with its own streams (strict UTF-8, as on a user's terminal)
    and environment; returns (exit code, stdout, stderr)."""
    from scout.cli import main

    logger = logging.getLogger("scout")
    handlers, level = list(logger.handlers), logger.level
    out, err = io.BytesIO(), io.BytesIO()
    wrappers = (
        io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"),
        io.TextIOWrapper(out, encoding="utf-8", write_through=True),
        io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True),
    )
    streams = (sys.stdin, sys.stdout, sys.stderr)
    environ = {
        "SCOUT_OFFLINE": "1",
        "SCOUT_TODAY": TODAY,
        "SCOUT_LOG_DIR": str(folder / "logs"),
        "SCOUT_CONFIG": str(folder / "no-config.toml"),
    }
    with _environment(environ):
        sys.stdin, sys.stdout, sys.stderr = wrappers
        try:
            code = main(args)
        finally:
            sys.stdin, sys.stdout, sys.stderr = streams
            for wrapper in wrappers:
                if not wrapper.closed:
                    wrapper.flush()
                    wrapper.detach()
            for handler in list(logger.handlers):
                if handler not in handlers:
                    logger.removeHandler(handler)
                    handler.close()
            logger.setLevel(level)
    return (
        code,
        out.getvalue().decode("utf-8", "replace"),
        err.getvalue().decode("utf-8", "replace"),
    )


# -- the seeded database ---------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo production, a few edits (a journal), pictures waiting as proposals."""
    folder = tmp_path_factory.mktemp("seed")
    db = folder / "scout.db"
    pictures = folder / "pictures"
    pictures.mkdir()
    make_photo(pictures / "a.jpg", 48.85300, 2.34990, taken="2026:11:20 10:15:00")
    make_photo(pictures / "b.jpg", 48.85302, 2.34992, taken="2026:11:20 10:25:00", size=(320, 240))
    make_photo(pictures / "c.jpg", 48.8867, 2.3431, taken="2026:11:21 16:00:00", size=(200, 150))
    for args in (
        ["demo"],
        ["edit", "1", "--notes", "repérage du 20/11", "--crew-size", "25"],
        ["add", "--name", "Cour pavée", "--address", "28 rue Buffault"],
        ["permit", "add", "2", "--type", "demande_agate", "--reference", "AG-1"],
        ["import", "photos", str(pictures)],
    ):
        code, _, err = run_main(["--db", str(db), *args], folder)
        assert code == 0, (args, err)
    return db


_examples = itertools.count()


def _workdir(seed: Path) -> tuple[Path, Path]:
    """A fresh folder with a fresh copy of the seeded database, and the files the
    generated commands point at."""
    folder = seed.parent.parent / f"example-{os.getpid()}-{next(_examples)}"
    folder.mkdir()
    db = folder / "scout.db"
    shutil.copyfile(seed, db)
    (folder / "plain.txt").write_text("a plain file\n")
    (folder / "folder").mkdir()
    (folder / "rules.toml").write_bytes(DEFAULT_RULES.read_bytes())
    (folder / "bom.toml").write_bytes(b"\xef\xbb\xbf" + DEFAULT_RULES.read_bytes())
    (folder / "broken.toml").write_text("[types.x]\nlead = 99999999999999999999\n")
    (folder / "addresses.txt").write_text("28 rue Buffault\n\nplace de l'Estrapade\n")
    return folder, db


# -- strategies: text as a user (or an attacker) can type it -----------------------------

# What argv can carry: any character but NUL, and the lone surrogates U+DC80–U+DCFF that
# Python makes of bytes that are not UTF-8.
_CHARS = st.one_of(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
    st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF),
    st.sampled_from("\x1b\x07\x9b\x85\u202e\u200b\t\n\r ;,'\"-/\\:"),
)
NASTY = [
    "",
    " ",
    "-1",
    "0",
    "-0",
    "1e999999",
    "-1e999999",
    "1e-999999",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "9" * 40,
    "0x10",
    "1_000",
    "٣",  # an Arabic-Indic digit: int() accepts it
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-12-03",
    "03/12/2026",
    "31/12/9999",
    "2026-12-03 07:30-19:00",
    "2026-12-03 25:00-99:99",
    "2026-12-03 23:30-01:00 nuit",
    "48.8530,2.3499",
    "48.85,2.35,75005",
    "90,180",
    "-90.0000001,0",
    "\x1b[2J\x1b[31mEVIL\x1b]0;pwned\x07",
    "a\x9bb",
    "caf\udce9",
    "\u202egnp.exe",
    "a" * 5000,
    "Hélène; gérante; 01 99 00 12 01; helene@example.fr",
    "x; y; +999 999; not-an-email",
    ";;;",
    "oui",
    "non",
    "?",
    "validé",
    "street",
    "int_ext",
    "granted",
    "filed",
    "to_request",
]
TEXT = st.one_of(st.sampled_from(NASTY), st.text(_CHARS, max_size=40))
NUMBERISH = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(NASTY),
)
IDS = st.one_of(
    st.integers(-3, 25).map(str),
    st.sampled_from(["0", "1", "2", "15", "99999999999999999999", "x", "-", "1.5", ""]),
)

FICHE_FLAGS = {
    "--name": TEXT,
    "--decor": TEXT,
    "--sequences": TEXT,
    "--address": TEXT,
    "--postcode": st.one_of(TEXT, st.sampled_from(["75005", "75116", "7500", "99999", "75021"])),
    "--lat": NUMBERISH,
    "--lon": NUMBERISH,
    "--status": TEXT,
    "--setting": TEXT,
    "--retained": TEXT,
    "--shoot-date": TEXT,
    "--contact": TEXT,
    "--tag": TEXT,
    "--cost": NUMBERISH,
    "--notes": TEXT,
    "--step-free": TEXT,
    "--lift": TEXT,
    "--narrowest-door-cm": NUMBERISH,
    "--dropoff-distance-m": NUMBERISH,
    "--site-kind": TEXT,
    "--crew-size": NUMBERISH,
    "--tech-vehicles": NUMBERISH,
    "--parking-spaces": NUMBERISH,
    "--loges": TEXT,
    "--drone": TEXT,
    "--noise": TEXT,
}
PERMIT_FLAGS = {
    "--authority": TEXT,
    "--reference": TEXT,
    "--shoot-date": TEXT,
    "--filed-on": TEXT,
    "--decision-on": TEXT,
    "--valid-from": TEXT,
    "--valid-to": TEXT,
    "--deadline": TEXT,
    "--deadline-reason": TEXT,
    "--notes": TEXT,
    "--street": TEXT,
    "--side": st.one_of(TEXT, st.sampled_from(["pair", "impair", "both"])),
    "--from-number": NUMBERISH,
    "--to-number": NUMBERISH,
    "--spaces": NUMBERISH,
    "--arrete-start": TEXT,
    "--arrete-end": TEXT,
    "--from-time": TEXT,
    "--to-time": TEXT,
}
PERMIT_TYPES = st.one_of(
    st.sampled_from(
        ["declaration_prealable", "demande_agate", "arrete_stationnement", "prefecture"]
    ),
    TEXT,
)


def _options(flags: dict[str, st.SearchStrategy[str]], max_size: int = 5):
    """Flags with values, as `--flag=value` (a value may start with '-') or two words."""

    def one(flag: str) -> st.SearchStrategy[list[str]]:
        return st.tuples(flags[flag], st.booleans()).map(
            lambda pair: [f"{flag}={pair[0]}"] if pair[1] else [flag, pair[0]]
        )

    return st.lists(st.sampled_from(sorted(flags)).flatmap(one), max_size=max_size).map(
        lambda parts: [word for part in parts for word in part]
    )


def _path(name: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A placeholder the test turns into a path inside the example's folder."""
    return name.map(lambda n: "@" + n)


PATHS = st.one_of(
    st.sampled_from(
        ["cal.ics", "folder", "plain.txt", "plain.txt/x.ics", "missing/x.ics", "rules.toml"]
    ).map(lambda n: "@" + n),
    _path(
        st.text(_CHARS, min_size=1, max_size=12).filter(
            lambda n: "/" not in n and n not in (".", "..")
        )
    ),
)
RULE_FILES = st.sampled_from(
    ["@rules.toml", "@bom.toml", "@broken.toml", "@missing.toml", "@folder", "@plain.txt"]
)

COMMANDS = st.one_of(
    st.just(["list"]),
    st.just(["list", "--json"]),
    st.tuples(IDS, st.booleans()).map(lambda t: ["show", t[0], *(["--json"] if t[1] else [])]),
    st.tuples(TEXT, _options(FICHE_FLAGS)).map(lambda t: ["add", "--name", t[0], *t[1]]),
    _options(FICHE_FLAGS).map(lambda o: ["add", *o]),
    st.tuples(IDS, _options(FICHE_FLAGS)).map(lambda t: ["edit", t[0], *t[1]]),
    IDS.map(lambda i: ["rm", i]),
    st.tuples(TEXT, st.booleans()).map(lambda t: ["locate", t[0], *(["--json"] if t[1] else [])]),
    st.tuples(NUMBERISH, NUMBERISH, TEXT).map(
        lambda t: ["locate", f"{t[0]},{t[1]}", "--postcode", t[2]]
    ),
    st.just(["locate", "-"]),
    st.tuples(IDS, PERMIT_TYPES, _options(PERMIT_FLAGS)).map(
        lambda t: ["permit", "add", t[0], "--type", t[1], *t[2]]
    ),
    st.tuples(IDS, TEXT, TEXT, _options(PERMIT_FLAGS, 3)).map(
        lambda t: ["permit", "set", t[0], "--status", t[1], "--note", t[2], *t[3]]
    ),
    st.one_of(st.just(["permit", "list"]), IDS.map(lambda i: ["permit", "list", i, "--json"])),
    st.tuples(IDS, st.booleans()).map(
        lambda t: ["permit", "suggest", t[0], *(["--json"] if t[1] else [])]
    ),
    IDS.map(lambda i: ["permit", "rm", i]),
    st.one_of(
        st.just(["deadlines"]), NUMBERISH.map(lambda n: ["deadlines", f"--within={n}", "--json"])
    ),
    st.one_of(st.just(["rules", "check"]), RULE_FILES.map(lambda f: ["rules", "check", f])),
    RULE_FILES.map(lambda f: ["--rules", f, "permit", "suggest", "1"]),
    st.one_of(st.just(["export", "ics"]), PATHS.map(lambda p: ["export", "ics", "--output", p])),
    st.one_of(st.just(["photos", "list"]), IDS.map(lambda i: ["photos", "list", i, "--json"])),
    st.just(["photos", "proposals", "--json"]),
    st.tuples(IDS, TEXT, TEXT).map(
        lambda t: ["photos", "accept", t[0], "--name", t[1], "--decor", t[2]]
    ),
    st.tuples(IDS, IDS).map(lambda t: ["photos", "attach", t[0], t[1]]),
    st.tuples(TEXT, st.booleans()).map(lambda t: ["geocode", t[0], *(["--json"] if t[1] else [])]),
    st.just(["geocode", "--pending"]),
    TEXT.map(lambda t: ["geocode", "--reverse", t]),
    st.sampled_from(["@addresses.txt", "@missing.txt", "@folder", "-"]).map(
        lambda f: ["geocode", "--batch", f]
    ),
)
STDIN = st.one_of(
    st.binary(max_size=200),
    st.lists(st.sampled_from(NASTY), max_size=6).map(
        lambda lines: "\n".join(lines).encode("utf-8", "surrogateescape")
    ),
)


def _resolve(word: str, folder: Path) -> str:
    return str(folder / word[1:]) if word.startswith("@") else word


@settings(FUZZ, max_examples=CLI_MAX_EXAMPLES)
@given(command=COMMANDS, stdin=STDIN)
def test_every_command_exits_cleanly_and_a_failure_changes_nothing(
    seed: Path, command: list[str], stdin: bytes
) -> None:
    folder, db = _workdir(seed)
    args = ["--db", str(db), *(_resolve(w, folder) for w in command)]
    before = db.read_bytes()
    code, out, err = run_main(args, folder, stdin)
    assert code in ALLOWED_EXIT_CODES, f"exit {code} for {args!r}: {err}"
    assert "unexpected error" not in err.lower(), f"{args!r}: {err}"
    if code != 0:
        assert db.read_bytes() == before, f"exit {code} but the database changed: {args!r}"
    shutil.rmtree(folder, ignore_errors=True)


# -- rules files -------------------------------------------------------------------------

_RULE_LINES = DEFAULT_RULES.read_text(encoding="utf-8").splitlines()


@st.composite
def rules_files(draw: st.DrawFn) -> str:
    """The shipped rules with a few lines replaced, dropped or garbled."""
    lines = list(_RULE_LINES)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        if "=" in line and draw(st.booleans()):
            key = line.split("=", 1)[0]
            value = draw(
                st.one_of(
                    st.sampled_from(
                        [
                            "99999999999999999999",
                            "-5",
                            "1e999",
                            "inf",
                            "nan",
                            "true",
                            "[1, 2]",
                            "{}",
                            '""',
                            '"\x1b[2J"',
                            "2024-02-30",
                            "0001-01-01",
                            "[" * 300 + "]" * 300,
                        ]
                    ),
                    NUMBERISH,
                    st.text(_CHARS, max_size=20).map(repr),
                )
            )
            lines[at] = f"{key}= {value}"
        elif draw(st.booleans()):
            del lines[at]
        else:
            lines[at] = draw(st.text(_CHARS, max_size=30))
    return "\n".join(lines) + "\n"


@settings(FUZZ, max_examples=RULES_MAX_EXAMPLES)
@given(text=rules_files())
def test_a_garbled_rules_file_is_checked_never_a_crash(seed: Path, text: str) -> None:
    folder, db = _workdir(seed)
    rules = folder / "fuzzed.toml"
    rules.write_bytes(text.encode("utf-8", "surrogateescape"))
    for args in (
        ["rules", "check", str(rules)],
        ["--rules", str(rules), "permit", "suggest", "1"],
        ["--rules", str(rules), "deadlines"],
    ):
        code, _, err = run_main(["--db", str(db), *args], folder)
        assert code in ALLOWED_EXIT_CODES, f"exit {code} for {args!r}: {err}"
        assert "unexpected error" not in err.lower(), err
    shutil.rmtree(folder, ignore_errors=True)


# -- the database file, damaged ----------------------------------------------------------


@st.composite
def mutations(draw: st.DrawFn, size: int) -> list[tuple[str, int, bytes]]:
    ops = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "delete", "newline"]))
        at = draw(st.integers(0, max(size - 1, 0)))
        if kind == "flip":
            data = bytes([draw(st.integers(1, 255))])
        elif kind == "insert":
            data = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=20),
                    st.sampled_from([b"\n", b"}", b"[", b"\xff"]),
                )
            )
        elif kind == "delete":
            data = bytes(draw(st.integers(1, 50)))
        else:
            data = b"\n"
        ops.append((kind, at, data))
    return ops


def mutate(content: bytes, ops: list[tuple[str, int, bytes]]) -> bytes:
    data = bytearray(content)
    for kind, at, extra in ops:
        at = min(at, len(data))
        if kind == "flip" and at < len(data):
            data[at] ^= extra[0]
        elif kind == "cut":
            del data[at:]
        elif kind in ("insert", "newline"):
            data[at:at] = extra
        elif kind == "delete":
            del data[at : at + len(extra)]
    return bytes(data)


@pytest.fixture(scope="module")
def seeded_bytes(seed: Path) -> bytes:
    return seed.read_bytes()


def _open_and_read(path: Path, read_only: bool) -> None:
    from scout.store import open_store

    store = open_store(path, read_only=read_only)
    try:  # what a command reads first
        store.lieu_rows(TODAY)
        store.query_lieux()
        store.permits()
        store.photos()
        store.list_productions()
        if not read_only:
            store.add_lieu(Lieu(name="After the damage"))
    finally:
        store.close()


def _siblings(folder: Path, name: str) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name != name}


@settings(FUZZ, max_examples=DB_MUTATION_MAX_EXAMPLES)
@given(data=st.data())
def test_a_damaged_database_opens_or_is_refused_untouched(
    seed: Path, seeded_bytes: bytes, data: st.DataObject
) -> None:
    from scout.errors import StoreError

    ops = data.draw(mutations(len(seeded_bytes)))
    damaged = mutate(seeded_bytes, ops)
    folder = seed.parent.parent / f"damaged-{os.getpid()}-{next(_examples)}"
    folder.mkdir()
    path = folder / "scout.db"
    path.write_bytes(damaged)
    try:
        _open_and_read(path, read_only=False)
    except StoreError:
        assert path.read_bytes() == damaged, f"a refused file was modified ({ops})"
        assert not any(".tmp" in n for n in _siblings(folder, path.name))
    else:  # it opened and took a write: it opens again, with that write in it
        from scout.store import open_store

        again = open_store(path, read_only=True)
        try:
            assert "After the damage" in [lieu.name for lieu in again.query_lieux()]
        finally:
            again.close()
    shutil.rmtree(folder, ignore_errors=True)


@settings(FUZZ, max_examples=DB_READ_ONLY_MAX_EXAMPLES)
@given(data=st.data())
def test_a_damaged_database_opened_read_only_is_never_written(
    seed: Path, seeded_bytes: bytes, data: st.DataObject
) -> None:
    from scout.errors import StoreError

    ops = data.draw(mutations(len(seeded_bytes)))
    damaged = mutate(seeded_bytes, ops)
    folder = seed.parent.parent / f"readonly-{os.getpid()}-{next(_examples)}"
    folder.mkdir()
    path = folder / "scout.db"
    path.write_bytes(damaged)
    try:
        _open_and_read(path, read_only=True)
    except StoreError:
        pass
    assert path.read_bytes() == damaged, f"opening read-only modified the file ({ops})"
    assert _siblings(folder, path.name) <= {"scout.db.lock"}, _siblings(folder, path.name)
    shutil.rmtree(folder, ignore_errors=True)
