"""The repository interface the CLI and the TUI talk to.

Small on purpose (add, get, update, delete, query, transaction) so that a
server-backed store can stand behind it later without touching either face.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import NamedTuple, Protocol

from scout.domain import Lieu, Photo, Production
from scout.domain.bin import Binned
from scout.domain.facts import LieuFacts, PermitFacts
from scout.domain.permit import Permit
from scout.domain.tournage import Tournage


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
    geocode_pending: bool = False
    pmr_assessed: int = 0  # how many of the six accessibility checks have an answer
    address: str = ""
    postcode: str = ""
    lat: float | None = None
    lon: float | None = None
    tags: tuple[str, ...] = ()  # as typed (the filter's tag:)
    shoot_days: tuple[str, ...] = ()  # every shoot day, ISO, past ones too (the filter's date:)


class TournageSave(NamedTuple):
    """What saving past shoots did, matched on the City's source id."""

    added: int
    updated: int  # known already, and something in it changed
    unchanged: int  # known already, the same


class Repository(Protocol):
    read_only: bool
    location: str  # where the data lives, for messages

    @property
    def notices(self) -> list[str]:
        """Warnings that stop nothing (a torn tail set aside, tidying postponed); read once."""
        ...

    @property
    def version(self) -> int:
        """Changes with every saved change."""
        ...

    def add_lieu(self, lieu: Lieu) -> Lieu: ...
    def get_lieu(self, lieu_id: int) -> Lieu: ...
    def update_lieu(self, lieu: Lieu) -> Lieu:
        """Save an edit of a stored lieu. `lieu.version` is the version it was read at:
        if others saved it since, their changes and this one are merged field by field
        (EditConflict, nothing saved, when both changed the same field). Returns the
        lieu as stored, with its new version: the next save starts from it."""
        ...

    def update_lieux(self, lieux: Sequence[Lieu]) -> list[Lieu]:
        """`update_lieu` of each (each lieu once) in one transaction, all or nothing: an
        EditConflict or NotFound on one saves none. A server does it in a few round
        trips (sync pushes through it)."""
        ...

    def delete_lieu(self, lieu_id: int) -> None: ...
    def query_lieux(self, where: Callable[[Lieu], bool] | None = None) -> list[Lieu]: ...
    def lieu_rows(self, today_iso: str) -> list[LieuRow]: ...
    def first_lieu_rows(  # a local store's first screenful ([] where it is not quick)
        self, n: int, today_iso: str, production_id: int | None
    ) -> list[LieuRow]: ...
    def lieu_row(self, lieu_id: int, today_iso: str) -> LieuRow: ...
    def count_lieux(self) -> int: ...
    def search_texts(self) -> dict[int, str]: ...
    def search_text(self, lieu_id: int) -> str: ...
    def bin_lieu(self, lieu_id: int, at: str) -> Binned: ...
    def binned(self) -> list[Binned]: ...
    def restore_lieu(self, lieu_id: int) -> Lieu: ...

    def add_production(self, production: Production) -> Production: ...
    def get_production(self, production_id: int) -> Production: ...
    def list_productions(self) -> list[Production]: ...
    def update_production(self, production: Production) -> Production:
        """Overwrite a saved production whole (NotFound if it never was)."""
        ...

    def lieu_counts(self) -> dict[int | None, int]:
        """How many lieux each production holds (key None: lieux of no production), read
        without building the lieux: the status line asks at every keystroke."""
        ...

    def add_permit(self, permit: Permit) -> Permit: ...
    def get_permit(self, permit_id: int) -> Permit: ...
    def update_permit(self, permit: Permit) -> Permit:
        """As `update_lieu`, for a permit."""
        ...

    def update_permits(self, permits: Sequence[Permit]) -> list[Permit]:
        """As `update_lieux`, for permits."""
        ...

    def delete_permit(self, permit_id: int) -> None: ...
    def permits(self, lieu_id: int | None = None) -> list[Permit]: ...
    def permit_facts(self, lieu_id: int | None = None) -> list[PermitFacts]: ...
    def lieu_facts(
        self, caps: dict[str, int], lieu_id: int | None = None
    ) -> dict[int, LieuFacts]: ...

    def add_photo(self, photo: Photo) -> Photo: ...
    def update_photo(self, photo: Photo) -> Photo: ...
    def photos(self, lieu_id: int | None = None, *, unassigned: bool = False) -> list[Photo]: ...

    # The City's past shoots: a reference layer of its own, never mixed with the lieux.
    def tournages(self) -> list[Tournage]: ...
    def count_tournages(self) -> int: ...
    def save_tournages(self, items: Sequence[Tournage]) -> TournageSave: ...

    def transaction(self) -> AbstractContextManager[None]: ...
    def close(self) -> None: ...
