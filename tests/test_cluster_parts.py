"""The clusterer's parts: the vector index, the fitted model file, pair features, same_story."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from parallax.cluster import same_story
from parallax.cluster.index import VectorIndex
from parallax.cluster.model import ClusterModel, Models, RelateModel, load_models
from parallax.cluster.similarity import FEATURES, cross_features, evidence, pair_features
from parallax.cluster.text import profile
from test_cluster import DAM, RESERVOIR, STRIKE, WordHashEmbedder


def unit_rows(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((n // 10 + 1, 32))
    rows = centres[rng.integers(0, len(centres), n)] + 0.3 * rng.standard_normal((n, 32))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_exact_index_finds_the_true_neighbours_in_order() -> None:
    rows = unit_rows(300)
    index = VectorIndex(32)
    for label, row in enumerate(rows):
        index.add(label, row)
    assert not index.approximate and len(index) == 300
    hits = index.search(rows[7], 5)
    truth = np.argsort(-(rows @ rows[7]), kind="stable")[:5]
    assert [label for label, _ in hits] == list(truth)
    assert hits[0] == (7, pytest.approx(1.0, abs=1e-5))


def test_index_moves_to_hnsw_beyond_its_exact_limit_and_keeps_finding() -> None:
    rows = unit_rows(600, seed=1)
    index = VectorIndex(32, exact_limit=100)
    for label, row in enumerate(rows):
        index.add(label, row)
    assert index.approximate and len(index) == 600
    recall = []
    for q in range(0, 600, 37):
        truth = set(np.argsort(-(rows @ rows[q]))[:10])
        recall.append(len(truth & {label for label, _ in index.search(rows[q], 10)}) / 10)
    assert np.mean(recall) > 0.9
    index.remove(5)
    assert len(index) == 599 and 5 not in {label for label, _ in index.search(rows[5], 3)}


def test_exact_index_remove_and_bad_arguments() -> None:
    index = VectorIndex(4)
    index.add(1, np.array([1, 0, 0, 0]))
    index.add(2, np.array([0, 1, 0, 0]))
    index.remove(1)
    assert [label for label, _ in index.search(np.array([1, 0, 0, 0]), 5)] == [2]
    assert index.search(np.array([1, 0, 0, 0]), 0) == []
    with pytest.raises(ValueError, match="dimensions"):
        VectorIndex(0)


def test_shipped_model_file_matches_the_code() -> None:
    raw = json.loads(
        resources.files("parallax").joinpath("data", "same_story.json").read_text("utf-8")
    )
    assert raw["features"] == list(FEATURES)
    models = load_models()
    assert len(models.cluster.weights) == len(FEATURES)
    assert 0.0 < models.cluster.join_threshold < 1.0
    assert models.notes["fitted_by"] == "python -m parallax.cluster.train"


def test_model_file_with_other_features_is_refused_with_the_fix() -> None:
    text = Models(ClusterModel((1.0,) * len(FEATURES), 0.0), RelateModel(), {}).to_json()
    assert Models.from_json(text).cluster.weights == (1.0,) * len(FEATURES)
    raw = json.loads(text)
    raw["features"] = ["embedding"]
    with pytest.raises(ValueError, match=r"python -m parallax\.cluster\.train"):
        Models.from_json(json.dumps(raw))


def test_pair_features_are_symmetric_and_batched_alike() -> None:
    embedder = WordHashEmbedder()
    found = []
    for a in [*DAM[:2], RESERVOIR[0]]:
        p = profile(a.title, a.text)
        found.append(evidence(embedder.embed([p.lead])[0], p))
    ab, ba = pair_features(found[0], found[1]), pair_features(found[1], found[0])
    assert ab.shape == (len(FEATURES),)
    assert np.allclose(ab, ba)
    assert np.allclose(
        cross_features(found[:1], found[1:]), np.stack([ab, pair_features(found[0], found[2])])
    )
    model = load_models().cluster
    same, other = model.probabilities(np.stack([ab, pair_features(found[0], found[2])]))
    assert same > other


def test_same_story_ranks_the_same_event_above_the_same_kind_of_event() -> None:
    embedder = WordHashEmbedder()
    same = same_story(DAM[0], DAM[1], embedder=embedder)
    kind = same_story(DAM[0], RESERVOIR[0], embedder=embedder)
    unrelated = same_story(DAM[0], STRIKE[0], embedder=embedder)
    assert 0.0 <= unrelated <= kind < same <= 1.0
    assert same_story(DAM[0], DAM[0], embedder=embedder) == pytest.approx(1.0, abs=0.05)


def test_relate_score_is_clipped_to_unit_range() -> None:
    model = RelateModel(scale=2.0, offset=0.5)
    assert model.score(1.0, 1.0, 0.0) == 1.0
    assert model.score(-1.0, -1.0, 1.0) == 0.0


def test_bcubed_and_topic_breakdown_tell_a_merge_from_a_split() -> None:
    from parallax.cluster.train import Labelled, bcubed_f1, topic_breakdown

    docs = [
        Labelled(a, event, topic)
        for a, event, topic in zip(
            [*DAM, *RESERVOIR[:2]], ["1a"] * 4 + ["1b"] * 2, ["1"] * 6, strict=True
        )
    ]
    gold = [d.event for d in docs]
    assert bcubed_f1(gold, gold) == 1.0
    merged = ["s"] * 6
    split = ["s", "s", "t", "t", "u", "u"]
    # Merging a 4-article event with a 2-article one costs precision on all six.
    assert bcubed_f1(merged, gold) == pytest.approx(2 * (20 / 36) / (1 + 20 / 36))
    [(topic, f1, shown)] = topic_breakdown(docs, merged)
    assert (topic, shown) == ("1", "{1a:4,1b:2}") and f1 < 0.75
    [(_, f1_split, shown_split)] = topic_breakdown(docs, split)
    assert shown_split == "{1a:2} {1a:2} {1b:2}" and f1_split == bcubed_f1(split, gold)


def test_dated_index_searches_the_time_window_and_the_undated() -> None:
    from datetime import date, timedelta

    from parallax.cluster.index import DatedIndex

    rows = unit_rows(40, seed=3)
    index = DatedIndex(32, span_days=30, exact_limit=8)
    start = date(2024, 1, 1)
    # Labels 0-9 undated; 10-39 dated one every 10 days (300 days in all).
    for label, row in enumerate(rows):
        when = None if label < 10 else start + timedelta(days=10 * (label - 10))
        index.add(label, row, when)
    assert len(index) == 40
    query = start + timedelta(days=150)
    found = {label for label, _ in index.search(rows[25], 40, query)}
    dated = {label for label in found if label >= 10}
    assert set(range(10)) <= found, "undated articles are always candidates"
    window = {label for label in range(10, 40) if abs(10 * (label - 10) - 150) <= 30}
    assert window <= dated, "every article within the window is searched"
    assert all(abs(10 * (label - 10) - 150) < 90 for label in dated), "far ones are not"
    # The nearest of what is searched comes first, as in one index.
    assert index.search(rows[25], 1, query)[0][0] == 25
    assert {label for label, _ in index.search(rows[25], 40, None)} == set(range(40))
    with pytest.raises(ValueError, match="span_days"):
        DatedIndex(32, span_days=0)
