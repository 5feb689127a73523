"""The embedded default store: TinyDB over a journaled file, one writer at a time."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb.table import Document

from scout import __version__
from scout.domain import Lieu, Photo, Production
from scout.domain.bin import Binned
from scout.domain.facts import LieuFacts, PermitFacts
from scout.domain.permit import Permit
from scout.domain.tournage import Tournage
from scout.errors import CorruptDatabase, DatabaseLocked, NotFound, StoreError
from scout.files import os_reason
from scout.i18n import _
from scout.store.documents import (
    binned_from_dict,
    lieu_facts,
    lieu_from_dict,
    lieu_row,
    lieu_to_dict,
    permit_facts,
    permit_from_dict,
    permit_to_dict,
    photo_from_dict,
    photo_to_dict,
    production_from_dict,
    production_to_dict,
    saved_id,
    search_text,
    tournage_from_dict,
    tournage_to_dict,
)
from scout.store.journal import JournalStorage, ScoutTinyDB
from scout.store.migrations import SCHEMA_VERSION, migrate
from scout.store.repository import LieuRow, TournageSave

LIEUX = "lieux"
PRODUCTIONS = "productions"
PERMITS = "permits"
PHOTOS = "photos"
BIN = "bin"  # deleted lieux, whole, until restored
TOURNAGES = "tournages"  # the City's past shoots: reference data, never lieux


class TinyDBRepository:
    """Lieux and productions in one TinyDB file.

    Opening takes an exclusive lock beside the file. If another process holds it,
    `on_locked="read-only"` opens a read-only view (the caller shows a notice);
    `on_locked="fail"` raises DatabaseLocked.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        on_locked: str = "fail",
        read_only: bool = False,
        create_folder: bool = True,
    ) -> None:
        # A link is followed once: the real file is locked, read and compacted, and the
        # link stays a link. Only regular files are opened.
        self.path = database_file(path, create_folder=create_folder)
        self.location = str(Path(path).expanduser())
        self._lock: FileLock | None = None
        self.locked_by_other = False
        if not read_only:
            lock = FileLock(str(self.path) + ".lock")
            try:
                lock.acquire(timeout=0)
                self._lock = lock
            except Timeout:
                if on_locked != "read-only":
                    raise DatabaseLocked(
                        _(
                            "{path} is open in another scout process; close it first "
                            "(nothing was changed)"
                        ).format(path=self.path)
                    ) from None
                self.locked_by_other = True
                read_only = True
            except OSError as e:
                raise StoreError(
                    _(
                        "cannot write beside {path} (for its lock file): {reason}; nothing "
                        "was changed"
                    ).format(path=self.path, reason=os_reason(e))
                ) from None
        self.read_only = read_only
        try:
            self._db = ScoutTinyDB(
                self.path,
                storage=JournalStorage,
                schema=SCHEMA_VERSION,
                read_only=read_only,
                migrate=migrate,
                header_extra={"app": f"scout {__version__}"},
            )
        except OSError as e:
            self._release()
            raise StoreError(
                _("cannot use {path}: {reason}; nothing was changed").format(
                    path=self.path, reason=os_reason(e)
                )
            ) from None
        except BaseException:
            self._release()
            raise
        self._storage: JournalStorage = self._db.storage  # type: ignore[assignment]
        # No query cache: the journal keeps documents in memory already.
        self._lieux = self._db.table(LIEUX, cache_size=0)
        self._productions = self._db.table(PRODUCTIONS, cache_size=0)
        self._permits = self._db.table(PERMITS, cache_size=0)
        self._photos = self._db.table(PHOTOS, cache_size=0)
        self._bin = self._db.table(BIN, cache_size=0)
        self._tournages = self._db.table(TOURNAGES, cache_size=0)
        try:
            self._check_documents()
        except BaseException:
            self._storage.abandon()
            self._release()
            raise

    def _check_documents(self) -> None:
        """A hand-edited file can hold documents scout never wrote: refuse it whole, with
        the document named, rather than fail later on one of them."""
        for key, doc in self._live(LIEUX).items():
            if not isinstance(doc.get("name"), str):
                raise CorruptDatabase(
                    _(
                        "{path} is damaged: location {id} has no name. The file was not touched."
                    ).format(path=self.path, id=key)
                )
        for key, doc in self._live(PERMITS).items():
            if not isinstance(doc.get("lieu_id"), int) or not isinstance(doc.get("type"), str):
                raise CorruptDatabase(
                    _(
                        "{path} is damaged: permit {id} has no location or no type. The file "
                        "was not touched."
                    ).format(path=self.path, id=key)
                )

        for key, doc in self._live(TOURNAGES).items():
            if not (
                isinstance(doc.get("source_id"), str) and isinstance(doc.get("lat"), (int, float))
            ):
                raise CorruptDatabase(
                    _(
                        "{path} is damaged: past shoot {id} cannot be read. The file was "
                        "not touched."
                    ).format(path=self.path, id=key)
                )

        for key, doc in self._live(BIN).items():
            if not (
                isinstance(doc.get("lieu_id"), int)
                and isinstance(doc.get("lieu"), dict)
                and isinstance(doc["lieu"].get("name"), str)
                and isinstance(doc.get("permits"), dict)
                and isinstance(doc.get("photos"), list)
            ):
                raise CorruptDatabase(
                    _(
                        "{path} is damaged: entry {id} of the bin cannot be read. The file "
                        "was not touched."
                    ).format(path=self.path, id=key)
                )

    @property
    def notices(self) -> list[str]:
        """Warnings about the file that do not stop anything (a torn tail set aside…);
        read once."""
        out = list(self._storage.notices)
        self._storage.notices.clear()
        return out

    # -- lieux ---------------------------------------------------------------------
    def add_lieu(self, lieu: Lieu) -> Lieu:
        doc_id = self._lieux.insert(lieu_to_dict(lieu))
        return lieu.with_changes(id=doc_id)

    def get_lieu(self, lieu_id: int) -> Lieu:
        doc = self._raw_lieu(lieu_id)
        return lieu_from_dict(doc, lieu_id)

    def update_lieu(self, lieu: Lieu) -> Lieu:
        lieu_id = saved_id(lieu)
        self._raw_lieu(lieu_id)
        from scout.store.tinydb_versions import save_versioned

        doc = save_versioned(self, "lieu", lieu_id, lieu_to_dict(lieu), lieu.version)
        return lieu_from_dict(doc, lieu_id)  # with its new version, merged if need be

    def update_lieux(self, lieux: Sequence[Lieu]) -> list[Lieu]:
        """`update_lieu` of each (each once), in one journal line: all or nothing."""
        from scout.store.tinydb_versions import save_many_versioned

        items = [(saved_id(x), lieu_to_dict(x), x.version) for x in lieux]
        docs = save_many_versioned(self, "lieu", items)
        return [lieu_from_dict(doc, i) for (i, _d, _v), doc in zip(items, docs, strict=True)]

    def delete_lieu(self, lieu_id: int) -> None:
        """The lieu and its permits, together."""
        self._raw_lieu(lieu_id)
        own = [int(k) for k, d in self._live(PERMITS).items() if d["lieu_id"] == lieu_id]
        pictures = [int(k) for k, d in self._live(PHOTOS).items() if d.get("lieu_id") == lieu_id]
        with self.transaction():
            if own:
                self._permits.remove(doc_ids=own)
            if pictures:  # the pictures stay known, back among those without a lieu
                self._photos.update(lambda doc: doc.pop("lieu_id", None), doc_ids=pictures)
            self._lieux.remove(doc_ids=[lieu_id])

    def bin_lieu(self, lieu_id: int, at: str) -> Binned:
        """Move the lieu, its permits and its pictures' links to the bin, together."""
        doc = self._raw_lieu(lieu_id)
        own = {k: d for k, d in self._live(PERMITS).items() if d["lieu_id"] == lieu_id}
        pictures = [int(k) for k, d in self._live(PHOTOS).items() if d.get("lieu_id") == lieu_id]
        entry = {
            "lieu_id": lieu_id,
            "lieu": doc,
            "permits": own,
            "photos": pictures,
            "deleted_at": at,
        }
        with self.transaction():
            self._bin.insert(entry)
            self.delete_lieu(lieu_id)
        return binned_from_dict(entry)

    def binned(self) -> list[Binned]:
        """The bin, latest deletion last."""
        return [binned_from_dict(d) for d in self._live(BIN).values()]

    def restore_lieu(self, lieu_id: int) -> Lieu:
        """Bring a lieu back whole, under its own id, from its latest deletion."""
        found = [(int(k), d) for k, d in self._live(BIN).items() if d["lieu_id"] == lieu_id]
        if not found:
            raise NotFound(
                _("location {id} is not in the bin (see `scout bin`)").format(id=lieu_id)
            )
        key, entry = max(found)
        with self.transaction():
            self._lieux.insert(Document(entry["lieu"], doc_id=lieu_id))
            for permit_id, permit in entry["permits"].items():
                self._permits.insert(Document(permit, doc_id=int(permit_id)))
            live_photos = self._live(PHOTOS)
            back = [
                p
                for p in entry["photos"]
                if str(p) in live_photos and live_photos[str(p)].get("lieu_id") is None
            ]
            if back:
                self._photos.update({"lieu_id": lieu_id}, doc_ids=back)
            self._bin.remove(doc_ids=[key])
        return self.get_lieu(lieu_id)

    def query_lieux(self, where: Callable[[Lieu], bool] | None = None) -> list[Lieu]:
        lieux = [lieu_from_dict(doc, int(k)) for k, doc in self._live(LIEUX).items()]
        return [lieu for lieu in lieux if where(lieu)] if where else lieux

    def count_lieux(self) -> int:
        return len(self._live(LIEUX))

    def lieu_rows(self, today_iso: str) -> list[LieuRow]:
        return [lieu_row(int(k), doc, today_iso) for k, doc in self._live(LIEUX).items()]

    def first_lieu_rows(self, n: int, today_iso: str, production_id: int | None) -> list[LieuRow]:
        from scout.store.documents import first_in_file_order

        docs = ((int(k), doc) for k, doc in self._live(LIEUX).items())
        first = first_in_file_order(docs, n, production_id)
        return [lieu_row(i, doc, today_iso) for i, doc in first]

    def search_texts(self) -> dict[int, str]:
        return {int(k): search_text(doc) for k, doc in self._live(LIEUX).items()}

    def search_text(self, lieu_id: int) -> str:
        return search_text(self._raw_lieu(lieu_id))

    def lieu_row(self, lieu_id: int, today_iso: str) -> LieuRow:
        return lieu_row(lieu_id, self._raw_lieu(lieu_id), today_iso)

    # -- productions -------------------------------------------------------------------
    def add_production(self, production: Production) -> Production:
        doc_id = self._productions.insert(production_to_dict(production))
        return Production(**{**_fields(production), "id": doc_id})

    def get_production(self, production_id: int) -> Production:
        doc = self._live(PRODUCTIONS).get(str(production_id))
        if doc is None:
            raise NotFound(_("no production with id {id}").format(id=production_id))
        return production_from_dict(doc, production_id)

    def list_productions(self) -> list[Production]:
        return [production_from_dict(d, int(k)) for k, d in self._live(PRODUCTIONS).items()]

    def update_production(self, production: Production) -> Production:
        if production.id is None or str(production.id) not in self._live(PRODUCTIONS):
            raise NotFound(_("no production with id {id}").format(id=production.id))
        _overwrite(self._productions, production.id, production_to_dict(production))
        return production

    def lieu_counts(self) -> dict[int | None, int]:
        counts: dict[int | None, int] = {}
        for doc in self._live(LIEUX).values():
            key = doc.get("production_id")
            counts[key] = counts.get(key, 0) + 1
        return counts

    # -- permits -------------------------------------------------------------------------
    def add_permit(self, permit: Permit) -> Permit:
        self._raw_lieu(permit.lieu_id)
        doc_id = self._permits.insert(permit_to_dict(permit))
        return replace(permit, id=doc_id)

    def get_permit(self, permit_id: int) -> Permit:
        return permit_from_dict(self._raw_permit(permit_id), permit_id)

    def update_permit(self, permit: Permit) -> Permit:
        permit_id = saved_id(permit)
        self._raw_permit(permit_id)
        from scout.store.tinydb_versions import save_versioned

        doc = save_versioned(self, "permit", permit_id, permit_to_dict(permit), permit.version)
        return permit_from_dict(doc, permit_id)  # with its new version, merged if need be

    def update_permits(self, permits: Sequence[Permit]) -> list[Permit]:
        """`update_permit` of each (each once), in one journal line: all or nothing."""
        from scout.store.tinydb_versions import save_many_versioned

        items = [(saved_id(p), permit_to_dict(p), p.version) for p in permits]
        docs = save_many_versioned(self, "permit", items)
        return [permit_from_dict(doc, i) for (i, _d, _v), doc in zip(items, docs, strict=True)]

    def delete_permit(self, permit_id: int) -> None:
        self._raw_permit(permit_id)
        self._permits.remove(doc_ids=[permit_id])

    def permits(self, lieu_id: int | None = None) -> list[Permit]:
        return [
            permit_from_dict(d, int(k))
            for k, d in self._live(PERMITS).items()
            if lieu_id is None or d["lieu_id"] == lieu_id
        ]

    def permit_facts(self, lieu_id: int | None = None) -> list[PermitFacts]:
        return [
            permit_facts(int(k), d)
            for k, d in self._live(PERMITS).items()
            if lieu_id is None or d["lieu_id"] == lieu_id
        ]

    def lieu_facts(self, caps: dict[str, int], lieu_id: int | None = None) -> dict[int, LieuFacts]:
        if lieu_id is not None:
            doc = self._live(LIEUX).get(str(lieu_id))
            return {lieu_id: lieu_facts(lieu_id, doc, caps)} if doc else {}
        return {int(k): lieu_facts(int(k), d, caps) for k, d in self._live(LIEUX).items()}

    def _raw_permit(self, permit_id: int) -> dict[str, Any]:
        doc: dict[str, Any] | None = self._live(PERMITS).get(str(permit_id))
        if doc is None:
            raise NotFound(_("no permit with id {id}").format(id=permit_id))
        return doc

    # -- photos --------------------------------------------------------------------------
    def add_photo(self, photo: Photo) -> Photo:
        return replace(photo, id=self._photos.insert(photo_to_dict(photo)))

    def update_photo(self, photo: Photo) -> Photo:
        if photo.id is None or str(photo.id) not in self._live(PHOTOS):
            raise NotFound(_("no picture with id {id}").format(id=photo.id))
        _overwrite(self._photos, photo.id, photo_to_dict(photo))
        return photo

    def photos(self, lieu_id: int | None = None, *, unassigned: bool = False) -> list[Photo]:
        out = []
        for k, d in self._live(PHOTOS).items():
            owner = d.get("lieu_id")
            if (unassigned and owner is None) or (
                not unassigned and (lieu_id is None or owner == lieu_id)
            ):
                out.append(photo_from_dict(d, int(k)))
        return out

    # -- the City's past shoots ----------------------------------------------------------
    def tournages(self) -> list[Tournage]:
        return [tournage_from_dict(d, int(k)) for k, d in self._live(TOURNAGES).items()]

    def count_tournages(self) -> int:
        return len(self._live(TOURNAGES))

    def save_tournages(self, items: Sequence[Tournage]) -> TournageSave:
        """Add the new ones and update the known ones (matched on the City's source id),
        all in one journal line: a re-import never duplicates a shoot."""
        live = self._live(TOURNAGES)
        known = {d["source_id"]: int(k) for k, d in live.items()}
        new: list[dict[str, Any]] = []
        updated = unchanged = 0
        with self.transaction():
            for item in items:
                doc = tournage_to_dict(item)
                doc_id = known.get(item.source_id)
                if doc_id is None:
                    new.append(doc)
                elif live[str(doc_id)] == doc:
                    unchanged += 1
                else:
                    _overwrite(self._tournages, doc_id, doc)
                    updated += 1
            if new:
                self._tournages.insert_multiple(new)
        return TournageSave(len(new), updated, unchanged)

    # -- the rest ------------------------------------------------------------------------
    def transaction(self) -> AbstractContextManager[None]:
        """Everything inside is saved as one journal line, or not at all."""
        return self._storage.transaction()

    @property
    def version(self) -> int:
        """Changes with every saved change: a cache of derived data checks it."""
        return self._storage.version

    def changed_since(self, version: int) -> set[tuple[str, int]] | None:
        """(table, id) of every record saved after `version`; None when not known."""
        keys = self._storage.changed_since(version)
        return None if keys is None else {(t, int(k)) for t, k in keys}

    @property
    def migrated_from(self) -> int | None:
        return self._storage.migrated_from

    def close(self) -> None:
        try:
            self._db.close()
        finally:
            self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _live(self, table: str) -> dict[str, Any]:
        return self._storage.read().get(table, {})

    def _raw_lieu(self, lieu_id: int) -> dict[str, Any]:
        doc: dict[str, Any] | None = self._live(LIEUX).get(str(lieu_id))
        if doc is None:
            raise NotFound(_("no location with id {id}").format(id=lieu_id))
        return doc

    def __enter__(self) -> TinyDBRepository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _overwrite(table: Any, doc_id: int, doc: dict[str, Any]) -> None:
    """Replace a stored document whole (TinyDB's update would only merge keys)."""

    def replace_doc(stored: dict[str, Any]) -> None:
        stored.clear()
        stored.update(doc)

    table.update(replace_doc, doc_ids=[doc_id])


def _fields(production: Production) -> dict[str, Any]:
    return {f: getattr(production, f) for f in production.__dataclass_fields__}


def database_file(path: str | os.PathLike[str], *, create_folder: bool) -> Path:
    """The real file behind `path` (links followed), checked before anything touches it:
    a regular file or nothing yet, in an existing folder. Refused with a clear message
    otherwise (a FIFO, a device, a folder, a file of /proc…); nothing is changed."""
    given = Path(path).expanduser()
    real = given.resolve() if given.is_symlink() else given.absolute()
    folder = real.parent
    if not folder.exists():
        if not create_folder:
            raise StoreError(
                _("the folder {folder} does not exist (for the database {path})").format(
                    folder=folder, path=given
                )
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(
                _("cannot create the folder {folder}: {reason}").format(
                    folder=folder, reason=os_reason(e)
                )
            ) from None
    elif not folder.is_dir():
        raise StoreError(
            _("{folder} is not a folder, so {path} cannot be a database there").format(
                folder=folder, path=given
            )
        )
    try:
        info = real.stat()
    except FileNotFoundError:
        return real
    except OSError as e:
        raise StoreError(
            _("cannot use {path}: {reason}").format(path=given, reason=os_reason(e))
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(
            _("{path} is a folder, not a database file; give a file name").format(path=given)
        )
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(
            _(
                "{path} is not a regular file (a pipe, a device…): scout keeps its data in a "
                "regular file only. Nothing was changed."
            ).format(path=given)
        )
    if info.st_size == 0 and str(real).startswith(("/proc/", "/sys/")):
        raise CorruptDatabase(
            _("{path} is not a scout database (a system file). It was not touched.").format(
                path=given
            )
        )
    return real


def open_store(
    path: str | os.PathLike[str],
    *,
    on_locked: str = "fail",
    read_only: bool = False,
    create_folder: bool = True,
) -> TinyDBRepository:
    return TinyDBRepository(
        path, on_locked=on_locked, read_only=read_only, create_folder=create_folder
    )
