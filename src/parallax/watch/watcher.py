"""Polls sources on their own schedules and ingests what is new, until told to stop.

Each source (a feed, OPML list, sitemap, or any other source ``ingest``
reads) has its own next-poll time in the store. A cycle polls every source
that is due, through one ``Pipeline.ingest_documents`` call, so stories are
updated once per cycle; each source's schedule is saved as soon as its poll
ends, so a restart picks up where the last run stopped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from parallax.ingest import is_url, read_sources
from parallax.models import Failure, RawDocument
from parallax.pipeline import Pipeline
from parallax.store.watchstate import SourceState, WatchState
from parallax.watch.fetcher import PollNotes, WatchFetcher
from parallax.watch.schedule import Schedule, format_duration

# Never sleep longer than this in one go, so a changed clock is noticed.
MAX_SLEEP_S = 60.0


@dataclass(slots=True)
class CycleReport:
    """What one cycle did."""

    cycle: int
    polled: int = 0
    unchanged: int = 0
    failed_sources: int = 0
    ingested: int = 0
    duplicates: int = 0
    failed: int = 0
    stories: int = 0
    backing_off: int = 0
    next_poll_s: float = 0.0
    interrupted: bool = False
    failures: list[Failure] = field(default_factory=list)

    def line(self) -> str:
        """The one log line of this cycle."""
        sources = f"polled {self.polled} source{'s' if self.polled != 1 else ''}"
        extra = [f"{self.unchanged} unchanged"] if self.unchanged else []
        if self.failed_sources:
            extra.append(f"{self.failed_sources} failed")
        if extra:
            sources += f" ({', '.join(extra)})"
        tail = (
            "stopped" if self.interrupted else f"next poll in {format_duration(self.next_poll_s)}"
        )
        backoff = f", {self.backing_off} backing off" if self.backing_off else ""
        return (
            f"cycle {self.cycle}: {sources}; {self.ingested} new, {self.duplicates} duplicates, "
            f"{self.failed} failed; {self.stories} stories{backoff}; {tail}"
        )

    def as_json(self) -> dict[str, object]:
        """The machine-readable form (``--json``)."""
        return {
            "cycle": self.cycle,
            "polled": self.polled,
            "unchanged": self.unchanged,
            "failed_sources": self.failed_sources,
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "failed": self.failed,
            "stories": self.stories,
            "backing_off": self.backing_off,
            "next_poll_s": round(self.next_poll_s, 3),
            "interrupted": self.interrupted,
        }


class Watcher:
    """Polls ``sources`` with ``schedule``, ingesting through ``pipeline``."""

    def __init__(
        self,
        pipeline: Pipeline,
        sources: Sequence[str],
        schedule: Schedule,
        fetcher: WatchFetcher,
        state: WatchState,
        *,
        clock: Callable[[], float] = time.time,
        log: Callable[[CycleReport], None] | None = None,
    ) -> None:
        if not sources:
            raise ValueError("watch needs at least one source (a feed, OPML list or sitemap)")
        self.pipeline = pipeline
        self.sources = list(dict.fromkeys(sources))
        self.schedule = schedule
        self.fetcher = fetcher
        self.state = state
        self.clock = clock
        self.log = log
        self.cycles = 0

    def next_poll(self, source: str) -> float:
        """When ``source`` is due (Unix time); a never-polled source is due now."""
        known = self.state.source(source)
        if known is None:
            return 0.0
        if known.failures == 0 and known.last_polled is not None:
            # A shorter --every than last run's applies at once.
            return min(known.next_poll, known.last_polled.timestamp() + self.schedule.every_s)
        return known.next_poll

    def due(self) -> list[str]:
        """Sources due now, in the order given."""
        now = self.clock()
        return [s for s in self.sources if self.next_poll(s) <= now]

    def wait_s(self) -> float:
        """Seconds until the next source is due."""
        return max(0.0, min(self.next_poll(s) for s in self.sources) - self.clock())

    def run(self, stop: threading.Event, max_cycles: int | None = None) -> list[CycleReport]:
        """Poll what is due, sleep until the next source is, and repeat until ``stop`` is set."""
        reports: list[CycleReport] = []
        while not stop.is_set():
            due = self.due()
            if due:
                reports.append(self.poll(due, stop))
                if max_cycles is not None and len(reports) >= max_cycles:
                    break
                continue
            stop.wait(min(self.wait_s(), MAX_SLEEP_S))
        return reports

    def poll(self, sources: Sequence[str], stop: threading.Event | None = None) -> CycleReport:
        """One cycle: read each of ``sources``, ingest what is new, settle stories, log a line."""
        self.cycles += 1
        report = CycleReport(self.cycles)
        stop = stop or threading.Event()
        items = self._items(sources, stop, report)
        ingest = self.pipeline.ingest_documents(items)
        report.ingested, report.duplicates = ingest.ingested, ingest.duplicates
        report.failed, report.stories = ingest.failed, ingest.stories
        report.failures = ingest.failures
        report.interrupted = stop.is_set()
        states = self.state.sources(self.sources)
        report.backing_off = sum(1 for s in states.values() if s.failures > 0)
        report.next_poll_s = self.wait_s()
        if self.log is not None:
            self.log(report)
        return report

    def _items(
        self, sources: Sequence[str], stop: threading.Event, report: CycleReport
    ) -> Iterator[RawDocument | Failure]:
        """Every item of each source, stopping between documents once ``stop`` is set."""
        for source in sources:
            if stop.is_set():
                return
            notes = self.fetcher.begin(source)
            failed: str | None = None
            if is_url(source) and (wait := self.fetcher.blocked_for(source)) > 0:
                failed = f"{source}: its host asked us to wait {format_duration(wait)} more"
                notes.transient = True
                notes.wait_at_least(wait)
                reader: Iterator[RawDocument | Failure] = iter(())
            else:
                reader = read_sources([source], self.pipeline.settings, self.fetcher)
            finished = False
            try:
                for item in reader:
                    if isinstance(item, Failure) and item.input == source:
                        failed = item.reason
                    yield item
                    # The consumer came back: the item is stored (or failed) by now.
                    if isinstance(item, RawDocument):
                        self._mark_seen(item, notes)
                    if stop.is_set():
                        break
                else:
                    finished = True
            finally:
                close = getattr(reader, "close", None)
                if callable(close):
                    close()
            if finished:
                self._reschedule(source, notes, failed, report)

    def _mark_seen(self, doc: RawDocument, notes: PollNotes) -> None:
        if not self.pipeline.store.has(doc.key):
            return  # failed: read it again next time the source lists it
        urls = [u for u in (doc.id, doc.url) if u and is_url(u)]
        urls += [notes.asked[u] for u in urls if u in notes.asked]
        self.state.mark_seen(urls)

    def _reschedule(
        self, source: str, notes: PollNotes, failed: str | None, report: CycleReport
    ) -> None:
        report.polled += 1
        report.unchanged += notes.unchanged
        previous = self.state.source(source)
        in_a_row = previous.failures if previous else 0
        failures = in_a_row + 1 if failed or notes.throttled else 0
        if failed:
            report.failed_sources += 1
        now = self.clock()
        delay = self.schedule.delay(failures, notes.retry_after)
        if failed:
            status = f"failed: {failed}"
        elif notes.throttled:
            status = "throttled"
        else:
            status = "unchanged" if notes.unchanged else "ok"
        self.state.save(
            SourceState(source, now + delay, failures, datetime.fromtimestamp(now, UTC), status)
        )
