"""Geocoding for scout: the national address service first, OpenStreetMap Nominatim as
fallback, a persistent cache in front, and each answer placed in its arrondissement."""

from __future__ import annotations

import csv
import io
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scout.geocoding.cache import GeocodeCache
from scout.geocoding.candidates import Candidate, from_ban, from_nominatim
from scout.geocoding.errors import (
    GeocodingBadAnswer,
    GeocodingError,
    GeocodingOffline,
    GeocodingUnavailable,
    from_geopy,
    provider_name,
)
from scout.geocoding.normalise import normalise_query
from scout.geocoding.settings import GeocodingSettings
from scout.geocoding.transport import HttpClient, HttpxAdapter
from scout.i18n import _

if TYPE_CHECKING:
    from scout.clock import Clock

Progress = Callable[[int, int], None]
MAX_CANDIDATES = 20  # what a person can choose from; the rest is never kept


class _Pacer:
    """At most `per_second` calls, spaced evenly, across threads."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import threading

        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self.sleep(start - now)


def _split(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme or "https", (parts.netloc + parts.path).rstrip("/")


class GeocodingService:
    def __init__(
        self,
        settings: GeocodingSettings,
        cache: GeocodeCache | None = None,
        locate: Callable[..., Any] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        from geopy.geocoders import BANFrance, Nominatim

        self.settings = settings
        # (not `cache or …`: an empty cache has a length of 0, and is still the cache)
        self.cache = cache if cache is not None else GeocodeCache(None, settings.cache_entries)
        self.locate = locate
        self.http = HttpClient(
            timeout_s=settings.timeout_s,
            retries=settings.retries,
            backoff_s=settings.backoff_s,
            user_agent=settings.user_agent,
            sleep=sleep,
        )
        factory = partial(HttpxAdapter, http=self.http)
        scheme, domain = _split(settings.ban_url)
        self._ban = BANFrance(
            domain=domain,
            scheme=scheme,
            timeout=settings.timeout_s,
            user_agent=settings.user_agent,
            adapter_factory=factory,
        )
        n_scheme, n_domain = _split(settings.nominatim_url)
        self._nominatim = Nominatim(
            domain=n_domain,
            scheme=n_scheme,
            timeout=settings.timeout_s,
            user_agent=settings.user_agent,
            adapter_factory=factory,
        )
        self._pace = {
            "ban": _Pacer(settings.ban_per_second, sleep=sleep),
            "nominatim": _Pacer(settings.nominatim_per_second, sleep=sleep),
        }

    # -- asking ------------------------------------------------------------------------
    def search(self, query: str, *, limit: int = 5, refresh: bool = False) -> list[Candidate]:
        """Candidates for an address or a place name, best first (cached)."""
        key = "search:" + normalise_query(query)
        if not key.removeprefix("search:"):
            raise GeocodingBadAnswer(_("nothing to look for: the address is empty"))
        return self._cached(key, refresh, lambda p: self._search(p, query, limit))

    def reverse(self, lat: float, lon: float, *, refresh: bool = False) -> list[Candidate]:
        """The addresses nearest to a position (a photo's GPS, a point on a map)."""
        key = f"reverse:{lat:.6f},{lon:.6f}"
        return self._cached(key, refresh, lambda p: self._reverse(p, lat, lon))

    def _cached(
        self, key: str, refresh: bool, call: Callable[[str], list[Candidate]]
    ) -> list[Candidate]:
        """The cached answer, or the providers' (then kept)."""
        if not refresh:
            cached = self.cache.get(key)
            if cached is not None and all(c.is_valid() for c in cached):
                return cached  # (an invalid one, from an older scout, is asked again)
        found = self._ask(call)
        self.cache.put(key, found)  # only checked answers reach the cache
        return found

    def search_many(
        self, queries: list[str], progress: Progress | None = None
    ) -> list[list[Candidate] | GeocodingError]:
        """Many addresses: the address service's CSV endpoint in one request, else one
        request each, paced. Cached answers are not asked again."""
        results: list[list[Candidate] | GeocodingError | None] = []
        missing: list[int] = []
        for i, query in enumerate(queries):
            cached = self.cache.get("search:" + normalise_query(query))
            results.append(cached)
            if cached is None:
                missing.append(i)
        done = len(queries) - len(missing)
        if progress:
            progress(done, len(queries))
        if missing and "ban" in self.settings.providers and not self.settings.offline:
            try:
                answers = self._search_csv([queries[i] for i in missing])
                for i, found in zip(missing, answers):
                    results[i] = found
                    self.cache.put("search:" + normalise_query(queries[i]), found)
                missing = []
                if progress:
                    progress(len(queries), len(queries))
            except GeocodingError:
                pass  # the one-by-one loop below tries each, with the fallback
        for i in missing:
            try:
                results[i] = self.search(queries[i])
            except GeocodingError as e:
                results[i] = e
            done += 1
            if progress:
                progress(done, len(queries))
        return results  # type: ignore[return-value]

    def close(self) -> None:
        self.http.close()
        self.cache.close()

    # -- providers ---------------------------------------------------------------------
    def _ask(self, call: Callable[[str], list[Candidate]]) -> list[Candidate]:
        if self.settings.offline:
            raise GeocodingOffline(_("SCOUT_OFFLINE is set: no network"))
        with self.http.budget():  # one deadline for the lookup, whatever the providers
            return self._ask_each(call)

    def _ask_each(self, call: Callable[[str], list[Candidate]]) -> list[Candidate]:
        error: GeocodingError | None = None
        for provider in self.settings.providers:
            try:
                found = call(provider)
            except GeocodingError as e:
                error = e
                continue
            valid = [c for c in found if c.is_valid()][:MAX_CANDIDATES]
            if found and not valid:
                error = GeocodingBadAnswer(
                    _("{provider} sent positions that are not places on Earth").format(
                        provider=provider_name(provider)
                    )
                )
                continue
            if valid:
                return [self._place(c) for c in valid]
            error = None  # an answer, even empty, is an answer: try the next provider
        if error is not None:
            raise error
        return []

    @contextmanager
    def _asking(self, provider: str) -> Iterator[None]:
        """Pace the provider; turn what goes wrong into our errors, named after it."""
        from geopy import exc

        self._pace[provider].wait()
        try:
            yield
        except exc.GeopyError as e:
            raise from_geopy(e, provider_name(provider)) from e
        except (KeyError, IndexError, TypeError, ValueError, AttributeError, RecursionError) as e:
            # (Python's words for what broke stay out: they are not the run's language;
            # the cause is chained for whoever debugs.)
            raise GeocodingBadAnswer(
                _("{provider} sent an answer of the wrong shape").format(
                    provider=provider_name(provider)
                )
            ) from e

    def _search(self, provider: str, query: str, limit: int) -> list[Candidate]:
        with self._asking(provider):
            if provider == "ban":
                params = {"q": query, "limit": limit, "index": "address,poi"}
                url = self._ban.geocode_api + "?" + _query(params)
                # geopy's BANFrance.geocode has no `index`: its own call path, our URL
                raw = self._ban._call_geocoder(url, lambda r: r)
                features = _features(raw)
                return sorted((from_ban(f) for f in features), key=lambda c: -c.score)
            places = self._nominatim.geocode(
                query, exactly_one=False, limit=limit, addressdetails=True, country_codes="fr"
            )
            return [from_nominatim(p.raw) for p in places or []]

    def _reverse(self, provider: str, lat: float, lon: float) -> list[Candidate]:
        with self._asking(provider):
            if provider == "ban":
                found = self._ban.reverse((lat, lon), exactly_one=False)
                return [from_ban(loc.raw) for loc in found or []]
            place = self._nominatim.reverse((lat, lon), exactly_one=True, addressdetails=True)
            return [from_nominatim(place.raw)] if place else []

    def _search_csv(self, queries: list[str]) -> list[list[Candidate]]:
        """The address service's /search/csv: one upload, one answer line per address."""
        from geopy import exc
        from geopy.adapters import AdapterHTTPError

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", "adresse"])
        for i, query in enumerate(queries):
            writer.writerow([i, query])
        self._pace["ban"].wait()
        try:
            response = self.http.request(
                "POST",
                self._ban.geocode_api + "/csv",
                files={"data": ("adresses.csv", buffer.getvalue().encode(), "text/csv")},
                data={"columns": "adresse", "indexes": "address"},
                timeout=max(self.settings.timeout_s, 60.0),
            )
        except AdapterHTTPError as e:
            raise GeocodingUnavailable(
                _("{provider} CSV: HTTP {status}").format(
                    provider=provider_name("ban"), status=e.status_code
                )
            ) from e
        except exc.GeopyError as e:
            raise from_geopy(e, provider_name("ban")) from e
        rows = list(csv.DictReader(io.StringIO(response.text)))
        if len(rows) != len(queries) or (rows and "latitude" not in rows[0]):
            raise GeocodingBadAnswer(
                _(
                    "{provider} CSV: the answer does not have one line per address "
                    "({lines} for {count})"
                ).format(provider=provider_name("ban"), lines=len(rows), count=len(queries))
            )
        out: list[list[Candidate]] = [[] for _ in queries]
        for row in rows:
            if not row.get("latitude") or not row.get("longitude"):
                continue
            try:
                candidate = Candidate(
                    label=row.get("result_label", ""),
                    lat=float(row["latitude"]),
                    lon=float(row["longitude"]),
                    score=float(row.get("result_score") or 0),
                    provider="ban",
                    postcode=row.get("result_postcode", ""),
                    city=row.get("result_city", ""),
                    kind=row.get("result_type", ""),
                )
                if candidate.is_valid():
                    out[int(row["id"])] = [self._place(candidate)]
            except (KeyError, ValueError, IndexError) as e:
                raise GeocodingBadAnswer(
                    _("{provider} CSV: unreadable line").format(provider=provider_name("ban"))
                ) from e
        return out

    def _place(self, c: Candidate) -> Candidate:
        """The candidate with its arrondissement (when it has a usable position)."""
        if self.locate is None:
            return c
        from dataclasses import replace

        from scout.errors import ValidationError

        try:
            where = self.locate(c.lat, c.lon, c.postcode or None)
        except ValidationError:
            return c
        arr = where.arrondissement.number if where.arrondissement else None
        return replace(
            c, arrondissement=arr, on_boundary=where.on_boundary, outside_paris=where.outside_paris
        )


def _query(params: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


def _features(raw: Any) -> Iterable[dict[str, Any]]:
    if not isinstance(raw, dict) or not isinstance(raw.get("features"), list):
        raise GeocodingBadAnswer(
            _("{provider} answered without a 'features' list").format(provider=provider_name("ban"))
        )
    out = []
    for f in raw["features"]:
        props = f.get("properties") or {}
        for key in ("name", "postcode", "city"):  # POIs give lists here
            if isinstance(props.get(key), list):
                props[key] = props[key][0] if props[key] else ""
        if not props.get("label"):
            props["label"] = ", ".join(str(p) for p in (props.get("name"), props.get("city")) if p)
        out.append(f)
    return out


def open_geocoder(db_path: str | os.PathLike[str], clock: Clock | None = None) -> GeocodingService:
    """The geocoder of a database: its settings, and its cache next to the file."""
    from pathlib import Path

    from scout.geo import locate
    from scout.geocoding.cache import GeocodeCache
    from scout.geocoding.settings import GeocodingSettings

    settings = GeocodingSettings.load()
    cache = GeocodeCache(Path(str(db_path)).with_name("geocache.db"), settings.cache_entries, clock)
    return GeocodingService(settings, cache, locate=locate)
