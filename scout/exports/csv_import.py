"""Reading a lieux CSV back (`scout import csv`): the file `scout export csv` writes, or
one the régie made from it in Excel or LibreOffice.

Every row is checked before anything is saved: the cells go through the fiche's own
parser, so a cell is read exactly as the same text given to `scout add --…` (French and
English words, DD/MM/YYYY or ISO dates). Every mistake is reported with the file, the
line, the column and the reason; one mistake and nothing is imported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from scout.domain.fiche import BY_KEY, FicheEntry, parse_fiche
from scout.domain.lieu import PositionSource
from scout.errors import ScoutError, ValidationError, ValidationErrors
from scout.exports.reading import NotUtf8, utf8_text
from scout.exports.sheets import (
    DELIMITER,
    LIEU_COLUMNS,
    LIST_COLUMNS,
    TEXT_COLUMNS,
    unguard_text,
)
from scout.i18n import _, ngettext

MAX_SHOWN = 20  # mistakes listed in the error; the rest are counted


class SheetError(ScoutError):
    """The file cannot be imported; nothing was saved."""


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str


class SheetProblems(SheetError):
    """Rows with mistakes: each with its line, column and reason."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        lines = [
            _("{file}, line {line}, column {column}: {reason}").format(
                file=source, line=p.line, column=p.column, reason=p.reason
            )
            for p in problems[:MAX_SHOWN]
        ]
        more = len(problems) - MAX_SHOWN
        if more > 0:
            lines.append(
                ngettext("… and {n} more mistake", "… and {n} more mistakes", more).format(n=more)
            )
        n = len(problems)
        lines.append(
            ngettext(
                "{n} mistake in {file}; nothing was imported",
                "{n} mistakes in {file}; nothing was imported",
                n,
            ).format(n=n, file=source)
        )
        super().__init__("\n".join(lines))


class RetainedConflict(SheetError):
    """Two rows retain a lieu (★) for the same décor: only one can have it."""

    def __init__(self, source: str, first: int, second: int, decor: str) -> None:
        self.source, self.lines, self.decor = source, (first, second), decor
        super().__init__(
            _(
                "{file}, lines {first} and {second}: both rows retain a location (★) for the "
                "décor «{decor}», and only one location is retained per décor; answer « yes » "
                "in column retained on one row only; nothing was imported"
            ).format(file=source, first=first, second=second, decor=decor)
        )


@dataclass(frozen=True)
class ImportRow:
    """One checked row: where it is, the id it names (None: a new lieu), the fiche's
    values, where the position came from, and the production it belongs to."""

    line: int
    lieu_id: int | None
    entry: FicheEntry
    production: str = ""


def _decode(data: bytes, source: str) -> str:
    try:
        return utf8_text(data)
    except NotUtf8 as e:
        raise SheetError(
            _(
                "{file} is not UTF-8 text (line {line}): it was probably saved as Latin-1 "
                "or Windows-1252; save it again as « CSV UTF-8 »; nothing was imported"
            ).format(file=source, line=e.line)
        ) from None


def _header(first: str, source: str) -> None:
    if DELIMITER not in first and "," in first:
        raise SheetError(
            _(
                "{file}: the columns are separated by commas; scout reads « ; » between "
                "cells (the French CSV of Excel and LibreOffice); nothing was imported"
            ).format(file=source)
        )


def read_lieux_csv(data: bytes, source: str) -> list[ImportRow]:
    """The rows of the file, checked; SheetError (nothing read) at the first file-wide
    problem, SheetProblems with every row mistake."""
    text = _decode(data, source)
    if not text.strip():
        raise SheetError(_("{file} is empty; nothing was imported").format(file=source))
    _header(text.split("\n", 1)[0], source)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITER, strict=True)
    try:
        header = next(reader)
    except csv.Error as e:
        raise SheetError(_bad_csv(source, 1, e)) from None
    header = [h.strip() for h in header]
    _check_header(header, source)
    problems: list[Problem] = []
    rows: list[ImportRow] = []
    seen_ids: dict[int, int] = {}
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise SheetError(_bad_csv(source, start, e)) from None
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # a blank line (Excel leaves some at the end)
        if len(cells) != len(header):
            raise SheetError(
                _(
                    "{file}, line {line}: {found} cells where the header has {expected}; "
                    "the file may be cut short or a « ; » may be missing; nothing was imported"
                ).format(file=source, line=start, found=len(cells), expected=len(header))
            )
        row = _row(dict(zip(header, cells, strict=True)), start, problems, seen_ids)
        if row is not None:
            rows.append(row)
    if problems:
        raise SheetProblems(source, problems)
    _check_retained(rows, source)
    return rows


def _check_retained(rows: list[ImportRow], source: str) -> None:
    """One row only may retain a lieu for a décor (of a production): retaining one takes
    the ★ of the others, so a second « yes » would silently undo the first. (A row without
    a décor cell keeps the lieu's own: the import checks it again against the database.)"""
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        values = row.entry.values
        decor = values.get("decor")
        if values.get("retained") is not True or not decor:
            continue
        key = (decor, row.production)
        if key in seen:
            raise RetainedConflict(source, seen[key], row.line, decor)
        seen[key] = row.line


def _bad_csv(source: str, line: int, error: csv.Error) -> str:
    return _(
        "{file}, line {line}: the file cannot be read as CSV ({reason}); it may be cut short "
        "(a quote left open); nothing was imported"
    ).format(file=source, line=line, reason=error)


def _check_header(header: list[str], source: str) -> None:
    known = set(LIEU_COLUMNS)
    unknown = [h for h in header if h not in known]
    if unknown:
        raise SheetError(
            _(
                "{file}: unknown columns: {columns} (the columns are listed in the README, "
                "as `scout export csv` writes them); nothing was imported"
            ).format(file=source, columns=", ".join(unknown))
        )
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise SheetError(
            _("{file}: columns given twice: {columns}; nothing was imported").format(
                file=source, columns=", ".join(twice)
            )
        )
    if "name" not in header:
        raise SheetError(
            _("{file}: the column « name » is missing; nothing was imported").format(file=source)
        )


def _row(
    cells: dict[str, str], line: int, problems: list[Problem], seen_ids: dict[int, int]
) -> ImportRow | None:
    before = len(problems)
    lieu_id = None
    id_text = cells.get("id", "").strip()
    if id_text:
        if not id_text.isdigit() or int(id_text) < 1:
            problems.append(
                Problem(line, "id", _("{value!r} is not a location id").format(value=id_text))
            )
        else:
            lieu_id = int(id_text)
            if lieu_id in seen_ids:
                problems.append(
                    Problem(
                        line,
                        "id",
                        _("location {id} is already on line {other}").format(
                            id=lieu_id, other=seen_ids[lieu_id]
                        ),
                    )
                )
            seen_ids[lieu_id] = line
    raw: dict[str, object] = {}
    for column, cell in cells.items():
        if column not in BY_KEY:
            continue
        if column in ("status", "lat", "lon") and not cell.strip():
            continue  # no value: the default (a new lieu) or as it was (an update)
        if column in TEXT_COLUMNS:
            cell = unguard_text(cell)  # the ' the export put before a formula-like text
        if "\r" in cell:  # a line break in a cell, as Windows writes it
            cell = cell.replace("\r\n", "\n").replace("\r", "\n")
        raw[column] = cell.split("\n") if column in LIST_COLUMNS else cell
    if ("lat" in raw) != ("lon" in raw):
        missing = "lon" if "lat" in raw else "lat"
        problems.append(Problem(line, missing, _("give the latitude and the longitude together")))
    source = PositionSource.TYPED
    source_text = cells.get("position_source", "").strip()
    if source_text:
        try:
            source = PositionSource.of(source_text)
        except ValueError:
            problems.append(
                Problem(
                    line,
                    "position_source",
                    _("{value!r} is not one of: {choices}").format(
                        value=source_text, choices=", ".join(s.value for s in PositionSource)
                    ),
                )
            )
    try:
        values = parse_fiche(raw)
    except ValidationErrors as e:
        problems.extend(Problem(line, err.field, err.message) for err in e.errors)
        values = {}
    except ValidationError as e:
        problems.append(Problem(line, e.field, e.message))
        values = {}
    if len(problems) > before:
        return None
    production = unguard_text(cells.get("production", "")).strip()
    return ImportRow(line, lieu_id, FicheEntry(values, source), production)
