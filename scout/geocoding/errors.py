"""One tree for everything that can go wrong while geocoding (geopy's exc is the model)."""

from __future__ import annotations

from scout.errors import ScoutError


class GeocodingError(ScoutError):
    """The address service could not answer."""


class GeocodingUnavailable(GeocodingError):
    """No network, the service is down, or it did not answer in time: queue and retry."""


class GeocodingOffline(GeocodingUnavailable):
    """SCOUT_OFFLINE=1: scout does not touch the network."""


class GeocodingRateLimited(GeocodingUnavailable):
    """The service asked us to slow down, and kept asking."""


class GeocodingBadAnswer(GeocodingError):
    """The service answered something that is not what its documentation says."""


def from_geopy(error: Exception, provider: str) -> GeocodingError:
    """Map geopy's exceptions onto ours, with a message for the user."""
    from geopy import exc

    text = f"{provider}: {error}"
    if isinstance(error, exc.GeocoderRateLimited):
        return GeocodingRateLimited(f"{provider} asks to slow down (HTTP 429); try again later")
    if isinstance(error, exc.GeocoderTimedOut):
        return GeocodingUnavailable(f"{provider} did not answer in time")
    if isinstance(error, exc.GeocoderUnavailable):
        return GeocodingUnavailable(f"{provider} cannot be reached (no network?)")
    if isinstance(error, exc.GeocoderParseError):
        return GeocodingBadAnswer(f"{provider} sent an answer that cannot be read")
    if isinstance(error, exc.GeocoderServiceError):
        return GeocodingUnavailable(text)
    return GeocodingError(text)
