"""What tells article text from page junk, as numbers: the block filter's features.

Every candidate block gets generic features: its length, link density and
position, boilerplate phrases, class/id names of its ancestors, stop-word
density, whether it sits in the article container, and the same for its
neighbours. A small gradient-boosted model (``_block_model``, trained by
``bench/extraction.py --train``) turns them into a score. Nothing here knows
any particular site.
"""

from __future__ import annotations

import math
import re
from typing import Any

from parallax.extract.blocks import Block, PageText, lineage

_WORD = re.compile(r"\w+")
_NOT_LETTER = re.compile(r"[\W\d_]+")
_DIGIT = re.compile(r"\d")

_CONTEXT_TAGS = (
    "figure",
    "figcaption",
    "aside",
    "footer",
    "header",
    "nav",
    "form",
    "li",
    "table",
    "blockquote",
    "a",
    "section",
    "article",
    "main",
)
_KINDS = ("p", "head", "item", "quote", "table", "other")

# Phrases of page furniture (share bars, sign-up boxes, related lists, credits), lower case.
_JUNK_PHRASES = re.compile(
    r"""\b(share(\s(this|on|via))?|tweet|pin\sit|whatsapp|linkedin|facebook|twitter|instagram|
    pinterest|youtube|subscribe|subscription|newsletter|sign\s?up|signing\sup|log\s?in|register|
    inbox|unsubscribe|related|read\s(more|next|also)|see\s(more|also)|more\s(from|on|about|
    stories|news|articles)|also\sread|recommended|you\s(may|might)\s(also\s)?like|don.t\smiss|
    trending|most\s(popular|read|viewed)|top\sstories|popular\s(posts|stories)|copyright|
    all\srights\sreserved|©|advertisement|sponsored|advertis\w*|cookies?|privacy\spolicy|
    terms\sof\s(use|service)|comments?|reply|leave\sa\scomment|follow\s(us|him|her|me)|
    click\shere|download\s(the|our)\sapp|photo|image|credit|getty|shutterstock|email|e-mail|
    print|tags?|filed\sunder|categor(y|ies)|posted\sin|thanks\sfor|thank\syou\sfor|error|
    leggi\sanche|lesen\ssie\sauch|lire\saussi|leia\s(tamb[eé]m|mais)|lea\stambi[eé]n|
    mehr\szum\sthema)\b""",
    re.VERBOSE,  # matched against lower-cased text: faster than IGNORECASE
)
_LIST_HEADER = re.compile(
    r"""^\W*(related|read\s(more|next|also)|see\salso|more\s(from|on|stories|news|in|like\s
    this)|also\s(read|on)|recommended|you\s(may|might)\s(also\s)?(like|enjoy)|don.t\smiss|
    trending|most\s(popular|read)|popular|latest|top\sstories|further\sreading|leggi\sanche|
    lesen\ssie\sauch|lire\saussi|leia\stamb|share|tags|comments)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_BYLINE = re.compile(
    r"^(by|von|por|par|di|written by|posted by|published|updated|author)\b", re.IGNORECASE
)
_CREDIT = re.compile(
    r"(photo|image|picture|foto|credit|getty|reuters|afp|ap photo|shutterstock|"
    r"\(file\)|©)",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(
    r"^\W*(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*"
    r"\.? \d{1,2},? \d{4}|\d{1,2} (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{4})",
    re.IGNORECASE,
)
_CONTACT = re.compile(r"(@\w|\b[\w.]+@[\w.]+\.\w+|https?://|www\.)", re.IGNORECASE)
_END_CHARS = frozenset(""".!?:;"”’»)""")
_JUNK_ATTR = re.compile(
    r"related|share|sharing|social|newsletter|promo|caption|credit|bio\b|author|byline|tags?\b|"
    r"footer|comment|sidebar|widget|recommend|more-|read-?more|\bad\b|ads\b|advert|sponsor|"
    r"subscri|signup|sign-up|cta|nav|breadcrumb|meta|disclaimer|copyright|popular|trending|"
    r"teaser|card|rail|outbrain|taboola|inline-|embed|video|gallery|photo|image|figure|pullquote|"
    r"toolbar|print|email|follow|banner|modal|popup|hidden|module",
    re.IGNORECASE,
)
_HINT_ATTRS = ("class", "id", "role", "itemprop", "data-component")
_TEXT_ATTR = re.compile(
    r"article|content|body|story|post|entry|text|main|prose|paragraph|rich", re.IGNORECASE
)


def _word_set(text: str | None) -> set[str]:
    return {w.lower() for w in _WORD.findall(text or "")}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def add_features(
    blocks: list[Block],
    page: PageText,
    container: Any,
    title: str | None,
    description: str | None,
    stop_words: frozenset[str],
) -> None:
    """Fill ``features`` of every block (see the module docstring)."""
    count = len(blocks)
    total = sum(b.words for b in blocks if not b.from_dom) or 1
    title_words, description_words = _word_set(title), _word_set(description)
    seen: dict[str, int] = {}
    for block in blocks:
        seen[block.text] = seen.get(block.text, 0) + 1
    long_ones = [
        i
        for i, b in enumerate(blocks)
        if not b.from_dom and b.words >= 30 and b.kind in ("p", "quote")
    ]
    first_long = long_ones[0] if long_ones else count
    last_long = long_ones[-1] if long_ones else -1
    headline = _headline_segment(page, title_words)
    before = 0
    last_header = -100
    hints: dict[Any, tuple[bool, bool]] = {}  # class/id verdicts, shared by sibling blocks
    for i, block in enumerate(blocks):
        f = block.features
        text, words = block.text, block.words
        f["from_dom"] = float(block.from_dom)
        # kickers, breadcrumbs and menus come before the headline; the story after it
        f["before_headline"] = 0.5 if headline is None else float(block.order < headline)
        for kind in _KINDS:
            f[f"kind_{kind}"] = float(block.kind == kind)
        f["log_words"] = math.log1p(words)
        f["short"] = float(words < 8)
        f["link_share"] = block.link_share
        f["ends_sentence"] = float(text.rstrip()[-1:] in _END_CHARS)
        f["position"] = i / (count - 1) if count > 1 else 0.0
        f["words_before"] = before / total
        if not block.from_dom:
            before += words
        f["words_after"] = max(0.0, (total - before) / total)
        f["word_share"] = min(1.0, words / total)
        lower = text.lower()
        f["junk_phrases"] = min(3, len(_JUNK_PHRASES.findall(lower))) / max(1.0, math.log1p(words))
        f["list_header"] = float(words < 8 and bool(_LIST_HEADER.search(text)))
        if f["list_header"]:
            last_header = i
        f["after_list_header"] = float(0 < i - last_header <= 12 and not f["list_header"])
        # the pattern tests are skipped where the length rules the feature out anyway
        f["byline"] = float(words < 15 and bool(_BYLINE.search(text)))
        f["credit"] = float(words < 30 and bool(_CREDIT.search(text)))
        f["date_line"] = float(words < 12 and bool(_DATE_LINE.search(text)))
        f["contact"] = float(bool(_CONTACT.search(text)))
        tokens = _WORD.findall(lower)
        own = set(tokens)
        f["title_overlap"] = _jaccard(own, title_words)
        f["description_overlap"] = _jaccard(own, description_words)
        f["repeated"] = float(seen[text] > 1)
        letters = _NOT_LETTER.sub("", text)
        f["upper_share"] = sum(map(str.isupper, letters)) / len(letters) if letters else 0.0
        f["digit_share"] = len(_DIGIT.findall(text)) / len(text)
        f["list_size"] = math.log1p(block.list_size)
        f["prev_link_share"] = blocks[i - 1].link_share if i else 0.0
        f["next_link_share"] = blocks[i + 1].link_share if i < count - 1 else 0.0
        f["prev_from_dom"] = float(i > 0 and blocks[i - 1].from_dom)
        f["next_from_dom"] = float(i < count - 1 and blocks[i + 1].from_dom)
        near = [blocks[j].words for j in range(max(0, i - 2), min(count, i + 3)) if j != i]
        f["near_words"] = math.log1p(sum(near) / len(near)) if near else 0.0
        f["after_last_long"] = float(i > last_long)
        f["before_first_long"] = float(i < first_long)
        f["between_long"] = float(first_long < i < last_long)
        _dom_features(f, block.element, container, page, hints)
        if stop_words and tokens:
            f["stop_share"] = len([t for t in tokens if t in stop_words]) / len(tokens)
            f["no_stop_list"] = 0.0
        else:
            f["stop_share"], f["no_stop_list"] = 0.0, 1.0


def _headline_segment(page: PageText, title_words: set[str]) -> int | None:
    """Where the headline is: the first <h1> sharing words with the title, else the first."""
    first = None
    for index, element in enumerate(page.elements):
        if element.tag != "h1":
            continue
        if first is None:
            first = index
        if title_words & _word_set(" ".join(page.texts[index])):
            return index
    return first


def _attribute_hints(element: Any, cache: dict[Any, tuple[bool, bool]]) -> tuple[bool, bool]:
    """Whether the element's class/id/role name junk, and whether they name text."""
    hints = cache.get(element)
    if hints is None:
        attrs = " ".join(filter(None, (element.get(name) for name in _HINT_ATTRS)))
        hints = (
            (bool(_JUNK_ATTR.search(attrs)), bool(_TEXT_ATTR.search(attrs)))
            if attrs
            else (False, False)
        )
        cache[element] = hints
    return hints


def _dom_features(
    f: dict[str, float],
    element: Any,
    container: Any,
    page: PageText,
    hints: dict[Any, tuple[bool, bool]],
) -> None:
    f["unmapped"] = float(element is None)
    nodes = lineage(element) if element is not None else []
    junk_at = text_at = 15
    for depth, node in enumerate(nodes):
        junk, textual = _attribute_hints(node, hints)
        if junk and junk_at == 15:
            junk_at = depth
        if textual and text_at == 15:
            text_at = depth
    f["junk_attr_near"] = float(junk_at <= 2)
    f["junk_attr_any"] = float(junk_at < 15)
    f["text_attr_near"] = float(text_at <= 2)
    f["junk_attr_first"] = float(junk_at < text_at)
    tags = {node.tag for node in nodes}
    for tag in _CONTEXT_TAGS:
        f[f"in_{tag}"] = float(tag in tags)
    f["has_container"] = float(container is not None)
    if container is None or element is None:
        f["in_container"], f["container_depth"], f["junk_attr_inside"] = 0.5, 0.0, 0.0
    else:
        depth, inside = 0, element is container
        if not inside:
            for node in element.iterancestors():
                depth += 1
                if node is container:
                    inside = True
                    break
        f["in_container"] = float(inside)
        f["container_depth"] = math.log1p(depth) if inside else 0.0
        # a junk-named box inside the article container (newsletter box, author bio)
        f["junk_attr_inside"] = float(inside and junk_at < depth)
    node = element
    for name in ("parent", "grandparent", "great_grandparent"):
        node = node.getparent() if node is not None else None
        totals = page.subtree.get(node) if node is not None else None
        f[f"{name}_link_share"] = totals[1] / totals[0] if totals and totals[0] else 0.0
        f[f"{name}_log_chars"] = math.log1p(totals[0]) if totals else 0.0


# The order is fixed by the trained model; bench/extraction.py --train checks it.
FEATURES: tuple[str, ...] = (
    "from_dom",
    "before_headline",
    *(f"kind_{k}" for k in _KINDS),
    "log_words",
    "short",
    "link_share",
    "ends_sentence",
    "position",
    "words_before",
    "words_after",
    "word_share",
    "junk_phrases",
    "list_header",
    "after_list_header",
    "byline",
    "credit",
    "date_line",
    "contact",
    "title_overlap",
    "description_overlap",
    "repeated",
    "upper_share",
    "digit_share",
    "list_size",
    "prev_link_share",
    "next_link_share",
    "prev_from_dom",
    "next_from_dom",
    "near_words",
    "after_last_long",
    "before_first_long",
    "between_long",
    "unmapped",
    "junk_attr_near",
    "junk_attr_any",
    "text_attr_near",
    "junk_attr_first",
    *(f"in_{t}" for t in _CONTEXT_TAGS),
    "has_container",
    "in_container",
    "container_depth",
    "junk_attr_inside",
    "parent_link_share",
    "parent_log_chars",
    "grandparent_link_share",
    "grandparent_log_chars",
    "great_grandparent_link_share",
    "great_grandparent_log_chars",
    "stop_share",
    "no_stop_list",
)
