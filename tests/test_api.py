"""The web app: every route in-process (TestClient) and over a real socket (uvicorn + httpx).

Pages and API share one small store written here (fictional outlets and
events); story pages are rendered from a full analysis in the documented
``story --json`` shape, so facts, numbers, quotes and framing are exercised
whatever the analysers produce today.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape

from parallax.api import create_app
from parallax.models import AlignedPair, Article, Link, LinkKind
from parallax.outlets import Outlet
from parallax.store.sqlite import SQLiteStore
from parallax.web.access import StoryDetails
from parallax.web.security import CONTENT_SECURITY_POLICY
from served import serving

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
T0 = datetime(2026, 3, 10, 22, 5, tzinfo=UTC)


# -- a small hand-written store ----------------------------------------------------------


def article(key: str, title: str, outlet: str, text: str, hours: int = 0) -> Article:
    return Article(
        key=key,
        id=f"{key}.html",
        title=title,
        text=text,
        outlet=outlet,
        url=f"https://{outlet.lower().replace(' ', '')}.example/{key}",
        published=T0 + timedelta(hours=hours),
        byline="Staff",
        removed=("Sign up for our newsletter", "👁 4.2K views", "<b>Related</b>: " + XSS),
    )


RAIL = "The regional council approved the Calder Valley rail line in a 9-4 vote on Tuesday."
COST = "The line is projected to cost $2.4 billion and construction starts in 2027."
REWRITE_EXTRA = "This is the largest transit project in the state so far this year."


def fill_store(store: SQLiteStore) -> dict[str, str]:
    """Three stories: a rail vote (with a rewrite), a story titled with a script tag, a zoo."""
    store.put_outlets(
        [
            Outlet("Lakeshore Gazette", ("lakeshoregazette.example",), leaning="center"),
            Outlet("Liberty Post", ("libertypost.example",), leaning="right"),
            Outlet("Clarion Feed", ("clarionfeed.example",)),
        ]
    )
    rail = [
        article("a1", "Council approves Calder rail line", "Lakeshore Gazette", f"{RAIL}\n{COST}"),
        article("a2", "Rail boondoggle rammed through", "Liberty Post", f"{RAIL} {COST}", 3),
        article(
            "a3",
            "Calder rail line gets the green light",
            "Clarion Feed",
            f"{RAIL}\n{REWRITE_EXTRA}",
            9,
        ),
    ]
    rewrite = Link(
        "a1",
        "a3",
        LinkKind.DERIVED,
        0.81,
        aligned=(AlignedPair(RAIL, RAIL, 0.99),),
        unsupported=(REWRITE_EXTRA,),
    )
    store.add(rail[0], {}, [], "s-rail")
    store.add(rail[1], {}, [], "s-rail")
    store.add(rail[2], {}, [rewrite], "s-rail")
    store.refresh_story("s-rail", "Calder Valley rail line approved")
    store.add(
        article("x1", XSS, "Liberty Post", f"{XSS} was posted. Then more text.", 30),
        {},
        [],
        "s-xss",
    )
    store.refresh_story("s-xss", XSS)
    store.add(
        article(
            "z1",
            "Zoo welcomes twin red panda cubs",
            "Lakeshore Gazette",
            "Twin red panda cubs were born at the zoo.",
            60,
        ),
        {},
        [],
        "s-zoo",
    )
    store.refresh_story("s-zoo", "Zoo welcomes twin red panda cubs")
    return {"rail": "s-rail", "xss": "s-xss", "zoo": "s-zoo"}


def full_analysis(store: SQLiteStore, story_id: str) -> dict[str, Any]:
    """The story's ``story --json`` head with every analysis section filled (documented shapes)."""
    from parallax.report import load_story
    from parallax.views import article_ref, story_json

    story, articles = load_story(store, story_id)
    ids = [a.id for a in articles]
    outlets = [a.outlet for a in articles]
    first = ids[0]
    return story_json(story, articles, len(set(outlets))) | {
        "summary": [
            {
                "text": RAIL,
                "citations": ids,
                "source": first,
                "evidence": [{"article": i, "sentence": f"{RAIL} ({i})"} for i in ids],
            },
            {
                "text": f"Critics said {XSS} was costly.",
                "citations": [first],
                "source": first,
                "evidence": [{"article": first, "sentence": f"Evidence with {XSS} inside."}],
            },
        ],
        "facts": [
            {"text": "The vote was 9-4", "outlets": outlets, "status": "consensus"},
            {"text": f"Fact naming {XSS}", "outlets": outlets[:1], "status": "single"},
            {"text": "The cost is disputed", "outlets": outlets[:2], "status": "conflict"},
        ],
        "numbers": [
            {
                "value": 2.4e9,
                "unit": "USD",
                "about": "projected cost",
                "status": "conflict",
                "outlets": sorted({outlets[0], outlets[-1]}),
                "values": [
                    {"value": 2.4e9, "articles": [first], "outlets": [outlets[0]]},
                    {"value": 2.1e9, "articles": [ids[-1]], "outlets": [outlets[-1]]},
                ],
                "mentions": [
                    {
                        "article": first,
                        "outlet": outlets[0],
                        "text": "$2.4 billion",
                        "sentence": COST,
                        "value": 2.4e9,
                    },
                    {
                        "article": ids[-1],
                        "outlet": outlets[-1],
                        "text": "$2.1 billion",
                        "sentence": f"It costs $2.1 billion, says {XSS}.",
                        "value": 2.1e9,
                    },
                ],
            },
        ],
        "quotes": [
            {
                "speaker": "Marisol Ferrante",
                "text": "This line is the backbone",
                "outlets": outlets[:2],
                "verbatim": True,
            },
            {
                "speaker": XSS,
                "text": f"A quote with {XSS}",
                "outlets": outlets[1:],
                "verbatim": False,
            },
        ],
        "framing": {
            outlets[-1]: [
                {
                    "term": "boondoggle",
                    "category": "loaded",
                    "sentence": "A costly boondoggle <b>rammed</b> through.",
                    "article": ids[-1],
                },
                {
                    "term": "<b>rammed</b>",
                    "category": "loaded",
                    "sentence": "A costly boondoggle <b>rammed</b> through.",
                    "article": ids[-1],
                },
            ]
        },
        "links": [
            {
                "from": first,
                "to": ids[-1],
                "kind": "derived",
                "score": 0.81,
                "aligned": [{"source": RAIL, "rewrite": RAIL, "similarity": 0.99}],
                "unsupported": [REWRITE_EXTRA, XSS],
            },
        ],
        "timeline": [article_ref(a) for a in articles],
    }


def with_analysis(app: FastAPI, build: Any) -> None:
    """Swap the app's story analysis for ``build`` (test seam over a frozen state)."""
    state = app.state.parallax
    app.state.parallax = dataclasses.replace(state, details=StoryDetails(build=build))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "web.db"
    with SQLiteStore(path) as store:
        fill_store(store)
    return path


@pytest.fixture
def app(db: Path) -> FastAPI:
    app = create_app(db)
    with_analysis(app, full_analysis)
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def key_of(client: TestClient, title: str) -> str:
    for story in client.get("/api/stories?limit=100").json()["stories"]:
        for ref in story["articles"]:
            if ref["title"] == title:
                return str(ref["key"])
    raise AssertionError(title)


# -- headers and safety --------------------------------------------------------------------

PAGES = ["/", "/stories/s-rail", "/stories/s-xss", "/articles/x1", "/search?q=alert", "/verify"]


@pytest.mark.parametrize(
    "path",
    [
        *PAGES,
        "/api/stories",
        "/openapi.json",
        "/static/style.css",
        "/nowhere",
        "/api/stories/missing",
    ],
)
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_or_style(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert "<style" not in html and " style=" not in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/' in tag, tag
    assert len(re.findall(r"<script\b[^>]*>\s*</script>", html)) == html.count("<script")
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html)  # no event-handler attributes


@pytest.mark.parametrize(
    "path", ["/", "/stories/s-xss", "/stories/s-rail", "/articles/x1", "/search?q=alert"]
)
def test_a_script_in_a_title_is_shown_as_text(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert XSS not in response.text
    assert ESCAPED in response.text


def test_article_text_and_page_junk_are_escaped(client: TestClient) -> None:
    html = client.get("/articles/x1").text
    assert "<b>Related</b>" not in html
    assert "&lt;b&gt;Related&lt;/b&gt;" in html


def test_framing_terms_are_highlighted_without_letting_markup_through(client: TestClient) -> None:
    html = client.get("/stories/s-rail").text
    assert '<mark class="term">boondoggle</mark>' in html
    assert '<mark class="term">&lt;b&gt;rammed&lt;/b&gt;</mark>' in html
    assert "<b>rammed</b>" not in html


def test_links_from_articles_are_only_http(db: Path) -> None:
    with SQLiteStore(db) as store:
        store.add(
            dataclasses.replace(
                article("j1", "Sneaky", "Liberty Post", "Text here."), url="javascript:alert(1)"
            ),
            {},
            [],
            "s-j",
        )
    with TestClient(create_app(db)) as client:
        html = client.get("/articles/j1").text
    assert "javascript:" not in html


def test_bodies_over_the_limit_are_refused_with_413(client: TestClient) -> None:
    big = {"summary": "x" * 10, "sources": ["y" * 1_100_000]}
    assert client.post("/api/verify", json=big).status_code == 413
    assert (
        client.post(
            "/verify",
            content=b"summary=" + b"x" * 1_100_000,
            headers={"content-type": "application/x-www-form-urlencoded"},
        ).status_code
        == 413
    )


def test_chunked_bodies_over_the_limit_are_refused_too(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"x" * 100_000

    response = client.post(
        "/api/ingest", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_cross_site_posts_are_refused(client: TestClient) -> None:
    response = client.post(
        "/api/ingest",
        json={"urls": ["https://example.com/"]},
        headers={"origin": "https://evil.example"},
    )
    assert response.status_code == 403


# -- JSON API ------------------------------------------------------------------------------------


def test_stories_are_paginated_newest_first(client: TestClient) -> None:
    first = client.get("/api/stories?limit=2").json()
    assert [s["id"] for s in first["stories"]] == ["s-zoo", "s-xss"]
    assert first["total"] == 3 and first["next_offset"] == 2
    rest = client.get("/api/stories?limit=2&offset=2").json()
    assert [s["id"] for s in rest["stories"]] == ["s-rail"] and rest["next_offset"] is None
    rail = rest["stories"][0]
    assert {"id", "title", "articles", "sources", "independent_sources"} <= set(rail)
    assert {"id", "key", "outlet", "title", "published", "url"} <= set(rail["articles"][0])


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "limit=ten"])
def test_bad_pagination_is_422(client: TestClient, query: str) -> None:
    assert client.get(f"/api/stories?{query}").status_code == 422


@pytest.mark.slow
def test_story_json_is_the_clis(db: Path) -> None:
    from parallax.report import story_detail_json

    calls: list[str] = []

    def build(store: SQLiteStore, story_id: str) -> dict[str, Any]:
        calls.append(story_id)
        return story_detail_json(store, story_id)

    app = create_app(db)
    with_analysis(app, build)
    with TestClient(app) as client, SQLiteStore(db) as store:
        got = client.get("/api/stories/s-zoo").json()
        assert got == json.loads(json.dumps(story_detail_json(store, "s-zoo")))
        assert client.get("/api/stories/s-zoo").json() == got
    assert calls == ["s-zoo"]  # analysed once, then served from the cache


def test_a_new_article_refreshes_the_cached_analysis(app: FastAPI, db: Path) -> None:
    with TestClient(app) as client:
        before = client.get("/api/stories/s-zoo").json()
        with SQLiteStore(db) as store:
            store.add(
                article("z2", "Panda cubs named", "Liberty Post", "The cubs were named."),
                {},
                [],
                "s-zoo",
            )
        after = client.get("/api/stories/s-zoo").json()
    assert len(after["articles"]) == len(before["articles"]) + 1


def test_unknown_ids_are_404(client: TestClient) -> None:
    for path in ["/api/stories/nope", "/api/articles/nope"]:
        response = client.get(path)
        assert response.status_code == 404
        assert "nope" in response.json()["detail"]
    for path in ["/stories/nope", "/articles/nope", "/no/such/page"]:
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")


def test_article_json_by_key(client: TestClient) -> None:
    got = client.get("/api/articles/a3").json()
    assert got["key"] == "a3" and got["story"] == "s-rail"
    assert got["title"] == "Calder rail line gets the green light"
    assert got["removed"][0] == "Sign up for our newsletter"


def test_search_api(client: TestClient) -> None:
    results = client.get("/api/search", params={"q": "panda"}).json()["results"]
    assert [(r["story"], r["article"], r["key"]) for r in results] == [("s-zoo", "z1.html", "z1")]
    assert "[panda]" in results[0]["snippet"].lower()
    assert results[0]["title"] == "Zoo welcomes twin red panda cubs"
    for nasty in ['AND OR "(', '"', "*", "NEAR(", "a:b", "^", "\\", ")"]:
        assert client.get("/api/search", params={"q": nasty}).status_code == 200, nasty
        assert client.get("/search", params={"q": nasty}).status_code == 200, nasty
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", params={"q": "x" * 501}).status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"summary": "A summary."},
        {"summary": "", "sources": ["s"]},
        {"summary": "A summary.", "sources": []},
        {"summary": "A summary.", "sources": "one source"},
        {"summary": "A summary.", "sources": ["s"] * 21},
        {"summary": "x" * 20_001, "sources": ["s"]},
        {"summary": "A summary.", "sources": ["s"], "extra": 1},
    ],
)
def test_bad_verify_bodies_are_422(client: TestClient, body: dict[str, Any]) -> None:
    assert client.post("/api/verify", json=body).status_code == 422


def test_verify_needs_json(client: TestClient) -> None:
    response = client.post(
        "/api/verify",
        content=b'{"summary": "a", "sources": ["b"]}',
        headers={"content-type": "text/plain"},
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"urls": []},
        {"urls": ["file:///etc/passwd"]},
        {"urls": ["/etc/passwd"]},
        {"urls": ["-"]},
        {"urls": ["https://example.com/"] * 21},
        {"urls": "https://example.com/"},
    ],
)
def test_bad_ingest_bodies_are_422(client: TestClient, body: dict[str, Any]) -> None:
    assert client.post("/api/ingest", json=body).status_code == 422


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8000/feed",
        "http://10.0.0.7/a",
        "http://[::1]/",
        "http://2130706433/",
        "http://169.254.169.254/latest/meta-data/",
        "https://192.168.1.1/x",
    ],
)
def test_ingest_refuses_non_public_addresses(client: TestClient, url: str) -> None:
    response = client.post("/api/ingest", json={"urls": [url]})
    assert response.status_code == 403
    assert "refusing" in response.json()["detail"]


ARTICLE_PAGE = b"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Tidewater ferry returns to service | The Loopback Ledger</title>
<meta property="og:site_name" content="The Loopback Ledger">
<meta property="article:published_time" content="2026-05-02T09:30:00+00:00"></head>
<body><nav>Home | News | Sport</nav><article><h1>Tidewater ferry returns to service</h1>
<p>The Tidewater ferry returned to service on Saturday after a three-week repair of its
engines, the harbour authority said.</p>
<p>About 1,200 commuters use the crossing each weekday, and the authority said extra
sailings would run through the end of the month to clear the backlog.</p>
<p>Repairs cost the authority 380,000 dollars, more than twice the first estimate.</p>
</article><footer>Copyright The Loopback Ledger</footer></body></html>"""


@pytest.fixture
def article_site() -> Iterator[str]:
    """A loopback web server with one article and a permissive robots.txt."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Site(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            pages = {
                "/robots.txt": (b"User-agent: *\nAllow: /\n", "text/plain"),
                "/news/ferry.html": (ARTICLE_PAGE, "text/html; charset=utf-8"),
            }
            body, kind = pages.get(self.path, (b"not here", "text/plain"))
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_ingest_fetches_with_the_safe_fetcher(db: Path, article_site: str) -> None:
    from parallax.config import Settings

    settings = Settings().with_fetch(allow_private_hosts=True, host_delay_s=0.0)
    with TestClient(create_app(db, settings=settings)) as client:
        response = client.post("/api/ingest", json={"urls": [f"{article_site}/news/ferry.html"]})
        assert response.status_code == 200, response.text
        assert response.json()["ingested"] == 1, response.json()["failures"]
        missing = client.post("/api/ingest", json={"urls": [f"{article_site}/gone.html"]})
        assert missing.json()["failed"] == 1 and missing.json()["failures"][0]["reason"]
        hits = client.get("/api/search", params={"q": "Tidewater ferry"}).json()["results"]
        assert hits and hits[0]["title"].startswith("Tidewater ferry")


def test_an_internal_error_is_a_500_with_the_headers(db: Path) -> None:
    def broken(store: SQLiteStore, story_id: str) -> dict[str, Any]:
        raise RuntimeError("analysis bug")

    app = create_app(db)
    with_analysis(app, broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/stories/s-zoo")
    assert response.status_code == 500
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "internal error" in response.json()["detail"]


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in [
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles/{key}",
        "/api/search",
        "/api/verify",
        "/api/ingest",
    ]:
        assert path in spec["paths"], path
    assert "/stories/{story_id}" not in spec["paths"]  # pages are not API


# -- pages -------------------------------------------------------------------------------------


def test_home_lists_stories_with_counts_chips_and_leaning_bar(client: TestClient) -> None:
    html = client.get("/").text
    assert html.index("Zoo welcomes") < html.index("Calder Valley rail line approved")
    assert "3 articles" in html and "independent source" in html
    assert 'class="chip lean-center"' in html and 'class="chip lean-right"' in html
    # Clarion Feed declares no leaning: shown as such, never guessed.
    assert 'class="chip lean-unknown"' in html and "No leaning declared" in html
    assert 'class="seg lean-center"' in html and 'class="seg lean-right"' in html
    assert 'href="/stories/s-rail"' in html


def test_cached_listings_follow_the_store(client: TestClient, db: Path) -> None:
    assert "Zoo welcomes" in client.get("/").text
    assert client.get("/api/stories").json()["stories"][0]["title"].startswith("Zoo welcomes")
    with SQLiteStore(db) as store:  # another process retitles a story
        store.refresh_story("s-zoo", "Panda cubs get their names")
    assert "Panda cubs get their names" in client.get("/").text
    assert client.get("/api/stories").json()["stories"][0]["title"] == "Panda cubs get their names"


def test_home_paginates(db: Path, client: TestClient) -> None:
    with SQLiteStore(db) as store:
        for n in range(25):
            store.add(
                article(f"p{n}", f"Story {n}", "Liberty Post", "Words.", -n - 1), {}, [], f"s-p{n}"
            )
            store.refresh_story(f"s-p{n}", f"Story {n}")
    assert 'href="/?page=2"' in client.get("/").text
    page2 = client.get("/?page=2").text
    assert "Story 24" in page2 and "Page 2 of 2" in page2
    assert client.get("/?page=0").status_code == 422


def test_story_page_shows_every_section(client: TestClient) -> None:
    html = client.get("/stories/s-rail").text
    for section in [
        "summary",
        "facts",
        "numbers",
        "quotes",
        "framing",
        "provenance",
        "timeline",
        "sources",
    ]:
        assert f'id="{section}"' in html, section
    # Citations are buttons tied to the sentence they cite.
    assert 'aria-controls="ev-1-1"' in html and 'id="ev-1-1"' in html
    assert f"{RAIL} (a1.html)" in html
    # Facts matrix: a conflicting cell, a reported one and an absent one.
    assert "cell-conflict" in html and "cell-reported" in html and "cell-absent" in html
    # Numbers that disagree are one group, flagged.
    assert html.count('class="number-card is-conflict"') == 1
    assert "$2.4 billion" in html and "$2.1 billion" in html
    assert "Marisol Ferrante" in html and "Verbatim" in html and "Wording differs" in html
    assert "rewrites" in html and REWRITE_EXTRA in html
    assert html.count('class="timeline"') == 1


def test_a_widely_reported_sentence_shows_a_bounded_number_of_citations(db: Path) -> None:
    def wide(store: SQLiteStore, story_id: str) -> dict[str, Any]:
        detail = full_analysis(store, story_id)
        refs = [
            ref | {"id": f"w{n}", "key": f"w{n}"}
            for n in range(15)
            for ref in detail["articles"][:1]
        ]
        line = {"text": RAIL, "citations": [r["id"] for r in refs], "source": "w0", "evidence": []}
        return detail | {"articles": refs, "summary": [line]}

    app = create_app(db)
    with_analysis(app, wide)
    with TestClient(app) as client:
        html = client.get("/stories/s-rail").text
    assert html.count('class="cite ') == 12 and "+3 more" in html


def test_story_page_without_analysis_still_reads_well(db: Path) -> None:
    def bare(store: SQLiteStore, story_id: str) -> dict[str, Any]:
        detail = full_analysis(store, story_id)
        return detail | {"facts": [], "numbers": [], "quotes": [], "framing": {}, "links": []}

    app = create_app(db)
    with_analysis(app, bare)
    with TestClient(app) as client:
        html = client.get("/stories/s-rail").text
    assert "No facts have been lined up" in html
    assert "every one is independent" in html


def test_article_page_shows_text_metadata_and_folded_junk(client: TestClient) -> None:
    html = client.get("/articles/a3").text
    assert "Calder rail line gets the green light" in html
    assert '<details class="junk">' in html and "Sign up for our newsletter" in html
    assert "Clarion Feed" in html and 'href="/stories/s-rail"' in html
    assert "copied from" in html and REWRITE_EXTRA in html
    assert 'href="https://clarionfeed.example/a3"' in html


def test_search_page_groups_results_by_story(client: TestClient) -> None:
    html = client.get("/search", params={"q": "rail"}).text
    assert 'href="/stories/s-rail"' in html
    assert html.count('class="result-group"') == 1
    assert "<mark>" in html
    assert "No article matches" in client.get("/search", params={"q": "zzzz"}).text
    assert client.get("/search").status_code == 200


def test_verify_form_and_errors(client: TestClient) -> None:
    html = client.get("/verify").text
    assert '<textarea id="summary" name="summary"' in html and 'name="source"' in html
    response = client.post("/verify", data={"summary": "", "source": ["text"]})
    assert response.status_code == 422 and "Paste the summary" in response.text
    filled = client.get("/verify?story=s-rail").text
    assert RAIL in filled


# -- verification (once parallax.verify is there) ----------------------------------------------


@pytest.mark.slow
def test_verify_api_and_page_audit_sentence_by_sentence(client: TestClient) -> None:
    wrong = "The council rejected the rail line in a 4-9 vote."
    body = {"summary": f"{RAIL} {wrong}", "sources": [f"{RAIL} {COST}"]}
    audit = client.post("/api/verify", json=body).json()
    assert [s["supported"] for s in audit["sentences"]] == [True, False]
    assert audit["consistent"] is False
    html = client.post("/verify", data={"summary": body["summary"], "source": body["sources"]}).text
    assert "is-unsupported" in html and wrong in html
    problems = audit["sentences"][1]["problems"]
    assert problems and str(escape(problems[0])) in html


# -- over a real socket ---------------------------------------------------------------------------


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[str]:
    with serving(app) as url:
        yield url


def test_over_a_real_socket(live_server: str) -> None:
    with httpx.Client(base_url=live_server, timeout=10) as http:
        stories = http.get("/api/stories").json()["stories"]
        assert {s["id"] for s in stories} == {"s-rail", "s-xss", "s-zoo"}
        page = http.get("/")
        assert page.status_code == 200 and ESCAPED in page.text
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert http.get("/stories/s-rail").status_code == 200
        assert http.get("/api/stories/s-rail").json()["id"] == "s-rail"
        assert http.get("/api/articles/missing").status_code == 404
        assert (
            http.get("/static/app.js")
            .headers["content-type"]
            .startswith(("text/javascript", "application/javascript"))
        )
        assert http.post("/api/verify", json={"summary": ""}).status_code == 422
        assert http.post("/api/ingest", json={"urls": ["http://127.0.0.1/"]}).status_code == 403
        too_big = http.post(
            "/api/verify", content=b"x" * 1_100_000, headers={"content-type": "application/json"}
        )
        assert too_big.status_code == 413


def test_pages_keep_answering_while_another_process_writes(live_server: str, db: Path) -> None:
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # an ingest elsewhere, holding the write lock
    writer.execute("UPDATE stories SET title = 'half-written' WHERE id = 's-zoo'")
    try:
        with httpx.Client(base_url=live_server, timeout=5) as http:
            assert http.get("/").status_code == 200
            assert "half-written" not in http.get("/").text
            assert http.get("/api/search", params={"q": "panda"}).json()["results"]
    finally:
        writer.execute("ROLLBACK")
        writer.close()
