"""Acceptance on the shared seeds: the four seeds are one story; seed 000's teasers are not.

The teasers are parsed out of seed 000 at test time (a headline line and a
snippet line per teaser after "Related Article", up to the comment widget), so
nothing from the seeds is copied here. Uses the real MiniLM embeddings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.cluster import OnlineClusterer
from parallax.corpus import MemoryCorpus
from parallax.models import Article, content_key

pytestmark = pytest.mark.slow


def seed_article(path: Path) -> Article:
    """A bare text file as an article: its first line is the title."""
    raw = path.read_text(encoding="utf-8")
    lines = raw.strip().splitlines()
    title, text = lines[0].strip(), "\n".join(lines[1:]).strip()
    return Article(
        key=content_key(path.name, raw.encode()),
        id=path.name,
        title=title,
        text=text,
        outlet=path.stem,
    )


def teasers(seed: Path) -> list[Article]:
    """The "Related Article" teasers of a seed page, each a short article of its own."""
    lines = [line.strip() for line in seed.read_text(encoding="utf-8").splitlines()]
    start = lines.index("Related Article") + 1
    block: list[str] = []
    for line in lines[start:]:
        if not line:
            continue
        if len(line.split()) < 3 or "comment" in line.lower():
            break  # the comment widget ("0", "Would love your thoughts, please comment.")
        block.append(line)
    assert len(block) % 2 == 0, "teasers come as headline and snippet pairs"
    return [
        Article(
            key=content_key(f"teaser-{i}", snippet.encode()),
            id=f"teaser-{i}",
            title=headline,
            text=snippet,
            outlet=f"teaser-{i}",
        )
        for i, (headline, snippet) in enumerate(zip(block[::2], block[1::2], strict=True))
    ]


def test_seeds_form_one_story_and_teasers_group_by_their_own(seed_files: list[Path]) -> None:
    seeds = [seed_article(p) for p in seed_files]
    related = teasers(seed_files[0])
    assert len(related) >= 10
    clusterer = OnlineClusterer()
    corpus = MemoryCorpus()
    everything = [*seeds, *related]
    clusterer.prepare(everything)
    story: dict[str, str] = {}
    for a in everything:
        features = clusterer.features(a)
        story[a.id] = clusterer.assign(a, features, corpus)
        corpus.add(a, features, story[a.id])
    for absorbed, survivor in clusterer.merges(corpus):
        story = {k: survivor if s == absorbed else s for k, s in story.items()}

    seed_stories = {story[a.id] for a in seeds}
    assert len(seed_stories) == 1, "the four seeds report one event"
    assert not seed_stories & {story[a.id] for a in related}, "no teaser joins the seeds"

    def about(word: str) -> set[str]:
        return {a.id for a in related if word.lower() in f"{a.title} {a.text}".lower()}

    funding, ruling = about("Tenstorrent"), about("Delaware")
    assert len(funding) == 3 and len(ruling) == 5
    by_story: dict[str, set[str]] = {}
    for a in related:
        by_story.setdefault(story[a.id], set()).add(a.id)
    expected = [funding, ruling] + [{a.id} for a in related if a.id not in funding | ruling]
    assert sorted(map(sorted, by_story.values())) == sorted(map(sorted, expected))
