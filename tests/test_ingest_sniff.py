"""Sniffing kinds from content, reading dates, and the ingest package's public surface."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

import parallax.ingest
from parallax.ingest import Kind, is_url, sniff
from parallax.ingest.dates import parse_published
from parallax.ingest.sniff import charset_of, suffix_of, xml_root


@pytest.mark.parametrize(
    ("head", "name", "content_type", "kind"),
    [
        (b"<!DOCTYPE html><html><body>x", "a.html", None, Kind.HTML),
        (b"<div><p>fragment</p></div>", "", None, Kind.HTML),
        (b"Plain words, nothing else.\n", "", None, Kind.TEXT),
        (b"<p>tags in notes</p> and text", "notes.txt", None, Kind.TEXT),
        (b"<!doctype html><html>saved as txt", "page.txt", None, Kind.HTML),
        (b"just text", "page.html", None, Kind.HTML),
        (b"just text", "https://x.example/a", "text/html; charset=utf-8", Kind.HTML),
        (b"<?xml version='1.0'?><rss version='2.0'>", "feed.xml", None, Kind.FEED),
        (
            b"<?xml version='1.0'?>\n<!-- hi -->\n<feed xmlns='http://www.w3.org/2005/Atom'>",
            "",
            None,
            Kind.FEED,
        ),
        (b"<rdf:RDF xmlns:rdf='x'>", "", None, Kind.FEED),
        (b"<?xml version='1.0'?><opml version='2.0'>", "subs.xml", None, Kind.OPML),
        (b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>", "", None, Kind.SITEMAP),
        (b"<sitemapindex>", "", None, Kind.SITEMAP),
        (b"<?xml version='1.0'?><catalog/>", "c.xml", None, Kind.XML),
        (b'{"id": "a", "text": "b"}\n', "dump.txt", None, Kind.JSONL),
        (b"not json at all", "a.jsonl", None, Kind.JSONL),
        (b'[{"id": 1}]', "a.json", None, Kind.JSON),
        (b"WARC/1.0\r\nWARC-Type: warcinfo", "x", None, Kind.WARC),
        (b"", "a.txt", None, Kind.EMPTY),
        (b"  \n\t ", "a.txt", None, Kind.EMPTY),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.txt", None, Kind.BINARY),
        (bytes(range(1, 32)) * 10, "a.txt", None, Kind.BINARY),
        ("Caf\u00e9 na\u00efve".encode("cp1252"), "a.txt", None, Kind.TEXT),
        ("\ufeffUTF-16 text".encode("utf-16"), "a.txt", None, Kind.TEXT),
    ],
)
def test_sniff(head: bytes, name: str, content_type: str | None, kind: Kind) -> None:
    assert sniff(head, name, content_type) is kind


def test_xml_root_skips_the_prolog() -> None:
    text = '<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE rss [<!ELEMENT rss ANY>]>\n<rss>'
    assert xml_root(text) == "rss"
    assert xml_root("<atom:feed xmlns:atom='x'>") == "feed"
    assert xml_root("plain") is None


def test_suffix_looks_through_gz_and_query() -> None:
    assert suffix_of("dir/page.HTML.gz") == ".html"
    assert suffix_of("https://x.example/feed.xml?page=2") == ".xml"
    assert suffix_of("https://x.example/") == ""
    assert suffix_of("archive.tar/README") == ""


def test_charset_of() -> None:
    assert charset_of('text/html; charset="UTF-8"') == "utf-8"
    assert charset_of("text/html") is None
    assert charset_of(None) is None


def test_gzip_is_not_sniffed_as_text() -> None:
    assert sniff(gzip.compress(b"hello")) is Kind.BINARY


def test_urls_and_paths_are_told_apart() -> None:
    assert is_url("https://x.example/a") and is_url("ftp://x")
    assert not is_url("C:/docs/a.txt") and not is_url("./a.txt") and not is_url("-")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2030-10-02T08:00:00Z", datetime(2030, 10, 2, 8, tzinfo=UTC)),
        ("2030-10-02T08:00:00+02:00", datetime(2030, 10, 2, 6, tzinfo=UTC)),
        ("2030-10-02", datetime(2030, 10, 2, tzinfo=UTC)),
        ("Wed, 02 Oct 2030 08:00:00 GMT", datetime(2030, 10, 2, 8, tzinfo=UTC)),
        (1_917_129_600, datetime(2030, 10, 2, tzinfo=UTC)),
        (date(2030, 10, 2), datetime(2030, 10, 2, tzinfo=UTC)),
        ("yesterday-ish", None),
        ("", None),
        (None, None),
        (True, None),
        ([2030], None),
    ],
)
def test_parse_published(value: object, expected: datetime | None) -> None:
    assert parse_published(value) == expected


def test_parsed_dates_keep_their_zone_and_are_always_aware() -> None:
    parsed = parse_published("2030-10-02T08:00:00+05:30")
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=5, minutes=30)
    naive = parse_published("2030-10-02T08:00:00")
    assert naive is not None and naive.tzinfo is UTC
    assert parse_published(datetime(2030, 1, 1, tzinfo=timezone(timedelta(hours=1)))) is not None


def test_public_surface_is_sorted_and_exists() -> None:
    names = parallax.ingest.__all__
    assert names == sorted(names)
    for name in names:
        assert hasattr(parallax.ingest, name), name
