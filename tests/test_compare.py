"""Comparing what outlets report: facts, numbers, quotes and framing on fictional stories.

Every outlet, place and person here is invented for these tests. The bridge
story has an original (Courier), a wire story (Riverside Wire, which changed
one figure), a partisan piece (Daily Lantern) and a machine rewrite of the
Courier (Eastvale Chronicle), plus a second Riverside Wire article.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from parallax.compare import (
    AlignedFact,
    NumberMention,
    QuoteMention,
    compare_reading,
    independence_groups,
    read_story,
    same_speaker,
)
from parallax.compare.statements import clause_spans, is_junk
from parallax.models import Article, Coverage, FactStatus, Link, LinkKind, NumberFact, QuoteFact
from parallax.outlets import Outlet

COURIER = """MARROWGATE — The Calloway Bridge over the Tessel River collapsed on Tuesday morning, \
killing 12 people and injuring 40 others, city officials said.

The bridge carried about 18,000 vehicles a day.

Rescue crews pulled nine survivors from the water before nightfall.

The span was about 300 metres (980 feet) long.

Mayor Ilse Varner said the bridge had been inspected in March. "We will find out what went \
wrong, and we will rebuild," she said.

The state transport agency said repairs would cost $85 million.

About 300 residents of the riverside district were evacuated, and 340 more were told to stay \
indoors.
"""

WIRE = """The Calloway Bridge over the Tessel River collapsed on Tuesday morning, killing 15 \
people and injuring 40 others, city officials said.

The bridge, which opened in 1964, carried roughly 18,000 vehicles a day.

The 980-foot (300-metre) span fell into the river shortly after 8 a.m.

Mayor Ilse Varner said the bridge had been inspected in March. "We will find out what went \
wrong, and we will rebuild," Varner told reporters.

Repairs are expected to cost $85 million, the state transport agency said.

More than 280 residents were evacuated from the riverside district.
"""

LANTERN = """The crumbling Calloway Bridge finally gave way on Tuesday, and the reckless city \
government has blood on its hands.

At least 12 people were killed when the bridge collapsed into the Tessel River, according to \
city officials.

Mayor Ilse Varner, who slashed the maintenance budget last year, claimed the bridge "had been \
inspected" in March.

Critics say the city ignored warnings for years.

Varner promised that the city would "find out what went wrong and rebuild".
"""

REWRITE = """The Calloway Bridge in Marrowgate fell into the Tessel River on Tuesday, leaving 12 \
people dead and 40 hurt, according to city officials.

The bridge handled around 18,000 vehicles each day.

Rescue teams pulled nine survivors out of the water before nightfall.

Experts believe the collapse could reshape how the region pays for its infrastructure.
"""

WIRE_FOLLOW_UP = """Divers resumed the search of the Tessel River on Wednesday.

The river was closed to boats for 5 kilometres downstream of the collapsed bridge.
"""


def article(key: str, outlet: str, text: str) -> Article:
    """A fictional article; its id is its key."""
    return Article(key=key, id=key, title=f"{outlet} story", text=text, outlet=outlet)


def bridge_story() -> tuple[list[Article], list[Link]]:
    """The bridge collapse as five articles, the rewrite linked to its original."""
    articles = [
        article("courier", "The Marrowgate Courier", COURIER),
        article("wire", "Riverside Wire", WIRE),
        article("lantern", "The Daily Lantern", LANTERN),
        article("eastvale", "Eastvale Chronicle", REWRITE),
        article("wire-2", "Riverside Wire", WIRE_FOLLOW_UP),
    ]
    links = [Link("courier", "eastvale", LinkKind.DERIVED, 0.8)]
    return articles, links


@pytest.fixture(scope="module")
def bridge() -> Coverage:
    """The bridge story's coverage."""
    articles, links = bridge_story()
    return compare_reading(read_story(articles, links)).coverage


def numbers_with(coverage: Coverage, text: str) -> list[NumberFact]:
    """The merged numbers one of whose mentions is written ``text``."""
    return [n for n in coverage.numbers if any(text in m.text for m in n.mentions)]


def facts_with(coverage: Coverage, words: str) -> list[AlignedFact]:
    """The facts one of whose statements contains ``words``."""
    out = []
    for f in coverage.facts:
        if any(words in m.text for m in f.mentions):
            assert isinstance(f, AlignedFact)
            out.append(f)
    return out


def quote_with(coverage: Coverage, words: str) -> QuoteFact:
    """The one merged quote containing ``words``."""
    found = [q for q in coverage.quotes if words in q.text]
    assert len(found) == 1, [q.text for q in coverage.quotes]
    return found[0]


def test_a_number_changed_in_one_article_is_a_conflict(bridge: Coverage) -> None:
    (deaths,) = numbers_with(bridge, "15 people")
    assert deaths.status == "conflict"
    by_article = {m.article: m for m in deaths.mentions}
    assert by_article["wire"].text == "15 people"
    assert by_article["courier"].text == "12 people"
    assert all(isinstance(m, NumberMention) for m in deaths.mentions)
    assert {m.value for m in deaths.mentions if m.article in ("courier", "eastvale")} == {12}
    (fact,) = facts_with(bridge, "killing 15 people")
    assert fact.status is FactStatus.CONFLICT and fact.reason == "number"


def test_only_the_changed_figure_is_disputed(bridge: Coverage) -> None:
    disputed = [n for n in bridge.numbers if n.status == "conflict"]
    assert len(disputed) == 1
    conflicts = [f for f in bridge.facts if f.status is FactStatus.CONFLICT]
    assert all(any("15 people" in m.text for m in f.mentions) for f in conflicts)


def test_a_figure_written_in_two_units_is_one_agreeing_number(bridge: Coverage) -> None:
    (span,) = numbers_with(bridge, "300 metres (980 feet)")
    assert span.status == "agree" and span.unit == "km"
    assert span.value == pytest.approx(0.3)
    assert {m.article for m in span.mentions} == {"courier", "wire"}


def test_approximations_are_respected(bridge: Coverage) -> None:
    (traffic,) = numbers_with(bridge, "about 18,000 vehicles")
    assert traffic.status == "agree"
    assert {m.article for m in traffic.mentions} == {"courier", "wire", "eastvale"}
    (evacuated,) = numbers_with(bridge, "More than 280 residents")
    assert evacuated.status == "agree"
    assert any(m.text == "About 300 residents" for m in evacuated.mentions)


def test_at_least_agrees_with_the_lower_figure_without_hiding_the_dispute(
    bridge: Coverage,
) -> None:
    (deaths,) = numbers_with(bridge, "At least 12 people")
    assert deaths.status == "conflict"  # "at least 12" fits 15 too, yet 12 vs 15 stays


def test_counts_of_different_things_stay_apart(bridge: Coverage) -> None:
    (injured,) = numbers_with(bridge, "40 others")
    assert injured.status == "agree"
    assert not any(isinstance(m, NumberMention) and m.value in (12, 15) for m in injured.mentions)
    (survivors,) = numbers_with(bridge, "nine survivors")
    assert all("survivors" in m.text for m in survivors.mentions)


def test_an_article_giving_both_figures_shows_two_quantities() -> None:
    first = article(
        "a",
        "North Bay Post",
        "About 300 jobs will go in April, and the remaining 340 by the end of September, "
        "the company said in a filing.",
    )
    second = article(
        "b",
        "South Bay Times",
        "Roughly 300 jobs will be cut in April, with the other 340 set to go by late September, "
        "according to the filing.",
    )
    coverage = compare_reading(read_story([first, second])).coverage
    assert all(n.status == "agree" for n in coverage.numbers)


def test_a_rewrite_is_not_a_second_source(bridge: Coverage) -> None:
    (rescue,) = facts_with(bridge, "nine survivors from the water")
    assert set(rescue.outlets) == {"The Marrowgate Courier", "Eastvale Chronicle"}
    assert rescue.status is FactStatus.SINGLE and rescue.sources == 1


def test_two_independent_outlets_make_a_consensus(bridge: Coverage) -> None:
    (traffic,) = facts_with(bridge, "18,000 vehicles a day")
    assert traffic.status is FactStatus.CONSENSUS
    assert {"The Marrowgate Courier", "Riverside Wire"} <= set(traffic.outlets)
    assert traffic.sources == 2  # the rewrite of the Courier adds no source


def test_one_outlet_twice_is_one_source(bridge: Coverage) -> None:
    articles, links = bridge_story()
    groups = independence_groups(articles, links)
    by_key = dict(zip([a.key for a in articles], groups, strict=True))
    assert by_key["wire"] == by_key["wire-2"]
    assert by_key["courier"] == by_key["eastvale"]
    assert len(set(groups)) == 3


def test_a_denial_is_a_conflict() -> None:
    said = "The Halden Works plant will close next year, the company confirmed on Friday."
    denied = "The Halden Works plant will not close next year, the company confirmed on Friday."
    stories = [
        article("x", "Fenwick Gazette", said + "\n\nThe plant employs 900 people."),
        article("y", "Orrin Daily", denied + "\n\nThe plant employs 900 people."),
    ]
    coverage = compare_reading(read_story(stories)).coverage
    (fact,) = facts_with(coverage, "close next year")
    assert fact.status is FactStatus.CONFLICT and fact.reason == "negation"
    (staff,) = facts_with(coverage, "employs 900")
    assert staff.status is FactStatus.CONSENSUS


def test_an_event_dated_the_other_way_is_a_conflict() -> None:
    stories = [
        article(
            "p",
            "Fenwick Gazette",
            "Mayor Ana Ruiz won last week's elections with a large majority, officials said.",
        ),
        article(
            "q",
            "Orrin Daily",
            "Ana Ruiz has held office since last week's elections and met the council on Monday.",
        ),
        article(
            "r",
            "Tarn Courier",
            "Ana Ruiz is campaigning hard ahead of the upcoming elections in the port city.",
        ),
    ]
    coverage = compare_reading(read_story(stories)).coverage
    (fact,) = [f for f in coverage.facts if f.status is FactStatus.CONFLICT]
    assert isinstance(fact, AlignedFact) and fact.reason == "tense"
    assert "upcoming elections" in fact.text
    assert {"Tarn Courier", "Fenwick Gazette", "Orrin Daily"} == set(fact.outlets)


def test_quotes_merge_across_outlets_with_their_speaker(bridge: Coverage) -> None:
    quote = quote_with(bridge, "We will find out what went wrong")
    assert quote.speaker == "Ilse Varner"
    assert set(quote.outlets) == {"The Marrowgate Courier", "Riverside Wire", "The Daily Lantern"}
    renderings = {m.article: m for m in quote.mentions}
    assert isinstance(renderings["lantern"], QuoteMention)
    # The Lantern put its own wording inside quote marks.
    assert renderings["courier"].verbatim and not renderings["lantern"].verbatim
    assert quote.verbatim is False


def test_a_partial_quote_joins_the_quote_it_is_part_of() -> None:
    full = article(
        "f",
        "Harlow Herald",
        'Minister Dana Orrick said: "The harbour deal is a betrayal of every fishing family."',
    )
    partial = article(
        "p",
        "Quay Bulletin",
        'Dana Orrick called the harbour deal "a betrayal" on Monday.',
    )
    coverage = compare_reading(read_story([full, partial])).coverage
    quote = quote_with(coverage, "betrayal")
    assert quote.text == "The harbour deal is a betrayal of every fishing family."
    assert set(quote.outlets) == {"Harlow Herald", "Quay Bulletin"}
    assert quote.verbatim and quote.speaker == "Dana Orrick"


def test_scare_quotes_are_not_quotes(bridge: Coverage) -> None:
    story = article("s", "Tollgate News", 'The so-called "reform" passed without a vote on Monday.')
    coverage = compare_reading(read_story([story])).coverage
    assert coverage.quotes == ()


def test_framing_is_listed_per_outlet(bridge: Coverage) -> None:
    lantern = {t.term.lower() for t in bridge.framing["The Daily Lantern"]}
    assert {"reckless", "claimed", "critics say"} <= lantern
    courier = [t for t in bridge.framing["The Marrowgate Courier"] if t.category == "loaded_label"]
    assert courier == []
    sentence = next(t.sentence for t in bridge.framing["The Daily Lantern"] if t.term == "reckless")
    assert sentence.startswith("The crumbling Calloway Bridge")


def test_leaning_is_reported_only_where_declared() -> None:
    articles, links = bridge_story()
    declared = [Outlet("The Daily Lantern", leaning="right"), Outlet("Riverside Wire")]
    profiles = compare_reading(read_story(articles, links), declared=declared).outlets
    leanings = {p.name: p.leaning for p in profiles}
    assert leanings["The Daily Lantern"] == "right"
    assert leanings["Riverside Wire"] is None and leanings["Eastvale Chronicle"] is None


def _shape(coverage: Coverage) -> tuple[object, ...]:
    return (
        [(f.text, f.outlets, f.status) for f in coverage.facts],
        [(n.value, n.unit, n.status, [m.article for m in n.mentions]) for n in coverage.numbers],
        [(q.text, q.speaker, q.outlets) for q in coverage.quotes],
    )


def test_comparison_does_not_depend_on_article_order(bridge: Coverage) -> None:
    articles, links = bridge_story()
    shuffled: Sequence[Article] = random.Random(7).sample(articles, len(articles))
    again = compare_reading(read_story(shuffled, links)).coverage
    assert _shape(again) == _shape(bridge)


def test_page_junk_and_questions_are_not_statements() -> None:
    assert is_junk("So why now?")
    assert is_junk("Sign up for our newsletter to get the latest news.")
    assert is_junk("Related Articles")
    assert not is_junk("The bridge carried about 18,000 vehicles a day.")


def test_clauses_split_only_between_two_statements() -> None:
    sentence = (
        "The council approved the plan on Monday, and the mayor signed it into law on Friday."
    )
    spans = clause_spans(sentence)
    assert [sentence[a:b] for a, b in spans] == [
        "The council approved the plan on Monday",
        "the mayor signed it into law on Friday.",
    ]
    assert len(clause_spans("Salt and pepper, and then some, were added to the dish.")) == 1


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Marta Kessel", "Kessel", True),
        ("Dale Whitacre", "Councilmember Dale Whitacre", True),
        ("Donald Trump", "Donald Trump Jr", False),
        ("Joe Biden", "Hunter Biden", False),
        (None, "Joe Biden", False),
    ],
)
def test_same_speaker(a: str | None, b: str, same: bool) -> None:
    assert same_speaker(a, b) is same
