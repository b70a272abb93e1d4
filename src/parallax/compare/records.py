"""Richer forms of the coverage records: what the comparison knows beyond the shared fields.

Each extends a record of ``parallax.models`` with defaulted fields, so code
that reads the shared records keeps working and the story view can show more.
"""

from __future__ import annotations

from dataclasses import dataclass

from parallax.models import Fact, Mention


@dataclass(frozen=True, slots=True)
class AlignedFact(Fact):
    """A fact with how many independent sources report it and, for a conflict, why."""

    sources: int = 0
    reason: str = ""
    opinion: bool = False


@dataclass(frozen=True, slots=True)
class NumberMention(Mention):
    """One outlet's figure: its value in the canonical unit and its qualifier."""

    value: float = 0.0
    approx: str = "exact"


@dataclass(frozen=True, slots=True)
class QuoteMention(Mention):
    """One outlet's rendering of a quote: who it credits, and whether it matches the words."""

    speaker: str | None = None
    verbatim: bool = True
    partial: bool = False


@dataclass(frozen=True, slots=True)
class OutletProfile:
    """An outlet of the story: its articles and, only when declared, its leaning and country."""

    name: str
    articles: tuple[str, ...]
    group: int
    leaning: str | None = None
    country: str | None = None
