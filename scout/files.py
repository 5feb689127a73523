"""Every file scout writes goes through here: a temporary file in the same folder,
fsynced, then renamed over the target. A failure (full disk, no permission) leaves the
old file whole and no temporary file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from scout.errors import ScoutError


class OutputError(ScoutError):
    """A file cannot be written where the user asked."""


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    target = Path(path).expanduser()
    if target.is_dir():
        raise OutputError(f"{target} is a folder: give a file name; nothing was written")
    folder = target.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise OutputError(f"{folder} {what}: cannot write {target}; nothing was written")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise OutputError(
            f"cannot write in {folder}: {e.strerror or e}; nothing was written"
        ) from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if target.exists():  # keep the permissions of the file being replaced
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(
            f"cannot write {target}: {e.strerror or e}; the file was left as it was"
        ) from None
    return target
