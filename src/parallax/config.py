"""Settings: every default and limit of Parallax in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path


def default_db_path() -> Path:
    """Where the store lives unless ``--db`` or ``PARALLAX_DB`` says otherwise."""
    return Path(os.environ.get("PARALLAX_DB", "parallax.db"))


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """Limits of the polite, safe fetcher."""

    user_agent: str = "ParallaxBot/0.1 (+https://github.com/parallax-news/parallax)"
    timeout_s: float = 20.0
    max_download_bytes: int = 20 * 1024 * 1024
    max_decompressed_bytes: int = 64 * 1024 * 1024
    max_redirects: int = 5
    host_delay_s: float = 1.0
    allow_private_hosts: bool = False
    obey_robots: bool = True


@dataclass(frozen=True, slots=True)
class Settings:
    """Every tunable of a run; ``Settings()`` is the default."""

    fetch: FetchSettings = FetchSettings()
    # Local files and decompressed pages above these fail fast with TooLarge.
    max_file_bytes: int = 64 * 1024 * 1024
    max_html_bytes: int = 16 * 1024 * 1024
    max_html_depth: int = 400
    max_text_chars: int = 2_000_000

    def with_fetch(self, **changes: object) -> Settings:
        """A copy with some fetcher settings changed."""
        return replace(self, fetch=replace(self.fetch, **changes))  # type: ignore[arg-type]
