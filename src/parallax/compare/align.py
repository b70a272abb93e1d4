"""Statements aligned across articles: which sentences of different outlets state one fact.

Two statements align when their meaning is close (MiniLM cosine) after a
small bonus for what they share that embeddings weigh too little: the same
figure, the same year, a name few other statements use. Facts are grown
greedily from the most widely reported statement: each other article gives
at most one statement, its best match, and only when that match is mutual or
very close, and close enough to every statement already in the fact.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from parallax.compare.reading import StoryReading

# Same fact at or above this (cosine plus anchor bonus); calibrated on paraphrase pairs.
ALIGN = 0.72
# Close enough that a one-sided best match is still the same fact.
STRONG = 0.85
# A match must beat the same article's next best by this much (unless STRONG).
MARGIN = 0.04
# ... or, for a looser paraphrase, score at least ALIGN_CLEAR and beat it by MARGIN_CLEAR.
ALIGN_CLEAR = 0.6
MARGIN_CLEAR = 0.15
# Every member of a fact is at least this close to every other.
COHESION = 0.6
MAX_BONUS = 0.15
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass(frozen=True, slots=True)
class Alignment:
    """Facts as groups of statement indices (best-placed first) and the pair scores."""

    facts: tuple[tuple[int, ...], ...]
    scores: np.ndarray


def _anchors(reading: StoryReading) -> list[dict[str, float]]:
    """Per statement: what it shares with others beyond meaning, with a weight each."""
    n = len(reading.statements)
    df = Counter(e for s in reading.statements for e in s.entities)
    out: list[dict[str, float]] = []
    for s in reading.statements:
        found: dict[str, float] = {}
        for q in s.quantities:
            found[f"q:{q.unit}:{float(f'{q.value:.2g}')}"] = 0.08
        for year in _YEAR.findall(s.text):
            found[f"y:{year}"] = 0.05
        for e in s.entities:
            # Names most statements use say nothing; rare ones tie two statements together.
            rarity = math.log(n / df[e]) / math.log(max(n, 2)) if n > 1 else 0.0
            if rarity > 0.3:
                found[f"e:{e}"] = 0.04 * rarity
        out.append(found)
    return out


def pair_scores(reading: StoryReading) -> np.ndarray:
    """Cosine plus anchor bonus for every pair of statements; pairs in one article score -1."""
    n = len(reading.statements)
    scores = reading.similarity.copy()
    if n == 0:
        return scores
    anchors = _anchors(reading)
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, found in enumerate(anchors):
        for name, weight in found.items():
            rows.append(i)
            cols.append(vocab.setdefault(name, len(vocab)))
            vals.append(math.sqrt(weight))
    if vocab:
        x = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)), dtype=np.float32)
        bonus = (x @ x.T).toarray()
        scores += np.minimum(bonus, MAX_BONUS)
    owner = reading.owner
    scores[owner[:, None] == owner[None, :]] = -1.0
    return scores


def align(reading: StoryReading, eligible: np.ndarray | None = None) -> Alignment:
    """Group statements of different articles into facts; ``eligible`` masks which may join."""
    n = len(reading.statements)
    scores = pair_scores(reading)
    if n == 0:
        return Alignment((), scores)
    allowed = np.ones(n, dtype=bool) if eligible is None else eligible.astype(bool)
    owner = reading.owner
    articles = sorted(set(owner.tolist()))
    masked = np.where(allowed[None, :], scores, -1.0)
    # Best match of each statement in each article (for mutual-best checks), and by how
    # much it beats that article's runner-up: in a story where every sentence is about
    # the same thing, a match that barely beats the next sentence is no match.
    width = max(articles) + 1
    best = np.full((n, width), -1, dtype=np.int64)
    margin = np.zeros((n, width), dtype=np.float32)
    cols_of: dict[int, np.ndarray] = {}
    for a in articles:
        cols = np.flatnonzero((owner == a) & allowed)
        cols_of[a] = cols
        if not len(cols):
            best[:, a] = np.flatnonzero(owner == a)[0]
            margin[:, a] = 0.0
            continue
        block = masked[:, cols]
        best[:, a] = cols[np.argmax(block, axis=1)]
        if len(cols) > 1:
            top2 = -np.partition(-block, 1, axis=1)[:, :2]
            margin[:, a] = top2[:, 0] - top2[:, 1]
        else:
            margin[:, a] = block[:, 0]
    best_score = masked[np.arange(n)[:, None], best]
    absent = np.setdiff1d(np.arange(width), articles)
    best_score[:, absent] = -1.0  # articles with no statement offer no match
    degree = (best_score >= ALIGN).sum(axis=1)
    position = np.array([s.sentence for s in reading.statements])
    order = sorted(np.flatnonzero(allowed).tolist(), key=lambda i: (-degree[i], position[i], i))
    taken = np.zeros(n, dtype=bool)
    facts: list[tuple[int, ...]] = []
    for seed in order:
        if taken[seed]:
            continue
        members = [seed]
        taken[seed] = True
        home = int(owner[seed])
        # Only articles whose best statement comes near the seed can give a member.
        for a in np.flatnonzero(best_score[seed] >= min(ALIGN, ALIGN_CLEAR)).tolist():
            j = int(best[seed, a])
            if a == home or not len(cols_of[a]):
                continue
            if taken[j]:  # its best match is in another fact: only a very close one may join
                free = cols_of[a][~taken[cols_of[a]]]
                if not len(free):
                    continue
                j = int(free[np.argmax(scores[seed, free])])
            score = scores[seed, j]
            mutual = best[j, home] == seed and best[seed, a] == j
            lead = min(margin[seed, a], margin[j, home])
            close = score >= ALIGN and lead >= MARGIN
            # A looser paraphrase counts when nothing else in either article comes near.
            clear = score >= ALIGN_CLEAR and lead >= MARGIN_CLEAR
            if not ((mutual and (close or clear)) or score >= STRONG):
                continue
            if min(scores[j, m] for m in members) < COHESION:
                continue
            members.append(j)
            taken[j] = True
        facts.append(tuple(members))
    return Alignment(tuple(facts), scores)
