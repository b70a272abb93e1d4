"""Extracting many documents: worker processes give what one process gives, in input order."""

from __future__ import annotations

import pytest

from parallax.config import Settings
from parallax.extract import many
from parallax.extract.many import extract_many
from parallax.models import Article, Failure, MediaType, RawDocument


def page(n: int) -> RawDocument:
    body = (
        f"<html><head><title>Harbour notice {n}</title></head><body><article>"
        f"<h1>Harbour notice {n}</h1><p>The Velmora harbour office said ferry {n} would "
        "sail again on Monday after repairs to its hull were finished ahead of time.</p>"
        "<p>Passengers with tickets for the cancelled crossings can use them until May.</p>"
        "</article></body></html>"
    )
    return RawDocument(id=f"notice-{n}.html", body=body.encode(), media_type=MediaType.HTML)


def documents() -> list[RawDocument | Failure]:
    docs: list[RawDocument | Failure] = [page(n) for n in range(many.POOL_AFTER + 6)]
    docs[3] = Failure("missing.html", "missing.html: no such file; check the path")
    docs[7] = RawDocument(id="blank.txt", body=b"  \n ", media_type=MediaType.TEXT)
    return docs


def outcomes(workers: int) -> list[tuple[str, str]]:
    out = []
    for name, result in extract_many(documents(), Settings(), workers=workers):
        out.append((name, result.title if isinstance(result, Article) else result.reason))
    return out


def test_workers_give_the_same_results_in_input_order() -> None:
    alone, pooled = outcomes(workers=1), outcomes(workers=2)
    assert pooled == alone
    names = [name for name, _ in pooled]
    assert names == [d.input if isinstance(d, Failure) else d.id for d in documents()]
    assert pooled[0] == ("notice-0.html", "Harbour notice 0")
    assert pooled[3] == ("missing.html", "missing.html: no such file; check the path")
    assert pooled[7][0] == "blank.txt" and "no text" in pooled[7][1]


def test_a_few_documents_never_start_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("workers started for a handful of documents")

    monkeypatch.setattr(many, "_in_workers", refuse)
    results = list(extract_many([page(1), page(2)], Settings(), workers=2))
    assert [name for name, _ in results] == ["notice-1.html", "notice-2.html"]
