"""The per-document stages, run on a worker: read a shard, extract, compute features, write.

Everything here is independent per document (no store, no other article), so
shards run in any order on any worker; what depends on other articles (links,
stories) is left to the global stage, which reads the shards back in order.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from parallax import stages
from parallax.batch.parquet import write_shard
from parallax.batch.records import PreparedArticle, Shard, ShardDone, ShardJob
from parallax.batch.shards import SHARDS_DIR, shard_file
from parallax.errors import ParallaxError
from parallax.ingest import read_sources
from parallax.models import Failure, RawDocument
from parallax.outlets import OutletRegistry
from parallax.pipeline import Pipeline
from parallax.store.sqlite import SQLiteStore

log = logging.getLogger(__name__)

# One pipeline per worker process and job configuration: models load once, not per shard.
_PIPELINES: dict[tuple[object, ...], Pipeline] = {}


def worker_pipeline(job: ShardJob) -> Pipeline:
    """The pipeline this process uses for ``job`` (built on first use, then reused)."""
    key = (job.settings, job.outlets, job.deduplicator, job.clusterer)
    pipeline = _PIPELINES.get(key)
    if pipeline is None:
        pipeline = Pipeline(
            # The workers' store is never written: extraction only needs the outlets.
            SQLiteStore(":memory:"),
            settings=job.settings,
            deduplicator=stages.create("deduplicator", job.deduplicator),
            clusterer=stages.create("clusterer", job.clusterer),
            outlets=OutletRegistry(job.outlets),
        )
        _PIPELINES[key] = pipeline
    return pipeline


def prepare(pipeline: Pipeline, doc: RawDocument) -> PreparedArticle | Failure:
    """One document extracted, with the features its dedup and cluster stages compute."""
    try:
        article = pipeline.extract(doc)
        features = pipeline.deduplicator.features(article) | pipeline.clusterer.features(article)
    except ParallaxError as exc:
        return Failure(doc.id, str(exc))
    except Exception as exc:  # one bad document never stops a shard; same words as ingest
        log.exception("unexpected error on %s", doc.id)
        return Failure(
            doc.id, f"{doc.id}: internal error ({type(exc).__name__}: {exc}); please report it"
        )
    return PreparedArticle(article, features)


def prepared_items(shard: Shard, job: ShardJob) -> Iterator[PreparedArticle | Failure]:
    """Every document of ``shard`` prepared, and a failure for each that cannot be read."""
    pipeline = worker_pipeline(job)
    for item in read_sources(shard.inputs, job.settings):
        yield item if isinstance(item, Failure) else prepare(pipeline, item)


def process_shard(shard: Shard, job: ShardJob) -> ShardDone:
    """Run the per-document stages over one shard and write its Parquet file (a Dask task)."""
    started = time.perf_counter()
    path = shard_file(job.out_dir, shard.id)
    articles, failures = write_shard(prepared_items(shard, job), path)
    return ShardDone(
        id=shard.id,
        file=f"{SHARDS_DIR}/{path.name}",
        articles=articles,
        failures=failures,
        seconds=round(time.perf_counter() - started, 3),
    )
