"""The dossier de repérage, as a PDF (typst) or one self-contained HTML file.

Three steps: `compose` turns what `scout.services.dossier.gather` read into a `Dossier`
of texts in the language of the run (the lines of `scout.present`) and pictures;
`render_pdf` and `render_html` lay that out. Thumbnails are made once with Pillow and
kept by content hash, so a second dossier of the same pictures decodes none of them.

Why typst: it installs with pip alone (one wheel, no dependency) and brings its own fonts
(accents, «», —, € without a font file of ours); it lays out text (justification,
hyphenation, page breaks) where fpdf2 places boxes; and it was faster on our dossier. The
texts go to typst as JSON data (`sys.inputs`), never as markup: a name with `#`, `*` or
`]` cannot break the page.
"""

from __future__ import annotations

import base64
import html
import json
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scout.domain.lieu import Logistics
from scout.geo.lookup import ATTRIBUTION
from scout.i18n import _, current_language, formats, ngettext

if TYPE_CHECKING:
    from scout.services.dossier import DossierData, LieuFile

THUMB_PX = 480  # the longer side of a thumbnail
FULL_PX = 1600  # the longer side of a full picture (--full-photos)
MAP_MM = 60.0  # the side of the small map's square

Progress = Callable[[int, int], None]


# -- the document: texts and pictures, nothing to compute any more ----------------------
@dataclass
class Picture:
    file: str  # the cached JPEG, by content hash
    caption: str
    details: list[str]
    full: str | None = None  # the larger picture (--full-photos)


@dataclass
class MapShape:
    """The arrondissement's outline and the lieu, in millimetres of a MAP_MM square
    (y downwards)."""

    rings: list[list[tuple[float, float]]]
    marker: tuple[float, float]
    label: str


@dataclass
class Section:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)  # (label, text); label may be ""


@dataclass
class LieuPage:
    title: str
    decor: str
    sections: list[Section]
    map: MapShape | None
    pictures: list[Picture]
    missing_pictures: str = ""  # « 2 pictures not found on this computer »
    city_data: bool = False  # the City's data was used on this page


@dataclass
class DecorBlock:
    name: str
    rows: list[str]
    lieux: list[str]


@dataclass
class Dossier:
    lang: str
    title: str
    production: str
    made: str
    decors: list[DecorBlock]
    pages: list[LieuPage]
    words: dict[str, str]  # the fixed words of the layout
    attribution: str = ATTRIBUTION


# -- thumbnails -------------------------------------------------------------------------
def thumbnail(source: Path, sha256: str, cache: Path, px: int = THUMB_PX) -> Path | None:
    """A JPEG of at most `px` pixels a side, upright, made once per picture content; None
    when the picture is not on this computer or cannot be read."""
    target = cache / f"{sha256}-{px}.jpg"
    if target.exists():
        return target
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(source) as img:
            # JPEG: decode at 1/2, 1/4 or 1/8 of the size, the smallest still big enough
            w, h = img.size
            scale = px / max(w, h, 1)
            img.draft("RGB", (max(1, int(w * scale + 1)), max(1, int(h * scale + 1))))
            small = ImageOps.exif_transpose(img) or img
            small = small.convert("RGB")
            small.thumbnail((px, px))
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    from scout.files import write_atomic

    cache.mkdir(parents=True, exist_ok=True)
    import io

    out = io.BytesIO()
    small.save(out, "JPEG", quality=82, optimize=True)
    return write_atomic(target, out.getvalue())


def make_thumbnails(photos: list[Any], cache: Path, full: bool = False) -> None:
    """The thumbnails not cached yet, made on every core (Pillow decodes outside the GIL)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    sizes = (THUMB_PX, FULL_PX) if full else (THUMB_PX,)
    todo = {
        (p.sha256, px): Path(p.path)
        for p in photos
        for px in sizes
        if not (cache / f"{p.sha256}-{px}.jpg").exists()
    }
    if len(todo) < 2:
        return
    with ThreadPoolExecutor(max_workers=min(len(todo), os.cpu_count() or 1)) as pool:
        list(pool.map(lambda k: thumbnail(todo[k], k[0], cache, k[1]), todo))


# -- composing the texts ----------------------------------------------------------------
def compose(
    data: DossierData,
    *,
    contacts: bool = True,
    full_photos: bool = False,
    progress: Progress | None = None,
) -> Dossier:
    """The dossier's texts in the language of the run, and its pictures (thumbnails made
    or taken from the cache)."""
    production = data.production.name if data.production else ""
    today = data.today
    decors, pages = [], []
    total = sum(len(d.lieux) for d in data.decors)
    done = 0
    make_thumbnails(
        [p for d in data.decors for f in d.lieux for p in f.photos], data.thumbnails, full_photos
    )
    for d in data.decors:
        sequences = sorted(
            {s for f in d.lieux for s in f.lieu.sequences}, key=lambda s: (len(s), s)
        )
        rows = [_("Sequences: {sequences}").format(sequences=", ".join(sequences) or "—")]
        days = sorted({sd.day for f in d.lieux for sd in f.lieu.shoot_days})
        if days:
            rows.append(
                _("Shoot days: {days}").format(days=", ".join(formats.day(x) for x in days))
            )
        names = [_lieu_title(f.lieu) for f in d.lieux]
        decors.append(DecorBlock(d.name or _("(no décor)"), rows, names))
        for f in d.lieux:
            pages.append(_lieu_page(f, today, data.thumbnails, contacts, full_photos))
            done += 1
            if progress:
                progress(done, total)
    return Dossier(
        lang=current_language(),
        title=_("Location scouting file"),
        production=production,
        made=_("Made on {day}").format(day=formats.long_day(today)),
        decors=decors,
        pages=pages,
        words={
            "decors": _("Décors"),
            "page": _("Page"),
            "photos": _("Photos"),
        },
    )


def _lieu_title(lieu: Any) -> str:
    return ("★ " if lieu.retained else "") + str(lieu.name)


def _lieu_page(f: LieuFile, today: date, cache: Path, contacts: bool, full: bool) -> LieuPage:
    from scout.domain.fiche import fiche_values
    from scout.geo.lookup import locate
    from scout.present.labels import arrondissement_label, field_label, value_label
    from scout.present.sheets import permit_lines, position_warnings

    lieu = f.lieu
    v = fiche_values(lieu)
    main = Section(_("Location"))
    setting = lieu.setting.label if lieu.setting else _("INT/EXT not given")
    main.rows.append((_("Status"), f"{lieu.status.label} — {setting}"))
    if lieu.retained:
        main.rows.append(("★", _("retained for its décor")))
    main.rows.append((_("Address"), f"{lieu.address or '—'} {lieu.postcode}".strip()))
    where = None
    shape = None
    if lieu.position is not None:
        where = locate(lieu.position.lat, lieu.position.lon, lieu.postcode or None)
        if where.arrondissement is not None:
            arr = where.arrondissement
            main.rows.append(
                (
                    _("Arrondissement"),
                    f"{arrondissement_label(arr.number, lieu.on_boundary, lieu.approximate_zone)}"
                    f" — {arr.name}",
                )
            )
            main.rows.append((_("Mairie"), f"{arr.mairie.name}, {arr.mairie.address}"))
            shape = map_shape(arr.number, lieu.position.lat, lieu.position.lon, arr.name)
        else:
            main.rows.append((_("Arrondissement"), _("(outside Paris)")))
        main.rows.append((_("Position"), f"{lieu.position.lat:.5f}, {lieu.position.lon:.5f}"))
    elif lieu.arrondissement is not None:
        main.rows.append((_("Arrondissement"), arrondissement_label(lieu.arrondissement)))
    for w in position_warnings(lieu):
        main.rows.append(("⚠", w))
    if lieu.sequences:
        main.rows.append((_("Sequences"), v["sequences"]))
    if lieu.cost is not None:
        main.rows.append((_("Cost"), formats.money(lieu.cost)))
    if lieu.notes:
        main.rows.append((_("Notes"), lieu.notes))
    sections = [main]

    a = lieu.accessibility
    pmr = Section(_("Accessibility (PMR)"))
    pmr.rows.append(("", _("{count}/6 checked").format(count=a.assessed())))
    for key in a.CHECKS:
        pmr.rows.append((field_label(key), value_label(key, getattr(a, key))))
    if a.notes:
        pmr.rows.append((field_label("accessibility.notes"), a.notes))
    sections.append(pmr)

    logistics = Section(_("Logistics"))
    for key in (f.name for f in fields(Logistics)):
        if v[key]:
            logistics.rows.append((field_label(key), v[key]))
    nd = lieu.needs
    for key in ("site_kind", "crew_size", "tech_vehicles", "parking_spaces"):
        value = getattr(nd, key)
        if value not in (None, ""):
            logistics.rows.append((field_label(key), value_label(key, value)))
    if not logistics.rows:
        logistics.rows.append(("", _("not given")))
    sections.append(logistics)

    if lieu.position is not None and lieu.shoot_days:
        from scout.photos.sun import sun_lines

        directions = sorted(
            {
                round(p.metadata["direction_deg"])
                for p in f.photos
                if isinstance(p.metadata.get("direction_deg"), (int, float))
            }
        )[:3]
        sun = Section(_("Sun on the shoot days"))
        for sd in lieu.shoot_days:
            lines = sun_lines(
                lieu.position.lat,
                lieu.position.lon,
                sd.day,
                sd.call,
                [float(x) for x in directions],
            )
            sun.rows.extend(("", line.strip()) for line in lines)
        sections.append(sun)
    elif lieu.shoot_days:
        sun = Section(_("Shoot days"))
        sun.rows.extend(("", formats.day(sd.day)) for sd in lieu.shoot_days)
        sections.append(sun)

    if contacts:
        people = Section(_("Contacts"))
        people.rows.extend(("", line) for line in v["contacts"].splitlines() if line.strip())
        if not people.rows:
            people.rows.append(("", _("not given")))
        sections.append(people)

    permits = Section(_("Permits"))
    lines = permit_lines(f.review.rows, f.review.warnings)
    # permit_lines starts with its own heading: the section has it already
    permits.rows.extend(("", line.strip()) for line in lines[1:] if lines and f.review.rows)
    if not f.review.rows:
        permits.rows.append(("", _("none needed or filed yet")))
    sections.append(permits)

    pictures, missing = [], 0
    for p in f.photos:
        thumb = thumbnail(Path(p.path), p.sha256, cache)
        if thumb is None:
            missing += 1
            continue
        big = thumbnail(Path(p.path), p.sha256, cache, FULL_PX) if full else None
        pictures.append(
            Picture(
                file=str(thumb),
                caption=p.caption or Path(p.path).name,
                details=_picture_details(p.metadata),
                full=str(big) if big else None,
            )
        )
    gone = (
        ngettext(
            "{n} picture not found on this computer",
            "{n} pictures not found on this computer",
            missing,
        ).format(n=missing)
        if missing
        else ""
    )
    return LieuPage(
        title=_lieu_title(lieu),
        decor=lieu.decor,
        sections=sections,
        map=shape,
        pictures=pictures,
        missing_pictures=gone,
        city_data=where is not None and where.arrondissement is not None,
    )


def _picture_details(m: dict[str, Any]) -> list[str]:
    """When, with what lens, towards where."""
    out = []
    taken = m.get("taken_at")
    if isinstance(taken, str) and taken:
        try:
            out.append(formats.moment(datetime.fromisoformat(taken[:19])))
        except ValueError:
            out.append(taken[:16].replace("T", " "))
    lens = m.get("lens") or " ".join(x for x in (m.get("make", ""), m.get("model", "")) if x)
    focal = m.get("focal_length_mm")
    if isinstance(focal, (int, float)):
        lens = f"{lens} {formats.number(focal, 1)} mm".strip()
    if lens:
        out.append(str(lens))
    if isinstance(m.get("direction_deg"), (int, float)):
        out.append(_("facing {degrees}°").format(degrees=f"{m['direction_deg']:.0f}"))
    return out


def map_shape(number: int, lat: float, lon: float, name: str) -> MapShape:
    """The arrondissement's outline from the project's polygons (geodata/paris.geojson),
    scaled into a MAP_MM square, and the lieu on it."""
    import shapely

    from scout.geo.lookup import paris
    from scout.geo.plane import to_plane

    data = paris()
    poly = data.polygons[data.number_list.index(number)]
    xmin, ymin, xmax, ymax = poly.bounds
    px, py = to_plane(lat, lon)
    xmin, xmax, ymin, ymax = min(xmin, px), max(xmax, px), min(ymin, py), max(ymax, py)
    pad = 3.0
    scale = (MAP_MM - 2 * pad) / max(xmax - xmin, ymax - ymin, 1.0)
    dx = (MAP_MM - (xmax - xmin) * scale) / 2
    dy = (MAP_MM - (ymax - ymin) * scale) / 2

    def mm(x: float, y: float) -> tuple[float, float]:
        return (round(dx + (x - xmin) * scale, 2), round(dy + (ymax - y) * scale, 2))

    simple = shapely.simplify(poly, 2.0)
    geoms = getattr(simple, "geoms", [simple])
    rings = [[mm(x, y) for x, y in shapely.get_coordinates(g.exterior)] for g in geoms]
    return MapShape(rings=rings, marker=mm(px, py), label=name)


# -- PDF ----------------------------------------------------------------------------------
TEMPLATE = r"""
#let d = json(bytes(sys.inputs.data))
#let w = d.words
#set document(title: d.title + " — " + d.production)
#set text(lang: d.lang, size: 9.5pt, font: "Libertinus Serif")
#set par(justify: false, leading: 0.55em)
#set page(
  paper: "a4",
  margin: (x: 16mm, top: 16mm, bottom: 20mm),
  footer: context [
    #set text(size: 7.5pt, fill: luma(90))
    #d.production #h(1fr) #w.page #counter(page).display("1 / 1", both: true)
  ],
)
#let rows(list) = grid(
  columns: (32mm, 1fr), column-gutter: 3mm, row-gutter: 1.6mm,
  ..list.map(r => if r.at(0) == "" { (grid.cell(colspan: 2, r.at(1)),) } else {
    (text(fill: luma(70), r.at(0)), r.at(1)) }).flatten()
)
#let heading-of(title) = block(sticky: true, above: 3.5mm, below: 1.5mm)[
  #text(weight: "bold", size: 10.5pt, title)
  #v(-1.5mm)
  #line(length: 100%, stroke: 0.4pt + luma(160))
]
#let section(s) = { heading-of(s.title); rows(s.rows) }
#let drawmap(m) = box(width: 60mm, height: 60mm, stroke: 0.4pt + luma(180), clip: true)[
  #for ring in m.rings {
    place(top + left, polygon(fill: rgb("#eef2f6"), stroke: 0.8pt + rgb("#3a5f85"),
      ..ring.map(p => (p.at(0) * 1mm, p.at(1) * 1mm))))
  }
  #place(top + left, dx: m.marker.at(0) * 1mm - 2mm, dy: m.marker.at(1) * 1mm - 2mm,
    circle(radius: 2mm, fill: rgb("#c0392b"), stroke: 0.8pt + white))
  #place(bottom + left, dx: 1.5mm, dy: -1.5mm, text(size: 7pt, fill: luma(80), m.label))
]

// cover
#align(center + horizon)[
  #text(size: 26pt, weight: "bold", d.title) \
  #v(4mm)
  #text(size: 17pt, d.production) \
  #v(2mm)
  #text(size: 11pt, fill: luma(80), d.made)
  #v(12mm)
  #block(width: 80%)[
    #set align(left)
    #text(weight: "bold", size: 11pt, w.decors)
    #for dec in d.decors [
      #block(above: 3mm)[
        #text(weight: "bold", dec.name) \
        #for r in dec.rows [ #text(fill: luma(70), r) \ ]
        #for n in dec.lieux [ – #n \ ]
      ]
    ]
  ]
]

#for (i, pg) in d.pages.enumerate() [
  #pagebreak()
  #text(size: 8pt, fill: luma(90), pg.decor) \
  #text(size: 17pt, weight: "bold", pg.title)
  #v(1mm)
  #grid(columns: (1fr, 62mm), column-gutter: 5mm,
    section(pg.sections.at(0)),
    if pg.map != none [
      #drawmap(pg.map)
      #text(size: 6.5pt, fill: luma(90), d.attribution)
    ],
  )
  #for s in pg.sections.slice(1) { section(s) }
  #if pg.pictures.len() > 0 or pg.missing != "" [
    #heading-of(w.photos)
    #grid(columns: (1fr, 1fr, 1fr), column-gutter: 4mm, row-gutter: 4mm,
      ..pg.pictures.map(p => block(breakable: false)[
        #image(p.thumb, width: 100%)
        #text(size: 8pt, weight: "bold", p.caption) \
        #text(size: 7.5pt, fill: luma(70), p.details.join(" · "))
      ])
    )
    #if pg.missing != "" [ #text(size: 8pt, fill: luma(90), pg.missing) ]
  ]
  #for p in pg.pictures.filter(p => p.full != none) [
    #pagebreak()
    #align(center)[
      #image(p.full, width: 100%, height: 85%, fit: "contain")
      #text(size: 9pt, weight: "bold", p.caption) — #text(size: 8pt, p.details.join(" · "))
    ]
  ]
]
"""


def render_pdf(dossier: Dossier) -> bytes:
    """The dossier as a PDF: cover page, then a page (or more) per lieu, numbered."""
    import shutil

    import typst

    with tempfile.TemporaryDirectory(prefix="scout-dossier-") as tmp:
        root = Path(tmp)
        pages = []
        for n, pg in enumerate(dossier.pages):
            pictures = []
            for k, p in enumerate(pg.pictures):
                thumb = f"p{n}-{k}.jpg"
                shutil.copyfile(p.file, root / thumb)
                full = None
                if p.full:
                    full = f"p{n}-{k}-full.jpg"
                    shutil.copyfile(p.full, root / full)
                pictures.append(
                    {"thumb": thumb, "full": full, "caption": p.caption, "details": p.details}
                )
            pages.append(
                {
                    "title": pg.title,
                    "decor": pg.decor,
                    "sections": [asdict(s) for s in pg.sections],
                    "map": asdict(pg.map) if pg.map else None,
                    "pictures": pictures,
                    "missing": pg.missing_pictures,
                }
            )
        data = {
            "lang": dossier.lang,
            "title": dossier.title,
            "production": dossier.production,
            "made": dossier.made,
            "decors": [asdict(x) for x in dossier.decors],
            "pages": pages,
            "words": dossier.words,
            "attribution": dossier.attribution,
        }
        (root / "dossier.typ").write_text(TEMPLATE, encoding="utf-8")
        pdf = typst.compile(
            str(root / "dossier.typ"),
            root=str(root),
            sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
            ignore_system_fonts=True,  # the same fonts everywhere: typst's own
            timestamp=int(datetime.now().timestamp()),
        )
    return bytes(pdf)


# -- HTML ---------------------------------------------------------------------------------
CSS = """
@page { size: A4; margin: 14mm 14mm 16mm; }
body { font: 10pt/1.35 Georgia, 'Libertinus Serif', serif; color: #222; margin: 0; }
.page { break-after: page; page-break-after: always; padding: 8mm; max-width: 190mm;
        margin: 0 auto; position: relative; }
.page:last-child { break-after: auto; page-break-after: auto; }
.cover { text-align: center; padding-top: 50mm; }
.cover h1 { font-size: 26pt; margin: 0 0 4mm; }
.cover .prod { font-size: 17pt; }
.cover .made { color: #555; margin-bottom: 12mm; }
.decors { text-align: left; width: 80%; margin: 0 auto; }
.decor-name { font-weight: bold; margin-top: 4mm; }
.kicker { font-size: 8pt; color: #555; }
h2 { font-size: 17pt; margin: 0 0 2mm; }
h3 { font-size: 10.5pt; border-bottom: 0.4pt solid #aaa; margin: 4mm 0 1.5mm; }
table { border-collapse: collapse; width: 100%; }
td { vertical-align: top; padding: 0.6mm 2mm 0.6mm 0; }
td.l { color: #555; width: 32mm; }
.top { display: flex; gap: 5mm; }
.top > .main { flex: 1; }
svg.map { width: 60mm; height: 60mm; border: 0.4pt solid #bbb; flex: none; }
.pics { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4mm; }
figure { margin: 0; break-inside: avoid; }
figure img { width: 100%; display: block; }
figcaption { font-size: 8pt; }
figcaption span { color: #555; }
.full { break-before: page; text-align: center; }
.full img { max-width: 100%; max-height: 240mm; }
footer { font-size: 7.5pt; color: #666; margin-top: 6mm; display: flex;
         justify-content: space-between; gap: 4mm; }
"""


def _img(path: str) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def _rows(rows: list[tuple[str, str]]) -> str:
    e = html.escape
    return (
        "<table>"
        + "".join(
            f'<tr><td class="l">{e(a)}</td><td>{e(b)}</td></tr>'
            if a
            else f'<tr><td colspan="2">{e(b)}</td></tr>'
            for a, b in rows
        )
        + "</table>"
    )


def _svg(m: MapShape) -> str:
    e = html.escape
    paths = "".join(
        '<polygon fill="#eef2f6" stroke="#3a5f85" stroke-width="0.8" points="'
        + " ".join(f"{x},{y}" for x, y in ring)
        + '"/>'
        for ring in m.rings
    )
    x, y = m.marker
    return (
        f'<svg class="map" viewBox="0 0 {MAP_MM:g} {MAP_MM:g}" xmlns="http://www.w3.org/2000/svg"'
        f' role="img" aria-label="{e(m.label)}">{paths}'
        f'<circle cx="{x}" cy="{y}" r="2" fill="#c0392b" stroke="#fff" stroke-width="0.8"/>'
        f'<text x="1.5" y="{MAP_MM - 1.5:g}" font-size="3.2" fill="#555">{e(m.label)}</text></svg>'
    )


def render_html(dossier: Dossier) -> bytes:
    """The dossier as one HTML file: styles inline, pictures as data: URIs, a page break
    before every lieu when printed."""
    e = html.escape
    total = 1 + len(dossier.pages)
    w = dossier.words

    def footer(n: int) -> str:
        return (
            f"<footer><span>{e(dossier.production)}</span>"
            f"<span>{e(w['page'])} {n} / {total}</span></footer>"
        )

    parts = [
        f'<!DOCTYPE html><html lang="{e(dossier.lang)}"><head><meta charset="utf-8">'
        f"<title>{e(dossier.title)} — {e(dossier.production)}</title>"
        f"<style>{CSS}</style></head><body>",
        '<section class="page cover">',
        f'<h1>{e(dossier.title)}</h1><div class="prod">{e(dossier.production)}</div>',
        f'<div class="made">{e(dossier.made)}</div><div class="decors">',
        f"<h3>{e(w['decors'])}</h3>",
    ]
    for dec in dossier.decors:
        parts.append(f'<div class="decor-name">{e(dec.name)}</div>')
        parts.extend(f'<div class="kicker">{e(r)}</div>' for r in dec.rows)
        parts.append("<ul>")
        parts.extend(f"<li>{e(n)}</li>" for n in dec.lieux)
        parts.append("</ul>")
    parts.append("</div>" + footer(1) + "</section>")
    for n, pg in enumerate(dossier.pages, start=2):
        parts.append('<section class="page">')
        parts.append(f'<div class="kicker">{e(pg.decor)}</div><h2>{e(pg.title)}</h2>')
        first, *rest = pg.sections
        parts.append(f'<div class="top"><div class="main"><h3>{e(first.title)}</h3>')
        parts.append(_rows(first.rows) + "</div>")
        if pg.map is not None:
            parts.append(
                f'<div>{_svg(pg.map)}<div class="kicker">{e(dossier.attribution)}</div></div>'
            )
        parts.append("</div>")
        for s in rest:
            parts.append(f"<h3>{e(s.title)}</h3>{_rows(s.rows)}")
        if pg.pictures or pg.missing_pictures:
            parts.append(f'<h3>{e(w["photos"])}</h3><div class="pics">')
            for p in pg.pictures:
                parts.append(
                    f'<figure><img src="{_img(p.file)}" alt="{e(p.caption)}">'
                    f"<figcaption><b>{e(p.caption)}</b><br><span>"
                    f"{e(' · '.join(p.details))}</span></figcaption></figure>"
                )
            parts.append("</div>")
            if pg.missing_pictures:
                parts.append(f'<p class="kicker">{e(pg.missing_pictures)}</p>')
        for p in pg.pictures:
            if p.full:
                parts.append(
                    f'<div class="full"><img src="{_img(p.full)}" alt="{e(p.caption)}">'
                    f"<div>{e(p.caption)} — {e(' · '.join(p.details))}</div></div>"
                )
        parts.append(footer(n) + "</section>")
    parts.append("</body></html>\n")
    return "".join(parts).encode("utf-8")


def render(dossier: Dossier, fmt: str) -> bytes:
    return render_pdf(dossier) if fmt == "pdf" else render_html(dossier)


def dossier_file_name(decor: str, fmt: str) -> str:
    """« CAFÉ DE CLAIRE — INT. JOUR » → dossier-cafe-de-claire-int-jour.pdf"""
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", decor).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-") or "lieux"
    return f"dossier-{slug}.{fmt}"
