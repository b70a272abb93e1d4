"""What each outlet reported about one story: facts, numbers, quotes and framing side by side.

``compare_story`` reads a story once (``read_story``) and returns its
``Coverage`` together with the alignment the summarizer reuses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from parallax.analyse.framing import FramingLexicon
from parallax.compare.align import Alignment, align
from parallax.compare.facts import build_facts, fact_index, fact_statements
from parallax.compare.framing import compare_framing
from parallax.compare.groups import independence_groups
from parallax.compare.numbers import NumberComparison, compare_numbers
from parallax.compare.quotes import compare_quotes, same_speaker
from parallax.compare.reading import StoryReading, read_story
from parallax.compare.records import (
    AlignedFact,
    NumberMention,
    OutletProfile,
    QuoteMention,
)
from parallax.embed import Embedder
from parallax.models import Article, Coverage, Link
from parallax.outlets import Outlet


@dataclass(frozen=True, eq=False)
class Comparison:
    """A story's coverage and the reading and alignment it was built from."""

    coverage: Coverage
    reading: StoryReading
    alignment: Alignment
    numbers: NumberComparison
    outlets: tuple[OutletProfile, ...]


class CoverageComparer(Protocol):
    """Compares what the articles of one story report."""

    def compare(self, articles: Sequence[Article], links: Sequence[Link]) -> Coverage: ...


def outlet_profiles(
    reading: StoryReading, declared: Sequence[Outlet] = ()
) -> tuple[OutletProfile, ...]:
    """The story's outlets with their articles; leaning and country only where declared."""
    known = {o.name.casefold(): o for o in declared}
    articles: dict[str, list[str]] = {}
    group: dict[str, int] = {}
    for article, g in zip(reading.articles, reading.groups, strict=True):
        articles.setdefault(article.outlet, []).append(article.key)
        group.setdefault(article.outlet, g)
    out = []
    for name in sorted(articles, key=str.casefold):
        outlet = known.get(name.casefold())
        out.append(
            OutletProfile(
                name=name,
                articles=tuple(articles[name]),
                group=group[name],
                leaning=outlet.leaning if outlet else None,
                country=outlet.country if outlet else None,
            )
        )
    return tuple(out)


def compare_reading(
    reading: StoryReading,
    lexicon: FramingLexicon | None = None,
    declared: Sequence[Outlet] = (),
) -> Comparison:
    """Facts, numbers, quotes and framing of a story already read."""
    alignment = align(reading, fact_statements(reading))
    numbers = compare_numbers(reading, fact_index(reading, alignment))
    coverage = Coverage(
        facts=build_facts(reading, alignment, numbers.conflicts),
        numbers=numbers.numbers,
        quotes=compare_quotes(reading.articles, reading.groups),
        framing=compare_framing(reading.articles, lexicon),
    )
    return Comparison(coverage, reading, alignment, numbers, outlet_profiles(reading, declared))


class AlignmentComparer:
    """Aligns statements across articles by meaning, names and figures (the default comparer)."""

    def __init__(
        self, embedder: Embedder | None = None, lexicon: FramingLexicon | None = None
    ) -> None:
        self.embedder = embedder
        self.lexicon = lexicon

    def compare(self, articles: Sequence[Article], links: Sequence[Link]) -> Coverage:
        """The story's coverage comparison."""
        reading = read_story(articles, links, self.embedder, self.lexicon)
        return compare_reading(reading, self.lexicon).coverage


__all__ = [
    "AlignedFact",
    "Alignment",
    "AlignmentComparer",
    "Comparison",
    "CoverageComparer",
    "NumberMention",
    "OutletProfile",
    "QuoteMention",
    "StoryReading",
    "compare_reading",
    "independence_groups",
    "outlet_profiles",
    "read_story",
    "same_speaker",
]
