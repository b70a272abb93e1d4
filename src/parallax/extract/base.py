"""What every extractor shares: the protocol and the outlet fallback."""

from __future__ import annotations

from pathlib import PurePath
from typing import Protocol
from urllib.parse import urlsplit

from parallax.models import Article, RawDocument


class Extractor(Protocol):
    """Turns a raw document into a clean article."""

    def extract(self, doc: RawDocument) -> Article: ...


def domain_of(url: str | None) -> str | None:
    """The host of ``url`` without ``www.``, or None."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def fallback_outlet(doc: RawDocument) -> str:
    """Outlet when metadata names none: the URL's domain, else the file's or id's name.

    A bare text file counts as its own outlet, so independent-source counts
    stay meaningful.
    """
    if doc.hints.outlet:
        return doc.hints.outlet
    domain = domain_of(doc.url)
    if domain:
        return domain
    name = PurePath(doc.id).name
    for suffix in (".gz", ".html", ".htm", ".txt", ".md"):
        name = name.removesuffix(suffix)
    return name or doc.id
