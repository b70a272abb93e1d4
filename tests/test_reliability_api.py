"""Schemathesis against ``/openapi.json``: no generated request makes the API answer 5xx.

The app runs in-process (ASGI) over a store holding a few fictional articles.
``/api/ingest`` is included: name resolution and outgoing connections are cut
for the test, so every URL it is given fails as unreachable (or is refused as
non-public) instead of touching the network. ``/api/verify`` answers 503
until the auditor is installed, a deliberate answer and the only 5xx allowed.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpcore
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from parallax.models import MediaType, RawDocument
from parallax.pipeline import Pipeline
from parallax.stages import NoDeduplication, OneStoryPerArticle
from parallax.store.sqlite import SQLiteStore

TEXTS = [
    "Valemont council approves harbour wall repairs\n\nThe Valemont council approved repairs "
    "to the harbour wall on Monday. The work will cost 42 million crowns, said Mara Quill.",
    "Harbour wall repairs get the go-ahead\n\nCouncillors in Valemont voted on Monday to fund "
    "the harbour wall repairs, a 42 million crown project chaired by Mara Quill.",
    "Brackwater dockers extend strike\n\nDockers in Brackwater voted to extend their strike "
    "by a week after talks broke down, the union said on Friday.",
]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from parallax import stages

    db = tmp_path_factory.mktemp("api") / "store.db"
    with SQLiteStore(db) as store:
        pipeline = Pipeline(
            store,
            extractors={MediaType.TEXT: stages.create("text_extractor")},
            deduplicator=NoDeduplication(),
            clusterer=OneStoryPerArticle(),
        )
        docs = [
            RawDocument(id=f"a{n}.txt", body=text.encode(), media_type=MediaType.TEXT)
            for n, text in enumerate(TEXTS)
        ]
        report = pipeline.ingest_documents(docs)
        assert report.ingested == len(TEXTS), report.failures
    return db


def _no_dns(*args: Any, **kwargs: Any) -> Any:
    raise socket.gaierror(socket.EAI_NONAME, "name resolution is cut for this test")


def _no_connections(*args: Any, **kwargs: Any) -> Any:
    raise httpcore.ConnectError("outgoing connections are cut for this test")


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _no_dns)
    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", _no_connections)


@pytest.fixture
def api_schema(database: Path, offline: None) -> Iterator[Any]:
    from parallax.api import create_app

    app = create_app(database)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)


def exercise(operation: Any, mode: GenerationMode, served: dict[str, int]) -> None:
    """Send ``operation`` hypothesis-generated requests; none may get an unhandled 5xx."""

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy(generation_mode=mode))
    def answer(case: Any) -> None:
        response = case.call()
        deliberate = response.status_code == 503 and case.path == "/api/verify"
        assert response.status_code < 500 or deliberate, (
            f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}"
        )
        served[operation.label] = served.get(operation.label, 0) + 1

    answer()


# schemathesis' pytest fixture integration does not run on pytest 9, so each operation's
# strategy is driven by hypothesis directly.
@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_generated_request_gets_a_server_error(api_schema: Any, mode: GenerationMode) -> None:
    served: dict[str, int] = {}
    for result in api_schema.get_all_operations():
        exercise(result.ok(), mode, served)
    print(f"\n[figures] schemathesis {mode.value}: {served}")
    assert len(served) >= 6, served


# -- what the fuzzing found, kept as plain regression tests ----------------------------


def test_a_nul_in_a_search_is_no_server_error(database: Path) -> None:
    # schemathesis found GET /api/search?q=%00 answering 500 (FTS5: "unterminated string").
    from fastapi.testclient import TestClient

    from parallax.api import create_app

    with TestClient(create_app(database)) as client:
        for path in ("/api/search", "/search"):
            assert client.get(path, params={"q": "\x00"}).status_code == 200
        found = client.get("/api/search", params={"q": "harbour\x00wall"}).json()["results"]
    assert {hit["article"] for hit in found} == {"a0.txt", "a1.txt"}
