"""Reading figures the way the story comparison needs them (fictional sentences)."""

from __future__ import annotations

import pytest

from parallax.analyse.numbers import Quantity, find_quantities, same_quantity
from parallax.compare import compare_reading, read_story
from parallax.models import Article


def one(sentence: str) -> Quantity:
    (q,) = find_quantities(sentence)
    return q


@pytest.mark.parametrize(
    ("sentence", "kind", "unit", "value"),
    [
        ("The council voted 9-4 to approve the plan.", "score", "score", 9),
        ("Deputy Marta Quell, 35, was hurt.", "age", "years", 35),
        ("Arcade Doyle Jr., 49, escaped on Monday.", "age", "years", 49),
        ("The firm offered a one-time payment of 1,000 pounds.", "money", "GBP", 1000),
        ("The crate weighed 1,000 pounds.", "weight", "kg", 453.59237),
        (
            "The port handles about 3.2m shipping containers a year.",
            "count",
            "count",
            3.2e6,
        ),
        ("The tower is 300m tall.", "length", "km", 0.3),
        ("Damage was put at $US1 million on Friday.", "money", "USD", 1e6),
    ],
)
def test_figures_are_read_with_their_kind(
    sentence: str, kind: str, unit: str, value: float
) -> None:
    q = one(sentence)
    assert (q.kind, q.unit) == (kind, unit)
    assert q.value == pytest.approx(value)


def test_a_tally_is_one_figure_not_a_range() -> None:
    assert same_quantity(one("They voted 9-4."), one("It passed 9–4 on Tuesday."))
    assert not same_quantity(one("They voted 9-4."), one("They voted 8-5."))


def test_clock_times_are_not_quantities() -> None:
    assert find_quantities("The alarm came at 3: 33 a. m. and crews left at 10:30.") == []


def test_a_changed_age_is_a_conflict() -> None:
    texts = {
        "a": "Deputy Luis Orrin, 35, was shot outside an apartment on Friday.",
        "b": "The sheriff named the officer as Luis Orrin, 35, a ten-year veteran.",
        "c": "Luis Orrin, 53, had served in the gang unit since 2015, colleagues said.",
    }
    articles = [Article(k, k, k, t, f"Outlet {k}") for k, t in texts.items()]
    coverage = compare_reading(read_story(articles)).coverage
    (age,) = [n for n in coverage.numbers if n.unit == "years"]
    assert age.status == "conflict" and age.value == 35
    assert {m.article for m in age.mentions} == {"a", "b", "c"}


def test_floors_of_different_size_are_different_reports() -> None:
    texts = {
        "a": "More than 50 firefighters tackled the blaze at the depot on Friday night.",
        "b": "More than 75 firefighters tackled the blaze at the depot on Friday night.",
    }
    articles = [Article(k, k, k, t, f"Outlet {k}") for k, t in texts.items()]
    (crews,) = compare_reading(read_story(articles)).coverage.numbers
    assert crews.status == "conflict"
