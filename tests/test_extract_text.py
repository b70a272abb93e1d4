"""Tests for the plain-text cleaner and extractor (parallax.extract.text).

The fixtures below are written for these tests: fictional outlets, people and
events, each line labelled as the article's or the page's, with junk of many
kinds the seeds do not show.
"""

from __future__ import annotations

import time
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.config import Settings
from parallax.errors import EmptyDocument, TooLarge
from parallax.extract.base import Extractor
from parallax.extract.text import (
    CleanText,
    PlainTextCleaner,
    PlainTextExtractor,
    lead_title,
    strip_markdown,
)
from parallax.models import Hints, MediaType, RawDocument

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
DEMO = Path(__file__).resolve().parents[1] / "src" / "parallax" / "demo" / "corpus"

T, A, J = "title", "article", "junk"  # line labels

FERRY = [
    (
        "We use cookies to improve your experience on our site. By continuing to browse, "
        "you agree to our use of cookies.",
        J,
    ),
    ("Valemont council votes to close the Orrin river ferry after 140 years - Harbour Ledger", T),
    ("By Mara Lindqvist", J),
    ("Published 10:42 AM EST, Tue March 3, 2026", J),
    ("Listen to this article · 5 min", J),
    ("Share on Facebook Twitter Email", J),
    (
        "The Orrin river ferry, which has carried commuters between Valemont and Port Adair since "
        "1886, will stop running in June after the town council voted 7-2 to end its subsidy.",
        A,
    ),
    (
        "Councillors said the crossing now costs the town more than 1.2 million crowns a year, "
        "while passenger numbers have fallen by half since the new bridge opened upstream.",
        A,
    ),
    ("Advertisement", J),
    (
        "“We cannot keep paying for a boat that runs half empty,” said council leader Ines "
        "Caldera, who proposed the closure.",
        A,
    ),
    ("Photo: Tobias Okafor / Getty Images", J),
    ("What happens next?", A),
    (
        "The ferry's two crews will be offered jobs at the harbour office, the council said. "
        "The boats themselves are expected to be sold at auction in the autumn.",
        A,
    ),
    ("Read more: Port Adair harbour fees to rise for the first time in a decade", J),
    (
        "Residents of the island villages, who have no road link, will get a subsidised water "
        "taxi for medical appointments.",
        A,
    ),
    ("A long decline", A),
    ("Ridership peaked in 1974, when the ferry made 40 crossings a day. It now makes six.", A),
    ("Campaigners plan to appeal the decision at the regional tribunal next month.", A),
    ("Tags: Valemont, Transport, Port Adair", J),
    ("© 2026 The Harbour Ledger. All rights reserved.", J),
    ("Sign up for our newsletter to get the day's top stories in your inbox.", J),
    ("Most Popular", J),
    ("1. Lake Orrin museum returns looted bronzes", J),
    ("2. Northfield striker signs for rival academy", J),
    ("3. Storm knocks out power to coastal towns", J),
    ("23 comments", J),
]

SYNDICATED = [
    (
        "This post may contain affiliate links. If you buy something through them, we may earn "
        "a commission.",
        J,
    ),
    ("Home › Science › Space", J),
    (
        "Engineers at the Northfield Observatory have restarted the Calder telescope, which fell "
        "silent in January when a storm cracked its main mirror.",
        A,
    ),
    (
        "The repair, paid for by a regional lottery grant, took four months and required a crane "
        "to lift the 9-tonne mirror cell out of the dome.",
        A,
    ),
    ("“It is like getting an old friend back,” said Priya Ramesh, the observatory's director.", A),
    ("Story continues below advertisement", J),
    (
        "Astronomers plan to resume their survey of faint galaxies next week, starting with the "
        "fields they had to abandon in the winter.",
        A,
    ),
    ("The telescope, built in 1961, remains the largest in the province.", A),
    (
        "Jonah Whitcombe is a science correspondent for the Northfield Courier covering space "
        "and physics. Follow him on X @jwhitcombe.",
        J,
    ),
    ("This article was originally published by the Northfield Courier.", J),
    ("Visited 312 times, 4 visit(s) today", J),
    ("Related Articles", J),
    ("Port Adair bakery wins national bread award", J),
    (
        "The family-run bakery beat 200 entrants with a rye loaf that its owners say uses a "
        "starter kept alive since",
        J,
    ),
    ("Valemont Minister Defends Cuts To Rural Schools", J),
    (
        "The education minister told parliament on Tuesday that the closures would save money "
        "without harming",
        J,
    ),
    ("Lake Orrin fishing season opens early", J),
    ("Anglers welcomed the decision, which follows the warmest spring on record, but", J),
]

WIRE = [  # one paragraph per line, no blank lines, as wire copy often arrives
    (
        "PORT ADAIR, March 3 (Lantern Wire) - Dockworkers at Port Adair walked off the job on "
        "Tuesday, halting container traffic at the region's busiest harbour.",
        A,
    ),
    ("The strike, the first in 12 years, follows the collapse of pay talks last week.", A),
    ("Terminal operator Adair Marine said it had diverted three ships to Northfield.", A),
    ("Union talks", A),
    ("Union leader Tobias Okafor said the walkout would last at least 48 hours.", A),
    ('"We have been patient for two years," he told reporters outside the gates.', A),
    ("Reporting by Ines Caldera; Editing by Mara Lindqvist", J),
    ("Our Standards: The Lantern Wire Trust Principles.", J),
]

MARKET = [  # a column with teasers in full sentences and readers' comments under it
    ("Why Northfield's night market works", T),
    ("Updated 3 hours ago", J),
    (
        "Every Friday since April, the car park behind Northfield library has turned into a "
        "market of 40 food stalls, and every Friday it has been full by eight o'clock.",
        A,
    ),
    (
        "The council expected a few hundred visitors. It got four thousand on the first night, "
        "and stallholders say takings have grown every week since.",
        A,
    ),
    ("You may also like", J),
    ("Port Adair opens a swimming pool on the old quay", J),
    ("The pool, fed by sea water, will be free for children during the summer holidays.", J),
    ("Lake Orrin rowing club celebrates its centenary", J),
    ("Members past and present raced in wooden boats built for the occasion.", J),
    (
        "Part of the answer is the rules. Stalls must cook on site, and no dish may cost more "
        "than eight crowns, which keeps the market cheap enough for families.",
        A,
    ),
    (
        "The rest is the place itself: a car park in the middle of town, next to the bus "
        "station, that was empty every evening before the market came.",
        A,
    ),
    (
        "Other towns have noticed. Valemont's council visited in June and plans a market of "
        "its own by the autumn.",
        A,
    ),
    ("12 Comments", J),
    ("I went last week and the dumplings were amazing, but my kids hated the queues.", J),
    ("Great article! I wish my town had something like this.", J),
    ("We drove an hour to get there and I would do it again.", J),
]

CLEAN = [
    (
        "The Valemont choir will sing at the reopening of the old town hall on Saturday, "
        "organisers said.",
        A,
    ),
    ("The hall closed in 2019 for repairs to its roof and bell tower.", A),
    ("Tickets are free but must be booked in advance at the library.", A),
]

FIXTURES = {
    "ferry": FERRY,
    "syndicated": SYNDICATED,
    "wire": WIRE,
    "market": MARKET,
    "clean": CLEAN,
}


def _norm(text: str) -> str:
    return " ".join(text.split())


def _document(lines: list[tuple[str, str]], separator: str = "\n\n") -> str:
    return separator.join(line for line, _ in lines)


def _paragraphs(result: CleanText) -> list[str]:
    return [p for p in result.text.split("\n\n") if p]


@pytest.fixture
def cleaner() -> PlainTextCleaner:
    return PlainTextCleaner()


# Fixtures: every article line kept, every junk line removed ---------------------------------


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_lines_are_kept_or_removed_as_labelled(
    cleaner: PlainTextCleaner, name: str
) -> None:
    lines = FIXTURES[name]
    separator = "\n" if name == "wire" else "\n\n"
    result = cleaner.clean(_document(lines, separator))
    kept = _paragraphs(result)
    removed = set(result.removed)
    article = [_norm(line) for line, label in lines if label == A]
    junk = [line for line, label in lines if label == J]
    assert kept == article  # recall and precision of kept lines, and their order
    assert [line for line in junk if line not in removed] == []
    assert len(result.removed) == len(junk)


def test_title_line_is_detected_and_outlet_suffix_split_off(cleaner: PlainTextCleaner) -> None:
    result = cleaner.clean(_document(FERRY))
    assert result.title == "Valemont council votes to close the Orrin river ferry after 140 years"
    assert result.byline == "Mara Lindqvist"


def test_no_title_when_the_text_opens_with_a_paragraph(cleaner: PlainTextCleaner) -> None:
    assert cleaner.clean(_document(CLEAN)).title is None
    assert cleaner.clean(_document(WIRE, "\n")).title is None


def test_republishing_banner_is_recorded_as_provenance(cleaner: PlainTextCleaner) -> None:
    result = cleaner.clean(_document(SYNDICATED))
    assert result.provenance == "This article was originally published by the Northfield Courier."
    assert result.provenance in result.removed
    assert "originally published" not in result.text


def test_banner_at_the_top_is_provenance_and_the_rest_is_kept(cleaner: PlainTextCleaner) -> None:
    banner = "Republished with permission from the Valemont Post. Read the original story here."
    text = "\n".join([banner, *(line for line, _ in CLEAN)])
    result = cleaner.clean(text)
    assert result.removed == (banner,)
    assert result.provenance == banner
    assert _paragraphs(result) == [_norm(line) for line, _ in CLEAN]


def test_junk_in_the_middle_goes_and_the_paragraphs_around_it_stay(
    cleaner: PlainTextCleaner,
) -> None:
    paragraphs = [line for line, _ in CLEAN]
    text = "\n\n".join([paragraphs[0], "ADVERTISEMENT", "Share this article", *paragraphs[1:]])
    result = cleaner.clean(text)
    assert _paragraphs(result) == paragraphs
    assert result.removed == ("ADVERTISEMENT", "Share this article")


def test_section_headings_between_paragraphs_are_kept(cleaner: PlainTextCleaner) -> None:
    text = _document(WIRE, "\n")
    assert "Union talks" in _paragraphs(cleaner.clean(text))


def test_furniture_word_that_is_the_story_subject_is_not_junk(cleaner: PlainTextCleaner) -> None:
    story = [
        "The Valemont bakers' guild has published a new recipe for oat cookies.",
        "Cookies made with the recipe use half the sugar of the traditional version, "
        "the guild said.",
        "Cookies and cakes",
        "The guild's cookies will be sold at the spring fair, where cookies have been "
        "the best seller for a decade.",
    ]
    result = cleaner.clean("\n\n".join(story))
    assert _paragraphs(result) == story
    assert result.removed == ()


def test_hard_wrapped_paragraphs_are_joined(cleaner: PlainTextCleaner) -> None:
    text = (
        "Dockworkers at Port Adair walked off the job on Tuesday, halting\n"
        "container traffic at the region's busiest harbour for the first time\n"
        "in twelve years.\n\n"
        "The union said the walkout would last at least two days, and that\n"
        "talks with the terminal operator had broken down over pay.\n\n"
        "Advertisement\n"
    )
    result = cleaner.clean(text)
    assert _paragraphs(result) == [
        "Dockworkers at Port Adair walked off the job on Tuesday, halting container traffic "
        "at the region's busiest harbour for the first time in twelve years.",
        "The union said the walkout would last at least two days, and that talks with the "
        "terminal operator had broken down over pay.",
    ]
    assert result.removed == ("Advertisement",)


def test_markdown_syntax_is_stripped_and_heading_is_the_title(cleaner: PlainTextCleaner) -> None:
    text = (
        "# Northfield opens its first night market\n\n"
        "The **night market** opened on Friday with 40 stalls, "
        "[the council said](https://example.org/news).\n\n"
        "## Food and music\n\n"
        "Stalls sell _street food_ from six countries, and a brass band plays until midnight.\n"
    )
    result = cleaner.clean(text, markdown=True)
    assert result.title == "Northfield opens its first night market"
    assert _paragraphs(result) == [
        "The night market opened on Friday with 40 stalls, the council said.",
        "Food and music",
        "Stalls sell street food from six countries, and a brass band plays until midnight.",
    ]


def test_strip_markdown_keeps_link_text_and_drops_images() -> None:
    assert (
        strip_markdown("See ![a map](map.png)[the map][1] and *this*.") == "See the map and this."
    )


def test_empty_and_junk_only_text(cleaner: PlainTextCleaner) -> None:
    assert cleaner.clean("") == CleanText(title=None, text="", removed=(), provenance=None)
    result = cleaner.clean("Advertisement\n\n© 2026 Valemont Post\n\nShare on Facebook")
    assert result.text == ""
    assert len(result.removed) == 3


def test_lead_title_cuts_the_first_sentence() -> None:
    text = (
        "The Orrin river ferry, which has carried commuters between Valemont and Port Adair "
        "since 1886, will stop running. More follows."
    )
    assert (
        lead_title(text)
        == "The Orrin river ferry, which has carried commuters between Valemont and Port…"
    )
    assert lead_title("Short and sweet. More.") == "Short and sweet."


def test_clean_is_fast_on_a_large_document(cleaner: PlainTextCleaner) -> None:
    text = _document(FERRY + SYNDICATED) * 40  # about 150 KB
    start = time.perf_counter()
    cleaner.clean(text)
    # Generous so a loaded CI machine passes; a quadratic pass would take far longer.
    assert time.perf_counter() - start < 2.0


# Seeds ----------------------------------------------------------------------------------------


def _seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS} (../shared is absent)")
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_seed_000_keeps_its_47_paragraphs_and_loses_the_tail(cleaner: PlainTextCleaner) -> None:
    text = _seed("000")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    last = next(i for i, line in enumerate(lines) if "So, yes, this is still" in line)
    body = [_norm(line) for line in lines[1 : last + 1]]
    assert len(body) == 47
    result = cleaner.clean(text)
    # The first line is the title; the section name after " | " is dropped.
    headline, _, section = lines[0].rpartition(" | ")
    assert section and result.title == headline
    assert _paragraphs(result) == body
    assert result.removed[0].startswith("Visited 1 times")
    assert list(result.removed) == lines[last + 1 :]


def test_seed_003_loses_only_its_banner(cleaner: PlainTextCleaner) -> None:
    text = _seed("003")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    result = cleaner.clean(text)
    assert result.removed == (lines[0],)
    assert result.provenance == lines[0]
    assert result.title is None
    assert _paragraphs(result) == [_norm(line) for line in lines[1:]]


@pytest.mark.parametrize("prefix", ["001", "002"])
def test_seeds_001_and_002_lose_nothing(cleaner: PlainTextCleaner, prefix: str) -> None:
    text = _seed(prefix)
    result = cleaner.clean(text)
    assert result.removed == ()
    assert result.title is None
    assert _norm(result.text) == _norm(text)


# The bundled demo corpus: plain-text scrapes written for the project, with a manifest ---------


def _demo_scrapes() -> list[dict[str, object]]:
    manifest = DEMO / "MANIFEST.toml"
    if not manifest.exists():
        return []
    articles = tomllib.loads(manifest.read_text(encoding="utf-8"))["article"]
    return [a for a in articles if a["format"] in ("txt", "md")]


@pytest.mark.parametrize("article", _demo_scrapes(), ids=lambda a: str(a["file"]))
def test_demo_scrapes_lose_their_junk_and_keep_their_paragraphs(
    cleaner: PlainTextCleaner, article: dict[str, object]
) -> None:
    path = DEMO / str(article["file"])
    result = cleaner.clean(path.read_text(encoding="utf-8"), markdown=path.suffix == ".md")
    assert len(_paragraphs(result)) == article["paragraphs"]
    assert [s for s in article.get("junk_samples", []) if s in result.text] == []  # type: ignore[attr-defined]
    assert result.title == article["title"]


# Extractor ------------------------------------------------------------------------------------


def _doc(body: bytes, doc_id: str = "ferry.txt", hints: Hints | None = None) -> RawDocument:
    return RawDocument(id=doc_id, body=body, media_type=MediaType.TEXT, hints=hints or Hints())


def test_extractor_builds_the_article() -> None:
    extractor: Extractor = PlainTextExtractor()
    doc = _doc(_document(SYNDICATED).encode(), doc_id="in/telescope.txt")
    article = extractor.extract(doc)
    assert article.key == doc.key
    assert article.id == "in/telescope.txt"
    assert article.outlet == "telescope"
    assert article.title == (
        "Engineers at the Northfield Observatory have restarted the Calder telescope, which fell…"
    )
    assert article.text.startswith("Engineers at the Northfield Observatory")
    assert article.provenance == "This article was originally published by the Northfield Courier."
    assert "advertisement" not in article.text.lower()
    assert len(article.removed) == sum(label == J for _, label in SYNDICATED)


def test_extractor_prefers_the_hinted_title_and_outlet() -> None:
    hints = Hints(title="Ferry to close", outlet="The Harbour Ledger")
    doc = _doc(_document(FERRY).encode(), hints=hints)
    article = PlainTextExtractor().extract(doc)
    assert article.title == "Ferry to close"
    assert article.outlet == "The Harbour Ledger"
    assert article.byline == "Mara Lindqvist"


def test_extractor_uses_the_detected_title() -> None:
    article = PlainTextExtractor().extract(_doc(_document(FERRY).encode()))
    assert article.title == "Valemont council votes to close the Orrin river ferry after 140 years"


def test_extractor_decodes_other_charsets() -> None:
    text = (
        "Le café de Valemont rouvre ses portes après deux années de travaux, a annoncé la mairie."
    )
    article = PlainTextExtractor().extract(_doc(text.encode("cp1252")))
    assert article.text == text


def test_extractor_uses_the_declared_charset() -> None:
    text = "Der Bürgermeister von Valemont eröffnete am Freitag die neue Brücke über die Orrin."
    doc = RawDocument(
        id="brücke.txt", body=text.encode("latin-1"), media_type=MediaType.TEXT, encoding="latin-1"
    )
    assert PlainTextExtractor().extract(doc).text == text


def test_extractor_reads_markdown_by_extension() -> None:
    body = b"# Night market opens\n\nThe **night market** opened on Friday with 40 stalls.\n"
    article = PlainTextExtractor().extract(_doc(body, doc_id="notes/market.md"))
    assert article.title == "Night market opens"
    assert article.text == "The night market opened on Friday with 40 stalls."
    # Read from a folder with the URL it was scraped from, it is still Markdown.
    doc = replace(_doc(body, doc_id="notes/market.md"), url="https://news.example/market")
    assert PlainTextExtractor().extract(doc).title == "Night market opens"


def test_extractor_raises_empty_document_naming_the_input() -> None:
    with pytest.raises(EmptyDocument, match=r"junk\.txt: only page junk"):
        PlainTextExtractor().extract(_doc(b"Advertisement\n\nShare this article", "junk.txt"))
    with pytest.raises(EmptyDocument, match=r"blank\.txt: no text"):
        PlainTextExtractor().extract(_doc(b" \n\n ", "blank.txt"))


def test_extractor_raises_too_large_above_the_limit() -> None:
    extractor = PlainTextExtractor(settings=Settings(max_text_chars=100))
    with pytest.raises(TooLarge, match=r"big\.txt: 250 characters .*max_text_chars"):
        extractor.extract(_doc(b"word " * 50, "big.txt"))
    with pytest.raises(TooLarge, match=r"huge\.txt: 5,000 bytes"):
        extractor.extract(_doc(b"word " * 1000, "huge.txt"))


# Properties -----------------------------------------------------------------------------------

LINE = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [line for lines in FIXTURES.values() for line, _ in lines]
        + ["", "  ", "Related Articles", "1.", "()", "x", "# Heading", "— —", "Comments"]
    ),
)


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, max_size=30), st.sampled_from(["\n", "\n\n", "\r\n"]), st.booleans())
def test_cleaner_output_is_made_of_input_lines(
    parts: list[str], separator: str, markdown: bool
) -> None:
    text = separator.join(parts)
    result = PlainTextCleaner().clean(text, markdown=markdown)
    source = strip_markdown(text) if markdown else text
    lines = [line.strip() for line in _lines(source) if line.strip()]
    # Every kept paragraph is a run of input lines, in order: nothing invented or reordered.
    position = 0
    for paragraph in _paragraphs(result):
        runs = (
            (start, end)
            for start in range(position, len(lines))
            for end in range(start + 1, len(lines) + 1)
        )
        position = next(
            end for start, end in runs if _norm(" ".join(lines[start:end])) == paragraph
        )
    # Kept, removed and the title line account for every non-empty input line.
    removed = [line for block in result.removed for line in block.split("\n")]
    kept = " ".join(_paragraphs(result))
    for line in lines:
        assert (
            line in removed
            or _norm(line) in kept
            or (result.title is not None and _norm(line).startswith(result.title[:20]))
            or markdown
        ), line
