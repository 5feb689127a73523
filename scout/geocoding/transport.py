"""All geocoding HTTP goes through httpx: one client, connection reuse, timeouts, and
retries with backoff on 429 (honouring Retry-After) and 5xx.

`HttpxAdapter` plugs this client into geopy (its BaseSyncAdapter interface), so geopy's
geocoders speak through it instead of bringing their own HTTP stack.
"""

from __future__ import annotations

import json
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from geopy import exc
from geopy.adapters import AdapterHTTPError, BaseSyncAdapter, get_retry_after

from scout.i18n import _

MAX_RETRY_AFTER_S = 5.0  # a longer wait is better spent on the next provider, or later
MAX_BODY_BYTES = 4 << 20  # an address answer is a few kB; beyond, it is not one
DEADLINE_FACTOR = 2.0  # a whole lookup, retries and slow bytes included: 2 × the timeout


class HttpClient:
    """A shared httpx client with the retry policy; thread-safe (httpx.Client is)."""

    def __init__(
        self,
        *,
        timeout_s: float,
        retries: int,
        backoff_s: float,
        user_agent: str,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = httpx.Client(
            timeout=timeout_s,
            # Only what we decompress ourselves, within the size limit (see _fetch).
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=True,
        )
        self._budget = threading.local()  # one deadline for a whole lookup
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s
        self.sleep = sleep
        self._closed = False
        self._lock = threading.Lock()

    def request(
        self,
        method: str,
        url: str,
        *,
        timeout: float | None = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """The response of a successful request; geopy's exceptions otherwise.

        The whole lookup has one deadline (retries and a server trickling bytes
        included), and the body a size limit, decompressed: a slow or hostile answer
        costs seconds and kilobytes, never minutes and gigabytes."""
        per_try = timeout or self.timeout_s
        deadline = time.monotonic() + per_try * DEADLINE_FACTOR
        shared = getattr(self._budget, "deadline", None)
        if shared is not None:
            deadline = min(deadline, shared)
        attempt = 0
        while True:
            response = self._fetch(method, url, headers, per_try, deadline, kwargs)
            status = response.status_code
            if (status == 429 or status >= 500) and attempt < self.retries:
                asked = get_retry_after(response.headers) if status == 429 else None
                wait = asked if asked is not None else self.backoff_s * 2**attempt
                if wait > MAX_RETRY_AFTER_S:
                    raise exc.GeocoderUnavailable(
                        _("the service is busy (HTTP {status}, asked to wait {seconds} s)").format(
                            status=status, seconds=_seconds(wait)
                        )
                    )
                attempt += 1
                self.sleep(wait)
                deadline += wait  # the wait was the server's asking, bounded above
                continue
            if status >= 400:
                raise AdapterHTTPError(
                    _("HTTP {status} from {url}").format(status=status, url=url.split("?")[0]),
                    status_code=status,
                    headers=response.headers,
                    text=response.text,
                )
            return response

    @contextmanager
    def budget(self) -> Iterator[None]:
        """One deadline for everything inside (a lookup tried on every provider):
        2 × the timeout in all, however many providers and retries."""
        outer = getattr(self._budget, "deadline", None)
        if outer is None:
            self._budget.deadline = time.monotonic() + self.timeout_s * DEADLINE_FACTOR
        try:
            yield
        finally:
            if outer is None:
                self._budget.deadline = None

    def _fetch(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None,
        per_try: float,
        deadline: float,
        kwargs: dict[str, Any],
    ) -> httpx.Response:
        """One request, its body read against the deadline and the size limit."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise exc.GeocoderTimedOut(
                _("no answer within {seconds} s").format(
                    seconds=_seconds(per_try * DEADLINE_FACTOR)
                )
            )
        try:
            with self.client.stream(
                method, url, headers=headers, timeout=min(per_try, left), **kwargs
            ) as response:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                    raise exc.GeocoderServiceError(
                        _("answer too large ({size} bytes)").format(size=_bytes(int(declared)))
                    )
                body = bytearray()
                encoding = response.headers.get("content-encoding", "identity").lower()
                if encoding not in ("identity", "gzip", "deflate", "x-gzip"):
                    raise exc.GeocoderServiceError(
                        _("unexpected content encoding {encoding}").format(encoding=repr(encoding))
                    )
                # Decompressed here, never more than the limit: a small bomb stays small.
                inflate = zlib.decompressobj(47) if encoding != "identity" else None
                for raw in response.iter_raw():  # as it arrives: the deadline is checked
                    room = MAX_BODY_BYTES + 1 - len(body)
                    chunk = inflate.decompress(raw, room) if inflate else raw
                    body += chunk
                    if len(body) > MAX_BODY_BYTES or (inflate and inflate.unconsumed_tail):
                        raise exc.GeocoderServiceError(
                            _("answer larger than {size} bytes: not an address").format(
                                size=_bytes(MAX_BODY_BYTES)
                            )
                        )
                    if time.monotonic() > deadline:
                        raise exc.GeocoderTimedOut(
                            _("no complete answer within {seconds} s").format(
                                seconds=_seconds(per_try * DEADLINE_FACTOR)
                            )
                        )
                if inflate:
                    body += inflate.flush()
        except httpx.TimeoutException as e:
            raise exc.GeocoderTimedOut(
                _("no answer within {seconds} s").format(seconds=_seconds(per_try))
            ) from e
        except (httpx.ConnectError, httpx.NetworkError, httpx.RemoteProtocolError) as e:
            raise exc.GeocoderUnavailable(str(e) or type(e).__name__) from e
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as e:
            raise exc.GeocoderServiceError(str(e) or type(e).__name__) from e
        plain = {
            k: v
            for k, v in response.headers.items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        }
        return httpx.Response(
            response.status_code, headers=plain, content=bytes(body), request=response.request
        )

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self.client.close()
                self._closed = True


def _seconds(value: float) -> str:
    """A delay as the language of the run writes it: 10, 2.5 | 2,5."""
    from scout.i18n import formats

    return formats.number(value, 0 if float(value).is_integer() else 1)


def _bytes(value: int) -> str:
    from scout.i18n import formats

    return formats.number(value)


class HttpxAdapter(BaseSyncAdapter):  # type: ignore[misc]  # geopy ships no types
    """geopy's adapter interface on our shared httpx client."""

    def __init__(
        self, *, proxies: Any = None, ssl_context: Any = None, http: HttpClient | None = None
    ) -> None:
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        if http is None:
            raise exc.ConfigurationError("HttpxAdapter needs scout's HttpClient")
        self.http = http

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        return self.http.request("GET", url, timeout=timeout, headers=headers).text

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        text = self.get_text(url, timeout=timeout, headers=headers)
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            raise exc.GeocoderParseError(
                _("not JSON: {start}").format(start=repr(text[:80]))
            ) from None

    def __enter__(self) -> HttpxAdapter:
        return self

    def __exit__(self, *args: object) -> None:
        pass  # the shared client lives as long as the geocoding service
