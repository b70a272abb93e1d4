"""Dates resolved against a publication date, and events' past or future wording."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.analyse.dates import (
    FUTURE,
    PAST,
    PRESENT,
    DateMention,
    EventMention,
    find_dates,
    find_events,
    tense_conflict,
)

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
PUBLISHED = date(2024, 11, 19)  # a Tuesday


def only_date(text: str, published: date | datetime | None = PUBLISHED) -> DateMention:
    found = find_dates(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "written", "first", "last", "direction"),
    [
        ("The port reopened on Tuesday.", "Tuesday", "2024-11-19", "2024-11-19", PRESENT),
        ("The port reopened on Sunday.", "Sunday", "2024-11-17", "2024-11-17", PAST),
        ("Ferries resumed last Friday.", "last Friday", "2024-11-15", "2024-11-15", PAST),
        ("The council meets next Monday.", "next Monday", "2024-11-25", "2024-11-25", FUTURE),
        ("The vote will be held on Friday.", "Friday", "2024-11-22", "2024-11-22", FUTURE),
        ("The strike began last week.", "last week", "2024-11-11", "2024-11-17", PAST),
        ("It is the third storm this week.", "this week", "2024-11-18", "2024-11-24", PRESENT),
        ("Prices rise next month.", "next month", "2024-12-01", "2024-12-31", FUTURE),
        ("The dam failed in September.", "September", "2024-09-01", "2024-09-30", PAST),
        ("The summit will take place in March.", "March", "2025-03-01", "2025-03-31", FUTURE),
        ("The mayor takes office on January 20.", "January 20", "2025-01-20", "2025-01-20",
         FUTURE),
        ("It opened on 20 January 2025.", "20 January 2025", "2025-01-20", "2025-01-20", FUTURE),
        ("It opened on Jan. 20, 2023.", "Jan. 20, 2023", "2023-01-20", "2023-01-20", PAST),
        ("The war began in February 2022.", "February 2022", "2022-02-01", "2022-02-28", PAST),
        ("The bridge was built in 2014.", "2014", "2014-01-01", "2014-12-31", PAST),
        ("Filed on 2024-11-05.", "2024-11-05", "2024-11-05", "2024-11-05", PAST),
        ("The ship sank two days ago.", "two days ago", "2024-11-17", "2024-11-17", PAST),
        ("A ruling is due in three weeks.", "in three weeks", "2024-12-10", "2024-12-10", FUTURE),
        ("Talks ended yesterday.", "yesterday", "2024-11-18", "2024-11-18", PAST),
        ("Talks resume tomorrow.", "tomorrow", "2024-11-20", "2024-11-20", FUTURE),
        ("Rain fell over the weekend.", "over the weekend", "2024-11-16", "2024-11-17", PAST),
    ],
)  # fmt: skip
def test_dates_resolve_against_the_publication_date(
    text: str, written: str, first: str, last: str, direction: str
) -> None:
    d = only_date(text)
    assert d.text == written
    assert text[d.start : d.end] == d.text
    assert (d.first, d.last) == (date.fromisoformat(first), date.fromisoformat(last))
    assert d.direction == direction


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Markets reopen next weekend.", "2024-11-30", "2024-12-01"),
        ("Markets are shut this weekend.", "2024-11-23", "2024-11-24"),
        ("Markets were shut last weekend.", "2024-11-16", "2024-11-17"),
        ("A ruling is expected later this month.", "2024-11-01", "2024-11-30"),
        ("The ferry runs next Saturday.", "2024-11-30", "2024-11-30"),
    ],
)
def test_weekends_and_periods_published_on_a_saturday(text: str, first: str, last: str) -> None:
    d = only_date(text, date(2024, 11, 23))
    assert (d.first, d.last) == (date.fromisoformat(first), date.fromisoformat(last))


def test_a_datetime_publication_date_works_too() -> None:
    d = only_date("It happened yesterday.", datetime(2024, 11, 19, 23, 30))
    assert d.first == date(2024, 11, 18)


def test_without_a_publication_date_wording_still_gives_the_direction() -> None:
    last_week = only_date("The strike began last week.", None)
    assert (last_week.first, last_week.direction, last_week.kind) == (None, PAST, "relative")
    assert only_date("Prices rise next month.", None).direction == FUTURE
    explicit = only_date("It opened on 20 January 2025.", None)
    assert explicit.first == date(2025, 1, 20) and explicit.kind == "absolute"


@pytest.mark.parametrize(
    "text",
    ["You may go now.", "They march on the capital.", "May Holm said nothing.", "Call 555 1234."],
)
def test_month_words_that_are_not_dates(text: str) -> None:
    assert find_dates(text, PUBLISHED) == []


def event(text: str, published: date | None = PUBLISHED) -> EventMention:
    found = find_events(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "kind", "tense", "cue"),
    [
        ("Policy may change after the upcoming presidential elections.", "election", FUTURE,
         "upcoming"),
        ("After securing victory in last week’s elections, she named a cabinet.", "election",
         PAST, "last week’s"),
        ("President-elect Dana Pike met the governor.", "election", PAST, "President-elect"),
        ("The outgoing lame-duck mayor signed it.", "election", PAST, "lame-duck"),
        ("The deal came in the wake of the election.", "election", PAST, "in the wake of"),
        ("Both sides met ahead of the summit.", "summit", FUTURE, "ahead of"),
        ("The referendum will take place in June.", "referendum", FUTURE,
         "will take place"),
        ("The election was held on Sunday.", "election", PAST, "was held"),
        ("It was a theme of the 2020 election.", "election", PAST, "2020"),
        ("It will shape the 2028 election.", "election", FUTURE, "2028"),
    ],
)  # fmt: skip
def test_events_carry_their_tense(text: str, kind: str, tense: str, cue: str) -> None:
    e = event(text)
    assert (e.event, e.tense, e.cue) == (kind, tense, cue)
    assert text[e.start : e.end] == e.text


def test_tense_conflict_is_same_event_opposite_times() -> None:
    upcoming = event("Policy may change after the upcoming elections.")
    held = event("She won last week’s elections.")
    talks = event("Both sides prepare for future talks.")
    assert tense_conflict(upcoming, held)
    assert not tense_conflict(upcoming, upcoming)
    assert not tense_conflict(talks, held)


def _seed(prefix: str) -> str:
    paths = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not paths:
        pytest.skip(f"seed {prefix} is absent from {SEEDS}: the shared seeds sit beside the repo")
    return paths[0].read_text(encoding="utf-8")


def test_seed_rewrite_calls_the_held_election_upcoming() -> None:
    rewrite = [e for e in find_events(_seed("001")) if e.event == "election"]
    source = [e for e in find_events(_seed("000")) if e.event == "election"]
    partisan = [e for e in find_events(_seed("003")) if e.event == "election"]
    assert [e.tense for e in rewrite] == [FUTURE]
    assert source and all(e.tense == PAST for e in source)
    assert any(e.cue == "last week’s" for e in partisan)
    assert tense_conflict(rewrite[0], source[0])


_DATEISH = st.sampled_from(
    ["last", "next", "this", "on", "in", "week", "weekend", "May", "March", "20", "31st", "2024",
     "Sunday's", "two", "days", "ago", "the", "upcoming", "election", "-", ",", ".", "’s", "\n"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(_DATEISH, max_size=20).map(" ".join), st.sampled_from([None, PUBLISHED]))
def test_never_crashes_and_spans_point_at_their_text(text: str, published: date | None) -> None:
    for d in find_dates(text, published):
        assert text[d.start : d.end] == d.text
        assert d.first is None or d.last is None or d.first <= d.last
    for e in find_events(text, published):
        assert text[e.start : e.end] == e.text and e.tense in (PAST, FUTURE)
