"""Shards on disk: one Parquet file per shard, one row per article or failure, in input order.

Files are written under a temporary name and renamed into place, so a shard
file either exists whole or not at all.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from parallax.batch.records import PreparedArticle
from parallax.models import Article, Failure

SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("id", pa.string()),
        ("title", pa.string()),
        ("text", pa.large_string()),
        ("outlet", pa.string()),
        ("url", pa.string()),
        ("published", pa.string()),
        ("byline", pa.string()),
        ("language", pa.string()),
        ("removed", pa.list_(pa.string())),
        ("provenance", pa.string()),
        ("features", pa.list_(pa.struct([("kind", pa.string()), ("data", pa.large_binary())]))),
        # Set on failure rows only: the input that failed and why.
        ("failed_input", pa.string()),
        ("reason", pa.string()),
    ]
)


def _row(item: PreparedArticle | Failure) -> dict[str, object]:
    if isinstance(item, Failure):
        return {"failed_input": item.input, "reason": item.reason}
    a = item.article
    return {
        "key": a.key,
        "id": a.id,
        "title": a.title,
        "text": a.text,
        "outlet": a.outlet,
        "url": a.url,
        "published": a.published.isoformat() if a.published else None,
        "byline": a.byline,
        "language": a.language,
        "removed": list(a.removed),
        "provenance": a.provenance,
        "features": [{"kind": k, "data": v} for k, v in item.features.items()],
    }


def write_shard(
    items: Iterable[PreparedArticle | Failure], path: str | Path, group_rows: int = 256
) -> tuple[int, int]:
    """Write one shard's rows to ``path`` atomically; returns (articles, failures).

    Rows are written in groups as they come, so a large WARC never sits in memory whole.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    articles = failures = 0
    try:
        with pq.ParquetWriter(temp, SCHEMA, compression="zstd") as writer:
            rows: list[dict[str, object]] = []
            for item in items:
                if isinstance(item, Failure):
                    failures += 1
                else:
                    articles += 1
                rows.append(_row(item))
                if len(rows) >= group_rows:
                    writer.write_table(pa.Table.from_pylist(rows, schema=SCHEMA))
                    rows = []
            if rows or not (articles or failures):
                writer.write_table(pa.Table.from_pylist(rows, schema=SCHEMA))
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return articles, failures


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _item(row: dict[str, object]) -> PreparedArticle | Failure:
    if row["failed_input"] is not None:
        return Failure(str(row["failed_input"]), str(row["reason"]))
    published = _text(row["published"])
    removed = row["removed"]
    features = row["features"]
    article = Article(
        key=str(row["key"]),
        id=str(row["id"]),
        title=str(row["title"]),
        text=str(row["text"]),
        outlet=str(row["outlet"]),
        url=_text(row["url"]),
        published=datetime.fromisoformat(published) if published else None,
        byline=_text(row["byline"]),
        language=_text(row["language"]),
        removed=tuple(removed) if isinstance(removed, list) else (),
        provenance=_text(row["provenance"]),
    )
    pairs = features if isinstance(features, list) else []
    return PreparedArticle(article, {f["kind"]: f["data"] for f in pairs})


def read_shard(path: str | Path, batch_rows: int = 256) -> Iterator[PreparedArticle | Failure]:
    """The rows of one shard file, in the order they were written, a few at a time."""
    parquet = pq.ParquetFile(path)
    for batch in parquet.iter_batches(batch_size=batch_rows):
        for row in batch.to_pylist():
            yield _item(row)
