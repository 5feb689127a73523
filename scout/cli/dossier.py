"""The dossier de repérage: `scout export dossier` (PDF or HTML)."""

from __future__ import annotations

from typing import Any


def add_dossier_commands(sub: Any, exports: Any) -> None:
    """Adds this module's commands to the parser (`sub`: the top-level commands;
    `exports` / `imports`: the formats of `scout export` / `scout import`)."""
