"""Productions: which one a person works on, and what they do with them (create, rename,
archive, copy or move a lieu from one to another), shared by the CLI and the TUI.

Every lieu belongs to a production; the lists, the exports and the TUI show the current
one. The current production is, in this order: the one named for this run
(`--production NAME|ID` or `$SCOUT_PRODUCTION`, through `choose`), the one the person
last switched to (their state file, `scout.state.UserState`), else the only open one,
else the open one made last, which is then remembered as theirs (an archived production is
current only when chosen by name; archiving the current one lets an open one take its
place).

Decisions, said here once:
- names are unique without regard to case, accents or spaces (« Les Misérables » and
  « les miserables » are the same production);
- archiving hides a production from the switcher and from `scout production list`
  (unless asked); its lieux stay, readable, and can be edited if it is chosen by name;
  nothing is copied or moved into an archived production;
- copying a lieu copies its fiche, not its permits (they are the other production's to
  file) nor its pictures (a picture is one record, known by its content, that belongs to
  one lieu); moving a lieu takes its permits and its pictures with it;
- one lieu is retained (★) per décor of a production: a lieu copied or moved into a
  production whose décor has a retained lieu already arrives not retained, and the
  result says so.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from scout.domain import Change, Lieu, Production
from scout.domain.values import check_text
from scout.errors import NotFound, ScoutError, ValidationError
from scout.i18n import _
from scout.services.lieux import Service, serialised

MAX_PRODUCTION_NAME = 200  # characters: a name, shown in every header and list

if TYPE_CHECKING:
    from scout.services.workspace import Workspace
    from scout.state import UserState

DEFAULT_NAME = "Production"  # the same word in French and in English: data, not a message


class ProductionError(ScoutError):
    """A production cannot be made or changed as asked (an empty or taken name, an
    archived target); nothing was changed."""


@dataclass(frozen=True)
class Copied:
    """What copying a lieu made: the new lieu in the target production."""

    source: Lieu
    lieu: Lieu
    target: Production
    unretained: bool  # the source was retained; the copy is not (the décor has its ★ there)
    permits_left: int  # permits of the source, not copied


@dataclass(frozen=True)
class Moved:
    """What moving a lieu did: the lieu, now in the target production."""

    lieu: Lieu
    origin: Production | None
    target: Production
    unretained: bool  # it was retained; the décor has its ★ there already
    permits: int  # permits that went with it
    photos: int  # pictures that went with it


def name_key(name: str) -> str:
    """How two names are compared: no case, no accents, single spaces (letters of every
    alphabet kept, unlike the list's filter which keeps ASCII only)."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


class ProductionService(Service):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self._chosen: int | None = None  # named for this run, or switched to
        self._state: UserState | None = None
        self._counts: tuple[int, dict[int | None, int]] | None = None

    # -- reading ---------------------------------------------------------------------
    @serialised
    def list(self, *, archived: bool = False) -> list[Production]:
        """The open productions by name; with `archived`, the archived ones after them."""
        out = [p for p in self.store.list_productions() if archived or not p.archived]
        return sorted(out, key=lambda p: (p.archived, name_key(p.name), p.id or 0))

    @serialised
    def get(self, production_id: int) -> Production:
        return self.store.get_production(production_id)

    @serialised
    def find(self, spec: str) -> Production:
        """A production by its id or its name (case and accents aside)."""
        text = spec.strip()
        if not text:
            raise ProductionError(_("the production's name is empty"))
        productions = self.store.list_productions()
        if text.isdigit():
            for p in productions:
                if p.id == int(text):
                    return p
        key = name_key(text)
        for p in productions:
            if name_key(p.name) == key:
                return p
        raise NotFound(_("no production «{name}» (see `scout production list`)").format(name=text))

    @serialised
    def counts(self) -> dict[int | None, int]:
        """How many lieux each production holds (read again only after a change)."""
        version = self.store.version
        if self._counts is None or self._counts[0] != version:
            self._counts = (version, self.store.lieu_counts())
        return self._counts[1]

    @property
    def state(self) -> UserState:
        """The person's own state for this database (read once)."""
        if self._state is None:
            from scout.state import UserState

            self._state = UserState.load(self.ws.location)
        return self._state

    @serialised
    def current_id(self) -> int | None:
        """The production the lists show (see the module's docstring); None only while
        the database has no production at all."""
        if self._chosen is not None:
            return self._chosen
        productions = self.store.list_productions()
        remembered = self.state.production
        found = next((p for p in productions if p.id == remembered), None)
        if found is None:
            open_ones = [p for p in productions if not p.archived] or productions
            found = max(open_ones, key=lambda p: p.id or 0, default=None)
            if found is not None and not found.archived:
                # remembered as the person's: a production made later does not take its
                # place behind their back
                self.state.production = found.id
                self.state.save()
        if found is not None:
            self._chosen = found.id
        return self._chosen

    @serialised
    def current(self) -> Production | None:
        current = self.current_id()
        return self.store.get_production(current) if current is not None else None

    # -- choosing --------------------------------------------------------------------
    @serialised
    def choose(self, spec: str) -> Production:
        """The production of this run, by name or id (`--production`): not remembered."""
        production = self.find(spec)
        self._chosen = production.id
        return production

    @serialised
    def switch(self, production_id: int) -> Production:
        """Work on this production from now on, and next time (the person's state file;
        a state file that cannot be written is no reason to refuse)."""
        production = self.store.get_production(production_id)
        self._chosen = production.id
        self.state.production = production.id
        self.state.save()
        return production

    @serialised
    def ensure_current(self) -> int:
        """The current production's id, made first (named "Production") when the
        database has none: a new lieu always belongs to one. Call it inside the
        transaction that adds the lieu."""
        current = self.current_id()
        if current is not None:
            return current
        made = self.store.add_production(
            Production(name=self._free_name(DEFAULT_NAME), created_at=self.clock.stamp())
        )
        assert made.id is not None
        self._chosen = made.id
        return made.id

    # -- writing ---------------------------------------------------------------------
    @serialised
    def create(self, name: str, *, company: str = "", notes: str = "") -> Production:
        """A new production; the current one stays current (`switch` to work on it)."""
        name = self._unique(name)
        self.current_id()  # settled first: the one made last would be the default
        with self.store.transaction():
            return self.store.add_production(
                Production(name=name, company=company, notes=notes, created_at=self.clock.stamp())
            )

    @serialised
    def rename(self, production_id: int, new_name: str) -> Production:
        before = self.store.get_production(production_id)
        name = self._unique(new_name, own=production_id)
        if name == before.name:
            return before
        return self._change(before, "name", before.name, name, name=name)

    @serialised
    def archive(self, production_id: int) -> Production:
        before = self.store.get_production(production_id)
        if before.archived:
            return before
        after = self._change(before, "archived", False, True, archived=True)
        if self._chosen == production_id:
            self._chosen = None  # the current one archived: an open one takes its place
        if self.state.production == production_id:
            self.state.production = None
            self.state.save()
        return after

    @serialised
    def unarchive(self, production_id: int) -> Production:
        before = self.store.get_production(production_id)
        if not before.archived:
            return before
        return self._change(before, "archived", True, False, archived=False)

    @serialised
    def copy_lieu(self, lieu_id: int, production_id: int) -> Copied:
        """A new lieu with the same fiche in the target production; the original keeps
        its permits and its pictures. Both histories say where the copy came from."""
        source = self.store.get_lieu(lieu_id)
        target = self._target(production_id)
        now = self.clock.stamp()
        unretained = bool(source.retained) and self._has_retained(source.decor, production_id, None)
        copy = replace(
            source,
            id=None,
            production_id=production_id,
            retained=False if unretained else source.retained,
            created_at=now,
            updated_at=now,
            history=(Change(now, "copied_from", None, lieu_id),),
            version=0,  # a new record: its own saves from the first
        )
        permits = self.store.permits(lieu_id)
        with self.store.transaction():
            made = self.store.add_lieu(copy)
            note = Change(now, "copied_to", None, made.id)
            source = self.store.update_lieu(  # with its new version: the next save is from it
                replace(source, updated_at=now, history=source.history + (note,))
            )
        return Copied(source, made, target, unretained, len(permits))

    @serialised
    def move_lieu(self, lieu_id: int, production_id: int) -> Moved:
        """The lieu goes to the target production with its permits and its pictures
        (they follow the lieu by its id); the change is in its history."""
        before = self.store.get_lieu(lieu_id)
        target = self._target(production_id)
        origin = None
        if before.production_id is not None:
            try:
                origin = self.store.get_production(before.production_id)
            except NotFound:
                origin = None
        if before.production_id == production_id:
            raise ProductionError(
                _("«{name}» is in «{production}» already; nothing was changed").format(
                    name=before.name, production=target.name
                )
            )
        now = self.clock.stamp()
        unretained = bool(before.retained) and self._has_retained(
            before.decor, production_id, lieu_id
        )
        changes = [Change(now, "production_id", before.production_id, production_id)]
        if unretained:
            changes.append(Change(now, "retained", True, False))
        after = replace(
            before,
            production_id=production_id,
            retained=False if unretained else before.retained,
            updated_at=now,
            history=before.history + tuple(changes),
        )
        with self.store.transaction():
            after = self.store.update_lieu(after)  # (with its new version)
        return Moved(
            after,
            origin,
            target,
            unretained,
            len(self.store.permits(lieu_id)),
            len(self.store.photos(lieu_id)),
        )

    # -- helpers ---------------------------------------------------------------------
    def _change(
        self, before: Production, field: str, old: object, new: object, **values: object
    ) -> Production:
        after = replace(
            before,
            **values,  # type: ignore[arg-type]
            history=before.history + (Change(self.clock.stamp(), field, old, new),),
        )
        with self.store.transaction():
            return self.store.update_production(after)

    @serialised
    def name_problem(self, name: str, own: int | None = None) -> str | None:
        """What is wrong with this name for a new production (or for production `own`,
        renamed): empty, or taken (case and accents aside); None if it will do."""
        name = " ".join(name.split())
        if not name:
            return _("the production's name is empty")
        if len(name) > MAX_PRODUCTION_NAME:
            return _("the production's name is longer than {limit} characters").format(
                limit=MAX_PRODUCTION_NAME
            )
        try:
            check_text(name, "name")
        except ValidationError as e:
            return _("the production's name {problem}").format(problem=e.message)
        key = name_key(name)
        for p in self.store.list_productions():
            if p.id != own and name_key(p.name) == key:
                return _("a production is named «{name}» already (id {id})").format(
                    name=p.name, id=p.id
                )
        return None

    def _unique(self, name: str, own: int | None = None) -> str:
        problem = self.name_problem(name, own)
        if problem:
            raise ProductionError(
                _("{problem}; choose another name. Nothing was changed.").format(problem=problem)
            )
        return " ".join(name.split())

    def _free_name(self, name: str) -> str:
        taken = {name_key(p.name) for p in self.store.list_productions()}
        candidate, n = name, 1
        while name_key(candidate) in taken:
            n += 1
            candidate = f"{name} {n}"
        return candidate

    def _target(self, production_id: int) -> Production:
        target = self.store.get_production(production_id)
        if target.archived:
            raise ProductionError(
                _(
                    "«{name}» is archived: unarchive it first (`scout production unarchive "
                    "{id}`). Nothing was changed."
                ).format(name=target.name, id=target.id)
            )
        return target

    def _has_retained(self, decor: str, production_id: int, exclude: int | None) -> bool:
        if not decor:
            return False
        return any(
            r.retained and r.decor == decor and r.production_id == production_id
            for r in self.ws.lieux.all_rows()
            if r.id != exclude
        )
