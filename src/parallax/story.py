"""One story analysed: its cited summary and what each outlet reported."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from parallax.models import Article, Coverage, Link, Summary
from parallax.summarize import CentralitySummarizer, Summarizer


@dataclass(frozen=True, slots=True)
class StoryAnalysis:
    """A story's summary and coverage comparison."""

    summary: Summary
    coverage: Coverage


def analyse_story(
    articles: Sequence[Article],
    links: Sequence[Link],
    summarizer: Summarizer | None = None,
) -> StoryAnalysis:
    """Summarise a story's articles and compare their coverage."""
    summary = (summarizer or CentralitySummarizer()).summarize(articles, links)
    return StoryAnalysis(summary=summary, coverage=Coverage())


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
            {"text": f.text, "outlets": list(f.outlets), "status": f.status.value}
            for f in coverage.facts
        ],
        "numbers": [
            {
                "value": n.value,
                "unit": n.unit,
                "about": n.about,
                "status": n.status,
                "mentions": [
                    {
                        "article": id_of.get(m.article, m.article),
                        "outlet": m.outlet,
                        "text": m.text,
                        "sentence": m.sentence,
                    }
                    for m in n.mentions
                ],
            }
            for n in coverage.numbers
        ],
        "quotes": [
            {
                "speaker": q.speaker,
                "text": q.text,
                "outlets": list(q.outlets),
                "verbatim": q.verbatim,
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
    }
