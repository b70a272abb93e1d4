"""Frozen records passed between pipeline stages.

Stages never hand each other loose dicts: each boundary has a record here.
``to_json`` helpers live with the CLI/API, not here, so records stay plain.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class MediaType(StrEnum):
    """What kind of body a raw document carries."""

    HTML = "html"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Hints:
    """Metadata known before extraction (from a feed entry, JSONL line or HTTP)."""

    title: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    byline: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One document as read from a source, before extraction.

    ``id`` is the article id users see: the external id when one was given,
    else the input path or URL.
    """

    id: str
    body: bytes
    media_type: MediaType
    url: str | None = None
    hints: Hints = field(default_factory=Hints)
    # Charset declared by the transport (HTTP Content-Type), if any.
    encoding: str | None = None

    @property
    def key(self) -> str:
        """Stable internal key: a hash of the id and the body, known before extraction."""
        return content_key(self.id, self.body)


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: main text and metadata. ``key`` is its raw document's key."""

    key: str
    id: str
    title: str
    text: str
    outlet: str
    url: str | None = None
    published: datetime | None = None
    byline: str | None = None
    language: str | None = None
    removed: tuple[str, ...] = ()
    provenance: str | None = None


def content_key(doc_id: str, body: bytes) -> str:
    """Content-hash key: the same document (id and bytes) always gets the same key."""
    digest = hashlib.sha256(doc_id.encode() + b"\x00" + body).hexdigest()
    return digest[:16]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article, with its position in the text."""

    article: str
    index: int
    text: str
    start: int
    end: int


class LinkKind(StrEnum):
    """How one article copies another."""

    DUPLICATE = "duplicate"
    SYNDICATED = "syndicated"
    DERIVED = "derived"


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """A rewrite's sentence and the source sentence it paraphrases."""

    source: str
    rewrite: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Link:
    """``source`` is the original, ``target`` the copy or rewrite (article keys)."""

    source: str
    target: str
    kind: LinkKind
    score: float
    aligned: tuple[AlignedPair, ...] = ()
    unsupported: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Relation:
    """How two documents relate (the ``relate`` command)."""

    same_story: float
    similarity: float
    near_duplicate: bool
    derived: str | None
    link: Link | None = None


@dataclass(frozen=True, slots=True)
class Story:
    """An event and the articles that cover it (article keys)."""

    id: str
    title: str
    articles: tuple[str, ...]
    first_seen: datetime | None = None
    last_seen: datetime | None = None


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One summary sentence and every article that reports it (article keys)."""

    text: str
    citations: tuple[str, ...]
    source: str = ""
    # (article key, that article's sentence reporting the fact), one per citation.
    evidence: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Summary:
    """A story's cited extractive summary."""

    sentences: tuple[SummarySentence, ...]


@dataclass(frozen=True, slots=True)
class Mention:
    """Where an article states something: the words as written and their sentence."""

    article: str
    outlet: str
    text: str
    sentence: str


class FactStatus(StrEnum):
    """How outlets agree on a fact."""

    CONSENSUS = "consensus"
    SINGLE = "single"
    CONFLICT = "conflict"


@dataclass(frozen=True, slots=True)
class Fact:
    """An atomic statement aligned across articles."""

    text: str
    outlets: tuple[str, ...]
    status: FactStatus
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class NumberFact:
    """One quantity about one thing, as each outlet reported it."""

    value: float
    unit: str
    about: str
    status: str
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class QuoteFact:
    """A direct quote merged across outlets."""

    speaker: str | None
    text: str
    outlets: tuple[str, ...]
    verbatim: bool
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class FramingTerm:
    """A loaded, evaluative or hedging term an outlet used, in its sentence."""

    term: str
    category: str
    sentence: str
    article: str


@dataclass(frozen=True, slots=True)
class Coverage:
    """What each outlet reported about one story."""

    facts: tuple[Fact, ...] = ()
    numbers: tuple[NumberFact, ...] = ()
    quotes: tuple[QuoteFact, ...] = ()
    framing: dict[str, tuple[FramingTerm, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SentenceAudit:
    """Whether the sources support one summary sentence, and why not."""

    text: str
    supported: bool
    score: float
    evidence: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Audit:
    """A summary checked against its sources, sentence by sentence."""

    consistent: bool
    score: float
    sentences: tuple[SentenceAudit, ...]


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be used, and why (one line a user can act on)."""

    input: str
    reason: str
