"""Pictures made small enough to draw: decoded and downscaled once (Pillow's `draft` and
`thumbnail`), turned upright by their EXIF orientation, and kept in memory per file and
modification time, so that moving back and forth through a lieu's pictures decodes each
file once. Called from worker threads: never on the UI thread.

A missing, unreadable, corrupt or absurdly large file is an answer (`Thumb.problem`),
never an exception: the screen says what is wrong with the picture and goes on.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scout.i18n import N_

if TYPE_CHECKING:
    from PIL.Image import Image

CACHE_SIZE = 192  # small images: a thumbnail is a few kB, a large view ~0.5 MB
MISSING = N_("file not found")
UNREADABLE = N_("not a picture Pillow can read (damaged or unknown format)")
TOO_LARGE = N_("too large to decode safely")

_lock = threading.Lock()
_cache: OrderedDict[tuple[str, int, int, int, int], Thumb] = OrderedDict()
_heif_ready = False


@dataclass(frozen=True)
class Thumb:
    """A picture ready to draw (`image`), or why there is none (`problem`, English text
    marked N_: translated where shown)."""

    path: str
    image: Image | None = None
    problem: str = ""
    width: int = 0  # the file's own size, upright
    height: int = 0


def thumbnail(path: str, box: tuple[int, int]) -> Thumb:
    """The picture at `path` fitting `box` (pixels), from the cache when the file has not
    changed since it was last read."""
    try:
        st = os.stat(path)
    except OSError:
        return Thumb(path, problem=MISSING)
    key = (path, st.st_mtime_ns, st.st_size, box[0], box[1])
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    thumb = _decode(path, box)
    with _lock:
        _cache[key] = thumb
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return thumb


def cached(path: str, box: tuple[int, int]) -> Thumb | None:
    """The picture if it is already decoded at this size (no file read beyond a stat)."""
    try:
        st = os.stat(path)
    except OSError:
        return Thumb(path, problem=MISSING)
    with _lock:
        return _cache.get((path, st.st_mtime_ns, st.st_size, box[0], box[1]))


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _register_heif() -> None:
    global _heif_ready
    if not _heif_ready:
        try:
            from pillow_heif import register_heif_opener

            register_heif_opener()
        except ImportError:  # without pillow_heif a HEIC file is "not readable"
            pass
        _heif_ready = True


def _decode(path: str, box: tuple[int, int]) -> Thumb:
    from PIL import Image, ImageOps

    _register_heif()
    try:
        with Image.open(path) as img:
            img.draft("RGB", (box[0] * 2, box[1] * 2))  # JPEG: decode at a fraction
            upright = ImageOps.exif_transpose(img)
            width, height = upright.size
            if upright.mode != "RGB":
                upright = upright.convert("RGB")
            upright.thumbnail(box, Image.Resampling.LANCZOS)
            upright.load()
    except Image.DecompressionBombError:
        return Thumb(path, problem=TOO_LARGE)
    except FileNotFoundError:
        return Thumb(path, problem=MISSING)
    except Exception:  # truncated, corrupt, unknown format, a folder, no permission…
        return Thumb(path, problem=UNREADABLE)
    return Thumb(path, image=upright, width=width, height=height)
