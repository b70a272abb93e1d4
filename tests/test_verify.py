"""The summary audit: problems named on fictional examples, batching, the seed acceptance."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from parallax.models import Audit
from parallax.verify import AlignmentVerifier, verify_batch
from parallax.verify.model import bundled_model_path, load_model
from parallax.verify.text import stem

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# A fictional story, written for these tests.
SOURCE = (
    "The Valemont city council approved 9 new bus routes on Tuesday, the Harbour Ledger "
    "reported. Mayor Elena Varga said the routes would open in March. The council did not "
    "approve the proposed tram extension. Ridership rose 12% last year, the transport office "
    "said. In the wake of the mayoral election, Varga promised cheaper fares. Critics said "
    "the fares may rise next year."
)


class BagOfWordsEmbedder:
    """Hashed bag-of-stems vectors: fast, deterministic stand-ins for sentence embeddings."""

    dimensions = 384

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.blake2b(stem(word).encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "big") % self.dimensions] += 1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out


@pytest.fixture(scope="module")
def verifier() -> AlignmentVerifier:
    return AlignmentVerifier(embedder=BagOfWordsEmbedder())


def audit_one(verifier: AlignmentVerifier, summary: str) -> Audit:
    return verifier.verify(summary, [SOURCE])


def test_faithful_sentence_is_supported_with_its_evidence(verifier: AlignmentVerifier) -> None:
    audit = audit_one(verifier, "The Valemont city council approved 9 new bus routes on Tuesday.")
    assert audit.consistent
    (sentence,) = audit.sentences
    assert sentence.supported and sentence.problems == ()
    assert any("9 new bus routes" in e for e in sentence.evidence)


def test_changed_number_is_named_with_the_sources_number(verifier: AlignmentVerifier) -> None:
    audit = audit_one(verifier, "The Valemont city council approved 12 new bus routes on Tuesday.")
    (sentence,) = audit.sentences
    assert not sentence.supported and not audit.consistent
    assert "number 12 not in sources (sources say 9)" in sentence.problems


def test_invented_entity_is_named(verifier: AlignmentVerifier) -> None:
    audit = audit_one(
        verifier, "Mayor Elena Varga and Governor Tomas Kell said the routes would open in March."
    )
    (sentence,) = audit.sentences
    assert not sentence.supported
    assert "entity 'Tomas Kell' not in sources" in sentence.problems
    assert not any("Elena Varga" in p for p in sentence.problems)


def test_added_negation_is_named(verifier: AlignmentVerifier) -> None:
    audit = audit_one(verifier, "Mayor Elena Varga said the routes would not open in March.")
    (sentence,) = audit.sentences
    assert not sentence.supported
    assert "negation 'not' not in sources" in sentence.problems


def test_dropped_negation_is_named(verifier: AlignmentVerifier) -> None:
    audit = audit_one(verifier, "The council did approve the proposed tram extension.")
    (sentence,) = audit.sentences
    assert not sentence.supported
    assert "sources negate this ('not')" in sentence.problems


def test_future_for_past_event_is_named(verifier: AlignmentVerifier) -> None:
    audit = audit_one(
        verifier, "Ahead of the upcoming mayoral election, Varga promised cheaper fares."
    )
    (sentence,) = audit.sentences
    assert not sentence.supported
    assert any(p.startswith("sources say the election has happened") for p in sentence.problems)


def test_opinion_is_named(verifier: AlignmentVerifier) -> None:
    audit = audit_one(verifier, "This bold plan is a remarkable triumph for the city.")
    (sentence,) = audit.sentences
    assert not sentence.supported
    assert any(p.startswith("opinion not in sources") for p in sentence.problems)


def test_opposite_word_is_named(verifier: AlignmentVerifier) -> None:
    audit = audit_one(verifier, "Ridership fell 12% last year, the transport office said.")
    (sentence,) = audit.sentences
    assert not sentence.supported
    assert "sources say 'rose', not 'fell'" in sentence.problems


def test_firmer_modal_than_the_sources_is_found(verifier: AlignmentVerifier) -> None:
    # A soft finding: a model feature, and a problem shown when the sentence fails.
    ((check,),) = verifier.analyse([("Critics said the fares will rise next year.", [SOURCE])])
    assert [(f.kind, f.message) for f in check.findings] == [
        ("modality", "sources say 'may', not 'will'")
    ]


def test_one_bad_sentence_makes_the_summary_inconsistent(verifier: AlignmentVerifier) -> None:
    summary = (
        "The Valemont city council approved 9 new bus routes on Tuesday. "
        "The council approved 40 tram stops."
    )
    audit = audit_one(verifier, summary)
    assert [s.supported for s in audit.sentences] == [True, False]
    assert not audit.consistent
    # Scores put the decision at 0.5; the summary scores as its weakest sentence.
    assert all(s.supported == (s.score >= 0.5) for s in audit.sentences)
    assert audit.score == min(s.score for s in audit.sentences) < 0.5


def test_batch_equals_single(verifier: AlignmentVerifier) -> None:
    items = [
        ("The Valemont city council approved 9 new bus routes on Tuesday.", [SOURCE]),
        ("The council approved 12 new bus routes. This bold plan is a triumph.", [SOURCE]),
        ("Mayor Elena Varga said the routes would open in March.", [SOURCE, "Another text."]),
    ]
    batched = list(verify_batch(items, verifier))
    single = [verifier.verify(summary, sources) for summary, sources in items]
    assert batched == single
    assert len(batched) == 3


def test_empty_summary_and_missing_sources(verifier: AlignmentVerifier) -> None:
    empty = verifier.verify("", [SOURCE])
    assert empty.consistent and empty.sentences == ()
    alone = verifier.verify("The council approved 9 new bus routes.", [])
    assert not alone.consistent
    assert alone.sentences[0].problems == ("no source text to check against",)


def test_shipped_model_is_small_and_matches_the_features() -> None:
    path = bundled_model_path()
    assert path.stat().st_size < 2_000_000
    model = load_model()
    assert 0.0 < model.threshold < 1.0
    assert all(name.rpartition("_")[2] in ("sources", "evidence") for name in model.hard)


@pytest.mark.slow
def test_seed_rewrite_audited_against_its_source() -> None:
    seeds = SHARED / "seeds"
    source = next(iter(sorted(seeds.glob("000_*.txt"))), None) if seeds.exists() else None
    rewrite = next(iter(sorted(seeds.glob("001_*.txt"))), None) if seeds.exists() else None
    if source is None or rewrite is None:
        pytest.skip(f"{seeds} is absent: the shared seeds sit beside the repo")
    audit = next(verify_batch([(rewrite.read_text("utf-8"), [source.read_text("utf-8")])]))
    assert not audit.consistent
    upcoming = [s for s in audit.sentences if "upcoming presidential elections" in s.text]
    assert len(upcoming) == 1 and not upcoming[0].supported
    assert any("election has happened" in p for p in upcoming[0].problems)
    others = [s for s in audit.sentences if s is not upcoming[0]]
    assert sum(s.supported for s in others) >= 0.6 * len(others)
    assert not audit.sentences[-1].supported  # the closing opinion
