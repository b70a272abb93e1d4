"""The registry of stage implementations, built-in ones registered like a user's.

A stage is chosen by role and name (``create("clusterer", "online")``); a
user's own implementation is registered with ``register`` and then chosen the
same way. Do-nothing implementations let a stage be skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any

from parallax.corpus import Corpus
from parallax.models import Article, Link

Factory = Callable[[], Any]
_REGISTRY: dict[tuple[str, str], Factory] = {}

# Built-in stages as "module:attribute", imported only when chosen (model
# loading and heavy imports stay off the start-up path).
DEFAULT_STAGES: tuple[tuple[str, str, str], ...] = (
    ("html_extractor", "default", "parallax.extract.html:HtmlExtractor"),
    ("text_extractor", "default", "parallax.extract.text:PlainTextExtractor"),
    ("deduplicator", "default", "parallax.dedup:MinHashDeduplicator"),
    ("deduplicator", "none", "parallax.stages:NoDeduplication"),
    ("clusterer", "default", "parallax.cluster:OnlineClusterer"),
    ("clusterer", "none", "parallax.stages:OneStoryPerArticle"),
)


def register(role: str, name: str, factory: Factory) -> None:
    """Make an implementation available as ``create(role, name)``."""
    _REGISTRY[(role, name)] = factory


def _lazy(target: str) -> Factory:
    module, _, attribute = target.partition(":")
    return lambda: getattr(import_module(module), attribute)()


for _role, _name, _target in DEFAULT_STAGES:
    register(_role, _name, _lazy(_target))


def create(role: str, name: str = "default") -> Any:
    """A new instance of the implementation registered for ``role`` under ``name``."""
    try:
        factory = _REGISTRY[(role, name)]
    except KeyError:
        names = sorted(n for r, n in _REGISTRY if r == role)
        raise ValueError(f"no {role} named {name!r}; choose one of {names}") from None
    return factory()


class NoDeduplication:
    """Links nothing: every article counts as independent."""

    def features(self, article: Article) -> dict[str, bytes]:
        """No features."""
        return {}

    def link(self, article: Article, features: dict[str, bytes], corpus: Corpus) -> list[Link]:
        """No links."""
        return []


class OneStoryPerArticle:
    """Puts every article in a story of its own."""

    def features(self, article: Article) -> dict[str, bytes]:
        """No features."""
        return {}

    def assign(self, article: Article, features: dict[str, bytes], corpus: Corpus) -> str:
        """A new story named after the article's key."""
        return f"s{article.key[:12]}"

    def merges(self, corpus: Corpus) -> list[tuple[str, str]]:
        """Never merges."""
        return []

    def title(self, articles: Sequence[Article]) -> str:
        """The first article's title."""
        return articles[0].title if articles else ""
