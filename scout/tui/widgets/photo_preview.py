"""The lieu's first picture, small, under its fiche (v opens them all).

The fiche is drawn again at each stop of the cursor: the preview costs the UI thread a
`stat` of the file and, when the picture was decoded before, a few dozen cells of half
blocks; a picture not yet decoded is decoded in a worker (scout.photos.thumbs) and shown
when it is ready, if the cursor is still on that lieu. A lieu without a picture on this
computer shows nothing (no room taken).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from scout.domain import Photo
from scout.photos.thumbs import Thumb, cached, thumbnail
from scout.tui.images import image_class, warm_up
from scout.tui.text import plain

BOX = (96, 72)  # pixels decoded: enough for 8 rows of half blocks, or a small graphic


class PhotoPreview(Vertical):
    DEFAULT_CSS = """
    PhotoPreview { height: auto; display: none; margin-top: 1; }
    PhotoPreview.-shown { display: block; }
    PhotoPreview .preview-image { width: auto; height: 8; }
    PhotoPreview .preview-caption { color: $text-muted; height: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._path: str | None = None
        self._image: Any = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="preview-caption", markup=False)

    def show_photos(self, photos: list[Photo]) -> None:
        """The first picture of the list (or nothing)."""
        if not photos:
            self._path = None
            self.remove_class("-shown")
            return
        photo = photos[0]
        self._path = photo.path
        name = Path(photo.path).name
        self.query_one(".preview-caption", Static).update(
            plain(f"{name} — {photo.caption}" if photo.caption else name)
        )
        ready = cached(photo.path, BOX)
        if ready is not None:
            self._show(photo.path, ready)
        else:
            self.load(photo.path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="fiche-preview")
    def load(self, path: str) -> None:
        thumb = thumbnail(path, BOX)
        warm_up()  # textual-image imported here, not on the UI thread
        self.app.call_from_thread(self._show, path, thumb)

    def _show(self, path: str, thumb: Thumb) -> None:
        if path != self._path or not self.is_attached:  # the cursor has moved on
            return
        if thumb.image is None:  # missing or unreadable: the fiche's lines say so
            self.remove_class("-shown")
            return
        if self._image is None:
            self._image = image_class(self.app.is_headless)(thumb.image, classes="preview-image")
            self.mount(self._image, before=0)
        else:
            self._image.image = thumb.image
        self.add_class("-shown")
