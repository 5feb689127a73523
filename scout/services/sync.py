"""Field sync: a production checked out into a local file for a scout going offline, and
the file synced back later, both ways, field by field.

Coded against the Repository protocol on the team side (a file or a PostgreSQL server);
the checkout itself is always a local TinyDB file holding its sync record (see
scout.store.sync_record). What is decided per record is pure (scout.domain.sync).

Resuming: records are written to the other side in batches (SCOUT_SYNC_BATCH, 100), one
transaction each, the edits of a batch in one bulk save (`update_lieux` /
`update_permits`: on a server a few round trips for the batch, not three per record), and
the sync record is brought up to date in the local transaction that follows it. A sync
cut short between the two finds, next time, a record both sides changed the same way
(merged without a conflict) or, for a new record, the push it had journaled
(`sync_pending`), which it looks for on the team side by the record's fingerprint before
pushing it again. Running sync twice changes nothing.

Test hook: SCOUT_TEST_SYNC_STOP_AFTER=N ends the process (os._exit(75)) right after the
N-th record is written to either side, before the sync record notes it: the worst moment
to be cut off. Tests use it to prove a sync resumes; nobody else should set it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scout.clock import Clock
from scout.domain.merge import Conflict
from scout.domain.sync import (
    DELETED,
    FORMAT,
    FORMAT_VERSION,
    KINDS,
    Fate,
    Merged,
    SyncConflict,
    changed,
    fate,
    fields_of,
    fingerprint,
    last_author,
    merge_record,
    safe_location,
    same_database,
    translate,
)
from scout.errors import EditConflict, NotFound, ScoutError, StoreError
from scout.i18n import _
from scout.store.documents import (
    lieu_from_dict,
    lieu_to_dict,
    permit_from_dict,
    permit_to_dict,
    photo_from_dict,
    photo_to_dict,
    production_to_dict,
)
from scout.store.repository import Repository
from scout.store.sync_record import SyncRecord
from scout.store.tinydb_store import TinyDBRepository
from scout.store.tinydb_store import open_store as open_file

STOP_AFTER = "SCOUT_TEST_SYNC_STOP_AFTER"  # test hook, see the module's docstring
BATCH = "SCOUT_SYNC_BATCH"  # records per transaction (tests set 1 to cut after each)
BATCH_SIZE = 100
Docs = dict[int, dict[str, Any]]


class SyncError(ScoutError):
    """A checkout or a sync that cannot run (a bad file, the wrong database): nothing was
    changed on either side."""


@dataclass
class CheckoutReport:
    path: str
    production: str
    source: str
    lieux: int = 0
    permits: int = 0
    photos: int = 0
    already: bool = False  # the file was this checkout already: nothing done


@dataclass
class SyncReport:
    path: str
    production: str
    source: str
    pushed: int = 0
    pulled: int = 0
    conflicts: list[SyncConflict] = field(default_factory=list)  # found by this sync
    waiting: int = 0  # conflicts in the file waiting for a decision, these included
    new_ids: list[tuple[str, int, int]] = field(default_factory=list)  # (kind, local, team)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "production": self.production,
            "source": self.source,
            "pushed": self.pushed,
            "pulled": self.pulled,
            "conflicts": [c.to_dict() for c in self.conflicts],
            "conflicts_waiting": self.waiting,
            "new_ids": [{"kind": k, "local": lo, "team": t} for k, lo, t in self.new_ids],
        }


def where(store: Repository) -> str:
    """A store's location to write down and compare: a file's absolute path, a URL
    without its password."""
    location = safe_location(store.location)
    if "://" in location:
        return location
    return str(Path(location).expanduser().resolve())


# -- reading a checkout without changing it ------------------------------------------------
def checkout_header(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The sync record's header of a checkout file (SyncError if it is none)."""
    if not str(path).strip():
        raise SyncError(_("no file named: give the file `scout checkout` made"))
    target = Path(path).expanduser()
    if target.is_dir():
        raise SyncError(
            _("{path} is a folder: give the file `scout checkout` made").format(path=target)
        )
    if target.exists() and not target.is_file():
        raise SyncError(
            _("{path} is not a file (a device?): give the file `scout checkout` made").format(
                path=target
            )
        )
    if not target.is_file():
        raise SyncError(
            _("{path} does not exist: give the file `scout checkout` made").format(path=target)
        )
    with open_file(target, read_only=True) as store:
        header = SyncRecord(store).header()
    if header is None or header.get("format") != FORMAT:
        raise SyncError(
            _(
                "{path} is a scout database but not a checkout (made by `scout checkout`): "
                "nothing was changed"
            ).format(path=target)
        )
    return header


def sync_conflicts(store: Repository) -> list[SyncConflict]:
    """The fields of a checkout waiting for a decision (none for any other database)."""
    if not isinstance(store, TinyDBRepository):
        return []
    return [SyncConflict.from_dict(d) for _key, d in SyncRecord(store).conflicts()]


def resolve_conflict(store: Repository, conflict: SyncConflict) -> None:
    """The conflict decided (whatever was chosen has been saved by the caller): it leaves
    the list; the next sync pushes the value the record has then."""
    if not isinstance(store, TinyDBRepository):
        return
    record = SyncRecord(store)
    with store.transaction():
        for key, doc in record.conflicts():
            if SyncConflict.from_dict(doc) == conflict:
                record.drop_conflict(key)


# -- checkout -----------------------------------------------------------------------------
def checkout(
    team: Repository, production_id: int, path: str | os.PathLike[str], clock: Clock, by: str
) -> CheckoutReport:
    """Copy a production (itself, its lieux, permits and pictures' records) into a new
    local file with its sync record. Written beside the target, renamed over it at the
    end: the file is whole or not there. An existing file is refused unless it is this
    very checkout (then nothing is done)."""
    production = team.get_production(production_id)
    source = where(team)
    if not str(path).strip():
        raise SyncError(_("no file named: give a new file name with --to"))
    target = Path(path).expanduser()
    report = CheckoutReport(str(target), production.name, source)
    if target.exists():
        try:
            header = checkout_header(target)
        except (SyncError, StoreError):
            header = None
        if (
            header is not None
            and same_database(header["source"]["location"], source)
            and header["production"]["team_id"] == production_id
        ):
            report.already = True
            return report
        raise SyncError(
            _(
                "{path} exists and is not a checkout of this production: give a new file "
                "name (nothing was changed)"
            ).format(path=target)
        )
    if not target.parent.is_dir():
        raise SyncError(_("the folder {folder} does not exist").format(folder=target.parent))
    lieux = {
        lieu.id: lieu_to_dict(lieu)
        for lieu in team.query_lieux(lambda x: x.production_id == production_id)
        if lieu.id is not None
    }
    permits = {p.id: permit_to_dict(p) for p in team.permits() if p.lieu_id in lieux and p.id}
    photos = {p.id: photo_to_dict(p) for p in team.photos() if p.lieu_id in lieux and p.id}
    part = target.with_name(f".{target.name}.checkout")
    for leftover in (part, part.with_name(part.name + ".lock")):
        leftover.unlink(missing_ok=True)
    local = open_file(part)
    try:
        record = SyncRecord(local)
        with local.transaction():
            mine = local.add_production(replace(production, id=None))
            assert mine.id is not None
            ids: dict[str, dict[int, int]] = {"production": {production_id: mine.id}, "lieu": {}}
            for kind, docs in (("lieu", lieux), ("permit", permits), ("photo", photos)):
                for team_id, doc in docs.items():
                    here = translate(kind, doc, ids)
                    assert here is not None
                    local_id = _add(local, kind, here)
                    if kind == "lieu":
                        ids["lieu"][team_id] = local_id
                    record.set_record(kind, local_id, team_id, doc)
            record.write_header(
                {
                    "format": FORMAT,
                    "version": FORMAT_VERSION,
                    "source": {"location": source},
                    "production": {
                        "team_id": production_id,
                        "local_id": mine.id,
                        "name": production.name,
                        "created_at": production.created_at,
                        "base": production_to_dict(production),
                    },
                    "checked_out_at": clock.stamp(),
                    "synced_at": clock.stamp(),
                    "by": by,
                }
            )
    except BaseException:
        local.close()
        part.unlink(missing_ok=True)
        raise
    finally:
        part.with_name(part.name + ".lock").unlink(missing_ok=True)
    local.close()
    os.replace(part, target)
    part.with_name(part.name + ".lock").unlink(missing_ok=True)
    report.lieux, report.permits, report.photos = len(lieux), len(permits), len(photos)
    return report


# -- sync ---------------------------------------------------------------------------------
def sync(team: Repository, local: TinyDBRepository, clock: Clock, by: str) -> SyncReport:
    """Push this file's changes to the team and pull the team's, record by record."""
    return _Sync(team, local, clock, by).run()


def check_pair(team: Repository, local: TinyDBRepository) -> dict[str, Any]:
    """The checkout's header, once it is known that `team` is its database and may be
    written (SyncError otherwise: nothing is changed)."""
    record = SyncRecord(local)
    header = record.header()
    if header is None or header.get("format") != FORMAT:
        raise SyncError(
            _(
                "{path} is a scout database but not a checkout (made by `scout checkout`): "
                "nothing was changed"
            ).format(path=local.location)
        )
    recorded = str(header["source"]["location"])
    here = where(team)
    production = header["production"]
    if not same_database(recorded, here):
        raise SyncError(
            _(
                "{path} was checked out from {recorded}, not from {team}: sync it with its "
                "own team database (nothing was changed)"
            ).format(path=local.location, recorded=recorded, team=here)
        )
    try:
        theirs = team.get_production(int(production["team_id"]))
    except NotFound:
        theirs = None
    if theirs is None or theirs.created_at != production.get("created_at"):
        raise SyncError(
            _(
                "{team} has no production « {name} » as {path} knew it: the file comes from "
                "another team database (nothing was changed)"
            ).format(team=here, name=production.get("name", ""), path=local.location)
        )
    if team.read_only:
        raise SyncError(
            _(
                "you can only read {team} (a read-only role or another process writing): "
                "nothing was changed on either side"
            ).format(team=here)
        )
    if local.read_only:
        raise SyncError(
            _("{path} is open read-only: nothing was changed").format(path=local.location)
        )
    return header


@dataclass(frozen=True)
class _Push:
    """An edit of a known record waiting to be saved to the team with its batch."""

    kind: str
    local_id: int
    team_id: int
    base: dict[str, Any]
    mine: dict[str, Any]
    theirs: dict[str, Any]
    merged: Merged


class _Sync:
    def __init__(self, team: Repository, local: TinyDBRepository, clock: Clock, by: str) -> None:
        self.team, self.local, self.clock, self.by = team, local, clock, by
        self.record = SyncRecord(local)
        self.header = check_pair(team, local)
        production = self.header["production"]
        self.team_pid, self.local_pid = int(production["team_id"]), int(production["local_id"])
        self.report = SyncReport(
            local.location, str(production.get("name", "")), self.header["source"]["location"]
        )
        # local id -> team id and back, per kind of linked record
        self.to_team: dict[str, dict[int, int]] = {"production": {self.local_pid: self.team_pid}}
        self.to_local: dict[str, dict[int, int]] = {"production": {self.team_pid: self.local_pid}}
        batch = os.environ.get(BATCH, "")
        self.batch = int(batch) if batch.isdigit() and int(batch) > 0 else BATCH_SIZE
        stop = os.environ.get(STOP_AFTER, "")
        self.stop_after = int(stop) if stop.isdigit() else None
        self.written = 0
        self.queue: list[_Push] | None = None  # edits for the team, saved at the batch's end
        self.read_here: dict[tuple[str, int], dict[str, Any]] = {}
        self.now = clock.stamp()

    # -- the run ---------------------------------------------------------------------------
    def run(self) -> SyncReport:
        lieux_team = {
            lieu.id: lieu_to_dict(lieu)
            for lieu in self.team.query_lieux(lambda x: x.production_id == self.team_pid)
            if lieu.id is not None
        }
        lieux_local = {
            lieu.id: lieu_to_dict(lieu)
            for lieu in self.local.query_lieux(lambda x: x.production_id == self.local_pid)
            if lieu.id is not None
        }
        self._kind("lieu", lieux_local, lieux_team)
        team_lieux = set(self.to_local.get("lieu", {})) | set(lieux_team)
        local_lieux = set(self.to_team.get("lieu", {})) | set(lieux_local)
        permits_team = {p.id: permit_to_dict(p) for p in self.team.permits() if p.id}
        permits_local = {p.id: permit_to_dict(p) for p in self.local.permits() if p.id}
        self._kind(
            "permit",
            {k: d for k, d in permits_local.items() if d["lieu_id"] in local_lieux},
            {k: d for k, d in permits_team.items() if d["lieu_id"] in team_lieux},
        )
        photos_team = {p.id: photo_to_dict(p) for p in self.team.photos() if p.id}
        photos_local = {p.id: photo_to_dict(p) for p in self.local.photos() if p.id}
        mapped = self.record.records("photo")
        mapped_team = {team for team, _base in mapped.values()}
        self._kind(
            "photo",
            {
                k: d
                for k, d in photos_local.items()
                if k in mapped or d.get("lieu_id") in local_lieux
            },
            {
                k: d
                for k, d in photos_team.items()
                if k in mapped_team or d.get("lieu_id") in team_lieux
            },
        )
        with self.local.transaction():
            header = dict(self.header)
            header["synced_at"] = self.now
            if header != self.header and (self.report.pushed or self.report.pulled):
                self.record.write_header(header)
        self.report.waiting = len(self.record.conflicts())
        return self.report

    def _kind(self, kind: str, local_docs: Docs, team_docs: Docs) -> None:
        mapped = self.record.records(kind)
        # as read at the start: a record written since is read again (popped when used)
        self.read_here = {(kind, i): d for i, d in local_docs.items()}
        to_team = self.to_team.setdefault(kind, {})
        to_local = self.to_local.setdefault(kind, {})
        for local_id, (team_id, _base) in mapped.items():
            to_team[local_id], to_local[team_id] = team_id, local_id
        known = list(mapped.items())
        for start in range(0, len(known), self.batch):
            with self._batch():
                for local_id, (team_id, base) in known[start : start + self.batch]:
                    raw = local_docs.get(local_id)
                    mine = translate(kind, raw, self.to_team) if raw is not None else None
                    if raw is not None and mine is None:
                        continue  # linked to a record the team does not know: left as it is
                    self._known(kind, local_id, team_id, base, mine, team_docs.get(team_id))
        new_here: list[tuple[int, dict[str, Any]]] = []
        for local_id, raw in local_docs.items():
            mine = translate(kind, raw, self.to_team) if local_id not in mapped else None
            if mine is not None:
                new_here.append((local_id, mine))
        pending = {(p["kind"], p["local"]) for p in self.record.pending()}
        for start in range(0, len(new_here), self.batch):
            chunk = new_here[start : start + self.batch]
            with self.local.transaction():  # journaled before the team sees any of them
                self.record.set_pending(
                    [
                        {"kind": kind, "local": i, "fingerprint": list(fingerprint(kind, d))}
                        for i, d in chunk
                    ]
                )
            with self._batch():
                for local_id, mine in chunk:
                    resumed = (kind, local_id) in pending
                    self._new_here(kind, local_id, mine, team_docs, resumed)
                self.record.set_pending([])
        seen = {team_id for team_id, _base in mapped.values()}
        new_there = [
            (team_id, theirs)
            for team_id, theirs in team_docs.items()
            if team_id not in to_local and team_id not in seen
        ]
        for start in range(0, len(new_there), self.batch):
            with self._batch():
                for team_id, theirs in new_there[start : start + self.batch]:
                    self._new_there(kind, team_id, theirs)

    @contextmanager
    def _batch(self) -> Iterator[None]:
        """Records written together: the team's side first, in one transaction, then
        this file's (their new bases, ids, conflicts) in one transaction. Cut off between
        the two, the next sync finds the team already holding what it would push. The
        edits pushed to the team wait in `queue` and go in one bulk save at the end of
        the batch (update_lieux / update_permits: a few round trips, not 3 per record)."""
        with self.local.transaction():
            self.queue = []
            try:
                with self.team.transaction():
                    yield
                    pushed = self._push_queued()
            finally:
                self.queue = None
            for push, stored in pushed:
                self._pushed(push, stored)
            if self.stop_after is not None and self.written >= self.stop_after:
                os._exit(75)  # the test hook: the team's side saved, this file's not yet

    def _push_queued(self) -> list[tuple[_Push, dict[str, Any]]]:
        """The queued edits saved to the team, each kind in one bulk save; (the edit, the
        team's record as stored) each. A colleague saved one of them this very second
        (EditConflict: the bulk saved nothing): each is then saved on its own, merged
        again."""
        queue, self.queue = self.queue or [], None  # from here on, edits are saved at once
        done: list[tuple[_Push, dict[str, Any]]] = []
        for kind in ("lieu", "permit"):
            pushes = [p for p in queue if p.kind == kind]
            if not pushes:
                continue
            docs = [self._stamped(p.merged.doc, p.theirs) for p in pushes]
            try:
                if kind == "lieu":
                    stored = [
                        lieu_to_dict(x)
                        for x in self.team.update_lieux(
                            [
                                lieu_from_dict(d, p.team_id)
                                for d, p in zip(docs, pushes, strict=True)
                            ]
                        )
                    ]
                else:
                    stored = [
                        permit_to_dict(x)
                        for x in self.team.update_permits(
                            [
                                permit_from_dict(d, p.team_id)
                                for d, p in zip(docs, pushes, strict=True)
                            ]
                        )
                    ]
            except EditConflict:
                for p in pushes:
                    self._merge(p.kind, p.local_id, p.team_id, p.base, p.mine, p.theirs)
                continue
            for p, theirs in zip(pushes, stored, strict=True):
                self.report.pushed += 1
                self._written()
                done.append((p, theirs))
        return done

    def _pushed(self, push: _Push, theirs: dict[str, Any]) -> None:
        """This side after its edit reached the team: the conflicts kept, the team's
        record taken (in the batch's local transaction)."""
        with self.local.transaction():
            for c in push.merged.conflicts:
                self._conflict(push.kind, push.local_id, push.team_id, c, push.mine, theirs)
            self._take_here(push.kind, push.local_id, push.team_id, theirs, push.mine)

    # -- a record both sides knew ------------------------------------------------------------
    def _known(
        self,
        kind: str,
        local_id: int,
        team_id: int,
        base: dict[str, Any],
        mine: dict[str, Any] | None,
        theirs: dict[str, Any] | None,
    ) -> None:
        what = fate(base, mine, theirs)
        if what is Fate.NOTHING:
            return
        if what is Fate.FORGET:
            with self.local.transaction():
                self.record.drop_record(kind, local_id)
            self._forget(kind, local_id, team_id)
            return
        if what is Fate.PULL:
            assert theirs is not None
            self._pull(kind, local_id, team_id, theirs)
            return
        if what is Fate.PULL_DELETE:
            with self.local.transaction():
                self._delete(self.local, kind, local_id)
                self.record.drop_record(kind, local_id)
            self._forget(kind, local_id, team_id)
            self.report.pulled += 1
            self._written()
            return
        if what is Fate.PUSH_DELETE:
            self._delete(self.team, kind, team_id)
            self.report.pushed += 1
            self._written()
            with self.local.transaction():
                self.record.drop_record(kind, local_id)
            self._forget(kind, local_id, team_id)
            return
        if what is Fate.KEEP_TEAM:  # deleted here, changed by the team: it comes back
            assert theirs is not None
            self._bring_back_here(kind, local_id, team_id, base, theirs)
            return
        if what is Fate.KEEP_MINE:  # deleted by the team, changed here: it goes back
            assert mine is not None
            self._bring_back_there(kind, local_id, team_id, base, mine)
            return
        assert mine is not None and theirs is not None
        self._merge(kind, local_id, team_id, base, mine, theirs)

    def _merge(
        self,
        kind: str,
        local_id: int,
        team_id: int,
        base: dict[str, Any],
        mine: dict[str, Any],
        theirs: dict[str, Any],
    ) -> None:
        """Both changed, or this side only: the team takes what is new here, field by
        field; on a field both changed the team's value stays; then this side takes the
        team's record, and the sync record its base."""
        merged = merge_record(kind, base, mine, theirs, at=self.now, by=self.by)
        if self.queue is not None and kind in ("lieu", "permit") and changed(theirs, merged.doc):
            self.queue.append(_Push(kind, local_id, team_id, base, mine, theirs, merged))
            return  # saved with the rest of the batch (_push_queued)
        for attempt in range(3):
            if not changed(theirs, merged.doc):
                break
            try:
                theirs = self._write(self.team, kind, team_id, merged.doc, theirs)
                self.report.pushed += 1
                self._written()
                break
            except EditConflict:  # a colleague saved it this very second: merge again
                if attempt == 2:
                    raise
                theirs = _read(self.team, kind, team_id)
                merged = merge_record(kind, base, mine, theirs, at=self.now, by=self.by)
        with self.local.transaction():
            for c in merged.conflicts:
                self._conflict(kind, local_id, team_id, c, mine, theirs)
            self._take_here(kind, local_id, team_id, theirs, mine)

    def _pull(self, kind: str, local_id: int, team_id: int, theirs: dict[str, Any]) -> None:
        with self.local.transaction():
            self._take_here(kind, local_id, team_id, theirs, None)
        self.report.pulled += 1
        self._written()

    def _take_here(
        self,
        kind: str,
        local_id: int,
        team_id: int,
        theirs: dict[str, Any],
        mine: dict[str, Any] | None,
    ) -> None:
        """This side takes the team's record (in the caller's transaction)."""
        here = translate(kind, theirs, self.to_local)
        if here is None:  # moved to a lieu or production this file does not hold
            self._delete(self.local, kind, local_id)
            self.record.drop_record(kind, local_id)
            return
        current = self.read_here.pop((kind, local_id), None) or _read(self.local, kind, local_id)
        if changed(current, here) or fields_of(current) != fields_of(here):
            self._write(self.local, kind, local_id, here, current)
            if mine is not None and fields_of(mine) != fields_of(theirs):
                self.report.pulled += 1
        self.record.set_record(kind, local_id, team_id, theirs)

    # -- new records ----------------------------------------------------------------------------
    def _new_here(
        self, kind: str, local_id: int, mine: dict[str, Any], team_docs: Docs, resumed: bool
    ) -> None:
        """A record made here: pushed as a new team record (found there instead when a
        sync cut short had pushed it already)."""
        team_id = self._pushed_before(kind, mine, team_docs) if resumed else None
        if team_id is None:
            team_id = _add(self.team, kind, mine)
            self.report.pushed += 1
            self.report.new_ids.append((kind, local_id, team_id))
            self._written()
        theirs = _read(self.team, kind, team_id)
        team_docs[team_id] = theirs
        self._map(kind, local_id, team_id)
        with self.local.transaction():
            current = _read(self.local, kind, local_id)
            here = translate(kind, theirs, self.to_local)
            if here is not None and changed(current, here):
                self._write(self.local, kind, local_id, here, current)
            self.record.set_record(kind, local_id, team_id, theirs)

    def _pushed_before(self, kind: str, mine: dict[str, Any], team_docs: Docs) -> int | None:
        known = set(self.to_local.get(kind, {}))
        wanted = fingerprint(kind, mine)
        for team_id, doc in team_docs.items():
            if team_id not in known and fingerprint(kind, doc) == wanted:
                return team_id
        return None

    def _new_there(self, kind: str, team_id: int, theirs: dict[str, Any]) -> None:
        here = translate(kind, theirs, self.to_local)
        if here is None:
            return
        with self.local.transaction():
            local_id = _add(self.local, kind, here)
            self.record.set_record(kind, local_id, team_id, theirs)
        self._map(kind, local_id, team_id)
        self.report.pulled += 1
        self._written()

    # -- a record deleted on one side, changed on the other ---------------------------------------
    def _bring_back_here(
        self, kind: str, local_id: int, team_id: int, base: dict[str, Any], theirs: dict[str, Any]
    ) -> None:
        here = translate(kind, theirs, self.to_local)
        with self.local.transaction():
            gone = Conflict(DELETED, _label(kind, base), None, _label(kind, theirs))
            self._conflict(kind, local_id, team_id, gone, None, theirs)
            self.record.drop_record(kind, local_id)
            self._forget(kind, local_id, team_id)
            if here is None:
                return
            back = _restore(self.local, kind, local_id)
            if back is None:
                back = _add(self.local, kind, here)
            else:
                self._write(self.local, kind, back, here, _read(self.local, kind, back))
            self.record.set_record(kind, back, team_id, theirs)
        self._map(kind, back, team_id)
        self.report.pulled += 1
        self._written()

    def _bring_back_there(
        self, kind: str, local_id: int, team_id: int, base: dict[str, Any], mine: dict[str, Any]
    ) -> None:
        back = _restore(self.team, kind, team_id)
        if back is None:
            back = _add(self.team, kind, mine)
            self.report.new_ids.append((kind, local_id, back))
        theirs = _read(self.team, kind, back)
        self.report.pushed += 1
        self._written()
        with self.local.transaction():
            gone = Conflict(DELETED, _label(kind, base), _label(kind, mine), None)
            self._conflict(kind, local_id, back, gone, mine, theirs)
            self._forget(kind, local_id, team_id)
            self._map(kind, local_id, back)
            self.record.set_record(kind, local_id, back, base if back == team_id else theirs)
        if back == team_id:  # restored as it was deleted: now my changes over it
            self._merge(kind, local_id, back, base, mine, theirs)

    # -- bookkeeping ------------------------------------------------------------------------
    def _conflict(
        self,
        kind: str,
        local_id: int,
        team_id: int,
        c: Conflict,
        mine: dict[str, Any] | None,
        theirs: dict[str, Any],
    ) -> None:
        """A field changed on both sides (or a record deleted on one side and changed on
        the other: its field is DELETED), listed in the report and kept in the file (in
        the caller's transaction)."""
        conflict = SyncConflict(
            kind=kind,
            local_id=local_id,
            team_id=team_id,
            name=self._name(kind, theirs),
            field=c.field,
            local=c.mine,
            team=c.theirs,
            base=c.base,
            local_by=(last_author(mine, c.field) if mine else "") or self.by,
            team_by=last_author(theirs, c.field),
            at=self.now,
        )
        self.record.add_conflict(conflict.to_dict())
        self.report.conflicts.append(conflict)

    def _name(self, kind: str, doc: dict[str, Any]) -> str:
        if kind == "lieu":
            return str(doc.get("name", ""))
        lieu_id = doc.get("lieu_id")
        if lieu_id is None:
            return str(doc.get("path", ""))
        try:
            return self.team.get_lieu(int(lieu_id)).name
        except NotFound:
            return ""

    def _map(self, kind: str, local_id: int, team_id: int) -> None:
        self.to_team.setdefault(kind, {})[local_id] = team_id
        self.to_local.setdefault(kind, {})[team_id] = local_id

    def _forget(self, kind: str, local_id: int, team_id: int) -> None:
        self.to_team.get(kind, {}).pop(local_id, None)
        self.to_local.get(kind, {}).pop(team_id, None)

    def _write(
        self,
        store: Repository,
        kind: str,
        record_id: int,
        doc: dict[str, Any],
        current: dict[str, Any],
    ) -> dict[str, Any]:
        """Save `doc` over a record as read in `current` (its version: each store counts
        its own); the stored document back."""
        doc = self._stamped(doc, current)
        if kind == "lieu":  # the stores give back what they stored (its new version)
            return lieu_to_dict(store.update_lieu(lieu_from_dict(doc, record_id)))
        if kind == "permit":
            return permit_to_dict(store.update_permit(permit_from_dict(doc, record_id)))
        return photo_to_dict(store.update_photo(photo_from_dict(doc, record_id)))

    def _stamped(self, doc: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
        """`doc` to save over `current`: this sync's time, read at `current`'s version."""
        doc = {**doc, "updated_at": self.now}
        if "version" in current or "version" in doc:
            doc["version"] = current.get("version", 0)
        return doc

    def _delete(self, store: Repository, kind: str, record_id: int) -> None:
        try:
            if kind == "lieu":
                store.bin_lieu(record_id, self.now)
            elif kind == "permit":
                store.delete_permit(record_id)
            # a picture is never deleted: it loses its lieu with it
        except NotFound:
            pass  # gone already (its lieu went to the bin with it)

    def _written(self) -> None:
        """One more record written (the test hook stops at the end of its batch)."""
        self.written += 1


# -- the stores, per kind of record -----------------------------------------------------------
_Reader = Callable[[Repository, int], dict[str, Any]]
_READERS: dict[str, _Reader] = {
    "lieu": lambda store, i: lieu_to_dict(store.get_lieu(i)),
    "permit": lambda store, i: permit_to_dict(store.get_permit(i)),
    "photo": lambda store, i: _photo(store, i),
}


def _photo(store: Repository, photo_id: int) -> dict[str, Any]:
    for photo in store.photos():
        if photo.id == photo_id:
            return photo_to_dict(photo)
    raise NotFound(_("no picture with id {id}").format(id=photo_id))


def _read(store: Repository, kind: str, record_id: int) -> dict[str, Any]:
    return _READERS[kind](store, record_id)


def _add(store: Repository, kind: str, doc: dict[str, Any]) -> int:
    """A new record from a document (its version starts again in this store)."""
    doc = {k: v for k, v in doc.items() if k != "version"}
    if kind == "lieu":
        new_id = store.add_lieu(lieu_from_dict(doc)).id
    elif kind == "permit":
        new_id = store.add_permit(permit_from_dict(doc)).id
    else:
        new_id = store.add_photo(photo_from_dict(doc)).id
    assert new_id is not None
    return new_id


def _restore(store: Repository, kind: str, record_id: int) -> int | None:
    """A deleted lieu back from the bin under its id (None if it is not there)."""
    if kind != "lieu":
        return None
    try:
        restored = store.restore_lieu(record_id)
    except NotFound:
        return None
    return restored.id


def _label(kind: str, doc: dict[str, Any]) -> str:
    return str(doc.get("name") or doc.get("type") or doc.get("path") or kind)


__all__ = [
    "KINDS",
    "CheckoutReport",
    "SyncError",
    "SyncReport",
    "check_pair",
    "checkout",
    "checkout_header",
    "resolve_conflict",
    "sync",
    "sync_conflicts",
]
