"""Dates in news text: the day an article is dated, the days and years it mentions.

An article's own date comes from its metadata when known, else from its URL
("/2013/05/02/") or its dateline ("Updated: Nov. 30, 2009 8:41 PM ET"); the
days and years it mentions in passing are compared separately, as weaker
evidence.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday".split()
    + "mon tue tues wed thu thur thurs fri sat sun".split()
)
# Words a dateline is made of besides the date itself.
DATELINE_WORDS = frozenset(
    """
    updated published posted last modified article on at by @ am pm a.m p.m gmt utc bst cet
    est edt et pst pdt cst cdt ist hrs
    """.split()
)
# A dateline sits at the top of an article; further down, dates are about other things.
DATELINE_CHARS = 250

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_MD = re.compile(
    rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.IGNORECASE
)
_DATE_DM = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_NAMES})\b\.?(?:,?\s+(\d{{4}}))?", re.IGNORECASE
)
_DATE_NUMERIC = re.compile(r"\b(\d{1,2}) ?/ ?(\d{1,2}) ?/ ?(\d{4}|\d{2})\b")
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
# "/2013/05/02/", "2013-07-21", "20130606", "/2005/jun/26/", and "/2008/12/" (mid-month).
_URL_DATE = re.compile(
    rf"(?<![\d.])(19[5-9]\d|20\d\d)([/_-]?)(0[1-9]|1[0-2]|{_MONTH_NAMES})"
    r"(?:\2(0[1-9]|[12]\d|3[01])(?!\d)|/)",
    re.IGNORECASE,
)
YEAR = re.compile(r"(?<![\d.,$])\b(19[5-9]\d|20\d\d)\b(?![\d.,%])")
_DATELINE_TOKEN = re.compile(r"\s*(\S+)")
_CLOCK_OR_DATE = re.compile(r"\d+[:/.]\d*(?:am|pm)?|\d+(?:am|pm)|\d+(?:st|nd|rd|th)|[\d:/.+-]+")


def strip_dateline(text: str) -> str:
    """``text`` without a leading "Updated: Nov. 30, 2009 8:41 PM ET" line or prefix."""
    end, calendar, day = 0, False, False
    for match in _DATELINE_TOKEN.finditer(text):
        token = match.group(1).strip(".,:;|-–—()[]•").lower()
        if not token or token in DATELINE_WORDS:
            pass
        elif token.isdigit():
            day = day or int(token) <= 31
            calendar = calendar or bool(YEAR.fullmatch(token))
        elif _CLOCK_OR_DATE.fullmatch(token):
            calendar = day = True
        elif token in MONTHS or token in WEEKDAYS:
            calendar = True
        else:
            break
        end = match.end()
    # A month and a day (or a clock time) make a dateline; "March 2005 rampage" does not.
    if not (calendar and day):
        return text
    return text[end:].lstrip(" \t|:-–—")


def mentioned_days(text: str) -> tuple[set[str], set[int]]:
    """Calendar days mentioned ("11-30"), and the years mentioned."""
    days = set()
    years = {int(y) for y in YEAR.findall(text)}
    for match in _DATE_MD.finditer(text):
        month, day = MONTHS[match.group(1).lower()], int(match.group(2))
        if 1 <= day <= 31:
            days.add(f"{month:02d}-{day:02d}")
    for match in _DATE_DM.finditer(text):
        month, day = MONTHS[match.group(2).lower()], int(match.group(1))
        if 1 <= day <= 31:
            days.add(f"{month:02d}-{day:02d}")
    return days, years


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _full_dates(text: str) -> list[tuple[int, date]]:
    """(offset, date) of every date with a year in ``text``."""
    found: list[tuple[int, date | None]] = []
    for m in _DATE_MD.finditer(text):
        if m.group(3):
            month = MONTHS[m.group(1).lower()]
            found.append((m.start(), _day(int(m.group(3)), month, int(m.group(2)))))
    for m in _DATE_DM.finditer(text):
        if m.group(3):
            month = MONTHS[m.group(2).lower()]
            found.append((m.start(), _day(int(m.group(3)), month, int(m.group(1)))))
    for m in _DATE_ISO.finditer(text):
        found.append((m.start(), _day(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
    for m in _DATE_NUMERIC.finditer(text):
        first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year += 2000 if year < 100 else 0
        # Month first unless it cannot be (most English-language news is American).
        month, day = (first, second) if first <= 12 else (second, first)
        found.append((m.start(), _day(year, month, day)))
    return sorted((at, d) for at, d in found if d is not None)


def url_date(url: str) -> date | None:
    """The day a URL's path is dated, if it is."""
    for m in _URL_DATE.finditer(url):
        month_text = m.group(3).lower()
        month = MONTHS[month_text] if month_text in MONTHS else int(month_text)
        found = _day(int(m.group(1)), month, int(m.group(4) or 15))
        if found:
            return found
    return None


def dateline(text: str) -> str:
    """The leading dateline of ``text`` ("Updated: Nov. 30, 2009 8:41 PM ET"), or ""."""
    head = text[:DATELINE_CHARS].lstrip()
    return head[: len(head) - len(strip_dateline(head))]


def stated_date(title: str, text: str, url: str | None = None) -> date | None:
    """The day an article is dated by its URL or a dateline atop its title or text."""
    found = url_date(url) if url else None
    if found:
        return found
    # Only a dateline counts: a date inside a sentence is about something else
    # ("born on April 22, 1923", "the March 11, 2005 rampage").
    for line in (title, text):
        dates = _full_dates(dateline(line))
        if dates:
            return dates[0][1]
    return None
