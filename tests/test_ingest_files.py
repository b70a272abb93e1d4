"""Local files, folders and stdin: kinds, order, ids, limits and bad input."""

from __future__ import annotations

import gzip
import io
import os
import resource
import time
from pathlib import Path

import pytest

from parallax.config import Settings
from parallax.ingest import read_sources
from parallax.ingest.failures import failure
from parallax.models import Failure, MediaType, RawDocument

PAGE = b"<!DOCTYPE html><html><head><title>Dam report</title></head><body><p>The Orrin dam.</p>"
# A gzip member of 1 MiB of page markup; members in a row make a valid, bomb-like .html.gz.
HTML_MEMBER = gzip.compress((b"<p>Orrin dam</p>" * (1 << 16))[: 1 << 20], 9)
TEXT = b"The Orrin valley council met on Monday to discuss the dam.\n"


def docs_and_failures(
    sources: list[str], settings: Settings | None = None
) -> tuple[list[RawDocument], list[Failure]]:
    items = list(read_sources(sources, settings or Settings()))
    return (
        [item for item in items if isinstance(item, RawDocument)],
        [item for item in items if isinstance(item, Failure)],
    )


def test_each_file_kind_is_read_with_the_right_media_type(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(PAGE)
    (tmp_path / "b.htm").write_bytes(PAGE)
    (tmp_path / "c.html.gz").write_bytes(gzip.compress(PAGE))
    (tmp_path / "d.txt").write_bytes(TEXT)
    (tmp_path / "e.md").write_bytes(b"# Dam\n\n" + TEXT)
    docs, failures = docs_and_failures(
        [str(tmp_path / name) for name in sorted(os.listdir(tmp_path))]
    )
    assert failures == []
    kinds = {Path(doc.id).name: doc.media_type for doc in docs}
    assert kinds == {
        "a.html": MediaType.HTML,
        "b.htm": MediaType.HTML,
        "c.html.gz": MediaType.HTML,
        "d.txt": MediaType.TEXT,
        "e.md": MediaType.TEXT,
    }
    gz = next(doc for doc in docs if doc.id.endswith(".gz"))
    assert gz.body == PAGE  # decompressed
    assert all(doc.url is None and doc.encoding is None for doc in docs)


def test_content_decides_when_the_extension_says_nothing(tmp_path: Path) -> None:
    (tmp_path / "page").write_bytes(b"\n  <div><p>No doctype, no extension.</p></div>")
    (tmp_path / "notes").write_bytes(TEXT)
    (tmp_path / "packed").write_bytes(gzip.compress(PAGE))
    docs, _ = docs_and_failures([str(tmp_path / n) for n in ("page", "notes", "packed")])
    assert [doc.media_type for doc in docs] == [MediaType.HTML, MediaType.TEXT, MediaType.HTML]


def test_folders_recurse_in_sorted_order_with_ids_joined_onto_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "corpus"
    (root / "b-sub").mkdir(parents=True)
    (root / "a-sub" / "deeper").mkdir(parents=True)
    (root / "z.txt").write_bytes(TEXT)
    (root / "b-sub" / "1.html").write_bytes(PAGE)
    (root / "a-sub" / "deeper" / "2.txt").write_bytes(TEXT)
    (root / "a-sub" / "0.md").write_bytes(TEXT)
    (root / ".hidden.txt").write_bytes(TEXT)
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    monkeypatch.chdir(tmp_path)
    docs, failures = docs_and_failures(["corpus/"])
    assert failures == []
    assert [doc.id for doc in docs] == [
        "corpus/a-sub/0.md",
        "corpus/a-sub/deeper/2.txt",
        "corpus/b-sub/1.html",
        "corpus/z.txt",
    ]
    again, _ = docs_and_failures(["corpus/"])
    assert [doc.id for doc in again] == [doc.id for doc in docs]


def test_bad_inputs_each_fail_with_one_line_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.html").write_bytes(b"  \n\t\n")
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "good.txt").write_bytes(TEXT)
    (tmp_path / "list.json").write_bytes(b'[{"id": 1, "text": "x"}]')
    sources = [
        str(tmp_path / "missing.html"),
        str(tmp_path / "empty.txt"),
        str(tmp_path / "blank.html"),
        str(tmp_path / "junk.txt"),
        str(tmp_path / "list.json"),
        str(tmp_path / "good.txt"),
    ]
    items = list(read_sources(sources, Settings()))
    assert [type(item).__name__ for item in items] == ["Failure"] * 5 + ["RawDocument"]
    reasons = {Path(item.input).name: item.reason for item in items if isinstance(item, Failure)}
    assert "does not exist" in reasons["missing.html"]
    assert "is empty" in reasons["empty.txt"]
    assert "is empty" in reasons["blank.html"]
    assert "looks binary" in reasons["junk.txt"]
    assert "JSON Lines" in reasons["list.json"]
    for item in items[:5]:
        assert isinstance(item, Failure)
        assert item.input in item.reason and "\n" not in item.reason


def test_an_empty_folder_is_a_failure(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    _, failures = docs_and_failures([str(tmp_path / "nothing")])
    assert len(failures) == 1 and "holds no files" in failures[0].reason


def test_files_over_the_size_limit_fail_fast(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(TEXT * 100)
    _, failures = docs_and_failures([str(tmp_path / "big.txt")], Settings(max_file_bytes=1000))
    assert "over the 1000 bytes limit; raise --max-bytes or split it" in failures[0].reason


def test_a_gzip_bomb_stops_at_the_limit_once_decompressed(tmp_path: Path) -> None:
    (tmp_path / "bomb.html.gz").write_bytes(HTML_MEMBER * 64)  # 64 MiB unpacked, 130 KiB packed
    started = time.monotonic()
    _, failures = docs_and_failures(
        [str(tmp_path / "bomb.html.gz")], Settings(max_file_bytes=4 << 20)
    )
    assert failures[0].reason == (
        f"{tmp_path / 'bomb.html.gz'} is larger than 4 MiB once decompressed; "
        "raise --max-bytes or split it"
    )
    assert time.monotonic() - started < 2


def test_a_one_gib_html_gz_fails_in_seconds_with_bounded_memory(tmp_path: Path) -> None:
    (tmp_path / "huge.html.gz").write_bytes(HTML_MEMBER * 1024)  # 1 GiB unpacked, 2 MiB packed
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    _, failures = docs_and_failures([str(tmp_path / "huge.html.gz")])
    elapsed = time.monotonic() - started
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert "larger than 64 MiB once decompressed" in failures[0].reason
    assert elapsed < 10
    # The cap is 64 MiB; the peak grows by about that, nowhere near the 1 GiB inside.
    assert grown_mib < 300


def test_stdin_is_one_sniffed_document() -> None:
    items = list(read_sources(["-"], Settings(), stdin=io.BytesIO(PAGE)))
    assert len(items) == 1 and isinstance(items[0], RawDocument)
    assert (items[0].id, items[0].media_type) == ("-", MediaType.HTML)


def test_stdin_gzip_and_empty_stdin() -> None:
    items = list(read_sources(["-"], Settings(), stdin=io.BytesIO(gzip.compress(TEXT))))
    assert isinstance(items[0], RawDocument) and items[0].body == TEXT
    empty = list(read_sources(["-"], Settings(), stdin=io.BytesIO(b"")))
    assert isinstance(empty[0], Failure) and "is empty" in empty[0].reason


def test_unreadable_file_is_a_failure(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_bytes(TEXT)
    locked.chmod(0)
    if os.access(locked, os.R_OK):
        pytest.skip("running as root: permissions are not enforced")
    _, failures = docs_and_failures([str(locked)])
    assert "permission denied" in failures[0].reason


def test_seeds_read_as_four_text_documents() -> None:
    seeds = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"seed documents not found at {seeds}")
    docs, failures = docs_and_failures([str(seeds)])
    assert failures == []
    assert len(docs) == 4
    assert all(doc.media_type is MediaType.TEXT for doc in docs)


def test_failure_reasons_are_squeezed_onto_one_line() -> None:
    assert failure("a.txt", ValueError("bad\n  thing\r\nhere")) == Failure(
        "a.txt", "bad thing here"
    )
    assert failure("a.txt", KeyError()) == Failure("a.txt", "KeyError")
