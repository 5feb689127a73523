"""Hardening of the command line: hostile input never crashes scout (exit 4), never
damages a file the user had, and never reaches the terminal as control sequences.

`run_scout` runs `scout.cli.main` in-process; `scout_proc` runs the real installed
command for what needs a process of its own (bytes in argv, a file size limit, a FIFO
that could hang, a timeout).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from conftest import TODAY, scout_executable

import scout.permits
from scout.domain import Lieu
from scout.domain.lieu import Position, Setting, ShootDay, ShootNeeds
from scout.domain.permit import Permit

DEFAULT_RULES = Path(scout.permits.__file__).with_name("default_rules.toml")


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str
    raw_stdout: bytes = b""


def scout_proc(
    *args: str | bytes,
    db: Path,
    input: bytes | None = None,
    timeout: float = 60,
    env: dict[str, str] | None = None,
    preexec_fn=None,
) -> Ran:
    """The real installed command on `db`, bytes in and out; a hang fails the test."""
    environ = {
        **os.environ,
        "SCOUT_DB": str(db),
        "SCOUT_TODAY": TODAY,
        "SCOUT_OFFLINE": "1",
        "SCOUT_LOG_DIR": str(db.parent / "logs"),
        **(env or {}),
    }
    argv = [
        os.fsencode(scout_executable()),
        *(a if isinstance(a, bytes) else a.encode() for a in args),
    ]
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            input=input if input is not None else b"",
            env=environ,
            timeout=timeout,
            preexec_fn=preexec_fn,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`scout {args!r}` hung for more than {timeout} s")
    return Ran(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
        done.stdout,
    )


def not_a_bug(ran) -> None:
    assert ran.returncode != 4, f"exit 4 (a bug): {ran.stderr}"
    assert "unexpected error" not in ran.stderr.lower(), ran.stderr


@pytest.fixture
def demo_db(run_scout, db_path: Path) -> Path:
    seeded = run_scout("demo")
    assert seeded.returncode == 0, seeded.stderr
    return db_path


# -- 4. export ics never leaves a broken calendar ------------------------------------


def test_export_ics_replaces_a_calendar_whole(run_scout, demo_db: Path, tmp_path: Path) -> None:
    from icalendar import Calendar

    out = tmp_path / "out"
    out.mkdir()
    cal = out / "cal.ics"
    cal.write_bytes(b"BEGIN:VCALENDAR\r\nX-OLD:yes\r\nEND:VCALENDAR\r\n")
    ran = run_scout("export", "ics", "--output", str(cal))
    assert ran.returncode == 0, ran.stderr
    data = cal.read_bytes()
    assert b"X-OLD" not in data and data.endswith(b"END:VCALENDAR\r\n")
    parsed = Calendar.from_ical(data)
    events = [c for c in parsed.walk() if c.name == "VEVENT"]
    assert events and all(str(e["uid"]).endswith("@scout") for e in events)
    assert sorted(p.name for p in out.iterdir()) == ["cal.ics"], "a temporary file was left"


def _limit_file_size() -> None:
    """In the child: writes past 300 bytes fail with EFBIG, as on a full disk."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300))


def test_a_failed_export_leaves_the_old_calendar_intact(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    cal = out / "cal.ics"
    old = b"BEGIN:VCALENDAR\r\nX-OLD:yes\r\nEND:VCALENDAR\r\n"
    cal.write_bytes(old)
    ran = scout_proc("export", "ics", "--output", str(cal), db=demo_db, preexec_fn=_limit_file_size)
    not_a_bug(ran)
    assert ran.returncode == 1, (ran.returncode, ran.stderr)
    assert str(cal) in ran.stderr, ran.stderr
    assert cal.read_bytes() == old, "the old calendar was damaged by a failed export"
    assert sorted(p.name for p in out.iterdir()) == ["cal.ics"], "a temporary file was left"


def test_export_to_a_folder_or_under_a_file_is_exit_1(
    run_scout, demo_db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "cal.ics"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine\n")
    plain = tmp_path / "plain.txt"
    plain.write_text("mine\n")
    for target in (folder, plain / "cal.ics", tmp_path / "missing" / "cal.ics"):
        ran = run_scout("export", "ics", "--output", str(target))
        not_a_bug(ran)
        assert ran.returncode == 1, (target, ran.returncode, ran.stderr)
        assert str(target) in ran.stderr, ran.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]
    assert plain.read_text() == "mine\n"
    assert not (tmp_path / "missing").exists()
    assert not list(tmp_path.glob("**/*.tmp"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a read-only folder anyway")
def test_export_into_a_read_only_folder_is_exit_1_and_keeps_the_file(
    run_scout, demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    cal = out / "cal.ics"
    cal.write_bytes(b"OLD")
    out.chmod(0o555)
    try:
        ran = run_scout("export", "ics", "--output", str(cal))
    finally:
        out.chmod(0o755)
    not_a_bug(ran)
    assert ran.returncode == 1 and str(cal) in ran.stderr, ran.stderr
    assert cal.read_bytes() == b"OLD"
    assert sorted(p.name for p in out.iterdir()) == ["cal.ics"]


# -- dates outside any calendar a production uses -----------------------------------


@pytest.mark.parametrize(
    "day", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01", "01/01/0001"]
)
def test_a_shoot_date_outside_1900_2100_is_exit_1(run_scout, db_path: Path, day: str) -> None:
    ran = run_scout("add", "--name", "Y", "--shoot-date", day)
    not_a_bug(ran)
    assert ran.returncode == 1, (ran.returncode, ran.stderr)
    assert "--shoot-date" in ran.stderr, ran.stderr
    assert json.loads(run_scout("list", "--json").stdout) == []


def _store_extreme_dates(db: Path) -> None:
    from scout.store import open_store

    store = open_store(db)
    try:
        for name, day in (("Ancient", date(1, 1, 1)), ("Far future", date(9999, 12, 31))):
            lieu = store.add_lieu(
                Lieu(
                    name=name,
                    address="1 place du Châtelet",
                    postcode="75001",
                    position=Position(48.8582, 2.3470),
                    arrondissement=1,
                    setting=Setting.EXT,
                    needs=ShootNeeds(site_kind="street", crew_size=25, parking_spaces=4),
                    shoot_days=(ShootDay(day),),
                )
            )
            assert lieu.id is not None
            store.add_permit(Permit(lieu_id=lieu.id, type="demande_agate"))
            store.add_permit(
                Permit(lieu_id=lieu.id, type="declaration_prealable", deadline_override=day)
            )
    finally:
        store.close()


@pytest.mark.parametrize(
    "command",
    [
        ["deadlines"],
        ["deadlines", "--json"],
        ["deadlines", "--within", "10"],
        ["export", "ics"],
        ["show", "1"],
        ["show", "2"],
        ["show", "1", "--json"],
        ["list"],
        ["permit", "list"],
        ["permit", "list", "1", "--json"],
        ["permit", "suggest", "1"],
        ["permit", "suggest", "2", "--json"],
    ],
    ids=" ".join,
)
def test_a_stored_extreme_date_never_crashes_a_command(
    run_scout, db_path: Path, command: list[str]
) -> None:
    _store_extreme_dates(db_path)
    before = db_path.read_bytes()
    ran = run_scout(*command)
    not_a_bug(ran)
    assert ran.returncode in (0, 1, 5), (ran.returncode, ran.stderr)
    assert db_path.read_bytes() == before


# -- numbers past any sense ----------------------------------------------------------


@pytest.mark.parametrize("cost", ["1e999999", "-1e999999", "Infinity", "NaN", "sNaN"])
def test_an_absurd_cost_is_exit_1_naming_cost(run_scout, db_path: Path, cost: str) -> None:
    ran = run_scout("add", "--name", "Y", f"--cost={cost}")
    not_a_bug(ran)
    assert ran.returncode == 1, (ran.returncode, ran.stdout, ran.stderr)
    assert "--cost" in ran.stderr, ran.stderr


def test_a_vanishingly_small_cost_is_refused_or_harmless(run_scout, db_path: Path) -> None:
    ran = run_scout("add", "--name", "Y", "--cost=1e-999999")
    not_a_bug(ran)
    assert ran.returncode in (0, 1), ran.stderr
    if ran.returncode == 1:
        assert "--cost" in ran.stderr
        return
    for command in (["show", "1"], ["show", "1", "--json"], ["list", "--json"]):
        shown = run_scout(*command)
        not_a_bug(shown)
        assert shown.returncode == 0, (command, shown.stderr)


def test_a_huge_cost_is_refused_when_edited_too(run_scout, db_path: Path) -> None:
    assert run_scout("add", "--name", "Y").returncode == 0
    before = db_path.read_bytes()
    ran = run_scout("edit", "1", "--cost", "1e999999")
    not_a_bug(ran)
    assert ran.returncode == 1 and "--cost" in ran.stderr, ran.stderr
    assert db_path.read_bytes() == before
    shown = run_scout("show", "1")
    assert shown.returncode == 0, shown.stderr


# -- the rules file ------------------------------------------------------------------


def _rules_with(tmp_path: Path, section: str, old: str, new: str) -> tuple[Path, int]:
    """default_rules.toml with one value changed in one [types.…] table: (file, line). A
    line that starts with `old` is replaced whole (a text may be one string or one per
    language), else `old` is replaced within its line."""
    lines = DEFAULT_RULES.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f"[types.{section}]\n")
    for number in range(start, len(lines)):
        if lines[number].startswith(old):
            lines[number] = new + "\n"
            break
        if old in lines[number]:
            lines[number] = lines[number].replace(old, new, 1)
            break
    else:
        raise AssertionError(f"{old!r} not in [types.{section}]")
    path = tmp_path / "rules.toml"
    path.write_text("".join(lines), encoding="utf-8")
    return path, number + 1


NESTED = "[" * 5000 + "]" * 5000
RULE_CASES = {
    "lead past any integer": (
        "declaration_prealable",
        "lead = 7",
        "lead = 99999999999999999999",
        "lead",
    ),
    "lead of 100000000 working days": ("demande_agate", "lead = 15", "lead = 100000000", "lead"),
    "label a number": ("declaration_prealable", "label = ", "label = 12345", "label"),
    "authority a list": (
        "declaration_prealable",
        "authority = ",
        "authority = [1, 2]",
        "authority",
    ),
    "crew_max negative": ("declaration_prealable", "crew_max = 9", "crew_max = -5", "crew_max"),
    "arrays nested 5000 deep": (
        "declaration_prealable",
        'site = ["street", "bridge"]',
        f"site = {NESTED}",
        None,  # site or needed_when: the line is what matters
    ),
}


@pytest.mark.parametrize("case", list(RULE_CASES.values()), ids=list(RULE_CASES))
def test_a_wrong_rules_file_is_exit_1_with_file_line_and_key(
    run_scout, tmp_path: Path, case
) -> None:
    section, old, new, key = case
    rules, line = _rules_with(tmp_path, section, old, new)
    ran = run_scout("rules", "check", str(rules))
    not_a_bug(ran)
    assert ran.returncode == 1, (ran.returncode, ran.stdout, ran.stderr[:500])
    assert str(rules) in ran.stderr, ran.stderr[:500]
    assert f"line {line}" in ran.stderr, ran.stderr[:500]
    if key:
        assert key in ran.stderr, ran.stderr[:500]


@pytest.mark.parametrize("case", list(RULE_CASES.values()), ids=list(RULE_CASES))
def test_a_wrong_rules_file_never_crashes_the_commands_using_it(
    run_scout, demo_db: Path, tmp_path: Path, case
) -> None:
    section, old, new, _ = case
    rules, _ = _rules_with(tmp_path, section, old, new)
    for command in (["permit", "suggest", "1"], ["deadlines"], ["export", "ics"]):
        ran = run_scout("--rules", str(rules), *command)
        not_a_bug(ran)
        assert ran.returncode == 1, (command, ran.returncode, ran.stderr[:500])
        assert str(rules) in ran.stderr


def test_a_rules_file_with_a_byte_order_mark_is_accepted(run_scout, tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_bytes(b"\xef\xbb\xbf" + DEFAULT_RULES.read_bytes())
    ran = run_scout("rules", "check", str(rules))
    assert ran.returncode == 0, ran.stderr
    assert "no mistake found" in ran.stdout


@pytest.mark.parametrize("how", ["argument", "--rules"])
def test_a_rules_fifo_does_not_hang(db_path: Path, tmp_path: Path, how: str) -> None:
    fifo = tmp_path / "rules.toml"
    os.mkfifo(fifo)
    args = (
        ["rules", "check", str(fifo)]
        if how == "argument"
        else ["--rules", str(fifo), "rules", "check"]
    )
    ran = scout_proc(*args, db=db_path, timeout=10)
    not_a_bug(ran)
    assert ran.returncode == 1, (ran.returncode, ran.stderr)
    assert str(fifo) in ran.stderr
    assert fifo.is_fifo()


# -- bytes that are not UTF-8 --------------------------------------------------------


def test_a_name_that_is_not_utf8_is_exit_1(db_path: Path) -> None:
    ran = scout_proc("add", "--name", b"a\x9bb", db=db_path)
    not_a_bug(ran)
    assert ran.returncode == 1, (ran.returncode, ran.stderr)
    assert "utf-8" in ran.stderr.lower() and "--name" in ran.stderr, ran.stderr
    listing = scout_proc("list", "--json", db=db_path)
    assert listing.returncode == 0 and json.loads(listing.stdout) == []


def test_a_locate_line_that_is_not_utf8_is_an_error_line(db_path: Path) -> None:
    ran = scout_proc("locate", "-", db=db_path, input=b"48.85,2.35\n\xff\n48.86,2.35\n", timeout=30)
    not_a_bug(ran)
    lines = [json.loads(line) for line in ran.stdout.splitlines()]
    assert len(lines) == 3, ran.stdout
    assert "error" not in lines[0] and lines[0]["arrondissement"]
    assert "error" in lines[1] and lines[1]["line"] == 2
    assert "error" not in lines[2] and lines[2]["arrondissement"]
    assert ran.returncode == 1


# -- terminal injection --------------------------------------------------------------

EVIL = "\x1b[2J\x1b[31mEVIL\x1b]0;pwned\x07\x9b6n\x1bP+q\x1b\\"


def _clean(text: str) -> list[str]:
    """The characters a terminal acts on: ESC, BEL and the C1 controls."""
    return sorted({repr(c) for c in text if c in "\x1b\x07" or 0x80 <= ord(c) <= 0x9F})


READERS = (
    ["list"],
    ["show", "1"],
    ["permit", "list"],
    ["permit", "suggest", "1"],
    ["deadlines"],
    ["photos", "list"],
)


def test_control_sequences_typed_never_reach_the_terminal(run_scout, db_path: Path) -> None:
    """Typed in: refused (exit 1, nothing saved) or saved and shown harmless."""
    added = run_scout("add", "--name", EVIL, "--lat", "48.8606", "--lon", "2.3376")
    not_a_bug(added)
    assert added.returncode in (0, 1), added.stderr
    assert not _clean(added.stdout + added.stderr), added.stdout + added.stderr
    if added.returncode == 1:
        assert "--name" in added.stderr and "nothing was saved" in added.stderr
        assert (
            run_scout("add", "--name", "Calm", "--lat", "48.8606", "--lon", "2.3376").returncode
            == 0
        )
    for args in (
        ["--notes", EVIL],
        ["--address", EVIL + " 1 rue de Rivoli"],
        ["--decor", EVIL],
        ["--contact", f"{EVIL}; {EVIL}"],
        ["--noise", EVIL],
        ["--tag", EVIL],
    ):
        edited = run_scout("edit", "1", *args)
        not_a_bug(edited)
        assert edited.returncode in (0, 1), (args, edited.stderr)
        assert not _clean(edited.stdout + edited.stderr), (args, edited.stdout + edited.stderr)
    for command in READERS:
        ran = run_scout(*command)
        not_a_bug(ran)
        assert not _clean(ran.stdout + ran.stderr), (command, ran.stdout)


def _store_evil_lieu(db: Path) -> None:
    """Control characters already in the file (an older scout, a hand edit, a sync)."""
    from scout.domain.lieu import Contact
    from scout.store import open_store

    store = open_store(db)
    try:
        lieu = store.add_lieu(
            Lieu(
                name=EVIL,
                decor=EVIL,
                address=EVIL,
                postcode="75001",
                position=Position(48.8606, 2.3376),
                arrondissement=1,
                setting=Setting.EXT,
                needs=ShootNeeds(site_kind="street", crew_size=30),
                shoot_days=(ShootDay(date(2026, 12, 10), note=EVIL),),
                contacts=(Contact(EVIL, EVIL, "", ""),),
                tags=(EVIL,),
                notes=EVIL,
            )
        )
        assert lieu.id is not None
        store.add_permit(Permit(lieu_id=lieu.id, type="demande_agate", reference=EVIL, notes=EVIL))
    finally:
        store.close()


@pytest.mark.parametrize("command", [*READERS, ["export", "ics"]], ids=" ".join)
def test_control_sequences_stored_never_reach_the_terminal(
    run_scout, db_path: Path, command: list[str]
) -> None:
    _store_evil_lieu(db_path)
    ran = run_scout(*command)
    not_a_bug(ran)
    assert ran.returncode in (0, 1, 5), ran.stderr
    assert not _clean(ran.stdout + ran.stderr), ran.stdout
    if command == ["list"]:
        assert "EVIL" in ran.stdout  # shown, made harmless


@pytest.mark.lang("fr")
@pytest.mark.parametrize("command", [*READERS, ["export", "ics"]], ids=" ".join)
def test_control_sequences_stored_never_reach_a_french_terminal(
    run_scout, db_path: Path, command: list[str]
) -> None:
    """The French messages put the same stored names in other sentences: still harmless."""
    _store_evil_lieu(db_path)
    ran = run_scout(*command)
    not_a_bug(ran)
    assert ran.returncode in (0, 1, 5), ran.stderr
    assert not _clean(ran.stdout + ran.stderr), ran.stdout


def test_control_sequences_in_error_messages_are_harmless(run_scout, db_path: Path) -> None:
    assert run_scout("add", "--name", "Calm").returncode == 0
    for args in (
        ["edit", "1", "--status", EVIL],
        ["edit", "1", "--shoot-date", EVIL],
        ["add", "--name", "X", "--contact", f"Someone; role; {EVIL}"],
        ["locate", EVIL],
        ["permit", "add", "1", "--type", EVIL],
    ):
        ran = run_scout(*args)
        not_a_bug(ran)
        assert not _clean(ran.stderr), (args, ran.stderr)
        assert not _clean(ran.stdout), (args, ran.stdout)


# -- the installed command end to end, for the record --------------------------------


def test_the_installed_command_survives_a_hostile_session(db_path: Path) -> None:
    steps = [
        ("add", "--name", "Y", "--shoot-date", "0001-01-01"),
        ("add", "--name", "Y", "--cost", "1e999999"),
        ("add", "--name", EVIL, "--lat", "48.85", "--lon", "2.35"),
        ("list",),
        ("show", "1"),
        ("deadlines", "--within", "99999999999999999999"),
        ("export", "ics"),
    ]
    for step in steps:
        ran = scout_proc(*step, db=db_path)
        not_a_bug(ran)
        assert not _clean(ran.stdout), (step, ran.stdout)


def test_a_permit_text_that_is_not_utf8_is_refused_and_nothing_is_saved(run_scout) -> None:
    """Found by the fuzzer: an undecodable --authority reached the store (exit 4)."""
    run_scout("demo")
    before = run_scout("permit", "list", "1", "--json").stdout
    done = run_scout(
        "permit", "add", "1", "--type", "declaration_prealable", "--authority", "caf\udce9"
    )
    assert done.returncode == 1
    assert "--authority" in done.stderr and "UTF-8" in done.stderr
    assert run_scout("permit", "list", "1", "--json").stdout == before


def test_an_export_to_a_link_writes_the_file_it_names_and_keeps_the_link(
    run_scout, tmp_path: Path
) -> None:
    run_scout("demo")
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert run_scout("export", "csv", "-o", str(link)).returncode == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8-sig").startswith("id;name")


def test_an_export_to_a_device_or_a_pipe_writes_into_it_and_never_replaces_it(
    run_scout, tmp_path: Path
) -> None:
    """`-o /dev/null` discards, `-o fifo` streams: neither becomes a regular file."""
    import os
    import stat
    import threading

    run_scout("demo")
    assert run_scout("export", "csv", "-o", "/dev/null").returncode == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert run_scout("export", "csv", "-o", str(fifo)).returncode == 0
    reader.join(10)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received and received[0].startswith(b"\xef\xbb\xbfid;name")


@pytest.mark.lang("fr")
def test_the_system_s_refusals_are_said_in_the_language_of_the_run(
    run_scout, tmp_path: Path
) -> None:
    missing = run_scout("import", "csv", str(tmp_path / "absent.csv"))
    assert missing.returncode == 1
    assert "introuvable" in missing.stderr and "No such file" not in missing.stderr


def test_a_bidirectional_override_in_a_name_cannot_reorder_the_terminal(run_scout) -> None:
    """U+202E turns what follows around on screen (a name that shows as another): it is
    kept as typed, and shown as an escape."""
    assert run_scout("add", "--name", "Cour\u202eRTL").returncode == 0
    listed = run_scout("list").stdout
    assert "\u202e" not in listed and "Cour\\u202eRTL" in listed
    import json

    names = [row["name"] for row in json.loads(run_scout("list", "--json").stdout)]
    assert names == ["Cour\u202eRTL"]  # the data itself is kept as typed
