"""When to poll a source next: a steady interval, doubled after each failure in a row.

A server's Retry-After is honoured (never polled sooner than it asks), but
capped, so a hostile or confused server cannot park a feed for ever.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Backoff never grows past this (unless --every itself is longer).
MAX_BACKOFF_S = 6 * 3600.0
# A Retry-After longer than this is taken as this.
MAX_RETRY_AFTER_S = 24 * 3600.0

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")


def parse_duration(text: str) -> float:
    """Seconds in a duration like ``3s``, ``15m``, ``1h30m``, ``2d`` or a bare ``90`` (seconds)."""
    value = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        seconds = float(value)
    elif value and _PART.sub("", value) == "":
        seconds = sum(float(n) * _UNITS[unit] for n, unit in _PART.findall(value))
    else:
        raise ValueError(f"{text!r} is not a duration; write it like 30s, 15m, 1h or 1h30m")
    if seconds <= 0:
        raise ValueError(f"{text!r}: the duration must be more than 0")
    return seconds


def format_duration(seconds: float) -> str:
    """A short human form of a duration: ``45s``, ``15m``, ``2h05m``."""
    seconds = max(0.0, seconds)
    if seconds < 10:
        return f"{seconds:.1f}s".replace(".0s", "s")
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s" if secs else f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


@dataclass(frozen=True, slots=True)
class Schedule:
    """Poll every ``every_s`` seconds; after failures in a row, wait twice as long each time."""

    every_s: float
    max_backoff_s: float = MAX_BACKOFF_S

    def __post_init__(self) -> None:
        if not self.every_s > 0:
            raise ValueError(f"Schedule.every_s must be more than 0, not {self.every_s!r}")

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        """Seconds until the next poll, after ``failures`` failed polls in a row (0: success)."""
        if failures <= 0:
            wait = self.every_s
        else:
            ceiling = max(self.max_backoff_s, self.every_s)
            wait = min(self.every_s * 2.0 ** min(failures, 32), ceiling)
        if retry_after is not None:
            wait = max(wait, min(retry_after, MAX_RETRY_AFTER_S))
        return wait
