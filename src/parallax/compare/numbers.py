"""Every quantity of a story merged across articles, and where outlets report it differently.

Mentions of one quantity merge when the figures can be the same (units
converted, rounding and "about"/"more than" respected) and they count or
measure the same thing: the same head noun ("soldiers" and "troops" are one),
or, where the head is missing, sentences close in meaning. Two merged
figures conflict only when they measure the same thing in sentences about the
same thing (the same fact, or very close in meaning), nothing around the
number says they count different outcomes ("killed" against "injured"), and
neither article also reports the other figure: an article giving both "300
in April and 340 by September" shows they are two quantities, not a dispute.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from parallax.analyse.numbers import Quantity, same_measure, same_quantity
from parallax.compare.reading import StoryReading
from parallax.compare.records import NumberMention
from parallax.models import NumberFact

AGREE, CONFLICT = "agree", "conflict"
# Sentence cosine above which two mentions with no head noun can still be one quantity.
SAME_CONTEXT = 0.6
# Two different figures are offered for one thing only in statements aligned as one
# fact or at least this close (MiniLM cosine): topical sentences of one story are
# often 0.6 apart while counting different things.
CONFLICT_CONTEXT = 0.75
# An unlabelled count ("the other 340") only in sentences this close: one lightly edited.
NEAR_COPY = 0.85
_WINDOW = 40
# What happened to the counted things: figures of different outcomes are different counts.
_OUTCOMES = {
    "died": r"kill\w*|dead|die[sd]?|dying|deaths?|fatal\w*|perish\w*|bodies",
    "hurt": r"injur\w*|hurt|wound\w*|hospitali[sz]\w*|burns|treated",
    "missing": r"missing|unaccounted",
    "displaced": r"evacuat\w*|displac\w*|homeless|shelter\w*|fled",
    "held": r"arrest\w*|detain\w*|custody|jail\w*|imprison\w*",
    "saved": r"rescu\w*|saved|surviv\w*",
    "lost": r"cuts?|eliminat\w*|lay(?:ing)? off|laid off|los[et]|losing|shed\w*|slash\w*|axed?",
    "kept": r"keep\w*|kept|maintain\w*|retain\w*|preserv\w*",
    "added": r"creat\w*|add(?:s|ed|ing)?|hir(?:e|es|ed|ing)|expan\w*",
}
_OUTCOME_RE = {
    name: re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE) for name, pattern in _OUTCOMES.items()
}


@dataclass(frozen=True, slots=True)
class _Mention:
    statement: int
    article: int
    quantity: Quantity
    outcomes: frozenset[str]
    holder: frozenset[str] = frozenset()

    @property
    def open(self) -> bool:
        """An open-ended figure: "more than 280", "up to 40 percent"."""
        return self.quantity.high == math.inf or (
            self.quantity.low == 0 and self.quantity.approx == "under"
        )


@dataclass(frozen=True, slots=True)
class NumberComparison:
    """The story's merged quantities and the statement pairs whose figures disagree."""

    numbers: tuple[NumberFact, ...]
    conflicts: tuple[tuple[int, int], ...]


def _outcomes(sentence: str, q: Quantity) -> frozenset[str]:
    """What happened to the counted things: the outcome word nearest the figure."""
    start = max(0, q.start - _WINDOW)
    found = []
    for name, rx in _OUTCOME_RE.items():
        for m in rx.finditer(sentence, start, q.end + _WINDOW):
            distance = q.start - m.end() if m.end() <= q.start else m.start() - q.end
            found.append((max(distance, 0), name))
    return frozenset({min(found)[1]}) if found else frozenset()


def _mentions(reading: StoryReading) -> list[_Mention]:
    out = []
    for i, s in enumerate(reading.statements):
        for q in s.quantities:
            holder = _holder(s.sentence_text, q) if q.kind == "age" else frozenset()
            out.append(_Mention(i, s.article, q, _outcomes(s.sentence_text, q), holder))
    return out


_HOLDER_AFTER = re.compile(r"[\s\-]*((?:[A-Za-z][\w’'\-]*\s*){1,3})")
_HOLDER_BEFORE = re.compile(r"([A-Z][\w’'\-]+),\s*$")
_HOLDER_SKIP = frozenset("a an the of and or was is were has had who said in on at to".split())


def _holder(sentence: str, q: Quantity) -> frozenset[str]:
    """Whose age a figure is: the words after "52-year-old" ("deputy"), or "Reid, 33,"."""
    words: set[str] = set()
    after = _HOLDER_AFTER.match(sentence, q.end)
    if after:
        for word in after.group(1).split():
            low = re.sub(r"[’'](?:s\b)?", "", word.lower())
            if low in _HOLDER_SKIP or low.endswith(("ing", "ed", "ly")):
                continue
            words.add(low)
    before = _HOLDER_BEFORE.search(sentence, 0, q.start)
    if before:
        words.add(before.group(1).lower())
    return frozenset(words)


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _same_figure(a: _Mention, b: _Mention) -> bool:
    """Whether two figures can be one: "at least 12" fits 15, "more than 50" is not "more than 75".

    Two figures open in the same direction are one only when their stated values
    agree; otherwise each outlet gives a different floor (or ceiling) for the thing.
    """
    p, q = a.quantity, b.quantity
    if a.open and b.open and p.approx == q.approx:
        return abs(p.value - q.value) <= 0.05 * max(abs(p.value), abs(q.value))
    return same_quantity(p, q)


def _labels_clash(a: Quantity, b: Quantity) -> bool:
    """Both name what they count, and it is not the same thing.

    Only counts and scores are labelled by what they count; the words after a sum or
    a length name what it is for or of, worded differently by every outlet.
    """
    if a.kind not in ("count", "score"):
        return False
    return bool(a.about and b.about) and not same_measure(a, b)


def _outcomes_clash(a: _Mention, b: _Mention) -> bool:
    return bool(a.outcomes and b.outcomes) and not a.outcomes & b.outcomes


def _disputed(a: _Mention, b: _Mention, labelled: bool, aligned: bool, context: float) -> bool:
    """Whether two different figures are offered for the same thing."""
    if a.quantity.kind == "age" and a.holder & b.holder:
        return True  # "the 52-year-old deputy" and "the 35-year-old deputy"
    if a.quantity.kind in ("count", "score", "duration"):
        # Counts (and spans of time) need their head noun to agree; unlabelled ones
        # ("the other 340", "two weeks") dispute only in near-copies of one sentence.
        if labelled:
            return aligned or context >= CONFLICT_CONTEXT
        return context >= NEAR_COPY
    if a.quantity.about and b.quantity.about and not labelled:
        # Sums and spans named for different things ("a three-hour show", "11 days
        # after the strike") dispute only in near-copies of one sentence.
        return context >= NEAR_COPY
    return aligned or context >= CONFLICT_CONTEXT


def _merge(
    mentions: Sequence[_Mention], agree: list[tuple[bool, bool, float, int, int]], union: _Union
) -> None:
    """Join agreeing figures; an open-ended one ("at least 12") joins its best match only.

    "At least 12" agrees with both 12 and 15, so letting it join everything it agrees
    with would merge two disputed figures into one.
    """
    best: dict[int, tuple[tuple[bool, bool, float], int]] = {}
    for labelled, aligned, context, x, y in agree:
        a, b = mentions[x], mentions[y]
        if not (a.open or b.open):
            union.join(x, y)
            continue
        for one, other in ((x, y), (y, x)):
            if mentions[one].open and not mentions[other].open:
                strength = (labelled, aligned, context)
                if one not in best or strength > best[one][0]:
                    best[one] = (strength, other)
    for one, (_, other) in sorted(best.items()):
        union.join(one, other)
    for _, _, _, x, y in agree:
        a, b = mentions[x], mentions[y]
        if a.open and b.open and x not in best and y not in best:
            union.join(x, y)


def compare_numbers(reading: StoryReading, fact_of: Sequence[int]) -> NumberComparison:
    """Merge the story's quantities; ``fact_of`` gives each statement's fact (aligned context)."""
    mentions = _mentions(reading)
    union = _Union(len(mentions))
    agree: list[tuple[bool, bool, float, int, int]] = []
    disputes: list[tuple[int, int]] = []
    buckets: dict[tuple[str, str], list[int]] = {}
    for k, m in enumerate(mentions):
        buckets.setdefault((m.quantity.kind, m.quantity.unit), []).append(k)
    for members in buckets.values():
        rows = [mentions[k].statement for k in members]
        contexts = reading.similarity[np.ix_(rows, rows)].tolist()
        for x_pos, x in enumerate(members):
            a = mentions[x]
            for y_pos in range(x_pos + 1, len(members)):
                y = members[y_pos]
                b = mentions[y]
                if a.statement == b.statement and a.quantity.start == b.quantity.start:
                    continue
                context = contexts[x_pos][y_pos]
                same_fact = fact_of[a.statement] == fact_of[b.statement] >= 0
                aligned = a.article != b.article and same_fact
                equal = _same_figure(a, b)
                rival = aligned or context >= CONFLICT_CONTEXT or bool(a.holder & b.holder)
                if not equal and not rival:
                    continue  # neither the same figure nor a rival figure for one thing
                if _labels_clash(a.quantity, b.quantity) or _outcomes_clash(a, b):
                    continue
                labelled = same_measure(a.quantity, b.quantity)
                if equal:
                    # The same sum or length in one story is one figure, unless open-ended.
                    alike = (a.quantity.approx, a.quantity.value) == (
                        b.quantity.approx,
                        b.quantity.value,
                    )
                    unit_ful = a.quantity.kind != "count" and (alike or not (a.open or b.open))
                    # Merely compatible counts ("400" and "about 350") need a shared label.
                    equal = a.quantity.value == b.quantity.value
                    nearby = context >= SAME_CONTEXT and (equal or a.quantity.kind != "count")
                    if labelled or aligned or nearby or unit_ful:
                        agree.append((labelled, aligned, context, x, y))
                elif a.article != b.article and _disputed(a, b, labelled, aligned, context):
                    disputes.append((x, y))
    _merge(mentions, agree, union)
    cluster = [union.find(k) for k in range(len(mentions))]
    by_article: dict[tuple[int, str, str], list[_Mention]] = {}
    for m in mentions:
        by_article.setdefault((m.article, m.quantity.kind, m.quantity.unit), []).append(m)

    def reports(article: int, m: _Mention) -> bool:
        same_unit = by_article[(article, m.quantity.kind, m.quantity.unit)]
        return any(_same_figure(m, o) for o in same_unit)

    # An article that gives both figures shows they are two quantities, not a dispute.
    articles_of: dict[int, set[int]] = {}
    for k, m in enumerate(mentions):
        articles_of.setdefault(cluster[k], set()).add(m.article)
    conflict_union = _Union(len(mentions))
    conflict_pairs: list[tuple[int, int]] = []
    for x, y in disputes:
        cx, cy = cluster[x], cluster[y]
        a, b = mentions[x], mentions[y]
        if cx == cy or reports(b.article, a) or reports(a.article, b):
            continue
        if articles_of[cx] & articles_of[cy]:
            continue
        conflict_union.join(cx, cy)
        conflict_pairs.append((mentions[x].statement, mentions[y].statement))
    groups: dict[int, list[int]] = {}
    for k in range(len(mentions)):
        groups.setdefault(conflict_union.find(cluster[k]), []).append(k)
    numbers = [_number(reading, mentions, ks, cluster) for ks in groups.values()]
    numbers.sort(key=lambda n: (n[0].status != CONFLICT, -n[1], n[2]))
    return NumberComparison(tuple(n[0] for n in numbers), tuple(sorted(set(conflict_pairs))))


def _number(
    reading: StoryReading, mentions: Sequence[_Mention], ks: Sequence[int], cluster: Sequence[int]
) -> tuple[NumberFact, int, tuple[int, int]]:
    """One merged quantity, with its number of sources and first position for ordering."""
    values: dict[int, list[int]] = {}
    for k in ks:
        values.setdefault(cluster[k], []).append(k)
    status = CONFLICT if len(values) > 1 else AGREE

    def weight(members: list[int]) -> tuple[int, int, int]:
        groups = {reading.groups[mentions[k].article] for k in members}
        return (len(groups), len(members), -min(members))

    main = max(values.values(), key=weight)
    # A figure written with its conversion keeps the one in the canonical unit: prefer it.
    figures = Counter(
        (len(mentions[k].quantity.forms) > 1, round(mentions[k].quantity.value, 6)) for k in main
    )
    value = max(figures, key=lambda f: (f[0], figures[f], -f[1]))[1]
    first = mentions[main[0]].quantity
    seen: set[tuple[str, str, int]] = set()
    out: list[NumberMention] = []
    for k in sorted(ks, key=lambda k: (mentions[k].article, mentions[k].statement)):
        m = mentions[k]
        article = reading.articles[m.article]
        statement = reading.statements[m.statement]
        key = (article.key, statement.sentence_text, m.quantity.start)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            NumberMention(
                article=article.key,
                outlet=article.outlet,
                text=m.quantity.text,
                sentence=statement.sentence_text,
                value=m.quantity.value,
                approx=m.quantity.approx,
            )
        )
    fact = NumberFact(
        value=value,
        unit=first.unit,
        about=_about([mentions[k].quantity for k in ks]),
        status=status,
        mentions=tuple(out),
    )
    position = min((reading.statements[mentions[k].statement].sentence, k) for k in ks)
    return fact, weight(main)[0], position


def _about(quantities: Sequence[Quantity]) -> str:
    """What the quantity measures, in the words most outlets use."""
    heads = Counter(q.about for q in quantities if q.about)
    if not heads:
        return quantities[0].kind if quantities[0].kind != "count" else ""
    head = max(heads, key=lambda h: (heads[h], h))
    phrases = Counter(
        q.phrase if q.phrase and q.kind != "score" else " ".join((*q.modifiers, q.about))
        for q in quantities
        if q.about == head
    )
    return max(phrases, key=lambda p: (phrases[p], -len(p), p)) if phrases else head
