"""Maps: `scout export geojson|kml`, `scout import geojson`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scout.cli.context import Context, add_output_option, emit, number, progress_bar, warn, warning
from scout.files import os_reason
from scout.i18n import _, ngettext

EXIT_OK, EXIT_INPUT = 0, 1


def add_map_commands(sub: Any, exports: Any, imports: Any) -> None:
    """Adds this module's commands to the parser (`sub`: the top-level commands;
    `exports` / `imports`: the formats of `scout export` / `scout import`)."""
    p = exports.add_parser(
        "geojson",
        help=_("the placed locations as GeoJSON (QGIS, uMap), the same in every language"),
        description=_(
            "The placed locations as an RFC 7946 FeatureCollection of points: WGS84, "
            "[longitude, latitude], 6 decimals. Properties: id, name, decor, sequences, "
            "status (code), retained, setting, arrondissement (1-20 or null), address, "
            "postcode, shoot_days (ISO dates), source_id (the id the location was "
            "imported with, else scout:<id>@<creation time>, so that importing the file "
            "again updates instead of adding copies). Locations without a position are "
            "left out, and counted on standard error."
        ),
    )
    _output_options(p)
    p.set_defaults(func=cmd_export_geojson)

    p = exports.add_parser(
        "kml",
        help=_("the placed locations as KML for Google Earth and My Maps"),
        description=_(
            "The placed locations as KML 2.2: one folder per décor, icons coloured by "
            "scouting status, a description with address, arrondissement, status and "
            "shoot days, in the language of the run."
        ),
    )
    _output_options(p)
    p.set_defaults(func=cmd_export_kml)

    p = imports.add_parser(
        "geojson",
        help=_("locations from a GeoJSON file of points"),
        description=_(
            "Add the Point features of a GeoJSON FeatureCollection as locations. A name is "
            "required; decor, sequences, address, postcode, status, retained, setting and "
            "shoot_days are read when present, other properties are ignored. The whole "
            "file is checked first: if any feature is wrong, nothing is imported. A feature "
            "whose source_id (or Feature id) was imported before updates that location "
            "instead of adding a copy, and so does one whose source_id is the "
            "scout:<id>@<creation time> that export geojson writes for a location of this "
            "very database: a file scout wrote can be imported again, into any database, "
            "without duplicating a location. A feature without a source_id is always added."
        ),
    )
    p.add_argument("file", metavar=_("FILE"), help=_("the GeoJSON file"))
    p.set_defaults(func=cmd_import_geojson)


def _output_options(p: Any) -> None:
    add_output_option(p)
    p.add_argument(
        "--decor",
        metavar=_("NAME"),
        help=_("only the locations of this décor (any case, with or without accents)"),
    )


def _say_unplaced(count: int) -> None:
    if count:
        warning(
            ngettext(
                "{n} location without a position was left out (`scout geocode` places it)",
                "{n} locations without a position were left out (`scout geocode` places them)",
                count,
            ).format(n=number(count))
        )


def cmd_export_geojson(ctx: Context) -> int:
    from scout.exports.geojson import feature, feature_collection
    from scout.services.maps import map_lieux

    found = map_lieux(ctx.workspace(read_only=True), ctx.args.decor)
    data = feature_collection(feature(lieu, sid) for lieu, sid in found.placed)
    emit(ctx.args.output, data)
    _say_unplaced(found.unplaced)
    return EXIT_OK


def cmd_export_kml(ctx: Context) -> int:
    from scout.exports.kml import kml_document
    from scout.services.maps import map_lieux

    found = map_lieux(ctx.workspace(read_only=True), ctx.args.decor)
    title = _("scout — locations")
    if found.decors:
        title = _("scout — {decor}").format(decor=" / ".join(found.decors))
    data = kml_document((lieu for lieu, _sid in found.placed), title)
    emit(ctx.args.output, data)
    _say_unplaced(found.unplaced)
    return EXIT_OK


def cmd_import_geojson(ctx: Context) -> int:
    from scout.exports.geojson import read_features
    from scout.services.maps import import_entries

    path = Path(ctx.args.file)
    try:
        data = path.read_bytes()
    except OSError as e:
        warn(
            _("cannot read {file}: {reason}; nothing was imported").format(
                file=path, reason=os_reason(e)
            )
        )
        return EXIT_INPUT
    entries = read_features(data, str(path))
    ignored = sorted({name for e in entries for name in e.ignored})
    ws = ctx.workspace()
    counts = import_entries(ws, entries, progress_bar(_("Importing")))
    print(
        _("{file}: {added} added, {updated} updated, {unchanged} unchanged").format(
            file=path,
            added=number(counts.added),
            updated=number(counts.updated),
            unchanged=number(counts.unchanged),
        )
    )
    if ignored:
        warning(
            _("properties not read (not fields of a location): {names}").format(
                names=", ".join(ignored)
            )
        )
    return EXIT_OK
