"""Story clustering: quality on ECB+ and speed on synthetic streams of 10k and 100k articles.

    .venv/bin/python bench/cluster.py [--sizes 10000 100000] [--skip-quality]

Quality (needs ../shared/data): BCubed F1 of the shipped model on ECB+ dev,
ingested in one batch and in four, and the held-out-topic BCubed F1 of
leave-topics-out cross-validation (the model and threshold refitted without
the held-out topics, as ``python -m parallax.cluster.train`` does).

Speed: a synthetic news stream (events of many kinds with invented names,
numbers and dates; a few to dozens of articles each) is clustered online with
a merge step every 1,000 articles. Its embeddings come from a hashed bag of
words, so the numbers measure the clusterer; MiniLM's cost per lead is
measured and printed separately. Each size runs in its own process so its
peak memory is its own. Rates are articles per second of this process's CPU
time (``time.process_time``; everything here runs on one thread), so other
work on a shared machine does not show up as the clusterer slowing down.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from parallax.cluster.online import OnlineClusterer, features_of
from parallax.cluster.train import (
    bcubed_f1,
    cluster_online,
    ecbplus_documents,
    topic_breakdown,
    tune_clusterer,
)
from parallax.models import Article, Link, content_key

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BATCH = 1000
# Stretches of the stream whose rates are printed: the exact-search start (see
# ``VectorIndex``), then the HNSW regime as the store grows.
RANGES = ((0, 2_000), (2_000, 10_000), (10_000, 25_000), (25_000, 50_000), (50_000, 100_000))
KINDS = [
    ("storm", "hit", "homes were flooded"),
    ("strike", "began at", "workers walked out"),
    ("fire", "destroyed", "firefighters fought the blaze"),
    ("election", "was held in", "voters went to the polls"),
    ("merger", "was agreed by", "shareholders approved the deal"),
    ("trial", "opened against", "prosecutors read the charges"),
    ("earthquake", "shook", "buildings collapsed"),
    ("protest", "filled", "police closed the streets"),
    ("launch", "was announced by", "engineers showed the prototype"),
    ("ruling", "went against", "the court published its decision"),
]
FILLER = (
    "Officials said more details would follow.",
    "Local reporters were at the scene.",
    "Residents described a long night.",
    "The agency will publish figures next week.",
    "Neighbouring towns offered help.",
    "Markets barely moved on the news.",
    "An inquiry is expected.",
    "Critics called for answers.",
)


class HashedBagEmbedder:
    """Unit vectors from hashed words: cheap stand-in embeddings for the speed runs."""

    dimensions = 384

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One hashed bag-of-words unit vector per text."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dimensions] += 1.0
            out[row] /= float(np.linalg.norm(out[row])) or 1.0
        return out


def invented(rng: random.Random, syllables: int = 3) -> str:
    """A made-up capitalised name."""
    parts = ["ka", "lo", "ve", "mar", "tin", "sor", "ba", "quel", "dra", "nu", "pe", "rik", "os"]
    return "".join(rng.choice(parts) for _ in range(syllables)).capitalize()


def synthetic_stream(size: int, seed: int = 7) -> tuple[list[Article], list[str]]:
    """``size`` articles about invented events, in publication order, and their event ids."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1)
    items: list[tuple[datetime, Article, str]] = []
    event = 0
    while len(items) < size:
        kind, verb, detail = rng.choice(KINDS)
        place, person, group = invented(rng), f"{invented(rng, 2)} {invented(rng)}", invented(rng)
        count = rng.randint(3, 900)
        day = start + timedelta(hours=len(items) * 0.5 + rng.random() * 12)
        for n in range(min(size - len(items), max(1, int(rng.paretovariate(1.2))))):
            when = day + timedelta(hours=rng.random() * 72)
            title = f"{kind.capitalize()} {verb} {place}: {count} affected, {person} says"
            if n % 3 == 1:
                title = f"{person} speaks after {kind} in {place}"
            text = (
                f"A {kind} {verb} {place} on {when:%A}, and {count} people were affected. "
                f"{person} of the {group} group said {detail}. " + " ".join(rng.sample(FILLER, 3))
            )
            doc_id = f"e{event}-{n}"
            items.append(
                (
                    when,
                    Article(
                        key=content_key(doc_id, text.encode()),
                        id=doc_id,
                        title=title,
                        text=text,
                        outlet=f"outlet{rng.randint(1, 40)}",
                        published=when,
                    ),
                    f"e{event}",
                )
            )
        event += 1
    items.sort(key=lambda item: item[0])
    return [a for _, a, _ in items], [e for _, _, e in items]


class DiskCorpus:
    """The part of a store the clusterer reads, in an SQLite file, so memory is the clusterer's."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path)
        self.db.executescript(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
            "CREATE TABLE features (key TEXT, kind TEXT, data BLOB, PRIMARY KEY (key, kind));"
            "CREATE TABLE stories (key TEXT PRIMARY KEY, story TEXT);"
            "CREATE INDEX stories_story ON stories (story);"
        )

    def add(self, article: Article, features: dict[str, bytes], story: str) -> None:
        """Store an article's features and story."""
        self.db.executemany(
            "INSERT INTO features VALUES (?, ?, ?)",
            [(article.key, kind, data) for kind, data in features.items()],
        )
        self.db.execute("INSERT INTO stories VALUES (?, ?)", (article.key, story))

    def merge(self, absorbed: str, survivor: str) -> None:
        """Move a story's articles to another."""
        self.db.execute("UPDATE stories SET story = ? WHERE story = ?", (survivor, absorbed))

    def features(self, kind: str) -> Iterator[tuple[str, bytes]]:
        """Every (key, data) of a kind, oldest first."""
        yield from self.db.execute(
            "SELECT key, data FROM features WHERE kind = ? ORDER BY rowid", (kind,)
        )

    def feature(self, key: str, kind: str) -> bytes | None:
        """One feature."""
        row = self.db.execute(
            "SELECT data FROM features WHERE key = ? AND kind = ?", (key, kind)
        ).fetchone()
        return row[0] if row else None

    def story_of(self, key: str) -> str | None:
        """An article's story."""
        row = self.db.execute("SELECT story FROM stories WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def story_members(self, story_id: str) -> list[str]:
        """A story's article keys."""
        rows = self.db.execute("SELECT key FROM stories WHERE story = ?", (story_id,))
        return [row[0] for row in rows]

    def article(self, key: str) -> Article | None:
        """Not kept."""
        return None

    def articles(self, keys: Sequence[str]) -> list[Article]:
        """Not kept."""
        return []

    def links(self, keys: Sequence[str]) -> list[Link]:
        """Not kept."""
        return []


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed_run(size: int) -> dict[str, Any]:
    """Cluster a synthetic stream of ``size`` articles; timings and peak memory."""
    articles, events = synthetic_stream(size)
    clusterer = OnlineClusterer(embedder=HashedBagEmbedder())
    workdir = tempfile.TemporaryDirectory()
    corpus = DiskCorpus(f"{workdir.name}/corpus.db")
    baseline_mb = peak_rss_mb()
    story: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    feature_s = assign_s = merge_s = 0.0
    window_rates: list[float] = []
    window_seconds: list[float] = []
    for start in range(0, size, BATCH):
        batch = articles[start : start + BATCH]
        t0 = time.process_time()
        features = features_of(batch, clusterer.embedder)
        t1 = time.process_time()
        for article, found in zip(batch, features, strict=True):
            story[article.key] = clusterer.assign(article, found, corpus)
            members.setdefault(story[article.key], []).append(article.key)
            corpus.add(article, found, story[article.key])
        t2 = time.process_time()
        for absorbed, survivor in clusterer.merges(corpus):
            corpus.merge(absorbed, survivor)
            for key in members.pop(absorbed):
                story[key] = survivor
                members[survivor].append(key)
        t3 = time.process_time()
        feature_s += t1 - t0
        assign_s += t2 - t1
        merge_s += t3 - t2
        window_rates.append(len(batch) / (t2 - t1 + t3 - t2))
        window_seconds.append(t3 - t1)
    peak_mb = peak_rss_mb()
    workdir.cleanup()
    gold = [events[i] for i in range(size)]
    return {
        "size": size,
        "stories": len(set(story.values())),
        "events": len(set(events)),
        "bcubed": bcubed_f1([story[a.key] for a in articles], gold),
        "features_per_s": size / feature_s,
        "cluster_per_s": size / (assign_s + merge_s),
        "merge_share": merge_s / (assign_s + merge_s),
        "first_1k_per_s": window_rates[0],
        "last_1k_per_s": window_rates[-1],
        "peak_mb": peak_mb,
        "start_mb": baseline_mb,
        # Articles per second over stretches of the stream (one 1k window is noisy).
        "ranges": {
            f"{start // 1000}k-{end // 1000}k": (end - start)
            / sum(window_seconds[start // BATCH : end // BATCH])
            for start, end in RANGES
            if end <= size
        },
    }


def minilm_leads_per_s(count: int = 256) -> float:
    """MiniLM embeddings of synthetic leads per second, in one batch (after a warm-up)."""
    from parallax.embed import default_embedder

    articles, _ = synthetic_stream(count, seed=11)
    embedder = default_embedder()
    embedder.embed(["warm up"])
    t0 = time.perf_counter()
    features_of(articles, embedder)
    return count / (time.perf_counter() - t0)


def quality() -> None:
    """ECB+ dev: shipped model in one and four batches, held-out F1, and the topics it misses."""
    path = SHARED / "data" / "clustering" / "ecbplus-dev.jsonl"
    if not path.exists():
        print(f"(skipping quality: {path} is absent)")
        return
    from parallax.cluster.model import load_models
    from parallax.cluster.online import ClusterSettings
    from parallax.embed import default_embedder

    docs = ecbplus_documents(path)
    articles = [d.article for d in docs]
    features = features_of(articles, default_embedder())
    gold = [d.event for d in docs]
    model, settings = load_models().cluster, ClusterSettings()
    predicted = cluster_online(articles, features, model, settings, batches=1)
    one = bcubed_f1(predicted, gold)
    four = bcubed_f1(cluster_online(articles, features, model, settings, batches=4), gold)
    _, notes = tune_clusterer(docs, features, folds=6, log=lambda line: None)
    rows = [
        ("ECB+ dev, shipped model, 1 batch", f"{one:.3f}"),
        ("ECB+ dev, shipped model, 4 batches", f"{four:.3f}"),
        (
            "ECB+ held-out topics (6-fold leave-topics-out)",
            f"{notes['ecbplus_heldout_bcubed']:.3f}",
        ),
    ]
    print("| ECB+ (413 docs, 36 events) | BCubed F1 |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    # Where the errors are: the topics the shipped model gets wrong, story by story.
    print("\n| topic | BCubed F1 | stories as event:count (one batch) |\n|---|---|---|")
    for topic, f1, stories in topic_breakdown(docs, predicted):
        if f1 < 1.0:
            print(f"| {topic} | {f1:.3f} | {stories} |")


def main() -> int:
    """Print the quality and speed tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(speed_run(args.one)))
        return 0
    if not args.skip_quality:
        quality()
        print()
    results = []
    for size in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(
        "| articles | stories (events) | BCubed | clustered/s | first 1k/s | last 1k/s "
        "| merge share | features/s | peak RSS MB (at start) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['size']:,} | {r['stories']:,} ({r['events']:,}) | {r['bcubed']:.3f} "
            f"| {r['cluster_per_s']:.0f} | {r['first_1k_per_s']:.0f} | {r['last_1k_per_s']:.0f} "
            f"| {r['merge_share']:.0%} | {r['features_per_s']:.0f} "
            f"| {r['peak_mb']:.0f} ({r['start_mb']:.0f}) |"
        )
    for r in results:
        rates = ", ".join(f"{span}: {rate:.0f}/s" for span, rate in r["ranges"].items())
        print(f"\n{r['size']:,} articles, clustered/s over articles {rates}", end="")
    print(f"\n\nMiniLM embedding of title+lead (batched, CPU): {minilm_leads_per_s():.0f} leads/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
