"""The main screen: the lieux of the production, and the fiche of the one under the cursor."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from scout.domain import Lieu, Photo
from scout.domain.bin import Binned
from scout.domain.fiche import FicheEntry
from scout.errors import DatabaseUnreachable
from scout.i18n import N_, _, formats, ngettext
from scout.perf import paused_gc, settle
from scout.permits.review import Review
from scout.present.lieu_filter import WordIndex, build_index, permit_states
from scout.present.photos import photo_and_sun_lines
from scout.present.sheets import permit_lines, position_warnings
from scout.store.repository import LieuRow
from scout.tui.screens.base import ScoutScreen, writable
from scout.tui.screens.confirm import ConfirmScreen
from scout.tui.screens.lieu_form import LieuForm
from scout.tui.screens.lieu_search import _UNSET, SearchAndSort
from scout.tui.text import content, plain, quoted, warm_up
from scout.tui.widgets.header import ScoutHeader
from scout.tui.widgets.key_bar import KeyBar
from scout.tui.widgets.lieu_detail import LieuDetail
from scout.tui.widgets.lieu_table import LieuTable, prepare
from scout.tui.widgets.photo_preview import PhotoPreview
from scout.tui.widgets.virtual_table import Keys

DETAIL_DELAY_S = 0.06
TYPING_DETAIL_DELAY_S = 0.3
BUSY_RETRY_S = 0.05  # the fiche, while a worker holds the workspace: read again after
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
    afters: tuple[Lieu, ...] = ()  # the befores as the edit saved them (same order)


class LieuxScreen(SearchAndSort, ScoutScreen):
    LABEL = N_("Locations")
    # By importance while they fit (F1 lists them all): at 80 columns in French, a e / m p.
    KEY_BAR = (
        "lieux.add",
        "lieux.edit",
        "lieux.filter",
        "lieux.map",
        "app.permits",
        "app.quit",
        "lieux.add_permit",
        "lieux.photos",
        "lieux.filters",
        "app.production",
        "lieux.delete",
        "lieux.undo",
    )
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
            "v",
            "photos",
            N_("Pictures"),
            id="lieux.photos",
            tooltip=N_("See the location's pictures here, move through them, edit captions"),
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
            "t",
            "add_permit",
            N_("Add a permit"),
            id="lieux.add_permit",
            tooltip=N_("Add a permit to the location under the cursor (type, deadline, arrêté)"),
        ),
        Binding(
            "T",
            "suggested_permits",
            N_("Suggested permits"),
            id="lieux.suggested_permits",
            tooltip=N_("Create in one step the permits the rules call for at this location"),
        ),
        Binding(
            "m",
            "map",
            N_("Map"),
            id="lieux.map",
            tooltip=N_("Paris on a map: the locations the list shows, by status"),
        ),
        Binding(
            "c",
            "copy_move",
            N_("Copy/move to production…"),
            id="lieux.production",
            tooltip=N_("Copy or move the location under the cursor to another production"),
        ),
        Binding(
            "escape",
            "clear_filter",
            N_("Clear the filter"),
            show=False,
            id="lieux.clear_filter",
            tooltip=N_("Show every location again"),
        ),
        Binding(
            "f",
            "filters",
            N_("Filters"),
            id="lieux.filters",
            tooltip=N_("Filter by arrondissement, status, permit, décor, tag, shoot dates…"),
        ),
        Binding(
            "s",
            "sort",
            N_("Sort"),
            id="lieux.sort",
            tooltip=N_("Sort by the next column (or click a column's title)"),
        ),
        Binding(
            "S",
            "sort_reverse",
            N_("Reverse the order"),
            id="lieux.sort_reverse",
            tooltip=N_("Sort the other way (▲ ascending, ▼ descending)"),
        ),
        Binding(
            "C",
            "conflicts",
            N_("Sync conflicts"),
            show=False,
            id="lieux.conflicts",
            tooltip=N_("The fields changed both here and by the team at the last sync: decide"),
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
                yield PhotoPreview(id="detail-photo")
        yield Static("", id="status-line")
        yield KeyBar()

    _detail_timer: Timer | None = None

    def __init__(self) -> None:
        super().__init__()
        self._undo: list[UndoStep] = []
        # Every lieu's words (address, contacts, notes…) are read on the first keystroke
        # in the filter, never before the first rows are drawn; kept current after saves.
        self._index: Literal["none", "loading", "ready"] = "none"
        # Each lieu's permit states: read when a filter first asks (permit:late).
        self._permits: Literal["none", "loading", "ready"] = "none"
        self._permits_of: Review | None = None
        self._view: dict[str, Any] | None = None  # the view as last saved (filter, sort)
        self._view_for: object = _UNSET  # the production whose view is shown
        self._view_timer: Timer | None = None
        self._detail_key: tuple[int | None, bool] | None = None  # the fiche asked for last
        self._badge_checked = False  # the deadlines announced once, at start-up

    def on_mount(self) -> None:
        self.query_one(LieuTable).focus()
        self.query_one("#status-line", Static).update(_("Loading the locations…"))
        self.restore_view()  # the filter and sort left last time, before the rows come
        self._first_screenful()
        self.call_after_refresh(self.load_rows)  # paint the screen first, then fill it

    def _first_screenful(self) -> None:
        """A screenful of rows read at once (a few dozen, not 20,000): the first frame shows
        lieux, the others follow from `load_rows`. In the scouting file's order without a
        filter only: another sort, or a filter, needs every row."""
        table = self.query_one(LieuTable)
        if table.sort_column != table.DEFAULT_SORT or table.sort_reverse:
            return
        if self.query_one("#filter", Input).value.strip():
            return
        rows = self.app.ws.lieux.first_rows(max(self.app.size.height, 24))
        if rows:
            table.load(prepare(rows))

    # Reading and sorting 20,000 rows runs beside the UI: the screen paints at once.
    @work(thread=True, exclusive=True, exit_on_error=False, group="rows")
    def load_rows(self) -> None:
        warm_up()  # the locale's data read here, not while the rows are drawn
        # 20,000 rows made at once: no collection of the whole heap (the database read
        # into memory) meanwhile, many times over
        with paused_gc():
            prepared = prepare(self.app.ws.lieux.rows())
        self.app.call_from_thread(self._rows_loaded, prepared)
        # then, in this worker (one after the other, not competing for the CPU), the
        # deadlines for the badge, announced at start-up only
        self.app.deadlines_checked(announce=not self._badge_checked)
        self._badge_checked = True

    def _rows_loaded(self, prepared: dict[Hashable, tuple[LieuRow, Keys]]) -> None:
        self.query_one(LieuTable).load(prepared)
        self.restore_view()  # (another production's rows: its own view)
        self._update_status()
        self.post_message(self.RowsLoaded())

    class RowsLoaded(Message):
        """Every lieu is in the table."""

    # -- what the table says ----------------------------------------------------------
    @on(LieuTable.Highlighted, "#lieux-table")
    def _highlighted(self, event: LieuTable.Highlighted) -> None:
        # Holding an arrow key moves through many rows: show the fiche where it stops.
        lieu_id = event.row_id if isinstance(event.row_id, int) else None
        box = self.query_one("#filter", Input)
        shown = (lieu_id, bool(box.value.strip()))
        if shown == self._detail_key:  # a keystroke in the filter kept the same lieu
            return
        self._detail_key = shown
        if self._detail_timer is not None:
            self._detail_timer.stop()
        # While typing in the filter, the fiche waits for a pause: the list comes first.
        delay = TYPING_DETAIL_DELAY_S if box.has_focus else DETAIL_DELAY_S
        self._detail_timer = self.set_timer(delay, partial(self.show_detail, lieu_id))

    def show_detail(self, lieu_id: int | None) -> None:
        try:
            with self.app.ws.unless_busy() as free:
                if not free:  # a worker computes the review or saves: never wait for it
                    if self._detail_timer is not None:
                        self._detail_timer.stop()
                    retry = partial(self.show_detail, lieu_id)
                    self._detail_timer = self.set_timer(BUSY_RETRY_S, retry)
                    return
                self._show_detail(lieu_id)
        except DatabaseUnreachable as e:  # the team database is away: the fiche waits
            self.app.live.went_away(str(e))

    def _show_detail(self, lieu_id: int | None) -> None:
        lieu = self.app.ws.lieux.get(lieu_id) if lieu_id is not None else None
        extra: list[str] = []
        photos: list[Photo] = []
        if lieu is not None and lieu_id is not None:
            review = self.app.ws.permits.review(lieu_id=lieu_id)  # this lieu only: quick
            extra = permit_lines(review.rows, review.warnings, self.app.ws.permits.suggest(lieu_id))
            photos = self.app.ws.photos.of_lieu(lieu_id)
            extra += photo_and_sun_lines(lieu, photos, self.app.ws.clock.today())
        filtered = bool(self.query_one("#filter", Input).value.strip())
        self.query_one(LieuDetail).show_lieu(
            lieu,
            self.app.ws.clock.today(),
            extra,
            filtered=filtered,
            changed=self.app.live.fiche_line(lieu_id),  # a team-mate's change (tui/live.py)
        )
        self.query_one(PhotoPreview).show_photos(photos)

    @on(LieuTable.Selected, "#lieux-table")
    def _selected(self, event: LieuTable.Selected) -> None:
        self.action_edit()

    def _update_status(self) -> None:
        table = self.query_one(LieuTable)
        try:
            total = self.app.ws.lieux.count()
        except DatabaseUnreachable:  # the team database is away: what the list holds
            total = len(table.all_rows())
        shown = table.row_count
        if shown == total:
            text = ngettext("{n} location", "{n} locations", total)
        else:
            text = ngettext(
                "{shown} / {n} location (filter)", "{shown} / {n} locations (filter)", total
            )
        text = text.format(n=formats.number(total), shown=formats.number(shown))
        query = table.lieu_query
        if query.words and self._index == "loading":
            text += "  —  " + _("reading every location's words…")
        if query.needs_permits and self._permits != "ready":
            text += "  —  " + _("reading the permits…")
        if query.errors:
            text += "  —  ⚠ " + "; ".join(query.errors)
        if self.app.ws.read_only:
            text += "  —  " + (
                _("READ-ONLY: the database is open in another scout")
                if self.app.ws.locked_by_other
                else _("READ-ONLY: opened to look, not to change")
            )
        if self.app.live.offline:  # first: it must not be cut off at 80 columns
            text = self.app.live.status_text() + "  —  " + text
        # typed words: text; one line always (no layout: the screen is not laid out again)
        self.query_one("#status-line", Static).update(content(text), layout=False)

    # -- filter -----------------------------------------------------------------------
    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("-visible")
        box.focus()

    def action_pmr_not_assessed(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("-visible")
        box.value = toggle_token(box.value, "pmr:none", ("pmr0", "pmr:none"))

    def action_filters(self) -> None:
        from scout.tui.screens.lieu_filters import FiltersScreen

        box = self.query_one("#filter", Input)

        def chosen(text: str | None) -> None:
            if text is not None:
                box.set_class(bool(text), "-visible")
                box.value = text

        self.app.push_screen(FiltersScreen(box.value), chosen)

    def action_map(self) -> None:
        from scout.tui.screens.map import MapScreen

        self.app.push_screen(MapScreen())

    def action_photos(self) -> None:
        from scout.tui.screens.lieu_photos import LieuPhotosScreen

        lieu_id = self.query_one(LieuTable).current_id
        if lieu_id is None:
            self.notify(_("No location under the cursor."), severity="warning")
            return
        self.app.push_screen(LieuPhotosScreen(lieu_id))

    def action_conflicts(self) -> None:
        from scout.tui.screens.sync_conflicts import open_conflicts

        open_conflicts(self)

    def action_copy_move(self) -> None:
        from scout.tui.screens.productions import copy_or_move

        copy_or_move(self, self.query_one(LieuTable).current_id)

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
        self.apply_filter(event.value)

    def apply_filter(self, text: str) -> None:
        """The list narrowed to what the box says (scout.present.lieu_filter); what it
        cannot read is said in the status line."""
        table = self.query_one(LieuTable)
        table.set_filter(text)
        query = table.lieu_query
        if query.words and self._index == "none":  # the fiche's words: on the first word
            self._index = "loading"
            self.load_search_index(table.search.snapshot())
        if query.needs_permits and self._permits == "none":
            self._permits = "loading"
            self.load_permit_states(None)
        self._update_status()
        self._view_changed()

    # Every lieu's words read and indexed beside the UI, on the first word typed.
    @work(thread=True, exclusive=True, exit_on_error=False, group="search-index")
    def load_search_index(self, rows: dict[int, LieuRow]) -> None:
        try:
            texts = self.app.ws.lieux.search_texts()
            index = build_index(rows, texts, LieuTable.row_words)
        except Exception:
            self.app.call_from_thread(setattr, self, "_index", "none")  # again next keystroke
            raise
        self.app.call_from_thread(self._index_loaded, index, texts)

    def _index_loaded(self, index: WordIndex, texts: dict[int, str]) -> None:
        self._index = "ready"
        self.query_one(LieuTable).install_index(index, texts)
        settle()  # every lieu's words, kept for the session: not walked at each collection
        self._update_status()

    # Each lieu's permit states (late, to file, granted…) from the review, read once and
    # again only when the review changes (a save, a status changed), never per keystroke.
    @work(thread=True, exclusive=True, exit_on_error=False, group="permit-states")
    def load_permit_states(self, review: Review | None) -> None:
        try:
            review = review or self.app.ws.permits.review()  # kept by the service
            states = permit_states(review.rows)
        except Exception:
            self.app.call_from_thread(setattr, self, "_permits", "none")
            raise
        self.app.call_from_thread(self._permit_states_loaded, review, states)

    def _permit_states_loaded(self, review: Review, states: dict[int, frozenset[str]]) -> None:
        self._permits = "ready"
        self._permits_of = review
        self.query_one(LieuTable).set_permit_states(states)
        self._update_status()

    def review_changed(self, review: Review) -> None:
        """A new review (after a save, at start-up): the permit states follow, if read."""
        if self._permits != "none" and review is not self._permits_of:
            self.load_permit_states(review)

    def search_words(self, lieu_id: int) -> str | None:
        """A lieu's words for the filter, read after a save (in the saving worker), or
        None while the filter has not been used: the index will read them all then."""
        return None if self._index == "none" else self.app.ws.lieux.search_text(lieu_id)

    def lieu_saved(self, lieu_id: int, words: str | None = None) -> None:
        """A lieu added, changed or brought back, here or elsewhere (the photo import, the
        geocoding queue): its row, its words for the filter, the count."""
        self._detail_key = None  # its fiche is drawn again even if the cursor stays
        table = self.query_one(LieuTable)
        row = self.app.ws.lieux.row(lieu_id)
        if not self.app.ws.lieux.in_current(row):  # another production's (geocoded, moved)
            table.remove_row(lieu_id)
            self._update_status()
            return
        table.upsert(row)
        if self._index != "none":
            if words is None:
                words = self.app.ws.lieux.search_text(lieu_id)
            table.set_search_text(lieu_id, words)  # (while loading: kept for the index)
        self._update_status()  # (the upsert moved the cursor there: the fiche follows)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(LieuTable).focus()

    # -- add, edit, delete ------------------------------------------------------------
    def action_add(self) -> None:
        if writable(self):
            self.app.push_screen(LieuForm(), self._save_new)

    def action_edit(self) -> None:
        lieu = self._current()
        if lieu is not None and writable(self):
            self.app.push_screen(LieuForm(lieu), lambda entry: self._save_edit(lieu, entry))

    def action_add_permit(self) -> None:
        from scout.tui.screens.permit_form import add_permit

        add_permit(self, self.query_one(LieuTable).current_id)

    def action_suggested_permits(self) -> None:
        from scout.tui.screens.permit_form import create_suggested

        create_suggested(self, self.query_one(LieuTable).current_id)

    def action_delete(self) -> None:
        lieu = self._current()
        if lieu is None or not writable(self):
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
        try:
            return self.app.ws.lieux.get(lieu_id) if lieu_id is not None else None
        except DatabaseUnreachable as e:  # the team database is away: say it, stay up
            self.app.live.went_away(str(e))
            self.notify(plain(e), severity="error", timeout=8, markup=False)
            return None

    def _save_new(self, entry: FicheEntry | None) -> None:
        if entry is not None:
            self.save_lieu(None, entry)

    def _save_edit(self, lieu: Lieu, entry: FicheEntry | None) -> None:
        if entry is not None:
            self.save_lieu(lieu.id, entry, lieu)  # as read: others' saves since are merged

    # Saves run in a worker: the screen never waits on the disk.
    @work(thread=True, exclusive=False, exit_on_error=False, group="save")
    def save_lieu(
        self, lieu_id: int | None, entry: FicheEntry, read: Lieu | None = None
    ) -> Lieu | None:
        lieux = self.app.ws.lieux
        try:
            before = lieux.get(lieu_id) if lieu_id is not None else None
            rivals = self._retained_rivals(entry, before)  # read before the save changes them
            lieu = lieux.add(entry) if lieu_id is None else lieux.edit(lieu_id, entry, read=read)
        except DatabaseUnreachable as e:  # nothing saved: the form comes back (tui/live.py)
            self.app.call_from_thread(self.app.live.save_refused, self, lieu_id, entry, e)
            return None
        assert lieu.id is not None
        lost = rivals if lieu.retained else []
        # as this save left them: undo takes back only what it changed (LieuService.revert)
        afters = (lieu, *(lieux.get(r.id) for r in lost if r.id is not None))
        words = self.search_words(lieu.id)
        self.app.call_from_thread(self._saved, lieu, before, lost, words, afters)
        if lieu.geocode_pending:
            self.app.call_from_thread(self.app.resolve_geocoding)
        return lieu

    def save_again(self, lieu_id: int | None, entry: FicheEntry | None) -> None:
        """The form given back after the server refused a save: saved when it is sent."""
        if entry is not None:
            self.save_lieu(lieu_id, entry)

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

    def _saved(
        self,
        lieu: Lieu,
        before: Lieu | None,
        lost: list[Lieu],
        words: str | None,
        afters: tuple[Lieu, ...] = (),
    ) -> None:
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
            self._remember(UndoStep(what, befores=(before, *lost), afters=afters))
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
        if writable(self):
            self.undo(self._undo.pop())

    @work(thread=True, exclusive=False, exit_on_error=False, group="save")
    def undo(self, step: UndoStep) -> None:
        lieux = self.app.ws.lieux
        if step.restore is not None:
            ids = [lieux.restore(step.restore).id]
        else:
            afters: list[Lieu | None] = [*step.afters]
            afters += [None] * (len(step.befores) - len(afters))
            ids = [lieux.revert(b, a).id for b, a in zip(step.befores, afters, strict=True)]
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


def toggle_token(text: str, token: str, aliases: tuple[str, ...]) -> str:
    """The filter with `token` added, or without it (and its aliases) if it was there."""
    words = text.split()
    kept = [w for w in words if w.lower() not in aliases]
    if len(kept) == len(words):
        kept.append(token)
    return " ".join(kept)
