"""HTML extraction: trafilatura, traced back to the page and filtered block by block.

trafilatura finds the main text well but leaves junk in it (related-story
lists, captions, newsletter prompts, author bios, share bars) and drops some
sub-headings, lists and tables of the article. ``TrafilaturaExtractor`` parses
the page once with lxml, runs trafilatura on it, maps every output block back
to the DOM, adds the article-container blocks trafilatura missed, and keeps
the blocks a small learned model scores as article text (see ``blocks``).
readability's reading of the page, which trafilatura makes anyway, goes
through the same filter and replaces trafilatura's where it reads another,
longer part of the page (see ``secondopinion``). What it drops from the
reading it uses is reported in ``Article.removed``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring
from trafilatura.core import bare_extraction
from trafilatura.settings import Extractor as TrafilaturaOptions

from parallax.config import Settings
from parallax.errors import EmptyDocument, TooLarge, UnsupportedInput
from parallax.extract.base import domain_of, fallback_outlet
from parallax.extract.blockfeatures import add_features
from parallax.extract.blocks import Block, PageText, candidate_blocks
from parallax.extract.blockscorer import BlockScorer
from parallax.extract.language import detect_language, resolve_language, stop_words
from parallax.extract.meta import (
    PageMetadata,
    byline_in_boxes,
    byline_in_text,
    extract_metadata,
    publication_date,
)
from parallax.extract.secondopinion import (
    as_output,
    forget,
    last_reading,
    prefer_second,
    reading_words,
    worth_filtering,
)
from parallax.models import Article, MediaType, RawDocument

_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# C0 controls other than tab, newline and carriage return are not allowed in lxml strings.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Below this many words, trafilatura's output alone is page furniture, not an article.
_MIN_FALLBACK_WORDS = 20
# Fewer words than this is a menu or a label, not an article.
_MIN_ARTICLE_WORDS = 5
_PARSER_OPTIONS: dict[str, Any] = {
    "remove_comments": True,
    "remove_pis": True,
    "collect_ids": False,
    "default_doctype": False,
    "no_network": True,
}
# libxml2's fixed nesting limit without XML_PARSE_HUGE (which would lift its other limits too)
_PARSER_DEPTH = 256


class TrafilaturaExtractor:
    """Extractor for HTML documents: trafilatura plus a learned block filter."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._scorer: BlockScorer | None = None

    def extract(self, doc: RawDocument) -> Article:
        """Clean article text and metadata of one HTML document."""
        self._check(doc)
        tree = parse_html(decode_html(doc.body, doc.encoding), doc.id)
        # the depth and size checks run first: trafilatura must not meet a hostile page
        page = self._page_text(tree, doc)
        meta = extract_metadata(tree, doc.url)
        blocks, detected, reading = self._candidates(tree, page, doc, meta.title, meta.description)
        kept, removed = self._filter(blocks, meta.title)
        if reading is not None and worth_filtering(
            reading_words(reading), sum(b.words for b in kept)
        ):
            kept, removed = self._second_opinion(reading, page, meta, detected, kept, removed)
        if sum(b.words for b in kept) < _MIN_ARTICLE_WORDS:
            raise EmptyDocument(
                f"{doc.id}: no article text found in the HTML, only navigation or page "
                "furniture; check that the page is an article"
            )
        text = assemble(kept)
        hints = doc.hints
        url = doc.url or meta.url
        return Article(
            key=doc.key,
            id=doc.id,
            title=meta.title or hints.title or "",
            text=text,
            outlet=hints.outlet or meta.outlet or domain_of(url) or fallback_outlet(doc),
            url=url,
            published=publication_date(meta.published or hints.published, tree, url),
            byline=meta.byline
            or hints.byline
            or byline_in_boxes(_named_texts(page))
            or byline_in_text(b.text for b in kept[:8]),
            language=hints.language or resolve_language(meta.language, detected),
            removed=tuple(removed),
        )

    def readings(self, doc: RawDocument) -> tuple[list[Block], list[Block], int]:
        """Candidate blocks of trafilatura's reading and of readability's (empty if none),
        with the words readability read, unscored (for training and its evaluation)."""
        self._check(doc)
        tree = parse_html(decode_html(doc.body, doc.encoding), doc.id)
        page = self._page_text(tree, doc)
        meta = extract_metadata(tree, doc.url)
        blocks, detected, reading = self._candidates(tree, page, doc, meta.title, meta.description)
        if reading is None:
            return blocks, [], 0
        second = self._second_blocks(reading, page, meta.title, meta.description, detected)
        return blocks, second, reading_words(reading)

    def _second_opinion(
        self,
        reading: Any,
        page: PageText,
        meta: PageMetadata,
        detected: tuple[str | None, float],
        kept: list[Block],
        removed: list[str],
    ) -> tuple[list[Block], list[str]]:
        """The filtered readability reading where it reads another, longer part of the page
        (see ``secondopinion``), else trafilatura's."""
        second = self._second_blocks(reading, page, meta.title, meta.description, detected)
        kept2, removed2 = self._filter(second, meta.title)
        if not prefer_second([b.text for b in kept], [b.text for b in kept2]):
            return kept, removed
        theirs = {b.text for b in kept2}
        return kept2, removed2 + [b.text for b in kept if b.text not in theirs]

    def _check(self, doc: RawDocument) -> None:
        if doc.media_type != MediaType.HTML:
            raise UnsupportedInput(f"{doc.id}: not HTML ({doc.media_type}); use the text cleaner")
        limit = self.settings.max_html_bytes
        if len(doc.body) > limit:
            raise TooLarge(
                f"{doc.id}: {len(doc.body):,} bytes of HTML, over the {limit:,}-byte limit; "
                "raise Settings.max_html_bytes to read it"
            )

    def _page_text(self, tree: HtmlElement, doc: RawDocument) -> PageText:
        page = PageText(tree, self.settings.max_html_depth, doc.id)
        limit = self.settings.max_text_chars
        if len(page.text) > limit:
            raise TooLarge(
                f"{doc.id}: {len(page.text):,} characters of text in the HTML, over the limit "
                f"of {limit:,}; raise Settings.max_text_chars to read it"
            )
        return page

    def _candidates(
        self,
        tree: HtmlElement,
        page: PageText,
        doc: RawDocument,
        title: str | None,
        description: str | None,
    ) -> tuple[list[Block], tuple[str | None, float], Any]:
        forget()
        result = bare_extraction(tree, options=_options())
        reading = last_reading()
        body = getattr(result, "body", None)
        if body is None or not len(body):
            raise EmptyDocument(
                f"{doc.id}: no article text found in the HTML; if the page builds its text "
                "with JavaScript, save the rendered page, else check that it is an article"
            )
        blocks, container = candidate_blocks(page, body)
        detected = detect_language(" ".join(b.text for b in blocks if not b.from_dom))
        add_features(blocks, page, container, title, description, stop_words(detected[0] or ""))
        return blocks, detected, reading

    def _second_blocks(
        self,
        reading: Any,
        page: PageText,
        title: str | None,
        description: str | None,
        detected: tuple[str | None, float],
    ) -> list[Block]:
        body = as_output(reading, _options())
        if body is None:
            return []
        page.rewind()
        blocks, container = candidate_blocks(page, body)
        add_features(blocks, page, container, title, description, stop_words(detected[0] or ""))
        return blocks

    def _filter(self, blocks: list[Block], title: str | None) -> tuple[list[Block], list[str]]:
        if self._scorer is None:
            from parallax.extract import _block_model  # generated by bench/extraction.py --train

            self._scorer = BlockScorer.from_module(_block_model)
        scores = self._scorer.scores(blocks)
        threshold = self._scorer.threshold
        kept = [b for b, s in zip(blocks, scores, strict=True) if s >= threshold]
        removed = [
            b.text for b, s in zip(blocks, scores, strict=True) if s < threshold and not b.from_dom
        ]
        if not any(not b.from_dom for b in kept):
            # the filter rejected all of trafilatura's text: trust trafilatura if it found
            # a text's worth of words, else there is no article on the page
            original = [b for b in blocks if not b.from_dom]
            enough = sum(b.words for b in original) >= _MIN_FALLBACK_WORDS
            kept, removed = (original, []) if enough else ([], [b.text for b in original])
        removed = [text for text in removed if not title or _squash(text) != _squash(title)]
        return _drop_title(kept, title), removed


def _options() -> TrafilaturaOptions:
    # fast=False: trafilatura's readability/justext second opinion is worth 0.3 (aeb)
    # to 0.7 (wcxb-dev) points of held-out F1 after the block filter
    return TrafilaturaOptions(
        output_format="xml",
        comments=False,
        formatting=False,
        links=True,  # their text gives each block's link share
        tables=True,
        # no url: links stay relative, as only their text counts; resolving every one
        # was ~4% of extraction time (same output on aeb and wcxb-dev)
    )


def decode_html(body: bytes, transport: str | None = None) -> str:
    """Text of an HTML page, in the web's order: a byte-order mark, bytes that are valid
    UTF-8, the transport's charset (HTTP header), the page's meta charset, detection.

    A declared charset the bytes do not fit (cp1252 served as UTF-8) is skipped.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(encoding, errors="replace")
    # valid UTF-8 beyond ASCII is almost never an accident, and pages often declare wrongly
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    meta = _DECLARED_CHARSET.search(body[:4096])
    for label in (transport, meta.group(1).decode("ascii", "ignore") if meta else None):
        name = _codec_name(label) if label else None
        if name:
            try:
                return body.decode(name)
            except UnicodeDecodeError:
                continue
    return body.decode(_detect_charset(body[:65536]), errors="replace")


def _detect_charset(sample: bytes) -> str:
    from charset_normalizer import from_bytes

    matches = from_bytes(sample)
    best = matches.best()
    if best is None:
        return "cp1252"
    # short pages often fit several code pages equally well; the web's usual one wins ties
    for match in matches:
        if match.encoding == "cp1252" and (match.chaos, match.coherence) == (
            best.chaos,
            best.coherence,
        ):
            return "cp1252"
    return _codec_name(best.encoding) or "utf-8"


def _codec_name(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # browsers read Latin-1 and ASCII labels as windows-1252 (WHATWG Encoding)
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def parse_html(text: str, source: str) -> HtmlElement:
    """An lxml tree of a whole page (never a fragment); a page nested deeper than the
    parser builds raises ``TooLarge`` instead of being silently cut short."""
    text = _CONTROL_CHARS.sub("", _XML_DECLARATION.sub("", text, count=1))
    if not text.strip():
        raise EmptyDocument(f"{source}: the HTML is empty; check the file or URL")
    parser = HTMLParser(**_PARSER_OPTIONS)  # one per page: its error log is per parse
    try:
        tree = document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as err:
        raise EmptyDocument(
            f"{source}: the HTML could not be parsed ({err}); check that the file is a web page"
        ) from err
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        # libxml2 stops building the tree past 256 levels and drops the rest of the page
        raise TooLarge(
            f"{source}: HTML nested deeper than {_PARSER_DEPTH} elements, the parser's limit; "
            "it is probably not an article page"
        )
    return tree


def assemble(blocks: list[Block]) -> str:
    """Article text: blocks as paragraphs, list items as ``- `` lines."""
    out: list[str] = []
    previous = ""
    for block in blocks:
        if block.kind == "item":
            line = f"- {block.text}"
            out.append(("\n" if previous == "item" else "\n\n") + line if out else line)
        else:
            out.append(f"\n\n{block.text}" if out else block.text)
        previous = block.kind
    return "".join(out).strip()


def _drop_title(blocks: list[Block], title: str | None) -> list[Block]:
    # the headline repeated as the first block belongs in Article.title, not in the text
    if len(blocks) > 1 and title and _squash(blocks[0].text) == _squash(title):
        return blocks[1:]
    return blocks


def _named_texts(page: PageText) -> Iterator[tuple[str, str]]:
    """Class/id names (own and parent's) and text of every run of text on the page."""
    for element, texts in zip(page.elements, page.texts, strict=True):
        parent = element.getparent()
        names = [element.get("class"), element.get("id"), element.get("rel")]
        if parent is not None:
            names += [parent.get("class"), parent.get("id")]
        yield " ".join(filter(None, names)), "".join(texts)


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


# The name the stage registry (parallax.stages) builds the default HTML extractor by.
HtmlExtractor = TrafilaturaExtractor
