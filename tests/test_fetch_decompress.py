"""Bounded decompression: every codec round-trips, and bombs stop at the limit, early."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator

import brotli
import pytest
import zstandard

from parallax.errors import ParseError, TooLarge
from parallax.ingest.decompress import CHUNK, decoded, read_all, split_encodings

TEXT = b"".join(b"Line %d of the Lowmere council minutes.\n" % n for n in range(20_000))


def compress(encoding: str, data: bytes) -> bytes:
    if encoding == "gzip":
        return gzip.compress(data)
    if encoding == "deflate":
        return zlib.compress(data)
    if encoding == "raw-deflate":
        packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        return packer.compress(data) + packer.flush()
    if encoding == "br":
        return brotli.compress(data, quality=1)
    return zstandard.ZstdCompressor(level=1).compress(data)


def pieces(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def too_large() -> TooLarge:
    return TooLarge("over the limit")


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate", "br", "zstd"])
@pytest.mark.parametrize("piece", [1, 777, 1 << 20])
def test_each_codec_round_trips_in_any_piece_size(encoding: str, piece: int) -> None:
    # Byte-at-a-time on a shorter text keeps the test quick.
    text = TEXT if piece > 1 else TEXT[:20_000]
    packed = compress(encoding, text)
    name = "deflate" if encoding == "raw-deflate" else encoding
    assert read_all(decoded(pieces(packed, piece), [name], len(text), too_large, "t")) == text


def test_concatenated_gzip_members_and_zero_padding() -> None:
    packed = gzip.compress(TEXT[:1000]) + gzip.compress(TEXT[1000:]) + b"\0" * 16
    assert read_all(decoded(pieces(packed, 500), ["gzip"], len(TEXT), too_large, "t")) == TEXT


@pytest.mark.parametrize("piece", [2, 1000, 64 * 1024, 1 << 22])
def test_large_gzip_members_in_a_row_are_each_read_once(piece: int) -> None:
    # Members whose output passes the chunk size end with input left over; each must
    # be read exactly once (a stale unconsumed_tail once made this loop forever).
    packed = gzip.compress(TEXT) * 3
    out = read_all(decoded(pieces(packed, piece), ["gzip"], 3 * len(TEXT), too_large, "t"))
    assert out == TEXT * 3


def test_several_zstd_frames() -> None:
    packer = zstandard.ZstdCompressor()
    packed = packer.compress(TEXT[:5000]) + packer.compress(TEXT[5000:])
    assert read_all(decoded([packed], ["zstd"], len(TEXT), too_large, "t")) == TEXT


def test_stacked_encodings_are_undone_in_reverse_order() -> None:
    packed = brotli.compress(gzip.compress(TEXT))
    assert split_encodings("gzip, br") == ["gzip", "br"]
    assert read_all(decoded([packed], ["gzip", "br"], len(TEXT), too_large, "t")) == TEXT


def test_identity_and_empty_headers_mean_no_decoding() -> None:
    assert split_encodings(None) == []
    assert split_encodings("identity") == []
    assert read_all(decoded([b"abc"], [], 10, too_large, "t")) == b"abc"


class Counted:
    """A chunk source that counts how much of itself was read."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.read = 0

    def __iter__(self) -> Iterator[bytes]:
        for piece in pieces(self.data, 16 * 1024):
            self.read += len(piece)
            yield piece


def zero_bomb(encoding: str, unpacked: int) -> bytes:
    block = b"\0" * (1 << 20)
    if encoding == "gzip":
        # Members of 1 MiB of zeros, concatenated: a valid gzip body, built in no time.
        return gzip.compress(block, 9) * (unpacked >> 20)
    if encoding == "zstd":
        return zstandard.ZstdCompressor(level=3).compress(block) * (unpacked >> 20)
    return compress(encoding, b"\0" * unpacked)


@pytest.mark.parametrize(
    ("encoding", "unpacked"),
    [("gzip", 1 << 30), ("zstd", 1 << 30), ("br", 64 << 20), ("deflate", 16 << 20)],
)
def test_bombs_stop_at_the_limit_after_reading_a_sliver(encoding: str, unpacked: int) -> None:
    source = Counted(zero_bomb(encoding, unpacked))
    limit = 1 << 20
    produced = 0
    with pytest.raises(TooLarge):
        for chunk in decoded(source, [encoding], limit, too_large, "bomb"):
            produced += len(chunk)
    assert produced <= limit
    # Stopped early: only a small share of the compressed bytes was ever read.
    assert source.read <= max(64 * 1024, len(source.data) // 20)


def test_corrupt_data_is_a_parse_error_naming_the_input() -> None:
    with pytest.raises(ParseError, match=r"page\.html is corrupt compressed data"):
        read_all(
            decoded([b"\x1f\x8b\x08\x00garbage-garbage"], ["gzip"], 100, too_large, "page.html")
        )


def test_unknown_encoding_is_refused_with_what_we_read() -> None:
    with pytest.raises(ParseError, match="unsupported content encoding 'compress'"):
        read_all(decoded([b"x"], ["compress"], 100, too_large, "t"))


def test_output_comes_in_bounded_pieces() -> None:
    packed = brotli.compress(b"\0" * (8 << 20), quality=1)
    sizes = [len(chunk) for chunk in decoded([packed], ["br"], 8 << 20, too_large, "t")]
    assert sum(sizes) == 8 << 20
    # brotli stops growing its buffer once past the limit, so a piece may overshoot a little.
    assert max(sizes) <= 2 * CHUNK
