"""OPML subscription lists opened up into their feeds, so each feed keeps its own schedule.

A list is read once, when a watch starts: local files that turn out to be
OPML, and URLs ending in ``.opml``. A list that cannot be read is watched as
it is, so its failure shows in the cycle log like any other source's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from parallax.config import Settings
from parallax.errors import ParallaxError
from parallax.ingest import is_url
from parallax.ingest.feeds import parse_opml
from parallax.ingest.files import read_file
from parallax.ingest.sniff import SNIFF_BYTES, Kind, sniff
from parallax.ingest.web import FetchResult


def _listed_feeds(
    source: str, settings: Settings, fetch: Callable[[str], FetchResult]
) -> tuple[str, ...] | None:
    """The feeds an OPML ``source`` names, or None when it is not a readable OPML list."""
    try:
        if is_url(source):
            if not urlsplit(source).path.lower().endswith(".opml"):
                return None
            result = fetch(source)
            body, base, ctype = result.body, result.url, result.content_type
        elif os.path.isfile(source):
            body, base, ctype = read_file(source, settings.max_file_bytes), None, None
        else:
            return None
        if sniff(body[:SNIFF_BYTES], source, ctype) is not Kind.OPML:
            return None
        return parse_opml(body, base, source)
    except (ParallaxError, OSError):
        return None


def expand_subscriptions(
    sources: Sequence[str], settings: Settings, fetch: Callable[[str], FetchResult]
) -> tuple[list[str], list[str]]:
    """Sources with each OPML list replaced by its feeds; and one note per list opened."""
    expanded: dict[str, None] = {}
    notes: list[str] = []
    for source in sources:
        feeds = _listed_feeds(source, settings, fetch)
        if feeds is None:
            expanded[source] = None
            continue
        notes.append(f"{source}: {len(feeds)} feed{'s' if len(feeds) != 1 else ''}")
        expanded.update(dict.fromkeys(feeds))
    return list(expanded), notes
