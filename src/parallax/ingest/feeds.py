"""RSS/Atom feeds, OPML lists and sitemaps, read into plain records.

No XML here expands entities or reaches outside the document: entity
declarations (billion laughs) and external references are refused before
feedparser or the XML parser sees the bytes, and OPML and sitemaps are
parsed with defusedxml.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from parallax.errors import ParseError
from parallax.ingest.dates import from_struct_time, parse_published

_ENTITY_DECLS = tuple(
    marker.encode(codec)
    for marker in ("<!ENTITY", "<!entity")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)
_TAGS = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item: where its page is, and what the feed says about it."""

    link: str | None
    id: str | None
    title: str | None
    published: datetime | None
    byline: str | None
    # The entry's own HTML (full content if given, else the summary).
    content: str | None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's title and entries, in feed order."""

    title: str | None
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True, slots=True)
class SitemapLink:
    """One ``<loc>`` of a sitemap, with a Google News title and date when present."""

    url: str
    title: str | None = None
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A sitemap's links; ``is_index`` when they point at further sitemaps."""

    is_index: bool
    links: tuple[SitemapLink, ...]


def refuse_entities(body: bytes, what: str) -> None:
    """Raise ``ParseError`` if ``body`` declares XML entities or references external ones."""
    if any(marker in body for marker in _ENTITY_DECLS):
        raise ParseError(
            f"{what} declares XML entities; refusing it, since entity expansion "
            "is a known attack (billion laughs, external entities)"
        )
    try:
        safe_fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ParseError(f"{what} uses unsafe XML ({exc!r}); refusing it") from exc
    except (ET.ParseError, ValueError, LookupError):
        # Malformed XML (an unknown declared encoding included) is the feed parser's to
        # judge; only the attacks are refused here.
        pass


def text_length(html: str) -> int:
    """Characters of text in an HTML fragment, tags dropped and spaces collapsed."""
    return len(" ".join(_TAGS.sub(" ", html).split()))


def _entry_content(entry: feedparser.FeedParserDict) -> str | None:
    contents = entry.get("content") or []
    values = [part.get("value", "") for part in contents if part.get("value")]
    if values:
        return max(values, key=len)
    summary = entry.get("summary")
    return str(summary) if summary else None


def parse_feed(body: bytes, url: str | None, what: str) -> ParsedFeed:
    """The entries of an RSS or Atom feed; ``ParseError`` if it is not one (or is hostile)."""
    refuse_entities(body, what)
    headers = {"content-location": url} if url else {}
    try:
        # A file object, never a string: feedparser would fetch a string that looks like a URL.
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    except (AttributeError, KeyError, IndexError, TypeError, ValueError) as exc:
        # feedparser's loose parser trips over some tag soup; that is a broken feed.
        raise ParseError(f"{what} is not a readable RSS or Atom feed ({exc!r}); check it") from exc
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        problem = parsed.get("bozo_exception") or "no feed elements"
        raise ParseError(f"{what} is not a readable RSS or Atom feed ({problem}); check it")
    entries = tuple(
        FeedEntry(
            link=entry.get("link") or None,
            id=entry.get("id") or None,
            title=entry.get("title") or None,
            # Plain dict lookups: feedparser's own maps "updated" onto "published"
            # with a DeprecationWarning when only one of them is present.
            published=from_struct_time(
                dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
            ),
            byline=entry.get("author") or None,
            content=_entry_content(entry),
        )
        for entry in parsed.entries
    )
    return ParsedFeed(title=parsed.feed.get("title") or None, entries=entries)


def _xml_root(body: bytes, what: str) -> ET.Element:
    refuse_entities(body, what)
    try:
        return safe_fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except ET.ParseError as exc:
        raise ParseError(f"{what} is not well-formed XML ({exc}); check it") from exc
    except LookupError as exc:
        raise ParseError(f"{what} declares an unknown encoding ({exc}); check it") from exc


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower()


def parse_opml(body: bytes, base: str | None, what: str) -> tuple[str, ...]:
    """The feed URLs (``xmlUrl``) an OPML file lists, in order, each once."""
    root = _xml_root(body, what)
    if _local(root.tag) != "opml":
        raise ParseError(f"{what} is not an OPML file; check it")
    urls: dict[str, None] = {}
    for element in root.iter():
        if _local(element.tag) != "outline":
            continue
        for key, value in element.attrib.items():
            if key.lower() == "xmlurl" and value.strip():
                urls[urljoin(base or "", value.strip())] = None
    return tuple(urls)


def _child_text(element: ET.Element, name: str) -> str | None:
    for child in element.iter():
        if child is not element and _local(child.tag) == name and (child.text or "").strip():
            return (child.text or "").strip()
    return None


def parse_sitemap(body: bytes, base: str | None, what: str) -> Sitemap:
    """The links of a ``urlset`` or ``sitemapindex``, in order, each once."""
    root = _xml_root(body, what)
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise ParseError(f"{what} is not a sitemap (its root is <{kind}>); check it")
    item = "sitemap" if kind == "sitemapindex" else "url"
    links: dict[str, SitemapLink] = {}
    for element in root:
        if _local(element.tag) != item:
            continue
        loc = _child_text(element, "loc")
        if not loc:
            continue
        url = urljoin(base or "", loc)
        links.setdefault(
            url,
            SitemapLink(
                url=url,
                title=_child_text(element, "title"),
                published=parse_published(_child_text(element, "publication_date")),
            ),
        )
    return Sitemap(is_index=kind == "sitemapindex", links=tuple(links.values()))
