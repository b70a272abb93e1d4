"""Copies, wire syndication and machine rewrites: an honest count of independent sources.

``MinHashDeduplicator`` is the default ``Deduplicator``: exact duplicates by a
hash of the normalised body, near-duplicates and syndicated copies by MinHash
LSH over word shingles (verified on the exact shingles), rewrites ("derived")
by in-order sentence alignment of MiniLM embeddings. ``independent_sources``
counts outlets, one per group of linked articles.
"""

from __future__ import annotations

from typing import Protocol

from parallax.corpus import Corpus
from parallax.dedup.copies import CopyEvidence, compare_texts
from parallax.dedup.deduplicator import MinHashDeduplicator, copy_link
from parallax.dedup.minhash import MinHashParams
from parallax.dedup.rewrite import detect_rewrite
from parallax.dedup.similarity import similarities, similarity
from parallax.dedup.sources import independent_groups, independent_sources
from parallax.models import Article, Link


class Deduplicator(Protocol):
    """Finds which stored articles a new article copies or rewrites (or is copied by).

    A stage may also offer ``prepare(articles)``, which the pipeline calls with
    each chunk of new articles before their ``features`` (a batching speed-up
    that must not change the features).
    """

    def features(self, article: Article) -> dict[str, bytes]: ...

    def link(self, article: Article, features: dict[str, bytes], corpus: Corpus) -> list[Link]: ...


def pair_link(a: Article, b: Article, *, rewrites: bool = True) -> Link | None:
    """How two articles copy each other, if they do: copy first, else rewrite."""
    link = copy_link(a, b, compare_texts(a.text, b.text))
    if link is None and rewrites:
        link = detect_rewrite(a, b)
    return link


__all__ = [
    "CopyEvidence",
    "Deduplicator",
    "MinHashDeduplicator",
    "MinHashParams",
    "compare_texts",
    "detect_rewrite",
    "independent_groups",
    "independent_sources",
    "pair_link",
    "similarities",
    "similarity",
]
