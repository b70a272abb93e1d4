"""Direct quotes and who said them.

Quote marks are paired by context (an opening mark follows a space, a closing
mark precedes one), so straight, curly and mismatched marks all work; a quote
left open at a paragraph's end goes on when the next paragraph opens with a
mark. The speaker comes from the attribution around the quote ("…,” he said",
"said X", "X said: “…”", "according to X", "X warned that … “at war”"), and
"he"/"she"/"it" resolve to the last person (or place/organisation) that was
the subject of a sentence. A quote with no attribution continues the quote
just before it, or has no speaker (scare quotes).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from parallax.analyse.entities import PERSON, Entity, find_entities
from parallax.analyse.sentences import split_spans


@dataclass(frozen=True, slots=True)
class Quote:
    """A quote's words exactly as in ``text[start:end]`` (inside the marks), and its speaker."""

    text: str
    start: int
    end: int
    speaker: str | None
    partial: bool = False
    cue: str = ""


_DOUBLE = re.compile(r"[\"“”„«»]")
_SINGLE = re.compile(r"(?<![\w’'])‘((?:[^‘’\n]|’(?=\w))+?)’(?![\w’])")
_SPEECH = re.compile(
    r"\b(?:said|says|say|saying|told|tells|telling|added|adds|adding|noted|notes|noting|"
    r"wrote|writes|warned|warns|warning|stated|declared|announced|insisted|insists|argued|"
    r"argues|claimed|claims|explained|explains|asked|replied|responded|called|calls|described|"
    r"describes|describing|accused|accuses|vowed|vows|pledged|promised|urged|urges|suggested|"
    r"suggests|posted|tweeted|stressed|emphasi[sz]ed|acknowledged|admitted|conceded|"
    r"predicted|cautioned|observed|remarked|commented|characteri[sz]ing|characteri[sz]ed|"
    r"labell?ed|dubbed|branded|denounced|critici[sz]ed|slammed|praised|pointed (?:to|out)|"
    r"mocked|blasted|quipped|recalled|boasted|complained|threatened|demanded|reiterated|"
    r"confirmed|denied|shouted|whispered|joked|conceded|according to)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"\b(?:he|she|it|they|He|She|It|They)\b")
_POSSESSIVE_PRONOUN = re.compile(r"^(his|her|its|their)\s+(\w+)$", re.IGNORECASE)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:of|for|to|with|from|by|at|in|on|about|against|between|than|toward|towards|into|"
    r"over|under|like|via|and|or|mocked|accused|urged|told|met|called) +(?:(?:the|a|an|"
    r"[A-Z][\w’'\-]*|[A-Z]\.(?:[A-Z]\.)*|leader|president|minister|chancellor|adviser|advisor|"
    r"chief|head|spokesman|spokeswoman|official|son|daughter|wife|husband|ambassador|envoy|"
    r"secretary|general|commander|fellow|counterpart|rival|opponent) +){0,4}$"
)
_MODIFIER_AFTER = re.compile(
    r"\s+(?:administration|government|campaign|cabinet|team|camp|aides?|allies|family|era|"
    r"presidency|officials?|supporters|policy|doctrine|years|plan|move|decision|pivots?)\b"
)
_GENERIC_SUBJECT = re.compile(
    r"^(?:(?:the|his|her|its|their|a|an|two|three|several|some|many|other)\s+)?"
    r"(?:[a-z\-]+\s+){0,2}(?:office|ministry|officials?|spokes(?:man|woman|person)|"
    r"statement|sources?|analysts?|experts?|aides?|government|department|agency|army|"
    r"military|police|kremlin|president|minister|report|reports|critics|residents?|"
    r"witness(?:es)?|authorities|diplomats?|lawmakers?|campaign)$",
    re.IGNORECASE,
)
_CONTINUATION_GAP = 80


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int


def _role(text: str, i: int) -> str:
    """Whether the mark at ``i`` opens or closes a quote, by the characters around it."""
    prev = text[i - 1] if i else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    opens = prev.isspace() or prev in "([{—–-/‘'"
    closes = not prev.isspace() and (nxt.isspace() or nxt in ".,;:!?)]}—–-…’'")
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    char = text[i]
    return "open" if char in "“„«" else "close" if char in "”»" else "toggle"


def _quote_spans(text: str) -> list[_Span]:
    """Spans of quoted words, marks excluded; a paragraph's open quote may run on."""
    spans: list[_Span] = []
    open_at: int | None = None
    for line in re.finditer(r"[^\n]+", text):
        marks = [m.start() for m in _DOUBLE.finditer(line.group())]
        marks = [line.start() + i for i in marks]
        first = line.start() + len(line.group()) - len(line.group().lstrip())
        if open_at is not None:
            if marks and marks[0] == first and _role(text, first) != "close":
                marks = marks[1:]  # the quote runs on into this paragraph
            else:
                open_at = None
        for i in marks:
            role = _role(text, i)
            if role == "toggle":
                role = "close" if open_at is not None else "open"
            if role == "open":
                open_at = i
            elif open_at is not None:
                if text[open_at + 1 : i].strip():
                    spans.append(_Span(open_at + 1, i))
                open_at = None
    for m in _SINGLE.finditer(text):
        # Marks included: a single quote may neither sit in nor straddle a double one.
        if not any(s.start - 1 < m.end() and m.start() < s.end + 1 for s in spans):
            spans.append(_Span(m.start(1), m.end(1)))
    return sorted(spans, key=lambda s: s.start)


def _mask(text: str, spans: list[_Span]) -> str:
    """The text with quoted words blanked out (offsets kept), so attributions are read outside."""
    chars = list(text)
    for s in spans:
        chars[s.start : s.end] = " " * (s.end - s.start)
    return "".join(chars)


class _Resolver:
    """Who "he", "she" and "it" refer to at a position: the last subject before it."""

    def __init__(self, masked: str, entities: list[Entity]) -> None:
        self.masked = masked
        self.persons: list[tuple[int, str]] = []
        self.things: list[tuple[int, str]] = []
        ents = [e for e in entities if masked[e.start : e.end].strip()]
        sentences = split_spans(masked)
        j = 0
        for start, end in sentences:
            inside: list[Entity] = []
            while j < len(ents) and ents[j].start < end:
                if ents[j].start >= start:
                    inside.append(ents[j])
                j += 1
            subject = self.subject(inside)
            if subject is not None:
                self.persons.append((subject.start, subject.canonical))
            thing = next((e for e in inside if self.is_subject(e) and e.kind != PERSON), None)
            if thing is not None:
                self.things.append((thing.start, thing.canonical))

    def is_subject(self, e: Entity) -> bool:
        before = self.masked[max(0, e.start - 80) : e.start]
        if e.role and before.rstrip().endswith(e.role):
            before = before.rstrip()[: -len(e.role)]
        if e.possessive or _PREPOSITION_BEFORE.search(before):
            return False
        return e.kind != PERSON or not (
            _MODIFIER_AFTER.match(self.masked, e.end) or re.search(r"\bthe\s+$", before)
        )

    def subject(self, entities: list[Entity]) -> Entity | None:
        return next((e for e in entities if e.kind == PERSON and self.is_subject(e)), None)

    def add(self, pos: int, speaker: str, person: bool) -> None:
        (self.persons if person else self.things).append((pos, speaker))

    def resolve(self, pronoun: str, pos: int) -> str | None:
        pool = self.things if pronoun.lower() in ("it", "its") else self.persons
        if pronoun.lower() in ("they", "their"):
            return None
        best = max((c for c in pool if c[0] < pos), default=None)
        return best[1] if best else None


def _speaker_in(
    region: str, offset: int, entities: list[Entity], resolver: _Resolver
) -> str | None:
    """The speaker named in an attribution's subject words (a name, pronoun or noun)."""
    end = offset + len(region)
    inside = [e for e in entities if offset <= e.start and e.end <= end and not e.possessive]
    for e in inside:
        if e.kind == PERSON:
            return e.canonical
    pronoun = _PRONOUN.search(region)
    if pronoun:
        return resolver.resolve(pronoun.group(), offset + pronoun.start())
    if inside:
        return inside[0].canonical
    words = region.strip(" ,;:—–-\n")
    if _GENERIC_SUBJECT.match(words):
        owner = _POSSESSIVE_PRONOUN.match(words)
        if owner:
            who = resolver.resolve(
                {"his": "he", "her": "she"}.get(owner.group(1).lower(), "it"), offset
            )
            return f"{who}'s {owner.group(2)}" if who else words
        return words
    return None


def _after(
    masked: str, span: _Span, sentence_end: int, entities: list[Entity], resolver: _Resolver
) -> tuple[str | None, str]:
    """Attribution after the closing mark: "…,” he said", "…,” said X"."""
    start = span.end + 1
    stop = min(sentence_end, start + 160)
    nxt = _DOUBLE.search(masked, start, stop)
    region = masked[start : nxt.start() if nxt else stop]
    verb = _SPEECH.search(region)
    if not verb or len(region[: verb.start()].split()) > 6:
        return None, ""
    subject = region[: verb.start()]
    who = _speaker_in(subject, start, entities, resolver) if subject.strip(" ,.") else None
    if who is None:
        after = re.match(r"\s*([^,.;:\n]{1,60})", region[verb.end() :])
        if after:
            offset = start + verb.end() + after.start(1)
            named = [e for e in entities if offset <= e.start < offset + len(after.group(1))]
            who = next((e.canonical for e in named if e.kind == PERSON), None)
    cue = region[: verb.end()].strip(' ,.”"') if who else ""
    return who, cue


def _before(
    masked: str, clause_start: int, span: _Span, entities: list[Entity], resolver: _Resolver
) -> tuple[str | None, str]:
    """Attribution before the opening mark: "X said: “", "X warned that … “at war”"."""
    region = masked[clause_start : span.start - 1]
    verbs = list(_SPEECH.finditer(region))
    according = re.search(r"(?i:according to)\s+([^,.;\n]{1,60})", region)
    if according:
        offset = clause_start + according.start(1)
        who = _speaker_in(according.group(1), offset, entities, resolver)
        if who:
            return who, according.group().strip()
    if not verbs:
        return None, ""
    verb = verbs[-1]
    verb_at = clause_start + verb.start()
    ents = [e for e in entities if clause_start <= e.start and e.end <= verb_at]
    relative = list(re.finditer(r"[,—–-]?\s*\bwho\b", region[: verb.start()]))
    for rel in reversed(relative):
        rel_at = clause_start + rel.start()
        owner = [e for e in ents if e.end <= rel_at and not masked[e.end : rel_at].strip(" ,—–-")]
        if owner:
            return owner[-1].canonical, verb.group()
    candidates: list[tuple[int, str]] = []
    for e in ents:
        if e.kind == PERSON and resolver.is_subject(e):
            candidates.append((e.start, e.canonical))
    for p in _PRONOUN.finditer(region[: verb.start()]):
        if p.group().lower() in ("he", "she", "it"):
            who = resolver.resolve(p.group(), clause_start + p.start())
            if who:
                candidates.append((clause_start + p.start(), who))
    if candidates:
        return min(candidates)[1], verb.group()
    named = re.match(r"\s*([^,.;:\n]{1,60})", region[verb.end() :])
    if named:  # "said Aaron David Miller, …: “"
        offset = verb_at + (verb.end() - verb.start()) + named.start(1)
        after = [e for e in entities if offset <= e.start < offset + len(named.group(1))]
        if after and after[0].kind == PERSON:
            return after[0].canonical, verb.group()
    things = [e for e in ents if e.kind != PERSON and resolver.is_subject(e)]
    if things:
        return things[0].canonical, verb.group()
    generic = re.search(
        r"([A-Za-z][\w\- ]{0,40}?)\s+(?:also\s+|has\s+|have\s+)?$", region[: verb.start()]
    )
    if generic:
        who = _speaker_in(generic.group(1), clause_start + generic.start(1), [], resolver)
        if who:
            return who, verb.group()
    return None, ""


def find_quotes(text: str) -> list[Quote]:
    """Every direct quote in ``text``, in order, with its speaker where one is given."""
    return list(_quotes(text))


@lru_cache(maxsize=512)
def _quotes(text: str) -> tuple[Quote, ...]:
    spans = _quote_spans(text)
    if not spans:
        return ()
    masked = _mask(text, spans)
    entities = find_entities(text)
    resolver = _Resolver(masked, entities)
    sentences = split_spans(text)  # quotes that open a sentence are full quotes
    quotes: list[Quote] = []
    previous: _Span | None = None
    for span in spans:
        open_mark = span.start - 1
        clause = max((s for s, _ in sentences if s <= open_mark), default=0)
        close_sentence = next((e for s, e in sentences if s <= span.end < e + 1), len(text))
        pre = masked[clause:open_mark]
        partial = bool(re.search(r"\w", pre)) and not re.search(r"[:,]\s*$", pre)
        # A full quote is attributed after it ("…,” he said"), a partial one mostly before.
        who, cue = (None, "")
        if not partial:
            who, cue = _after(masked, span, close_sentence, entities, resolver)
        if who is None:
            who, cue = _before(masked, clause, span, entities, resolver)
        if who is None and partial:
            who, cue = _after(masked, span, close_sentence, entities, resolver)
        if who is None and previous is not None and quotes:
            gap = masked[previous.end + 1 : open_mark]
            if len(gap.strip()) <= _CONTINUATION_GAP and (previous.end >= clause or not partial):
                who, cue = quotes[-1].speaker, "continued"
        if who:
            resolver.add(span.start, who, person=_is_person(who, entities))
        quotes.append(Quote(text[span.start : span.end], span.start, span.end, who, partial, cue))
        previous = span
    return tuple(quotes)


def _is_person(name: str, entities: list[Entity]) -> bool:
    return any(e.canonical == name and e.kind == PERSON for e in entities)


_QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def _tokens(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKC", text).translate(_QUOTE_CHARS).lower()
    plain = re.sub(r"\[[^\]]*\]", " … ", plain)  # editorial insertions are gaps
    plain = plain.replace("...", " … ")
    return re.findall(r"[\w']+|…", plain)


def normalise_quote(text: str) -> str:
    """Lower-case words of a quote, punctuation, marks and editorial brackets dropped."""
    return " ".join(t for t in _tokens(text) if t != "…").replace("'", "’").replace("’", "'")


def quote_overlap(a: str, b: str) -> float:
    """Share of the shorter quote's words found, in order, in the longer one (0..1)."""
    x = [t for t in _tokens(a) if t != "…"]
    y = [t for t in _tokens(b) if t != "…"]
    if not x or not y:
        return 0.0
    if len(x) > len(y):
        x, y = y, x
    row = [0] * (len(y) + 1)
    for word in x:
        diagonal = 0
        for j, other in enumerate(y, 1):
            diagonal, row[j] = row[j], diagonal + 1 if word == other else max(row[j], row[j - 1])
    return row[-1] / len(x)


def is_verbatim(a: str, b: str) -> bool:
    """True when the shorter quote's words (gaps at "…" or [brackets]) appear as written."""
    x, y = _tokens(a), _tokens(b)
    if len([t for t in x if t != "…"]) > len([t for t in y if t != "…"]):
        x, y = y, x
    haystack = " " + " ".join(t for t in y if t != "…") + " "
    at = 0
    for piece in " ".join(x).split("…"):
        words = piece.strip()
        if not words:
            continue
        found = haystack.find(" " + words + " ", at)
        if found < 0:
            return False
        at = found + len(words) + 1
    return at > 0
