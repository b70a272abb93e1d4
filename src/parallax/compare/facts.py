"""Facts: aligned statements with the outlets that report them and whether they agree.

``consensus`` needs two independent groups (a copy, a rewrite or a second
article of one outlet is not a second source); ``single`` is one group;
``conflict`` marks aligned statements that disagree: their figures for the
same thing differ, one denies what the other states, or one puts in the
future an event the other reports as past.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

from parallax.analyse.dates import FUTURE, PAST, tense_conflict
from parallax.compare.align import Alignment
from parallax.compare.reading import StoryReading
from parallax.compare.records import AlignedFact
from parallax.compare.statements import readable
from parallax.models import FactStatus, Mention

# Aligned statements this close that differ in negation say opposite things.
NEGATION_FLIP = 0.8
# ... and share this much of their wording once the negation is set aside.
NEGATION_WORDS = 0.7
_NEGATORS = frozenset({"not", "never", "no", "longer", "n't", "didn't", "doesn't", "don't"})
_WORD = re.compile(r"[\w’']+")
# A statement mostly inside quote marks is a quote, listed with the quotes.
QUOTED = 0.6


def fact_statements(reading: StoryReading) -> np.ndarray:
    """Which statements can be facts: not mostly a quote."""
    return np.array([s.quoted < QUOTED for s in reading.statements], dtype=bool)


def _only_negation_differs(a: str, b: str, score: float) -> bool:
    """One says what the other denies: close in meaning and in words, negation aside."""
    if score < NEGATION_FLIP:
        return False
    x, y = (set(_WORD.findall(t.lower())) - _NEGATORS for t in (a, b))
    return len(x & y) >= NEGATION_WORDS * len(x | y)


def _disagreement(reading: StoryReading, scores: np.ndarray, members: Sequence[int]) -> str:
    """Why aligned statements disagree ("negation" or "tense"), or ""."""
    for x_pos, x in enumerate(members):
        a = reading.statements[x]
        for y in members[x_pos + 1 :]:
            b = reading.statements[y]
            if a.negated != b.negated and _only_negation_differs(a.text, b.text, scores[x, y]):
                return "negation"
            if any(tense_conflict(e, f) for e in a.events for f in b.events):
                return "tense"
    return ""


def representative(reading: StoryReading, scores: np.ndarray, members: Sequence[int]) -> int:
    """The member that states the fact best: close to the others, plainly worded, original."""

    def rank(i: int) -> tuple[float, int]:
        s = reading.statements[i]
        others = [scores[i, j] for j in members if j != i]
        centre = float(np.mean(others)) if others else 0.0
        penalty = 0.3 * s.opinion + 0.2 * s.dangling + 0.2 * (s.article in reading.derived)
        return (centre - penalty, -i)

    return max(members, key=rank)


def build_facts(
    reading: StoryReading, alignment: Alignment, number_conflicts: Iterable[tuple[int, int]]
) -> tuple[AlignedFact, ...]:
    """Every fact of the story: conflicts first, then by how many sources report it."""
    fact_of = fact_index(reading, alignment)
    disputed: dict[int, str] = {}
    for x, y in number_conflicts:
        for side in (x, y):
            if fact_of[side] >= 0:
                disputed[fact_of[side]] = "number"
    countered: dict[int, list[int]] = {}
    subject: dict[int, int] = {}  # the statement a tense dispute is about states the fact
    for x, others in tense_disputes(reading).items():
        if fact_of[x] >= 0:
            disputed.setdefault(fact_of[x], "tense")
            countered.setdefault(fact_of[x], []).extend(others)
            subject.setdefault(fact_of[x], x)
    ranked = []
    for n, members in enumerate(alignment.facts):
        reason = disputed.get(n) or _disagreement(reading, alignment.scores, members)
        # A statement dated the other way by another article is shown beside it.
        members = (*members, *(i for i in countered.get(n, ()) if i not in members))
        sources = reading.sources(members)
        if reason:
            status = FactStatus.CONFLICT
        elif sources >= 2:
            status = FactStatus.CONSENSUS
        else:
            status = FactStatus.SINGLE
        best = subject.get(n, representative(reading, alignment.scores, members))
        ordered = sorted(members, key=lambda i: (reading.statements[i].article, i))
        mentions = tuple(
            Mention(
                article=reading.articles[reading.statements[i].article].key,
                outlet=reading.outlet(i),
                text=reading.statements[i].text,
                sentence=reading.statements[i].sentence_text,
            )
            for i in ordered
        )
        statement = reading.statements[best]
        fact = AlignedFact(
            text=readable(statement.text),
            outlets=tuple(sorted({reading.outlet(i) for i in members}, key=str.casefold)),
            status=status,
            mentions=mentions,
            sources=sources,
            reason=reason,
            opinion=statement.opinion,
        )
        first = min(reading.statements[i].sentence for i in members)
        order = {FactStatus.CONFLICT: 0, FactStatus.CONSENSUS: 1, FactStatus.SINGLE: 2}
        ranked.append(((order[status], -sources, -len(members), first, n), fact))
    ranked.sort(key=lambda item: item[0])
    return tuple(fact for _, fact in ranked)


def tense_disputes(reading: StoryReading) -> dict[int, list[int]]:
    """Statements that put in the future an event other articles report as past (or back).

    Per kind of event ("election"), an article is on one side when all its mentions
    share a tense; when articles of both sides exist and none mixes them (a mix means
    several events of the kind), each statement of the minority side is disputed by
    the closest statement of every article on the other side.
    """
    sides: dict[str, dict[int, set[str]]] = {}
    where: dict[tuple[str, int, str], list[int]] = {}
    for i, s in enumerate(reading.statements):
        for e in s.events:
            if e.tense in (PAST, FUTURE):
                sides.setdefault(e.event, {}).setdefault(s.article, set()).add(e.tense)
                where.setdefault((e.event, s.article, e.tense), []).append(i)
    out: dict[int, list[int]] = {}
    for event, by_article in sides.items():
        if any(len(tenses) > 1 for tenses in by_article.values()):
            continue
        side = {t: [a for a, ts in by_article.items() if t in ts] for t in (PAST, FUTURE)}
        if not side[PAST] or not side[FUTURE]:
            continue
        odd, usual = sorted((PAST, FUTURE), key=lambda t: (len(side[t]), t == PAST))
        for article in side[odd]:
            for x in where[(event, article, odd)]:
                counters = [
                    max(where[(event, other, usual)], key=lambda j: reading.similarity[x, j])
                    for other in side[usual]
                ]
                out.setdefault(x, []).extend(counters)
    return out


def fact_index(reading: StoryReading, alignment: Alignment) -> list[int]:
    """Each statement's fact number, or -1 for statements in no fact."""
    out = [-1] * len(reading.statements)
    for n, members in enumerate(alignment.facts):
        for i in members:
            out[i] = n
    return out
