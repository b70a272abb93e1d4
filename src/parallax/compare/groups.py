"""Which articles are independent sources: a copy or rewrite counts under its original's outlet.

Articles joined by links (duplicate, syndicated, derived) form a group, as
``parallax.dedup`` counts them; each group reports as the outlet of its
original, so a wire story run by ten outlets is one source and two articles
of one outlet are one source. A fact is a consensus only when two sources
report it.
"""

from __future__ import annotations

from collections.abc import Sequence

from parallax.dedup import independent_groups
from parallax.dedup.sources import group_original
from parallax.models import Article, Link


def independence_groups(articles: Sequence[Article], links: Sequence[Link]) -> list[int]:
    """Source number of each article, in order: the outlet of its group's original."""
    outlet_of = {a.key: a.outlet.casefold() for a in articles}
    source_of: dict[str, str] = {}
    for group in independent_groups([a.key for a in articles], links):
        original = outlet_of[group_original(group, links)]
        for key in group:
            source_of[key] = original
    numbering: dict[str, int] = {}
    return [numbering.setdefault(source_of[a.key], len(numbering)) for a in articles]


def derived_copies(articles: Sequence[Article], links: Sequence[Link]) -> set[int]:
    """Indices of articles that copy or rewrite another article of the story."""
    index = {a.key: i for i, a in enumerate(articles)}
    return {index[ln.target] for ln in links if ln.target in index and ln.source in index}
