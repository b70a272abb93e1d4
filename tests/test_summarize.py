"""Cited extractive summaries on fictional stories: central facts, full citations, no opinion."""

from __future__ import annotations

import random

import pytest

from parallax.compare.statements import readable
from parallax.models import Summary
from parallax.summarize import CentralitySummarizer, is_reportable, summary_length
from test_compare import article, bridge_story


@pytest.fixture(scope="module")
def summary() -> Summary:
    """The bridge story's summary."""
    articles, links = bridge_story()
    return CentralitySummarizer().summarize(articles, links)


def test_length_grows_with_the_story_between_three_and_twelve() -> None:
    assert summary_length(1, 40) == 3
    assert summary_length(4, 40) == 5
    assert summary_length(80, 400) == 12
    assert summary_length(6, 2) == 2  # never more sentences than facts to state


def test_sentences_are_taken_from_the_articles(summary: Summary) -> None:
    articles, _ = bridge_story()
    statements = {readable(s) for a in articles for s in a.text.replace("\n\n", " ").split(". ")}
    assert 3 <= len(summary.sentences) <= 12
    texts = " ".join(a.text for a in articles)
    for sentence in summary.sentences:
        core = sentence.text.rstrip(".")
        assert core in texts or any(core in s for s in statements), sentence.text


def test_the_central_fact_comes_first_and_cites_every_outlet_reporting_it(
    summary: Summary,
) -> None:
    first = summary.sentences[0]
    assert "18,000 vehicles" in first.text or "collapsed" in first.text
    traffic = next(s for s in summary.sentences if "18,000 vehicles" in s.text)
    assert set(traffic.citations) == {"courier", "wire", "eastvale"}
    assert traffic.source in traffic.citations
    assert dict(traffic.evidence).keys() == set(traffic.citations)


def test_an_article_with_a_different_figure_does_not_back_the_sentence(
    summary: Summary,
) -> None:
    for sentence in summary.sentences:
        if "killing 12 people" in sentence.text:
            assert "wire" not in sentence.citations
        if "killing 15 people" in sentence.text:
            assert sentence.citations == ("wire",)


def test_opinion_speculation_and_loaded_wording_are_never_picked(summary: Summary) -> None:
    text = " ".join(s.text for s in summary.sentences)
    for words in ("reckless", "could reshape", "Critics say", "blood on its hands"):
        assert words not in text


def test_no_two_sentences_say_the_same_thing(summary: Summary) -> None:
    texts = [s.text for s in summary.sentences]
    assert len(texts) == len(set(texts))
    vehicles = [t for t in texts if "18,000" in t]
    assert len(vehicles) == 1


def test_sentences_come_from_several_outlets(summary: Summary) -> None:
    assert len({s.source for s in summary.sentences}) >= 2
    assert "eastvale" not in {s.source for s in summary.sentences}  # prefer the original


def test_summary_is_deterministic_and_order_free(summary: Summary) -> None:
    articles, links = bridge_story()
    shuffled = random.Random(3).sample(articles, len(articles))
    assert CentralitySummarizer().summarize(shuffled, links) == summary


def test_a_one_article_story_still_gets_a_short_cited_summary() -> None:
    lone = article(
        "whale",
        "Wyndmoor Echo",
        "A young grey whale swam into the Pellow estuary on Sunday morning. "
        "Coastguard crews kept boats at a distance while marine biologists watched it. "
        "The whale returned to open water on Monday afternoon, officials said. "
        "Hundreds of people gathered on the harbour wall to see it.",
    )
    result = CentralitySummarizer().summarize([lone], [])
    assert 1 <= len(result.sentences) <= 3
    assert all(s.citations == ("whale",) for s in result.sentences)


def test_an_empty_story_has_an_empty_summary() -> None:
    assert CentralitySummarizer().summarize([], []) == Summary(())


@pytest.mark.parametrize(
    ("sentence", "reportable"),
    [
        ("The council approved the budget on Tuesday by a vote of seven to two.", True),
        ("So why did the council approve the budget on Tuesday night?", False),
        ("The reckless council approved the budget on Tuesday night.", False),
        ("In my view the council should never have approved this budget.", False),
        ("The decision could ultimately reshape the way the town pays for roads.", False),
        ("Sign up for our newsletter to get every council story first.", False),
        ('"This budget protects every school in town," the mayor said on Tuesday.', True),
    ],
)
def test_is_reportable(sentence: str, reportable: bool) -> None:
    assert is_reportable(sentence) is reportable
