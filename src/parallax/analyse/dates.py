"""Dates and time words, resolved against a publication date, and events' tense.

``find_dates`` reads explicit dates ("January 20", "20 January 2025",
"February 2022", "in 2014", "2024-11-19") and relative ones ("on Tuesday",
"last week", "in September", "two days ago", "over the weekend"); with a
publication date each becomes a day range. ``find_events`` finds event words
with a marker of time ("upcoming elections", "last week's elections",
"President-elect", "ahead of the summit"), so a verifier can see that one text
treats as future what another reports as past.

Speed: every pattern runs only in a small window around a trigger word found
with ``str.find``; case-blind alternations tried at every character are slow.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

PAST, FUTURE, PRESENT = "past", "future", "present"


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date or time expression, its span, and the days it covers (when resolvable)."""

    text: str
    start: int
    end: int
    kind: str  # "absolute" or "relative"
    granularity: str  # "day", "week", "weekend", "month" or "year"
    first: date | None = None
    last: date | None = None
    direction: str = ""  # past / future / present, against publication or by wording


@dataclass(frozen=True, slots=True)
class EventMention:
    """An event word with a time marker: "upcoming elections" is a future election."""

    text: str
    start: int
    end: int
    event: str
    tense: str
    cue: str


_MONTH_NAMES = (
    "jan january|feb february|mar march|apr april|may|jun june|jul july|aug august|"
    "sep sept september|oct october|nov november|dec december"
)
_MONTHS = {m: i for i, names in enumerate(_MONTH_NAMES.split("|"), 1) for m in names.split()}
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_COUNTS = {
    w: i for i, w in enumerate("one two three four five six seven eight nine ten".split(), 1)
}
_COUNTS |= {"a": 1, "an": 1}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}

_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_N = r"(?P<n>\d+|" + "|".join(_COUNTS) + r")\s+(?P<unit>day|week|month|year)s?"
# fmt: off
_DATE_SOURCES = {
    "iso": r"\b" + _YEAR + r"-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])\b",
    "mdy": r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?:,?\s+" + _YEAR + r")?",
    "dmy": r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"\b(?:,?\s+" + _YEAR + ")?",
    "my": r"\b(?P<mod>last|next|this|early|late|mid-?|earlier|in|since|by|until|from|during|"
          r"before|after)?\s*" + _MONTH + r"\b(?:\s+" + _YEAR + ")?",
    "year": r"(?<![\w$£€.,])(?:(?P<mod>in|since|by|until|from|during|before|after|of|early|"
            r"late|mid-?)\s+)?" + _YEAR + r"(?![\w%,.]\d|\s*(?:%|percent|per cent)|[\w-])",
    "weekday": r"\b(?P<mod>last|next|this|on|since|by|until|from|before|after)?\s*"
               r"(?P<wd>" + "|".join(_WEEKDAYS) + r")(?:[’']s)?\b",
    "rel": r"\b(?P<rel>today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening)|"
           r"last night|(?:earlier |later )?(?:this|last|next|the past) (?:week|month|year|"
           r"weekend)|(?:over|during) the (?:past )?weekend)(?:[’']s)?\b",
    "ago": r"\b" + _N + r"\s+(?P<dir>ago|earlier|from now|later)\b",
    "in_n": r"\bin\s+" + _N + r"(?:[’']\s*time)?\b",
}
# fmt: on
_PATTERNS = [(kind, re.compile(source, re.I)) for kind, source in _DATE_SOURCES.items()]
# Which trigger words each pattern needs, and how far before and after one it may reach.
_NEEDS = {"iso": "year", "mdy": "month", "dmy": "month", "my": "month", "year": "year",
          "weekday": "weekday", "rel": "rel", "ago": "rel", "in_n": "rel"}  # fmt: skip
_REACH = {"ago": (25, 30), "in_n": (20, 25), "rel": (20, 12), "year": (10, 12), "iso": (2, 8)}
_TRIGGER_KIND = (
    dict.fromkeys(_MONTHS, "month")
    | dict.fromkeys(_WEEKDAYS, "weekday")
    | dict.fromkeys("today tonight yesterday tomorrow weekend day week month year".split(), "rel")
    | dict.fromkeys("night morning afternoon evening".split(), "rel")
)
_YEAR_TRIGGER = re.compile(r"(?:1[89]|20)\d\d(?!\d)")
_PREPOSITIONS = frozenset("in on since by until from during before after of".split())
_AMBIGUOUS_MONTHS = frozenset("may march mar jan jun jul dec sep aug".split())
_FUTURE_CONTEXT = re.compile(
    r"\b(?:will|shall|(?:is|are) (?:due|set|expected|scheduled) to|plans? to|going to|"
    r"upcoming|next)\b",
    re.I,
)
_SPLIT_CLAUSE = re.compile(r"[.!?\n“”\"]")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _triggers(words: Iterable[str], text: str) -> list[tuple[str, tuple[int, int]]]:
    """Whole-word hits of lower-case trigger words (plurals included), in text order."""
    lower = text.lower()
    if len(lower) != len(text):  # a few characters lengthen when lower-cased
        lower = text.translate(_ASCII_LOWER)
    out = []
    for word in words:
        at = lower.find(word)
        while at >= 0:
            end = at + len(word)
            end += 2 if lower.startswith("es", end) else 1 if lower.startswith("s", end) else 0
            if not (at and lower[at - 1].isalnum()) and not lower[end : end + 1].isalpha():
                out.append((word, (at, end)))
            at = lower.find(word, at + 1)
    return sorted(out, key=lambda hit: hit[1])


def _around(
    pattern: re.Pattern[str], text: str, triggers: list[tuple[int, int]], reach: tuple[int, int]
) -> list[re.Match[str]]:
    """Matches of ``pattern`` that contain a trigger, searched only near the triggers."""
    found: dict[tuple[int, int], re.Match[str]] = {}
    before, after = reach
    for s, e in triggers:
        for m in pattern.finditer(text, max(0, s - before), min(len(text), e + after)):
            if m.start() <= s and e <= m.end():
                found.setdefault(m.span(), m)
    return sorted(found.values(), key=lambda m: m.start())


def _as_date(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


Resolved = tuple[str, date | None, date | None, bool]  # granularity, first, last, absolute


def _resolve(kind: str, m: re.Match[str], pub: date | None, future: bool) -> Resolved:
    g = m.groupdict()
    mod = (g.get("mod") or "").lower()
    if kind == "iso":
        d = _day(int(g["year"]), int(g["m"]), int(g["d"]))
        return "day", d, d, True
    if kind == "year":
        return ("year", *_year(int(g["year"])), True)
    if kind in ("mdy", "dmy"):
        month, day = _MONTHS[g["month"].lower()], int(g["day"])
        if g.get("year"):
            d = _day(int(g["year"]), month, day)
            return "day", d, d, True
        # No year: the one that puts the day nearest the publication date.
        options = [d for y in (-1, 0, 1) if pub and (d := _day(pub.year + y, month, day))]
        d = min(options, key=lambda d: abs((d - pub).days)) if pub and options else None
        return "day", d, d, False
    if kind == "my":
        month = _MONTHS[g["month"].lower()]
        if g.get("year"):
            return ("month", *_month(int(g["year"]), month), True)
        if not pub:
            return "month", None, None, False
        if mod == "this":
            year = pub.year
        elif mod == "next" or (future and mod != "last"):  # "will meet in March"
            year = pub.year + (month < pub.month or (mod == "next" and month == pub.month))
        else:  # "in September", "last March": the latest one not after publication
            year = pub.year - (month > pub.month or (mod == "last" and month == pub.month))
        return ("month", *_month(year, month), False)
    if not pub:
        unit = (g.get("rel") or g.get("unit") or "day").split()[-1].lower()
        return (unit if unit in ("week", "weekend", "month", "year") else "day"), None, None, False
    if kind == "weekday":
        target = _WEEKDAYS.index(g["wd"].lower())
        if mod == "next" or (future and mod not in ("last", "since")):
            d = pub + timedelta(days=(target - pub.weekday()) % 7 or 7)
        else:  # a bare weekday in news is the latest one, publication day included
            back = (pub.weekday() - target) % 7
            d = pub - timedelta(days=back or (7 if mod == "last" else 0))
        return "day", d, d, False
    if kind in ("ago", "in_n"):
        n = g["n"].lower()
        days = (int(n) if n.isdigit() else _COUNTS[n]) * _UNIT_DAYS[g["unit"].lower()]
        sign = -1 if kind == "ago" and g["dir"].lower() in ("ago", "earlier") else 1
        d = pub + timedelta(days=sign * days)
        return "day", d, d, False
    return _relative(g["rel"].lower(), pub)


def _relative(rel: str, pub: date) -> Resolved:
    """ "yesterday", "last week", "this month", "over the weekend"."""
    monday = pub - timedelta(days=pub.weekday())
    periods = ("week", "month", "year", "weekend")
    if rel in ("today", "tonight") or (rel.startswith("this ") and not rel.endswith(periods)):
        return "day", pub, pub, False
    if rel in ("yesterday", "last night", "tomorrow"):
        d = pub + timedelta(days=1 if rel == "tomorrow" else -1)
        return "day", d, d, False
    step = 1 if "next" in rel else -1 if "last" in rel or "past" in rel else 0
    unit = rel.split()[-1]
    if unit == "weekend":  # the latest weekend, or the coming one for "next"
        saturday = monday + timedelta(days=5 if pub.weekday() >= 5 or "this" in rel else -2)
        if step > 0 or (step < 0 and pub.weekday() >= 5):
            saturday += timedelta(days=7 * step)
        return "weekend", saturday, saturday + timedelta(days=1), False
    if unit == "week":
        start = monday + timedelta(days=7 * step)
        return "week", start, start + timedelta(days=6), False
    if unit == "month":
        year, month = divmod(pub.year * 12 + pub.month - 1 + step, 12)
        return ("month", *_month(year, month + 1), False)
    return ("year", *_year(pub.year + step), False)


def _wording_direction(text: str) -> str:
    low = text.lower()
    if re.search(r"\b(?:last|ago|yesterday|earlier|past|since)\b", low):
        return PAST
    if re.search(r"\b(?:next|tomorrow|from now|later|in \w+ (?:day|week|month|year))", low):
        return FUTURE
    return ""


def find_dates(text: str, published: date | datetime | None = None) -> list[DateMention]:
    """Every date or time expression in ``text``, resolved against ``published`` when given."""
    return list(_dates(text, _as_date(published)))


@lru_cache(maxsize=32)
def _dates(text: str, pub: date | None) -> tuple[DateMention, ...]:
    triggers: dict[str, list[tuple[int, int]]] = {"month": [], "weekday": [], "year": [], "rel": []}
    for word, span in _triggers(_TRIGGER_KIND, text):
        triggers[_TRIGGER_KIND[word]].append(span)
    for m in _YEAR_TRIGGER.finditer(text):
        if not (m.start() and text[m.start() - 1] in "0123456789,."):
            triggers["year"].append(m.span())
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:  # earlier patterns win where spans overlap
        for m in _around(pattern, text, triggers[_NEEDS[kind]], _REACH.get(kind, (20, 25))):
            start, end = m.span()
            if kind in ("my", "weekday", "year") and (m.group("mod") or "in").lower() in (
                _PREPOSITIONS
            ):
                start = m.start({"my": "month", "weekday": "wd", "year": "year"}[kind])
            if kind in ("my", "mdy", "dmy") and _not_a_month(m, kind):
                continue
            if any(d.start < end and start < d.end for d in found):
                continue
            # Future wording just before the date, outside quotes: "will meet in March".
            clause = _SPLIT_CLAUSE.split(text[max(0, start - 80) : start])[-1]
            granularity, first, last, absolute = _resolve(
                kind, m, pub, bool(_FUTURE_CONTEXT.search(clause))
            )
            if pub and first and last:
                direction = PAST if last < pub else FUTURE if first > pub else PRESENT
            else:
                direction = _wording_direction(m.group())
            kind_word = "absolute" if absolute else "relative"
            mention = DateMention(text[start:end], start, end, kind_word, granularity)
            found.append(replace(mention, first=first, last=last, direction=direction))
    return tuple(sorted(found, key=lambda d: d.start))


def _not_a_month(m: re.Match[str], kind: str) -> bool:
    """ "may" the verb, "March" the verb or a name: month words must look like dates."""
    word = m.group("month")
    if word[0].islower():
        return True
    bare = not (m.group("year") or m.groupdict().get("mod"))
    return kind == "my" and word.lower() in _AMBIGUOUS_MONTHS and bare


_EVENT_WORDS = (
    "elections? votes? polls? referendums? referenda primary primaries caucus(?:es)? summits? "
    "talks meetings? negotiations? ceremony inauguration visits? trips? invasion attacks? "
    "strikes? offensive incursion counteroffensive trials? hearings? ruling verdict decision "
    "deal agreement ceasefire truce conference debates? campaign launch transition withdrawal "
    "handover deadline match final tournament protests? rally rallies storm hurricane "
    "earthquake floods? announcement speech address interview budget merger acquisition "
    "release tests? exercises? drills? deployment operation war presidency term administration"
)
_EVENT = r"(?P<event>" + "|".join(_EVENT_WORDS.split()) + ")"
_ADJ = r"(?:(?:[a-z]+-)?[a-z]+\s+){0,2}?"
# fmt: off
# (tense, pattern, reach): the cue comes before the event word in the first four,
# after it in the last two.
_EVENT_PATTERNS = [(tense, re.compile(source, re.I), reach) for tense, source, reach in [
    (FUTURE, r"\b(?P<cue>upcoming|forthcoming|coming|next|future|planned|scheduled|impending|"
             r"expected|proposed|pending|looming|anticipated|imminent|prospective|incoming)\s+"
             + _ADJ + _EVENT + r"\b", (70, 0)),
    (PAST, r"\b(?P<cue>last|past|recent|previous|prior|earlier|held|completed|concluded|"
           r"already[- ]held|just[- ]concluded|failed|outgoing|(?:last|this|previous) (?:week|"
           r"month|year|weekend)[’']s|yesterday[’']s|(?:mon|tues|wednes|thurs|fri|satur|sun)"
           r"day[’']s)\s+" + _ADJ + _EVENT + r"\b", (70, 0)),
    (PAST, r"\b(?P<cue>in the wake of|since|following|in the aftermath of|won|winning|lost|"
           r"losing|victory in|defeat in|results? of) (?:the|this|last|[a-z]+[’']s) "
           + _ADJ + _EVENT + r"\b", (70, 0)),
    (FUTURE, r"\b(?P<cue>ahead of|in the run-up to|in the lead-up to|pending) (?:the|next|this|"
             r"an?) " + _ADJ + _EVENT + r"\b", (70, 0)),
    (PAST, r"\b" + _EVENT + r"\s+(?P<cue>(?:was|were|had been|has been|have been) (?:held|won|"
           r"lost|decided|called|concluded)|took place|happened|ended)\b", (0, 60)),
    (FUTURE, r"\b" + _EVENT + r"\s+(?P<cue>(?:will|(?:is|are) (?:due|set|scheduled|expected) "
             r"to)\s+(?:be held|take place|begin|start|open))\b", (0, 60)),
]]
# fmt: on
# Roles that exist only once an election has been held.
_ELECTED = re.compile(
    r"\b(?P<cue>(?:president|prime minister|governor|mayor|chancellor)[- ]elect|lame[- ]duck|"
    r"re-?elected|newly[- ]elected|election (?:victory|win|loss|defeat))\b",
    re.I,
)
_EVENT_TRIGGERS = tuple(
    re.sub(r"\(\?:es\)\?$|s\?$", "", w) for w in [*_EVENT_WORDS.split(), "elect", "lame"]
)
_EVENT_AFTER_DATE = re.compile(r"(?:[’']s)?\s+" + _ADJ + _EVENT + r"\b", re.I)
_EVENT_LEMMAS = {"referenda": "referendum", "primaries": "primary", "rallies": "rally",
                 "caucuses": "caucus", "talks": "talks"}  # fmt: skip


def _event_lemma(word: str) -> str:
    low = word.lower()
    return _EVENT_LEMMAS.get(low) or (low[:-1] if low.endswith("s") else low)


def find_events(text: str, published: date | datetime | None = None) -> list[EventMention]:
    """Event words with a past or future marker ("upcoming elections", "President-elect")."""
    events: list[EventMention] = []
    triggers = [span for _, span in _triggers(_EVENT_TRIGGERS, text)]
    for tense, pattern, reach in _EVENT_PATTERNS:
        for m in _around(pattern, text, triggers, reach):
            if not any(e.start < m.end() and m.start() < e.end for e in events):
                event = _event_lemma(m.group("event"))
                events.append(EventMention(m.group(), *m.span(), event, tense, m.group("cue")))
    for m in _around(_ELECTED, text, triggers, (30, 30)):
        if not any(e.start <= m.start() < e.end for e in events):
            events.append(EventMention(m.group(), *m.span(), "election", PAST, m.group()))
    pub = _as_date(published)
    for d in find_dates(text, pub) if pub else ():
        # "the 2020 election", "Tuesday's vote": the tense is the date's.
        after = _EVENT_AFTER_DATE.match(text, d.end)
        if not after or d.direction not in (PAST, FUTURE):
            continue
        if not any(e.start < after.end() and d.start < e.end for e in events):
            event = _event_lemma(after.group("event"))
            span = text[d.start : after.end()]
            events.append(EventMention(span, d.start, after.end(), event, d.direction, d.text))
    return sorted(events, key=lambda e: e.start)


def tense_conflict(a: EventMention, b: EventMention) -> bool:
    """True when two mentions of the same kind of event disagree on past versus future."""
    return a.event == b.event and {a.tense, b.tense} == {PAST, FUTURE}
