"""``relate``: same story, similarity, near-duplicate, derived; the seed acceptance."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from parallax.corpus import MemoryCorpus
from parallax.dedup import MinHashDeduplicator, independent_sources
from parallax.extract.text import PlainTextExtractor
from parallax.models import Article, Link, MediaType, RawDocument
from parallax.relate import document_text, lead_same_story, relate
from test_dedup_texts import (
    BRIDGE_ORIGINAL,
    BRIDGE_OTHER,
    BRIDGE_REWRITE,
    ORCHARD,
    article,
    edited_copy,
)


def test_relate_a_rewrite_names_the_direction() -> None:
    original, rewrite = article("a", BRIDGE_ORIGINAL), article("b", BRIDGE_REWRITE)
    relation = relate(original, rewrite)
    assert relation.derived == "b_from_a"
    assert not relation.near_duplicate
    assert relation.link is not None and relation.link.aligned
    # Same length, no dates: nothing says which came first, so the first is the original.
    assert relate(rewrite, original).derived == "b_from_a"
    dated_original, dated_rewrite = (
        article("a", BRIDGE_ORIGINAL, day=3),
        article("b", BRIDGE_REWRITE, day=4),
    )
    assert relate(dated_rewrite, dated_original).derived == "a_from_b"


def test_relate_an_edited_copy_is_a_near_duplicate_not_a_rewrite() -> None:
    relation = relate(article("a", BRIDGE_ORIGINAL), article("b", edited_copy(BRIDGE_ORIGINAL)))
    assert relation.near_duplicate
    assert relation.derived is None
    assert relation.similarity > 0.8


def test_relate_two_reports_of_one_event() -> None:
    relation = relate(article("a", BRIDGE_ORIGINAL), article("b", BRIDGE_OTHER))
    assert not relation.near_duplicate
    assert relation.derived is None
    assert relation.link is None
    assert (
        relation.same_story
        > relate(article("a", BRIDGE_ORIGINAL), article("c", ORCHARD)).same_story
    )


def test_fallback_same_story_is_a_probability() -> None:
    score = lead_same_story(article("a", BRIDGE_ORIGINAL), article("b", ORCHARD))
    assert 0.0 <= score < 0.5


def test_document_text_keeps_the_title_once() -> None:
    assert (
        document_text(article("a", "Bridge opens\nText.", title="Bridge opens"))
        == "Bridge opens\nText."
    )
    assert document_text(article("a", "Text.", title="Bridge opens")) == "Bridge opens\nText."


# -- the seeds ------------------------------------------------------------------------


def _seed_articles(files: list[Path], extracted: bool) -> list[Article]:
    """The seeds as raw text, or cleaned by the plain-text extractor as the CLI does."""
    out = []
    for path in files:
        body = path.read_bytes()
        doc = RawDocument(id=str(path), body=body, media_type=MediaType.TEXT)
        if extracted:
            extractor = PlainTextExtractor()
            out.append(extractor.extract(doc))
        else:
            text = body.decode("utf-8")
            out.append(Article(key=doc.key, id=doc.id, title="", text=text, outlet=path.stem))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("extracted", [False, True], ids=["raw", "extracted"])
def test_seed_acceptance(seed_files: list[Path], extracted: bool) -> None:
    seeds = _seed_articles(seed_files, extracted)
    assert len(seeds) == 4
    assert relate(seeds[0], seeds[1]).derived == "b_from_a"
    for i, j in itertools.combinations(range(4), 2):
        relation = relate(seeds[i], seeds[j])
        if extracted:  # same_story is the clusterer's, scored on clean articles as the CLI does
            assert relation.same_story >= 0.5, (i, j)
        if (i, j) != (0, 1):
            assert relation.link is None, (i, j, relation.link)
    dedup, corpus = MinHashDeduplicator(), MemoryCorpus()
    links: list[Link] = []
    for seed in seeds:
        features = dedup.features(seed)
        found = dedup.link(seed, features, corpus)
        corpus.add(seed, features, links=found)
        links.extend(found)
    assert [(ln.source, ln.target) for ln in links] == [(seeds[0].key, seeds[1].key)]
    assert independent_sources({s.key: s.outlet for s in seeds}, links) == 3
