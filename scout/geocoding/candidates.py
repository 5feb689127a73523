"""What a geocoder found, with where it lies in Paris."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

# Île-de-France départements: outside them a result needs a confirmation.
ILE_DE_FRANCE = {"75", "77", "78", "91", "92", "93", "94", "95"}


@dataclass(frozen=True, slots=True)
class Candidate:
    label: str  # the normalised address, as the service writes it
    lat: float
    lon: float
    score: float  # 0..1, the service's confidence
    provider: str  # "ban" or "nominatim"
    postcode: str = ""
    city: str = ""
    kind: str = ""  # housenumber, street, locality, municipality, poi…
    arrondissement: int | None = None
    on_boundary: bool = False
    outside_paris: bool = False

    def is_valid(self) -> bool:
        """A place on Earth with a label: what may be shown, cached and saved."""
        lat, lon, score = self.lat, self.lon, self.score
        return (
            isinstance(self.label, str)
            and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon, score)
            )
            and math.isfinite(lat)
            and math.isfinite(lon)
            and math.isfinite(score)
            and -90 <= lat <= 90
            and -180 <= lon <= 180
        )

    @property
    def outside_ile_de_france(self) -> bool:
        return bool(self.postcode) and self.postcode[:2] not in ILE_DE_FRANCE

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "lat": self.lat,
            "lon": self.lon,
            "score": self.score,
            "provider": self.provider,
            "postcode": self.postcode,
            "city": self.city,
            "kind": self.kind,
            "arrondissement": self.arrondissement,
            "on_boundary": self.on_boundary,
            "outside_paris": self.outside_paris,
            "outside_ile_de_france": self.outside_ile_de_france,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Candidate:
        return cls(
            d["label"],
            d["lat"],
            d["lon"],
            d["score"],
            d["provider"],
            d.get("postcode", ""),
            d.get("city", ""),
            d.get("kind", ""),
            d.get("arrondissement"),
            d.get("on_boundary", False),
            d.get("outside_paris", False),
        )


def from_ban(feature: dict[str, Any]) -> Candidate:
    """A GeoCodeJSON feature of the national address service."""
    props = feature.get("properties") or {}
    lon, lat = feature["geometry"]["coordinates"][:2]
    return Candidate(
        label=str(props.get("label") or props.get("name") or ""),
        lat=float(lat),
        lon=float(lon),
        score=float(props.get("score") or 0.0),
        provider="ban",
        postcode=str(props.get("postcode") or ""),
        city=str(props.get("city") or ""),
        kind=str(props.get("type") or ""),
    )


def from_nominatim(place: dict[str, Any]) -> Candidate:
    address = place.get("address") or {}
    importance = place.get("importance")
    return Candidate(
        label=str(place.get("display_name") or ""),
        lat=float(place["lat"]),
        lon=float(place["lon"]),
        score=float(importance) if importance is not None else 0.5,
        provider="nominatim",
        postcode=str(address.get("postcode") or ""),
        city=str(address.get("city") or address.get("town") or address.get("village") or ""),
        kind=str(place.get("addresstype") or place.get("type") or ""),
    )
