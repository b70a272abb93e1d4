"""Ordered, recorded schema migrations (after sqlite-utils' migrations).

Each migration runs once, in order, inside a transaction, and is recorded in
``_migrations``; adding a feature means appending a migration, never editing
one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(name: str) -> Callable[[Migration], Migration]:
    """Register a migration under a unique name, in definition order."""

    def register(fn: Migration) -> Migration:
        if any(existing == name for existing, _ in MIGRATIONS):
            raise ValueError(f"migration {name!r} is defined twice")
        MIGRATIONS.append((name, fn))
        return fn

    return register


def apply_migrations(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded; returns the names applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-check inside the write lock: another process may have just applied it.
            if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                conn.execute("ROLLBACK")
                continue
            fn(conn)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat()),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the caller's transaction.

    ``executescript`` would commit first, breaking the one-transaction rule.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement.strip()[:60]}")


@migration("0001_articles_stories_links")
def _initial(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE articles (
            key TEXT PRIMARY KEY,
            id TEXT NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            outlet TEXT NOT NULL,
            url TEXT,
            published TEXT,
            byline TEXT,
            language TEXT,
            removed TEXT NOT NULL DEFAULT '[]',
            provenance TEXT,
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX articles_id ON articles (id);
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='rowid'
        );
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.rowid, old.title, old.text);
        END;
        CREATE TABLE features (
            key TEXT NOT NULL REFERENCES articles (key) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (kind, key)
        );
        CREATE INDEX features_key ON features (key);
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            first_seen TEXT,
            last_seen TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE story_articles (
            article TEXT PRIMARY KEY REFERENCES articles (key) ON DELETE CASCADE,
            story TEXT NOT NULL REFERENCES stories (id)
        );
        CREATE INDEX story_articles_story ON story_articles (story);
        CREATE TABLE links (
            source TEXT NOT NULL REFERENCES articles (key) ON DELETE CASCADE,
            target TEXT NOT NULL REFERENCES articles (key) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            score REAL NOT NULL,
            evidence TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (source, target)
        );
        CREATE INDEX links_target ON links (target);
        CREATE TABLE fetch_cache (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            fetched_at TEXT NOT NULL
        );
        CREATE TABLE embeddings (
            hash TEXT PRIMARY KEY,
            vector BLOB NOT NULL
        );
        CREATE TABLE failures (
            input TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            failed_at TEXT NOT NULL
        );
        """,
    )


@migration("0002_outlets")
def _outlets(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE outlets (name TEXT PRIMARY KEY, record TEXT NOT NULL)")


@migration("0003_story_analyses")
def _story_analyses(conn: sqlite3.Connection) -> None:
    # A story's analysis, valid while its signature (members, links, outlets) holds.
    conn.execute(
        "CREATE TABLE story_analyses ("
        " story TEXT PRIMARY KEY, signature TEXT NOT NULL, analysis TEXT NOT NULL,"
        " created_at TEXT NOT NULL)"
    )


@migration("0004_story_settled")
def _story_settled(conn: sqlite3.Connection) -> None:
    # 0 while a story's title and times are provisional (an ingest is adding to
    # it, or was killed before settling it); the next ingest settles it.
    conn.execute("ALTER TABLE stories ADD COLUMN settled INTEGER NOT NULL DEFAULT 1")


@migration("0005_watch_state")
def _watch_state(conn: sqlite3.Connection) -> None:
    # What `parallax watch` remembers across restarts: each source's schedule
    # and last outcome, and the item URLs whose documents are already stored.
    run_script(
        conn,
        """
        CREATE TABLE watch_sources (
            source TEXT PRIMARY KEY,
            next_poll REAL NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0,
            last_polled TEXT,
            last_status TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE watch_seen (
            url TEXT PRIMARY KEY,
            seen_at TEXT NOT NULL
        );
        """,
    )
