"""readability's reading of a page as a second opinion on trafilatura's.

trafilatura runs readability on every page (its fallback) and keeps that
reading only when it is twice as long as its own. The reading is kept here
at no extra cost; ``html`` passes it through the same block filter and uses
it instead of trafilatura's when it reads another, longer part of the page:
that is how trafilatura fails when it latches onto a bio, a teaser list or a
sidebar. A longer reading that merely extends trafilatura's text is not
taken: the extra is usually the junk trafilatura rightly cut.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Any

import trafilatura.external as _external

_WORD = re.compile(r"\w+")
# A reading this many times longer than what the filter kept may replace it ...
LONGER = 1.2
# ... when less than this share of the kept text's 4-grams is in it (another part of the page),
ELSEWHERE = 0.8
# ... or, whatever it overlaps, when it is this many times longer (trafilatura kept a fragment).
MUCH_LONGER = 3.0
# Fewer words than this is no article, whichever extractor found it.
MIN_WORDS = 50

_seen = threading.local()
_try_readability = getattr(_external, "try_readability", None)


def _remember(htmlinput: Any) -> Any:
    assert _try_readability is not None
    found = _try_readability(htmlinput)
    _seen.reading = found
    return found


# trafilatura calls readability through this module attribute; wrapping it keeps the result.
# A trafilatura without it loses the second opinion, not the extraction (a test notices).
if _try_readability is not None and hasattr(_external, "sanitize_tree"):
    _external.try_readability = _remember


def forget() -> None:
    """Drop the last reading (call before each extraction)."""
    _seen.reading = None


def last_reading() -> Any | None:
    """readability's reading (HTML) of the page trafilatura last extracted, or None."""
    found = getattr(_seen, "reading", None)
    _seen.reading = None
    return found if found is not None and len(found) else None


def reading_words(reading: Any) -> int:
    """Words in a reading, before any filtering."""
    return len(_WORD.findall(" ".join(reading.itertext())))


def as_output(reading: Any, options: Any) -> Any | None:
    """A reading converted to trafilatura's XML (as trafilatura does when it prefers it)."""
    body, _ = _external.sanitize_tree(reading, options)
    return body if len(body) else None


def worth_filtering(words: int, kept_words: int) -> bool:
    """Whether a reading of ``words`` words could replace ``kept_words`` kept ones."""
    return words >= MIN_WORDS and words > LONGER * kept_words


def prefer_second(kept: Iterable[str], second: Iterable[str]) -> bool:
    """Whether the filtered second reading replaces the filtered first one."""
    first_words = _WORD.findall("\n".join(kept).lower())
    second_words = _WORD.findall("\n".join(second).lower())
    if len(second_words) < MIN_WORDS or len(second_words) <= LONGER * len(first_words):
        return False
    if len(second_words) >= MUCH_LONGER * len(first_words):
        return True
    grams = _grams(first_words)
    if not grams:
        return True
    theirs = set(_grams(second_words))
    return sum(g in theirs for g in grams) < ELSEWHERE * len(grams)


def _grams(words: list[str]) -> list[tuple[str, str, str, str]]:
    return list(zip(words, words[1:], words[2:], words[3:], strict=False))
