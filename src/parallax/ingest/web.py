"""The polite, safe fetcher: one URL in, one bounded body out.

Every hop of a fetch (the URL, each redirect, robots.txt) goes through the
same gates, in this order: http(s) only, public address (``AddressGuard``,
checked again at connect time by ``GuardedTransport``), robots.txt, the
per-host delay; then the download is streamed and stopped as soon as it
passes the byte cap, the decompressed-byte cap or the time limit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol

import httpx

from parallax.config import FetchSettings
from parallax.errors import FetchError, HTTPStatusError, RobotsDisallowed, TooLarge
from parallax.ingest.addresses import AddressGuard, Resolver, system_resolver
from parallax.ingest.decompress import ACCEPT_ENCODING, capped, decoded, human_bytes
from parallax.ingest.decompress import split_encodings as _split_encodings
from parallax.ingest.robots import ROBOTS_MAX_BYTES, RobotsAnswer, RobotsRules
from parallax.ingest.sniff import charset_of
from parallax.ingest.transport import GuardedTransport

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A fetched URL: where it ended up, the answer, and the decoded body."""

    url: str
    status: int
    # Header names in lower case; repeated headers joined with ", ".
    headers: Mapping[str, str] = field(default_factory=dict, hash=False)
    body: bytes = b""
    not_modified: bool = False

    @property
    def content_type(self) -> str | None:
        """The media type without parameters (``text/html``), or None."""
        value = self.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        return value or None

    @property
    def charset(self) -> str | None:
        """The charset the Content-Type header declares, or None."""
        return charset_of(self.headers.get("content-type"))


class Fetcher(Protocol):
    """Fetches one URL; raises a ``FetchError`` (or ``TooLarge``) when it cannot."""

    def fetch(self, url: str) -> FetchResult: ...

    def remember(self, result: FetchResult) -> None:
        """Record ``result``'s validators, once everything read from it has been handed on."""
        ...


class FetchCache(Protocol):
    """Validators (ETag, Last-Modified) of pages fetched before, for conditional GETs."""

    def get(self, url: str) -> tuple[str | None, str | None] | None: ...

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None: ...


class MemoryFetchCache:
    """A ``FetchCache`` that lives as long as the process."""

    def __init__(self) -> None:
        self._validators: dict[str, tuple[str | None, str | None]] = {}

    def get(self, url: str) -> tuple[str | None, str | None] | None:
        """The (etag, last_modified) stored for ``url``, or None."""
        return self._validators.get(url)

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the validators of ``url``."""
        self._validators[url] = (etag, last_modified)


def _web_url(text: str, source: str) -> httpx.URL:
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(f"{source} is not a valid URL ({exc}); check it") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise FetchError(f"refusing {text}: only http and https URLs with a host are fetched")
    return url


def _origin(url: httpx.URL) -> str:
    host = url.raw_host.decode("ascii")
    host = f"[{host}]" if ":" in host else host
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{host}{port}"


def _port(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), or None."""
    text = (value or "").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _status_advice(status: int, retry_after: float | None = None) -> str:
    later = "try again later" if retry_after is None else f"try again in {retry_after:.0f} s"
    if status in (401, 403):
        return "the site refuses us; Parallax cannot fetch it"
    if status in (404, 410):
        return "check the URL"
    if status == 429:
        return f"the site asks us to slow down; {later}"
    if status >= 500:
        return f"the server failed; {later}"
    return "check the URL"


def _status_error(url: httpx.URL, result: FetchResult) -> HTTPStatusError:
    """The error for an answer outside 2xx, carrying the Retry-After the server sent."""
    retry_after = retry_after_seconds(result.headers.get("retry-after"))
    error = HTTPStatusError(
        f"{url} answered {result.status}; {_status_advice(result.status, retry_after)}",
        result.status,
    )
    # Seconds to wait before asking again, or None; read with getattr(error, "retry_after").
    error.retry_after = retry_after  # type: ignore[attr-defined]
    return error


def _check_settings(settings: FetchSettings) -> None:
    positive = ("timeout_s", "max_download_bytes", "max_decompressed_bytes")
    for name in positive:
        if not getattr(settings, name) > 0:
            raise ValueError(
                f"FetchSettings.{name} must be more than 0, not {getattr(settings, name)!r}"
            )
    for name in ("max_redirects", "host_delay_s"):
        if getattr(settings, name) < 0:
            raise ValueError(
                f"FetchSettings.{name} must be 0 or more, not {getattr(settings, name)!r}"
            )


class PoliteFetcher:
    """Fetches with robots.txt, per-host delays, conditional GETs and hard limits.

    Without a ``transport`` it connects through ``GuardedTransport``, so the
    address check also holds at connect time (no DNS rebinding). A transport
    passed in (tests, a proxy) gets the check before each request only.
    """

    def __init__(
        self,
        settings: FetchSettings | None = None,
        transport: httpx.BaseTransport | None = None,
        cache: FetchCache | None = None,
        resolver: Resolver | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings or FetchSettings()
        _check_settings(self.settings)
        self._guard = AddressGuard(self.settings.allow_private_hosts, resolver or system_resolver)
        self._client = httpx.Client(
            transport=transport or GuardedTransport(self._guard),
            timeout=httpx.Timeout(self.settings.timeout_s),
            follow_redirects=False,
            trust_env=False,
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept": _ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
        )
        self._cache: FetchCache = cache if cache is not None else MemoryFetchCache()
        self._clock = clock
        self._sleep = sleep
        # host -> clock time the last request to it ended.
        self._last_request: dict[str, float] = {}
        self._robots = RobotsRules(self.settings.user_agent, self._load_robots)

    def __enter__(self) -> PoliteFetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close pooled connections."""
        self._client.close()

    def fetch(self, url: str) -> FetchResult:
        """GET ``url`` following at most ``max_redirects`` redirects, each hop re-checked.

        A URL whose validators were remembered is fetched conditionally; a 304
        comes back as ``not_modified``.
        """
        return self._follow(url, for_robots=False)

    def remember(self, result: FetchResult) -> None:
        """Store ``result``'s ETag and Last-Modified for the next conditional GET of its URL.

        Called by the reader only after the documents read from ``result`` were
        taken by the consumer, so a run that dies before storing them does not
        leave validators behind that would make the next run skip them (304).
        """
        etag, modified = result.headers.get("etag"), result.headers.get("last-modified")
        if result.status == 200 and (etag or modified):
            self._cache.put(result.url, etag, modified)

    def _load_robots(self, robots_url: str) -> RobotsAnswer:
        result = self._follow(robots_url, for_robots=True)
        return RobotsAnswer(result.status, result.body)

    def _follow(self, start: str, *, for_robots: bool) -> FetchResult:
        url = _web_url(start, start)
        limit = self.settings.max_redirects
        for hop in range(limit + 1):
            # The ASCII (IDNA) host, exactly what the socket layer will be given.
            self._guard.addresses(url.raw_host.decode("ascii"), _port(url), str(url))
            robots_apply = self.settings.obey_robots and not for_robots
            if robots_apply and not self._robots.allowed(_origin(url), str(url)):
                raise RobotsDisallowed(
                    f"{url} is disallowed by {_origin(url)}/robots.txt; "
                    "Parallax obeys robots.txt, so this page cannot be read"
                )
            validators = None if for_robots else self._cache.get(str(url))
            result = self._request(url, validators, for_robots=for_robots)
            if result.status in _REDIRECTS:
                location = result.headers.get("location")
                if not location:
                    raise HTTPStatusError(
                        f"{url} answered {result.status} without a Location; check the URL",
                        result.status,
                    )
                if hop == limit:
                    raise FetchError(
                        f"{start} redirects more than {limit} times; "
                        "open it in a browser to find the final URL and use that"
                    )
                target = url.join(location)
                url = _web_url(str(target), f"the redirect from {url}")
                continue
            if result.status == 304 and validators is not None:
                return FetchResult(str(url), 304, result.headers, b"", not_modified=True)
            if for_robots:
                return result
            if not 200 <= result.status < 300:
                raise _status_error(url, result)
            return result
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    def _wait_turn(self, url: httpx.URL, *, for_robots: bool) -> None:
        delay = self.settings.host_delay_s
        if self.settings.obey_robots and not for_robots:
            # robots.txt was read (and cached) by _follow before this request.
            delay = max(delay, self._robots.crawl_delay(_origin(url)))
        last = self._last_request.get(url.host)
        if last is not None:
            wait = last + delay - self._clock()
            if wait > 0:
                self._sleep(wait)

    def _request(
        self,
        url: httpx.URL,
        validators: tuple[str | None, str | None] | None,
        *,
        for_robots: bool,
    ) -> FetchResult:
        headers: dict[str, str] = {}
        if validators is not None:
            etag, modified = validators
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        self._wait_turn(url, for_robots=for_robots)
        started = self._clock()
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                names = {name.lower() for name in response.headers}
                header_map = {name: ", ".join(response.headers.get_list(name)) for name in names}
                if not 200 <= response.status_code < 300:
                    return FetchResult(str(url), response.status_code, header_map)
                body = self._read_body(response, url, started, for_robots=for_robots)
                return FetchResult(str(url), response.status_code, header_map, body)
        except httpx.TimeoutException as exc:
            raise self._timed_out(url) from exc
        except httpx.HTTPError as exc:
            raise FetchError(
                f"could not fetch {url} ({exc or type(exc).__name__}); "
                "check the URL and your network"
            ) from exc
        finally:
            self._last_request[url.host] = self._clock()

    def _timed_out(self, url: httpx.URL) -> FetchError:
        return FetchError(
            f"{url} did not answer within {self.settings.timeout_s:g} s; "
            "the server is slow or down, try again later"
        )

    def _read_body(
        self, response: httpx.Response, url: httpx.URL, started: float, *, for_robots: bool
    ) -> bytes:
        raw_limit = self.settings.max_download_bytes
        unpacked_limit = self.settings.max_decompressed_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > raw_limit and not for_robots:
            raise TooLarge(
                f"{url} is {human_bytes(int(declared))}, over the {human_bytes(raw_limit)} "
                "download limit; raise --max-bytes or skip this page"
            )

        def too_big() -> TooLarge:
            return TooLarge(
                f"{url} is larger than {human_bytes(raw_limit)}; "
                "raise --max-bytes or skip this page"
            )

        def too_big_unpacked() -> TooLarge:
            return TooLarge(
                f"{url} is larger than {human_bytes(unpacked_limit)} once decompressed; "
                "raise --max-bytes or skip this page"
            )

        encodings = _split_encodings(response.headers.get("content-encoding"))
        chunks = response.iter_raw()
        if response.is_stream_consumed:
            # A transport that hands back a response already read (MockTransport with
            # content=): httpx has decoded it, so only the caps are left to apply.
            chunks, encodings = iter([response.content]), []
        raw = capped(chunks, raw_limit, too_big)
        keep = ROBOTS_MAX_BYTES if for_robots else None
        body = bytearray()
        for chunk in decoded(raw, encodings, unpacked_limit, too_big_unpacked, str(url)):
            # A server trickling bytes never trips the read timeout; this does.
            if self._clock() - started > self.settings.timeout_s:
                raise self._timed_out(url)
            body += chunk
            if keep is not None and len(body) >= keep:
                del body[keep:]
                break
        return bytes(body)
