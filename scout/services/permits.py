"""What the régie does with permits, shared by the CLI and the TUI."""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from scout.domain.facts import LieuFacts, PermitFacts
from scout.domain.permit import Arrete, Permit, PermitStatus, with_field_changes
from scout.errors import NotFound, ScoutError, ValidationError, ValidationErrors
from scout.i18n import Text, _
from scout.perf import paused_gc, settle
from scout.permits.checks import (
    Assessed,
    Suggestion,
    Warning,
    assess,
    deadline_for,
    lieu_warnings,
    needed_types,
    production_notice,
    suggest,
)
from scout.permits.deadlines import urgency
from scout.permits.fiche import (
    apply_permit_fiche,
    check_ready_to_file,
    has_arrete,
    ready_to_file_errors,
)
from scout.permits.review import TO_CREATE, Review, ReviewRow
from scout.permits.rules import Rules, RulesBook
from scout.services.lieux import Service, serialised

if TYPE_CHECKING:
    from scout.services.workspace import Workspace


class PermitService(Service):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self._last: tuple[tuple[Any, ...], Review] | None = None
        # the production-wide notices, read from every lieu: kept like the review, so a
        # fiche (one lieu's review, at each cursor move) does not read them all again
        self._notices: tuple[tuple[Any, ...], list[Warning]] | None = None
        self._state: _ReviewState | None = None  # the whole review, brought up to date

    @property
    def book(self) -> RulesBook:
        return self.ws.rules

    @property
    def rules(self) -> Rules:
        return self.book.rules

    # -- writing ------------------------------------------------------------------------
    @serialised
    def add(self, lieu_id: int, type_id: str, raw: dict[str, Any]) -> Permit:
        permit = self._new(lieu_id, type_id, self.clock.stamp())
        return self.store.add_permit(apply_permit_fiche(permit, raw))

    def _new(self, lieu_id: int, type_id: str, now: str) -> Permit:
        ptype = self.rules.type(type_id)
        self.store.get_lieu(lieu_id)  # say "no lieu" before anything else
        return Permit(
            lieu_id=lieu_id,
            type=type_id,
            # the rules file's own words, whatever the language of this run: shown in the
            # language of each later run by `authority_of`
            authority=ptype.authority_text.fr or ptype.authority_text.en,
            arrete=Arrete() if has_arrete(type_id) else None,
            created_at=now,
            updated_at=now,
        )

    def authority_of(self, permit: Permit) -> str:
        """Who decides, in the language of the run: the type's authority unless the régie
        wrote another one on this permit."""
        ptype = self.rules.types.get(permit.type)
        if ptype is None:
            return permit.authority
        if not permit.authority or permit.authority in ptype.authority_text.variants():
            return str(ptype.authority_text)
        return permit.authority

    @serialised
    def update(
        self,
        permit_id: int,
        raw: dict[str, Any],
        status: str | None = None,
        note: str = "",
        *,
        read: Permit | None = None,
    ) -> Permit:
        """`raw` and the status change saved over the permit. `read`: the permit as the
        form showed it: saved as read at its version, so what others saved since is
        merged field by field (or refused on the same field), never overwritten with the
        form's older values. Returns the permit as stored, with its new version."""
        permit = read if read is not None and read.id == permit_id else None
        permit = permit or self.store.get_permit(permit_id)
        now = self.clock.stamp()
        changed = self._changed(permit, raw, status, note, now)
        if changed == permit:
            return permit if read is None else self.store.get_permit(permit_id)
        return self.store.update_permit(replace(changed, updated_at=now))

    def _changed(
        self, permit: Permit, raw: dict[str, Any], status: str | None, note: str, now: str
    ) -> Permit:
        """The permit with `raw` applied and its status changed (history appended)."""
        changed = apply_permit_fiche(permit, raw) if raw else permit
        changed = with_field_changes(permit, changed, now)  # each edit in its history
        if status is not None:
            new = PermitStatus.parse(status, "status")
            check_ready_to_file(changed, new)
            changed = changed.with_status(new, now, note)
            if new is PermitStatus.FILED and changed.filed_on is None:
                changed = replace(changed, filed_on=self.clock.today())
            if (
                new
                in (
                    PermitStatus.GRANTED,
                    PermitStatus.GRANTED_WITH_CONDITIONS,
                    PermitStatus.REFUSED,
                )
                and changed.decision_on is None
            ):
                changed = replace(changed, decision_on=self.clock.today())
        return changed

    # -- a form: everything checked before it closes, then saved in one step ------------
    @serialised
    def check(
        self,
        lieu_id: int,
        type_id: str,
        raw: dict[str, Any],
        *,
        permit_id: int | None = None,
        status: str | None = None,
        note: str = "",
    ) -> Permit:
        """What `save` would write, nothing saved: every field's error at once
        (ValidationErrors, each on its field; an arrêté that cannot be filed names each
        missing field)."""
        now = self.clock.stamp()
        base = (
            self.store.get_permit(permit_id)
            if permit_id is not None
            else self._new(lieu_id, type_id, now)
        )
        filled = apply_permit_fiche(base, raw)
        status = _status_change(status, base)
        if status is not None:
            new = PermitStatus.parse(status, "status")
            missing = ready_to_file_errors(filled, new)
            if missing:
                raise ValidationErrors(missing)
        try:
            return self._changed(filled, {}, status, note, now)
        except ValidationError as e:
            raise ValidationErrors([e]) from None

    @serialised
    def save(
        self,
        lieu_id: int,
        type_id: str,
        raw: dict[str, Any],
        *,
        permit_id: int | None = None,
        status: str | None = None,
        note: str = "",
        read: Permit | None = None,
    ) -> Permit:
        """Add (`permit_id` None) or update a permit with its fields and, when `status`
        differs, a status change in its history: one transaction. `read`: the permit as
        the form showed it (see `update`)."""
        with self.store.transaction():
            if permit_id is None:
                permit_id = self.add(lieu_id, type_id, raw).id
                raw, read = {}, None
                assert permit_id is not None
            current = read if read is not None else self.store.get_permit(permit_id)
            status = _status_change(status, current)
            return self.update(permit_id, raw, status, note, read=read)

    def suggested_deadline(self, lieu_id: int, type_id: str) -> date | None:
        """The filing deadline the rules give a new permit of this type at this lieu
        (working days before its first shoot day), or None without a shoot day."""
        return deadline_for(
            self.rules.type(type_id), self.facts(lieu_id).first_shoot_day, self.rules
        )

    def computed_deadline(self, permit: Permit) -> date | None:
        """The deadline the rules give this permit, its override aside."""
        ptype = self.rules.types.get(permit.type)
        if ptype is None:
            return None
        days = permit.shoot_days or self.facts(permit.lieu_id).shoot_days
        return deadline_for(ptype, days[0] if days else None, self.rules)

    @serialised
    def to_create(self, lieu_id: int, *, possible: bool = False) -> list[Suggestion]:
        """The permits `create_suggested` would create, with their deadlines."""
        return [s for s in self.suggest(lieu_id) if not s.requested and (s.certain or possible)]

    def create_suggested(self, lieu_id: int, *, possible: bool = False) -> list[Permit]:
        """Create, in one step, the permits the rules call for that the lieu does not
        have yet (with `possible`, also those that depend on facts not known yet)."""
        with self.lock, self.store.transaction():
            wanted = [s.type.id for s in self.to_create(lieu_id, possible=possible)]
            return [self.add(lieu_id, type_id, {}) for type_id in wanted]

    @serialised
    def remove(self, permit_id: int) -> Permit:
        permit = self.store.get_permit(permit_id)
        self.store.delete_permit(permit_id)
        return permit

    # -- reading ------------------------------------------------------------------------
    @serialised
    def get(self, permit_id: int) -> Permit:
        return self.store.get_permit(permit_id)

    @serialised
    def of_lieu(self, lieu_id: int) -> list[Permit]:
        self.store.get_lieu(lieu_id)  # "no lieu with id N" rather than an empty list
        return self.store.permits(lieu_id)

    @serialised
    def facts(self, lieu_id: int) -> LieuFacts:
        from scout.geo.lookup import vehicle_caps

        facts = self.store.lieu_facts(vehicle_caps(), lieu_id).get(lieu_id)
        if facts is None:
            self.store.get_lieu(lieu_id)  # raises NotFound with the usual message
            raise ScoutError(_("location {id} cannot be checked").format(id=lieu_id))
        return facts

    @serialised
    def suggest(self, lieu_id: int) -> list[Suggestion]:
        requested = {p.type for p in self.store.permits(lieu_id)}
        return suggest(self.facts(lieu_id), self.rules, requested)

    @serialised
    def review(self, *, lieu_id: int | None = None) -> Review:
        """Every permit by urgency, and every warning, as of today. The whole review is
        kept, and brought up to date lieu by lieu as saves happen (the lieux a save
        touched are reviewed again and merged in); computed whole again only when the
        day, the rules or the production change."""
        # (the current production's: the lists and exports show that one)
        key = self._review_key()
        if lieu_id is None:
            kept = self._kept(key)
            if kept is not None:
                return kept
            state = self._state
            if state is not None and self._brought_up_to_date(state, key):
                self._last = (key, state.review)
                return state.review
        with paused_gc():
            if lieu_id is None:
                state = self._full_state(key)
                self._state = state
                review = state.review
            else:
                review = self._review(lieu_id)
        if lieu_id is None:
            self._last = (key, review)
            settle()  # kept until the next save: out of the cycle collector's walks
        return review

    @serialised
    def updated_review(self) -> Review | None:
        """The whole review kept, brought up to date with what was saved since (quick:
        the lieux saved are reviewed again); None when there is none to bring up to date
        (never computed, another day, rules or production): nothing computed whole."""
        key = self._review_key()
        kept = self._kept(key)
        if kept is not None:
            return kept
        state = self._state
        if state is None or not self._brought_up_to_date(state, key):
            return None
        self._last = (key, state.review)
        return state.review

    def kept_review(self) -> Review | None:
        """The whole review if it is still current (nothing saved since, same day, same
        rules, same production), without computing anything and without waiting: None
        otherwise, and None while a worker holds the workspace (computing it, saving)."""
        if not self.lock.acquire(blocking=False):
            return None
        try:
            return self._kept(self._review_key())
        finally:
            self.lock.release()

    def _review_key(self) -> tuple[Any, ...]:
        return (
            self.store.version,
            self.clock.today(),
            self.rules,
            self.ws.productions.current_id(),
        )

    def _kept(self, key: tuple[Any, ...]) -> Review | None:
        last = self._last
        if (
            last is not None
            and last[0][:2] == key[:2]
            and last[0][2] is key[2]
            and last[0][3:] == key[3:]
        ):
            return last[1]
        return None

    def _part(
        self,
        lid: int,
        facts: LieuFacts | None,
        exists: bool,
        permits: list[PermitFacts],
        today: date,
    ) -> tuple[list[ReviewRow], list[Warning]]:
        """One lieu's rows and warnings: `facts` None for a lieu not reviewed (`exists`:
        another production's) or gone (its permits shown with "?")."""
        if facts is None and exists:
            return [], []
        rules = self.rules
        assessed: list[Assessed] = []
        rows: list[ReviewRow] = []
        for pf in permits:
            a = assess(pf, facts.shoot_days if facts else (), rules, today)
            assessed.append(a)
            ptype = rules.types.get(pf.type)
            rows.append(
                ReviewRow(
                    pf.id,
                    pf.lieu_id,
                    facts.name if facts else "?",
                    facts.arrondissement if facts else None,
                    facts.address if facts else "",
                    pf.type,
                    ptype.label_text if ptype else Text.plain(pf.type),
                    ptype.authority_text if ptype else Text(),
                    pf.status,
                    a.deadline,
                    a.urgency,
                    a.working_days_left,
                    pf.valid_from,
                    pf.valid_to,
                )
            )
        if facts is None:
            return rows, []
        rows.extend(self._to_create(lid, facts, assessed, today))
        warnings: list[Warning] = []
        if facts.shoot_days or assessed:
            warnings = lieu_warnings(facts, assessed, rules, today)
        return rows, warnings

    def _to_create(
        self, lid: int, facts: LieuFacts, assessed: list[Assessed], today: date
    ) -> list[ReviewRow]:
        """The permits the rules call for, for a lieu with a shoot day to come, that
        nobody has created: in the review with their deadline, status "to_create"."""
        if not facts.shoot_days or facts.shoot_days[-1] < today:
            return []
        rules = self.rules
        out: list[ReviewRow] = []
        have = {a.permit.type for a in assessed}
        for type_id in sorted(needed_types(facts, rules) - have):
            ptype = rules.types[type_id]
            deadline = deadline_for(ptype, facts.first_shoot_day, rules)
            level, left = urgency("to_request", deadline, None, today)
            out.append(
                ReviewRow(
                    None,
                    lid,
                    facts.name,
                    facts.arrondissement,
                    facts.address,
                    type_id,
                    ptype.label_text,
                    ptype.authority_text,
                    TO_CREATE,
                    deadline,
                    level,
                    left,
                    None,
                    None,
                )
            )
        return out

    def _review(self, lieu_id: int) -> Review:
        """One lieu's review (a fiche's), whatever its production."""
        from scout.geo.lookup import vehicle_caps

        today = self.clock.today()
        facts = self.store.lieu_facts(vehicle_caps(), lieu_id).get(lieu_id)
        rows, warnings = self._part(
            lieu_id, facts, facts is not None, self.store.permit_facts(lieu_id), today
        )
        rows.sort(key=_row_order)
        if facts is not None:
            notices = self._production_notices(None, today)
            warnings.extend(w for w in notices if w.lieu_id == lieu_id)
        return Review(rows, warnings)

    def _is_current(self, facts: LieuFacts, current: int | None) -> bool:
        return current is None or facts.production_id in (current, None)

    def _full_state(self, key: tuple[Any, ...]) -> _ReviewState:
        from scout.geo.lookup import vehicle_caps

        today = key[1]
        current = key[3]
        every = self.store.lieu_facts(vehicle_caps(), None)
        by_lieu: dict[int, list[PermitFacts]] = {}
        for pf in self.store.permit_facts(None):
            by_lieu.setdefault(pf.lieu_id, []).append(pf)
        state = _ReviewState(key, Review([], []), {}, {}, set(), [])
        rows: list[ReviewRow] = []
        for lid, facts in every.items():
            state.firsts[lid] = _first(facts, today)
            if not self._is_current(facts, current):
                continue
            state.current.add(lid)
            part_rows, warnings = self._part(lid, facts, True, by_lieu.pop(lid, []), today)
            rows.extend(part_rows)
            if warnings:
                state.warnings[lid] = warnings
        for lid, permits in by_lieu.items():  # the lieu is gone, or another production's
            rows.extend(self._part(lid, None, lid in every, permits, today)[0])
        rows.sort(key=_row_order)
        state.notices = self._notices_of(state.firsts, today)
        state.review = Review(rows, self._warnings_of(state))
        return state

    def _brought_up_to_date(self, state: _ReviewState, key: tuple[Any, ...]) -> bool:
        """Merge into `state` the lieux saved since it was computed: False when it cannot
        be (another day, rules, production; too much changed; changes not known)."""
        old = state.key
        if old[1:2] != key[1:2] or old[2] is not key[2] or old[3:] != key[3:]:
            return False
        changed_since = getattr(self.store, "changed_since", None)
        changed = changed_since(old[0]) if changed_since is not None else None
        if changed is None:
            return False
        lids: set[int] = set()
        permits: set[int] = set()
        for table, rid in changed:
            if table == "lieux":
                lids.add(rid)
            elif table == "permits":
                permits.add(rid)
            elif table not in _NOT_REVIEWED and "version" not in table:
                return False
        if len(lids) + len(permits) > _MERGE_AT_MOST:
            return False
        if permits:
            lids.update(r.lieu_id for r in state.review.rows if r.permit_id in permits)
            for pid in permits:
                try:
                    lids.add(self.store.get_permit(pid).lieu_id)
                except NotFound:
                    pass
        self._merge(state, lids)
        state.key = key
        return True

    def _merge(self, state: _ReviewState, lids: set[int]) -> None:
        from scout.geo.lookup import vehicle_caps

        today = state.key[1]
        current = state.key[3]
        caps = vehicle_caps()
        new_rows: list[ReviewRow] = []
        firsts_changed = False
        for lid in lids:
            facts = self.store.lieu_facts(caps, lid).get(lid)
            first = _first(facts, today) if facts is not None else None
            if state.firsts.get(lid) != first:
                firsts_changed = True
                if first is None:
                    state.firsts.pop(lid, None)
                else:
                    state.firsts[lid] = first
            reviewed = facts is not None and self._is_current(facts, current)
            if reviewed:
                state.current.add(lid)
            else:
                state.current.discard(lid)
            part_rows, warnings = self._part(
                lid,
                facts if reviewed else None,
                facts is not None,
                self.store.permit_facts(lid),
                today,
            )
            new_rows.extend(part_rows)
            if warnings:
                state.warnings[lid] = warnings
            else:
                state.warnings.pop(lid, None)
        rows = [r for r in state.review.rows if r.lieu_id not in lids]
        for row in new_rows:
            insort(rows, row, key=_row_order)
        if firsts_changed:
            state.notices = self._notices_of(state.firsts, today)
        state.review = Review(rows, self._warnings_of(state))

    def _warnings_of(self, state: _ReviewState) -> list[Warning]:
        out: list[Warning] = []
        for lid in sorted(state.warnings):
            out.extend(state.warnings[lid])
        out.extend(w for w in state.notices if w.lieu_id in state.current)
        return out

    def _notices_of(
        self, firsts: dict[int, tuple[int | None, date | None]], today: date
    ) -> list[Warning]:
        notices = _production_notices(firsts, self.rules)
        self._notices = ((self.store.version, today, self.rules), notices)
        return notices

    def _production_notices(self, lieux: dict[int, LieuFacts] | None, today: date) -> list[Warning]:
        """Said once per production, on the lieu shot first, before ITS first shoot day:
        read from all its lieux (`lieux` when the caller has read them all already)."""
        rules = self.rules
        key = (self.store.version, today, rules)
        kept = self._notices
        if kept is not None and kept[0][:2] == key[:2] and kept[0][2] is key[2]:
            return kept[1]
        state = self._state
        if (
            state is not None
            and state.key[1] == today
            and state.key[2] is rules
            and self._brought_up_to_date(state, self._review_key())
        ):
            self._last = (state.key, state.review)
            return state.notices
        if not any(n.scope == "production" for n in rules.notices):
            self._notices = (key, [])
            return []
        if lieux is None:
            from scout.geo.lookup import vehicle_caps

            lieux = self.store.lieu_facts(vehicle_caps(), None)
        return self._notices_of({lid: _first(f, today) for lid, f in lieux.items()}, today)


_NOT_REVIEWED = frozenset({"bin", "photos", "tournages"})  # tables the review does not read
_MERGE_AT_MOST = 200  # records saved since the review was computed: more, compute it whole


@dataclass(slots=True)
class _ReviewState:
    """The whole review kept, with what bringing it up to date lieu by lieu needs."""

    key: tuple[Any, ...]  # (store version, day, rules, production)
    review: Review
    warnings: dict[int, list[Warning]]  # each reviewed lieu's, by lieu
    firsts: dict[int, tuple[int | None, date | None]]  # every lieu: production, first day to come
    current: set[int]  # the lieux of the current production
    notices: list[Warning] = field(default_factory=list)  # every production's


def _row_order(r: ReviewRow) -> tuple[Any, ...]:
    return (r.urgency, r.deadline or date.max, r.lieu_name, r.permit_id or 0, r.type, r.lieu_id)


def _first(facts: LieuFacts, today: date) -> tuple[int | None, date | None]:
    """The lieu's production and its first shoot day from today on."""
    for d in facts.shoot_days:
        if d >= today:
            return facts.production_id, d
    return facts.production_id, None


def _production_notices(
    firsts: dict[int, tuple[int | None, date | None]], rules: Rules
) -> list[Warning]:
    """Steps taken once per production before its first shoot day (the City's VHSS
    charter), said on the lieu that is shot first."""
    steps = [n for n in rules.notices if n.scope == "production"]
    if not steps:
        return []
    first: dict[int | None, tuple[date, int]] = {}
    for lid, (production, day) in firsts.items():
        if day is not None and (production not in first or (day, lid) < first[production]):
            first[production] = (day, lid)
    return [production_notice(n, lid, day) for day, lid in sorted(first.values()) for n in steps]


def _status_change(status: str | None, current: Permit) -> str | None:
    """`status` when it changes the permit's, else None: `check` and `save` must agree
    on what counts as a status change (an unchanged one writes no history line and
    checks nothing more)."""
    if status is not None and PermitStatus.parse(status, "status") is current.status:
        return None
    return status
