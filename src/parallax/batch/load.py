"""The global stage: link, assign and store prepared articles in input order.

This is ``Pipeline.ingest_documents`` with extraction and features already
done by the workers: the same deduplicator links each article against the
store, the same clusterer assigns its story, the same store keeps it, and the
pipeline's own story settling runs at the end. Fed in the order ``ingest``
would read the inputs, it gives the same articles, links and stories.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from parallax.batch.parquet import read_shard
from parallax.batch.records import PreparedArticle
from parallax.models import Article, Failure, RawDocument
from parallax.pipeline import IngestReport, Pipeline, Progress

log = logging.getLogger(__name__)


def shard_items(files: Sequence[str | Path]) -> Iterator[PreparedArticle | Failure]:
    """The rows of the shard files, file by file, in order."""
    for path in files:
        yield from read_shard(path)


class ExtractedElsewhere:
    """The extractor of the global stage, which never extracts: the workers did."""

    def extract(self, doc: RawDocument) -> Article:
        """Refuse: raw documents do not reach the global stage."""
        raise TypeError(f"{doc.id}: the batch's global stage takes prepared articles only")


class PreparedPipeline(Pipeline):
    """A pipeline that also ingests articles whose extraction and features were done elsewhere."""

    def ingest_prepared(
        self, items: Iterable[PreparedArticle | Failure], progress: Progress | None = None
    ) -> IngestReport:
        """Link, assign and store prepared articles; failures among them are recorded."""
        report = IngestReport()
        for item in items:
            if isinstance(item, Failure):
                self._fail(report, item)
                name = item.input
            else:
                self._add_prepared(item, report)
                name = item.article.id
            if progress:
                progress(name)
        self._settle_stories(report)
        return report

    def _add_prepared(self, item: PreparedArticle, report: IngestReport) -> None:
        # The same steps and failure wording as Pipeline._ingest_one, after extraction.
        if self.store.has(item.article.key):
            report.duplicates += 1
            return
        self._store_one(item.article.id, lambda: (item.article, item.features), report)
