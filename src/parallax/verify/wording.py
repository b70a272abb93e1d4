"""Checks on how a summary sentence words a fact: negation, opposites, swaps, modals, tense, tone.

These compare the sentence with its best-aligned source unit (the sentence or
window it most likely restates), so a "not" or a "may" elsewhere in the
sources does not count, and with the sources as a whole for tense and tone.
"""

from __future__ import annotations

from parallax.analyse.dates import FUTURE, PAST, find_events, tense_conflict
from parallax.analyse.framing import find_framing
from parallax.verify.align import Alignment
from parallax.verify.findings import EVIDENCE, SOURCES, Finding, SourceFacts
from parallax.verify.lexicon import (
    ANTONYMS,
    CERTAINTY,
    CLOSED_CLASSES,
    HEDGES,
    NEGATORS,
    OPINION_OPENERS,
)
from parallax.verify.text import is_content, stem, tokens, words

# Evidence at least this close in meaning is about the same statement, so a
# negation or modal that differs from it is a contradiction, not another clause's.
SAME_STATEMENT = 0.45
CLOSE_STATEMENT = 0.6
_OPINION_CATEGORIES = frozenset({"evaluative", "editorializing", "loaded_label"})
# Comment words too mild to make a sentence an opinion.
_MILD = frozenset({"notably"})
_ANTONYM_STEMS: dict[str, frozenset[str]] = {}
for _word, _others in ANTONYMS.items():
    _ANTONYM_STEMS[stem(_word)] = _ANTONYM_STEMS.get(stem(_word), frozenset()) | frozenset(
        stem(o) for o in _others
    )
_CLASS_OF: dict[str, int] = {w: i for i, group in enumerate(CLOSED_CLASSES) for w in group}


def _is_negator(token: str) -> bool:
    low = token.lower().replace("’", "'")
    return low in NEGATORS or low.endswith("n't")


def _negated(text: str) -> list[tuple[str, str]]:
    """(negator, the first content word it governs) for each negation in ``text``."""
    toks = tokens(text)
    out = []
    for i, token in enumerate(toks):
        if not _is_negator(token):
            continue
        after = next((t for t in toks[i + 1 : i + 4] if is_content(t) or t[0].isdigit()), "")
        if not after[:1].isdigit():  # "no 1" is a rank, not a negation
            out.append((token.lower(), after))
    return out


def _flipped(negating: str, plain: str) -> str:
    """The negator of ``negating`` whose negated word ``plain`` states unnegated, or ""."""
    plain_stems = words(plain).stems
    theirs = {stem(word) for _, word in _negated(plain)}
    for negator, word in _negated(negating):
        if stem(word) in plain_stems and stem(word) not in theirs:
            return negator
    return ""


def _unit(align: Alignment, facts: SourceFacts) -> str:
    """The text of the best-aligned unit and, when different, the closest single sentence."""
    indices = set(align.best) | set(align.evidence[:1])
    return facts.index.text(sorted(indices))


def check_negation(
    sentence: str, align: Alignment, facts: SourceFacts, similarity: float
) -> list[Finding]:
    """A negation the matching source sentences lack, or one of theirs the summary drops."""
    if similarity < SAME_STATEMENT or not align.best:
        return []
    best = facts.index.text(align.best)
    mine = _negated(sentence)
    if len(mine) > len(_negated(best)):
        return [Finding("negation", f"negation '{mine[0][0]}' not in sources", EVIDENCE)]
    # A dropped negation counts only against one close sentence: a window's
    # other sentences have negations of their own.
    if len(align.best) == 1 and align.cos_sentence >= CLOSE_STATEMENT:
        dropped = _flipped(best, sentence)
        if dropped:
            return [Finding("negation", f"sources negate this ('{dropped}')", EVIDENCE)]
    return []


def check_antonyms(sentence: str, align: Alignment, facts: SourceFacts) -> list[Finding]:
    """A word whose opposite the matching sources use instead ("increase" for "decline")."""
    mine = {stem(t): t for t in tokens(sentence)}
    theirs = {stem(t): t for t in tokens(_unit(align, facts))}
    for own, word in mine.items():
        if own in theirs:
            continue
        for opposite in _ANTONYM_STEMS.get(own, ()):
            if opposite in theirs and opposite not in mine:
                said = theirs[opposite].lower()
                return [Finding("antonym", f"sources say '{said}', not '{word.lower()}'", EVIDENCE)]
    return []


def check_substitutions(sentence: str, align: Alignment, facts: SourceFacts) -> list[Finding]:
    """One member of a closed class for another: a colour, weekday, direction, relative."""
    mine = {t.lower() for t in tokens(sentence)}
    theirs = {t.lower() for t in tokens(_unit(align, facts))}
    for word in sorted(mine - theirs):
        group = _CLASS_OF.get(word)
        if group is None:
            continue
        rivals = sorted(w for w in theirs - mine if _CLASS_OF.get(w) == group)
        if rivals:
            message = f"sources say '{rivals[0]}', not '{word}'"
            return [Finding("substitution", message, EVIDENCE)]
    return []


def check_modality(
    sentence: str, align: Alignment, facts: SourceFacts, similarity: float
) -> list[Finding]:
    """A firm claim ("will") where the matching sources only hedge ("may")."""
    if similarity < SAME_STATEMENT or not align.best:
        return []
    mine = words(sentence).lower
    theirs = words(facts.index.text(align.best)).lower
    firm, hedged = sorted(mine & CERTAINTY - theirs), sorted(theirs & HEDGES - mine)
    if firm and hedged and not mine & HEDGES:
        return [Finding("modality", f"sources say '{hedged[0]}', not '{firm[0]}'", EVIDENCE)]
    return []


def check_tense(sentence: str, facts: SourceFacts) -> list[Finding]:
    """An event told as future that the sources report as past, or the reverse."""
    for mine in find_events(sentence):
        for theirs in facts.events:
            if not tense_conflict(mine, theirs):
                continue
            if mine.tense == FUTURE and theirs.tense == PAST:
                message = f"sources say the {mine.event} has happened ('{theirs.text}')"
            else:
                message = f"sources say the {mine.event} has not happened yet ('{theirs.text}')"
            return [Finding("tense", message, SOURCES)]
    return []


def check_opinion(sentence: str, align: Alignment, facts: SourceFacts) -> list[Finding]:
    """Evaluation or comment the sources do not make themselves.

    An evaluative word the sources never use counts, unless the matching source
    sentences evaluate too: then the summary rewords their judgement.
    """
    terms = [
        m.term.lower()
        for m in find_framing(sentence, None, True)
        if m.category in _OPINION_CATEGORIES
        and m.entry.lower() not in facts.framing
        and m.entry.lower() not in _MILD
    ]
    if terms and align.best:
        evidence = find_framing(facts.index.text(align.best), None, True)
        if any(m.category in _OPINION_CATEGORIES for m in evidence):
            terms = []
    if terms:
        return [Finding("opinion", f"opinion not in sources ('{terms[0]}')", SOURCES)]
    low = sentence.lower().lstrip(" \"'“‘")
    opener = next((o for o in OPINION_OPENERS if low.startswith(o) or f", {o}" in low), None)
    if opener and not any(opener in s.lower() for s in facts.index.sentences):
        return [Finding("opinion", f"opinion not in sources ('{opener}')", SOURCES)]
    return []
