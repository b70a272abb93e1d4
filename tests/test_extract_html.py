"""The HTML extractor: article text kept, page junk dropped, metadata found, bad pages refused.

The fixtures are written for these tests: a fictional local paper (The Harbor
Ledger) and a fictional German regional site, with the junk real pages carry.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from parallax.config import Settings
from parallax.errors import EmptyDocument, TooLarge, UnsupportedInput
from parallax.extract.html import HtmlExtractor, TrafilaturaExtractor, decode_html
from parallax.extract.language import detect_language
from parallax.extract.meta import (
    byline_in_boxes,
    byline_in_text,
    extract_metadata,
    parse_date,
    publication_date,
)
from parallax.models import Hints, MediaType, RawDocument

ARTICLE_PARAGRAPHS = [
    "The Port Alder town council voted 6 to 1 on Monday night to add evening crossings to "
    "Gull Island, ending a two-year dispute between commuters and the ferry operator over "
    "the last boat of the day.",
    "Under the new schedule, ferries will leave the mainland terminal every 40 minutes "
    "between 5 p.m. and 10 p.m. from the first week of April, instead of the single 7:15 "
    "p.m. departure that islanders have relied on since 2019.",
    "Councillor Petra Lindqvist, who proposed the change, said nurses and hotel workers on "
    "the island had been forced to choose between leaving shifts early and paying for a room "
    'on the mainland. "People were rearranging their whole lives around one boat," she said.',
    "The operator, Alder Sound Ferries, had argued that extra sailings would lose money in "
    "winter. The council agreed to cover up to 180,000 dollars of any shortfall for the "
    "first year while ridership is counted.",
    "The only vote against came from Councillor Dmitri Hale, who said the subsidy should "
    "have gone to repairing the terminal's ramp first. \"We are adding boats to a dock that "
    'floods twice a month," he said.',
    "A public meeting on the timetable will be held at the Gull Island community hall on "
    "March 19, and the operator said it would publish exact departure times by the end of "
    "the month.",
]

JUNK = [
    "Share on Facebook",
    "Sign up for the Morning Tide newsletter",
    "Follow her on Twitter",
    "Storm closes Gull Island pier",
    "Library extends weekend hours",
    "All rights reserved",
    "Photo: Ivo Brandt",
    "Privacy policy",
]


def harbor_page(body_extra: str = "") -> str:
    """A news story on a fictional local paper's site, with share bar, caption,
    newsletter box, author bio and related-story list around it."""
    paragraphs = [f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS]
    paragraphs.insert(
        2,
        '<figure><img src="/img/ferry.jpg" alt=""><figcaption>The Gull Island ferry at the '
        "mainland terminal. Photo: Ivo Brandt / The Harbor Ledger</figcaption></figure>",
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Council approves new ferry schedule | The Harbor Ledger</title>
<meta property="og:site_name" content="The Harbor Ledger">
<meta property="og:title" content="Council approves new ferry schedule">
<link rel="canonical" href="https://harborledger.example/news/2024/03/ferry-schedule">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle",
  "headline": "Council approves new ferry schedule",
  "author": [{{"@type": "Person", "name": "Mara Quill"}}],
  "datePublished": "2024-03-05T09:30:00-05:00",
  "publisher": {{"@type": "Organization", "name": "The Harbor Ledger"}}}}
</script></head>
<body>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a>
</li><li><a href="/sports">Sports</a></li><li><a href="/opinion">Opinion</a></li></ul></nav>
</header>
<main><article class="story">
<h1>Council approves new ferry schedule</h1>
<div class="byline">By <a rel="author" href="/staff/mara-quill">Mara Quill</a></div>
<ul class="share-bar"><li><a href="#">Share on Facebook</a></li><li><a href="#">Tweet</a></li>
<li><a href="#">Email</a></li></ul>
<div class="story-body">
{"".join(paragraphs)}
<div class="newsletter-signup"><p>Sign up for the Morning Tide newsletter and get the day's
top Harbor Ledger stories in your inbox every weekday.</p>
<form><input type="email"><button>Subscribe</button></form></div>
<p class="author-bio">Mara Quill covers transport and local government for The Harbor Ledger.
Follow her on Twitter @maraquill.</p>
</div></article>
{body_extra}
<section class="related-stories"><h2>More from The Harbor Ledger</h2><ul>
<li><a href="/news/a">Storm closes Gull Island pier for two days</a></li>
<li><a href="/news/b">Library extends weekend hours after petition</a></li>
<li><a href="/news/c">High school rowing team wins regional title</a></li>
<li><a href="/news/d">What the new parking rules mean for downtown</a></li></ul></section>
</main>
<footer><p>© 2024 The Harbor Ledger. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> · <a href="/terms">Terms of use</a></p></footer>
</body></html>"""


GERMAN_PAGE = """<html><head><meta charset="utf-8"><title>Neue Radwege für Lindenau</title>
</head><body><div class="content">
<h1>Neue Radwege für Lindenau</h1>
<p>Die Stadt Lindenau will bis zum Herbst drei neue Radwege bauen, die den Bahnhof mit den
Wohngebieten im Norden verbinden. Der Stadtrat hat dem Plan am Dienstag mit großer Mehrheit
zugestimmt.</p>
<p>Nach Angaben der Verwaltung kosten die Arbeiten rund 2,4 Millionen Euro, von denen das
Land einen Teil übernehmen soll. Die ersten Bauarbeiten beginnen im Mai an der Bahnhofstraße.</p>
<p>Anwohner hatten sich seit Jahren über gefährliche Kreuzungen beschwert. Eine Sprecherin
der Bürgerinitiative sagte, man sei froh, dass die Stadt nun handle, und werde die Planung
weiter genau verfolgen.</p>
</div></body></html>"""


def html_doc(html: str | bytes, doc_id: str = "harbor.html", **kwargs: object) -> RawDocument:
    body = html.encode("utf-8") if isinstance(html, str) else html
    return RawDocument(id=doc_id, body=body, media_type=MediaType.HTML, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def extractor() -> TrafilaturaExtractor:
    return TrafilaturaExtractor()


@pytest.fixture(scope="module")
def harbor(extractor: TrafilaturaExtractor):
    return extractor.extract(html_doc(harbor_page()))


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_keeps_every_article_paragraph(harbor) -> None:
    text = _squash(harbor.text)
    for paragraph in ARTICLE_PARAGRAPHS:
        assert _squash(paragraph) in text


@pytest.mark.parametrize("junk", JUNK)
def test_drops_page_junk(harbor, junk: str) -> None:
    assert junk not in harbor.text


def test_headline_is_the_title_not_the_first_paragraph(harbor) -> None:
    assert harbor.title == "Council approves new ferry schedule"
    assert not harbor.text.startswith("Council approves")


def test_reads_publisher_metadata(harbor) -> None:
    assert harbor.byline == "Mara Quill"
    assert harbor.published == datetime(2024, 3, 5, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert harbor.outlet == "The Harbor Ledger"
    assert harbor.language == "en"
    assert harbor.url == "https://harborledger.example/news/2024/03/ferry-schedule"


def test_article_identity_comes_from_the_raw_document(extractor: TrafilaturaExtractor) -> None:
    doc = html_doc(harbor_page(), doc_id="feeds/harbor-ledger/123")
    article = extractor.extract(doc)
    assert (article.key, article.id) == (doc.key, doc.id)


def test_removed_lists_dropped_blocks_of_trafilatura_output(
    extractor: TrafilaturaExtractor,
) -> None:
    # an inline "Read more" teaser inside the story body survives trafilatura's own cleaning
    teaser = (
        '<div class="story-body"><p><strong>Read more:</strong> <a href="/news/fares">'
        "Ferry fares to rise 5 percent in spring</a></p></div>"
    )
    page = harbor_page().replace("</div></article>", f"{teaser}</div></article>")
    article = extractor.extract(html_doc(page))
    assert "Ferry fares to rise" not in article.text
    assert any("Ferry fares to rise" in block for block in article.removed)
    assert all(_squash(p) in _squash(article.text) for p in ARTICLE_PARAGRAPHS)


def test_hints_outlet_wins_and_page_metadata_fills_gaps(extractor: TrafilaturaExtractor) -> None:
    hints = Hints(outlet="Harbor Ledger (print)", byline="Desk", title="Ferry vote")
    article = extractor.extract(html_doc(harbor_page(), hints=hints))
    assert article.outlet == "Harbor Ledger (print)"
    assert article.title == "Council approves new ferry schedule"
    assert article.byline == "Mara Quill"


def test_hints_fill_what_the_page_lacks(extractor: TrafilaturaExtractor) -> None:
    when = datetime(2024, 5, 2, 8, 0, tzinfo=UTC)
    hints = Hints(published=when, byline="Lena Roth", language="de")
    article = extractor.extract(html_doc(GERMAN_PAGE, "lindenau.html", hints=hints))
    assert (article.published, article.byline, article.language) == (when, "Lena Roth", "de")


def test_outlet_falls_back_to_domain_then_file_name(extractor: TrafilaturaExtractor) -> None:
    with_url = html_doc(GERMAN_PAGE, "x.html", url="https://www.lindenau-bote.example/rad")
    assert extractor.extract(with_url).outlet == "lindenau-bote.example"
    assert extractor.extract(html_doc(GERMAN_PAGE, "pages/lindenau.html")).outlet == "lindenau"


def test_detects_language_without_a_lang_attribute(extractor: TrafilaturaExtractor) -> None:
    article = extractor.extract(html_doc(GERMAN_PAGE, "lindenau.html"))
    assert article.language == "de"
    assert "2,4 Millionen Euro" in article.text
    assert article.title == "Neue Radwege für Lindenau"


def test_decodes_declared_legacy_charset(extractor: TrafilaturaExtractor) -> None:
    page = GERMAN_PAGE.replace('charset="utf-8"', 'charset="windows-1252"')
    article = extractor.extract(html_doc(page.encode("cp1252"), "lindenau.html"))
    assert "großer Mehrheit" in article.text
    assert "Anwohner" in article.text


def test_transport_charset_beats_a_wrong_meta_charset(extractor: TrafilaturaExtractor) -> None:
    page = GERMAN_PAGE.replace('charset="utf-8"', 'charset="koi8-r"')
    doc = html_doc(page.encode("cp1252"), "lindenau.html", encoding="windows-1252")
    assert "großer Mehrheit" in extractor.extract(doc).text


def test_guesses_an_undeclared_legacy_charset() -> None:
    page = GERMAN_PAGE.replace('<meta charset="utf-8">', "")
    assert "großer Mehrheit" in decode_html(page.encode("latin-1"))


def test_reads_utf16_with_bom_and_xhtml_with_xml_declaration(
    extractor: TrafilaturaExtractor,
) -> None:
    utf16 = extractor.extract(html_doc(GERMAN_PAGE.encode("utf-16"), "lindenau.html"))
    assert "großer Mehrheit" in utf16.text
    xhtml = '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + GERMAN_PAGE
    assert "Anwohner" in extractor.extract(html_doc(xhtml, "lindenau.xhtml")).text


def test_control_characters_do_not_break_parsing(extractor: TrafilaturaExtractor) -> None:
    page = GERMAN_PAGE.replace("Die Stadt Lindenau", "Die\x00 Stadt\x0b Lindenau")
    assert "Stadt Lindenau" in extractor.extract(html_doc(page, "lindenau.html")).text


def test_too_many_bytes_fail_fast_naming_the_input() -> None:
    extractor = TrafilaturaExtractor(Settings(max_html_bytes=1000))
    with pytest.raises(TooLarge, match=r"harbor\.html.*max_html_bytes"):
        extractor.extract(html_doc(harbor_page()))


def test_too_deep_nesting_fails_fast_naming_the_input() -> None:
    extractor = TrafilaturaExtractor(Settings(max_html_depth=60))
    nested = "<div>" * 200 + "<p>deep</p>" + "</div>" * 200
    with pytest.raises(TooLarge, match=r"deep\.html.*max_html_depth"):
        extractor.extract(html_doc(f"<html><body>{nested}</body></html>", "deep.html"))


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n ",
        "<html><head><title>x</title></head><body></body></html>",
        "<html><body><nav><a href='/'>Home</a></nav><script>var a = 1;</script></body></html>",
    ],
)
def test_pages_without_article_text_raise_empty_document(
    extractor: TrafilaturaExtractor, html: str
) -> None:
    with pytest.raises(EmptyDocument, match=r"empty\.html"):
        extractor.extract(html_doc(html, "empty.html"))


def test_refuses_plain_text_documents(extractor: TrafilaturaExtractor) -> None:
    doc = RawDocument(id="notes.txt", body=b"hello", media_type=MediaType.TEXT)
    with pytest.raises(UnsupportedInput, match=r"notes\.txt"):
        extractor.extract(doc)


def test_stage_registry_name_is_the_same_class() -> None:
    assert HtmlExtractor is TrafilaturaExtractor


# -- metadata ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05T09:30:00Z", datetime(2024, 3, 5, 9, 30, tzinfo=UTC)),
        ("2024-03-05", datetime(2024, 3, 5, tzinfo=UTC)),
        (
            "March 5, 2024 9:30 AM EST",
            datetime(2024, 3, 5, 9, 30, tzinfo=timezone(-timedelta(hours=5))),
        ),
        ("Tue, 05 Mar 2024 14:30:00 +0100", datetime(2024, 3, 5, 13, 30, tzinfo=UTC)),
        ("not a date", None),
        ("1850-01-01", None),
    ],
)
def test_parse_date_is_timezone_aware(raw: str, expected: datetime | None) -> None:
    parsed = parse_date(raw)
    assert parsed == expected
    assert parsed is None or parsed.tzinfo is not None


def test_title_drops_the_site_name_when_no_headline_matches() -> None:
    from parallax.extract.html import parse_html

    page = (
        "<html><head><title>Harbor budget explained - The Harbor Ledger</title>"
        '<meta property="og:site_name" content="The Harbor Ledger"></head>'
        "<body><p>Text.</p></body></html>"
    )
    meta = extract_metadata(parse_html(page, "t.html"))
    assert meta.title == "Harbor budget explained"
    assert meta.outlet == "The Harbor Ledger"


def test_byline_in_boxes_reads_named_elements_and_skips_labels() -> None:
    boxes = [
        ("comment-author", "Grumpy Reader"),
        ("post-meta", "March 5, 2024"),
        ("author-name", "Written by"),
        ("author-name", "Mara Quill"),
    ]
    assert byline_in_boxes(boxes) == "Mara Quill"
    assert byline_in_boxes([("byline", "By Ivo Brandt - 2024/03/05")]) == "Ivo Brandt"
    assert byline_in_boxes([("author-bio", "Mara Quill covers transport.")]) is None


def test_byline_in_text() -> None:
    assert byline_in_text(["Intro", "By Jane Doe and John Roe"]) == "Jane Doe and John Roe"
    assert byline_in_text(["by the way, nothing happened"]) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The council said that it would not be able to fund the new ferry this year.", "en"),
        (
            "Die Stadt hat den Plan mit großer Mehrheit angenommen und wird ihn im Mai umsetzen.",
            "de",
        ),
        (
            "La ville a adopté le plan et les travaux commenceront au mois de mai pour tous.",
            "fr",
        ),
        ("港の新しいフェリーの時刻表が発表されました。住民は夜の便を歓迎しています。" * 3, "ja"),
    ],
)
def test_detect_language(text: str, code: str) -> None:
    assert detect_language(text)[0] == code


# -- benchmark floor ---------------------------------------------------------------------------

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
AEB = SHARED / "data" / "extraction" / "aeb"
# Measured on the first 50 pages (sorted by id) with bench/extraction.py's metric: parallax
# 0.983, trafilatura with comments off 0.961. The block filter was trained on these pages, so
# this guards against regressions; held-out quality is what `bench/extraction.py --train` prints.
AEB_SUBSET, AEB_FLOOR = 50, 0.97


def _shingle_counts(truth: str, pred: str) -> tuple[float, float, float]:
    def grams(text: str) -> Counter[tuple[str, ...]]:
        tokens = re.findall(r"\w+", text)
        return Counter(
            tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3)) if tokens[i : i + 4]
        )

    want, got = grams(truth), grams(pred)
    tp, fp, fn = sum((want & got).values()), sum((got - want).values()), sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


@pytest.mark.slow
@pytest.mark.skipif(not AEB.exists(), reason="benchmark data ../shared/data/extraction/aeb absent")
def test_aeb_shingle_f1_stays_above_floor(extractor: TrafilaturaExtractor) -> None:
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    precisions, recalls = [], []
    for page_id in sorted(truth)[:AEB_SUBSET]:
        body = gzip.decompress((AEB / "html" / f"{page_id}.html.gz").read_bytes())
        try:
            text = extractor.extract(html_doc(body, page_id)).text
        except EmptyDocument:
            text = ""
        tp, fp, fn = _shingle_counts(truth[page_id]["articleBody"], text)
        if tp + fp:
            precisions.append(tp / (tp + fp))
        if tp + fn:
            recalls.append(tp / (tp + fn))
    p, r = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    assert 2 * p * r / (p + r) >= AEB_FLOOR


def _page_published(day: str | None) -> object:
    import lxml.html

    meta = f'<meta property="article:published_time" content="{day}">' if day else ""
    return lxml.html.fromstring(
        f"<html><head>{meta}</head><body><p>The ferry sailed again.</p></body></html>"
    )


def test_the_declared_timestamp_is_kept_when_it_falls_on_the_pages_day() -> None:
    declared = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
    assert publication_date(declared, _page_published("2026-03-02")) == declared
    assert publication_date(declared, _page_published(None)) == declared
    assert publication_date(None, _page_published(None)) is None


def test_the_pages_own_date_wins_over_a_declared_date_of_another_day() -> None:
    declared = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
    found = publication_date(declared, _page_published("2026-03-05"))
    assert found is not None and found.date().isoformat() == "2026-03-05"
