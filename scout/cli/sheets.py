"""Spreadsheets: `scout export csv|xlsx`, `scout export permits`, `scout import csv`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from scout.cli.context import Context, add_output_option, emit, progress_bar
from scout.files import os_reason
from scout.i18n import _, ngettext

EXIT_OK = 0


def add_sheet_commands(sub: Any, exports: Any, imports: Any) -> None:
    """Adds this module's commands to the parser (`sub`: the top-level commands;
    `exports` / `imports`: the formats of `scout export` / `scout import`)."""
    output_help = _("write to this file (default: standard output)")

    p = exports.add_parser(
        "csv",
        help=_("the locations as a CSV file for Excel and LibreOffice (« ; », UTF-8)"),
        description=_(
            "The locations as CSV: UTF-8 with a BOM, « ; » between cells, ISO dates, one "
            "column per field (stable English codes, listed in the README). "
            "`scout import csv` reads it back."
        ),
    )
    add_output_option(p, output_help)
    p.set_defaults(func=cmd_export_csv)

    p = exports.add_parser(
        "xlsx",
        help=_("the locations and the permits as an Excel workbook"),
        description=_(
            "A workbook with a sheet of locations and a sheet of permits: frozen header, "
            "filters, dates as dates; the header in the language of the run."
        ),
    )
    add_output_option(p, output_help)
    p.set_defaults(func=cmd_export_xlsx)

    p = exports.add_parser(
        "permits",
        help=_("the permits as a spreadsheet (CSV or XLSX)"),
        description=_(
            "Every permit with its location, status, dates and deadline, and the permits "
            "the rules call for that nobody has created yet (status to_create)."
        ),
    )
    p.add_argument(
        "--format",
        choices=("csv", "xlsx"),
        default="csv",
        help=_("csv (default) or xlsx"),
    )
    add_output_option(p, output_help)
    p.set_defaults(func=cmd_export_permits)

    p = imports.add_parser(
        "csv",
        help=_("add or update locations from a CSV file made by `scout export csv`"),
        description=_(
            "Rows with the id of a location of this database update it (its history "
            "keeps each change); rows without an id, or with an id this database does "
            "not have, are added as new locations. Every row is checked first: one "
            "mistake and nothing is imported. Columns arrondissement and permits are "
            "computed and not read."
        ),
    )
    p.add_argument("file", metavar=_("FILE"), help=_("the CSV file (UTF-8, « ; »)"))
    p.add_argument(
        "--as-new",
        action="store_true",
        help=_("add every row as a new location, whatever its id (a file from another database)"),
    )
    p.set_defaults(func=cmd_import_csv)


def _emit(ctx: Context, data: bytes) -> int:
    emit(ctx.args.output, data)
    return EXIT_OK


def cmd_export_csv(ctx: Context) -> int:
    from scout.exports.sheets import lieux_csv
    from scout.services.sheets import sheet_data

    ws = ctx.workspace(read_only=True)
    return _emit(ctx, lieux_csv(sheet_data(ws, review=False)))


def cmd_export_xlsx(ctx: Context) -> int:
    from scout.exports.sheets import lieux_xlsx
    from scout.services.sheets import sheet_data

    ws = ctx.workspace(read_only=True)
    data = sheet_data(ws)
    progress = progress_bar(_("Writing")) if len(data.lieux) > 2000 else None
    return _emit(ctx, lieux_xlsx(data, progress))


def cmd_export_permits(ctx: Context) -> int:
    from scout.exports.sheets import permits_csv, permits_xlsx
    from scout.services.sheets import sheet_data

    ws = ctx.workspace(read_only=True)
    data = sheet_data(ws)
    return _emit(ctx, permits_xlsx(data) if ctx.args.format == "xlsx" else permits_csv(data))


def cmd_import_csv(ctx: Context) -> int:
    from scout.exports.csv_import import SheetError, read_lieux_csv
    from scout.services.sheets import import_rows

    path = Path(ctx.args.file).expanduser()
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SheetError(
            _("cannot read {file}: {reason}; nothing was imported").format(
                file=path, reason=os_reason(e)
            )
        ) from None
    rows = read_lieux_csv(data, str(path))
    if ctx.args.as_new:
        rows = [replace(row, lieu_id=None) for row in rows]
    ws = ctx.workspace()
    progress = progress_bar(_("Importing")) if len(rows) > 500 else None
    report = import_rows(ws, rows, progress, source=str(path))
    parts = [
        ngettext("{n} location added", "{n} locations added", len(report.added)).format(
            n=len(report.added)
        ),
        ngettext("{n} updated", "{n} updated", len(report.updated)).format(n=len(report.updated)),
        ngettext("{n} unchanged", "{n} unchanged", len(report.unchanged)).format(
            n=len(report.unchanged)
        ),
    ]
    if report.unretained:
        n = len(report.unretained)
        parts.append(
            ngettext(
                "{n} other location no longer retained (★)",
                "{n} other locations no longer retained (★)",
                n,
            ).format(n=n)
        )
    print(_("Imported {file}: {counts}").format(file=path, counts=", ".join(parts)))
    return EXIT_OK
