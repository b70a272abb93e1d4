"""Logistic regression over standardised, named features, as the shipped models store it.

The similarity models (``parallax.dedup``) and the summary auditor
(``parallax.verify``) are fitted with scikit-learn at training time; at run
time only these few numbers are applied, so scikit-learn stays off the path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

# Logits beyond this change no probability we use, and would overflow exp().
MAX_LOGIT = 30.0


@dataclass(frozen=True, slots=True)
class LogisticModel:
    """P = sigmoid(coef . (x - mean) / scale + intercept) over named features."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def probability(self, features: np.ndarray) -> np.ndarray:
        """The model's probability for each row of features."""
        z = (np.atleast_2d(features) - np.asarray(self.mean)) / np.asarray(self.scale)
        logits = np.clip(z @ np.asarray(self.coef) + self.intercept, -MAX_LOGIT, MAX_LOGIT)
        return np.asarray(1.0 / (1.0 + np.exp(-logits)))

    def to_json(self) -> dict[str, Any]:
        """The weights as a JSON-ready dict."""
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], features: tuple[str, ...]) -> LogisticModel:
        """Weights from ``to_json``'s form; ValueError when fitted on other ``features``."""
        if tuple(data.get("features", ())) != features:
            raise ValueError("the model was trained on other features")
        return cls(
            features=features,
            mean=tuple(float(x) for x in data["mean"]),
            scale=tuple(float(x) or 1.0 for x in data["scale"]),
            coef=tuple(float(x) for x in data["coef"]),
            intercept=float(data["intercept"]),
        )
