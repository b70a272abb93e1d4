"""The fetcher and URL ingest against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import httpx
import pytest
import zstandard

from parallax.config import FetchSettings, Settings
from parallax.errors import BlockedAddress, FetchError, RobotsDisallowed, TooLarge
from parallax.ingest import MemoryFetchCache, PoliteFetcher, read_sources
from parallax.models import Failure, MediaType, RawDocument


@dataclass
class Reply:
    """What the test server answers on one path."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    # Send the body in pieces this far apart (a server trickling bytes).
    trickle_s: float = 0.0
    declare_length: bool = True


Route = Callable[[dict[str, str]], Reply]


class LoopbackServer:
    """A threaded HTTP/1.0 server on 127.0.0.1 with routes and a log of requests."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | Reply] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                outer.requests.append((self.path, headers))
                route = outer.routes.get(self.path, Reply(b"no such page", 404))
                reply = route(headers) if callable(route) else route
                time.sleep(reply.delay_s)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.declare_length and not reply.trickle_s:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if reply.trickle_s:
                        for byte in reply.body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(reply.trickle_s)
                    else:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up on purpose

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, path: str) -> str:
        """The full URL of ``path`` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        """Paths requested so far, in order."""
        return [path for path, _ in self.requests]

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        running.routes["/robots.txt"] = Reply(b"User-agent: *\nAllow: /\n")
        yield running


LOOPBACK = FetchSettings(allow_private_hosts=True, host_delay_s=0.001, timeout_s=2.0)


def fetcher(**changes: object) -> PoliteFetcher:
    return PoliteFetcher(replace(LOOPBACK, **changes))  # type: ignore[arg-type]


def settings_with(fetch: FetchSettings = LOOPBACK) -> Settings:
    return Settings(fetch=fetch)


PAGE = (
    b"<html><head><title>Harbour ferry resumes</title></head><body><article>"
    b"<p>The Lowmere ferry resumed service on Tuesday after a two-week strike.</p>"
    b"</article></body></html>"
)
HTML = {"Content-Type": "text/html; charset=ISO-8859-1"}


def feed_xml(server: LoopbackServer) -> bytes:
    items = "".join(
        f"<item><title>Story {n}</title><link>{server.url(f'/story/{n}')}</link>"
        f"<pubDate>Tue, 0{n} Oct 2030 08:00:00 GMT</pubDate><description>Teaser {n}</description>"
        "</item>"
        for n in (1, 2)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>The Lowmere Gazette</title>'
        f"<link>{server.url('/')}</link><description>News</description>{items}</channel></rss>"
    ).encode()


def ids(items: list[RawDocument | Failure]) -> list[str]:
    """Document ids, and failed inputs marked as such, in order."""
    return [item.id if isinstance(item, RawDocument) else f"failed: {item.input}" for item in items]


def serve_stories(server: LoopbackServer) -> None:
    for n in (1, 2):
        server.routes[f"/story/{n}"] = Reply(
            PAGE.replace(b"Tuesday", f"day {n}".encode()), 200, HTML
        )


# -- pages, feeds, OPML, sitemaps ---------------------------------------------


def test_page_is_fetched_with_its_declared_charset(server: LoopbackServer) -> None:
    server.routes["/page"] = Reply(PAGE, 200, HTML)
    docs = list(read_sources([server.url("/page")], settings_with()))
    assert len(docs) == 1
    doc = docs[0]
    assert isinstance(doc, RawDocument)
    assert (doc.id, doc.url) == (server.url("/page"), server.url("/page"))
    assert doc.media_type is MediaType.HTML
    assert doc.encoding == "iso-8859-1"
    assert doc.body == PAGE
    sent = dict(server.requests)["/page"]
    assert sent["user-agent"].startswith("ParallaxBot")


def test_feed_with_two_items_gives_two_documents(server: LoopbackServer) -> None:
    server.routes["/feed.xml"] = Reply(
        feed_xml(server), 200, {"Content-Type": "application/rss+xml"}
    )
    serve_stories(server)
    docs = list(read_sources([server.url("/feed.xml")], settings_with()))
    assert all(isinstance(doc, RawDocument) for doc in docs), docs
    assert ids(docs) == [server.url("/story/1"), server.url("/story/2")]
    first = docs[0]
    assert isinstance(first, RawDocument)
    assert first.hints.title == "Story 1"
    assert first.hints.outlet == "The Lowmere Gazette"
    assert first.hints.published is not None and first.hints.published.day == 1
    assert b"day 1" in first.body


def test_opml_lists_the_feed(server: LoopbackServer) -> None:
    server.routes["/feed.xml"] = Reply(
        feed_xml(server), 200, {"Content-Type": "application/rss+xml"}
    )
    serve_stories(server)
    opml = (
        '<?xml version="1.0"?><opml version="2.0"><head><title>Subs</title></head><body>'
        f'<outline text="Gazette" type="rss" xmlUrl="{server.url("/feed.xml")}"/></body></opml>'
    )
    server.routes["/subs.opml"] = Reply(opml.encode(), 200, {"Content-Type": "text/x-opml"})
    docs = list(read_sources([server.url("/subs.opml")], settings_with()))
    assert [doc.id for doc in docs if isinstance(doc, RawDocument)] == [
        server.url("/story/1"),
        server.url("/story/2"),
    ]


def test_sitemap_index_and_gzipped_sitemap_lead_to_pages(server: LoopbackServer) -> None:
    serve_stories(server)
    urlset = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{server.url('/story/1')}</loc></url>"
        f"<url><loc>{server.url('/story/2')}</loc></url></urlset>"
    ).encode()
    server.routes["/pages.xml.gz"] = Reply(
        gzip.compress(urlset), 200, {"Content-Type": "application/gzip"}
    )
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{server.url('/pages.xml.gz')}</loc></sitemap></sitemapindex>"
    ).encode()
    server.routes["/sitemap.xml"] = Reply(index, 200, {"Content-Type": "application/xml"})
    docs = list(read_sources([server.url("/sitemap.xml")], settings_with()))
    assert ids(docs) == [server.url("/story/1"), server.url("/story/2")]


def test_a_failing_page_is_one_failure_and_the_rest_goes_on(server: LoopbackServer) -> None:
    server.routes["/feed.xml"] = Reply(
        feed_xml(server), 200, {"Content-Type": "application/rss+xml"}
    )
    server.routes["/story/2"] = Reply(PAGE, 200, HTML)  # story 1 is a 404
    items = list(read_sources([server.url("/feed.xml")], settings_with()))
    assert isinstance(items[0], Failure) and items[0].input == server.url("/story/1")
    assert "404" in items[0].reason
    assert isinstance(items[1], RawDocument)


# -- robots.txt ------------------------------------------------------------------


def test_robots_disallow_is_obeyed(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = Reply(b"User-agent: ParallaxBot\nDisallow: /private/\n")
    server.routes["/private/page"] = Reply(PAGE, 200, HTML)
    with fetcher() as web, pytest.raises(RobotsDisallowed, match=r"robots\.txt"):
        web.fetch(server.url("/private/page"))
    assert "/private/page" not in server.paths()


def test_robots_server_error_means_disallow_and_missing_means_allow(
    server: LoopbackServer,
) -> None:
    server.routes["/page"] = Reply(PAGE, 200, HTML)
    server.routes["/robots.txt"] = Reply(b"oops", 503)
    with fetcher() as web, pytest.raises(RobotsDisallowed):
        web.fetch(server.url("/page"))
    server.routes["/robots.txt"] = Reply(b"gone", 404)
    with fetcher() as web:
        assert web.fetch(server.url("/page")).status == 200


# -- redirects -------------------------------------------------------------------


def chain(server: LoopbackServer, hops: int) -> str:
    for n in range(hops):
        server.routes[f"/hop/{n}"] = Reply(b"", 302, {"Location": f"/hop/{n + 1}"})
    server.routes[f"/hop/{hops}"] = Reply(PAGE, 200, HTML)
    return server.url("/hop/0")


def test_five_redirects_are_followed(server: LoopbackServer) -> None:
    with fetcher() as web:
        result = web.fetch(chain(server, 5))
    assert result.url == server.url("/hop/5")
    assert result.body == PAGE


def test_six_redirects_are_too_many(server: LoopbackServer) -> None:
    with fetcher() as web, pytest.raises(FetchError, match="redirects more than 5 times"):
        web.fetch(chain(server, 6))
    assert "/hop/6" not in server.paths()


class RouteToLoopback(httpx.BaseTransport):
    """Sends every request to the loopback server, whatever host the URL names."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(host="127.0.0.1", port=self._port)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/secret",
        "http://[::ffff:127.0.0.1]:{port}/secret",
        "http://2130706433:{port}/secret",
    ],
)
def test_redirect_to_a_private_address_is_refused(server: LoopbackServer, target: str) -> None:
    server.routes["/go"] = Reply(b"", 302, {"Location": target.format(port=server.port)})
    server.routes["/secret"] = Reply(b"internal", 200)
    web = PoliteFetcher(
        FetchSettings(host_delay_s=0.0, timeout_s=2.0),
        transport=RouteToLoopback(server.port),
        resolver=lambda host, port: ["93.184.216.34"],  # a public address for news.test
    )
    with web, pytest.raises(BlockedAddress, match="loopback"):
        web.fetch("http://news.test/go")
    assert "/go" in server.paths()
    assert "/secret" not in server.paths()


# -- conditional GET -------------------------------------------------------------


def test_etag_and_last_modified_give_304_on_the_second_fetch(server: LoopbackServer) -> None:
    stamp = formatdate(1_900_000_000, usegmt=True)

    def page(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == '"v1"':
            return Reply(b"", 304)
        return Reply(PAGE, 200, {**HTML, "ETag": '"v1"', "Last-Modified": stamp})

    server.routes["/page"] = page
    cache = MemoryFetchCache()
    with PoliteFetcher(LOOPBACK, cache=cache) as web:
        first = list(read_sources([server.url("/page")], settings_with(), web))
        # A fresh run (new reader) with the same cache, as after a restart with the store.
        second = list(read_sources([server.url("/page")], settings_with(), web))
    assert len(first) == 1 and isinstance(first[0], RawDocument)
    assert second == []
    page_requests = [headers for path, headers in server.requests if path == "/page"]
    assert "if-none-match" not in page_requests[0]
    assert page_requests[1]["if-none-match"] == '"v1"'
    assert page_requests[1]["if-modified-since"] == stamp


# -- limits ----------------------------------------------------------------------


def test_declared_oversized_body_is_refused_before_reading(server: LoopbackServer) -> None:
    server.routes["/big"] = Reply(b"x" * 5000, 200, HTML)
    with fetcher(max_download_bytes=1000) as web, pytest.raises(TooLarge, match="download limit"):
        web.fetch(server.url("/big"))


def test_undeclared_oversized_body_is_cut_off_while_streaming(server: LoopbackServer) -> None:
    server.routes["/big"] = Reply(b"x" * 200_000, 200, HTML, declare_length=False)
    with fetcher(max_download_bytes=1000) as web, pytest.raises(TooLarge, match="larger than"):
        web.fetch(server.url("/big"))


def bomb(encoding: str, size: int) -> bytes:
    zeros = b"\0" * size
    if encoding == "gzip":
        return gzip.compress(zeros, 1)
    if encoding == "deflate":
        return zlib.compress(zeros, 1)
    if encoding == "br":
        return brotli.compress(zeros, quality=1)
    return zstandard.ZstdCompressor(level=1).compress(zeros)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd"])
def test_compression_bombs_stop_at_the_decompressed_limit(
    server: LoopbackServer, encoding: str
) -> None:
    payload = bomb(encoding, 16 * 1024 * 1024)
    server.routes["/bomb"] = Reply(payload, 200, {**HTML, "Content-Encoding": encoding})
    started = time.monotonic()
    with (
        fetcher(max_decompressed_bytes=1024 * 1024) as web,
        pytest.raises(TooLarge, match="once decompressed"),
    ):
        web.fetch(server.url("/bomb"))
    assert time.monotonic() - started < 5


def test_compressed_page_within_limits_is_decoded(server: LoopbackServer) -> None:
    server.routes["/page"] = Reply(brotli.compress(PAGE), 200, {**HTML, "Content-Encoding": "br"})
    with fetcher() as web:
        assert web.fetch(server.url("/page")).body == PAGE


def test_slow_server_times_out(server: LoopbackServer) -> None:
    server.routes["/slow"] = Reply(PAGE, 200, HTML, delay_s=1.5)
    started = time.monotonic()
    with fetcher(timeout_s=0.3) as web, pytest.raises(FetchError, match="did not answer within"):
        web.fetch(server.url("/slow"))
    assert time.monotonic() - started < 1.4


def test_trickling_server_is_cut_off_at_the_time_limit(server: LoopbackServer) -> None:
    server.routes["/trickle"] = Reply(PAGE, 200, HTML, trickle_s=0.02)
    started = time.monotonic()
    with fetcher(timeout_s=0.4) as web, pytest.raises(FetchError, match="did not answer within"):
        web.fetch(server.url("/trickle"))
    assert time.monotonic() - started < 1.5


def test_loopback_is_refused_without_the_flag(server: LoopbackServer) -> None:
    items = list(read_sources([server.url("/page")], Settings()))
    assert len(items) == 1 and isinstance(items[0], Failure)
    assert "--allow-private-hosts" in items[0].reason
    assert server.requests == []
