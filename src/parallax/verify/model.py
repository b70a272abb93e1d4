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

from parallax.errors import ParallaxError
from parallax.verify.features import FEATURES

MODEL_FILE = "verify_model.json"


def bundled_model_path() -> Path:
    """Where the shipped model lives inside the package."""
    return Path(str(resources.files("parallax") / "data" / MODEL_FILE))


@dataclass(frozen=True, slots=True)
class SupportModel:
    """P(sentence supported) = sigmoid(coef . standardised features + intercept)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    # Finding features ("kind_scope") that make a sentence unsupported on their own.
    hard: tuple[str, ...] = ()

    def probability(self, values: Sequence[float]) -> float:
        """The probability that a sentence with these feature values is supported."""
        z = self.intercept
        for x, m, s, c in zip(values, self.mean, self.scale, self.coef, strict=True):
            z += c * (x - m) / s
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def support(self, values: Sequence[float]) -> float:
        """The probability rescaled so the decision threshold sits at 0.5 (in logit space)."""
        p = min(max(self.probability(values), 1e-9), 1 - 1e-9)
        t = min(max(self.threshold, 1e-9), 1 - 1e-9)
        z = math.log(p / (1 - p)) - math.log(t / (1 - t))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict[str, object]:
        """The fields written to the model file."""
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "hard": list(self.hard),
        }


def load_model(path: Path | None = None) -> SupportModel:
    """The support model at ``path`` (default: the one shipped with Parallax)."""
    path = path or bundled_model_path()
    rebuild = "rebuild it with `python -m parallax.verify.train`"
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ParallaxError(f"{path}: cannot read the verify model ({exc}); {rebuild}") from exc
    if tuple(data.get("features", ())) != FEATURES:
        raise ParallaxError(f"{path}: the verify model was trained on other features; {rebuild}")
    return SupportModel(
        features=tuple(data["features"]),
        mean=tuple(float(x) for x in data["mean"]),
        scale=tuple(float(x) or 1.0 for x in data["scale"]),
        coef=tuple(float(x) for x in data["coef"]),
        intercept=float(data["intercept"]),
        threshold=float(data["threshold"]),
        hard=tuple(str(h) for h in data.get("hard", ())),
    )
