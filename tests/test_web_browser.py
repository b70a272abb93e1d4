"""The web UI in a real browser: Debian's Chromium driven by Playwright over loopback.

The store holds the bundled demo corpus (and the seeds, when ../shared is
there). A reader loads the stories, opens one, follows a citation to its
source sentence by mouse and by keyboard, searches, and audits a summary.
The story page's screenshot is saved under the test's tmp dir.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from parallax.store.sqlite import SQLiteStore
from served import serving

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is absent; install Debian's chromium (apt-get install chromium)",
    ),
]


def build_demo_store(path: Path, seeds: Path | None = None) -> SQLiteStore:
    """A store holding the demo corpus (and the seeds, when given)."""
    from parallax.config import Settings
    from parallax.demo import documents, outlets
    from parallax.ingest import read_sources
    from parallax.pipeline import Pipeline

    store = SQLiteStore(path)
    pipeline = Pipeline(store, outlets=outlets())
    report = pipeline.ingest_documents(documents())
    assert report.ingested > 20, report.failures
    if seeds is not None and seeds.is_dir():
        pipeline.ingest_documents(read_sources([str(seeds)], Settings()))
    return store


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from parallax.api import create_app

    db = tmp_path_factory.mktemp("browser") / "demo.db"
    build_demo_store(db, SEEDS if SEEDS.is_dir() else None).close()
    with serving(create_app(db)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(120_000)  # a story's first analysis embeds its sentences
    yield page
    context.close()
    # A CSP violation or a script error shows up as a console error.
    assert problems == []


def biggest_story(base: str) -> dict[str, Any]:
    stories = httpx.get(f"{base}/api/stories", params={"limit": 100}).json()["stories"]
    return max(stories, key=lambda s: (len(s["articles"]), s["id"]))


def test_read_a_story_and_follow_a_citation(
    server: str, page: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    story = biggest_story(server)
    page.goto(server + "/")
    assert page.locator(".story-card").count() >= 5
    page.get_by_role("link", name=story["title"], exact=True).click()
    page.wait_for_url(f"**/stories/{story['id']}")
    assert page.locator("h1").inner_text() == story["title"]
    summary = page.locator("ol.summary > li")
    assert summary.count() >= 1

    detail = httpx.get(f"{server}/api/stories/{story['id']}").json()
    cite = summary.first.locator(".cite").first
    number = int(cite.inner_text())
    cited_id = detail["articles"][number - 1]["id"]
    assert cited_id in detail["summary"][0]["citations"]
    sentence = {e["article"]: e["sentence"] for e in detail["summary"][0]["evidence"]}[cited_id]
    evidence = page.locator("#" + str(cite.get_attribute("aria-controls")))
    assert not evidence.is_visible()
    cite.click()
    assert evidence.is_visible()
    assert " ".join(sentence.split())[:60] in " ".join(evidence.inner_text().split())
    assert cite.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    page.mouse.move(0, 0)
    assert not evidence.is_visible()
    assert cite.get_attribute("aria-expanded") == "false"

    shots = tmp_path_factory.mktemp("screenshots")
    page.screenshot(path=str(shots / "story.png"), full_page=True)
    assert (shots / "story.png").stat().st_size > 20_000


def test_citations_work_from_the_keyboard(server: str, page: Any) -> None:
    story = biggest_story(server)
    page.goto(f"{server}/stories/{story['id']}")
    first = page.locator("ol.summary .cite").first
    first.focus()
    panel = page.locator("#" + str(first.get_attribute("aria-controls")))
    page.keyboard.press("Enter")
    assert panel.is_visible() and first.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Enter")
    assert first.get_attribute("aria-expanded") == "false"


def test_the_seed_story_renders_with_citations(server: str, page: Any) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent: the shared seeds sit beside the repo")
    stories = httpx.get(f"{server}/api/stories", params={"limit": 100}).json()["stories"]
    seeded = [s for s in stories if any(str(SEEDS) in a["id"] for a in s["articles"])]
    assert seeded, "the seeds formed no story"
    story = max(seeded, key=lambda s: len(s["articles"]))
    page.goto(f"{server}/stories/{story['id']}")
    assert page.locator("ol.summary > li").count() >= 2
    assert page.locator("ol.summary .cite").count() >= 2
    assert page.locator("#sources li").count() == len(story["articles"])


def test_search_from_the_header(server: str, page: Any) -> None:
    page.goto(server + "/")
    page.get_by_label("Search all articles").fill("council")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=council")
    groups = page.locator(".result-group")
    assert groups.count() >= 1
    assert page.locator(".snippet mark").count() >= 1
    page.locator(".result-title").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator(".article-text p").count() >= 1


def test_audit_a_summary(server: str, page: Any) -> None:
    page.goto(server + "/verify")
    source = (
        "The council approved the rail line on Tuesday in a 9-4 vote. "
        "Construction is set to begin in 2027."
    )
    page.get_by_label("Summary").fill(
        "The council approved the rail line in a 9-4 vote. The council rejected it in a 4-9 vote."
    )
    page.get_by_label("Source 1").fill(source)
    page.get_by_role("button", name="Add another source").click()
    assert page.get_by_label("Source 4").is_visible()
    page.get_by_role("button", name="Check the summary").click()
    audit = page.locator("#audit")
    audit.wait_for()
    lines = page.locator(".audit-sentences > li")
    assert lines.count() == 2
    assert "is-unsupported" in (lines.nth(1).get_attribute("class") or "")
