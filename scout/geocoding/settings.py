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
from scout.i18n import _
from scout.settings import config_path

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
        path = config or config_path()
        if path is not None and path.exists():
            try:
                doc = tomllib.loads(path.read_text(encoding="utf-8")).get("geocoding", {})
            except (OSError, UnicodeDecodeError, RecursionError, tomllib.TOMLDecodeError) as e:
                raise ScoutError(
                    _("{path}: cannot read the [geocoding] settings: {error}").format(
                        path=path, error=e
                    )
                ) from None
            if not isinstance(doc, dict):
                raise ScoutError(
                    _("{path}: geocoding must be a [geocoding] table of settings").format(path=path)
                )
            settings = settings.with_values(doc, str(path))
        env = {
            "ban_url": os.environ.get("SCOUT_BAN_URL"),
            "nominatim_url": os.environ.get("SCOUT_NOMINATIM_URL"),
            "timeout_s": os.environ.get("SCOUT_GEOCODER_TIMEOUT"),
            "providers": os.environ.get("SCOUT_GEOCODER_PROVIDERS"),
        }
        settings = settings.with_values(
            {k: v for k, v in env.items() if v}, _("the environment variables")
        )
        if os.environ.get("SCOUT_OFFLINE", "").strip() in ("1", "true", "yes"):
            settings = replace(settings, offline=True)
        return settings

    def with_values(self, values: dict[str, Any], origin: str) -> GeocodingSettings:
        """These settings changed by `values`, each checked; `origin` says where they come
        from (a file, the environment variables) in the messages."""
        known = {f.name: f.type for f in fields(self)}
        changes: dict[str, Any] = {}
        for key, value in values.items():
            if key not in known:
                raise ScoutError(
                    _("{origin}: unknown geocoding setting {key}").format(
                        origin=origin, key=repr(key)
                    )
                )
            current = getattr(self, key)
            try:
                if isinstance(current, tuple):
                    if not isinstance(value, (str, list)):
                        raise ValueError(_('give a list such as ["ban", "nominatim"]'))
                    items = value.split(",") if isinstance(value, str) else value
                    value = tuple(str(v).strip() for v in items if str(v).strip())
                    if not value or not set(value) <= {"ban", "nominatim"}:
                        raise ValueError(_("providers are one or both of ban and nominatim"))
                elif isinstance(current, bool):
                    value = str(value).lower() in ("1", "true", "yes")
                elif isinstance(current, (int, float)):
                    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                        raise ValueError(_("{value} is not a number").format(value=repr(value)))
                    try:
                        value = type(current)(value)
                    except (ValueError, OverflowError):  # said here, in the run's language
                        if isinstance(current, int):
                            wrong = _("{value} is not a whole number")
                        else:
                            wrong = _("{value} is not a number")
                        raise ValueError(wrong.format(value=repr(value))) from None
                    low, high = _RANGES.get(key, (0, 1e6))
                    if not low <= value <= high:  # also refuses nan and inf
                        raise ValueError(
                            _("{value} is not between {low} and {high}").format(
                                value=value, low=f"{low:g}", high=f"{high:g}"
                            )
                        )
                elif key.endswith("_url"):
                    value = _url(value)
                else:
                    if not isinstance(value, str):
                        raise ValueError(_("{value} is not text").format(value=repr(value)))
                    value = value.strip()
            except ValueError as e:
                raise ScoutError(
                    _("{origin}: geocoding setting {key}: {error}").format(
                        origin=origin, key=key, error=e
                    )
                ) from None
            changes[key] = value
        return replace(self, **changes)


# Bounds of the numeric settings: beyond them a value is a mistake, not a choice.
_RANGES: dict[str, tuple[float, float]] = {
    "timeout_s": (0.1, 120),
    "retries": (0, 10),
    "backoff_s": (0, 30),
    "ban_per_second": (0.01, 1000),
    "nominatim_per_second": (0.01, 1000),
    "cache_entries": (0, 1_000_000),
}


def _url(value: Any) -> str:
    """An http(s) address with a host, e.g. https://data.geopf.fr/geocodage."""
    from urllib.parse import urlsplit

    if not isinstance(value, str):
        raise ValueError(_("{value} is not an address").format(value=repr(value)))
    text = value.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ValueError(_("{value} is not a valid address").format(value=repr(text))) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(_("{value} is not an http(s) address").format(value=repr(text)))
    return text
