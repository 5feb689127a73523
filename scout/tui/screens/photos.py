"""Import pictures from the TUI: pick a folder, import, then confirm the proposed lieux
(create a new lieu) or merge them into the lieu they are near."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DirectoryTree, Header, OptionList, Static
from textual.widgets.option_list import Option

from scout.photos.importer import ImportReport, Proposal
from scout.present.lines import proposal_line
from scout.tui.screens.base import ScoutScreen
from scout.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from scout.tui.app import ScoutApp


class PhotosScreen(ScoutScreen):
    LABEL = "Import de photos"
    KEY_BAR = ("photos.import", "photos.confirm", "photos.merge", "photos.back")
    BINDINGS = [
        Binding(
            "i",
            "import_folder",
            "Importer ce dossier",
            id="photos.import",
            tooltip="Import the pictures of the highlighted folder",
        ),
        Binding(
            "c",
            "confirm",
            "Créer le lieu",
            id="photos.confirm",
            tooltip="Make the highlighted proposal a new lieu",
        ),
        Binding(
            "m",
            "merge",
            "Rattacher",
            id="photos.merge",
            tooltip="Give the proposal's pictures to the lieu it is near",
        ),
        Binding("escape", "back", "Retour", id="photos.back", tooltip="Back to the lieux"),
    ]

    app: ScoutApp

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = start or Path.home()
        self.proposals: list[Proposal] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="photos-body"):
            yield DirectoryTree(str(self.start), id="photo-folders")
            with Vertical(id="photo-side"):
                yield Static("Choisissez un dossier, puis i pour importer.", id="photo-report")
                yield OptionList(id="photo-proposals")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DirectoryTree).focus()
        self.refresh_proposals()

    def _folder(self) -> Path | None:
        tree = self.query_one(DirectoryTree)
        node = tree.cursor_node
        if node is None or node.data is None:
            return None
        path = Path(node.data.path)
        return path if path.is_dir() else path.parent

    def action_import_folder(self) -> None:
        folder = self._folder()
        if folder is None:
            return
        if self.app.ws.read_only:
            self.notify(
                "Read-only: this database is open in another scout process.", severity="warning"
            )
            return
        self.query_one("#photo-report", Static).update(f"Import de {folder}…")
        self.import_folder(folder)

    @work(thread=True, exclusive=True, exit_on_error=False, group="photos")
    def import_folder(self, folder: Path) -> None:
        report = self.app.ws.photos.import_paths([folder])
        self.app.call_from_thread(self._imported, report)

    def _imported(self, report: ImportReport) -> None:
        lines = [
            f"{len(report.imported)} importée(s), {len(report.already_known)} déjà "
            f"connue(s), {len(report.moved)} retrouvée(s), "
            f"{len(report.skipped)} ignorée(s)"
        ]
        lines += [f"  ✗ {p.name} : {reason}" for p, reason in report.skipped[:8]]
        if report.without_position:
            lines.append(f"  {len(report.without_position)} sans position GPS")
        self.query_one("#photo-report", Static).update("\n".join(lines))
        self.refresh_proposals()
        if self.proposals:
            self.query_one("#photo-proposals", OptionList).focus()

    def refresh_proposals(self) -> None:
        self.proposals = self.app.ws.photos.proposals()
        options = self.query_one("#photo-proposals", OptionList)
        options.clear_options()
        options.add_options([Option(proposal_line(p)) for p in self.proposals])
        if self.proposals:
            options.highlighted = 0

    def _highlighted(self) -> Proposal | None:
        options = self.query_one("#photo-proposals", OptionList)
        index = options.highlighted
        return self.proposals[index] if index is not None and self.proposals else None

    def action_confirm(self) -> None:
        proposal = self._highlighted()
        if proposal is not None:
            self.place(proposal, None)

    def action_merge(self) -> None:
        proposal = self._highlighted()
        if proposal is None:
            return
        if proposal.lieu_id is None:
            self.notify(
                "No lieu within 60 m of these pictures: create one with c.", severity="warning"
            )
            return
        self.place(proposal, proposal.lieu_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="photos")
    def place(self, proposal: Proposal, lieu_id: int | None) -> None:
        """A new lieu (named after its address when the address service answers), or the
        pictures given to a lieu: the same service as `scout photos accept/attach`."""
        photos = self.app.ws.photos
        if lieu_id is None:
            placed = photos.accept(proposal, new=True)
        else:
            placed = photos.attach(proposal, lieu_id)
        self.app.call_from_thread(self._placed, placed.lieu_id, placed.photos)

    def _placed(self, lieu_id: int, count: int) -> None:
        from scout.tui.widgets.lieu_table import LieuTable

        self.notify(f"{count} photo(s) → lieu {lieu_id}", timeout=4)
        table = self.app.lieux_screen().query_one(LieuTable)
        table.upsert(self.app.ws.lieux.row(lieu_id))
        self.refresh_proposals()

    @on(OptionList.OptionSelected, "#photo-proposals")
    def _selected(self) -> None:
        self.action_confirm()

    def action_back(self) -> None:
        self.app.pop_screen()
