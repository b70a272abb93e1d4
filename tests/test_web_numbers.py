"""The story page's number cards follow the analysis: one card per merged quantity."""

from __future__ import annotations

from parallax.web.story_view import _numbers


def mention(outlet: str, text: str, value: float) -> dict[str, object]:
    return {"article": f"{outlet}.html", "outlet": outlet, "text": text, "value": value}


def test_two_agreed_quantities_about_the_same_thing_are_no_conflict() -> None:
    numbers = [
        {"value": 640.0, "unit": "", "about": "jobs", "status": "agree",
         "values": [{"value": 640.0}], "mentions": [mention("Gazette", "640 jobs", 640.0)]},
        {"value": 120.0, "unit": "", "about": "jobs", "status": "agree",
         "values": [{"value": 120.0}], "mentions": [mention("Beacon", "120 jobs", 120.0)]},
    ]  # fmt: skip
    cards = _numbers(numbers)
    assert [c.conflict for c in cards] == [False, False]
    assert [[v.value for v in c.values] for c in cards] == [[640.0], [120.0]]


def test_a_conflict_shows_each_figure_with_the_outlets_that_gave_it() -> None:
    numbers = [
        {"value": 2.4e9, "unit": "USD", "about": "cost", "status": "conflict",
         "values": [{"value": 2.4e9}, {"value": 2.1e9}],
         "mentions": [mention("Gazette", "$2.4 billion", 2.4e9),
                      mention("Beacon", "$2.4bn", 2.4e9),
                      mention("Dispatch", "$2.1 billion", 2.1e9)]},
    ]  # fmt: skip
    (card,) = _numbers(numbers)
    assert card.conflict and card.about == "cost"
    shown = {v.value: [m["outlet"] for m in v.mentions] for v in card.values}
    assert shown == {2.4e9: ["Gazette", "Beacon"], 2.1e9: ["Dispatch"]}
