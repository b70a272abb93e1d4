"""Fuzzing the readers: any bytes in, only documents and one-line failures out."""

from __future__ import annotations

import contextlib
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parallax.config import Settings
from parallax.errors import FetchError, ParseError
from parallax.ingest import FetchResult, read_sources
from parallax.ingest.feeds import parse_feed, parse_opml, parse_sitemap
from parallax.models import Failure, RawDocument


class NoWeb:
    """A fetcher for fuzzing: every link is dead."""

    def fetch(self, url: str) -> FetchResult:
        raise FetchError(f"could not fetch {url}; the fuzzer has no web")

    def remember(self, result: FetchResult) -> None:
        pass


TAGS = ["rss", "channel", "item", "title", "link", "feed", "entry", "content", "urlset", "url"]
TAGS += ["loc", "sitemapindex", "sitemap", "opml", "body", "outline", "html", "p", "pubDate"]
PROLOGS = [
    "",
    '<?xml version="1.0"?>',
    '<?xml version="1.0" encoding="iso-8859-1"?>',
    "<!DOCTYPE rss>",
    '<!DOCTYPE x [<!ENTITY a "b">]>',
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>',
    "WARC/1.0\r\n",
    "\ufeff",
]
WORDS = st.sampled_from(
    ["Quay", "&amp;", "&e;", "&lol;", "https://quay.example/a", "/rel", "<![CDATA[x]]>", "é", " "]
)


@st.composite
def xmlish(draw: st.DrawFn, depth: int = 0) -> str:
    """Tag soup drawn from the vocabulary of feeds, OPML and sitemaps."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 4 and draw(st.booleans()):
            tag = draw(st.sampled_from(TAGS))
            attrs = draw(st.sampled_from(["", ' xmlUrl="https://q.example/f"', ' href="/x"']))
            inner = draw(xmlish(depth + 1))
            closing = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}"]))
            parts.append(f"<{tag}{attrs}>{inner}{closing}")
        else:
            parts.append(draw(WORDS))
    return "".join(parts)


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 3)) == 0:
        return draw(st.binary(max_size=400))
    text = draw(st.sampled_from(PROLOGS)) + draw(xmlish())
    return text.encode(draw(st.sampled_from(["utf-8", "utf-16", "latin-1"])), "replace")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_input_gives_documents_or_failures_never_an_exception(data: bytes) -> None:
    items = list(read_sources(["-"], Settings(), NoWeb(), stdin=io.BytesIO(data)))
    for item in items:
        assert isinstance(item, RawDocument | Failure)
        if isinstance(item, Failure):
            assert "\n" not in item.reason
            # The catch-all "please report" line would mean an error we did not foresee.
            assert "please report" not in item.reason, item.reason


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_xml_parsers_raise_only_parse_errors(data: bytes) -> None:
    for parse in (parse_feed, parse_opml, parse_sitemap):
        with contextlib.suppress(ParseError):
            parse(data, "https://quay.example/in", "fuzz")
