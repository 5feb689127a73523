"""Geocoding settings: defaults, then the config file, then environment variables.

Config file: `config.toml` in the user config directory (or $SCOUT_CONFIG), section
[geocoding]. Environment: SCOUT_BAN_URL, SCOUT_NOMINATIM_URL, SCOUT_OFFLINE=1,
SCOUT_GEOCODER_TIMEOUT, SCOUT_GEOCODER_PROVIDERS (e.g. "ban,nominatim").
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from scout import __version__
from scout.errors import ScoutError

BAN_URL = "https://data.geopf.fr/geocodage"  # the Géoplateforme (IGN) address service
NOMINATIM_URL = "https://nominatim.openstreetmap.org"


@dataclass(frozen=True)
class GeocodingSettings:
    ban_url: str = BAN_URL
    nominatim_url: str = NOMINATIM_URL
    providers: tuple[str, ...] = ("ban", "nominatim")
    user_agent: str = f"scout/{__version__} (film location scouting; Paris)"
    timeout_s: float = 5.0
    retries: int = 2  # on 429 and 5xx
    backoff_s: float = 0.5
    ban_per_second: float = 50.0  # the service's published limit
    nominatim_per_second: float = 1.0  # Nominatim's usage policy
    offline: bool = False
    cache_entries: int = 5000

    @classmethod
    def load(cls, config: Path | None = None) -> GeocodingSettings:
        settings = cls()
        path = config or _config_path()
        if path is not None and path.exists():
            try:
                doc = tomllib.loads(path.read_text(encoding="utf-8")).get("geocoding", {})
            except (OSError, tomllib.TOMLDecodeError) as e:
                raise ScoutError(f"{path}: cannot read the [geocoding] settings: {e}") from None
            settings = settings.with_values(doc, str(path))
        env = {
            "ban_url": os.environ.get("SCOUT_BAN_URL"),
            "nominatim_url": os.environ.get("SCOUT_NOMINATIM_URL"),
            "timeout_s": os.environ.get("SCOUT_GEOCODER_TIMEOUT"),
            "providers": os.environ.get("SCOUT_GEOCODER_PROVIDERS"),
        }
        settings = settings.with_values({k: v for k, v in env.items() if v}, "environment")
        if os.environ.get("SCOUT_OFFLINE", "").strip() in ("1", "true", "yes"):
            settings = replace(settings, offline=True)
        return settings

    def with_values(self, values: dict[str, Any], origin: str) -> GeocodingSettings:
        known = {f.name: f.type for f in fields(self)}
        changes: dict[str, Any] = {}
        for key, value in values.items():
            if key not in known:
                raise ScoutError(f"{origin}: unknown geocoding setting {key!r}")
            current = getattr(self, key)
            try:
                if isinstance(current, tuple):
                    items = value.split(",") if isinstance(value, str) else value
                    value = tuple(str(v).strip() for v in items if str(v).strip())
                    if not set(value) <= {"ban", "nominatim"}:
                        raise ValueError("providers are ban and nominatim")
                elif isinstance(current, bool):
                    value = str(value).lower() in ("1", "true", "yes")
                elif isinstance(current, (int, float)):
                    value = type(current)(value)
                    if value < 0:
                        raise ValueError("must not be negative")
                else:
                    value = str(value).rstrip("/")
            except ValueError as e:
                raise ScoutError(f"{origin}: geocoding setting {key}: {e}") from None
            changes[key] = value
        return replace(self, **changes)


def _config_path() -> Path | None:
    explicit = os.environ.get("SCOUT_CONFIG")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_config_dir("scout", appauthor=False)) / "config.toml"
