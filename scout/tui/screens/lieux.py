"""The main screen: the lieux of the production, and the fiche of the one under the cursor."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from scout.domain import Lieu
from scout.domain.bin import Binned
from scout.domain.fiche import FicheEntry
from scout.i18n import N_, _, formats, ngettext
from scout.present.photos import photo_and_sun_lines
from scout.present.sheets import permit_lines, position_warnings
from scout.store.repository import LieuRow
from scout.tui.screens.base import ScoutScreen
from scout.tui.screens.confirm import ConfirmScreen
from scout.tui.screens.lieu_form import LieuForm
from scout.tui.text import plain, quoted, warm_up
from scout.tui.widgets.header import ScoutHeader
from scout.tui.widgets.key_bar import KeyBar
from scout.tui.widgets.lieu_detail import LieuDetail
from scout.tui.widgets.lieu_table import LieuTable, prepare
from scout.tui.widgets.virtual_table import Keys

DETAIL_DELAY_S = 0.06
UNDO_DEPTH = 20  # deletes and edits that z can take back, the last first

if TYPE_CHECKING:
    from scout.tui.app import ScoutApp


@dataclass(frozen=True)
class UndoStep:
    """What z takes back: a delete (the lieu brought back from the bin) or an edit (the
    lieu, and the rivals that lost their ★ to it, put back as they were)."""

    what: str  # « la suppression de « Rue Crémieux » », for the notification
    restore: int | None = None
    befores: tuple[Lieu, ...] = ()
    along: str = ""  # what came back with a restored lieu


class LieuxScreen(ScoutScreen):
    LABEL = N_("Locations")
    KEY_BAR = ("lieux.add", "lieux.edit", "lieux.filter", "app.permits", "app.quit")
    BINDINGS = [
        Binding("a", "add", N_("Add"), id="lieux.add", tooltip=N_("Add a location")),
        Binding(
            "e",
            "edit",
            N_("Edit"),
            id="lieux.edit",
            tooltip=N_("Edit the location under the cursor"),
        ),
        Binding(
            "d",
            "delete",
            N_("Delete"),
            id="lieux.delete",
            tooltip=N_("Delete the location under the cursor, after confirmation"),
        ),
        Binding(
            "slash",
            "filter",
            N_("Filter"),
            id="lieux.filter",
            tooltip=N_("Any word: name, décor, address, postcode, contact, notes, 5e"),
        ),
        Binding(
            "z",
            "undo",
            N_("Undo"),
            id="lieux.undo",
            tooltip=N_("Undo the last delete (back from the bin) or the last edit"),
        ),
        Binding(
            "n",
            "pmr_not_assessed",
            N_("PMR not assessed"),
            id="lieux.pmr",
            tooltip=N_("Only the locations whose accessibility is not yet assessed"),
        ),
        Binding(
            "o",
            "open_photo",
            N_("Photo"),
            id="lieux.photo",
            tooltip=N_("Open the location's first picture in the system viewer"),
        ),
        Binding(
            "i",
            "import_photos",
            N_("Import photos"),
            id="lieux.import",
            tooltip=N_("Import pictures from a folder and confirm the proposed locations"),
        ),
        Binding(
            "x",
            "export_dossier",
            N_("Scouting file"),
            id="lieux.dossier",
            tooltip=N_(
                "Write the dossier de repérage (PDF) of the décor under the cursor to the "
                "current folder"
            ),
        ),
        Binding(
            "escape",
            "clear_filter",
            N_("Clear the filter"),
            show=False,
            id="lieux.clear_filter",
            tooltip=N_("Show every location again"),
        ),
    ]

    app: ScoutApp

    def compose(self) -> ComposeResult:
        yield ScoutHeader()
        yield Input(
            placeholder=_("Filter: name, décor, address, postcode, contact, notes, 5e…"),
            id="filter",
        )
        with Horizontal(id="lieux-body"):
            yield LieuTable(id="lieux-table")
            with VerticalScroll(id="detail-scroll"):
                yield LieuDetail(id="detail")
        yield Static("", id="status-line")
        yield KeyBar()

    _detail_timer: Timer | None = None

    def __init__(self) -> None:
        super().__init__()
        self._undo: list[UndoStep] = []
        # Every lieu's words (address, contacts, notes…) are read on the first keystroke
        # in the filter, never before the first rows are drawn; kept current after saves.
        self._index: Literal["none", "loading", "ready"] = "none"
        self._index_pending: dict[int, str] = {}  # saved while the index was loading

    def on_mount(self) -> None:
        self.query_one(LieuTable).focus()
        self.query_one("#status-line", Static).update(_("Loading the locations…"))
        self.call_after_refresh(self.load_rows)  # paint the screen first, then fill it

    # Reading and sorting 20,000 rows runs beside the UI: the screen paints at once.
    @work(thread=True, exclusive=True, exit_on_error=False, group="rows")
    def load_rows(self) -> None:
        warm_up()  # the locale's data read here, not while the rows are drawn
        prepared = prepare(self.app.ws.lieux.rows())
        self.app.call_from_thread(self._rows_loaded, prepared)

    def _rows_loaded(self, prepared: dict[Hashable, tuple[LieuRow, Keys]]) -> None:
        self.query_one(LieuTable).load(prepared)
        self._update_status()
        self.post_message(self.RowsLoaded())

    class RowsLoaded(Message):
        """Every lieu is in the table."""

    # -- what the table says ----------------------------------------------------------
    @on(LieuTable.Highlighted, "#lieux-table")
    def _highlighted(self, event: LieuTable.Highlighted) -> None:
        # Holding an arrow key moves through many rows: show the fiche where it stops.
        if self._detail_timer is not None:
            self._detail_timer.stop()
        lieu_id = event.row_id if isinstance(event.row_id, int) else None
        self._detail_timer = self.set_timer(DETAIL_DELAY_S, partial(self.show_detail, lieu_id))

    def show_detail(self, lieu_id: int | None) -> None:
        lieu = self.app.ws.lieux.get(lieu_id) if lieu_id is not None else None
        extra: list[str] = []
        if lieu is not None and lieu_id is not None:
            review = self.app.ws.permits.review(lieu_id=lieu_id)  # this lieu only: quick
            extra = permit_lines(review.rows, review.warnings, self.app.ws.permits.suggest(lieu_id))
            extra += photo_and_sun_lines(
                lieu, self.app.ws.photos.of_lieu(lieu_id), self.app.ws.clock.today()
            )
        filtered = bool(self.query_one("#filter", Input).value.strip())
        self.query_one(LieuDetail).show_lieu(
            lieu, self.app.ws.clock.today(), extra, filtered=filtered
        )

    @on(LieuTable.Selected, "#lieux-table")
    def _selected(self, event: LieuTable.Selected) -> None:
        self.action_edit()

    def _update_status(self) -> None:
        table = self.query_one(LieuTable)
        total = self.app.ws.lieux.count()
        shown = table.row_count
        if shown == total:
            text = ngettext("{n} location", "{n} locations", total)
        else:
            text = ngettext(
                "{shown} / {n} location (filter)", "{shown} / {n} locations (filter)", total
            )
        text = text.format(n=formats.number(total), shown=formats.number(shown))
        if self.app.ws.read_only:
            text += "  —  " + _("READ-ONLY: the database is open in another scout")
        self.query_one("#status-line", Static).update(text)

    # -- filter -----------------------------------------------------------------------
    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("-visible")
        box.focus()

    def action_pmr_not_assessed(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("-visible")
        box.value = "" if box.value == "pmr0" else "pmr0"

    def action_import_photos(self) -> None:
        from scout.tui.screens.photos import PhotosScreen

        self.app.push_screen(PhotosScreen())

    def action_open_photo(self) -> None:
        import shutil
        import subprocess
        from pathlib import Path

        lieu_id = self.query_one(LieuTable).current_id
        photos = (
            [p for p in self.app.ws.photos.of_lieu(lieu_id) if Path(p.path).exists()]
            if lieu_id is not None
            else []
        )
        if not photos:
            self.notify(_("No picture of this location on this computer."), severity="warning")
            return
        viewer = shutil.which("xdg-open") or shutil.which("open")
        if viewer is None:
            self.notify(
                plain(_("No picture viewer here; the file is {path}").format(path=photos[0].path)),
                timeout=8,
                markup=False,
            )
            return
        subprocess.Popen(
            [viewer, photos[0].path],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def action_export_dossier(self) -> None:
        lieu = self._current()
        if lieu is None:
            self.notify(_("No location under the cursor."), severity="warning")
            return
        self.notify(
            plain(_("Making the dossier of «{decor}»…").format(decor=lieu.decor or lieu.name)),
            timeout=3,
            markup=False,
        )
        self.export_dossier(lieu)

    @work(thread=True, exclusive=True, exit_on_error=False, group="dossier")
    def export_dossier(self, lieu: Lieu) -> None:
        from pathlib import Path

        from scout.exports.dossier import compose, dossier_file_name, render_pdf
        from scout.files import write_atomic
        from scout.services.dossier import gather

        ws = self.app.ws
        if lieu.decor:
            data = gather(ws, decor=lieu.decor)
        else:
            assert lieu.id is not None
            data = gather(ws, lieu_ids=[lieu.id])
        body = render_pdf(compose(data))
        target = write_atomic(Path.cwd() / dossier_file_name(lieu.decor or lieu.name, "pdf"), body)
        self.app.call_from_thread(
            self.notify,
            plain(_("Scouting file written to {path}").format(path=target)),
            timeout=10,
            markup=False,
        )

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.remove_class("-visible")
        self.query_one(LieuTable).focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_one(LieuTable).set_filter(event.value)
        if event.value.strip() and self._index == "none":
            self._index = "loading"
            self.load_search_index()
        self._update_status()

    @work(thread=True, exclusive=True, exit_on_error=False, group="search-index")
    def load_search_index(self) -> None:
        try:
            texts = self.app.ws.lieux.search_texts()
        except Exception:
            self.app.call_from_thread(setattr, self, "_index", "none")  # again next keystroke
            raise
        self.app.call_from_thread(self._index_loaded, texts)

    def _index_loaded(self, texts: dict[int, str]) -> None:
        texts.update(self._index_pending)  # saved meanwhile: newer than what was read
        self._index_pending.clear()
        self._index = "ready"
        self.query_one(LieuTable).set_search_texts(dict(texts))
        self._update_status()

    def search_words(self, lieu_id: int) -> str | None:
        """A lieu's words for the filter, read after a save (in the saving worker), or
        None while the filter has not been used: the index will read them all then."""
        return None if self._index == "none" else self.app.ws.lieux.search_text(lieu_id)

    def lieu_saved(self, lieu_id: int, words: str | None = None) -> None:
        """A lieu added, changed or brought back, here or elsewhere (the photo import, the
        geocoding queue): its row, its words for the filter, the count."""
        table = self.query_one(LieuTable)
        table.upsert(self.app.ws.lieux.row(lieu_id))
        if self._index != "none":
            if words is None:
                words = self.app.ws.lieux.search_text(lieu_id)
            if self._index == "ready":
                table.set_search_text(lieu_id, words)
            else:
                self._index_pending[lieu_id] = words
        self._update_status()  # (the upsert moved the cursor there: the fiche follows)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(LieuTable).focus()

    # -- add, edit, delete ------------------------------------------------------------
    def _writable(self) -> bool:
        if self.app.ws.read_only:
            self.notify(
                _("Read-only: this database is open in another scout process."),
                severity="warning",
            )
            return False
        return True

    def action_add(self) -> None:
        if self._writable():
            self.app.push_screen(LieuForm(), self._save_new)

    def action_edit(self) -> None:
        lieu = self._current()
        if lieu is not None and self._writable():
            self.app.push_screen(LieuForm(lieu), lambda entry: self._save_edit(lieu, entry))

    def action_delete(self) -> None:
        lieu = self._current()
        if lieu is None or not self._writable():
            return
        lieu_id = lieu.id
        permits, photos = self.app.ws.lieux.dependents(lieu_id) if lieu_id else ([], [])
        along = [permits_count(len(permits))] if permits else []
        along += (
            [ngettext("{n} photo link", "{n} photo links", len(photos)).format(n=len(photos))]
            if photos
            else []
        )
        if along:
            question = _(
                "Delete “{name}” (location {id})? With it: {along}. It goes to the bin: "
                "z (Undo) or `scout restore {id}` brings it back."
            )
        else:
            question = _(
                "Delete “{name}” (location {id})? It goes to the bin: z (Undo) or "
                "`scout restore {id}` brings it back."
            )
        question = plain(question.format(name=lieu.name, id=lieu_id, along=", ".join(along)))

        def answered(yes: bool | None) -> None:
            if yes and lieu_id is not None:
                self.delete_lieu(lieu_id)

        self.app.push_screen(ConfirmScreen(question), answered)

    def _current(self) -> Lieu | None:
        lieu_id = self.query_one(LieuTable).current_id
        return self.app.ws.lieux.get(lieu_id) if lieu_id is not None else None

    def _save_new(self, entry: FicheEntry | None) -> None:
        if entry is not None:
            self.save_lieu(None, entry)

    def _save_edit(self, lieu: Lieu, entry: FicheEntry | None) -> None:
        if entry is not None:
            self.save_lieu(lieu.id, entry)

    # Saves run in a worker: the screen never waits on the disk.
    @work(thread=True, exclusive=False, exit_on_error=False, group="save")
    def save_lieu(self, lieu_id: int | None, entry: FicheEntry) -> Lieu:
        lieux = self.app.ws.lieux
        before = lieux.get(lieu_id) if lieu_id is not None else None
        rivals = self._retained_rivals(entry, before)  # read before the save changes them
        lieu = lieux.add(entry) if lieu_id is None else lieux.edit(lieu_id, entry)
        assert lieu.id is not None
        lost = rivals if lieu.retained else []
        words = self.search_words(lieu.id)
        self.app.call_from_thread(self._saved, lieu, before, lost, words)
        if lieu.geocode_pending:
            self.app.call_from_thread(self.app.resolve_geocoding)
        return lieu

    def _retained_rivals(self, entry: FicheEntry, before: Lieu | None) -> list[Lieu]:
        """The lieux of the same décor that lose their ★ if this save retains this one
        (as the service does: only when it was not retained already)."""
        if entry.values.get("retained") is not True or (before is not None and before.retained):
            return []
        decor = entry.values.get("decor", before.decor if before else "")
        if not decor:
            return []
        production = before.production_id if before else None
        return self.app.ws.lieux.retained_rivals(decor, production, before.id if before else None)

    @work(thread=True, exclusive=False, exit_on_error=False, group="save")
    def delete_lieu(self, lieu_id: int) -> None:
        gone = self.app.ws.lieux.remove(lieu_id)
        self.app.call_from_thread(self._deleted, gone)

    def _saved(self, lieu: Lieu, before: Lieu | None, lost: list[Lieu], words: str | None) -> None:
        assert lieu.id is not None
        self.app.check_deadlines(announce=False)
        table = self.query_one(LieuTable)
        for rival in lost:
            if rival.id is not None:
                table.upsert(self.app.ws.lieux.row(rival.id))
        self.lieu_saved(lieu.id, words)
        table.move_to(lieu.id)
        if before is not None and len(lieu.history) > len(before.history):
            what = _("the edit of “{name}”").format(name=lieu.name)
            self._remember(UndoStep(what, befores=(before, *lost)))
        self.notify(plain(_("Saved: {name}").format(name=lieu.name)), timeout=3, markup=False)
        for rival in lost:
            self.notify(
                plain(
                    _(
                        "“{rival}” (location {id}) is no longer retained for “{decor}”: "
                        "the ★ goes to “{name}”."
                    ).format(rival=rival.name, id=rival.id, decor=lieu.decor, name=lieu.name)
                ),
                title=_("Décor"),
                timeout=8,
                markup=False,
            )
        for warning in position_warnings(lieu):
            self.notify(
                plain(
                    _("{name}: {warning} (saved all the same)").format(
                        name=lieu.name, warning=warning
                    )
                ),
                severity="warning",
                timeout=8,
                markup=False,
            )

    def _deleted(self, gone: Binned) -> None:
        self.app.check_deadlines(announce=False)
        lieu_id = gone.lieu.id
        self.query_one(LieuTable).remove_row(lieu_id)
        self._update_status()
        if lieu_id is not None:
            along = [permits_count(len(gone.permits))] if gone.permits else []
            n = len(gone.photo_ids)
            along += [ngettext("{n} photo", "{n} photos", n).format(n=n)] if n else []
            self._remember(
                UndoStep(
                    _("the deletion of “{name}”").format(name=gone.lieu.name),
                    restore=lieu_id,
                    along=", ".join(along),
                )
            )
        self.notify(
            plain(_("Deleted: {name} (in the bin) — z to undo").format(name=gone.lieu.name)),
            timeout=4,
            markup=False,
        )

    # -- undo -------------------------------------------------------------------------
    def _remember(self, step: UndoStep) -> None:
        self._undo = [*self._undo, step][-UNDO_DEPTH:]

    def action_undo(self) -> None:
        if not self._undo:
            self.notify(_("Nothing to undo."), timeout=3)
            return
        if self._writable():
            self.undo(self._undo.pop())

    @work(thread=True, exclusive=False, exit_on_error=False, group="save")
    def undo(self, step: UndoStep) -> None:
        lieux = self.app.ws.lieux
        if step.restore is not None:
            ids = [lieux.restore(step.restore).id]
        else:
            ids = [lieux.revert(before).id for before in step.befores]
        words = {i: self.search_words(i) for i in ids if i is not None}
        self.app.call_from_thread(self._undone, step, words)

    def _undone(self, step: UndoStep, words: dict[int, str | None]) -> None:
        for lieu_id, text in words.items():
            self.lieu_saved(lieu_id, text)
        if words:
            self.app.go_to_lieu(next(iter(words)))
        if step.restore is not None and step.along:
            text = _("Undone: {what} — back from the bin with {along}")
        elif step.restore is not None:
            text = _("Undone: {what} — back from the bin")
        elif len(step.befores) > 1:
            text = _("Undone: {what} — the ★ goes back to {names}")
        else:
            text = _("Undone: {what}")
        names = ", ".join(quoted(b.name) for b in step.befores[1:])
        text = text.format(what=step.what, along=step.along, names=names)
        self.notify(plain(text), timeout=5, markup=False)


def permits_count(n: int) -> str:
    """« 2 autorisations », « 2 permits »."""
    return ngettext("{n} permit", "{n} permits", n).format(n=n)
