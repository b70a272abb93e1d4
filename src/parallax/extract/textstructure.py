"""Structural rules of a plain text: what the blocks around the body are, and its title.

Outside the body, complete sentences that are not teasers are kept, and so is
a list an on-topic heading or a lead-in line introduces; a list heading
("Related", "Most popular") takes the headlines, snippets and off-topic
paragraphs under it; a late comment heading takes readers' talk; a headline
and standfirst above an opening byline are not body text. The title is the
longest on-topic headline-shaped line before the body.
"""

from __future__ import annotations

from parallax.analyse.sentences import sentence_texts
from parallax.extract.textblocks import TOKEN, Block, unquoted_words
from parallax.extract.textsignals import (
    BYLINE,
    COMMENTS,
    SEPARATOR_CHARS,
    SOME_JUNK,
    WEAK_JUNK,
)
from parallax.extract.textwords import FIRST_PERSON, LIST_WORDS

_TITLE_SUFFIX = (" | ", " – ", " — ", " - ", " :: ", " // ", " » ")


def apply_structure(blocks: list[Block], span: tuple[int, int], junk: list[bool]) -> set[int]:
    """Corrects ``junk`` around the body by the page's structure; returns lists and comments."""
    _rescue(blocks, range(0, span[0]), junk)
    _rescue(blocks, range(span[1], len(blocks)), junk)
    _trailing_list(blocks, span[1], junk)
    _lead_in_lists(blocks, junk)
    _standfirst(blocks, junk)
    listed = _list_runs(blocks, junk)  # after the rescues: a list's teasers go regardless
    listed |= _comment_cut(blocks, junk)
    return listed


def first_kept(junk: list[bool]) -> int:
    """The index of the first block kept, or the number of blocks when none is."""
    return next((i for i, is_junk in enumerate(junk) if not is_junk), len(junk))


def _is_teaser(blocks: list[Block], i: int) -> bool:
    """A paragraph between headlines: the snippet of a teaser list, not the article."""
    before = blocks[i - 1] if i > 0 else None
    after = blocks[i + 1] if i + 1 < len(blocks) else None
    return (
        before is not None
        and before.headline
        and before.junk < WEAK_JUNK
        and (after is None or after.headline or after.junk >= WEAK_JUNK)
    )


def _rescue(blocks: list[Block], indices: range, junk: list[bool]) -> None:
    """Keeps complete prose outside the body unless it is junk-like, off-topic or a teaser."""
    rescued = []
    for i in indices:
        block = blocks[i]
        if (
            block.sentence
            and block.junk < SOME_JUNK
            and not (block.unlike and block.off_topic)
            and not _is_teaser(blocks, i)
            and not block.bio
        ):
            junk[i] = False
            rescued.append(i)
    for i in rescued:  # the heading of a rescued paragraph, unless it is a list's item
        heading = blocks[i - 1] if i > 0 else None
        alone = i < 2 or not blocks[i - 2].headline
        if heading is not None and heading.headline and not heading.unlike and alone:
            junk[i - 1] = heading.junk >= SOME_JUNK


def _trailing_list(blocks: list[Block], end: int, junk: list[bool]) -> None:
    """Keeps on-topic list lines that go on right after the article's last paragraph.

    A list that ends an article (tour dates, ingredients, results) is short
    lines without junk evidence that share the story's words; it stops at the
    first junk block, which is where a page's own furniture starts.
    """
    if end >= len(blocks) or end == 0 or junk[end - 1]:
        return
    # Under an on-topic heading ('Tour dates') the items need not share words themselves.
    headed = blocks[end].headline and blocks[end].overlap >= 0.5
    for k in range(end, len(blocks)):
        item = blocks[k]
        if item.prose or item.junk >= SOME_JUNK:
            break
        if not headed and (item.unlike or item.overlap == 0.0):
            break
        junk[k] = False


def _lead_in_lists(blocks: list[Block], junk: list[bool]) -> None:
    """Keeps the list a kept line introduces ('The candidates are:')."""
    i = 0
    while i < len(blocks):
        k = i + 1
        if not junk[i] and blocks[i].text.endswith(":"):
            while k < len(blocks):
                item = blocks[k]
                if item.junk >= WEAK_JUNK or item.snippet or (not junk[k] and item.prose):
                    break
                junk[k] = False
                k += 1
        i = k


def _standfirst(blocks: list[Block], junk: list[bool]) -> None:
    """Drops the headline and standfirst kept above a byline that opens the page."""
    byline = next((i for i, b in enumerate(blocks[:6]) if BYLINE.match(b.text)), None)
    if byline is None:
        return
    header = [i for i in range(byline) if not junk[i]]
    if 0 < len(header) <= 2 and any(not junk[i] for i in range(byline + 1, len(blocks))):
        for i in header:
            junk[i] = True


def _is_list_heading(block: Block) -> bool:
    """'Related Article', 'Most Popular', 'Read more:', 'You may also like'."""
    return (
        len(block.words) <= 6
        and not block.prose
        and any(w in LIST_WORDS for w in block.words)
        and not block.text.endswith(("?", "."))
        and not SEPARATOR_CHARS.intersection(block.text)  # a navigation bar, not a heading
    )


def _list_runs(blocks: list[Block], junk: list[bool]) -> set[int]:
    """Removes list headings with the teasers under them, wherever they stand; returns them."""
    listed: set[int] = set()
    i = 0
    while i < len(blocks):
        if not _is_list_heading(blocks[i]):
            i += 1
            continue
        j = i + 1
        # Items: headlines, snippets, more junk, or paragraphs about other things; a
        # paragraph that shares the story's words ends the list (a section heading's text).
        while j < len(blocks) and (
            blocks[j].headline
            or blocks[j].snippet
            or blocks[j].junk >= WEAK_JUNK
            or (blocks[j].prose and blocks[j].unlike)
        ):
            j += 1
        if j < len(blocks) and j - 1 > i and blocks[j - 1].headline and blocks[j].prose:
            j -= 1  # a section heading whose paragraphs follow, not a list item
        items = j - i - 1
        if items >= 2 or (items >= 1 and (j == len(blocks) or blocks[j].junk >= WEAK_JUNK)):
            junk[i:j] = [True] * (j - i)
            listed.update(range(i, j))
        i = max(j, i + 1)
    return listed


def _comment_cut(blocks: list[Block], junk: list[bool]) -> set[int]:
    """Removes a comment section: its heading, late in the text, and readers' talk after it."""
    total = sum(len(b.text) for b in blocks)
    ends = [0] * len(blocks)
    seen = 0
    for i, block in enumerate(blocks):
        seen += len(block.text)
        ends[i] = seen
    start = next(
        (
            i
            for i, block in enumerate(blocks)
            if ends[i] > 0.6 * total and len(block.words) <= 25 and COMMENTS.match(block.text)
        ),
        None,
    )
    if start is None:
        return set()
    talk = [b for b in blocks[start + 1 :] if b.prose]
    # Readers write 'I' and 'my'; an article that goes on after a stray counter does not.
    personal = sum(1 for b in talk if FIRST_PERSON.intersection(unquoted_words(b)))
    if personal * 3 < len(talk):
        return set()
    junk[start:] = [True] * (len(blocks) - start)
    return set(range(start, len(blocks)))


# Title ----------------------------------------------------------------------------------


def _split_title(line: str) -> str:
    """A title without its ' | Section' or ' - Outlet' suffix."""
    for sep in _TITLE_SUFFIX:
        if sep not in line:
            continue
        head, tail = line.rsplit(sep, 1)
        tail_words = tail.split()
        named = sum(w[:1].isupper() for w in tail_words) >= len(tail_words) - 1
        if len(head.split()) >= 3 and len(tail_words) <= 6 and (sep == " | " or named):
            return _split_title(head.strip())
    return line


def title_of(blocks: list[Block], junk: list[bool], listed: set[int]) -> tuple[int, str] | None:
    """The headline among the blocks before the body, with its index, if one reads as a title.

    A title is a short line that does not end like a sentence and shares words
    with the story; of several (a masthead's motto, a section name, the
    headline), the longest on-topic one wins.
    """
    best, best_score = None, 0.0
    for i in range(first_kept(junk)):
        block = blocks[i]
        if i in listed or block.junk >= WEAK_JUNK or len(block.lines) > 1:
            continue  # a hard-wrapped block is a paragraph
        title = _split_title(block.text)
        words = len(TOKEN.findall(title))
        if not 3 <= words <= 30 or len(title) > 250 or title.endswith((",", ":", ";")):
            continue
        if title.endswith(".") and not block.title_case:
            continue  # a sentence, not a headline
        if len(sentence_texts(title)) > 2 or BYLINE.match(title) or block.bio:
            continue
        score = (0.2 + block.overlap) * min(words, 15)
        if score > best_score:
            best, best_score = (i, title), score
    return best
