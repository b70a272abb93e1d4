"""The SQLite store: idempotent writes, one transaction per document, search, migrations."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from parallax.errors import StoreError
from parallax.models import AlignedPair, Article, Link, LinkKind, content_key
from parallax.store.migrations import MIGRATIONS
from parallax.store.sqlite import SQLiteStore


def make_article(
    article_id: str, text: str, outlet: str = "Harbor Ledger", day: int = 1
) -> Article:
    return Article(
        key=content_key(article_id, text.encode()),
        id=article_id,
        title=f"Title of {article_id}",
        text=text,
        outlet=outlet,
        published=datetime(2026, 3, day, 9, 0, tzinfo=UTC),
        removed=("Share this article",),
    )


def test_add_is_idempotent_and_round_trips(store: SQLiteStore) -> None:
    article = make_article("a1", "The river ferry resumed service on Monday.")
    assert store.add(article, {"vec": b"\x01\x02"}, [], "s1") is True
    assert store.add(article, {"vec": b"\x01\x02"}, [], "s1") is False
    assert store.counts()["articles"] == 1
    assert store.article(article.key) == article
    assert store.article_by_id("a1") == article
    assert store.feature(article.key, "vec") == b"\x01\x02"
    assert list(store.features("vec")) == [(article.key, b"\x01\x02")]
    assert store.story_of(article.key) == "s1"


def test_new_version_of_same_id_replaces_old(store: SQLiteStore) -> None:
    old = make_article("a1", "First version of the ferry story.")
    new = make_article("a1", "Second version of the ferry story, updated.")
    store.add(old, {}, [], "s1")
    store.add(new, {}, [], "s2")
    assert store.article(old.key) is None
    assert store.article_by_id("a1") == new
    assert store.prune_empty_stories() == 1
    assert [s.id for s in store.stories()] == ["s2"]


def test_failed_write_leaves_nothing_behind(store: SQLiteStore) -> None:
    article = make_article("a1", "Ferry text.")
    dangling = Link(source="missing-key", target=article.key, kind=LinkKind.DUPLICATE, score=1.0)
    with pytest.raises(sqlite3.IntegrityError):
        store.add(article, {"vec": b"x"}, [dangling], "s1")
    assert store.counts() == {"articles": 0, "stories": 0, "links": 0, "failures": 0}
    assert store.feature(article.key, "vec") is None


def test_links_round_trip_with_evidence(store: SQLiteStore) -> None:
    a = make_article("a", "Original report on the dam.")
    b = make_article("b", "Rewritten report on the dam.")
    store.add(a, {}, [], "s1")
    link = Link(
        source=a.key,
        target=b.key,
        kind=LinkKind.DERIVED,
        score=0.91,
        aligned=(AlignedPair("Original report.", "Rewritten report.", 0.88),),
        unsupported=("It will surely change everything.",),
    )
    store.add(b, {}, [link], "s1")
    assert store.links([b.key]) == [link]
    assert store.story_members("s1") == [a.key, b.key]


def test_stories_newest_first_with_times(store: SQLiteStore) -> None:
    store.add(make_article("old", "Old story text.", day=1), {}, [], "s-old")
    store.add(make_article("new1", "New story text.", day=5), {}, [], "s-new")
    store.add(make_article("new2", "New story follow-up.", day=7), {}, [], "s-new")
    store.refresh_story("s-new", "The new story")
    stories = store.stories()
    assert [s.id for s in stories] == ["s-new", "s-old"]
    assert stories[0].title == "The new story"
    assert stories[0].first_seen == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    assert stories[0].last_seen == datetime(2026, 3, 7, 9, 0, tzinfo=UTC)
    assert len(stories[0].articles) == 2


def test_merge_moves_members(store: SQLiteStore) -> None:
    a, b = make_article("a", "Text a."), make_article("b", "Text b.")
    store.add(a, {}, [], "s1")
    store.add(b, {}, [], "s2")
    store.merge_stories("s2", "s1")
    assert store.story("s2") is None
    assert store.story_members("s1") == [a.key, b.key]


def test_search_is_full_text_and_safe(store: SQLiteStore) -> None:
    store.add(make_article("a", "Flooding closed the Varnholm bridge overnight."), {}, [], "s1")
    store.add(make_article("b", "The council approved a new budget."), {}, [], "s2")
    hits = store.search("varnholm bridge")
    assert [h.id for h in hits] == ["a"]
    assert hits[0].story == "s1"
    assert "[Varnholm]" in hits[0].snippet
    # FTS5 syntax in user input is taken literally, never parsed.
    assert store.search('bridge" OR NEAR(') == []
    assert store.search("   ") == []


def test_caches(store: SQLiteStore) -> None:
    store.put("https://example.org/a", '"etag1"', "Mon, 02 Mar 2026 10:00:00 GMT")
    assert store.get("https://example.org/a") == ('"etag1"', "Mon, 02 Mar 2026 10:00:00 GMT")
    assert store.get("https://example.org/b") is None
    vector = np.arange(4, dtype=np.float32)
    store.put_many({"h1": vector})
    assert np.array_equal(store.get_many(["h1", "h2"])["h1"], vector)


def test_file_store_uses_wal_and_migrates_once(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with SQLiteStore(path):
        pass
    with SQLiteStore(path) as again:
        mode = again._conn.execute("PRAGMA journal_mode").fetchone()[0]
        applied = again._conn.execute("SELECT COUNT(*) FROM _migrations").fetchone()[0]
    assert mode == "wal"
    assert applied == len(MIGRATIONS)


def _open_when_released(path: Path, barrier: Any, outcomes: Any) -> None:
    barrier.wait()
    try:
        SQLiteStore(path).close()
        outcomes.put("ok")
    except StoreError as exc:
        outcomes.put(str(exc))


def test_processes_opening_a_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    """Concurrent first opens race on the switch to WAL, which SQLite does not retry."""
    context = multiprocessing.get_context("fork")
    failures = []
    for round_ in range(50):
        path, openers = tmp_path / f"new-{round_}.db", 6
        barrier, outcomes = context.Barrier(openers), context.Queue()
        processes = [
            context.Process(target=_open_when_released, args=(path, barrier, outcomes))
            for _ in range(openers)
        ]
        for process in processes:
            process.start()
        failures += [o for o in (outcomes.get(timeout=60) for _ in processes) if o != "ok"]
        for process in processes:
            process.join(60)
    assert failures == []


def test_unreadable_store_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"junk\.db"):
        SQLiteStore(path)


def test_story_analysis_cache_is_keyed_by_signature(store: SQLiteStore) -> None:
    assert store.cached_analysis("s1", "sig-a") is None
    assert store.cache_analysis("s1", "sig-a", '{"summary": []}') is True
    assert store.cached_analysis("s1", "sig-a") == '{"summary": []}'
    assert store.cached_analysis("s1", "sig-b") is None


def test_embeddings_persist_across_processes(tmp_path: Path) -> None:
    from parallax.embed import MemoryCache, MiniLMEmbedder, TieredCache, text_hash
    from parallax.store.embedcache import SQLiteEmbeddingCache

    path = tmp_path / "e.db"
    SQLiteStore(path).close()
    first = TieredCache(MemoryCache(), SQLiteEmbeddingCache(path))
    first.put_many({"h": np.ones(3, dtype=np.float32)})
    # A new process: empty memory, the store's table still holds the vector.
    second = TieredCache(MemoryCache(), SQLiteEmbeddingCache(path))
    assert np.array_equal(second.get_many(["h"])["h"], np.ones(3, dtype=np.float32))
    assert "h" in second.fast.get_many(["h"])

    # The embedder asks the model only for texts no tier knows: a cached text
    # comes back as stored (a real MiniLM vector would never be all 0.5).
    embedder = MiniLMEmbedder(cache=second)
    second.put_many({text_hash("known"): np.full(384, 0.5, dtype=np.float32)})
    assert embedder.embed(["known"])[0][0] == np.float32(0.5)


def test_writes_to_a_busy_store_are_skipped_not_blocking(tmp_path: Path) -> None:
    import time

    from parallax.store.embedcache import SQLiteEmbeddingCache

    path = tmp_path / "busy.db"
    writer = SQLiteStore(path)
    writer._conn.execute("BEGIN IMMEDIATE")  # an ingest holding the write lock
    try:
        cache = SQLiteEmbeddingCache(path, write_wait_s=0.1)
        started = time.monotonic()
        cache.put_many({"h": np.ones(2, dtype=np.float32)})
        assert time.monotonic() - started < 2
        reader = SQLiteStore(path, timeout_s=0.1)
        assert reader.cache_analysis("s", "sig", "{}") is False
    finally:
        writer._conn.execute("ROLLBACK")
