"""Words of a sentence as the checks compare them: tokens, stems, content words.

Stems are deliberately rough (suffix stripping): they only have to make
"rose"/"rises" or "arrested"/"arrest" meet, never to be real lemmas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from parallax.verify.lexicon import NEGATORS, STOPWORDS

# Words ("SARS-CoV-2" is one), acronyms with dots ("U.K."), contractions, numbers.
_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}|[A-Za-zÀ-ÿ]+(?:[-'’][A-Za-zÀ-ÿ0-9]+)*|\d+(?:[.,]\d+)*%?|n[’']t\b"
)
_SUFFIXES = (
    "ational",
    "ization",
    "fulness",
    "ousness",
    "iveness",
    "ations",
    "ation",
    "ments",
    "ment",
    "ings",
    "ing",
    "edly",
    "ies",
    "ied",
    "ers",
    "er",
    "ed",
    "ly",
    "es",
    "s",
)
_IRREGULAR = {
    "pled": "plead",
    "pleaded": "plead",
    "fell": "fall",
    "fallen": "fall",
    "rose": "rise",
    "risen": "rise",
    "grew": "grow",
    "grown": "grow",
    "won": "win",
    "lost": "lose",
    "made": "make",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "went": "go",
    "gone": "go",
    "said": "say",
    "told": "tell",
    "sold": "sell",
    "bought": "buy",
    "paid": "pay",
    "held": "hold",
    "met": "meet",
    "left": "leave",
    "led": "lead",
    "saw": "see",
    "seen": "see",
    "began": "begin",
    "begun": "begin",
    "came": "come",
    "became": "become",
    "found": "find",
    "thought": "think",
    "brought": "bring",
    "kept": "keep",
    "men": "man",
    "women": "woman",
    "children": "child",
    "people": "person",
}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A rough stem: lower case, no possessive, common suffixes cut."""
    low = word.lower().replace("’", "'")
    if low.endswith("'s"):
        low = low[:-2]
    if "." in low:
        return low.replace(".", "")  # "u.k." meets "uk"
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    for suffix in _SUFFIXES:
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            low = low[: -len(suffix)]
            break
    # "stopped"/"stopping" -> "stop", "stop": undo a doubled final consonant.
    if len(low) > 3 and low[-1] == low[-2] and low[-1] not in "aeiouls":
        low = low[:-1]
    return low.rstrip("e") if len(low) > 4 else low


def tokens(text: str) -> list[str]:
    """The word and number tokens of ``text``, in order."""
    return _TOKEN.findall(text)


def is_content(token: str) -> bool:
    """True for words that carry a sentence's meaning (not stop words, negators or digits)."""
    low = token.lower().replace("’", "'")
    return (
        low not in STOPWORDS
        and low not in NEGATORS
        and not low[0].isdigit()
        and len(low) > 1
        and not low.endswith("n't")
    )


@dataclass(frozen=True, slots=True)
class Words:
    """One text's tokens seen four ways, built once and compared many times."""

    tokens: tuple[str, ...]
    lower: frozenset[str]
    stems: frozenset[str]
    content: tuple[str, ...]  # stems of content words, in order


@lru_cache(maxsize=16384)
def words(text: str) -> Words:
    """The tokens, lower-case set, stem set and content stems of ``text``."""
    toks = tuple(tokens(text))
    return Words(
        tokens=toks,
        lower=frozenset(t.lower().replace("’", "'") for t in toks),
        stems=frozenset(stem(t) for t in toks),
        content=tuple(stem(t) for t in toks if is_content(t)),
    )


def negations(text: str) -> int:
    """How many negating words ``text`` uses ("not", "never", "n't", ...)."""
    count = 0
    for token in tokens(text):
        low = token.lower().replace("’", "'")
        if low in NEGATORS or low.endswith("n't"):
            count += 1
    return count


def bigrams(text: str) -> set[tuple[str, str]]:
    """Adjacent stem pairs of ``text``: word order that single words miss."""
    stems = [stem(t) for t in tokens(text)]
    return set(pairwise(stems))
