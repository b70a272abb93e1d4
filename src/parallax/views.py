"""Records turned into the JSON shapes of the CLI contract (shared with the API)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from parallax.models import Article, Audit, Link, Relation, Story


def iso(value: datetime | None) -> str | None:
    """A datetime as ISO 8601, or None."""
    return value.isoformat() if value else None


def extract_json(input_name: str, article: Article) -> dict[str, Any]:
    """One line of ``parallax extract --json``."""
    return {
        "input": input_name,
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "byline": article.byline,
        "published": iso(article.published),
        "outlet": article.outlet,
        "url": article.url,
        "language": article.language,
        "removed": list(article.removed),
        "provenance": article.provenance,
    }


def article_json(article: Article, story: str | None = None) -> dict[str, Any]:
    """An article with its stable key, for ``/api/articles/{key}``."""
    return {"key": article.key, "story": story} | extract_json(article.id, article)


def article_ref(article: Article) -> dict[str, Any]:
    """How a story lists one of its articles."""
    return {
        "id": article.id,
        "key": article.key,
        "outlet": article.outlet,
        "title": article.title,
        "published": iso(article.published),
        "url": article.url,
    }


def link_json(link: Link, id_of: dict[str, str]) -> dict[str, Any]:
    """A link between articles, named by article ids; ``from`` is the original."""
    return {
        "from": id_of.get(link.source, link.source),
        "to": id_of.get(link.target, link.target),
        "kind": link.kind.value,
        "score": round(link.score, 4),
        "aligned": [
            {"source": p.source, "rewrite": p.rewrite, "similarity": round(p.similarity, 4)}
            for p in link.aligned
        ],
        "unsupported": list(link.unsupported),
    }


def story_json(
    story: Story, articles: Sequence[Article], independent_sources: int
) -> dict[str, Any]:
    """One entry of ``parallax stories --json``."""
    return {
        "id": story.id,
        "title": story.title,
        "first_seen": iso(story.first_seen),
        "last_seen": iso(story.last_seen),
        "articles": [article_ref(a) for a in articles],
        "sources": len({a.outlet for a in articles}),
        "independent_sources": independent_sources,
    }


def relation_json(relation: Relation, id_of: dict[str, str] | None = None) -> dict[str, Any]:
    """One result of ``parallax relate --json``."""
    out: dict[str, Any] = {
        "same_story": round(relation.same_story, 4),
        "similarity": round(relation.similarity, 4),
        "near_duplicate": relation.near_duplicate,
        "derived": relation.derived,
    }
    if relation.link is not None:
        out["link"] = link_json(relation.link, id_of or {})
    return out


def audit_json(audit: Audit) -> dict[str, Any]:
    """One result of ``parallax verify --json``."""
    return {
        "consistent": audit.consistent,
        "score": round(audit.score, 4),
        "sentences": [
            {
                "text": s.text,
                "supported": s.supported,
                "score": round(s.score, 4),
                "evidence": list(s.evidence),
                "problems": list(s.problems),
            }
            for s in audit.sentences
        ],
    }
