"""parallax batch: shards in ingest's order, Parquet round trips, resumable runs, same results."""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from parallax import stages
from parallax.batch import (
    BatchOptions,
    Manifest,
    PreparedArticle,
    ShardJob,
    plan_shards,
    run_batch,
    run_batch_job,
)
from parallax.batch import work as batch_work
from parallax.batch.parquet import read_shard, write_shard
from parallax.cli import build_parser
from parallax.config import Settings
from parallax.errors import ParallaxError, UnsupportedInput
from parallax.models import Article, Failure
from parallax.pipeline import Pipeline
from parallax.store.sqlite import SQLiteStore

# -- a small archive of fictional news, in every shape batch reads --------------------

STORIES = {
    "ferry": (
        "Lowmere ferry crews end strike",
        "Ferry crews in Lowmere ended a two-week strike on Tuesday after the harbour board "
        "agreed to a four per cent pay rise. Services to Castel Point resume on Thursday. "
        "The union said members voted 212 to 40 to accept the offer.",
    ),
    "fire": (
        "Fire closes Quay 4 warehouse",
        "A fire broke out at the Quay 4 grain warehouse in Brackwater late on Monday. "
        "Firefighters from three stations fought the blaze for six hours and nobody was hurt. "
        "The port authority said shipping was not affected.",
    ),
    "vote": (
        "Port Calder council approves rail link",
        "Port Calder council voted 9 to 4 on Wednesday to approve the Calder Valley rail link, "
        "a 31-kilometre line expected to open in 2031. Opponents said the cost of 1.2 billion "
        "crowns was too high for a town of its size.",
    ),
}


def page_html(title: str, text: str, outlet: str) -> str:
    return (
        f"<html><head><title>{title} | {outlet}</title>"
        f'<meta property="og:site_name" content="{outlet}"></head><body>'
        f"<nav>Home | World | Sport</nav><article><h1>{title}</h1><p>{text}</p>"
        f"<p>Reporting by the {outlet} newsroom.</p></article>"
        "<footer>Copyright the publisher</footer></body></html>"
    )


def write_warc(path: Path, pages: dict[str, str]) -> None:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for uri, html in pages.items():
            body = html.encode()
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
            )
            writer.write_record(record)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """Loose pages, a JSONL file with a repeated line, a WARC, an empty file: 9 inputs."""
    root = tmp_path / "archive"
    pages = root / "pages"
    pages.mkdir(parents=True)
    (pages / "a-ferry.html").write_text(page_html(*STORIES["ferry"], "Harbour Times"))
    (pages / "b-fire.txt").write_text("\n\n".join(STORIES["fire"]) + "\n")
    (pages / "c-empty.txt").write_text("")
    (pages / "d-vote.html").write_text(page_html(*STORIES["vote"], "Lakeshore Gazette"))
    lines = [
        {"id": "wire-1", "title": STORIES["ferry"][0], "text": STORIES["ferry"][1]},
        {"id": "wire-2", "title": STORIES["vote"][0], "text": STORIES["vote"][1] + " More."},
        {"id": "wire-1", "title": STORIES["ferry"][0], "text": STORIES["ferry"][1]},
    ]
    (root / "wire.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    write_warc(
        root / "crawl.warc.gz",
        {
            "https://northline.example/fire": page_html(*STORIES["fire"], "Northline News"),
            "https://northline.example/vote": page_html(*STORIES["vote"], "Northline News"),
        },
    )
    return root


def job(tmp_path: Path, **changes: object) -> ShardJob:
    return ShardJob(out_dir=str(tmp_path / "out"), settings=Settings(), **changes)  # type: ignore[arg-type]


# -- planning ----------------------------------------------------------------------


def test_loose_pages_are_grouped_and_containers_are_shards_of_their_own(
    archive: Path, tmp_path: Path
) -> None:
    shards = plan_shards([str(archive)], job(tmp_path), pages_per_shard=2)
    assert [[Path(p).name for p in s.inputs] for s in shards] == [
        ["crawl.warc.gz"],
        ["a-ferry.html", "b-fire.txt"],
        ["c-empty.txt", "d-vote.html"],
        ["wire.jsonl"],
    ]
    assert [s.index for s in shards] == [0, 1, 2, 3]
    assert len({s.id for s in shards}) == 4


def test_a_changed_input_or_setting_makes_a_new_shard(archive: Path, tmp_path: Path) -> None:
    before = plan_shards([str(archive / "wire.jsonl")], job(tmp_path))
    same = plan_shards([str(archive / "wire.jsonl")], job(tmp_path))
    other_stage = plan_shards([str(archive / "wire.jsonl")], job(tmp_path, clusterer="none"))
    (archive / "wire.jsonl").write_text('{"id": "x", "title": "t", "text": "changed"}\n')
    after = plan_shards([str(archive / "wire.jsonl")], job(tmp_path))
    assert before[0].id == same[0].id
    assert len({before[0].id, other_stage[0].id, after[0].id}) == 3


def test_urls_and_stdin_are_refused_with_what_to_use_instead(tmp_path: Path) -> None:
    for source in ("https://news.example/feed", "-"):
        with pytest.raises(UnsupportedInput, match="parallax ingest"):
            plan_shards([source], job(tmp_path))


def test_an_empty_folder_or_a_missing_file_stays_an_input(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    shards = plan_shards([str(tmp_path / "empty"), str(tmp_path / "nope.html")], job(tmp_path))
    assert [s.inputs for s in shards] == [(str(tmp_path / "empty"), str(tmp_path / "nope.html"))]


# -- shards on disk --------------------------------------------------------------------


def test_a_shard_file_round_trips_articles_features_and_failures(tmp_path: Path) -> None:
    article = Article(
        key="k1",
        id="https://northline.example/fire",
        title="Fire",
        text="A fire broke out.",
        outlet="Northline News",
        url="https://northline.example/fire",
        published=datetime(2030, 3, 1, 9, 30, tzinfo=UTC),
        byline="R. Vell",
        language="en",
        removed=("Share this", "Related"),
        provenance="html",
    )
    bare = Article(key="k2", id="b.txt", title="", text="Text.", outlet="b.txt")
    items = [
        PreparedArticle(article, {"minhash": b"\x00\x01", "vector": b"\xff" * 8}),
        Failure("c.txt", "c.txt is empty; nothing to read"),
        PreparedArticle(bare, {}),
    ]
    path = tmp_path / "shards" / "s.parquet"
    assert write_shard(iter(items), path, group_rows=2) == (2, 1)
    assert list(read_shard(path)) == items
    assert [p.name for p in path.parent.iterdir()] == ["s.parquet"]  # no temporary left


def test_the_manifest_trusts_only_shards_whose_file_is_there(tmp_path: Path) -> None:
    from parallax.batch.records import Shard, ShardDone

    manifest = Manifest(tmp_path)
    (tmp_path / "shards").mkdir()
    (tmp_path / "shards" / "a.parquet").write_bytes(b"x")
    manifest.add(ShardDone("a", "shards/a.parquet", 1, 0, 0.1))
    manifest.add(ShardDone("b", "shards/b.parquet", 1, 0, 0.1))
    again = Manifest(tmp_path)
    assert again.is_done(Shard("a", 0, ("x",)))
    assert not again.is_done(Shard("b", 1, ("y",)))
    with (tmp_path / "manifest.jsonl").open("a") as manifest_file:
        manifest_file.write('{"format": 1, "id": "c", "fi')  # a run died mid-line
    assert set(Manifest(tmp_path).done) == {"a", "b"}


# -- the same results as ingest ------------------------------------------------------------


def snapshot(store: SQLiteStore) -> dict[str, object]:
    """Articles, links and stories by article id: what must match between ingest and batch."""
    stories = store.stories()
    keys = [k for story in stories for k in story.articles]
    by_key = {a.key: a for a in store.articles(keys)}
    return {
        "counts": store.counts(),
        "articles": sorted(
            (a.id, a.title, a.text, a.outlet, a.url or "", a.published) for a in by_key.values()
        ),
        "links": sorted(
            (by_key[ln.source].id, by_key[ln.target].id, ln.kind.value) for ln in store.links(keys)
        ),
        "stories": sorted(
            (sorted(by_key[k].id for k in story.articles), story.title) for story in stories
        ),
    }


def ingest_snapshot(sources: list[str], dedup: str, cluster: str) -> tuple[dict[str, int], dict]:
    with SQLiteStore(":memory:") as store:
        pipeline = Pipeline(
            store,
            deduplicator=stages.create("deduplicator", dedup),
            clusterer=stages.create("clusterer", cluster),
        )
        report = pipeline.ingest(sources)
        return report.counts(), snapshot(store)


def batch_snapshot(
    sources: list[str], out: Path, dedup: str, cluster: str, processes: bool = False
) -> tuple[dict[str, int], dict]:
    options = BatchOptions(
        out_dir=str(out),
        processes=processes,
        workers=1 if processes else 2,
        deduplicator=dedup,
        clusterer=cluster,
        pages_per_shard=2,
    )
    with SQLiteStore(":memory:") as store:
        report = run_batch_job(sources, store, Settings(), options)
        assert report.ingest is not None, report.failed_shards
        return report.ingest.counts(), snapshot(store)


def sources_of(archive: Path) -> list[str]:
    return [str(archive / "pages"), str(archive / "wire.jsonl"), str(archive / "crawl.warc.gz")]


def test_batch_gives_the_same_articles_and_stories_as_ingest(archive: Path, tmp_path: Path) -> None:
    expected_counts, expected = ingest_snapshot(sources_of(archive), "none", "none")
    counts, got = batch_snapshot(sources_of(archive), tmp_path / "out", "none", "none")
    assert expected_counts == {"ingested": 7, "duplicates": 1, "failed": 1, "stories": 7}
    assert counts == expected_counts
    assert got == expected


def test_a_rerun_after_a_failure_redoes_only_the_missing_shard(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = [str(archive / "pages"), str(archive / "wire.jsonl")]
    real_write = batch_work.write_shard
    written: list[str] = []

    def flaky(items: Iterator[object], path: Path) -> tuple[int, int]:
        result = real_write(items, path)  # type: ignore[arg-type]
        if any("wire.jsonl" in str(i) for i in plan_inputs[Path(path).stem]):
            raise OSError("disk full (simulated)")
        written.append(Path(path).stem)
        return result

    plan = plan_shards(sources, job(tmp_path, deduplicator="none", clusterer="none"), 2)
    plan_inputs = {s.id: s.inputs for s in plan}
    monkeypatch.setattr(batch_work, "write_shard", flaky)
    options = BatchOptions(
        out_dir=str(tmp_path / "out"),
        processes=False,
        deduplicator="none",
        clusterer="none",
        pages_per_shard=2,
    )
    with SQLiteStore(":memory:") as store:
        first = run_batch_job(sources, store, Settings(), options)
        assert (first.shards, first.written, len(first.failed_shards)) == (3, 2, 1)
        assert "disk full" in first.failed_shards[0][1]
        assert first.ingest is None and store.counts()["articles"] == 0  # nothing half-loaded

    monkeypatch.setattr(batch_work, "write_shard", real_write)
    with SQLiteStore(":memory:") as store:
        second = run_batch_job(sources, store, Settings(), options)
        assert (second.reused, second.written, second.failed_shards) == (2, 1, [])
        assert second.ingest is not None and second.ingest.ingested == 5
        assert snapshot(store) == ingest_snapshot(sources, "none", "none")[1]


# -- the command ---------------------------------------------------------------------------


def batch_args(*argv: str) -> argparse.Namespace:
    """Arguments as ``parallax batch ARGV`` parses them."""
    return build_parser().parse_args(["batch", *argv])


def test_batch_needs_an_output_folder(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        batch_args("crawl.warc")
    assert "--out" in capsys.readouterr().err


@pytest.mark.slow
def test_the_command_on_a_scheduler_gives_ingests_links_and_stories(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from distributed import LocalCluster

    expected_counts, expected = ingest_snapshot(sources_of(archive), "default", "default")
    db = tmp_path / "batch.db"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False) as cluster:
        flags = ["--out", str(tmp_path / "out"), "--db", str(db), "--json", "--shard-size", "2"]
        flags += ["--scheduler", cluster.scheduler_address]
        args = batch_args(*sources_of(archive), *flags)
        assert run_batch(args) == 1  # the empty file is a failure, as in ingest
    counts = json.loads(capsys.readouterr().out)
    assert counts["written_shards"] == counts["shards"] == 4
    assert {k: counts[k] for k in expected_counts} == expected_counts
    with SQLiteStore(db) as store:
        assert snapshot(store) == expected


@pytest.mark.slow
def test_worker_processes_give_the_same_results(archive: Path, tmp_path: Path) -> None:
    expected = ingest_snapshot(sources_of(archive), "none", "none")
    got = batch_snapshot(sources_of(archive), tmp_path / "out", "none", "none", processes=True)
    assert got == expected


def test_an_unreachable_scheduler_says_what_to_do(archive: Path, tmp_path: Path) -> None:
    address = "tcp://127.0.0.1:9"
    options = BatchOptions(out_dir=str(tmp_path / "out"), scheduler=address, connect_timeout_s=1)
    with (
        SQLiteStore(":memory:") as store,
        pytest.raises(ParallaxError, match=f"cannot reach the Dask scheduler at {address}"),
    ):
        run_batch_job([str(archive / "wire.jsonl")], store, Settings(), options)
