"""Permits and arrêtés: what a lieu needs from the City, the Préfecture or a site's owner.

A permit's status changes only along the transitions below, and every change is appended
to its history, never rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, time

from scout.domain.lieu import Change, _LabelledEnum
from scout.errors import ValidationError
from scout.i18n import _, pgettext


class PermitStatus(_LabelledEnum):
    TO_REQUEST = ("to_request", "to request", "à demander")
    IN_PREPARATION = ("in_preparation", "in preparation", "en préparation")
    FILED = ("filed", "déposée", "déposé")
    UNDER_REVIEW = ("under_review", "under review", "en instruction", "en cours d'instruction")
    GRANTED = ("granted", "accordée", "accordé")
    GRANTED_WITH_CONDITIONS = (
        "granted_with_conditions",
        "granted with conditions",
        "accordée sous conditions",
        "accordé sous conditions",
    )
    REFUSED = ("refused", "refusée", "refusé")
    CANCELLED = ("cancelled", "canceled", "annulée", "annulé")
    EXPIRED = ("expired", "expirée", "expiré")

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "to_request": pgettext("permit status", "To request"),
            "in_preparation": pgettext("permit status", "In preparation"),
            "filed": pgettext("permit status", "Filed"),
            "under_review": pgettext("permit status", "Under review"),
            "granted": pgettext("permit status", "Granted"),
            "granted_with_conditions": pgettext("permit status", "Granted with conditions"),
            "refused": pgettext("permit status", "Refused"),
            "cancelled": pgettext("permit status", "Cancelled"),
            "expired": pgettext("permit status", "Expired"),
        }

    @property
    def granted(self) -> bool:
        return self in (PermitStatus.GRANTED, PermitStatus.GRANTED_WITH_CONDITIONS)

    @property
    def open(self) -> bool:
        """Still to be filed: its deadline matters."""
        return self in (PermitStatus.TO_REQUEST, PermitStatus.IN_PREPARATION)

    @property
    def awaiting(self) -> bool:
        return self in (PermitStatus.FILED, PermitStatus.UNDER_REVIEW)


S = PermitStatus
TRANSITIONS: dict[PermitStatus, frozenset[PermitStatus]] = {
    S.TO_REQUEST: frozenset({S.IN_PREPARATION, S.FILED, S.CANCELLED}),
    S.IN_PREPARATION: frozenset({S.TO_REQUEST, S.FILED, S.CANCELLED}),
    S.FILED: frozenset(
        {S.UNDER_REVIEW, S.GRANTED, S.GRANTED_WITH_CONDITIONS, S.REFUSED, S.CANCELLED}
    ),
    S.UNDER_REVIEW: frozenset({S.GRANTED, S.GRANTED_WITH_CONDITIONS, S.REFUSED, S.CANCELLED}),
    S.GRANTED: frozenset({S.GRANTED_WITH_CONDITIONS, S.CANCELLED, S.EXPIRED}),
    S.GRANTED_WITH_CONDITIONS: frozenset({S.GRANTED, S.CANCELLED, S.EXPIRED}),
    S.REFUSED: frozenset({S.IN_PREPARATION, S.FILED}),  # file again, corrected
    S.CANCELLED: frozenset({S.TO_REQUEST}),
    S.EXPIRED: frozenset({S.TO_REQUEST}),  # a new request for new dates
}


def check_transition(old: PermitStatus, new: PermitStatus) -> None:
    if new != old and new not in TRANSITIONS[old]:
        allowed = ", ".join(s.label for s in PermitStatus if s in TRANSITIONS[old])
        raise ValidationError(
            "status",
            _("a permit cannot go from {old} to {new}; from {old} it can go to: {allowed}").format(
                old=old.label, new=new.label, allowed=allowed
            ),
        )


@dataclass(frozen=True, slots=True)
class StatusChange:
    at: str
    old: str
    new: str
    note: str = ""
    by: str = ""  # who saved it (`user` in config.toml), stamped by the store


@dataclass(frozen=True, slots=True)
class Arrete:
    """The street part of a parking or traffic arrêté: explicit, so residents know."""

    street: str = ""
    side: str = ""  # "pair", "impair", "both"
    from_number: str = ""
    to_number: str = ""
    perimeter: str = ""  # described, when numbers do not fit
    spaces: int | None = None
    start: date | None = None
    end: date | None = None
    from_time: time | None = None
    to_time: time | None = None
    notice_posted_on: date | None = None  # the residents' notice: at least 3 days before
    proof_photos: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Permit:
    lieu_id: int
    type: str  # a type id of the rules file
    authority: str = ""
    id: int | None = None
    status: PermitStatus = PermitStatus.TO_REQUEST
    reference: str = ""
    filed_on: date | None = None
    decision_on: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    shoot_days: tuple[date, ...] = ()  # empty: all the lieu's shoot days
    deadline_override: date | None = None
    override_reason: str = ""
    conditions: str = ""
    documents: tuple[str, ...] = ()
    contact: str = ""
    notes: str = ""
    arrete: Arrete | None = None
    history: tuple[StatusChange, ...] = field(default=())
    # Every edit of a field ("reference", "arrete.street"…), oldest first, values neutral
    # (dates ISO, lists as lists): what the status changes do not say.
    changes: tuple[Change, ...] = field(default=())
    created_at: str = ""
    updated_at: str = ""
    version: int = 0  # the store's count of saves: a save from an older one is merged

    def with_status(self, new: PermitStatus, at: str, note: str = "") -> Permit:
        check_transition(self.status, new)
        if new == self.status:
            return self
        change = StatusChange(at, self.status.value, new.value, note)
        return replace(self, status=new, history=self.history + (change,), updated_at=at)


# The fields whose edits a permit records, in the order of the form.
RECORDED_FIELDS = (
    "authority",
    "reference",
    "filed_on",
    "decision_on",
    "valid_from",
    "valid_to",
    "shoot_days",
    "deadline_override",
    "override_reason",
    "conditions",
    "documents",
    "contact",
    "notes",
)
RECORDED_ARRETE_FIELDS = (
    "street",
    "side",
    "from_number",
    "to_number",
    "perimeter",
    "spaces",
    "start",
    "end",
    "from_time",
    "to_time",
    "notice_posted_on",
    "proof_photos",
)


def neutral(value: object) -> object:
    """A field's value as a document keeps it: dates and times ISO, tuples as lists."""
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [neutral(v) for v in value]
    return value


def field_changes(before: Permit, after: Permit, at: str) -> tuple[Change, ...]:
    """What an edit changed, field by field ("arrete.street" for the arrêté's)."""
    found = [
        Change(at, name, neutral(getattr(before, name)), neutral(getattr(after, name)))
        for name in RECORDED_FIELDS
        if getattr(before, name) != getattr(after, name)
    ]
    old, new = before.arrete or Arrete(), after.arrete or Arrete()
    found += [
        Change(at, "arrete." + name, neutral(getattr(old, name)), neutral(getattr(new, name)))
        for name in RECORDED_ARRETE_FIELDS
        if getattr(old, name) != getattr(new, name)
    ]
    return tuple(found)


def with_field_changes(before: Permit, after: Permit, at: str) -> Permit:
    """`after` with the edits since `before` appended to its changes."""
    found = field_changes(before, after, at)
    return replace(after, changes=after.changes + found) if found else after
