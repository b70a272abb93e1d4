"""Whether two stories are told about different people: a test on their names.

Two stories of the same kind of event (two navies seizing pirates, two
boxers defending a title) can be as similar, article to article, as two halves
of one story. What gives them away is a name that most articles of one story
carry and the other story's never do ("INS Mysore" against "INS Sukanya"). The
G statistic (log-likelihood ratio) of each name's presence across the two
groups measures that; it grows with the number of articles, so two small
halves of one story, which differ by chance, are not told apart.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from parallax.cluster.text import Profile


def g_statistic(present_a: int, size_a: int, present_b: int, size_b: int) -> float:
    """G statistic of a 2x2 table: a key present in some of group a's and group b's items."""
    total = size_a + size_b
    present = present_a + present_b
    g = 0.0
    for observed, row, column in (
        (present_a, size_a, present),
        (size_a - present_a, size_a, total - present),
        (present_b, size_b, present),
        (size_b - present_b, size_b, total - present),
    ):
        if observed > 0:
            g += observed * math.log(observed * total / (row * column))
    return 2.0 * g


def name_contrast(a: Sequence[Profile], b: Sequence[Profile]) -> float:
    """The largest G statistic over the names of two groups of articles (0 when either is empty)."""
    if not a or not b:
        return 0.0
    counts_a = Counter(name for p in a for name in p.names)
    counts_b = Counter(name for p in b for name in p.names)
    return max(
        (
            g_statistic(counts_a[name], len(a), counts_b[name], len(b))
            for name in counts_a.keys() | counts_b.keys()
        ),
        default=0.0,
    )
