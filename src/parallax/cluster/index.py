"""Nearest neighbours among article vectors, so finding candidate stories stays cheap.

Exact (a matrix product) while the index is small, where it is both faster and
exactly reproducible; beyond ``exact_limit`` vectors it moves to an HNSW graph
(usearch), whose search cost grows with the logarithm of the store, not its
size. Vectors are unit length, so cosine is the similarity. ``DatedIndex``
keeps one such index per span of days, so a dated search stays within the
articles of its time window.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

EXACT_LIMIT = 2048


class VectorIndex:
    """Cosine nearest neighbours over integer labels."""

    def __init__(
        self,
        dimensions: int,
        *,
        exact_limit: int = EXACT_LIMIT,
        connectivity: int = 16,
        expansion_add: int = 128,
        expansion_search: int = 96,
    ) -> None:
        if dimensions <= 0:
            raise ValueError(f"dimensions must be positive, got {dimensions}")
        if exact_limit < 0:
            raise ValueError(f"exact_limit must be 0 or more, got {exact_limit}")
        self.dimensions = dimensions
        self.exact_limit = exact_limit
        self._hnsw_options = (connectivity, expansion_add, expansion_search)
        self._matrix = np.zeros((64, dimensions), dtype=np.float32)
        self._labels = np.zeros(64, dtype=np.int64)
        self._count = 0
        self._hnsw: Any = None

    def __len__(self) -> int:
        return self._count

    @property
    def approximate(self) -> bool:
        """Whether searches go through the HNSW graph."""
        return self._hnsw is not None

    def add(self, label: int, vector: np.ndarray) -> None:
        """Index one vector under ``label`` (labels are unique, non-negative)."""
        vector = np.asarray(vector, dtype=np.float32).reshape(self.dimensions)
        if self._hnsw is not None:
            self._hnsw.add(np.uint64(label), vector, threads=1)
            self._count += 1
            return
        if self._count == len(self._matrix):
            self._matrix = np.concatenate([self._matrix, np.zeros_like(self._matrix)])
            self._labels = np.concatenate([self._labels, np.zeros_like(self._labels)])
        self._matrix[self._count] = vector
        self._labels[self._count] = label
        self._count += 1
        if self._count > self.exact_limit:
            self._to_hnsw()

    def _to_hnsw(self) -> None:
        try:
            from usearch.index import Index
        except ImportError:  # without usearch the index stays exact
            self.exact_limit = 2**62
            return
        # Half precision: half the memory, and ranks candidates as well as full precision.
        connectivity, expansion_add, expansion_search = self._hnsw_options
        hnsw = Index(
            ndim=self.dimensions,
            metric="cos",
            dtype="f16",
            connectivity=connectivity,
            expansion_add=expansion_add,
            expansion_search=expansion_search,
        )
        # One thread, in label order: the same articles always build the same graph.
        hnsw.add(
            self._labels[: self._count].astype(np.uint64), self._matrix[: self._count], threads=1
        )
        self._hnsw = hnsw
        self._matrix = np.zeros((0, self.dimensions), dtype=np.float32)
        self._labels = np.zeros(0, dtype=np.int64)

    def remove(self, label: int) -> None:
        """Forget a label (an article replaced or deleted from the store)."""
        if self._hnsw is not None:
            if self._hnsw.contains(np.uint64(label)):
                self._hnsw.remove(np.uint64(label))
                self._count -= 1
            return
        where = np.flatnonzero(self._labels[: self._count] == label)
        if len(where):
            last = self._count - 1
            for i in where[::-1]:
                self._matrix[i] = self._matrix[last]
                self._labels[i] = self._labels[last]
                last -= 1
            self._count = last + 1

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Up to ``k`` (label, cosine) pairs, most similar first (ties by label)."""
        if k <= 0 or self._count == 0:
            return []
        vector = np.asarray(vector, dtype=np.float32).reshape(self.dimensions)
        if self._hnsw is not None:
            matches = self._hnsw.search(vector, min(k, self._count), threads=1)
            pairs = zip(matches.keys, matches.distances, strict=True)
            found = [(int(key), 1.0 - float(d)) for key, d in pairs]
        else:
            # einsum, not a BLAS product: BLAS threads cost more than they save at this size.
            scores = np.einsum("ij,j->i", self._matrix[: self._count], vector)
            top = np.argpartition(-scores, k - 1)[:k] if k < self._count else np.arange(self._count)
            found = [(int(self._labels[i]), float(scores[i])) for i in top]
        found.sort(key=lambda hit: (-round(hit[1], 6), hit[0]))
        return found


class DatedIndex:
    """Nearest neighbours among the articles dated near a day: one ``VectorIndex`` per span.

    An article can only join a story with a member dated within the time
    window, so a dated search needs only the spans around its day (and the
    undated articles): its cost follows the articles of those spans, not the
    whole store, and stays flat as a steady stream grows. An undated search
    looks through every span.
    """

    def __init__(self, dimensions: int, *, span_days: int, exact_limit: int = EXACT_LIMIT) -> None:
        if span_days < 1:
            raise ValueError(f"span_days must be at least 1, got {span_days}")
        self.dimensions = dimensions
        self.span_days = span_days
        self.exact_limit = exact_limit
        # None holds the undated articles; every search looks there.
        self._spans: dict[int | None, VectorIndex] = {}

    def __len__(self) -> int:
        return sum(len(index) for index in self._spans.values())

    def _span(self, when: date | None) -> int | None:
        return None if when is None else when.toordinal() // self.span_days

    def add(self, label: int, vector: np.ndarray, when: date | None) -> None:
        """Index one vector under ``label``, in the span of its date."""
        span = self._span(when)
        if span not in self._spans:
            self._spans[span] = VectorIndex(self.dimensions, exact_limit=self.exact_limit)
        self._spans[span].add(label, vector)

    def search(self, vector: np.ndarray, k: int, when: date | None) -> list[tuple[int, float]]:
        """Up to ``k`` (label, cosine) pairs among articles dated within a span of ``when``."""
        span = self._span(when)
        # Spans are as long as the window: the one before and the one after cover every day in it.
        spans = list(self._spans) if span is None else [None, span - 1, span, span + 1]
        found = [hit for s in spans if s in self._spans for hit in self._spans[s].search(vector, k)]
        found.sort(key=lambda hit: (-round(hit[1], 6), hit[0]))
        return found[:k]
