"""How the templates show things: dates, spans, leaning bars, highlighted terms, snippets.

Everything that turns third-party text into markup lives here: the text is
escaped first, only ``<mark>`` is added, and the result is passed through nh3
with an allow-list of that one element, so no article can inject markup.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import nh3
from markupsafe import Markup, escape

from parallax.outlets import LEANINGS

LEANING_LABELS: Mapping[str, str] = {
    "left": "Left",
    "center-left": "Centre-left",
    "center": "Centre",
    "center-right": "Centre-right",
    "right": "Right",
    "unknown": "No leaning declared",
}
_MARK_TAGS = {"mark"}
_MARK_ATTRIBUTES = {"mark": {"class"}}
_SNIPPET_MARK = re.compile(r"\[([^\[\]]{1,200})\]")


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 string as a datetime, or None when absent or unreadable."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def when(value: str | None) -> str:
    """A date and time for people: ``17 Feb 2026, 14:05``."""
    moment = parse_time(value)
    if moment is None:
        return "date unknown"
    if _date_only(moment):
        return f"{moment.day} {moment:%b %Y}"
    return f"{moment.day} {moment:%b %Y, %H:%M}"


def day(value: str | None) -> str:
    """A date for people: ``17 Feb 2026``."""
    moment = parse_time(value)
    return f"{moment.day} {moment:%b %Y}" if moment else "date unknown"


def span(first: str | None, last: str | None) -> str:
    """A time span as compact as it can be: ``17–18 Feb 2026``."""
    start, end = parse_time(first), parse_time(last)
    if start is None and end is None:
        return "date unknown"
    if start is None or end is None or start.date() == end.date():
        return day(first or last)
    assert start is not None and end is not None
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{day(first)} – {day(last)}"


def _date_only(moment: datetime) -> bool:
    """True for a bare date (midnight, no zone): its time of day is unknown."""
    return moment.tzinfo is None and (moment.hour, moment.minute, moment.second) == (0, 0, 0)


def offset(first: str | None, value: str | None) -> str:
    """How long after ``first`` something appeared: ``+4 h 35 min``, ``+2 days``."""
    start, moment = parse_time(first), parse_time(value)
    if start is None or moment is None:
        return ""
    if _date_only(start) or _date_only(moment):
        days = (moment.date() - start.date()).days
        return "" if days <= 0 else f"+{plural(days, 'day')}"
    try:
        seconds = int((moment - start).total_seconds())
    except TypeError:  # one has a time zone, the other not
        return ""
    if seconds <= 0:
        return ""
    minutes = seconds // 60
    if minutes < 60:
        return f"+{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"+{hours} h {minutes} min" if minutes else f"+{hours} h"
    return f"+{plural(hours // 24, 'day')}"


CURRENCY_SIGNS: Mapping[str, str] = {
    "USD": "$",
    "GBP": "£",
    "EUR": "€",
    "CAD": "C$",
    "AUD": "A$",
    "JPY": "¥",
}


def _figure(value: float) -> str:
    """``2.4 billion``, ``1,200``, ``0.75``: short, without trailing zeros."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{value / size:,.2f}".rstrip("0").rstrip(".") + f" {word}"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def number(value: float, unit: str | None) -> str:
    """A reported quantity, readable: ``$2.4 billion``, ``640``, ``8 hours``, ``3 years``."""
    unit = (unit or "").strip()
    if unit.lower() == "days" and 0 < abs(value) < 1 / 24:
        value, unit = value * 24 * 60, "minutes"
    elif unit.lower() == "days" and 0 < abs(value) < 1:
        value, unit = value * 24, "hours"
    elif unit.lower() == "days" and abs(value) >= 730:
        value, unit = value / 365.25, "years"
    text = _figure(round(value, 2))
    sign = CURRENCY_SIGNS.get(unit.upper())
    if sign:
        return f"{sign}{text}"
    if unit.lower() in ("", "count"):
        return text
    return f"{text} {unit}"


@dataclass(frozen=True, slots=True)
class Segment:
    """One leaning's share of a coverage bar, in percent of the bar."""

    leaning: str
    label: str
    outlets: tuple[str, ...]
    start: float
    width: float


def leaning_of(leanings: Mapping[str, str | None], outlet: str) -> str:
    """An outlet's declared leaning, or ``unknown``: a leaning is never guessed."""
    declared = leanings.get(outlet)
    return declared if declared in LEANINGS else "unknown"


def coverage_segments(outlets: Iterable[str], leanings: Mapping[str, str | None]) -> list[Segment]:
    """The coverage bar: each leaning's share of the distinct outlets, left to right."""
    distinct = sorted(set(outlets))
    if not distinct:
        return []
    by_leaning: dict[str, list[str]] = {}
    for name in distinct:
        by_leaning.setdefault(leaning_of(leanings, name), []).append(name)
    segments, start = [], 0.0
    for leaning in (*LEANINGS, "unknown"):
        names = by_leaning.get(leaning)
        if not names:
            continue
        width = 100.0 * len(names) / len(distinct)
        segments.append(Segment(leaning, LEANING_LABELS[leaning], tuple(names), start, width))
        start += width
    return segments


def outlet_counts(outlets: Iterable[str]) -> list[tuple[str, int]]:
    """Outlets with how many articles each has, most first, then by name."""
    counts = Counter(outlets)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))


def _clean(html: str) -> Markup:
    """Markup with nothing but ``<mark>`` left in it."""
    return Markup(nh3.clean(html, tags=_MARK_TAGS, attributes=_MARK_ATTRIBUTES))


def highlight(text: str, terms: Sequence[str], css_class: str = "term") -> Markup:
    """``text`` escaped, with every occurrence of ``terms`` (any case) in ``<mark>``."""
    wanted = sorted({t for t in terms if t and t.strip()}, key=len, reverse=True)
    if not wanted:
        return Markup(escape(text))
    pattern = re.compile("|".join(re.escape(t) for t in wanted), re.IGNORECASE)
    pieces, last = [], 0
    for found in pattern.finditer(text):
        pieces.append(str(escape(text[last : found.start()])))
        pieces.append(f'<mark class="{css_class}">{escape(found.group())}</mark>')
        last = found.end()
    pieces.append(str(escape(text[last:])))
    return _clean("".join(pieces))


def snippet(text: str) -> Markup:
    """A search snippet (the store marks matches as ``[word]``) with the matches in ``<mark>``."""
    pieces, last = [], 0
    for found in _SNIPPET_MARK.finditer(text):
        pieces.append(str(escape(text[last : found.start()])))
        pieces.append(f"<mark>{escape(found.group(1))}</mark>")
        last = found.end()
    pieces.append(str(escape(text[last:])))
    return _clean("".join(pieces))


def paragraphs(text: str) -> list[str]:
    """An article's text as paragraphs (its non-blank lines)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address, else None (no ``javascript:`` links from articles)."""
    if not url:
        return None
    scheme = url.split(":", 1)[0].strip().lower()
    return url if scheme in ("http", "https") and "://" in url else None


def plural(count: int, singular: str, many: str | None = None) -> str:
    """``1 article``, ``3 articles``."""
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


FILTERS = {
    "when": when,
    "day": day,
    "highlight": highlight,
    "snippet": snippet,
    "paragraphs": paragraphs,
    "number": number,
    "web_url": web_url,
}
GLOBALS = {"span": span, "offset": offset, "plural": plural, "LEANING_LABELS": LEANING_LABELS}
