"""The HTML pages: stories, one story, one article, search, and the summary audit.

Handlers are plain ``def`` so FastAPI runs them in worker threads, each with
its own store connection (the audit form reads its body on the event loop and
audits in a worker thread); templates escape every value (autoescape), and the
few helpers that add markup sanitise it (``parallax.web.present``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from parallax.errors import NotFound, ParallaxError
from parallax.store.sqlite import SearchHit, SQLiteStore
from parallax.views import article_ref
from parallax.web.access import server_state
from parallax.web.present import leaning_of
from parallax.web.story_view import story_card, story_page

router = APIRouter(include_in_schema=False)

STORIES_PER_PAGE = 20
SEARCH_LIMIT = 50
MAX_QUERY_CHARS = 500
MAX_SUMMARY_CHARS = 20_000
MAX_SOURCES = 20
MAX_SOURCE_CHARS = 200_000
EMPTY_SOURCE_FIELDS = 3

StoryId = Annotated[str, Path(min_length=1, max_length=200)]
ArticleKey = Annotated[str, Path(min_length=1, max_length=200)]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page from its template; every value in ``context`` is escaped by the template."""
    templates = server_state(request).templates
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def render_text(request: Request, template: str, **context: Any) -> str:
    """A page as text, for caching; every value in ``context`` is escaped by the template."""
    return server_state(request).templates.get_template(template).render(context)


def leanings(store: SQLiteStore) -> dict[str, str | None]:
    """Declared leaning of each outlet the store knows (None where none was declared)."""
    return {outlet.name: outlet.leaning for outlet in store.outlets()}


@router.get("/", response_class=HTMLResponse)
def home(request: Request, page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    """Stories, newest first, a page at a time; cached until the stories shown change."""
    state = server_state(request)
    store = state.stores.get()
    offset = (page - 1) * STORIES_PER_PAGE
    counts = store.counts()
    declared = leanings(store)
    # The key is what the page is made from, read cheaply: counts, the page's story
    # records (title, members, times) and the declared leanings.
    shown = tuple(store.stories(limit=STORIES_PER_PAGE, offset=offset))
    key = ("home", page, tuple(counts.items()), shown, tuple(sorted(declared.items())))
    html = state.results.get(key, lambda: _home_page(request, page, counts, declared))
    return HTMLResponse(html)


def _home_page(
    request: Request, page: int, counts: Mapping[str, int], declared: Mapping[str, str | None]
) -> str:
    from parallax.report import stories_json

    store = server_state(request).stores.get()
    stories = stories_json(store, limit=STORIES_PER_PAGE, offset=(page - 1) * STORIES_PER_PAGE)
    return render_text(
        request,
        "home.html",
        cards=[story_card(story, declared) for story in stories],
        counts=counts,
        page=page,
        pages=max(1, math.ceil(counts["stories"] / STORIES_PER_PAGE)),
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: StoryId) -> HTMLResponse:
    """One story: cited summary, facts, numbers, quotes, framing, provenance, timeline."""
    state = server_state(request)
    store = state.stores.get()
    detail = state.details.get(store, story_id)
    return render(request, "story.html", page=story_page(detail, leanings(store)))


@dataclass(frozen=True, slots=True)
class Relation:
    """How the article on the page relates to another: ``copied from`` or ``copied by``."""

    role: str
    kind: str
    score: float
    other: Mapping[str, Any]
    unsupported: tuple[str, ...]


@router.get("/articles/{key}", response_class=HTMLResponse)
def article(request: Request, key: ArticleKey) -> HTMLResponse:
    """One article: clean text, metadata, its story, and the page junk the cleaner removed."""
    store = server_state(request).stores.get()
    found = store.article(key)
    if found is None:
        raise NotFound(f"no article with key {key!r}; story pages link to their articles")
    story_id = store.story_of(key)
    story = store.story(story_id) if story_id else None
    siblings = store.articles([k for k in story.articles if k != key][:50]) if story else []
    links = store.links([key])
    others = {
        a.key: a for a in store.articles([ln.source for ln in links] + [ln.target for ln in links])
    }
    relations = [
        Relation(
            role="copied from" if ln.target == key else "copied by",
            kind=ln.kind.value,
            score=ln.score,
            other=article_ref(others[other]),
            unsupported=ln.unsupported if ln.target == key else (),
        )
        for ln in links
        if (other := ln.source if ln.target == key else ln.target) in others
    ]
    declared = leanings(store)
    return render(
        request,
        "article.html",
        article=found,
        ref=article_ref(found),
        leaning=leaning_of(declared, found.outlet),
        story=story,
        siblings=[article_ref(a) for a in siblings],
        relations=relations,
    )


@dataclass(frozen=True, slots=True)
class SearchGroup:
    """Search hits in one story (``story`` None for articles in no story)."""

    story: str | None
    title: str
    hits: tuple[tuple[SearchHit, Mapping[str, Any]], ...]


def search_groups(store: SQLiteStore, hits: Sequence[SearchHit]) -> list[SearchGroup]:
    """Hits grouped by story, groups in the order of their best hit."""
    refs = {a.key: article_ref(a) for a in store.articles([h.key for h in hits])}
    grouped: dict[str | None, list[tuple[SearchHit, Mapping[str, Any]]]] = {}
    for hit in hits:
        grouped.setdefault(hit.story, []).append((hit, refs.get(hit.key, {})))
    groups = []
    for story_id, members in grouped.items():
        story = store.story(story_id) if story_id else None
        title = story.title if story else "Articles in no story"
        groups.append(SearchGroup(story_id if story else None, title, tuple(members)))
    return groups


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request, q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = ""
) -> HTMLResponse:
    """Full-text search over every article, grouped by story."""
    store = server_state(request).stores.get()
    hits = store.search(q, limit=SEARCH_LIMIT) if q.strip() else []
    return render(
        request,
        "search.html",
        q=q,
        groups=search_groups(store, hits),
        total=len(hits),
        limit=SEARCH_LIMIT,
    )


def audit_summary(summary: str, sources: Sequence[str]) -> dict[str, Any]:
    """Audit a summary against its sources (``verify --json`` shape); 503 if the model is stale."""
    from parallax.verify import verify_batch
    from parallax.views import audit_json

    try:
        audit = next(iter(verify_batch([(summary, list(sources))])))
    except ParallaxError as exc:  # e.g. the auditor's model is missing or stale
        raise HTTPException(503, f"summary verification is not available: {exc}") from exc
    return audit_json(audit)


@router.get("/verify", response_class=HTMLResponse)
def verify_form(
    request: Request, story: Annotated[str | None, Query(max_length=200)] = None
) -> HTMLResponse:
    """The audit form, empty or filled with a story's summary and articles."""
    summary, sources = "", [""] * EMPTY_SOURCE_FIELDS
    if story:
        state = server_state(request)
        store = state.stores.get()
        detail = state.details.get(store, story)
        summary = " ".join(line["text"] for line in detail.get("summary", []))
        keys = [ref["key"] for ref in detail.get("articles", [])][:MAX_SOURCES]
        sources = [a.text for a in store.articles(keys)] or sources
    return render(request, "verify.html", summary=summary, sources=sources, audit=None, error=None)


@router.post("/verify", response_class=HTMLResponse)
async def verify_page(request: Request) -> HTMLResponse:
    """Audit the pasted summary against the pasted sources, sentence by sentence."""
    form = parse_qs(
        (await request.body()).decode("utf-8", "replace"),
        keep_blank_values=True,
        max_num_fields=MAX_SOURCES + 10,
    )
    summary = (form.get("summary") or [""])[0].strip()
    sources = [s.strip() for s in form.get("source", []) if s.strip()]
    error = None
    if not summary:
        error = "Paste the summary to audit."
    elif not sources:
        error = "Paste at least one source text."
    elif len(summary) > MAX_SUMMARY_CHARS:
        error = f"The summary is over {MAX_SUMMARY_CHARS:,} characters; shorten it."
    elif len(sources) > MAX_SOURCES or any(len(s) > MAX_SOURCE_CHARS for s in sources):
        error = f"Give at most {MAX_SOURCES} sources of at most {MAX_SOURCE_CHARS:,} characters."
    audit = None if error else await run_in_threadpool(audit_summary, summary, sources)
    shown = sources + [""] * max(0, EMPTY_SOURCE_FIELDS - len(sources))
    return render(
        request,
        "verify.html",
        status_code=422 if error else 200,
        summary=summary,
        sources=shown,
        audit=audit,
        error=error,
    )


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> RedirectResponse:
    """Browsers ask for /favicon.ico; the icon is an SVG under /static."""
    return RedirectResponse("/static/favicon.svg", status_code=301)
