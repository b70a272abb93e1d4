"""The bundled demo corpus: fictional outlets reporting fictional events, written for Parallax."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from importlib.resources import files
from pathlib import Path, PurePath

from parallax.config import Settings
from parallax.models import Failure, RawDocument
from parallax.outlets import OutletRegistry


def corpus_path() -> Path:
    """The folder holding the demo corpus."""
    return Path(str(files("parallax.demo") / "corpus"))


def outlets() -> OutletRegistry:
    """The demo's declared outlets."""
    return OutletRegistry.load(corpus_path() / "outlets.toml")


def _scrape_origins() -> dict[str, dict[str, str]]:
    """Where each bare text scrape came from, as its MANIFEST records it."""
    manifest = tomllib.loads((corpus_path() / "MANIFEST.toml").read_text(encoding="utf-8"))
    return {
        entry["file"]: entry
        for entry in manifest.get("article", [])
        if not entry.get("outlet_in_file", True) and "file" in entry
    }


def documents(settings: Settings | None = None) -> Iterator[RawDocument | Failure]:
    """The corpus's documents; a scraped text file gets the URL, outlet and date it came from.

    A user ingesting scrapes would pass the same in JSONL; the demo keeps its
    scrapes as plain files to show the text cleaner at work.
    """
    from parallax.ingest import read_sources

    origins = _scrape_origins()
    for item in read_sources([str(corpus_path())], settings or Settings()):
        origin = origins.get(PurePath(item.id).name) if isinstance(item, RawDocument) else None
        if origin is None or not isinstance(item, RawDocument):
            yield item
            continue
        hints = replace(
            item.hints,
            outlet=origin.get("outlet"),
            published=datetime.fromisoformat(origin["published"])
            if "published" in origin
            else None,
        )
        yield replace(item, url=origin.get("url"), hints=hints)
