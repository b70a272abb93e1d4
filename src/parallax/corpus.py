"""Read access to what is already stored, for stages that compare new with old.

Stateful stages (dedup, cluster) keep per-article features (signatures,
vectors) as bytes under a ``kind``; the store persists them in the same
transaction as the article, and a stage rebuilds its in-memory index from
``features(kind)`` when a run starts. ``MemoryCorpus`` is the same interface in
memory, for tests and for commands that never touch a store (``relate``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from parallax.models import Article, Link


class Corpus(Protocol):
    """What a stage may read about stored articles, stories and links."""

    def article(self, key: str) -> Article | None: ...

    def articles(self, keys: Sequence[str]) -> list[Article]: ...

    def features(self, kind: str) -> Iterator[tuple[str, bytes]]: ...

    def feature(self, key: str, kind: str) -> bytes | None: ...

    def story_of(self, key: str) -> str | None: ...

    def story_members(self, story_id: str) -> list[str]: ...

    def links(self, keys: Sequence[str]) -> list[Link]: ...


class MemoryCorpus:
    """A ``Corpus`` held in dictionaries."""

    def __init__(self) -> None:
        self._articles: dict[str, Article] = {}
        self._features: dict[str, dict[str, bytes]] = {}
        self._story_of: dict[str, str] = {}
        self._links: list[Link] = []

    def add(
        self,
        article: Article,
        features: dict[str, bytes] | None = None,
        story: str | None = None,
        links: Sequence[Link] = (),
    ) -> None:
        """Record an article with its features, story and links."""
        self._articles[article.key] = article
        for kind, data in (features or {}).items():
            self._features.setdefault(kind, {})[article.key] = data
        if story is not None:
            self._story_of[article.key] = story
        self._links.extend(links)

    def move(self, key: str, story: str) -> None:
        """Put an article in another story (what a merge does)."""
        self._story_of[key] = story

    def article(self, key: str) -> Article | None:
        """The article with this key, or None."""
        return self._articles.get(key)

    def articles(self, keys: Sequence[str]) -> list[Article]:
        """The articles with these keys that exist, in order."""
        return [self._articles[k] for k in keys if k in self._articles]

    def features(self, kind: str) -> Iterator[tuple[str, bytes]]:
        """Every (key, bytes) stored under ``kind``, oldest first."""
        yield from self._features.get(kind, {}).items()

    def feature(self, key: str, kind: str) -> bytes | None:
        """One article's feature of ``kind``, or None."""
        return self._features.get(kind, {}).get(key)

    def story_of(self, key: str) -> str | None:
        """The story id of an article, or None."""
        return self._story_of.get(key)

    def story_members(self, story_id: str) -> list[str]:
        """Keys of the articles in a story, oldest first."""
        return [k for k, s in self._story_of.items() if s == story_id]

    def links(self, keys: Sequence[str]) -> list[Link]:
        """Links touching any of ``keys``."""
        wanted = set(keys)
        return [ln for ln in self._links if ln.source in wanted or ln.target in wanted]
