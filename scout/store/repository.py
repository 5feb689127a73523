"""The repository interface the CLI and the TUI talk to.

Small on purpose (add, get, update, delete, query, transaction) so that a
server-backed store can stand behind it later without touching either face.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import NamedTuple, Protocol

from scout.domain import Lieu, Production


class LieuRow(NamedTuple):
    """What a table line shows, read without building the whole Lieu (a tuple: 20,000
    of them are made at each start)."""

    id: int
    name: str
    decor: str
    arrondissement: int | None
    on_boundary: bool
    approximate_zone: bool
    status: str
    next_shoot: str  # ISO date or ""
    retained: bool
    production_id: int | None


class Repository(Protocol):
    read_only: bool
    location: str  # where the data lives, for messages

    def add_lieu(self, lieu: Lieu) -> Lieu: ...
    def get_lieu(self, lieu_id: int) -> Lieu: ...
    def update_lieu(self, lieu: Lieu) -> Lieu: ...
    def delete_lieu(self, lieu_id: int) -> None: ...
    def query_lieux(self, where: Callable[[Lieu], bool] | None = None) -> list[Lieu]: ...
    def lieu_rows(self, today_iso: str) -> list[LieuRow]: ...
    def lieu_row(self, lieu_id: int, today_iso: str) -> LieuRow: ...
    def count_lieux(self) -> int: ...

    def add_production(self, production: Production) -> Production: ...
    def get_production(self, production_id: int) -> Production: ...
    def list_productions(self) -> list[Production]: ...

    def transaction(self) -> AbstractContextManager[None]: ...
    def close(self) -> None: ...

