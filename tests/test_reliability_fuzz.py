"""Fuzz targets: hostile HTML, mutated feeds and tricky URLs give results or ParallaxErrors only.

Property tests for the text cleaner (``test_extract_text``), number parser
(``test_numbers``), quote finder (``test_quotes``), address spellings
(``test_fetch_guard``) and feed/OPML/sitemap tag soup (``test_ingest_fuzz``)
live beside their modules. These add what they do not cover: random and
mutated HTML through the registered HTML extractor, mutations of real-shaped
feeds read all the way to articles, and whole URLs built from the parts
attackers use to smuggle an address past a check. Each is bounded: a fixed
number of examples and a per-example time limit.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parallax.config import FetchSettings, Settings
from parallax.errors import FetchError, ParallaxError
from parallax.ingest import FetchResult, PoliteFetcher, read_sources
from parallax.ingest.addresses import non_public_reason, parse_ip_literal
from parallax.models import Article, Failure, MediaType, RawDocument
from parallax.pipeline import Pipeline
from parallax.stages import NoDeduplication, OneStoryPerArticle
from parallax.store.sqlite import SQLiteStore

# Per example, on a loaded 2-core machine; a parser that hangs or goes quadratic trips it.
EXAMPLE_SECONDS = 10.0
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def html_extractor() -> Any:
    """The registered default HTML extractor."""
    from parallax import stages

    return stages.create("html_extractor")


@pytest.fixture(scope="module")
def pipeline() -> Iterator[Pipeline]:
    from parallax import stages

    with SQLiteStore(":memory:") as store:
        yield Pipeline(
            store,
            extractors={
                MediaType.HTML: html_extractor(),
                MediaType.TEXT: stages.create("text_extractor"),
            },
            deduplicator=NoDeduplication(),
            clusterer=OneStoryPerArticle(),
        )


def extract_or_refuse(pipeline: Pipeline, doc: RawDocument) -> Article | None:
    """The article, or None when a ParallaxError with a one-line message naming it refused it."""
    started = time.monotonic()
    try:
        article = pipeline.extract(doc)
    except ParallaxError as exc:
        message = str(exc)
        assert message and "\n" not in message, repr(message)
        assert doc.id in message, message
        return None
    finally:
        assert time.monotonic() - started < EXAMPLE_SECONDS
    assert isinstance(article, Article)
    assert (article.key, article.id) == (doc.key, doc.id)
    assert isinstance(article.text, str) and isinstance(article.title, str)
    assert "\x00" not in article.text
    return article


# -- HTML ---------------------------------------------------------------------------

TAGS = ["html", "head", "body", "title", "meta", "article", "main", "div", "p", "span", "a"]
TAGS += ["h1", "h2", "ul", "li", "table", "tr", "td", "script", "style", "nav", "footer"]
TAGS += ["figure", "figcaption", "blockquote", "br", "img", "svg", "math", "template", "time"]
TAGS += ["noscript", "iframe", "form", "textarea", "select", "option", "pre", "code", "b"]
ATTRIBUTES = [
    "",
    ' class="article-body"',
    ' class="related share newsletter"',
    ' id="content"',
    ' href="https://news.example/a"',
    ' href="javascript:alert(1)"',
    ' charset="utf-8"',
    ' charset="x-bogus"',
    ' http-equiv="content-type" content="text/html; charset=iso-8859-1"',
    ' property="og:title" content="Harbour wall"',
    ' name="author" content="By Mara Quill"',
    ' itemprop="datePublished" content="2026-99-99"',
    ' datetime="not a date"',
    ' lang="xx"',
    ' style="display:none"',
    " hidden",
    ' onload="x()"',
    " " + "a" * 300 + '="1"',
]
TEXTS = [
    "The Valemont council met on Monday and approved the harbour wall repairs.",
    "“We waited too long,” said Mara Quill, who chairs the committee.",
    "It will cost 42 million crowns, up 7% on last year's estimate.",
    "&amp;",
    "&nbsp;",
    "&#0;",
    "&#x110000;",
    "&#xD800;",
    "&bogus;",
    "<![CDATA[x]]>",
    "<!-- comment -->",
    "<?php echo 1 ?>",
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": ',
    '{"@graph": [{"@type": ["NewsArticle"], "author": [{"name": null}]}]}</script>',
    "\u202etext\u202c",
    "\u00ad\u200b\ufeff",
    "Привет",
    "日本語の記事",
    "العربية",
    "\x00\x01\x0b",
    " ",
    "\n",
]


@st.composite
def html_soup(draw: st.DrawFn, depth: int = 0) -> str:
    """Tag soup from news-page vocabulary: unclosed, misnested and odd markup included."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 5 if depth < 3 else 2))):
        kind = draw(st.integers(0, 9))
        if kind < 5 and depth < 6:
            tag = draw(st.sampled_from(TAGS))
            attributes = "".join(draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=3)))
            inner = draw(html_soup(depth + 1))
            closing = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", f"</{tag}", "</div>"]))
            parts.append(f"<{tag}{attributes}>{inner}{closing}")
        elif kind < 8:
            parts.append(draw(st.sampled_from(TEXTS)))
        else:
            parts.append(draw(st.text(max_size=40)))
    return "".join(parts)


ARTICLE_PAGE = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Harbour wall | "
    "Valemont Courier</title><meta property='og:site_name' content='Valemont Courier'>"
    "</head><body><nav><a href='/'>Home</a> <a href='/sport'>Sport</a></nav><article>"
    "<h1>Harbour wall repairs approved</h1><p class='byline'>By Mara Quill</p>"
    + "".join(
        f"<p>The Valemont council approved repairs to the harbour wall on Monday, item {n}, "
        f"after engineers warned that the winter storms had opened {n + 3} new cracks.</p>"
        for n in range(8)
    )
    + "</article><aside class='related'><a href='/x'>Related: ferry fares rise</a></aside>"
    "<footer>© Valemont Courier</footer></body></html>"
)


def mutate(data: bytes, draw: st.DrawFn) -> bytes:
    """A few byte-level edits: flips, deletions, insertions, duplications, truncation."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        if not out:
            break
        at = draw(st.integers(0, len(out) - 1))
        edit = draw(st.sampled_from(["flip", "delete", "insert", "duplicate", "truncate"]))
        if edit == "flip":
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif edit == "delete":
            del out[at : at + draw(st.integers(1, 64))]
        elif edit == "insert":
            out[at:at] = draw(st.sampled_from([b"<", b">", b"</p>", b"<div>", b"\x00", b"\xff"]))
        elif edit == "duplicate":
            out[at:at] = out[at : at + draw(st.integers(1, 200))]
        else:
            del out[at:]
    return bytes(out)


@st.composite
def html_documents(draw: st.DrawFn) -> RawDocument:
    """Random soup, or a real-shaped article page mutated, in any of several encodings."""
    choice = draw(st.integers(0, 2))
    if choice == 0:
        body = draw(html_soup()).encode(
            draw(st.sampled_from(["utf-8", "utf-16", "cp1252", "utf-32"])), "replace"
        )
    elif choice == 1:
        body = mutate(ARTICLE_PAGE.encode(), draw)
    else:
        body = draw(st.binary(max_size=600))
    encoding = draw(st.sampled_from([None, "utf-8", "iso-8859-1", "x-unknown", "utf-16"]))
    return RawDocument(
        id="fuzz.html", body=body, media_type=MediaType.HTML, url=None, encoding=encoding
    )


def test_the_unmutated_article_page_is_extracted(pipeline: Pipeline) -> None:
    """The mutation target is a page the extractor reads, so mutations start from success."""
    doc = RawDocument(id="page.html", body=ARTICLE_PAGE.encode(), media_type=MediaType.HTML)
    article = extract_or_refuse(pipeline, doc)
    assert article is not None and "harbour wall" in article.text


@FUZZ
@given(html_documents())
def test_any_html_gives_an_article_or_a_parallax_error(
    pipeline: Pipeline, doc: RawDocument
) -> None:
    extract_or_refuse(pipeline, doc)


# -- feeds ----------------------------------------------------------------------------

ENTRY_HTML = "".join(
    f"<p>The Brackwater dockers voted on day {n} to extend the strike, the union said, "
    f"after talks with the port authority broke down over {n + 2} disputed shifts.</p>"
    for n in range(6)
)
RSS = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
    "<title>Harbour Times</title><link>https://harbour.example/</link>"
    + "".join(
        f"<item><title>Strike day {n}</title><link>https://harbour.example/s{n}</link>"
        f"<pubDate>Mon, 13 Apr 2026 0{n}:00:00 GMT</pubDate><guid>s{n}</guid>"
        f"<content:encoded><![CDATA[{ENTRY_HTML}]]></content:encoded></item>"
        for n in range(3)
    )
    + "</channel></rss>"
)
ATOM = (
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    "<title>Lakeshore Gazette</title><id>urn:lakeshore</id>"
    + "".join(
        f"<entry><title>Dockers day {n}</title><id>urn:d{n}</id>"
        f'<link href="/d{n}"/><updated>2026-04-13T0{n}:00:00Z</updated>'
        f'<content type="html">{ENTRY_HTML.replace("<", "&lt;")}</content></entry>'
        for n in range(3)
    )
    + "</feed>"
)


class NoWeb:
    """Every link is dead, so feed entries fall back on the content the feed carries."""

    def fetch(self, url: str) -> FetchResult:
        raise FetchError(f"could not fetch {url}; the fuzzer has no web")

    def remember(self, result: FetchResult) -> None:
        pass


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    body = draw(st.sampled_from([RSS, ATOM])).encode()
    return mutate(body, draw) if draw(st.integers(0, 5)) else body


def test_the_unmutated_feeds_give_articles(pipeline: Pipeline) -> None:
    for feed in (RSS, ATOM):
        items = list(read_sources(["-"], Settings(), NoWeb(), stdin=io.BytesIO(feed.encode())))
        docs = [item for item in items if isinstance(item, RawDocument)]
        assert len(docs) == 3, items
        assert all(extract_or_refuse(pipeline, doc) for doc in docs)


@FUZZ
@given(feeds())
def test_any_feed_gives_articles_or_one_line_failures(pipeline: Pipeline, data: bytes) -> None:
    started = time.monotonic()
    items = list(read_sources(["-"], Settings(), NoWeb(), stdin=io.BytesIO(data)))
    assert time.monotonic() - started < EXAMPLE_SECONDS
    for item in items:
        assert isinstance(item, RawDocument | Failure)
        if isinstance(item, Failure):
            assert "\n" not in item.reason
            assert "please report" not in item.reason, item.reason
        else:
            extract_or_refuse(pipeline, item)


# -- URLs -----------------------------------------------------------------------------

PUBLIC = "93.184.216.34"
HOSTS = [
    "news.test",
    "inward.test",
    "127.0.0.1",
    "127.1",
    "0x7f.1",
    "2130706433",
    "0177.0.0.1",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "localhost",
    "LocalHost.",
    "10.0.0.1",
    "169.254.169.254",
    "%31%32%37.0.0.1",
    "127。0。0。1",
    "１２７.０.０.１",
    "ⓛⓞⓒⓐⓛⓗⓞⓢⓣ",
    "xn--nxasmq6b",
    "8.8.8.8",
    "[2606:4700::1111]",
    "",
]
URL_PIECES = ["@", ":", "#", "?", "/", "\\", "%2f", "%40", "%00", " ", "\t", "..", "."]


@st.composite
def urls(draw: st.DrawFn) -> str:
    """Whole URLs from the pieces used to smuggle an address past a check."""
    scheme = draw(st.sampled_from(["http://", "https://", "HTTP://", "http:/", "ftp://", ""]))
    userinfo = draw(st.sampled_from(["", "news.test@", "user:pw@", "127.0.0.1@", "a@b@"]))
    host = draw(st.sampled_from(HOSTS))
    port = draw(st.sampled_from(["", ":80", ":8080", ":0", ":99999", ":-1", ":x"]))
    tail = "".join(draw(st.lists(st.sampled_from([*URL_PIECES, *HOSTS]), max_size=5)))
    noise = draw(st.text(max_size=8)) if draw(st.integers(0, 4)) == 0 else ""
    return f"{scheme}{userinfo}{host}{port}/{tail}{noise}"


class SeenHosts:
    """A MockTransport handler that records the host of every request it would send."""

    def __init__(self) -> None:
        self.hosts: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, text="<p>ok</p>")


def resolve(host: str, port: int) -> list[str]:
    """Names resolve to a public address, except the one that points inward."""
    return ["10.0.0.7"] if "inward" in host else [PUBLIC]


@settings(max_examples=400, deadline=None)
@given(urls())
def test_no_url_reaches_a_non_public_host_and_only_fetch_errors_escape(url: str) -> None:
    seen = SeenHosts()
    fetcher = PoliteFetcher(
        FetchSettings(host_delay_s=0.0), transport=httpx.MockTransport(seen), resolver=resolve
    )
    with fetcher, contextlib.suppress(ParallaxError):
        # Readers squeeze the message onto one line (``ingest.failures.failure``).
        fetcher.fetch(url)
    for host in seen.hosts:
        literal = parse_ip_literal(host)
        if literal is not None:
            assert non_public_reason(literal) is None, (url, host)
        else:
            assert "inward" not in host and "localhost" not in host.lower(), (url, host)


# -- one bad input never stops a run --------------------------------------------------


class CrashingExtractor:
    """An HTML extractor with a bug: what a fuzz failure would look like in production."""

    def extract(self, doc: RawDocument) -> Article:
        raise RecursionError("maximum recursion depth exceeded")


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_an_internal_error_on_one_input_is_that_inputs_failure(
    command: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    from parallax import stages

    monkeypatch.setitem(stages._REGISTRY, ("html_extractor", "default"), CrashingExtractor)
    monkeypatch.setitem(stages._REGISTRY, ("deduplicator", "default"), NoDeduplication)
    monkeypatch.setitem(stages._REGISTRY, ("clusterer", "default"), OneStoryPerArticle)
    bad, good = tmp_path / "bad.html", tmp_path / "good.txt"
    bad.write_text(ARTICLE_PAGE, encoding="utf-8")
    good.write_text("The Valemont council approved the harbour wall repairs on Monday.\n")
    extra = ["--db", str(tmp_path / "store.db")] if command == "ingest" else []
    result = cli(command, "--json", *extra, str(bad), str(good))
    assert result.code == 1, result.stderr
    assert f"{bad}: internal error (RecursionError" in result.stderr, result.stderr
    if command == "extract":
        lines = result.json_lines()
        assert [line["input"] for line in lines] == [str(bad), str(good)]
        assert "internal error" in lines[0]["error"] and "harbour wall" in lines[1]["text"]
    else:
        assert result.json() == {"ingested": 1, "duplicates": 0, "failed": 1, "stories": 1}


# -- what the fuzzing found, kept as plain regression tests ----------------------------


@pytest.mark.parametrize(
    ("body", "documents"),
    [
        (RSS.replace('encoding="utf-8"', 'encoding="ttf-8"'), 3),
        (
            '<?xml version="1.0" encoding="ttf-8"?><urlset><url><loc>https://h.example/a</loc>'
            "</url></urlset>",
            0,
        ),
        (
            '<?xml version="1.0" encoding="ttf-8"?><opml><body><outline '
            'xmlUrl="https://h.example/f"/></body></opml>',
            0,
        ),
    ],
    ids=["feed", "sitemap", "opml"],
)
def test_an_unknown_declared_xml_encoding_is_no_internal_error(body: str, documents: int) -> None:
    # A mutated RSS declaring encoding="ttf-8" once escaped as LookupError ("please report").
    items = list(read_sources(["-"], Settings(), NoWeb(), stdin=io.BytesIO(body.encode())))
    assert len([item for item in items if isinstance(item, RawDocument)]) == documents
    for item in items:
        if isinstance(item, Failure):
            assert "please report" not in item.reason, item.reason
