"""Quantities in a sentence: value, canonical unit, approximation and what is measured.

Rule-based. A number (digits or words, with a currency and scale around it)
is read with the unit after it, the qualifier before it ("about", "more than")
and the thing it counts or measures: the noun phrase after it ("10,000 North
Korean soldiers") or the head before "of" ("a range of about 300km"). A
parenthetical conversion ("300km (190 miles)") joins the quantity it
converts. Years, dates, times, ordinals and labels ("World War 3", "F-16")
are not quantities. ``same_quantity`` and ``same_measure`` let a later stage
tell agreement from conflict.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from parallax.analyse.sentences import split_sentences
from parallax.analyse.units import (
    APPROX,
    CURRENCY,
    SCALE,
    SCALE_ABBR,
    SMALL,
    SYNONYMS,
    TENS,
    UNITS,
    VAGUE,
    WORD_VALUE,
    lemma,
)
from parallax.models import Sentence


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity of a sentence in a canonical unit, with its span there.

    ``approx`` is "exact", "about", "over" or "under"; ``low``..``high`` is the
    range of values the wording allows (rounding and qualifier), canonical unit.
    ``about`` is the lemma of what is counted or measured ("soldier", "range").
    """

    value: float
    unit: str
    kind: str
    approx: str
    about: str
    text: str
    start: int
    end: int
    low: float
    high: float
    modifiers: tuple[str, ...] = ()
    phrase: str = ""
    forms: tuple[str, ...] = ()


# One named group per unit, so a match says which unit it read.
_UNIT_RE = re.compile(
    r"(?:\s?|-)(?:" + "|".join(f"(?P<u{i}>{p})" for i, (p, *_) in enumerate(UNITS)) + r")(?![\w²])"
)
_WORD = "|".join(
    [f"(?:{'|'.join(TENS)})(?:-(?:{'|'.join(SMALL[1:10])}))?", *sorted(SMALL, key=len)[::-1]]
)
_BIG = r"hundred|thousand|million|billion|trillion|dozen"
_NUMBER = re.compile(
    r"(?P<vague>\b(?:" + "|".join(sorted(VAGUE, key=len, reverse=True)) + r")\b)"
    r"|(?P<cur>US\$|\$US|[ACS]\$|NZ\$|HK\$|\$|£|€|¥|₹|₽|₴|\b(?:USD|EUR|GBP) ?)?"
    r"(?P<num>(?:(?<=\$US)|(?<![\w.,]))(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,]\d))"
    r"(?P<range>(?<!from \d) ?(?:-|–|to) ?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)?"
    r"(?: ?(?P<scale>thousand|million|billion|trillion|bn|mn|mln|tn|[kmb])(?![\w%]))?"
    r"|(?P<words>\b(?:a (?=(?:" + _BIG + r")\b))?(?:" + _WORD + "|" + _BIG + r")"
    r"(?:(?:(?<=hundred) and |[ -])(?:" + _WORD + "|" + _BIG + r"))*\b)",
    re.IGNORECASE,
)
_QUALIFIER = re.compile(
    r"(?:\b(?:just|well|only|some|an estimated|estimated)\s+)?\b(?P<q>about|around|approximately|"
    r"roughly|some|an estimated|estimated|nearly|almost|close to|up to|as many as|as much as|"
    r"more than|over|at least|upwards of|in excess of|fewer than|less than|under|below|above|"
    r"exactly|precisely|just|only|a total of)\s+$",
    re.IGNORECASE,
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_BEFORE_DAY = re.compile(_MONTH + r"\.?\s+$", re.IGNORECASE)
_AFTER_DAY = re.compile(r"(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"\b", re.IGNORECASE)
_NOT_QUANTITY_AFTER = re.compile(
    r"(?:st|nd|rd|th)\b|\s?:\s?\d\d|\s?(?:a\.\s?m\.|p\.\s?m\.|am\b|pm\b|GMT|UTC|ET\b|BST)|"
    r"'?s\b|[A-Za-z]",
)
# The minutes of a clock time: "at 3:33", "at 3: 33" (tokenised text).
_CLOCK_BEFORE = re.compile(r"\d\s?:\s?$")
_STOP = frozenset(
    """
    the a an this that these those its their his her our my your to in on at by for from with
    into over under against across between during since until after before about around near
    per than as of via toward towards through amid including and or but nor so while because
    if when where which who whom whose is are was were be been being has have had will would
    could should can may might must do does did it they he she we i you also already still
    just only now then more less each apiece ago later earlier old every all some other such
    not no yet said says say told left most once again even here there today yesterday
    alone respectively apiece despite amid among following ahead within without beyond inside
    outside throughout upon onto off out like unlike
    fell hit struck went came took made sent held rose ran began won lost fought brought kept
    paid met saw became gave found flew grew led set put cut shot spread burnt got stood
    """.split()
)
# Capitalised words before ", 35," that are not a person: dates, places in datelines.
_NOT_NAMES = frozenset(
    """January February March April May June July August September October November
    December Monday Tuesday Wednesday Thursday Friday Saturday Sunday""".split()
)
_DETERMINERS = frozenset("the a an his her their its them him it this that these those".split())
_CHUNK_WORD = re.compile(r"\s*([A-Za-z][\w’'\-]*)")
_LABEL_OK = frozenset(
    """
    about around over nearly almost some only just at the more than some another all with by in
    of up least roughly approximately estimated fewer less under below above and or but to
    """.split()
)


def _words_value(text: str) -> float:
    total, current = 0.0, 0.0
    for word in re.split(r"[\s-]+", text.lower()):
        if word in ("a", "and"):
            current = current or (1.0 if word == "a" else 0.0)
        elif word in WORD_VALUE:
            current += WORD_VALUE[word]
        elif word == "dozen":
            current = (current or 1.0) * 12
        elif word == "hundred":
            current = (current or 1.0) * 100
        elif word in SCALE:
            total += (current or 1.0) * SCALE[word]
            current = 0.0
    return total + current


def _half_unit(written: str, value: float) -> float:
    """Half the last significant place of a written number, at most 5% of it."""
    digits = written.replace(",", "")
    if "." in digits:
        half = 0.5 * 10 ** -len(digits.split(".")[1])
    else:
        stripped = digits.rstrip("0")
        half = 0.5 * 10 ** (len(digits) - len(stripped)) if stripped else 0.5
    return max(min(half, 0.05 * abs(value)), 1e-9) if value else half


@dataclass(slots=True)
class _Raw:
    value: float
    kind: str
    unit: str
    factor: float
    approx: str
    low: float
    high: float
    start: int
    end: int  # end of number and unit
    form: str
    about: str = ""
    modifiers: tuple[str, ...] = ()
    phrase: str = ""
    noun_end: int = 0


def _to_canonical(value: float, factor: float) -> float:
    return (value - 32) * 5 / 9 if factor < 0 else value * factor


def _noun_chunk(sentence: str, pos: int) -> tuple[str, tuple[str, ...], str, int]:
    """The noun phrase starting at ``pos``: (head lemma, modifiers, phrase, end)."""
    rest = sentence[pos:]
    skip = re.match(r"\s+of\s+(?:the\s+|its\s+|their\s+|these\s+|those\s+)?", rest)
    offset = skip.end() if skip else 0
    words: list[re.Match[str]] = []
    at = offset
    while len(words) < 4:
        m = _CHUNK_WORD.match(rest, at)
        if not m or m.group(1).lower() in _STOP or m.group(1).lower().endswith("ly"):
            break
        word, low = m.group(1), m.group(1).lower()
        nxt = _CHUNK_WORD.match(rest, m.end())
        following = nxt.group(1).lower() if nxt else ""
        if word.islower() and low.endswith("ed") and (words or not following or following in _STOP):
            break  # a verb, not an adjective: "11 civilians killed in ..."
        if word.islower() and low.endswith("ing") and (following in _DETERMINERS or len(words) > 1):
            break  # a participle: "a $2 billion rail line linking …"
        words.append(m)
        at = m.end()
        if re.search(r"[’']s$", word) or (
            word.islower() and re.search(r"(?:[^s]s|people|men|ren)$", low)
        ):
            break  # a plural common noun or a possessive ends the phrase
    if not words:
        return "", (), "", pos
    texts = [w.group(1) for w in words]
    mods: list[str] = []
    for word in texts[:-1]:
        if mods and word[0].isupper() and mods[-1][0].isupper():
            mods[-1] += " " + word  # "North Korean"
        else:
            mods.append(word)
    end = pos + words[-1].end()
    return lemma(texts[-1]), tuple(mods), " ".join(texts), end


_SPENT_ON = re.compile(r"\s+(?:on|for)\s+(?:the\s+|its\s+|their\s+|new\s+)?")
_MORE_THAN_SPAN = re.compile(r"\b(?:for|of|in|after|took|lasted|spent)\s+$")
_CHANGE_BEFORE = re.compile(
    r"\b([A-Za-z][\w\-]*)\s+(?:has\s+|have\s+|had\s+)?(?:rose|risen|rises|fell|fallen|falls|"
    r"climbed|dropped|jumped|increased|decreased|declined|grew|grown|stood|stands|reached|hit|"
    r"slipped|surged|soared|plunged)\s+(?:to|by|at|from)?\s*$"
)


def _head_before_of(before: str) -> tuple[str, tuple[str, ...]]:
    """ "a top range of" -> ("range", ("top",))."""
    m = re.search(r"((?:[A-Za-z][\w\-]*\s+){0,2}[A-Za-z][\w\-]*)\s+of\s*$", before)
    change = _CHANGE_BEFORE.search(before)
    if change and not m:  # "turnout rose to 64%"
        return lemma(change.group(1)), ()
    if not m:
        if re.search(r"\bvalu(?:ed|ing|ation)\b[^.;]{0,80}\bat\s*$", before, re.IGNORECASE):
            return "valuation", ()
        return "", ()
    words = m.group(1).split()
    while words and any(w.lower() in _STOP for w in words):
        cut = max(i for i, w in enumerate(words) if w.lower() in _STOP)
        words = words[cut + 1 :]
    if not words:
        return "", ()
    return lemma(words[-1]), tuple(w.lower() for w in words[:-1])


def _is_label_or_date(sentence: str, m: re.Match[str]) -> bool:
    """Years, days of months, times, ordinals and labels like "World War 3" or "G7"."""
    num = m.group("num")
    start, after = m.start("num"), sentence[m.end() :]
    window = max(0, m.start() - 60)
    before = sentence[window : m.start()]
    if m.group("cur") or m.group("scale"):
        return False
    if _BEFORE_DAY.search(before) or _AFTER_DAY.match(sentence[m.end("num") :]):
        return True
    if _CLOCK_BEFORE.search(before):
        return True
    if _NOT_QUANTITY_AFTER.match(sentence[m.end("num") :]) and not _UNIT_RE.match(
        sentence[m.end("num") :]
    ):
        return True
    if re.fullmatch(r"1[89]\d\d|20\d\d", num) and not _UNIT_RE.match(after):
        return True
    if start and (sentence[start - 1] in "-/#" and re.search(r"[A-Za-z]-$", before)):
        return True  # F-16, Su-34
    label = re.search(r"\b([A-Z][\w\-]*)\s+$", before)
    if label and label.group(1).lower() not in _LABEL_OK:
        starts_sentence = not sentence[: window + label.start()].strip()
        return not starts_sentence
    return False


def _raw(sentence: str, m: re.Match[str]) -> _Raw | None:
    window = max(0, m.start() - 60)
    before = sentence[window : m.start()]
    start, end = m.start(), m.end()
    if m.group("vague"):
        value, low, high, approx = VAGUE[m.group("vague").lower()]
        raw = _Raw(value, "count", "count", 1.0, approx, low, high, start, end, m.group())
    else:
        if m.group("num") and _is_label_or_date(sentence, m):
            return None
        if m.group("words"):
            written = m.group("words")
            value = _words_value(written)
            if written.lower() in ("one", "a", "zero") and not _UNIT_RE.match(sentence[end:]):
                return None
            half = 0.5 if value < 100 else _half_unit(str(int(value)), value)
        else:
            written = m.group("num")
            value = float(written.replace(",", ""))
            half = _half_unit(written, value)
            scale = (m.group("scale") or "").lower()
            if scale and (scale in SCALE or m.group("cur") or scale in ("bn", "mn", "mln")):
                factor = SCALE.get(scale) or SCALE_ABBR[scale]
                value, half = value * factor, half * factor
            elif scale in ("m", "b") and (
                _PEOPLE_AFTER.match(sentence, m.end())
                or ("." in written and _MILLIONS_AFTER.match(sentence, m.end()))
            ):
                # "3.2m units", "40m people": a count in millions, not metres
                factor = SCALE_ABBR[scale]
                value, half = value * factor, half * factor
            elif scale:  # "300m" with no currency is metres: give the letter back
                end = m.end("num")
        raw = _Raw(value, "count", "count", 1.0, "exact", value - half, value + half, start, end,
                   sentence[start:end])  # fmt: skip
        if m.group("range"):
            top = float(re.sub(r"[^\d.]", "", m.group("range")))
            if top < value and "to" not in m.group("range") and not m.group("cur"):
                # "voted 9-4", "won 3-1": a tally or score, not a range of values.
                raw.kind, raw.unit, raw.low, raw.high = "score", "score", value, value
                raw.phrase = f"{written}-{m.group('range').strip(' -–')}"
                return raw
            raw.value, raw.high, raw.approx = (value + top) / 2, top, "about"
        currency = (m.group("cur") or "").strip().lower()
        if currency:
            raw.kind, raw.unit = "money", CURRENCY[currency]
    if raw.kind == "count":
        _read_unit(sentence, raw)
    if raw.approx == "exact":
        _qualify(raw, before, window)
    if raw.kind == "count" and before.endswith(("aged ", "age ")):
        raw.kind, raw.unit = "age", "years"
    elif raw.kind == "count" and _is_appositive_age(sentence, raw, before):
        raw.kind, raw.unit = "age", "years"  # "Jerry Ortiz, 35, was shot"
    return raw


_NAME_BEFORE = re.compile(r"\b[A-Z][\w’'\-]+(?: [A-Z]\.)?(?:,? (?:Jr|Sr)\.?| I{2,3}| IV)?,\s*$")
_AFTER_AGE = re.compile(r"\s*(?:,|;|\)|\.(?!\d)|$)")


def _is_appositive_age(sentence: str, raw: _Raw, before: str) -> bool:
    """A plain whole number between commas right after a name is that person's age."""
    if raw.approx != "exact" or not 1 <= raw.value < 120 or raw.value != int(raw.value):
        return False
    name = _NAME_BEFORE.search(before)
    if name is None or not _AFTER_AGE.match(sentence, raw.end):
        return False
    return name.group().split()[0].rstrip(",") not in _NOT_NAMES


def _qualify(raw: _Raw, before: str, window: int) -> None:
    """Apply "about", "more than", "nearly" … written before the number to its range."""
    q = _QUALIFIER.search(before)
    if not q:
        return
    word = q.group("q").lower()
    # "fell over 18 months" is a span of time; "for over 18 months" is more than 18.
    if (
        raw.kind == "duration"
        and word == "over"
        and not _MORE_THAN_SPAN.search(before[: q.start()])
    ):
        return
    approx, lo, hi = APPROX.get(word, ("exact", 1.0, 1.0))
    if approx == "about":
        spread = max(raw.high - raw.value, 0.1 * raw.value)
        raw.low, raw.high = raw.value - spread, raw.value + spread
    elif approx != "exact":
        raw.low, raw.high = min(raw.low, raw.value * lo), max(raw.high, raw.value * hi)
    raw.approx, raw.start = approx, window + q.start("q")


_CURRENCY_AFTER = re.compile(
    r"\s(dollars?|euros?|yen|yuan|r[o]?ubles|hryvnias|rupees|pounds sterling)\b", re.I
)


_MONEY_NEAR = re.compile(
    r"\b(?:pay|paid|payment|offer\w*|cost\w*|worth|fine[sd]?|salar\w+|wage\w*|bonus\w*|price\w*|"
    r"spen[dt]\w*|fund\w*|grant\w*|budget\w*|sterling|compensation|raise|loan|debt|"
    r"deal|bill|tax\w*|profit\w*|revenue\w*|sale\w*|earn\w*)\b",
    re.IGNORECASE,
)
# "3.2m units", "40m people": counts in millions (a bare "400m" is metres).
_MILLIONS_AFTER = re.compile(r"\s+(?:[a-z][a-z\-]*\s+){0,2}[a-z][a-z\-]*[^s\W]s\b")
_PEOPLE_AFTER = re.compile(r"\s+(?:people|residents|users|viewers|customers|voters)\b")


def _read_unit(sentence: str, raw: _Raw) -> None:
    """The unit written after the number, if any, converted to the canonical unit."""
    u = _UNIT_RE.match(sentence, raw.end)
    if not u:
        cur = _CURRENCY_AFTER.match(sentence, raw.end)
        if cur:  # "6 billion dollars", "3 million pounds"
            raw.kind, raw.unit, raw.end = "money", CURRENCY[cur.group(1).lower()], cur.end()
        return
    token = u.group(u.lastgroup or 0)
    _, kind, unit, factor = UNITS[int((u.lastgroup or "u0")[1:])]
    if (
        kind == "weight"
        and token.startswith("pound")
        and (
            raw.value >= 1e6 or _MONEY_NEAR.search(sentence[max(0, raw.start - 50) : u.end() + 30])
        )
    ):
        raw.kind, raw.unit, raw.end = "money", "GBP", u.end()  # "a payment of 1,000 pounds"
        raw.form = sentence[raw.start : raw.end]
        return
    if token == "m" and raw.value >= 1e6:
        return
    raw.kind, raw.unit, raw.factor, raw.end = kind, unit, factor, u.end()
    raw.value, raw.low, raw.high = (
        _to_canonical(v, factor) for v in (raw.value, raw.low, raw.high)
    )
    raw.form = sentence[raw.start : raw.end]


def _describe(sentence: str, raw: _Raw) -> None:
    if raw.kind == "score":
        head, mods, _, noun_end = _noun_chunk(sentence, raw.end)
        around = sentence[max(0, raw.start - 40) : raw.end + 40]
        voted = re.search(r"\bvot(?:e|ed|es|ing)\b", around)
        raw.about = "vote" if voted else head
        raw.modifiers, raw.noun_end = (mods, noun_end) if head else ((), 0)
        return
    if raw.kind in ("count", "money"):
        head, mods, phrase, noun_end = _noun_chunk(sentence, raw.end)
        if raw.kind == "count" and head:
            raw.about, raw.modifiers, raw.phrase, raw.noun_end = head, mods, phrase, noun_end
            return
        before, mods_before = _head_before_of(sentence[max(0, raw.start - 100) : raw.start])
        spent_on = _SPENT_ON.match(sentence, raw.end)
        if not (head or before) and spent_on:  # "spent €450,000 on posters"
            head, mods, phrase, _ = _noun_chunk(sentence, spent_on.end())
        raw.about, raw.modifiers = (before, mods_before) if before else (head, mods)
        raw.phrase = before or phrase
        return
    if raw.kind == "age":
        raw.about = "age"
        person = re.match(r"\s+([A-Z][\w\-]*)", sentence[raw.end :])  # "81-year-old Democrat"
        named = _NAME_BEFORE.search(sentence, 0, raw.start)  # "Ortiz, 35,"
        if person:
            raw.modifiers = (person.group(1),)
        elif named and named.end() >= raw.start - 1:
            raw.modifiers = (named.group().split()[0].rstrip(","),)
        return
    head, mods = _head_before_of(sentence[max(0, raw.start - 100) : raw.start])
    if not head and raw.kind not in ("duration", "percent"):
        head, mods, _, _ = _noun_chunk(sentence, raw.end)
    raw.about, raw.modifiers, raw.phrase = head, mods, " ".join((*mods, head)).strip()


_DIGIT_TRIGGER = re.compile(r"(?<![\d,.])\d")
_WORD_TRIGGER = re.compile(
    r"(?:" + "|".join(sorted([*WORD_VALUE, *SCALE, "dozen"], key=len, reverse=True)) + ")"
)
# Where a number can begin relative to its digit ("US$5") or word ("a few dozen").
_DIGIT_STARTS = (4, 3, 2, 1, 0)
_WORD_STARTS = (8, 7, 6, 2, 0)


def _starts(sentence: str) -> list[int]:
    """Positions where the number pattern may match: near digits and number words only.

    One big case-blind pattern scanned over every character is slow; a digit scan
    and a lower-case word scan are not.
    """
    starts: set[int] = set()
    for m in _DIGIT_TRIGGER.finditer(sentence):
        starts.update(m.start() - k for k in _DIGIT_STARTS if m.start() >= k)
    lower = sentence.lower()
    if len(lower) == len(sentence):
        for m in _WORD_TRIGGER.finditer(lower):
            if not (m.start() and lower[m.start() - 1].isalpha()):
                starts.update(m.start() - k for k in _WORD_STARTS if m.start() >= k)
    return sorted(starts)


def _iter_raw(sentence: str) -> Iterator[_Raw]:
    taken = 0
    for at in _starts(sentence):
        if at < taken:
            continue
        m = _NUMBER.match(sentence, at)
        if m is None:
            continue
        raw = _raw(sentence, m)
        if raw is not None:
            taken = raw.end
            yield raw


def _metric(factor: float) -> bool:
    """True for a unit that is the canonical one times a power of ten (metres for km)."""
    return factor > 0 and abs(math.log10(factor) - round(math.log10(factor))) < 1e-9


def find_quantities(sentence: str) -> list[Quantity]:
    """Every quantity in ``sentence`` with value, unit, approximation and what it measures."""
    raws = list(_iter_raw(sentence))
    out: list[Quantity] = []
    i = 0
    while i < len(raws):
        raw, forms, end = raws[i], [raws[i].form], raws[i].end
        low, high = raw.low, raw.high
        nxt = raws[i + 1] if i + 1 < len(raws) else None
        if nxt and raw.kind not in ("count",) and nxt.kind == raw.kind and nxt.unit == raw.unit:
            gap = sentence[raw.end : nxt.start]
            close = re.match(r"\s*\)", sentence[nxt.end :])
            if re.fullmatch(r"\s*\(\s*(?:or\s+|about\s+|around\s+)?", gap) and close:
                forms.append(nxt.form)
                low, high = min(low, nxt.low), max(high, nxt.high)
                if (_metric(nxt.factor) and not _metric(raw.factor)) or (
                    nxt.factor == 1.0 and raw.factor != 1.0
                ):
                    raw.value = nxt.value  # keep the figure written in (a metric) canonical unit
                end = nxt.end + close.end()
                i += 1
        _describe(sentence, raw)
        if raw.noun_end > end:
            end = raw.noun_end
        text = sentence[raw.start : end]
        fields = (round(raw.value, 6), raw.unit, raw.kind, raw.approx, raw.about, text, raw.start)
        out.append(Quantity(*fields, end, low, high, raw.modifiers, raw.phrase, tuple(forms)))
        i += 1
    return out


def quantities_in(text: str, article: str = "") -> list[tuple[Sentence, Quantity]]:
    """Every quantity of a whole text, each with its sentence (offsets are the sentence's)."""
    return [(s, q) for s in split_sentences(text, article) for q in find_quantities(s.text)]


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """True when two quantities could be the same figure (unit, rounding and qualifiers)."""
    if a.kind != b.kind or a.unit != b.unit:
        return False
    if a.kind == "score":
        return a.phrase == b.phrase
    return max(a.low, b.low) <= min(a.high, b.high) + 1e-9 * max(abs(a.value), abs(b.value), 1)


def same_measure(a: Quantity, b: Quantity) -> bool:
    """True when two quantities measure the same thing ("soldiers" and "troops" do)."""
    if a.kind != b.kind or a.unit != b.unit or not a.about or not b.about:
        return False
    if a.about != b.about and not any(a.about in g and b.about in g for g in SYNONYMS):
        return False
    # "Ukrainian soldiers" and "Russian soldiers" are different counts.
    proper_a = {m.lower() for m in a.modifiers if m[:1].isupper()}
    proper_b = {m.lower() for m in b.modifiers if m[:1].isupper()}
    return not (proper_a and proper_b and not proper_a & proper_b)
