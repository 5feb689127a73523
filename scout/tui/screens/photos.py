"""Import pictures from the TUI: pick a folder anywhere (the tree, its parent, or a path
typed), import, then confirm the proposed lieux (create a new lieu) or merge them into a
lieu (the one they are near, or one the scout chooses); the pictures without GPS are
listed, to be given to a lieu."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    DirectoryTree,
    Header,
    Input,
    Label,
    OptionList,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from scout.domain import Photo
from scout.photos.importer import ImportReport, Proposal
from scout.present.lines import proposal_line
from scout.tui.screens.base import ScoutScreen
from scout.tui.text import content, plain
from scout.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from scout.tui.app import ScoutApp


class FolderTree(DirectoryTree):
    """Folder and file names are drawn as text: never read as markup (a folder named
    `[/]` would break the tree), control characters made visible."""

    def process_label(self, label: Any) -> Text:
        if isinstance(label, str):
            return Text(plain(label))
        return super().process_label(label)


def unplaced_line(photo: Photo) -> str:
    """A picture without GPS: its file, when it was taken, with what."""
    m = photo.metadata
    camera = " ".join(x for x in (m.get("make", ""), m.get("model", "")) if x)
    taken = str(m.get("taken_at", ""))[:16].replace("T", " ")
    return "  ".join(x for x in (Path(photo.path).name, taken, camera) if x)


class PhotosScreen(ScoutScreen):
    LABEL = "Import de photos"
    KEY_BAR = (
        "photos.import",
        "photos.confirm",
        "photos.merge",
        "photos.give",
        "photos.back",
        "photos.parent",
        "photos.path",
    )
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
            tooltip="Give the pictures to the lieu they are near, or to one you choose",
        ),
        Binding(
            "l",
            "give",
            "Donner à un lieu",
            id="photos.give",
            tooltip="Give the pictures without GPS (ticked, or highlighted) to a lieu",
        ),
        Binding(
            "backspace",
            "parent",
            "Dossier parent",
            id="photos.parent",
            tooltip="Show the folder above (up to /: any disk, /media, /tmp…)",
        ),
        Binding(
            "slash",
            "type_path",
            "Aller à…",
            id="photos.path",
            tooltip="Type a folder's path (/media/…, ~/…) and press Enter",
        ),
        Binding("escape", "back", "Retour", id="photos.back", tooltip="Back to the lieux"),
    ]

    app: ScoutApp

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = start or Path.home()
        self.proposals: list[Proposal] = []
        self.unplaced: list[Photo] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="photos-body"):
            with Vertical(id="photo-left"):
                yield Input(
                    plain(self.start),  # a folder's name is the file system's: made safe
                    placeholder="Dossier : /media/…, /tmp/…, ~/…",
                    id="photo-path",
                    compact=True,
                )
                yield FolderTree(str(self.start), id="photo-folders")
            with Vertical(id="photo-side"):
                yield Static(
                    "Choisissez un dossier, puis i pour importer.", id="photo-report", markup=False
                )
                yield OptionList(id="photo-proposals", markup=False)
                yield Label("Photos sans GPS", id="photo-unplaced-title")
                yield SelectionList[int](id="photo-unplaced")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(FolderTree).focus()
        self.refresh_proposals()

    # -- the folder ---------------------------------------------------------------------
    def _folder(self) -> Path | None:
        tree = self.query_one(FolderTree)
        node = tree.cursor_node
        if node is None or node.data is None:
            return None
        path = Path(node.data.path)
        return path if path.is_dir() else path.parent

    def show_folder(self, folder: Path) -> None:
        """The tree from this folder down; the path box says where it is."""
        tree = self.query_one(FolderTree)
        tree.path = folder
        self.query_one("#photo-path", Input).value = plain(folder)
        tree.focus()

    def action_parent(self) -> None:
        here = Path(self.query_one(FolderTree).path).expanduser().resolve()
        if here.parent == here:
            self.notify("Déjà à la racine (/).", timeout=3)
            return
        self.show_folder(here.parent)

    def action_type_path(self) -> None:
        box = self.query_one("#photo-path", Input)
        box.value = "/"
        box.focus()
        box.cursor_position = len(box.value)

    @on(Input.Submitted, "#photo-path")
    def _path_typed(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        if not typed:
            return
        path = Path(typed).expanduser()
        try:
            path = path.resolve()
            found = path.is_dir() or path.exists()
        except (OSError, RuntimeError):
            found = False
        if not found:
            self.notify(
                plain(f"Dossier introuvable : {typed}"),
                severity="error",
                timeout=5,
                markup=False,
            )
            return
        self.show_folder(path if path.is_dir() else path.parent)

    # -- import -------------------------------------------------------------------------
    def action_import_folder(self) -> None:
        folder = self._folder()
        if folder is None:
            return
        if self.app.ws.read_only:
            self.notify(
                "Read-only: this database is open in another scout process.", severity="warning"
            )
            return
        self.query_one("#photo-report", Static).update(content(f"Import de {folder}…"))
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
            lines.append(
                f"  {len(report.without_position)} sans position GPS : "
                "plus bas, l pour les donner à un lieu"
            )
        self.query_one("#photo-report", Static).update(content("\n".join(lines)))
        self.refresh_proposals()
        if self.proposals:
            self.query_one("#photo-proposals", OptionList).focus()

    def refresh_proposals(self) -> None:
        photos = self.app.ws.photos
        self.proposals = photos.proposals()
        options = self.query_one("#photo-proposals", OptionList)
        options.clear_options()
        options.add_options([Option(content(proposal_line(p))) for p in self.proposals])
        if self.proposals:
            options.highlighted = 0
        self.unplaced = photos.without_position()
        pictures = self.query_one("#photo-unplaced", SelectionList)
        pictures.clear_options()
        pictures.add_options(
            [Selection(content(unplaced_line(p)), p.id) for p in self.unplaced if p.id]
        )
        if self.unplaced:
            pictures.highlighted = 0
        title = self.query_one("#photo-unplaced-title", Label)
        title.update(f"Photos sans GPS : {len(self.unplaced)} — l les donne à un lieu")
        title.display = pictures.display = bool(self.unplaced)  # no room taken for none

    def _highlighted(self) -> Proposal | None:
        options = self.query_one("#photo-proposals", OptionList)
        index = options.highlighted
        return self.proposals[index] if index is not None and self.proposals else None

    # -- placing pictures ----------------------------------------------------------------
    def choose_lieu(self, question: str, then: Callable[[int], object]) -> None:
        """Ask which lieu (by name or number), then `then(lieu_id)`."""
        from scout.tui.screens.lieu_chooser import LieuChooser
        from scout.tui.widgets.lieu_table import LieuTable

        rows = self.app.lieux_screen().query_one(LieuTable).all_rows()
        if not rows:
            self.notify("Aucun lieu : créez-en un (c, ou a dans la liste des lieux).")
            return

        def chosen(lieu_id: int | None) -> None:
            if lieu_id is not None:
                then(lieu_id)

        self.app.push_screen(LieuChooser(question, rows), chosen)

    def action_confirm(self) -> None:
        proposal = self._highlighted()
        if proposal is not None:
            self.place(proposal, None)

    def action_merge(self) -> None:
        proposal = self._highlighted()
        if proposal is None:
            return
        if proposal.lieu_id is not None:
            self.place(proposal, proposal.lieu_id)
            return
        self.choose_lieu(
            f"{len(proposal.photos)} photo(s) loin de tout lieu : à quel lieu les rattacher ?",
            lambda lieu_id: self.place(proposal, lieu_id),
        )

    def action_give(self) -> None:
        pictures = self.query_one("#photo-unplaced", SelectionList)
        ids = [int(i) for i in pictures.selected]
        if not ids and pictures.highlighted is not None and self.unplaced:
            ids = [int(pictures.get_option_at_index(pictures.highlighted).value)]
        if not ids:
            self.notify("Aucune photo sans GPS à donner.", timeout=3)
            return
        self.choose_lieu(
            f"{len(ids)} photo(s) sans GPS : à quel lieu les donner ?",
            lambda lieu_id: self.give(ids, lieu_id),
        )

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

    @work(thread=True, exclusive=True, exit_on_error=False, group="photos")
    def give(self, photo_ids: list[int], lieu_id: int) -> None:
        count = self.app.ws.photos.give(photo_ids, lieu_id)
        self.app.call_from_thread(self._placed, lieu_id, count)

    def _placed(self, lieu_id: int, count: int) -> None:
        name = self.app.ws.lieux.row(lieu_id).name
        self.notify(plain(f"{count} photo(s) → lieu {lieu_id} « {name} »"), timeout=4, markup=False)
        self.app.lieux_screen().lieu_saved(lieu_id)  # a new lieu counts; its fiche follows
        self.refresh_proposals()

    @on(OptionList.OptionSelected, "#photo-proposals")
    def _selected(self) -> None:
        self.action_confirm()

    def action_back(self) -> None:
        box = self.query_one("#photo-path", Input)
        if box.has_focus:  # leave the path box as it was, back to the tree
            box.value = plain(self.query_one(FolderTree).path)
            self.query_one(FolderTree).focus()
            return
        self.app.pop_screen()
