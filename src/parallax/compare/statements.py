"""Articles split into atomic statements, each with what the comparison needs to know.

A statement is a sentence, or a clause of one where a sentence joins two
statements with a semicolon or ", and/but/while" before a new subject. Page
junk, headings and questions are never statements. Each statement carries
its quantities, the entities it names, whether it is negated, the events it
dates, the framing it uses in the outlet's own words, how much of it is
quoted, and whether it states opinion or speculation rather than fact.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from parallax.analyse.dates import EventMention, find_events
from parallax.analyse.entities import OTHER, find_entities
from parallax.analyse.framing import FramingLexicon, find_framing
from parallax.analyse.numbers import Quantity, find_quantities
from parallax.analyse.quotes import Quote, find_quotes
from parallax.analyse.sentences import split_sentences
from parallax.models import Article

MIN_WORDS = 5
# Framing categories that make a sentence the outlet's judgement rather than a report.
JUDGING = frozenset({"loaded_label", "evaluative", "editorializing", "loaded_verb"})
HEDGING = frozenset({"hedge", "attribution"})

_JUNK = re.compile(
    r"https?://|www\.|\b(?:click|tap) here\b|\bsign up\b|\bsubscribe\b|\bnewsletter\b|"
    r"\bcookies?\b|all rights reserved|©|\bcopyright\b|\bvisit(?:ed|s)?\b.*\btimes?\b|"
    r"\bread more\b|\bfollow us\b|\bshare (?:this|on)\b|\bcomments?\b.*\b(?:below|post|leave)\b|"
    r"\bleave a comment\b|\badvertisement\b|\bsponsored\b|\bprint edition\b|\bphoto:",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!…”\"’')\]]\s*$")
_NEGATION = re.compile(r"\b(?:not|never|no longer|n[o']t|neither|nor)\b|n[’']t\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:I|we|my|our|us|me)\b")
_SPECULATION = re.compile(
    r"\b(?:may|might|could|perhaps|possibly|probably|likely|unlikely|seems?|"
    r"appears? to|speculat\w*|presumably|arguably|in (?:my|our) view|in summary|"
    r"in conclusion|ultimately|at the end of the day|should|deserves?)\b",
    re.IGNORECASE,
)
# A modal verb reported from a named speaker is their claim, not the outlet's speculation.
_REPORTED = re.compile(
    r"\b(?:said|says|say|told|tells|according to|announced|warned|warns|stated|confirmed|"
    r"added|noted|wrote|declared|promised|pledged|vowed|estimated|expects?|expected|"
    r"predicted|forecast|argued|insisted)\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(
    r"(?:;\s+|,\s+(?:and|but|while|whereas)\s+)(?=(?:he|she|it|they|the|a|an|its|his|her|"
    r"their|[A-Z][\w’'\-]+)\s)",
)
_DANGLING = re.compile(
    r"^(?:he|she|it|they|this|that|these|those|such|him|her|them|its|his|their|there)\b",
    re.IGNORECASE,
)
# "Two of his co-workers …", "Most of them …": a part of someone named earlier.
_EARLY_PRONOUN = re.compile(r"^(?:[a-z\d][\w\-]*\s+){1,2}of\s+(?:his|her|their|them|its)\b")
_LEAD_IN = re.compile(r"^(?:and|but|so|yet|however|meanwhile|still|also|then|therefore),?\s+", re.I)
_DATELINE = re.compile(
    r"^[A-Z][A-Z .,'’\-]+(?:,\s*[A-Z][\w .]+)?(?:\s*\([^)]{1,40}\))?\s+[—–-]+\s+"
)


@dataclass(frozen=True, slots=True)
class Statement:
    """One atomic statement of an article; ``start``/``end`` are offsets in the article text."""

    article: int
    sentence: int
    text: str
    sentence_text: str
    start: int
    end: int
    quantities: tuple[Quantity, ...] = ()
    entities: frozenset[str] = frozenset()
    negated: bool = False
    events: tuple[EventMention, ...] = ()
    quoted: float = 0.0
    framing: frozenset[str] = frozenset()
    opinion: bool = False
    clause: bool = False

    @property
    def words(self) -> int:
        """Number of words."""
        return len(self.text.split())

    @property
    def dangling(self) -> bool:
        """True when it opens on a pronoun whose referent lies in an earlier sentence."""
        text = _LEAD_IN.sub("", self.text)
        head = text[:1].lower() + text[1:]
        return bool(_DANGLING.match(text) or _EARLY_PRONOUN.match(head))


def is_junk(sentence: str) -> bool:
    """Page furniture, a heading, a question or a fragment: never a statement of fact."""
    text = sentence.strip()
    if len(text.split()) < MIN_WORDS or text.endswith("?"):
        return True
    return not _TERMINAL.search(text) or bool(_JUNK.search(text))


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Offsets of a sentence's clauses; one span when it has a single statement."""
    marks = _quote_depths(sentence)
    cuts: list[tuple[int, int]] = []
    for m in _CLAUSE.finditer(sentence):
        if marks[m.start()]:
            continue  # never split inside a quote
        left = sentence[cuts[-1][1] if cuts else 0 : m.start()]
        right = sentence[m.end() :]
        if len(left.split()) >= 6 and len(right.split()) >= 6:
            cuts.append((m.start(), m.end()))
    spans, at = [], 0
    for start, end in cuts:
        spans.append((at, start))
        at = end
    spans.append((at, len(sentence)))
    return spans


def _quote_depths(sentence: str) -> list[bool]:
    """Per character: inside a quotation (curly or straight double marks)."""
    inside, out = False, []
    for ch in sentence:
        if ch in '“”"':
            inside = ch == "“" or (ch == '"' and not inside)
        out.append(inside)
    out.append(False)
    return out


def clean_statement(text: str) -> str:
    """A clause made to read as a sentence: capitalised, closed with a period."""
    text = text.strip(" ,;:—–-")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if text and not _TERMINAL.search(text):
        text += "."
    return text


def readable(text: str) -> str:
    """A statement as a summary shows it: dateline and opening connective dropped."""
    text = _DATELINE.sub("", text.strip())
    text = _LEAD_IN.sub("", text)
    return clean_statement(text)


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> float:
    """Share of ``start..end`` covered by ``spans``."""
    covered = sum(max(0, min(end, e) - max(start, s)) for s, e in spans)
    return covered / max(1, end - start)


def is_opinion(outside: str, framing: frozenset[str], named: bool) -> bool:
    """The outlet's own judgement or speculation, given its words outside quotes.

    ``framing`` holds the categories of framing terms it uses; a modal verb is a
    reported claim, not speculation, when ``named`` speakers are said to make it.
    """
    if _FIRST_PERSON.search(outside) or framing & JUDGING:
        return True
    if _SPECULATION.search(outside):
        return not (named and _REPORTED.search(outside))
    return False


def _outside_quotes(text: str, offset: int, quotes: Sequence[Quote]) -> str:
    chars = list(text)
    for q in quotes:
        for i in range(max(q.start, offset), min(q.end, offset + len(text))):
            chars[i - offset] = " "
    return "".join(chars)


def article_statements(
    article: Article, index: int, lexicon: FramingLexicon | None = None
) -> list[Statement]:
    """The statements of one article, in order, junk left out."""
    text = article.text
    quotes = find_quotes(text)
    quote_spans = [(q.start, q.end) for q in quotes]
    entities = [e for e in find_entities(text) if e.kind != OTHER]
    entity_starts = [e.start for e in entities]
    framing = find_framing(text, lexicon)
    events = find_events(text, article.published)
    out: list[Statement] = []
    for sentence in split_sentences(text, article.key):
        if is_junk(sentence.text):
            continue
        quantities = find_quantities(sentence.text)
        spans = clause_spans(sentence.text)
        for a, b in spans:
            raw = sentence.text[a:b]
            lead = len(raw) - len(raw.lstrip())
            start, end = sentence.start + a + lead, sentence.start + b
            piece = clean_statement(raw)
            if len(piece.split()) < MIN_WORDS:
                continue
            lo, hi = bisect_right(entity_starts, start - 1), bisect_right(entity_starts, end)
            named = entities[lo:hi]
            terms = frozenset(f.category for f in framing if start <= f.start < end)
            outside = _outside_quotes(text[start:end], start, quotes)
            out.append(
                Statement(
                    article=index,
                    sentence=sentence.index,
                    text=piece,
                    sentence_text=sentence.text,
                    start=start,
                    end=end,
                    quantities=tuple(q for q in quantities if a <= q.start < b),
                    entities=frozenset(e.canonical.casefold() for e in named),
                    negated=bool(_NEGATION.search(outside)),
                    events=tuple(e for e in events if start <= e.start < end),
                    quoted=_inside(quote_spans, start, end),
                    framing=terms,
                    opinion=is_opinion(outside, terms, bool(named)),
                    clause=len(spans) > 1,
                )
            )
    return out
