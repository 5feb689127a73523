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
    # postgresql://… (team mode): --db URL, SCOUT_DB or `database_url` in config.toml.
    # db_path is then the user data directory's file (caches beside it), never used for data.
    db_url: str | None = None

    @property
    def rules_path(self) -> Path:
        return self.rules or self.db_path.with_name("rules.toml")

    @classmethod
    def load(cls, db: str | None = None, rules: str | None = None) -> Settings:
        import platformdirs

        chosen = db or os.environ.get("SCOUT_DB") or _configured("database_url")
        db_url = chosen if chosen and is_database_url(chosen) else None
        db_path = (
            Path(chosen).expanduser()
            if chosen and not db_url
            else (Path(platformdirs.user_data_dir(APP, appauthor=False)) / DB_NAME)
        )
        log_dir = os.environ.get("SCOUT_LOG_DIR") or platformdirs.user_log_dir(APP, appauthor=False)
        return cls(
            db_path=db_path,
            log_path=Path(log_dir) / "scout.log",
            rules=Path(rules).expanduser() if rules else None,
            db_is_default=not chosen or db_url is not None,
            db_url=db_url,
        )

    @property
    def location(self) -> str:
        """Where the data is, for messages: a URL without its password."""
        from scout.store.urls import masked

        return masked(self.db_url) if self.db_url else str(self.db_path)


def is_database_url(text: str) -> bool:
    """`postgresql://…` or `postgres://…`: a team database rather than a file."""
    return text.startswith(("postgresql://", "postgres://"))


def _configured(key: str) -> str | None:
    """A string at the top of config.toml, or None (an unreadable file is said by the
    language choice, which reads it first)."""
    import tomllib

    path = config_path()
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get(key)
    except (OSError, UnicodeDecodeError, RecursionError, tomllib.TOMLDecodeError):
        return None
    return value.strip() or None if isinstance(value, str) else None


def current_user() -> str:
    """Who saves (written with each version and history entry): `user` in config.toml,
    else the login name."""
    configured = _configured("user")
    if configured:
        return configured
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def config_path() -> Path:
    """config.toml: $SCOUT_CONFIG, else in the user config directory."""
    explicit = os.environ.get("SCOUT_CONFIG")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP, appauthor=False)) / "config.toml"
