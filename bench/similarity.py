"""Similarity and rewrite detection quality.

    .venv/bin/python bench/similarity.py [--skip-msrp]

- MSRP: accuracy of ``similarity`` at 0.5 on held-out folds of the training
  pairs (10-fold cross-validation; the model is refitted on nine folds each
  time), and the best single threshold on those held-out scores.
- SemEval-2022 task 8 (English): held-out Pearson of the document model with
  ``-Overall``.
- ECB+ (same-event pairs): how often two different articles on one event are
  judged a rewrite, split by whether they share text (5-word-shingle
  containment >= 0.1: wire-based reuse, where "derived" is often right) or not.
- Seeds: ``relate`` for every pair.

Reads ../shared/data and ../shared/seeds; parts whose data is absent are skipped.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np

import parallax.dedup.train as fit
from parallax.dedup import compare_texts, detect_rewrite
from parallax.dedup.similarity import DOCUMENT_FEATURES, FEATURES, document_features, pair_features
from parallax.embed import default_embedder
from parallax.models import Article

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DATA = SHARED / "data"


def msrp_rows() -> list[tuple[str, str]]:
    """Held-out accuracy of the sentence model on MSRP training pairs."""
    pairs, y = fit.load_msrp(DATA / "similarity" / "msrp-train.jsonl")
    x = fit.feature_matrix(pairs, pair_features, default_embedder())
    scores = fit.held_out_predictions(x, y, FEATURES, seed=0)
    at_half = float(((scores >= 0.5) == y).mean())
    grid = np.arange(0.2, 0.81, 0.01)
    accuracy = [float(((scores >= t) == y).mean()) for t in grid]
    best = int(np.argmax(accuracy))
    cosine = x[:, 0]
    cos_best = max(float(((cosine >= t) == y).mean()) for t in np.arange(0.3, 1.0, 0.005))
    return [
        ("MSRP train pairs", f"{len(y)} (majority {max(y.mean(), 1 - y.mean()):.3f})"),
        ("MSRP held-out accuracy at 0.5", f"{at_half:.4f}"),
        ("MSRP held-out best threshold", f"{accuracy[best]:.4f} at {grid[best]:.2f}"),
        ("MSRP plain MiniLM cosine, best threshold (fitted)", f"{cos_best:.4f}"),
    ]


def semeval_rows() -> list[tuple[str, str]]:
    """Held-out Pearson of the document model on SemEval-2022 task 8 English pairs."""
    pairs, y = fit.load_semeval(DATA / "similarity" / "semeval8-train.jsonl")
    x = fit.feature_matrix(pairs, document_features, default_embedder())
    scores = fit.held_out_predictions(x, y, DOCUMENT_FEATURES, seed=0)
    return [
        ("SemEval-2022 t8 English pairs", str(len(y))),
        ("document similarity, held-out Pearson", f"{np.corrcoef(scores, y)[0, 1]:.4f}"),
        ("MiniLM cosine alone, Pearson", f"{np.corrcoef(x[:, 0], y)[0, 1]:.4f}"),
    ]


def ecb_rows() -> list[tuple[str, str]]:
    """Rewrite verdicts on pairs of different articles about one ECB+ event."""
    docs = [json.loads(line) for line in (DATA / "clustering" / "ecbplus-dev.jsonl").open()]
    by_event: dict[str, list[dict]] = {}
    for d in docs:
        if d["text"].strip():
            by_event.setdefault(d["event"], []).append(d)
    counts = {"independent": [0, 0], "shared text": [0, 0]}
    for group in by_event.values():
        for x, y in itertools.combinations(group, 2):
            a = Article(key=x["id"], id=x["id"], title=x["title"], text=x["text"], outlet="a")
            b = Article(key=y["id"], id=y["id"], title=y["title"], text=y["text"], outlet="b")
            evidence = compare_texts(a.text, b.text)
            if evidence.kind is not None:
                continue  # copies are judged as copies, never as rewrites
            part = "shared text" if evidence.containment >= 0.1 else "independent"
            counts[part][0] += 1
            counts[part][1] += detect_rewrite(a, b) is not None
    return [
        (f"ECB+ same-event pairs judged derived ({part})", f"{n_derived / n:.4f} of {n}")
        for part, (n, n_derived) in counts.items()
        if n
    ]


def seed_rows() -> list[tuple[str, str]]:
    """``relate`` on every pair of seeds, cleaned by the plain-text extractor as the CLI does."""
    from parallax.extract.text import PlainTextExtractor
    from parallax.models import MediaType, RawDocument
    from parallax.relate import relate

    extractor = PlainTextExtractor()
    seeds = [
        extractor.extract(RawDocument(id=p.stem, body=p.read_bytes(), media_type=MediaType.TEXT))
        for p in sorted((SHARED / "seeds").glob("*.txt"))
    ]
    rows = []
    for a, b in itertools.combinations(seeds, 2):
        r = relate(a, b)
        rows.append(
            (
                f"seeds {a.id[:3]}-{b.id[:3]}",
                f"same_story {r.same_story:.2f}  similarity {r.similarity:.2f}  "
                f"near_duplicate {r.near_duplicate}  derived {r.derived}",
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-msrp", action="store_true", help="skip the slow MSRP part")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str]] = []
    if (SHARED / "seeds").exists():
        rows.extend(seed_rows())
    if (DATA / "clustering" / "ecbplus-dev.jsonl").exists():
        rows.extend(ecb_rows())
    if (DATA / "similarity" / "semeval8-train.jsonl").exists():
        rows.extend(semeval_rows())
    if not args.skip_msrp and (DATA / "similarity" / "msrp-train.jsonl").exists():
        rows.extend(msrp_rows())
    width = max((len(name) for name, _ in rows), default=10)
    print(f"{'measure':<{width}}  result")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
