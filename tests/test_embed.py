"""The embedder: precision choice, batching, and agreement between precisions."""

from __future__ import annotations

import numpy as np
import pytest

from parallax.embed import PRECISIONS, MemoryCache, MiniLMEmbedder, default_precision

TEXTS = [
    "The council approved the new budget on Tuesday after a long debate.",
    "After lengthy debate, the council passed the new budget on Tuesday.",
    "Apple growers expect a poor harvest after the April frost.",
    "Firefighters evacuated the warehouse as smoke rose over the river district, and "
    "investigators said the alarm had been raised shortly after midnight.",
]


def test_precision_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARALLAX_EMBED_PRECISION", "float32")
    assert default_precision() == "float32"
    assert MiniLMEmbedder().precision == "float32"
    monkeypatch.setenv("PARALLAX_EMBED_PRECISION", "half")
    with pytest.raises(ValueError, match="choose one of bfloat16, float32"):
        default_precision()
    monkeypatch.delenv("PARALLAX_EMBED_PRECISION")
    assert default_precision() in PRECISIONS


def test_bad_arguments_say_what_to_pass() -> None:
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        MiniLMEmbedder(batch_size=0)
    with pytest.raises(ValueError, match="choose one of"):
        MiniLMEmbedder(precision="int8")


def test_precisions_and_batch_sizes_agree() -> None:
    full = MiniLMEmbedder(MemoryCache(), batch_size=64, precision="float32").embed(TEXTS)
    for precision in PRECISIONS:
        for batch_size in (1, 3):
            vectors = MiniLMEmbedder(MemoryCache(), batch_size, precision).embed(TEXTS)
            assert vectors.dtype == np.float32
            assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
            assert np.min((vectors * full).sum(axis=1)) > 0.999
            # What similarity a pair has is what the stages decide on.
            assert np.abs(vectors @ vectors.T - full @ full.T).max() < 0.01
