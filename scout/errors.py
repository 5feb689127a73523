"""The exceptions a user may see, as one tree.

Every message is written for the person at the keyboard: what is wrong and where.
The CLI and the TUI show `str(error)`; anything that is not a ScoutError is a bug
and goes to the log file.
"""


class ScoutError(Exception):
    """Base of every error scout reports to the user."""


class ValidationError(ScoutError):
    """A value given by the user does not fit a field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


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
