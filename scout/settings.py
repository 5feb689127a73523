"""Where scout keeps its files, from the command line, the environment, or the platform.

Order: `--db PATH`, then `SCOUT_DB`, then the user data directory (platformdirs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP = "scout"
DB_NAME = "scout.db"


@dataclass(frozen=True)
class Settings:
    db_path: Path
    log_path: Path
    rules: Path | None = None  # --rules FILE; else rules.toml next to the database
    db_is_default: bool = False  # the user data directory, created on first use

    @property
    def rules_path(self) -> Path:
        return self.rules or self.db_path.with_name("rules.toml")

    @classmethod
    def load(cls, db: str | None = None, rules: str | None = None) -> Settings:
        import platformdirs

        chosen = db or os.environ.get("SCOUT_DB")
        db_path = (
            Path(chosen).expanduser()
            if chosen
            else (Path(platformdirs.user_data_dir(APP, appauthor=False)) / DB_NAME)
        )
        log_dir = os.environ.get("SCOUT_LOG_DIR") or platformdirs.user_log_dir(APP, appauthor=False)
        return cls(
            db_path=db_path,
            log_path=Path(log_dir) / "scout.log",
            rules=Path(rules).expanduser() if rules else None,
            db_is_default=not chosen,
        )


def config_path() -> Path:
    """config.toml: $SCOUT_CONFIG, else in the user config directory."""
    explicit = os.environ.get("SCOUT_CONFIG")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP, appauthor=False)) / "config.toml"
