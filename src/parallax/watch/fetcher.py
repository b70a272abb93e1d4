"""The fetcher a watch reads through: the polite fetcher, plus what watching needs.

It answers "not modified" for item pages already stored, without a request;
it stops asking a host that said 429 or 503 until its Retry-After has passed;
it notes how each poll went so the schedule can back off; and it withholds a
source's validators after a transient failure, so the next poll reads the
source again and retries the items that failed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from parallax.errors import FetchError, HTTPStatusError
from parallax.ingest.web import Fetcher, FetchResult
from parallax.store.watchstate import WatchState
from parallax.watch.schedule import MAX_RETRY_AFTER_S, format_duration

# Statuses that mean "not now": worth retrying, and a reason to slow down.
THROTTLING = frozenset({429, 503})
_TRANSIENT_STATUSES = THROTTLING | {408, 500, 502, 504}
# Without a Retry-After, a throttled host is left alone this long.
DEFAULT_THROTTLE_S = 60.0
# robots.txt answers are cached by the polite fetcher; a fresh one re-reads them.
REFRESH_FETCHER_S = 24 * 3600.0


@dataclass(slots=True)
class PollNotes:
    """How one poll of one source went, as seen by the fetcher."""

    source: str
    requests: int = 0
    skipped: int = 0
    unchanged: bool = False
    transient: bool = False
    throttled: bool = False
    retry_after: float | None = None
    # final URL -> the URL asked for, for pages fetched in this poll.
    asked: dict[str, str] = field(default_factory=dict)

    def wait_at_least(self, seconds: float) -> None:
        """Ask the schedule not to poll again for ``seconds``."""
        self.retry_after = max(self.retry_after or 0.0, seconds)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_transient(exc: Exception) -> bool:
    """Whether a fetch error may go away by itself (timeouts, 5xx, 429)."""
    if isinstance(exc, HTTPStatusError):
        return exc.status in _TRANSIENT_STATUSES
    return isinstance(exc, FetchError) and type(exc) is FetchError


class WatchFetcher:
    """A ``Fetcher`` over a polite one, for polls that repeat."""

    def __init__(
        self,
        make_fetcher: Callable[[], Fetcher],
        state: WatchState,
        *,
        clock: Callable[[], float] = time.time,
        refresh_s: float = REFRESH_FETCHER_S,
    ) -> None:
        self._make = make_fetcher
        self._state = state
        self._clock = clock
        self._refresh_s = refresh_s
        self._inner = make_fetcher()
        self._made_at = clock()
        self._blocked_until: dict[str, float] = {}
        self.notes = PollNotes("")

    def begin(self, source: str) -> PollNotes:
        """Start noting a poll of ``source``; returns the notes this poll fills in."""
        if self._clock() - self._made_at > self._refresh_s:
            self.close()
            self._inner, self._made_at = self._make(), self._clock()
        self.notes = PollNotes(source)
        host = _host(source)
        blocked = self._blocked_until.get(host, 0.0) - self._clock()
        if blocked > 0:
            self.notes.wait_at_least(blocked)
        return self.notes

    def blocked_for(self, url: str) -> float:
        """Seconds until ``url``'s host may be asked again (0 when it may be now)."""
        return max(0.0, self._blocked_until.get(_host(url), 0.0) - self._clock())

    def fetch(self, url: str) -> FetchResult:
        """Fetch ``url`` unless it is a stored item or its host asked us to wait."""
        notes = self.notes
        if url != notes.source and self._state.seen(url):
            notes.skipped += 1
            return FetchResult(url, 304, not_modified=True)
        wait = self.blocked_for(url)
        if wait > 0:
            notes.transient = True
            notes.wait_at_least(wait)
            raise FetchError(
                f"{url} was not fetched: {_host(url)} asked us to wait "
                f"{format_duration(wait)} more; a later poll will try it again"
            )
        notes.requests += 1
        try:
            result = self._inner.fetch(url)
        except FetchError as exc:
            self._note_failure(url, exc)
            raise
        if result.not_modified and url == notes.source:
            notes.unchanged = True
        notes.asked.setdefault(result.url, url)
        return result

    def remember(self, result: FetchResult) -> None:
        """Pass validators on, unless this poll must read its source again next time."""
        if not self.notes.transient:
            self._inner.remember(result)

    def close(self) -> None:
        """Close the polite fetcher's connections."""
        close = getattr(self._inner, "close", None)
        if callable(close):
            close()

    def _note_failure(self, url: str, exc: FetchError) -> None:
        notes = self.notes
        if is_transient(exc):
            notes.transient = True
        if isinstance(exc, HTTPStatusError) and exc.status in THROTTLING:
            asked = getattr(exc, "retry_after", None)
            wait = min(asked, MAX_RETRY_AFTER_S) if asked is not None else DEFAULT_THROTTLE_S
            notes.throttled = True
            notes.wait_at_least(wait)
            host = _host(url)
            self._blocked_until[host] = max(
                self._blocked_until.get(host, 0.0), self._clock() + wait
            )
