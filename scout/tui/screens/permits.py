"""The régie's review screen: every permit by urgency, filters, status changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Input, Static

from scout.domain.permit import Arrete, Permit, PermitStatus
from scout.i18n import N_, _, formats, ngettext
from scout.permits.deadlines import Urgency
from scout.permits.review import Review, ReviewRow
from scout.permits.rules import confidence_label
from scout.present.labels import permit_status_label
from scout.tui.screens.base import ScoutScreen
from scout.tui.screens.confirm import ConfirmScreen
from scout.tui.screens.status import StatusScreen
from scout.tui.text import content, day_text, moment_text, plain
from scout.tui.widgets.header import ScoutHeader
from scout.tui.widgets.key_bar import KeyBar
from scout.tui.widgets.permit_table import Keyed, PermitTable

# The labels of the detail's lines (marked N_(), translated where drawn), and the words
# of an arrêté's side of the street, stored as the French codes.
SIDES = {
    "pair": N_("even-numbered side"),
    "impair": N_("odd-numbered side"),
    "both": N_("both sides"),
}
LABEL_WIDTH = 13


def detail_line(label: str, value: object) -> Content:
    """« Échéance     03/12/2026 »: the label (a msgid) translated and padded, the value
    drawn as text."""
    return content(f"{_(label):<{LABEL_WIDTH - 1}} {value}")


if TYPE_CHECKING:
    from scout.tui.app import ScoutApp


class PermitsScreen(ScoutScreen):
    LABEL = N_("Permits")
    # The table has the focus from the first frame: no focus moving from the filter to
    # it afterwards (a second layout of the whole screen, measured: issue 13)
    AUTO_FOCUS = "#permits-table"
    KEY_BAR = (
        "permits.status",
        "permits.lieu",
        "permits.filter",
        "permits.back",
        "permits.urgent",
    )
    BINDINGS = [
        Binding(
            "s",
            "status",
            N_("Status"),
            id="permits.status",
            tooltip=N_("Change the status of the permit under the cursor"),
        ),
        Binding(
            "g",
            "go_to_lieu",
            N_("Go to location"),
            id="permits.lieu",
            tooltip=N_("Open the location of this permit"),
        ),
        Binding(
            "u",
            "urgent",
            N_("Urgent"),
            id="permits.urgent",
            tooltip=N_("Only overdue permits and those due within 7 working days"),
        ),
        Binding(
            "slash",
            "filter",
            N_("Filter"),
            id="permits.filter",
            tooltip=N_("Filter by location, arrondissement, authority, status or type"),
        ),
        Binding(
            "escape", "back", N_("Back"), id="permits.back", tooltip=N_("Back to the locations")
        ),
        Binding(
            "e",
            "edit_permit",
            N_("Edit"),
            id="permits.edit",
            tooltip=N_("Edit the permit under the cursor: reference, dates, note, arrêté"),
        ),
        Binding(
            "t",
            "add_permit",
            N_("Add a permit"),
            id="permits.add",
            tooltip=N_("Add a permit to the location of the row under the cursor"),
        ),
        Binding(
            "h",
            "history",
            N_("History"),
            id="permits.history",
            tooltip=N_("Every status change of the permit under the cursor"),
        ),
        Binding(
            "T",
            "suggested_permits",
            N_("Suggested permits"),
            id="permits.suggested",
            tooltip=N_("Create in one step the permits the rules call for at this location"),
        ),
    ]

    app: ScoutApp

    def __init__(self) -> None:
        super().__init__()
        self.review: Review | None = None
        self.urgent_only = False
        self._keep_on: int | None = None  # the permit the cursor goes to after a reload
        self._shown_at_mount: Any = None  # the detail drawn in the first frame

    def _screen_resized(self, size: Size) -> None:
        # The Resize a screen gets after its first layout, at the size it was just laid
        # out at, would lay out 60,000 rows' screen again: skipped (any real resize, or a
        # screen not laid out yet, goes through).
        if self.is_current and size == self.size:
            return
        super()._screen_resized(size)

    def compose(self) -> ComposeResult:
        yield ScoutHeader()
        yield Input(
            placeholder=_("/ Filter: location, 5e, AGATE, Préfecture, refused, overdue…"),
            id="permit-filter",
            compact=True,
        )
        with Horizontal(id="permits-body"):
            yield PermitTable(id="permits-table")
            with VerticalScroll(id="permit-detail-scroll"):
                yield Static("", id="permit-detail")
        yield Static(_("Loading the permits…"), id="permits-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(PermitTable).focus()
        # The badge's review, if nothing changed since, with its rows keyed in the badge's
        # worker: in the first frame. Otherwise (or while a worker computes it) from `load`.
        review = self.app.ws.permits.kept_review()
        rows = PermitTable.kept_by_key(review.rows) if review is not None else None
        if review is not None and rows is not None:
            self._loaded(review, rows, badge=False)
            key = self._shown_at_mount = self.query_one(PermitTable).current_id
            self._show_detail(key)  # in the same frame (not drawn a second time after it)
        else:
            self.call_after_refresh(self.load)

    def on_screen_resume(self) -> None:
        # Composed before it was shown (app.prepare_review), or back from a dialog: the
        # review as kept now, if a save changed it since (quick: merged lieu by lieu).
        if self.review is None:
            return
        review = self.app.ws.permits.kept_review()
        if review is self.review:
            return
        rows = PermitTable.kept_by_key(review.rows) if review is not None else None
        if review is not None and rows is not None:
            self._loaded(review, rows, badge=False)
        else:
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="review")
    def load(self) -> None:
        review = self.app.ws.permits.review()
        rows = PermitTable.by_key(review.rows)  # in the review's order: nothing to sort
        self.app.call_from_thread(self._loaded, review, rows)

    def _loaded(self, review: Review, rows: Keyed, badge: bool = True) -> None:
        self.review = review
        table = self.query_one(PermitTable)
        table.load_keyed(*rows, self.query_one("#permit-filter", Input).value)
        if self._keep_on is not None:  # the permit just changed or created
            for row in review.rows:
                if row.permit_id == self._keep_on:
                    table.move_to(row.key)
            self._keep_on = None
        if self.urgent_only:
            self._apply_urgent_filter()
        self._status_line()
        if badge:
            self.app.show_badge(review)

    def _apply_urgent_filter(self) -> None:
        table = self.query_one(PermitTable)
        text = self.query_one("#permit-filter", Input).value
        table.set_filter(text)
        if self.urgent_only and self.review is not None:
            table.keep_only({r.key for r in self.review.rows if r.urgency <= Urgency.DUE_7})
        self._status_line()

    def _status_line(self) -> None:
        table = self.query_one(PermitTable)
        total = len(self.review.rows) if self.review else 0
        parts = [
            ngettext("{shown} / {n} permit", "{shown} / {n} permits", total).format(
                shown=formats.number(table.row_count), n=formats.number(total)
            )
        ]
        if self.urgent_only:
            parts.append(_("overdue or ≤ 7 working days"))
        if self.review is not None:
            pressing = self.review.pressing
            parts.append(_("{n} overdue or ≤ 3 working days").format(n=pressing))
        text = " — ".join(parts)
        self.query_one("#permits-status", Static).update(text, layout=False)  # one line

    # -- detail ---------------------------------------------------------------------------
    @on(PermitTable.Highlighted, "#permits-table")
    def _highlighted(self, event: PermitTable.Highlighted) -> None:
        # The rows are drawn first, the permit's detail right after (it reads the store).
        shown, self._shown_at_mount = self._shown_at_mount, None
        if event.row_id is not None and event.row_id == shown:  # drawn with the rows
            return
        self._detail_for = event.row_id
        self.call_after_refresh(self._show_detail, event.row_id)

    def _show_detail(self, key: Any) -> None:
        if key == getattr(self, "_detail_for", key):  # the cursor has not moved on since
            self.query_one("#permit-detail", Static).update(self._detail(key))

    def _row(self, key: Any) -> ReviewRow | None:
        return self.query_one(PermitTable).get_row(key)

    def _detail(self, key: Any) -> Content:
        """The permit under the cursor. Names, references, streets, conditions and notes
        are the user's or a file's: drawn as text, terminal-safe, never read as markup."""
        row = self._row(key)
        if row is None:
            return content(
                _("No permit yet. On the locations, t adds one to the location under the cursor.")
            )
        if row.permit_id is None:
            return self._to_create_detail(row)
        permit = self.app.ws.permits.get(row.permit_id)
        ptype = self.app.ws.permits.rules.types.get(row.type)
        deadline = day_text(row.deadline)
        if permit.deadline_override:
            deadline += "  " + _("(forced: {reason})").format(reason=permit.override_reason)
        lines = [
            Content.assemble(
                content(row.type_label, "bold"),
                "  " + _("(permit {id})").format(id=row.permit_id),
            ),
            self._lieu_line(row),
            detail_line(N_("Authority"), self.app.ws.permits.authority_of(permit)),
            detail_line(N_("Status"), permit.status.label),
            detail_line(N_("Deadline"), deadline),
        ]
        if ptype:
            lines.append(
                detail_line(
                    N_("Lead time"), f"{ptype.lead_text}  [{confidence_label(ptype.confidence)}]"
                )
            )
        if permit.reference:
            lines.append(detail_line(N_("Reference"), permit.reference))
        if permit.valid_from or permit.valid_to:
            valid = f"{day_text(permit.valid_from)} → {day_text(permit.valid_to)}"
            lines.append(detail_line(N_("Validity"), valid))
        if permit.arrete is not None:
            lines.append(detail_line(N_("Arrêté"), arrete_text(permit.arrete)))
        if permit.conditions:
            lines.append(detail_line(N_("Conditions"), permit.conditions))
        if self.review is not None:
            for w in self.review.warnings:
                if w.lieu_id == row.lieu_id:
                    lines.append(Content.assemble(("⚠", "bold $error"), " ", content(w.message)))
        if permit.history:
            lines.append(content(_("History")))
            for h in permit.history:
                note = f" — {h.note}" if h.note else ""
                lines.append(
                    content(
                        f"  {moment_text(h.at)}  "
                        f"{PermitStatus.of(h.old).label} → {PermitStatus.of(h.new).label}{note}"
                    )
                )
        return Content("\n").join(lines)

    def _lieu_line(self, row: ReviewRow) -> Content:
        where = _("{name} (location {id})").format(name=row.lieu_name, id=row.lieu_id)
        return detail_line(N_("Location"), where)

    def _to_create_detail(self, row: ReviewRow) -> Content:
        ptype = self.app.ws.permits.rules.types.get(row.type)
        status = _("{status}: the rules call for it, nobody has created it yet").format(
            status=permit_status_label(row.status)
        )
        lines = [
            Content.assemble(content(row.type_label, "bold"), "  " + _("(to create)")),
            self._lieu_line(row),
            detail_line(N_("Authority"), row.authority),
            detail_line(N_("Status"), status),
            detail_line(N_("Deadline"), day_text(row.deadline)),
        ]
        if ptype:
            lines.append(
                detail_line(
                    N_("Lead time"), f"{ptype.lead_text}  [{confidence_label(ptype.confidence)}]"
                )
            )
        lines.append(content(_("e: create this permit · T: every permit the rules call for here")))
        return Content("\n").join(lines)

    # -- actions --------------------------------------------------------------------------
    def action_back(self) -> None:
        box = self.query_one("#permit-filter", Input)
        if box.value and box.has_focus:
            box.value = ""
            self.query_one(PermitTable).focus()
            return
        self.app.pop_screen()

    def action_filter(self) -> None:
        self.query_one("#permit-filter", Input).focus()

    def action_urgent(self) -> None:
        self.urgent_only = not self.urgent_only
        self._apply_urgent_filter()

    @on(Input.Changed, "#permit-filter")
    def _filter_changed(self) -> None:
        self._apply_urgent_filter()

    @on(Input.Submitted, "#permit-filter")
    def _filter_done(self) -> None:
        self.query_one(PermitTable).focus()

    @on(PermitTable.Selected, "#permits-table")
    def _selected(self) -> None:
        row = self._row(self.query_one(PermitTable).current_id)
        if row is not None and row.permit_id is not None:
            self.action_edit_permit()  # Enter edits a permit; on one to create, offers it
        else:
            self.action_status()

    # The permit form, its history, the suggested permits: scout/tui/screens/permit_form.py
    def action_edit_permit(self) -> None:
        from scout.tui.screens import permit_form

        row = self._row(self.query_one(PermitTable).current_id)
        if row is None:
            return
        if row.permit_id is None:
            permit_form.add_permit(self, row.lieu_id, row.type)  # one to create: its form
        else:
            permit_form.edit_permit(self, row.permit_id)

    def action_add_permit(self) -> None:
        from scout.tui.screens import permit_form

        row = self._row(self.query_one(PermitTable).current_id)
        permit_form.add_permit(self, row.lieu_id if row else None)

    def action_history(self) -> None:
        from scout.tui.screens import permit_form

        row = self._row(self.query_one(PermitTable).current_id)
        if row is not None and row.permit_id is not None:
            permit_form.show_history(self, row.permit_id)
        elif row is not None:
            self.notify(_("Not created yet: no history."), timeout=3)

    def action_suggested_permits(self) -> None:
        from scout.tui.screens import permit_form

        row = self._row(self.query_one(PermitTable).current_id)
        permit_form.create_suggested(self, row.lieu_id if row else None)

    def action_go_to_lieu(self) -> None:
        row = self._row(self.query_one(PermitTable).current_id)
        if row is not None:
            self.app.pop_screen()
            self.app.go_to_lieu(row.lieu_id)

    def action_status(self) -> None:
        row = self._row(self.query_one(PermitTable).current_id)
        if row is None:
            return
        if self.app.ws.read_only:
            self.notify(
                self.app.ws.read_only_reason(),
                severity="warning",
            )
            return
        permit_id = row.permit_id
        if permit_id is None:
            self._offer_to_create(row)
            return
        permit = self.app.ws.permits.get(permit_id)

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                self.change_status(permit_id, *answer)

        self.app.push_screen(StatusScreen(permit, f"{row.type_label} — {row.lieu_name}"), chosen)

    @work(thread=True, exclusive=False, exit_on_error=False, group="save")
    def change_status(self, permit_id: int, status: str, note: str) -> None:
        permit = self.app.ws.permits.update(permit_id, {}, status, note)
        self.app.call_from_thread(self._changed, permit)

    def _offer_to_create(self, row: ReviewRow) -> None:
        question = plain(
            _(
                "Create the permits the rules call for at “{name}” (location {id}) that "
                "nobody has created yet?"
            ).format(name=row.lieu_name, id=row.lieu_id)
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.create_suggested(row.lieu_id)

        self.app.push_screen(ConfirmScreen(question, _("Create")), answered)

    @work(thread=True, exclusive=False, exit_on_error=False, group="save")
    def create_suggested(self, lieu_id: int) -> None:
        created = self.app.ws.permits.create_suggested(lieu_id)
        self.app.call_from_thread(self._created, created)

    def _created(self, created: list[Permit]) -> None:
        n = len(created)
        self.notify(ngettext("{n} permit created", "{n} permits created", n).format(n=n), timeout=3)
        if created:
            self._keep_on = created[0].id
        self.load()

    def _changed(self, permit: Permit) -> None:
        self.notify(
            _("Permit {id}: {status}").format(id=permit.id, status=permit.status.label), timeout=3
        )
        self._keep_on = permit.id
        self.load()


def arrete_text(a: Arrete) -> str:
    """« rue Lepic, côté pair, du 12 au 20, 4 places »; what is not known yet says so."""
    numbers = (
        _("from no. {first} to no. {last}").format(first=a.from_number, last=a.to_number)
        if a.from_number
        else a.perimeter or _("perimeter to be specified")
    )
    side = _(SIDES[a.side]) if a.side in SIDES else a.side or _("side not given")
    return _("{street}, {side}, {numbers}, {spaces} spaces").format(
        street=a.street or _("street to be specified"),
        side=side,
        numbers=numbers,
        spaces=a.spaces or "?",
    )
