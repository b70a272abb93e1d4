"""Copy detection: quality on edited ECB+ copies, speed on synthetic corpora.

    .venv/bin/python bench/dedup.py [--sizes 10000 100000] [--skip-quality]

Quality (needs ../shared/data/clustering/ecbplus-dev.jsonl): each article
with at least 40 words gets an edited copy (a few words changed, page junk
around it, last paragraph dropped, new headline, and each edit alone); recall
is the share of copies the deduplicator links to their original. The false
rate is the share of pairs of *different* articles on the same ECB+ event
judged near-duplicates.

Rewrites (needs ../shared/seeds, ECB+ dev and MSRP train): ``detect_rewrite``
with its opening screen against the full alignment of every pair, on every
seed pair (only 000-001 is a rewrite), on ECB+ same-event pairs that are not
copies (every "derived" verdict there is false or wire reuse), and on rewrites
built from MSRP paraphrase pairs (an "original" of 12 MSRP first sentences,
its "rewrite" the paraphrases in order: whole, with a new 3-sentence opening,
without the original's first 3, or every other one with unrelated sentences
between), which gives recall. Seconds are wall time, each part on a fresh
embedding cache.

Speed: synthetic articles (Zipf-distributed words, 8-16 paragraphs, one in ten
an edited copy of an earlier one); docs/s for signature building (ours and
datasketch's), for LSH indexing and querying, and the wall time of a full
``MinHashDeduplicator`` pass (features + link, rewrites off) over 10k articles.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

from parallax.corpus import MemoryCorpus
from parallax.dedup import MinHashDeduplicator, compare_texts
from parallax.dedup.copies import body_shingles
from parallax.dedup.minhash import BandIndex, MinHasher
from parallax.models import Article, Link, LinkKind

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ECB = SHARED / "data" / "clustering" / "ecbplus-dev.jsonl"
MSRP = SHARED / "data" / "similarity" / "msrp-train.jsonl"
SEEDS = SHARED / "seeds"
REWRITE_KINDS = ("whole", "new opening", "dropped opening", "every other")
JUNK_LINES = [
    "Advertisement",
    "Share this article",
    "Sign up for our daily newsletter for the latest updates",
    "Visited 214 times, 3 visit(s) today",
    "© 2024 Example Media Group. All rights reserved.",
    "Follow us on Facebook and Twitter",
    "Home | World | Business | Sport | Culture",
    "Read more:",
    "12 Comments",
    "We use cookies to improve your experience. By continuing you accept our policy.",
]
COPY_KINDS = ("words", "junk", "last paragraph", "headline", "all")
T = TypeVar("T")


def edited_copy(doc: dict, other: dict, rng: random.Random, kind: str) -> tuple[str, str]:
    """(title, text) of an edited copy of ``doc``; ``other`` lends junk and words."""
    title, paragraphs = doc["title"], [p for p in doc["text"].split("\n") if p.strip()]
    if kind in ("words", "all"):
        donor = [w for w in other["text"].split() if len(w) > 3] or ["however"]
        for _ in range(rng.randint(3, 5)):
            p = rng.randrange(len(paragraphs))
            words = paragraphs[p].split()
            if words:
                words[rng.randrange(len(words))] = rng.choice(donor)
                paragraphs[p] = " ".join(words)
    if kind in ("last paragraph", "all") and len(paragraphs) > 1:
        paragraphs = paragraphs[:-1]
    if kind in ("headline", "all"):
        title = f"{other['title'][:60]} - update"
        paragraphs = [title, *paragraphs]
    if kind in ("junk", "all"):
        teaser = " ".join(other["text"].split()[:40])
        head = rng.sample(JUNK_LINES, 3)
        tail = [*rng.sample(JUNK_LINES, 3), "Related Article", other["title"], teaser]
        paragraphs = head + paragraphs + tail
    return title, "\n".join(paragraphs)


def article(key: str, title: str, text: str, outlet: str = "bench") -> Article:
    """A bench article."""
    return Article(key=key, id=key, title=title, text=text, outlet=outlet)


def quality() -> list[tuple[str, str]]:
    """Recall on edited copies and the false near-duplicate rate on same-event pairs."""
    docs = [json.loads(line) for line in ECB.open(encoding="utf-8")]
    usable = [d for d in docs if len(d["text"].split()) >= 40]
    rng = random.Random(4)
    rows = []
    for kind in COPY_KINDS:
        dedup, corpus = MinHashDeduplicator(rewrites=False), MemoryCorpus()
        for d in usable:
            a = article(d["id"], d["title"], d["text"])
            features = dedup.features(a)
            dedup.link(a, features, corpus)
            corpus.add(a, features)
        found = 0
        for d in usable:
            title, text = edited_copy(d, rng.choice(usable), rng, kind)
            copy = article(f"copy-{d['id']}", title, text)
            links = dedup.link(copy, dedup.features(copy), corpus)
            found += any({ln.source, ln.target} == {d["id"], copy.key} for ln in links)
        rows.append(
            (f"edited copies recall ({kind})", f"{found / len(usable):.3f} of {len(usable)}")
        )
    by_event: dict[str, list[dict]] = {}
    for d in docs:
        by_event.setdefault(d["event"], []).append(d)
    pairs = [p for group in by_event.values() for p in itertools.combinations(group, 2)]
    pairs = [(x, y) for x, y in pairs if x["text"].strip() and y["text"].strip()]
    kinds = [compare_texts(x["text"], y["text"]).kind for x, y in pairs]
    near = sum(k is not None for k in kinds)
    dup = sum(k is LinkKind.DUPLICATE for k in kinds)
    rows.append(
        (
            "same-event different articles judged copies",
            f"{near / len(pairs):.4f} of {len(pairs)} ({dup} duplicate)",
        )
    )
    return rows


def msrp_rewrites(count: int, seed: int = 5) -> list[tuple[str, Article, Article]]:
    """(kind, original, rewrite) built from MSRP paraphrase pairs, ``count`` of each kind."""
    rows = [json.loads(line) for line in MSRP.open(encoding="utf-8")]
    pairs = [(r["s1"], r["s2"]) for r in rows if r["label"] == 1]
    filler = [r["s2"] for r in rows if r["label"] == 0]
    rng = random.Random(seed)
    out = []
    for kind in REWRITE_KINDS:
        for i in range(count):
            chosen = rng.sample(pairs, 12)
            source, para = [s1 for s1, _ in chosen], [s2 for _, s2 in chosen]
            if kind == "new opening":
                para = rng.sample(filler, 3) + para
            elif kind == "dropped opening":
                para = para[3:]
            elif kind == "every other":
                para = [s for p in para[::2] for s in (p, rng.choice(filler))]
            text_a = "\n".join(" ".join(source[k : k + 3]) for k in range(0, len(source), 3))
            text_b = "\n".join(" ".join(para[k : k + 3]) for k in range(0, len(para), 3))
            key = f"{kind}-{i}"
            out.append((kind, article(f"o-{key}", "", text_a), article(f"r-{key}", "", text_b)))
    return out


def rewrite_verdicts(
    pairs: list[tuple[Article, Article]], screen: bool
) -> tuple[list[bool], float, int]:
    """Each pair judged a rewrite or not, the CPU seconds, and the sentences embedded.

    Each call starts from an empty embedding cache, so the count is every
    distinct text the model had to read.
    """
    from parallax.dedup.rewrite import detect_rewrite
    from parallax.embed import MemoryCache, MiniLMEmbedder

    class CountingCache(MemoryCache):
        embedded = 0

        def put_many(self, vectors: dict[str, np.ndarray]) -> None:
            self.embedded += len(vectors)
            super().put_many(vectors)

    cache = CountingCache()
    embedder = MiniLMEmbedder(cache)
    embedder.embed(["warm the model up"])
    seconds, verdicts = timed(
        lambda: [detect_rewrite(a, b, embedder, screen=screen) is not None for a, b in pairs]
    )
    return verdicts, seconds, cache.embedded - 1


def rewrite_quality() -> list[tuple[str, str]]:
    """Rewrite verdicts with the opening screen and without: seeds, ECB+, MSRP rewrites."""
    parts: list[tuple[str, list[tuple[Article, Article]], list[str]]] = []
    if SEEDS.exists():
        from parallax.extract.text import PlainTextExtractor
        from parallax.models import MediaType, RawDocument

        extractor = PlainTextExtractor()
        seeds = [
            extractor.extract(RawDocument(id=p.stem[:3], body=p.read_bytes(),
                                          media_type=MediaType.TEXT))
            for p in sorted(SEEDS.glob("*.txt"))
        ]  # fmt: skip
        pairs = list(itertools.combinations(seeds, 2))
        parts.append(("seed pairs", pairs, [f"{a.id}-{b.id}" for a, b in pairs]))
    if ECB.exists():
        docs = [json.loads(line) for line in ECB.open(encoding="utf-8")]
        by_event: dict[str, list[Article]] = {}
        for d in docs:
            if d["text"].strip():
                by_event.setdefault(d["event"], []).append(article(d["id"], d["title"], d["text"]))
        pairs = [
            (a, b)
            for group in by_event.values()
            for a, b in itertools.combinations(group, 2)
            if compare_texts(a.text, b.text).kind is None  # copies are never judged rewrites
        ]
        parts.append(("ECB+ same-event pairs (not copies)", pairs, ["derived"] * len(pairs)))
    if MSRP.exists():
        built = msrp_rewrites(40)
        parts.append(
            ("MSRP-built rewrites", [(a, b) for _, a, b in built], [k for k, _, _ in built])
        )
    rows = []
    for name, pairs, labels in parts:
        screened, t_screen, n_screen = rewrite_verdicts(pairs, screen=True)
        full, t_full, n_full = rewrite_verdicts(pairs, screen=False)
        rows.append(
            (
                f"rewrites: {name}, CPU s and sentences embedded (screen / full)",
                f"{t_screen:.1f} / {t_full:.1f} s, {n_screen:,} / {n_full:,} sentences for "
                f"{len(pairs)} pairs; verdicts differ on "
                f"{sum(x != y for x, y in zip(screened, full, strict=True))}",
            )
        )
        for label in dict.fromkeys(labels):
            chosen = [i for i, x in enumerate(labels) if x == label]
            if name == "seed pairs":
                value = f"{screened[chosen[0]]} / {full[chosen[0]]}"
            else:
                value = (
                    f"{sum(screened[i] for i in chosen) / len(chosen):.3f} / "
                    f"{sum(full[i] for i in chosen) / len(chosen):.3f} of {len(chosen)}"
                )
            rows.append((f"rewrites: {name}: {label} judged derived (screen / full)", value))
    return rows


def synthetic_corpus(n: int, seed: int = 0) -> tuple[list[Article], dict[str, int]]:
    """``n`` synthetic articles (one in ten an edited copy of an earlier one), and their families.

    Articles of one family are an original and its copies (and copies of copies).
    """
    rng = np.random.default_rng(seed)
    vocabulary = np.array([f"w{i}" for i in range(30_000)], dtype=object)
    # Zipf-like word frequencies, sampled by inverting the cumulative distribution.
    cdf = np.cumsum(1.0 / np.arange(1, len(vocabulary) + 1) ** 1.05)
    cdf /= cdf[-1]
    out: list[Article] = []
    family: dict[str, int] = {}
    for i in range(n):
        family[f"a{i}"] = i
        if i >= 10 and i % 10 == 0:
            source = out[int(rng.integers(0, i))]
            family[f"a{i}"] = family[source.key]
            paragraphs = source.text.split("\n")[:-1]
            paragraphs.insert(0, "Share this article")
            out.append(article(f"a{i}", source.title, "\n".join(paragraphs)))
            continue
        lengths = rng.integers(18, 34, size=int(rng.integers(8, 17)))
        words = vocabulary[np.searchsorted(cdf, rng.random(int(lengths.sum())))]
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        paragraphs = [" ".join(words[s:e].tolist()) + "." for s, e in itertools.pairwise(bounds)]
        out.append(article(f"a{i}", f"title {i}", "\n".join(paragraphs)))
    return out, family


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """(CPU seconds of this process, result) of one call.

    CPU time, not wall time: the bench machine is shared, and CPU seconds are
    what the work costs on a core of its own. Wall time is printed alongside
    for the full pass.
    """
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


def speed(n: int) -> list[tuple[str, str]]:
    """Signature, LSH and full-pass speed on ``n`` synthetic articles."""
    corpus, family = synthetic_corpus(n)
    hasher = MinHasher()
    t_shingle = t_sig = 0.0
    sigs = np.zeros((n, hasher.params.num_perm), dtype=np.uint32)
    sample: list[np.ndarray] = []
    for i, a in enumerate(corpus):
        start = time.process_time()
        shingles = body_shingles(a.text)
        middle = time.process_time()
        sigs[i] = hasher.signature(shingles)
        t_shingle += middle - start
        t_sig += time.process_time() - middle
        if i < 2000:
            sample.append(shingles)
    rows = [
        (f"{n}: normalise + shingle", f"{n / t_shingle:,.0f} docs/s"),
        (
            f"{n}: MinHash signatures (numpy, {hasher.params.num_perm} perm)",
            f"{n / t_sig:,.0f} docs/s",
        ),
    ]
    try:
        from datasketch import MinHash

        encoded = [[str(int(h)).encode() for h in s] for s in sample]

        def datasketch_sigs() -> None:
            for s in encoded:
                MinHash(num_perm=hasher.params.num_perm).update_batch(s)

        t_ds, _ = timed(datasketch_sigs)
        rows.append(
            (
                f"{n}: MinHash signatures (datasketch, 2k sample)",
                f"{len(encoded) / t_ds:,.0f} docs/s",
            )
        )
    except ImportError:
        pass
    index = BandIndex(hasher.params)

    def insert_all() -> None:
        for i, s in enumerate(sigs):
            index.add(i, s)

    t_add, _ = timed(insert_all)
    t_q, hits = timed(lambda: [index.query(s)[0] for s in sigs])
    mean_hits = float(np.mean([len(h) for h in hits]))
    rows.append((f"{n}: LSH insert", f"{n / t_add:,.0f} docs/s"))
    rows.append((f"{n}: LSH query", f"{n / t_q:,.0f} docs/s ({mean_hits:.2f} candidates/query)"))
    if n <= 20_000:
        dedup, store = MinHashDeduplicator(rewrites=False), MemoryCorpus()

        def full_pass() -> list[Link]:
            found = []
            for a in corpus:
                features = dedup.features(a)
                links = dedup.link(a, features, store)
                store.add(a, features, links=links)
                found.extend(links)
            return found

        wall = time.perf_counter()
        t_full, found = timed(full_pass)
        wall = time.perf_counter() - wall
        copies = sum(1 for i in range(10, n, 10))
        false = sum(family[ln.source] != family[ln.target] for ln in found)
        linked = {ln.target for ln in found} | {ln.source for ln in found}
        missed = sum(f"a{i}" not in linked for i in range(10, n, 10))
        rows.append(
            (
                f"{n}: full dedup pass (features + link)",
                f"{t_full:.1f} CPU s ({wall:.1f} s wall); {len(found)} links for {copies} "
                f"planted copies: {missed} copies unlinked, {false} links across families",
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the quality and speed table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-rewrites", action="store_true")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str]] = []
    if not args.skip_quality:
        if ECB.exists():
            rows.extend(quality())
        else:
            print(f"{ECB} absent: quality rows skipped", file=sys.stderr)
    if not args.skip_rewrites:
        rows.extend(rewrite_quality())
    for n in args.sizes:
        rows.extend(speed(n))
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  result")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
