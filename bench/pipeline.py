"""End to end, by volume: ingest in one process vs batch on Dask, with the per-stage split.

    .venv/bin/python bench/pipeline.py                                  # 1k, 10k, 100k; all
    .venv/bin/python bench/pipeline.py --sizes 1000 --kinds pages --modes single

Documents are of two kinds: ``synthetic`` (fictional plain-text news written by
a seeded generator: events told by several outlets, with syndicated copies and
light edits) and ``pages`` (the HTML files of ../shared/data/extraction/*/html,
cycled to the size asked, each copy with a small edit in its first paragraph).
Both are written as JSONL.gz files first, then read by both modes the way the
commands read them: ``single`` is ``Pipeline.ingest`` (``parallax ingest``),
``dask`` is ``run_batch_job`` on a 2-worker LocalCluster (``parallax batch``).
Every run is a fresh process with a fresh store; peak memory is the largest sum
of RSS over the process and all of its children (Dask's workers, or ingest's
extraction worker, whose pages shared with the parent count twice), sampled.
Stages are timed in CPU seconds of the process that runs them.
The default dedup and cluster stages run when they import, else "none" (shown).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "data" / "extraction"
sys.path.insert(0, str(ROOT / "src"))

# -- inputs -----------------------------------------------------------------------------

SYLLABLES = "ka lo mer vin dra sel to bre ash quin hal dor fen ly mor tav ri ca".split()
OUTLETS = [f"The {place} {kind}" for place in ("Lowmere", "Calder", "Brackwater", "Selby")
           for kind in ("Gazette", "Times", "Courier")]  # fmt: skip
TOPICS = {
    "fire": "blaze firefighters warehouse smoke crews evacuated damage investigators alarm",
    "strike": "union workers pay talks walkout picket wages employers ballot dispute",
    "vote": "council vote motion budget members approved opposition plan debate",
    "storm": "storm winds flooding rain warnings residents power roads emergency",
    "trial": "court judge jury verdict prosecutors defence evidence sentence appeal",
    "market": "shares investors prices quarter profits index traders forecast growth",
}


def _word(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def synthetic_articles(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """Fictional articles: about eight per event, some syndicated copies and light edits."""
    rng = random.Random(seed)
    written: list[dict[str, Any]] = []
    events: list[tuple[str, str, str, str, list[str]]] = []
    for i in range(count):
        if written and rng.random() < 0.08:  # a wire copy or a lightly edited one
            base = rng.choice(written[-200:])
            text = base["text"]
            if rng.random() < 0.5:
                text = text.replace(".", f", {_word(rng)} said.", 1)
            yield {**base, "id": f"syn-{i}", "outlet": rng.choice(OUTLETS), "text": text}
            continue
        if not events or rng.random() < 0.12:
            topic = rng.choice(list(TOPICS))
            events.append((topic, _word(rng, 3), _word(rng), _word(rng), TOPICS[topic].split()))
        topic, place, person, org, words = events[-1 - int(rng.random() ** 3 * min(5, len(events)))]
        number = rng.randint(2, 900)
        sentences = [f"The {topic} in {place} drew {number} {words[0]} on Tuesday."]
        for _ in range(rng.randint(8, 14)):
            chosen = " ".join(rng.sample(words, 4))
            sentences.append(
                rng.choice(
                    (
                        f'"We are following the {chosen} closely," said {person} of {org}.',
                        f"Officials in {place} said the {chosen} would be reviewed by Friday.",
                        f"{person} told reporters that {number} {words[1]} were affected.",
                        f"Residents described {chosen} across {place} as the day went on.",
                    )
                )
            )
        article = {
            "id": f"syn-{i}",
            "title": f"{topic.capitalize()} in {place}: {person} speaks on {words[2]}",
            "text": " ".join(sentences),
            "outlet": rng.choice(OUTLETS),
            "published": f"2030-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T08:00:00Z",
        }
        written.append(article)
        yield article


def real_pages(count: int) -> Iterator[dict[str, Any]]:
    """The benchmark HTML pages, cycled; each copy's first paragraph gets a small edit."""
    paths = sorted(PAGES.glob("*/html/*.html.gz"))
    if not paths:
        sys.exit(f"no pages under {PAGES}; the shared benchmark data sits beside the repo")
    pages = [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in paths]
    for i in range(count):
        html = pages[i % len(pages)]
        cut = html.find(">", html.find("<p")) + 1 if "<p" in html else len(html)
        edit = f"Edition {i // len(pages)}. " if i >= len(pages) else ""
        yield {"id": f"page-{i}", "html": html[:cut] + edit + html[cut:]}


def write_inputs(kind: str, count: int, folder: Path) -> int:
    """JSONL.gz files holding ``count`` documents, enough files for every worker to share."""
    folder.mkdir(parents=True, exist_ok=True)
    per_file = max(25, min(1000, -(-count // 8)))
    docs = synthetic_articles(count) if kind == "synthetic" else real_pages(count)
    files = 0
    while True:
        chunk = [json.dumps(d) for _, d in zip(range(per_file), docs, strict=False)]
        if not chunk:
            return files
        with gzip.open(folder / f"part-{files:05d}.jsonl.gz", "wt", compresslevel=1) as out:
            out.write("\n".join(chunk) + "\n")
        files += 1


# -- one measured run (a child process) ---------------------------------------------------


def stage_names(dedup: str = "default", cluster: str = "default") -> tuple[str, str]:
    """The dedup and cluster stages asked for when they import, else the do-nothing ones."""
    from parallax import stages

    names = []
    for role, name in (("deduplicator", dedup), ("clusterer", cluster)):
        try:
            stages.create(role, name)
            names.append(name)
        except (ImportError, AttributeError, ValueError):
            names.append("none")
    return names[0], names[1]


def timed(totals: dict[str, float], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn``, adding the CPU seconds each call takes to ``totals[name]``.

    CPU, not wall time: the machine is shared, and extraction runs in a worker
    process beside the stages (its CPU time is measured on its own).
    """

    def run(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[name] += time.process_time() - started

    return run


class Timed:
    """A stage whose named methods are timed under ``role.method``."""

    def __init__(self, inner: Any, role: str, totals: dict[str, float]) -> None:
        self._inner, self._role, self._totals = inner, role, totals

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if name in ("extract", "prepare", "features", "link", "assign", "merges", "title"):
            return timed(self._totals, f"{self._role}.{name}", value)
        return value


def run_single(inputs: Path, work: Path, chosen: tuple[str, str]) -> dict[str, Any]:
    """``parallax ingest`` of the inputs, every stage timed."""
    from parallax import stages
    from parallax.pipeline import Pipeline
    from parallax.store.sqlite import SQLiteStore

    dedup, cluster = stage_names(*chosen)
    totals: dict[str, float] = defaultdict(float)
    with SQLiteStore(work / "single.db") as store:
        store.add = timed(totals, "store.add", store.add)  # type: ignore[method-assign]
        pipeline = Pipeline(
            store,
            deduplicator=Timed(stages.create("deduplicator", dedup), "dedup", totals),
            clusterer=Timed(stages.create("clusterer", cluster), "cluster", totals),
        )
        pipeline.extractors = {
            k: Timed(v, "extract", totals) for k, v in pipeline.extractors.items()
        }
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        started, cpu = time.perf_counter(), time.process_time()
        report = pipeline.ingest([str(inputs)])
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    # The extraction worker has exited by now (the pipeline shuts its pool down).
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    if worker > 0:  # the worker's extractions were timed there, not here
        totals["extract.worker"] = worker
    return {"wall": wall, "cpu": cpu, "worker_cpu": worker, "counts": report.counts(),
            "stages": dict(totals), "dedup": dedup, "cluster": cluster}  # fmt: skip


def run_dask(inputs: Path, work: Path, workers: int, chosen: tuple[str, str]) -> dict[str, Any]:
    """``parallax batch`` of the inputs on a local cluster; shard and global phases timed."""
    from parallax.batch import BatchOptions, BatchProgress, ShardDone, run_batch_job
    from parallax.config import Settings
    from parallax.store.sqlite import SQLiteStore

    dedup, cluster = stage_names(*chosen)
    marks: dict[str, float] = {}
    worker_seconds = [0.0]

    class Marks(BatchProgress):
        def planned(self, shards: int, to_write: int) -> None:
            marks["planned"] = time.perf_counter()

        def shard_done(self, done: ShardDone | None) -> None:
            worker_seconds[0] += done.seconds if done else 0.0

        def loading(self, documents: int) -> None:
            marks["loading"] = time.perf_counter()

    options = BatchOptions(str(work / "shards"), workers=workers, deduplicator=dedup,
                           clusterer=cluster)  # fmt: skip
    with SQLiteStore(work / "dask.db") as store:
        started = time.perf_counter()
        report = run_batch_job([str(inputs)], store, Settings(), options, progress=Marks())
        wall = time.perf_counter() - started
    if report.failed_shards:
        sys.exit(f"batch failed: {report.failed_shards[0][1]}")
    return {
        "wall": wall,
        "counts": report.counts(),
        "phases": {
            "cluster start + shards": marks["loading"] - marks["planned"],
            "worker busy (sum)": worker_seconds[0],
            "global stage": started + wall - marks["loading"],
        },
        "dedup": dedup,
        "cluster": cluster,
    }


# -- the runner -------------------------------------------------------------------------


def measure(command: list[str]) -> tuple[dict[str, Any], float]:
    """Run a child; returns its JSON result and the peak RSS (MiB) of it and its children."""
    import psutil

    out = Path(tempfile.mkstemp(suffix=".json")[1])
    process = subprocess.Popen([*command, "--result", str(out)])
    peak = 0
    watched = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            tree = [watched, *watched.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    if process.returncode:
        sys.exit(f"{' '.join(command)} failed with status {process.returncode}")
    result = json.loads(out.read_text())
    out.unlink()
    return result, peak / 2**20


def print_tables(rows: list[dict[str, Any]]) -> None:
    """Throughput and scaling, then where the time goes."""
    base: dict[tuple[str, str], float] = {}
    print("\n| kind | docs | mode | stages (dedup/cluster) | wall s | docs/s | peak MiB | "
          "s per 1k docs | vs smallest |")  # fmt: skip
    print("|---|---:|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        per_k = r["wall"] / r["size"] * 1000
        first = base.setdefault((r["kind"], r["mode"]), per_k)
        print(
            f"| {r['kind']} | {r['size']:,} | {r['mode']} | {r['dedup']}/{r['cluster']} | "
            f"{r['wall']:.1f} | {r['size'] / r['wall']:.1f} | {r['peak']:.0f} | {per_k:.1f} | "
            f"{per_k / first:.2f}x |"
        )
    singles = [r for r in rows if r["mode"] == "single"]
    if singles:
        names = sorted({n for r in singles for n in r["stages"]})
        print(
            "\nsingle process, CPU ms per document by stage (extract.worker: the extraction "
            "worker's CPU; other = this process's CPU minus its stages: reading, the pipeline):\n"
        )
        print("| kind | docs | " + " | ".join(names) + " | other | CPU s (main + worker) |")
        print("|---|---:|" + "---:|" * (len(names) + 2))
        for r in singles:
            ms = {n: r["stages"].get(n, 0.0) * 1000 / r["size"] for n in names}
            worker = r.get("worker_cpu", 0.0)
            here = sum(v for n, v in ms.items() if n != "extract.worker")
            rest = r.get("cpu", r["wall"]) * 1000 / r["size"] - here
            cells = " | ".join(f"{ms[n]:.2f}" for n in names)
            print(
                f"| {r['kind']} | {r['size']:,} | {cells} | {rest:.2f} | "
                f"{r.get('cpu', 0.0):.1f} + {worker:.1f} |"
            )
    dasks = [r for r in rows if r["mode"] == "dask"]
    if dasks:
        print("\ndask batch, seconds by phase:\n")
        print("| kind | docs | cluster start + shards | worker busy (sum) | global stage |")
        print("|---|---:|---:|---:|---:|")
        for r in dasks:
            p = r["phases"]
            print(
                f"| {r['kind']} | {r['size']:,} | {p['cluster start + shards']:.1f} | "
                f"{p['worker busy (sum)']:.1f} | {p['global stage']:.1f} |"
            )


def main() -> int:
    """Parse flags; as the parent, run every combination in a fresh child and print tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated counts")
    parser.add_argument("--kinds", default="synthetic,pages", help="synthetic, pages")
    parser.add_argument("--modes", default="single,dask", help="single, dask")
    parser.add_argument("--workers", type=int, default=2, help="Dask workers (default 2)")
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=1,
        help="torch threads in the measured process (default 1: Dask's workers get 1, and on a "
        "busy machine 2 threads run MiniLM many times slower)",
    )
    parser.add_argument("--deduplicator", default="default", help="dedup stage (default)")
    parser.add_argument("--clusterer", default="default", help="cluster stage (default)")
    parser.add_argument("--keep", metavar="DIR", help="keep inputs and stores in DIR")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "INPUTS", "WORK"),
                        help=argparse.SUPPRESS)  # fmt: skip
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, inputs, work = args.child[0], Path(args.child[1]), Path(args.child[2])
        import torch

        torch.set_num_threads(args.torch_threads)
        chosen = (args.deduplicator, args.clusterer)
        result = run_single(inputs, work, chosen) if mode == "single" else run_dask(
            inputs, work, args.workers, chosen)  # fmt: skip
        Path(args.result).write_text(json.dumps(result))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="parallax-bench-"))
    rows = []
    for kind in kinds:
        for size in sizes:
            inputs = root / f"{kind}-{size}" / "inputs"
            if not inputs.exists():
                files = write_inputs(kind, size, inputs)
                print(f"{kind} x {size:,}: {files} input files", file=sys.stderr)
            for mode in modes:
                work = root / f"{kind}-{size}" / mode
                work.mkdir(parents=True, exist_ok=True)
                command = [sys.executable, __file__, "--child", mode, str(inputs), str(work)]
                command += ["--workers", str(args.workers)]
                command += ["--torch-threads", str(args.torch_threads)]
                command += ["--deduplicator", args.deduplicator, "--clusterer", args.clusterer]
                result, peak = measure(command)
                rows.append({**result, "kind": kind, "size": size, "mode": mode, "peak": peak})
                print(f"  {mode}: {result['wall']:.1f} s, {result['counts']}", file=sys.stderr)
    print(
        f"\n{os.cpu_count()} CPUs, torch threads {args.torch_threads}, Dask workers "
        f"{args.workers}; load average {os.getloadavg()[0]:.1f} at the end"
    )
    print_tables(rows)
    if not args.keep:
        import shutil

        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
