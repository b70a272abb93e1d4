"""Loaded, evaluative, hedging and attributing words an article uses, from a lexicon.

The lexicon (``framing.toml`` beside this module) is data: categories with a
note on where each comes from, and terms whose matching respects word
boundaries, inflections ("slam" finds "slammed") and hyphen/space variants
("lame-duck", "lame duck"). Users extend it with their own TOML files.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from parallax.analyse.quotes import find_quotes
from parallax.analyse.sentences import split_sentences
from parallax.errors import InputError
from parallax.models import FramingTerm

_GAP = r"(?:\W+\w+){0,4}?\W+"
_JOIN = r"[\s\-‐‑]+"


@dataclass(frozen=True, slots=True)
class FramingCategory:
    """One kind of framing term, with where the category comes from."""

    name: str
    description: str
    source: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FramingMatch:
    """One use of a lexicon term: the words as written, the entry, and their spans."""

    term: str
    entry: str
    category: str
    start: int
    end: int
    sentence: str


def _inflections(word: str) -> list[str]:
    """A word and its regular inflections (over-generating is harmless: odd forms never occur)."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing", word + "ly"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing", word[:-1] + "y"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied", word[:-1] + "ily"}
    if word.endswith("ic"):
        forms.add(word + "ally")
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", word):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing", word + word[-1] + "er"}
    return sorted(forms, key=len, reverse=True)


def _word_pattern(word: str, inflect: bool) -> str:
    parts = [re.escape(p) for p in re.split(r"[\s\-‐‑]+", word) if p]
    if inflect and parts:
        last = re.split(r"[\s\-‐‑]+", word)[-1]
        parts[-1] = "(?:" + "|".join(re.escape(f) for f in _inflections(last.lower())) + ")"
    return _JOIN.join(parts)


_WORD = re.compile(r"[A-Za-z0-9]+")


def _first_forms(term: str) -> set[str]:
    """Lower-case spellings the first word of ``term`` can take in a text."""
    words = term.split("...")[0].split()
    pieces = re.split(r"[\-‐‑]+", words[0].rstrip("+"))
    inflected = words[0].endswith("+") or (
        "+" not in term and len(words) == 1 and "..." not in term
    )
    first = pieces[0].lower()
    return set(_inflections(first)) if inflected and len(pieces) == 1 else {first}


def compile_term(term: str) -> re.Pattern[str]:
    """The regular expression that finds ``term`` as the lexicon's header describes."""
    segments = [s.strip() for s in term.split("...")]
    marked = "+" in term
    patterns = []
    for i, segment in enumerate(segments):
        words = segment.split()
        rendered = []
        for j, word in enumerate(words):
            last = i == len(segments) - 1 and j == len(words) - 1
            inflect = word.endswith("+") or (last and not marked)
            rendered.append(_word_pattern(word.rstrip("+"), inflect))
        patterns.append(_JOIN.join(rendered))
    return re.compile(r"(?<![\w\-])" + _GAP.join(patterns) + r"(?![\w])", re.IGNORECASE)


class FramingLexicon:
    """Framing categories and their compiled terms; ``match`` finds them in a text."""

    def __init__(self, categories: Sequence[FramingCategory]) -> None:
        self.categories = tuple(categories)
        seen: set[str] = set()
        entries: list[tuple[str, str]] = []
        for category in self.categories:
            for term in category.terms:
                if term.lower() not in seen:
                    seen.add(term.lower())
                    entries.append((term, category.name))
        # Terms indexed by the forms of their first word: a text is read word by word
        # and a term's regex is tried only where its first word stands.
        self._by_first: dict[str, list[tuple[str, str, re.Pattern[str]]]] = {}
        for term, name in entries:
            compiled = (term, name, compile_term(term))
            for form in _first_forms(term):
                self._by_first.setdefault(form, []).append(compiled)
        # Literal uses ("blasted off", "the roof caved in") that are not framing.
        self._exclude = [compile_term(p) for c in self.categories for p in c.exclude]

    def match(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, entry, category) of every term, longest first where they overlap."""
        hits = []
        for word in _WORD.finditer(text):
            for term, category, pattern in self._by_first.get(word.group().lower(), ()):
                m = pattern.match(text, word.start())
                if m:
                    hits.append((m.start(), m.end(), term, category))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        if hits and self._exclude:
            literal = [m.span() for rx in self._exclude for m in rx.finditer(text)]
            hits = [h for h in hits if not any(s <= h[0] and h[1] <= e for s, e in literal)]
        kept: list[tuple[int, int, str, str]] = []
        for hit in hits:
            if not kept or hit[0] >= kept[-1][1]:
                kept.append(hit)
        return kept


def _read(text: str, origin: str) -> list[FramingCategory]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{origin}: not valid TOML ({exc}); fix the file and try again") from exc
    categories = []
    for name, body in data.get("categories", {}).items():
        terms = body.get("terms") if isinstance(body, dict) else None
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise InputError(f"{origin}: category {name!r} needs a list of strings in 'terms'")
        exclude = body.get("exclude", [])
        if not isinstance(exclude, list) or not all(isinstance(t, str) for t in exclude):
            raise InputError(f"{origin}: category {name!r}: 'exclude' must be a list of strings")
        description, source = body.get("description", ""), body.get("source", "")
        categories.append(FramingCategory(name, description, source, tuple(terms), tuple(exclude)))
    return categories


@lru_cache(maxsize=1)
def _bundled() -> tuple[FramingCategory, ...]:
    text = resources.files("parallax.analyse").joinpath("framing.toml").read_text("utf-8")
    return tuple(_read(text, "framing.toml"))


@lru_cache(maxsize=1)
def _default_lexicon() -> FramingLexicon:
    return FramingLexicon(_bundled())


def load_lexicon(*extra: Path) -> FramingLexicon:
    """The bundled lexicon, with the categories of any extra TOML files merged in."""
    if not extra:
        return _default_lexicon()  # compiled once; user files are read afresh each call
    merged: dict[str, FramingCategory] = {c.name: c for c in _bundled()}
    for path in extra:
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise InputError(f"{path}: cannot read the framing lexicon ({exc})") from exc
        for category in _read(text, str(path)):
            old = merged.get(category.name)
            if old:
                terms = old.terms + tuple(t for t in category.terms if t not in old.terms)
                exclude = old.exclude + tuple(t for t in category.exclude if t not in old.exclude)
                category = FramingCategory(
                    old.name, old.description, old.source or category.source, terms, exclude
                )
            merged[category.name] = category
    return FramingLexicon(list(merged.values()))


def find_framing(
    text: str, lexicon: FramingLexicon | None = None, include_quoted: bool = False
) -> list[FramingMatch]:
    """Every lexicon term in ``text`` with its entry, category, span and sentence.

    Words inside a quote with a speaker are that speaker's, not the outlet's, so
    they are left out unless ``include_quoted``; scare quotes (no speaker) count.
    """
    return list(_find_framing(text, lexicon or load_lexicon(), include_quoted))


@lru_cache(maxsize=512)
def _find_framing(
    text: str, lexicon: FramingLexicon, include_quoted: bool
) -> tuple[FramingMatch, ...]:
    # Cached: a story's comparison and its summary read the same articles.
    hits = lexicon.match(text)
    if not hits:
        return ()
    quoted = [] if include_quoted else [q for q in find_quotes(text) if q.speaker]
    sentences = split_sentences(text)
    starts = [s.start for s in sentences]
    found: list[FramingMatch] = []
    for start, end, entry, category in hits:
        if any(q.start <= start and end <= q.end for q in quoted):
            continue
        sentence = sentences[max(0, bisect_right(starts, start) - 1)]
        if end > sentence.end:
            continue  # a gap term may not run across sentences
        found.append(FramingMatch(text[start:end], entry, category, start, end, sentence.text))
    return tuple(found)


def framing_terms(
    text: str, article: str = "", lexicon: FramingLexicon | None = None
) -> list[FramingTerm]:
    """The framing terms of one article (the outlet's own words) as the story stage reports them."""
    return [
        FramingTerm(term=m.term, category=m.category, sentence=m.sentence, article=article)
        for m in find_framing(text, lexicon)
    ]
