"""What the clusterer reads from text: names, amounts, counted things, dates, leads."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from parallax.cluster.contrast import g_statistic, name_contrast
from parallax.cluster.dates import dateline, stated_date, strip_dateline, url_date
from parallax.cluster.text import Profile, lead_text, numbers, profile, quantities, rejoin

STORY = (
    "The Orsova Mining Union said on Monday that 900 miners at the Quellmark pit had stopped "
    "work. Union leader Petra Vasko demanded a 14% raise and $2.5 billion in back pay.\n"
    "Quellmark said talks would resume on March 4, 2024."
)


def test_rejoin_undoes_tokeniser_spacing() -> None:
    assert rejoin("U. S. forces paid $30, 000 at 9: 36 a. m. for a shake - up, magnitude 5. 9") == (
        "U.S. forces paid $30000 at 9:36 a.m. for a shake-up, magnitude 5.9"
    )


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("Updated: November 11, 2023 20:09 IST", ""),
        ("Posted 11/27/2023 7:21 AM A quake struck", "A quake struck"),
        ("THURSDAY, DECEMBER 3, 2023, 9:36 AM Rewards totalling", "Rewards totalling"),
        ("March 2005 rampage led to", "March 2005 rampage led to"),
        ("10 people died", "10 people died"),
        ("The mayor said", "The mayor said"),
    ],
)
def test_strip_dateline(text: str, rest: str) -> None:
    assert strip_dateline(text) == rest


def test_stated_date_reads_urls_and_datelines_only() -> None:
    assert url_date("https://news.example/2023/05/02/story") == date(2023, 5, 2)
    assert url_date("https://news.example/2005/jun/26/local") == date(2005, 6, 26)
    assert url_date("https://news.example/story-20130606.html") == date(2013, 6, 6)
    assert url_date("https://news.example/14743366.cms") is None
    assert dateline("Nov. 30, 2009 A convicted man escaped") == "Nov. 30, 2009 "
    assert stated_date("", "Nov. 30, 2009 A convicted man escaped") == date(2009, 11, 30)
    # A date inside a sentence is about something else.
    assert stated_date("Singer dies", "She was born on April 22, 1923 in Lisbon.") is None


def test_profile_prefers_the_published_date() -> None:
    found = profile("Strike", STORY, published=datetime(2024, 3, 1, 9, 30))
    assert found.when == date(2024, 3, 1)


def test_names_are_capitalised_words_not_sentence_starts() -> None:
    found = profile("Quellmark miners strike", STORY)
    assert {"orsova", "quellmark", "petra", "vasko"} <= found.names
    assert "union" in found.names  # "Union leader" is mid-sentence and capitalised
    assert "the" not in found.names and "monday" not in found.names
    assert {"quellmark", "orsova"} <= found.lead_names


def test_headline_capitals_count_only_where_the_body_agrees() -> None:
    found = profile("Miners Walk Out Over Pay At Quellmark", STORY)
    assert "walk" not in found.names
    assert "quellmark" in found.names


def test_amounts_are_scaled_and_small_counts_dropped() -> None:
    assert numbers("$2.5 billion, 2.5bn, 14% and 14 per cent, 3 goals, 5.6 magnitude, 2024") == {
        "2.5e+09",
        "14%",
        "5.6",
    }


def test_quantities_pair_a_number_with_what_it_counts() -> None:
    found = quantities("Navy seized 23 Somali pirates. A magnitude 5.6 quake; five hurt.")
    assert {"pirate=23", "somali=23", "magnitude=5.6", "hurt=5"} <= found


def test_lead_is_title_and_first_sentences_without_dateline() -> None:
    lead = lead_text("Updated: March 4, 2024", "Miners struck. Talks failed. Pay fell.")
    assert lead == "Miners struck. Talks failed."
    assert lead_text("Pit strike", "Miners struck.") == "Pit strike. Miners struck."


def test_profile_round_trips_through_bytes() -> None:
    found = profile("Quellmark miners strike", STORY, url="https://x.example/2024/03/01/a")
    assert Profile.from_bytes(found.to_bytes()) == found
    assert found.when == date(2024, 3, 1)


def test_name_contrast_grows_with_evidence() -> None:
    def group(n: int, name: str) -> list[Profile]:
        return [profile("", f"Officials at Harlow said the Navy ship {name} acted.")] * n

    small = name_contrast(group(2, "Mysander"), group(2, "Sukovar"))
    large = name_contrast(group(12, "Mysander"), group(12, "Sukovar"))
    assert large > 16 > small
    assert name_contrast(group(6, "Mysander"), group(6, "Mysander")) == pytest.approx(0.0)
    assert name_contrast([], group(3, "Mysander")) == 0.0
    assert g_statistic(5, 5, 0, 5) == pytest.approx(2 * 10 * 0.6931471805599453)
