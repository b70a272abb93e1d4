"""The bundled demo corpus: fictional outlets reporting fictional events, written for Parallax."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def corpus_path() -> Path:
    """The folder holding the demo corpus."""
    return Path(str(files("parallax.demo") / "corpus"))
