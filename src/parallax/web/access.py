"""Store access for a server: one SQLite connection per thread, and caches keyed by store state.

A connection per thread lets every request read while an ingest in another
process writes (the store is in WAL mode). Analysing a story (embeddings) is
the expensive part of a request, so each story's analysis is kept in memory,
keyed by the story record itself: a new article, a merge or a retitle changes
the record and so misses the cache. Listings and pages are cached the same
way, keyed by the cheap reads (story records, counts) they were made from.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.templating import Jinja2Templates

from parallax.config import Settings
from parallax.errors import NotFound
from parallax.models import Story
from parallax.store.sqlite import SQLiteStore

MEMORY = ":memory:"
T = TypeVar("T")


class ThreadStores:
    """Hands each thread its own ``SQLiteStore`` over one database file."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self._stores: dict[int, tuple[threading.Thread, SQLiteStore]] = {}
        # An in-memory database exists only inside its connection: every thread shares one.
        self._shared = SQLiteStore(MEMORY) if self.path == MEMORY else None
        if self._shared is None:
            self.get()  # open (and migrate) now, so a bad path fails at start-up

    def get(self) -> SQLiteStore:
        """The calling thread's store, opened on first use."""
        if self._shared is not None:
            return self._shared
        ident = threading.get_ident()
        entry = self._stores.get(ident)
        if entry is not None and entry[0] is threading.current_thread():
            return entry[1]
        store = SQLiteStore(self.path)
        with self._lock:
            self._close_dead()
            self._stores[ident] = (threading.current_thread(), store)
        return store

    def _close_dead(self) -> None:
        """Close the stores of threads that have ended (worker pools come and go)."""
        for ident, (thread, store) in list(self._stores.items()):
            if not thread.is_alive():
                store.close()
                del self._stores[ident]

    def close(self) -> None:
        """Close every connection (at shutdown)."""
        with self._lock:
            for _thread, store in self._stores.values():
                store.close()
            self._stores.clear()
            if self._shared is not None:
                self._shared.close()


DetailBuilder = Callable[[SQLiteStore, str], dict[str, Any]]


def _default_builder(store: SQLiteStore, story_id: str) -> dict[str, Any]:
    from parallax.report import story_detail_json

    return story_detail_json(store, story_id)


def json_bytes(value: Any) -> bytes:
    """Compact UTF-8 JSON, as FastAPI's JSONResponse writes it."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


@dataclass(frozen=True, slots=True)
class Analysed:
    """A story's analysis and the same as JSON bytes, encoded once."""

    detail: dict[str, Any]
    body: bytes


class ResultCache:
    """A small thread-safe LRU of results, each keyed by the store state it was made from."""

    def __init__(self, capacity: int = 256) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The result cached under ``key``, made (outside the lock) when absent."""
        found: T | None = self.peek(key)
        if found is not None:
            return found
        made = make()
        self.put(key, made)
        return made

    def peek(self, key: Hashable) -> Any:
        """The result cached under ``key``, or None."""
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: Hashable, value: Any) -> None:
        """Cache ``value`` under ``key``, dropping the least recently used beyond capacity."""
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)


class StoryDetails:
    """Fully analysed stories (the ``story --json`` shape), computed once per story version."""

    def __init__(self, capacity: int = 128, build: DetailBuilder = _default_builder) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._build = build
        self._cache: OrderedDict[Story, Analysed] = OrderedDict()
        self._lock = threading.Lock()
        # One analysis at a time: concurrent misses on one story wait for the first
        # instead of each embedding the same sentences (and the CPU is the limit anyway).
        self._analysing = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, store: SQLiteStore, story_id: str) -> dict[str, Any]:
        """The story's analysis; ``NotFound`` when there is no such story."""
        return self.analysed(store, story_id).detail

    def analysed(self, store: SQLiteStore, story_id: str) -> Analysed:
        """The story's analysis with its JSON encoding; ``NotFound`` for an unknown story."""
        story = self._current(store, story_id)
        cached = self._lookup(story)
        if cached is not None:
            return cached
        with self._analysing:
            cached = self._lookup(story)
            if cached is not None:
                return cached
            self.misses += 1
            detail = self._build(store, story_id)
            analysed = Analysed(detail, json_bytes(detail))
            # Cache only what is still current: an ingest may have changed the story meanwhile.
            if store.story(story_id) == story:
                with self._lock:
                    self._cache[story] = analysed
                    while len(self._cache) > self.capacity:
                        self._cache.popitem(last=False)
            return analysed

    def _current(self, store: SQLiteStore, story_id: str) -> Story:
        story = store.story(story_id)
        if story is None:
            raise NotFound(f"no story {story_id!r}; GET /api/stories (or the home page) lists them")
        return story

    def _lookup(self, story: Story) -> Analysed | None:
        with self._lock:
            found = self._cache.get(story)
            if found is not None:
                self._cache.move_to_end(story)
                self.hits += 1
            return found


@dataclass(frozen=True, slots=True)
class ServerState:
    """What every request handler shares: stores, the story cache, settings and templates."""

    stores: ThreadStores
    details: StoryDetails
    results: ResultCache
    settings: Settings
    templates: Jinja2Templates
    # One ingest at a time: a second one is refused rather than queued behind a slow fetch.
    ingesting: threading.Lock


def server_state(request: Request) -> ServerState:
    """The state ``create_app`` attached to the app."""
    state: ServerState = request.app.state.parallax
    return state
