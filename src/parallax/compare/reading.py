"""One story read once: its articles' statements, their vectors and their independence.

The summarizer and every comparison read the same ``StoryReading``, so each
sentence is split, analysed and embedded once per story. Articles are put in
key order, so the same articles always give the same reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from parallax.analyse.framing import FramingLexicon
from parallax.compare.groups import derived_copies, independence_groups
from parallax.compare.statements import Statement, article_statements
from parallax.embed import Embedder, default_embedder
from parallax.models import Article, Link


@dataclass(frozen=True, eq=False)
class StoryReading:
    """A story's statements (article order, then text order) with unit vectors and groups."""

    articles: tuple[Article, ...]
    links: tuple[Link, ...]
    groups: tuple[int, ...]
    derived: frozenset[int]
    statements: tuple[Statement, ...]
    vectors: np.ndarray
    similarity: np.ndarray = field(repr=False)

    @property
    def owner(self) -> np.ndarray:
        """Article index of each statement."""
        return np.array([s.article for s in self.statements], dtype=np.int64)

    def group_of(self, statement: int) -> int:
        """Independence group of a statement's article."""
        return self.groups[self.statements[statement].article]

    def sources(self, statements: Sequence[int]) -> int:
        """How many independent groups report these statements."""
        return len({self.group_of(i) for i in statements})

    def outlet(self, statement: int) -> str:
        """Outlet of a statement's article."""
        return self.articles[self.statements[statement].article].outlet


def read_story(
    articles: Sequence[Article],
    links: Sequence[Link] = (),
    embedder: Embedder | None = None,
    lexicon: FramingLexicon | None = None,
) -> StoryReading:
    """Split, analyse and embed every article of a story, in a fixed order."""
    ordered = tuple(sorted(articles, key=lambda a: (a.key, a.id)))
    statements = tuple(
        s for i, article in enumerate(ordered) for s in article_statements(article, i, lexicon)
    )
    dims = embedder.dimensions if embedder is not None else 384
    if statements:
        vectors = (embedder or default_embedder()).embed([s.text for s in statements])
        similarity = (vectors @ vectors.T).astype(np.float32)
    else:
        vectors = np.zeros((0, dims), dtype=np.float32)
        similarity = np.zeros((0, 0), dtype=np.float32)
    keys = {a.key for a in ordered}
    kept = tuple(ln for ln in links if ln.source in keys and ln.target in keys)
    return StoryReading(
        articles=ordered,
        links=kept,
        groups=tuple(independence_groups(ordered, kept)),
        derived=frozenset(derived_copies(ordered, kept)),
        statements=statements,
        vectors=vectors,
        similarity=similarity,
    )
