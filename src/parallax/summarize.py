"""Cited extractive summaries: central facts first, no repeats, every sentence cited.

A sentence is central when many independent outlets report what it says;
it cites every article with a sentence close enough in meaning to it. Opinion,
speculation and questions are never picked, and no two picked sentences say
the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from parallax.analyse.sentences import split_sentences
from parallax.embed import Embedder, default_embedder
from parallax.models import Article, Link, Summary, SummarySentence

# Same fact when sentence vectors are this close (MiniLM cosine).
SUPPORT_COSINE = 0.62
# Two summary sentences repeat each other above this.
REDUNDANT_COSINE = 0.72
MIN_WORDS, MAX_WORDS = 8, 60

_SPECULATION = re.compile(
    r"\b(may|might|could|would|perhaps|possibly|likely|unlikely|probably|seems?|appears?|"
    r"suggests?|speculat\w*|i think|we think|in my view|in summary|in conclusion|"
    r"ultimately|hope|should)\b",
    re.IGNORECASE,
)
_OPINION = re.compile(
    r"\b(I|we|my|our|us)\b|\b(unfortunately|fortunately|clearly|obviously|undoubtedly|"
    r"remarkabl[ey]|shocking|disgraceful|brilliant|proactive|complex interplay)\b",
    re.IGNORECASE,
)


class Summarizer(Protocol):
    """Writes a story's cited summary from its articles."""

    def summarize(self, articles: Sequence[Article], links: Sequence[Link]) -> Summary: ...


@dataclass(frozen=True, slots=True)
class _Candidate:
    article: int
    position: int
    text: str


def _groups(articles: Sequence[Article], links: Sequence[Link]) -> list[int]:
    """Index of each article's independence group (linked copies share one)."""
    parent = list(range(len(articles)))
    index = {a.key: i for i, a in enumerate(articles)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for link in links:
        if link.source in index and link.target in index:
            parent[find(index[link.target])] = find(index[link.source])
    return [find(i) for i in range(len(articles))]


def is_reportable(sentence: str) -> bool:
    """A plain statement of fact: long enough, not a question, opinion or speculation."""
    words = sentence.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS or sentence.rstrip().endswith("?"):
        return False
    if not sentence.rstrip().endswith((".", "”", '"', "’", "'")):
        return False
    outside_quotes = re.sub(r"[“\"][^”\"]*[”\"]", "", sentence)
    return not (_SPECULATION.search(outside_quotes) or _OPINION.search(outside_quotes))


def summary_length(n_articles: int, n_candidates: int) -> int:
    """3 to 12 sentences, growing with the story's size."""
    return max(1, min(n_candidates, 12, 3 + n_articles // 2))


class CentralitySummarizer:
    """Picks the sentences most independent outlets report, with every supporting citation."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self.embedder = embedder or default_embedder()

    def summarize(self, articles: Sequence[Article], links: Sequence[Link]) -> Summary:
        """The story's summary; deterministic for the same articles and links."""
        articles = sorted(articles, key=lambda a: a.key)
        candidates = [
            _Candidate(i, s.index, s.text)
            for i, article in enumerate(articles)
            for s in split_sentences(article.text, article.key)
        ]
        if not candidates:
            return Summary(())
        vectors = self.embedder.embed([c.text for c in candidates])
        similarity = vectors @ vectors.T
        groups = np.array(_groups(articles, links))
        owner = np.array([c.article for c in candidates])

        scores = np.zeros(len(candidates))
        supporters: list[dict[int, int]] = []
        for i, cand in enumerate(candidates):
            backing = {cand.article: i}
            for j in np.flatnonzero(similarity[i] >= SUPPORT_COSINE):
                other = int(owner[j])
                best = backing.get(other)
                if best is None or similarity[i, j] > similarity[i, best]:
                    backing[other] = int(j)
            backing[cand.article] = i
            supporters.append(backing)
            independent = len(set(groups[sorted(backing)].tolist()))
            # Independent support first; lead sentences break ties (news puts facts first).
            scores[i] = independent + 0.5 / (1 + cand.position) + 0.1 * similarity[i].mean()

        order = sorted(range(len(candidates)), key=lambda i: (-scores[i], candidates[i].text))
        eligible = [i for i in order if is_reportable(candidates[i].text)]
        wanted = summary_length(len(articles), len(eligible))
        picked: list[int] = []
        for i in eligible:
            if len(picked) == wanted:
                break
            if any(similarity[i, j] >= REDUNDANT_COSINE for j in picked):
                continue
            picked.append(i)
        return Summary(
            tuple(
                SummarySentence(
                    text=candidates[i].text,
                    citations=tuple(articles[a].key for a in sorted(supporters[i])),
                    source=articles[candidates[i].article].key,
                    evidence=tuple(
                        (articles[a].key, candidates[j].text)
                        for a, j in sorted(supporters[i].items())
                    ),
                )
                for i in picked
            )
        )
