"""WARC archives: each successful HTML (or plain-text) response record is one document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed

from parallax.errors import ParallaxError, ParseError, TooLarge
from parallax.ingest.decompress import CHUNK, decoded, human_bytes, read_all, split_encodings
from parallax.ingest.failures import failure
from parallax.ingest.sniff import SNIFF_BYTES, Kind, charset_of, sniff
from parallax.models import Failure, MediaType, RawDocument


def _payload(record: object, uri: str, limit: int) -> bytes:
    """The record's HTTP body, transfer and content encodings undone, at most ``limit`` bytes."""
    headers = record.http_headers  # type: ignore[attr-defined]
    stream = record.raw_stream  # type: ignore[attr-defined]
    if (headers.get_header("transfer-encoding") or "").lower() == "chunked":
        # Dechunk only; decompression is ours, so it stays bounded.
        stream = ChunkedDataReader(stream, decomp_type=None)
    raw = iter(lambda: stream.read(CHUNK), b"")

    def too_large() -> TooLarge:
        return TooLarge(
            f"{uri} in the WARC is larger than {human_bytes(limit)}; raise --max-bytes to read it"
        )

    encodings = split_encodings(headers.get_header("content-encoding"))
    return read_all(decoded(raw, encodings, limit, too_large, f"{uri} in the WARC"))


def read_warc(stream: BinaryIO, source: str, limit: int) -> Iterator[RawDocument | Failure]:
    """The HTML and text responses in a WARC (gzipped or not); a Failure per unreadable record."""
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            status = record.http_headers.get_statuscode() or ""
            if not status.startswith("2"):
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or source
            content_type = record.http_headers.get_header("content-type") or ""
            try:
                body = _payload(record, uri, limit)
            except ParallaxError as exc:
                yield failure(uri, exc)
                continue
            kind = sniff(body[:SNIFF_BYTES], uri, content_type)
            if kind not in (Kind.HTML, Kind.TEXT):
                continue
            yield RawDocument(
                id=uri,
                body=body,
                media_type=MediaType.HTML if kind is Kind.HTML else MediaType.TEXT,
                url=uri,
                encoding=charset_of(content_type),
            )
    except ArchiveLoadFailed as exc:
        raise ParseError(f"{source} is not a readable WARC file ({exc}); check it") from exc
