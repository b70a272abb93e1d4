"""Ingest: sources (files, folders, stdin, URLs, feeds, OPML, sitemaps, WARC, JSONL) to documents.

``read_sources`` is the entry point; ``PoliteFetcher`` is the safe fetcher it
uses for the web, and ``FetchCache`` is what a store implements so
conditional GETs survive restarts.
"""

from __future__ import annotations

from parallax.ingest.addresses import AddressGuard, Resolver, non_public_reason, system_resolver
from parallax.ingest.sniff import Kind, sniff
from parallax.ingest.sources import SourceReader, is_url, read_sources
from parallax.ingest.web import FetchCache, Fetcher, FetchResult, MemoryFetchCache, PoliteFetcher

__all__ = [
    "AddressGuard",
    "FetchCache",
    "FetchResult",
    "Fetcher",
    "Kind",
    "MemoryFetchCache",
    "PoliteFetcher",
    "Resolver",
    "SourceReader",
    "is_url",
    "non_public_reason",
    "read_sources",
    "sniff",
    "system_resolver",
]
