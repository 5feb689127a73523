"""The lieux and the permits as spreadsheets for the régie: CSV (UTF-8 with a BOM, `;`
between cells, ISO dates, so that Excel and LibreOffice open it right in France) and XLSX
(one sheet per table, frozen header, filters, dates as dates).

The CSV is language-neutral and lossless: its column names are stable English codes
(`LIEU_COLUMNS`), its values are written as a person types them on the command line
(`scout add --…`), in the neutral words every language reads (codes, yes/no, ISO dates),
so `scout import csv` reads every cell back with the fiche's own parser. A list field
(shoot days, contacts, tags) holds one item per line of its cell, as the option would be
repeated. The XLSX is for people: its header and its words are in the language of the run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from operator import attrgetter
from typing import Any

from scout.domain.fiche import BY_KEY, FIELDS
from scout.domain.lieu import Accessibility, Lieu, Logistics, ShootDay, ShootNeeds
from scout.domain.permit import Permit
from scout.i18n import N_, _, pgettext
from scout.permits.review import ReviewRow
from scout.present.labels import permit_status_label

Progress = Callable[[int, int], None]
BOM = "\ufeff"
DELIMITER = ";"

# The columns of the lieux CSV, in order. Every one but `arrondissement` and `permits`
# (computed) is read back by `scout import csv`.
# The fiche's fields in its order (a cell is read like the option of the same name), with
# the position's source and the arrondissement after the position, and what is computed.
_FICHE = tuple(f.key for f in FIELDS)
_AFTER_POSITION = _FICHE.index("lon") + 1
LIEU_COLUMNS: tuple[str, ...] = (
    "id",
    *_FICHE[:_AFTER_POSITION],
    "position_source",
    "arrondissement",
    *_FICHE[_AFTER_POSITION:],
    "production",
    "permits",
)
COMPUTED_COLUMNS = frozenset({"arrondissement", "permits"})
LIST_COLUMNS = frozenset({"shoot_days", "contacts", "tags"})  # one item per line

# Formula injection: Excel and LibreOffice run a cell that starts with = + - @ (or with a
# tab or a carriage return) as a formula. In the CSV, a free-text cell (the columns below;
# never a number, a code or a date) that starts with one of those, or with ' itself, is
# written with one ' in front; `scout import csv` takes exactly one leading ' off a
# free-text cell. So the file is safe to open and the round trip loses nothing.
TEXT_COLUMNS = frozenset(
    {"name", "decor", "sequences", "address", "contacts", "tags", "notes", "access_notes"}
    | {f.name for f in fields(Logistics)}
    | {"production"}
)
PERMIT_TEXT_COLUMNS = frozenset(
    {"lieu_name", "address", "authority", "reference", "conditions", "contact", "notes"}
)
_FORMULA_STARTS = frozenset("=+-@\t\r'")


def guard_text(text: str) -> str:
    """The cell as the CSV holds it: one ' in front of a text Excel would run (or that
    starts with ')."""
    return "'" + text if text and text[0] in _FORMULA_STARTS else text


def unguard_text(cell: str) -> str:
    """The text of a free-text cell of the CSV: one leading ' taken off."""
    return cell[1:] if cell.startswith("'") else cell


def _guard_at(indexes: Sequence[int], rows: Iterable[list[str]]) -> Iterable[list[str]]:
    starts = _FORMULA_STARTS
    for row in rows:
        for i in indexes:
            text = row[i]
            if text and text[0] in starts:
                row[i] = "'" + text
        yield row


PERMIT_COLUMNS: tuple[str, ...] = (
    "permit_id",
    "lieu_id",
    "lieu_name",
    "arrondissement",
    "address",
    "type",
    "authority",
    "status",
    "reference",
    "filed_on",
    "decision_on",
    "valid_from",
    "valid_to",
    "deadline",
    "working_days_left",
    "shoot_days",
    "conditions",
    "contact",
    "notes",
)
_PERMIT_DATES = frozenset({"filed_on", "decision_on", "valid_from", "valid_to", "deadline"})

# Header labels of the XLSX (the fiche's own labels for its fields).
_LABELS: dict[str, str] = {
    "id": N_("ID"),
    "position_source": N_("Position source"),
    "arrondissement": N_("Arrondissement"),
    "first_shoot_day": N_("First shoot day"),
    "production": N_("Production"),
    "permits": N_("Permits"),
    "permit_id": N_("Permit"),
    "lieu_id": N_("Location ID"),
    "lieu_name": N_("Location"),
    "address": N_("Address"),
    "type": N_("Type"),
    "authority": N_("Authority"),
    "status": N_("Status"),
    "reference": N_("Reference"),
    "filed_on": N_("Filed on"),
    "decision_on": N_("Decision on"),
    "valid_from": N_("Valid from"),
    "valid_to": N_("Valid to"),
    "deadline": N_("Deadline"),
    "working_days_left": N_("Working days left"),
    "shoot_days": N_("Shoot days"),
    "conditions": N_("Conditions"),
    "contact": N_("Contact"),
    "notes": N_("Notes"),
}


# -- cells as text (CSV) -------------------------------------------------------------------
def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


def shoot_day_text(d: ShootDay) -> str:
    """'2026-12-03', '2026-12-03 07:30-19:00 note': what `--shoot-date` reads."""
    text = d.day.isoformat()
    if d.call and d.wrap:
        text = f"{text} {d.call.isoformat('minutes')}-{d.wrap.isoformat('minutes')}"
    return f"{text} {d.note}" if d.note else text


def contact_text(name: str, role: str, phone: str, email: str) -> str:
    """'name; role; phone; e-mail' (what `--contact` reads), trailing blanks left out."""
    parts = [name, role, phone, email]
    while len(parts) > 1 and not parts[-1]:
        parts.pop()
    return "; ".join(parts)


def permit_summary(permits: Iterable[Permit]) -> str:
    """One line per permit: 'type: status' (codes), for the lieux sheet."""
    return "\n".join(f"{p.type}: {p.status.value}" for p in permits)


# The fiche's groups in their fields' order (the order of the columns above).
_ACCESS = attrgetter(*(f.name for f in fields(Accessibility)))
_NEEDS = attrgetter(*(f.name for f in fields(ShootNeeds)))
_LOGISTICS = attrgetter(*(f.name for f in fields(Logistics)))
_YN = {None: "", True: "yes", False: "no"}  # only for the yes/no answers (bool or None)


def lieu_row(lieu: Lieu, permits: Sequence[Permit] = (), production: str = "") -> list[str]:
    """The lieu's cells in the order of LIEU_COLUMNS, as `scout import csv` reads them.
    (Written for speed: 20,000 lieux are exported in about the time the csv module takes
    to write their cells.)"""
    pos = lieu.position
    days = lieu.shoot_days
    contacts = lieu.contacts
    yn = _YN
    step_free, lift, door, toilets, pmr_parking, dropoff, access_notes = _ACCESS(lieu.accessibility)
    site_kind, crew, vehicles, spaces, loges, drone, traffic, generator = _NEEDS(lieu.needs)
    return [
        "" if lieu.id is None else str(lieu.id),
        lieu.name,
        lieu.decor,
        ", ".join(lieu.sequences),
        lieu.address,
        lieu.postcode,
        repr(pos.lat) if pos else "",
        repr(pos.lon) if pos else "",
        pos.source if pos else "",  # the enums are str: their text is their code
        "" if lieu.arrondissement is None else str(lieu.arrondissement),
        lieu.status,
        lieu.setting or "",
        yn[lieu.retained],
        "\n".join([shoot_day_text(d) for d in days]) if days else "",
        "\n".join([contact_text(c.name, c.role, c.phone, c.email) for c in contacts])
        if contacts
        else "",
        "\n".join(lieu.tags),
        "" if lieu.cost is None else str(lieu.cost),
        lieu.notes,
        yn[step_free],
        yn[lift],
        "" if door is None else str(door),
        yn[toilets],
        yn[pmr_parking],
        "" if dropoff is None else str(dropoff),
        access_notes,
        site_kind,
        "" if crew is None else str(crew),
        "" if vehicles is None else str(vehicles),
        "" if spaces is None else str(spaces),
        yn[loges],
        yn[drone],
        yn[traffic],
        yn[generator],
        *_LOGISTICS(lieu.logistics),
        production,
        permit_summary(permits) if permits else "",
    ]


@dataclass(frozen=True)
class SheetData:
    """What the sheets are made of, read from the workspace in one go."""

    lieux: Sequence[Lieu]
    permits: Mapping[int, Sequence[Permit]]  # by lieu id
    productions: Mapping[int, str]  # production id → name
    review: Sequence[ReviewRow] = ()

    def lieu_rows(self) -> Iterable[list[str]]:
        """Each lieu's cells, in the order of LIEU_COLUMNS."""
        permits, productions = self.permits, self.productions
        for lieu in self.lieux:
            yield lieu_row(
                lieu,
                permits.get(lieu.id or 0, ()),
                productions.get(lieu.production_id or 0, "") if productions else "",
            )


def _csv(rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


_LIEU_TEXT_INDEXES = tuple(i for i, c in enumerate(LIEU_COLUMNS) if c in TEXT_COLUMNS)
_PERMIT_TEXT_INDEXES = tuple(i for i, c in enumerate(PERMIT_COLUMNS) if c in PERMIT_TEXT_COLUMNS)


def lieux_csv(data: SheetData) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(LIEU_COLUMNS)
    writer.writerows(_guard_at(_LIEU_TEXT_INDEXES, data.lieu_rows()))
    return out.getvalue().encode("utf-8")


# -- permits ----------------------------------------------------------------------------
def permit_values(data: SheetData) -> list[dict[str, Any]]:
    """Every permit of the review (and those the rules call for, not created yet, status
    `to_create`), with the permit's own fields: typed values (dates as dates)."""
    by_id = {p.id: p for ps in data.permits.values() for p in ps}
    out = []
    for r in data.review:
        p = by_id.get(r.permit_id) if r.permit_id is not None else None
        out.append(
            {
                "permit_id": r.permit_id,
                "lieu_id": r.lieu_id,
                "lieu_name": r.lieu_name,
                "arrondissement": r.arrondissement,
                "address": r.address,
                "type": r.type,
                "type_label": r.type_label,
                "authority": (p.authority if p and p.authority else str(r.authority_text)),
                "status": r.status,
                "reference": p.reference if p else "",
                "filed_on": p.filed_on if p else None,
                "decision_on": p.decision_on if p else None,
                "valid_from": r.valid_from,
                "valid_to": r.valid_to,
                "deadline": r.deadline,
                "working_days_left": r.working_days_left,
                "shoot_days": [d.isoformat() for d in p.shoot_days] if p else [],
                "conditions": p.conditions if p else "",
                "contact": p.contact if p else "",
                "notes": p.notes if p else "",
            }
        )
    return out


def _permit_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "\n".join(value)
    return str(value)


def permits_csv(data: SheetData) -> bytes:
    rows = permit_values(data)
    cells = _guard_at(
        _PERMIT_TEXT_INDEXES, ([_permit_text(r[c]) for c in PERMIT_COLUMNS] for r in rows)
    )
    return _csv([PERMIT_COLUMNS, *cells])


# -- XLSX -------------------------------------------------------------------------------
def _label(key: str) -> str:
    if key in BY_KEY:
        return BY_KEY[key].label
    return _(_LABELS[key])


_XLSX_LIEU_COLUMNS = tuple(c for c in LIEU_COLUMNS if c not in ("position_source",)) + (
    "first_shoot_day",
)
_WIDTH = {"name": 30, "decor": 30, "address": 30, "notes": 40, "contacts": 36, "lieu_name": 30}


def _lieu_xlsx_row(lieu: Lieu, cells: dict[str, str]) -> list[Any]:
    yes, no = _("yes"), _("no")
    pos, a, nd = lieu.position, lieu.accessibility, lieu.needs
    typed: dict[str, Any] = {
        "id": lieu.id,
        "lat": pos.lat if pos else None,
        "lon": pos.lon if pos else None,
        "arrondissement": lieu.arrondissement,
        "status": lieu.status.label,
        "setting": lieu.setting.label if lieu.setting else None,
        "cost": float(lieu.cost) if lieu.cost is not None else None,
        "narrowest_door_cm": a.narrowest_door_cm,
        "dropoff_distance_m": a.dropoff_distance_m,
        "crew_size": nd.crew_size,
        "tech_vehicles": nd.tech_vehicles,
        "parking_spaces": nd.parking_spaces,
        "first_shoot_day": lieu.shoot_days[0].day if lieu.shoot_days else None,
    }
    row: list[Any] = []
    for c in _XLSX_LIEU_COLUMNS:
        if c in typed:
            row.append(typed[c])
        else:
            text = cells[c]
            if text in ("yes", "no") and BY_KEY.get(c) is not None and c != "name":
                text = yes if text == "yes" else no
            row.append(text or None)
    return row


def _sheet(
    book: Any,
    title: str,
    header: Sequence[str],
    keys: Sequence[str],
    rows: list[list[Any]],
    progress: Progress | None = None,
) -> None:
    """One sheet, streamed (openpyxl's write-only mode: 20,000 rows in seconds): bold frozen
    header, filters on every column, widths from the contents, dates as dates, and text
    that looks like a formula ("=…", "#N/A") kept as text."""
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.styles import Font  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

    sheet = book.create_sheet(title)
    widths = [max(len(h), 8) for h in header]
    for values in rows:
        for i, v in enumerate(values):
            if type(v) is str:
                widths[i] = max(widths[i], min(len(v.split("\n", 1)[0]), 60))
    for i, key in enumerate(keys, start=1):
        width = min(widths[i - 1], _WIDTH.get(key, 40)) + 2
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    bold = Font(bold=True)
    head = []
    for h in header:
        cell = WriteOnlyCell(sheet, h)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    total = len(rows)
    for done, values in enumerate(rows, start=1):
        if progress is not None and (done % 500 == 0 or done == total):
            progress(done, total)
        out: list[Any] = []
        for v in values:
            if isinstance(v, date):
                cell = WriteOnlyCell(sheet, v)
                cell.number_format = "yyyy-mm-dd"
                out.append(cell)
            elif type(v) is str and v[:1] in ("=", "#"):
                cell = WriteOnlyCell(sheet, v)
                cell.data_type = "s"
                out.append(cell)
            else:
                out.append(v)
        sheet.append(out)


def _book(data: SheetData, *, lieux: bool, progress: Progress | None = None) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

    book = Workbook(write_only=True)
    if lieux:
        rows = [
            _lieu_xlsx_row(lieu, dict(zip(LIEU_COLUMNS, cells, strict=True)))
            for lieu, cells in zip(data.lieux, data.lieu_rows(), strict=True)
        ]
        header = [_label(c) for c in _XLSX_LIEU_COLUMNS]
        _sheet(book, pgettext("sheet", "Locations"), header, _XLSX_LIEU_COLUMNS, rows, progress)
    permit_keys = tuple(c if c != "type" else "type_label" for c in PERMIT_COLUMNS)
    permit_rows = []
    for r in permit_values(data):
        values: list[Any] = []
        for key in permit_keys:
            v = r[key]
            if key == "status":
                v = permit_status_label(v)
            elif isinstance(v, list):
                v = "\n".join(v) or None
            values.append(v if v != "" else None)
        permit_rows.append(values)
    header = [_label(c) for c in PERMIT_COLUMNS]
    _sheet(book, pgettext("sheet", "Permits"), header, PERMIT_COLUMNS, permit_rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def lieux_xlsx(data: SheetData, progress: Progress | None = None) -> bytes:
    """A workbook with the lieux sheet and the permits sheet (`progress(done, total)` is
    called as the lieux are written: 20,000 take seconds)."""
    return _book(data, lieux=True, progress=progress)


def permits_xlsx(data: SheetData) -> bytes:
    """A workbook with the permits sheet only."""
    return _book(data, lieux=False)
