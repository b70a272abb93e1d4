"""The SQLite store: the only module that writes SQL.

WAL mode so readers (the web app) never block on a writer (an ingest); every
write of one document is one transaction, so a crash leaves either the whole
document or none of it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from parallax.errors import StoreError
from parallax.models import AlignedPair, Article, Link, LinkKind, Story
from parallax.outlets import Outlet
from parallax.store.migrations import apply_migrations

ARTICLE_COLUMNS = (
    "key, id, title, text, outlet, url, published, byline, language, removed, provenance"
)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One full-text search result."""

    key: str
    id: str
    title: str
    snippet: str
    story: str | None


def _iso(value: datetime | None) -> str | None:
    # Stored in UTC so that SQL's MIN/MAX over the strings order instants correctly.
    if value is None:
        return None
    return (value.astimezone(UTC) if value.tzinfo else value).isoformat()


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _article(row: sqlite3.Row) -> Article:
    return Article(
        key=row["key"],
        id=row["id"],
        title=row["title"],
        text=row["text"],
        outlet=row["outlet"],
        url=row["url"],
        published=_datetime(row["published"]),
        byline=row["byline"],
        language=row["language"],
        removed=tuple(json.loads(row["removed"])),
        provenance=row["provenance"],
    )


def _link(row: sqlite3.Row) -> Link:
    evidence = json.loads(row["evidence"])
    return Link(
        source=row["source"],
        target=row["target"],
        kind=LinkKind(row["kind"]),
        score=row["score"],
        aligned=tuple(AlignedPair(**pair) for pair in evidence.get("aligned", [])),
        unsupported=tuple(evidence.get("unsupported", [])),
    )


def _story(row: sqlite3.Row, members: Sequence[str]) -> Story:
    return Story(
        id=row["id"],
        title=row["title"],
        articles=tuple(members),
        first_seen=_datetime(row["first_seen"]),
        last_seen=_datetime(row["last_seen"]),
    )


def _use_wal(conn: sqlite3.Connection, timeout_s: float) -> None:
    """Switch a file store to WAL, waiting out another process doing the same.

    Two processes opening a new store at once can see "database is locked" here
    at once: SQLite does not call its busy handler for a journal-mode change.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class SQLiteStore:
    """Articles, features, stories, links and caches in one SQLite file."""

    def __init__(self, path: str | Path = ":memory:", *, timeout_s: float = 60.0) -> None:
        self.path = str(path)
        try:
            self._conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=timeout_s, check_same_thread=False
            )
            self._conn.row_factory = sqlite3.Row
            if self.path != ":memory:":
                _use_wal(self._conn, timeout_s)
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute(f"PRAGMA busy_timeout={int(timeout_s * 1000)}")
            apply_migrations(self._conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot open the store {self.path}: {exc}; "
                "check the path, or pass --db with a new file"
            ) from exc

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock up front."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        return self._conn.execute(sql, params).fetchall()

    # -- writing ---------------------------------------------------------

    def add(
        self,
        article: Article,
        features: dict[str, bytes],
        links: Sequence[Link],
        story: str,
    ) -> bool:
        """Store one article with its features, links and story, atomically.

        Returns False when the article was already stored. A new version of an
        article with the same id replaces the old one.
        """
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM articles WHERE key = ?", (article.key,)).fetchone():
                return False
            conn.execute("DELETE FROM articles WHERE id = ?", (article.id,))
            conn.execute(
                f"INSERT INTO articles ({ARTICLE_COLUMNS}, ingested_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.key,
                    article.id,
                    article.title,
                    article.text,
                    article.outlet,
                    article.url,
                    _iso(article.published),
                    article.byline,
                    article.language,
                    json.dumps(list(article.removed)),
                    article.provenance,
                    _now(),
                ),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO features (key, kind, data) VALUES (?, ?, ?)",
                [(article.key, kind, data) for kind, data in features.items()],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO links (source, target, kind, score, evidence) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        ln.source,
                        ln.target,
                        ln.kind.value,
                        ln.score,
                        json.dumps(
                            {
                                "aligned": [
                                    {
                                        "source": p.source,
                                        "rewrite": p.rewrite,
                                        "similarity": p.similarity,
                                    }
                                    for p in ln.aligned
                                ],
                                "unsupported": list(ln.unsupported),
                            }
                        ),
                    )
                    for ln in links
                ],
            )
            published = _iso(article.published)
            conn.execute(
                "INSERT OR IGNORE INTO stories (id, title, first_seen, last_seen, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (story, article.title, published, published, _now()),
            )
            conn.execute(
                "INSERT INTO story_articles (article, story) VALUES (?, ?)", (article.key, story)
            )
            conn.execute(
                "UPDATE stories SET updated_at = ?, settled = 0 WHERE id = ?", (_now(), story)
            )
            conn.execute("DELETE FROM failures WHERE input = ?", (article.id,))
        return True

    def refresh_story(self, story_id: str, title: str) -> None:
        """Set a story's title and recompute its first and last seen times."""
        with self._write() as conn:
            conn.execute(
                """
                UPDATE stories SET title = ?, updated_at = ?, settled = 1,
                    first_seen = (SELECT MIN(a.published) FROM articles a
                                  JOIN story_articles s ON s.article = a.key WHERE s.story = ?),
                    last_seen = (SELECT MAX(a.published) FROM articles a
                                 JOIN story_articles s ON s.article = a.key WHERE s.story = ?)
                WHERE id = ?
                """,
                (title, _now(), story_id, story_id, story_id),
            )

    def unsettled_stories(self) -> list[str]:
        """Stories whose title and times were not refreshed since articles joined them."""
        return [row[0] for row in self._rows("SELECT id FROM stories WHERE settled = 0")]

    def merge_stories(self, absorbed: str, survivor: str) -> None:
        """Move every article of ``absorbed`` into ``survivor`` and drop ``absorbed``."""
        with self._write() as conn:
            conn.execute(
                "UPDATE story_articles SET story = ? WHERE story = ?", (survivor, absorbed)
            )
            conn.execute("DELETE FROM stories WHERE id = ?", (absorbed,))
            conn.execute("UPDATE stories SET settled = 0 WHERE id = ?", (survivor,))

    def prune_empty_stories(self) -> int:
        """Drop stories left without articles (after a replaced version); returns how many."""
        with self._write() as conn:
            cur = conn.execute(
                "DELETE FROM stories WHERE id NOT IN (SELECT DISTINCT story FROM story_articles)"
            )
            return cur.rowcount

    def record_failure(self, input_name: str, reason: str) -> None:
        """Remember that an input failed, and why."""
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO failures (input, reason, failed_at) VALUES (?, ?, ?)",
                (input_name, reason, _now()),
            )

    def put_outlets(self, outlets: Sequence[Outlet]) -> None:
        """Remember declared outlets (name, domains, leaning...) for later commands."""
        with self._write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO outlets (name, record) VALUES (?, ?)",
                [(o.name, json.dumps(asdict(o))) for o in outlets],
            )

    def outlets(self) -> list[Outlet]:
        """Every declared outlet, by name."""
        outlets = []
        for row in self._rows("SELECT record FROM outlets ORDER BY name"):
            record: dict[str, Any] = json.loads(row[0])
            record["domains"] = tuple(record.get("domains", ()))
            record["feeds"] = tuple(record.get("feeds", ()))
            outlets.append(Outlet(**record))
        return outlets

    # -- reading: the Corpus protocol -----------------------------------

    def has(self, key: str) -> bool:
        """True when an article with this key is stored."""
        return (
            self._conn.execute("SELECT 1 FROM articles WHERE key = ?", (key,)).fetchone()
            is not None
        )

    def article(self, key: str) -> Article | None:
        """The article with this key, or None."""
        rows = self._rows(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE key = ?", (key,))
        return _article(rows[0]) if rows else None

    def articles(self, keys: Sequence[str]) -> list[Article]:
        """The stored articles with these keys, in the order given."""
        found: dict[str, Article] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for row in self._rows(
                f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE key IN ({marks})", chunk
            ):
                found[row["key"]] = _article(row)
        return [found[k] for k in keys if k in found]

    def article_by_id(self, article_id: str) -> Article | None:
        """The article with this external id (or path/URL id), or None."""
        rows = self._rows(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
        return _article(rows[0]) if rows else None

    def features(self, kind: str) -> Iterator[tuple[str, bytes]]:
        """Every (key, bytes) stored under ``kind``, oldest article first."""
        cursor = self._conn.execute(
            "SELECT f.key, f.data FROM features f JOIN articles a ON a.key = f.key "
            "WHERE f.kind = ? ORDER BY a.rowid",
            (kind,),
        )
        for key, data in cursor:
            yield key, bytes(data)

    def feature(self, key: str, kind: str) -> bytes | None:
        """One article's feature of ``kind``, or None."""
        row = self._conn.execute(
            "SELECT data FROM features WHERE kind = ? AND key = ?", (kind, key)
        ).fetchone()
        return bytes(row[0]) if row else None

    def story_of(self, key: str) -> str | None:
        """The story id of an article, or None."""
        row = self._conn.execute(
            "SELECT story FROM story_articles WHERE article = ?", (key,)
        ).fetchone()
        return row[0] if row else None

    def story_members(self, story_id: str) -> list[str]:
        """Keys of the articles in a story, oldest first."""
        rows = self._rows(
            "SELECT s.article FROM story_articles s JOIN articles a ON a.key = s.article "
            "WHERE s.story = ? ORDER BY a.rowid",
            (story_id,),
        )
        return [row[0] for row in rows]

    def links(self, keys: Sequence[str]) -> list[Link]:
        """Links touching any of ``keys``."""
        found: dict[tuple[str, str], Link] = {}
        for start in range(0, len(keys), 400):
            chunk = list(keys[start : start + 400])
            marks = ",".join("?" * len(chunk))
            for row in self._rows(
                f"SELECT * FROM links WHERE source IN ({marks}) OR target IN ({marks})",
                chunk + chunk,
            ):
                found[(row["source"], row["target"])] = _link(row)
        return sorted(found.values(), key=lambda ln: (ln.source, ln.target))

    # -- reading: stories and search -------------------------------------

    def stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Stories, newest first (by last seen, then last updated)."""
        rows = self._rows(
            "SELECT * FROM stories ORDER BY COALESCE(last_seen, '') DESC, updated_at DESC, id "
            "LIMIT ? OFFSET ?",
            (limit if limit is not None else -1, offset),
        )
        members: dict[str, list[str]] = {row["id"]: [] for row in rows}
        if members:
            marks = ",".join("?" * len(members))
            for row in self._rows(
                "SELECT s.story, s.article FROM story_articles s "
                f"JOIN articles a ON a.key = s.article WHERE s.story IN ({marks}) ORDER BY a.rowid",
                list(members),
            ):
                members[row[0]].append(row[1])
        return [_story(row, members[row["id"]]) for row in rows]

    def story(self, story_id: str) -> Story | None:
        """One story, or None."""
        rows = self._rows("SELECT * FROM stories WHERE id = ?", (story_id,))
        return _story(rows[0], self.story_members(story_id)) if rows else None

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over titles and texts, best match first."""
        # Quote each term so user input is never parsed as FTS5 syntax (a NUL ends a string).
        terms = [t.replace('"', '""') for t in query.replace("\x00", " ").split() if t.strip()]
        if not terms:
            return []
        match = " ".join(f'"{t}"' for t in terms)
        rows = self._rows(
            """
            SELECT a.key, a.id, a.title, s.story,
                   snippet(articles_fts, 1, '[', ']', ' … ', 16) AS snippet
            FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
            LEFT JOIN story_articles s ON s.article = a.key
            WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?
            """,
            (match, limit),
        )
        return [
            SearchHit(row["key"], row["id"], row["title"], row["snippet"], row["story"])
            for row in rows
        ]

    def counts(self) -> dict[str, int]:
        """How many articles, stories, links and failures are stored."""
        return {
            table: self._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("articles", "stories", "links", "failures")
        }

    # -- caches: story analyses, FetchCache and EmbeddingCache protocols --

    def cached_analysis(self, story_id: str, signature: str) -> str | None:
        """A story's stored analysis JSON, if it was made for this signature."""
        row = self._conn.execute(
            "SELECT analysis FROM story_analyses WHERE story = ? AND signature = ?",
            (story_id, signature),
        ).fetchone()
        return row[0] if row else None

    def cache_analysis(self, story_id: str, signature: str, analysis: str) -> bool:
        """Keep a story's analysis; False when the store was too busy to write it now."""
        try:
            with self._write() as conn:
                conn.execute(
                    "INSERT OR REPLACE INTO story_analyses (story, signature, analysis, created_at)"
                    " VALUES (?, ?, ?, ?)",
                    (story_id, signature, analysis, _now()),
                )
        except sqlite3.OperationalError:
            return False
        return True

    def get(self, url: str) -> tuple[str | None, str | None] | None:
        """The validators (ETag, Last-Modified) remembered for ``url``."""
        row = self._conn.execute(
            "SELECT etag, last_modified FROM fetch_cache WHERE url = ?", (url,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the validators of a fetched URL for the next conditional GET."""
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO fetch_cache (url, etag, last_modified, fetched_at) "
                "VALUES (?, ?, ?, ?)",
                (url, etag, last_modified, _now()),
            )

    def get_many(self, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached embedding vectors for these text hashes."""
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(hashes), 500):
            chunk = list(hashes[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for h, blob in self._conn.execute(
                f"SELECT hash, vector FROM embeddings WHERE hash IN ({marks})", chunk
            ):
                found[h] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, vectors: dict[str, np.ndarray]) -> None:
        """Cache embedding vectors by text hash."""
        with self._write() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO embeddings (hash, vector) VALUES (?, ?)",
                [(h, v.astype(np.float32).tobytes()) for h, v in vectors.items()],
            )
