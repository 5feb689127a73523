"""Import the scout's pictures: referenced where they are, recognised by content, grouped
into proposed lieux by place and time. A bad file is skipped with its reason; the batch
goes on and nothing already imported is lost."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from scout.domain import Photo
from scout.errors import Reason
from scout.files import os_reason
from scout.i18n import _
from scout.photos.exif import PhotoError, read_meta, sha256_of

GROUP_DISTANCE_M = 60.0  # pictures this close belong to one place
GROUP_GAP_H = 3.0  # …unless taken this long apart
SIDECARS = {".xmp", ".aae", ".thm"}  # the phone's notes beside a picture, not pictures


@dataclass
class ImportReport:
    """What an import did. Each skipped file comes with its Reason: the text a person
    reads (in the language of the run), and its `kind` code for scripts."""

    imported: list[Photo] = field(default_factory=list)
    already_known: list[Path] = field(default_factory=list)
    moved: list[Photo] = field(default_factory=list)  # known by content, found elsewhere
    skipped: list[tuple[Path, Reason]] = field(default_factory=list)
    without_position: list[Photo] = field(default_factory=list)
    attached: list[Photo] = field(default_factory=list)  # known, now given to the lieu


@dataclass(frozen=True)
class Proposal:
    """A place the pictures suggest: a new lieu, or an existing one they belong to."""

    number: int
    photos: tuple[Photo, ...]
    lat: float
    lon: float
    lieu_id: int | None  # an existing lieu within reach
    first_taken: str | None


def expand(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, Reason]]]:
    files: list[Path] = []
    problems: list[tuple[Path, Reason]] = []
    for path in paths:
        if path.is_dir():  # every file: one that is not a picture is reported as such
            files.extend(
                p
                for p in path.rglob("*")
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() not in SIDECARS
            )
        elif path.is_file():
            files.append(path)
        else:
            problems.append((path, Reason(_("no such file or folder"), "missing")))
    return sorted(set(files)), problems


def import_photos(
    store: Any, paths: list[Path], *, lieu_id: int | None, stamp: str
) -> ImportReport:
    report = ImportReport()
    files, report.skipped = expand(paths)
    if lieu_id is not None:
        store.get_lieu(lieu_id)  # a wrong id stops the import before anything is read
    known = {p.sha256: p for p in store.photos()}
    for path in files:
        # Each picture is its own unit of work: a bad one is skipped with its reason and
        # never costs the others.
        try:
            _import_one(store, path.resolve(), lieu_id, stamp, known, report)
        except Exception as e:  # noqa: BLE001 - whatever one file does, the batch goes on
            text = _("could not be imported ({kind}: {error})").format(
                kind=type(e).__name__, error=e
            )
            report.skipped.append((path, Reason(text, "failed")))
    return report


def _import_one(
    store: Any,
    path: Path,
    lieu_id: int | None,
    stamp: str,
    known: dict[str, Photo],
    report: ImportReport,
) -> None:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        shown = str(path).encode("utf-8", "backslashreplace").decode()
        text = _("its name is not UTF-8 text: rename the file")
        report.skipped.append((Path(shown), Reason(text, "name_not_utf8")))
        return
    try:
        digest = sha256_of(path)
    except OSError as e:
        text = _("cannot be read ({reason})").format(reason=os_reason(e))
        report.skipped.append((path, Reason(text, "unreadable")))
        return
    if digest in known:
        old = known[digest]
        if old.path != str(path) and not Path(old.path).exists():
            old = store.update_photo(replace(old, path=str(path)))
            known[digest] = old
            report.moved.append(old)
        elif lieu_id is not None and old.lieu_id != lieu_id:
            # Known already (a picture without GPS, say): given to the lieu asked for.
            old = store.update_photo(replace(old, lieu_id=lieu_id))
            known[digest] = old
            report.attached.append(old)
        else:
            report.already_known.append(path)
        return
    try:
        meta = read_meta(path)
    except PhotoError as e:
        report.skipped.append((path, e.reason))
        return
    photo = store.add_photo(
        Photo(
            path=str(path),
            sha256=digest,
            lieu_id=lieu_id,
            metadata=meta.to_dict(),
            imported_at=stamp,
        )
    )
    known[digest] = photo
    report.imported.append(photo)
    if meta.lat is None:
        report.without_position.append(photo)


def relink(store: Any, folder: Path) -> list[Photo]:
    """Find moved pictures again by their content under `folder`."""
    missing = {p.sha256: p for p in store.photos() if not Path(p.path).exists()}
    found: list[Photo] = []
    if not missing:
        return found
    files, _ = expand([folder])
    for path in files:
        try:
            digest = sha256_of(path)
        except OSError:
            continue
        if digest in missing:
            found.append(store.update_photo(replace(missing.pop(digest), path=str(path.resolve()))))
    return found


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    from scout.geo.plane import KX, KY

    return math.hypot((a[1] - b[1]) * KX, (a[0] - b[0]) * KY)


def _when(photo: Photo) -> datetime | None:
    taken = photo.metadata.get("taken_at")
    try:
        return datetime.fromisoformat(taken) if taken else None
    except ValueError:
        return None


def _gap_hours(a: datetime | None, b: datetime | None) -> float:
    if a is None or b is None:
        return 0.0
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return abs((a - b).total_seconds()) / 3600


def propose(photos: list[Photo], lieux: list[tuple[int, float, float]]) -> list[Proposal]:
    """Group pictures with a position: together when within 60 m of a picture of the group
    and taken within 3 hours of it. Each group is a proposed lieu at the median position,
    or an existing lieu (id, lat, lon) that lies within 60 m."""
    placed = sorted(
        (p for p in photos if "lat" in p.metadata),
        key=lambda p: (_when(p) or datetime.min, p.id or 0),
    )
    groups: list[list[Photo]] = []
    for photo in placed:
        here = (photo.metadata["lat"], photo.metadata["lon"])
        home = None
        for group in groups:
            if any(
                _metres(here, (q.metadata["lat"], q.metadata["lon"])) <= GROUP_DISTANCE_M
                and _gap_hours(_when(photo), _when(q)) <= GROUP_GAP_H
                for q in group
            ):
                home = group
                break
        if home is None:
            groups.append([photo])
        else:
            home.append(photo)
    proposals = []
    for number, group in enumerate(groups, start=1):
        lat = statistics.median(p.metadata["lat"] for p in group)
        lon = statistics.median(p.metadata["lon"] for p in group)
        near = min(
            ((_metres((lat, lon), (la, lo)), lid) for lid, la, lo in lieux),
            default=(math.inf, None),
        )
        owner = near[1] if near[0] <= GROUP_DISTANCE_M else None
        times = sorted(t for t in (p.metadata.get("taken_at") for p in group) if t)
        proposals.append(
            Proposal(number, tuple(group), lat, lon, owner, times[0] if times else None)
        )
    return proposals
