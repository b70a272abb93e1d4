"""Records a batch passes between its driver, its workers and its global stage."""

from __future__ import annotations

from dataclasses import dataclass

from parallax.config import Settings
from parallax.models import Article
from parallax.outlets import Outlet

# Loose pages (HTML, text) read together by one task; WARC and JSONL files are a shard each.
DEFAULT_PAGES_PER_SHARD = 200


@dataclass(frozen=True, slots=True)
class Shard:
    """A unit of work: inputs read together, in order, by one worker.

    ``id`` is a hash of the inputs, their sizes and modification times, and
    the job's configuration, so a changed input or setting makes a new shard.
    """

    id: str
    index: int
    inputs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ShardJob:
    """What every worker needs to process any shard (sent once per task, small)."""

    out_dir: str
    settings: Settings
    outlets: tuple[Outlet, ...] = ()
    deduplicator: str = "default"
    clusterer: str = "default"


@dataclass(frozen=True, slots=True)
class ShardDone:
    """A shard written to Parquet: where, and how many articles and failures it holds."""

    id: str
    file: str
    articles: int
    failures: int
    seconds: float


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """An article with its dedup and cluster features, computed and ready to link and assign."""

    article: Article
    features: dict[str, bytes]
