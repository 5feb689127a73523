"""One workspace under both faces: the repository, the write lock, the clock, the permit
rules and the geocoder of a session, with the services that use them.

The CLI and the TUI build it the same way (`Workspace.open`), call its services only,
and close it in one place. No screen and no command touches the store or the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

from scout.clock import Clock
from scout.i18n import _
from scout.permits.rules import RulesBook, RulesError
from scout.services.geocoding import GeocodingQueue
from scout.services.lieux import LieuService, Locator, default_locator
from scout.services.permits import PermitService
from scout.services.photos import PhotoService
from scout.services.productions import ProductionService
from scout.settings import Settings
from scout.store.repository import Repository

if TYPE_CHECKING:
    from scout.domain.sync import SyncConflict
    from scout.geocoding.service import GeocodingService
    from scout.services.live import LiveService
    from scout.services.tournages import TournageService

GeocoderFactory = Callable[[], "GeocodingService"]


class Workspace:
    def __init__(
        self,
        store: Repository,
        clock: Clock | None = None,
        rules: RulesBook | None = None,
        *,
        settings: Settings | None = None,
        locator: Locator | None = default_locator,
        geocoder_factory: GeocoderFactory | None = None,
    ) -> None:
        self.store = store
        self.clock = clock or Clock()
        self.rules = rules or RulesBook()
        self.settings = settings or Settings.load(db=store.location)
        # TinyDB is not thread-safe: the UI thread and the workers take turns through
        # this lock, which every service method takes.
        self.lock = threading.RLock()
        self._geocoder_factory = geocoder_factory
        self._geocoder: GeocodingService | None = None
        self.lieux = LieuService(self, locator)
        self.productions = ProductionService(self)  # the current one: what the lists show
        self.permits = PermitService(self)
        self.photos = PhotoService(self)
        self.geocoding = GeocodingQueue(self)

    @cached_property
    def tournages(self) -> TournageService:
        """The City's past shoots (reference data), made on first use: most commands
        never read them, and their reader is not imported until then."""
        from scout.services.tournages import TournageService

        return TournageService(self)

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        read_only: bool = False,
        on_locked: str = "fail",
        clock: Clock | None = None,
        strict_rules: bool = False,
    ) -> Workspace:
        """The workspace of the database the settings name. `strict_rules`: a rules
        file named on the command line must be right (otherwise the shipped rules stand
        in, and `rules.error` says why)."""
        from scout.store import open_store

        book = _rules_book(settings, strict_rules)
        store = open_store(
            settings.db_url or settings.db_path,  # a team database (postgresql://…) or a file
            read_only=read_only,
            on_locked=on_locked,
            create_folder=settings.db_is_default,  # a folder the user named must exist
        )
        return cls(store, clock or Clock.from_env(), book, settings=settings)

    # -- what the faces ask about the session ------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def locked_by_other(self) -> bool:
        """Opened read-only because another scout process writes to the file."""
        return bool(getattr(self.store, "locked_by_other", False))

    @property
    def location(self) -> str:
        return self.store.location

    def read_only_reason(self) -> str:
        """Why nothing can be changed here, as one sentence for a refusal: another
        process holds the file, the role may only read the team database, or it was
        opened read-only (`--read-only`). Empty when it can be changed."""
        if not self.read_only:
            return ""
        if self.locked_by_other:
            return _("Read-only: this database is open in another scout process.")
        if getattr(self.store, "role_reads_only", False):
            return _("Read-only: your role can only read this team database.")
        return _("Read-only: this database was opened read-only.")

    @cached_property
    def live(self) -> LiveService:
        """The others' changes as they happen, who else is here, whether the server
        answers: a team database only (`live.available`)."""
        from scout.services.live import LiveService

        return LiveService(self)

    @property
    def geocoder(self) -> GeocodingService:
        """Made on first use: geopy and httpx are not needed to start."""
        if self._geocoder is None:
            self._geocoder = (self._geocoder_factory or self._default_geocoder)()
        return self._geocoder

    def _default_geocoder(self) -> GeocodingService:
        from scout.geocoding.service import open_geocoder

        return open_geocoder(self.settings.db_path, self.clock)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Several service calls saved as one: all of them, or none."""
        with self.lock, self.store.transaction():
            yield

    def sync_conflicts(self) -> list[SyncConflict]:
        """A checkout's fields changed on both sides, waiting for a decision (`scout
        sync`): empty for any other database."""
        from scout.services.sync import sync_conflicts

        return sync_conflicts(self.store)

    def resolve_sync_conflict(self, conflict: SyncConflict) -> None:
        """The person decided (and saved the value chosen, if it is theirs): the conflict
        leaves the list; the next `scout sync` pushes whatever the record holds."""
        from scout.services.sync import resolve_conflict

        with self.lock:
            resolve_conflict(self.store, conflict)

    @contextmanager
    def unless_busy(self) -> Iterator[bool]:
        """The workspace held for what is inside, if nobody holds it (True); False at
        once, without waiting, while a worker holds it (computing the review, saving):
        the UI thread then shows what it has and reads again a moment later."""
        free = self.lock.acquire(blocking=False)
        try:
            yield free
        finally:
            if free:
                self.lock.release()

    def notices(self) -> list[str]:
        """What the user should hear although nothing failed (see Repository.notices), in
        the language of the run."""
        return self.store.notices

    def close(self) -> list[str]:
        """Close everything; returns the last notices (e.g. tidying the file postponed)."""
        try:
            if "live" in self.__dict__:  # (made on first use)
                self.live.close()
            if self._geocoder is not None:
                self._geocoder.close()
                self._geocoder = None
        finally:
            self.store.close()
        return self.store.notices

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _rules_book(settings: Settings, strict: bool) -> RulesBook:
    if settings.rules is not None and strict and not settings.rules.exists():
        raise RulesError(str(settings.rules), None, _("no such file"))
    book = RulesBook(settings.rules_path)
    if book.error is not None and strict and settings.rules is not None:
        raise book.error  # asked for by name: a mistake must stop us
    return book
