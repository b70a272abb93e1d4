"""What ``parallax watch`` remembers between polls and restarts, kept in the store.

Per source: when to poll it next, how many polls in a row failed, and how the
last one went. Per item URL: that its document is stored, so a feed that lists
it again never makes us fetch it again. The tables come from migration
``0005_watch_state``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from parallax.store.sqlite import SQLiteStore


@dataclass(frozen=True, slots=True)
class SourceState:
    """One watched source: next poll (Unix time), failures in a row, the last outcome."""

    source: str
    next_poll: float
    failures: int = 0
    last_polled: datetime | None = None
    last_status: str = ""


class WatchState:
    """Reads and writes the watch tables through the store's own connection."""

    def __init__(self, store: SQLiteStore) -> None:
        # Same package as the store: its connection and write transaction are ours to use,
        # so watch writes share the store's locking and WAL.
        self._store = store
        self._conn = store._conn

    def source(self, source: str) -> SourceState | None:
        """The remembered state of ``source``, or None when it was never polled."""
        row = self._conn.execute(
            "SELECT source, next_poll, failures, last_polled, last_status "
            "FROM watch_sources WHERE source = ?",
            (source,),
        ).fetchone()
        if row is None:
            return None
        polled = datetime.fromisoformat(row[3]) if row[3] else None
        return SourceState(row[0], float(row[1]), int(row[2]), polled, row[4])

    def sources(self, names: Sequence[str]) -> dict[str, SourceState]:
        """States of the named sources that have one."""
        return {name: state for name in names if (state := self.source(name)) is not None}

    def save(self, state: SourceState) -> None:
        """Remember one source's schedule and last outcome."""
        polled = state.last_polled.isoformat() if state.last_polled else None
        with self._store._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO watch_sources "
                "(source, next_poll, failures, last_polled, last_status) VALUES (?, ?, ?, ?, ?)",
                (state.source, state.next_poll, state.failures, polled, state.last_status),
            )

    def seen(self, url: str) -> bool:
        """Whether a document read from ``url`` is already stored."""
        row = self._conn.execute("SELECT 1 FROM watch_seen WHERE url = ?", (url,)).fetchone()
        return row is not None

    def mark_seen(self, urls: Iterable[str]) -> None:
        """Remember that the documents at these URLs are stored."""
        now = datetime.now(UTC).isoformat()
        rows = [(url, now) for url in dict.fromkeys(urls)]
        if rows:
            with self._store._write() as conn:
                conn.executemany(
                    "INSERT OR IGNORE INTO watch_seen (url, seen_at) VALUES (?, ?)", rows
                )

    def seen_count(self) -> int:
        """How many item URLs are remembered."""
        return int(self._conn.execute("SELECT COUNT(*) FROM watch_seen").fetchone()[0])
