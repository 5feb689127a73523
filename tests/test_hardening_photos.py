"""Hardening of photo import: decompression bombs, odd EXIF types, names that are not
UTF-8, damaged files, mixed with good pictures. The good ones are imported, each bad one
is skipped with its reason, the command exits 1, never 4, and the output stays readable.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import TODAY, scout_executable
from photo_factory import make_photo
from PIL import Image

NOT_UTF8 = b"caf\xe9.jpg"  # Latin-1 "café.jpg": a name no UTF-8 decoder accepts


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(path: Path, side: int = 100_000) -> Path:
    """A valid PNG header declaring side×side pixels, a few bytes long."""
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )
    return path


def jpeg_bomb(path: Path, side: int = 65_500) -> Path:
    """A real JPEG (with GPS) whose frame header says side×side pixels."""
    make_photo(path, 48.8530, 2.3499, size=(16, 16))
    data = bytearray(path.read_bytes())
    sof = data.index(b"\xff\xc0")  # baseline frame: FF C0, length, precision, H, W
    data[sof + 5 : sof + 9] = struct.pack(">HH", side, side)
    path.write_bytes(bytes(data))
    return path


def _exif_with_orientation(kind: int, payload: bytes) -> bytes:
    """A big-endian EXIF block whose only tag is Orientation, of TIFF type `kind`, its
    value stored after the IFD (offset 26)."""
    entry = struct.pack(">HHI", 0x0112, kind, 1) + struct.pack(">I", 26)
    return b"Exif\x00\x00MM\x00\x2a" + struct.pack(">IH", 8, 1) + entry + b"\0\0\0\0" + payload


def odd_orientation(path: Path, numerator: int, denominator: int) -> Path:
    """Orientation stored as a RATIONAL (the standard says SHORT)."""
    exif = _exif_with_orientation(5, struct.pack(">II", numerator, denominator))
    Image.new("RGB", (64, 48), (numerator * 20 % 255, 90, denominator * 30 % 255)).save(
        path, "JPEG", exif=exif
    )
    return path


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "pictures"
    folder.mkdir()
    make_photo(folder / "good1.jpg", 48.85300, 2.34990, taken="2026:11:20 10:15:00")
    make_photo(
        folder / "good2.jpg", 48.85305, 2.34995, taken="2026:11:20 10:20:00", size=(320, 240)
    )
    make_photo(folder / "no_gps.jpg", size=(200, 100))
    png_bomb(folder / "bomb.png")
    jpeg_bomb(folder / "bomb.jpg")
    odd_orientation(folder / "rational_orientation.jpg", 3, 1)
    odd_orientation(folder / "zero_orientation.jpg", 1, 0)
    truncated = folder / "truncated.jpg"
    make_photo(truncated, 48.86, 2.35, size=(300, 300))
    truncated.write_bytes(truncated.read_bytes()[:400])
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "notes.jpg").write_text("not a picture\n")
    latin = os.path.join(os.fsencode(folder), NOT_UTF8)
    make_photo(Path(os.fsdecode(latin)), 48.8600, 2.3400, size=(128, 96))
    return folder


GOOD = {"good1.jpg", "good2.jpg", "no_gps.jpg"}
MUST_SKIP = {"bomb.png", "bomb.jpg", "truncated.jpg", "empty.jpg", "notes.jpg"}
EITHER = {"rational_orientation.jpg", "zero_orientation.jpg", os.fsdecode(NOT_UTF8)}


def scout_bytes(
    *args: str | bytes, db: Path, timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    environ = {
        **os.environ,
        "SCOUT_DB": str(db),
        "SCOUT_TODAY": TODAY,
        "SCOUT_OFFLINE": "1",
        "SCOUT_LOG_DIR": str(db.parent / "logs"),
    }
    argv = [os.fsencode(scout_executable()), *(os.fsencode(a) for a in args)]
    try:
        return subprocess.run(argv, capture_output=True, env=environ, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`scout {args!r}` ran for more than {timeout} s")


def _same(expected: str, reported: str) -> bool:
    """The names match; the Latin-1 one may be shown escaped or replaced."""
    return expected == reported or (expected.startswith("caf") and reported.startswith("caf"))


def not_a_bug(code: int, stderr: str) -> None:
    assert code != 4, f"exit 4 (a bug): {stderr}"
    assert "unexpected error" not in stderr.lower(), stderr


def _name(path: str) -> str:
    return os.fsdecode(os.path.basename(os.fsencode(path))) if path else path


def test_bad_pictures_are_skipped_with_a_reason_and_good_ones_imported(
    batch: Path, db_path: Path
) -> None:
    ran = scout_bytes("import", "photos", str(batch), "--json", db=db_path)
    stderr = ran.stderr.decode("utf-8", "replace")
    not_a_bug(ran.returncode, stderr)
    assert ran.returncode == 1, stderr
    report = json.loads(ran.stdout)  # valid JSON whatever the names were
    imported = {_name(p) for p in report["imported"]}
    skipped = {_name(s["path"]): s["reason"] for s in report["skipped"]}
    assert imported >= GOOD, report
    assert set(skipped) >= MUST_SKIP, report
    assert all(isinstance(r, str) and r.strip() for r in skipped.values()), skipped
    assert not MUST_SKIP & imported, "a bomb or a damaged file was imported"
    seen = imported | set(skipped)
    unaccounted = {n for n in EITHER if not any(_same(n, m) for m in seen)}
    assert not unaccounted, f"neither imported nor skipped: {unaccounted}"
    listed = scout_bytes("photos", "list", "--json", db=db_path)
    assert listed.returncode == 0, listed.stderr.decode("utf-8", "replace")
    assert {_name(p["path"]) for p in json.loads(listed.stdout)} >= GOOD


def test_the_import_is_quick_and_small_with_bombs(batch: Path, db_path: Path) -> None:
    import time

    environ = {
        **os.environ,
        "SCOUT_DB": str(db_path),
        "SCOUT_TODAY": TODAY,
        "SCOUT_OFFLINE": "1",
        "SCOUT_LOG_DIR": str(db_path.parent / "logs"),
    }
    started = time.monotonic()
    child = subprocess.Popen(
        [scout_executable(), "import", "photos", str(batch / "bomb.png"), str(batch / "bomb.jpg")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environ,
    )
    peak_mb = 0.0
    while True:
        peak_mb = max(peak_mb, _peak_mb(child.pid))  # before it is reaped
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > 30:
            child.kill()
            os.wait4(child.pid, 0)
            pytest.fail("importing two bombs took more than 30 s")
        time.sleep(0.02)
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 1, child.returncode
    assert time.monotonic() - started < 15
    # The child's own high-water mark (ru_maxrss would count the pytest worker's too).
    assert peak_mb < 300, f"peak memory {peak_mb:.0f} MB"


def _peak_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_the_text_report_names_every_skipped_file_in_readable_text(
    run_scout, batch: Path, db_path: Path
) -> None:
    ran = run_scout("import", "photos", str(batch))
    not_a_bug(ran.returncode, ran.stderr)
    assert ran.returncode == 1, ran.stderr
    for name in MUST_SKIP:
        assert f"skipped {batch.resolve() / name}:" in ran.stdout, (name, ran.stdout)
    counted = re.search(r"(\d+) imported", ran.stdout)
    assert counted and 3 <= int(counted[1]) <= 6, ran.stdout


def test_the_installed_command_prints_a_non_utf8_name_without_crashing(
    batch: Path, db_path: Path
) -> None:
    ran = scout_bytes("import", "photos", str(batch), db=db_path)
    not_a_bug(ran.returncode, ran.stderr.decode("utf-8", "replace"))
    assert ran.returncode == 1
    ran.stdout.decode("utf-8")  # what reaches the terminal is UTF-8
    again = scout_bytes("import", "photos", str(batch), db=db_path)
    not_a_bug(again.returncode, again.stderr.decode("utf-8", "replace"))
    assert again.returncode == 1  # the bad ones are still skipped; nothing else changes
    assert b"0 imported" in again.stdout
    for command in (("photos", "list"), ("photos", "proposals"), ("photos", "list", "--json")):
        shown = scout_bytes(*command, db=db_path)
        assert shown.returncode == 0, (command, shown.stderr)
        shown.stdout.decode("utf-8")


def test_a_bomb_given_to_a_lieu_is_skipped_and_the_lieu_intact(
    run_scout, batch: Path, db_path: Path
) -> None:
    assert (
        run_scout("add", "--name", "Place", "--lat", "48.8530", "--lon", "2.3499").returncode == 0
    )
    ran = run_scout(
        "import",
        "photos",
        str(batch / "bomb.jpg"),
        str(batch / "good1.jpg"),
        "--lieu",
        "1",
        "--json",
    )
    not_a_bug(ran.returncode, ran.stderr)
    assert ran.returncode == 1
    report = json.loads(ran.stdout)
    assert [_name(p) for p in report["imported"]] == ["good1.jpg"]
    shown = run_scout("show", "1")
    assert shown.returncode == 0, shown.stderr
