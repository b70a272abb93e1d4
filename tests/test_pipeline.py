"""The pipeline: stages passed in, per-document failures recorded, stories settled."""

from __future__ import annotations

from collections.abc import Sequence

from parallax.corpus import Corpus
from parallax.errors import EmptyDocument
from parallax.models import Article, Failure, Link, MediaType, RawDocument
from parallax.pipeline import Pipeline
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
    items = [
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
