"""Summary audit quality and speed on SummEdits.

Prints balanced accuracy (summary consistent or not) of the shipped model on
the SummEdits news dev set (never trained on), leave-one-domain-out balanced
accuracy on the other domains (each domain scored by a model trained, with the
same selection procedure, on the other six only), and throughput: summary
sentences audited per second and source sentences per second, embeddings
included (a cold embedding cache).

Run: .venv/bin/python bench/verify.py [--skip-domains]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from parallax.analyse.sentences import sentence_texts
from parallax.embed import MiniLMEmbedder
from parallax.verify import AlignmentVerifier, train
from parallax.verify.verifier import source_sentences

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "faithfulness"
DEV_FILE = "summedits-news-dev.jsonl"


def balanced(labels: np.ndarray, verdicts: np.ndarray) -> tuple[float, float, float]:
    """(balanced accuracy, recall on consistent, recall on inconsistent)."""
    tpr = float(verdicts[labels == 1].mean())
    tnr = float((~verdicts[labels == 0]).mean())
    return (tpr + tnr) / 2, tpr, tnr


def dev_quality(records: list[dict]) -> None:
    """The shipped model on the news dev set."""
    verifier = AlignmentVerifier()
    audits = list(verifier.verify_many((r["summary"], [r["doc"]]) for r in records))
    labels = np.array([r["label"] for r in records])
    verdicts = np.array([a.consistent for a in audits])
    ba, tpr, tnr = balanced(labels, verdicts)
    name = "SummEdits news dev (shipped model)"
    print(f"{name:44} {len(records):>6} {ba:>8.3f} {tpr:>6.3f} {tnr:>6.3f}")


def domain_quality(records: list[dict]) -> None:
    """Leave one domain out: select and fit on six domains, score the seventh."""
    cache = train.NpzCache(train.CACHE)
    verifier = AlignmentVerifier(embedder=MiniLMEmbedder(cache=cache), model=None)
    items = train.examples(records, verifier)
    cache.save()
    scores = []
    for domain in sorted({e.domain for e in items}):
        fit_on = [e for e in items if e.domain != domain]
        held = [e for e in items if e.domain == domain]
        hard = train.choose_hard(fit_on)
        c, threshold, _ = train.select(fit_on, hard)
        model = replace(train.fit(fit_on, c), threshold=threshold, hard=hard)
        probabilities = [train.sentence_probabilities(model, e) for e in held]
        verdicts = train.decisions(probabilities, held, threshold, hard)
        ba, tpr, tnr = balanced(np.array([e.label for e in held]), verdicts)
        scores.append(ba)
        name = f"SummEdits {domain.removeprefix('summedits_')} (held-out domain)"
        print(f"{name:44} {len(held):>6} {ba:>8.3f} {tpr:>6.3f} {tnr:>6.3f}")
    print(f"{'mean over held-out domains':44} {'':>6} {float(np.mean(scores)):>8.3f}")


def speed(records: list[dict]) -> None:
    """Sentences per second with a cold embedding cache (the model already loaded)."""
    verifier = AlignmentVerifier(embedder=MiniLMEmbedder())
    verifier.embedder.embed(["warm-up"])
    items = [(r["summary"], [r["doc"]]) for r in records]
    summary_sentences = sum(len([t for t in sentence_texts(s) if t.strip()]) for s, _ in items)
    source_count = len({s for _, d in items for _, s in source_sentences(d)})
    start, cpu = time.perf_counter(), time.process_time()
    for _ in verifier.verify_many(items):
        pass
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"\n{len(items)} summaries, {summary_sentences} summary sentences, {source_count} "
        f"distinct source sentences in {elapsed:.1f} s wall ({cpu:.1f} s CPU, all threads): "
        f"{summary_sentences / elapsed:.1f} summary sentences/s, "
        f"{source_count / elapsed:.1f} source sentences/s"
    )


def main() -> int:
    """Print the quality table and the throughput line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-domains", action="store_true", help="skip leave-one-domain-out")
    args = parser.parse_args()
    if not (DATA / DEV_FILE).exists():
        print(f"{DATA} is absent: the SummEdits files belong in ../shared/data/faithfulness/")
        return 1
    dev = train.read_jsonl(DATA / DEV_FILE)
    print(f"{'set':44} {'items':>6} {'bal.acc':>8} {'TPR':>6} {'TNR':>6}")
    dev_quality(dev)
    if not args.skip_domains:
        print("(leave-one-domain-out training; progress on stderr)", file=sys.stderr)
        domain_quality(train.read_jsonl(DATA / train.TRAIN_FILE))
    speed(dev)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
