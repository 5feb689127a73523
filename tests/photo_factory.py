"""Phone-like test pictures made with Pillow: EXIF with GPS, time, direction, camera."""

from __future__ import annotations

from pathlib import Path

from PIL import ExifTags, Image


def dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return float(degrees), float(minutes), (value - degrees - minutes / 60) * 3600


def make_photo(
    path: Path,
    lat: float | None = None,
    lon: float | None = None,
    *,
    taken: str = "2026:11:20 10:15:00",
    offset: str = "+01:00",
    direction: float | None = None,
    size: tuple[int, int] = (640, 480),
    fmt: str = "JPEG",
    exif: bool = True,
) -> Path:
    img = Image.new("RGB", size, (120, 130, 140))
    if not exif:
        img.save(path, fmt)
        return path
    data = Image.Exif()
    data[ExifTags.Base.Make] = "Apple"
    data[ExifTags.Base.Model] = "iPhone 15 Pro"
    data[ExifTags.Base.Orientation] = 1
    data[ExifTags.IFD.Exif] = {
        ExifTags.Base.DateTimeOriginal: taken,
        ExifTags.Base.OffsetTimeOriginal: offset,
        ExifTags.Base.FocalLength: 6.86,
        ExifTags.Base.LensModel: "iPhone 15 Pro back camera",
    }
    if lat is not None and lon is not None:
        gps = {
            ExifTags.GPS.GPSLatitudeRef: "N" if lat >= 0 else "S",
            ExifTags.GPS.GPSLatitude: dms(lat),
            ExifTags.GPS.GPSLongitudeRef: "E" if lon >= 0 else "W",
            ExifTags.GPS.GPSLongitude: dms(lon),
            ExifTags.GPS.GPSAltitude: 42.0,
            ExifTags.GPS.GPSAltitudeRef: 0,
        }
        if direction is not None:
            gps[ExifTags.GPS.GPSImgDirection] = direction
        data[ExifTags.IFD.GPSInfo] = gps
    if fmt == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()
    img.save(path, fmt, exif=data)
    return path
