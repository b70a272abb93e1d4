"""How two documents relate: same story, semantic similarity, copy, rewrite.

``relate`` is what ``parallax relate`` prints. ``same_story`` comes from the
clusterer (``parallax.cluster.same_story``) when it is installed, so the
command and the story grouping agree; until then a calibrated embedding
cosine of the two leads stands in (``lead_same_story``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from parallax.dedup import pair_link, similarity
from parallax.dedup.deduplicator import lead_text
from parallax.embed import default_embedder
from parallax.models import Article, LinkKind, Relation

# Logistic calibration of the lead cosine: 0.5 at cosine LEAD_MIDPOINT, fitted on
# ECB+ dev pairs (same event against other events of the same kind and other topics).
LEAD_MIDPOINT = 0.56
LEAD_SLOPE = 10.0

SameStory = Callable[[Article, Article], float]


def lead_same_story(a: Article, b: Article) -> float:
    """Fallback ``same_story``: the leads' MiniLM cosine through a logistic calibration."""
    vectors = default_embedder().embed([lead_text(a), lead_text(b)])
    cosine = float(vectors[0] @ vectors[1])
    return 1.0 / (1.0 + math.exp(-LEAD_SLOPE * (cosine - LEAD_MIDPOINT)))


def same_story_function() -> SameStory:
    """The clusterer's ``same_story`` when available, else ``lead_same_story``."""
    try:
        from parallax.cluster import same_story
    except ImportError:
        return lead_same_story
    return same_story


def document_text(article: Article) -> str:
    """The title and text of an article, the title once."""
    title, text = article.title.strip(), article.text.strip()
    if not title or text.startswith(title):
        return text
    return f"{title}\n{text}"


def relate(a: Article, b: Article) -> Relation:
    """How ``a`` and ``b`` relate; ``derived`` says which is the rewrite of which."""
    link = pair_link(a, b)
    derived = None
    if link is not None and link.kind is LinkKind.DERIVED:
        derived = "b_from_a" if link.source == a.key else "a_from_b"
    return Relation(
        same_story=float(same_story_function()(a, b)),
        similarity=similarity(document_text(a), document_text(b)),
        near_duplicate=link is not None and link.kind is not LinkKind.DERIVED,
        derived=derived,
        link=link,
    )
