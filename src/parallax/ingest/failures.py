"""Turning what went wrong with one input into the one-line ``Failure`` users see."""

from __future__ import annotations

from parallax.models import Failure


def failure(name: str, problem: BaseException | str) -> Failure:
    """A Failure for input ``name``, its reason squeezed onto one line."""
    return Failure(name, " ".join(str(problem).split()) or type(problem).__name__)
