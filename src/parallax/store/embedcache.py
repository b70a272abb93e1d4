"""Embeddings kept in the store's file, so a new process does not embed again."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from parallax.embed import MemoryCache, TieredCache, default_embedder
from parallax.store.sqlite import SQLiteStore


class SQLiteEmbeddingCache:
    """The store's ``embeddings`` table as an embedding cache, one connection per thread.

    Writes are best effort with a short wait: a cache must never hold up a
    reader (the web app) behind a long ingest.
    """

    def __init__(self, path: str | Path, write_wait_s: float = 0.5) -> None:
        self.path = str(path)
        self.write_wait_s = write_wait_s
        self._local = threading.local()

    def _store(self) -> SQLiteStore:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = SQLiteStore(self.path, timeout_s=self.write_wait_s)
        return store

    def get_many(self, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors for these text hashes."""
        return self._store().get_many(hashes)

    def put_many(self, vectors: dict[str, np.ndarray]) -> None:
        """Store vectors, or skip when the database is busy."""
        # Locked by a writer: skip; the vectors are recomputed next time.
        with contextlib.suppress(sqlite3.OperationalError):
            self._store().put_many(vectors)


def persist_embeddings(path: str | Path) -> None:
    """Back the process-wide embedder's cache with the store at ``path``."""
    if str(path) == ":memory:":
        return
    embedder = default_embedder()
    current = embedder.cache
    if isinstance(current, TieredCache) and getattr(current.slow, "path", None) == str(path):
        return
    fast = current.fast if isinstance(current, TieredCache) else current
    embedder.cache = TieredCache(
        fast if isinstance(fast, MemoryCache) else MemoryCache(), SQLiteEmbeddingCache(path)
    )
