"""Cited extractive summaries: central facts first, no repeats, every sentence cited.

The summary is built on the story's facts (statements aligned across
articles, see ``parallax.compare``): a fact is central when many independent
outlets report it, early in their articles and close to the story's other
statements. Each picked fact is stated by one of its own sentences, plainly
worded (no opinion, speculation or loaded words of the outlet's own, no
pronoun left without its referent; a trailing opinion clause is cut), never
a rewrite's (rewrites add claims), preferably from an outlet not yet used,
and cites every article whose statement of the fact says the same, except
one whose figures for it disagree. No two summary sentences say the same
thing. Articles are read in key order, so the same store gives the same
summary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from parallax.analyse.framing import FramingLexicon, find_framing
from parallax.compare import Comparison, compare_reading, read_story
from parallax.compare.reading import StoryReading
from parallax.compare.statements import (
    JUDGING,
    MIN_WORDS,
    clean_statement,
    is_junk,
    is_opinion,
    readable,
)
from parallax.embed import Embedder
from parallax.models import Article, Link, Summary, SummarySentence

# Two summary sentences repeat each other above this (MiniLM cosine).
REDUNDANT_COSINE = 0.72
# Another article's statement backs a summary sentence at or above this cosine.
CITE_COSINE = 0.62
MIN_WORDS_SUMMARY, MAX_WORDS_SUMMARY = 8, 45
MIN_SENTENCES, MAX_SENTENCES = 3, 12
# An article's opening sentences, where news states its main facts.
LEAD_SENTENCES = 2
# A statement more than this share quoted reads as a quote, not a report.
QUOTED_SHARE = 0.5


class Summarizer(Protocol):
    """Writes a story's cited summary from its articles."""

    def summarize(self, articles: Sequence[Article], links: Sequence[Link]) -> Summary: ...


def summary_length(n_articles: int, n_candidates: int) -> int:
    """3 to 12 sentences, growing with the story's size (fewer only if fewer facts exist)."""
    return max(0, min(n_candidates, MAX_SENTENCES, MIN_SENTENCES + n_articles // 2))


def is_reportable(sentence: str, lexicon: FramingLexicon | None = None) -> bool:
    """A plain statement of fact: not junk, a question, opinion, speculation or loaded words."""
    words = len(sentence.split())
    if is_junk(sentence) or not MIN_WORDS_SUMMARY <= words <= MAX_WORDS_SUMMARY:
        return False
    framing = frozenset(m.category for m in find_framing(sentence, lexicon))
    return not is_opinion(sentence, framing, named=False)


# Where a trailing non-restrictive clause starts: ", in a move which may …".
_TRAILING = re.compile(
    r",\s+(?:in a move|a move|a step|a decision|which|who|amid|as|while|even as|prompting|"
    r"raising|sparking|adding|fuelling|fueling|signalling|signaling)\b"
)


def _fits(text: str) -> bool:
    return max(MIN_WORDS, MIN_WORDS_SUMMARY) <= len(text.split()) <= MAX_WORDS_SUMMARY


@dataclass(frozen=True, slots=True)
class _Candidate:
    fact: int
    score: float


class CentralitySummarizer:
    """Picks the facts most independent outlets report and states each with full citations."""

    def __init__(
        self, embedder: Embedder | None = None, lexicon: FramingLexicon | None = None
    ) -> None:
        self.embedder = embedder
        self.lexicon = lexicon

    def summarize(self, articles: Sequence[Article], links: Sequence[Link]) -> Summary:
        """The story's summary; deterministic for the same articles and links."""
        reading = read_story(articles, links, self.embedder, self.lexicon)
        return self.from_comparison(compare_reading(reading, self.lexicon))

    def from_comparison(self, comparison: Comparison) -> Summary:
        """The summary of a story already read and compared."""
        reading, alignment = comparison.reading, comparison.alignment
        if not alignment.facts:
            return Summary(())
        sim = reading.similarity
        centrality = sim.mean(axis=1)
        conflicts = set(comparison.numbers.conflicts)
        conflicts |= {(b, a) for a, b in conflicts}
        wording: dict[int, str] = {}
        candidates: list[_Candidate] = []
        for n, members in enumerate(alignment.facts):
            for i in members:
                text = self._wording(reading, i)
                if text:
                    wording[i] = text
            if not any(i in wording for i in members):
                continue
            # News puts the main facts first: a fact in several articles' opening
            # sentences is central even where some outlets word it too differently to align.
            leads = sum(reading.statements[i].sentence < LEAD_SENTENCES for i in members)
            score = (
                reading.sources(members)
                + 0.6 * leads
                + 0.3 * float(np.mean([centrality[i] for i in members]))
            )
            candidates.append(_Candidate(n, score))
        candidates.sort(key=lambda c: (-c.score, c.fact))
        wanted = summary_length(len(reading.articles), len(candidates))
        picked: list[int] = []
        used: dict[int, int] = {}
        out: list[SummarySentence] = []
        for cand in candidates:
            if len(out) == wanted:
                break
            members = alignment.facts[cand.fact]
            choice = self._choose(comparison, [i for i in members if i in wording], members, used)
            if any(sim[choice, j] >= REDUNDANT_COSINE for j in picked):
                continue
            picked.append(choice)
            owner = reading.statements[choice].article
            used[owner] = used.get(owner, 0) + 1
            out.append(self._sentence(comparison, members, choice, wording[choice], conflicts))
        return Summary(tuple(out))

    def _wording(self, reading: StoryReading, i: int) -> str | None:
        """How a statement reads in the summary, or None when it cannot state a fact there.

        A statement whose only opinion is a trailing clause (", in a move which may …")
        is stated without that clause.
        """
        s = reading.statements[i]
        # A rewrite's wording is never used: rewrites add claims their source does not make.
        if s.dangling or s.quoted > QUOTED_SHARE or s.article in reading.derived:
            return None
        text = readable(s.text)
        if not (s.opinion or s.framing & JUDGING):
            return text if _fits(text) else None
        for m in reversed(list(_TRAILING.finditer(text))):
            head = clean_statement(text[: m.start()])
            if _fits(head) and is_reportable(head, self.lexicon):
                return head
        return None

    def _choose(
        self,
        comparison: Comparison,
        stateable: Sequence[int],
        members: Sequence[int],
        used: dict[int, int],
    ) -> int:
        """The member that states the fact: plainly worded, central, from a fresh original."""
        reading, scores = comparison.reading, comparison.alignment.scores

        def rank(i: int) -> tuple[float, int]:
            s = reading.statements[i]
            others = [scores[i, j] for j in members if j != i]
            centre = float(np.mean(others)) if others else 0.0
            penalty = 0.3 * used.get(s.article, 0) + 0.1 * s.clause + 0.05 * bool(s.framing)
            return (centre - penalty, -i)

        return max(stateable, key=rank)

    @staticmethod
    def _sentence(
        comparison: Comparison,
        members: Sequence[int],
        choice: int,
        text: str,
        conflicts: set[tuple[int, int]],
    ) -> SummarySentence:
        reading = comparison.reading
        # An article backs the sentence when its statement says the same in other words
        # (figures shared by loosely similar sentences are not enough), and not when its
        # figures for the fact differ.
        sim = reading.similarity
        backing = sorted(
            (
                i
                for i in members
                if i == choice or ((choice, i) not in conflicts and sim[choice, i] >= CITE_COSINE)
            ),
            key=lambda i: (reading.articles[reading.statements[i].article].key, i),
        )
        evidence: dict[str, str] = {}
        for i in backing:
            key = reading.articles[reading.statements[i].article].key
            evidence.setdefault(key, reading.statements[i].sentence_text)
        source = reading.articles[reading.statements[choice].article].key
        return SummarySentence(
            text=text,
            citations=tuple(evidence),
            source=source,
            evidence=tuple(evidence.items()),
        )
