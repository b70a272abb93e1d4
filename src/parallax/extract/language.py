"""Which language an article is in, offline: writing system, then stop words.

No model is downloaded: non-Latin scripts are told apart by their Unicode
blocks, and Latin- and Cyrillic-script languages by the share of each
language's most frequent words, using the stop-word lists justext ships.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

_WORD = re.compile(r"\w+")


def resolve_language(declared: str | None, detected: tuple[str | None, float]) -> str | None:
    """The article's language: the declared code unless detection clearly says otherwise."""
    code, confidence = detected
    if declared and (code is None or code == declared or confidence < 0.12):
        return declared
    return code or declared


def detect_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code of ``text`` by writing system, else by stop-word share; and a confidence."""
    script = _script_language(text[:3000])
    if script:
        return script, 1.0
    words = Counter(w.lower() for w in _WORD.findall(text[:6000]))
    total = sum(words.values())
    if not total:
        return None, 0.0
    best, best_share = None, 0.0
    for code in _STOPLIST_FILES:
        stops = stop_words(code, top=60)
        share = sum(words[w] for w in words.keys() & stops) / total
        if share > best_share:
            best, best_share = code, share
    return (best, best_share) if best_share >= 0.05 else (None, best_share)


# justext ships stop-word lists (ranked by frequency) for many languages: reused as a
# tiny offline language identifier and as the block filter's stop-word density feature.
_STOPLIST_FILES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "sv": "Swedish",
    "da": "Danish",
    "no": "Norwegian_Bokmal",
    "fi": "Finnish",
    "pl": "Polish",
    "cs": "Czech",
    "sk": "Slovak",
    "hu": "Hungarian",
    "ro": "Romanian",
    "tr": "Turkish",
    "ru": "Russian",
    "uk": "Ukrainian",
    "el": "Greek",
    "id": "Indonesian",
    "hr": "Croatian",
    "ca": "Catalan",
}


@cache
def stop_words(code: str, top: int | None = None) -> frozenset[str]:
    """Lower-cased stop words of a language (its ``top`` most frequent), empty if unknown."""
    name = _STOPLIST_FILES.get(code)
    if name is None:
        return frozenset()
    import justext

    path = Path(justext.__file__).parent / "stoplists" / f"{name}.txt"
    with path.open(encoding="utf-8") as handle:
        words = [line.strip().lower() for line in handle if line.strip()]
    return frozenset(words[:top] if top else words)


_SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
)
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _script_language(sample: str) -> str | None:
    counts = {code: len(pattern.findall(sample)) for code, pattern in _SCRIPTS}
    latin = len(_LATIN.findall(sample))
    # kana marks Japanese even in text that is mostly kanji
    if counts["ja"] and counts["ja"] + counts["zh"] > latin:
        return "ja"
    best = max(counts, key=lambda code: counts[code])
    return best if counts[best] >= 20 and counts[best] > latin else None
