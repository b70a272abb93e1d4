"""One story analysed and turned into the ``parallax story ID --json`` shape."""

from __future__ import annotations

import json
from typing import Any

import pytest

from parallax.outlets import Outlet
from parallax.story import StoryAnalysis, analyse_story, coverage_json
from test_compare import bridge_story

IDS = {
    "courier": "feeds/courier-1.html",
    "wire": "wire-77",
    "lantern": "lantern.txt",
    "eastvale": "eastvale-2",
    "wire-2": "wire-78",
}
DECLARED = [Outlet("The Daily Lantern", leaning="right", country="GB"), Outlet("Riverside Wire")]


@pytest.fixture(scope="module")
def analysis() -> StoryAnalysis:
    """The bridge story, with two outlets declared (one with a leaning)."""
    articles, links = bridge_story()
    declared = [
        Outlet("The Daily Lantern", leaning="right", country="GB"),
        Outlet("Riverside Wire"),
    ]
    return analyse_story(articles, links, outlets=declared)


@pytest.fixture(scope="module")
def detail(analysis: StoryAnalysis) -> dict[str, Any]:
    """The analysis as JSON, round-tripped through the encoder."""
    out: dict[str, Any] = json.loads(json.dumps(coverage_json(analysis, IDS)))
    return out


def test_contract_fields_are_present(detail: dict[str, Any]) -> None:
    assert {"summary", "facts", "numbers", "quotes", "framing", "outlets"} <= detail.keys()
    for s in detail["summary"]:
        assert {"text", "citations", "source", "evidence"} <= s.keys()
    for f in detail["facts"]:
        assert {"text", "outlets", "status"} <= f.keys()
        assert f["status"] in ("consensus", "single", "conflict")
    for n in detail["numbers"]:
        assert {"value", "unit", "about", "status", "mentions"} <= n.keys()
        assert n["status"] in ("agree", "conflict")
        for m in n["mentions"]:
            assert {"article", "outlet", "text", "sentence"} <= m.keys()
    for q in detail["quotes"]:
        assert {"speaker", "text", "outlets", "verbatim"} <= q.keys()
    for outlet, terms in detail["framing"].items():
        assert isinstance(outlet, str)
        for t in terms:
            assert {"term", "category", "sentence", "article"} <= t.keys()


def test_articles_are_named_by_their_ids(detail: dict[str, Any]) -> None:
    ids = set(IDS.values())
    assert all(c in ids for s in detail["summary"] for c in s["citations"])
    assert all(s["source"] in ids for s in detail["summary"])
    assert all(a in ids for f in detail["facts"] for a in f["articles"])
    assert all(m["article"] in ids for n in detail["numbers"] for m in n["mentions"])
    assert all(m["article"] in ids for q in detail["quotes"] for m in q["mentions"])
    assert all(t["article"] in ids for terms in detail["framing"].values() for t in terms)


def test_a_disputed_number_lists_each_figure(detail: dict[str, Any]) -> None:
    (deaths,) = [n for n in detail["numbers"] if n["status"] == "conflict"]
    figures = {v["value"]: v for v in deaths["values"]}
    assert set(figures) == {12, 15}
    assert figures[15]["articles"] == ["wire-77"]
    assert "feeds/courier-1.html" in figures[12]["articles"]
    assert {m["value"] for m in deaths["mentions"]} == {12, 15}


def test_quotes_say_which_outlets_kept_the_words(detail: dict[str, Any]) -> None:
    (quote,) = [q for q in detail["quotes"] if "what went wrong" in q["text"]]
    verbatim = {m["outlet"]: m["verbatim"] for m in quote["mentions"]}
    assert verbatim["The Daily Lantern"] is False
    assert verbatim["Riverside Wire"] is True
    assert quote["verbatim"] is False


def test_facts_say_how_many_sources_and_why_they_disagree(detail: dict[str, Any]) -> None:
    conflicts = [f for f in detail["facts"] if f["status"] == "conflict"]
    assert conflicts and all(f["reason"] == "number" for f in conflicts)
    assert all(f["sources"] >= 2 for f in detail["facts"] if f["status"] == "consensus")


def test_leaning_only_where_an_outlet_declares_one(detail: dict[str, Any]) -> None:
    outlets = {o["name"]: o for o in detail["outlets"]}
    assert outlets["The Daily Lantern"]["leaning"] == "right"
    assert outlets["The Daily Lantern"]["country"] == "GB"
    assert "leaning" not in outlets["Riverside Wire"]
    assert "leaning" not in outlets["The Marrowgate Courier"]
    assert outlets["Riverside Wire"]["articles"] == ["wire-77", "wire-78"]
    groups = {o["independent_group"] for o in detail["outlets"]}
    assert len(groups) == 3  # the rewrite counts with its original


def test_analysis_is_deterministic(analysis: StoryAnalysis) -> None:
    articles, links = bridge_story()
    declared = [
        Outlet("The Daily Lantern", leaning="right", country="GB"),
        Outlet("Riverside Wire"),
    ]
    again = analyse_story(list(reversed(articles)), links, outlets=declared)
    assert coverage_json(again, IDS) == coverage_json(analysis, IDS)
