"""robots.txt rules per origin, read the way RFC 9309 says.

A 2xx answer is parsed (the first 512 KiB); 4xx means no rules; 5xx means
the whole site is off limits; a robots.txt that cannot be reached at all is
taken as no rules, so a site without one is still readable (RFC 9309 would
have us stop; we follow the project's choice and read on).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from protego import Protego

from parallax.errors import ParallaxError

# RFC 9309 asks crawlers to parse at least 500 KiB.
ROBOTS_MAX_BYTES = 512 * 1024
# A robots.txt may ask for a crawl delay; more than this would stall a run.
MAX_CRAWL_DELAY_S = 60.0


@dataclass(frozen=True, slots=True)
class RobotsAnswer:
    """What the server said when asked for robots.txt."""

    status: int
    body: bytes = b""


class RobotsRules:
    """Cached robots.txt verdicts for one user agent, one entry per origin."""

    def __init__(self, user_agent: str, load: Callable[[str], RobotsAnswer]) -> None:
        self._user_agent = user_agent
        self._load = load
        # origin -> parsed rules; None means everything is allowed.
        self._rules: dict[str, Protego | None] = {}

    def _for(self, origin: str) -> Protego | None:
        if origin not in self._rules:
            self._rules[origin] = self._parse(origin)
        return self._rules[origin]

    def _parse(self, origin: str) -> Protego | None:
        try:
            answer = self._load(f"{origin}/robots.txt")
        except ParallaxError:
            return None
        if 200 <= answer.status < 300:
            return Protego.parse(answer.body[:ROBOTS_MAX_BYTES].decode("utf-8", "replace"))
        if answer.status >= 500:
            return Protego.parse("User-agent: *\nDisallow: /\n")
        return None

    def allowed(self, origin: str, url: str) -> bool:
        """Whether robots.txt at ``origin`` lets our user agent fetch ``url``."""
        rules = self._for(origin)
        return rules is None or bool(rules.can_fetch(url, self._user_agent))

    def crawl_delay(self, origin: str) -> float:
        """The crawl delay robots.txt at ``origin`` asks of us (0 when none), capped."""
        rules = self._for(origin)
        delay = rules.crawl_delay(self._user_agent) if rules is not None else None
        return min(float(delay or 0.0), MAX_CRAWL_DELAY_S)
