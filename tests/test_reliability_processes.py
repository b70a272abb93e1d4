"""Several processes on one store: SIGKILL mid-ingest, a web app reading while an ingest
writes, and two ingests at once, each checked with SQLite's own integrity checks.

Everything runs the real command line (``parallax ingest``, ``parallax serve``)
in subprocesses on folders of fictional articles generated here. The bulk
tests run the CLI with the registry's do-nothing deduplicator and clusterer
(``LIGHT``): the store, the pipeline and the CLI are the real ones, and
neither stage writes anything itself (their features, links and story go into
the store's one transaction per document), while real embeddings cost seconds
an article on a loaded 2-core machine. The ``real stages`` tests repeat the
crash and two-writer checks with every default stage on a small corpus of a
few stories, so merges and story titles are exercised too.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

# ``parallax`` as a subprocess; with LIGHT, dedup and clustering are the do-nothing stages.
CLI = """
import os, sys
from parallax import stages
if os.environ.get("PARALLAX_TEST_LIGHT_STAGES"):
    stages.register("deduplicator", "default", stages.NoDeduplication)
    stages.register("clusterer", "default", stages.OneStoryPerArticle)
from parallax.cli import main
sys.exit(main(sys.argv[1:]))
"""
LIGHT = {"PARALLAX_TEST_LIGHT_STAGES": "1"}

TOWNS = ["Valemont", "Orrin Falls", "Brackwater", "Linnet Cross", "Selby Moor", "Kinross Bay"]
TOWNS += ["Drayfield", "Port Calder", "Ashford Vale", "Wyndle", "Harrowgate", "Fenmarch"]
SUBJECTS = ["the old dam", "a new tram line", "the harbour wall", "the rental cap"]
SUBJECTS += ["the school roof", "a wind farm", "the night market", "the river ferry"]
PEOPLE = ["Mara Quill", "Tobias Renn", "Ilse Varga", "Owen Hartley", "Nadia Sorel", "Piet Lund"]
VERBS = ["approved", "rejected", "postponed", "debated", "funded", "reviewed"]
SYLLABLES = ["ka", "lo", "ren", "dri", "mos", "tel", "vi", "gar", "un", "sho", "pel", "bra"]


def invented(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def article_text(rng: random.Random, number: int) -> str:
    """One fictional local-news article, distinct from every other one."""
    town, subject, person = rng.choice(TOWNS), rng.choice(SUBJECTS), rng.choice(PEOPLE)
    verb, cost, votes = rng.choice(VERBS), rng.randint(2, 900), rng.randint(3, 40)
    names = [invented(rng) for _ in range(6)]
    title = f"{town} council {verb} plan for {subject} ({names[0]} item {number})"
    paragraphs = [
        f"The {town} council {verb} a plan for {subject} on {rng.choice(['Monday', 'Friday'])} "
        f"evening after a debate that lasted {rng.randint(2, 6)} hours, item {number} on its list.",
        f"The plan would cost {cost} million crowns over {rng.randint(2, 9)} years, according "
        f"to figures the {names[1]} finance office published in {rng.choice(['March', 'May'])}.",
        f'"We have waited long enough for {subject}," said {person}, who chairs the {names[2]} '
        f"committee. {votes} members voted in favour and {rng.randint(0, 12)} against.",
        f"Residents of {names[3]} said they expected work to start next "
        f"{rng.choice(['spring', 'autumn', 'year'])}, and {rng.randint(10, 500)} people signed "
        f"a petition organised by {names[4]} and {names[5]} asking for a public hearing first.",
    ]
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def write_corpus(folder: Path, count: int, seed: int = 9) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for n in range(count):
        (folder / f"article-{n:04d}.txt").write_text(article_text(rng, n), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of 300 distinct fictional articles as text files."""
    return write_corpus(tmp_path_factory.mktemp("corpus"), 300)


EVENTS = [
    (
        "Brackwater dockers walk out",
        "dockers in Brackwater walked out over night shifts",
        "Ilse Varga",
        "the port authority",
        640,
    ),
    (
        "Fire at Drayfield recycling plant",
        "a fire destroyed the recycling plant in Drayfield",
        "Owen Hartley",
        "the fire service",
        38,
    ),
    (
        "Port Calder rail line approved",
        "the Port Calder council approved the valley rail line",
        "Nadia Sorel",
        "the transport board",
        212,
    ),
]


def event_text(event: int, outlet: int) -> str:
    """Outlet ``outlet``'s own report of one of three fictional events."""
    title, what, person, body, number = EVENTS[event]
    outlets = [
        "Harbour Times",
        "Lakeshore Gazette",
        "Standard Beacon",
        "Northline News",
        "Meridian Press",
        "Commonweal Daily",
    ]
    openers = [
        "On Monday",
        "Early on Monday",
        "Late on Monday evening",
        "On Monday afternoon",
        "Shortly after noon on Monday",
        "By Monday night",
    ]
    return (
        f"{title}, {outlets[outlet]} reports\n\n"
        f"{openers[outlet]}, {what}, according to {body}. "
        f"The {outlets[outlet]} learned that {number} people were affected.\n\n"
        f'"This has gone on long enough," {person} told the {outlets[outlet]}. '
        f"{body.capitalize()} said it would publish a full account within {outlet + 2} weeks.\n\n"
        f"Residents interviewed by the {outlets[outlet]} said they had expected it for months, "
        f"and some asked why {body} had not acted sooner.\n"
    )


@pytest.fixture(scope="module")
def stories_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """18 articles: three fictional events, each told by six fictional outlets.

    Enough that an ingest, which stores a chunk's articles in a quick burst, can be
    killed between two of them.
    """
    folder = tmp_path_factory.mktemp("stories")
    for event in range(len(EVENTS)):
        for outlet in range(6):
            (folder / f"e{event}-o{outlet}.txt").write_text(event_text(event, outlet), "utf-8")
    return folder


def cli(*args: str) -> list[str]:
    return [sys.executable, "-c", CLI, *args]


def env(light: bool) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k != "PARALLAX_TEST_LIGHT_STAGES"}
    return base | LIGHT if light else base


def integrity_problems(db: Path) -> list[str]:
    """What SQLite's integrity, foreign-key and FTS checks find wrong (empty when sound)."""
    with closing(sqlite3.connect(db)) as conn, conn:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        problems = [p for p in problems if p != "ok"]
        problems += [str(row) for row in conn.execute("PRAGMA foreign_key_check")]
        try:
            conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as exc:
            problems.append(f"fts: {exc}")
    return problems


@dataclass(frozen=True)
class StoreCounts:
    """How many rows and distinct ids the store holds, and how articles sit in stories."""

    rows: int
    ids: int
    keys: int
    in_stories: int
    stories_without_articles: int


def store_counts(db: Path) -> StoreCounts:
    with closing(sqlite3.connect(db)) as conn, conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return StoreCounts(
            rows=one("SELECT COUNT(*) FROM articles"),
            ids=one("SELECT COUNT(DISTINCT id) FROM articles"),
            keys=one("SELECT COUNT(DISTINCT key) FROM articles"),
            in_stories=one("SELECT COUNT(DISTINCT article) FROM story_articles"),
            stories_without_articles=one(
                "SELECT COUNT(*) FROM stories WHERE id NOT IN (SELECT story FROM story_articles)"
            ),
        )


def article_rows(db: Path) -> int:
    """Rows in ``articles`` read as a WAL reader would (0 before the schema exists)."""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn, conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def wait_for_rows(db: Path, process: subprocess.Popen[bytes], at_least: int) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        rows = article_rows(db)
        if rows >= at_least or process.poll() is not None:
            return rows
        time.sleep(0.01)
    raise AssertionError(f"the ingest stored fewer than {at_least} articles in 120 s")


# -- crash safety ---------------------------------------------------------------------


def kill_and_resume(db: Path, folder: Path, *, light: bool, kill_after: list[int]) -> None:
    """Ingest ``folder``, SIGKILL it once ``kill_after[i]`` more articles are stored, resume."""
    total = len(list(folder.iterdir()))
    seen = 0
    for round_, more in enumerate(kill_after, 1):
        process = subprocess.Popen(
            cli("ingest", "--json", "--db", str(db), str(folder)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env(light),
        )
        rows = wait_for_rows(db, process, seen + more)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        assert process.returncode == -signal.SIGKILL, f"round {round_} ended before the kill"
        assert integrity_problems(db) == [], f"after kill {round_}"
        counts = store_counts(db)
        assert counts.rows == counts.ids == counts.keys == counts.in_stories >= rows
        seen = counts.rows
        assert seen < total, "the ingest finished before it could be killed; grow the corpus"

    started = time.monotonic()
    rerun = subprocess.run(
        cli("ingest", "--json", "--db", str(db), str(folder)),
        capture_output=True,
        text=True,
        timeout=600,
        env=env(light),
    )
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    report = json.loads(rerun.stdout)
    print(
        f"\n[figures] killed {len(kill_after)}x, {seen} of {total} stored at the last kill; "
        f"rerun in {time.monotonic() - started:.1f} s: {report}"
    )
    assert report["failed"] == 0
    assert report["ingested"] + report["duplicates"] == total
    assert report["duplicates"] == seen
    assert integrity_problems(db) == []
    assert store_counts(db) == StoreCounts(total, total, total, total, 0)
    with closing(sqlite3.connect(db)) as conn, conn:
        ids = {row[0] for row in conn.execute("SELECT id FROM articles")}
    assert ids == {str(path) for path in folder.iterdir()}


@pytest.mark.slow
def test_sigkill_mid_ingest_leaves_a_sound_store_and_a_rerun_completes_it(
    tmp_path: Path, corpus: Path
) -> None:
    # Three kills at different points; each restart resumes where the last one died.
    kill_and_resume(tmp_path / "store.db", corpus, light=True, kill_after=[10, 25, 40])


@pytest.mark.slow
def test_sigkill_mid_ingest_with_the_real_stages(tmp_path: Path, stories_corpus: Path) -> None:
    kill_and_resume(tmp_path / "store.db", stories_corpus, light=False, kill_after=[3])
    with closing(sqlite3.connect(tmp_path / "store.db")) as conn, conn:
        stories = conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
    # 18 reports of three events: after the crash and the rerun, still three stories.
    assert stories == 3


# -- concurrency ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served_store(tmp_path: Path, corpus: Path) -> Iterator[tuple[str, Path, Path]]:
    """``parallax serve`` on a store seeded with a few articles: (base URL, db, server log)."""
    from parallax.pipeline import Pipeline
    from parallax.stages import NoDeduplication, OneStoryPerArticle
    from parallax.store.sqlite import SQLiteStore

    db = tmp_path / "store.db"
    with SQLiteStore(db) as store:
        seed = Pipeline(store, deduplicator=NoDeduplication(), clusterer=OneStoryPerArticle())
        seed.ingest([str(path) for path in sorted(corpus.iterdir())[:5]])
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            cli("serve", "--db", str(db), "--port", str(port)), stdout=out, stderr=out
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/stories", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, "parallax serve did not start in 60 s"
            time.sleep(0.1)
        yield base, db, log
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@dataclass
class Traffic:
    """Requests made while an ingest ran: status codes, latencies and failures."""

    statuses: dict[int, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        ordered = sorted(self.latencies)
        p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0
        return (
            f"{len(self.latencies)} requests, statuses {self.statuses}, latency median "
            f"{statistics.median(ordered) * 1000 if ordered else 0:.0f} ms, p95 {p95 * 1000:.0f} "
            f"ms, max {max(ordered, default=0) * 1000:.0f} ms"
        )


def keep_asking(base: str, stop: threading.Event, traffic: Traffic) -> None:
    """Ask the API and pages in turn until ``stop``; record every answer."""
    paths = ["/api/stories?limit=50", "/api/search?q=council", "/", "/search?q=petition"]
    with httpx.Client(base_url=base, timeout=30) as http:
        stories = http.get("/api/stories").json()["stories"]
        key = stories[0]["articles"][0].get("key") if stories else None
        if key:
            paths.append(f"/api/articles/{key}")
        n = 0
        while not stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            started = time.monotonic()
            try:
                response = http.get(path)
            except httpx.HTTPError as exc:
                traffic.errors.append(f"{path}: {type(exc).__name__}: {exc}")
                continue
            traffic.latencies.append(time.monotonic() - started)
            traffic.statuses[response.status_code] = (
                traffic.statuses.get(response.status_code, 0) + 1
            )
            if response.status_code != 200:
                traffic.errors.append(f"{path}: {response.status_code} {response.text[:200]}")


@pytest.mark.slow
def test_the_web_app_keeps_answering_while_an_ingest_writes(
    served_store: tuple[str, Path, Path], corpus: Path
) -> None:
    base, db, log = served_store
    stop, traffic = threading.Event(), Traffic()
    asker = threading.Thread(target=keep_asking, args=(base, stop, traffic), daemon=True)
    asker.start()
    started = time.monotonic()
    ingest = subprocess.run(
        cli("ingest", "--json", "--db", str(db), str(corpus)),
        capture_output=True,
        text=True,
        timeout=300,
        env=env(light=True),
    )
    ingest_s = time.monotonic() - started
    stop.set()
    asker.join(60)
    print(f"\n[figures] during a {ingest_s:.1f} s ingest: {traffic.summary()}")
    assert ingest.returncode == 0, ingest.stderr[-3000:]
    assert traffic.errors == []
    assert len(traffic.latencies) >= 20, traffic.summary()
    assert set(traffic.statuses) == {200}
    server_log = log.read_text(errors="replace")
    assert "database is locked" not in server_log and "Traceback" not in server_log, server_log
    assert integrity_problems(db) == []
    # The app sees the ingest's work without a restart.
    total = httpx.get(f"{base}/api/stories", params={"limit": 1}, timeout=30).json()["total"]
    with closing(sqlite3.connect(db)) as conn, conn:
        assert total == conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0] > 5


def two_ingests_at_once(db: Path, files: list[Path], *, light: bool) -> list[dict[str, int]]:
    """Two ingests of overlapping halves of ``files`` at once; both must succeed."""
    third = len(files) // 3
    a_only, shared, b_only = files[:third], files[third : len(files) - third], files[-third:]
    # The shared files are listed in opposite orders so the two collide as often as they can.
    first = [str(p) for p in a_only + shared]
    second = [str(p) for p in list(reversed(shared)) + b_only]
    runs = [
        subprocess.Popen(
            cli("ingest", "--json", "--db", str(db), *sources),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(light),
        )
        for sources in (first, second)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    for run, (_, stderr) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, stderr[-3000:]
        assert "database is locked" not in stderr
    reports = [json.loads(stdout) for stdout, _ in outputs]
    print(f"\n[figures] two ingests at once: {reports}")
    assert [r["ingested"] + r["duplicates"] for r in reports] == [len(first), len(second)]
    assert [r["failed"] for r in reports] == [0, 0]
    # Each article was stored by exactly one of the two.
    assert sum(r["ingested"] for r in reports) == len(files)
    assert integrity_problems(db) == []
    assert store_counts(db) == StoreCounts(*([len(files)] * 4), 0)
    return reports


@pytest.mark.slow
def test_two_ingests_at_once_with_overlapping_inputs_store_each_article_once(
    tmp_path: Path, corpus: Path
) -> None:
    two_ingests_at_once(tmp_path / "store.db", sorted(corpus.iterdir())[:150], light=True)


@pytest.mark.slow
def test_two_ingests_at_once_with_the_real_stages(tmp_path: Path, stories_corpus: Path) -> None:
    two_ingests_at_once(tmp_path / "store.db", sorted(stories_corpus.iterdir()), light=False)


def test_integrity_checks_can_fail(tmp_path: Path) -> None:
    """The checks above are not vacuous: a store with a story-less row is caught."""
    db = tmp_path / "store.db"
    subprocess.run(
        cli("ingest", "--json", "--db", str(db), os.devnull),
        capture_output=True,
        timeout=120,
        env=env(light=True),
    )
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(
            "INSERT INTO stories (id, title, updated_at) VALUES ('s-empty', 'Empty', 'now')"
        )
        conn.execute("INSERT INTO story_articles (article, story) VALUES ('missing', 's-empty')")
    assert store_counts(db).stories_without_articles == 0
    assert integrity_problems(db) != []
