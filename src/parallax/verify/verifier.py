"""Audit summaries against their sources, sentence by sentence.

Each summary sentence is aligned to its best source sentences (align.py), its
details are checked against them (checks.py), and a small trained model
(model.py) turns the alignment and the findings into a support probability.
A sentence's score is that probability rescaled so that the model's threshold
sits at 0.5, and held below 0.5 when a hard finding (a detail no source gives)
says the sentence is unsupported whatever its wording; a sentence is
supported at 0.5 or above. A summary's score is its weakest sentence's, and it
is consistent when every sentence is supported.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Protocol

import numpy as np

from parallax.analyse.sentences import sentence_texts
from parallax.embed import Embedder, default_embedder
from parallax.models import Audit, SentenceAudit
from parallax.verify.align import Alignment, SourceIndex, source_sentences
from parallax.verify.checks import check_sentence
from parallax.verify.features import sentence_features
from parallax.verify.findings import Finding, SourceFacts
from parallax.verify.model import SupportModel, load_model

# Summaries verified together, so their sentences share embedding batches.
BATCH_ITEMS = 32
# A sentence with a hard finding keeps its rank among such sentences, but stays below 0.5.
HARD_CAP = 0.49
# Source sets whose index and extracted facts are kept for the next summaries.
SOURCE_SETS_KEPT = 8


class Verifier(Protocol):
    """Says which sentences of a summary its sources support, and why not."""

    def verify(self, summary: str, sources: Sequence[str]) -> Audit: ...


@dataclass(frozen=True, slots=True)
class SentenceCheck:
    """Everything learnt about one summary sentence before the decision."""

    text: str
    alignment: Alignment
    findings: tuple[Finding, ...]
    features: tuple[float, ...]
    evidence: tuple[str, ...]  # the best-aligned source sentences, in source order


class AlignmentVerifier:
    """SummaC-style sentence alignment plus QAFactEval-style detail checks, scored by a model."""

    def __init__(self, embedder: Embedder | None = None, model: SupportModel | None = None) -> None:
        self.embedder = embedder or default_embedder()
        self._model = model
        # Several summaries of one story share their sources: index those once.
        self._indexes: OrderedDict[tuple[str, ...], tuple[SourceIndex, SourceFacts]] = OrderedDict()

    @property
    def model(self) -> SupportModel:
        """The support model (the shipped one unless another was given)."""
        if self._model is None:
            self._model = load_model()
        return self._model

    def _index(
        self,
        sources: Sequence[str],
        theirs: list[tuple[int, str]],
        vectors: np.ndarray,
        rows: dict[str, int],
    ) -> tuple[SourceIndex, SourceFacts]:
        key = tuple(sources)
        cached = self._indexes.get(key)
        if cached is not None:
            self._indexes.move_to_end(key)
            return cached
        source_vectors = vectors[[rows[s] for _, s in theirs]] if theirs else vectors[:0]
        index = SourceIndex(sources, theirs, source_vectors)
        built = (index, SourceFacts(index))
        self._indexes[key] = built
        while len(self._indexes) > SOURCE_SETS_KEPT:
            self._indexes.popitem(last=False)
        return built

    def verify(self, summary: str, sources: Sequence[str]) -> Audit:
        """The audit of one summary against its sources."""
        return next(iter(self.verify_many([(summary, sources)])))

    def verify_many(self, items: Iterable[tuple[str, Sequence[str]]]) -> Iterator[Audit]:
        """Audits of many (summary, sources) pairs, embedding their sentences in shared batches."""
        iterator = iter(items)
        while chunk := list(islice(iterator, BATCH_ITEMS)):
            for checks in self.analyse(chunk):
                yield self.decide(checks)

    def analyse(self, items: Sequence[tuple[str, Sequence[str]]]) -> list[list[SentenceCheck]]:
        """Align and check every summary sentence of ``items`` (no decision yet)."""
        prepared = []
        texts: dict[str, None] = {}
        for summary, sources in items:
            mine = [s for s in sentence_texts(summary) if s.strip()]
            theirs = source_sentences(sources)
            texts.update(dict.fromkeys(mine))
            texts.update(dict.fromkeys(s for _, s in theirs))
            prepared.append((mine, sources, theirs))
        order = list(texts)
        vectors = self.embedder.embed(order) if order else np.zeros((0, 1), dtype=np.float32)
        row = {text: i for i, text in enumerate(order)}
        out = []
        for mine, sources, theirs in prepared:
            index, facts = self._index(sources, theirs, vectors, row)
            checks = []
            for sentence in mine:
                alignment = index.align(sentence, vectors[row[sentence]])
                findings = check_sentence(sentence, alignment, facts) if theirs else []
                values = sentence_features(sentence, alignment, index, findings)
                evidence = tuple(index.sentences[i] for i in sorted(alignment.best))
                checks.append(
                    SentenceCheck(sentence, alignment, tuple(findings), tuple(values), evidence)
                )
            out.append(checks)
        return out

    def decide(self, checks: Sequence[SentenceCheck]) -> Audit:
        """The audit from analysed sentences: support, evidence and problems."""
        audits = [self._sentence(c) for c in checks]
        if not audits:
            return Audit(consistent=True, score=1.0, sentences=())
        score = min(a.score for a in audits)
        return Audit(all(a.supported for a in audits), score, tuple(audits))

    def _sentence(self, check: SentenceCheck) -> SentenceAudit:
        if not check.alignment.best:
            return SentenceAudit(check.text, False, 0.0, (), ("no source text to check against",))
        support = self.model.support(check.features)
        hard = [f.message for f in check.findings if f"{f.kind}_{f.scope}" in self.model.hard]
        if hard:
            support *= HARD_CAP  # a detail no source gives: below the line whatever the rest says
        supported = support >= 0.5
        problems = list(hard)
        if not supported:
            problems += [f.message for f in check.findings if f.message not in hard]
            if not problems:
                problems.append(
                    f"no source sentence says this (closest match {check.alignment.cos_window:.2f})"
                )
        return SentenceAudit(
            text=check.text,
            supported=supported,
            score=round(support, 4),
            evidence=check.evidence,
            problems=tuple(problems),
        )


def verify_batch(
    items: Iterable[tuple[str, Sequence[str]]], verifier: Verifier | None = None
) -> Iterator[Audit]:
    """Audit many (summary, sources) pairs; the default verifier batches their embeddings."""
    chosen = verifier or AlignmentVerifier()
    if isinstance(chosen, AlignmentVerifier):
        yield from chosen.verify_many(items)
    else:
        for summary, sources in items:
            yield chosen.verify(summary, sources)
