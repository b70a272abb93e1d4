"""Word shingles, MinHash signatures and a banded LSH index, in numpy.

Shingle hashes are stable across processes (CRC-32 of each word, combined
polynomially), so signatures persisted by the store stay valid between runs.
Signatures use multiply-add-shift hashing over all permutations at once, which
measured several times faster than ``datasketch.MinHash`` (``bench/dedup.py``).

The LSH index keeps one 64-bit key per (band, document) in a sorted array with
a small unsorted tail for recent additions: a query is one ``searchsorted`` and
one scan of the tail, and 100k documents take a few tens of megabytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_U64 = np.uint64
_MASK32 = _U64(0xFFFFFFFF)
# Odd 64-bit constants for polynomial combining and the splitmix64 finaliser.
_POLY = _U64(0x9E3779B97F4A7C15)
_MIX1 = _U64(0xBF58476D1CE4E5B9)
_MIX2 = _U64(0x94D049BB133111EB)
_FORMAT_VERSION = 1
_HEADER = struct.Struct("<BI")  # version, number of distinct shingles

_token_hashes: dict[str, int] = {}
_TOKEN_CACHE_LIMIT = 500_000


@dataclass(frozen=True, slots=True)
class MinHashParams:
    """Shingle size and signature layout; ``bands * rows`` permutations are used."""

    shingle: int = 5
    bands: int = 64
    rows: int = 2
    seed: int = 1

    def __post_init__(self) -> None:
        if self.shingle < 1:
            raise ValueError(f"shingle must be >= 1 word, got {self.shingle}")
        if self.bands < 1 or self.rows < 1:
            raise ValueError(f"bands and rows must be >= 1, got {self.bands} x {self.rows}")

    @property
    def num_perm(self) -> int:
        """How many hash permutations a signature holds."""
        return self.bands * self.rows


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads every input bit over the output (uint64 arrays)."""
    x = x ^ (x >> _U64(30))
    x = x * _MIX1
    x = x ^ (x >> _U64(27))
    x = x * _MIX2
    return x ^ (x >> _U64(31))


def _token_hash(token: str) -> int:
    value = _token_hashes.get(token)
    if value is None:
        if len(_token_hashes) >= _TOKEN_CACHE_LIMIT:
            _token_hashes.clear()
        value = _token_hashes[token] = zlib.crc32(token.encode())
    return value


def shingle_hashes(tokens: Sequence[str], size: int) -> np.ndarray:
    """The distinct 32-bit hashes (as uint64) of the ``size``-word shingles of ``tokens``."""
    if not tokens:
        return np.zeros(0, dtype=_U64)
    h = np.fromiter((_token_hash(t) for t in tokens), dtype=_U64, count=len(tokens))
    # A text shorter than one shingle is one shingle of all its words.
    width = min(size, len(h))
    count = len(h) - width + 1
    combined = h[:count].copy()
    for offset in range(1, width):
        combined = combined * _POLY + h[offset : offset + count]
    return np.unique(_mix(combined) >> _U64(32))


class MinHasher:
    """Computes MinHash signatures of shingle sets with fixed random permutations."""

    def __init__(self, params: MinHashParams | None = None) -> None:
        self.params = params or MinHashParams()
        rng = np.random.default_rng(self.params.seed)
        n = self.params.num_perm
        self._a = rng.integers(1, 2**63, size=n, dtype=np.uint64) | _U64(1)
        self._b = rng.integers(0, 2**63, size=n, dtype=np.uint64)

    def signature(self, shingles: np.ndarray) -> np.ndarray:
        """The uint32 MinHash signature of a set of shingle hashes (all-ones when empty)."""
        if len(shingles) == 0:
            return np.full(self.params.num_perm, 0xFFFFFFFF, dtype=np.uint32)
        out = np.full(self.params.num_perm, _U64(0xFFFFFFFFFFFFFFFF), dtype=_U64)
        # Chunks bound the (shingles x permutations) matrix for very long texts.
        for start in range(0, len(shingles), 4096):
            x = shingles[start : start + 4096, None]
            values = (x * self._a[None, :] + self._b[None, :]) >> _U64(32)
            np.minimum(out, values.min(axis=0), out=out)
        return (out & _MASK32).astype(np.uint32)

    def encode(self, shingles: np.ndarray) -> bytes:
        """The ``minhash`` feature: format version, shingle count and signature."""
        return _HEADER.pack(_FORMAT_VERSION, len(shingles)) + self.signature(shingles).tobytes()

    def decode(self, data: bytes) -> tuple[int, np.ndarray]:
        """(shingle count, signature) from a ``minhash`` feature; ValueError when foreign."""
        version, count = _HEADER.unpack_from(data)
        signature = np.frombuffer(data, dtype=np.uint32, offset=_HEADER.size)
        if version != _FORMAT_VERSION or len(signature) != self.params.num_perm:
            raise ValueError(
                f"minhash feature has version {version} and {len(signature)} permutations; "
                f"expected {_FORMAT_VERSION} and {self.params.num_perm}"
            )
        return count, signature


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity two signatures estimate."""
    return float(np.mean(a == b))


class BandIndex:
    """Banded LSH over MinHash signatures: documents sharing any band are candidates."""

    def __init__(self, params: MinHashParams | None = None) -> None:
        self.params = params or MinHashParams()
        salts = np.random.default_rng(self.params.seed + 7).integers(
            0, 2**63, size=self.params.bands, dtype=np.uint64
        )
        self._salts = salts
        self._keys = np.zeros(0, dtype=_U64)
        self._ids = np.zeros(0, dtype=np.int64)
        self._tail_keys = np.zeros((64, self.params.bands), dtype=_U64)
        self._tail_ids = np.zeros(64, dtype=np.int64)
        self._tail = 0

    def __len__(self) -> int:
        return len(self._keys) // self.params.bands + self._tail

    def band_keys(self, signature: np.ndarray) -> np.ndarray:
        """One 64-bit key per band, salted by the band's position."""
        rows = signature.reshape(self.params.bands, self.params.rows).astype(_U64)
        key = self._salts.copy()
        for r in range(self.params.rows):
            key = _mix(key ^ rows[:, r])
        return key

    def add(self, doc: int, signature: np.ndarray) -> None:
        """Index document number ``doc``."""
        if self._tail == len(self._tail_ids):
            self._tail_keys = np.concatenate([self._tail_keys, np.zeros_like(self._tail_keys)])
            self._tail_ids = np.concatenate([self._tail_ids, np.zeros_like(self._tail_ids)])
        self._tail_keys[self._tail] = self.band_keys(signature)
        self._tail_ids[self._tail] = doc
        self._tail += 1
        # Merging when the tail reaches an eighth of the sorted part keeps adds amortised O(log n).
        if self._tail >= max(1024, len(self._keys) // self.params.bands // 8):
            self._merge()

    def add_many(self, docs: Sequence[int], signatures: np.ndarray) -> None:
        """Index many documents at once (a rebuild from stored signatures)."""
        if len(docs) == 0:
            return
        keys = np.stack([self.band_keys(s) for s in signatures])
        self._keys = np.concatenate([self._keys, keys.ravel()])
        self._ids = np.concatenate(
            [self._ids, np.repeat(np.asarray(docs, np.int64), keys.shape[1])]
        )
        self._merge()

    def _merge(self) -> None:
        tail_keys = self._tail_keys[: self._tail]
        keys = np.concatenate([self._keys, tail_keys.ravel()])
        ids = np.concatenate(
            [self._ids, np.repeat(self._tail_ids[: self._tail], self.params.bands)]
        )
        order = np.argsort(keys, kind="stable")
        self._keys, self._ids = keys[order], ids[order]
        self._tail = 0

    def query(self, signature: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(documents sharing at least one band with ``signature``, how many bands each)."""
        keys = self.band_keys(signature)
        lo = np.searchsorted(self._keys, keys, side="left")
        hi = np.searchsorted(self._keys, keys, side="right")
        found = [self._ids[s:e] for s, e in zip(lo, hi, strict=True) if e > s]
        if self._tail:
            shared = (self._tail_keys[: self._tail] == keys[None, :]).sum(axis=1)
            found.append(np.repeat(self._tail_ids[: self._tail], shared))
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        docs, counts = np.unique(np.concatenate(found), return_counts=True)
        return docs, counts
