"""Exact, near-duplicate and syndicated copies; the deduplicator over a corpus; source counting."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from parallax.corpus import MemoryCorpus
from parallax.dedup import (
    MinHashDeduplicator,
    MinHashParams,
    compare_texts,
    independent_groups,
    independent_sources,
)
from parallax.dedup.minhash import BandIndex, MinHasher, estimated_jaccard, shingle_hashes
from parallax.dedup.normalise import body_lines, fingerprint, words
from parallax.models import Link, LinkKind
from parallax.store.sqlite import SQLiteStore
from test_dedup_texts import (
    BRIDGE_ORIGINAL,
    BRIDGE_OTHER,
    JUNK_BOTTOM,
    JUNK_TOP,
    ORCHARD,
    article,
    edited_copy,
)

# -- normalisation -------------------------------------------------------------


def test_fingerprint_ignores_spacing_case_punctuation_and_page_junk() -> None:
    messy = (
        JUNK_TOP + BRIDGE_ORIGINAL.upper().replace(". ", " .  ").replace(", ", " , ") + JUNK_BOTTOM
    )
    assert fingerprint(messy) == fingerprint(BRIDGE_ORIGINAL)
    assert fingerprint(BRIDGE_ORIGINAL.replace("420", "430")) != fingerprint(BRIDGE_ORIGINAL)


def test_typographic_quotes_fold_to_one_word() -> None:
    assert words("The council’s “review”") == words('the council\'s "review"')


def test_body_lines_drop_furniture_and_a_trailing_teaser_list() -> None:
    lines = body_lines(JUNK_TOP + BRIDGE_ORIGINAL + JUNK_BOTTOM)
    assert lines == BRIDGE_ORIGINAL.strip().split("\n")


def test_a_teaser_heading_at_the_top_does_not_swallow_the_article() -> None:
    lines = body_lines("Related Articles\n" + BRIDGE_ORIGINAL)
    assert len(lines) == len(BRIDGE_ORIGINAL.strip().split("\n"))


def test_a_short_text_keeps_its_only_line() -> None:
    assert body_lines("Bridge opens") == ["Bridge opens"]


# -- MinHash and LSH -------------------------------------------------------------


def _shingles(text: str) -> np.ndarray:
    return shingle_hashes(words(text), MinHashParams().shingle)


def test_signatures_are_deterministic_and_estimate_jaccard() -> None:
    a, b = _shingles(BRIDGE_ORIGINAL), _shingles(BRIDGE_ORIGINAL + BRIDGE_OTHER)
    true = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
    one, two = MinHasher(), MinHasher()
    assert np.array_equal(one.signature(a), two.signature(a))
    assert abs(estimated_jaccard(one.signature(a), one.signature(b)) - true) < 0.12


def test_encoded_signature_round_trips_and_rejects_other_layouts() -> None:
    hasher = MinHasher()
    shingles = _shingles(BRIDGE_ORIGINAL)
    count, signature = hasher.decode(hasher.encode(shingles))
    assert count == len(shingles)
    assert np.array_equal(signature, hasher.signature(shingles))
    other = MinHasher(MinHashParams(bands=10, rows=2))
    with pytest.raises(ValueError, match="permutations"):
        other.decode(hasher.encode(shingles))


def test_params_are_checked_up_front() -> None:
    with pytest.raises(ValueError, match="shingle"):
        MinHashParams(shingle=0)


def test_band_index_finds_a_copy_and_not_an_unrelated_text() -> None:
    hasher, index = MinHasher(), BandIndex()
    index.add(0, hasher.signature(_shingles(BRIDGE_ORIGINAL)))
    index.add(1, hasher.signature(_shingles(ORCHARD)))
    hits, bands = index.query(hasher.signature(_shingles(edited_copy(BRIDGE_ORIGINAL))))
    assert hits.tolist() == [0]
    assert bands[0] > 1


def test_band_index_merges_its_tail_without_losing_documents() -> None:
    hasher, index = MinHasher(), BandIndex()
    signatures = [hasher.signature(_shingles(f"{BRIDGE_OTHER} story {i}")) for i in range(1500)]
    for i, signature in enumerate(signatures):
        index.add(i, signature)
    assert len(index) == 1500
    assert 1499 in index.query(signatures[1499])[0]
    assert 3 in index.query(signatures[3])[0]


# -- pair verdicts -------------------------------------------------------------------


def test_exact_duplicate_after_normalisation() -> None:
    copy = JUNK_TOP + BRIDGE_ORIGINAL.replace("\n", "\n\n").lower() + JUNK_BOTTOM
    evidence = compare_texts(BRIDGE_ORIGINAL, copy)
    assert evidence.identical
    assert evidence.kind is LinkKind.DUPLICATE


def test_edited_wire_copy_is_syndicated() -> None:
    evidence = compare_texts(BRIDGE_ORIGINAL, edited_copy(BRIDGE_ORIGINAL))
    assert evidence.kind is LinkKind.SYNDICATED
    assert evidence.containment > 0.7


def test_one_changed_word_is_still_a_duplicate() -> None:
    evidence = compare_texts(BRIDGE_ORIGINAL, BRIDGE_ORIGINAL.replace("dawn", "sunrise"))
    assert evidence.kind is LinkKind.DUPLICATE
    assert not evidence.identical


def test_different_articles_on_the_same_event_are_not_copies() -> None:
    assert compare_texts(BRIDGE_ORIGINAL, BRIDGE_OTHER).kind is None
    assert compare_texts(BRIDGE_ORIGINAL, ORCHARD).kind is None


def test_a_teaser_is_not_a_copy_of_the_page_that_lists_it() -> None:
    teaser = " ".join(BRIDGE_ORIGINAL.split()[:30])
    assert compare_texts(teaser, BRIDGE_ORIGINAL + BRIDGE_OTHER + ORCHARD).kind is None


# -- the deduplicator over a corpus ----------------------------------------------------


def _ingest(dedup: MinHashDeduplicator, corpus: MemoryCorpus, art: object) -> list[Link]:
    features = dedup.features(art)  # type: ignore[arg-type]
    links = dedup.link(art, features, corpus)  # type: ignore[arg-type]
    corpus.add(art, features, links=links)  # type: ignore[arg-type]
    return links


def test_deduplicator_links_copies_to_their_original() -> None:
    dedup, corpus = MinHashDeduplicator(rewrites=False), MemoryCorpus()
    original = article("orig", BRIDGE_ORIGINAL, outlet="Northgate Courier", day=4)
    assert _ingest(dedup, corpus, original) == []
    assert _ingest(dedup, corpus, article("other", BRIDGE_OTHER, outlet="Vessa Herald")) == []
    mirror = article("mirror", JUNK_TOP + BRIDGE_ORIGINAL, outlet="Northgate Courier", day=5)
    wire = article("wire", edited_copy(BRIDGE_ORIGINAL), outlet="Eastbank Post", day=6)
    (dup,) = _ingest(dedup, corpus, mirror)
    assert (dup.source, dup.target, dup.kind) == ("orig", "mirror", LinkKind.DUPLICATE)
    links = {(ln.source, ln.target): ln.kind for ln in _ingest(dedup, corpus, wire)}
    assert links == {("orig", "wire"): LinkKind.SYNDICATED, ("mirror", "wire"): LinkKind.SYNDICATED}


def test_an_earlier_copy_arriving_later_becomes_the_source() -> None:
    dedup, corpus = MinHashDeduplicator(rewrites=False), MemoryCorpus()
    _ingest(dedup, corpus, article("late", edited_copy(BRIDGE_ORIGINAL), day=9))
    (link,) = _ingest(dedup, corpus, article("early", BRIDGE_ORIGINAL, day=2))
    assert (link.source, link.target) == ("early", "late")


def test_deduplicator_rebuilds_its_index_from_stored_features() -> None:
    corpus = MemoryCorpus()
    first = MinHashDeduplicator(rewrites=False)
    _ingest(first, corpus, article("orig", BRIDGE_ORIGINAL))
    fresh = MinHashDeduplicator(rewrites=False)  # a new run over the same store
    (link,) = _ingest(fresh, corpus, article("copy", edited_copy(BRIDGE_ORIGINAL)))
    assert link.source == "orig"


def test_deduplicator_reads_its_index_back_from_the_sqlite_store(store: SQLiteStore) -> None:
    first = MinHashDeduplicator(rewrites=False)
    original = article("orig", BRIDGE_ORIGINAL)
    features = first.features(original)
    assert store.add(original, features, first.link(original, features, store), "s1")
    fresh = MinHashDeduplicator(rewrites=False)
    copy = article("copy", edited_copy(BRIDGE_ORIGINAL))
    features = fresh.features(copy)
    links = fresh.link(copy, features, store)
    assert store.add(copy, features, links, "s1")
    assert [(ln.source, ln.target, ln.kind) for ln in store.links(["copy"])] == [
        ("orig", "copy", LinkKind.SYNDICATED)
    ]


def test_a_new_version_of_the_same_document_is_not_its_copy() -> None:
    dedup, corpus = MinHashDeduplicator(rewrites=False), MemoryCorpus()
    _ingest(dedup, corpus, article("v1", BRIDGE_ORIGINAL))
    second = replace(article("v1", edited_copy(BRIDGE_ORIGINAL)), key="v2")
    assert _ingest(dedup, corpus, second) == []


def test_features_are_bytes_the_store_can_keep() -> None:
    features = MinHashDeduplicator(rewrites=False).features(article("a", BRIDGE_ORIGINAL))
    assert set(features) == {"exact", "minhash"}
    assert all(isinstance(v, bytes) for v in features.values())


# -- independent sources ----------------------------------------------------------------


def _link(source: str, target: str, kind: LinkKind = LinkKind.SYNDICATED) -> Link:
    return Link(source=source, target=target, kind=kind, score=1.0)


def test_groups_follow_links_and_ignore_links_to_other_stories() -> None:
    links = [_link("a", "b"), _link("b", "c", LinkKind.DERIVED), _link("d", "zz")]
    groups = independent_groups(["a", "b", "c", "d"], links)
    assert sorted(map(sorted, groups)) == [["a", "b", "c"], ["d"]]


def test_ten_outlets_running_one_wire_story_are_one_source() -> None:
    outlets = {f"k{i}": f"outlet{i}" for i in range(10)}
    links = [_link("k0", f"k{i}") for i in range(1, 10)]
    assert independent_sources(outlets, links) == 1
    assert independent_sources(outlets, []) == 10


def test_an_outlet_with_its_own_report_and_a_wire_copy_counts_once_per_group() -> None:
    outlet_of = {"wire": "Agency", "copy": "Courier", "own": "Courier", "herald": "Herald"}
    assert independent_sources(outlet_of, [_link("wire", "copy")]) == 3
    outlet_of = {"a1": "Courier", "a2": "Courier"}
    assert independent_sources(outlet_of, []) == 1
