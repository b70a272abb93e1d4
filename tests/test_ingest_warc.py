"""WARC files: successful HTML responses become documents named by their target URI."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from parallax.config import Settings
from parallax.ingest import read_sources
from parallax.models import Failure, MediaType, RawDocument

CHUNKED = b"<html><p>Chunked page</p></html>"
PAGE = "<html><head><title>Quay fire</title></head><body><p>A fire at Quay 4 — café closed.</p>"


def response(
    writer: WARCWriter,
    uri: str,
    body: bytes,
    *,
    status: str = "200 OK",
    headers: list[tuple[str, str]] | None = None,
) -> None:
    http_headers = StatusAndHeaders(
        status,
        headers or [("Content-Type", "text/html; charset=windows-1252")],
        protocol="HTTP/1.1",
    )
    # With the length given, warcio digests in place instead of via a temp file it never closes.
    record = writer.create_warc_record(
        uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=http_headers
    )
    writer.write_record(record)


def write_warc(path: Path, build: object, *, packed: bool) -> str:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=packed)
        build(writer)  # type: ignore[operator]
    return str(path)


@pytest.mark.parametrize("packed", [True, False])
def test_one_response_record_is_one_document(tmp_path: Path, packed: bool) -> None:
    body = PAGE.encode("cp1252")
    name = "crawl.warc.gz" if packed else "crawl.warc"
    source = write_warc(
        tmp_path / name,
        lambda w: response(w, "https://quay-times.example/fire", body),
        packed=packed,
    )
    items = list(read_sources([source], Settings()))
    assert len(items) == 1
    doc = items[0]
    assert isinstance(doc, RawDocument)
    assert doc.id == doc.url == "https://quay-times.example/fire"
    assert doc.media_type is MediaType.HTML
    assert doc.body == body
    assert doc.encoding == "windows-1252"


def test_only_successful_html_or_text_responses_count(tmp_path: Path) -> None:
    def build(writer: WARCWriter) -> None:
        request = writer.create_warc_record(
            "https://quay-times.example/a",
            "request",
            payload=io.BytesIO(b"-"),
            length=1,
            http_headers=StatusAndHeaders(
                "GET /a HTTP/1.1", [("Host", "quay-times.example")], is_http_request=True
            ),
        )
        writer.write_record(request)
        response(writer, "https://quay-times.example/a", PAGE.encode("cp1252"))
        response(
            writer, "https://quay-times.example/missing", b"<p>404</p>", status="404 Not Found"
        )
        response(
            writer,
            "https://quay-times.example/logo.png",
            b"\x89PNG\r\n\x1a\n" + bytes(200),
            headers=[("Content-Type", "image/png")],
        )
        response(
            writer,
            "https://quay-times.example/b",
            gzip.compress(b"<html><body><p>Second page.</p></body></html>"),
            headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        )
        response(
            writer,
            "https://quay-times.example/c",
            b"%x\r\n%s\r\n0\r\n\r\n" % (len(CHUNKED), CHUNKED),
            headers=[("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
        )

    source = write_warc(tmp_path / "mixed.warc.gz", build, packed=True)
    items = list(read_sources([source], Settings()))
    assert [item.id for item in items if isinstance(item, RawDocument)] == [
        "https://quay-times.example/a",
        "https://quay-times.example/b",
        "https://quay-times.example/c",
    ]
    by_id = {item.id: item for item in items if isinstance(item, RawDocument)}
    assert by_id["https://quay-times.example/b"].body.startswith(b"<html><body><p>Second")
    assert by_id["https://quay-times.example/c"].body == CHUNKED


def test_an_oversized_record_fails_alone(tmp_path: Path) -> None:
    def build(writer: WARCWriter) -> None:
        response(
            writer,
            "https://quay-times.example/bomb",
            gzip.compress(b"\0" * (8 << 20)),
            headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        )
        response(writer, "https://quay-times.example/ok", b"<html><p>fine</p></html>")

    source = write_warc(tmp_path / "bomb.warc.gz", build, packed=True)
    items = list(read_sources([source], Settings(max_file_bytes=1 << 20)))
    assert isinstance(items[0], Failure)
    assert items[0].input == "https://quay-times.example/bomb"
    assert "larger than 1 MiB" in items[0].reason
    assert isinstance(items[1], RawDocument) and items[1].id == "https://quay-times.example/ok"


def test_a_corrupt_warc_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "broken.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort")
    items = list(read_sources([str(path)], Settings()))
    assert len(items) == 1 and isinstance(items[0], Failure)
    assert items[0].input == str(path)
