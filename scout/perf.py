"""Small helpers for the few places where bulk work meets Python's cycle collector."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector while a bulk step makes many small acyclic objects
    (parsing a snapshot, building 60,000 review rows): it would walk them again and
    again as they are made. Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
