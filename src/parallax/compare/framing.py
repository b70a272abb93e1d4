"""Each outlet's framing: the loaded, evaluative, hedging and attributing words it uses itself.

Words inside a quote with a named speaker are the speaker's and are left out;
the same term in the same sentence counts once per outlet.
"""

from __future__ import annotations

from collections.abc import Sequence

from parallax.analyse.framing import FramingLexicon, framing_terms
from parallax.models import Article, FramingTerm


def compare_framing(
    articles: Sequence[Article], lexicon: FramingLexicon | None = None
) -> dict[str, tuple[FramingTerm, ...]]:
    """Framing terms per outlet (outlets in name order, terms in text order)."""
    by_outlet: dict[str, list[FramingTerm]] = {}
    seen: set[tuple[str, str, str]] = set()
    for article in articles:
        terms = by_outlet.setdefault(article.outlet, [])
        for term in framing_terms(article.text, article.key, lexicon):
            key = (article.outlet, term.term.casefold(), term.sentence)
            if key not in seen:
                seen.add(key)
                terms.append(term)
    return {outlet: tuple(by_outlet[outlet]) for outlet in sorted(by_outlet, key=str.casefold)}
