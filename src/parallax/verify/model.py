"""The support model: logistic regression over sentence features, shipped as JSON.

``python -m parallax.verify.train`` writes ``parallax/data/verify_model.json``
(standardisation, coefficients, intercept, decision threshold); this module
only reads it. A missing or stale file is an error that says how to rebuild it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from parallax.errors import ParallaxError
from parallax.logistic import LogisticModel
from parallax.verify.features import FEATURES

MODEL_FILE = "verify_model.json"


def bundled_model_path() -> Path:
    """Where the shipped model lives inside the package."""
    return Path(str(resources.files("parallax") / "data" / MODEL_FILE))


@dataclass(frozen=True, slots=True)
class SupportModel:
    """P(sentence supported) from a logistic model, with its decision threshold."""

    weights: LogisticModel
    threshold: float
    # Finding features ("kind_scope") that make a sentence unsupported on their own.
    hard: tuple[str, ...] = ()

    def probability(self, values: Sequence[float]) -> float:
        """The probability that a sentence with these feature values is supported."""
        return float(self.weights.probability(np.asarray(values, dtype=float))[0])

    def support(self, values: Sequence[float]) -> float:
        """The probability rescaled so the decision threshold sits at 0.5 (in logit space)."""
        p = min(max(self.probability(values), 1e-9), 1 - 1e-9)
        t = min(max(self.threshold, 1e-9), 1 - 1e-9)
        z = math.log(p / (1 - p)) - math.log(t / (1 - t))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict[str, object]:
        """The fields written to the model file."""
        return self.weights.to_json() | {"threshold": self.threshold, "hard": list(self.hard)}


def load_model(path: Path | None = None) -> SupportModel:
    """The support model at ``path`` (default: the one shipped with Parallax)."""
    path = path or bundled_model_path()
    rebuild = "rebuild it with `python -m parallax.verify.train`"
    try:
        data = json.loads(path.read_text("utf-8"))
        weights = LogisticModel.from_json(data, FEATURES)
    except (OSError, ValueError, KeyError) as exc:
        raise ParallaxError(f"{path}: cannot read the verify model ({exc}); {rebuild}") from exc
    return SupportModel(
        weights=weights,
        threshold=float(data["threshold"]),
        hard=tuple(str(h) for h in data.get("hard", ())),
    )
