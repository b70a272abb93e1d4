"""Junk evidence: how much a block's own content says it is the page's, not the story's.

The signals are general, never per-site: page-furniture vocabulary,
call-to-action verbs, the site talking to its reader ("our", "please"),
counters and dates, URLs and handles, copyright, picture credits, labels,
separator bars, tag lists, comment widgets, wire credits, provenance banners
and author bios. Each adds to a score; the thresholds below say what a score
means.
"""

from __future__ import annotations

import re
from collections import Counter

from parallax.extract.textblocks import TOKEN, Block, is_terminal, unquoted_words
from parallax.extract.textwords import (
    CREDIT_WORDS,
    CTA_VERBS,
    FUNCTION_WORDS,
    FURNITURE,
    FURNITURE_WORDS,
    JOURNALIST_ROLES,
    SITE_VOICE,
    TIME_WORDS,
)

STRONG_JUNK = 2.5  # evidence at or above this removes a block anywhere
WEAK_JUNK = 1.5  # enough to remove a block that is not a sentence
SOME_JUNK = 0.8  # enough to remove a block that shares no words with the story

SEPARATOR_CHARS = frozenset("|•·›»/>")
BYLINE = re.compile(
    r"^(?i:by|written by|words by)\s+([A-Z][\w.'’-]*(?:,? (?:and |& )?[A-Z][\w.'’-]*){0,5})"
    r"(?:\s*[·|,–—-]\s*.*)?$"
)
COMMENTS = re.compile(
    r"^\W*(?:\d+\s+(?:comments?|thoughts|responses|replies|reactions)\b"
    r"|(?:reader )?comments?\W*$|(?:leave|post|add|write) a (?:reply|comment)|comments are closed"
    r"|join the (?:discussion|conversation)|(?:show|view|load|read) (?:all )?\d* ?comments)",
    re.I,
)
_URL = re.compile(r"https?://|www\.\w|\b[\w.+-]+@[\w-]+\.\w+|\.(?:com|org|net)\b")
_CTA_PHRASE = re.compile(
    r"\b(?:follow (?:him|her|them|us|me) (?:on|@)|click here|sign up (?:for|to)|let us know"
    r"|subscribe (?:to|for|now)|download (?:the|our) app|log in|sign in)\b"
)
_HANDLE = re.compile(r"(?<!\w)@\w{2,}")
_SELF_REFERENCE = re.compile(
    r"\b(?:this|our) (?:article|post|page|site|website|content|newsletter|app|blog)\b"
)
_UPDATE_NOTE = re.compile(
    r"\bthis (?:story|article|post) (?:will be|has been|is being) updated\b"
    r"|\bthis is a (?:developing|breaking) (?:story|news story)\b"
)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved", re.I)
_CREDIT = re.compile(
    r"^\W*(?:photo|image|picture|credit|illustration|photograph|caption|graphic)s?\b\s*"
    r"(?:by\b|:|/|\|)|\b(?:getty images|shutterstock|alamy|via getty|ap photo)\b"
    r"|/\s*(?:getty|afp|ap|reuters|epa|bloomberg)\b",
    re.I,
)
_LABEL = re.compile(r"^\W*([A-Za-z][\w'’&-]*(?: [\w'’&-]+){0,3})\s*:\s*(.*)$")
_SEPARATORS = re.compile(r"\s+[|•·›»/>]\s+|\s*[|•·›»]\s*")
_BIO = re.compile(
    r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3},? (?:is|was|has been|covers|writes|reports)\b"
    rf".{{0,100}}\b(?:{'|'.join(JOURNALIST_ROLES)}|freelance)"
)
_WIRE_CREDIT = re.compile(
    r"\b(?:reporting|editing|writing) by\b|\badditional reporting\b"
    r"|\bcontributed (?:reporting|to this report)\b",
    re.I,
)
_PROVENANCE = re.compile(
    r"originally (?:published|appeared|posted|ran)|first (?:published|appeared)|republish"
    r"|reprint|syndicat|reproduced|with (?:the )?permission|view (?:this|the) (?:story|article)"
    r"|original (?:story|article|source|post)|creative commons|^\W*source\s*:|print edition",
    re.I,
)
# Substrings of _PROVENANCE's phrases: a cheap test before the regex.
_PROVENANCE_HINTS = (
    *("publish", "print", "syndicat", "produc", "permission", "edition"),
    *("view th", "original", "creative", "source"),
)
_COUNTER_WORDS = TIME_WORDS | FUNCTION_WORDS | FURNITURE_WORDS


def _is_counter(words: list[str]) -> bool:
    """Counters, dates and timestamps: 'Visited 1 times', '23 comments', 'May 3, 2024'."""
    if not words or len(words) > 12:
        return False
    if not any(w[0].isdigit() for w in words) and not any(w in TIME_WORDS for w in words[:2]):
        return False
    return all(w[0].isdigit() or w in _COUNTER_WORDS or len(w) == 1 for w in words)


def is_provenance(block: Block) -> bool:
    """Says where the story first ran: 'originally published by', 'republished with permission'."""
    return any(h in block.low for h in _PROVENANCE_HINTS) and bool(_PROVENANCE.search(block.text))


def junk_evidence(block: Block) -> float:
    """Junk evidence from the block's own content, furniture words aside (0 = none).

    Also sets ``block.bio``, which the structural rules use on their own.
    """
    text, low, words = block.text, block.low, block.words
    n = len(words)
    if not any(map(str.isalpha, words)) or len(low) < 2 or _is_counter(words):
        return 3.0
    short = n <= 30
    j = 0.0
    if words[0] in CTA_VERBS and short:
        j += 2.0 if n <= 12 else 1.0  # 'Sign up', 'Click here', 'Share this'
    if not SITE_VOICE.keys().isdisjoint(block.distinct):
        voice = sum(SITE_VOICE.get(w, 0.0) for w in unquoted_words(block))
        j += min(2.0, 8.0 * voice / n)
    hint = "http" in low or "www." in low or "@" in low or ".com" in low or ".org" in low
    if hint and _URL.search(low):
        j += 2.5 if n <= 25 else 0.5
    elif n <= 10 and "@" in text and _HANDLE.search(text):
        j += 2.0  # 'Follow her @name'; a handle in a quoted tweet belongs to the story
    if "©" in low or "(c)" in low or "copyright" in low or "rights reserved" in low:
        j += (3.0 if short else 1.0) if _COPYRIGHT.search(text) else 0.0
    if ("this " in low or "our " in low) and _SELF_REFERENCE.search(low):
        j += 1.0  # the text naming itself as a web page: 'This post contains...'
    if "this " in low and _UPDATE_NOTE.search(low):
        j += 2.5  # 'This story will be updated.'
    block.bio = not JOURNALIST_ROLES.isdisjoint(block.distinct) and bool(_BIO.search(text))
    if block.bio:
        j += 1.0
    if n <= 40 and _CTA_PHRASE.search(low):
        j += 1.0  # 'follow her on', 'click here', 'let us know'
    if not short:
        return j
    if (not CREDIT_WORDS.isdisjoint(block.distinct) or "/" in text) and _CREDIT.search(text):
        j += 2.5
    label = _LABEL.match(text) if ":" in text else None
    if label:
        head = TOKEN.findall(label.group(1).lower())
        if any(w in FURNITURE or w in CTA_VERBS for w in head):
            j += 2.0  # 'Read more: ...', 'Tags: ...', 'Photo: ...'
        elif not is_terminal(text):
            j += 0.5
    if SEPARATOR_CHARS.intersection(text):
        segments = [seg for seg in _SEPARATORS.split(text) if seg.strip()]
        if len(segments) >= 3 and max(len(seg.split()) for seg in segments) <= 4:
            j += 2.5  # share bars and breadcrumbs: 'Home › World › Europe'
    commas = text.split(",")
    if len(commas) >= 4 and not is_terminal(text) and max(len(c.split()) for c in commas) <= 3:
        j += 1.5  # a bare tag list: 'Ukraine, Russia, Missiles, Biden'
    if n >= 3 and sum(1 for w in words if len(w) == 1) * 2 >= n:
        j += 1.5  # widgets of letters and digits: 'Text size: A A A', 'Image 3 of 12'
    if n <= 10 and "comment" in low and COMMENTS.match(text):
        j += 2.5  # a comment widget: '12 Comments', 'Leave a reply'
    if ("by" in words or "contributed" in words) and _WIRE_CREDIT.search(text):
        j += 1.5
    if is_provenance(block):
        j += 2.0  # about where the story ran, not what happened
    return j


def furniture_evidence(block: Block, topical: Counter[str]) -> float:
    """Evidence from page-furniture words, skipping words that are the story's own subject."""
    hits = sum(weight for stem, weight in block.furniture if topical[stem] < 2)
    return 5.0 * hits / (len(block.words) + 1)
