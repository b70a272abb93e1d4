"""``parallax batch``: its arguments and its handler (registered by ``parallax.cli``)."""

from __future__ import annotations

import argparse
from typing import Any

from parallax.batch.records import DEFAULT_PAGES_PER_SHARD


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: must be at least 1")
    return value


def add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the batch command's own arguments (``--db`` and ``--json`` come from cli)."""
    parser.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="WARC or JSONL files, folders of pages"
    )
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="folder for the Parquet shards and manifest"
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="a running Dask scheduler (tcp://host:8786); default: a local cluster",
    )
    parser.add_argument(
        "--workers",
        type=_positive,
        default=2,
        help="worker processes of the local cluster (default: %(default)s)",
    )
    parser.add_argument(
        "--shard-size",
        type=_positive,
        default=DEFAULT_PAGES_PER_SHARD,
        metavar="N",
        help="loose pages per shard; WARC and JSONL files are a shard each (default: %(default)s)",
    )
    parser.add_argument(
        "--outlets", metavar="FILE", help="TOML/YAML file of outlets (name, domains, leaning)"
    )


def run_batch(args: argparse.Namespace) -> int:
    """Run the per-document stages on Dask, then load everything into the store in order."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from parallax.batch.job import BatchOptions, BatchProgress, run_batch_job
    from parallax.batch.records import ShardDone
    from parallax.cli import emit, open_store, settings_from, stderr, stdout, warn
    from parallax.outlets import OutletRegistry

    settings = settings_from(args)
    outlets = OutletRegistry.load(args.outlets) if args.outlets else None
    options = BatchOptions(
        out_dir=args.out,
        scheduler=args.scheduler,
        workers=args.workers,
        pages_per_shard=args.shard_size,
    )
    columns: Any = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    with (
        open_store(args) as store,
        Progress(*columns, console=stderr, transient=True) as bar,
    ):

        class Shown(BatchProgress):
            shards = load = bar.add_task("planning shards", total=None, visible=False)

            def planned(self, shards: int, to_write: int) -> None:
                if shards > to_write:
                    warn(f"{shards - to_write} of {shards} shards already written in {args.out}")
                self.shards = bar.add_task("extracting shards", total=to_write)

            def shard_done(self, done: ShardDone | None) -> None:
                bar.advance(self.shards)

            def loading(self, documents: int) -> None:
                self.load = bar.add_task("linking and clustering", total=documents)

            def document(self, name: str) -> None:
                bar.advance(self.load)

        report = run_batch_job(args.inputs, store, settings, options, outlets, Shown())
    for _shard, reason in report.failed_shards:
        warn(reason)
    if report.failed_shards:
        warn(
            f"{len(report.failed_shards)} shards failed and nothing was loaded; "
            "run the same command again to redo only those shards"
        )
    if report.ingest:
        for failure in report.ingest.failures:
            warn(failure.reason)
    counts = report.counts()
    if args.json:
        emit(counts)
    else:
        stdout.print(
            f"shards: {counts['written_shards']} written, {counts['reused_shards']} reused, "
            f"{counts['failed_shards']} failed; ingested {counts['ingested']}, "
            f"duplicates {counts['duplicates']}, failed {counts['failed']}; "
            f"{counts['stories']} stories in {args.db}"
        )
    return 1 if report.failed_shards or counts["failed"] else 0
