"""A story's analysis (the ``story --json`` shape) arranged for its page.

Sources are numbered once, so a citation is a number a reader can follow;
facts become a facts x outlets matrix; numbers are grouped by what they
measure so disagreeing values sit side by side; framing terms are grouped by
the sentence they occur in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from parallax.outlets import LEANINGS
from parallax.web.present import coverage_segments, leaning_of, offset, outlet_counts

Ref = Mapping[str, Any]
REPORTED, CONFLICTING, ABSENT = "reported", "conflict", "absent"
LINK_VERBS: Mapping[str, str] = {
    "duplicate": "duplicates",
    "syndicated": "runs the syndicated copy of",
    "derived": "rewrites",
}


@dataclass(frozen=True, slots=True)
class Source:
    """One article of the story, numbered for citations."""

    number: int
    ref: Ref
    leaning: str


@dataclass(frozen=True, slots=True)
class Citation:
    """A summary sentence's citation: the source and the sentence it reports it in."""

    source: Source
    sentence: str | None


@dataclass(frozen=True, slots=True)
class SummaryLine:
    """One summary sentence with its citations."""

    index: int
    text: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class FactRow:
    """One fact and, per outlet column, whether the outlet reports it."""

    text: str
    status: str
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FactGroup:
    """The facts of one status, under a heading a reader understands."""

    status: str
    label: str
    rows: tuple[FactRow, ...]


FACT_GROUPS: Mapping[str, str] = {
    "conflict": "Outlets disagree",
    "consensus": "Reported by several outlets",
    "single": "Reported by one outlet only",
}


@dataclass(frozen=True, slots=True)
class NumberValue:
    """One value of a quantity and where it was reported."""

    value: float
    unit: str
    status: str
    mentions: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True, slots=True)
class NumberGroup:
    """Every value reported for one quantity; ``conflict`` when they disagree."""

    about: str
    conflict: bool
    values: tuple[NumberValue, ...]


@dataclass(frozen=True, slots=True)
class FramedSentence:
    """A sentence with the framing terms it uses."""

    sentence: str
    terms: tuple[str, ...]
    source: Source | None


@dataclass(frozen=True, slots=True)
class OutletFraming:
    """One outlet's framing: its terms by category, in their sentences."""

    outlet: str
    leaning: str
    categories: tuple[tuple[str, tuple[str, ...]], ...]
    sentences: tuple[FramedSentence, ...]


@dataclass(frozen=True, slots=True)
class Provenance:
    """One article copying or rewriting another."""

    kind: str
    verb: str
    score: float
    original: Source | None
    copy: Source | None
    aligned: tuple[Mapping[str, Any], ...]
    unsupported: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """An article on the timeline, with how long after the first report it appeared."""

    source: Source | None
    ref: Ref
    after: str


@dataclass(frozen=True, slots=True)
class StoryPage:
    """Everything the story page shows."""

    detail: Mapping[str, Any]
    sources: tuple[Source, ...]
    outlets: tuple[tuple[str, str, int], ...]
    segments: tuple[Any, ...]
    summary: tuple[SummaryLine, ...]
    fact_outlets: tuple[tuple[str, str], ...]
    facts: tuple[FactRow, ...]
    fact_groups: tuple[FactGroup, ...]
    numbers: tuple[NumberGroup, ...]
    quotes: tuple[Mapping[str, Any], ...]
    framing: tuple[OutletFraming, ...]
    provenance: tuple[Provenance, ...]
    timeline: tuple[TimelineEntry, ...]


def _leaning_rank(leaning: str) -> int:
    return LEANINGS.index(leaning) if leaning in LEANINGS else len(LEANINGS)


def story_page(
    detail: Mapping[str, Any], leanings: Mapping[str, str | None], max_rows: int = 200
) -> StoryPage:
    """Arrange a story's analysis for its page; long lists are cut at ``max_rows``."""
    refs: Sequence[Ref] = detail.get("articles", [])
    sources = tuple(
        Source(n, ref, leaning_of(leanings, ref["outlet"])) for n, ref in enumerate(refs, 1)
    )
    by_id = {s.ref["id"]: s for s in sources}
    outlets = tuple(
        (name, leaning_of(leanings, name), count)
        for name, count in outlet_counts(r["outlet"] for r in refs)
    )
    facts = detail.get("facts", [])[:max_rows]
    columns = _fact_outlets(outlets, facts, leanings)
    rows = _facts(facts, [name for name, _ in columns])
    return StoryPage(
        detail=detail,
        sources=sources,
        outlets=outlets,
        segments=tuple(coverage_segments((r["outlet"] for r in refs), leanings)),
        summary=_summary(detail.get("summary", []), by_id),
        fact_outlets=columns,
        facts=rows,
        fact_groups=tuple(
            FactGroup(status, FACT_GROUPS.get(status, status.capitalize() or "Facts"), tuple(group))
            for status, group in groupby(rows, key=lambda row: row.status)
        ),
        numbers=_numbers(detail.get("numbers", [])[:max_rows]),
        quotes=tuple(detail.get("quotes", [])[:max_rows]),
        framing=_framing(detail.get("framing", {}), leanings, by_id, max_rows),
        provenance=_provenance(detail.get("links", [])[:max_rows], by_id),
        timeline=_timeline(detail.get("timeline", []), by_id),
    )


def _summary(
    items: Sequence[Mapping[str, Any]], by_id: Mapping[str, Source]
) -> tuple[SummaryLine, ...]:
    lines = []
    for index, item in enumerate(items, 1):
        evidence = {e.get("article"): e.get("sentence") for e in item.get("evidence", [])}
        citations = tuple(
            sorted(
                (
                    Citation(by_id[article], evidence.get(article))
                    for article in dict.fromkeys(item.get("citations", []))
                    if article in by_id
                ),
                key=lambda c: c.source.number,
            )
        )
        lines.append(SummaryLine(index, item.get("text", ""), citations))
    return tuple(lines)


def _fact_outlets(
    outlets: Sequence[tuple[str, str, int]],
    facts: Sequence[Mapping[str, Any]],
    leanings: Mapping[str, str | None],
) -> tuple[tuple[str, str], ...]:
    """Matrix columns: the story's outlets (and any a fact names), left to right by leaning."""
    names = {name: leaning for name, leaning, _ in outlets}
    for fact in facts:
        for name in fact.get("outlets", []):
            names.setdefault(name, leaning_of(leanings, name))
    return tuple(
        sorted(names.items(), key=lambda item: (_leaning_rank(item[1]), item[0].casefold()))
    )


def _facts(facts: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> tuple[FactRow, ...]:
    rows = []
    for fact in facts:
        reporting = set(fact.get("outlets", []))
        status = str(fact.get("status", ""))
        mark = CONFLICTING if status == "conflict" else REPORTED
        cells = tuple(mark if name in reporting else ABSENT for name in columns)
        rows.append(FactRow(str(fact.get("text", "")), status, cells))
    order = {status: n for n, status in enumerate(FACT_GROUPS)}
    return tuple(sorted(rows, key=lambda row: order.get(row.status, 3)))


def _numbers(numbers: Sequence[Mapping[str, Any]]) -> tuple[NumberGroup, ...]:
    """One card per quantity, as the analysis merged it: each figure given, with its mentions."""
    out = []
    for item in numbers:
        status = str(item.get("status", ""))
        unit = str(item.get("unit") or "")
        mentions = item.get("mentions", [])
        figures = item.get("values") or [{"value": item.get("value", 0.0)}]
        values = tuple(
            NumberValue(
                float(figure.get("value", 0.0)),
                unit,
                status,
                # a mention without a value of its own belongs to the quantity's main figure
                tuple(m for m in mentions if m.get("value", item.get("value")) == figure["value"]),
            )
            for figure in figures
        )
        about = str(item.get("about") or "unlabelled quantity")
        out.append(NumberGroup(about, status == "conflict", values))
    return tuple(sorted(out, key=lambda g: not g.conflict))


def _framing(
    framing: Mapping[str, Sequence[Mapping[str, Any]]],
    leanings: Mapping[str, str | None],
    by_id: Mapping[str, Source],
    max_rows: int,
) -> tuple[OutletFraming, ...]:
    out = []
    for outlet, terms in framing.items():
        if not terms:
            continue
        categories: dict[str, dict[str, None]] = {}
        sentences: dict[str, tuple[dict[str, None], str]] = {}
        for term in terms[:max_rows]:
            word = str(term.get("term", ""))
            categories.setdefault(str(term.get("category") or "term"), {})[word] = None
            entry = sentences.setdefault(
                str(term.get("sentence", "")), ({}, str(term.get("article", "")))
            )
            entry[0][word] = None
        out.append(
            OutletFraming(
                outlet,
                leaning_of(leanings, outlet),
                tuple((name, tuple(words)) for name, words in categories.items()),
                tuple(
                    FramedSentence(sentence, tuple(words), by_id.get(article))
                    for sentence, (words, article) in sentences.items()
                    if sentence
                ),
            )
        )
    return tuple(sorted(out, key=lambda f: (_leaning_rank(f.leaning), f.outlet.casefold())))


def _provenance(
    links: Sequence[Mapping[str, Any]], by_id: Mapping[str, Source]
) -> tuple[Provenance, ...]:
    return tuple(
        Provenance(
            kind=str(link.get("kind", "")),
            verb=LINK_VERBS.get(str(link.get("kind", "")), "copies"),
            score=float(link.get("score", 0.0)),
            original=by_id.get(link.get("from", "")),
            copy=by_id.get(link.get("to", "")),
            aligned=tuple(link.get("aligned", [])),
            unsupported=tuple(link.get("unsupported", [])),
        )
        for link in links
    )


def _timeline(refs: Sequence[Ref], by_id: Mapping[str, Source]) -> tuple[TimelineEntry, ...]:
    first = next((r.get("published") for r in refs if r.get("published")), None)
    return tuple(
        TimelineEntry(
            by_id.get(r["id"]), r, "first" if i == 0 else offset(first, r.get("published"))
        )
        for i, r in enumerate(refs)
    )


@dataclass(frozen=True, slots=True)
class StoryCard:
    """A story as the home page lists it."""

    story: Mapping[str, Any]
    outlets: tuple[tuple[str, str, int], ...]
    segments: tuple[Any, ...]
    headlines: tuple[Ref, ...]


def story_card(
    story: Mapping[str, Any], leanings: Mapping[str, str | None], headlines: int = 3
) -> StoryCard:
    """A story of ``stories --json`` with its outlets, coverage bar and a few headlines."""
    refs: Sequence[Ref] = story.get("articles", [])
    seen: set[str] = set()
    picked: list[Ref] = []
    # Newest headlines first, one per outlet: how differently outlets put the same story.
    for ref in sorted(refs, key=lambda r: r.get("published") or "", reverse=True):
        if ref["outlet"] in seen or ref.get("title", "").casefold() == story["title"].casefold():
            continue
        seen.add(ref["outlet"])
        picked.append(ref)
        if len(picked) == headlines:
            break
    return StoryCard(
        story=story,
        outlets=tuple(
            (name, leaning_of(leanings, name), count)
            for name, count in outlet_counts(r["outlet"] for r in refs)
        ),
        segments=tuple(coverage_segments((r["outlet"] for r in refs), leanings)),
        headlines=tuple(picked),
    )
