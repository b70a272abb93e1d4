"""Latency of the web app under concurrent readers, over loopback, on a 10k-article store.

A synthetic store (fictional outlets, generated text; no shared data needed)
is written with ``store.add`` and ``refresh_story``; ``parallax serve``'s app
then runs in its own process under uvicorn, and 20 concurrent clients request
``/api/stories/{id}`` (analysed stories, served from the app's analysis cache
once warm) and ``/`` (the home page, first page of stories). The first,
cold request of a story (its analysis: sentence embeddings) is timed apart.

Run: .venv/bin/python bench/api.py [--articles 10000] [--clients 20] [--requests 1000]
     [--db PATH (reuse or keep the store)]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from parallax.models import Article, content_key
from parallax.outlets import Outlet
from parallax.store.sqlite import SQLiteStore

OUTLETS = [
    ("The Harbour Ledger", "left"),
    ("Northfield Courier", "center-left"),
    ("Valemont Post", "center"),
    ("The Daily Lantern", "center-right"),
    ("Ridgeback Report", "right"),
    ("Cobalt Wire", "center"),
    ("Eastmere Gazette", None),
    ("The Quayside Times", "center-left"),
    ("Pinecrest Herald", "center-right"),
    ("Lowland Dispatch", None),
]
SYLLABLES = "ka lo mer vin tor sa del rin ov ast pel dun bre ith cal mor wen fal zu nor".split()
VERBS = ["approved", "rejected", "announced", "delayed", "funded", "questioned", "defended"]
THINGS = ["plan", "budget", "project", "contract", "proposal", "report", "agreement"]

# The server runs in its own process, as `parallax serve` would.
SERVER = """
import sys, uvicorn
from parallax.api import create_app
uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="error")
"""


def word(rng: random.Random, parts: int = 2) -> str:
    """A made-up word, so the corpus is plainly fictional."""
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def sentence(rng: random.Random, topic: list[str]) -> str:
    """One news-like sentence about the story's topic."""
    who, place, thing = rng.choice(topic[:3]), rng.choice(topic[3:]), rng.choice(THINGS)
    return (
        f"{who.title()} {rng.choice(VERBS)} the {place.title()} {thing} on "
        f"{rng.choice(['Monday', 'Tuesday', 'Friday'])}, citing {rng.randint(2, 900)} "
        f"{rng.choice(['jobs', 'homes', 'residents', 'million dollars'])} and "
        f"{word(rng)} {rng.choice(THINGS)}s across the region."
    )


def build_store(path: Path, articles: int, per_story: int, seed: int) -> None:
    """Write ``articles`` synthetic articles, ``per_story`` to a story, newest stories last."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with SQLiteStore(path) as store:
        store.put_outlets([Outlet(name, leaning=leaning) for name, leaning in OUTLETS])
        for n in range(articles):
            story_no = n // per_story
            story_id = f"bench-{story_no:05d}"
            topic_rng = random.Random(story_no)
            topic = [word(topic_rng, 3) for _ in range(6)]
            outlet = OUTLETS[rng.randrange(len(OUTLETS))][0]
            text = "\n\n".join(sentence(rng, topic) for _ in range(rng.randint(8, 14)))
            key = content_key(f"bench-{n}", text.encode())
            article = Article(
                key=key,
                id=f"bench-{n}",
                title=f"{topic[0].title()} {rng.choice(VERBS)} {topic[3].title()} {THINGS[n % 7]}",
                text=text,
                outlet=outlet,
                url=f"https://{outlet.lower().replace(' ', '')}.example/{n}",
                published=start + timedelta(hours=story_no * 6 + rng.randint(0, 30)),
            )
            store.add(article, {}, [], story_id)
            if n % per_story == per_story - 1 or n == articles - 1:
                store.refresh_story(story_id, article.title)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The app in its own process; returns it and its base URL once it answers."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(db), str(port)])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/openapi.json", timeout=2)
            return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start within 60 s")


async def fetch(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str
) -> int:
    """One GET on a kept-alive connection; returns the status."""
    # A bare client (like wrk), so the numbers are the server's, not an HTTP library's.
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        None,
    )
    if length is None:
        raise SystemExit(f"{path}: the response has no Content-Length")
    await reader.readexactly(length)
    return status


async def load(base: str, paths: list[str], clients: int) -> tuple[list[float], float]:
    """Request every path once with ``clients`` concurrent clients; latencies (s), wall time."""
    host = base.removeprefix("http://")
    address, port = host.rsplit(":", 1)
    queue: asyncio.Queue[str] = asyncio.Queue()
    for path in paths:
        queue.put_nowait(path)
    latencies: list[float] = []
    failures: list[str] = []

    async def client() -> None:
        reader, writer = await asyncio.open_connection(address, int(port))
        try:
            while not queue.empty():
                path = queue.get_nowait()
                began = time.perf_counter()
                status = await fetch(reader, writer, host, path)
                latencies.append(time.perf_counter() - began)
                if status != 200:
                    failures.append(f"{path}: {status}")
        finally:
            writer.close()
            await writer.wait_closed()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, e.g. {failures[:3]}")
    return latencies, time.perf_counter() - began


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used (Linux /proc), or NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    base: str, pid: int, paths: list[str], clients: int
) -> tuple[list[float], float, float]:
    """Latencies and wall time of a load run, and the server's CPU seconds per request."""
    before = cpu_seconds(pid)
    latencies, wall = asyncio.run(load(base, paths, clients))
    return latencies, wall, (cpu_seconds(pid) - before) / len(paths)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def row(name: str, latencies: list[float], wall: float, cpu: float) -> str:
    ms = [v * 1000 for v in latencies]
    return (
        f"| {name:<28} | {len(ms):>5} | {statistics.median(ms):>7.1f} | {percentile(ms, 95):>7.1f} "
        f"| {max(ms):>7.1f} | {len(ms) / wall:>7.1f} | {cpu * 1000:>17.2f} |"
    )


def main() -> None:
    """Build (or reuse) the store, start the server, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--per-story", type=int, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=1000, help="per endpoint")
    parser.add_argument("--stories", type=int, default=20, help="distinct stories requested")
    parser.add_argument("--cold", type=int, default=3, help="stories timed on first analysis")
    parser.add_argument("--db", type=Path, help="store to reuse (built there if absent)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="parallax-bench-") as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if not db.exists():
            began = time.perf_counter()
            build_store(db, args.articles, args.per_story, args.seed)
            print(f"built {db}: {args.articles} articles in {time.perf_counter() - began:.1f} s")
        with SQLiteStore(db) as store:
            counts = store.counts()
            story_ids = [s.id for s in store.stories(limit=args.stories + args.cold)]
        process, base = start_server(db)
        try:
            cold = []
            for story_id in story_ids[args.stories :]:
                began = time.perf_counter()
                httpx.get(f"{base}/api/stories/{story_id}", timeout=300).raise_for_status()
                cold.append(time.perf_counter() - began)
            warm_ids = story_ids[: args.stories]
            for story_id in warm_ids:  # analyse each once, as the first reader would
                httpx.get(f"{base}/api/stories/{story_id}", timeout=300).raise_for_status()
            rng = random.Random(args.seed)
            story_paths = [f"/api/stories/{rng.choice(warm_ids)}" for _ in range(args.requests)]
            detail = measure(base, process.pid, story_paths, args.clients)
            home = measure(base, process.pid, ["/"] * args.requests, args.clients)
        finally:
            process.terminate()
            process.wait(10)

    print(
        f"\nstore: {counts['articles']} articles, {counts['stories']} stories; "
        f"{args.clients} concurrent clients over loopback; {os.cpu_count()} CPUs\n"
    )
    print(
        "| request                      |     n |  p50 ms |  p95 ms |  max ms |   req/s "
        "| server CPU ms/req |"
    )
    print(
        "|------------------------------|-------|---------|---------|---------|---------"
        "|-------------------|"
    )
    print(row("/api/stories/{id} (cached)", *detail))
    print(row("/ (home page)", *home))
    cold_ms = [c * 1000 for c in cold]
    if cold_ms:
        print(
            f"| {'/api/stories/{id} (cold)':<28} | {len(cold_ms):>5} | "
            f"{statistics.median(cold_ms):>7.1f} | {'-':>7} | {max(cold_ms):>7.1f} | {'-':>7} "
            f"| {'-':>17} |"
        )
    verdict = all(percentile(lat, 95) < 0.2 for lat, _, _ in (detail, home))
    print(f"\np95 under 200 ms for both: {'yes' if verdict else 'NO'}")


if __name__ == "__main__":
    main()
