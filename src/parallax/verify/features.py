"""The numbers a support model reads for one summary sentence.

Alignment strength (cosine and lexical, sentence and window), how many of the
sentence's words are new against the evidence and against all sources, and
counts of each kind of finding. General features only: nothing here knows a
data set's domain or its wording.
"""

from __future__ import annotations

import math

from parallax.verify.align import Alignment, SourceIndex
from parallax.verify.findings import EVIDENCE, KINDS, SOURCES, Finding
from parallax.verify.text import bigrams, is_content, stem, tokens, words

FEATURES: tuple[str, ...] = (
    "cos_sentence",
    "cos_window",
    "lexical_sentence",
    "lexical_window",
    "lexical_evidence",
    "covered_sources",
    "novel_sources",
    "novel_evidence",
    "novel_run",
    "bigrams_sources",
    "log_length",
    *(f"{kind}_{scope}" for kind in KINDS for scope in (SOURCES, EVIDENCE)),
)


def _longest_novel_run(sentence: str, known: frozenset[str]) -> int:
    """The most content words in a row (stop words between them allowed) new to the sources.

    An inserted clause ("who was recently released on bail") is a run; a
    paraphrase swaps single words.
    """
    best = run = 0
    for token in tokens(sentence):
        if not is_content(token):
            continue
        run = run + 1 if stem(token) not in known else 0
        best = max(best, run)
    return best


def sentence_features(
    sentence: str, align: Alignment, index: SourceIndex, findings: list[Finding]
) -> list[float]:
    """The feature vector of one summary sentence, in ``FEATURES`` order."""
    mine = words(sentence)
    content = set(mine.content)
    everywhere = index.all_words.stems
    evidence = (
        set().union(*(index.words[i].stems for i in align.evidence)) if align.evidence else set()
    )
    novel_sources = len(content - everywhere)
    novel_evidence = len(content - evidence)
    mine_bigrams = bigrams(sentence)
    source_bigrams = index.all_bigrams
    values: dict[str, float] = {
        "cos_sentence": align.cos_sentence,
        "cos_window": align.cos_window,
        "lexical_sentence": align.lexical_sentence,
        "lexical_window": align.lexical_window,
        "lexical_evidence": align.lexical_evidence,
        "covered_sources": 1.0 - novel_sources / max(1, len(content)),
        "novel_sources": min(novel_sources, 6),
        "novel_evidence": min(novel_evidence, 10),
        "novel_run": min(_longest_novel_run(sentence, everywhere), 5),
        "bigrams_sources": len(mine_bigrams & source_bigrams) / max(1, len(mine_bigrams)),
        "log_length": math.log1p(len(content)),
    }
    for kind in KINDS:
        for scope in (SOURCES, EVIDENCE):
            n = sum(1 for f in findings if f.kind == kind and f.scope == scope)
            values[f"{kind}_{scope}"] = min(n, 3)
    return [float(values[name]) for name in FEATURES]
