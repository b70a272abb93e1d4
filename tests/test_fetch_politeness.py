"""Politeness (per-host delay, robots.txt), conditional GETs and statuses, on a mock transport."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from parallax.config import FetchSettings, Settings
from parallax.errors import HTTPStatusError, RobotsDisallowed
from parallax.ingest import FetchResult, MemoryFetchCache, PoliteFetcher, read_sources
from parallax.models import Failure, RawDocument


class FakeClock:
    """A monotonic clock that moves only when someone sleeps or a request takes time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


Handler = Callable[[httpx.Request], httpx.Response]


def site(robots: httpx.Response | Exception | None = None, **pages: httpx.Response) -> Handler:
    """A handler serving robots.txt (404 unless given) and ``pages`` keyed by path."""
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.url.host}{request.url.path}")
        if request.url.path == "/robots.txt":
            if isinstance(robots, Exception):
                raise robots
            return robots or httpx.Response(404)
        key = request.url.path.strip("/") or "index"
        return pages.get(key, httpx.Response(200, text="<p>a page</p>"))

    handle.seen = seen  # type: ignore[attr-defined]
    return handle


def public(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]


def make(handler: Handler, clock: FakeClock | None = None, **changes: object) -> PoliteFetcher:
    clock = clock or FakeClock()
    return PoliteFetcher(
        FetchSettings(**changes),  # type: ignore[arg-type]
        transport=httpx.MockTransport(handler),
        resolver=public,
        clock=clock,
        sleep=clock.sleep,
    )


def test_requests_to_one_host_are_spaced_by_the_host_delay() -> None:
    clock = FakeClock()
    with make(site(), clock) as web:
        web.fetch("http://a.test/1")
        web.fetch("http://a.test/2")
        web.fetch("http://b.test/1")
        web.fetch("http://a.test/3")
    # robots(a) then page 1 waits 1 s; page 2 waits 1 s; b's robots is its first request;
    # b's page waits 1 s; a's page 3 comes 1 s after a's last, so it does not wait.
    assert clock.sleeps == [1.0, 1.0, 1.0]


def test_the_delay_is_configurable_and_zero_means_none() -> None:
    clock = FakeClock()
    with make(site(), clock, host_delay_s=2.5) as web:
        web.fetch("http://a.test/1")
    assert clock.sleeps == [2.5]
    clock = FakeClock()
    with make(site(), clock, host_delay_s=0.0) as web:
        web.fetch("http://a.test/1")
        web.fetch("http://a.test/2")
    assert clock.sleeps == []


def test_robots_crawl_delay_lengthens_the_wait() -> None:
    clock = FakeClock()
    robots = httpx.Response(200, text="User-agent: *\nCrawl-delay: 4\n")
    with make(site(robots), clock) as web:
        web.fetch("http://a.test/1")
        web.fetch("http://a.test/2")
    assert clock.sleeps == [4.0, 4.0]


def test_robots_is_read_once_per_host() -> None:
    handler = site(httpx.Response(200, text="User-agent: *\nDisallow: /private\n"))
    with make(handler, host_delay_s=0.0) as web:
        for n in range(3):
            web.fetch(f"http://a.test/{n}")
        with pytest.raises(RobotsDisallowed, match=r"http://a\.test/private/x is disallowed"):
            web.fetch("http://a.test/private/x")
    seen = handler.seen  # type: ignore[attr-defined]
    assert seen.count("a.test/robots.txt") == 1
    assert "a.test/private/x" not in seen


@pytest.mark.parametrize(
    ("robots", "allowed"),
    [
        (httpx.Response(404), True),
        (httpx.Response(403), True),
        (httpx.Response(500), False),
        (httpx.Response(503), False),
        (httpx.ConnectError("refused"), True),
        (httpx.Response(200, text="User-agent: ParallaxBot\nDisallow: /\n"), False),
        (httpx.Response(200, text="User-agent: OtherBot\nDisallow: /\n"), True),
    ],
)
def test_robots_answers_follow_rfc_9309(robots: httpx.Response | Exception, allowed: bool) -> None:
    with make(site(robots), host_delay_s=0.0) as web:
        if allowed:
            assert web.fetch("http://a.test/page").status == 200
        else:
            with pytest.raises(RobotsDisallowed):
                web.fetch("http://a.test/page")


def test_robots_can_be_switched_off() -> None:
    handler = site(httpx.Response(200, text="User-agent: *\nDisallow: /\n"))
    with make(handler, host_delay_s=0.0, obey_robots=False) as web:
        assert web.fetch("http://a.test/page").status == 200
    assert handler.seen == ["a.test/page"]  # type: ignore[attr-defined]


def test_conditional_get_sends_validators_and_reports_not_modified() -> None:
    sent: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        sent.append(dict(request.headers))
        if request.headers.get("if-none-match") == '"abc"':
            return httpx.Response(304)
        return httpx.Response(
            200,
            text="<p>v1</p>",
            headers={"ETag": '"abc"', "Last-Modified": "Wed, 02 Oct 2030 08:00:00 GMT"},
        )

    cache = MemoryFetchCache()
    web = PoliteFetcher(
        FetchSettings(host_delay_s=0.0),
        transport=httpx.MockTransport(handler),
        cache=cache,
        resolver=public,
    )
    with web:
        fresh = web.fetch("http://a.test/story")
        unremembered = web.fetch("http://a.test/story")
        web.remember(fresh)
        again = web.fetch("http://a.test/story")
    assert not fresh.not_modified and fresh.body == b"<p>v1</p>"
    assert not unremembered.not_modified
    assert again.not_modified and again.body == b""
    assert cache.get("http://a.test/story") == ('"abc"', "Wed, 02 Oct 2030 08:00:00 GMT")
    assert "if-none-match" not in sent[0] and "if-none-match" not in sent[1]
    assert sent[2]["if-none-match"] == '"abc"'
    assert sent[2]["if-modified-since"] == "Wed, 02 Oct 2030 08:00:00 GMT"


class StubFetcher:
    """A Fetcher that answers from a table: the seam ``read_sources`` takes."""

    def __init__(self, results: dict[str, FetchResult]) -> None:
        self.results = results
        self.asked: list[str] = []
        self.remembered: list[str] = []

    def fetch(self, url: str) -> FetchResult:
        self.asked.append(url)
        return self.results[url]

    def remember(self, result: FetchResult) -> None:
        self.remembered.append(result.url)


def test_read_sources_yields_nothing_for_a_page_not_modified() -> None:
    stub = StubFetcher({"http://a.test/x": FetchResult("http://a.test/x", 304, not_modified=True)})
    assert list(read_sources(["http://a.test/x"], Settings(), stub)) == []
    assert stub.asked == ["http://a.test/x"]


@pytest.mark.parametrize(("status", "advice"), [(404, "check the URL"), (503, "try again later")])
def test_error_statuses_raise_with_advice(status: int, advice: str) -> None:
    web = make(site(page=httpx.Response(status)), host_delay_s=0.0)
    with web, pytest.raises(HTTPStatusError, match=f"answered {status}; .*{advice}") as raised:
        web.fetch("http://a.test/page")
    assert raised.value.status == status


def test_relative_redirects_resolve_against_the_current_url() -> None:
    handler = site(
        old=httpx.Response(301, headers={"Location": "/new"}),
        new=httpx.Response(200, text="<p>moved</p>", headers={"Content-Type": "text/html"}),
    )
    with make(handler, host_delay_s=0.0) as web:
        result = web.fetch("http://a.test/old")
    assert result.url == "http://a.test/new"
    assert result.body == b"<p>moved</p>"
    assert result.content_type == "text/html"


def test_a_redirect_without_location_is_an_error() -> None:
    web = make(site(page=httpx.Response(302)), host_delay_s=0.0)
    with web, pytest.raises(HTTPStatusError, match="without a Location"):
        web.fetch("http://a.test/page")


def test_fetch_failures_become_failures_in_a_batch() -> None:
    handler = site(gone=httpx.Response(410))
    web = make(handler, host_delay_s=0.0)
    items = list(read_sources(["http://a.test/gone", "http://a.test/fine"], Settings(), web))
    assert isinstance(items[0], Failure) and items[0].input == "http://a.test/gone"
    assert "410" in items[0].reason
    assert isinstance(items[1], RawDocument) and items[1].id == "http://a.test/fine"
    web.close()


def test_charset_and_content_type_come_from_the_header() -> None:
    result = FetchResult(
        "http://a.test/", 200, {"content-type": 'text/html; Charset="Windows-1252"'}
    )
    assert result.content_type == "text/html"
    assert result.charset == "windows-1252"
    assert FetchResult("http://a.test/", 200).charset is None


def test_each_redirect_hop_is_checked_against_robots() -> None:
    handler = site(
        httpx.Response(200, text="User-agent: *\nDisallow: /members\n"),
        open=httpx.Response(302, headers={"Location": "/members/story"}),
    )
    web = make(handler, host_delay_s=0.0)
    with web, pytest.raises(RobotsDisallowed, match="members/story"):
        web.fetch("http://a.test/open")
    assert "a.test/members/story" not in handler.seen  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "changes", [{"timeout_s": 0}, {"max_download_bytes": -1}, {"max_redirects": -1}]
)
def test_impossible_settings_are_refused_up_front(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="FetchSettings"):
        PoliteFetcher(FetchSettings(**changes))  # type: ignore[arg-type]


def test_validators_are_remembered_only_after_the_consumer_took_the_documents() -> None:
    ok = {"content-type": "text/html", "etag": '"1"'}
    stub = StubFetcher(
        {
            "http://a.test/1": FetchResult("http://a.test/1", 200, ok, b"<p>one</p>"),
            "http://a.test/2": FetchResult("http://a.test/2", 200, ok, b"<p>two</p>"),
        }
    )
    items = read_sources(["http://a.test/1", "http://a.test/2"], Settings(), stub)
    first = next(items)
    assert isinstance(first, RawDocument) and stub.remembered == []
    # The run dies here, before the consumer asks for more: nothing was remembered,
    # so the next run fetches page 1 in full instead of getting a 304 for it.
    items.close()
    assert stub.remembered == []
    list(read_sources(["http://a.test/1", "http://a.test/2"], Settings(), stub))
    assert stub.remembered == ["http://a.test/1", "http://a.test/2"]
