"""The exceptions a user may see, as one tree.

Every message is written for the person at the keyboard: what is wrong and where, in the
language of the run (translated when the error is raised: the language is chosen before
any command runs). The CLI and the TUI show `str(error)`; anything that is not a
ScoutError is a bug and goes to the log file.
"""

from __future__ import annotations

from typing import Any

from scout.i18n import _


class Reason(str):
    """Why something was not done, as a person reads it (in the language of the run),
    with a code for scripts: `kind` (an English code) and `data` (neutral values: numbers,
    codes, ISO dates). JSON output gives the code and the data, never the text."""

    kind: str
    data: dict[str, Any]

    def __new__(cls, text: str, kind: str, **data: Any) -> Reason:
        self = super().__new__(cls, text)
        self.kind = kind
        self.data = data
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle keep the code
        return (_reason, (str(self), self.kind, self.data))


def _reason(text: str, kind: str, data: dict[str, Any]) -> Reason:
    return Reason(text, kind, **data)


class ScoutError(Exception):
    """Base of every error scout reports to the user."""


class ValidationError(ScoutError):
    """A value given by the user does not fit a field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        # i18n: a field's name, then what is wrong with its value
        super().__init__(_("{field}: {message}").format(field=field, message=message))


class ValidationErrors(ScoutError):
    """Several fields are wrong at once; nothing was saved."""

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


class NotFound(ScoutError):
    """No entity with that id."""


class StoreError(ScoutError):
    """The database file cannot be used."""


class CorruptDatabase(StoreError):
    """The file is damaged or is not a scout database; it was left untouched."""


class DatabaseLocked(StoreError):
    """Another scout process holds the database for writing."""


class ReadOnlyDatabase(StoreError):
    """A write was attempted on a database opened read-only."""


class EditConflict(StoreError):
    """Someone else changed the same field since this record was read: nothing was saved.

    `field` is the field's stored name ("decor", "accessibility.lift"), `by` who changed
    it, `theirs` the value it has now and `mine` the value that was not saved."""

    def __init__(
        self, message: str, *, field: str = "", by: str = "", theirs: Any = None, mine: Any = None
    ) -> None:
        self.field, self.by, self.theirs, self.mine = field, by, theirs, mine
        super().__init__(message)


class DatabaseUnreachable(StoreError):
    """The database server cannot be reached (stopped, network down): nothing was saved."""
