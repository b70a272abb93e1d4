"""Fit ``parallax/data/same_story.json`` from the shared benchmark data.

    python -m parallax.cluster.train [--data ../shared/data] [--out PATH] [--folds 6]

Clustering: a logistic model over ``FEATURES`` is fitted on every pair of
ECB+ dev documents (pairs within a topic, the hard ones, weigh more); the
join and merge threshold is chosen by leave-topics-out cross-validation of
the online clusterer itself, and the held-out BCubed F1 is printed.
Relate: the weights of ``same_story`` are chosen on the English pairs of
SemEval-2022 task 8, with cross-validated Pearson printed, then rescaled
onto the annotators' scale. Deterministic: the same data gives the same file.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from parallax.cluster.model import ClusterModel, Models, RelateModel
from parallax.cluster.online import (
    PROFILE,
    VECTOR,
    ClusterSettings,
    OnlineClusterer,
    features_of,
)
from parallax.cluster.relate import relate_inputs
from parallax.cluster.similarity import evidence, pair_features
from parallax.cluster.text import Profile
from parallax.corpus import MemoryCorpus
from parallax.embed import Embedder, default_embedder
from parallax.models import Article, content_key

ECBPLUS = "clustering/ecbplus-dev.jsonl"
SEMEVAL = "similarity/semeval8-train.jsonl"
WITHIN_TOPIC_WEIGHT = 5.0
THRESHOLDS = (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65)
LEAD_WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7)
PENALTIES = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)


@dataclass(frozen=True, slots=True)
class Labelled:
    """A benchmark document as an article, with its gold event and topic."""

    article: Article
    event: str
    topic: str


def read_jsonl(path: Path) -> list[dict[str, object]]:
    """Every JSON object in a JSON Lines file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def ecbplus_documents(path: Path) -> list[Labelled]:
    """ECB+ documents in file order (id, title, text, url; labels kept aside)."""
    docs = []
    for row in read_jsonl(path):
        doc_id, text = str(row["id"]), str(row["text"])
        article = Article(
            key=content_key(doc_id, text.encode()),
            id=doc_id,
            title=str(row["title"]),
            text=text,
            outlet=doc_id,
            url=str(row["url"]) or None,
        )
        docs.append(Labelled(article, str(row["event"]), str(row["topic"])))
    return docs


def bcubed_f1(predicted: Sequence[str], gold: Sequence[str]) -> float:
    """BCubed F1 of a clustering against gold labels (same order)."""
    by_predicted: dict[str, set[int]] = defaultdict(set)
    by_gold: dict[str, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(predicted, gold, strict=True)):
        by_predicted[p].add(i)
        by_gold[g].add(i)
    precision = recall = 0.0
    for p, g in zip(predicted, gold, strict=True):
        shared = len(by_predicted[p] & by_gold[g])
        precision += shared / len(by_predicted[p])
        recall += shared / len(by_gold[g])
    n = len(gold)
    precision, recall = precision / n, recall / n
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def topic_breakdown(
    docs: Sequence[Labelled], predicted: Sequence[str]
) -> list[tuple[str, float, str]]:
    """Per topic: BCubed F1 and the predicted stories as event counts ("{5a:13,5b:5} {5b:3}").

    A story listing two events is a merge of two events of one topic (the hard
    case of ECB+); one event over several stories is a split.
    """
    by_topic: dict[str, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        by_topic[doc.topic].append(i)
    rows = []
    for topic in sorted(by_topic, key=lambda t: (len(t), t)):
        members = by_topic[topic]
        stories: dict[str, Counter[str]] = defaultdict(Counter)
        for i in members:
            stories[predicted[i]][docs[i].event] += 1
        groups = sorted(stories.values(), key=lambda c: (-sum(c.values()), sorted(c)))
        shown = " ".join(
            "{" + ",".join(f"{event}:{count}" for event, count in sorted(c.items())) + "}"
            for c in groups
        )
        f1 = bcubed_f1([predicted[i] for i in members], [docs[i].event for i in members])
        rows.append((topic, f1, shown))
    return rows


def article_features_batch(
    articles: Sequence[Article], embedder: Embedder
) -> list[dict[str, bytes]]:
    """Clusterer features for many articles, embedding their leads in one batch."""
    return features_of(articles, embedder)


def cluster_online(
    articles: Sequence[Article],
    features: Sequence[dict[str, bytes]],
    model: ClusterModel,
    settings: ClusterSettings,
    batches: int = 1,
) -> list[str]:
    """Story ids of ``articles`` clustered online in ``batches`` runs, merging after each."""
    clusterer = OnlineClusterer(model=model, settings=settings)
    corpus = MemoryCorpus()
    story_of: dict[str, str] = {}
    bounds = np.linspace(0, len(articles), batches + 1).round().astype(int)
    for start, end in itertools.pairwise(bounds):
        for article, found in zip(articles[start:end], features[start:end], strict=True):
            story = clusterer.assign(article, found, corpus)
            corpus.add(article, found, story)
            story_of[article.key] = story
        for absorbed, survivor in clusterer.merges(corpus):
            for key, story in story_of.items():
                if story == absorbed:
                    story_of[key] = survivor
                    corpus.move(key, survivor)
    return [story_of[a.key] for a in articles]


def pair_matrix(
    features: Sequence[dict[str, bytes]],
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Pair features of every pair of documents, and the pairs (i < j)."""
    found = [
        evidence(np.frombuffer(f[VECTOR], dtype=np.float32), Profile.from_bytes(f[PROFILE]))
        for f in features
    ]
    pairs = list(itertools.combinations(range(len(found)), 2))
    rows = np.array([pair_features(found[i], found[j]) for i, j in pairs])
    return rows, pairs


def fit_pairs(rows: np.ndarray, same: np.ndarray, within: np.ndarray) -> ClusterModel:
    """Logistic weights over pair features (pairs within a topic weigh more)."""
    from sklearn.linear_model import LogisticRegression

    weights = np.where(within, WITHIN_TOPIC_WEIGHT, 1.0)
    fitted = LogisticRegression(C=1.0, max_iter=5000).fit(rows, same, sample_weight=weights)
    return ClusterModel(tuple(float(w) for w in fitted.coef_[0]), float(fitted.intercept_[0]))


def _best_threshold(score: Callable[[float], float]) -> tuple[float, float]:
    """The threshold of ``THRESHOLDS`` best on average with its neighbours (ties to 0.5).

    Smoothing over neighbours prefers a plateau to a spike, which carries over
    better to topics not seen.
    """
    scores = [score(t) for t in THRESHOLDS]
    padded = [scores[0], *scores, scores[-1]]
    smooth = [sum(padded[i : i + 3]) / 3 for i in range(len(scores))]
    best = max(range(len(scores)), key=lambda i: (smooth[i], -abs(THRESHOLDS[i] - 0.5)))
    return THRESHOLDS[best], scores[best]


def tune_clusterer(
    docs: Sequence[Labelled],
    features: Sequence[dict[str, bytes]],
    folds: int,
    log: Callable[[str], None],
    settings: ClusterSettings | None = None,
) -> tuple[ClusterModel, dict[str, float]]:
    """Fit the pair model and its threshold; report held-out-topic BCubed F1."""
    articles = [d.article for d in docs]
    settings = settings or ClusterSettings()
    rows, pairs = pair_matrix(features)
    same = np.array([docs[i].event == docs[j].event for i, j in pairs])
    within = np.array([docs[i].topic == docs[j].topic for i, j in pairs])
    topics = sorted({d.topic for d in docs}, key=lambda t: (len(t), t))
    fold_of = {t: i % folds for i, t in enumerate(topics)}
    held_predicted: list[str] = []
    held_gold: list[str] = []
    for fold in range(folds):
        train = [i for i, d in enumerate(docs) if fold_of[d.topic] != fold]
        test = [i for i, d in enumerate(docs) if fold_of[d.topic] == fold]
        keep = np.array(
            [fold_of[docs[i].topic] != fold and fold_of[docs[j].topic] != fold for i, j in pairs]
        )
        model = fit_pairs(rows[keep], same[keep], within[keep])

        def score(t: float, idx: list[int] = train, m: ClusterModel = model) -> float:
            tuned = replace(m, join_threshold=t, merge_threshold=t)
            predicted = cluster_online(
                [articles[i] for i in idx], [features[i] for i in idx], tuned, settings
            )
            return bcubed_f1(predicted, [docs[i].event for i in idx])

        threshold, train_f1 = _best_threshold(score)
        tuned = replace(model, join_threshold=threshold, merge_threshold=threshold)
        predicted = cluster_online(
            [articles[i] for i in test], [features[i] for i in test], tuned, settings
        )
        fold_f1 = bcubed_f1(predicted, [docs[i].event for i in test])
        log(f"fold {fold}: threshold {threshold:.2f}, train {train_f1:.3f}, held-out {fold_f1:.3f}")
        held_predicted += [f"{fold}:{p}" for p in predicted]
        held_gold += [docs[i].event for i in test]
    held_out = bcubed_f1(held_predicted, held_gold)
    model = fit_pairs(rows, same, within)

    def score_all(t: float) -> float:
        tuned = replace(model, join_threshold=t, merge_threshold=t)
        return bcubed_f1(
            cluster_online(articles, features, tuned, settings), [d.event for d in docs]
        )

    threshold, dev_f1 = _best_threshold(score_all)
    log(f"all dev: threshold {threshold:.2f}, BCubed F1 {dev_f1:.3f}; held-out {held_out:.3f}")
    model = replace(model, join_threshold=threshold, merge_threshold=threshold)
    return model, {
        "ecbplus_dev_bcubed": round(dev_f1, 4),
        "ecbplus_heldout_bcubed": round(held_out, 4),
    }


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(x, y)[0, 1])


def english_pairs(rows: Sequence[dict[str, object]]) -> list[dict[str, object]]:
    """The SemEval-2022 task 8 pairs with both articles in English."""
    return [r for r in rows if r["lang1"] == "en" and r["lang2"] == "en"]


def semeval_inputs(pairs: Sequence[dict[str, object]], embedder: Embedder) -> np.ndarray:
    """``same_story``'s inputs for each SemEval pair (its two texts as bare articles)."""
    return np.array(
        [
            relate_inputs(
                Article(key=f"a{i}", id=f"a{i}", title="", text=str(r["text1"]), outlet="a"),
                Article(key=f"b{i}", id=f"b{i}", title="", text=str(r["text2"]), outlet="b"),
                embedder,
            )
            for i, r in enumerate(pairs)
        ]
    )


def tune_relate(
    rows: Sequence[dict[str, object]], log: Callable[[str], None]
) -> tuple[RelateModel, dict[str, float]]:
    """Choose ``same_story``'s weights on SemEval English pairs; report CV Pearson."""
    pairs = english_pairs(rows)
    inputs = semeval_inputs(pairs, default_embedder())
    target = np.array([-float(str(r["Overall"])) for r in pairs])
    grid = [RelateModel(w, 1.0 - w, p) for w in LEAD_WEIGHTS for p in PENALTIES]

    def raw(model: RelateModel, idx: np.ndarray) -> np.ndarray:
        return np.array([model.raw(*inputs[i]) for i in idx])

    def best(idx: np.ndarray) -> RelateModel:
        return max(
            grid, key=lambda m: (_pearson(raw(m, idx), target[idx]), -m.missing_names_penalty)
        )

    # Held-out Pearson: choose on four fifths, score the fifth; five shuffles.
    held = []
    rng = np.random.default_rng(0)
    for _ in range(5):
        order = rng.permutation(len(pairs))
        predicted = np.zeros(len(pairs))
        for part in np.array_split(order, 5):
            train = np.setdiff1d(order, part)
            predicted[part] = raw(best(train), part)
        held.append(_pearson(predicted, target))
    everything = np.arange(len(pairs))
    chosen = best(everything)
    values = raw(chosen, everything)
    degree = (4.0 + target) / 3.0  # Overall 1 -> 1.0 (same story), 4 -> 0.0 (unrelated)
    scale, offset = np.polyfit(values, degree, 1)
    model = replace(chosen, scale=float(scale), offset=float(offset))
    scores = np.array([model.score(*inputs[i]) for i in everything])
    lead_only = _pearson(inputs[:, 0], target)
    log(
        f"same_story on {len(pairs)} SemEval en-en pairs: Pearson {_pearson(scores, target):.3f} "
        f"(cross-validated {np.mean(held):.3f}); MiniLM lead cosine alone {lead_only:.3f}"
    )
    return model, {
        "semeval_en_pearson": round(_pearson(scores, target), 4),
        "semeval_en_pearson_cv": round(float(np.mean(held)), 4),
        "semeval_en_minilm_lead_cosine": round(lead_only, 4),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Fit both models and write the JSON file."""
    parser = argparse.ArgumentParser(prog="python -m parallax.cluster.train", description=__doc__)
    parser.add_argument("--data", type=Path, default=Path.cwd().parent / "shared" / "data")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "same_story.json"
    )
    parser.add_argument("--folds", type=int, default=6)
    args = parser.parse_args(argv)
    for name in (ECBPLUS, SEMEVAL):
        if not (args.data / name).exists():
            print(
                f"{args.data / name} is missing: pass --data pointing at shared/data",
                file=sys.stderr,
            )
            return 2

    def log(line: str) -> None:
        print(line, file=sys.stderr)

    docs = ecbplus_documents(args.data / ECBPLUS)
    features = article_features_batch([d.article for d in docs], default_embedder())
    cluster, cluster_notes = tune_clusterer(docs, features, args.folds, log)
    relate, relate_notes = tune_relate(read_jsonl(args.data / SEMEVAL), log)
    notes = {"fitted_by": "python -m parallax.cluster.train", **cluster_notes, **relate_notes}
    args.out.write_text(Models(cluster, relate, notes).to_json(), encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
