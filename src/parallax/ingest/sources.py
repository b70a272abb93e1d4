"""From source strings to raw documents: files, folders, stdin, URLs, and what they hold.

Each source is sniffed and read by the kind it turns out to be; feeds, OPML
lists and sitemaps lead on to the pages (or feeds, or sitemaps) they name.
Whatever cannot be read becomes one ``Failure`` naming it, and reading goes on.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable, Generator, Iterator, Sequence
from enum import Enum
from functools import partial
from typing import BinaryIO

from parallax.config import Settings
from parallax.errors import EmptyDocument, ParallaxError, ParseError, UnsupportedInput
from parallax.ingest.decompress import GZIP_MAGIC, read_all
from parallax.ingest.failures import failure
from parallax.ingest.feeds import FeedEntry, parse_feed, parse_opml, parse_sitemap, text_length
from parallax.ingest.files import cannot_open, file_chunks, peek, read_file, stream_chunks, walk
from parallax.ingest.jsonl import read_jsonl
from parallax.ingest.sniff import SNIFF_BYTES, Kind, sniff
from parallax.ingest.warc import read_warc
from parallax.ingest.web import Fetcher, FetchResult, PoliteFetcher
from parallax.models import Failure, Hints, MediaType, RawDocument

Item = RawDocument | Failure
# A feed entry whose page cannot be fetched is still used if it carries this much text.
SUBSTANTIAL_ENTRY_CHARS = 500
# sitemap index -> sitemap -> ...: deeper than this is a loop or an attack.
MAX_NESTING = 3
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://")
_UNREADABLE = {
    Kind.EMPTY: "is empty; nothing to read",
    Kind.BINARY: "is not text, HTML, a feed, a sitemap, JSONL or WARC (it looks binary); "
    "check the file",
    Kind.JSON: "is a JSON array; write one article object per line (JSON Lines) instead",
    Kind.XML: "is XML but not RSS, Atom, OPML or a sitemap; Parallax cannot read it",
}


class _Expect(Enum):
    ANY = "a source"
    PAGE = "a page"
    FEED = "a feed"
    SITEMAP = "a sitemap"


_ALLOWED = {
    _Expect.PAGE: {Kind.HTML, Kind.TEXT},
    _Expect.FEED: {Kind.FEED},
    _Expect.SITEMAP: {Kind.SITEMAP},
}


def is_url(source: str) -> bool:
    """Whether ``source`` is written as a URL (``scheme://...``) rather than a path."""
    return bool(_URL.match(source))


class SourceReader:
    """Reads sources one by one, sharing one fetcher and one set of URLs already read."""

    def __init__(
        self, settings: Settings, fetcher: Fetcher | None = None, stdin: BinaryIO | None = None
    ) -> None:
        self._settings = settings
        self._fetcher = fetcher
        self._owned: PoliteFetcher | None = None
        self._stdin = stdin
        self._seen: set[str] = set()

    def close(self) -> None:
        """Close the fetcher if this reader made it."""
        if self._owned is not None:
            self._owned.close()

    def read(self, source: str) -> Iterator[Item]:
        """Every document ``source`` holds, and a Failure for each part that cannot be read."""
        if source == "-":
            yield from _guarded(source, self._read_stdin)
        elif is_url(source):
            yield from _guarded(source, partial(self._read_url, source, _Expect.ANY, None, 0))
        elif os.path.isdir(source):
            paths = walk(source)
            if not paths:
                yield failure(source, f"{source} holds no files Parallax reads; check the folder")
            for path in paths:
                yield from _guarded(path, partial(self._read_path, path))
        else:
            yield from _guarded(source, partial(self._read_path, source))

    # -- local input -------------------------------------------------------

    def _read_path(self, path: str) -> Iterator[Item]:
        limit = self._settings.max_file_bytes
        kind = sniff(peek(path), path)
        if kind is Kind.WARC:
            try:
                with open(path, "rb") as stream:
                    yield from read_warc(stream, path, limit)
            except OSError as exc:
                raise cannot_open(path, exc) from exc
        elif kind is Kind.JSONL:
            # A container: streamed whole, with the size limit on each line.
            yield from read_jsonl(file_chunks(path, 2**62), path, limit)
        elif kind in _UNREADABLE and kind is not Kind.EMPTY:
            # Known to be unreadable from its first bytes: no need to read the rest.
            raise UnsupportedInput(f"{path} {_UNREADABLE[kind]}")
        else:
            yield from self._read_body(read_file(path, limit), kind, path, None, None, 0)

    def _read_stdin(self) -> Iterator[Item]:
        stream = self._stdin if self._stdin is not None else sys.stdin.buffer
        body = read_all(stream_chunks(stream, "standard input", self._settings.max_file_bytes))
        kind = sniff(body[:SNIFF_BYTES], "-")
        if kind in _UNREADABLE:
            raise (EmptyDocument if kind is Kind.EMPTY else UnsupportedInput)(
                f"standard input {_UNREADABLE[kind]}"
            )
        yield from self._read_body(body, kind, "-", None, None, 0)

    # -- the web -----------------------------------------------------------

    def _fetcher_or_new(self) -> Fetcher:
        if self._fetcher is None:
            self._owned = PoliteFetcher(self._settings.fetch)
            self._fetcher = self._owned
        return self._fetcher

    def _read_url(
        self, url: str, expect: _Expect, hints: Hints | None, depth: int
    ) -> Iterator[Item]:
        if url in self._seen:
            return
        self._seen.add(url)
        result = self._fetcher_or_new().fetch(url)
        if result.not_modified:
            return  # stored by an earlier run
        self._seen.add(result.url)
        body = result.body
        if body.startswith(GZIP_MAGIC):
            # A .gz file served as such (sitemap.xml.gz), not as a Content-Encoding.
            body = read_all(stream_chunks(io.BytesIO(body), result.url, self._unpacked_limit()))
        kind = sniff(body[:SNIFF_BYTES], result.url, result.content_type)
        if expect is not _Expect.ANY and kind not in _UNREADABLE and kind not in _ALLOWED[expect]:
            raise UnsupportedInput(
                f"{result.url} is not {expect.value} (it looks like {kind.value}); check the link"
            )
        yield from self._read_body(body, kind, result.url, result, hints, depth)
        # Reached only when the consumer came back for more after the last item read
        # from this URL (a pipeline stores each item before asking for the next).
        self._fetcher_or_new().remember(result)

    def _unpacked_limit(self) -> int:
        return self._settings.fetch.max_decompressed_bytes

    # -- one body of a known kind -------------------------------------------

    def _read_body(
        self,
        body: bytes,
        kind: Kind,
        name: str,
        fetched: FetchResult | None,
        hints: Hints | None,
        depth: int,
    ) -> Iterator[Item]:
        base = fetched.url if fetched is not None else None
        if kind in (Kind.HTML, Kind.TEXT):
            yield RawDocument(
                id=name,
                body=body,
                media_type=MediaType.HTML if kind is Kind.HTML else MediaType.TEXT,
                url=base,
                hints=hints or Hints(),
                encoding=fetched.charset if fetched is not None else None,
            )
        elif kind is Kind.JSONL:
            yield from read_jsonl([body], name, self._settings.max_file_bytes)
        elif kind is Kind.WARC:
            yield from read_warc(io.BytesIO(body), name, self._settings.max_file_bytes)
        elif kind is Kind.FEED:
            yield from self._read_feed(body, name, base)
        elif kind is Kind.OPML:
            for feed in parse_opml(body, base, name):
                yield from _guarded(feed, partial(self._read_url, feed, _Expect.FEED, None, 0))
        elif kind is Kind.SITEMAP:
            yield from self._read_sitemap(body, name, base, depth)
        elif kind is Kind.EMPTY:
            raise EmptyDocument(f"{name} {_UNREADABLE[kind]}")
        else:
            raise UnsupportedInput(f"{name} {_UNREADABLE[kind]}")

    def _read_feed(self, body: bytes, name: str, base: str | None) -> Iterator[Item]:
        feed = parse_feed(body, base, name)
        for number, entry in enumerate(feed.entries, start=1):
            hints = Hints(
                title=entry.title, outlet=feed.title, published=entry.published, byline=entry.byline
            )
            where = f"{name}#{number}"
            yield from _guarded(entry.link or where, partial(self._read_entry, entry, hints, where))

    def _read_entry(self, entry: FeedEntry, hints: Hints, where: str) -> Iterator[Item]:
        problem: ParallaxError | None = None
        if entry.link and is_url(entry.link):
            read_any = False
            try:
                for item in self._read_url(entry.link, _Expect.PAGE, hints, 0):
                    read_any = True
                    yield item
                return
            except ParallaxError as exc:
                if read_any:
                    raise  # the page itself was read; never add the feed's copy as well
                problem = exc
        if entry.content and text_length(entry.content) >= SUBSTANTIAL_ENTRY_CHARS:
            # The page is out of reach, but the feed carries the article itself.
            yield RawDocument(
                id=entry.link or entry.id or where,
                body=entry.content.encode("utf-8"),
                media_type=MediaType.HTML,
                url=entry.link,
                hints=hints,
                encoding="utf-8",
            )
        elif problem is not None:
            yield failure(entry.link or where, problem)
        else:
            yield failure(where, f"{where} has no link and too little content to read; skipped")

    def _read_sitemap(self, body: bytes, name: str, base: str | None, depth: int) -> Iterator[Item]:
        sitemap = parse_sitemap(body, base, name)
        if sitemap.is_index and depth >= MAX_NESTING:
            raise ParseError(f"{name} nests sitemaps more than {MAX_NESTING} deep; refusing")
        for link in sitemap.links:
            if sitemap.is_index:
                read = partial(self._read_url, link.url, _Expect.SITEMAP, None, depth + 1)
            else:
                hints = Hints(title=link.title, published=link.published)
                read = partial(self._read_url, link.url, _Expect.PAGE, hints, depth)
            yield from _guarded(link.url, read)


def _guarded(name: str, read: Callable[[], Iterator[Item]]) -> Iterator[Item]:
    """``read()``'s items; anything it raises becomes one Failure naming ``name``."""
    try:
        yield from read()
    except ParallaxError as exc:
        yield failure(name, exc)
    except OSError as exc:
        yield failure(name, cannot_open(name, exc))
    except Exception as exc:
        # Never let one hostile or odd input stop the batch; say it is our bug.
        yield failure(
            name, f"{name} could not be read ({type(exc).__name__}: {exc}); please report this"
        )


def read_sources(
    sources: Sequence[str],
    settings: Settings,
    fetcher: Fetcher | None = None,
    *,
    stdin: BinaryIO | None = None,
) -> Generator[RawDocument | Failure, None, None]:
    """Every document the sources hold, in order; a Failure for each input that cannot be read.

    Never raises for a bad input. Sources are paths (files, folders read
    recursively in sorted order), ``-`` for stdin, or http(s) URLs.
    """
    reader = SourceReader(settings, fetcher, stdin)
    try:
        for source in sources:
            yield from reader.read(source)
    finally:
        reader.close()
