"""``same_story`` against human judgments: SemEval-2022 task 8, English pairs.

    .venv/bin/python bench/same_story.py

Prints the Pearson correlation with ``-Overall`` (1 = same story ... 4 =
unrelated) of the shipped ``same_story``, of its parts (MiniLM cosine of the
leads, of the openings), and the cross-validated Pearson of refitting its
three weights on four fifths of the pairs and scoring the fifth (5 shuffles),
which is what to expect on pairs it was not fitted on. Also the ECB+ dev pairs
as a check of direction: mean ``same_story`` of same-event and of
same-topic-different-event pairs.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import numpy as np

from parallax.cluster.model import load_models
from parallax.cluster.train import (
    ecbplus_documents,
    english_pairs,
    read_jsonl,
    semeval_inputs,
    tune_relate,
)
from parallax.embed import default_embedder

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation of two equal-length vectors."""
    return float(np.corrcoef(x, y)[0, 1])


def semeval() -> None:
    """The SemEval table."""
    path = DATA / "similarity" / "semeval8-train.jsonl"
    if not path.exists():
        print(f"(skipping SemEval: {path} is absent)")
        return
    rows = read_jsonl(path)
    pairs = english_pairs(rows)
    embedder = default_embedder()
    t0 = time.perf_counter()
    inputs = semeval_inputs(pairs, embedder)
    seconds = time.perf_counter() - t0
    target = np.array([-float(str(r["Overall"])) for r in pairs])
    model = load_models().relate
    shipped = np.array([model.score(*row) for row in inputs])
    _, notes = tune_relate(rows, log=lambda line: None)
    print(f"| SemEval-2022 task 8, {len(pairs)} en-en pairs | Pearson with -Overall |")
    print("|---|---|")
    print(f"| MiniLM cosine of leads (title + 2 sentences) | {pearson(inputs[:, 0], target):.3f} |")
    opening = pearson(inputs[:, 1], target)
    print(f"| MiniLM cosine of openings (first 256 word pieces) | {opening:.3f} |")
    print(f"| same_story, shipped weights | {pearson(shipped, target):.3f} |")
    print(
        f"| same_story, weights refitted per fold (5x5 CV) | {notes['semeval_en_pearson_cv']:.3f} |"
    )
    print(f"\nrelate speed: {len(pairs) / seconds:.1f} pairs/s (4 MiniLM texts per pair, CPU)")


def ecbplus_direction() -> None:
    """Mean same_story on ECB+ pairs of one topic: same event against different event."""
    path = DATA / "clustering" / "ecbplus-dev.jsonl"
    if not path.exists():
        return
    from parallax.cluster.relate import same_story

    docs = ecbplus_documents(path)
    by_topic: dict[str, list[int]] = {}
    for i, d in enumerate(docs):
        by_topic.setdefault(d.topic, []).append(i)
    same: list[float] = []
    other: list[float] = []
    for members in list(by_topic.values())[:6]:
        for i, j in itertools.combinations(members[:12], 2):
            score = same_story(docs[i].article, docs[j].article)
            (same if docs[i].event == docs[j].event else other).append(score)
    print(
        f"\nECB+ (6 topics, same topic): same event {np.mean(same):.3f}, "
        f"different event {np.mean(other):.3f} (mean same_story)"
    )


if __name__ == "__main__":
    semeval()
    ecbplus_direction()
