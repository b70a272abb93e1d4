"""Semantic similarity of two texts: MiniLM cosine and lexical overlap, calibrated.

Two small logistic models, fitted by ``python -m parallax.dedup.train`` and
shipped as ``parallax/data/similarity.json`` (a few kilobytes of weights):

- the **sentence** model turns 16 symmetric features (embedding cosine, word
  and n-gram overlap, number agreement, length balance, shared names) into the
  probability that two sentences are paraphrases (MSRP training pairs);
- the **document** model calibrates the embedding cosine of two articles (the
  only feature that helped on held-out pairs) against the graded similarity of
  the SemEval-2022 task 8 English pairs, so identical articles score near 1,
  two reports of one story in between, unrelated articles near 0.

A pair is scored by the sentence model up to ``SENTENCE_WORDS`` words, by the
document model from ``DOCUMENT_WORDS``, and by a linear blend between, because
sentence features such as length balance and number agreement say little about
whole articles. Documents are compared on their bodies (page junk dropped) and
embedded as the mean of their chunks, since MiniLM reads 256 word pieces at most.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from parallax.analyse.sentences import sentence_texts
from parallax.dedup.normalise import body_lines, fold
from parallax.embed import Embedder, default_embedder
from parallax.logistic import LogisticModel

FEATURES = (
    "cosine",
    "cosine_squared",
    "word_f1",
    "content_f1",
    "bigram_f1",
    "trigram_f1",
    "content_min_containment",
    "content_max_containment",
    "number_agreement",
    "number_mismatch",
    "length_ratio",
    "log_length_difference",
    "char4_f1",
    "sequence_ratio",
    "name_f1",
    "cosine_x_content_f1",
)
# The document model reads only features that mean the same whatever the length.
# Held-out, lexical overlap added nothing to the cosine on whole articles (and drew
# negative weights, which would rank identical texts below near-identical ones).
DOCUMENT_FEATURES = ("cosine",)
MODEL_FILE = "similarity.json"
# Pairs whose longer text has at most SENTENCE_WORDS words get the sentence model, pairs
# with DOCUMENT_WORDS or more the document model, and pairs between a linear blend.
SENTENCE_WORDS = 50
DOCUMENT_WORDS = 150
# Words too common to say whether two texts share content.
STOPWORDS = frozenset(
    """
    the a an of to in and or for on at by with from as is was are were be been it its that
    this which who he she they his her their said says has have had will would
    """.split()
)
_TOKEN = re.compile(r"[a-z0-9]+(?:[.,'][a-z0-9]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z][a-zA-Z]+")
# Words per chunk when a long text is embedded piecewise (MiniLM's window is 256 word pieces).
CHUNK_WORDS = 150


def _f1(x: set[Any], y: set[Any]) -> float:
    if not x and not y:
        return 1.0
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def _ngrams(tokens: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return set(zip(*(tokens[i:] for i in range(n)), strict=False))


def pair_features(a: str, b: str, cosine: float) -> list[float]:
    """The model's features for two texts whose embedding cosine is ``cosine``."""
    a, b = fold(a), fold(b)
    la, lb = a.lower(), b.lower()
    ta, tb = _TOKEN.findall(la), _TOKEN.findall(lb)
    ca = {w for w in ta if w not in STOPWORDS}
    cb = {w for w in tb if w not in STOPWORDS}
    na, nb = set(_NUMBER.findall(a)), set(_NUMBER.findall(b))
    numbers = 1.0 if na == nb else len(na & nb) / len(na | nb)
    shared = len(ca & cb)
    contained = (shared / len(ca), shared / len(cb)) if ca and cb else (0.0, 0.0)
    content = _f1(ca, cb)
    sequence = (SequenceMatcher(None, ta, tb).ratio() + SequenceMatcher(None, tb, ta).ratio()) / 2
    return [
        cosine,
        cosine * cosine,
        _f1(set(ta), set(tb)),
        content,
        _f1(_ngrams(ta, 2), _ngrams(tb, 2)),
        _f1(_ngrams(ta, 3), _ngrams(tb, 3)),
        min(contained),
        max(contained),
        numbers,
        float(na != nb),
        min(len(ta), len(tb)) / max(len(ta), len(tb), 1),
        abs(math.log((len(ta) + 1) / (len(tb) + 1))),
        _f1(
            {la[i : i + 4] for i in range(len(la) - 3)}, {lb[i : i + 4] for i in range(len(lb) - 3)}
        ),
        sequence,
        _f1(set(_NAME.findall(a)), set(_NAME.findall(b))),
        cosine * content,
    ]


def document_features(a: str, b: str, cosine: float) -> list[float]:
    """The document model's features for two texts whose embedding cosine is ``cosine``."""
    return [cosine]


def _chunks(text: str) -> list[str]:
    """Consecutive sentences grouped into pieces of about ``CHUNK_WORDS`` words."""
    if len(text.split()) <= CHUNK_WORDS:
        return [text]
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for sentence in sentence_texts(text):
        n = len(sentence.split())
        if current and size + n > CHUNK_WORDS:
            chunks.append(" ".join(current))
            current, size = [], 0
        current.append(sentence)
        size += n
    if current:
        chunks.append(" ".join(current))
    return chunks


def text_vectors(texts: Sequence[str], embedder: Embedder | None = None) -> np.ndarray:
    """One unit vector per text; a long text is the normalised mean of its chunks."""
    embedder = embedder or default_embedder()
    pieces = [_chunks(t) for t in texts]
    flat = [c for p in pieces for c in p]
    vectors = embedder.embed(flat) if flat else np.zeros((0, embedder.dimensions), np.float32)
    out = np.zeros((len(texts), embedder.dimensions), dtype=np.float32)
    start = 0
    for i, p in enumerate(pieces):
        mean = vectors[start : start + len(p)].mean(axis=0)
        norm = float(np.linalg.norm(mean))
        out[i] = mean / norm if norm else mean
        start += len(p)
    return out


@dataclass(frozen=True, slots=True)
class SimilarityModel:
    """The sentence model (MSRP) and the document model (SemEval-2022 task 8)."""

    sentence: LogisticModel
    document: LogisticModel

    def to_json(self) -> dict[str, Any]:
        """Both models as one JSON-ready dict."""
        return {"sentence": self.sentence.to_json(), "document": self.document.to_json()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SimilarityModel:
        """Both models from ``to_json``'s form."""
        try:
            return cls(
                sentence=LogisticModel.from_json(data.get("sentence", {}), FEATURES),
                document=LogisticModel.from_json(data.get("document", {}), DOCUMENT_FEATURES),
            )
        except ValueError as exc:
            raise ValueError(
                f"similarity model: {exc}; retrain it with `python -m parallax.dedup.train`"
            ) from None


@cache
def shipped_model() -> SimilarityModel:
    """The model shipped in ``parallax/data``."""
    text = resources.files("parallax").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    return SimilarityModel.from_json(json.loads(text))


def document_weight(a: str, b: str) -> float:
    """How far a pair is from sentences (0) towards documents (1), by the longer text's length."""
    longest = max(len(a.split()), len(b.split()))
    return min(max((longest - SENTENCE_WORDS) / (DOCUMENT_WORDS - SENTENCE_WORDS), 0.0), 1.0)


def body_text(text: str) -> str:
    """What a document is compared on: its body without page junk; a short text as it is."""
    if len(text.split()) <= SENTENCE_WORDS:
        return text
    return "\n".join(body_lines(text))


def similarities(
    pairs: Sequence[tuple[str, str]], model: SimilarityModel | None = None
) -> np.ndarray:
    """Similarity of each pair of texts, 0..1."""
    if not pairs:
        return np.zeros(0)
    model = model or shipped_model()
    bodies = [(body_text(a), body_text(b)) for a, b in pairs]
    vectors = text_vectors([t for pair in bodies for t in pair])
    cosines = np.clip((vectors[0::2] * vectors[1::2]).sum(axis=1), -1.0, 1.0)
    out = np.zeros(len(pairs))
    for i, ((a, b), (ba, bb), cosine) in enumerate(zip(pairs, bodies, cosines, strict=True)):
        weight = document_weight(a, b)
        if weight < 1.0:
            sentence = model.sentence.probability(np.array(pair_features(a, b, float(cosine))))
            out[i] += (1.0 - weight) * float(sentence[0])
        if weight > 0.0:
            document = model.document.probability(
                np.array(document_features(ba, bb, float(cosine)))
            )
            out[i] += weight * float(document[0])
    return out


def similarity(a: str, b: str) -> float:
    """0..1 semantic similarity of two texts (sentences or whole articles)."""
    return float(similarities([(a, b)])[0])
