"""The fitted numbers: pair weights and thresholds for clustering, and the relate score.

They live in ``parallax/data/same_story.json``, written by
``python -m parallax.cluster.train`` from the shared benchmark data; this
module only reads and applies them.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from parallax.cluster.similarity import FEATURES

MODEL_FILE = "same_story.json"


@dataclass(frozen=True, slots=True)
class ClusterModel:
    """Logistic weights over ``FEATURES`` and the average-link thresholds of clustering."""

    weights: tuple[float, ...]
    bias: float
    # Mean pair probability at which an article joins a story, and two stories merge.
    join_threshold: float = 0.5
    merge_threshold: float = 0.5

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """P(same event) for a matrix of pair features, one row per pair."""
        z = np.clip(np.atleast_2d(features) @ np.asarray(self.weights) + self.bias, -50.0, 50.0)
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def probability(self, features: np.ndarray) -> float:
        """P(same event) for one pair's features."""
        z = float(np.dot(self.weights, features)) + self.bias
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@dataclass(frozen=True, slots=True)
class RelateModel:
    """``same_story``: embedding cosines of lead and body, less missing lead names, rescaled.

    The rescaling maps the raw score onto annotators' same-story degree (SemEval
    2022 task 8: 1 = same story, 0 = unrelated) by least squares, clipped to 0..1.
    """

    lead_weight: float = 0.5
    body_weight: float = 0.5
    missing_names_penalty: float = 0.15
    scale: float = 1.0
    offset: float = 0.0

    def raw(self, lead_cosine: float, body_cosine: float, missing_names: float) -> float:
        """The unscaled score."""
        return (
            self.lead_weight * lead_cosine
            + self.body_weight * body_cosine
            - self.missing_names_penalty * missing_names
        )

    def score(self, lead_cosine: float, body_cosine: float, missing_names: float) -> float:
        """Same-story degree, 0..1."""
        value = self.scale * self.raw(lead_cosine, body_cosine, missing_names) + self.offset
        return min(1.0, max(0.0, value))


@dataclass(frozen=True, slots=True)
class Models:
    """Everything ``same_story.json`` holds."""

    cluster: ClusterModel
    relate: RelateModel
    notes: dict[str, Any]

    def to_json(self) -> str:
        """The file ``load_models`` reads."""
        cluster = asdict(self.cluster)
        cluster["weights"] = [round(w, 6) for w in self.cluster.weights]
        cluster["bias"] = round(self.cluster.bias, 6)
        relate = {k: round(v, 6) for k, v in asdict(self.relate).items()}
        payload = {"features": list(FEATURES), "cluster": cluster, "relate": relate}
        return json.dumps(payload | {"notes": self.notes}, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Models:
        """Read the file; its feature list must match what this code computes."""
        raw = json.loads(text)
        if tuple(raw["features"]) != FEATURES:
            raise ValueError(
                f"{MODEL_FILE} was fitted on features {raw['features']} but this code computes "
                f"{list(FEATURES)}: refit it with `python -m parallax.cluster.train`"
            )
        cluster = dict(raw["cluster"])
        cluster["weights"] = tuple(float(w) for w in cluster["weights"])
        return cls(
            cluster=ClusterModel(**cluster),
            relate=RelateModel(**raw["relate"]),
            notes=dict(raw.get("notes", {})),
        )


@cache
def load_models() -> Models:
    """The shipped models (``parallax/data/same_story.json``)."""
    path = resources.files("parallax").joinpath("data", MODEL_FILE)
    return Models.from_json(path.read_text(encoding="utf-8"))
