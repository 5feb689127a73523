"""A lieu's pictures in the terminal: the picture large, its facts beside it (when, with
what, framing, where it looks, the sun then and on the next shoot day), a strip of
thumbnails to move through with ← and →, and the caption edited in place.

Files are decoded and made small in worker threads (scout.photos.thumbs, cached per file
and modification time): the screen draws at once, pictures arrive as they are ready. A
file that is gone or cannot be read is said as such, in its place.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, HorizontalScroll, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static

from scout.domain import Photo
from scout.i18n import N_, _
from scout.photos.thumbs import Thumb, cached, thumbnail
from scout.present.photos import photo_facts
from scout.tui.images import image_class, renderer, warm_up
from scout.tui.screens.base import ScoutScreen
from scout.tui.text import content, plain, quoted
from scout.tui.widgets.header import ScoutHeader
from scout.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from scout.tui.app import ScoutApp

# Pixels decoded per picture: half blocks need two pixels per cell, terminal graphics
# the cells' real pixels.
LARGE = {"halfcell": (320, 240), "unicode": (320, 240)}
LARGE_GRAPHICS = (1280, 960)
SMALL = {"halfcell": (40, 30), "unicode": (40, 30)}
SMALL_GRAPHICS = (160, 120)


class Thumbnail(Widget):
    """One picture of the strip: its image, or a mark when there is none."""

    def __init__(self, index: int, photo: Photo) -> None:
        super().__init__(classes="photo-thumb")
        self.index = index
        self.photo = photo

    def compose(self) -> ComposeResult:
        yield Static("…", classes="photo-thumb-mark")

    def show(self, thumb: Thumb, image_type: Any) -> None:
        mark = self.query_one(".photo-thumb-mark", Static)
        self.tooltip = plain(Path(self.photo.path).name)
        if thumb.image is None:
            mark.update("✗")
            mark.add_class("-problem")
            return
        mark.display = False
        self.mount(image_type(thumb.image, classes="photo-thumb-image"))

    def on_click(self) -> None:
        screen: Any = self.screen
        screen.show(self.index)


class LieuPhotosScreen(ScoutScreen):
    LABEL = N_("Photos of the location")
    KEY_BAR = (
        "lieu_photos.previous",
        "lieu_photos.next",
        "lieu_photos.caption",
        "lieu_photos.back",
    )
    BINDINGS = [
        Binding(
            "left",
            "move(-1)",
            N_("Previous photo"),
            id="lieu_photos.previous",
            tooltip=N_("The previous picture of the strip"),
        ),
        Binding(
            "right",
            "move(1)",
            N_("Next photo"),
            id="lieu_photos.next",
            tooltip=N_("The next picture of the strip"),
        ),
        Binding(
            "c",
            "caption",
            N_("Caption"),
            id="lieu_photos.caption",
            tooltip=N_("Write the picture's caption (Enter saves, Esc cancels)"),
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            id="lieu_photos.back",
            tooltip=N_("Back to the locations (asks first when a caption was changed)"),
        ),
    ]

    AUTO_FOCUS = ""  # ← and → are the screen's: nothing takes them
    app: ScoutApp

    def __init__(self, lieu_id: int) -> None:
        super().__init__()
        self.lieu_id = lieu_id
        self.photos: list[Photo] = []
        self.current = 0
        self.name_of_lieu = ""
        self._image: Any = None  # the large picture's widget, made on the first picture
        self._kind = "halfcell"

    @property
    def _image_type(self) -> Any:
        """The widget class pictures are drawn with (textual-image is imported by the
        workers first: asked for when a picture is ready)."""
        return image_class(self.app.is_headless)

    # -- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield ScoutHeader()
        with Horizontal(id="lieu-photos-body"):
            with Vertical(id="lieu-photo-main"):
                yield Static("", id="lieu-photo-title", markup=False)
                with Container(id="lieu-photo-view"):
                    yield Static(_("Loading the picture…"), classes="lieu-photo-wait")
                box = Input(
                    placeholder=_("Caption (Enter saves, Esc cancels)"),
                    id="lieu-photo-caption",
                    compact=True,
                )
                box.display = False  # until c
                yield box
            yield Static("", id="lieu-photo-facts", markup=False)
        yield HorizontalScroll(id="lieu-photo-strip", can_focus=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self._kind = renderer(self.app.is_headless)
        lieu = self.app.ws.lieux.get(self.lieu_id)
        self.name_of_lieu = lieu.name
        self.photos = sorted(
            self.app.ws.photos.of_lieu(self.lieu_id),
            key=lambda p: (str(p.metadata.get("taken_at") or ""), p.id or 0),
        )
        strip = self.query_one("#lieu-photo-strip", HorizontalScroll)
        if not self.photos:
            strip.display = False
            self.query_one("#lieu-photo-title", Static).update(
                plain(_("{name}: no picture yet").format(name=quoted(lieu.name)))
            )
            self.query_one(".lieu-photo-wait", Static).update(
                _("No picture of this location yet: i on the list imports a folder.")
            )
            self.query_one("#lieu-photo-facts", Static).display = False
            return
        strip.mount_all(Thumbnail(i, p) for i, p in enumerate(self.photos))
        self.show(0)
        self.load_strip(list(self.photos))

    # -- moving through the pictures -----------------------------------------------------
    def action_move(self, step: int) -> None:
        if self._editing():
            return
        if self.photos:
            self.show((self.current + step) % len(self.photos))

    def show(self, index: int) -> None:
        """Picture `index` large, its facts beside it, its thumbnail marked."""
        self.current = index
        photo = self.photos[index]
        for thumb in self.query(Thumbnail):
            thumb.set_class(thumb.index == index, "-current")
            if thumb.index == index:
                self.query_one("#lieu-photo-strip", HorizontalScroll).scroll_to_widget(
                    thumb, animate=False
                )
        self._show_title(photo)
        lieu = self.app.ws.lieux.get(self.lieu_id)
        facts = photo_facts(photo, lieu, self.app.ws.clock.today())
        self.query_one("#lieu-photo-facts", Static).update(
            Content("\n").join(
                [content(line) for line in facts] or [content(_("No facts in this file."))]
            )
        )
        box = self._large_box()
        ready = cached(photo.path, box)
        if ready is not None:
            self._show_large(index, ready)
        else:
            self._wait(_("Loading the picture…"))
            self.load_large(index, photo.path, box)

    def _show_title(self, photo: Photo) -> None:
        name = Path(photo.path).name
        caption = photo.caption or _("(no caption)")
        title = _("{n}/{total}  {file} — {caption}").format(
            n=self.current + 1, total=len(self.photos), file=name, caption=caption
        )
        self.query_one("#lieu-photo-title", Static).update(plain(title))

    def _large_box(self) -> tuple[int, int]:
        return LARGE.get(self._kind, LARGE_GRAPHICS)

    def _small_box(self) -> tuple[int, int]:
        return SMALL.get(self._kind, SMALL_GRAPHICS)

    def _wait(self, text: str, problem: bool = False) -> None:
        """A message in the picture's place (loading, or what is wrong with the file)."""
        message = self.query_one(".lieu-photo-wait", Static)
        message.update(content(text))
        message.set_class(problem, "-problem")
        message.display = True
        if self._image is not None:
            self._image.display = False

    @work(thread=True, exclusive=True, exit_on_error=False, group="lieu-photo-large")
    def load_large(self, index: int, path: str, box: tuple[int, int]) -> None:
        thumb = thumbnail(path, box)
        warm_up()  # textual-image imported here, not on the UI thread
        self.app.call_from_thread(self._show_large, index, thumb)

    def _show_large(self, index: int, thumb: Thumb) -> None:
        if index != self.current or not self.is_attached:  # the scout has moved on
            return
        if thumb.image is None:
            self._wait(
                _("✗ {problem}: {path}").format(problem=_(thumb.problem), path=thumb.path),
                problem=True,
            )
            return
        self.query_one(".lieu-photo-wait", Static).display = False
        if self._image is None:
            self._image = self._image_type(thumb.image, classes="lieu-photo-image")
            self.query_one("#lieu-photo-view", Container).mount(self._image)
        else:
            self._image.image = thumb.image
            self._image.display = True

    @work(thread=True, exclusive=True, exit_on_error=False, group="lieu-photo-strip")
    def load_strip(self, photos: list[Photo]) -> None:
        box = self._small_box()
        warm_up()
        for index, photo in enumerate(photos):
            thumb = thumbnail(photo.path, box)
            self.app.call_from_thread(self._show_small, index, thumb)

    def _show_small(self, index: int, thumb: Thumb) -> None:
        if not self.is_attached:
            return
        for widget in self.query(Thumbnail):
            if widget.index == index:
                widget.show(thumb, self._image_type)

    # -- the caption ----------------------------------------------------------------------
    def _editing(self) -> bool:
        return bool(self.query_one("#lieu-photo-caption", Input).display)

    def action_caption(self) -> None:
        if not self.photos or self._editing():
            return
        if self.app.ws.read_only:
            self.notify(self.app.ws.read_only_reason(), severity="warning", timeout=4)
            return
        box = self.query_one("#lieu-photo-caption", Input)
        box.value = plain(self.photos[self.current].caption)
        box.display = True
        box.focus()
        box.cursor_position = len(box.value)

    def _caption_changed(self) -> bool:
        box = self.query_one("#lieu-photo-caption", Input)
        return self._editing() and box.value.strip() != plain(self.photos[self.current].caption)

    def _close_caption(self) -> None:
        box = self.query_one("#lieu-photo-caption", Input)
        box.display = False
        box.value = ""
        self.focus_next()  # off the hidden box

    @on(Input.Submitted, "#lieu-photo-caption")
    def _caption_submitted(self, event: Input.Submitted) -> None:
        photo = self.photos[self.current]
        if not self._caption_changed() or photo.id is None:
            self._close_caption()
            return
        self.save_caption(self.current, photo.id, event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lieu-photo-save")
    def save_caption(self, index: int, photo_id: int, caption: str) -> None:
        saved = self.app.ws.photos.set_caption(photo_id, caption)
        self.app.call_from_thread(self._caption_saved, index, saved)

    def _caption_saved(self, index: int, saved: Photo) -> None:
        self.photos[index] = saved
        self._close_caption()
        if index == self.current:
            self._show_title(saved)
        self.notify(_("Caption saved."), timeout=3)
        self.app.lieux_screen().lieu_saved(self.lieu_id)  # its history and its fiche follow

    def action_back(self) -> None:
        if not self._editing():
            self.app.pop_screen()
            return
        if not self._caption_changed():
            self._close_caption()
            return
        from scout.tui.screens.confirm import ConfirmScreen

        question = _("Drop the caption you typed for {file}?").format(
            file=quoted(Path(self.photos[self.current].path).name)
        )

        def answered(drop: bool | None) -> None:
            if drop:
                self._close_caption()
            else:
                self.query_one("#lieu-photo-caption", Input).focus()

        self.app.push_screen(ConfirmScreen(question, _("Drop it")), answered)
