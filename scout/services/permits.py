"""What the régie does with permits, shared by the CLI and the TUI."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from scout.domain.facts import LieuFacts
from scout.domain.permit import Arrete, Permit, PermitStatus
from scout.errors import ScoutError
from scout.i18n import Text, _
from scout.perf import paused_gc
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
from scout.permits.fiche import apply_permit_fiche, check_ready_to_file
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

    @property
    def book(self) -> RulesBook:
        return self.ws.rules

    @property
    def rules(self) -> Rules:
        return self.book.rules

    # -- writing ------------------------------------------------------------------------
    @serialised
    def add(self, lieu_id: int, type_id: str, raw: dict[str, Any]) -> Permit:
        ptype = self.rules.type(type_id)
        self.store.get_lieu(lieu_id)  # say "no lieu" before anything else
        now = self.clock.stamp()
        permit = Permit(
            lieu_id=lieu_id,
            type=type_id,
            # the rules file's own words, whatever the language of this run: shown in the
            # language of each later run by `authority_of`
            authority=ptype.authority_text.fr or ptype.authority_text.en,
            arrete=Arrete() if type_id.startswith("arrete") else None,
            created_at=now,
            updated_at=now,
        )
        return self.store.add_permit(apply_permit_fiche(permit, raw))

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
        self, permit_id: int, raw: dict[str, Any], status: str | None = None, note: str = ""
    ) -> Permit:
        permit = self.store.get_permit(permit_id)
        now = self.clock.stamp()
        changed = apply_permit_fiche(permit, raw) if raw else permit
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
        if changed == permit:
            return permit
        return self.store.update_permit(replace(changed, updated_at=now))

    def create_suggested(self, lieu_id: int, *, possible: bool = False) -> list[Permit]:
        """Create, in one step, the permits the rules call for that the lieu does not
        have yet (with `possible`, also those that depend on facts not known yet)."""
        with self.lock, self.store.transaction():
            wanted = [
                s.type.id
                for s in self.suggest(lieu_id)
                if not s.requested and (s.certain or possible)
            ]
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
        kept until something is saved, the day changes or the rules change."""
        key = (self.store.version, self.clock.today(), self.rules)
        last = self._last
        if lieu_id is None and last is not None and last[0][:2] == key[:2] and last[0][2] is key[2]:
            return last[1]
        with paused_gc():
            review = self._review(lieu_id)
        if lieu_id is None:
            self._last = (key, review)
        return review

    def _to_create(
        self, lieux: dict[int, LieuFacts], by_lieu: dict[int, list[Assessed]], today: date
    ) -> list[ReviewRow]:
        """The permits the rules call for, for a lieu with a shoot day to come, that
        nobody has created: in the review with their deadline, status "to_create"."""
        rules = self.rules
        out: list[ReviewRow] = []
        for lid, facts in lieux.items():
            if not facts.shoot_days or facts.shoot_days[-1] < today:
                continue
            have = {a.permit.type for a in by_lieu.get(lid, ())}
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

    def _review(self, lieu_id: int | None) -> Review:
        from scout.geo.lookup import vehicle_caps

        today = self.clock.today()
        lieux = self.store.lieu_facts(vehicle_caps(), lieu_id)
        rules = self.rules
        by_lieu: dict[int, list[Assessed]] = {}
        rows = []
        for pf in self.store.permit_facts(lieu_id):
            lf = lieux.get(pf.lieu_id)
            a = assess(pf, lf.shoot_days if lf else (), rules, today)
            by_lieu.setdefault(pf.lieu_id, []).append(a)
            ptype = rules.types.get(pf.type)
            rows.append(
                ReviewRow(
                    pf.id,
                    pf.lieu_id,
                    lf.name if lf else "?",
                    lf.arrondissement if lf else None,
                    lf.address if lf else "",
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
        rows.extend(self._to_create(lieux, by_lieu, today))
        rows.sort(
            key=lambda r: (r.urgency, r.deadline or date.max, r.lieu_name, r.permit_id or 0, r.type)
        )
        warnings: list[Warning] = []
        for lid, facts in lieux.items():
            if lieu_id is not None and lid != lieu_id:
                continue
            if facts.shoot_days or lid in by_lieu:
                warnings.extend(lieu_warnings(facts, by_lieu.get(lid, []), rules, today))
        notices = self._production_notices(lieux if lieu_id is None else None, today)
        warnings.extend(w for w in notices if lieu_id is None or w.lieu_id == lieu_id)
        return Review(rows, warnings)

    def _production_notices(self, lieux: dict[int, LieuFacts] | None, today: date) -> list[Warning]:
        """Said once per production, on the lieu shot first, before ITS first shoot day:
        read from all its lieux (`lieux` when the caller has read them all already)."""
        rules = self.rules
        key = (self.store.version, today, rules)
        kept = self._notices
        if kept is not None and kept[0][:2] == key[:2] and kept[0][2] is key[2]:
            return kept[1]
        if not any(n.scope == "production" for n in rules.notices):
            notices: list[Warning] = []
        else:
            if lieux is None:
                from scout.geo.lookup import vehicle_caps

                lieux = self.store.lieu_facts(vehicle_caps(), None)
            notices = _production_notices(lieux, rules, today)
        self._notices = (key, notices)
        return notices


def _production_notices(lieux: dict[int, LieuFacts], rules: Rules, today: date) -> list[Warning]:
    """Steps taken once per production before its first shoot day (the City's VHSS
    charter), said on the lieu that is shot first."""
    steps = [n for n in rules.notices if n.scope == "production"]
    if not steps:
        return []
    first: dict[int | None, tuple[date, int]] = {}
    for lid, facts in lieux.items():
        upcoming = [d for d in facts.shoot_days if d >= today]
        if upcoming and (
            facts.production_id not in first or upcoming[0] < first[facts.production_id][0]
        ):
            first[facts.production_id] = (upcoming[0], lid)
    return [production_notice(n, lid, day) for day, lid in first.values() for n in steps]
