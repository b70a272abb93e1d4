"""Direct quotes merged across outlets: who said it, who quotes it, and whether the words match.

The same quote in two outlets is one entry; a partial quote ("at war") joins
the longer quote whose words it repeats, and a paraphrase inside quote marks
joins the quote it renders when the speaker is the same and most of its
words follow the original. The quote's text is the wording most outlets
match; an outlet whose words differ from it is marked not verbatim.
Unattributed scare quotes of a few words are not quotes of anyone.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from parallax.analyse.entities import canonical
from parallax.analyse.quotes import Quote, find_quotes, is_verbatim, normalise_quote, quote_overlap
from parallax.analyse.sentences import split_sentences
from parallax.compare.records import QuoteMention
from parallax.models import Article, QuoteFact

# Unattributed quotes shorter than this are scare quotes.
MIN_UNATTRIBUTED_WORDS = 4
# A paraphrase keeps at least this share of the shorter rendering's words in order.
PARAPHRASE_OVERLAP = 0.5
# A partial quote this short joins a longer one only when both name the same speaker.
SHORT_PARTIAL = 3
_STOP = frozenset("a an the of to in on and or is are was were be it this that for with".split())


@dataclass(slots=True)
class _Rendering:
    article: int
    quote: Quote
    sentence: str
    words: list[str]
    content: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Cluster:
    renderings: list[_Rendering] = field(default_factory=list)

    @property
    def head(self) -> _Rendering:
        return self.renderings[0]

    def speakers(self) -> list[str]:
        return [r.quote.speaker for r in self.renderings if r.quote.speaker]


def _person(name: str) -> str:
    return canonical(name).casefold()


def same_speaker(a: str | None, b: str | None) -> bool:
    """True when two speaker names can be one person ("Kessel" and "Marta Kessel" can)."""
    if not a or not b:
        return False
    x, y = _person(a).split(), _person(b).split()
    if x == y:
        return True
    short, long = sorted((x, y), key=len)
    return bool(short) and all(word in long for word in short) and short[-1] == long[-1]


def _compatible(speaker: str | None, cluster: _Cluster) -> bool:
    named = cluster.speakers()
    return speaker is None or not named or any(same_speaker(speaker, n) for n in named)


def _content(words: Sequence[str]) -> set[str]:
    return {w for w in words if w not in _STOP}


def _renderings(articles: Sequence[Article]) -> list[_Rendering]:
    out = []
    for index, article in enumerate(articles):
        sentences = split_sentences(article.text)
        starts = [s.start for s in sentences]
        for q in find_quotes(article.text):
            words = normalise_quote(q.text).split()
            if not words or (q.speaker is None and len(words) < MIN_UNATTRIBUTED_WORDS):
                continue
            sentence = sentences[max(0, bisect_right(starts, q.start) - 1)].text
            out.append(_Rendering(index, q, sentence, words, _content(words)))
    return out


def _fit(r: _Rendering, cluster: _Cluster) -> tuple[int, float] | None:
    """How well a rendering joins a cluster: (verbatim, overlap), or None when it does not."""
    head = cluster.head
    if not (r.content & head.content or set(r.words) <= set(head.words)):
        return None  # no word in common: not the same quote (and quick to tell)
    if not _compatible(r.quote.speaker, cluster):
        return None
    overlap = quote_overlap(r.quote.text, head.quote.text)
    named_alike = any(same_speaker(r.quote.speaker, n) for n in cluster.speakers())
    if is_verbatim(r.quote.text, head.quote.text):
        if len(r.words) > SHORT_PARTIAL or named_alike:
            return (1, overlap)
        return None
    shared = r.content & head.content
    long_enough = len(r.words) > SHORT_PARTIAL and len(shared) >= 2
    if named_alike and long_enough and overlap >= PARAPHRASE_OVERLAP:
        return (0, overlap)
    return None


def compare_quotes(articles: Sequence[Article], groups: Sequence[int]) -> tuple[QuoteFact, ...]:
    """The story's quotes, merged across outlets, most widely quoted first."""
    renderings = _renderings(articles)
    renderings.sort(key=lambda r: (-len(r.words), r.article, r.quote.start))
    clusters: list[_Cluster] = []
    for r in renderings:
        fits = [(fit, -n) for n, c in enumerate(clusters) if (fit := _fit(r, c)) is not None]
        if fits:
            _, minus_n = max(fits)  # best fit; among equals the earliest cluster
            clusters[-minus_n].renderings.append(r)
        else:
            clusters.append(_Cluster([r]))
    facts = [_quote_fact(articles, groups, c) for c in clusters]
    facts.sort(key=lambda f: (-f[1], f[2]))
    return tuple(f[0] for f in facts)


def _clean(text: str) -> str:
    return re.sub(r"[\s,;:]+$", "", text.strip())


def _quote_fact(
    articles: Sequence[Article], groups: Sequence[int], cluster: _Cluster
) -> tuple[QuoteFact, int, tuple[int, int]]:
    renders = cluster.renderings

    def support(candidate: _Rendering) -> tuple[int, int]:
        matching = {r.article for r in renders if is_verbatim(r.quote.text, candidate.quote.text)}
        return (len(matching), len(candidate.words))

    text = max(renders, key=support).quote.text
    names = Counter(_person(s) for s in cluster.speakers())
    speaker = None
    if names:
        top = max(names, key=lambda n: (names[n], len(n), n))
        speaker = max((s for s in cluster.speakers() if _person(s) == top), key=len)
    mentions = []
    for r in sorted(renders, key=lambda r: (r.article, r.quote.start)):
        article = articles[r.article]
        mentions.append(
            QuoteMention(
                article=article.key,
                outlet=article.outlet,
                text=_clean(r.quote.text),
                sentence=r.sentence,
                speaker=r.quote.speaker,
                verbatim=is_verbatim(r.quote.text, text),
                partial=len(r.words) < len(normalise_quote(text).split()),
            )
        )
    outlets = tuple(sorted({m.outlet for m in mentions}))
    fact = QuoteFact(
        speaker=speaker,
        text=_clean(text),
        outlets=outlets,
        verbatim=all(m.verbatim for m in mentions),
        mentions=tuple(mentions),
    )
    sources = len({groups[r.article] for r in renders})
    first = min((r.article, r.quote.start) for r in renders)
    return fact, sources, first
