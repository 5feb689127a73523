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
    if target.is_symlink():  # the link stays a link: the file it names is written
        target = target.resolve()
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
    if target.exists() and not target.is_file():  # /dev/null, a pipe: written into, as
        return _write_through(target, data)  # the user meant; never replaced by a file
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise OutputError(
            _("cannot write in {folder}: {reason}; nothing was written").format(
                folder=folder, reason=os_reason(e)
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
                target=target, reason=os_reason(e)
            )
        ) from None
    return target


def _write_through(target: Path, data: bytes) -> Path:
    try:
        with target.open("wb") as out:
            out.write(data)
    except OSError as e:
        raise OutputError(
            _("cannot write {target}: {reason}").format(target=target, reason=os_reason(e))
        ) from None
    return target


def os_reason(error: OSError) -> str:
    """Why the system refused, in the language of the run (its own words are English)."""
    import errno

    reasons = {
        errno.ENOENT: _("no such file or folder"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.EISDIR: _("it is a folder"),
        errno.ENOTDIR: _("a part of the path is not a folder"),
        errno.ENOSPC: _("the disk is full"),
        errno.EROFS: _("the disk is read-only"),
        errno.EEXIST: _("it exists already"),
        errno.ENAMETOOLONG: _("the name is too long"),
        errno.EIO: _("input/output error"),
    }
    return reasons.get(error.errno or 0) or error.strerror or str(error)
