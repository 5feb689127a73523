"""What the régie does with permits, shared by the CLI and the TUI."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from itertools import takewhile
from typing import Any, NamedTuple

from scout.clock import Clock
from scout.domain.permit import Arrete, Permit, PermitStatus
from scout.errors import ScoutError
from scout.permits.checks import (
    Assessed,
    LieuFacts,
    Suggestion,
    Warning,
    assess,
    lieu_warnings,
    suggest,
)
from scout.permits.deadlines import Urgency
from scout.permits.fiche import apply_permit_fiche, check_ready_to_file
from scout.perf import paused_gc
from scout.permits.rules import Rules, RulesBook
from scout.store.repository import Repository


class ReviewRow(NamedTuple):
    """One line of the régie's review: a permit, its lieu, its deadline and urgency."""

    permit_id: int
    lieu_id: int
    lieu_name: str
    arrondissement: int | None
    address: str
    type: str
    type_label: str
    authority: str
    status: str
    deadline: date | None
    urgency: Urgency
    working_days_left: int | None
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True, slots=True)
class Review:
    rows: list[ReviewRow]  # most urgent first
    warnings: list[Warning]

    @property
    def overdue(self) -> list[ReviewRow]:
        return list(takewhile(lambda r: r.urgency is Urgency.OVERDUE, self.rows))

    @property
    def pressing(self) -> int:
        """Overdue or due within 3 working days: the header badge."""
        return sum(1 for _ in takewhile(lambda r: r.urgency <= Urgency.DUE_3, self.rows))


class PermitService:
    def __init__(self, store: Repository, clock: Clock, rules: RulesBook | None = None) -> None:
        self.store = store
        self.clock = clock
        self.book = rules or RulesBook()
        self._last: tuple[tuple[Any, ...], Review] | None = None

    @property
    def rules(self) -> Rules:
        return self.book.rules

    # -- writing ------------------------------------------------------------------------
    def add(self, lieu_id: int, type_id: str, raw: dict[str, Any]) -> Permit:
        ptype = self.rules.type(type_id)
        self.store.get_lieu(lieu_id)  # say "no lieu" before anything else
        now = self.clock.stamp()
        permit = Permit(lieu_id=lieu_id, type=type_id, authority=ptype.authority,
                        arrete=Arrete() if type_id.startswith("arrete") else None,
                        created_at=now, updated_at=now)
        return self.store.add_permit(apply_permit_fiche(permit, raw))

    def update(self, permit_id: int, raw: dict[str, Any], status: str | None = None,
               note: str = "") -> Permit:
        permit = self.store.get_permit(permit_id)
        now = self.clock.stamp()
        changed = apply_permit_fiche(permit, raw) if raw else permit
        if status is not None:
            new = PermitStatus.parse(status, "status")
            check_ready_to_file(changed, new)
            changed = changed.with_status(new, now, note)
            if new is PermitStatus.FILED and changed.filed_on is None:
                changed = replace(changed, filed_on=self.clock.today())
            if new in (PermitStatus.GRANTED, PermitStatus.GRANTED_WITH_CONDITIONS,
                       PermitStatus.REFUSED) and changed.decision_on is None:
                changed = replace(changed, decision_on=self.clock.today())
        if changed == permit:
            return permit
        return self.store.update_permit(replace(changed, updated_at=now))

    def remove(self, permit_id: int) -> Permit:
        permit = self.store.get_permit(permit_id)
        self.store.delete_permit(permit_id)
        return permit

    # -- reading ------------------------------------------------------------------------
    def facts(self, lieu_id: int) -> LieuFacts:
        from scout.geo.lookup import vehicle_caps

        facts = self.store.lieu_facts(vehicle_caps(), lieu_id).get(lieu_id)
        if facts is None:
            self.store.get_lieu(lieu_id)  # raises NotFound with the usual message
            raise ScoutError(f"lieu {lieu_id} cannot be checked")
        return facts

    def suggest(self, lieu_id: int) -> list[Suggestion]:
        requested = {p.type for p in self.store.permits(lieu_id)}
        return suggest(self.facts(lieu_id), self.rules, requested)

    def review(self, *, lieu_id: int | None = None) -> Review:
        """Every permit by urgency, and every warning, as of today. The whole review is
        kept until something is saved, the day changes or the rules change."""
        key = (self.store.version, self.clock.today(), id(self.rules))
        if lieu_id is None and self._last is not None and self._last[0] == key:
            return self._last[1]
        with paused_gc():
            review = self._review(lieu_id)
        if lieu_id is None:
            self._last = (key, review)
        return review

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
            rows.append(ReviewRow(
                pf.id, pf.lieu_id, lf.name if lf else "?", lf.arrondissement if lf else None,
                lf.address if lf else "", pf.type, ptype.label if ptype else pf.type,
                ptype.authority if ptype else "", pf.status, a.deadline, a.urgency,
                a.working_days_left, pf.valid_from, pf.valid_to,
            ))
        rows.sort(key=lambda r: (r.urgency, r.deadline or date.max, r.lieu_name, r.permit_id))
        warnings: list[Warning] = []
        for lid, facts in lieux.items():
            if lieu_id is not None and lid != lieu_id:
                continue
            if facts.shoot_days or lid in by_lieu:
                warnings.extend(lieu_warnings(facts, by_lieu.get(lid, []), rules, today))
        return Review(rows, warnings)
