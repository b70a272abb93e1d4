"""Candidate text blocks of a page: trafilatura's output traced back to the DOM.

trafilatura's output is split into blocks (paragraphs, headings, list items,
tables). Each is found again in the page's text, which locates the article's
container (the deepest element holding most of the long paragraphs); blocks
inside that container that trafilatura dropped (sub-headings, lists, tables)
become candidates too. ``blockfeatures`` describes them and ``html`` keeps
the ones its model scores as article text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from parallax.errors import TooLarge

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# Elements that start a new block of text; anything else is inline.
_BLOCK_TAGS = frozenset(
    "p div li ul ol dl dd dt h1 h2 h3 h4 h5 h6 blockquote pre table tr td th tbody thead "
    "section article header footer aside nav figure figcaption form main br hr center "
    "address details summary caption".split()
)
_SKIP_TAGS = frozenset(
    "script style noscript template svg button select option input textarea "
    "iframe head title math".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())


class PageText:
    """One pass over the DOM: its text as a stream (to find where a block came from) and
    as segments (runs of text between block-level tags, in document order), with the
    characters inside links counted."""

    def __init__(self, root: Any, max_depth: int, source: str) -> None:
        self.elements: list[Any] = []  # per segment: the element whose text it is
        self.texts: list[list[str]] = []
        self.links: list[int] = []
        self._offsets: list[int] = []
        self._owner: list[int] = []
        self.text = self._walk(root, max_depth, source)
        self._cursor = 0
        self.subtree: dict[Any, list[int]] = {}  # element -> [text chars, link chars]
        for element, texts, links in zip(self.elements, self.texts, self.links, strict=True):
            chars = sum(map(len, texts))
            node, level = element, 0
            while node is not None and level < 4:
                totals = self.subtree.setdefault(node, [0, 0])
                totals[0] += chars
                totals[1] += links
                node, level = node.getparent(), level + 1

    def _walk(self, root: Any, max_depth: int, source: str) -> str:
        parts: list[str] = []
        stack: list[Any] = []
        owner, segment = root, -1  # segments open lazily, when text arrives
        depth = skip = in_link = position = 0
        normalise = _WS.sub
        # the <head> holds no article text: walking from <body> saves an element per tag in it
        start = root.find("body")
        start = root if start is None else start
        depth = 0 if start is root else 1
        for event, element in etree.iterwalk(start, events=("start", "end")):
            tag = element.tag
            if event == "start":
                depth += 1
                if depth > max_depth:
                    raise TooLarge(
                        f"{source}: HTML nested deeper than {max_depth} elements; "
                        "it is probably not an article page (raise Settings.max_html_depth "
                        "if it is)"
                    )
                if skip or tag in _SKIP_TAGS or not isinstance(tag, str):
                    skip += 1
                    continue
                if tag == "a":
                    in_link += 1
                if tag in _BLOCK_TAGS:
                    stack.append(owner)
                    owner, segment = element, -1
                text = element.text
            else:
                depth -= 1
                if skip:
                    skip -= 1
                    if skip:
                        continue
                else:
                    if tag == "a":
                        in_link -= 1
                    if tag in _BLOCK_TAGS:
                        # text after a child block is a new segment of the parent element
                        owner, segment = (stack.pop() if stack else root), -1
                text = element.tail if element is not root else None
            if not text or text.isspace():
                continue
            # printable text without double spaces has no whitespace to fold (the common case)
            if not text.isprintable() or "  " in text:
                text = normalise(" ", text)
            if parts and text[0] == " " and parts[-1][-1] == " ":
                text = text[1:]
            if segment < 0:
                segment = len(self.elements)
                self.elements.append(owner)
                self.texts.append([])
                self.links.append(0)
            self._offsets.append(position)
            self._owner.append(segment)
            parts.append(text)
            position += len(text)
            self.texts[segment].append(text)
            if in_link:
                self.links[segment] += len(text.strip())
        return "".join(parts)

    def rewind(self) -> None:
        """Search from the top of the page again (for a second reading of it)."""
        self._cursor = 0

    def locate(self, text: str) -> tuple[int, int] | None:
        """Segments spanned by ``text`` (searched from the last hit on), or None."""
        wanted = _WS.sub(" ", text).strip()
        for width in (60, 25):
            prefix = wanted[:width]
            start = self.text.find(prefix, self._cursor)
            if start < 0:
                start = self.text.find(prefix)
            if start >= 0:
                self._cursor = start + len(prefix)
                first = bisect.bisect_right(self._offsets, start) - 1
                last = bisect.bisect_right(self._offsets, start + max(0, len(wanted) - 1)) - 1
                return self._owner[first], self._owner[max(first, last)]
        return None


@dataclass(slots=True)
class Block:
    """One candidate block: its text, where it came from, and its features."""

    text: str
    from_dom: bool
    kind: str
    element: Any
    order: float
    words: int
    link_share: float
    list_size: int = 1
    features: dict[str, float] = field(default_factory=dict)


def render(element: Any) -> str:
    """Plain text of a trafilatura output element; line breaks and table rows kept."""
    pieces: list[str] = []

    def walk(node: Any) -> None:
        if node.tag in ("lb", "row"):
            pieces.append("\n")
        elif node.tag == "cell" and node.getprevious() is not None:
            pieces.append(" | ")
        if node.text:
            pieces.append(node.text)
        for child in node:
            walk(child)
        if node.tail and node is not element:
            pieces.append(node.tail)

    walk(element)
    lines = (_WS.sub(" ", line).strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def candidate_blocks(page: PageText, body: Any) -> tuple[list[Block], Any]:
    """trafilatura's blocks traced to the DOM, plus blocks it missed in the article container."""
    blocks: list[Block] = []
    covered: set[int] = set()
    last_order = 0.0
    for kind, element, list_size in _output_blocks(body):
        text = render(element)
        if not text:
            continue
        span = page.locate(text.replace("\n", " "))
        source = None
        if span:
            covered.update(range(span[0], span[1] + 1))
            source = page.elements[span[0]]
            last_order = float(span[0])
        else:
            last_order += 1e-3
        links = sum(len(_WS.sub(" ", "".join(r.itertext())).strip()) for r in element.iter("ref"))
        blocks.append(
            Block(
                text,
                False,
                kind,
                source,
                last_order,
                len(_WORD.findall(text)),
                min(1.0, links / len(text)),
                list_size,
            )
        )
    container = article_container(blocks)
    if container is not None:
        blocks.extend(_missed_blocks(page, container, covered, blocks))
        blocks.sort(key=lambda b: b.order)
    return blocks, container


def _output_blocks(body: Any) -> Iterable[tuple[str, Any, int]]:
    for child in body:
        if child.tag == "list":
            items = [item for item in child if item.tag == "item"]
            if items:
                yield from (("item", item, len(items)) for item in items)
                continue
        kind = child.tag if child.tag in ("p", "head", "quote", "table") else "other"
        yield kind, child, 1


def article_container(blocks: list[Block]) -> Any:
    """The deepest element holding at least 60% of the words of the long paragraphs."""
    mass: dict[Any, int] = {}
    total = 0
    for block in blocks:
        if block.element is None or block.words < 25 or block.kind not in ("p", "quote"):
            continue
        total += block.words
        for node in lineage(block.element, 60):
            mass[node] = mass.get(node, 0) + block.words
    best, best_depth = None, -1
    for node, words in mass.items():
        if words >= 0.6 * total:
            depth = sum(1 for _ in node.iterancestors())
            if depth > best_depth:
                best, best_depth = node, depth
    return best


def _missed_blocks(
    page: PageText, container: Any, covered: set[int], kept: list[Block]
) -> list[Block]:
    words = _WORD.findall(" ".join(b.text for b in kept))
    shingles = set(zip(words, words[1:], words[2:], words[3:], strict=False))
    joined = f" {' '.join(words)} "
    found = []
    for index in _segments_within(page, container):
        element, texts, links = page.elements[index], page.texts[index], page.links[index]
        if index in covered:
            continue
        text = _WS.sub(" ", "".join(texts)).strip()
        tokens = _WORD.findall(text)
        if not tokens or _already_kept(tokens, shingles, joined):
            continue
        found.append(
            Block(
                text,
                True,
                _dom_kind(element.tag),
                element,
                index + 5e-4,
                len(tokens),
                min(1.0, links / len(text)),
            )
        )
    return found


def _segments_within(page: PageText, container: Any) -> range:
    """Indices of the segments inside ``container``: a subtree's text is one run of the page."""

    def inside(element: Any) -> bool:
        return element is container or any(a is container for a in element.iterancestors())

    count = len(page.elements)
    first = next((i for i in range(count) if inside(page.elements[i])), count)
    last = next((i for i in range(count - 1, first - 1, -1) if inside(page.elements[i])), first - 1)
    return range(first, last + 1)


def _already_kept(tokens: list[str], shingles: set[tuple[str, str, str, str]], joined: str) -> bool:
    if len(tokens) < 4:
        return f" {' '.join(tokens)} " in joined
    own = list(zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False))
    return sum(s in shingles for s in own) >= 0.5 * len(own)


def _dom_kind(tag: str) -> str:
    if tag in _HEADINGS:
        return "head"
    if tag in ("li", "dd", "dt"):
        return "item"
    if tag in ("td", "th", "tr", "table"):
        return "table"
    return {"p": "p", "blockquote": "quote"}.get(tag, "other")


def lineage(element: Any, limit: int = 14) -> list[Any]:
    """The element and its ancestors below ``<body>``, nearest first, at most ``limit``."""
    nodes = [element]
    for node in element.iterancestors():
        if node.tag in ("body", "html") or len(nodes) >= limit:
            break
        nodes.append(node)
    return nodes
