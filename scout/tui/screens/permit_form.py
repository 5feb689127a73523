"""A permit as a form (add or edit, arrêté included), its history, and the flows that
open them from the lieux screen and from the review.

The form checks everything with the service's own check (the same parsers as the CLI:
`scout permit add/set`) before it closes, shows each error beside its field, and hands
back what the service saves in one step.
"""

from __future__ import annotations

import bisect
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea

from scout.domain.permit import Permit, PermitStatus
from scout.errors import ScoutError, ValidationError, ValidationErrors
from scout.i18n import N_, _, formats, ngettext
from scout.permits.fiche import has_arrete
from scout.permits.review import Review, ReviewRow
from scout.tui.screens.base import GuardedForm, writable
from scout.tui.screens.status import next_statuses
from scout.tui.text import content, day_text, moment_text, plain

if TYPE_CHECKING:
    from scout.tui.app import ScoutApp

# The fields of the form, in order: (key of the permit fiche, label marked N_()).
PERMIT_FIELDS = (
    ("deadline_override", N_("Filing deadline")),
    ("override_reason", N_("Why this deadline")),
    ("reference", N_("Reference")),
    ("filed_on", N_("Filed on")),
    ("decision_on", N_("Decision on")),
    ("valid_from", N_("Valid from")),
    ("valid_to", N_("Valid until")),
    ("contact", N_("Contact")),
    ("conditions", N_("Conditions")),
    ("notes", N_("Notes")),
)
STATUS_FIELDS = (
    ("status", N_("Status")),
    ("history_note", N_("Note for the history")),
)
ARRETE_FIELDS = (
    ("street", N_("Street")),
    ("side", N_("Side")),
    ("from_number", N_("From no.")),
    ("to_number", N_("To no.")),
    ("perimeter", N_("Or the perimeter")),
    ("spaces", N_("Parking spaces")),
    ("start", N_("First day")),
    ("end", N_("Last day")),
    ("from_time", N_("From (time)")),
    ("to_time", N_("To (time)")),
    ("notice_posted_on", N_("Residents' notice on")),
    ("proof_photos", N_("Proof photos")),
)
DATE_KEYS = {
    "deadline_override",
    "filed_on",
    "decision_on",
    "valid_from",
    "valid_to",
    "start",
    "end",
    "notice_posted_on",
}
TIME_KEYS = {"from_time", "to_time"}
TEXT_AREAS = {"conditions", "notes"}
# The words of an arrêté's side of the street, stored as the French codes.
SIDES = (
    ("pair", N_("even-numbered side")),
    ("impair", N_("odd-numbered side")),
    ("both", N_("both sides")),
)
EXAMPLE_DAY = date(2026, 12, 3)


class PermitEntry(NamedTuple):
    """What the form hands back, checked: `ws.permits.save(*entry)` writes it."""

    lieu_id: int
    type_id: str
    raw: dict[str, Any]
    permit_id: int | None
    status: str | None
    note: str
    read: Permit | None = None  # the permit as the form showed it (its version)


def _date_value(value: date | None) -> str:
    return formats.day(value, "") if value else ""


def permit_values(permit: Permit | None) -> dict[str, Any]:
    """The form's fields for a permit as the run writes them (dates 03/12/2026 in French,
    2026-12-03 in English)."""
    if permit is None:
        return {}
    values: dict[str, Any] = {
        "override_reason": permit.override_reason,
        "reference": permit.reference,
        "filed_on": _date_value(permit.filed_on),
        "decision_on": _date_value(permit.decision_on),
        "valid_from": _date_value(permit.valid_from),
        "valid_to": _date_value(permit.valid_to),
        "contact": permit.contact,
        "conditions": permit.conditions,
        "notes": permit.notes,
    }
    a = permit.arrete
    if a is not None:
        values.update(
            street=a.street,
            side=a.side,
            from_number=a.from_number,
            to_number=a.to_number,
            perimeter=a.perimeter,
            spaces="" if a.spaces is None else str(a.spaces),
            start=_date_value(a.start),
            end=_date_value(a.end),
            from_time=formats.clock(a.from_time, ""),
            to_time=formats.clock(a.to_time, ""),
            notice_posted_on=_date_value(a.notice_posted_on),
            proof_photos=list(a.proof_photos),
        )
    return {k: plain(v) if isinstance(v, str) else v for k, v in values.items()}


class PermitForm(GuardedForm[PermitEntry | None]):
    """Add a permit to a lieu (`permit` None) or edit one; returns the checked entry, or
    None when cancelled."""

    app: ScoutApp

    LABEL = N_("Permit")
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="permit_form.save", tooltip=N_("Check and save")),
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            id="permit_form.cancel",
            tooltip=N_("Close without saving (asks first when something was changed)"),
        ),
        Binding(
            "f1", "app.help", N_("Help"), id="permit_form.help", tooltip=N_("The keys of the form")
        ),
    ]

    DEFAULT_CSS = """
    /* The permit form (scout/tui/screens/permit_form.py) */
    PermitForm #deadline-hint, PermitForm #form-error {
        width: 100%; height: auto; color: $text-muted; padding-left: 26;
    }
    PermitForm #form-error { color: $error; padding-left: 0; }
    PermitForm #input-proof_photos { height: auto; max-height: 6; width: 1fr; }
    PermitForm #arrete-section { height: auto; }
    PermitForm #arrete-section.-hidden { display: none; }
    """

    def __init__(
        self,
        lieu_id: int,
        lieu_name: str,
        permit: Permit | None = None,
        type_id: str | None = None,
    ) -> None:
        super().__init__()
        self.lieu_id = lieu_id
        self.wanted_type = type_id
        self.lieu_name = lieu_name
        self.permit = permit
        self._opened_with: dict[str, Any] = {}
        self._suggested: dict[str, date | None] = {}  # deadline by type, as the rules give it

    # -- building ---------------------------------------------------------------------
    @property
    def permits(self) -> Any:
        return self.app.ws.permits

    def _type_choices(self) -> tuple[list[tuple[str, str]], str]:
        rules = self.permits.rules
        options = [(t.label, t.id) for t in rules.types.values()]
        if self.permit is not None:
            if self.permit.type not in rules.types:
                options.append((self.permit.type, self.permit.type))
            return options, self.permit.type
        if self.wanted_type is not None and self.wanted_type in rules.types:
            return options, self.wanted_type
        wanted = [s.type.id for s in self.permits.to_create(self.lieu_id, possible=True)]
        return options, (wanted[0] if wanted else options[0][1])

    def _deadline_of(self, type_id: str) -> date | None:
        if type_id not in self._suggested:
            try:
                if self.permit is not None:
                    self._suggested[type_id] = self.permits.computed_deadline(self.permit)
                else:
                    self._suggested[type_id] = self.permits.suggested_deadline(
                        self.lieu_id, type_id
                    )
            except ScoutError:
                self._suggested[type_id] = None
        return self._suggested[type_id]

    def compose(self) -> ComposeResult:
        values = permit_values(self.permit)
        options, type_id = self._type_choices()
        self.type_id = type_id
        suggested = self._deadline_of(type_id)
        deadline = (
            self.permit.deadline_override if self.permit and self.permit.deadline_override else None
        )
        values["deadline_override"] = _date_value(deadline or suggested)
        if self.permit is None:
            title = _("New permit — {lieu}").format(lieu=self.lieu_name)
        else:
            title = _("Permit {id} — {lieu}").format(id=self.permit.id, lieu=self.lieu_name)
        with Vertical(id="form-box"):
            yield Static(content(title), id="form-title")
            with VerticalScroll(id="form-fields"):
                yield Label("", id="form-error", markup=False)
                with Vertical(classes="field", id="field-type"):
                    with Horizontal(classes="field-row"):
                        yield Label(_("Type"), classes="field-label")
                        yield Select(
                            options,
                            value=type_id,
                            allow_blank=False,
                            id="input-type",
                            compact=True,
                            disabled=self.permit is not None,  # a permit keeps its type
                        )
                    yield Label("", classes="field-error", id="error-type")
                yield Static(_("Permit"), classes="form-section")
                for key, label in PERMIT_FIELDS:
                    yield from self._field(key, label, values.get(key, ""))
                    if key == "deadline_override":
                        yield Label(self._hint(type_id), id="deadline-hint", markup=False)
                yield Static(_("Status and history"), classes="form-section")
                for key, label in STATUS_FIELDS:
                    yield from self._field(key, label, "")
                with Vertical(id="arrete-section"):
                    yield Static(_("Arrêté (the street part)"), classes="form-section")
                    for key, label in ARRETE_FIELDS:
                        yield from self._field(key, label, values.get(key, ""))
            with Horizontal(id="form-buttons"):
                yield Static(_("Ctrl+S save · Esc cancel"), id="form-hint")
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def _field(self, key: str, label: str, value: Any) -> ComposeResult:
        with Vertical(classes="field", id=f"field-{key}"):
            with Horizontal(classes="field-row"):
                yield Label(_(label), classes="field-label")
                yield self._widget(key, value)
            yield Label("", classes="field-error", id=f"error-{key}", markup=False)

    def _widget(self, key: str, value: Any) -> Any:
        wid = f"input-{key}"
        if key == "status":
            current = self.permit.status if self.permit else PermitStatus.TO_REQUEST
            options = [(_("{status} (current)").format(status=current.label), current.value)]
            options += [(s.label, s.value) for s in next_statuses(current)]
            return Select(options, value=current.value, allow_blank=False, id=wid, compact=True)
        if key == "side":
            sides = [(_("not given"), "")] + [(_(label), code) for code, label in SIDES]
            if value and value not in {code for code, _label in SIDES}:
                sides.append((value, value))  # kept as it is
            return Select(sides, value=value or "", allow_blank=False, id=wid, compact=True)
        if key == "proof_photos":
            return SelectionList[str](*self._photo_choices(value or []), id=wid, compact=True)
        if key in TEXT_AREAS:
            return TextArea(str(value), id=wid, soft_wrap=True, compact=True)
        placeholder = ""
        # "e.g. …": an example must not read as a date already typed.
        if key in DATE_KEYS:
            placeholder = _("e.g. {example}").format(example=formats.day(EXAMPLE_DAY))
        elif key in TIME_KEYS:
            placeholder = _("e.g. {example}").format(example="07:30")
        elif key == "history_note":
            placeholder = _("(optional) what changed, who said so")
        return Input(str(value), placeholder=placeholder, id=wid, compact=True)

    def _photo_choices(self, chosen: list[str]) -> list[tuple[str, str, bool]]:
        """The lieu's photos (caption or file name), those already chosen ticked; a proof
        that is not one of them any more stays, ticked."""
        photos = self.app.ws.photos.of_lieu(self.lieu_id)
        out = [(plain(p.caption or Path(p.path).name), p.path, p.path in chosen) for p in photos]
        known = {p.path for p in photos}
        out += [(plain(Path(path).name), path, True) for path in chosen if path not in known]
        return out

    def _hint(self, type_id: str) -> str:
        ptype = self.permits.rules.types.get(type_id)
        suggested = self._deadline_of(type_id)
        if ptype is None:
            return ""
        if suggested is None:
            return _("no shoot day yet: no deadline to suggest ({lead} before it)").format(
                lead=ptype.lead_text
            )
        return _("suggested: {day} ({lead} before the first shoot day)").format(
            day=formats.day(suggested), lead=ptype.lead_text
        )

    def on_mount(self) -> None:
        self._show_arrete(self.type_id)
        if self.query_one("#input-proof_photos", SelectionList).option_count == 0:
            self.query_one("#field-proof_photos").display = False
        first = "#input-type" if self.permit is None else "#input-reference"
        self.query_one(first).focus()
        self._opened_with = self.raw()

    def _show_arrete(self, type_id: str) -> None:
        self.query_one("#arrete-section").set_class(not has_arrete(type_id), "-hidden")

    @on(Select.Changed, "#input-type")
    def _type_changed(self, event: Select.Changed) -> None:
        if self.permit is not None or event.value is Select.BLANK:
            return
        old, new = self.type_id, str(event.value)
        if old == new:
            return
        box = self.query_one("#input-deadline_override", Input)
        if box.value.strip() in ("", _date_value(self._deadline_of(old))):
            box.value = _date_value(self._deadline_of(new))  # still the suggestion: follow
        self.type_id = new
        self.query_one("#deadline-hint", Label).update(self._hint(new))
        self._show_arrete(new)

    @property
    def changed(self) -> bool:
        return self.raw() != self._opened_with

    # -- reading the form -------------------------------------------------------------
    def raw(self) -> dict[str, Any]:
        """Every field as typed (the type and the status change included)."""
        raw: dict[str, Any] = {"type": self.type_id}
        keys = [k for k, _label in (*PERMIT_FIELDS, *STATUS_FIELDS)]
        if has_arrete(self.type_id):
            keys += [k for k, _label in ARRETE_FIELDS]
        for key in keys:
            widget = self.query_one(f"#input-{key}")
            if isinstance(widget, TextArea):
                raw[key] = widget.text
            elif isinstance(widget, Select):
                raw[key] = "" if widget.value is Select.BLANK else str(widget.value)
            elif isinstance(widget, SelectionList):
                raw[key] = [str(v) for v in widget.selected]
            elif isinstance(widget, Input):
                raw[key] = widget.value
        return raw

    def entry(self) -> PermitEntry:
        raw = self.raw()
        type_id = raw.pop("type")
        status = raw.pop("status")
        note = raw.pop("history_note").strip()
        current = self.permit.status.value if self.permit else PermitStatus.TO_REQUEST.value
        # The deadline the rules give is not an override: only another date is.
        typed = str(raw["deadline_override"]).strip()
        suggested = self._deadline_of(type_id)
        if suggested is not None and typed:
            from scout.domain.values import parse_date

            try:
                if parse_date(typed, "deadline_override") == suggested:
                    raw["deadline_override"] = ""
            except ValidationError:
                pass  # said beside the field by the check
        permit_id = self.permit.id if self.permit else None
        return PermitEntry(
            self.lieu_id,
            type_id,
            raw,
            permit_id,
            None if status == current else status,
            note,
            self.permit,
        )

    def check(self) -> PermitEntry | None:
        """The checked entry if every field is right; otherwise the errors beside their
        fields, and None."""
        entry = self.entry()
        errors: list[ValidationError] = []
        try:
            self.permits.check(
                entry.lieu_id,
                entry.type_id,
                entry.raw,
                permit_id=entry.permit_id,
                status=entry.status,
                note=entry.note,
            )
        except ValidationErrors as e:
            errors = e.errors
        except ValidationError as e:
            errors = [e]
        if entry.note and entry.status is None:  # it would be lost: the history has no line
            errors.append(
                ValidationError(
                    "history_note",
                    _("goes with a status change: choose the new status, or write it in Notes"),
                )
            )
        keys = [k for k, _label in (*PERMIT_FIELDS, *STATUS_FIELDS, *ARRETE_FIELDS)]
        by_key: dict[str, str] = {}
        loose: list[str] = []
        for err in errors:
            key = err.field.split(" ")[0]
            if key in keys:
                by_key.setdefault(key, err.message)
            else:
                loose.append(str(err))
        for key in keys:
            self.query_one(f"#error-{key}", Label).update(plain(by_key.get(key, "")))
            self.query_one(f"#field-{key}").set_class(key in by_key, "-invalid")
        self.query_one("#form-error", Label).update(plain("\n".join(loose)))
        if errors:
            first = next((k for k in keys if k in by_key), None)
            if first is not None:
                self.query_one(f"#input-{first}").focus()
                self.query_one(f"#field-{first}").scroll_visible(animate=False)
            n = len(errors)
            self.notify(
                ngettext("{n} field to correct", "{n} fields to correct", n).format(n=n),
                severity="error",
                timeout=4,
            )
            return None
        return entry

    # -- actions ----------------------------------------------------------------------
    def action_save(self) -> None:
        entry = self.check()
        if entry is not None:
            self.dismiss(entry)

    def discard_question(self) -> str:
        if self.permit:
            return _("Close without saving? The changes to permit {id} will be lost.").format(
                id=self.permit.id
            )
        return _("Close without saving? This new permit will be lost.")


def history_lines(permit: Permit) -> list[str]:
    """Every status change of a permit, oldest first: when, from what to what, who (when
    the history says), the note."""
    lines = []
    if permit.created_at:
        lines.append(
            _("{at}  created ({status})").format(
                at=moment_text(permit.created_at), status=PermitStatus.TO_REQUEST.label
            )
        )
    dated: list[tuple[str, str]] = [(c.at, _change_line(c)) for c in permit.changes]
    for h in permit.history:
        line = _("{at}  {old} → {new}").format(
            at=moment_text(h.at), old=_status_label(h.old), new=_status_label(h.new)
        )
        author = getattr(h, "by", "")  # who saved it, when the store says (team mode)
        if author:
            line += "  " + _("by {author}").format(author=author)
        if h.note:
            line += f"\n      {h.note}"
        dated.append((h.at, line))
    dated.sort(key=lambda entry: entry[0])  # stable: a save's edits before its status
    lines += [line for _at, line in dated]
    if not permit.history and not permit.changes:
        lines.append(_("No status change yet."))
    return lines


_CHANGE_LABELS = dict(
    PERMIT_FIELDS
    + tuple(("arrete." + key, label) for key, label in ARRETE_FIELDS)
    + (
        ("authority", N_("Authority")),
        ("shoot_days", N_("Shoot days")),
        ("documents", N_("Documents")),
    )
)


def _change_line(change: Any) -> str:
    """« 23/11/2026 09:00  Reference: AG-1 → AG-2026-77  by Lucie »: a field's edit, its
    values as the form shows them (dates in the run's format)."""
    key = change.field.removeprefix("arrete.")
    label = _CHANGE_LABELS.get(change.field)
    line = _("{at}  {field}: {old} → {new}").format(
        at=moment_text(change.at),
        field=_(label) if label else change.field,
        old=_change_value(key, change.old),
        new=_change_value(key, change.new),
    )
    if change.by:
        line += "  " + _("by {author}").format(author=change.by)
    return line


def _change_value(key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if key in DATE_KEYS or key == "shoot_days":
        days = value if isinstance(value, list) else [value]
        return ", ".join(day_text(str(d)) for d in days)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = " ".join(str(value).split())  # a note's lines on one line, cut when long
    return text if len(text) <= 60 else text[:59] + "…"


def _status_label(value: str) -> str:
    try:
        return PermitStatus.of(value).label
    except ValueError:
        return value


class PermitHistoryScreen(ModalScreen[None]):
    """A permit's whole history, status change by status change."""

    LABEL = N_("Permit history")
    BINDINGS = [
        Binding(
            "escape,h,q", "close", N_("Close"), id="history.close", tooltip=N_("Back to the list")
        ),
    ]
    DEFAULT_CSS = """
    /* The permit history (scout/tui/screens/permit_form.py) */
    #history-box { width: 90%; max-width: 100; height: auto; max-height: 90%;
                   border: thick $accent; background: $surface; padding: 0 1; }
    #history-title { text-style: bold; width: 100%; height: auto; }
    #history-lines { height: auto; max-height: 30; }
    #history-hint { color: $text-muted; }
    """

    def __init__(self, permit: Permit, title: str) -> None:
        super().__init__()
        self.permit = permit
        self.title_text = title

    def compose(self) -> ComposeResult:
        p = self.permit
        with Vertical(id="history-box"):
            yield Label(content(self.title_text), id="history-title")
            yield Label(
                content(
                    _("Status: {status} · reference: {ref}").format(
                        status=p.status.label, ref=p.reference or "—"
                    )
                )
            )
            with VerticalScroll(id="history-lines"):
                yield Static(content("\n".join(history_lines(p))), id="history-text")
            yield Static(_("Esc: close"), id="history-hint")

    def action_close(self) -> None:
        self.dismiss(None)


# -- the flows, shared by the lieux screen and the review ----------------------------------
def _lieu_name(app: Any, lieu_id: int) -> str:
    return str(app.ws.lieux.get(lieu_id).name)


def add_permit(screen: Screen[Any], lieu_id: int | None, type_id: str | None = None) -> None:
    """The form for a new permit of this lieu (of the rules' suggestion unless `type_id`
    is given), saved when it closes checked."""
    if lieu_id is None:
        screen.notify(_("No location under the cursor."), severity="warning")
        return
    if not writable(screen):
        return
    app: Any = screen.app
    form = PermitForm(lieu_id, _lieu_name(app, lieu_id), type_id=type_id)
    app.push_screen(form, lambda entry: save_entry(screen, entry))


def edit_permit(screen: Screen[Any], permit_id: int) -> None:
    if not writable(screen):
        return
    app: Any = screen.app
    permit = app.ws.permits.get(permit_id)
    form = PermitForm(permit.lieu_id, _lieu_name(app, permit.lieu_id), permit)
    app.push_screen(form, lambda entry: save_entry(screen, entry))


def show_history(screen: Screen[Any], permit_id: int) -> None:
    app: Any = screen.app
    permit = app.ws.permits.get(permit_id)
    label = app.ws.permits.rules.types.get(permit.type)
    title = _("{type} — {lieu} (permit {id})").format(
        type=label.label if label else permit.type,
        lieu=_lieu_name(app, permit.lieu_id),
        id=permit.id,
    )
    app.push_screen(PermitHistoryScreen(permit, title))


def save_entry(screen: Screen[Any], entry: PermitEntry | None) -> None:
    if entry is None:
        return
    app: Any = screen.app

    def run() -> None:
        permit = app.ws.permits.save(
            entry.lieu_id,
            entry.type_id,
            entry.raw,
            permit_id=entry.permit_id,
            status=entry.status,
            note=entry.note,
            read=entry.read,  # others' saves since are merged, not overwritten
        )
        label = app.ws.permits.rules.types.get(permit.type)
        text = _("Saved: permit {id} ({type}), {status}").format(
            id=permit.id, type=label.label if label else permit.type, status=permit.status.label
        )
        app.call_from_thread(app.notify, plain(text), timeout=4, markup=False)
        permits_changed(app, permit.lieu_id, permit.id)

    screen.run_worker(run, thread=True, group="save", exit_on_error=False)


def create_suggested(screen: Screen[Any], lieu_id: int | None) -> None:
    """Every permit the rules call for that the lieu lacks, after a confirmation that
    lists them with their deadlines."""
    if lieu_id is None:
        screen.notify(_("No location under the cursor."), severity="warning")
        return
    if not writable(screen):
        return
    app: Any = screen.app
    wanted = app.ws.permits.to_create(lieu_id)
    name = _lieu_name(app, lieu_id)
    if not wanted:
        from scout.present.suggestions import only_possible

        possible = only_possible(
            name, app.ws.permits.suggest(lieu_id), how=_("add them one by one with t")
        )
        screen.notify(
            plain(
                possible
                or _("“{name}”: no permit to create (the rules call for none it lacks).").format(
                    name=name
                )
            ),
            timeout=8 if possible else 5,
            markup=False,
        )
        return
    lines = [
        "• "
        + (
            _("{type} — file by {day}").format(type=s.type.label, day=day_text(s.deadline))
            if s.deadline
            else _("{type} — no shoot day yet: no deadline").format(type=s.type.label)
        )
        for s in wanted
    ]
    n = len(wanted)
    question = (
        ngettext(
            "Create this permit for “{name}”?",
            "Create these {n} permits for “{name}”?",
            n,
        ).format(n=n, name=name)
        + "\n"
        + "\n".join(lines)
    )
    from scout.tui.screens.confirm import ConfirmScreen

    def answered(yes: bool | None) -> None:
        if not yes:
            return

        def run() -> None:
            created = app.ws.permits.create_suggested(lieu_id)
            done = ngettext("{n} permit created", "{n} permits created", len(created))
            app.call_from_thread(app.notify, done.format(n=len(created)), timeout=4)
            permits_changed(app, lieu_id, created[0].id if created else None)

        screen.run_worker(run, thread=True, group="save", exit_on_error=False)

    app.push_screen(ConfirmScreen(plain(question), _("Create")), answered)


# -- after a save: the review and the fiche follow, nothing reloaded ----------------------
def _row_order(r: ReviewRow) -> tuple[Any, ...]:
    # the service's order of the review (scout/services/permits.py)
    return (r.urgency, r.deadline or date.max, r.lieu_name, r.permit_id or 0, r.type, r.lieu_id)


def merged_review(old: Review, part: Review, lieu_id: int) -> Review:
    """The whole review with one lieu's rows and warnings replaced by `part`'s."""
    rows = [r for r in old.rows if r.lieu_id != lieu_id]  # still in order
    for row in part.rows:
        bisect.insort(rows, row, key=_row_order)
    warnings = [w for w in old.warnings if w.lieu_id != lieu_id] + list(part.warnings)
    return Review(rows, warnings)


def permits_changed(app: Any, lieu_id: int, permit_id: int | None) -> None:
    """Called in the saving worker: this lieu's part of the review read again (quick),
    then merged into the open review, the badge and the fiche, on the UI thread."""
    from scout.tui.screens.permits import PermitsScreen

    part = app.ws.permits.review(lieu_id=lieu_id)
    # the service's review, kept and brought up to date with the save (issue 13)
    merged = app.ws.permits.updated_review()
    if merged is None:  # none kept there (a store that does not say what changed)
        reviews = [s for s in app.screen_stack if isinstance(s, PermitsScreen)]
        whole = reviews[-1].review if reviews else None
        if whole is None:  # the review the list's permit filters read, when they did
            try:
                whole = getattr(app.lieux_screen(), "_permits_of", None)
            except LookupError:
                whole = None
        merged = merged_review(whole, part, lieu_id) if isinstance(whole, Review) else None
    app.call_from_thread(_show_changes, app, lieu_id, permit_id, part, merged)


def _show_changes(
    app: Any, lieu_id: int, permit_id: int | None, part: Review, merged: Review | None
) -> None:
    from scout.tui.screens.permits import PermitsScreen
    from scout.tui.widgets.lieu_table import LieuTable
    from scout.tui.widgets.permit_table import PermitTable

    if merged is None:
        app.check_deadlines(announce=False)
    else:
        app.show_badge(merged)
    for screen in app.screen_stack:
        if isinstance(screen, PermitsScreen) and merged is not None:
            table = screen.query_one(PermitTable)
            new_keys = {r.key for r in part.rows}
            for row in table.all_rows():
                if row.lieu_id == lieu_id and row.key not in new_keys:
                    table.remove_row(row.key)
            for row in part.rows:
                table.upsert(row)
            screen.review = merged
            if screen.urgent_only:  # the upserts showed every row the text filter finds
                screen._apply_urgent_filter()
            if permit_id is not None:
                table.move_to(f"permit-{permit_id}")
            screen._status_line()
            current = table.current_id
            if current is not None:
                screen.query_one("#permit-detail", Static).update(screen._detail(current))
    try:
        lieux = app.lieux_screen()
    except LookupError:
        return
    if lieux.query_one(LieuTable).current_id == lieu_id:
        lieux.show_detail(lieu_id)
