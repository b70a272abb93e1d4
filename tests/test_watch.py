"""parallax watch: schedules, backoff, Retry-After, restarts and clean stops, on loopback feeds."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from parallax.cli import build_parser
from parallax.config import FetchSettings, Settings
from parallax.errors import HTTPStatusError
from parallax.extract.text import PlainTextExtractor
from parallax.ingest.web import PoliteFetcher, retry_after_seconds
from parallax.models import MediaType
from parallax.pipeline import Pipeline
from parallax.stages import NoDeduplication, OneStoryPerArticle
from parallax.store.sqlite import SQLiteStore
from parallax.store.watchstate import WatchState
from parallax.watch import (
    Schedule,
    format_duration,
    parse_duration,
    run_watch,
)
from parallax.watch.fetcher import WatchFetcher
from parallax.watch.schedule import MAX_RETRY_AFTER_S
from parallax.watch.subscriptions import expand_subscriptions
from parallax.watch.watcher import CycleReport, Watcher

LOOPBACK = FetchSettings(allow_private_hosts=True, host_delay_s=0.001, timeout_s=5.0)
REPO = Path(__file__).resolve().parents[1]

# -- durations, schedules, Retry-After ------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("3s", 3), ("15m", 900), ("1h", 3600), ("1h30m", 5400), ("2d", 172800), ("90", 90)],
)
def test_durations_are_read_in_their_units(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0s", "soon", "15 minutes", "-3s", "1x"])
def test_bad_durations_say_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_durations_print_short() -> None:
    assert [format_duration(s) for s in (0.5, 45, 900, 905, 5400)] == [
        "0.5s",
        "45s",
        "15m",
        "15m05s",
        "1h30m",
    ]


def test_failures_double_the_wait_up_to_a_ceiling_and_retry_after_wins() -> None:
    schedule = Schedule(every_s=60, max_backoff_s=600)
    assert [schedule.delay(n) for n in range(6)] == [60, 120, 240, 480, 600, 600]
    assert schedule.delay(1, retry_after=1000) == 1000
    assert schedule.delay(0, retry_after=5) == 60
    # A server cannot park a feed for ever.
    assert schedule.delay(1, retry_after=10**9) == MAX_RETRY_AFTER_S


def test_retry_after_is_read_as_seconds_or_as_a_date() -> None:
    now = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds(format_datetime(now + timedelta(minutes=5), usegmt=True), now) == 300
    assert retry_after_seconds(format_datetime(now - timedelta(minutes=5), usegmt=True), now) == 0
    assert retry_after_seconds("whenever") is None
    assert retry_after_seconds(None) is None


def test_a_429_error_carries_the_retry_after_it_was_sent() -> None:
    transport = httpx.MockTransport(
        lambda request: (
            httpx.Response(429, headers={"Retry-After": "42"})
            if request.url.path != "/robots.txt"
            else httpx.Response(404)
        )
    )
    with (
        PoliteFetcher(
            FetchSettings(host_delay_s=0),
            transport=transport,
            resolver=lambda host, port: ["93.184.216.34"],
        ) as fetcher,
        pytest.raises(HTTPStatusError, match="try again in 42 s") as raised,
    ):
        fetcher.fetch("http://news.test/feed")
    assert raised.value.status == 429
    assert getattr(raised.value, "retry_after", None) == 42


# -- a feed on loopback whose items change ------------------------------------------


class FeedSite:
    """A loopback site: one RSS feed (with ETag) and text pages; statuses can be forced."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.forced: dict[str, tuple[int, dict[str, str]]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.on_request: Callable[[str], None] | None = None
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                site.requests.append((self.path, headers))
                if site.on_request:
                    site.on_request(self.path)
                status, extra, body = site.answer(self.path, headers)
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def feed(self) -> bytes:
        entries = "".join(
            f"<item><title>Ferry story {n}</title><link>{self.url(f'/story/{n}')}</link></item>"
            for n in self.items
        )
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Lowmere Gazette</title>'
            f"<link>{self.url('/')}</link>{entries}</channel></rss>"
        ).encode()

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if path in self.forced:
            status, extra = self.forced[path]
            return status, extra, b"not now"
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"
        if path.startswith("/feed"):
            body = self.feed()
            etag = '"' + hashlib.sha256(body).hexdigest()[:12] + '"'
            if headers.get("if-none-match") == etag:
                return 304, {"ETag": etag}, b""
            return 200, {"Content-Type": "application/rss+xml", "ETag": etag}, body
        if path.startswith("/story/"):
            n = path.rsplit("/", 1)[1]
            text = (
                f"Lowmere ferry story {n}\n\nThe Lowmere ferry resumed its route {n} on Tuesday "
                f"after a strike by its crews, the harbour office said in a statement.\n"
            )
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, text.encode()
        return 404, {}, b"no such page"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests if path != "/robots.txt"]

    def __enter__(self) -> FeedSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def site() -> Iterator[FeedSite]:
    with FeedSite() as running:
        running.items = ["1", "2"]
        yield running


class Clock:
    """A settable wall clock."""

    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


class Rig:
    """A watcher over a file store, built the way ``run_watch`` builds it."""

    def __init__(self, db: Path, sources: list[str], clock: Clock, every_s: float = 60) -> None:
        self.store = SQLiteStore(db)
        self.state = WatchState(self.store)
        self.fetcher = WatchFetcher(
            lambda: PoliteFetcher(LOOPBACK, cache=self.store), self.state, clock=clock
        )
        text = PlainTextExtractor()
        pipeline = Pipeline(
            self.store,
            settings=Settings(fetch=LOOPBACK),
            extractors={MediaType.TEXT: text, MediaType.HTML: text},
            deduplicator=NoDeduplication(),
            clusterer=OneStoryPerArticle(),
            fetcher=self.fetcher,
        )
        self.logged: list[CycleReport] = []
        self.watcher = Watcher(
            pipeline,
            sources,
            Schedule(every_s),
            self.fetcher,
            self.state,
            clock=clock,
            log=self.logged.append,
        )

    def poll_due(self, stop: threading.Event | None = None) -> CycleReport:
        return self.watcher.poll(self.watcher.due(), stop)

    def close(self) -> None:
        self.fetcher.close()
        self.store.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_only_new_items_are_fetched_and_ingested(site: FeedSite, tmp_path: Path, clock: Clock):
    rig = Rig(tmp_path / "w.db", [site.url("/feed")], clock)
    first = rig.poll_due()
    assert (first.ingested, first.polled, first.failed) == (2, 1, 0)
    assert site.paths() == ["/feed", "/story/1", "/story/2"]
    assert rig.logged[0].line().startswith("cycle 1: polled 1 source; 2 new, 0 duplicates")

    site.items.append("3")
    site.requests.clear()
    assert rig.watcher.due() == []  # not before --every has passed
    clock.now += 60
    second = rig.poll_due()
    assert second.ingested == 1 and second.stories == 3
    # Stories 1 and 2 are known: they are not asked for again.
    assert site.paths() == ["/feed", "/story/3"]
    rig.close()


def test_an_unchanged_feed_is_a_conditional_get_and_nothing_more(
    site: FeedSite, tmp_path: Path, clock: Clock
) -> None:
    rig = Rig(tmp_path / "w.db", [site.url("/feed")], clock)
    rig.poll_due()
    site.requests.clear()
    clock.now += 60
    report = rig.poll_due()
    assert (report.polled, report.unchanged, report.ingested) == (1, 1, 0)
    assert site.paths() == ["/feed"]
    assert site.requests[-1][1].get("if-none-match")
    assert "1 unchanged" in report.line()
    rig.close()


def test_a_restart_keeps_schedules_validators_and_seen_items(
    site: FeedSite, tmp_path: Path, clock: Clock
) -> None:
    first = Rig(tmp_path / "w.db", [site.url("/feed")], clock)
    first.poll_due()
    first.close()
    site.items.append("3")
    site.requests.clear()

    again = Rig(tmp_path / "w.db", [site.url("/feed")], clock)
    assert again.watcher.due() == []  # polled a moment ago by the last run
    clock.now += 61
    report = again.poll_due()
    assert report.ingested == 1
    assert site.paths() == ["/feed", "/story/3"]
    assert again.store.counts()["articles"] == 3
    again.close()


def test_a_failing_feed_backs_off_twice_as_long_each_time(
    site: FeedSite, tmp_path: Path, clock: Clock
) -> None:
    feed = site.url("/feed")
    site.forced["/feed"] = (500, {})
    rig = Rig(tmp_path / "w.db", [feed], clock, every_s=10)
    waits = []
    for _ in range(3):
        report = rig.poll_due()
        assert report.failed_sources == 1 and report.backing_off == 1
        state = rig.state.source(feed)
        assert state is not None and state.last_status.startswith("failed:")
        waits.append(state.next_poll - clock.now)
        clock.now = state.next_poll
    assert waits == [20, 40, 80]
    del site.forced["/feed"]
    report = rig.poll_due()
    assert report.ingested == 2 and report.backing_off == 0
    state = rig.state.source(feed)
    assert state is not None and (state.failures, state.next_poll - clock.now) == (0, 10)
    rig.close()


def test_429_and_503_are_honoured_with_their_retry_after(
    site: FeedSite, tmp_path: Path, clock: Clock
) -> None:
    first, second = site.url("/feed?a"), site.url("/feed?b")
    site.forced["/feed?a"] = (429, {"Retry-After": "300"})
    rig = Rig(tmp_path / "w.db", [first, second], clock, every_s=10)
    report = rig.poll_due()
    assert report.failed_sources == 2 and report.ingested == 0
    # The host asked us to wait: the second feed on it is not asked at all.
    assert site.paths() == ["/feed?a"]
    for source in (first, second):
        state = rig.state.source(source)
        assert state is not None and state.next_poll - clock.now >= 299
    clock.now += 100
    assert rig.watcher.due() == []
    del site.forced["/feed?a"]
    clock.now += 201
    assert rig.poll_due().ingested == 2
    rig.close()


def test_an_item_that_fails_for_now_is_retried_on_the_next_poll(
    site: FeedSite, tmp_path: Path, clock: Clock
) -> None:
    site.forced["/story/2"] = (500, {})
    rig = Rig(tmp_path / "w.db", [site.url("/feed")], clock, every_s=10)
    report = rig.poll_due()
    assert (report.ingested, report.failed) == (1, 1)
    del site.forced["/story/2"]
    site.requests.clear()
    clock.now += 10
    report = rig.poll_due()
    assert report.ingested == 1
    # The feed is read in full again (its validators were held back); story 1 is not refetched.
    assert site.paths() == ["/feed", "/story/2"]
    assert "if-none-match" not in site.requests[0][1]
    rig.close()


def test_a_stop_finishes_the_current_document_and_leaves_the_source_due(
    site: FeedSite, tmp_path: Path, clock: Clock
) -> None:
    stop = threading.Event()
    site.on_request = lambda path: stop.set() if path == "/story/1" else None
    rig = Rig(tmp_path / "w.db", [site.url("/feed"), site.url("/feed?other")], clock)
    report = rig.poll_due(stop)
    assert report.interrupted and report.ingested == 1 and report.polled == 0
    assert site.paths() == ["/feed", "/story/1"]
    assert report.line().endswith("stopped")
    site.on_request = None
    # Nothing was rescheduled: the next run starts with the same sources, and skips story 1.
    assert rig.watcher.due() == [site.url("/feed"), site.url("/feed?other")]
    site.requests.clear()
    assert rig.poll_due().ingested == 1
    assert site.paths() == ["/feed", "/story/2", "/feed?other"]
    rig.close()


def test_an_opml_list_becomes_one_schedule_per_feed(
    site: FeedSite, tmp_path: Path, clock: Clock
) -> None:
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>Desk</title></head><body>'
        f'<outline text="A" xmlUrl="{site.url("/feed?a")}"/>'
        f'<outline text="B" xmlUrl="{site.url("/feed?b")}"/></body></opml>'
    )
    not_a_list = tmp_path / "notes.txt"
    not_a_list.write_text("Just a text file about the ferry.")
    store = SQLiteStore(tmp_path / "w.db")
    fetcher = PoliteFetcher(LOOPBACK, cache=store)
    sources, notes = expand_subscriptions(
        [str(opml), str(not_a_list), site.url("/feed?a")], Settings(fetch=LOOPBACK), fetcher.fetch
    )
    assert sources == [site.url("/feed?a"), site.url("/feed?b"), str(not_a_list)]
    assert notes == [f"{opml}: 2 feeds"]
    fetcher.close()
    store.close()

    site.forced["/feed?b"] = (500, {})
    rig = Rig(tmp_path / "w.db", sources[:2], clock, every_s=10)
    rig.poll_due()
    clock.now += 10
    # Feed b backs off on its own; feed a keeps its schedule.
    assert rig.watcher.due() == [site.url("/feed?a")]
    rig.close()


def test_watch_needs_a_source() -> None:
    with pytest.raises(ValueError, match="at least one source"):
        Watcher(None, [], Schedule(1), None, None)  # type: ignore[arg-type]


# -- the command ---------------------------------------------------------------------


def watch_args(*argv: str) -> argparse.Namespace:
    """Arguments as ``parallax watch ARGV`` parses them."""
    return build_parser().parse_args(["watch", *argv])


def test_every_takes_a_duration_and_rejects_nonsense(capsys: pytest.CaptureFixture[str]) -> None:
    assert watch_args("f.xml", "--every", "3s").every == 3
    assert watch_args("f.xml").every == 900
    with pytest.raises(SystemExit):
        watch_args("f.xml", "--every", "often")
    assert "not a duration" in capsys.readouterr().err


def test_once_polls_what_is_due_then_exits(
    site: FeedSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site.forced["/feed?down"] = (500, {})
    with SQLiteStore(tmp_path / "w.db") as store:
        # Items stored by an earlier run: the command path runs without loading a model.
        WatchState(store).mark_seen([site.url("/story/1"), site.url("/story/2")])
    flags = ["--db", str(tmp_path / "w.db"), "--once", "--json", "--every", "1h"]
    flags += ["--allow-private-hosts", "--host-delay", "0.001"]
    args = watch_args(site.url("/feed"), site.url("/feed?down"), *flags)
    assert run_watch(args) == 1  # one source failed
    cycle = json.loads(capsys.readouterr().out)
    assert (cycle["cycle"], cycle["polled"], cycle["failed_sources"]) == (1, 2, 1)
    assert cycle["ingested"] == 0 and "/story/1" not in site.paths()
    assert cycle["backing_off"] == 1 and cycle["next_poll_s"] > 3500
    assert run_watch(args) == 0  # nothing is due for an hour
    captured = capsys.readouterr()
    assert captured.out == "" and "nothing is due" in captured.err


# The command as `parallax watch` runs it, in a subprocess.
WATCH_MAIN = """
import sys
from parallax.cli import main
sys.exit(main(["watch", *sys.argv[1:]]))
"""


@pytest.mark.slow
def test_sigterm_finishes_the_current_document_and_exits_cleanly(
    site: FeedSite, tmp_path: Path
) -> None:
    db = tmp_path / "watch.db"
    command = [sys.executable, "-c", WATCH_MAIN, site.url("/feed"), "--db", str(db)]
    command += ["--every", "1s", "--allow-private-hosts", "--host-delay", "0.01", "--json"]
    # One torch thread: on a busy 2-core machine, two run MiniLM many times slower.
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "OMP_NUM_THREADS": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    # The signal arrives while the first article is being read.
    site.on_request = lambda path: (
        process.send_signal(signal.SIGTERM) if path == "/story/1" else None
    )
    try:
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "stopped cleanly" in err
    assert '"interrupted": true' in out
    assert "/story/2" not in site.paths()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [row[0] for row in conn.execute("SELECT id FROM articles")]
        seen = [row[0] for row in conn.execute("SELECT url FROM watch_seen")]
        polled = conn.execute("SELECT COUNT(*) FROM watch_sources").fetchone()[0]
    assert ids == seen == [site.url("/story/1")]
    assert polled == 0  # the feed's poll did not finish: the next run polls it at once
