"""Wires the stages: sources -> documents -> articles -> links and stories -> store.

A failure on one document is recorded on that document and never stops a run.

Documents may go through in chunks (``ingest`` does; ``ingest_documents`` when
asked): the chunk is extracted first, the stages that can (``prepare``) compute
their features for the whole chunk in one batch, which embeds many texts per
model call instead of one, and then each document is linked, assigned and
stored in input order, one transaction each, exactly as one at a time.
Features never depend on the store, so the results are the same.

With chunks, when the first full chunk shows extraction costly enough and the
machine has a core to spare, extraction moves to a worker process (forked, so
it runs this pipeline's own extractors; before the first chunk's features, so
it holds no model) one chunk ahead: the next chunk is extracted while this one
is embedded, linked and stored, which keeps both of two cores busy.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Any

from parallax import stages
from parallax.config import Settings
from parallax.errors import ParallaxError
from parallax.models import Article, Failure, MediaType, RawDocument
from parallax.outlets import OutletRegistry
from parallax.store.sqlite import SQLiteStore

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
# Documents per chunk in ``ingest``: enough to fill a model batch, small enough to stream.
CHUNK_SIZE = 32
# CPU seconds per document of extraction (timed on the first full chunk) from which it
# moves to a worker: HTML pages take tens of milliseconds, plain text far less than this.
POOL_MIN_EXTRACT_S = 0.005
Extracted = dict[int, "Article | Exception | Future[Article]"]
_worker_extract: Callable[[RawDocument], Article] | None = None


@dataclass(slots=True)
class IngestReport:
    """What one ingest did: counts, and each failure with its reason."""

    ingested: int = 0
    duplicates: int = 0
    failed: int = 0
    stories: int = 0
    failures: list[Failure] = field(default_factory=list)
    touched_stories: set[str] = field(default_factory=set)

    def counts(self) -> dict[str, int]:
        """The counts the CLI prints."""
        return {
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "failed": self.failed,
            "stories": self.stories,
        }


class Pipeline:
    """Ingest and extraction with swappable stages; every stage is passed in or defaulted."""

    def __init__(
        self,
        store: SQLiteStore,
        *,
        settings: Settings | None = None,
        extractors: dict[MediaType, Any] | None = None,
        deduplicator: Any = None,
        clusterer: Any = None,
        fetcher: Any = None,
        outlets: OutletRegistry | None = None,
    ) -> None:
        self.store = store
        self.outlets = OutletRegistry(store.outlets())
        if outlets is not None:
            store.put_outlets(outlets.outlets)
            self.outlets = self.outlets.merged(outlets.outlets)
        self.settings = settings or Settings()
        self.extractors = extractors or {
            MediaType.HTML: stages.create("html_extractor"),
            MediaType.TEXT: stages.create("text_extractor"),
        }
        self.deduplicator = deduplicator or stages.create("deduplicator")
        self.clusterer = clusterer or stages.create("clusterer")
        self.fetcher = fetcher

    def extract(self, doc: RawDocument) -> Article:
        """Clean one raw document into an article, its outlet named as declared."""
        article = self.extractors[doc.media_type].extract(doc)
        declared = self.outlets.for_url(article.url) or self.outlets.by_name(article.outlet)
        if declared and declared.name != article.outlet:
            article = replace(article, outlet=declared.name)
        return article

    def read(self, sources: Sequence[str]) -> Iterable[RawDocument | Failure]:
        """Every document the sources hold, or a failure per unreadable input."""
        from parallax.ingest import read_sources

        return read_sources(sources, self.settings, self.fetcher)

    def ingest(self, sources: Sequence[str], progress: Progress | None = None) -> IngestReport:
        """Read, extract, link, cluster and store every document the sources hold."""
        return self.ingest_documents(self.read(sources), progress, chunk_size=CHUNK_SIZE)

    def ingest_documents(
        self,
        items: Iterable[RawDocument | Failure],
        progress: Progress | None = None,
        *,
        chunk_size: int = 1,
    ) -> IngestReport:
        """Ingest documents already read; failures among them are recorded and counted.

        With ``chunk_size`` 1 each item is stored (or failed) before the next is
        read, which a reader that watches what was stored relies on; larger
        chunks read ahead that far and batch the features (the same results).
        """
        report = IngestReport()
        with contextlib.ExitStack() as stack:
            pool: ProcessPoolExecutor | None = None
            timed = chunk_size < 2  # whether a full chunk was timed (never wanted for 1)
            ahead: list[tuple[list[RawDocument | Failure], Extracted]] = []
            for chunk in _chunks(items, max(chunk_size, 1)):
                if pool is None and not timed and len(chunk) == chunk_size:
                    # The first full chunk is extracted here, and says whether a worker pays.
                    started = time.process_time()
                    ahead.append((chunk, self._start_chunk(chunk, None)))
                    per_doc = (time.process_time() - started) / len(chunk)
                    timed = True
                    if per_doc >= POOL_MIN_EXTRACT_S:
                        pool = self._extraction_pool(stack)
                else:
                    ahead.append((chunk, self._start_chunk(chunk, pool)))
                if pool is None or len(ahead) > 1:  # with a pool, one chunk is extracted ahead
                    self._finish_chunk(*ahead.pop(0), report, progress)
            for chunk, extracted in ahead:
                self._finish_chunk(chunk, extracted, report, progress)
        self._settle_stories(report)
        return report

    def _extraction_pool(self, stack: contextlib.ExitStack) -> ProcessPoolExecutor | None:
        """A forked worker extracting with this pipeline's extractors, or None where the
        machine has no spare core or cannot fork."""
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        if cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return None
        context = multiprocessing.get_context("fork")
        # One worker: this process keeps the other core for the models and the store.
        pool = ProcessPoolExecutor(1, context, _start_worker, (self.extract,))
        stack.callback(pool.shutdown, wait=True, cancel_futures=True)
        return pool

    def _start_chunk(
        self, chunk: Sequence[RawDocument | Failure], pool: ProcessPoolExecutor | None
    ) -> Extracted:
        """Each new document of a chunk (not a failure, a repeat or one stored) sent to the
        pool, or without one extracted here (a single item waits for its turn)."""
        out: Extracted = {}
        if pool is None and len(chunk) < 2:
            return out
        seen: set[str] = set()
        for item in chunk:
            if isinstance(item, Failure) or item.key in seen or self.store.has(item.key):
                continue  # a duplicate: found (and not extracted) in its turn
            seen.add(item.key)
            if pool is not None:
                out[id(item)] = pool.submit(_extract_in_worker, item)
                continue
            try:
                out[id(item)] = self.extract(item)
            except Exception as exc:  # raised again in the document's turn
                out[id(item)] = exc
        return out

    def _finish_chunk(
        self,
        chunk: Sequence[RawDocument | Failure],
        extracted: Extracted,
        report: IngestReport,
        progress: Progress | None,
    ) -> None:
        """The chunk's extractions awaited, its stages prepared, then each item linked,
        assigned and stored in input order."""
        by_id = {id(item): item for item in chunk if isinstance(item, RawDocument)}
        ready = {
            key: self._result(value, by_id[key]) if isinstance(value, Future) else value
            for key, value in extracted.items()
        }
        # With a worker a chunk is sent before the one ahead of it is stored.
        self._prepare(
            [a for a in ready.values() if isinstance(a, Article) and not self.store.has(a.key)]
        )
        for item in chunk:
            if isinstance(item, Failure):
                self._fail(report, item)
            else:
                self._ingest_one(item, report, ready.get(id(item)))
            if progress:
                progress(item.input if isinstance(item, Failure) else item.id)

    def _result(self, future: Future[Article], doc: RawDocument) -> Article | Exception:
        """A worker's article or the error it raised; here again if the worker died."""
        try:
            return future.result()
        except BrokenProcessPool:
            log.warning("the extraction worker died; extracting %s in this process", doc.id)
            try:
                return self.extract(doc)
            except Exception as exc:  # raised again in the document's turn
                return exc
        except Exception as exc:  # raised again in the document's turn
            return exc

    def _prepare(self, articles: list[Article]) -> None:
        """Let the stages that can compute a chunk's features in one batch."""
        for stage in (self.deduplicator, self.clusterer):
            prepare = getattr(stage, "prepare", None)
            if articles and callable(prepare):
                try:
                    prepare(articles)
                except Exception:  # only a speed-up: each document computes its own in its turn
                    log.exception("preparing a chunk of %d articles failed", len(articles))

    def _ingest_one(
        self, doc: RawDocument, report: IngestReport, extracted: Article | Exception | None = None
    ) -> None:
        if self.store.has(doc.key):
            report.duplicates += 1
            return

        def prepared() -> tuple[Article, dict[str, bytes]]:
            if isinstance(extracted, Exception):
                raise extracted
            article = extracted or self.extract(doc)
            return article, self.deduplicator.features(article) | self.clusterer.features(article)

        self._store_one(doc.id, prepared, report)

    def _store_one(
        self,
        name: str,
        prepared: Callable[[], tuple[Article, dict[str, bytes]]],
        report: IngestReport,
    ) -> None:
        """Link, assign and store one article (``prepared`` gives it with its features);
        a failure is recorded under ``name`` and never stops the batch."""
        try:
            article, features = prepared()
            links = self.deduplicator.link(article, features, self.store)
            story = self.clusterer.assign(article, features, self.store)
            added = self.store.add(article, features, links, story)
        except ParallaxError as exc:
            self._fail(report, Failure(name, str(exc)))
            return
        except Exception as exc:  # one bad document never stops a batch
            log.exception("unexpected error on %s", name)
            reason = f"{name}: internal error ({type(exc).__name__}: {exc}); please report it"
            self._fail(report, Failure(name, reason))
            return
        if added:
            report.ingested += 1
            report.touched_stories.add(story)
        else:
            report.duplicates += 1

    def _fail(self, report: IngestReport, failure: Failure) -> None:
        report.failed += 1
        report.failures.append(failure)
        self.store.record_failure(failure.input, failure.reason)

    def _settle_stories(self, report: IngestReport) -> None:
        """Merge stories that turned out to be one, then retitle the stories touched.

        Stories an earlier, interrupted run left unsettled are settled too.
        """
        report.touched_stories.update(self.store.unsettled_stories())
        for absorbed, survivor in self.clusterer.merges(self.store):
            self.store.merge_stories(absorbed, survivor)
            report.touched_stories.discard(absorbed)
            report.touched_stories.add(survivor)
        self.store.prune_empty_stories()
        for story_id in sorted(report.touched_stories):
            members = self.store.articles(self.store.story_members(story_id))
            if members:
                self.store.refresh_story(story_id, self.clusterer.title(members))
        report.stories = self.store.counts()["stories"]


def _start_worker(extract: Callable[[RawDocument], Article]) -> None:
    global _worker_extract
    _worker_extract = extract


def _extract_in_worker(doc: RawDocument) -> Article:
    assert _worker_extract is not None, "the worker was started without its pipeline"
    return _worker_extract(doc)


def _chunks(
    items: Iterable[RawDocument | Failure], size: int
) -> Iterator[list[RawDocument | Failure]]:
    """``items`` in lists of ``size`` (the last may be shorter), read lazily."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
