"""Rewrites ("derived"): in-order paraphrase detection, direction and evidence; similarity."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from parallax.corpus import MemoryCorpus
from parallax.dedup import MinHashDeduplicator, detect_rewrite, similarity
from parallax.dedup.rewrite import (
    OPENING_SENTENCES,
    article_sentences,
    evidence_mask,
    monotone_alignment,
    opening_aligns,
)
from parallax.dedup.similarity import FEATURES, SimilarityModel, pair_features, shipped_model
from parallax.embed import default_embedder
from parallax.models import LinkKind
from test_dedup_texts import (
    BRIDGE_ORIGINAL,
    BRIDGE_OTHER,
    BRIDGE_REWRITE,
    ORCHARD,
    REWRITE_ADDED_CLAIM,
    article,
)

# -- alignment ------------------------------------------------------------------


def test_monotone_alignment_keeps_order_and_skips_weak_pairs() -> None:
    sim = np.array(
        [
            [0.9, 0.1, 0.1, 0.1],
            [0.1, 0.1, 0.9, 0.1],
            [0.1, 0.7, 0.1, 0.1],  # crosses the stronger (1, 2), so it goes
            [0.1, 0.1, 0.1, 0.5],  # under the threshold
        ]
    )
    assert monotone_alignment(sim, 0.6) == [(0, 0), (1, 2)]
    assert monotone_alignment(np.zeros((0, 3)), 0.6) == []


def test_monotone_alignment_prefers_the_larger_total() -> None:
    sim = np.array([[0.8, 0.0, 0.0], [0.0, 0.8, 0.0], [0.99, 0.0, 0.8]])
    assert monotone_alignment(sim, 0.6) == [(0, 0), (1, 1), (2, 2)]


def test_quotation_is_not_rewrite_evidence() -> None:
    mask = evidence_mask(
        ['"We will rebuild every house on this street," the mayor said.', "It rained."]
    )
    assert mask.tolist() == [False, True]


# -- rewrites ------------------------------------------------------------------------


def test_rewrite_is_derived_from_its_original_with_evidence() -> None:
    original = article("orig", BRIDGE_ORIGINAL, outlet="Northgate Courier")
    rewrite = article("rw", BRIDGE_REWRITE, outlet="Daily Pulse")
    link = detect_rewrite(original, rewrite)
    assert link is not None
    assert (link.source, link.target, link.kind) == ("orig", "rw", LinkKind.DERIVED)
    assert len(link.aligned) >= 6
    assert any("3,000" in p.source and "3,000" in p.rewrite for p in link.aligned)
    assert any(REWRITE_ADDED_CLAIM in s for s in link.unsupported)
    assert not any("Harrowgate" in s for s in link.unsupported)


def test_the_earlier_publication_is_the_original() -> None:
    original = article("orig", BRIDGE_ORIGINAL, day=3)
    rewrite = article("rw", BRIDGE_REWRITE, day=4)
    link = detect_rewrite(rewrite, original)
    assert link is not None
    assert (link.source, link.target) == ("orig", "rw")


def test_the_article_containing_the_other_is_the_original() -> None:
    fuller = article("full", BRIDGE_ORIGINAL + BRIDGE_OTHER)
    link = detect_rewrite(article("rw", BRIDGE_REWRITE), fuller)
    assert link is not None
    assert (link.source, link.target) == ("full", "rw")


def test_independent_reports_of_one_event_are_not_rewrites() -> None:
    assert detect_rewrite(article("a", BRIDGE_ORIGINAL), article("b", BRIDGE_OTHER)) is None
    assert detect_rewrite(article("a", BRIDGE_REWRITE), article("b", BRIDGE_OTHER)) is None
    assert detect_rewrite(article("a", BRIDGE_ORIGINAL), article("b", ORCHARD)) is None


class CountingEmbedder:
    """The default embedder, remembering every text it was asked for."""

    dimensions = 384

    def __init__(self) -> None:
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return default_embedder().embed(texts)


def test_independent_reports_are_screened_out_on_their_openings() -> None:
    embedder = CountingEmbedder()
    original, other = article("a", BRIDGE_ORIGINAL), article("b", BRIDGE_OTHER)
    assert not opening_aligns(article_sentences(original), article_sentences(other), embedder)
    assert 0 < len(embedder.texts) <= 2 * OPENING_SENTENCES
    embedder.texts.clear()
    assert detect_rewrite(original, other, embedder) is None
    assert len(embedder.texts) <= 2 * OPENING_SENTENCES  # the other sentences never embedded


def test_a_rewrite_passes_the_screen_and_is_aligned_in_full() -> None:
    embedder = CountingEmbedder()
    original, rewrite = article("a", BRIDGE_ORIGINAL), article("b", BRIDGE_REWRITE)
    assert detect_rewrite(original, rewrite, embedder) is not None
    assert set(embedder.texts) >= set(article_sentences(rewrite))


def test_too_few_evidence_sentences_need_no_model() -> None:
    embedder = CountingEmbedder()
    quoted = "\n".join(
        f'"We will rebuild street number {i} this year," the mayor said.' for i in range(8)
    )
    assert detect_rewrite(article("a", BRIDGE_ORIGINAL), article("q", quoted), embedder) is None
    assert detect_rewrite(article("a", BRIDGE_ORIGINAL), article("o", ORCHARD), embedder) is None
    assert embedder.texts == []


def test_a_rewrite_with_a_new_opening_is_still_found() -> None:
    opening = "\n".join(ORCHARD.strip().split("\n")[:3])
    original = article("a", BRIDGE_ORIGINAL, day=3)
    link = detect_rewrite(original, article("b", opening + "\n" + BRIDGE_REWRITE, day=4))
    assert link is not None and link.source == "a"
    assert (
        detect_rewrite(article("a", BRIDGE_ORIGINAL), article("b", BRIDGE_OTHER), screen=False)
        is None
    )


def test_deduplicator_finds_a_rewrite_through_lead_vectors() -> None:
    dedup, corpus = MinHashDeduplicator(), MemoryCorpus()
    for art in (
        article("orig", BRIDGE_ORIGINAL, title="Harrowgate Bridge opens"),
        article("other", BRIDGE_OTHER, title="Crowds walk the new bridge"),
        article("orchard", ORCHARD, title="Frost hits apple harvest"),
    ):
        features = dedup.features(art)
        assert dedup.link(art, features, corpus) == []
        corpus.add(art, features)
    rewrite = article("rw", BRIDGE_REWRITE, title="Eldermoor's new bridge is open")
    features = dedup.features(rewrite)
    assert "lead-vec" in features
    (link,) = dedup.link(rewrite, features, corpus)
    assert (link.source, link.target, link.kind) == ("orig", "rw", LinkKind.DERIVED)


# -- similarity --------------------------------------------------------------------------


def test_similarity_orders_paraphrase_above_same_topic_above_unrelated() -> None:
    s = "The council approved the new budget on Tuesday after a long debate."
    paraphrase = "After lengthy debate, the council passed the new budget on Tuesday."
    same_topic = "The council will debate the budget again next month, a spokesman said."
    unrelated = "Apple growers expect a poor harvest after the April frost."
    scores = [similarity(s, t) for t in (paraphrase, same_topic, unrelated)]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > 0.5 > scores[2]


def test_similarity_is_symmetric_and_high_for_identical_long_texts() -> None:
    assert similarity(BRIDGE_ORIGINAL, BRIDGE_ORIGINAL) > 0.9
    assert similarity(BRIDGE_ORIGINAL, ORCHARD) < 0.1
    forward, backward = (
        similarity(BRIDGE_ORIGINAL, BRIDGE_REWRITE),
        similarity(BRIDGE_REWRITE, BRIDGE_ORIGINAL),
    )
    assert forward == pytest.approx(backward, abs=1e-6)
    assert similarity(BRIDGE_ORIGINAL, BRIDGE_OTHER) > similarity(BRIDGE_ORIGINAL, ORCHARD)


def test_pair_features_are_symmetric() -> None:
    a, b = "Sales rose 5% to $3.2 billion.", "Revenue climbed 5 percent, reaching $3.2bn, in Q3."
    assert pair_features(a, b, 0.7) == pytest.approx(pair_features(b, a, 0.7))
    assert len(pair_features(a, b, 0.7)) == len(FEATURES)


def test_shipped_model_loads_and_rejects_foreign_features() -> None:
    model = shipped_model()
    assert len(model.sentence.coef) == len(FEATURES)
    data = model.to_json()
    data["sentence"] = data["sentence"] | {"features": ["cosine"]}
    with pytest.raises(ValueError, match="retrain"):
        SimilarityModel.from_json(data)
