"""Whether two texts are copies of one another, from their exact shingle sets.

MinHash LSH only proposes candidates; the verdict is taken here on the exact
shingles of both bodies, so it does not depend on signature noise.

The rule (documented in the README):

- **near-duplicate** when the shorter body has at least ``NEAR_CONTAINMENT`` of
  its shingles in the longer one *and* those shared shingles are at least
  ``NEAR_COVERAGE`` of the longer one. Containment (not Jaccard) keeps a copy
  with a dropped last paragraph or page junk around it a copy; the coverage
  floor keeps a teaser (an article's first lines quoted in a list) from making
  a long page a "copy" of it.
- **duplicate** (essentially the same text) when, on top of that, the bodies
  are identical after normalisation or their shingle Jaccard is at least
  ``DUPLICATE_JACCARD``.
- **syndicated** otherwise: the same copy with edits or trims, which is what
  wire copy run by several outlets looks like.

Two different articles on one event share names, phrases and quotes, but
rarely half of their five-word shingles, so they stay apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from parallax.dedup.minhash import MinHashParams, shingle_hashes
from parallax.dedup.normalise import CACHED_TEXTS, body_words
from parallax.models import LinkKind

# Chosen on ECB+ dev (``bench/dedup.py``): edited copies found 98.5% of the time, and
# 1.3% of same-event pairs judged copies (some of them are real wire copies).
NEAR_CONTAINMENT = 0.45
NEAR_COVERAGE = 0.3
DUPLICATE_JACCARD = 0.9


@dataclass(frozen=True, slots=True)
class CopyEvidence:
    """Shingle overlap of two bodies, and what it makes them."""

    shared: int
    sizes: tuple[int, int]
    # The same shingle set: the bodies are equal after normalisation.
    identical: bool

    @property
    def jaccard(self) -> float:
        """Shared shingles over all distinct shingles."""
        union = self.sizes[0] + self.sizes[1] - self.shared
        return self.shared / union if union else 1.0

    @property
    def containment(self) -> float:
        """Share of the shorter body's shingles found in the longer one."""
        smaller = min(self.sizes)
        return self.shared / smaller if smaller else 0.0

    @property
    def coverage(self) -> float:
        """Share of the longer body's shingles found in the shorter one."""
        larger = max(self.sizes)
        return self.shared / larger if larger else 0.0

    @property
    def kind(self) -> LinkKind | None:
        """``duplicate``, ``syndicated``, or None when the texts are not copies."""
        if self.identical or (self.sizes[0] and self.jaccard >= DUPLICATE_JACCARD):
            return LinkKind.DUPLICATE
        if self.containment >= NEAR_CONTAINMENT and self.coverage >= NEAR_COVERAGE:
            return LinkKind.SYNDICATED
        return None

    @property
    def score(self) -> float:
        """How much of a copy it is: 1 for identical bodies."""
        return 1.0 if self.identical else self.containment


def body_shingles(text: str, params: MinHashParams | None = None) -> np.ndarray:
    """The distinct shingle hashes of the article text in ``text`` (page junk dropped).

    The array is shared with later calls for the same text: read it, never write it.
    """
    return _shingles(text, (params or MinHashParams()).shingle)


@lru_cache(maxsize=CACHED_TEXTS)  # features and link both need a new article's shingles
def _shingles(text: str, size: int) -> np.ndarray:
    hashes = shingle_hashes(body_words(text), size)
    hashes.flags.writeable = False
    return hashes


def compare_shingles(a: np.ndarray, b: np.ndarray) -> CopyEvidence:
    """Overlap of two shingle sets (each sorted and distinct, as ``body_shingles`` gives)."""
    shared = int(np.intersect1d(a, b, assume_unique=True).size)
    identical = len(a) == len(b) == shared
    return CopyEvidence(shared=shared, sizes=(len(a), len(b)), identical=identical)


def compare_texts(a: str, b: str, params: MinHashParams | None = None) -> CopyEvidence:
    """Overlap of the bodies of two texts."""
    return compare_shingles(body_shingles(a, params), body_shingles(b, params))
