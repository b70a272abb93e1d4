"""readability's reading as a second opinion: kept from trafilatura's run, preferred only
where it reads another, longer part of the page."""

from __future__ import annotations

from parallax.extract.html import TrafilaturaExtractor
from parallax.extract.secondopinion import MIN_WORDS, prefer_second, worth_filtering
from parallax.models import MediaType, RawDocument

STORY = [
    f"Paragraph {i} of the harbour story: the council met on Monday and the ferry operator "
    f"agreed to run {i} more evening crossings to the island from the first week of April."
    for i in range(8)
]
BIO = "Petra Lindqvist is a reporter who covers the islands and the ferry for the paper."


def _words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def test_a_longer_reading_of_another_part_of_the_page_wins() -> None:
    assert prefer_second([BIO], STORY[:3])


def test_another_part_of_the_page_wins_at_a_modest_length() -> None:
    teasers = [
        f"Teaser {i}: a bakery on the high street won a prize, and a school choir sang for "
        f"the mayor before the summer fair opened its gates to {i} hundred visitors."
        for i in range(3)
    ]
    assert 1.2 * _words(teasers) < _words(STORY[:4]) < 3 * _words(teasers)
    assert prefer_second(teasers, STORY[:4])
    assert not prefer_second(teasers, teasers[:2] + STORY[:2])


def test_a_longer_reading_that_only_extends_the_text_loses() -> None:
    # the extra is what trafilatura cut (here two more paragraphs); the extension is not taken
    assert not prefer_second(STORY[:6], STORY[:8])


def test_a_much_longer_reading_wins_even_over_the_same_text() -> None:
    assert prefer_second(STORY[:1], STORY)


def test_a_short_or_equal_reading_never_wins() -> None:
    assert not prefer_second([BIO], [BIO])
    assert not prefer_second([], ["Too short to be an article."])
    assert not prefer_second(STORY, STORY[:4])


def test_only_readings_long_enough_are_filtered() -> None:
    assert worth_filtering(MIN_WORDS, 10)
    assert not worth_filtering(MIN_WORDS - 1, 0)
    assert not worth_filtering(120, 100)


def test_readability_reading_is_kept_and_traced_to_the_page() -> None:
    body = "".join(f"<p>{p}</p>" for p in STORY)
    page = (
        "<html><head><title>Ferry</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Ferry</h1>{body}</article><footer>Contact us</footer></body></html>"
    )
    doc = RawDocument("ferry.html", page.encode(), MediaType.HTML)
    first, second, read = TrafilaturaExtractor().readings(doc)
    assert read >= _words(STORY)
    texts = [b.text for b in second]
    assert all(p in texts for p in STORY)
    # traced back to the DOM like trafilatura's own blocks
    assert all(b.element is not None for b in second if b.text in STORY)
    assert [b.text for b in first if b.text in STORY] == STORY
