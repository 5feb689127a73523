"""Lieux as GeoJSON (RFC 7946) and back.

Writing: one FeatureCollection of Point features, WGS84 degrees in [lon, lat] order
rounded to 6 decimals (about 10 cm), one feature a line (a diff shows which lieu
changed). Properties are codes and data only (status codes, ISO dates, numbers, the
user's own text): the file is byte-identical whatever the language of the run. No
`crs` member (RFC 7946 dropped it: WGS84 is the only one) and no top-level feature `id`
(the `id` property is this database's id, which means nothing in another one). The
`source_id` property is never null: the id the lieu was imported with, else one naming
this database's lieu (`scout:<id>@<created_at>`, see scout.services.maps), so that
importing the file again, anywhere, updates the lieux instead of copying them.

Reading: the whole file is checked before anything is returned; every bad feature is
named by its place in the array (`features[3]`) with what is wrong. The caller saves
nothing unless this returns.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from scout.domain.fiche import parse_fiche
from scout.domain.lieu import Lieu, ShootDay
from scout.errors import ScoutError, ValidationError, ValidationErrors
from scout.i18n import _

# What a feature's properties hold, in this order (the file's columns in QGIS).
PROPERTIES = (
    "id",
    "name",
    "decor",
    "sequences",
    "status",
    "retained",
    "setting",
    "arrondissement",
    "address",
    "postcode",
    "shoot_days",
    "source_id",
)
# Properties read back into the fiche; `id` and `arrondissement` are this database's
# (an id is given by the database, an arrondissement computed from the position).
IMPORTED = (
    "name",
    "decor",
    "sequences",
    "status",
    "retained",
    "setting",
    "address",
    "postcode",
    "shoot_days",
)
COMPUTED = frozenset({"id", "arrondissement", "source_id"})

# A plausible place for a repérage from Paris: metropolitan France and its borders.
# A point outside it whose swapped coordinates fall inside was written [lat, lon].
PLAUSIBLE_LON = (-5.5, 10.0)
PLAUSIBLE_LAT = (41.0, 51.5)
MAX_ERRORS = 20  # said at most; the count says how many more


class MapFileError(ScoutError):
    """A map file that cannot be imported: nothing was saved."""


@dataclass(frozen=True)
class MapEntry:
    """One checked feature: the fiche's text values, its position, its source id."""

    index: int
    raw: dict[str, Any]
    source_id: str | None = None
    ignored: tuple[str, ...] = field(default=())


# -- writing ---------------------------------------------------------------------------
def shoot_day_text(day: ShootDay) -> str:
    """« 2026-12-03 » or « 2026-12-03 07:30-19:00 »: what the fiche reads back."""
    text = day.day.isoformat()
    if day.call and day.wrap:
        text += f" {day.call.strftime('%H:%M')}-{day.wrap.strftime('%H:%M')}"
    return text


def feature(lieu: Lieu, source_id: str) -> dict[str, Any]:
    """A placed lieu as a Point feature (the caller leaves out the ones without position)."""
    pos = lieu.position
    assert pos is not None
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(pos.lon, 6), round(pos.lat, 6)]},
        "properties": {
            "id": lieu.id,
            "name": lieu.name,
            "decor": lieu.decor,
            "sequences": list(lieu.sequences),
            "status": lieu.status.value,
            "retained": lieu.retained,
            "setting": lieu.setting.value if lieu.setting else None,
            "arrondissement": lieu.arrondissement,
            "address": lieu.address,
            "postcode": lieu.postcode,
            "shoot_days": [shoot_day_text(d) for d in lieu.shoot_days],
            "source_id": source_id,
        },
    }


def dumps(value: Any) -> bytes:
    """Compact JSON, UTF-8 as it is (RFC 7946 and GDAL read UTF-8; no \\u escapes)."""
    import orjson

    try:
        return orjson.dumps(value)
    except TypeError:  # not JSON for orjson (a lone surrogate): the standard module says why
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def feature_collection(features: Iterable[dict[str, Any]]) -> bytes:
    """The FeatureCollection, one feature a line."""
    lines = [dumps(f) for f in features]
    if not lines:
        return b'{"type":"FeatureCollection","features":[]}\n'
    return b'{"type":"FeatureCollection","features":[\n' + b",\n".join(lines) + b"\n]}\n"


# -- reading ---------------------------------------------------------------------------
def read_features(data: bytes, source: str) -> list[MapEntry]:
    """The Point features of a GeoJSON FeatureCollection, checked; MapFileError naming
    the file and each bad feature otherwise."""
    try:
        return _read_features(data, source)
    except RecursionError:  # `[[[[…` a hundred thousand deep: Python's JSON cannot go there
        raise MapFileError(
            _(
                "{file}: too deeply nested (arrays or objects inside one another, deeper "
                "than any GeoJSON goes): not a map file; nothing was imported"
            ).format(file=source)
        ) from None


def _read_features(data: bytes, source: str) -> list[MapEntry]:
    collection = _collection(data, source)
    features = collection.get("features")
    if not isinstance(features, list):
        raise MapFileError(
            _(
                '{file}: a FeatureCollection needs a list of "features"; nothing was imported'
            ).format(file=source)
        )
    entries: list[MapEntry] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(features):
        try:
            entry = _entry(index, item)
        except (ValidationError, ValidationErrors, _Bad) as e:
            problems.extend(_feature_problems(index, item, e))
            continue
        if entry.source_id is not None:
            if entry.source_id in seen:
                problems.append(
                    _where(index, item)
                    + _("source_id {value!r} is also the one of features[{other}]").format(
                        value=entry.source_id, other=seen[entry.source_id]
                    )
                )
                continue
            seen[entry.source_id] = index
        entries.append(entry)
    if problems:
        shown = problems[:MAX_ERRORS]
        if len(problems) > MAX_ERRORS:
            shown.append(_("… and {n} more problems").format(n=len(problems) - MAX_ERRORS))
        raise MapFileError(
            "\n".join(
                [_("{file}: nothing was imported:").format(file=source)]
                + [f"  {line}" for line in shown]
            )
        )
    return entries


class _Bad(Exception):
    """A feature's shape is wrong (not a field of the fiche)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _collection(data: bytes, source: str) -> dict[str, Any]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise MapFileError(
            _(
                "{file}, line {line}: not UTF-8 text (byte 0x{byte:02x}); GeoJSON is UTF-8: "
                "save the file as UTF-8; nothing was imported"
            ).format(file=source, line=line, byte=data[e.start])
        ) from None
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise MapFileError(
            _(
                "{file}, line {line}, column {column}: not JSON ({reason}); nothing was imported"
            ).format(file=source, line=e.lineno, column=e.colno, reason=e.msg)
        ) from None
    except ValueError as e:  # NaN or Infinity
        raise MapFileError(
            _("{file}: not JSON ({reason}); nothing was imported").format(file=source, reason=e)
        ) from None
    kind = value.get("type") if isinstance(value, dict) else None
    if kind != "FeatureCollection":
        found = kind if isinstance(kind, str) else type(value).__name__
        raise MapFileError(
            _(
                "{file}: not a GeoJSON FeatureCollection (found {found!r}); nothing was imported"
            ).format(file=source, found=found)
        )
    collection: dict[str, Any] = value
    return collection


def _no_constant(name: str) -> Any:
    raise ValueError(_("{value} is not a number JSON allows").format(value=name))


def _where(index: int, item: Any) -> str:
    """« features[3] ("Café Oberkampf"): » before what is wrong with it."""
    props = item.get("properties") if isinstance(item, dict) else None
    name = props.get("name") if isinstance(props, dict) else None
    if isinstance(name, str) and name.strip():
        return _('features[{index}] ("{name}"): ').format(index=index, name=" ".join(name.split()))
    return _("features[{index}]: ").format(index=index)


def _feature_problems(index: int, item: Any, error: Exception) -> list[str]:
    where = _where(index, item)
    if isinstance(error, ValidationErrors):
        return [where + str(e) for e in error.errors]
    if isinstance(error, _Bad):
        return [where + error.message]
    return [where + str(error)]


def _entry(index: int, item: Any) -> MapEntry:
    if not isinstance(item, dict) or item.get("type") != "Feature":
        raise _Bad(_("not a GeoJSON Feature"))
    lon, lat = _point(item.get("geometry"))
    props = item.get("properties")
    if props is None:
        props = {}
    if not isinstance(props, dict):
        raise _Bad(_("its properties are not a JSON object"))
    raw: dict[str, Any] = {}
    for key in IMPORTED:
        value = props.get(key)
        if value is None:
            if key == "name":
                raise ValidationError("name", _("is missing: every feature needs a name"))
            if key == "status":
                continue  # a new lieu starts "to scout"
            value = [] if key in ("sequences", "shoot_days") else None
            if key not in ("retained", "setting", "sequences", "shoot_days"):
                value = ""
        elif isinstance(value, dict):
            raise ValidationError(key, _("is not text"))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        raw[key] = value
    if not isinstance(raw["name"], str):
        raise ValidationError("name", _("is not text"))
    raw["lat"], raw["lon"] = lat, lon
    parse_fiche(raw)  # every field checked now: all the errors of the file at once
    ignored = tuple(sorted(k for k in props if k not in IMPORTED and k not in COMPUTED))
    return MapEntry(index, raw, _source_id(props.get("source_id"), item.get("id")), ignored)


def _source_id(value: Any, feature_id: Any) -> str | None:
    """The feature's id in the file it came from: the `source_id` property, else the
    Feature's own `id` member (RFC 7946 §3.2), else none."""
    for candidate in (value, feature_id):
        if isinstance(candidate, bool) or candidate is None:
            continue
        if isinstance(candidate, (str, int, float)):
            text = " ".join(str(candidate).split())
            if text:
                return text
        else:
            raise ValidationError("source_id", _("is not text or a number"))
    return None


def _point(geometry: Any) -> tuple[float, float]:
    """(lon, lat) of a Point geometry, checked: in the world, and not written [lat, lon]."""
    if not isinstance(geometry, dict):
        raise _Bad(_("has no geometry: only Point features can be imported"))
    kind = geometry.get("type")
    if kind != "Point":
        raise _Bad(
            _("its geometry is a {kind}, not a Point: only points can be imported").format(
                kind=kind if isinstance(kind, str) else "?"
            )
        )
    coords = geometry.get("coordinates")
    if (
        not isinstance(coords, list)
        or len(coords) not in (2, 3)
        or not all(
            isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c)
            for c in coords
        )
    ):
        raise _Bad(_("its coordinates are not [longitude, latitude] numbers"))
    lon, lat = float(coords[0]), float(coords[1])
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise _Bad(
            _(
                "coordinates [{lon}, {lat}] are outside the world "
                "(longitude -180 to 180, latitude -90 to 90)"
            ).format(lon=coords[0], lat=coords[1])
        )
    if not _plausible(lon, lat):
        if _plausible(lat, lon):
            raise _Bad(
                _(
                    "coordinates [{lon}, {lat}] look swapped: GeoJSON is [longitude, "
                    "latitude], so [{lat}, {lon}] is meant"
                ).format(lon=coords[0], lat=coords[1])
            )
        raise _Bad(
            _(
                "coordinates [{lon}, {lat}] are far from Paris (outside metropolitan "
                "France): a repérage is not there"
            ).format(lon=coords[0], lat=coords[1])
        )
    return lon, lat


def _plausible(lon: float, lat: float) -> bool:
    return (
        PLAUSIBLE_LON[0] <= lon <= PLAUSIBLE_LON[1] and PLAUSIBLE_LAT[0] <= lat <= PLAUSIBLE_LAT[1]
    )
