"""Bounded streaming decompression: bombs stop at the limit, not after.

Every decoder here is pull-based and emits output in pieces of about
``CHUNK`` bytes (at most twice that), so a few compressed bytes that expand
to gigabytes never get the chance to: the caller counts what comes out and
stops reading at its limit.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence

import brotli
import zstandard

from parallax.errors import ParseError, TooLarge

CHUNK = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
# Names a server may put in Content-Encoding, mapped to our decoders.
_ALIASES = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate", "br": "br", "zstd": "zstd"}
ACCEPT_ENCODING = "gzip, deflate, br, zstd"


def human_bytes(n: int) -> str:
    """``n`` bytes as a short human figure (``64 MiB``)."""
    value = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} {unit}" if value == int(value) else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} bytes"  # pragma: no cover - loop always returns


def split_encodings(header: str | None) -> list[str]:
    """Content-Encoding values in the order they were applied (``identity`` dropped)."""
    if not header:
        return []
    names = [part.strip().lower() for part in header.split(",")]
    return [name for name in names if name and name != "identity"]


def _drain(decoder: zlib._Decompress, data: bytes) -> Iterator[bytes]:
    """Feed ``data`` to ``decoder``, taking out at most ``CHUNK`` bytes per step."""
    pending = data
    while pending and not decoder.eof:
        out = decoder.decompress(pending, CHUNK)
        if out:
            yield out
        pending = decoder.unconsumed_tail


def _gunzip(raw: Iterable[bytes]) -> Iterator[bytes]:
    """gzip (or zlib) members, concatenated members included, in bounded pieces."""
    # wbits 47 = auto-detect a gzip or zlib header.
    decoder = zlib.decompressobj(47)
    for data in raw:
        pending = data
        while pending:
            if decoder.eof:
                # Zero padding after the last member is common and harmless.
                if not pending.strip(b"\x00"):
                    break
                decoder = zlib.decompressobj(47)
            yield from _drain(decoder, pending)
            # At the end of a member all input left over is in unused_data (CPython may
            # leave a stale copy in unconsumed_tail, so that one is not looked at).
            pending = decoder.unused_data if decoder.eof else b""
    if not decoder.eof and (tail := decoder.flush()):
        yield tail


def _inflate(raw: Iterable[bytes]) -> Iterator[bytes]:
    """HTTP ``deflate``: zlib-wrapped by the spec, raw deflate by some servers."""
    head = b""
    chunks = iter(raw)
    # The two-byte zlib header decides which of the two we were sent.
    for data in chunks:
        head += data
        if len(head) >= 2:
            break
    wrapped = len(head) >= 2 and (head[0] & 0x0F) == 8 and int.from_bytes(head[:2]) % 31 == 0
    decoder = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
    yield from _drain(decoder, head)
    for data in chunks:
        yield from _drain(decoder, data)
    if not decoder.eof and (tail := decoder.flush()):
        yield tail


def _unbrotli(raw: Iterable[bytes]) -> Iterator[bytes]:
    """brotli, holding the output buffer to ``CHUNK`` (needs brotli >= 1.2)."""
    decoder = brotli.Decompressor()
    for data in raw:
        out = decoder.process(data, output_buffer_limit=CHUNK)
        if out:
            yield out
        while not decoder.can_accept_more_data():
            out = decoder.process(b"", output_buffer_limit=CHUNK)
            if out:
                yield out
    # Output the decoder still holds once the input has run out.
    while not decoder.is_finished() and (out := decoder.process(b"", output_buffer_limit=CHUNK)):
        yield out


class _IterReader:
    """A file-like ``read`` over an iterator of chunks (what zstandard pulls from)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return b""
        if size < 0:
            size = len(self._buffer)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def _unzstd(raw: Iterable[bytes]) -> Iterator[bytes]:
    """zstd frames (several in a row allowed), read ``CHUNK`` bytes at a time."""
    reader = zstandard.ZstdDecompressor().stream_reader(
        _IterReader(raw),  # type: ignore[arg-type]  # zstandard only calls read()
        read_size=CHUNK,
        read_across_frames=True,
    )
    while out := reader.read(CHUNK):
        yield out


_DECODERS: dict[str, Callable[[Iterable[bytes]], Iterator[bytes]]] = {
    "gzip": _gunzip,
    "deflate": _inflate,
    "br": _unbrotli,
    "zstd": _unzstd,
}


def capped(
    chunks: Iterable[bytes], limit: int, too_large: Callable[[], TooLarge]
) -> Iterator[bytes]:
    """Pass chunks through until more than ``limit`` bytes went by, then raise ``too_large()``."""
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise too_large()
        yield chunk


def decoded(
    raw: Iterable[bytes],
    encodings: Sequence[str],
    limit: int,
    too_large: Callable[[], TooLarge],
    what: str,
) -> Iterator[bytes]:
    """Undo ``encodings`` (in the order applied) lazily, never yielding more than ``limit`` bytes.

    Each stage is capped, so an inner stage that expands without bound stops
    as early as the outer one. Corrupt data raises ``ParseError`` naming ``what``.
    """
    stream: Iterable[bytes] = raw
    for name in reversed(encodings):
        decoder = _DECODERS.get(_ALIASES.get(name, ""))
        if decoder is None:
            raise ParseError(
                f"{what} uses the unsupported content encoding {name!r}; "
                f"Parallax reads {ACCEPT_ENCODING}"
            )
        stream = capped(decoder(stream), limit, too_large)
    return _corruption_named(capped(stream, limit, too_large), what)


def _corruption_named(chunks: Iterator[bytes], what: str) -> Iterator[bytes]:
    try:
        yield from chunks
    except (zlib.error, brotli.error, zstandard.ZstdError) as exc:
        raise ParseError(f"{what} is corrupt compressed data ({exc}); re-download it") from exc


def read_all(chunks: Iterable[bytes]) -> bytes:
    """Join a bounded chunk stream into bytes."""
    return b"".join(chunks)
