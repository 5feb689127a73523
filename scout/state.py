"""What one person's scout remembers between runs, per database: the production they work
on and, per production, how they left the list (filter, sort).

It is kept in the user state directory (`$SCOUT_STATE_DIR`, else platformdirs), never in
the database: a team shares the database, each person keeps their own view. The file is
a convenience: a missing, damaged or unwritable one is ignored (logged), never an error.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

APP = "scout"
log = logging.getLogger("scout.state")


def state_file() -> Path:
    explicit = os.environ.get("SCOUT_STATE_DIR")
    if explicit:
        return Path(explicit).expanduser() / "state.json"
    import platformdirs

    return Path(platformdirs.user_state_dir(APP, appauthor=False)) / "state.json"


@dataclass
class UserState:
    """One database's entry in the state file. `location` is the database as the
    settings name it (a path or, in team mode, a URL without its password)."""

    location: str
    production: int | None = None
    views: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, location: str) -> UserState:
        entry = _read_all().get(location)
        if not isinstance(entry, dict):
            return cls(location)
        production = entry.get("production")
        views = entry.get("views")
        return cls(
            location,
            production if isinstance(production, int) else None,
            {str(k): v for k, v in views.items() if isinstance(v, dict)}
            if isinstance(views, dict)
            else {},
        )

    def view(self, production_id: int | None) -> dict[str, Any]:
        """How the list of this production was left (a copy: change it with set_view)."""
        return dict(self.views.get(str(production_id), {}))

    def set_view(self, production_id: int | None, view: dict[str, Any]) -> None:
        self.views[str(production_id)] = dict(view)

    def save(self) -> bool:
        """Written atomically; False (and a log line) if it cannot be written."""
        from scout.files import write_atomic

        everything = _read_all()
        everything[self.location] = {"production": self.production, "views": self.views}
        target = state_file()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, json.dumps(everything, ensure_ascii=False, indent=1).encode())
        except Exception as e:  # a view not remembered is no reason to stop anyone
            log.warning("cannot write the state file %s: %s", target, e)
            return False
        return True


def _read_all() -> dict[str, Any]:
    path = state_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        log.warning("ignoring the state file %s: %s", path, e)
        return {}
    return data if isinstance(data, dict) else {}
