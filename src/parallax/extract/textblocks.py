"""Blocks of plain text and their shape: the units the plain-text cleaner judges.

A block is a line, or a hard-wrapped paragraph joined back into one. Its shape
says what kind of line it is: a complete sentence (prose), a short unterminated
line (a heading, headline or list item), or a long one cut off (a teaser's
snippet). The later stages add junk evidence and topic overlap to the same block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parallax.extract.textwords import FUNCTION_WORDS, FURNITURE, FURNITURE_WORDS

TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
CLOSERS = "\"'”’»)]」』 "
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_BULLET = re.compile(r"^\s*(?:[-*•·–—]|\d{1,2}[.)])\s+")


@dataclass(slots=True)
class Block:
    """One unit of judgement: consecutive input lines (usually one) and what is known of it."""

    lines: list[str]
    text: str
    low: str
    blank_after: bool
    words: list[str]
    distinct: set[str]
    stems: set[str]
    furniture: list[tuple[str, float]]
    evidence: float = 0.0  # junk evidence, furniture words aside
    junk: float = 0.0  # all junk evidence
    prose: bool = False  # a complete sentence or paragraph
    headline: bool = False  # a short unterminated line: heading, headline, list item
    snippet: bool = False  # a long unterminated run: a truncated teaser
    overlap: float = 0.0  # share of its stems the body uses elsewhere
    off_topic: bool = False  # clearly about something else than the body
    unlike: bool = False  # shares (almost) no words with the body
    bio: bool = False  # 'Jane Doe is a reporter for ...'
    title_case: bool = False  # 'Most Content Words Capitalised', as headlines are
    sentence: bool = False  # prose by its function words, not just by its final period


def _make_block(lines: list[str], blank_after: bool) -> Block:
    """A block of ``lines`` with its words, stems and furniture words found."""
    text = " ".join(" ".join(line.split()) for line in lines)
    low = text.lower()
    words = TOKEN.findall(low)
    distinct = set(words)
    # Stems are five-letter prefixes, so that 'negotiation' meets 'negotiating'.
    stems = {w[:5] for w in distinct.difference(FUNCTION_WORDS) if len(w) > 2 and w.isalpha()}
    furniture = []
    if not FURNITURE_WORDS.isdisjoint(distinct):
        furniture = [(w[:5], FURNITURE[w]) for w in words if w in FURNITURE]
    return Block(lines, text, low, blank_after, words, distinct, stems, furniture)


def split_blocks(text: str) -> list[Block]:
    """Non-empty lines as blocks; hard-wrapped paragraphs are joined into one block."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return []
    # Hard-wrapped text: many lines end near one width; a line that reaches it continues below.
    wrap = lengths[int(len(lengths) * 0.9)]
    near = sum(1 for n in lengths if 0.8 * wrap <= n <= wrap)
    wrapped = 40 <= wrap <= 120 and "" in lines and near >= max(4, 0.3 * len(lengths))
    blocks: list[Block] = []
    run: list[str] = []
    for i, line in enumerate(lines):
        if not line:
            continue
        run.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        joins = (
            bool(nxt)
            and (
                (
                    wrapped
                    and len(line) >= 0.6 * wrap
                    and not _BULLET.match(nxt)
                    and (not is_terminal(line) or nxt[:1].islower())
                )
                # A line that starts in lower case continues an unfinished one above it.
                or (len(line) >= 20 and nxt[:1].islower() and not is_terminal(line))
            )
        )
        if not joins:
            blocks.append(_make_block(run, blank_after=not nxt))
            run = []
    return blocks


def end_char(text: str) -> str:
    """The last character before any closing quotes or brackets."""
    return text.rstrip(CLOSERS)[-1:]


def is_terminal(text: str) -> bool:
    """Ends like a sentence: . ! or ? (not an ellipsis), maybe inside quotes."""
    core = text.rstrip(CLOSERS)
    return core[-1:] in (".", "!", "?", "。", "！", "？") and not core.endswith("...")


def function_share(words: list[str]) -> float:
    """Share of English function words: high in English sentences, low in headlines."""
    return sum(map(FUNCTION_WORDS.__contains__, words)) / max(1, sum(map(str.isalpha, words)))


def unquoted_words(block: Block) -> list[str]:
    """The block's words outside quotation marks."""
    if '"' not in block.text and "“" not in block.text:
        return block.words
    return TOKEN.findall(_QUOTED.sub(" ", block.low))


def is_title_case(text: str) -> bool:
    """Most words that are not function words start with a capital or a digit."""
    content = [w for w in text.split() if w.lower().strip(CLOSERS + ".,:;") not in FUNCTION_WORDS]
    capitals = sum(1 for w in content if w[:1].isupper() or w[:1].isdigit())
    return len(content) >= 4 and capitals >= 0.8 * len(content)


def set_shape(block: Block, english: bool) -> None:
    """Sets the block's sentence-shape flags: prose, headline, snippet."""
    n, text = len(block.words), block.text
    terminal = is_terminal(text)
    if not english:  # no function words to go by: length and end punctuation only
        block.prose = block.sentence = terminal and len(text) >= 25
        block.snippet = not terminal and len(text) >= 120
        block.headline = not block.prose and not block.snippet
        return
    function = function_share(block.words)
    # Title Case ('A Worker Is Dead in Drayfield.') marks a headline even with a period.
    block.title_case = terminal and n <= 30 and is_title_case(text)
    block.prose = (
        terminal
        and not block.title_case
        and ((n >= 8 and function >= 0.15) or (n >= 3 and function >= 0.3))
    )
    block.sentence = block.prose
    end = end_char(text)
    if terminal and not block.prose and not block.title_case and n >= 4 and end == ".":
        block.prose = True  # headlines rarely end in a period: a period-ended run is a sentence
    cut_off = end in (",", ";", "–", "—", "-") or text.endswith(("...", "…"))
    block.snippet = (not block.prose and n >= 15 and function >= 0.15 and end != ":") or (
        n >= 8 and cut_off
    )
    block.headline = not block.prose and not block.snippet and 1 <= n <= 25
