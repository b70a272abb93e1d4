"""Fit the similarity models: ``python -m parallax.dedup.train``.

- Sentence model: MSRP training pairs (``../shared/data/similarity/msrp-train.jsonl``).
  Reports accuracy at threshold 0.5 on held-out folds (stratified 10-fold
  cross-validation, three shuffles).
- Document model: the English pairs of SemEval-2022 task 8
  (``../shared/data/similarity/semeval8-train.jsonl``), target the graded
  ``Overall`` score mapped to 0..1 (1 = same story ... 4 = unrelated). Reports
  the Pearson correlation with ``-Overall`` on held-out folds.

Then fits both on every pair and writes ``src/parallax/data/similarity.json``.
The only randomness is the fold shuffles, so the shipped weights are reproducible.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from parallax.dedup.similarity import (
    DOCUMENT_FEATURES,
    FEATURES,
    MODEL_FILE,
    LogisticModel,
    SimilarityModel,
    body_text,
    document_features,
    pair_features,
    text_vectors,
)
from parallax.embed import Embedder, default_embedder

REPO = Path(__file__).resolve().parents[3]
DATA = REPO.parent / "shared" / "data" / "similarity"
DEFAULT_OUT = REPO / "src" / "parallax" / "data" / MODEL_FILE
Featurise = Callable[[str, str, float], list[float]]


def load_msrp(path: Path) -> tuple[list[tuple[str, str]], np.ndarray]:
    """(sentence pairs, 0/1 labels) from a JSONL file of ``{label, s1, s2}``."""
    pairs, labels = [], []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                pairs.append((row["s1"], row["s2"]))
                labels.append(float(row["label"]))
    return pairs, np.array(labels)


def load_semeval(path: Path) -> tuple[list[tuple[str, str]], np.ndarray]:
    """(English article pairs, similarity 0..1 from ``Overall``) from SemEval-2022 task 8."""
    pairs, targets = [], []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("lang1") == row.get("lang2") == "en":
                pairs.append((body_text(row["text1"]), body_text(row["text2"])))
                targets.append((4.0 - float(row["Overall"])) / 3.0)
    return pairs, np.array(targets)


def feature_matrix(
    pairs: Sequence[tuple[str, str]], featurise: Featurise, embedder: Embedder
) -> np.ndarray:
    """Features of every pair (each text embedded once)."""
    vectors = text_vectors([t for pair in pairs for t in pair], embedder)
    cosines = np.clip((vectors[0::2] * vectors[1::2]).sum(axis=1), -1.0, 1.0)
    return np.array([featurise(a, b, float(c)) for (a, b), c in zip(pairs, cosines, strict=True)])


def fit(x: np.ndarray, y: np.ndarray, features: tuple[str, ...]) -> LogisticModel:
    """A standardised logistic regression; ``y`` may be soft targets in 0..1."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    # Soft targets: each pair counts as a positive with weight y and a negative with 1 - y.
    xs = np.vstack([z, z])
    ys = np.concatenate([np.ones(len(y)), np.zeros(len(y))])
    weights = np.concatenate([y, 1.0 - y])
    keep = weights > 0
    clf = LogisticRegression(C=1.0, max_iter=5000)
    clf.fit(xs[keep], ys[keep], sample_weight=weights[keep])
    return LogisticModel(
        features=features,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in clf.coef_[0]),
        intercept=float(clf.intercept_[0]),
    )


def held_out_predictions(
    x: np.ndarray, y: np.ndarray, features: tuple[str, ...], seed: int
) -> np.ndarray:
    """Each pair's prediction by a model fitted on the other nine folds."""
    from sklearn.model_selection import KFold, StratifiedKFold

    out = np.zeros(len(y))
    binary = set(np.unique(y)) <= {0.0, 1.0}
    folds = StratifiedKFold(10, shuffle=True, random_state=seed) if binary else None
    splits = folds.split(x, y) if folds else KFold(10, shuffle=True, random_state=seed).split(x)
    for train, test in splits:
        out[test] = fit(x[train], y[train], features).probability(x[test])
    return out


def main(argv: list[str] | None = None) -> int:
    """Cross-validate, fit and write both models; 2 when the data is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--msrp", type=Path, default=DATA / "msrp-train.jsonl")
    parser.add_argument("--semeval", type=Path, default=DATA / "semeval8-train.jsonl")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the model")
    args = parser.parse_args(argv)
    for path in (args.msrp, args.semeval):
        if not path.exists():
            print(f"{path} not found: pass --msrp/--semeval with the data's path", file=sys.stderr)
            return 2
    embedder = default_embedder()

    pairs, y = load_msrp(args.msrp)
    x = feature_matrix(pairs, pair_features, embedder)
    accuracy = [
        float(((held_out_predictions(x, y, FEATURES, seed) >= 0.5) == y).mean())
        for seed in range(3)
    ]
    print(f"MSRP train pairs: {len(y)}  majority: {max(y.mean(), 1 - y.mean()):.4f}")
    print(
        f"sentence model, 10-fold held-out accuracy at 0.5: {np.mean(accuracy):.4f} "
        f"({', '.join(f'{a:.4f}' for a in accuracy)})"
    )
    sentence = fit(x, y, FEATURES)

    doc_pairs, doc_y = load_semeval(args.semeval)
    doc_x = feature_matrix(doc_pairs, document_features, embedder)
    pearson = [
        float(np.corrcoef(held_out_predictions(doc_x, doc_y, DOCUMENT_FEATURES, s), doc_y)[0, 1])
        for s in range(3)
    ]
    cosine_only = float(np.corrcoef(doc_x[:, 0], doc_y)[0, 1])
    print(f"SemEval-2022 task 8 English pairs: {len(doc_y)}")
    print(
        f"document model, 10-fold held-out Pearson with -Overall: {np.mean(pearson):.4f} "
        f"(cosine alone {cosine_only:.4f})"
    )
    document = fit(doc_x, doc_y, DOCUMENT_FEATURES)

    model = SimilarityModel(sentence=sentence, document=document)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
