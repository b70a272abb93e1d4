"""``same_story``: how likely two documents report the same event, 0..1.

Two views of each document are embedded: its lead (title and first sentences)
and its opening (as much of title and body as the model reads). The score is
the weighted mean of the two cosines, less a penalty when the names in one
lead are absent from the other document, rescaled onto annotators' judgments
(SemEval-2022 task 8: 1 = same story, 0 = unrelated). The weights are fitted
by ``python -m parallax.cluster.train``.
"""

from __future__ import annotations

from parallax.cluster.model import RelateModel, load_models
from parallax.cluster.similarity import missing
from parallax.cluster.text import profile
from parallax.embed import Embedder, default_embedder
from parallax.models import Article

# MiniLM reads 256 word pieces; this many characters covers them.
OPENING_CHARS = 1500


def opening(article: Article) -> str:
    """Title and the start of the body, as one text."""
    title = article.title.strip()
    text = article.text.strip()
    joined = f"{title}. {text}" if title and not text.startswith(title) else text or title
    return joined[:OPENING_CHARS]


def relate_inputs(a: Article, b: Article, embedder: Embedder) -> tuple[float, float, float]:
    """(lead cosine, opening cosine, smaller share of lead names missing from the other)."""
    pa = profile(a.title, a.text, a.url, a.published)
    pb = profile(b.title, b.text, b.url, b.published)
    vectors = embedder.embed([pa.lead, pb.lead, opening(a), opening(b)])
    lead_cosine = float(vectors[0] @ vectors[1])
    opening_cosine = float(vectors[2] @ vectors[3])
    missing_names = min(missing(pa.lead_names, pb.terms), missing(pb.lead_names, pa.terms))
    return lead_cosine, opening_cosine, missing_names


def same_story(
    a: Article, b: Article, embedder: Embedder | None = None, model: RelateModel | None = None
) -> float:
    """Calibrated 0..1: higher means more likely the same event."""
    model = model or load_models().relate
    return model.score(*relate_inputs(a, b, embedder or default_embedder()))
