"""The ``parallax`` command line: results on stdout (``--json`` for machines), messages on stderr.

Exit status: 0 when every input succeeded, 1 when some failed (the rest are
still processed and printed), 2 for bad usage.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console

from parallax import __version__
from parallax.batch import add_batch_arguments, run_batch
from parallax.config import Settings, default_db_path
from parallax.errors import ParallaxError
from parallax.models import Article, Failure, RawDocument
from parallax.watch import add_watch_arguments, run_watch

stderr = Console(stderr=True, highlight=False)
stdout = Console(highlight=False)

Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    """Register a sub-command handler."""

    def register(fn: Handler) -> Handler:
        COMMANDS[name] = fn
        return fn

    return register


def emit(obj: Any) -> None:
    """Print one JSON object on its own line."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def warn(message: str) -> None:
    """One line on stderr, never markup-interpreted."""
    stderr.print(message, markup=False, soft_wrap=True)


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings with the fetcher flags applied."""
    settings = Settings()
    changes: dict[str, Any] = {}
    if getattr(args, "allow_private_hosts", False):
        changes["allow_private_hosts"] = True
    if getattr(args, "host_delay", None) is not None:
        changes["host_delay_s"] = args.host_delay
    max_bytes = getattr(args, "max_bytes", None)
    if max_bytes is not None:
        changes |= {"max_download_bytes": max_bytes, "max_decompressed_bytes": max_bytes}
        settings = replace(settings, max_file_bytes=max_bytes, max_html_bytes=max_bytes)
    return settings.with_fetch(**changes) if changes else settings


def make_fetcher(settings: Settings, cache: Any = None) -> Any:
    """The polite fetcher, remembering validators in ``cache`` when given."""
    from parallax.ingest.web import PoliteFetcher

    return PoliteFetcher(settings.fetch, cache=cache)


def read_documents(inputs: Sequence[str], settings: Settings) -> Iterator[RawDocument | Failure]:
    """Documents from inputs, without a store (no conditional GET memory)."""
    from parallax.ingest import read_sources

    yield from read_sources(inputs, settings, make_fetcher(settings))


def extract_all(
    inputs: Sequence[str], settings: Settings
) -> Iterator[tuple[str, Article | Failure]]:
    """Each input's clean article, or its failure, in input order."""
    from parallax.extract.many import extract_many

    return extract_many(read_documents(inputs, settings), settings)


def open_store(args: argparse.Namespace) -> Any:
    """The store named by ``--db``; embeddings are cached in it across runs."""
    from parallax.store.embedcache import persist_embeddings
    from parallax.store.sqlite import SQLiteStore

    store = SQLiteStore(args.db)
    persist_embeddings(args.db)
    return store


@command("extract")
def cmd_extract(args: argparse.Namespace) -> int:
    """Clean documents without storing them."""
    from parallax.views import extract_json

    failed = 0
    for name, result in extract_all(args.inputs, settings_from(args)):
        if isinstance(result, Failure):
            failed += 1
            warn(result.reason)
            if args.json:
                emit({"input": name, "error": result.reason})
            continue
        if args.json:
            emit(extract_json(name, result))
        else:
            stdout.rule(result.title or name)
            stdout.print(result.text, markup=False)
    return 1 if failed else 0


@command("ingest")
def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest sources into the store."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from parallax.demo import documents
    from parallax.outlets import OutletRegistry
    from parallax.pipeline import CHUNK_SIZE, Pipeline

    settings = settings_from(args)
    outlets = OutletRegistry.load(args.outlets) if getattr(args, "outlets", None) else None
    with open_store(args) as store:
        pipeline = Pipeline(
            store, settings=settings, fetcher=make_fetcher(settings, store), outlets=outlets
        )
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed} documents"),
            TimeElapsedColumn(),
            console=stderr,
            transient=True,
        ) as bar:
            task = bar.add_task("ingesting", total=None)
            items = documents(settings) if args.command == "demo" else pipeline.read(args.sources)
            report = pipeline.ingest_documents(
                items, progress=lambda _name: bar.advance(task), chunk_size=CHUNK_SIZE
            )
    for failure in report.failures:
        warn(failure.reason)
    if args.json:
        emit(report.counts())
    else:
        counts = report.counts()
        stdout.print(
            f"ingested {counts['ingested']}, duplicates {counts['duplicates']}, "
            f"failed {counts['failed']}; {counts['stories']} stories in {args.db}"
        )
    return 1 if report.failed else 0


@command("stories")
def cmd_stories(args: argparse.Namespace) -> int:
    """List stories."""
    from parallax.report import stories_json

    with open_store(args) as store:
        stories = stories_json(store, limit=args.limit)
    if args.json:
        emit({"stories": stories})
    else:
        print_stories(stories)
    return 0


def print_stories(stories: list[dict[str, Any]]) -> None:
    """A readable table of stories."""
    from rich.table import Table

    table = Table(title=f"{len(stories)} stories", show_lines=False)
    table.add_column("story", style="dim", no_wrap=True)
    table.add_column("title", ratio=3)
    table.add_column("articles", justify="right")
    table.add_column("independent", justify="right")
    table.add_column("outlets", ratio=2)
    for story in stories:
        outlets = sorted({a["outlet"] for a in story["articles"]})
        table.add_row(
            story["id"],
            story["title"],
            str(len(story["articles"])),
            str(story["independent_sources"]),
            ", ".join(outlets),
        )
    stdout.print(table)


@command("story")
def cmd_story(args: argparse.Namespace) -> int:
    """Show one story, fully analysed."""
    from parallax.report import story_detail_json

    with open_store(args) as store:
        detail = story_detail_json(store, args.id)
    if args.json:
        emit(detail)
    else:
        print_story(detail)
    return 0


def print_story(detail: dict[str, Any]) -> None:
    """A readable view of one story."""
    stdout.rule(detail["title"])
    for i, sentence in enumerate(detail.get("summary", []), 1):
        stdout.print(f"{i}. {sentence['text']}", markup=False)
        stdout.print(f"   [dim]cites: {', '.join(sentence['citations'])}[/dim]")
    for link in detail.get("links", []):
        stdout.print(f"[dim]{link['to']} is {link['kind']} from {link['from']}[/dim]")


@command("relate")
def cmd_relate(args: argparse.Namespace) -> int:
    """How two documents relate, or every pair in a JSONL file."""
    from parallax.relate import relate
    from parallax.views import relation_json

    if args.pairs:
        failed = 0
        for lineno, pair in read_jsonl(args.pairs):
            try:
                a, b = (
                    text_article(pair["a"], f"{lineno}.a"),
                    text_article(pair["b"], f"{lineno}.b"),
                )
            except (KeyError, TypeError):
                failed += 1
                warn(f"{args.pairs}:{lineno}: a pair needs string fields 'a' and 'b'; skipped")
                emit({"line": lineno, "error": "a pair needs string fields 'a' and 'b'"})
                continue
            emit(relation_json(relate(a, b), {a.key: a.id, b.key: b.id}))
        return 1 if failed else 0
    if len(args.documents) != 2:
        warn("relate takes two documents (A B), or --pairs FILE.jsonl")
        return 2
    results = dict(extract_all(args.documents, settings_from(args)))
    bad = [r for r in results.values() if isinstance(r, Failure)]
    for failure in bad:
        warn(failure.reason)
    articles = [r for r in results.values() if isinstance(r, Article)]
    if bad or len(articles) != 2:
        return 1
    id_of = {a.key: a.id for a in articles}
    relation = relation_json(relate(articles[0], articles[1]), id_of)
    if args.json:
        emit(relation)
    else:
        for field, value in relation.items():
            if field != "link":
                stdout.print(f"{field}: {value}")
    return 0


def text_article(text: str, name: str) -> Article:
    """A bare text taken as it is (pairs are sentences or clean texts, not scraped pages)."""
    from parallax.models import content_key

    return Article(key=content_key(name, text.encode()), id=name, title="", text=text, outlet=name)


def read_jsonl(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; bad lines are reported and skipped."""
    handle = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    with handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                warn(f"{path}:{lineno}: not valid JSON ({exc.msg}); skipped")
                continue
            if isinstance(obj, dict):
                yield lineno, obj
            else:
                warn(f"{path}:{lineno}: expected a JSON object; skipped")


@command("verify")
def cmd_verify(args: argparse.Namespace) -> int:
    """Audit a summary against its sources."""
    if args.batch:
        return verify_jsonl(args.batch)
    if not args.summary or not args.source:
        warn("verify takes SUMMARY --source FILE..., or --batch FILE.jsonl")
        return 2
    from parallax.verify import verify_batch
    from parallax.views import audit_json

    summary = read_text_argument(args.summary)
    texts: list[str] = []
    failed = 0
    for _name, result in extract_all(args.source, settings_from(args)):
        if isinstance(result, Failure):
            failed += 1
            warn(result.reason)
        else:
            texts.append(result.text)
    if not texts:
        warn("no usable source; give at least one readable --source FILE")
        return 1
    audit = audit_json(next(iter(verify_batch([(summary, texts)]))))
    if args.json:
        emit(audit)
    else:
        print_audit(audit)
    return 1 if failed else 0


def verify_jsonl(path: str) -> int:
    """Audit each line's summary; a bad line gets an error line and the rest go on."""
    from parallax.verify import verify_batch
    from parallax.views import audit_json

    items: list[tuple[int, str, list[str]]] = []
    failed = 0
    for lineno, obj in read_jsonl(path):
        summary, sources = obj.get("summary"), obj.get("sources")
        if isinstance(summary, str) and isinstance(sources, list):
            items.append((lineno, summary, [str(s) for s in sources]))
        else:
            failed += 1
            reason = "needs 'summary' (text) and 'sources' (a list of texts)"
            warn(f"{path}:{lineno}: {reason}; skipped")
            emit({"line": lineno, "error": reason})
    audits = verify_batch([(summary, sources) for _, summary, sources in items])
    for (lineno, _, _), audit in zip(items, audits, strict=True):
        emit({"line": lineno} | audit_json(audit))
    return 1 if failed else 0


def print_audit(audit: dict[str, Any]) -> None:
    """A readable audit, sentence by sentence."""
    for sentence in audit["sentences"]:
        mark = "[green]supported[/green]" if sentence["supported"] else "[red]unsupported[/red]"
        stdout.print(mark, markup=True, end=" ")
        stdout.print(sentence["text"], markup=False)
        for problem in sentence["problems"]:
            stdout.print(f"   {problem}", markup=False, style="dim")
    stdout.print(f"consistent: {audit['consistent']} (score {audit['score']})")


def read_text_argument(value: str) -> str:
    """A summary given as a file path, ``-`` for stdin, or literal text."""
    if value == "-":
        return sys.stdin.read()
    path = Path(value)
    if len(value) < 4096 and path.is_file():
        return path.read_text(encoding="utf-8", errors="replace")
    return value


@command("serve")
def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the web UI and the JSON API."""
    import uvicorn

    from parallax.api import create_app

    app = create_app(args.db, settings=settings_from(args))
    warn(f"serving {args.db} on http://{args.host}:{args.port}")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


@command("demo")
def cmd_demo(args: argparse.Namespace) -> int:
    """Build a store from the bundled corpus and show its stories."""
    from parallax.demo import corpus_path

    args.outlets = str(corpus_path() / "outlets.toml")
    code = cmd_ingest(args)
    if not args.json:
        cmd_stories(args)
        warn(
            f"explore it: parallax story STORY_ID --db {args.db}, or parallax serve --db {args.db}"
        )
    return code


# Their handlers live beside the machinery they drive.
command("watch")(run_watch)
command("batch")(run_batch)


def parse_size(value: str) -> int:
    """A byte count like 500000, 64MiB, 2GB or 512k."""
    units = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
    text = value.strip().lower().removesuffix("b").removesuffix("i")
    number, unit = (text[:-1], text[-1]) if text[-1:] in "kmg" else (text, "")
    try:
        size = int(float(number) * units[unit])
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a size like 64MiB or 500000") from None
    if size <= 0:
        raise argparse.ArgumentTypeError(f"{value!r}: the size must be positive")
    return size


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(
        prog="parallax",
        description="One news story told many ways: clean, dedup, cluster, compare, verify.",
    )
    parser.add_argument("--version", action="version", version=f"parallax {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str, db: bool = False, fetch: bool = False) -> Any:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")
        if db:
            p.add_argument(
                "--db", default=str(default_db_path()), help="store path (default: %(default)s)"
            )
        if fetch:
            p.add_argument(
                "--allow-private-hosts",
                action="store_true",
                help="allow fetching from loopback and private addresses",
            )
            p.add_argument(
                "--host-delay",
                type=float,
                metavar="SECONDS",
                help="minimum delay between requests to one host (default 1)",
            )
            p.add_argument(
                "--max-bytes",
                type=parse_size,
                metavar="SIZE",
                help="largest document to download or read, e.g. 256MiB (default 64MiB)",
            )
        return p

    p = add("extract", "clean documents (paths, URLs, -) without storing them", fetch=True)
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p = add("ingest", "ingest files, folders, URLs, feeds, sitemaps, WARC or JSONL", True, True)
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p.add_argument(
        "--outlets", metavar="FILE", help="TOML/YAML file of outlets (name, domains, leaning)"
    )
    p = add("stories", "list stories, newest first", db=True)
    p.add_argument("--limit", type=int, default=None, help="show at most this many")
    p = add("story", "one story, fully analysed", db=True)
    p.add_argument("id", metavar="ID")
    p = add("relate", "how two documents relate", fetch=True)
    p.add_argument("documents", nargs="*", metavar="DOC")
    p.add_argument("--pairs", metavar="FILE.jsonl", help='lines of {"a": text, "b": text}')
    p = add("verify", "audit a summary against its sources", fetch=True)
    p.add_argument("summary", nargs="?", metavar="SUMMARY", help="a file, - or the text itself")
    p.add_argument("--source", nargs="+", metavar="FILE", help="the sources")
    p.add_argument("--batch", metavar="FILE.jsonl", help='lines of {"summary", "sources": [...]}')
    p = add("serve", "web UI and JSON API over the store", db=True, fetch=True)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    p.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    p = add("watch", "poll feeds, OPML lists and sitemaps, ingesting new items", True, True)
    add_watch_arguments(p)
    p = add("batch", "process archives on Dask into Parquet shards, then into the store", True)
    add_batch_arguments(p)
    p = add("demo", "ingest the bundled demo corpus and show its stories", db=True)
    p.set_defaults(db=str(Path("parallax-demo.db")), limit=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    # Libraries' chatter about odd pages is not the user's business; our own failures are.
    logging.basicConfig(level=logging.ERROR, format="%(name)s: %(message)s")
    try:
        return COMMANDS[args.command](args)
    except ParallaxError as exc:
        warn(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        warn("interrupted")
        return 130
    except BrokenPipeError:
        return 1
