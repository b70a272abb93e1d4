"""Stories as the CLI and the API show them, read from the store."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from parallax import __version__
from parallax.errors import NotFound
from parallax.models import Article, Link, Story
from parallax.outlets import Outlet
from parallax.store.sqlite import SQLiteStore
from parallax.views import article_ref, iso, link_json, story_json

# Bump when the analysis output changes shape or method, so stored analyses are redone.
ANALYSIS_FORMAT = 1


def _independent_sources(store: SQLiteStore, articles: list[Article]) -> int:
    from parallax.dedup import independent_sources

    links = store.links([a.key for a in articles])
    return independent_sources({a.key: a.outlet for a in articles}, links)


def stories_json(
    store: SQLiteStore, limit: int | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    """Every story, newest first, as ``parallax stories --json`` lists them."""
    out = []
    for story in store.stories(limit=limit, offset=offset):
        articles = store.articles(list(story.articles))
        out.append(story_json(story, articles, _independent_sources(store, articles)))
    return out


def load_story(store: SQLiteStore, story_id: str) -> tuple[Story, list[Article]]:
    """A story and its articles, or NotFound naming the id."""
    story = store.story(story_id)
    if story is None:
        raise NotFound(f"no story {story_id!r} in {store.path}; `parallax stories` lists them")
    return story, store.articles(list(story.articles))


def analysis_signature(
    articles: Sequence[Article], links: Sequence[Link], outlets: Sequence[Outlet]
) -> str:
    """What a story's analysis depends on, hashed: a change in any part invalidates it."""
    parts = [
        ANALYSIS_FORMAT,
        __version__,
        sorted(a.key for a in articles),
        sorted((ln.source, ln.target, ln.kind.value) for ln in links),
        sorted((o.name, o.leaning or "", o.country or "") for o in outlets),
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:24]


def story_detail_json(store: SQLiteStore, story_id: str) -> dict[str, Any]:
    """One story fully analysed, as ``parallax story ID --json`` prints it.

    The analysis is kept in the store, so a story is analysed again only when
    its articles, links or declared outlets change.
    """
    story, articles = load_story(store, story_id)
    links = store.links([a.key for a in articles])
    members = {a.key for a in articles}
    links = [ln for ln in links if ln.source in members and ln.target in members]
    outlets = store.outlets()
    signature = analysis_signature(articles, links, outlets)
    cached = store.cached_analysis(story_id, signature)
    if cached is not None:
        detail: dict[str, Any] = json.loads(cached)
        detail["title"] = story.title
        return detail
    detail = _analyse(store, story, articles, links, outlets)
    store.cache_analysis(story_id, signature, json.dumps(detail, ensure_ascii=False))
    return detail


def _analyse(
    store: SQLiteStore,
    story: Story,
    articles: list[Article],
    links: list[Link],
    outlets: list[Outlet],
) -> dict[str, Any]:
    from parallax.story import analyse_story, coverage_json

    id_of = {a.key: a.id for a in articles}
    analysis = analyse_story(articles, links, outlets=outlets)
    timeline = sorted(articles, key=lambda a: (a.published is None, iso(a.published) or "", a.id))
    return (
        story_json(story, articles, _independent_sources(store, articles))
        | coverage_json(analysis, id_of)
        | {
            "links": [link_json(ln, id_of) for ln in links],
            "timeline": [article_ref(a) for a in timeline],
        }
    )
