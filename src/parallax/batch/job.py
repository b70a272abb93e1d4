"""Running a batch: the shards not yet written go to Dask, then everything is loaded in order.

Dask runs on a LocalCluster of worker processes by default, or on any
scheduler given by address (its workers must see the same input paths and
output folder). Each written shard is recorded in the manifest the moment it
is done, so an interrupted or failed run is resumed by running it again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from parallax import stages
from parallax.batch.load import ExtractedElsewhere, PreparedPipeline, shard_items
from parallax.batch.records import DEFAULT_PAGES_PER_SHARD, Shard, ShardDone, ShardJob
from parallax.batch.shards import Manifest, plan_shards
from parallax.batch.work import process_shard
from parallax.config import Settings
from parallax.errors import ParallaxError
from parallax.models import MediaType
from parallax.outlets import OutletRegistry
from parallax.pipeline import IngestReport, Progress
from parallax.store.sqlite import SQLiteStore

if TYPE_CHECKING:
    from distributed import Client


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """Where shards go and where they run."""

    out_dir: str
    scheduler: str | None = None
    workers: int = 2
    pages_per_shard: int = DEFAULT_PAGES_PER_SHARD
    # Worker processes (the default) or threads in this process (tests, debugging).
    processes: bool = True
    deduplicator: str = "default"
    clusterer: str = "default"
    # How long to try reaching a --scheduler before giving up.
    connect_timeout_s: float = 20.0

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"a batch needs at least 1 worker, not {self.workers}")


@dataclass(slots=True)
class BatchReport:
    """What a batch did: shards reused, written and failed, then the load's counts."""

    shards: int = 0
    reused: int = 0
    written: int = 0
    failed_shards: list[tuple[Shard, str]] = field(default_factory=list)
    ingest: IngestReport | None = None

    def counts(self) -> dict[str, int]:
        """The counts the CLI prints: shards, then ingest's."""
        loaded = self.ingest.counts() if self.ingest else {}
        return {
            "shards": self.shards,
            "reused_shards": self.reused,
            "written_shards": self.written,
            "failed_shards": len(self.failed_shards),
        } | {k: loaded.get(k, 0) for k in ("ingested", "duplicates", "failed", "stories")}


class BatchProgress:
    """What a batch reports as it goes; this base reports nothing (override what you show)."""

    def planned(self, shards: int, to_write: int) -> None:
        """The inputs make ``shards`` shards, ``to_write`` of them not yet written."""

    def shard_done(self, done: ShardDone | None) -> None:
        """A shard was written (None: it failed)."""

    def loading(self, documents: int) -> None:
        """The global stage starts over ``documents`` rows."""

    def document(self, name: str) -> None:
        """One row was loaded."""


@contextmanager
def dask_client(options: BatchOptions) -> Iterator[Client]:
    """A client of the scheduler named in ``options``, or of a new LocalCluster."""
    from distributed import Client, LocalCluster

    if options.scheduler:
        try:
            client = Client(options.scheduler, timeout=options.connect_timeout_s)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ParallaxError(
                f"cannot reach the Dask scheduler at {options.scheduler} ({exc}); check the "
                "address, or leave out --scheduler to run on a local cluster"
            ) from exc
        with client:
            yield client
        return
    # Worker processes talk over TCP: keep it to loopback. Threads talk in-process.
    where = {"host": "127.0.0.1"} if options.processes else {}
    with (
        LocalCluster(
            n_workers=options.workers,
            threads_per_worker=1,
            processes=options.processes,
            dashboard_address=":0",
            silence_logs=logging.CRITICAL,
            **where,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def run_shards(
    client: Client,
    shards: Sequence[Shard],
    job: ShardJob,
    manifest: Manifest,
    on_done: Callable[[ShardDone | None], None] | None = None,
) -> list[tuple[Shard, str]]:
    """Process ``shards`` on the cluster, recording each in the manifest; returns the failed."""
    from distributed import as_completed

    futures = client.map(process_shard, list(shards), job=job, pure=False, retries=1)
    by_key = {future.key: shard for future, shard in zip(futures, shards, strict=True)}
    failed: list[tuple[Shard, str]] = []
    for future in as_completed(futures):
        shard = by_key[future.key]
        try:
            done = future.result()
        except Exception as exc:  # a shard that fails is redone by the next run
            first = shard.inputs[0] if shard.inputs else "?"
            failed.append((shard, f"shard {shard.index} ({first}...): {type(exc).__name__}: {exc}"))
            done = None
        else:
            manifest.add(done)
        if on_done:
            on_done(done)
    return failed


def shard_job(
    store: SQLiteStore, settings: Settings, options: BatchOptions, outlets: OutletRegistry | None
) -> ShardJob:
    """The job every worker runs: settings, stage names, and the outlets the store knows."""
    known = OutletRegistry(store.outlets())
    if outlets is not None:
        known = known.merged(outlets.outlets)
    return ShardJob(
        out_dir=str(Path(options.out_dir).resolve()),
        settings=settings,
        outlets=known.outlets,
        deduplicator=options.deduplicator,
        clusterer=options.clusterer,
    )


def load_shards(
    store: SQLiteStore,
    files: Sequence[Path],
    settings: Settings,
    options: BatchOptions,
    outlets: OutletRegistry | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """The global stage: every shard's rows, in order, linked, assigned and stored."""
    pipeline = PreparedPipeline(
        store,
        settings=settings,
        extractors={kind: ExtractedElsewhere() for kind in MediaType},
        deduplicator=stages.create("deduplicator", options.deduplicator),
        clusterer=stages.create("clusterer", options.clusterer),
        outlets=outlets,
    )
    return pipeline.ingest_prepared(shard_items(files), progress)


def run_batch_job(
    sources: Sequence[str],
    store: SQLiteStore,
    settings: Settings,
    options: BatchOptions,
    outlets: OutletRegistry | None = None,
    progress: BatchProgress | None = None,
) -> BatchReport:
    """Plan, run the missing shards on Dask, and load all of them into ``store`` in order.

    When a shard fails nothing is loaded: run the same command again to redo
    only the shards that are missing, then everything loads in input order.
    """
    job = shard_job(store, settings, options, outlets)
    plan = plan_shards(sources, job, options.pages_per_shard)
    manifest = Manifest(options.out_dir)
    todo = [shard for shard in plan if not manifest.is_done(shard)]
    report = BatchReport(shards=len(plan), reused=len(plan) - len(todo))
    progress = progress or BatchProgress()
    progress.planned(len(plan), len(todo))
    if todo:
        with dask_client(options) as client:
            report.failed_shards = run_shards(client, todo, job, manifest, progress.shard_done)
        report.written = len(todo) - len(report.failed_shards)
    if report.failed_shards:
        return report
    done = [manifest.done[shard.id] for shard in plan]
    progress.loading(sum(d.articles + d.failures for d in done))
    files = [manifest.out_dir / d.file for d in done]
    report.ingest = load_shards(store, files, settings, options, outlets, progress.document)
    return report
