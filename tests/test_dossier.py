"""The dossier de repérage: `scout export dossier` as PDF (read back with pypdf) and HTML
(parsed with html.parser), errors, languages, the thumbnails' cache, the TUI's key."""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from photo_factory import make_photo
from PIL import Image
from pypdf import PdfReader

CAFE = "CAFÉ DE CLAIRE — INT. JOUR"
FLORE = (48.85408, 2.33259)  # Café de Flore, lieu 1 of the demo
CAFE_LIEUX = {1: "Café de Flore", 2: "Les Deux Magots", 3: "Café des Deux Moulins"}
CONTACTS = ("Hélène Marchal", "Marc Dufresne")  # the demo's contacts of the café décor


@pytest.fixture
def demo(run_scout, tmp_path: Path):
    """The demo, with three pictures of the Café de Flore (lieu 1)."""
    assert run_scout("demo").returncode == 0
    folder = tmp_path / "flore"
    folder.mkdir()
    make_photo(folder / "salle.jpg", *FLORE, direction=200.0, size=(1600, 1200))
    make_photo(folder / "terrasse.jpg", *FLORE, taken="2026:11:20 10:25:00", size=(1200, 1600))
    make_photo(folder / "comptoir.jpg", *FLORE, taken="2026:11:20 10:40:00")
    done = run_scout("import", "photos", str(folder), "--lieu", "1")
    assert done.returncode == 0, done.stderr
    return run_scout


def pdf_text(path: Path) -> tuple[int, str, list[str]]:
    reader = PdfReader(path)
    pages = [p.extract_text() for p in reader.pages]
    return len(pages), "\n".join(pages), pages


def flat(text: str) -> str:
    """The PDF's text with its line breaks and spacing evened out."""
    return re.sub(r"\s+", " ", text)


def test_pdf_of_a_decor(demo, tmp_path: Path) -> None:
    from scout.present.labels import arrondissement_label, permit_status_label

    out = tmp_path / "dossier.pdf"
    done = demo("export", "dossier", "--decor", CAFE, "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stderr and done.stdout == ""
    count, text, pages = pdf_text(out)
    assert count >= 1 + len(CAFE_LIEUX)  # the cover and a page per lieu at least
    text = flat(text)
    for name in CAFE_LIEUX.values():
        assert name in text
    assert "Les Toits de Paris (démo)" in flat(pages[0]) and CAFE in flat(pages[0])
    for number, name in ((6, "Luxembourg"), (18, "Buttes-Montmartre")):
        assert f"{arrondissement_label(number)}" in text and name in text
    assert permit_status_label("granted") in text  # Deux Moulins: the owner's agreement
    assert "Source : Ville de Paris — opendata.paris.fr (ODbL)" in text
    assert "Mairie du 6e arrondissement" in text
    assert "4,500.00" in text and "€" in text  # the Flore's cost, in English
    for who in CONTACTS:
        assert who in text
    assert "salle.jpg" in text and "facing 200°" in text  # a picture's caption and details
    assert f"Page 1 / {count}" in flat(pages[0]) and f"Page {count} / {count}" in flat(pages[-1])
    assert "Sun " in text  # the sun on the Flore's shoot day


def test_pdf_without_contacts(demo, tmp_path: Path) -> None:
    out = tmp_path / "public.pdf"
    assert (
        demo("export", "dossier", "--decor", CAFE, "-o", str(out), "--no-contacts").returncode == 0
    )
    text = flat(pdf_text(out)[1])
    for who in CONTACTS:
        assert who not in text
    assert "+33" not in text and "01 99 00" not in text and "Contacts" not in text
    assert "Café de Flore" in text


@pytest.mark.lang("fr")
def test_pdf_in_french(demo, tmp_path: Path) -> None:
    out = tmp_path / "dossier.pdf"
    assert demo("export", "dossier", "--decor", CAFE, "-o", str(out)).returncode == 0
    text = flat(pdf_text(out)[1])
    for words in ("Dossier de repérage", "Établi le", "Accessibilité (PMR)", "Autorisations"):
        assert words in text
    assert "4 500,00 €" in text.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Accordée" in text and "vers 200°" in text and "Mairie du 18e arrondissement" in text
    for english in ("Location scouting file", "Made on", "Permits", "Sun on the shoot days"):
        assert english not in text


def test_pdf_in_english(demo, tmp_path: Path) -> None:
    out = tmp_path / "dossier.pdf"
    assert demo("export", "dossier", "--decor", CAFE, "-o", str(out)).returncode == 0
    text = flat(pdf_text(out)[1])
    for words in ("Location scouting file", "Made on", "Accessibility (PMR)", "Permits"):
        assert words in text
    for french in ("Dossier de repérage", "Établi le", "Autorisations", "Accessibilité"):
        assert french not in text


class Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []
        self.svgs = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.append(dict(attrs)["src"] or "")
        if tag == "svg":
            self.svgs += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_one_file_with_its_images(demo, tmp_path: Path) -> None:
    out = tmp_path / "dossier.html"
    done = demo("export", "dossier", "--lieu", "1", "--lieu", "3", "--output", str(out))
    assert done.returncode == 0, done.stderr  # the format taken from the file name
    page = Images()
    page.feed(out.read_text(encoding="utf-8"))
    assert len(page.sources) == 3 and page.svgs == 2  # the Flore's pictures, two maps
    for src in page.sources:
        head, _, data = src.partition(",")
        assert head == "data:image/jpeg;base64"
        with Image.open(io.BytesIO(base64.b64decode(data))) as img:
            img.load()
            assert max(img.size) <= 480
    text = " ".join(page.text)
    assert "Café de Flore" in text and "Café des Deux Moulins" in text
    assert "Les Deux Magots" not in text
    assert "break-after: page" in out.read_text(encoding="utf-8")
    assert "http" not in re.sub(
        r"(https?://www\.w3\.org|opendata\.paris\.fr)\S*", "", out.read_text()
    )


def test_standard_output_and_full_photos(demo) -> None:
    done = demo("export", "dossier", "--lieu", "1", "--format", "html", "--full-photos")
    assert done.returncode == 0, done.stderr
    page = Images()
    page.feed(done.stdout)
    assert len(page.sources) == 6  # thumbnails and full pictures


def test_thumbnails_made_once(demo, tmp_path: Path, db_path: Path) -> None:
    assert demo("export", "dossier", "--lieu", "1", "-o", str(tmp_path / "a.pdf")).returncode == 0
    cache = db_path.parent / "thumbnails"
    made = sorted(cache.iterdir())
    assert len(made) == 3 and all(p.suffix == ".jpg" for p in made)
    stamps = [p.stat().st_mtime_ns for p in made]
    assert demo("export", "dossier", "--lieu", "1", "-o", str(tmp_path / "b.pdf")).returncode == 0
    assert [p.stat().st_mtime_ns for p in sorted(cache.iterdir())] == stamps


@pytest.mark.parametrize("where", ["folder", "missing", "file-as-folder"])
def test_output_that_cannot_be_written(demo, tmp_path: Path, where: str) -> None:
    target = {
        "folder": tmp_path,
        "missing": tmp_path / "nowhere" / "d.pdf",
        "file-as-folder": tmp_path / "flore" / "salle.jpg" / "d.pdf",
    }[where]
    before = sorted(tmp_path.rglob("*"))
    done = demo("export", "dossier", "--decor", CAFE, "-o", str(target))
    assert done.returncode == 1
    assert "nothing was written" in done.stderr and "Traceback" not in done.stderr
    assert sorted(tmp_path.rglob("*")) == before


def test_unknown_decor_or_lieu(demo) -> None:
    done = demo("export", "dossier", "--decor", "CAVE — INT. NUIT")
    assert done.returncode == 1 and "CAVE — INT. NUIT" in done.stderr and CAFE in done.stderr
    done = demo("export", "dossier", "--lieu", "99")
    assert done.returncode == 1 and "99" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_empty_database(run_scout) -> None:
    done = run_scout("export", "dossier")
    assert done.returncode == 1 and "No locations yet" in done.stderr


def test_user_text_cannot_break_the_pdf(run_scout, tmp_path: Path) -> None:
    name = 'Chez #Zoé *] $x$ "quote" <b>&amp; @ \\ // 🎬'
    assert (
        run_scout("add", "--name", name, "--decor", "CAVE", "--notes", "a ; b\nc").returncode == 0
    )
    out = tmp_path / "d.pdf"
    assert run_scout("export", "dossier", "--decor", "cave", "-o", str(out)).returncode == 0
    assert "Chez #Zoé *] $x$" in flat(pdf_text(out)[1])
    html_out = tmp_path / "d.html"
    assert run_scout("export", "dossier", "--decor", "cave", "-o", str(html_out)).returncode == 0
    page = Images()
    page.feed(html_out.read_text(encoding="utf-8"))
    assert name in " ".join(page.text)


def test_installed_command(run_installed_scout, tmp_path: Path) -> None:
    assert run_installed_scout("demo").returncode == 0
    out = tmp_path / "dossier.pdf"
    done = run_installed_scout("export", "dossier", "--decor", CAFE, "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert PdfReader(out).pages[0].extract_text()


def test_file_name() -> None:
    from scout.exports.dossier import dossier_file_name

    assert dossier_file_name(CAFE, "pdf") == "dossier-cafe-de-claire-int-jour.pdf"
    assert dossier_file_name("🎬", "html") == "dossier-lieux.html"


# -- the TUI: a key and a palette command on the lieux screen ------------------------------
async def test_tui_key_writes_the_dossier_of_the_decor(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_tui import _group_done, _palette, running

    from scout.tui.widgets.lieu_table import LieuTable

    monkeypatch.chdir(tmp_path)
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, _store):
        table = app.screen.query_one(LieuTable)
        table.move_to(1)  # the Café de Flore
        await pilot.pause()
        notes: list[str] = []
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(str(message)))
        await pilot.press("x")
        await _group_done(pilot, "dossier")
        assert any("Scouting file written to" in n for n in notes), notes
        found = await _palette(pilot, "Scouting file")
        assert found[0].startswith("Locations: Scouting file\nx — Write the dossier"), found
        out = tmp_path / "dossier-cafe-de-claire-int-jour.pdf"
        out.unlink()
        await pilot.press("enter")  # the same, from the palette
        await _group_done(pilot, "dossier")
        assert len([n for n in notes if "Scouting file written to" in n]) == 2
    text = flat(pdf_text(out)[1])
    assert all(name in text for name in CAFE_LIEUX.values())
