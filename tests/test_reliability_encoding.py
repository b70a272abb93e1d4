"""Charsets: the HTTP header, the meta tag and the bytes themselves, with the right one winning.

The order is the web's (WHATWG): a byte-order mark, then bytes that are valid
UTF-8 (pages that are valid UTF-8 beyond ASCII are almost never anything
else, whatever they declare), then the transport's charset, then the page's
meta charset, then detection, which prefers windows-1252 on ties. A declared
charset the bytes do not fit (cp1252 served as utf-8) falls through to
detection instead of turning letters into U+FFFD.

Every page is fictional; each test goes through ``Pipeline.extract`` (or a
real loopback HTTP fetch), the way ``parallax extract`` and ``ingest`` do.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from parallax.config import Settings
from parallax.ingest import PoliteFetcher
from parallax.models import MediaType, RawDocument
from parallax.pipeline import Pipeline
from parallax.stages import NoDeduplication, OneStoryPerArticle
from parallax.store.sqlite import SQLiteStore

FRENCH = [
    "Le conseil de la vallée de l’Orrin a voté lundi la réouverture du café de la gare, "
    "fermé depuis deux ans après l’incendie qui avait détruit la toiture et la salle.",
    "« C’est une très bonne nouvelle pour le quartier », a déclaré la maire, Hélène Brûlard, "
    "devant une cinquantaine d’habitants réunis à la mairie de Valemont.",
    "Les travaux coûteront 240 000 € et dureront jusqu’à l’été ; la crème brûlée du chef "
    "Noël Cœurdevey reviendra au menu dès l’ouverture, a promis l’exploitant.",
    "Le “café des cheminots” accueillait autrefois les équipes de nuit du dépôt — une "
    "tradition que la municipalité espère faire revivre avec des horaires élargis.",
]
RUSSIAN = [
    "Городской совет Орринской долины в понедельник одобрил восстановление старого моста, "
    "закрытого два года назад после сильного паводка весной.",
    "По словам мэра Елены Брюлловой, работы обойдутся в сорок миллионов рублей и завершатся "
    "к концу лета, если погода позволит строителям работать без перерывов.",
    "Жители прибрежных кварталов давно просили открыть мост: объезд через соседний город "
    "занимает почти час, и школьные автобусы опаздывают каждое утро.",
    "Совет также обещал установить новое освещение и тротуары с обеих сторон моста, "
    "чтобы пешеходы могли безопасно переходить реку в любое время суток.",
]
# What text decoded with the wrong charset looks like: replacement marks and mojibake.
GARBLED = ("\ufffd", "Ã", "â€", "Ð", "Ñ", "Ã©", "ò", "č", "ű", "ś")


def page(paragraphs: list[str], title: str, meta: str | None) -> str:
    """A small article page; ``meta`` is the charset its meta tag declares, if any."""
    head = f'<meta charset="{meta}">' if meta else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head><body>"
        f"<header><nav><a href='/'>Orrin Valley Courier</a></nav></header>"
        f"<article><h1>{title}</h1>{body}</article>"
        f"<footer>© Orrin Valley Courier</footer></body></html>"
    )


def html_extractor() -> Any:
    """The registered default HTML extractor."""
    from parallax import stages

    return stages.create("html_extractor")


@pytest.fixture
def pipeline() -> Iterator[Pipeline]:
    with SQLiteStore(":memory:") as store:
        yield Pipeline(
            store,
            extractors={MediaType.HTML: html_extractor(), MediaType.TEXT: _text_extractor()},
            deduplicator=NoDeduplication(),
            clusterer=OneStoryPerArticle(),
        )


def _text_extractor() -> Any:
    from parallax import stages

    return stages.create("text_extractor")


def assert_reads(text: str, paragraphs: list[str]) -> None:
    for paragraph in paragraphs:
        assert paragraph in text, f"missing or garbled: {paragraph[:40]}…\n--- got:\n{text[:400]}"
    for mark in GARBLED:
        if not any(mark in p for p in paragraphs):
            assert mark not in text, f"mojibake {mark!r} in: {text[:300]}"


# (name, paragraphs, bytes' charset, charset in the HTTP header, charset in the meta tag)
HTML_CASES = [
    ("cp1252 declared utf-8 in meta", FRENCH, "cp1252", None, "utf-8"),
    ("cp1252 declared utf-8 by the header", FRENCH, "cp1252", "utf-8", None),
    ("cp1252 declared utf-8 by both", FRENCH, "cp1252", "utf-8", "utf-8"),
    ("cp1252 with no declaration", FRENCH, "cp1252", None, None),
    ("utf-8 with a wrong meta charset", FRENCH, "utf-8", None, "iso-8859-1"),
    ("utf-8 with a wrong header charset", RUSSIAN, "utf-8", "windows-1251", None),
    ("header beats a conflicting meta (cp1251)", RUSSIAN, "cp1251", "windows-1251", "iso-8859-1"),
    ("header beats a conflicting meta (latin-1)", FRENCH, "cp1252", "iso-8859-1", "windows-1251"),
    ("meta beats a guess when no header", RUSSIAN, "koi8-r", None, "koi8-r"),
    ("utf-8 BOM beats header and meta", RUSSIAN, "utf-8-sig", "iso-8859-1", "windows-1251"),
]


@pytest.mark.parametrize(
    ("paragraphs", "charset", "header", "meta"),
    [case[1:] for case in HTML_CASES],
    ids=[case[0] for case in HTML_CASES],
)
def test_html_charset_sources_in_the_right_order(
    pipeline: Pipeline, paragraphs: list[str], charset: str, header: str | None, meta: str | None
) -> None:
    body = page(paragraphs, "Orrin valley news", meta).encode(charset)
    doc = RawDocument(id="page.html", body=body, media_type=MediaType.HTML, encoding=header)
    assert_reads(pipeline.extract(doc).text, paragraphs)


TEXT_CASES = [
    ("cp1252 declared utf-8 by the header", FRENCH, "cp1252", "utf-8"),
    ("cp1252 with no declaration", FRENCH, "cp1252", None),
    ("cp1251 declared by the header", RUSSIAN, "cp1251", "windows-1251"),
    ("utf-8 with a wrong header charset", FRENCH, "utf-8", "windows-1251"),
    ("an unknown charset name", FRENCH, "cp1252", "x-no-such-charset"),
]


@pytest.mark.parametrize(
    ("paragraphs", "charset", "header"),
    [case[1:] for case in TEXT_CASES],
    ids=[case[0] for case in TEXT_CASES],
)
def test_text_charset_sources_in_the_right_order(
    pipeline: Pipeline, paragraphs: list[str], charset: str, header: str | None
) -> None:
    body = "\n\n".join(paragraphs).encode(charset)
    doc = RawDocument(id="story.txt", body=body, media_type=MediaType.TEXT, encoding=header)
    assert_reads(pipeline.extract(doc).text, paragraphs)


class CharsetSite:
    """A loopback HTTP server answering every path with one page and one Content-Type."""

    def __init__(self, body: bytes, content_type: str) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/robots.txt":
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/bridge.html"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize(
    ("paragraphs", "charset", "content_type"),
    [
        (RUSSIAN, "cp1251", "text/html; charset=windows-1251"),
        (FRENCH, "cp1252", "text/html; charset=UTF-8"),
    ],
    ids=["header charset over a conflicting meta", "cp1252 served as utf-8"],
)
def test_the_http_header_charset_reaches_the_extractor(
    pipeline: Pipeline, paragraphs: list[str], charset: str, content_type: str
) -> None:
    body = page(paragraphs, "Orrin valley news", "iso-8859-1").encode(charset)
    site = CharsetSite(body, content_type)
    settings = Settings().with_fetch(allow_private_hosts=True, host_delay_s=0.0)
    try:
        with PoliteFetcher(settings.fetch) as fetcher:
            pipeline.fetcher = fetcher
            pipeline.settings = settings
            report = pipeline.ingest([site.url])
    finally:
        site.close()
    assert report.failures == [] and report.ingested == 1
    stored = pipeline.store.article_by_id(site.url)
    assert stored is not None
    assert_reads(stored.text, paragraphs)
