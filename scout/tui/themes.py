"""scout's theme, dark and light: clapperboard slate and a warm light for day work.
Switch with Ctrl+P → "theme", or F2."""

from __future__ import annotations

from textual.theme import Theme

SCOUT_DARK = Theme(
    name="scout-dark",
    primary="#E0A526",  # the tape on a slate
    secondary="#5B8DB8",
    accent="#E0A526",
    warning="#F2C14E",
    error="#E5484D",
    success="#46A758",
    foreground="#E8E6E3",
    background="#16181D",
    surface="#1E2128",
    panel="#2A2E37",
    dark=True,
)

SCOUT_LIGHT = Theme(
    name="scout-light",
    primary="#9A6B00",
    secondary="#2F6690",
    accent="#B7791F",
    warning="#B7791F",
    error="#C62828",
    success="#2E7D32",
    foreground="#1F2328",
    background="#FAF8F3",
    surface="#F1EEE6",
    panel="#E4DFD3",
    dark=False,
)

THEMES = (SCOUT_DARK, SCOUT_LIGHT)
