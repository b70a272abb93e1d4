"""Tables for reading quantities: number words, scales, currencies, units, qualifiers.

Data, kept apart from the parser in ``numbers.py``: extend a table here and the
parser reads the new words. Units map to a canonical unit per kind (lengths to
km, weights to kg, durations to days, speeds to km/h), so figures written in
different units compare directly.
"""

from __future__ import annotations

import math
import re

SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split()
)
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
WORD_VALUE = {w: i for i, w in enumerate(SMALL)} | {w: 20 + 10 * i for i, w in enumerate(TENS)}
SCALE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
SCALE_ABBR = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12}
# Vague amounts: (value, low, high, approx).
# fmt: off
VAGUE = {
    "a few dozen": (36, 24, 60, "about"), "several dozen": (36, 24, 100, "about"),
    "a dozen or so": (12, 10, 15, "about"), "dozens": (24, 24, 144, "over"),
    "a few hundred": (300, 200, 500, "about"), "several hundred": (300, 200, 900, "about"),
    "hundreds": (200, 200, 1000, "over"), "a few thousand": (3000, 2000, 5000, "about"),
    "several thousand": (3000, 2000, 9000, "about"), "thousands": (2000, 2000, 10000, "over"),
    "tens of thousands": (20000, 20000, 100000, "over"),
    "hundreds of thousands": (200000, 200000, 1e6, "over"), "millions": (2e6, 2e6, 1e7, "over"),
}
CURRENCY = {
    "us$": "USD", "$us": "USD", "a$": "AUD", "c$": "CAD", "nz$": "NZD", "hk$": "HKD",
    "s$": "SGD", "$": "USD",
    "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₽": "RUB", "₴": "UAH", "usd": "USD",
    "eur": "EUR", "gbp": "GBP", "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR",
    "yen": "JPY", "yuan": "CNY", "rubles": "RUB", "roubles": "RUB", "hryvnias": "UAH",
    "rupees": "INR", "pounds sterling": "GBP",
}
# fmt: on
# Unit words after a number: pattern -> (kind, canonical unit, factor to canonical).
UNITS: list[tuple[str, str, str, float]] = [
    (r"km/h|kmh|kph|kilomet(?:re|er)s? (?:per|an) hour", "speed", "km/h", 1.0),
    (r"mph|miles (?:per|an) hour", "speed", "km/h", 1.609344),
    (r"knots?", "speed", "km/h", 1.852),
    (r"sq(?:uare)?\.? ?(?:km|kilomet(?:re|er)s?)|km2|km²", "area", "km2", 1.0),
    (r"sq(?:uare)?\.? ?miles?", "area", "km2", 2.589988),
    (r"hectares?", "area", "km2", 0.01),
    (r"acres?", "area", "km2", 0.004046856),
    (r"nautical miles?", "length", "km", 1.852),
    (r"km|kms|kilomet(?:re|er)s?", "length", "km", 1.0),
    (r"miles?", "length", "km", 1.609344),
    (r"cm|centimet(?:re|er)s?", "length", "km", 1e-5),
    (r"mm|millimet(?:re|er)s?", "length", "km", 1e-6),
    (r"m|met(?:re|er)s?", "length", "km", 1e-3),
    (r"ft|feet|foot", "length", "km", 3.048e-4),
    (r"yards?", "length", "km", 9.144e-4),
    (r"inch(?:es)?", "length", "km", 2.54e-5),
    (r"kg|kgs|kilo(?:gram(?:me)?)?s?", "weight", "kg", 1.0),
    (r"tonnes?|tons?|t", "weight", "kg", 1000.0),
    (r"lbs?|pounds?", "weight", "kg", 0.45359237),
    (r"g|grams?|grammes?", "weight", "kg", 1e-3),
    (r"°C|° C|degrees? (?:Celsius|centigrade)", "temperature", "°C", 1.0),
    (r"°F|° F|degrees? Fahrenheit", "temperature", "°C", -1.0),
    (r"%|percent|per cent|pc", "percent", "%", 1.0),
    (r"percentage points?", "percent", "pp", 1.0),
    (r"years? old|-years?-old", "age", "years", 1.0),
    (r"-months?-old|months? old", "age", "years", 1 / 12),
    (r"seconds?|secs?", "duration", "days", 1 / 86400),
    (r"minutes?|mins?", "duration", "days", 1 / 1440),
    (r"hours?|hrs?", "duration", "days", 1 / 24),
    (r"days?", "duration", "days", 1.0),
    (r"weeks?", "duration", "days", 7.0),
    (r"months?", "duration", "days", 30.4375),
    (r"years?", "duration", "days", 365.25),
    (r"decades?", "duration", "days", 3652.5),
]
# Qualifier -> (approx, factor for the low end, factor for the high end).
APPROX = (
    dict.fromkeys(("about", "around", "approximately", "roughly", "some", "estimated",
                   "an estimated"), ("about", 0.9, 1.1))
    | dict.fromkeys(("nearly", "almost", "close to"), ("under", 0.85, 1.0))
    | dict.fromkeys(("up to", "as many as", "as much as", "fewer than", "less than", "under",
                     "below"), ("under", 0.0, 1.0))
    | dict.fromkeys(("more than", "over", "at least", "upwards of", "in excess of", "above"),
                    ("over", 1.0, math.inf))
)  # fmt: skip
IRREGULAR = {"children": "child", "men": "man", "women": "woman", "lives": "life"}
IRREGULAR |= {w: w for w in ("people", "personnel", "series", "news", "data")}
# Heads that count the same thing.
SYNONYMS = [set(group.split()) for group in (
    "soldier troop force fighter serviceman servicemember combatant",
    "civilian people person resident individual", "death dead fatality casualty",
    "injury injured wounded", "child kid minor", "drone uav", "range reach",
    "valuation value worth", "package pay compensation award",
    "round funding investment bet raise", "job position post role",
    "worker employee staffer staff workforce",
)]  # fmt: skip


def lemma(word: str) -> str:
    """A rough singular: "soldiers" -> "soldier", "casualties" -> "casualty"."""
    low = word.lower().strip("’'")
    if low in IRREGULAR:
        return IRREGULAR[low]
    if word.isupper() and len(word) > 1:
        return low
    if low.endswith("ies") and len(low) > 4:
        return low[:-3] + "y"
    if re.search(r"(?:ss|x|ch|sh)es$", low):
        return low[:-2]
    if low.endswith("s") and not re.search(r"(?:ss|us|is)$", low) and len(low) > 3:
        return low[:-1]
    return low
