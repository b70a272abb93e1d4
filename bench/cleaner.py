"""Line-level quality and speed of the plain-text cleaner.

Two measurements, both printed as tables:

* synthetic: article paragraphs from ECB+ (read at run time from
  ../shared/data/clustering) with junk blocks injected at the head, middle and
  tail. Junk comes from templates split into *train* kinds (the kinds the
  cleaner was developed against) and *test* kinds (held out: never looked at
  while tuning), so the gap between the two rows shows how far it generalises.
  Section headings made from the article's own words are injected as article
  lines, to check that they are kept.
* real: trafilatura's recall-mode output (comments included) on the extraction
  sets in ../shared/data/extraction, a realistic "scraped text with page junk";
  each line is labelled article when it is in the page's ground truth.

Run: .venv/bin/python bench/cleaner.py [--docs N] [--seed S]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from parallax.extract.text import PlainTextCleaner

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ECB = SHARED / "data" / "clustering" / "ecbplus-dev.jsonl"
EXTRACTION = SHARED / "data" / "extraction"

OUTLETS = ["The Harbour Ledger", "Northfield Courier", "Valemont Post", "The Daily Lantern"]
NAMES = ["Mara Lindqvist", "Tobias Okafor", "Ines Caldera", "Priya Ramesh", "Jonah Whitcombe"]

# Teasers are other documents' titles and leads: (title, first paragraph).
Pool = list[tuple[str, str]]
Junk = Callable[[random.Random, Pool], list[str]]


def headline(rng: random.Random, pool: Pool) -> str:
    """A teaser headline: another story's title, sometimes in Title Case."""
    title = rng.choice(pool)[0].rstrip(".")
    return title.title() if rng.random() < 0.3 else title


def snippet(rng: random.Random, lead: str) -> str:
    """A teaser snippet: another story's lead, often cut mid-sentence."""
    if rng.random() < 0.6 and len(lead) > 80:
        cut = lead[: rng.randint(60, min(200, len(lead) - 1))]
        return cut.rsplit(" ", 1)[0].rstrip(".,;")
    return lead


def _teaser_list(heading: str, numbered: bool, snippets: bool) -> Junk:
    def make(rng: random.Random, pool: Pool) -> list[str]:
        out = [heading.format(outlet=rng.choice(OUTLETS))]
        for i in range(rng.randint(3, 6)):
            title, lead = rng.choice(pool)
            title = title.rstrip(".")
            out.append(f"{i + 1}. {title}" if numbered else title)
            if snippets:
                out.append(snippet(rng, lead))
        return out

    return make


def _one(*options: str) -> Junk:
    def make(rng: random.Random, pool: Pool) -> list[str]:
        return [
            rng.choice(options).format(
                outlet=rng.choice(OUTLETS),
                name=rng.choice(NAMES),
                n=rng.randint(2, 480),
                h=headline(rng, pool),
            )
        ]

    return make


TRAIN_KINDS: dict[str, Junk] = {
    "share bar": _one(
        "Share on Facebook Twitter Email", "Share this article", "Facebook | Twitter | Email"
    ),
    "advertisement": _one("Advertisement", "ADVERTISEMENT", "Story continues below advertisement"),
    "read more": _one("Read more: {h}", "Related: {h}", "READ MORE: {h}"),
    "related list": _teaser_list("Related Articles", numbered=False, snippets=True),
    "most popular": _teaser_list("Most Popular", numbered=True, snippets=False),
    "cookie": _one(
        "We use cookies to improve your experience on our site. By continuing to browse, "
        "you agree to our use of cookies.",
        "This website uses cookies. Accept all cookies or manage your preferences.",
    ),
    "newsletter": _one(
        "Sign up for our newsletter to get the day's top stories in your inbox.",
        "Subscribe to the {outlet} morning briefing",
    ),
    "tags": _one("Tags: Valemont, City Council, Transport", "Topics: Music, Tours, Health"),
    "copyright": _one("© 2026 {outlet}. All rights reserved.", "Copyright 2026 {outlet}"),
    "comments": _one("{n} comments", "Leave a comment", "Join the conversation: {n} comments"),
    "counter": _one("Visited {n} times, 1 visit(s) today", "{n} views", "{n} shares"),
    "photo credit": _one("Photo: {name} / Getty Images", "(Photo by {name}/AFP via Getty Images)"),
    "originally published": _one(
        "This article was originally published by {outlet}.",
        "Originally published on {outlet}. Republished with permission.",
    ),
}
TEST_KINDS: dict[str, Junk] = {
    "audio player": _one("Listen to this article · {n} min", "Audio: listen to this story"),
    "author bio": _one(
        "{name} is a senior correspondent for {outlet} covering transport and cities. "
        "She previously reported from Port Adair.",
        "{name} is a reporter at {outlet}. Follow him on X @northfieldnews.",
    ),
    "affiliate": _one(
        "This post may contain affiliate links. If you buy something through them, we may "
        "earn a commission.",
    ),
    "paywall": _one(
        "You have {n} free articles left this month. Subscribe for unlimited access.",
        "Already a subscriber? Log in",
    ),
    "app promo": _one("Get the {outlet} app for breaking news alerts on your phone."),
    "breadcrumbs": _one("Home › News › Region", "News / Local / Valemont"),
    "timestamp": _one("Updated {n} minutes ago", "Published 10:42 AM EST, Tue March 3, 2026"),
    "reading time": _one("{n} min read"),
    "prev/next": _one("Previous article: {h}", "Next story: {h}"),
    "more from": _teaser_list("More from {outlet}", numbered=False, snippets=False),
    "comment form": _one(
        "Your email address will not be published. Required fields are marked *",
    ),
    "print": _one("Print this page", "Text size: A A A"),
    "report error": _one("Spotted a mistake? Let us know.", "Report an error"),
    "donate": _one("Support independent local journalism. Donate today."),
    "gallery": _one("Image {n} of 12", "Click to expand"),
    "watch": _one("WATCH: {h} (2:14)", "Video: {h}"),
    "trending": _teaser_list("Trending now", numbered=False, snippets=False),
}


@dataclass
class Counts:
    """Line counts for precision and recall."""

    article: int = 0
    article_kept: int = 0
    junk: int = 0
    junk_removed: int = 0
    docs: int = 0
    docs_intact: int = 0
    titles_right: int = 0

    def row(self, name: str) -> str:
        """One table row: article recall/precision, junk recall/precision."""
        kept_junk = self.junk - self.junk_removed
        removed_article = self.article - self.article_kept
        art_p = self.article_kept / max(1, self.article_kept + kept_junk)
        junk_p = self.junk_removed / max(1, self.junk_removed + removed_article)
        return (
            f"| {name} | {self.docs} | {self.article_kept / max(1, self.article):.4f} "
            f"| {art_p:.4f} | {self.junk_removed / max(1, self.junk):.4f} | {junk_p:.4f} "
            f"| {self.docs_intact / max(1, self.docs):.3f} |"
        )


def _norm(line: str) -> str:
    return " ".join(line.split())


def kept_lines(lines: list[str], paragraphs: list[str]) -> list[bool]:
    """Which input lines the kept paragraphs are made of (a paragraph may join wrapped lines)."""
    norm = [_norm(line) for line in lines]
    kept = [False] * len(lines)
    position = 0
    for paragraph in paragraphs:
        for start in range(position, len(lines)):
            if not paragraph.startswith(norm[start]) or not norm[start]:
                continue
            joined, end = norm[start], start + 1
            while len(joined) < len(paragraph) and end < len(lines):
                joined = _norm(joined + " " + norm[end])
                end += 1
            if joined == paragraph:
                kept[start:end] = [True] * (end - start)
                position = end
                break
    return kept


def score(
    counts: Counts,
    cleaner: PlainTextCleaner,
    lines: list[tuple[str, bool | None]],
    separator: str = "\n\n",
) -> None:
    """Cleans the document made of ``lines`` and counts each labelled line's fate."""
    result = cleaner.clean(separator.join(line for line, _ in lines))
    paragraphs = [p for p in result.text.split("\n\n") if p]
    kept = kept_lines([line for line, _ in lines], paragraphs)
    lost = 0
    for (line, is_article), survived in zip(lines, kept, strict=True):
        if is_article is None or (result.title and _norm(line).startswith(result.title)):
            continue  # unlabelled, or taken as the title: not body text either way
        if is_article:
            counts.article += 1
            counts.article_kept += survived
            lost += not survived
        else:
            counts.junk += 1
            counts.junk_removed += not survived
    counts.docs += 1
    counts.docs_intact += lost == 0


def ecb_articles() -> list[tuple[int, str, list[str]]]:
    """(topic, title, paragraphs) of ECB+ documents with at least three clean paragraphs."""
    out = []
    for raw in ECB.read_text(encoding="utf-8").splitlines():
        doc = json.loads(raw)
        paras = [
            p.strip()
            for p in doc["text"].split("\n")
            if len(p.split()) >= 6
            and sum(w.islower() for w in p.split()) >= 3
            and p[-1:] in ".?!\"”'"
        ]
        if len(paras) >= 3:
            out.append((doc["topic"], doc["title"].strip(), paras))
    return out


def section_heading(rng: random.Random, paragraph: str) -> str:
    """A heading drawn from the next paragraph's own words, or a stock question."""
    if rng.random() < 0.4:
        return rng.choice(["What happens next?", "Why it matters", "Reaction", "Background"])
    words = [w.strip(".,\"'“”") for w in paragraph.split() if len(w) > 3][:6]
    pick = words[rng.randint(0, max(0, len(words) - 3)) :][:3]
    return " ".join(pick).capitalize() if pick else "Background"


def synthetic(rng: random.Random, kinds: dict[str, Junk], n_docs: int) -> Iterable[list]:
    """Junk-injected documents as (line, is_article) lists; None marks the title line."""
    articles = ecb_articles()
    names = sorted(kinds)
    for _ in range(n_docs):
        topic, title, paras = rng.choice(articles)
        pool = [(t, p[0]) for top, t, p in articles if top != topic]
        body: list[tuple[str, bool | None]] = [(p, True) for p in paras]
        for _ in range(rng.randint(0, 2)):  # section headings are article lines
            at = rng.randint(1, len(body) - 1)
            body.insert(at, (section_heading(rng, body[at][0]), True))
        for _ in range(rng.randint(0, 3)):  # junk in the middle
            at = rng.randint(1, len(body) - 1)
            body[at:at] = [(j, False) for j in kinds[rng.choice(names)](rng, pool)]
        head = [
            (j, False)
            for _ in range(rng.randint(0, 2))
            for j in kinds[rng.choice(names)](rng, pool)
        ]
        tail = [
            (j, False)
            for _ in range(rng.randint(1, 3))
            for j in kinds[rng.choice(names)](rng, pool)
        ]
        top: list[tuple[str, bool | None]] = [(title, None)] if rng.random() < 0.6 else []
        yield top + head + body + tail


def real_pages() -> Iterable[tuple[str, list[tuple[str, bool | None]]]]:
    """trafilatura recall-mode text of each extraction page, lines labelled by ground truth."""
    import trafilatura

    words = re.compile(r"\w+")
    for name, field in (("aeb", "articleBody"), ("wcxb-dev", "main_content")):
        truth = json.loads((EXTRACTION / name / "ground-truth.json").read_text(encoding="utf-8"))
        for page, record in truth.items():
            path = EXTRACTION / name / "html" / f"{page}.html.gz"
            if not path.exists():
                continue
            html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
            text = trafilatura.extract(
                html,
                favor_recall=True,
                include_comments=True,
                include_tables=False,
                deduplicate=False,
            )
            gold = " ".join(words.findall((record.get(field) or "").lower()))
            gold_words = gold.split()
            grams = {tuple(gold_words[i : i + 3]) for i in range(len(gold_words) - 2)}
            lines: list[tuple[str, bool | None]] = []
            for line in (text or "").splitlines():
                toks = words.findall(line.lower())
                if not line.strip():
                    continue
                if len(toks) < 4:
                    label: bool | None = bool(toks) and f" {' '.join(toks)} " in f" {gold} "
                else:
                    mine = {tuple(toks[i : i + 3]) for i in range(len(toks) - 2)}
                    share = len(mine & grams) / len(mine)
                    label = True if share >= 0.8 else False if share <= 0.2 else None
                lines.append((line, label))
            yield name, lines


def speed(cleaner: PlainTextCleaner, rng: random.Random) -> tuple[float, float, float]:
    """Median CPU and wall milliseconds to clean a 15 KB junk-laden document, and p95 CPU."""
    docs = []
    for lines in synthetic(rng, TRAIN_KINDS | TEST_KINDS, 40):
        text = "\n\n".join(line for line, _ in lines)
        while len(text) < 15_000:
            text += "\n\n" + text
        docs.append(text[:15_000])
    cpu, wall = [], []
    for _ in range(5):
        for doc in docs:
            start, start_cpu = time.perf_counter(), time.process_time()
            cleaner.clean(doc)
            cpu.append((time.process_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
    cpu.sort()
    return statistics.median(cpu), statistics.median(wall), cpu[int(len(cpu) * 0.95)]


def main() -> int:
    """Prints the synthetic and real tables and the speed line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=400, help="synthetic documents per split")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-real", action="store_true", help="skip the trafilatura pages")
    args = parser.parse_args()
    if not ECB.exists():
        print(f"missing {ECB}: the benchmark needs ../shared/data", file=sys.stderr)
        return 1
    cleaner = PlainTextCleaner()
    header = (
        "| set | docs | article recall | article precision | junk recall | junk precision "
        "| docs with no article line lost |\n|---|---|---|---|---|---|---|"
    )
    print(header)
    for split, kinds in (
        ("synthetic, train junk kinds", TRAIN_KINDS),
        ("synthetic, held-out junk kinds", TEST_KINDS),
    ):
        counts = Counts()
        for lines in synthetic(random.Random(args.seed), kinds, args.docs):
            score(counts, cleaner, lines)
        print(counts.row(split))
    if not args.no_real and EXTRACTION.exists():
        per_set: dict[str, Counts] = {}
        for name, lines in real_pages():
            # Pages keep trafilatura's layout: one line per block, no blank lines.
            score(per_set.setdefault(name, Counts()), cleaner, lines, separator="\n")
        for name, counts in per_set.items():
            print(counts.row(f"real: trafilatura recall text, {name}"))
            keep_all = counts.article / max(1, counts.article + counts.junk)
            print(
                f"| real, {name}: keep everything (baseline) | {counts.docs} | 1.0000 "
                f"| {keep_all:.4f} | 0.0000 | - | 1.000 |"
            )
    cpu, wall, p95 = speed(cleaner, random.Random(args.seed))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nmachine: {os.cpu_count()} CPUs, load average {load} while timing")
    print(
        f"clean time per 15 KB document: median {cpu:.2f} ms CPU ({wall:.2f} ms wall), "
        f"p95 {p95:.2f} ms CPU"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
