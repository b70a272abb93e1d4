"""Training of the HTML block filter (`bench/extraction.py --train`).

Every page of both sets gives its candidate blocks (trafilatura's reading and
readability's second reading, see ``parallax.extract.secondopinion``), each
labelled by whether most of its 4-grams are in the page's truth. A boosted
tree ensemble is fitted on trafilatura's blocks; held-out scores run the
whole decision (filter both readings, keep the second where it wins) on
pages the model never saw: 5-fold cross-validation grouped by site, and
training on one set while scoring the other. The shipped model is fitted on
both sets and written to ``src/parallax/extract/_block_model.py``.
"""

from __future__ import annotations

import statistics
from typing import Any
from urllib.parse import urlsplit

from extraction import _TOKEN as TOKEN
from extraction import MODEL_PATH, ROOT, _raw, quality

Key = tuple[str, str]
Texts = list[tuple[str, int]]  # (text, words) per block


def _labels(blocks: list[Any], truth: str) -> list[int]:
    """1 where most of a block's 4-grams (or its whole text, if shorter) are in the truth."""
    tokens = TOKEN.findall(truth)
    shingles = set(zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False))
    joined = f" {' '.join(tokens)} "
    labels = []
    for block in blocks:
        own = TOKEN.findall(block.text)
        if len(own) < 4:
            labels.append(int(f" {' '.join(own)} " in joined))
            continue
        grams = list(zip(own, own[1:], own[2:], own[3:], strict=False))
        labels.append(int(sum(g in shingles for g in grams) >= 0.5 * len(grams)))
    return labels


def site(name: str, page: dict[str, Any]) -> str:
    """The page's site (host without www.), so that no site is in two folds."""
    host = urlsplit(page["url"] or "").netloc.lower().removeprefix("www.")
    return f"{name}/{host or page['id']}"


class Blocks:
    """Feature rows of every candidate block of every page, and where each came from."""

    def __init__(self, sets: dict[str, list[dict[str, Any]]]) -> None:
        import numpy as np

        from parallax.extract.blockfeatures import FEATURES
        from parallax.extract.html import TrafilaturaExtractor
        from parallax.models import MediaType, RawDocument

        extractor = TrafilaturaExtractor()
        rows, labels, weights, groups, owners = [], [], [], [], []
        second_rows, self.second_owners, second_groups = [], [], []
        self.texts: dict[Key, list[tuple[str, int]]] = {}
        self.second: dict[Key, list[tuple[str, int]]] = {}
        self.read_words: dict[Key, int] = {}
        for name, pages in sets.items():
            for page in pages:
                doc = RawDocument(page["id"], _raw(page["path"]), MediaType.HTML, page["url"])
                try:
                    blocks, second, read_words = extractor.readings(doc)
                except Exception:
                    continue
                key, group = (name, page["id"]), site(name, page)
                total = sum(b.words for b in blocks) or 1
                self.texts[key] = [(b.text, b.words) for b in blocks]
                self.second[key] = [(b.text, b.words) for b in second]
                self.read_words[key] = read_words
                for block, label in zip(blocks, _labels(blocks, page["truth"]), strict=True):
                    rows.append([block.features[f] for f in FEATURES])
                    labels.append(label)
                    weights.append(max(1, block.words) / total)  # each page counts alike
                    groups.append(group)
                    owners.append(key)
                for block in second:
                    second_rows.append([block.features[f] for f in FEATURES])
                    self.second_owners.append(key)
                    second_groups.append(group)
        self.x, self.y, self.w = np.array(rows), np.array(labels), np.array(weights)
        self.groups, self.owners = np.array(groups), owners
        self.second_x = np.array(second_rows).reshape(-1, len(FEATURES))
        self.second_groups = np.array(second_groups)

    def _kept(
        self,
        texts: dict[Key, list[tuple[str, int]]],
        owners: list[Key],
        probs: Any,
        threshold: float,
    ) -> dict[Key, list[tuple[str, int]]]:
        kept: dict[Key, list[tuple[str, int]]] = {key: [] for key in texts}
        cursor = dict.fromkeys(texts, 0)
        for key, p in zip(owners, probs, strict=True):
            if p >= threshold:
                kept[key].append(texts[key][cursor[key]])
            cursor[key] += 1
        return kept

    def evaluate(
        self,
        sets: dict[str, list[dict[str, Any]]],
        probs: Any,
        second_probs: Any,
        threshold: float,
        only: str | None = None,
    ) -> dict[str, float]:
        """Shingle F1 per set of the whole decision, from the blocks' probabilities."""
        from parallax.extract.secondopinion import prefer_second, worth_filtering

        kept = self._kept(self.texts, self.owners, probs, threshold)
        second = self._kept(self.second, self.second_owners, second_probs, threshold)
        out = {}
        for name, pages in sets.items():
            if only and name != only:
                continue
            preds = {}
            for page in pages:
                key = (name, page["id"])
                first = [text for text, _ in kept.get(key, [])]
                other = [text for text, _ in second.get(key, [])]
                words = sum(n for _, n in kept.get(key, []))
                better = worth_filtering(self.read_words.get(key, 0), words) and prefer_second(
                    first, other
                )
                preds[page["id"]] = "\n".join(other if better else first)
            out[name] = quality(pages, preds, 4)[0]
        return out


def model(depth: int, trees: int) -> Any:
    """The block filter's learner, untrained."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_depth=depth,
        max_iter=trees,
        learning_rate=0.1 if depth == 3 else 0.08,
        min_samples_leaf=40,
        early_stopping=False,
        random_state=0,
    )


def train(sets: dict[str, list[dict[str, Any]]]) -> None:
    """Fit the block filter on both sets, report held-out scores, write it."""
    import numpy as np
    from sklearn.model_selection import GroupKFold

    from parallax.extract.blockfeatures import FEATURES

    data = Blocks(sets)
    x, y, w = data.x, data.y, data.w
    folds = list(GroupKFold(n_splits=5).split(x, y, data.groups))
    print(f"{len(y)} blocks from {len(data.texts)} pages; 5-fold CV grouped by site")
    best: tuple[float, float, tuple[int, int]] = (0.0, 0.5, (3, 100))
    for shape in ((3, 100), (4, 150)):  # (tree depth, trees): chosen by held-out pages
        oof, second_oof = np.zeros(len(y)), np.zeros(len(data.second_x))
        for fit_rows, test_rows in folds:
            fitted = model(*shape).fit(x[fit_rows], y[fit_rows], sample_weight=w[fit_rows])
            oof[test_rows] = fitted.predict_proba(x[test_rows])[:, 1]
            held_out = np.isin(data.second_groups, np.unique(data.groups[test_rows]))
            if held_out.any():
                second_oof[held_out] = fitted.predict_proba(data.second_x[held_out])[:, 1]
        for threshold in (0.4, 0.5, 0.6):
            scores = data.evaluate(sets, oof, second_oof, threshold)
            print(
                f"  depth {shape[0]}, {shape[1]} trees, threshold {threshold}: "
                + "  ".join(f"{k} {v:.4f}" for k, v in scores.items())
            )
            best = max(best, (statistics.mean(scores.values()), threshold, shape))
    _, threshold, shape = best
    for fit_set, test_set in (("aeb", "wcxb-dev"), ("wcxb-dev", "aeb")):
        mask = np.array([o[0] == fit_set for o in data.owners])
        if not mask.any() or mask.all():
            continue
        fitted = model(*shape).fit(x[mask], y[mask], sample_weight=w[mask])
        probs = np.where(mask, 0.0, fitted.predict_proba(x)[:, 1])
        second = fitted.predict_proba(data.second_x)[:, 1] if len(data.second_x) else np.zeros(0)
        score = data.evaluate(sets, probs, second, threshold, only=test_set)[test_set]
        print(f"  trained on {fit_set} only: {test_set} {score:.4f}")
    final = model(*shape).fit(x, y, sample_weight=w)
    _write_model(final, threshold, FEATURES)
    from importlib import reload

    from parallax.extract import _block_model
    from parallax.extract.blockscorer import BlockScorer

    scorer = BlockScorer.from_module(reload(_block_model))
    gap = float(np.max(np.abs(scorer.score_matrix(x) - final.predict_proba(x)[:, 1])))
    print(
        f"wrote {MODEL_PATH.relative_to(ROOT)} (depth {shape[0]}, {shape[1]} trees, "
        f"threshold {threshold}; largest gap to sklearn {gap:.1e})"
    )


def _write_model(model: Any, threshold: float, features: tuple[str, ...]) -> None:
    trees = []
    depth = 0
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        depth = max(depth, int(nodes["depth"].max()))
        left = [int(n["left"]) if not n["is_leaf"] else -1 for n in nodes]
        right = [int(n["right"]) if not n["is_leaf"] else -1 for n in nodes]
        trees.append(
            (
                tuple(int(n["feature_idx"]) for n in nodes),
                tuple(float(n["num_threshold"]) for n in nodes),
                tuple(left),
                tuple(right),
                tuple(round(float(n["value"]), 6) for n in nodes),
            )
        )
    lines = [
        '"""Block filter model. Generated by `python bench/extraction.py --train`; do not edit."""',
        "",
        "# ruff: noqa: E501",
        "# fmt: off",
        f"FEATURES = {features!r}",
        f"THRESHOLD = {threshold!r}",
        f"DEPTH = {depth + 1}",
        f"BASELINE = {float(model._baseline_prediction.ravel()[0])!r}",
        "TREES = (",
        *(f"    {tree!r}," for tree in trees),
        ")",
        "",
    ]
    MODEL_PATH.write_text("\n".join(lines), encoding="utf-8")
