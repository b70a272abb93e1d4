"""The default deduplicator: exact hashes, MinHash LSH for copies, lead vectors for rewrites.

Per article it computes three features, persisted by the store with the article:

- ``exact``: a hash of the normalised body (exact duplicates, whatever the URL);
- ``minhash``: the MinHash signature of the body's word shingles;
- ``lead-vec``: the MiniLM vector of the title and first sentences (float32).

``link`` finds candidates in in-memory indexes rebuilt lazily from the
corpus's stored features on first use, judges each against the stored article
(``copies`` for duplicates and syndicated copies, ``rewrite`` for derived
ones) and then adds the new article to the indexes.

Why lead vectors: a rewrite shares few word shingles with its original, so
MinHash never proposes it; but its opening says what the original's says.
The ``REWRITE_CANDIDATES`` stored articles whose lead vectors are nearest
(cosine at least ``LEAD_SIMILARITY``) get the sentence alignment, which is the
costly step, so its cost per article is bounded whatever the corpus size; the
alignment's opening screen (``rewrite``) keeps most of those pairs from
embedding more than a few sentences. ``prepare`` embeds a chunk's leads in one
batch before ``features`` asks for them one at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from parallax.analyse.sentences import sentence_texts
from parallax.corpus import Corpus
from parallax.dedup.copies import CopyEvidence, body_shingles, compare_shingles
from parallax.dedup.minhash import BandIndex, MinHasher, MinHashParams
from parallax.dedup.normalise import body_lines, fingerprint
from parallax.dedup.rewrite import detect_rewrite
from parallax.embed import Embedder, default_embedder
from parallax.models import Article, Link, LinkKind

log = logging.getLogger(__name__)

EXACT = "exact"
MINHASH = "minhash"
LEAD_VECTOR = "lead-vec"
LEAD_SENTENCES = 3
LEAD_SIMILARITY = 0.55
REWRITE_CANDIDATES = 5
# More candidates than this from LSH means a boilerplate-only text; those sharing most bands stay.
MAX_COPY_CANDIDATES = 50


def lead_text(article: Article) -> str:
    """The title and the first sentences of the body: what the article is about."""
    body = " ".join(body_lines(article.text))
    lead = " ".join(sentence_texts(body)[:LEAD_SENTENCES])
    return f"{article.title}\n{lead}".strip()


def copy_direction(a: Article, b: Article, evidence: CopyEvidence) -> tuple[Article, Article]:
    """(original, copy) of two copies: the earlier publication, else the fuller body, else a."""
    if a.published and b.published and a.published != b.published:
        return (a, b) if a.published < b.published else (b, a)
    if evidence.sizes[1] > evidence.sizes[0] and evidence.kind is LinkKind.SYNDICATED:
        return b, a
    return a, b


def copy_link(a: Article, b: Article, evidence: CopyEvidence) -> Link | None:
    """The duplicate or syndicated link between two articles, or None when not copies."""
    kind = evidence.kind
    if kind is None:
        return None
    original, copy = copy_direction(a, b, evidence)
    return Link(source=original.key, target=copy.key, kind=kind, score=round(evidence.score, 4))


_SCORE_BLOCK = 1024


class _VectorTable:
    """Rows appended one at a time into a buffer that doubles, so adds stay O(1) amortised."""

    def __init__(self, dimensions: int = 0) -> None:
        self.keys: list[str] = []
        self._rows = np.zeros((64, dimensions), dtype=np.float32)

    def add(self, key: str, vector: np.ndarray) -> None:
        if self._rows.shape[1] != len(vector):
            if self.keys:
                log.warning("ignoring lead vector of %s: %d dimensions", key, len(vector))
                return
            self._rows = np.zeros((64, len(vector)), dtype=np.float32)
        if len(self.keys) == len(self._rows):
            self._rows = np.concatenate([self._rows, np.zeros_like(self._rows)])
        self._rows[len(self.keys)] = vector
        self.keys.append(key)

    def nearest(self, vector: np.ndarray, k: int, minimum: float) -> list[str]:
        """Keys of the ``k`` rows most similar to ``vector`` with cosine at least ``minimum``."""
        if not self.keys or self._rows.shape[1] != len(vector):
            return []
        rows = self._rows[: len(self.keys)]
        # In blocks: one product over many rows runs on BLAS threads, which then spin and
        # take CPU from the model and the extraction worker (CPU time outgrew wall time).
        scores = np.concatenate(
            [rows[i : i + _SCORE_BLOCK] @ vector for i in range(0, len(rows), _SCORE_BLOCK)]
        )
        top = np.argpartition(-scores, min(k, len(scores)) - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [self.keys[i] for i in top if scores[i] >= minimum]


@dataclass(slots=True)
class _Indexes:
    corpus_id: int
    keys: list[str] = field(default_factory=list)
    exact: dict[bytes, list[int]] = field(default_factory=dict)
    lsh: BandIndex = field(default_factory=BandIndex)
    leads: _VectorTable = field(default_factory=_VectorTable)


class MinHashDeduplicator:
    """Exact, near-duplicate, syndicated and derived links for each new article."""

    def __init__(
        self,
        params: MinHashParams | None = None,
        *,
        rewrites: bool = True,
        embedder: Embedder | None = None,
    ) -> None:
        self.params = params or MinHashParams()
        self.rewrites = rewrites
        self._hasher = MinHasher(self.params)
        self._embedder = embedder
        self._indexes: _Indexes | None = None

    @property
    def embedder(self) -> Embedder:
        """The sentence embedder (the process-wide one unless one was passed in)."""
        if self._embedder is None:
            self._embedder = default_embedder()
        return self._embedder

    def prepare(self, articles: Sequence[Article]) -> None:
        """Embed the leads of articles about to be ingested in one batch (``features`` reuses them).

        The embedder caches by content, so this only fills its cache: the
        features are exactly those ``features`` computes alone.
        """
        if self.rewrites and articles:
            self.embedder.embed([lead_text(a) for a in articles])

    def features(self, article: Article) -> dict[str, bytes]:
        """The exact hash, MinHash signature and (with rewrites on) lead vector of an article."""
        out = {
            EXACT: fingerprint(article.text),
            MINHASH: self._hasher.encode(body_shingles(article.text, self.params)),
        }
        if self.rewrites:
            vector = self.embedder.embed([lead_text(article)])[0]
            out[LEAD_VECTOR] = vector.astype(np.float32).tobytes()
        return out

    def link(self, article: Article, features: dict[str, bytes], corpus: Corpus) -> list[Link]:
        """Links between ``article`` and stored articles; then ``article`` joins the indexes."""
        indexes = self._load(corpus)
        links: dict[str, Link] = {}
        shingles = body_shingles(article.text, self.params)
        for key in self._copy_candidates(indexes, features):
            if key == article.key or key in links:
                continue
            stored = corpus.article(key)
            if stored is None or stored.id == article.id:  # a new version is not a copy
                continue
            evidence = compare_shingles(body_shingles(stored.text, self.params), shingles)
            link = copy_link(stored, article, evidence)
            if link is not None:
                links[key] = link
        if self.rewrites and LEAD_VECTOR in features:
            for key in self._rewrite_candidates(indexes, features[LEAD_VECTOR]):
                if key == article.key or key in links:
                    continue
                stored = corpus.article(key)
                if stored is not None and stored.id != article.id:
                    link = detect_rewrite(stored, article, self.embedder)
                    if link is not None:
                        links[key] = link
        self._remember(indexes, article.key, features)
        return list(links.values())

    # -- indexes ---------------------------------------------------------

    def _load(self, corpus: Corpus) -> _Indexes:
        """The indexes for ``corpus``, rebuilt from its stored features when first seen."""
        if self._indexes is not None and self._indexes.corpus_id == id(corpus):
            return self._indexes
        indexes = _Indexes(corpus_id=id(corpus), lsh=BandIndex(self.params))
        for key, data in corpus.features(EXACT):
            indexes.exact.setdefault(data, []).append(self._number(indexes, key))
        numbers, signatures = [], []
        for key, data in corpus.features(MINHASH):
            try:
                _, signature = self._hasher.decode(data)
            except ValueError as exc:
                log.warning("ignoring stored minhash of %s: %s", key, exc)
                continue
            numbers.append(self._number(indexes, key))
            signatures.append(signature)
        indexes.lsh.add_many(numbers, np.array(signatures))
        for key, data in corpus.features(LEAD_VECTOR):
            indexes.leads.add(key, np.frombuffer(data, dtype=np.float32))
        self._indexes = indexes
        return indexes

    def _number(self, indexes: _Indexes, key: str) -> int:
        indexes.keys.append(key)
        return len(indexes.keys) - 1

    def _remember(self, indexes: _Indexes, key: str, features: dict[str, bytes]) -> None:
        number = self._number(indexes, key)
        if EXACT in features:
            indexes.exact.setdefault(features[EXACT], []).append(number)
        if MINHASH in features:
            indexes.lsh.add(number, self._hasher.decode(features[MINHASH])[1])
        if LEAD_VECTOR in features:
            indexes.leads.add(key, np.frombuffer(features[LEAD_VECTOR], dtype=np.float32))

    def _copy_candidates(self, indexes: _Indexes, features: dict[str, bytes]) -> list[str]:
        """Stored articles with the same exact hash, then LSH hits by bands shared."""
        numbers = list(indexes.exact.get(features.get(EXACT, b""), []))
        if MINHASH in features:
            hits, bands = indexes.lsh.query(self._hasher.decode(features[MINHASH])[1])
            numbers.extend(int(n) for n in hits[np.argsort(-bands, kind="stable")])
        keys = list(dict.fromkeys(indexes.keys[n] for n in numbers))
        return keys[:MAX_COPY_CANDIDATES]

    def _rewrite_candidates(self, indexes: _Indexes, lead: bytes) -> list[str]:
        """Stored articles whose lead vectors are nearest the new article's."""
        vector = np.frombuffer(lead, dtype=np.float32)
        return indexes.leads.nearest(vector, REWRITE_CANDIDATES, LEAD_SIMILARITY)
