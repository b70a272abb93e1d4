"""Extract a stream of documents, on every core once there are enough to pay for it.

Extraction is independent per document, so a run over many pages spreads
them over worker processes (forked, so they start with the parent's imports)
and yields results in input order. A handful of documents is extracted in
this process: starting workers would cost more than it saves. At most a few
documents per worker are in flight, so memory stays bounded on any input.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain

from parallax.config import Settings
from parallax.errors import ParallaxError
from parallax.models import Article, Failure, RawDocument

# Documents seen before workers start: fewer than this are extracted here.
POOL_AFTER = 16
# Documents in flight per worker.
IN_FLIGHT = 4

Extract = Callable[[RawDocument], Article]
_worker_extract: Extract | None = None


def extraction_pipeline(settings: Settings) -> Extract:
    """The pipeline's ``extract``, with no links or stories (the heavy stages are never built)."""
    from parallax import stages
    from parallax.pipeline import Pipeline
    from parallax.store.sqlite import SQLiteStore

    pipeline = Pipeline(
        SQLiteStore(":memory:"),
        settings=settings,
        deduplicator=stages.create("deduplicator", "none"),
        clusterer=stages.create("clusterer", "none"),
    )
    return pipeline.extract


def extract_or_failure(extract: Extract, doc: RawDocument) -> Article | Failure:
    """The document's article, or its failure: one bad document never stops the others."""
    try:
        return extract(doc)
    except ParallaxError as exc:
        return Failure(doc.id, str(exc))
    except Exception as exc:
        reason = f"{doc.id}: internal error ({type(exc).__name__}: {exc}); please report it"
        return Failure(doc.id, reason)


def _start_worker(settings: Settings) -> None:
    global _worker_extract
    _worker_extract = extraction_pipeline(settings)


def _extract_in_worker(doc: RawDocument) -> Article | Failure:
    assert _worker_extract is not None, "the worker was started without its pipeline"
    return extract_or_failure(_worker_extract, doc)


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def extract_many(
    items: Iterable[RawDocument | Failure], settings: Settings, workers: int | None = None
) -> Iterator[tuple[str, Article | Failure]]:
    """Each item's name with its article or failure, in input order."""
    workers = default_workers() if workers is None else workers
    stream = iter(items)
    first: list[RawDocument | Failure] = []
    for item in stream:
        first.append(item)
        if len(first) >= POOL_AFTER and workers > 1:
            yield from _in_workers(chain(first, stream), settings, workers)
            return
    extract = extraction_pipeline(settings)
    for item in first:
        if isinstance(item, Failure):
            yield item.input, item
        else:
            yield item.id, extract_or_failure(extract, item)


def _in_workers(
    items: Iterable[RawDocument | Failure], settings: Settings, workers: int
) -> Iterator[tuple[str, Article | Failure]]:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pending: deque[tuple[str, Future[Article | Failure] | Failure]] = deque()
    with ProcessPoolExecutor(workers, context, _start_worker, (settings,)) as pool:
        for item in items:
            if isinstance(item, Failure):
                pending.append((item.input, item))
            else:
                pending.append((item.id, pool.submit(_extract_in_worker, item)))
            while len(pending) > workers * IN_FLIGHT:
                yield _done(pending.popleft())
        while pending:
            yield _done(pending.popleft())


def _done(entry: tuple[str, Future[Article | Failure] | Failure]) -> tuple[str, Article | Failure]:
    name, outcome = entry
    if isinstance(outcome, Failure):
        return name, outcome
    try:
        return name, outcome.result()
    except Exception as exc:  # the worker died (out of memory, killed): this input fails
        cause = f"{type(exc).__name__}: {exc}"
        reason = f"{name}: the extraction worker failed ({cause}); extract it alone to see why"
        return name, Failure(name, reason)
