"""What a verifier reports about one summary sentence, and what it looks up in the sources.

A finding is one detail of a summary sentence the sources do not back. Its
scope says how badly: SOURCES when no source says it at all (a hard finding:
the sentence is unsupported whatever the model says), EVIDENCE when the
sources say it, but not in the sentences that match this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from parallax.analyse.dates import EventMention, find_events
from parallax.analyse.entities import DEMONYMS, find_entities
from parallax.analyse.framing import find_framing
from parallax.analyse.numbers import Quantity, find_quantities
from parallax.verify.align import SourceIndex

SOURCES, EVIDENCE = "sources", "evidence"
KINDS = (
    "number",
    "entity",
    "date",
    "negation",
    "antonym",
    "substitution",
    "misplaced",
    "modality",
    "tense",
    "opinion",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One detail of a summary sentence the sources do not back, and how badly."""

    kind: str
    message: str
    scope: str  # SOURCES: in no source; EVIDENCE: not in the aligned sentences


class SourceFacts:
    """What the checks look up in a set of sources, extracted once per set."""

    def __init__(self, index: SourceIndex) -> None:
        self.index = index

    @cached_property
    def quantities(self) -> list[list[Quantity]]:
        """Quantities of each source sentence."""
        return [find_quantities(s) for s in self.index.sentences]

    @cached_property
    def entity_keys(self) -> frozenset[str]:
        """Canonical names (lower case) of the sources, demonyms mapped to their countries."""
        keys: set[str] = set()
        for text in self.index.sources:
            for e in find_entities(text):
                keys.add(e.canonical.lower())
                country = DEMONYMS.get(e.text.lower())
                if country:
                    keys.add(country.lower())
        return frozenset(keys)

    @cached_property
    def text(self) -> str:
        """All sources as one text."""
        return "\n".join(self.index.sources)

    @cached_property
    def lower(self) -> frozenset[str]:
        """Lower-case tokens of the sources, also without dots ("uk") and split at hyphens."""
        lower = self.index.all_words.lower
        undotted = {w.replace(".", "") for w in lower if "." in w}
        parts = {p for w in lower if "-" in w for p in w.split("-") if p}  # "ai-powered"
        return lower | undotted | parts

    @cached_property
    def tokenised(self) -> list[list[str]]:
        """The word tokens of each source sentence."""
        return [list(w.tokens) for w in self.index.words]

    @cached_property
    def events(self) -> list[EventMention]:
        """Event mentions with a tense in the sources."""
        return [e for text in self.index.sources for e in find_events(text)]

    @cached_property
    def framing(self) -> frozenset[str]:
        """Evaluative terms the sources themselves use (lower case)."""
        return frozenset(
            m.entry.lower() for text in self.index.sources for m in find_framing(text, None, True)
        )
