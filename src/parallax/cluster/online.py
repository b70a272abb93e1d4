"""Online story clustering: each article joins the best story or starts one.

An article is compared with the stories of its nearest neighbours (by lead
embedding, among the articles of its time window and the undated ones, through
``DatedIndex``), story by story, as the mean probability that it reports the
same event as the story's members (average linkage, on at most ``members`` of
them). It joins the best story whose linkage clears the
join threshold and whose dated span it falls within (``window_days``), else it
founds a story named after itself. ``merges`` then joins stories that grew
towards each other, with the same linkage, so the order articles arrive in
matters little. The in-memory state is rebuilt from the store on first use.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from parallax.cluster.contrast import name_contrast
from parallax.cluster.index import DatedIndex
from parallax.cluster.model import ClusterModel, load_models
from parallax.cluster.similarity import Evidence, cross_features, evidence, pair_features
from parallax.cluster.text import Profile, profile
from parallax.cluster.titles import central_headline
from parallax.corpus import Corpus
from parallax.embed import Embedder, default_embedder
from parallax.models import Article

# Members of a story whose neighbours are searched for stories to merge with.
MERGE_PROBES = 4

VECTOR = "cluster.vector"
PROFILE = "cluster.profile"
DATE = "cluster.date"


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Tunables of ``OnlineClusterer``; thresholds default to the fitted model's."""

    # An article dated further than this outside a story's dated span cannot join it.
    window_days: int = 60
    # Nearest articles looked up per new article; their stories are the candidates.
    neighbours: int = 24
    # Members of a story an article is compared with (evenly spread over the story).
    members: int = 16
    # Members per story compared when two stories are weighed for a merge.
    merge_members: int = 8
    # Above 1, no article joins (every one founds a story) or no stories merge.
    join_threshold: float | None = None
    merge_threshold: float | None = None
    # Stories whose names differ this clearly (G statistic, see ``contrast``) never merge.
    max_name_contrast: float = 16.0
    # Parsed article profiles kept in memory (the rest are re-read from the store).
    cache_size: int = 8192
    # Up to this many articles the neighbour search is exact; beyond, HNSW (usearch).
    exact_limit: int = 2048

    def __post_init__(self) -> None:
        for name in ("neighbours", "members", "merge_members", "cache_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"ClusterSettings.{name} must be at least 1")
        if self.window_days < 0:
            raise ValueError("ClusterSettings.window_days must be 0 or more")


def story_id_for(article: Article) -> str:
    """The id of a story founded by ``article``: stable, derived from its key."""
    return f"s{article.key[:12]}"


def features_of(articles: Sequence[Article], embedder: Embedder) -> list[dict[str, bytes]]:
    """What the clusterer stores with each article: lead vector, profile, date (one batch)."""
    profiles = [profile(a.title, a.text, a.url, a.published) for a in articles]
    leads = [p.lead or a.title or a.text[:200] for p, a in zip(profiles, articles, strict=True)]
    vectors = embedder.embed(leads) if leads else np.zeros((0, embedder.dimensions))
    return [
        {
            VECTOR: np.asarray(vector, dtype=np.float32).tobytes(),
            PROFILE: found.to_bytes(),
            DATE: found.when.isoformat().encode() if found.when else b"",
        }
        for found, vector in zip(profiles, vectors, strict=True)
    ]


class OnlineClusterer:
    """Incremental average-link clustering of articles into events."""

    def __init__(
        self,
        embedder: Embedder | None = None,
        model: ClusterModel | None = None,
        settings: ClusterSettings | None = None,
    ) -> None:
        self._embedder = embedder
        self._model = model
        self.settings = settings or ClusterSettings()
        self._prepared: dict[str, dict[str, bytes]] = {}
        self._corpus: Corpus | None = None
        self._reset()

    @property
    def embedder(self) -> Embedder:
        """The embedder (MiniLM unless one was passed in), loaded on first use."""
        if self._embedder is None:
            self._embedder = default_embedder()
        return self._embedder

    @property
    def model(self) -> ClusterModel:
        """The pair model (the shipped one unless one was passed in)."""
        if self._model is None:
            self._model = load_models().cluster
        return self._model

    @property
    def join_threshold(self) -> float:
        """Linkage at which an article joins a story."""
        chosen = self.settings.join_threshold
        return self.model.join_threshold if chosen is None else chosen

    @property
    def merge_threshold(self) -> float:
        """Linkage at which two stories merge."""
        chosen = self.settings.merge_threshold
        return self.model.merge_threshold if chosen is None else chosen

    def _reset(self) -> None:
        self._index: DatedIndex | None = None
        self._keys: list[str] = []
        self._label: dict[str, int] = {}
        self._when: dict[int, date] = {}
        self._story: dict[int, str] = {}
        self._members: dict[str, list[int]] = {}
        self._span: dict[str, tuple[date, date]] = {}
        self._cache: OrderedDict[int, Evidence] = OrderedDict()
        self._dirty: set[str] = set()

    # -- the stage interface ----------------------------------------------

    def prepare(self, articles: Sequence[Article]) -> None:
        """Compute the features of articles about to be ingested in one batch (much faster)."""
        todo = [a for a in articles if a.key not in self._prepared]
        for article, found in zip(todo, features_of(todo, self.embedder), strict=True):
            self._prepared[article.key] = found

    def features(self, article: Article) -> dict[str, bytes]:
        """Lead vector (float32), profile (JSON) and stated date of ``article``."""
        prepared = self._prepared.pop(article.key, None)
        return prepared or features_of([article], self.embedder)[0]

    def assign(self, article: Article, features: dict[str, bytes], corpus: Corpus) -> str:
        """The story ``article`` joins (an existing one, or a new id); updates the index."""
        self._load(corpus)
        if VECTOR not in features or PROFILE not in features:
            features = features | self.features(article)
        if article.key in self._label:  # seen already (a retried document)
            return self._story[self._label[article.key]]
        found = self._evidence_from(features)
        label = self._add(article.key, found)
        best_story, best_link = None, self.join_threshold
        candidates = self._candidate_stories(found.vector, found.profile.when, exclude=label)
        for story, near in candidates.items():
            if not self._within_window(found.profile.when, story):
                continue
            # The mean over a story cannot reach the bar if no near member does (nearly
            # always the best pairs): a cheap screen before the full linkage.
            if self._linkage([found], near, reduce=np.max) < best_link:
                continue
            link = self._linkage([found], self._sample(self._members[story]))
            if link >= best_link and (best_story is None or link > best_link):
                best_story, best_link = story, link
        story = best_story or story_id_for(article)
        self._join(label, story)
        return story

    def merges(self, corpus: Corpus) -> list[tuple[str, str]]:
        """(absorbed, surviving) story pairs among stories changed since the last call."""
        self._load(corpus)
        merged: list[tuple[str, str]] = []
        queue = deque(sorted(self._dirty, key=self._founder))
        self._dirty.clear()
        while queue:
            story = queue.popleft()
            if story not in self._members:
                continue
            other = self._best_merge(story)
            if other is None:
                continue
            survivor, absorbed = sorted((story, other), key=self._founder)
            for label in self._members.pop(absorbed):
                self._join(label, survivor)
            self._span.pop(absorbed, None)
            merged.append((absorbed, survivor))
            queue.append(survivor)
        return merged

    def title(self, articles: Sequence[Article]) -> str:
        """The most central headline among ``articles``."""
        return central_headline(articles, self.embedder)

    # -- state ------------------------------------------------------------

    def _load(self, corpus: Corpus) -> None:
        """Rebuild the in-memory index from ``corpus`` the first time it is seen."""
        if corpus is self._corpus:
            return
        self._reset()
        self._corpus = corpus
        dates = {key: data.decode() for key, data in corpus.features(DATE) if data}
        for key, data in corpus.features(VECTOR):
            story = corpus.story_of(key)
            if story is None:
                continue
            when = date.fromisoformat(dates[key]) if key in dates else None
            label = self._add_vector(key, np.frombuffer(data, dtype=np.float32), when)
            self._join(label, story, dirty=False)

    def _add_vector(self, key: str, vector: np.ndarray, when: date | None) -> int:
        if self._index is None:
            self._index = DatedIndex(
                len(vector),
                span_days=max(1, self.settings.window_days),
                exact_limit=self.settings.exact_limit,
            )
        label = len(self._keys)
        self._keys.append(key)
        self._label[key] = label
        self._index.add(label, vector, when)
        if when is not None:
            self._when[label] = when
        return label

    def _add(self, key: str, found: Evidence) -> int:
        label = self._add_vector(key, found.vector, found.profile.when)
        self._remember(label, found)
        return label

    def _join(self, label: int, story: str, *, dirty: bool = True) -> None:
        self._story[label] = story
        members = self._members.setdefault(story, [])
        members.append(label)
        if len(members) > 1 and members[-2] > label:
            members.sort()
        when = self._when.get(label)
        if when is not None:
            first, last = self._span.get(story, (when, when))
            self._span[story] = (min(first, when), max(last, when))
        if dirty:
            self._dirty.add(story)

    def _founder(self, story: str) -> int:
        return self._members[story][0] if self._members.get(story) else -1

    # -- evidence -------------------------------------------------------------

    @staticmethod
    def _evidence_from(features: dict[str, bytes]) -> Evidence:
        vector = np.frombuffer(features[VECTOR], dtype=np.float32)
        return evidence(vector, Profile.from_bytes(features[PROFILE]))

    def _remember(self, label: int, found: Evidence) -> None:
        self._cache[label] = found
        self._cache.move_to_end(label)
        while len(self._cache) > self.settings.cache_size:
            self._cache.popitem(last=False)

    def _evidence(self, label: int) -> Evidence | None:
        found = self._cache.get(label)
        if found is not None:
            self._cache.move_to_end(label)
            return found
        if self._corpus is None:
            return None
        key = self._keys[label]
        vector = self._corpus.feature(key, VECTOR)
        data = self._corpus.feature(key, PROFILE)
        if vector is None or data is None:
            return None
        found = self._evidence_from({VECTOR: vector, PROFILE: data})
        self._remember(label, found)
        return found

    # -- decisions ----------------------------------------------------------------

    def _candidate_stories(
        self, vector: np.ndarray, when: date | None, exclude: int
    ) -> dict[str, list[int]]:
        """Stories of the nearest articles, nearest first, with their members found."""
        assert self._index is not None
        stories: dict[str, list[int]] = {}
        for label, _ in self._index.search(vector, self.settings.neighbours + 1, when):
            if label != exclude and label in self._story:
                stories.setdefault(self._story[label], []).append(label)
        return stories

    def _pair_probability(self, a: int, b: int) -> float:
        first, second = self._evidence(a), self._evidence(b)
        if first is None or second is None:
            return 0.0
        return self.model.probability(pair_features(first, second))

    def _sample(self, members: list[int], m: int | None = None) -> list[int]:
        """At most ``m`` (default ``members``) labels, evenly spread from oldest to newest."""
        m = m or self.settings.members
        if len(members) <= m:
            return members
        step = (len(members) - 1) / (m - 1) if m > 1 else 0
        return [members[round(i * step)] for i in range(m)]

    def _linkage(
        self,
        side: Sequence[Evidence],
        labels: Sequence[int],
        reduce: Callable[[np.ndarray], Any] = np.mean,
    ) -> float:
        """Mean (or other ``reduce``) same-event probability over pairs across two sides."""
        others = [e for e in (self._evidence(label) for label in labels) if e is not None]
        if not side or not others:
            return 0.0
        return float(reduce(self.model.probabilities(cross_features(side, others))))

    def _within_window(self, when: date | None, story: str) -> bool:
        span = self._span.get(story)
        if when is None or span is None:
            return True
        window = self.settings.window_days
        return (span[0] - when).days <= window and (when - span[1]).days <= window

    def _spans_meet(self, a: str, b: str) -> bool:
        span_a, span_b = self._span.get(a), self._span.get(b)
        if span_a is None or span_b is None:
            return True
        window = self.settings.window_days
        return (span_b[0] - span_a[1]).days <= window and (span_a[0] - span_b[1]).days <= window

    def _best_merge(self, story: str) -> str | None:
        """The story most linked to ``story`` above the merge threshold, if any."""
        assert self._index is not None
        mine = self._sample(self._members[story], self.settings.merge_members)
        # Candidates: stories near a few representatives of this one, with the pairs found.
        candidates: dict[str, list[tuple[int, int]]] = {}
        for label in self._sample(mine, MERGE_PROBES):
            found = self._evidence(label)
            if found is None:
                continue
            # Searched around the representative's own day: what it could merge with is near it.
            hits = self._index.search(found.vector, self.settings.neighbours, self._when.get(label))
            for hit, _ in hits:
                other = self._story.get(hit)
                if other is not None and other != story:
                    candidates.setdefault(other, []).append((label, hit))
        side = [e for e in (self._evidence(label) for label in mine) if e is not None]
        best, best_link = None, self.merge_threshold
        for other, near in candidates.items():
            if not self._spans_meet(story, other):
                continue
            if max(self._pair_probability(a, b) for a, b in near) < best_link:
                continue
            theirs = self._sample(self._members[other], self.settings.merge_members)
            link = self._linkage(side, theirs)
            if link < best_link or (best is not None and link == best_link):
                continue
            profiles = [e.profile for e in (self._evidence(label) for label in theirs) if e]
            if name_contrast([e.profile for e in side], profiles) > self.settings.max_name_contrast:
                continue
            best, best_link = other, link
        return best
