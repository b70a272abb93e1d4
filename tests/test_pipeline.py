"""The pipeline: stages passed in, per-document failures recorded, stories settled."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from parallax.corpus import Corpus
from parallax.errors import EmptyDocument
from parallax.models import Article, Failure, Link, MediaType, RawDocument
from parallax.pipeline import IngestReport, Pipeline
from parallax.stages import NoDeduplication, OneStoryPerArticle, create
from parallax.store.sqlite import SQLiteStore


class BytesAsText:
    """A test extractor: the body is the text; 'boom' raises an internal error."""

    def extract(self, doc: RawDocument) -> Article:
        text = doc.body.decode()
        if not text.strip():
            raise EmptyDocument(f"{doc.id}: no text")
        if text == "boom":
            raise RuntimeError("extractor bug")
        return Article(key=doc.key, id=doc.id, title=text[:20], text=text, outlet=doc.id[:1])


class OneStory(OneStoryPerArticle):
    """Everything in story 'all', first article titles it."""

    def assign(self, article: Article, features: dict[str, bytes], corpus: Corpus) -> str:
        return "all"

    def title(self, articles: Sequence[Article]) -> str:
        return f"{len(articles)} articles"


class MergeFirstTwo(OneStoryPerArticle):
    def merges(self, corpus: Corpus) -> list[tuple[str, str]]:
        return [(f"s{k[:12]}", "s-first") for k in self.keys[1:2]]

    def __init__(self) -> None:
        self.keys: list[str] = []

    def assign(self, article: Article, features: dict[str, bytes], corpus: Corpus) -> str:
        self.keys.append(article.key)
        return "s-first" if len(self.keys) == 1 else f"s{article.key[:12]}"


def pipeline(store: SQLiteStore, clusterer: object | None = None) -> Pipeline:
    extractor = BytesAsText()
    return Pipeline(
        store,
        extractors={MediaType.TEXT: extractor, MediaType.HTML: extractor},
        deduplicator=NoDeduplication(),
        clusterer=clusterer or OneStory(),
    )


def doc(doc_id: str, text: str) -> RawDocument:
    return RawDocument(id=doc_id, body=text.encode(), media_type=MediaType.TEXT)


def test_bad_documents_are_recorded_and_the_batch_goes_on(store: SQLiteStore) -> None:
    items: list[RawDocument | Failure] = [
        doc("a", "First article text."),
        Failure("missing.txt", "no such file"),
        doc("b", "   "),
        doc("c", "boom"),
        doc("d", "Second article text."),
    ]
    report = pipeline(store).ingest_documents(items)
    assert report.counts() == {"ingested": 2, "duplicates": 0, "failed": 3, "stories": 1}
    reasons = {f.input: f.reason for f in report.failures}
    assert reasons["missing.txt"] == "no such file"
    assert "no text" in reasons["b"]
    assert "internal error (RuntimeError: extractor bug)" in reasons["c"]
    assert store.counts()["failures"] == 3
    assert store.stories()[0].title == "2 articles"


def test_reingest_adds_nothing(store: SQLiteStore) -> None:
    items = [doc("a", "First."), doc("b", "Second.")]
    first = pipeline(store).ingest_documents(items)
    second = pipeline(store).ingest_documents(items)
    assert first.ingested == 2
    assert second.counts() == {"ingested": 0, "duplicates": 2, "failed": 0, "stories": 1}
    assert store.counts()["articles"] == 2


def test_merges_are_applied_and_retitled(store: SQLiteStore) -> None:
    report = pipeline(store, MergeFirstTwo()).ingest_documents(
        [doc("a", "One."), doc("b", "Two."), doc("c", "Three.")]
    )
    assert report.stories == 2
    first = store.story("s-first")
    assert first is not None and len(first.articles) == 2


def test_registry_names_the_choices() -> None:
    assert isinstance(create("deduplicator", "none"), NoDeduplication)
    try:
        create("deduplicator", "nonesuch")
    except ValueError as exc:
        assert "choose one of" in str(exc) and "'none'" in str(exc)
    else:
        raise AssertionError("unknown stage name accepted")


def test_link_stage_output_is_stored(store: SQLiteStore) -> None:
    class LinkToFirst(NoDeduplication):
        def link(self, article: Article, features: dict[str, bytes], corpus: Corpus) -> list[Link]:
            first = corpus.article(store.story_members("all")[0]) if store.story("all") else None
            if first is None:
                return []
            from parallax.models import LinkKind

            return [Link(first.key, article.key, LinkKind.SYNDICATED, 0.9)]

    p = pipeline(store)
    p.deduplicator = LinkToFirst()
    p.ingest_documents([doc("a", "Wire copy."), doc("b", "Wire copy, edited.")])
    links = store.links(store.story_members("all"))
    assert [(ln.kind.value, ln.score) for ln in links] == [("syndicated", 0.9)]


def test_a_run_killed_before_settling_is_settled_by_the_next(store: SQLiteStore) -> None:
    # Simulate a run killed after storing an article but before settling its story.
    article = BytesAsText().extract(doc("a", "A story whose run died."))
    store.add(article, {}, [], "all")
    assert store.unsettled_stories() == ["all"]
    report = pipeline(store).ingest_documents([])
    assert store.unsettled_stories() == []
    assert store.stories()[0].title == "1 articles"
    assert report.stories == 1


# -- chunks ---------------------------------------------------------------------------


class Preparing(OneStoryPerArticle):
    """A clusterer that records its prepare calls and the order of its assignments."""

    def __init__(self, fail_prepare: bool = False) -> None:
        self.prepared: list[list[str]] = []
        self.assigned: list[str] = []
        self.fail_prepare = fail_prepare

    def prepare(self, articles: Sequence[Article]) -> None:
        self.prepared.append([a.id for a in articles])
        if self.fail_prepare:
            raise RuntimeError("prepare bug")

    def assign(self, article: Article, features: dict[str, bytes], corpus: Corpus) -> str:
        self.assigned.append(article.id)
        return "all"


def mixed_items() -> list[RawDocument | Failure]:
    return [
        doc("a", "First article text."),
        Failure("missing.txt", "no such file"),
        doc("b", "   "),
        doc("a", "First article text."),  # the same document again, within the chunk
        doc("c", "boom"),
        doc("d", "Second article text."),
        doc("e", "Third article text."),
    ]


Outcome = tuple[dict[str, int], list[tuple[str, str]], list[str], list[str]]


def _outcome(store: SQLiteStore, report: IngestReport, progress: list[str]) -> Outcome:
    failures = sorted((f.input, f.reason) for f in report.failures)
    return report.counts(), failures, store.story_members("all"), progress


def test_chunks_give_the_same_results_as_one_at_a_time() -> None:
    outcomes = []
    for size in (1, 3, 32):
        with SQLiteStore(":memory:") as store:
            clusterer = Preparing()
            progress: list[str] = []
            report = pipeline(store, clusterer).ingest_documents(
                mixed_items(), progress.append, chunk_size=size
            )
            outcomes.append(_outcome(store, report, progress))
            assert clusterer.assigned == ["a", "d", "e"]
            # Only larger chunks prepare, once per chunk, never a duplicate or a failure.
            if size == 32:
                assert clusterer.prepared == [["a", "d", "e"]]
            if size == 1:
                assert clusterer.prepared == []
    assert outcomes[0] == outcomes[1] == outcomes[2]
    counts, failures, members, progress = outcomes[0]
    assert counts == {"ingested": 3, "duplicates": 1, "failed": 3, "stories": 1}
    assert [name for name, _ in failures] == ["b", "c", "missing.txt"]
    assert progress == ["a", "missing.txt", "b", "a", "c", "d", "e"]
    assert len(members) == 3


def test_a_failing_prepare_only_loses_the_speed_up(store: SQLiteStore) -> None:
    clusterer = Preparing(fail_prepare=True)
    report = pipeline(store, clusterer).ingest_documents(mixed_items(), chunk_size=8)
    assert report.counts() == {"ingested": 3, "duplicates": 1, "failed": 3, "stories": 1}
    assert clusterer.prepared == [["a", "d", "e"]]


def test_one_at_a_time_stores_each_item_before_reading_the_next(store: SQLiteStore) -> None:
    seen_stored: list[bool] = []

    def reader() -> Iterator[RawDocument]:
        for name in ("a", "b", "c"):
            item = doc(name, f"Article {name}.")
            yield item
            seen_stored.append(store.has(item.key))  # what a watcher checks when it resumes

    pipeline(store).ingest_documents(reader())
    assert seen_stored == [True, True, True]


def test_ingest_reads_in_chunks_with_the_same_result(store: SQLiteStore, tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(f"Article number {i} says something.\n")
    clusterer = Preparing()
    report = pipeline(store, clusterer).ingest([str(tmp_path)])
    assert report.ingested == 5
    assert len(clusterer.prepared) == 1 and len(clusterer.prepared[0]) == 5


class PidStamping(BytesAsText):
    """BytesAsText that names, as the byline, the process that extracted each document."""

    def extract(self, doc: RawDocument) -> Article:
        return replace(super().extract(doc), byline=str(os.getpid()))


def test_full_chunks_are_extracted_in_a_worker_with_the_same_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("parallax.pipeline.POOL_MIN_EXTRACT_S", 0.0)  # any extraction pays
    here = str(os.getpid())
    outcomes = []
    for size in (1, 2):
        with SQLiteStore(":memory:") as store:
            p = pipeline(store, Preparing())
            p.extractors = {MediaType.TEXT: PidStamping(), MediaType.HTML: PidStamping()}
            progress: list[str] = []
            report = p.ingest_documents(mixed_items() * 2, progress.append, chunk_size=size)
            outcomes.append(_outcome(store, report, progress))
            bylines = {a.byline for a in store.articles(store.story_members("all"))}
            if size == 1:
                assert bylines == {here}
            elif len(os.sched_getaffinity(0)) > 1:
                # The first chunk is timed here; the worker extracts the chunks after it.
                assert here in bylines and len(bylines) == 2
    assert outcomes[0] == outcomes[1]
    counts, failures, _, _ = outcomes[1]
    assert counts == {"ingested": 3, "duplicates": 5, "failed": 6, "stories": 1}
    assert sorted({name for name, _ in failures}) == ["b", "c", "missing.txt"]
    assert any("internal error (RuntimeError: extractor bug)" in r for _, r in failures)


def test_cheap_extraction_stays_in_this_process(store: SQLiteStore) -> None:
    p = pipeline(store)
    p.extractors = {MediaType.TEXT: PidStamping(), MediaType.HTML: PidStamping()}
    p.ingest_documents([doc(f"d{i}", f"Article {i}.") for i in range(8)], chunk_size=2)
    bylines = {a.byline for a in store.articles(store.story_members("all"))}
    assert bylines == {str(os.getpid())}
