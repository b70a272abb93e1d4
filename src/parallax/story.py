"""One story analysed: its cited summary and what each outlet reported.

The story is read once (statements, vectors, independence groups); the
comparison and the default summarizer share that reading. ``coverage_json``
turns the analysis into the ``parallax story ID --json`` shape, naming
articles by their ids.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from parallax.analyse.framing import FramingLexicon
from parallax.compare import OutletProfile, compare_reading, read_story
from parallax.embed import Embedder
from parallax.models import Article, Coverage, Link, Mention, Summary
from parallax.outlets import Outlet
from parallax.summarize import CentralitySummarizer, Summarizer


@dataclass(frozen=True, slots=True)
class StoryAnalysis:
    """A story's summary, coverage comparison and outlets."""

    summary: Summary
    coverage: Coverage
    outlets: tuple[OutletProfile, ...] = ()


def analyse_story(
    articles: Sequence[Article],
    links: Sequence[Link],
    summarizer: Summarizer | None = None,
    *,
    outlets: Sequence[Outlet] = (),
    embedder: Embedder | None = None,
    lexicon: FramingLexicon | None = None,
) -> StoryAnalysis:
    """Summarise a story's articles and compare their coverage.

    ``outlets`` are the declared outlet records (``SQLiteStore.outlets()``): a
    leaning is reported only where one of them declares it.
    """
    reading = read_story(articles, links, embedder, lexicon)
    comparison = compare_reading(reading, lexicon, outlets)
    if summarizer is None:
        summary = CentralitySummarizer(embedder, lexicon).from_comparison(comparison)
    else:
        summary = summarizer.summarize(articles, links)
    return StoryAnalysis(summary, comparison.coverage, comparison.outlets)


def _mention(m: Mention, id_of: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "article": id_of.get(m.article, m.article),
        "outlet": m.outlet,
        "text": m.text,
        "sentence": m.sentence,
    }
    for name in ("value", "approx", "speaker", "verbatim", "partial"):
        if hasattr(m, name):
            out[name] = getattr(m, name)
    return out


def _values(mentions: Sequence[Mention], id_of: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each distinct figure of a quantity with the articles and outlets that give it."""
    figures: dict[float, dict[str, Any]] = {}
    for m in mentions:
        value = getattr(m, "value", None)
        if value is None:
            continue
        entry = figures.setdefault(value, {"value": value, "articles": [], "outlets": []})
        article = id_of.get(m.article, m.article)
        if article not in entry["articles"]:
            entry["articles"].append(article)
        if m.outlet not in entry["outlets"]:
            entry["outlets"].append(m.outlet)
    return sorted(figures.values(), key=lambda e: (-len(e["outlets"]), e["value"]))


def _articles(mentions: Sequence[Mention], id_of: Mapping[str, str]) -> list[str]:
    return list(dict.fromkeys(id_of.get(m.article, m.article) for m in mentions))


def coverage_json(analysis: StoryAnalysis, id_of: dict[str, str]) -> dict[str, Any]:
    """The analysis in the CLI contract's shape, articles named by their ids."""

    def ids(keys: Sequence[str]) -> list[str]:
        return [id_of.get(k, k) for k in keys]

    coverage = analysis.coverage
    return {
        "summary": [
            {
                "text": s.text,
                "citations": ids(s.citations),
                "source": id_of.get(s.source, s.source),
                "evidence": [
                    {"article": id_of.get(key, key), "sentence": sentence}
                    for key, sentence in s.evidence
                ],
            }
            for s in analysis.summary.sentences
        ],
        "facts": [
            {
                "text": f.text,
                "outlets": list(f.outlets),
                "status": f.status.value,
                "articles": _articles(f.mentions, id_of),
                "sources": getattr(f, "sources", len(f.outlets)),
                "reason": getattr(f, "reason", ""),
                "opinion": getattr(f, "opinion", False),
                "mentions": [_mention(m, id_of) for m in f.mentions],
            }
            for f in coverage.facts
        ],
        "numbers": [
            {
                "value": n.value,
                "unit": n.unit,
                "about": n.about,
                "status": n.status,
                "outlets": sorted({m.outlet for m in n.mentions}, key=str.casefold),
                "values": _values(n.mentions, id_of),
                "mentions": [_mention(m, id_of) for m in n.mentions],
            }
            for n in coverage.numbers
        ],
        "quotes": [
            {
                "speaker": q.speaker,
                "text": q.text,
                "outlets": list(q.outlets),
                "verbatim": q.verbatim,
                "articles": _articles(q.mentions, id_of),
                "mentions": [_mention(m, id_of) for m in q.mentions],
            }
            for q in coverage.quotes
        ],
        "framing": {
            outlet: [
                {
                    "term": t.term,
                    "category": t.category,
                    "sentence": t.sentence,
                    "article": id_of.get(t.article, t.article),
                }
                for t in terms
            ]
            for outlet, terms in coverage.framing.items()
        },
        "outlets": [
            {
                "name": o.name,
                "articles": ids(o.articles),
                "independent_group": o.group,
            }
            | ({"leaning": o.leaning} if o.leaning else {})
            | ({"country": o.country} if o.country else {})
            for o in analysis.outlets
        ],
    }
