"""How pictures are drawn in the terminal (textual-image): terminal graphics (Kitty's
protocol, Sixel) where the terminal answers that it has them, coloured half blocks
everywhere else — in a browser (textual-serve), under Pilot and in snapshots.

A terminal is asked what it can draw by writing escape sequences and reading the answer
on standard input. Once Textual runs, its input thread would swallow that answer (and the
app would get stray keys), so `probe()` asks before the app starts (`scout` does, while
the database opens). textual-image, which asks the same on import, is imported later (in
a worker, with the first picture) with standard output hidden from it: it asks nothing.
Without a probe (Pilot, snapshots, a browser) the half blocks are used.
`SCOUT_IMAGES=halfcell` (or `unicode`) chooses.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

_detected: str | None = None  # "sixel", "tgp" or "halfcell", once the terminal was asked
_lock = threading.Lock()


class _NotATerminal:
    """Standard output as textual-image must see it when it must not ask the terminal."""

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def probe() -> None:
    """Ask the terminal what it can draw, before Textual starts (a no-op off a terminal).

    The same two questions textual-image asks on import (Sixel in the answer to DA1; the
    Kitty graphics protocol's query), asked here without importing its renderers: they
    import numpy (~0.35 s), which is imported later, in a worker, with the first picture.
    Each question waits 0.1 s at most for an answer."""
    global _detected
    with _lock:
        if _detected is not None:
            return
        _detected = "halfcell"
        out, into = sys.__stdout__, sys.__stdin__
        if not (out and into and out.isatty() and into.isatty()):
            return
        from textual_image._terminal import TerminalError, capture_terminal_response, get_cell_size

        get_cell_size()  # the cells' size in pixels, kept for drawing
        try:
            with capture_terminal_response("\x1b[?", "c", timeout=0.1) as answer:
                out.write("\x1b[c")
                out.flush()
            if "4" in answer.sequence[3:-1].split(";"):
                _detected = "sixel"
                return
        except (TerminalError, TimeoutError, OSError, ValueError):
            pass
        try:
            with capture_terminal_response("\x1b_G", "\x1b\\", timeout=0.1) as answer:
                out.write("\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\")
                out.flush()
            if answer.sequence.endswith(";OK\x1b\\"):
                _detected = "tgp"
        except (TerminalError, TimeoutError, OSError, ValueError):
            pass


def probe_in_background() -> threading.Thread:
    """Start `probe()` beside other work (opening the database); join before the app runs."""
    thread = threading.Thread(target=probe, name="scout-image-probe", daemon=True)
    thread.start()
    return thread


def _quiet_import() -> None:
    """textual-image's widgets, imported with standard output hidden from it: it asks the
    terminal nothing (Textual may be running, and would get the answer as keys)."""
    if "textual_image.widget" in sys.modules:
        return
    real = sys.__stdout__
    sys.__stdout__ = _NotATerminal()  # type: ignore[misc,assignment]
    try:
        import textual_image.widget  # noqa: F401
    finally:
        sys.__stdout__ = real  # type: ignore[misc]


def warm_up() -> None:
    """Import textual-image (and numpy, which it imports) now: called in a worker."""
    with _lock:
        _quiet_import()


def renderer(headless: bool = False) -> str:
    """ "tgp", "sixel" or "halfcell" (or "unicode"): what pictures are drawn with."""
    chosen = os.environ.get("SCOUT_IMAGES", "").strip().lower()
    if chosen in ("halfcell", "unicode"):
        return chosen
    if headless or _detected is None:
        return "halfcell"
    return _detected


def image_class(headless: bool = False) -> Any:
    """The textual-image widget class to draw pictures with."""
    warm_up()
    import textual_image.widget as widgets

    return {
        "unicode": widgets.UnicodeImage,
        "sixel": widgets.SixelImage,
        "tgp": widgets.TGPImage,
    }.get(renderer(headless), widgets.HalfcellImage)
