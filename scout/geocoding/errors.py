"""One tree for everything that can go wrong while geocoding (geopy's exc is the model).

Each error's text is for the person, in the language of the run; its `kind` is the
English code scripts and JSON read."""

from __future__ import annotations

from scout.errors import Reason, ScoutError
from scout.i18n import N_, _


class GeocodingError(ScoutError):
    """The address service could not answer."""

    kind = "error"

    def reason(self) -> Reason:
        """The message with its code, for a report that outlives the exception."""
        return Reason(str(self), self.kind)


class GeocodingUnavailable(GeocodingError):
    """No network, the service is down, or it did not answer in time: queue and retry."""

    kind = "unavailable"


class GeocodingOffline(GeocodingUnavailable):
    """SCOUT_OFFLINE=1: scout does not touch the network."""

    kind = "offline"


class GeocodingRateLimited(GeocodingUnavailable):
    """The service asked us to slow down, and kept asking."""

    kind = "rate_limited"


class GeocodingBadAnswer(GeocodingError):
    """The service answered something that is not what its documentation says."""

    kind = "bad_answer"


# The services by their codes, as a person knows them (translated where shown; Nominatim
# is a name, the same in every language).
PROVIDERS = {"ban": N_("the address service (Géoplateforme)"), "nominatim": "Nominatim"}


def provider_name(provider: str) -> str:
    """A service's name as a person reads it, in the language of the run: for "ban",
    « le service d'adresses (Géoplateforme) » in French."""
    return _(PROVIDERS[provider]) if provider in PROVIDERS else provider


def from_geopy(error: Exception, provider: str) -> GeocodingError:
    """Map geopy's exceptions onto ours, with a message for the user; `provider` is the
    service's name as shown (see provider_name)."""
    from geopy import exc

    if isinstance(error, exc.GeocoderRateLimited):
        return GeocodingRateLimited(
            _("{provider} asks to slow down (HTTP 429); try again later").format(provider=provider)
        )
    if isinstance(error, exc.GeocoderTimedOut):
        return GeocodingUnavailable(
            _("{provider} did not answer in time").format(provider=provider)
        )
    if isinstance(error, exc.GeocoderUnavailable):
        return GeocodingUnavailable(
            _("{provider} cannot be reached (no network?)").format(provider=provider)
        )
    if isinstance(error, exc.GeocoderParseError):
        return GeocodingBadAnswer(
            _("{provider} sent an answer that cannot be read").format(provider=provider)
        )
    # i18n: a service's name, then what went wrong (often from the network library)
    text = _("{provider}: {error}").format(provider=provider, error=error)
    if isinstance(error, exc.GeocoderServiceError):
        return GeocodingUnavailable(text)
    return GeocodingError(text)
