"""Feeds, OPML and sitemaps: parsed into records, hostile XML refused, entries read."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from parallax.config import Settings
from parallax.errors import FetchError, ParseError
from parallax.ingest import FetchResult, read_sources
from parallax.ingest.feeds import parse_feed, parse_opml, parse_sitemap, refuse_entities
from parallax.models import Failure, MediaType, RawDocument

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>The Quay Times</title><link>https://quay.example/</link>
<description>Harbour news</description>
<item><title>Quay 4 fire</title><link>https://quay.example/fire</link>
<pubDate>Wed, 02 Oct 2030 08:00:00 +0200</pubDate><author>desk@quay.example (R. Vell)</author>
<description>A fire broke out.</description></item>
<item><title>Ferry strike</title><link>https://quay.example/ferry</link>
<description>Crews walk out.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Orrin Valley Post</title>
<id>urn:orrin</id><updated>2030-10-03T10:00:00Z</updated>
<entry><title>Dam vote</title><id>urn:orrin:dam</id><link href="/dam-vote"/>
<updated>2030-10-03T09:00:00Z</updated>
<content type="html">&lt;p&gt;The council voted.&lt;/p&gt;</content>
</entry></feed>"""


def test_rss_entries_carry_links_titles_dates_and_the_feed_title() -> None:
    feed = parse_feed(RSS, "https://quay.example/rss", "rss")
    assert feed.title == "The Quay Times"
    assert [entry.link for entry in feed.entries] == [
        "https://quay.example/fire",
        "https://quay.example/ferry",
    ]
    first = feed.entries[0]
    assert first.title == "Quay 4 fire"
    assert first.published == datetime(2030, 10, 2, 6, 0, tzinfo=UTC)
    assert first.content == "A fire broke out."
    assert feed.entries[1].published is None


def test_atom_links_resolve_against_the_feed_url() -> None:
    feed = parse_feed(ATOM, "https://orrin.example/feed.atom", "atom")
    assert feed.title == "Orrin Valley Post"
    entry = feed.entries[0]
    assert entry.link == "https://orrin.example/dam-vote"
    assert entry.content == "<p>The council voted.</p>"
    assert entry.published == datetime(2030, 10, 3, 9, 0, tzinfo=UTC)


def test_a_public_doctype_is_not_an_attack() -> None:
    old = RSS.replace(
        b"<rss",
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss',
        1,
    )
    assert len(parse_feed(old, None, "old").entries) == 2


def billion_laughs(root: str, body: str) -> bytes:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n{chr(10).join(levels)}\n]>\n'
        + body.replace("BOMB", "&lol9;")
    ).encode()


RSS_BODY = (
    '<rss version="2.0"><channel><title>BOMB</title>'
    "<item><title>x</title><link>https://quay.example/x</link></item></channel></rss>"
)
OPML_BODY = (
    '<opml version="2.0"><body><outline text="BOMB" xmlUrl="https://q.example/f"/></body></opml>'
)
SITEMAP_BODY = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>BOMB</loc></url></urlset>'


@pytest.mark.parametrize(
    ("parse", "body", "root"),
    [
        (lambda b: parse_feed(b, None, "bomb"), RSS_BODY, "rss"),
        (lambda b: parse_opml(b, None, "bomb"), OPML_BODY, "opml"),
        (lambda b: parse_sitemap(b, None, "bomb"), SITEMAP_BODY, "urlset"),
    ],
)
def test_billion_laughs_is_refused_at_once(parse: object, body: str, root: str) -> None:
    started = time.monotonic()
    with pytest.raises(ParseError, match="declares XML entities"):
        parse(billion_laughs(root, body))  # type: ignore[operator]
    assert time.monotonic() - started < 0.5


def test_billion_laughs_in_utf16_is_refused_too() -> None:
    bomb = (
        billion_laughs("rss", RSS_BODY).decode().replace('"1.0"?>', '"1.0" encoding="utf-16"?>', 1)
    )
    with pytest.raises(ParseError):
        parse_feed("\ufeff".encode("utf-16-le") + bomb.encode("utf-16-le"), None, "bomb16")


def test_external_entities_never_read_local_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>&xxe;</title>'
        "<item><title>&xxe;</title><link>https://quay.example/x</link></item></channel></rss>"
    ).encode()
    with pytest.raises(ParseError):
        parse_feed(xxe, None, "xxe")
    feed_file = tmp_path / "xxe.xml"
    feed_file.write_bytes(xxe)
    items = list(read_sources([str(feed_file)], Settings()))
    assert len(items) == 1 and isinstance(items[0], Failure)
    assert "TOP-SECRET-TOKEN" not in repr(items)


def test_an_external_dtd_named_but_unused_is_not_refused() -> None:
    parameter = (
        b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://evil.example/x.dtd">'
        b'<rss version="2.0"><channel><title>t</title></channel></rss>'
    )
    # Nothing is declared or expanded and the DTD is never fetched, so this feed is fine.
    refuse_entities(parameter, "dtd")


def test_opml_lists_feed_urls_once_in_order() -> None:
    opml = b"""<?xml version="1.0"?><opml version="1.0"><head><title>Subs</title></head><body>
    <outline text="Harbour"><outline text="Quay" xmlUrl="https://quay.example/rss"/>
    <outline text="Orrin" xmlurl="/feeds/orrin.atom"/></outline>
    <outline text="Quay again" xmlUrl="https://quay.example/rss"/>
    <outline text="no feed" htmlUrl="https://site.example/"/></body></opml>"""
    assert parse_opml(opml, "https://lists.example/subs.opml", "subs") == (
        "https://quay.example/rss",
        "https://lists.example/feeds/orrin.atom",
    )


def test_sitemaps_give_locations_and_news_metadata() -> None:
    urlset = b"""<?xml version="1.0"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
            xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
    <url><loc>https://quay.example/fire</loc><news:news><news:publication_date>2030-10-02</news:publication_date>
    <news:title>Quay 4 fire</news:title></news:news></url>
    <url><loc> https://quay.example/ferry </loc></url></urlset>"""
    sitemap = parse_sitemap(urlset, None, "sm")
    assert not sitemap.is_index
    assert [link.url for link in sitemap.links] == [
        "https://quay.example/fire",
        "https://quay.example/ferry",
    ]
    assert sitemap.links[0].title == "Quay 4 fire"
    assert sitemap.links[0].published == datetime(2030, 10, 2, tzinfo=UTC)
    index = parse_sitemap(
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://quay.example/s1.xml</loc></sitemap></sitemapindex>",
        None,
        "idx",
    )
    assert index.is_index and [link.url for link in index.links] == ["https://quay.example/s1.xml"]


def test_malformed_xml_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not well-formed"):
        parse_sitemap(b"<urlset><url><loc>x</url>", None, "broken")


# -- reading feeds through a fetcher ------------------------------------------------


class TableFetcher:
    """A Fetcher answering from a table; anything else fails like a dead link."""

    def __init__(self, pages: dict[str, FetchResult]) -> None:
        self.pages = pages
        self.asked: list[str] = []

    def fetch(self, url: str) -> FetchResult:
        self.asked.append(url)
        if url not in self.pages:
            raise FetchError(f"could not fetch {url} (connection refused); check the URL")
        return self.pages[url]

    def remember(self, result: FetchResult) -> None:
        pass


def page(url: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> FetchResult:
    return FetchResult(url, 200, {"content-type": content_type}, body)


def test_feed_entries_are_fetched_with_hints() -> None:
    fetcher = TableFetcher(
        {
            "https://quay.example/rss": page(
                "https://quay.example/rss", RSS, "application/rss+xml"
            ),
            "https://quay.example/fire": page("https://quay.example/fire", b"<p>Fire page</p>"),
            "https://quay.example/ferry": page(
                "https://quay.example/ferry?via=rss", b"<p>Ferry page</p>", "text/html"
            ),
        }
    )
    items = list(read_sources(["https://quay.example/rss"], Settings(), fetcher))
    assert all(isinstance(item, RawDocument) for item in items)
    fire, ferry = items
    assert isinstance(fire, RawDocument) and isinstance(ferry, RawDocument)
    assert (fire.id, fire.url, fire.encoding) == (
        "https://quay.example/fire",
        "https://quay.example/fire",
        "utf-8",
    )
    assert fire.hints.title == "Quay 4 fire" and fire.hints.outlet == "The Quay Times"
    assert fire.hints.byline is not None and "R. Vell" in fire.hints.byline
    # The id is the final URL after redirects.
    assert ferry.id == "https://quay.example/ferry?via=rss"
    assert ferry.encoding is None


def test_an_entry_whose_page_is_gone_uses_substantial_feed_content() -> None:
    long_story = "<p>" + "The Quay 4 fire burned through the night. " * 20 + "</p>"
    feed = RSS.replace(b"A fire broke out.", long_story.replace("<", "&lt;").encode())
    fetcher = TableFetcher({"https://quay.example/rss": page("https://quay.example/rss", feed)})
    items = list(read_sources(["https://quay.example/rss"], Settings(), fetcher))
    first, second = items
    assert isinstance(first, RawDocument)
    assert first.id == "https://quay.example/fire"
    assert first.media_type is MediaType.HTML
    assert b"burned through the night" in first.body
    # The second entry only has a teaser: its dead link is reported.
    assert isinstance(second, Failure) and second.input == "https://quay.example/ferry"
    assert "connection refused" in second.reason


def test_a_feed_that_cannot_be_read_is_one_failure(tmp_path: Path) -> None:
    broken = tmp_path / "feed.rss"
    broken.write_bytes(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut off')
    items = list(read_sources([str(broken)], Settings(), TableFetcher({})))
    assert len(items) == 1 and isinstance(items[0], Failure)
    assert "not a readable RSS or Atom feed" in items[0].reason


def test_a_local_opml_reads_each_feed_and_reports_dead_ones(tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_bytes(
        b'<opml version="2.0"><body><outline xmlUrl="https://quay.example/rss"/>'
        b'<outline xmlUrl="https://dead.example/feed"/></body></opml>'
    )
    fetcher = TableFetcher(
        {
            "https://quay.example/rss": page(
                "https://quay.example/rss", RSS, "application/rss+xml"
            ),
            "https://quay.example/fire": page("https://quay.example/fire", b"<p>Fire</p>"),
            "https://quay.example/ferry": page("https://quay.example/ferry", b"<p>Ferry</p>"),
        }
    )
    items = list(read_sources([str(opml)], Settings(), fetcher))
    assert [type(item).__name__ for item in items] == ["RawDocument", "RawDocument", "Failure"]
    assert items[2].input == "https://dead.example/feed"  # type: ignore[union-attr]


def test_a_sitemap_link_that_is_not_a_page_fails_alone() -> None:
    sitemap = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://quay.example/rss</loc></url>"
        b"<url><loc>https://quay.example/fire</loc></url></urlset>"
    )
    fetcher = TableFetcher(
        {
            "https://quay.example/sitemap.xml": page(
                "https://quay.example/sitemap.xml", sitemap, "application/xml"
            ),
            "https://quay.example/rss": page(
                "https://quay.example/rss", RSS, "application/rss+xml"
            ),
            "https://quay.example/fire": page("https://quay.example/fire", b"<p>Fire</p>"),
        }
    )
    items = list(read_sources(["https://quay.example/sitemap.xml"], Settings(), fetcher))
    assert isinstance(items[0], Failure) and "is not a page" in items[0].reason
    assert isinstance(items[1], RawDocument) and items[1].id == "https://quay.example/fire"


def test_each_url_is_read_once_per_run() -> None:
    fetcher = TableFetcher(
        {"https://quay.example/fire": page("https://quay.example/fire", b"<p>F</p>")}
    )
    sources = ["https://quay.example/fire", "https://quay.example/fire"]
    assert len(list(read_sources(sources, Settings(), fetcher))) == 1
    assert fetcher.asked == ["https://quay.example/fire"]


def test_an_unreadable_entry_date_is_no_date_and_no_warning() -> None:
    # Found by fuzzing: feedparser warns when "updated" is looked up for an entry that has
    # only an unparseable "published"; with warnings as errors that broke the whole feed.
    feed = parse_feed(
        b'<rss version="2.0"><channel><title>t</title>'
        b"<item><title>x</title><pubDate>garbage</pubDate></item></channel></rss>",
        None,
        "odd-date",
    )
    assert feed.entries[0].published is None
