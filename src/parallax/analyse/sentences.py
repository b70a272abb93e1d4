"""Split text into sentences, keeping each sentence's offsets in the text.

Rule-based and fast: a paragraph break always ends a sentence; inside a
paragraph a sentence ends at . ! ? (and any closing quotes or brackets) followed
by a space and a capital, digit or opening quote, unless the period belongs to
an abbreviation, an initial or a number.
"""

from __future__ import annotations

import re

from parallax.models import Sentence

# Abbreviations after which a period rarely ends a sentence in news text.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov rep sen rev hon pres
    supt insp det cpl pvt maj brig fr
    jan feb mar apr jun jul aug sep sept oct nov dec
    inc ltd co corp bros llc plc dept univ assn est approx vs etc al
    ave blvd rd
    """.split()
)
# Abbreviations that only count as such before a number: "No. 5", "Vol. 2".
NUMBER_ABBREVIATIONS = frozenset("no nos vol pp fig art".split())
# Words that start sentences, so "in the U.S. The next day" still splits.
SENTENCE_STARTERS = frozenset(
    """
    the a an he she it they we i you his her its their our this that these those there
    but and so yet or if when while after before as at in on for from by with to of
    however meanwhile still also then now later earlier today yesterday
    """.split()
)

_BOUNDARY = re.compile(
    r"""
    (?<=[.!?…])            # sentence-final punctuation
    [\"'”’»)\]]*           # closing quotes or brackets stay with the sentence
    (?P<gap>\s+)           # then white space
    (?=[\"'“‘«(\[]?[A-Z0-9À-Þ])  # then (an opening quote and) a capital or digit
    """,
    re.VERBOSE,
)
_PARAGRAPH = re.compile(r"\S(?:.*\S)?")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.[\"'”’»)\]]*$")


def _ends_in_abbreviation(chunk: str, following: str) -> bool:
    """True when the period closing ``chunk`` is an abbreviation's or an initial's."""
    match = _WORD_BEFORE.search(chunk)
    if not match:
        return False
    word = match.group(1)
    next_word = re.sub(r"\W+$", "", following.split(" ", 1)[0]).lower()
    if "." in word or (len(word) == 1 and word.isupper()):
        # "U.S. Army", "Donald J. Trump": a name goes on unless a new sentence starts.
        return next_word not in SENTENCE_STARTERS
    lower = word.lower()
    if lower in NUMBER_ABBREVIATIONS:
        return following[:1].isdigit()
    return lower in ABBREVIATIONS


def split_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in ``text``."""
    spans: list[tuple[int, int]] = []
    for line in _PARAGRAPH.finditer(text):
        start = line.start()
        for boundary in _BOUNDARY.finditer(line.group()):
            end = line.start() + boundary.start("gap")
            following = line.group()[boundary.end("gap") :][:40]
            if _ends_in_abbreviation(text[start:end], following):
                continue
            spans.append((start, end))
            start = line.start() + boundary.end("gap")
        spans.append((start, line.end()))
    return spans


def split_sentences(text: str, article: str = "") -> list[Sentence]:
    """The sentences of ``text`` as records tied to ``article``."""
    return [
        Sentence(article=article, index=i, text=text[start:end], start=start, end=end)
        for i, (start, end) in enumerate(split_spans(text))
    ]


def sentence_texts(text: str) -> list[str]:
    """Just the sentence strings of ``text``."""
    return [text[start:end] for start, end in split_spans(text)]
