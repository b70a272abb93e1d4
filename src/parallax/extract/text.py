"""Plain-text cleaning: drop page junk from scraped text, keep every article sentence.

Scraped text has no markup to tell junk from article, so each block (a line, or
a hard-wrapped paragraph) is judged on general signals, never on per-site rules:

1. Local evidence (``textsignals``): sentence shape (``textblocks``), page-furniture
   vocabulary, call-to-action verbs, the site talking to its reader, counters and
   dates, URLs, copyright, credits, separator bars, provenance banners, author bios.
2. The body (``textbody``): the contiguous span of blocks with the largest
   prose-minus-junk sum, found a second time knowing the body's words, so that
   teasers weigh little and furniture words the story is about stop counting.
3. Structure (``textstructure``): prose outside the body that is not a teaser is
   kept, lists take their teasers, a late comment heading takes readers' talk,
   a headline and standfirst above an opening byline are not body text.
4. The title: the longest on-topic headline-shaped line before the body.

Every removed block is reported verbatim, so a user can audit what went.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

from charset_normalizer import from_bytes

from parallax.analyse.sentences import sentence_texts
from parallax.config import Settings
from parallax.errors import EmptyDocument, TooLarge
from parallax.extract.base import fallback_outlet
from parallax.extract.textblocks import Block, function_share, set_shape, split_blocks
from parallax.extract.textbody import find_body
from parallax.extract.textsignals import (
    BYLINE,
    SOME_JUNK,
    STRONG_JUNK,
    WEAK_JUNK,
    furniture_evidence,
    is_provenance,
    junk_evidence,
)
from parallax.extract.textstructure import apply_structure, first_kept, title_of
from parallax.models import Article, RawDocument

__all__ = [
    "CleanText",
    "PlainTextCleaner",
    "PlainTextExtractor",
    "decode_text",
    "lead_title",
    "strip_markdown",
]


@dataclass(frozen=True, slots=True)
class CleanText:
    """Cleaned plain text: the detected title, body paragraphs, and what was removed."""

    title: str | None
    text: str
    removed: tuple[str, ...]
    provenance: str | None
    byline: str | None = None


def strip_markdown(text: str) -> str:
    """Light Markdown removal: headings, emphasis, links, images, quotes and rules."""
    text = re.sub(r"(?m)^\s{0,3}\[[^\]]+\]:\s*\S+.*$", "", text)  # link definitions
    text = re.sub(r"(?m)^\s{0,3}(?:[-*_]\s*){3,}$", "", text)  # horizontal rules
    text = re.sub(r"(?m)^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", r"\1", text)
    text = re.sub(r"(?m)^\s{0,3}>\s?", "", text)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]", r"\1\2", text)
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])", r"\2", text)
    return re.sub(r"`([^`]+)`", r"\1", text)


class PlainTextCleaner:
    """Removes page junk from plain text by block evidence, the body's span and list structure."""

    def clean(self, text: str, *, markdown: bool = False) -> CleanText:
        """Split ``text`` into its title, kept paragraphs and removed junk blocks."""
        heading = re.match(r"\s*#\s+(.+)", text) if markdown else None
        if markdown:
            text = strip_markdown(text)
        blocks = split_blocks(text)
        if not blocks:
            return CleanText(title=None, text="", removed=(), provenance=None)
        english = function_share([w for b in blocks for w in b.words]) >= 0.12
        for block in blocks:
            set_shape(block, english)
            block.evidence = junk_evidence(block)
            block.junk = block.evidence + furniture_evidence(block, Counter())
        span = find_body(blocks)
        if span == (0, 0) or not english:
            # Nothing reads as article prose, or the shape signals (English function words)
            # do not apply: keep all but what local evidence and lists say is junk.
            span = (0, len(blocks))
        junk = [
            not (span[0] <= i < span[1])
            or b.junk >= STRONG_JUNK
            or (b.junk >= WEAK_JUNK and not b.prose)
            or (b.junk >= SOME_JUNK and b.unlike)  # site talk, unrelated to the story
            or (b.bio and i >= 0.7 * len(blocks))  # the author's bio under the story
            for i, b in enumerate(blocks)
        ]
        listed = apply_structure(blocks, span, junk)
        md_title = heading.group(1).strip(" #") if heading else None
        if md_title and blocks[0].text == md_title:
            title: tuple[int, str] | None = (0, md_title)
        else:
            title = title_of(blocks, junk, listed)
        return _assemble(blocks, junk, title)


def _assemble(blocks: list[Block], junk: list[bool], title: tuple[int, str] | None) -> CleanText:
    """The kept paragraphs, the removed blocks verbatim, and the banner and byline among them."""
    byline = provenance = None
    kept: list[str] = []
    removed: list[str] = []
    first = first_kept(junk)
    last = max((i for i, j in enumerate(junk) if not j), default=-1)
    for i, block in enumerate(blocks):
        if title is not None and i == title[0]:
            continue
        if not junk[i]:
            kept.append(block.text)
            continue
        removed.append("\n".join(block.lines))
        edge = i < first or i > last
        if provenance is None and edge and is_provenance(block):
            provenance = block.text
        found = BYLINE.match(block.text) if i < first else None
        if byline is None and found:
            byline = found.group(1).strip()
    text = "\n\n".join(kept)
    return CleanText(title[1] if title else None, text, tuple(removed), provenance, byline)


def decode_text(body: bytes, declared: str | None = None) -> str:
    """Bytes as text: UTF-8 when valid, else the declared charset if it fits, else detected."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return body.decode(declared)
        except (LookupError, UnicodeDecodeError):
            # An unknown name, or a wrong one (cp1252 served as utf-8 is common): detect.
            pass
    matches = from_bytes(body)
    best = matches.best()
    if best is None:
        return body.decode("cp1252", errors="replace")
    # Short texts often fit several code pages equally well; the web's usual one wins ties.
    for match in matches:
        tie = match.chaos == best.chaos and match.coherence == best.coherence
        if tie and match.encoding == "cp1252":
            return str(match)
    return str(best)


def lead_title(text: str, max_words: int = 12) -> str:
    """A displayable title from the first sentence, cut to ``max_words`` words."""
    sentences = sentence_texts(text)
    words = (sentences[0] if sentences else text).split()
    if len(words) <= max_words:
        return " ".join(words)
    return " ".join(words[:max_words]).rstrip(",;:–—-") + "…"


class PlainTextExtractor:
    """Extracts an article from a plain-text or Markdown document with ``PlainTextCleaner``."""

    def __init__(
        self, cleaner: PlainTextCleaner | None = None, settings: Settings | None = None
    ) -> None:
        self.cleaner = cleaner or PlainTextCleaner()
        self.settings = settings or Settings()

    def extract(self, doc: RawDocument) -> Article:
        """Decode, clean and wrap ``doc`` as an article; raise if nothing is left."""
        limit = self.settings.max_text_chars
        # Four bytes a character at most: a body over that fails before it is decoded.
        text = "" if len(doc.body) > 4 * limit else decode_text(doc.body, doc.encoding)
        if len(doc.body) > 4 * limit or len(text) > limit:
            size = f"{len(text):,} characters" if text else f"{len(doc.body):,} bytes"
            raise TooLarge(
                f"{doc.id}: {size} of text, over the limit of {limit:,} characters; "
                "split the file or raise Settings.max_text_chars"
            )
        # A Markdown file keeps its suffix in its path even when its URL (a scrape origin) has none.
        names = (PurePath(n).name.lower().removesuffix(".gz") for n in (doc.id, doc.url) if n)
        markdown = any(n.endswith((".md", ".markdown")) for n in names)
        clean = self.cleaner.clean(text, markdown=markdown)
        if not clean.text.strip():
            what = "only page junk" if clean.removed else "no text"
            raise EmptyDocument(
                f"{doc.id}: {what} left after cleaning; check that the file holds an article's "
                "text (a binary or empty file cannot be read as plain text)"
            )
        return Article(
            key=doc.key,
            id=doc.id,
            title=doc.hints.title or clean.title or lead_title(clean.text),
            text=clean.text,
            outlet=fallback_outlet(doc),
            url=doc.url,
            published=doc.hints.published,
            byline=doc.hints.byline or clean.byline,
            language=doc.hints.language,
            removed=clean.removed,
            provenance=clean.provenance,
        )
