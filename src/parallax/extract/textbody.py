"""The body of a plain text: the span of blocks where the article runs, and its topic.

The body is the contiguous span of blocks with the largest prose-minus-junk
sum, so junk runs at the head and tail fall outside it. It is found twice: the
second time knowing the body's words, so that paragraphs about other stories
(teasers) weigh little and furniture words the story is about ("an article
about cookies") stop counting as junk.
"""

from __future__ import annotations

from collections import Counter

from parallax.extract.textblocks import Block
from parallax.extract.textsignals import STRONG_JUNK, WEAK_JUNK, furniture_evidence


def find_body(blocks: list[Block]) -> tuple[int, int]:
    """The body's span, start and end (exclusive); rescores furniture and marks each topic."""
    span = _best_span([_weight(b, with_topic=False) for b in blocks])
    core = _mark_topic(blocks, span)
    for block in blocks:
        block.junk = block.evidence + furniture_evidence(block, core)
    _mark_topic(blocks, span)  # again: the rescored junk changes which blocks are the core
    return _best_span([_weight(b, with_topic=True) for b in blocks])


def _weight(block: Block, with_topic: bool) -> float:
    """What a block adds to the body span: prose counts for, junk against."""
    # Junk weighs little: it is removed on its own evidence; the span only finds the body.
    if block.junk >= STRONG_JUNK:
        return -1.2
    if block.junk >= WEAK_JUNK:
        return -0.7
    if block.prose:
        if with_topic and block.off_topic:
            return 0.3  # a complete paragraph about something else: a teaser
        return 1.0 + min(len(block.words), 100) / 25.0
    if block.snippet:
        return -1.0
    if with_topic and block.off_topic:
        return -0.8
    # Short lines cost little, so a list inside the article does not split it.
    return -0.15 if block.headline else 0.5


def _best_span(weights: list[float]) -> tuple[int, int]:
    """Start and end (exclusive) of the contiguous run with the largest sum."""
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, w in enumerate(weights):
        if total <= 0:
            total, start = 0.0, i
        total += w
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


def _mark_topic(blocks: list[Block], span: tuple[int, int]) -> Counter[str]:
    """Sets each block's word overlap with the body's prose; returns the body's stem counts."""
    in_core = [
        span[0] <= i < span[1] and block.prose and block.junk < 1.0
        for i, block in enumerate(blocks)
    ]
    core: Counter[str] = Counter()
    for block, own in zip(blocks, in_core, strict=True):
        if own:
            core.update(block.stems)
    anywhere = core.keys()
    elsewhere = {s for s, count in core.items() if count >= 2}  # for a core block: not its own
    overlaps = []
    for block, own in zip(blocks, in_core, strict=True):
        if not block.stems:
            block.overlap = 0.0
            continue
        shared = len(block.stems & elsewhere) if own else len(anywhere & block.stems)
        block.overlap = shared / len(block.stems)
        if own and len(block.stems) >= 3:
            overlaps.append(block.overlap)
    overlaps.sort()
    typical = overlaps[len(overlaps) // 2] if len(overlaps) >= 4 else 0.0
    for block in blocks:
        # 'unlike' is the weaker claim, also made in short bodies: no shared words at all.
        block.unlike = len(block.stems) >= 3 and block.overlap < max(0.35 * typical, 0.05)
        block.off_topic = False
        if typical < 0.15:
            continue  # a body too short or too loose for word overlap to say more
        if block.prose or block.snippet:
            block.off_topic = len(block.stems) >= 6 and block.overlap < 0.35 * typical
        else:
            block.off_topic = len(block.stems) >= 2 and block.overlap == 0.0
    return core
