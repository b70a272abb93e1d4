"""How likely two articles report the same event: pair features and a fitted model.

Each pair is described by a few measured signals (embedding cosine of title
and lead, overlap of words, names, amounts, counted things and dates, and
contradictions: a name in one lead that the other article never mentions, the
same thing counted differently). Dates of publication are not a feature:
the clusterer applies them as a time window. A logistic model fitted by
``python -m parallax.cluster.train`` turns them into a probability
(``parallax.cluster.model``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from parallax.cluster.text import Profile

FEATURES: tuple[str, ...] = (
    "embedding",
    "terms",
    "names",
    "numbers",
    "lead_names_missing_max",
    "lead_names_missing_min",
    "lead_numbers_missing",
    "years_disjoint",
    "days_shared",
    "quantities_shared",
    "quantities_conflict",
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One article as the similarity model sees it: its lead vector and its profile."""

    vector: np.ndarray
    profile: Profile
    term_weights: Mapping[str, float]
    counted: Mapping[str, frozenset[str]]


def evidence(vector: np.ndarray, profile: Profile) -> Evidence:
    """Bundle an article's vector and profile with what comparisons reuse."""
    weights = {t: 1.0 + math.log(c) for t, c in profile.terms.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    counted: dict[str, set[str]] = {}
    for key in profile.quantities:
        word, _, value = key.partition("=")
        counted.setdefault(word, set()).add(value)
    return Evidence(
        vector,
        profile,
        {t: w / norm for t, w in weights.items()},
        {w: frozenset(v) for w, v in counted.items()},
    )


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two sparse unit vectors."""
    return sum(a[t] * b[t] for t in a.keys() & b.keys())


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def missing(keys: frozenset[str], other: Mapping[str, object] | frozenset[str]) -> float:
    """Share of ``keys`` that the other article never mentions."""
    if not keys:
        return 0.0
    return len(keys.difference(other)) / len(keys)


def quantity_conflict(a: Mapping[str, frozenset[str]], b: Mapping[str, frozenset[str]]) -> float:
    """Share of the things both count ("pirate") that they count differently (23 vs 26)."""
    shared = a.keys() & b.keys()
    if not shared:
        return 0.0
    return sum(1 for w in shared if not a[w] & b[w]) / len(shared)


def _text_features(a: Evidence, b: Evidence) -> list[float]:
    """Every feature but the embedding cosine, in ``FEATURES`` order."""
    pa, pb = a.profile, b.profile
    names_ab, names_ba = missing(pa.lead_names, pb.terms), missing(pb.lead_names, pa.terms)
    numbers_ab = missing(pa.lead_numbers, pb.numbers) if pb.numbers else 0.0
    numbers_ba = missing(pb.lead_numbers, pa.numbers) if pa.numbers else 0.0
    return [
        cosine(a.term_weights, b.term_weights),
        _jaccard(pa.names, pb.names),
        _jaccard(pa.numbers, pb.numbers),
        max(names_ab, names_ba),
        min(names_ab, names_ba),
        max(numbers_ab, numbers_ba),
        float(bool(pa.years and pb.years and not pa.years & pb.years)),
        float(bool(pa.days & pb.days)),
        _jaccard(pa.quantities, pb.quantities),
        quantity_conflict(a.counted, b.counted),
    ]


def pair_features(a: Evidence, b: Evidence) -> np.ndarray:
    """The measured signals of one pair, in ``FEATURES`` order (symmetric in a and b)."""
    cosine_ab = float(np.einsum("i,i->", a.vector, b.vector))
    return np.array([cosine_ab, *_text_features(a, b)], dtype=np.float64)


def cross_features(side: Sequence[Evidence], others: Sequence[Evidence]) -> np.ndarray:
    """Pair features of every (side, other) pair, row by row, side-major."""
    if not side or not others:
        return np.zeros((0, len(FEATURES)))
    cosines = np.einsum(
        "ik,jk->ij", np.stack([e.vector for e in side]), np.stack([e.vector for e in others])
    )
    rows = [_text_features(a, b) for a in side for b in others]
    return np.column_stack([cosines.reshape(-1), np.array(rows, dtype=np.float64)])
