"""Benchmark of the dossier de repérage: the PDF of one décor with 5 lieux and 40 pictures
of 12 MP, beside Pillow alone decoding and thumbnailing the same 40 pictures in the same
run; then the same dossier again, its thumbnails cached.

    python tests/bench_dossier.py          one figure a line
    python tests/bench_dossier.py --json   one JSON object

Names as in tests/bench.py: `…_s` seconds, `…_ratio` = ours ÷ baseline (lower is better).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

DECOR = "CAFÉ DE CLAIRE — INT. JOUR"
PLACES = [
    ("Café de Flore", "172 boulevard Saint-Germain", "75006", 48.85408, 2.33259),
    ("Les Deux Magots", "6 place Saint-Germain-des-Prés", "75006", 48.85401, 2.33328),
    ("Café des Deux Moulins", "15 rue Lepic", "75018", 48.88487, 2.33360),
    ("Le Select", "99 boulevard du Montparnasse", "75006", 48.84257, 2.32857),
    ("La Palette", "43 rue de Seine", "75006", 48.85493, 2.33686),
]
PHOTOS, SIZE = 40, (4000, 3000)  # 12 MP


def _pictures(folder: Path) -> list[Path]:
    """40 phone-like JPEGs of 12 MP, each different (their own content hash)."""
    from photo_factory import make_photo
    from PIL import Image, ImageDraw

    exif = Image.open(make_photo(folder / "exif.jpg", 48.854, 2.3326, direction=210.0)).getexif()
    base = Image.merge(
        "RGB",
        [Image.effect_noise(SIZE, 30).point(lambda v, k=k: min(255, v + k)) for k in (20, 40, 60)],
    )
    paths = []
    for i in range(PHOTOS):
        img = base.copy()
        ImageDraw.Draw(img).rectangle(
            (i * 90, i * 60, i * 90 + 400, i * 60 + 300), fill=(i, 90, 200)
        )
        path = folder / f"IMG_{i:04d}.jpg"
        img.save(path, "JPEG", quality=85, exif=exif)
        paths.append(path)
    (folder / "exif.jpg").unlink()
    return paths


def _scout(*args: str) -> int:
    from scout.cli.main import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(list(args))


def bench_dossier(tmp: Path) -> dict:
    from PIL import Image

    db = str(tmp / "scout.db")
    os.environ.setdefault("SCOUT_LOG_DIR", str(tmp))
    os.environ["SCOUT_LANG"] = os.environ.get("SCOUT_LANG", "fr")
    pictures_dir = tmp / "pictures"
    pictures_dir.mkdir()
    pictures = _pictures(pictures_dir)
    for n, (name, address, postcode, lat, lon) in enumerate(PLACES, start=1):
        _scout(
            "--db", db, "add", "--name", name, "--decor", DECOR, "--address", address,
            "--postcode", postcode, "--lat", str(lat), "--lon", str(lon),
            "--shoot-date", "2026-12-03 07:30-19:00", "--contact", "Claire Martin; gérante",
        )  # fmt: skip
        own = pictures[(n - 1) * 8 : n * 8]
        assert _scout("--db", db, "import", "photos", *map(str, own), "--lieu", str(n)) == 0

    # the baseline: Pillow alone, decoding and thumbnailing the same 40 pictures
    start = time.perf_counter()
    for path in pictures:
        with Image.open(path) as img:
            img.thumbnail((480, 480))
            img.save(io.BytesIO(), "JPEG", quality=82)
    baseline = time.perf_counter() - start

    out = tmp / "dossier.pdf"
    start = time.perf_counter()
    assert _scout("--db", db, "export", "dossier", "--decor", DECOR, "-o", str(out)) == 0
    cold = time.perf_counter() - start
    start = time.perf_counter()
    assert _scout("--db", db, "export", "dossier", "--decor", DECOR, "-o", str(out)) == 0
    warm = time.perf_counter() - start

    from pypdf import PdfReader

    return {
        "dossier_pdf_40_photos_s": round(cold, 2),
        "dossier_pdf_40_photos_warm_cache_s": round(warm, 2),
        "dossier_baseline_pillow_thumbnails_40_photos_s": round(baseline, 2),
        "dossier_pdf_40_photos_ratio": round(cold / baseline, 2),
        "dossier_pdf_40_photos_warm_cache_ratio": round(warm / baseline, 2),
        "dossier_pdf_pages": len(PdfReader(out).pages),
        "dossier_pdf_bytes": out.stat().st_size,
    }


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        figures = bench_dossier(Path(folder))
    if "--json" in sys.argv:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
