"""The régie's review screen: every permit by urgency, filters, status changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Header, Input, Static

from scout.domain.permit import Permit, PermitStatus
from scout.permits.deadlines import Urgency
from scout.permits.review import Review, ReviewRow
from scout.present.labels import permit_status_label
from scout.tui.screens.base import ScoutScreen
from scout.tui.screens.confirm import ConfirmScreen
from scout.tui.screens.status import StatusScreen
from scout.tui.text import content, plain
from scout.tui.widgets.key_bar import KeyBar
from scout.tui.widgets.permit_table import PermitTable
from scout.tui.widgets.virtual_table import french_date

if TYPE_CHECKING:
    from scout.tui.app import ScoutApp


class PermitsScreen(ScoutScreen):
    LABEL = "Autorisations"
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
            "Statut",
            id="permits.status",
            tooltip="Change the status of the permit under the cursor",
        ),
        Binding(
            "g",
            "go_to_lieu",
            "Aller au lieu",
            id="permits.lieu",
            tooltip="Open the lieu of this permit",
        ),
        Binding(
            "u",
            "urgent",
            "Urgentes",
            id="permits.urgent",
            tooltip="Only overdue permits and those due within 7 working days",
        ),
        Binding(
            "slash",
            "filter",
            "Filtrer",
            id="permits.filter",
            tooltip="Filter by lieu, arrondissement, authority, status or type",
        ),
        Binding("escape", "back", "Retour", id="permits.back", tooltip="Back to the lieux"),
    ]

    app: ScoutApp

    def __init__(self) -> None:
        super().__init__()
        self.review: Review | None = None
        self.urgent_only = False
        self._keep_on: int | None = None  # the permit the cursor goes to after a reload

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="/ Filtrer : lieu, 5e, AGATE, Préfecture, refusée, en retard…",
            id="permit-filter",
            compact=True,
        )
        with Horizontal(id="permits-body"):
            yield PermitTable(id="permits-table")
            with VerticalScroll(id="permit-detail-scroll"):
                yield Static("", id="permit-detail")
        yield Static("Chargement des autorisations…", id="permits-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(PermitTable).focus()
        self.call_after_refresh(self.load)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review")
    def load(self) -> None:
        review = self.app.ws.permits.review()
        prepared = PermitTable.prepare(review.rows)
        self.app.call_from_thread(self._loaded, review, prepared)

    def _loaded(self, review: Review, prepared: dict[Any, Any]) -> None:
        self.review = review
        table = self.query_one(PermitTable)
        table.load(prepared, self.query_one("#permit-filter", Input).value)
        if self._keep_on is not None:  # the permit just changed or created
            for row in review.rows:
                if row.permit_id == self._keep_on:
                    table.move_to(row.key)
            self._keep_on = None
        if self.urgent_only:
            self._apply_urgent_filter()
        self._status_line()
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
        text = f"{table.row_count} / {total} autorisations"
        if self.urgent_only:
            text += " — en retard ou ≤ 7 jours ouvrés"
        if self.review is not None:
            text += f" — {self.review.pressing} en retard ou ≤ 3 j ouvrés"
        self.query_one("#permits-status", Static).update(text)

    # -- detail ---------------------------------------------------------------------------
    @on(PermitTable.Highlighted, "#permits-table")
    def _highlighted(self, event: PermitTable.Highlighted) -> None:
        self.query_one("#permit-detail", Static).update(self._detail(event.row_id))

    def _row(self, key: Any) -> ReviewRow | None:
        return self.query_one(PermitTable).get_row(key)

    def _detail(self, key: Any) -> Content:
        """The permit under the cursor. Names, references, streets, conditions and notes
        are the user's or a file's: drawn as text, terminal-safe, never read as markup."""
        row = self._row(key)
        if row is None:
            return content("Aucune autorisation. Ajoutez-en avec `scout permit add`.")
        if row.permit_id is None:
            return self._to_create_detail(row)
        permit = self.app.ws.permits.get(row.permit_id)
        ptype = self.app.ws.permits.rules.types.get(row.type)
        deadline = f"Échéance     {french_date(row.deadline)}"
        if permit.deadline_override:
            deadline += f"  (forcée : {permit.override_reason})"
        lines = [
            Content.assemble(content(row.type_label, "bold"), f"  (autorisation {row.permit_id})"),
            content(f"Lieu         {row.lieu_name} (lieu {row.lieu_id})"),
            content(f"Autorité     {permit.authority}"),
            content(f"Statut       {permit.status.label}"),
            content(deadline),
        ]
        if ptype:
            lines.append(content(f"Délai        {ptype.lead_text}  [{ptype.confidence}]"))
        if permit.reference:
            lines.append(content(f"Référence    {permit.reference}"))
        if permit.valid_from or permit.valid_to:
            lines.append(
                content(
                    f"Validité     {french_date(permit.valid_from)} → "
                    f"{french_date(permit.valid_to)}"
                )
            )
        a = permit.arrete
        if a is not None:
            numbers = (
                f"du {a.from_number} au {a.to_number}"
                if a.from_number
                else a.perimeter or "périmètre à préciser"
            )
            lines.append(
                content(
                    f"Arrêté       {a.street or 'rue à préciser'}, côté {a.side or '?'}, "
                    f"{numbers}, {a.spaces or '?'} places"
                )
            )
        if permit.conditions:
            lines.append(content(f"Conditions   {permit.conditions}"))
        if self.review is not None:
            for w in self.review.warnings:
                if w.lieu_id == row.lieu_id:
                    lines.append(Content.assemble(("⚠", "bold $error"), " ", content(w.message)))
        if permit.history:
            lines.append(content("Historique"))
            for h in permit.history:
                note = f" — {h.note}" if h.note else ""
                lines.append(
                    content(
                        f"  {h.at[:16].replace('T', ' ')}  "
                        f"{PermitStatus.of(h.old).label} → {PermitStatus.of(h.new).label}{note}"
                    )
                )
        return Content("\n").join(lines)

    def _to_create_detail(self, row: ReviewRow) -> Content:
        ptype = self.app.ws.permits.rules.types.get(row.type)
        lines = [
            Content.assemble(content(row.type_label, "bold"), "  (à créer)"),
            content(f"Lieu         {row.lieu_name} (lieu {row.lieu_id})"),
            content(f"Autorité     {row.authority}"),
            content(
                f"Statut       {permit_status_label(row.status)} : les règles la demandent, "
                "personne ne l'a encore créée"
            ),
            content(f"Échéance     {french_date(row.deadline)}"),
        ]
        if ptype:
            lines.append(content(f"Délai        {ptype.lead_text}  [{ptype.confidence}]"))
        lines.append(content("s : créer les autorisations à créer de ce lieu"))
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
        self.action_status()

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
                "Read-only: this database is open in another scout process.", severity="warning"
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
            f"Créer les autorisations que les règles demandent pour « {row.lieu_name} » "
            f"(lieu {row.lieu_id}) et que personne n'a encore créées ?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.create_suggested(row.lieu_id)

        self.app.push_screen(ConfirmScreen(question, "Créer"), answered)

    @work(thread=True, exclusive=False, exit_on_error=False, group="save")
    def create_suggested(self, lieu_id: int) -> None:
        created = self.app.ws.permits.create_suggested(lieu_id)
        self.app.call_from_thread(self._created, created)

    def _created(self, created: list[Permit]) -> None:
        self.notify(f"{len(created)} autorisation(s) créée(s)", timeout=3)
        if created:
            self._keep_on = created[0].id
        self.load()

    def _changed(self, permit: Permit) -> None:
        self.notify(f"Autorisation {permit.id} : {permit.status.label}", timeout=3)
        self._keep_on = permit.id
        self.load()
