"""Fact checks of one summary sentence: numbers, names and dates, against sources and evidence.

QAFactEval-style: instead of asking a model whether a sentence follows, ask of
each checkable detail whether the sources hold it. A detail absent from every
source is a hard finding; one absent only from the aligned evidence is soft.
``check_sentence`` runs these and the wording checks (wording.py, context.py).
"""

from __future__ import annotations

import math

from parallax.analyse.dates import find_dates
from parallax.analyse.entities import DEMONYMS, ORGANISATION, PERSON, Entity, find_entities
from parallax.analyse.numbers import Quantity, find_quantities, same_quantity
from parallax.verify.align import Alignment
from parallax.verify.context import misplaced_words
from parallax.verify.findings import EVIDENCE, SOURCES, Finding, SourceFacts
from parallax.verify.lexicon import METONYMS, STOPWORDS
from parallax.verify.text import stem, tokens, words
from parallax.verify.wording import (
    check_antonyms,
    check_modality,
    check_negation,
    check_opinion,
    check_substitutions,
    check_tense,
)

ORDINALS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "twentieth hundredth thousandth".split()
)


def _number_close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0.02, abs_tol=1e-9)


def _quantity_found(q: Quantity, pool: list[Quantity]) -> bool:
    return any(
        same_quantity(q, other) or (q.kind == other.kind and _number_close(q.value, other.value))
        for other in pool
    )


def _written(q: Quantity) -> str:
    """The number as written ("12", "$5bn", "six"), without the words around it."""
    return q.forms[0] if q.forms else q.text


def _closest(q: Quantity, pool: list[Quantity]) -> Quantity | None:
    """The evidence quantity the summary's figure most likely restates."""
    same_kind = [o for o in pool if o.kind == q.kind and o.unit == q.unit]
    candidates = [o for o in same_kind if o.about and o.about == q.about] or same_kind
    return candidates[0] if candidates else None


def check_numbers(sentence: str, align: Alignment, facts: SourceFacts) -> list[Finding]:
    """Figures the sources never give (hard) or the evidence gives differently (soft)."""
    found: list[Finding] = []
    everywhere = [q for qs in facts.quantities for q in qs]
    evidence = [q for i in align.evidence for q in facts.quantities[i]]
    for q in find_quantities(sentence):
        if _quantity_found(q, evidence):
            continue
        other = _closest(q, evidence)
        said = f" (sources say {_written(other)})" if other else ""
        # "two friends", "three reasons": small counts in words are often the writer's own tally.
        tally = q.value <= 10 and not any(ch.isdigit() for ch in q.text)
        if not _quantity_found(q, everywhere):
            scope = EVIDENCE if tally and not other else SOURCES
            found.append(Finding("number", f"number {_written(q)} not in sources{said}", scope))
        elif other:
            message = f"number {_written(q)} not in the matching sources{said}"
            found.append(Finding("number", message, EVIDENCE))
    source_lower = facts.index.all_words.lower
    evidence_lower = words(facts.index.text(align.evidence)).lower
    for token in tokens(sentence):
        low = token.lower()
        if low in ORDINALS and low not in source_lower:
            rivals = sorted((ORDINALS & evidence_lower) - {low})
            hint = f" (sources say '{rivals[0]}')" if rivals else ""
            scope = SOURCES if rivals else EVIDENCE
            found.append(Finding("number", f"number '{low}' not in sources{hint}", scope))
    return found


# Business and calendar shorthand a summary may use for the sources' words.
_SHORTHAND = {
    "q1": "first quarter",
    "q2": "second quarter",
    "q3": "third quarter",
    "q4": "fourth quarter",
    "h1": "first half",
    "h2": "second half",
    "yoy": "year over year",
    "fy": "fiscal year",
}
# Kinds of name checked against the evidence too: a summary may place a city in
# its country, but a person or an organisation is not another's stand-in.
_SWAPPABLE = frozenset({PERSON, ORGANISATION})
# Words that start sentences capitalised without being names.
_DISCOURSE = frozenset(
    """
    furthermore moreover besides nevertheless nonetheless additionally consequently hence
    thus therefore overall meanwhile finally firstly secondly lastly upon despite although
    though whereas notably ultimately similarly likewise instead otherwise subsequently
    """.split()
)


def _acronym_in(acronym: str, sentences: list[list[str]]) -> bool:
    """True when some run of words in ``sentences`` has ``acronym``'s letters as initials."""
    letters = acronym.lower()
    for sentence in sentences:
        initials = [w[0] for w in sentence if w.lower() not in ("of", "and", "the", "for", "&")]
        joined = "".join(initials).lower()
        if letters in joined:
            return True
    return False


def _is_acronym(text: str) -> bool:
    return text.isupper() and text.isalpha() and 2 <= len(text) <= 6


def _word_supported(word: str, lower: frozenset[str], stems: frozenset[str]) -> bool:
    """A name word the sources use, inflected ("Republicans") or as an adjective ("Congress")."""
    if word in lower or stem(word) in stems:
        return True
    # "Congressional" for "Congress", "Australian" for "Australia".
    return any(word[:n] in lower for n in range(max(5, len(word) - 5), len(word)))


def _renumbered(key: str, lower: frozenset[str]) -> bool:
    """True when the sources give the name with another number ("SARS-CoV-2" for "-3")."""
    for token in key.split():
        if not any(c.isdigit() for c in token) or token in lower:
            continue
        prefix = token.rstrip("0123456789")
        if len(prefix) > 2 and any(
            w.startswith(prefix) and w[len(prefix) :].isdigit() and w != token for w in lower
        ):
            return True
    return False


def _entity_supported(
    entity: Entity, keys: frozenset[str], lower: frozenset[str], stems: frozenset[str], text: str
) -> bool:
    key = entity.canonical.lower()
    country = DEMONYMS.get(entity.text.lower())
    if key in keys or (country and country.lower() in keys):
        return True
    seats = METONYMS.get(key) or METONYMS.get(entity.text.lower())
    if seats and any(seat in lower or seat in keys for seat in seats):
        return True
    # Digits are the number check's business ("COVID-19", "Q3 2020").
    parts = [p for p in key.replace("-", " ").split() if p not in STOPWORDS and not p.isdigit()]
    parts = [p.replace(".", "") if "." in p else p for p in parts]
    missing = [p for p in parts if not _word_supported(p, lower, stems)]
    if not missing and _renumbered(key, lower):
        return False
    low_text = text.lower().replace("-", " ")
    return all(p in _SHORTHAND and _SHORTHAND[p] in low_text for p in missing)


def _is_name(entity: Entity, sentence: str, facts: SourceFacts) -> bool:
    """False for a capitalised common word that merely starts the sentence."""
    if " " in entity.text or sentence[: entity.start].strip(" \"'“‘(") != "":
        return True
    low = entity.text.lower()
    common = low in facts.lower or stem(low) in facts.index.all_words.stems
    return not (common or low in _DISCOURSE or low.endswith(("ly", "ing", "ed")))


def check_entities(sentence: str, align: Alignment, facts: SourceFacts) -> list[Finding]:
    """Names the sources never mention (hard) or the evidence does not (soft)."""
    found: list[Finding] = []
    source_lower, all_stems = facts.lower, facts.index.all_words.stems
    evidence_text = facts.index.text(align.evidence)
    evidence_words = words(evidence_text)
    ev_lower = evidence_words.lower
    evidence_lower = ev_lower | {w.replace(".", "") for w in ev_lower}
    evidence_keys = frozenset(
        e.canonical.lower() for e in find_entities(evidence_text)
    ) | frozenset(c.lower() for w in evidence_lower if (c := DEMONYMS.get(w)))
    seen: set[str] = set()
    for entity in find_entities(sentence):
        if entity.canonical in seen or not _is_name(entity, sentence, facts):
            continue
        seen.add(entity.canonical)
        if _is_acronym(entity.text) and (
            entity.text.lower() in source_lower or _acronym_in(entity.text, facts.tokenised)
        ):
            continue
        if not _entity_supported(entity, facts.entity_keys, source_lower, all_stems, facts.text):
            found.append(Finding("entity", f"entity '{entity.text}' not in sources", SOURCES))
        elif entity.kind in _SWAPPABLE and not _entity_supported(
            entity, evidence_keys, evidence_lower, evidence_words.stems, evidence_text
        ):
            message = f"entity '{entity.text}' not in the matching source sentences"
            found.append(Finding("entity", message, EVIDENCE))
    return found


_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


def check_dates(sentence: str, align: Alignment, facts: SourceFacts) -> list[Finding]:
    """Years, months and weekdays the sources never give (spans of time are numbers' business)."""
    found: list[Finding] = []
    evidence_dates = find_dates(facts.index.text(align.evidence))
    for mention in find_dates(sentence):
        words_of = [t.lower() for t in tokens(mention.text)]
        named = [w for w in words_of if w in _CALENDAR or (w.isdigit() and len(w) == 4)]
        if not named:
            continue  # "35 years ago", "last week": the number check has the figure
        days = [w for w in words_of if w.isdigit() and len(w) <= 2]
        if all(w in facts.lower for w in named + days):
            continue
        other = next((d for d in evidence_dates if d.granularity == mention.granularity), None)
        said = f" (sources say {other.text})" if other else ""
        found.append(Finding("date", f"date '{mention.text}' not in sources{said}", SOURCES))
    return found


def check_placement(sentence: str, facts: SourceFacts) -> list[Finding]:
    """Numbers and names the sources use, but in a statement about something else."""
    found = []
    for m in misplaced_words(sentence, facts.index):
        hint = f" (it says '{m.rival}')" if m.rival else ""
        message = f"'{m.word}' not what the matching source sentence says{hint}"
        found.append(Finding("misplaced", message, EVIDENCE))
    return found


def check_sentence(sentence: str, align: Alignment, facts: SourceFacts) -> list[Finding]:
    """Every finding for one summary sentence, hard ones first."""
    similarity = max(align.cos_sentence, align.cos_window)
    found = [
        *check_numbers(sentence, align, facts),
        *check_entities(sentence, align, facts),
        *check_dates(sentence, align, facts),
        *check_tense(sentence, facts),
        *check_opinion(sentence, align, facts),
        *check_negation(sentence, align, facts, similarity),
        *check_antonyms(sentence, align, facts),
        *check_substitutions(sentence, align, facts),
        *check_modality(sentence, align, facts, similarity),
        *check_placement(sentence, facts),
    ]
    return sorted(found, key=lambda f: f.scope != SOURCES)
