"""Stories: online clustering of articles into events, and the same-story score.

``OnlineClusterer`` is the default ``Clusterer`` (registered in
``parallax.stages``); ``same_story`` scores how likely two documents report the
same event (``parallax relate``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from parallax.cluster.online import ClusterSettings, OnlineClusterer, story_id_for
from parallax.cluster.relate import same_story
from parallax.cluster.titles import central_headline, headline
from parallax.corpus import Corpus
from parallax.models import Article


class Clusterer(Protocol):
    """Puts each new article in a story, merges stories that are one, titles them."""

    def features(self, article: Article) -> dict[str, bytes]: ...

    def assign(self, article: Article, features: dict[str, bytes], corpus: Corpus) -> str: ...

    def merges(self, corpus: Corpus) -> list[tuple[str, str]]: ...

    def title(self, articles: Sequence[Article]) -> str: ...


__all__ = [
    "ClusterSettings",
    "Clusterer",
    "OnlineClusterer",
    "central_headline",
    "headline",
    "same_story",
    "story_id_for",
]
