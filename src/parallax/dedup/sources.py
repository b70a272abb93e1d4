"""Independent sources: one per group of articles that copy or rewrite each other.

A story that ten outlets ran from the same wire copy has one source. Articles
joined by any link (duplicate, syndicated, derived), directly or through
others, form a group; each group counts once, under the outlet of its
original (the article no link in the group points to, earliest key first when
there are several). Groups whose originals share an outlet count once, so an
outlet is never two sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from parallax.models import Link


class _UnionFind:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def independent_groups(keys: Sequence[str], links: Sequence[Link]) -> list[set[str]]:
    """``keys`` grouped by links among them (links to other articles are ignored)."""
    uf = _UnionFind(keys)
    for link in links:
        if link.source in uf.parent and link.target in uf.parent:
            uf.union(link.source, link.target)
    groups: dict[str, set[str]] = {}
    for key in keys:
        groups.setdefault(uf.find(key), set()).add(key)
    return list(groups.values())


def group_original(group: set[str], links: Sequence[Link]) -> str:
    """The article of a group that copies nothing in it (the smallest key among several)."""
    copies = {ln.target for ln in links if ln.source in group and ln.target in group}
    originals = sorted(group - copies)
    return originals[0] if originals else min(group)


def independent_sources(outlet_of: Mapping[str, str], links: Sequence[Link]) -> int:
    """How many outlets reported independently: one per group of linked articles."""
    keys = list(outlet_of)
    return len({outlet_of[group_original(g, links)] for g in independent_groups(keys, links)})
