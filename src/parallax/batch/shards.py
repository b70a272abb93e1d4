"""Cutting inputs into shards, in the order ``ingest`` would read them, and the manifest.

A WARC file, a JSONL file, a feed, an OPML list or a sitemap is a shard of its
own; loose pages (HTML, text) are grouped, so many small files make few tasks.
The manifest in the output folder lists the shards already written, so a rerun
after a failure redoes only the missing ones.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from parallax.batch.records import DEFAULT_PAGES_PER_SHARD, Shard, ShardDone, ShardJob
from parallax.errors import InputError, UnsupportedInput
from parallax.ingest import is_url
from parallax.ingest.files import peek, walk
from parallax.ingest.sniff import Kind, sniff

MANIFEST = "manifest.jsonl"
SHARDS_DIR = "shards"
FORMAT = 1
# Kinds read one document per file; everything else holds many and is a shard alone.
_PAGE_KINDS = frozenset({Kind.HTML, Kind.TEXT, Kind.EMPTY, Kind.BINARY, Kind.JSON, Kind.XML})


def _is_page(path: str) -> bool:
    try:
        return sniff(peek(path), path) in _PAGE_KINDS
    except (OSError, InputError):
        return True  # unreadable: the worker reports it like ingest would


def _expand(source: str) -> list[str]:
    if source == "-" or is_url(source):
        raise UnsupportedInput(
            f"{source}: batch reads local files and folders (WARC, JSONL, HTML, text); "
            "use `parallax ingest` or `parallax watch` for URLs and standard input"
        )
    if os.path.isdir(source):
        # An empty folder stays one input, so its worker reports it as ingest would.
        return walk(source) or [source]
    return [source]


def _stamp(path: str) -> tuple[int, int]:
    try:
        info = os.stat(path)
    except OSError:
        return (-1, -1)
    return (info.st_size, info.st_mtime_ns)


def _shard_id(inputs: Sequence[str], job: ShardJob) -> str:
    config = (job.settings, job.outlets, job.deduplicator, job.clusterer)
    material = json.dumps([[(p, *_stamp(p)) for p in inputs], repr(config)])
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def plan_shards(
    sources: Sequence[str], job: ShardJob, pages_per_shard: int = DEFAULT_PAGES_PER_SHARD
) -> list[Shard]:
    """The shards of ``sources``, in ingest's reading order; raises for URLs and stdin."""
    if pages_per_shard < 1:
        raise ValueError(f"pages_per_shard must be at least 1, not {pages_per_shard}")
    groups: list[list[str]] = []
    pages: list[str] = []
    for source in sources:
        for path in _expand(source):
            if _is_page(path):
                pages.append(path)
                if len(pages) >= pages_per_shard:
                    groups.append(pages)
                    pages = []
                continue
            if pages:
                groups.append(pages)
                pages = []
            groups.append([path])
    if pages:
        groups.append(pages)
    return [Shard(_shard_id(g, job), i, tuple(g)) for i, g in enumerate(groups)]


def shard_file(out_dir: str | Path, shard_id: str) -> Path:
    """Where a shard's Parquet file goes."""
    return Path(out_dir) / SHARDS_DIR / f"{shard_id}.parquet"


class Manifest:
    """The shards already written to an output folder: ``manifest.jsonl``, one line per shard.

    Lines are only ever appended (one short write each, flushed to disk), so a
    run that dies leaves every finished shard recorded; a torn last line is
    ignored and its shard redone.
    """

    def __init__(self, out_dir: str | Path) -> None:
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / MANIFEST
        self.done: dict[str, ShardDone] = {}
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        for line in lines:
            try:
                entry = json.loads(line)
                if entry.pop("format", None) == FORMAT:
                    done = ShardDone(**entry)
                    self.done[done.id] = done
            except (ValueError, TypeError, AttributeError):
                continue  # a torn or foreign line: that shard is simply redone

    def is_done(self, shard: Shard) -> bool:
        """Whether ``shard`` was written and its file is still there."""
        entry = self.done.get(shard.id)
        return entry is not None and (self.out_dir / entry.file).is_file()

    def add(self, done: ShardDone) -> None:
        """Record a written shard at once: one line appended and flushed to disk."""
        self.done[done.id] = done
        self.out_dir.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"format": FORMAT, **asdict(done)}) + "\n"
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write(line)
            stream.flush()
            os.fsync(stream.fileno())
