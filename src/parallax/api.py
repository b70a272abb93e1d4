"""The web app: JSON API and HTML pages over one store (``parallax serve``).

``create_app(db)`` builds a FastAPI app. The API returns the CLI's JSON
shapes (``stories --json``, ``story ID --json``, ``verify --json``); the pages
are in ``parallax.web.pages``. Every response carries a strict
Content-Security-Policy; bodies over 1 MB are refused with 413; unknown ids are
404 and malformed bodies 422.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from starlette.exceptions import HTTPException as StarletteHTTPException

from parallax import __version__
from parallax.config import Settings
from parallax.errors import BlockedAddress, FetchError, NotFound
from parallax.store.embedcache import persist_embeddings
from parallax.web import pages
from parallax.web.access import (
    ResultCache,
    ServerState,
    StoryDetails,
    ThreadStores,
    json_bytes,
    server_state,
)
from parallax.web.present import FILTERS, GLOBALS
from parallax.web.security import DEFAULT_MAX_BODY_BYTES, SecurityMiddleware

WEB = Path(__file__).resolve().parent / "web"
MAX_STORIES_PER_REQUEST = 100
MAX_INGEST_URLS = 20

Url = Annotated[str, StringConstraints(min_length=8, max_length=2048, pattern=r"^https?://\S+$")]
SourceText = Annotated[str, StringConstraints(min_length=1, max_length=pages.MAX_SOURCE_CHARS)]


class VerifyRequest(BaseModel):
    """A summary and the source texts to audit it against."""

    model_config = ConfigDict(extra="forbid")
    summary: Annotated[str, StringConstraints(min_length=1, max_length=pages.MAX_SUMMARY_CHARS)]
    sources: Annotated[list[SourceText], Field(min_length=1, max_length=pages.MAX_SOURCES)]


class IngestRequest(BaseModel):
    """Web addresses to fetch (safely) and ingest."""

    model_config = ConfigDict(extra="forbid")
    urls: Annotated[list[Url], Field(min_length=1, max_length=MAX_INGEST_URLS)]


class SearchResult(BaseModel):
    """One search hit: the article (id and key), its story, title and a snippet."""

    story: str | None
    article: str
    key: str
    title: str
    snippet: str


class SearchResults(BaseModel):
    """Full-text search results, best first."""

    results: list[SearchResult]


@cache
def _asset_version(name: str) -> str:
    """A short content hash, so browsers refetch a static file only when it changes."""
    return hashlib.sha256((WEB / "static" / name).read_bytes()).hexdigest()[:10]


def asset(name: str) -> str:
    """The URL of a static file, versioned by its content."""
    return f"/static/{name}?v={_asset_version(name)}"


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB / "templates"),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS, asset=asset, version=__version__)
    return Jinja2Templates(env=env)


def create_app(db: str | Path, settings: Settings | None = None) -> FastAPI:
    """The web UI and JSON API over the store at ``db`` (created if absent)."""
    stores = ThreadStores(db)
    persist_embeddings(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close()

    app = FastAPI(
        title="Parallax",
        version=__version__,
        description="One news story told many ways: stories, articles, search, audits.",
        openapi_url="/openapi.json",
        # The interactive docs load scripts from a CDN, which the CSP forbids.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.parallax = ServerState(
        stores=stores,
        details=StoryDetails(),
        results=ResultCache(),
        settings=settings or Settings(),
        templates=_templates(),
        ingesting=threading.Lock(),
    )
    app.add_middleware(SecurityMiddleware, max_body_bytes=DEFAULT_MAX_BODY_BYTES)
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    app.include_router(api)
    app.include_router(pages.router)
    _add_error_pages(app)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _add_error_pages(app: FastAPI) -> None:
    """JSON errors for the API, readable error pages for people."""

    async def not_found(request: Request, exc: Exception) -> Response:
        return await on_http_error(request, StarletteHTTPException(404, str(exc)))

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if _wants_json(request):
            return await http_exception_handler(request, exc)
        return pages.render(
            request,
            "error.html",
            status_code=exc.status_code,
            status=exc.status_code,
            message=exc.detail
            if exc.status_code != 404 or exc.detail != "Not Found"
            else "There is no page at this address.",
        )

    async def on_bad_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if _wants_json(request):
            return await request_validation_exception_handler(request, exc)
        problems = "; ".join(str(e.get("msg", "")) for e in exc.errors())
        return pages.render(
            request,
            "error.html",
            status_code=422,
            status=422,
            message=f"This address has a parameter that cannot be used ({problems}).",
        )

    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_bad_request)


# -- the JSON API ---------------------------------------------------------------

api = APIRouter(prefix="/api", tags=["api"])


@api.get("/stories", response_class=JSONResponse)
def list_stories(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=MAX_STORIES_PER_REQUEST)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    """Stories, newest first, as ``parallax stories --json`` lists them, a page at a time.

    ``{"stories": [...], "total", "limit", "offset", "next_offset"}``; ``next_offset`` is
    null on the last page.
    """
    from parallax.report import stories_json

    state = server_state(request)
    store = state.stores.get()
    counts = store.counts()
    shown = tuple(store.stories(limit=limit, offset=offset))

    def make() -> bytes:
        stories = stories_json(store, limit=limit, offset=offset)
        following = offset + len(stories)
        return json_bytes(
            {
                "stories": stories,
                "total": counts["stories"],
                "limit": limit,
                "offset": offset,
                "next_offset": following if following < counts["stories"] else None,
            }
        )

    key = ("api-stories", limit, offset, tuple(counts.items()), shown)
    return Response(state.results.get(key, make), media_type="application/json")


@api.get("/stories/{story_id}", response_class=JSONResponse)
def get_story(request: Request, story_id: pages.StoryId) -> Response:
    """One story fully analysed, exactly as ``parallax story ID --json`` prints it."""
    state = server_state(request)
    analysed = state.details.analysed(state.stores.get(), story_id)
    return Response(analysed.body, media_type="application/json")


@api.get("/articles/{key}")
def get_article(request: Request, key: pages.ArticleKey) -> dict[str, Any]:
    """One article by its stable key: clean text, metadata, removed boilerplate, story."""
    from parallax.views import article_json

    store = server_state(request).stores.get()
    article = store.article(key)
    if article is None:
        raise NotFound(f"no article with key {key!r}; /api/stories lists each article's key")
    return article_json(article, store.story_of(key))


@api.get("/search")
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=pages.MAX_QUERY_CHARS)],
    limit: Annotated[int, Query(ge=1, le=pages.SEARCH_LIMIT)] = pages.SEARCH_LIMIT,
) -> SearchResults:
    """Full-text search over article titles and texts, best match first."""
    store = server_state(request).stores.get()
    return SearchResults(
        results=[
            SearchResult(story=h.story, article=h.id, key=h.key, title=h.title, snippet=h.snippet)
            for h in store.search(q, limit=limit)
        ]
    )


@api.post("/verify")
async def verify(body: VerifyRequest) -> dict[str, Any]:
    """Audit a summary against its sources, sentence by sentence (``verify --json`` shape)."""
    return await run_in_threadpool(pages.audit_summary, body.summary, body.sources)


@api.post("/ingest")
def ingest(request: Request, body: IngestRequest) -> JSONResponse:
    """Fetch and ingest web pages or feeds with the safe fetcher; non-public hosts get 403."""
    state = server_state(request)
    for url in body.urls:
        _refuse_non_public(url, state.settings)
    if not state.ingesting.acquire(blocking=False):
        raise HTTPException(409, "another ingest is running; try again when it has finished")
    try:
        report = _run_ingest(state, body.urls)
    finally:
        state.ingesting.release()
    return JSONResponse(
        report.counts()
        | {
            "failures": [{"input": f.input, "reason": f.reason} for f in report.failures],
            "touched_stories": sorted(report.touched_stories),
        }
    )


def _refuse_non_public(url: str, settings: Settings) -> None:
    """403 before any connection when the URL names a loopback, private or reserved host."""
    import httpx

    from parallax.ingest.addresses import AddressGuard

    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise HTTPException(400, f"{url} is not a valid URL ({exc})") from exc
    if not parsed.host:
        raise HTTPException(400, f"{url} has no host; give an http(s) address")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        AddressGuard(settings.fetch.allow_private_hosts).addresses(parsed.host, port, url)
    except BlockedAddress as exc:
        raise HTTPException(403, str(exc)) from exc
    except FetchError:
        pass  # unresolvable now: the fetch itself reports it as this URL's failure


def _run_ingest(state: ServerState, urls: list[str]) -> Any:
    from parallax.ingest.web import PoliteFetcher
    from parallax.pipeline import Pipeline

    store = state.stores.get()
    with PoliteFetcher(state.settings.fetch, cache=store) as fetcher:
        pipeline = Pipeline(store, settings=state.settings, fetcher=fetcher)
        return pipeline.ingest(urls)
