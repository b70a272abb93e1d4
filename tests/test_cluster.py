"""Online story clustering on texts written for these tests (fictional places and outlets)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import datetime

import numpy as np
import pytest

from parallax.cluster import ClusterSettings, OnlineClusterer, story_id_for
from parallax.cluster.titles import central_headline, headline
from parallax.corpus import MemoryCorpus
from parallax.extract.text import lead_title
from parallax.models import Article, MediaType, RawDocument, content_key
from parallax.pipeline import Pipeline
from parallax.stages import NoDeduplication
from parallax.store.sqlite import SQLiteStore


class WordHashEmbedder:
    """A stand-in for MiniLM: hashed bag of words, unit length (fast and deterministic)."""

    dimensions = 384

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                if len(word) > 3:
                    digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                    out[row, int.from_bytes(digest, "little") % self.dimensions] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] /= norm or 1.0
        return out


def article(
    doc_id: str, title: str, text: str, published: str | None = None, outlet: str = ""
) -> Article:
    return Article(
        key=content_key(doc_id, text.encode()),
        id=doc_id,
        title=title,
        text=text,
        outlet=outlet or doc_id.split("-")[0],
        published=datetime.fromisoformat(published) if published else None,
    )


DAM = [
    article(
        "riverpost-1",
        "Marlow Falls dam bursts, 12 dead",
        "The Keller Dam above Marlow Falls burst on Tuesday night, killing 12 people and "
        "flooding the lower town. Governor Ilse Brannock declared an emergency in Tarrow County.",
    ),
    article(
        "valleyherald-1",
        "Twelve killed as Keller Dam fails above Marlow Falls",
        "Twelve people died when the Keller Dam failed on Tuesday, sending water through Marlow "
        "Falls. Governor Ilse Brannock said rescuers were still searching Tarrow County homes.",
    ),
    article(
        "northwire-1",
        "Keller Dam collapse: Marlow Falls counts its dead",
        "Rescuers in Marlow Falls recovered 12 bodies after the Keller Dam collapse. Engineers "
        "had warned Tarrow County about cracks in the Keller Dam spillway last spring.",
    ),
    article(
        "coastdaily-1",
        "Governor Brannock visits Marlow Falls after Keller Dam disaster",
        "Governor Ilse Brannock toured Marlow Falls on Wednesday, a day after the Keller Dam "
        "burst and killed 12. She promised Tarrow County families federal help.",
    ),
]
# The same kind of event, elsewhere and with other people: a different story.
RESERVOIR = [
    article(
        "riverpost-2",
        "Dunmore reservoir wall breaks, three missing",
        "The Ashgrove reservoir wall at Dunmore gave way on Sunday and three fishermen are "
        "missing. Mayor Teodor Villum ordered the evacuation of the Ashgrove valley.",
    ),
    article(
        "valleyherald-2",
        "Three missing after Ashgrove reservoir breach in Dunmore",
        "Three fishermen were missing after the Ashgrove reservoir breached near Dunmore on "
        "Sunday. Mayor Teodor Villum said the Ashgrove valley was being evacuated.",
    ),
    article(
        "northwire-2",
        "Dunmore evacuates Ashgrove valley as reservoir fails",
        "Mayor Teodor Villum evacuated the Ashgrove valley after the Dunmore reservoir failed "
        "on Sunday; three fishermen remain missing.",
    ),
]
STRIKE = [
    article(
        "northwire-3",
        "Quellmark miners walk out over pay",
        "Nine hundred miners at the Quellmark copper pit in Orsova stopped work on Monday "
        "demanding a 14% raise. The Orsova Mining Union said the strike would last a week.",
    ),
    article(
        "coastdaily-3",
        "Orsova copper strike: Quellmark pit idle",
        "The Quellmark copper pit in Orsova stood idle on Monday as 900 miners struck for a 14% "
        "raise, the Orsova Mining Union said.",
    ),
]
LONERS = [
    article(
        "riverpost-4",
        "Glass museum opens in Penwick harbour",
        "A museum of blown glass opened in the old customs house of Penwick harbour, showing "
        "the work of local artist Maren Oule.",
    ),
    article(
        "valleyherald-4",
        "Velvet Larks win the Brisby cup final",
        "The Velvet Larks beat Harrow Town 3-1 in the Brisby cup final, with two goals from "
        "striker Idris Kallan.",
    ),
]
ALL = [*DAM, *RESERVOIR, *STRIKE, *LONERS]


def cluster(
    articles: Sequence[Article],
    batches: int = 1,
    settings: ClusterSettings | None = None,
    clusterer: OnlineClusterer | None = None,
    corpus: MemoryCorpus | None = None,
) -> dict[str, str]:
    """Ingest like the pipeline does: assign each article, then merge after each batch."""
    clusterer = clusterer or OnlineClusterer(embedder=WordHashEmbedder(), settings=settings)
    corpus = corpus if corpus is not None else MemoryCorpus()
    story: dict[str, str] = {}
    for part in np.array_split(np.arange(len(articles)), batches):
        for i in part:
            a = articles[i]
            features = clusterer.features(a)
            story[a.id] = clusterer.assign(a, features, corpus)
            corpus.add(a, features, story[a.id])
        for absorbed, survivor in clusterer.merges(corpus):
            for a in articles:
                if story.get(a.id) == absorbed:
                    story[a.id] = survivor
                    corpus.move(a.key, survivor)
    return story


def groups(story: dict[str, str]) -> set[frozenset[str]]:
    by_story: dict[str, set[str]] = {}
    for doc_id, s in story.items():
        by_story.setdefault(s, set()).add(doc_id)
    return {frozenset(ids) for ids in by_story.values()}


def expected() -> set[frozenset[str]]:
    return {
        frozenset(a.id for a in DAM),
        frozenset(a.id for a in RESERVOIR),
        frozenset(a.id for a in STRIKE),
        *(frozenset([a.id]) for a in LONERS),
    }


def test_articles_group_by_event_not_by_kind_of_event() -> None:
    assert groups(cluster(ALL)) == expected()


def test_story_ids_come_from_the_founding_article() -> None:
    story = cluster(ALL)
    assert story["riverpost-1"] == story_id_for(DAM[0])
    assert story["riverpost-4"] == story_id_for(LONERS[0])


@pytest.mark.parametrize("batches", [2, 4])
def test_batches_give_the_same_stories_as_one_run(batches: int) -> None:
    interleaved = [ALL[i] for i in (0, 4, 7, 1, 9, 5, 2, 8, 10, 6, 3)]
    assert groups(cluster(interleaved, batches=batches)) == groups(cluster(interleaved))


def test_reversed_order_gives_the_same_stories() -> None:
    assert groups(cluster(ALL[::-1])) == expected()


def test_a_fresh_clusterer_rebuilds_its_index_from_the_store() -> None:
    corpus = MemoryCorpus()
    cluster(ALL[:-3], corpus=corpus)
    fresh = OnlineClusterer(embedder=WordHashEmbedder())
    latest = STRIKE[1]
    assert fresh.assign(latest, fresh.features(latest), corpus) == story_id_for(STRIKE[0])


def test_merge_joins_stories_that_turn_out_to_be_one_and_keeps_the_older_id() -> None:
    # Joining is made strict and merging lenient, so the dam articles first found
    # stories of their own and the merge step has to bring them together.
    strict = ClusterSettings(join_threshold=1.5, merge_threshold=0.5)
    clusterer = OnlineClusterer(embedder=WordHashEmbedder(), settings=strict)
    corpus = MemoryCorpus()
    for a in DAM:
        features = clusterer.features(a)
        story = clusterer.assign(a, features, corpus)
        assert story == story_id_for(a)
        corpus.add(a, features, story)
    pairs = clusterer.merges(corpus)
    assert pairs, "the four dam stories should merge"
    survivors = {survivor for _, survivor in pairs}
    absorbed = {gone for gone, _ in pairs}
    assert story_id_for(DAM[0]) not in absorbed
    assert story_id_for(DAM[0]) in survivors
    assert absorbed == {story_id_for(a) for a in DAM[1:]}
    assert clusterer.merges(corpus) == []  # nothing changed since


def test_merges_leave_different_events_apart() -> None:
    strict = ClusterSettings(join_threshold=1.5, merge_threshold=0.5)
    story = cluster([*DAM, *RESERVOIR], settings=strict)
    assert groups(story) == {
        frozenset(a.id for a in DAM),
        frozenset(a.id for a in RESERVOIR),
    }


def test_an_event_has_a_time_window() -> None:
    first = article("a-1", DAM[0].title, DAM[0].text, "2024-03-05T08:00:00")
    soon = article("b-1", DAM[1].title, DAM[1].text, "2024-03-07T08:00:00")
    # The same words a year later are another event (an anniversary, a new failure).
    later = article("c-1", DAM[2].title, DAM[2].text, "2025-03-20T08:00:00")
    undated = article("d-1", DAM[3].title, DAM[3].text)
    story = cluster([first, soon, later, undated])
    assert story["a-1"] == story["b-1"]
    assert story["c-1"] != story["a-1"]
    assert story["d-1"] in (story["a-1"], story["c-1"])


def test_a_story_window_rolls_with_its_coverage() -> None:
    week = ClusterSettings(window_days=7)
    dates = ["2024-03-01", "2024-03-06", "2024-03-11", "2024-03-16"]
    dated = [
        article(f"{a.id}-x", a.title, a.text, f"{d}T09:00:00")
        for a, d in zip(DAM, dates, strict=True)
    ]
    assert len(set(cluster(dated, settings=week).values())) == 1


def test_settings_are_checked_up_front() -> None:
    with pytest.raises(ValueError, match="members"):
        ClusterSettings(members=0)
    with pytest.raises(ValueError, match="window_days"):
        ClusterSettings(window_days=-1)


def test_title_is_the_most_central_headline() -> None:
    title = central_headline(DAM, WordHashEmbedder())
    assert title in {a.title for a in DAM}
    assert title != DAM[3].title  # the visit is about the disaster, not the disaster itself


def test_title_skips_datelines_for_the_first_sentence() -> None:
    dated = article("x-1", "Updated: March 5, 2024 10:42 AM ET", DAM[0].text)
    assert headline(dated).startswith("The Keller Dam above Marlow Falls burst")
    assert central_headline([dated], WordHashEmbedder()) == headline(dated)
    assert central_headline([], WordHashEmbedder()) == ""


def test_clusterer_title_uses_its_embedder() -> None:
    clusterer = OnlineClusterer(embedder=WordHashEmbedder())
    assert clusterer.title(STRIKE) in {a.title for a in STRIKE}


class TitleLineText:
    """A test extractor: the first line is the title, the rest the text."""

    def extract(self, doc: RawDocument) -> Article:
        title, _, text = doc.body.decode().partition("\n")
        return Article(key=doc.key, id=doc.id, title=title, text=text, outlet=doc.id)


def raw(a: Article) -> RawDocument:
    return RawDocument(id=a.id, body=f"{a.title}\n{a.text}".encode(), media_type=MediaType.TEXT)


def stored_groups(store: SQLiteStore) -> set[frozenset[str]]:
    id_of = {a.key: a.id for a in store.articles([k for s in store.stories() for k in s.articles])}
    return {frozenset(id_of[k] for k in s.articles) for s in store.stories()}


def ingest(store: SQLiteStore, articles: Sequence[Article]) -> None:
    # A new clusterer per run, as a new process would have: it rebuilds from the store.
    pipeline = Pipeline(
        store,
        extractors={MediaType.TEXT: TitleLineText(), MediaType.HTML: TitleLineText()},
        deduplicator=NoDeduplication(),
        clusterer=OnlineClusterer(embedder=WordHashEmbedder()),
    )
    pipeline.ingest_documents([raw(a) for a in articles])


def test_pipeline_with_the_store_in_separate_runs_matches_one_run() -> None:
    with SQLiteStore(":memory:") as one, SQLiteStore(":memory:") as four:
        ingest(one, ALL)
        for part in np.array_split(np.arange(len(ALL)), 4):
            ingest(four, [ALL[i] for i in part])
        assert stored_groups(one) == stored_groups(four) == expected()
        titles = {s.title for s in four.stories()}
        assert titles & {a.title for a in DAM}
        assert all(s.id.startswith("s") for s in four.stories())


def test_a_real_headline_wins_over_a_lead_cut_to_length() -> None:
    lead = "Harbour officials in Velmora confirmed that the ferry " + "service " * 30
    articles = [
        Article(key="a", id="a", title="", text="On Monday " + lead, outlet="one"),
        Article(key="b", id="b", title="", text="On Tuesday " + lead, outlet="two"),
        Article(key="c", id="c", title="Velmora ferry service suspended", text=lead, outlet="x"),
    ]
    assert central_headline(articles, WordHashEmbedder()) == "Velmora ferry service suspended"


def test_a_title_the_extractor_made_from_the_lead_is_not_a_headline() -> None:
    """Plain text without a headline gets its opening words as title; a real one still wins."""
    leads = [
        "On Monday harbour officials in Velmora confirmed that the ferry service would stop.",
        "Harbour officials in Velmora said on Monday that the ferry service would be halted.",
    ]
    articles = [
        Article(key=str(i), id=str(i), title=lead_title(text), text=text, outlet=str(i))
        for i, text in enumerate(leads)
    ]
    headline_only = Article(
        key="h",
        id="h",
        title="Velmora ferry service suspended",
        text="Officials spoke.",
        outlet="h",
    )
    assert central_headline([*articles, headline_only], WordHashEmbedder()) == (
        "Velmora ferry service suspended"
    )
