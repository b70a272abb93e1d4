"""Machine rewrites ("derived"): one article's sentences paraphrase another's, in order.

Two independent articles on one event share facts, names and quotes, but each
tells the story in its own order and most of its sentences have no close
counterpart in the other. A rewrite is different: read side by side, its
sentences follow the original's, each a paraphrase of one there. So:

1. Each article's evidence sentences: body sentences of at least
   ``MIN_WORDS`` words that are not mostly quotation (independent reports
   quote the same people word for word, which says nothing about rewriting).
2. Their MiniLM cosine matrix, and the monotone alignment (both indices
   increasing) that maximises the summed similarity above ``PAIR_SIMILARITY``:
   a longest-increasing-path dynamic programme, one vectorised row at a time.
3. A rewrite when at least ``MIN_PAIRS`` sentences align, they cover at least
   ``MIN_COVERAGE`` of the rewrite's evidence sentences, with mean similarity
   of at least ``MIN_MEAN_SIMILARITY``.

Before step 2 embeds every sentence, a screen that costs a few sentences per
article: a rewrite paraphrases its source from the top, so the first
``OPENING_SENTENCES`` evidence sentences of each side must already align in
order (at least ``OPENING_PAIRS`` pairs). Pairs with fewer than ``MIN_PAIRS``
evidence sentences on a side are rejected before any embedding. Embeddings are
cached by content, so the openings the screen embeds are reused by the full
alignment and by every later pair the article is in. The verdict embeds only
evidence sentences; the others (quotation) are embedded once a pair is judged
a rewrite, for the evidence kept on its link.

Direction: the earlier publication is the original when both dates are known;
otherwise the article whose content contains the other's (the rewrite is the
side more of whose sentences align); otherwise the first argument.
The evidence kept on the link: the aligned pairs, and the rewrite's sentences
with no similar sentence anywhere in the original (where a rewrite adds claims).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from parallax.analyse.sentences import sentence_texts
from parallax.dedup.normalise import CACHED_TEXTS, body_lines
from parallax.embed import Embedder, default_embedder
from parallax.models import AlignedPair, Article, Link, LinkKind

# Thresholds chosen on the seeds and ECB+ dev same-event pairs, where 0.3% of pairs
# that share no text are judged derived (``bench/similarity.py``).
MIN_WORDS = 5
QUOTE_SHARE = 0.5
PAIR_SIMILARITY = 0.6
MIN_PAIRS = 6
MIN_COVERAGE = 0.4
MIN_MEAN_SIMILARITY = 0.7
# The screen: so many opening evidence sentences each, so many of them aligned in order
# (MIN_COVERAGE of the window, rounded down). Chosen on the seeds, MSRP-built rewrites and
# ECB+ same-event pairs (``bench/dedup.py``): no rewrite lost, including ones with a new
# 3-sentence opening or without the original's first 3, while about 9% of same-event
# pairs pass (16% with 6 sentences and 2 pairs, which also lost rewrites).
OPENING_SENTENCES = 8
OPENING_PAIRS = 3
# Coverage gap under which neither article can be said to contain the other.
DIRECTION_MARGIN = 0.1
_QUOTED = re.compile(r"[\"“”«»]([^\"“”«»]{3,})[\"“”«»]")


def _quote_share(sentence: str) -> float:
    quoted = sum(len(m.group(1)) for m in _QUOTED.finditer(sentence))
    return quoted / max(len(sentence), 1)


def article_sentences(article: Article) -> list[str]:
    """The body sentences of an article long enough to carry a claim."""
    return list(_claim_sentences(article.text))


@lru_cache(maxsize=CACHED_TEXTS)  # a stored article is split again for every pair it is in
def _claim_sentences(text: str) -> tuple[str, ...]:
    body = "\n".join(body_lines(text))
    return tuple(s for s in sentence_texts(body) if len(s.split()) >= MIN_WORDS)


def evidence_mask(sentences: list[str]) -> np.ndarray:
    """Which sentences may count as rewrite evidence (not mostly quotation)."""
    return np.array([_quote_share(s) < QUOTE_SHARE for s in sentences], dtype=bool)


def monotone_alignment(sim: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Pairs (i, j), both increasing, maximising the summed ``sim - threshold`` above 0."""
    m, n = sim.shape
    if m == 0 or n == 0:
        return []
    gain = np.where(sim > threshold, sim - threshold, 0.0)
    best = np.zeros((m + 1, n + 1))
    for i in range(1, m + 1):
        # Take the pair (i, j), or skip sentence i; then skipping j is a running maximum.
        row = np.maximum(best[i - 1, 1:], best[i - 1, :-1] + gain[i - 1])
        best[i, 1:] = np.maximum.accumulate(row)
    pairs = []
    i, j = m, n
    while i > 0 and j > 0:
        if best[i, j] == best[i - 1, j]:
            i -= 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    return pairs[::-1]


@dataclass(frozen=True, slots=True)
class Alignment:
    """Two articles' evidence sentences and which of them paraphrase each other, in order."""

    a: tuple[str, ...]
    b: tuple[str, ...]
    pairs: tuple[tuple[int, int, float], ...]
    best_a: tuple[float, ...]
    best_b: tuple[float, ...]
    usable_a: int
    usable_b: int

    @property
    def coverage_a(self) -> float:
        """Share of a's evidence sentences aligned with one of b's."""
        return len(self.pairs) / self.usable_a if self.usable_a else 0.0

    @property
    def coverage_b(self) -> float:
        """Share of b's evidence sentences aligned with one of a's."""
        return len(self.pairs) / self.usable_b if self.usable_b else 0.0

    @property
    def mean_similarity(self) -> float:
        """Mean similarity of the aligned pairs."""
        return float(np.mean([s for _, _, s in self.pairs])) if self.pairs else 0.0


def opening_aligns(sa: list[str], sb: list[str], embedder: Embedder | None = None) -> bool:
    """Whether the opening evidence sentences of two sentence lists align in order.

    A necessary look before the full alignment: false when either side has
    fewer than ``MIN_PAIRS`` evidence sentences, or fewer than ``OPENING_PAIRS``
    of the first ``OPENING_SENTENCES`` evidence sentences of each pair up.
    """
    oa = [s for s, ok in zip(sa, evidence_mask(sa), strict=True) if ok]
    ob = [s for s, ok in zip(sb, evidence_mask(sb), strict=True) if ok]
    if min(len(oa), len(ob)) < MIN_PAIRS:
        return False
    oa, ob = oa[:OPENING_SENTENCES], ob[:OPENING_SENTENCES]
    vectors = (embedder or default_embedder()).embed(oa + ob)
    sim = vectors[: len(oa)] @ vectors[len(oa) :].T
    return len(monotone_alignment(sim, PAIR_SIMILARITY)) >= OPENING_PAIRS


def align_articles(a: Article, b: Article, embedder: Embedder | None = None) -> Alignment:
    """Align the evidence sentences of two articles."""
    return align_sentences(article_sentences(a), article_sentences(b), embedder)


def align_sentences(
    sa: list[str], sb: list[str], embedder: Embedder | None = None, *, evidence_only: bool = False
) -> Alignment:
    """Align two articles' sentences (as ``article_sentences`` gives them).

    Only evidence sentences can align, so ``evidence_only`` embeds just those:
    the same pairs, but ``best_a`` and ``best_b`` (each sentence's best match
    among all of the other's) are left empty.
    """
    if min(len(sa), len(sb)) < MIN_PAIRS:  # too few sentences to be evidence: skip the model
        return Alignment(tuple(sa), tuple(sb), (), (), (), 0, 0)
    embedder = embedder or default_embedder()
    ma, mb = evidence_mask(sa), evidence_mask(sb)
    ia, ib = np.flatnonzero(ma), np.flatnonzero(mb)
    if evidence_only:
        ea, eb = [sa[i] for i in ia], [sb[j] for j in ib]
        vectors = embedder.embed(ea + eb) if ea and eb else np.zeros((0, embedder.dimensions))
        sim = vectors[: len(ea)] @ vectors[len(ea) :].T if ea and eb else np.zeros((0, 0))
        best_a: tuple[float, ...] = ()
        best_b: tuple[float, ...] = ()
    else:
        vectors = embedder.embed(sa + sb)
        full = vectors[: len(sa)] @ vectors[len(sa) :].T
        sim = full[np.ix_(ia, ib)]
        best_a = tuple(float(v) for v in full.max(axis=1))
        best_b = tuple(float(v) for v in full.max(axis=0))
    # Aligning the evidence rows and columns alone gives the pairs the whole matrix with
    # its other cells zeroed would (a zero row or column never adds to the total).
    pairs = tuple(
        (int(ia[i]), int(ib[j]), float(sim[i, j]))
        for i, j in monotone_alignment(sim, PAIR_SIMILARITY)
    )
    return Alignment(
        a=tuple(sa),
        b=tuple(sb),
        pairs=pairs,
        best_a=best_a,
        best_b=best_b,
        usable_a=len(ia),
        usable_b=len(ib),
    )


def _rewrite_side(a: Article, b: Article, alignment: Alignment) -> str:
    """ "a" or "b": which article is the rewrite."""
    if a.published and b.published and a.published != b.published:
        return "b" if a.published < b.published else "a"
    if alignment.coverage_a > alignment.coverage_b + DIRECTION_MARGIN:
        return "a"
    return "b"


def is_rewrite(coverage: float, alignment: Alignment) -> bool:
    """The decision rule, given the rewrite side's coverage."""
    return (
        len(alignment.pairs) >= MIN_PAIRS
        and coverage >= MIN_COVERAGE
        and alignment.mean_similarity >= MIN_MEAN_SIMILARITY
    )


def detect_rewrite(
    a: Article, b: Article, embedder: Embedder | None = None, *, screen: bool = True
) -> Link | None:
    """A ``derived`` link when one article rewrites the other, with its evidence; else None.

    ``screen=False`` skips the opening screen (the full alignment for every pair),
    which benchmarks use to measure what the screen loses.
    """
    sa, sb = article_sentences(a), article_sentences(b)
    if screen and not opening_aligns(sa, sb, embedder):
        return None
    # The verdict needs only the evidence sentences; the others are embedded for a rewrite's
    # evidence alone (most pairs get here to be rejected).
    alignment = align_sentences(sa, sb, embedder, evidence_only=True)
    side = _rewrite_side(a, b, alignment)
    coverage = alignment.coverage_a if side == "a" else alignment.coverage_b
    if not is_rewrite(coverage, alignment):
        return None
    alignment = align_sentences(sa, sb, embedder)
    original, rewrite = (b, a) if side == "a" else (a, b)
    src_sents, new_sents = (alignment.b, alignment.a) if side == "a" else (alignment.a, alignment.b)
    aligned = tuple(
        AlignedPair(
            source=src_sents[j if side == "a" else i],
            rewrite=new_sents[i if side == "a" else j],
            similarity=s,
        )
        for i, j, s in alignment.pairs
    )
    best = alignment.best_a if side == "a" else alignment.best_b
    unsupported = tuple(s for s, v in zip(new_sents, best, strict=True) if v < PAIR_SIMILARITY)
    return Link(
        source=original.key,
        target=rewrite.key,
        kind=LinkKind.DERIVED,
        score=round(coverage * alignment.mean_similarity, 4),
        aligned=aligned,
        unsupported=unsupported,
    )
