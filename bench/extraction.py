"""HTML extraction benchmark (and the block filter's training command).

    .venv/bin/python bench/extraction.py              # quality, metadata and speed tables
    .venv/bin/python bench/extraction.py --train      # retrain src/parallax/extract/_block_model.py
                                                      # (see extraction_train.py)

Quality is the ScrapingHub article-extraction-benchmark metric (its
evaluate.py): per page, 4-gram shingle true/false positives and negatives
normalised to sum to one, precision and recall averaged over pages, then F1;
"word" is the same with single words. Data: ../shared/data/extraction/{aeb,wcxb-dev}.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "extraction"
SETS = ("aeb", "wcxb-dev")
MODEL_PATH = ROOT / "src" / "parallax" / "extract" / "_block_model.py"
_TOKEN = re.compile(r"\w+")
sys.path.insert(0, str(ROOT / "src"))


# -- data and metric ---------------------------------------------------------------------------


def load_set(name: str) -> list[dict[str, Any]]:
    """Pages of one benchmark set: id, path, url, truth text and ground-truth record."""
    truth = json.loads((DATA / name / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, record in truth.items():
        text = record.get("articleBody") if "articleBody" in record else record["main_content"]
        path = DATA / name / "html" / f"{page_id}.html.gz"
        pages.append(
            {
                "id": page_id,
                "path": path,
                "url": record.get("url"),
                "truth": text or "",
                "record": record,
            }
        )
    return pages


def _grams(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def page_counts(truth: str, pred: str, n: int) -> tuple[float, float, float]:
    """Normalised true positive, false positive, false negative n-gram shares of one page."""
    want, got = _grams(truth, n), _grams(pred, n)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def quality(pages: list[dict[str, Any]], preds: dict[str, str], n: int) -> tuple[float, ...]:
    """F1, precision and recall as in the AEB's evaluate.py."""
    precisions, recalls = [], []
    for page in pages:
        tp, fp, fn = page_counts(page["truth"], preds.get(page["id"]) or "", n)
        # as evaluate.py: a page counts towards precision only if something was predicted,
        # towards recall only if something was expected
        if tp + fp > 0:
            precisions.append(tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(tp / (tp + fn))
    p, r = statistics.mean(precisions), statistics.mean(recalls)
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


# -- systems -----------------------------------------------------------------------------------


def _raw(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def parallax_system() -> Callable[[dict[str, Any]], str]:
    """Parallax's HTML extractor on one page."""
    from parallax.extract.html import TrafilaturaExtractor
    from parallax.models import MediaType, RawDocument

    extractor = TrafilaturaExtractor()

    def run(page: dict[str, Any]) -> str:
        doc = RawDocument(id=page["id"], body=_raw(page["path"]), media_type=MediaType.HTML)
        return extractor.extract(doc).text

    return run


def trafilatura_system() -> Callable[[dict[str, Any]], str]:
    """trafilatura with default settings, given the page's bytes (as the AEB runs it)."""
    import trafilatura

    return lambda page: trafilatura.extract(_raw(page["path"])) or ""


def readability_system() -> Callable[[dict[str, Any]], str]:
    """readability-lxml's summary, as text."""
    import lxml.html
    from readability import Document

    def run(page: dict[str, Any]) -> str:
        summary = Document(_raw(page["path"])).summary(html_partial=True)
        return " ".join(lxml.html.fromstring(summary).itertext())

    return run


def newspaper_system() -> Callable[[dict[str, Any]], str]:
    """newspaper4k's article text."""
    import newspaper

    def run(page: dict[str, Any]) -> str:
        article = newspaper.Article(page["url"] or "http://example.com/")
        article.download(input_html=_raw(page["path"]).decode("utf-8", "replace"))
        article.parse()
        return article.text

    return run


_WHY = {
    "newspaper4k": " (pip would downgrade python-dateutil 4 -> 2.9 in the shared environment)",
}
SYSTEMS = {
    "parallax": parallax_system,
    "trafilatura": trafilatura_system,
    "readability-lxml": readability_system,
    "newspaper4k": newspaper_system,
}


def run_system(
    factory: Callable[[], Callable[[dict[str, Any]], str]], pages: list[dict[str, Any]]
) -> tuple[dict[str, str], float]:
    """Predictions for every page (a failure predicts nothing) and pages per second."""
    run = factory()
    preds: dict[str, str] = {}
    start = time.perf_counter()
    for page in pages:
        try:
            preds[page["id"]] = run(page)
        except Exception:  # a failing page scores zero, as in the AEB
            preds[page["id"]] = ""
    return preds, len(pages) / (time.perf_counter() - start)


def quality_table(sets: dict[str, list[dict[str, Any]]]) -> None:
    """Shingle and word F1/P/R and pages/s for every available system on every set."""
    print(
        "parallax's block filter was trained on these pages: its held-out (cross-validated)\n"
        "scores are the ones `--train` prints; trafilatura runs with defaults on the raw bytes.\n"
    )
    print(
        f"{'set':<9} {'system':<17} {'shingle F1':>10} {'P':>6} {'R':>6} "
        f"{'word F1':>8} {'P':>6} {'R':>6} {'pages/s':>8}"
    )
    for name, pages in sets.items():
        for system, factory in SYSTEMS.items():
            try:
                preds, speed = run_system(factory, pages)
            except ImportError as err:
                why = _WHY.get(system, "")
                print(f"{name:<9} {system:<17} skipped: {err.name} is not installed{why}")
                continue
            f1, p, r = quality(pages, preds, 4)
            wf1, wp, wr = quality(pages, preds, 1)
            print(
                f"{name:<9} {system:<17} {f1:>10.3f} {p:>6.3f} {r:>6.3f} "
                f"{wf1:>8.3f} {wp:>6.3f} {wr:>6.3f} {speed:>8.1f}"
            )


# -- metadata ----------------------------------------------------------------------------------


def _norm(text: str | None) -> str:
    return " ".join(_TOKEN.findall((text or "").casefold()))


def _names(text: str | None) -> set[str]:
    parts = re.split(r"\s*(?:,|;|&|\band\b|\|)\s*", (text or "").casefold())
    return {_norm(p) for p in parts if _norm(p)}


def metadata_table(pages: list[dict[str, Any]]) -> None:
    """Title, author and date accuracy on pages whose ground truth has them."""
    import trafilatura

    from parallax.extract.html import TrafilaturaExtractor
    from parallax.models import MediaType, RawDocument

    extractor = TrafilaturaExtractor()
    found: dict[str, dict[str, tuple[str | None, ...]]] = {"parallax": {}, "trafilatura": {}}
    for page in pages:
        body = _raw(page["path"])
        try:
            art = extractor.extract(RawDocument(page["id"], body, MediaType.HTML, page["url"]))
            day = art.published.date().isoformat() if art.published else None
            found["parallax"][page["id"]] = (art.title, art.byline, day)
        except Exception:
            found["parallax"][page["id"]] = (None, None, None)
        doc = trafilatura.bare_extraction(body, url=page["url"], with_metadata=True)
        found["trafilatura"][page["id"]] = (
            (doc.title, doc.author, doc.date)
            if isinstance(doc, trafilatura.settings.Document)
            else (None, None, None)
        )
    print(f"\nmetadata on wcxb-dev ({len(pages)} pages; accuracy where the truth has a value)")
    print(f"{'system':<12} {'title':>7} {'author':>7} {'date':>7}")
    for system, values in found.items():
        scores = []
        for index, field in enumerate(("title", "author", "publish_date")):
            hits = total = 0
            for page in pages:
                want = page["record"].get(field)
                if not want:
                    continue
                total += 1
                got = values[page["id"]][index]
                if field == "title":
                    hits += _norm(got) == _norm(want)
                elif field == "author":
                    hits += bool(got) and _names(got) == _names(want)
                else:
                    hits += (got or "")[:10] == want[:10]
            scores.append(hits / total)
        print(f"{system:<12} {scores[0]:>7.3f} {scores[1]:>7.3f} {scores[2]:>7.3f}")


# -- speed -------------------------------------------------------------------------------------

# Whole-process timings. The CLI is used when it exists; until then the extractor's Python
# entry point runs in a subprocess (same imports, same work, no CLI argument parsing).
_PARALLAX_ENTRY = """
import sys
from pathlib import Path
from parallax.extract.html import TrafilaturaExtractor
from parallax.models import MediaType, RawDocument
import gzip
x = TrafilaturaExtractor()
for p in sys.argv[1:]:
    try:
        x.extract(RawDocument(p, gzip.decompress(Path(p).read_bytes()), MediaType.HTML))
    except Exception as e:
        print(p, e, file=sys.stderr)
"""
_TRAFILATURA_ENTRY = """
import sys, gzip
from pathlib import Path
import trafilatura
for p in sys.argv[1:]:
    trafilatura.extract(gzip.decompress(Path(p).read_bytes()))
"""


def _parallax_cli(sample: str) -> list[str] | None:
    # The real CLI, when it is installed and works on a sample; else the extractor's entry point.
    cli = ROOT / ".venv" / "bin" / "parallax"
    if not cli.exists():
        return None
    probe = subprocess.run(
        [str(cli), "extract", "--json", sample], capture_output=True, check=False
    )
    return [str(cli), "extract", "--json"] if probe.returncode == 0 else None


def speed_table(pages: list[dict[str, Any]], repeats: int, use_cli: bool = True) -> None:
    """Whole-process seconds of parallax and plain trafilatura over the same files."""
    python = sys.executable
    files = [str(page["path"]) for page in pages]
    cli = _parallax_cli(files[0]) if use_cli else None
    parallax_cmd = (cli or [python, "-c", _PARALLAX_ENTRY]) + files
    trafilatura_cmd = [python, "-c", _TRAFILATURA_ENTRY, *files]
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    timings: dict[str, list[float]] = {"parallax": [], "trafilatura": []}
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(repeats):  # interleaved, so load on the machine hits both alike
            for name, cmd in (("parallax", parallax_cmd), ("trafilatura", trafilatura_cmd)):
                start = time.perf_counter()
                done = subprocess.run(
                    cmd,
                    cwd=scratch,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    check=False,
                )
                timings[name].append(time.perf_counter() - start)
                if done.returncode not in (0, 1):  # 1: some pages failed, as the CLI reports
                    tail = done.stderr.decode(errors="replace").strip()[-300:]
                    sys.exit(f"{name} run failed (exit {done.returncode}): {tail}")
    best = {name: min(values) for name, values in timings.items()}
    how = "`parallax extract --json`" if cli else "the extractor's entry point, not the CLI"
    print(f"\nspeed: whole process over {len(files)} aeb pages, best of {repeats} ({how})")
    for name, seconds in best.items():
        print(f"{name:<12} {seconds:>6.2f} s")
    print(f"ratio        {best['parallax'] / best['trafilatura']:>6.2f} x  (goal <= 1.5)")
    from parallax.extract.many import default_workers

    print(f"(parallax extracts with {default_workers()} worker processes on this machine)")


# -- main --------------------------------------------------------------------------------------


def main() -> None:
    """Print the benchmark tables, or retrain the block filter with --train."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", action="store_true", help="retrain the block filter")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N pages a set")
    parser.add_argument("--repeats", type=int, default=3, help="speed runs per system")
    parser.add_argument("--no-speed", action="store_true", help="skip the whole-process timing")
    parser.add_argument(
        "--no-cli",
        action="store_true",
        help="time the extractor's entry point even if the CLI works",
    )
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"benchmark data not found at {DATA}; it lives in ../shared/data")
    sets = {name: load_set(name)[: args.limit or None] for name in SETS}
    if args.train:
        from extraction_train import train  # sklearn is needed only here

        train(sets)
        return
    quality_table(sets)
    metadata_table(sets["wcxb-dev"])
    if not args.no_speed and shutil.which(sys.executable):
        speed_table(sets["aeb"], args.repeats, use_cli=not args.no_cli)


if __name__ == "__main__":
    main()
