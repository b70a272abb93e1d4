"""Parallax: one news story told many ways.

The public surface is re-exported here; everything else is internal.
"""

from __future__ import annotations

from parallax.config import FetchSettings, Settings
from parallax.corpus import Corpus, MemoryCorpus
from parallax.errors import (
    BlockedAddress,
    EmptyDocument,
    FetchError,
    HTTPStatusError,
    InputError,
    NotFound,
    ParallaxError,
    ParseError,
    RobotsDisallowed,
    StoreError,
    TooLarge,
    UnsupportedInput,
)
from parallax.models import (
    AlignedPair,
    Article,
    Audit,
    Coverage,
    Fact,
    FactStatus,
    Failure,
    FramingTerm,
    Hints,
    Link,
    LinkKind,
    MediaType,
    Mention,
    NumberFact,
    QuoteFact,
    RawDocument,
    Relation,
    Sentence,
    SentenceAudit,
    Story,
    Summary,
    SummarySentence,
)
from parallax.pipeline import IngestReport, Pipeline
from parallax.store.sqlite import SQLiteStore

__version__ = "0.1.0"

__all__ = [
    "AlignedPair",
    "Article",
    "Audit",
    "BlockedAddress",
    "Corpus",
    "Coverage",
    "EmptyDocument",
    "Fact",
    "FactStatus",
    "Failure",
    "FetchError",
    "FetchSettings",
    "FramingTerm",
    "HTTPStatusError",
    "Hints",
    "IngestReport",
    "InputError",
    "Link",
    "LinkKind",
    "MediaType",
    "MemoryCorpus",
    "Mention",
    "NotFound",
    "NumberFact",
    "ParallaxError",
    "ParseError",
    "Pipeline",
    "QuoteFact",
    "RawDocument",
    "Relation",
    "RobotsDisallowed",
    "SQLiteStore",
    "Sentence",
    "SentenceAudit",
    "Settings",
    "StoreError",
    "Story",
    "Summary",
    "SummarySentence",
    "TooLarge",
    "UnsupportedInput",
]
