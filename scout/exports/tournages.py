"""The City's "lieux de tournage à Paris" export, read: `;`-separated UTF-8 (with or
without a byte-order mark), Lambert-93 X/Y in some years and WGS84 degrees in others,
`geo_point_2d` always WGS84 written "lat, lon".

Two kinds of trouble, kept apart:
- a file that is not this export at all (not UTF-8, `,` separator, columns missing, cut
  in the middle of a row) raises `TournageFileError`, naming the file and the line: the
  caller imports nothing;
- a bad row of a good file (no id, a date that is not one, a shoot that ends before it
  starts, no usable position…) is set aside with its line and a `Reason` (a code for
  scripts), and the good rows are read. Rows that repeat another row's title, address
  and dates under a different id are counted as duplicates and skipped; rows whose X/Y
  and `geo_point_2d` are more than 5 m apart are kept and flagged.

No printing, no argparse: the service and the command use what this returns.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from scout.domain.tournage import (
    FLAG_METRES,
    Tournage,
    arrondissement_of_postcode,
    tidy_address,
    tidy_text,
    type_code,
)
from scout.errors import Reason, ScoutError
from scout.exports.reading import NotUtf8, utf8_text
from scout.files import os_reason
from scout.geo.plane import KX, KY
from scout.i18n import _

ID = "Identifiant du lieu"
YEAR = "Année du tournage"
TYPE = "Type de tournage"
TITLE = "Titre"
DIRECTOR = "Réalisateur"
PRODUCER = "Producteur"
ADDRESS = "Localisation de la scène"
POSTCODE = "Code postal"
START = "Date de début"
END = "Date de fin"
X = "Coordonnée en X"
Y = "Coordonnée en Y"
POINT = "geo_point_2d"
REQUIRED = (ID, YEAR, TYPE, TITLE, DIRECTOR, PRODUCER, ADDRESS, POSTCODE, START, END, X, Y, POINT)

# Around Île-de-France, generously: a position outside is a mistake, not a shoot.
LAT_RANGE = (48.0, 49.5)
LON_RANGE = (1.0, 3.8)

Progress = Callable[[int, int], None]


class TournageFileError(ScoutError):
    """The file is not the City's export (or not all of it): nothing may be imported."""


@dataclass(frozen=True)
class Rejected:
    line: int
    source_id: str
    reason: Reason


@dataclass(frozen=True)
class Duplicate:
    line: int
    source_id: str
    of: str  # the source id of the first row with the same title, address and dates


@dataclass
class TournageFile:
    path: Path
    rows: list[tuple[int, Tournage]] = field(default_factory=list)  # (line, shoot)
    rejected: list[Rejected] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)

    @property
    def flagged(self) -> list[tuple[int, Tournage]]:
        return [(line, t) for line, t in self.rows if t.flagged]

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.rejected) + len(self.duplicates)


@lru_cache(maxsize=1)
def _lambert93() -> Any:
    """Lambert-93 (EPSG:2154) → WGS84, made once: building a Transformer takes ~10 ms."""
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)


def lambert93_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """(lat, lon) of a Lambert-93 point."""
    lon, lat = _lambert93().transform(x, y)
    return float(lat), float(lon)


def gap_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in the project's metric plane around Paris (within 0.1 % of Lambert-93)."""
    return math.hypot((lon1 - lon2) * KX, (lat1 - lat2) * KY)


def read_tournages(path: str | Path, progress: Progress | None = None) -> TournageFile:
    """The rows of the City's export at `path`; raises TournageFileError when the file is
    not that export (see the module's docstring)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise TournageFileError(
            _("cannot read {path}: {reason}").format(path=path, reason=os_reason(e))
        ) from None
    text = _decode(path, data)
    if not text.strip():
        raise TournageFileError(_("{path} is empty").format(path=path))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    try:
        header = [tidy_text(h) for h in next(reader)]
    except csv.Error as e:
        raise TournageFileError(_bad_csv(path, 1, e)) from None
    _check_header(path, header)
    where = {name: header.index(name) for name in REQUIRED}
    width = len(header)
    out = TournageFile(path)
    seen_ids: dict[str, int] = {}
    seen_shoots: dict[tuple[str, str, date, date], str] = {}
    records: list[tuple[int, list[str]]] = []
    line = reader.line_num + 1
    try:
        for record in reader:
            records.append((line, record))
            line = reader.line_num + 1
    except csv.Error as e:
        raise TournageFileError(_bad_csv(path, line, e)) from None
    if records and len(records[-1][1]) != width and not text.endswith(("\n", "\r")):
        raise TournageFileError(
            _(
                "{path} ends in the middle of a row (line {line}): the file is truncated; "
                "download it again. Nothing was imported."
            ).format(path=path, line=records[-1][0])
        )
    for done, (start_line, record) in enumerate(records, 1):
        if progress is not None and done % 1000 == 0:
            progress(done, len(records))
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        if len(record) != width:
            out.rejected.append(
                Rejected(
                    start_line,
                    record[0].strip(),
                    Reason(
                        _("{found} fields instead of {expected}").format(
                            found=len(record), expected=width
                        ),
                        "field_count",
                        found=len(record),
                        expected=width,
                    ),
                )
            )
            continue
        row = {name: record[i] for name, i in where.items()}
        result = _shoot(row)
        if isinstance(result, Reason):
            out.rejected.append(Rejected(start_line, row[ID].strip(), result))
        elif result.source_id in seen_ids:
            first = seen_ids[result.source_id]
            out.rejected.append(
                Rejected(
                    start_line,
                    result.source_id,
                    Reason(
                        _("the id {id} is already on line {first}").format(
                            id=result.source_id, first=first
                        ),
                        "duplicate_id",
                        first_line=first,
                    ),
                )
            )
        else:
            seen_ids[result.source_id] = start_line
            key = (result.title.casefold(), result.address.casefold(), result.start, result.end)
            if key in seen_shoots:
                out.duplicates.append(Duplicate(start_line, result.source_id, seen_shoots[key]))
            else:
                seen_shoots[key] = result.source_id
                out.rows.append((start_line, result))
    if progress is not None:
        progress(len(records), len(records))
    return out


def _decode(path: Path, data: bytes) -> str:
    try:
        return utf8_text(data)
    except NotUtf8 as e:
        raise TournageFileError(
            _(
                "{path} is not UTF-8 (line {line}): is it Latin-1 or Windows-1252? The City "
                "publishes it in UTF-8; download it again. Nothing was imported."
            ).format(path=path, line=e.line)
        ) from None


def _check_header(path: Path, header: list[str]) -> None:
    missing = [name for name in REQUIRED if name not in header]
    if not missing:
        return
    if len(header) == 1 and "," in header[0]:
        raise TournageFileError(
            _(
                "{path} is separated by commas: the City's export uses semicolons (;). "
                "Nothing was imported."
            ).format(path=path)
        )
    raise TournageFileError(
        _(
            '{path} is not the City\'s "lieux de tournage" export: line 1 lacks the '
            "columns {columns}. Nothing was imported."
        ).format(path=path, columns=", ".join(f"« {m} »" for m in missing))
    )


def _bad_csv(path: Path, line: int, error: csv.Error) -> str:
    return _("{path}, line {line}: not readable as CSV ({reason}). Nothing was imported.").format(
        path=path, line=line, reason=error
    )


def _shoot(row: dict[str, str]) -> Tournage | Reason:
    """One row as a past shoot, or why it cannot be one."""
    source_id = row[ID].strip()
    if not source_id:
        return Reason(_("no id (« Identifiant du lieu »)"), "missing_id")
    title = tidy_text(row[TITLE])
    if not title:
        return Reason(_("no title"), "missing_title")
    year_text = row[YEAR].strip()
    if not (year_text.isdigit() and 1990 <= int(year_text) <= 2100):
        return Reason(
            _("the year {value} is not a year").format(value=year_text),
            "bad_year",
            value=year_text,
        )
    days: list[date] = []
    for name, code in ((START, "start"), (END, "end")):
        value = row[name].strip()
        try:
            days.append(date.fromisoformat(value[:10]))
        except ValueError:
            return Reason(
                _("{field}: {value} is not a date").format(field=name, value=value),
                "bad_date",
                field=code,
                value=value,
            )
    start, end = days
    if end < start:
        return Reason(
            _("ends before it starts ({start} → {end})").format(
                start=start.isoformat(), end=end.isoformat()
            ),
            "ends_before_start",
            start=start.isoformat(),
            end=end.isoformat(),
        )
    position = _position(row)
    if isinstance(position, Reason):
        return position
    lat, lon, gap = position
    postcode = row[POSTCODE].strip()
    return Tournage(
        source_id=source_id,
        year=int(year_text),
        title=title,
        type=type_code(row[TYPE]),
        director=tidy_text(row[DIRECTOR]),
        producer=tidy_text(row[PRODUCER]),
        start=start,
        end=end,
        address=tidy_address(row[ADDRESS]),
        postcode=postcode,
        lat=lat,
        lon=lon,
        arrondissement=arrondissement_of_postcode(postcode),
        flagged=gap > FLAG_METRES,
        gap_m=round(gap, 2),
    )


def _number(text: str) -> float | None:
    text = text.strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _position(row: dict[str, str]) -> tuple[float, float, float] | Reason:
    """(lat, lon, metres between X/Y and geo_point_2d). geo_point_2d is the position
    kept when it is readable (always WGS84, full precision); X/Y are Lambert-93 metres
    when they are large numbers, WGS84 degrees (lon, lat) otherwise."""
    point: tuple[float, float] | None = None
    parts = row[POINT].split(",")
    if len(parts) == 2:
        plat, plon = _number(parts[0]), _number(parts[1])
        if plat is not None and plon is not None:
            point = (plat, plon)
    xy: tuple[float, float] | None = None
    x, y = _number(row[X]), _number(row[Y])
    if x is not None and y is not None:
        if abs(x) > 1000 and abs(y) > 1000:
            xy = lambert93_to_wgs84(x, y)
        else:
            xy = (y, x)
    if point is None and xy is None:
        return Reason(_("no position (neither X/Y nor geo_point_2d)"), "missing_position")
    for lat, lon in (p for p in (point, xy) if p is not None):
        if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
            return Reason(
                _("the position {lat}, {lon} is far from Paris").format(
                    lat=round(lat, 6), lon=round(lon, 6)
                ),
                "position_out_of_region",
                lat=round(lat, 6),
                lon=round(lon, 6),
            )
    if point is not None and xy is not None:
        return point[0], point[1], gap_metres(point[0], point[1], xy[0], xy[1])
    kept = point or xy
    assert kept is not None
    return kept[0], kept[1], 0.0
