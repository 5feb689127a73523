"""Every file scout writes goes through here: a temporary file in the same folder,
fsynced, then renamed over the target. A failure (full disk, no permission) leaves the
old file whole and no temporary file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from scout.errors import ScoutError
from scout.i18n import _


class OutputError(ScoutError):
    """A file cannot be written where the user asked."""


def checked_target(path: str | os.PathLike[str]) -> Path:
    """The file to write, once it is sure its folder is there: said before a long export
    starts, and again by `write_atomic`."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise OutputError(
            _("{target} is a folder: give a file name; nothing was written").format(target=target)
        )
    folder = target.parent
    if not folder.is_dir():
        if folder.exists():
            message = _("{folder} is not a folder: cannot write {target}; nothing was written")
        else:
            message = _("{folder} does not exist: cannot write {target}; nothing was written")
        raise OutputError(message.format(folder=folder, target=target))
    return target


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    target = checked_target(path)
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise OutputError(
            _("cannot write in {folder}: {reason}; nothing was written").format(
                folder=folder, reason=e.strerror or e
            )
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
            _("cannot write {target}: {reason}; the file was left as it was").format(
                target=target, reason=e.strerror or e
            )
        ) from None
    return target
