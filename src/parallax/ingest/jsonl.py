"""JSON Lines of articles: one ``{"id", "title", "text" | "html", ...}`` object per line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from parallax.errors import ParseError
from parallax.ingest.dates import parse_published
from parallax.ingest.decompress import human_bytes
from parallax.ingest.failures import failure
from parallax.models import Failure, Hints, MediaType, RawDocument


def split_lines(chunks: Iterable[bytes], max_line: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) pairs from a byte stream; None for a line longer than ``max_line``.

    An overlong line is skipped as it streams by, never held in memory whole.
    """
    buffer = bytearray()
    overflow = False
    number = 0
    for chunk in chunks:
        start = 0
        while (newline := chunk.find(b"\n", start)) >= 0:
            number += 1
            if not overflow:
                buffer += chunk[start:newline]
            yield number, None if overflow or len(buffer) > max_line else bytes(buffer)
            buffer.clear()
            overflow = False
            start = newline + 1
        if not overflow:
            buffer += chunk[start:]
            if len(buffer) > max_line:
                overflow = True
                buffer.clear()
    if buffer or overflow:
        yield number + 1, None if overflow else bytes(buffer)


def _text_field(record: dict[str, object], *names: str) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def document_from_line(line: bytes, where: str) -> RawDocument:
    """The article one JSONL line describes; ``where`` (``path:line``) is its id if it has none."""
    try:
        record = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError(f"{where} is not valid JSON ({exc}); fix or remove the line") from exc
    if not isinstance(record, dict):
        raise ParseError(f"{where} is not a JSON object; each line must be one article object")
    raw_id = record.get("id")
    doc_id = str(raw_id).strip() if isinstance(raw_id, str | int) and str(raw_id).strip() else where
    text, html = record.get("text"), record.get("html")
    if isinstance(text, str) and text.strip():
        body, media_type = text, MediaType.TEXT
    elif isinstance(html, str) and html.strip():
        body, media_type = html, MediaType.HTML
    else:
        named = f" (id {doc_id})" if doc_id != where else ""
        raise ParseError(f'{where}{named} has no "text" or "html" with content; add one')
    url = record.get("url")
    hints = Hints(
        title=_text_field(record, "title"),
        outlet=_text_field(record, "outlet", "source"),
        published=parse_published(record.get("published")),
        byline=_text_field(record, "byline", "author"),
        language=_text_field(record, "language", "lang"),
    )
    return RawDocument(
        id=doc_id,
        body=body.encode("utf-8"),
        media_type=media_type,
        url=url.strip() if isinstance(url, str) and url.strip() else None,
        hints=hints,
        # We encoded the body ourselves, so its charset is known for certain.
        encoding="utf-8",
    )


def read_jsonl(
    chunks: Iterable[bytes], source: str, max_line: int
) -> Iterator[RawDocument | Failure]:
    """Every article in a JSONL stream, and a Failure for each line that is not one."""
    for number, line in split_lines(chunks, max_line):
        where = f"{source}:{number}"
        if line is None:
            yield failure(
                where,
                f"{where} is longer than {human_bytes(max_line)}; raise --max-bytes or shorten it",
            )
            continue
        if not line.strip():
            continue
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        try:
            yield document_from_line(line, where)
        except ParseError as exc:
            yield failure(where, exc)
