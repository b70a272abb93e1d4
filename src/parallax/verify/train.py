"""Train the support model: ``python -m parallax.verify.train``.

Reads SummEdits' non-news domains from ``../shared/data/faithfulness/`` (the
news set is never trained on), turns every summary sentence into features
with the same code the verifier runs, and fits a logistic regression. A
sentence is labelled unsupported when its summary is inconsistent and the
sentence is one the editors changed (training-time supervision only: the
original summary is never read at run time). The regularisation strength and
the decision threshold are chosen by cross-validation grouped by source
document, maximising the mean per-domain balanced accuracy of summary
decisions. Writes ``src/parallax/data/verify_model.json`` (a few kB).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from parallax.analyse.sentences import sentence_texts
from parallax.embed import MiniLMEmbedder, text_hash
from parallax.logistic import LogisticModel
from parallax.verify.features import FEATURES
from parallax.verify.findings import KINDS, SOURCES
from parallax.verify.model import MODEL_FILE, SupportModel
from parallax.verify.verifier import AlignmentVerifier

REPO = Path(__file__).resolve().parents[3]
DATA = REPO.parent / "shared" / "data" / "faithfulness"
TRAIN_FILE = "summedits-other-domains.jsonl"
OUTPUT = REPO / "src" / "parallax" / "data" / MODEL_FILE
CACHE = Path.home() / ".cache" / "parallax" / "verify-train-vectors.npz"
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0)
THRESHOLDS = tuple(round(t, 3) for t in np.arange(0.2, 0.9, 0.01))
FOLDS = 5
# An evidence-level finding decides alone when summaries showing it are this
# often inconsistent in the training data (and it shows up often enough to tell).
HARD_PRECISION = 0.8
HARD_SUPPORT = 50


class NpzCache:
    """An embedding cache kept in one .npz file, so retraining skips the model."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: dict[str, np.ndarray] = {}
        if path.exists():
            with np.load(path) as data:
                self.items = {k: data[k] for k in data.files}
        self.dirty = False

    def get_many(self, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Vectors for the hashes present."""
        return {h: self.items[h] for h in hashes if h in self.items}

    def put_many(self, vectors: dict[str, np.ndarray]) -> None:
        """Remember vectors (saved by ``save``)."""
        self.items.update(vectors)
        self.dirty = True

    def save(self) -> None:
        """Write the cache file if anything was added."""
        if self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(self.path, **self.items)  # type: ignore[arg-type]
            self.dirty = False


@dataclass(frozen=True, slots=True)
class Example:
    """One summary: its sentences' features, hard-finding flags and labels."""

    group: str
    domain: str
    label: int
    features: np.ndarray  # sentences x features
    sentence_labels: np.ndarray


def read_jsonl(path: Path) -> list[dict]:
    """The records of a JSON Lines file."""
    if not path.exists():
        sys.exit(f"{path} is absent: the SummEdits files belong in ../shared/data/faithfulness/")
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def examples(records: list[dict], verifier: AlignmentVerifier, batch: int = 64) -> list[Example]:
    """Features and labels for every record, computed by the verifier's own code."""
    out: list[Example] = []
    for start in range(0, len(records), batch):
        chunk = records[start : start + batch]
        analysed = verifier.analyse([(r["summary"], [r["doc"]]) for r in chunk])
        for record, checks in zip(chunk, analysed, strict=True):
            if not checks:
                continue
            original = set(sentence_texts(record.get("original_summary") or ""))
            labels = [
                1 if record["label"] == 1 or (original and c.text in original) else 0
                for c in checks
            ]
            if record["label"] == 0 and all(labels):
                labels = [0] * len(labels)  # edited, but not sentence by sentence
            out.append(
                Example(
                    group=text_hash(record["doc"]),
                    domain=str(record.get("domain", "news")),
                    label=int(record["label"]),
                    features=np.array([c.features for c in checks], dtype=np.float64),
                    sentence_labels=np.array(labels),
                )
            )
        print(f"  {min(start + batch, len(records))}/{len(records)} summaries", file=sys.stderr)
    return out


def fit(items: Sequence[Example], c: float) -> SupportModel:
    """A logistic regression on the sentences of ``items`` (threshold left at 0.5)."""
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate([e.features for e in items])
    y = np.concatenate([e.sentence_labels for e in items])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    model.fit((x - mean) / scale, y)
    weights = LogisticModel(
        features=FEATURES,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in model.coef_[0]),
        intercept=float(model.intercept_[0]),
    )
    return SupportModel(weights, threshold=0.5)


def sentence_probabilities(model: SupportModel, item: Example) -> np.ndarray:
    """The model's support probability for each sentence of ``item``."""
    return np.array([model.probability(row) for row in item.features])


def hard_flags(item: Example, hard: Sequence[str]) -> np.ndarray:
    """Per sentence of ``item``: does it have a finding of a hard kind?"""
    columns = [FEATURES.index(name) for name in hard]
    if not columns:
        return np.zeros(len(item.features), dtype=bool)
    return np.asarray((item.features[:, columns] > 0).any(axis=1), dtype=bool)


def decisions(
    probabilities: Sequence[np.ndarray], items: Sequence[Example], t: float, hard: Sequence[str]
) -> np.ndarray:
    """Summary verdicts at threshold ``t``: every sentence clears it and has no hard finding."""
    return np.array(
        [
            bool(((p >= t) & ~hard_flags(e, hard)).all())
            for p, e in zip(probabilities, items, strict=True)
        ]
    )


def choose_hard(items: Sequence[Example]) -> tuple[str, ...]:
    """Finding features that decide alone.

    Any detail absent from all sources does; an evidence-level finding does when
    summaries showing it are inconsistent at least ``HARD_PRECISION`` of the time
    in the training data.
    """
    chosen = []
    labels = np.array([e.label for e in items])
    for name in FEATURES:
        kind, _, scope = name.rpartition("_")
        if kind not in KINDS:
            continue
        column = FEATURES.index(name)
        flagged = np.array([bool((e.features[:, column] > 0).any()) for e in items])
        if scope == SOURCES or (
            flagged.sum() >= HARD_SUPPORT and (labels[flagged] == 0).mean() >= HARD_PRECISION
        ):
            chosen.append(name)
    return tuple(chosen)


def balanced_accuracy(labels: np.ndarray, predicted: np.ndarray) -> float:
    """Mean of the recall on consistent and on inconsistent summaries."""
    recalls = [
        float((predicted[labels == k] == bool(k)).mean()) for k in (0, 1) if (labels == k).any()
    ]
    return float(np.mean(recalls)) if recalls else float("nan")


def domain_score(
    probabilities: Sequence[np.ndarray], items: Sequence[Example], t: float, hard: Sequence[str]
) -> float:
    """Mean over domains of the balanced accuracy at threshold ``t``."""
    labels = np.array([e.label for e in items])
    verdicts = decisions(probabilities, items, t, hard)
    domains = np.array([e.domain for e in items])
    return float(np.mean([balanced_accuracy(labels[domains == d], verdicts[domains == d])
                          for d in sorted(set(domains))]))  # fmt: skip


def grouped_folds(items: Sequence[Example], folds: int) -> list[np.ndarray]:
    """Fold number of each item, whole source documents kept together."""
    groups = sorted({e.group for e in items})
    rng = np.random.default_rng(0)
    order = rng.permutation(len(groups))
    fold_of = {groups[i]: k % folds for k, i in enumerate(order)}
    assignment = np.array([fold_of[e.group] for e in items])
    return [np.flatnonzero(assignment == k) for k in range(folds)]


def out_of_fold(items: Sequence[Example], c: float, folds: int = FOLDS) -> list[np.ndarray]:
    """Each item's sentence probabilities from a model that never saw its document."""
    result: list[np.ndarray] = [np.zeros(0)] * len(items)
    for held in grouped_folds(items, folds):
        held_set = set(held.tolist())
        model = fit([e for i, e in enumerate(items) if i not in held_set], c)
        for i in held:
            result[i] = sentence_probabilities(model, items[i])
    return result


def select(items: Sequence[Example], hard: Sequence[str]) -> tuple[float, float, float]:
    """(C, threshold, cross-validated mean per-domain balanced accuracy) that score best."""
    best = (C_GRID[0], 0.5, -1.0)
    for c in C_GRID:
        oof = out_of_fold(items, c)
        for t in THRESHOLDS:
            score = domain_score(oof, items, t, hard)
            if score > best[2]:
                best = (c, t, score)
        print(f"  C={c}: best so far {best}", file=sys.stderr)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    """Build features, select by grouped cross-validation, write the model file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the SummEdits files")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="model file to write")
    parser.add_argument("--cache", type=Path, default=CACHE, help="embedding cache (.npz)")
    args = parser.parse_args(argv)
    cache = NpzCache(args.cache)
    verifier = AlignmentVerifier(embedder=MiniLMEmbedder(cache=cache), model=None)
    records = read_jsonl(args.data / TRAIN_FILE)
    print(f"features for {len(records)} summaries", file=sys.stderr)
    items = examples(records, verifier)
    cache.save()
    hard = choose_hard(items)
    c, threshold, score = select(items, hard)
    model = fit(items, c)
    final = replace(model, threshold=threshold, hard=hard)
    payload = final.to_json() | {
        "trained_on": TRAIN_FILE,
        "C": c,
        "cv_domain_balanced_accuracy": round(score, 4),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.output}: C={c} threshold={threshold} cv={score:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
