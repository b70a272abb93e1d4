"""``parallax watch``: its arguments and its handler (registered by ``parallax.cli``)."""

from __future__ import annotations

import argparse
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from parallax.watch.schedule import format_duration, parse_duration

DEFAULT_EVERY = "15m"


def duration_argument(text: str) -> float:
    """argparse type: a duration such as 30s, 15m or 1h, in seconds."""
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_watch_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the watch command's own arguments (``--db``, ``--json``, fetch flags: from cli)."""
    parser.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="feeds, OPML lists or sitemaps (URLs or files)"
    )
    parser.add_argument(
        "--every",
        type=duration_argument,
        default=parse_duration(DEFAULT_EVERY),
        metavar="DURATION",
        help=f"poll each source this often, e.g. 30s, 15m, 1h (default {DEFAULT_EVERY})",
    )
    parser.add_argument(
        "--once", action="store_true", help="poll the sources that are due once, then exit"
    )
    parser.add_argument(
        "--outlets", metavar="FILE", help="TOML/YAML file of outlets (name, domains, leaning)"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also print each failed item's reason"
    )


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop`` (finish the current document); a second one interrupts."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return

    def handle(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        # os.write: safe inside a signal handler, unlike a console that may be mid-print.
        os.write(2, b"stopping after the current document (again to stop at once)\n")

    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, handle) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_watch(args: argparse.Namespace) -> int:
    """Poll the sources until stopped (or once with ``--once``); 0 on a clean stop."""
    from parallax.cli import emit, make_fetcher, open_store, settings_from, warn
    from parallax.outlets import OutletRegistry
    from parallax.pipeline import Pipeline
    from parallax.store.watchstate import WatchState
    from parallax.watch.fetcher import WatchFetcher
    from parallax.watch.schedule import Schedule
    from parallax.watch.subscriptions import expand_subscriptions
    from parallax.watch.watcher import CycleReport, Watcher

    settings = settings_from(args)
    outlets = OutletRegistry.load(args.outlets) if args.outlets else None
    stop = threading.Event()

    def log(report: CycleReport) -> None:
        if args.verbose:
            for failure in report.failures:
                warn(f"  {failure.reason}")
        warn(report.line())
        if args.json:
            emit(report.as_json())

    reports: list[Any] = []
    with stop_on_signals(stop), open_store(args) as store:
        state = WatchState(store)
        fetcher = WatchFetcher(lambda: make_fetcher(settings, store), state)
        try:
            pipeline = Pipeline(store, settings=settings, fetcher=fetcher, outlets=outlets)
            sources, notes = expand_subscriptions(args.sources, settings, fetcher.fetch)
            for note in notes:
                warn(note)
            if not sources:
                warn("the subscription lists name no feeds; give feeds, OPML lists or sitemaps")
                return 2
            watcher = Watcher(pipeline, sources, Schedule(args.every), fetcher, state, log=log)
            count = len(watcher.sources)
            if args.once:
                due = watcher.due()
                if due:
                    reports.append(watcher.poll(due, stop))
                else:
                    warn(f"nothing is due; the next poll is in {format_duration(watcher.wait_s())}")
            else:
                warn(
                    f"watching {count} source{'s' if count != 1 else ''} every "
                    f"{format_duration(args.every)} into {args.db}; stop with Ctrl-C"
                )
                reports = watcher.run(stop)
        finally:
            fetcher.close()
    if stop.is_set():
        warn(f"stopped cleanly; {args.db} is closed")
    return 1 if args.once and any(r.failed for r in reports) else 0
