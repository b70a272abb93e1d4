"""A story's title: the headline most central to its articles' headlines.

Centrality is the cosine of a headline's embedding with the mean of all of
them, so the title says what most outlets say happened. Headlines that are
not headlines (datelines, a shout in capitals, a bare phrase) lose to real ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from parallax.analyse.sentences import sentence_texts
from parallax.cluster.dates import strip_dateline
from parallax.embed import Embedder
from parallax.extract.text import lead_title
from parallax.models import Article

MAX_TITLE_CHARS = 160
# Score lost by a headline in capitals, or one of fewer than four words.
POOR_HEADLINE_PENALTY = 0.15


def _own_headline(article: Article) -> str:
    """The article's title without a dateline, or "" when it is missing, a bare word,
    or only the opening words the extractor put in its place."""
    if article.title == lead_title(article.text):
        return ""
    title = " ".join(strip_dateline(article.title.strip()).split())
    return title[:MAX_TITLE_CHARS] if len(title.split()) >= 2 else ""


def headline(article: Article) -> str:
    """The article's headline, or its first sentence where the title is missing or a date."""
    if own := _own_headline(article):
        return own
    title = " ".join(strip_dateline(article.title.strip()).split())
    sentences = sentence_texts(strip_dateline(article.text.strip())[:1000])
    first = " ".join(sentences[0].split()) if sentences else ""
    if len(first) > MAX_TITLE_CHARS:
        first = first[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return first or title or article.id


def _poor(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    shouting = bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    return shouting or len(text.split()) < 4


def central_headline(articles: Sequence[Article], embedder: Embedder) -> str:
    """The headline closest to the centre of all the articles' headlines."""
    if not articles:
        return ""
    # An outlet's own headline says what happened better than a lead cut to length.
    headlines = [h for a in articles if (h := _own_headline(a))] or [headline(a) for a in articles]
    unique = list(dict.fromkeys(h for h in headlines if h))
    if len(unique) <= 1:
        return unique[0] if unique else ""
    vectors = embedder.embed(unique)
    centre = vectors.mean(axis=0)
    scores = vectors @ centre / (float(np.linalg.norm(centre)) or 1.0)
    scores -= np.array([POOR_HEADLINE_PENALTY * _poor(h) for h in unique])
    # Ties go to the earliest headline, so the title is stable as a story grows.
    return unique[int(np.argmax(scores))]
