"""Align a summary sentence to the source sentences that could support it.

SummaC-style: every source sentence, and every window of two or three
consecutive sentences of one source (summaries fuse sentences), is scored
against the summary sentence by embedding cosine plus lexical containment (the
share of the summary sentence's content words the unit holds). The best units
are the evidence the checks then compare word by word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from parallax.analyse.sentences import sentence_texts
from parallax.verify.text import Words, bigrams, words

WINDOW_SIZES = (2, 3)
# Sentences kept as evidence for the word-level checks.
EVIDENCE_SENTENCES = 5
# Windows scored lexically: those around the best sentences and the closest by cosine.
CANDIDATES = 5
# A window must beat its best sentence by this much to be worth its extra sentences.
WINDOW_MARGIN = 0.05


@dataclass(frozen=True, slots=True)
class Alignment:
    """How well the sources cover one summary sentence, and where.

    ``best`` holds the sentence indices of the best-scoring unit (one sentence
    or a window), ``evidence`` those plus the next best single sentences.
    """

    best: tuple[int, ...]
    evidence: tuple[int, ...]
    cos_sentence: float
    cos_window: float
    lexical_sentence: float
    lexical_window: float
    lexical_evidence: float


def source_sentences(sources: Sequence[str]) -> list[tuple[int, str]]:
    """(source index, sentence) for every sentence of every source, in order."""
    out: list[tuple[int, str]] = []
    for i, text in enumerate(sources):
        out.extend((i, s) for s in sentence_texts(text) if s.strip())
    return out


class SourceIndex:
    """The sentences of a set of sources with their vectors, windows and words."""

    def __init__(
        self, sources: Sequence[str], sentences: list[tuple[int, str]], vectors: np.ndarray
    ):
        self.sources = tuple(sources)
        self.sentences = [s for _, s in sentences]
        self.owner = [i for i, _ in sentences]
        self.vectors = vectors.astype(np.float32)
        self.words: list[Words] = [words(s) for s in self.sentences]
        self.windows: list[tuple[int, int]] = []
        for size in WINDOW_SIZES:
            for start in range(len(self.sentences) - size + 1):
                if self.owner[start] == self.owner[start + size - 1]:
                    self.windows.append((start, start + size))
        # The windows each sentence belongs to, to find those around the best sentences.
        self.windows_of: list[list[int]] = [[] for _ in self.sentences]
        for k, (a, b) in enumerate(self.windows):
            for i in range(a, b):
                self.windows_of[i].append(k)
        if self.windows:
            sums = np.stack([self.vectors[a:b].sum(axis=0) for a, b in self.windows])
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            self.window_vectors = sums / np.maximum(norms, 1e-9)
        else:
            self.window_vectors = np.zeros((0, self.vectors.shape[1]), dtype=np.float32)
        # Which sentences hold each stem, so containment is counted without set loops.
        self.postings: dict[str, list[int]] = {}
        for i, w in enumerate(self.words):
            for s in w.stems:
                self.postings.setdefault(s, []).append(i)

    @cached_property
    def all_words(self) -> Words:
        """The words of all sources together."""
        return words("\n".join(self.sources))

    @cached_property
    def all_bigrams(self) -> set[tuple[str, str]]:
        """Adjacent stem pairs of every source sentence."""
        return set().union(*(bigrams(s) for s in self.sentences)) if self.sentences else set()

    def text(self, indices: Sequence[int]) -> str:
        """The sentences at ``indices`` joined in source order."""
        return " ".join(self.sentences[i] for i in sorted(indices))

    def _containment(self, content: Sequence[str]) -> np.ndarray:
        """Per source sentence, the share of ``content`` stems it holds."""
        hits = np.zeros(len(self.sentences), dtype=np.float32)
        unique = set(content)
        for stem in unique:
            for i in self.postings.get(stem, ()):
                hits[i] += 1.0
        return hits / max(1, len(unique))

    def align(self, sentence: str, vector: np.ndarray) -> Alignment:
        """The units that best cover ``sentence`` (with unit vector ``vector``)."""
        if not self.sentences:
            return Alignment((), (), 0.0, 0.0, 0.0, 0.0, 0.0)
        content = words(sentence).content
        unique = set(content)
        cos = self.vectors @ vector
        lexical = self._containment(content)
        score = cos + lexical
        order = np.argsort(-score, kind="stable")
        best: tuple[int, ...] = (int(order[0]),)
        best_score = float(score[order[0]])
        cos_window, lexical_window = float(cos[order[0]]), float(lexical[order[0]])
        if self.windows:
            wcos = self.window_vectors @ vector
            cos_window = max(cos_window, float(wcos.max()))
            candidates = set(np.argsort(-wcos)[:CANDIDATES].tolist())
            for i in order[:CANDIDATES]:
                candidates.update(self.windows_of[int(i)])
            for k in sorted(candidates):
                a, b = self.windows[k]
                held = set().union(*(self.words[i].stems for i in range(a, b)))
                wlex = len(unique & held) / max(1, len(unique))
                lexical_window = max(lexical_window, wlex)
                if wcos[k] + wlex > best_score + WINDOW_MARGIN:
                    best_score, best = float(wcos[k] + wlex), tuple(range(a, b))
        evidence = list(best)
        for i in order:
            if len(evidence) >= max(EVIDENCE_SENTENCES, len(best)):
                break
            if int(i) not in evidence:
                evidence.append(int(i))
        held = set().union(*(self.words[i].stems for i in evidence))
        return Alignment(
            best=best,
            evidence=tuple(evidence),
            cos_sentence=float(cos.max()),
            cos_window=max(cos_window, float(cos.max())),
            lexical_sentence=float(lexical.max()),
            lexical_window=lexical_window,
            lexical_evidence=len(unique & held) / max(1, len(unique)),
        )
