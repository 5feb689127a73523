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
    Input,
    Label,
    OptionList,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from scout.domain import Photo
from scout.i18n import N_, _, ngettext
from scout.photos.importer import ImportReport, Proposal
from scout.present.lines import proposal_line
from scout.tui.screens.base import ScoutScreen
from scout.tui.text import content, moment_text, plain
from scout.tui.widgets.header import ScoutHeader
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
    taken = moment_text(str(m["taken_at"])) if m.get("taken_at") else ""
    return "  ".join(x for x in (Path(photo.path).name, taken, camera) if x)


class PhotosScreen(ScoutScreen):
    LABEL = N_("Photo import")
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
            N_("Import this folder"),
            id="photos.import",
            tooltip=N_("Import the pictures of the highlighted folder"),
        ),
        Binding(
            "c",
            "confirm",
            N_("Create the location"),
            id="photos.confirm",
            tooltip=N_("Make the highlighted proposal a new location"),
        ),
        Binding(
            "m",
            "merge",
            N_("Attach"),
            id="photos.merge",
            tooltip=N_("Give the pictures to the location they are near, or to one you choose"),
        ),
        Binding(
            "l",
            "give",
            N_("Give to a location"),
            id="photos.give",
            tooltip=N_("Give the pictures without GPS (ticked, or highlighted) to a location"),
        ),
        Binding(
            "backspace",
            "parent",
            N_("Parent folder"),
            id="photos.parent",
            tooltip=N_("Show the folder above (up to /: any disk, /media, /tmp…)"),
        ),
        Binding(
            "slash",
            "type_path",
            N_("Go to…"),
            id="photos.path",
            tooltip=N_("Type a folder's path (/media/…, ~/…) and press Enter"),
        ),
        Binding(
            "escape", "back", N_("Back"), id="photos.back", tooltip=N_("Back to the locations")
        ),
    ]

    app: ScoutApp

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = start or Path.home()
        self.proposals: list[Proposal] = []
        self.unplaced: list[Photo] = []

    def compose(self) -> ComposeResult:
        yield ScoutHeader()
        with Horizontal(id="photos-body"):
            with Vertical(id="photo-left"):
                yield Input(
                    plain(self.start),  # a folder's name is the file system's: made safe
                    placeholder=_("Folder: /media/…, /tmp/…, ~/…"),
                    id="photo-path",
                    compact=True,
                )
                yield FolderTree(str(self.start), id="photo-folders")
            with Vertical(id="photo-side"):
                yield Static(
                    _("Choose a folder, then i to import."), id="photo-report", markup=False
                )
                yield OptionList(id="photo-proposals", markup=False)
                yield Label(_("Photos without GPS"), id="photo-unplaced-title")
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
            self.notify(_("Already at the root (/)."), timeout=3)
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
                plain(_("Folder not found: {path}").format(path=typed)),
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
                self.app.ws.read_only_reason(),
                severity="warning",
            )
            return
        importing = _("Importing {folder}…").format(folder=folder)
        self.query_one("#photo-report", Static).update(content(importing))
        self.import_folder(folder)

    @work(thread=True, exclusive=True, exit_on_error=False, group="photos")
    def import_folder(self, folder: Path) -> None:
        report = self.app.ws.photos.import_paths([folder])
        self.app.call_from_thread(self._imported, report)

    def _imported(self, report: ImportReport) -> None:
        imported, known = len(report.imported), len(report.already_known)
        moved, skipped = len(report.moved), len(report.skipped)
        counts = [
            ngettext("{n} imported", "{n} imported", imported).format(n=imported),
            ngettext("{n} already known", "{n} already known", known).format(n=known),
            ngettext("{n} moved", "{n} moved", moved).format(n=moved),
            ngettext("{n} skipped", "{n} skipped", skipped).format(n=skipped),
        ]
        lines = [", ".join(counts)]
        lines += [
            "  ✗ " + _("{file}: {reason}").format(file=p.name, reason=reason)
            for p, reason in report.skipped[:8]
        ]
        if report.without_position:
            n = len(report.without_position)
            lines.append(
                "  "
                + ngettext(
                    "{n} without a GPS position: below, l to give it to a location",
                    "{n} without a GPS position: below, l to give them to a location",
                    n,
                ).format(n=n)
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
        n = len(self.unplaced)
        title.update(
            ngettext(
                "Photos without GPS: {n} — l gives it to a location",
                "Photos without GPS: {n} — l gives them to a location",
                n,
            ).format(n=n)
        )
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
            self.notify(_("No location yet: create one (c, or a in the list of locations)."))
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
        n = len(proposal.photos)
        self.choose_lieu(
            ngettext(
                "{n} photo far from every location: which location should it go to?",
                "{n} photos far from every location: which location should they go to?",
                n,
            ).format(n=n),
            lambda lieu_id: self.place(proposal, lieu_id),
        )

    def action_give(self) -> None:
        pictures = self.query_one("#photo-unplaced", SelectionList)
        ids = [int(i) for i in pictures.selected]
        if not ids and pictures.highlighted is not None and self.unplaced:
            ids = [int(pictures.get_option_at_index(pictures.highlighted).value)]
        if not ids:
            self.notify(_("No photo without GPS to give."), timeout=3)
            return
        n = len(ids)
        self.choose_lieu(
            ngettext(
                "{n} photo without GPS: which location should it go to?",
                "{n} photos without GPS: which location should they go to?",
                n,
            ).format(n=n),
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
        placed = ngettext(
            "{n} photo → location {id} “{name}”", "{n} photos → location {id} “{name}”", count
        ).format(n=count, id=lieu_id, name=name)
        self.notify(plain(placed), timeout=4, markup=False)
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
