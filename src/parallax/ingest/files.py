"""Local files and folders: found in sorted order, read within limits, gzip looked through."""

from __future__ import annotations

import errno
import os
from collections.abc import Generator, Iterator
from typing import BinaryIO

from parallax.errors import EmptyDocument, InputError, TooLarge
from parallax.ingest.decompress import CHUNK, GZIP_MAGIC, decoded, human_bytes, read_all
from parallax.ingest.sniff import SNIFF_BYTES

# Files in a folder are read when they end in one of these (``.gz`` looked
# through) or have no extension; images, scripts and styles beside the pages
# are passed over silently. Files named on the command line are always tried.
FOLDER_SUFFIXES = frozenset(
    {
        ".html", ".htm", ".xhtml", ".shtml", ".txt", ".md", ".markdown", ".text",
        ".jsonl", ".ndjson", ".xml", ".rss", ".atom", ".opml", ".warc",
    }
)  # fmt: skip


def _wanted(name: str) -> bool:
    stem = name.lower().removesuffix(".gz")
    suffix = os.path.splitext(stem)[1]
    return suffix in FOLDER_SUFFIXES or (suffix == "" and not name.lower().endswith(".gz"))


def walk(folder: str) -> list[str]:
    """Readable files under ``folder`` in sorted order, each path joined onto ``folder`` as given.

    Hidden files and folders are skipped; symlinked folders are not followed.
    """
    found: list[tuple[tuple[str, ...], str]] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        relative = os.path.relpath(root, folder)
        parts = () if relative == os.curdir else tuple(relative.split(os.sep))
        for name in files:
            if not name.startswith(".") and _wanted(name):
                found.append(((*parts, name), os.path.join(folder, *parts, name)))
    return [path for _, path in sorted(found)]


def cannot_open(path: str, exc: OSError) -> InputError:
    """An ``InputError`` naming ``path`` that says why the OS refused it."""
    if exc.errno == errno.ENOENT:
        return InputError(f"{path} does not exist; check the path")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(f"{path} cannot be read (permission denied); check its permissions")
    if exc.errno == errno.EISDIR:
        return InputError(f"{path} is a folder where a file was expected")
    return InputError(f"{path} cannot be read ({exc.strerror or exc}); check the file")


def _file_chunks(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk


def is_gzip(path: str) -> bool:
    """Whether the file at ``path`` starts with the gzip magic bytes."""
    with open(path, "rb") as stream:
        return stream.read(2) == GZIP_MAGIC


def stream_chunks(stream: BinaryIO, name: str, limit: int) -> Iterator[bytes]:
    """A binary stream's content in chunks, gunzipped if it is gzip, at most ``limit`` bytes.

    Over the limit raises ``TooLarge`` naming ``name``; a gzip bomb stops there.
    """
    first = stream.read(2)

    def rest() -> Iterator[bytes]:
        if first:
            yield first
        yield from _file_chunks(stream)

    packed = first == GZIP_MAGIC

    def too_large() -> TooLarge:
        unpacked = " once decompressed" if packed else ""
        return TooLarge(
            f"{name} is larger than {human_bytes(limit)}{unpacked}; raise --max-bytes or split it"
        )

    return decoded(rest(), ["gzip"] if packed else [], limit, too_large, name)


def file_chunks(path: str, limit: int) -> Generator[bytes, None, None]:
    """The file's content in chunks (gunzipped if gzip), at most ``limit`` bytes."""
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed when the generator ends
    except OSError as exc:
        raise cannot_open(path, exc) from exc
    with stream:
        try:
            yield from stream_chunks(stream, path, limit)
        except OSError as exc:
            raise cannot_open(path, exc) from exc


def peek(path: str) -> bytes:
    """The first bytes of a file (gunzipped if gzip), enough to tell its kind."""
    head = bytearray()
    chunks = file_chunks(path, 2**62)
    try:
        for chunk in chunks:
            head += chunk
            if len(head) >= SNIFF_BYTES:
                break
    finally:
        chunks.close()
    return bytes(head[:SNIFF_BYTES])


def read_file(path: str, limit: int) -> bytes:
    """A whole file (gunzipped if gzip) of at most ``limit`` bytes; raises if empty or larger."""
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise cannot_open(path, exc) from exc
    if size > limit and not is_gzip(path):
        raise TooLarge(
            f"{path} is {human_bytes(size)}, over the {human_bytes(limit)} limit; "
            "raise --max-bytes or split it"
        )
    body = read_all(file_chunks(path, limit))
    if not body.strip():
        raise EmptyDocument(f"{path} is empty; nothing to read")
    return body
