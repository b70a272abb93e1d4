"""Words the sources use, but not where the summary puts them.

A question-answering check without the model (after QAFactEval): each word of
a summary sentence is read with its neighbours as a question ("guided for
sales of ___ in 2023"). If the sources' sentence that best matches those
neighbours lacks the word while some other sentence has it, the summary has
moved the word from another fact: "RSV" for "SARS-CoV-2", "$1bn" for "$5bn",
"increase" where the matching sentence says "decline".
"""

from __future__ import annotations

from dataclasses import dataclass

from parallax.verify.align import SourceIndex
from parallax.verify.text import is_content, stem, tokens

# Neighbours on each side that make up a word's question.
REACH = 4
# Fewer known neighbours than this make no question worth asking.
MIN_CONTEXT = 2
# How much better the best-matching sentence must fit the question than any
# sentence holding the word, as a share of the question.
MARGIN = 0.34


@dataclass(frozen=True, slots=True)
class Misplaced:
    """A summary word, and the source sentence that answers its question without it."""

    word: str
    answer: int  # index of the best-matching source sentence
    fit: float  # share of the question that sentence matches
    fit_with_word: float  # the best share among sentences holding the word
    rival: str  # what that sentence says in its place


def misplaced_words(sentence: str, index: SourceIndex) -> list[Misplaced]:
    """Words of ``sentence`` that the sources hold only in sentences about something else."""
    known = index.all_words.stems
    toks = [t for t in tokens(sentence) if is_content(t) or t[0].isdigit()]
    checked = [k for k, t in enumerate(toks) if (_kind(t) and k > 0) or t[0].isdigit()]
    stems = [stem(t) for t in toks]
    found: list[Misplaced] = []
    for k in checked:
        token, own = toks[k], stems[k]
        holders = index.postings.get(own)
        if not holders:
            continue  # a word new to the sources is the novelty features' business
        around = stems[max(0, k - REACH) : k] + stems[k + 1 : k + 1 + REACH]
        question = {s for s in around if s in known and s != own}
        if len(question) < MIN_CONTEXT:
            continue
        counts: dict[int, int] = {}
        for s in question:
            for i in index.postings.get(s, ()):
                counts[i] = counts.get(i, 0) + 1
        best = max(counts, key=lambda i: (counts[i], -i))
        fit = counts[best] / len(question)
        fit_with = max(counts.get(i, 0) for i in holders) / len(question)
        rival = _rival(token, index.words[best].tokens, stems)
        if fit - fit_with >= MARGIN and rival:
            found.append(Misplaced(token, best, fit, fit_with, rival))
    return found


def _kind(token: str) -> str:
    """ "number" or "name" for tokens a summary can swap for a rival; "" otherwise."""
    if token[0].isdigit():
        return "number"
    if token[0].isupper():
        return "name"
    return ""


def _rival(token: str, answer: tuple[str, ...], mine: list[str]) -> str:
    """A token of the same kind in the answering sentence that the summary lacks, or ""."""
    kind = _kind(token)
    return next((t for t in answer[1:] if _kind(t) == kind and stem(t) not in mine), "")
