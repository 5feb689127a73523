"""Read what a phone wrote in a picture — position, direction, time, camera — with Pillow,
without decoding the pixels. HEIC/HEIF (iPhone) through pillow-heif."""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from scout.errors import Reason, ScoutError
from scout.i18n import N_, _

_HEIF_READY = False


class PhotoError(ScoutError):
    """A file that cannot be read as a photo; the reason says why (`args[0]`, a Reason:
    the text in the language of the run, its `kind` for scripts)."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason = reason


# Why a GPS position in the file was not kept. Stored with the picture's metadata as the
# English text (`gps_problem`), translated where it is shown: _(meta["gps_problem"]).
GPS_OUT_OF_RANGE = N_("GPS position out of range")
GPS_ZERO = N_("GPS position 0,0 (no fix when the picture was taken)")
GPS_UNREADABLE = N_("GPS position unreadable")


@dataclass(frozen=True, slots=True)
class PhotoMeta:
    width: int
    height: int
    format: str
    lat: float | None = None
    lon: float | None = None
    altitude_m: float | None = None
    direction_deg: float | None = None  # where the camera faced, from north
    taken_at: str | None = None  # ISO, with its UTC offset when the phone wrote one
    make: str = ""
    model: str = ""
    lens: str = ""
    focal_length_mm: float | None = None
    orientation: int | None = None
    gps_problem: str = ""  # why a GPS position present in the file was not kept (GPS_…)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


def _heif() -> None:
    global _HEIF_READY
    if not _HEIF_READY:
        try:
            from pillow_heif import register_heif_opener

            register_heif_opener()
        except ImportError:  # pragma: no cover - declared dependency
            pass
        _HEIF_READY = True


MAX_PIXELS = 200_000_000  # the largest phones and cameras stay far below


def _ends_like_a_jpeg(path: Path) -> bool:
    """A JPEG ends with its end-of-image marker (FF D9), give or take a little padding:
    a file cut short does not. Cheap: the last bytes only, no decoding."""
    with path.open("rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - 64))
        return b"\xff\xd9" in f.read()


def _text(value: Any) -> str:
    """An EXIF text as JSON-safe, terminal-safe text."""
    from scout.domain.values import terminal_safe

    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return terminal_safe(str(value).strip("\x00 "))


def _orientation(value: Any) -> int | None:
    """1–8 as the standard says; anything else (a RATIONAL, garbage) is no orientation."""
    return value if isinstance(value, int) and 1 <= value <= 8 else None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _ratio(value: Any) -> float:
    if isinstance(value, tuple) and len(value) == 2:  # (numerator, denominator)
        return float(value[0]) / float(value[1]) if value[1] else math.nan
    return float(value)


def _degrees(dms: Any, ref: Any, negative: str) -> float:
    d, m, s = (_ratio(x) for x in dms)
    value = d + m / 60 + s / 3600
    return -value if str(ref).strip().upper() == negative else value


def _taken_at(exif_ifd: dict[int, Any], base: Any) -> str | None:
    from PIL import ExifTags

    raw = exif_ifd.get(ExifTags.Base.DateTimeOriginal) or base.get(ExifTags.Base.DateTime)
    if not raw:
        return None
    try:
        moment = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = exif_ifd.get(ExifTags.Base.OffsetTimeOriginal)
    if offset:
        try:
            sign = -1 if str(offset).startswith("-") else 1
            hours, minutes = str(offset).lstrip("+-").split(":")
            moment = moment.replace(
                tzinfo=timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
            )
        except ValueError:
            pass
    return moment.isoformat()


def read_meta(path: Path) -> PhotoMeta:
    """The metadata of one picture. Raises PhotoError with the reason for a bad file."""
    from PIL import ExifTags, Image, UnidentifiedImageError

    _heif()
    try:
        with Image.open(path) as img:  # lazy: reads the headers, not the pixels
            width, height, fmt = img.width, img.height, img.format or ""
            exif = img.getexif()
    except UnidentifiedImageError:
        raise PhotoError(
            Reason(_("not an image (or a format scout cannot read)"), "not_an_image")
        ) from None
    except Image.DecompressionBombError:
        raise PhotoError(
            Reason(_("claims an absurd size (a decompression bomb?)"), "absurd_size")
        ) from None
    except (OSError, SyntaxError, ValueError) as e:
        # Pillow's own words stay out of the sentence (they are English): in the data only.
        raise PhotoError(
            Reason(_("damaged or truncated image"), "damaged", detail=str(e))
        ) from None
    if width * height > MAX_PIXELS:
        from scout.i18n import formats

        text = _("claims {width}×{height} pixels: not a photograph").format(
            width=formats.number(width), height=formats.number(height)
        )
        raise PhotoError(Reason(text, "absurd_size", width=width, height=height))
    if fmt == "JPEG" and not _ends_like_a_jpeg(path):
        raise PhotoError(
            Reason(
                _("truncated: the picture's data ends early (no end-of-image marker)"),
                "truncated",
            )
        )
    exif_ifd = exif.get_ifd(ExifTags.IFD.Exif)
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    lat = lon = alt = direction = None
    problem = ""
    if gps:
        try:
            lat = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef), "S")
            lon = _degrees(
                gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef), "W"
            )
            if not (math.isfinite(lat) and math.isfinite(lon)) or not (
                -90 <= lat <= 90 and -180 <= lon <= 180
            ):
                problem, lat, lon = GPS_OUT_OF_RANGE, None, None
            elif lat == 0 and lon == 0:
                problem, lat, lon = GPS_ZERO, None, None
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            problem, lat, lon = GPS_UNREADABLE, None, None
        try:
            if ExifTags.GPS.GPSAltitude in gps:
                alt = _ratio(gps[ExifTags.GPS.GPSAltitude])
                if gps.get(ExifTags.GPS.GPSAltitudeRef) in (1, b"\x01"):
                    alt = -alt
            if ExifTags.GPS.GPSImgDirection in gps:
                direction = _ratio(gps[ExifTags.GPS.GPSImgDirection]) % 360
        except (TypeError, ValueError, ZeroDivisionError):
            alt = direction = None
    focal = exif_ifd.get(ExifTags.Base.FocalLength)
    try:
        focal_mm = _ratio(focal) if focal is not None else None
    except (TypeError, ValueError, ZeroDivisionError):
        focal_mm = None
    return PhotoMeta(
        width=width,
        height=height,
        format=fmt,
        lat=lat,
        lon=lon,
        altitude_m=alt,
        direction_deg=direction,
        taken_at=_taken_at(exif_ifd, exif),
        make=_text(exif.get(ExifTags.Base.Make)),
        model=_text(exif.get(ExifTags.Base.Model)),
        lens=_text(exif_ifd.get(ExifTags.Base.LensModel)),
        focal_length_mm=focal_mm if focal_mm is None or math.isfinite(focal_mm) else None,
        orientation=_orientation(exif.get(ExifTags.Base.Orientation)),
        gps_problem=problem,
    )
