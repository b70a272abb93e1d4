"""Continuous ingest: poll feeds, OPML lists and sitemaps on their own schedules.

``Watcher`` runs the cycles; ``WatchFetcher`` wraps the polite fetcher with
what repeated polls need; ``Schedule`` says when each source is due again.
The heavy parts are imported on first use, so ``parallax --help`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from parallax.watch.command import add_watch_arguments, run_watch
from parallax.watch.schedule import Schedule, format_duration, parse_duration

if TYPE_CHECKING:
    from parallax.watch.fetcher import PollNotes, WatchFetcher
    from parallax.watch.watcher import CycleReport, Watcher

_LAZY = {
    "CycleReport": "parallax.watch.watcher",
    "PollNotes": "parallax.watch.fetcher",
    "WatchFetcher": "parallax.watch.fetcher",
    "Watcher": "parallax.watch.watcher",
}

__all__ = [
    "CycleReport",
    "PollNotes",
    "Schedule",
    "WatchFetcher",
    "Watcher",
    "add_watch_arguments",
    "format_duration",
    "parse_duration",
    "run_watch",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'parallax.watch' has no attribute {name!r}")
