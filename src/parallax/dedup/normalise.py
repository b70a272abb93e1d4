"""Text normalisation for copy detection: one canonical form whatever the page around it.

Two copies of an article differ in ways that say nothing about their content:
white space, case, punctuation, typographic quotes, and the page junk a site
wraps around the text (counters, share and newsletter prompts, comment
widgets, menus). ``body_lines`` drops that junk by generic shape and
vocabulary (never by site), ``words`` gives the normalised word sequence the
shingles are built from, and ``fingerprint`` hashes it for exact duplicates.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

# Typographic characters folded to ASCII so "don’t" and "don't" are one word.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
# A word: letters or digits, keeping inner apostrophes, dots and commas ("don't", "3.5").
_WORD = re.compile(r"[^\W_]+(?:['.,][^\W_]+)*")
# Lines that are page furniture, whatever the site: counters, prompts, widgets, legal lines.
_JUNK_LINE = re.compile(
    r"""
    ^\s*(?:
        visited\s+\d+\s+times?
      | \d+\s+visits?\b
      | (?:share|tweet|email|print|pin)\b.{0,40}$
      | (?:sign\s+up|subscribe)\b.*\b(?:newsletter|updates|free)\b
      | (?:related|recommended|more\s+from|read\s+more|see\s+also|trending|popular)\b.{0,60}$
      | advertisement\s*$
      | (?:follow\s+us|like\s+us)\b
      | (?:©|\(c\)|copyright\b).{0,120}$
      | all\s+rights\s+reserved
      | (?:we\s+use\s+)?cookies?\b.*\b(?:accept|consent|policy|experience)\b
      | (?:would\s+love\s+your\s+thoughts|leave\s+a\s+(?:comment|reply)|\d+\s+comments?)\b
      | click\s+here\b
      | (?:image|photo|video)\s*(?:credit|source|caption)?\s*:.{0,80}$
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
# A heading after which a page lists other articles: the rest of the page is teasers.
_TEASER_HEADING = re.compile(
    r"""
    ^\s*(?:
        related(?:\s+(?:articles?|stories|posts|news|content|coverage|reading))?
      | more\s+(?:stories|news|articles|on\s+this(?:\s+story)?|from\s+.{1,40})
      | (?:you|we\s+think\s+you)\s+(?:may|might|will)\s+(?:also\s+)?like
      | recommended(?:\s+(?:for\s+you|stories|articles|reading))?
      | read\s+next | further\s+reading | around\s+the\s+web
      | most\s+(?:read|popular|viewed|shared)(?:\s+(?:stories|articles|now|today))?
      | (?:trending|popular|latest|top)\s+(?:now|stories|news|articles|posts)
      | sponsored(?:\s+(?:content|stories|links))?
    )\s*:?\s*$
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Words of article text that must come before a teaser heading for it to end the article.
_MIN_WORDS_BEFORE_TEASERS = 25
# A line this short without sentence punctuation is a heading, menu or widget, not body text.
_MIN_PROSE_WORDS = 6
_SENTENCE_END = re.compile(r"[.!?\"')\]]\s*$")
# Texts whose body lines are remembered: ingest asks for one article's body several
# times (hash, shingles, lead, sentences) and for a stored candidate's once per pair.
CACHED_TEXTS = 512


def fold(text: str) -> str:
    """``text`` in NFKC form with typographic quotes, dashes and spaces folded to ASCII."""
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


def is_junk_line(line: str) -> bool:
    """True when a line is page furniture rather than article text."""
    stripped = line.strip()
    if not stripped:
        return True
    if _JUNK_LINE.match(stripped):
        return True
    n_words = len(_WORD.findall(stripped))
    return n_words < _MIN_PROSE_WORDS and not _SENTENCE_END.search(stripped)


def body_lines(text: str) -> list[str]:
    """The lines of ``text`` that are article text, junk lines and trailing teaser lists dropped.

    Lines come back as written (only stripped), so sentences cut from them are
    the same strings other stages embed, and the embedding cache is shared.

    Falls back to every non-empty line when the filter would leave nothing, so a
    short text (a sentence, a headline) still has a body.
    """
    return list(_body_lines(text))


@lru_cache(maxsize=CACHED_TEXTS)
def _body_lines(text: str) -> tuple[str, ...]:
    lines = [ln.strip() for ln in text.splitlines()]
    kept: list[str] = []
    seen_words = 0
    for line in lines:
        folded = fold(line)
        if _TEASER_HEADING.match(folded) and seen_words >= _MIN_WORDS_BEFORE_TEASERS:
            break
        if not is_junk_line(folded):
            kept.append(line)
            seen_words += len(_WORD.findall(folded))
    return tuple(kept or [ln for ln in lines if ln])


def words(text: str) -> list[str]:
    """The lower-cased words of ``text``, punctuation and spacing gone."""
    return _WORD.findall(fold(text).lower())


def body_words(text: str) -> list[str]:
    """The words of the article text in ``text``, page junk dropped."""
    return words("\n".join(body_lines(text)))


def fingerprint(text: str) -> bytes:
    """A 16-byte hash of the normalised body: equal for exact duplicates."""
    return hashlib.blake2b(" ".join(body_words(text)).encode(), digest_size=16).digest()
