"""What an article's words say about its event: terms, names, numbers and dates.

Rule-based and fast. A ``Profile`` holds the keys the similarity model
compares: content words (``terms``), capitalised names (``names``: people,
places, organisations, weapons...), amounts (``numbers``), counted things
(``quantities``: "23 pirates" is ``pirate=23``), dates, and the lead that is
embedded. Text that went through a tokeniser ("U. S.", "30, 000", "shake - up")
is rejoined first, so that spacing never decides a match.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from parallax.analyse.sentences import sentence_texts
from parallax.cluster.dates import MONTHS, WEEKDAYS, YEAR, mentioned_days, stated_date
from parallax.cluster.dates import strip_dateline as strip_dateline

# How much of the body is read: the top of a news story carries its event.
BODY_CHARS = 3000
LEAD_SENTENCES = 2
LEAD_CHARS = 400
MAX_TERMS = 120

# News words that are capitalised for reasons other than naming something.
NOT_NAMES = frozenset(
    """
    mr mrs ms dr sir president prime minister chancellor judge ceo chief officer
    said says according updated published posted last read more photo video image
    news report reports breaking live watch update am pm gmt est edt pst ist et utc
    """.split()
)
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | frozenset(
    """
    said says say told tells according just like new also would could one two year
    years time week month day today yesterday people s t don didn
    """.split()
)
MULTIPLIERS = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
NUMBER_WORDS = {
    word: value
    for value, words in enumerate(
        (
            (),
            ("one", "first", "single"),
            ("two", "second", "both"),
            ("three", "third"),
            ("four", "fourth"),
            ("five", "fifth"),
            ("six", "sixth"),
            ("seven", "seventh"),
            ("eight", "eighth"),
            ("nine", "ninth"),
            ("ten", "tenth"),
            ("eleven", "eleventh"),
            ("twelve", "twelfth"),
        )
    )
    for word in words
}

_SPLIT_THOUSANDS = re.compile(r"(?<=\d), (?=\d{3}\b)")
_SPLIT_TIME = re.compile(r"(?<=\d): (?=\d\d\b)")
_SPLIT_MERIDIEM = re.compile(r"\b([ap])\. m\.")
_SPLIT_DECIMAL = re.compile(r"(?<=\b\d)\. (?=\d\b)")
_SPLIT_HYPHEN = re.compile(r"(?<=\w) - (?=\w)")
_SPLIT_INITIALS = re.compile(r"\b([A-Z])\. (?=[A-Z]\.)")
_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['’](?=[^\W\d_]))*|\d+(?:[.,]\d+)*", re.UNICODE)
_NUMBER = re.compile(
    r"(?<![\w.])(\d+(?:,\d{3})*(?:\.\d+)?)\s*(%|per cent|percent|"
    r"thousand|million|billion|trillion|mn|bn|tn|[kmb]\b)?",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[.;:!?,()](?=\s)|\n")
_QUANTITY_WORD = re.compile(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th)?|[^\W\d_]+", re.UNICODE)
# Words that are never the thing counted.
COUNTLESS = STOP_WORDS | NUMBER_WORDS.keys()
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


@dataclass(frozen=True, slots=True)
class Profile:
    """The comparable keys of one article (lower-cased), its lead and its date."""

    terms: dict[str, int]
    names: frozenset[str]
    numbers: frozenset[str]
    quantities: frozenset[str]
    days: frozenset[str]
    years: frozenset[int]
    lead: str
    # Names and numbers of the title and lead: the event's own, not background.
    lead_names: frozenset[str]
    lead_numbers: frozenset[str]
    when: date | None

    def to_bytes(self) -> bytes:
        """JSON bytes the store keeps with the article."""
        return json.dumps(
            {
                "terms": self.terms,
                "names": sorted(self.names),
                "numbers": sorted(self.numbers),
                "quantities": sorted(self.quantities),
                "days": sorted(self.days),
                "years": sorted(self.years),
                "lead": self.lead,
                "lead_names": sorted(self.lead_names),
                "lead_numbers": sorted(self.lead_numbers),
                "when": self.when.isoformat() if self.when else None,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Profile:
        """The profile ``to_bytes`` wrote."""
        raw = json.loads(data)
        return cls(
            terms={str(k): int(v) for k, v in raw["terms"].items()},
            names=frozenset(raw["names"]),
            numbers=frozenset(raw["numbers"]),
            quantities=frozenset(raw["quantities"]),
            days=frozenset(raw["days"]),
            years=frozenset(int(y) for y in raw["years"]),
            lead=str(raw["lead"]),
            lead_names=frozenset(raw["lead_names"]),
            lead_numbers=frozenset(raw["lead_numbers"]),
            when=date.fromisoformat(raw["when"]) if raw["when"] else None,
        )


def rejoin(text: str) -> str:
    """Undo tokeniser spacing ("U. S." "30, 000" "9: 36" "shake - up") so words compare."""
    text = _SPLIT_THOUSANDS.sub("", text.replace("\u00a0", " "))
    text = _SPLIT_TIME.sub(":", text)
    text = _SPLIT_DECIMAL.sub(".", text)
    text = _SPLIT_HYPHEN.sub("-", text)
    text = _SPLIT_MERIDIEM.sub(r"\1.m.", text)
    return _SPLIT_INITIALS.sub(r"\1.", text)


def lead_text(title: str, text: str) -> str:
    """Title and first sentences: the part of an article that states its event."""
    title, text = strip_dateline(title.strip()), strip_dateline(text.strip())
    sentences = sentence_texts(text[: LEAD_CHARS * 3])
    lead = " ".join(sentences[:LEAD_SENTENCES])[:LEAD_CHARS]
    if title and not lead.startswith(title[:40]):
        return f"{title}. {lead}".strip()
    return lead or title


def stem(word: str) -> str:
    """A lower-cased word with a light plural/possessive strip ("Pirates" meets "pirate")."""
    word = word.lower()
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The words and numbers of ``text``, in order, as written."""
    return _WORD.findall(text)


def _names(sentences: list[str], title: str) -> set[str]:
    """Capitalised words not at a sentence start (or also capitalised inside one)."""
    inside: set[str] = set()
    starts: set[str] = set()
    for sentence in sentences:
        tokens = words(sentence)
        shouting = len(tokens) > 3 and all(t.isupper() or t.isdigit() for t in tokens)
        for i, token in enumerate(tokens):
            if not token[0].isupper():
                continue
            key = stem(token)
            if key in STOP_WORDS or key in NOT_NAMES or key in MONTHS or key in WEEKDAYS:
                continue
            (starts if i == 0 or shouting else inside).add(key)
    # A headline capitalises every word: its words count where the body names them too.
    headline = {stem(t) for t in words(title) if t[:1].isupper()} - STOP_WORDS - NOT_NAMES
    names = inside | (starts & (inside | headline))
    if not sentences:
        names |= headline
    return {n for n in names if len(n) > 1}


def numbers(text: str) -> set[str]:
    """Amounts, scaled ("$56bn" and "$56 billion" meet), without years and small counts."""
    found = set()
    for match in _NUMBER.finditer(text):
        digits, unit = match.group(1), (match.group(2) or "").lower()
        value = float(digits.replace(",", ""))
        if unit in ("%", "per cent", "percent"):
            found.add(f"{value:g}%")
        elif unit:
            found.add(f"{value * MULTIPLIERS[unit]:g}")
        elif not YEAR.fullmatch(digits) and (value >= 10 or not value.is_integer()):
            # Small whole numbers ("2 goals", "1 p.m.") say little about which event.
            found.add(f"{value:g}")
    return found


def _number_value(token: str) -> float | None:
    lower = token.lower()
    ordinal = _ORDINAL.match(lower)
    if ordinal:
        return float(ordinal.group(1))
    if lower in NUMBER_WORDS:
        return float(NUMBER_WORDS[lower])
    if lower[0].isdigit() and not YEAR.fullmatch(lower):
        try:
            return float(lower.replace(",", ""))
        except ValueError:
            return None
    return None


def quantities(text: str) -> set[str]:
    """Counts and measures with the word they count: "23 pirates" -> "pirate=23"."""
    found = set()
    for clause in _CLAUSE.split(text):
        tokens = _QUANTITY_WORD.findall(clause)
        for i, token in enumerate(tokens):
            value = _number_value(token)
            if value is None:
                continue
            # The counted thing follows (past one modifier), or precedes ("magnitude 5.6").
            for other in (*tokens[i + 1 : i + 3], *tokens[max(0, i - 1) : i]):
                key = stem(other)
                if len(key) > 2 and not key[0].isdigit() and key not in COUNTLESS:
                    found.add(f"{key}={value:g}")
    return found


def _terms(title: str, body: str) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for token in words(f"{title}\n{body}"):
        key = stem(token)
        if len(key) > 1 and key not in STOP_WORDS and not key[0].isdigit():
            counts[key] += 1
    # Headline words count once more: they say what the story is.
    for token in words(title):
        key = stem(token)
        if key in counts:
            counts[key] += 1
    return dict(counts.most_common(MAX_TERMS))


def profile(
    title: str, text: str, url: str | None = None, published: datetime | None = None
) -> Profile:
    """The keys of an article's title and the top of its body."""
    title, body = rejoin(title), rejoin(text[:BODY_CHARS])
    everything = f"{title}\n{body}"
    names = _names(sentence_texts(body), title)
    lead = lead_text(title, body)
    lead_words = {stem(t) for t in words(lead)}
    days, years = mentioned_days(everything)
    return Profile(
        terms=_terms(title, body),
        names=frozenset(names),
        numbers=frozenset(numbers(everything)),
        quantities=frozenset(quantities(everything)),
        days=frozenset(days),
        years=frozenset(years),
        lead=lead,
        lead_names=frozenset(names & lead_words),
        lead_numbers=frozenset(numbers(lead)),
        when=published.date() if published else stated_date(title, body, url),
    )
