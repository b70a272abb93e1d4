"""Story analysis (summary + facts, numbers, quotes, framing): speed, and conflicts found.

    .venv/bin/python bench/story.py [--sizes 5 20 80] [--events 8] [--skip-quality]

Speed: stories of 5, 20 and 80 real news articles from ECB+ (topics taken in
order, so an 80-article "story" spans several topics); each size is analysed
once with an empty embedding cache (cold: every sentence goes through MiniLM)
and once more with the vectors cached (warm: what a second ``parallax story``
costs). The model is loaded before timing; its load time is printed apart.

Quality (unseen events): for each of the first ``--events`` ECB+ events with
three or more articles, one figure that two articles agree on is changed in
one of them (x1.5); the changed figure must come out as a conflicting number
(recall). The untouched events' conflicts are counted too (false conflicts:
ECB+ articles of one event rarely disagree on a figure, so most are errors).

Needs ../shared/data/clustering/ecbplus-dev.jsonl. Timings depend on the
machine's load; say so when you report them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from parallax.embed import MemoryCache, MiniLMEmbedder
from parallax.models import Article
from parallax.story import StoryAnalysis, analyse_story

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ECB = SHARED / "data" / "clustering" / "ecbplus-dev.jsonl"


def load_articles() -> list[dict]:
    """ECB+ documents, in file order."""
    if not ECB.exists():
        sys.exit(f"{ECB} is absent: the shared benchmark data sits beside the repository")
    return [json.loads(line) for line in ECB.read_text(encoding="utf-8").splitlines() if line]


def as_article(doc: dict) -> Article:
    """An ECB+ document as an article; the outlet is its URL's host, else its id."""
    host = re.sub(r"^https?://(?:www\.)?([^/]+).*$", r"\1", doc.get("url") or "") or doc["id"]
    return Article(
        key=str(doc["id"]), id=str(doc["id"]), title=doc["title"], text=doc["text"], outlet=host
    )


def timed(articles: list[Article], embedder: MiniLMEmbedder) -> tuple[float, StoryAnalysis]:
    start = time.perf_counter()
    analysis = analyse_story(articles, [], embedder=embedder)
    return time.perf_counter() - start, analysis


def speed(docs: list[dict], sizes: list[int]) -> None:
    """Cold and warm seconds per story size."""
    start = time.perf_counter()
    MiniLMEmbedder(cache=MemoryCache()).embed(["load the model"])
    print(f"model load: {time.perf_counter() - start:.1f} s (not counted below)\n")
    print("| articles | statements | cold s | warm s | facts | numbers | quotes | summary |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        articles = [as_article(d) for d in docs[:size]]
        embedder = MiniLMEmbedder(cache=MemoryCache())
        cold, _ = timed(articles, embedder)
        warm, analysis = timed(articles, embedder)
        statements = sum(len(f.mentions) for f in analysis.coverage.facts)
        print(
            f"| {len(articles)} | {statements} | {cold:.2f} | {warm:.2f} | "
            f"{len(analysis.coverage.facts)} | {len(analysis.coverage.numbers)} | "
            f"{len(analysis.coverage.quotes)} | {len(analysis.summary.sentences)} |"
        )


_FIGURE = re.compile(r"(?<![\d.,$£€])(\d{2,3}(?:,\d{3})*)(?![\d.,]|\s*(?:%|percent|a\.m|p\.m))")


def shared_figure(story: StoryAnalysis) -> tuple[str, str, float] | None:
    """(article, written figure, value) of a number two articles agree on, if any."""
    for number in story.coverage.numbers:
        articles = {m.article for m in number.mentions}
        if number.status != "agree" or len(articles) < 2 or number.unit in ("score",):
            continue
        for m in number.mentions:
            found = _FIGURE.search(m.text)
            if found and float(found.group(1).replace(",", "")) == number.value:
                return m.article, found.group(1), number.value
    return None


def changed(article: Article, written: str, value: float) -> Article:
    """The article with one figure (every time it is written) replaced by 1.5 times it."""
    new = f"{round(value * 1.5):,}" if "," in written else str(round(value * 1.5))
    text = re.sub(rf"(?<![\d.,]){re.escape(written)}(?!\d|[.,]\d)", new, article.text)
    return replace(article, text=text)


def quality(docs: list[dict], events: int) -> None:
    """Recall of changed figures as conflicts, and conflicts on untouched events."""
    by_event: dict[str, list[Article]] = defaultdict(list)
    for doc in docs:
        by_event[str(doc["event"])].append(as_article(doc))
    embedder = MiniLMEmbedder(cache=MemoryCache())
    tried = caught = false = stories = 0
    start = time.perf_counter()
    for members in [m for m in by_event.values() if len(m) >= 3][:events]:
        stories += 1
        original = analyse_story(members, [], embedder=embedder)
        false += sum(n.status == "conflict" for n in original.coverage.numbers)
        figure = shared_figure(original)
        if figure is None:
            continue
        key, written, value = figure
        edited = [changed(a, written, value) if a.key == key else a for a in members]
        result = analyse_story(edited, [], embedder=embedder)
        tried += 1
        caught += any(
            n.status == "conflict" and any(m.article == key for m in n.mentions)
            for n in result.coverage.numbers
        )
    took = time.perf_counter() - start
    print(f"\nunseen events: {stories} ECB+ events of 3+ articles ({took:.0f} s)")
    print("| measure | value |")
    print("|---|---:|")
    print(f"| changed figures found as conflicts | {caught}/{tried} |")
    print(f"| conflicting numbers on untouched events | {false} |")


def main() -> None:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 20, 80])
    parser.add_argument("--events", type=int, default=8)
    parser.add_argument("--skip-quality", action="store_true")
    args = parser.parse_args()
    docs = load_articles()
    speed(docs, args.sizes)
    if not args.skip_quality:
        quality(docs, args.events)


if __name__ == "__main__":
    main()
