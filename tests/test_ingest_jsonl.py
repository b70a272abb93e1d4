"""JSONL of articles: ids kept, fields mapped, bad lines reported one by one."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

from parallax.config import Settings
from parallax.ingest import read_sources
from parallax.ingest.jsonl import split_lines
from parallax.models import Failure, MediaType, RawDocument


def write_lines(path: Path, *records: object) -> str:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_ids_and_fields_are_kept(tmp_path: Path) -> None:
    source = write_lines(
        tmp_path / "articles.jsonl",
        {
            "id": "harbour-17",
            "title": "Ferry strike ends",
            "text": "The Lowmere ferry strike ended on Tuesday. Crews return at dawn.",
            "url": "https://lowmere-gazette.example/ferry",
            "outlet": "Lowmere Gazette",
            "published": "2030-10-01T08:30:00+02:00",
        },
        {"id": 42, "title": "Dam vote", "html": "<p>The Orrin council voted.</p>"},
    )
    items = list(read_sources([source], Settings()))
    assert all(isinstance(item, RawDocument) for item in items)
    first, second = items
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.id == "harbour-17"
    assert first.media_type is MediaType.TEXT
    assert first.body.decode() == "The Lowmere ferry strike ended on Tuesday. Crews return at dawn."
    assert first.url == "https://lowmere-gazette.example/ferry"
    assert first.encoding == "utf-8"
    assert first.hints.title == "Ferry strike ends"
    assert first.hints.outlet == "Lowmere Gazette"
    assert first.hints.published == datetime(2030, 10, 1, 6, 30, tzinfo=UTC)
    assert second.id == "42"
    assert second.media_type is MediaType.HTML
    assert second.body == b"<p>The Orrin council voted.</p>"


def test_a_line_without_id_is_named_by_path_and_line(tmp_path: Path) -> None:
    source = write_lines(tmp_path / "a.jsonl", {"id": "x", "text": "one"}, {"text": "two"})
    items = list(read_sources([source], Settings()))
    assert [item.id for item in items if isinstance(item, RawDocument)] == ["x", f"{source}:2"]


def test_bad_lines_fail_alone_and_the_rest_is_read(tmp_path: Path) -> None:
    source = write_lines(
        tmp_path / "mixed.jsonl",
        {"id": "ok-1", "text": "fine"},
        "{not json",
        "",
        '["an", "array"]',
        {"id": "no-body", "title": "only a title", "text": ""},
        {"id": "ok-2", "text": "also fine", "published": "not a date"},
    )
    items = list(read_sources([source], Settings()))
    assert [type(item).__name__ for item in items] == [
        "RawDocument",
        "Failure",
        "Failure",
        "Failure",
        "RawDocument",
    ]
    failures = [item for item in items if isinstance(item, Failure)]
    assert [failure.input for failure in failures] == [
        f"{source}:2",
        f"{source}:4",
        f"{source}:5",
    ]
    assert "not valid JSON" in failures[0].reason
    assert "not a JSON object" in failures[1].reason
    assert "(id no-body)" in failures[2].reason
    last = items[-1]
    assert isinstance(last, RawDocument) and last.hints.published is None


def test_gzipped_jsonl_is_streamed(tmp_path: Path) -> None:
    records = [json.dumps({"id": f"n{n}", "text": f"Story {n}."}) for n in range(500)]
    path = tmp_path / "many.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(records)).encode()))
    items = list(read_sources([str(path)], Settings()))
    assert [item.id for item in items if isinstance(item, RawDocument)] == [
        f"n{n}" for n in range(500)
    ]


def test_jsonl_is_sniffed_without_the_extension(tmp_path: Path) -> None:
    source = write_lines(tmp_path / "export.data", {"id": "e1", "text": "sniffed"})
    items = list(read_sources([source], Settings()))
    assert [item.id for item in items if isinstance(item, RawDocument)] == ["e1"]


def test_an_overlong_line_is_skipped_without_holding_it(tmp_path: Path) -> None:
    source = write_lines(
        tmp_path / "long.jsonl",
        {"id": "big", "text": "x" * 5000},
        {"id": "small", "text": "fits"},
    )
    items = list(read_sources([source], Settings(max_file_bytes=1000)))
    assert isinstance(items[0], Failure) and "longer than 1000 bytes" in items[0].reason
    assert isinstance(items[1], RawDocument) and items[1].id == "small"


def test_split_lines_handles_any_chunking() -> None:
    data = b'{"a":1}\n\n{"b":2}\r\n{"c":3}'
    for size in (1, 2, 5, 100):
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        assert list(split_lines(chunks, 100)) == [
            (1, b'{"a":1}'),
            (2, b""),
            (3, b'{"b":2}\r'),
            (4, b'{"c":3}'),
        ]
    assert list(split_lines([b"x" * 10, b"y\nok\n"], 5)) == [(1, None), (2, b"ok")]
