"""Archives on Dask: per-document stages in parallel shards, then the global stages in order.

``run_batch_job`` is the whole job; ``plan_shards``, ``process_shard`` (a Dask
task) and ``load_shards`` (the global stage) are its parts. Dask and pyarrow
are imported on first use, so ``parallax --help`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from parallax.batch.command import add_batch_arguments, run_batch

if TYPE_CHECKING:
    from parallax.batch.job import (
        BatchOptions,
        BatchProgress,
        BatchReport,
        load_shards,
        run_batch_job,
    )
    from parallax.batch.load import PreparedPipeline
    from parallax.batch.records import PreparedArticle, Shard, ShardDone, ShardJob
    from parallax.batch.shards import Manifest, plan_shards
    from parallax.batch.work import process_shard

_LAZY = {
    "BatchOptions": "parallax.batch.job",
    "BatchProgress": "parallax.batch.job",
    "BatchReport": "parallax.batch.job",
    "Manifest": "parallax.batch.shards",
    "PreparedArticle": "parallax.batch.records",
    "PreparedPipeline": "parallax.batch.load",
    "Shard": "parallax.batch.records",
    "ShardDone": "parallax.batch.records",
    "ShardJob": "parallax.batch.records",
    "load_shards": "parallax.batch.job",
    "plan_shards": "parallax.batch.shards",
    "process_shard": "parallax.batch.work",
    "run_batch_job": "parallax.batch.job",
}

__all__ = [
    "BatchOptions",
    "BatchProgress",
    "BatchReport",
    "Manifest",
    "PreparedArticle",
    "PreparedPipeline",
    "Shard",
    "ShardDone",
    "ShardJob",
    "add_batch_arguments",
    "load_shards",
    "plan_shards",
    "process_shard",
    "run_batch",
    "run_batch_job",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'parallax.batch' has no attribute {name!r}")
