"""Named entities by rule: capitalised phrases, small gazetteers, titles and suffixes.

No model: a phrase of capitalised words is split at titles ("German Chancellor
Olaf Scholz" gives a nationality and a person), possessives and connectors,
then classified by gazetteers (countries, demonyms, cities, organisations,
weapons) and by the words in or after it ("Institute", "region", "missiles").
Surnames are linked to the full name used in the same document, so
``canonical`` of "Kessel" is "Marta Kessel".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from parallax.analyse.sentences import split_spans

PERSON, PLACE, ORGANISATION, WEAPON, OTHER = "person", "place", "organisation", "weapon", "other"


@dataclass(frozen=True, slots=True)
class Entity:
    """A named thing as written in the text, its kind, span and canonical name."""

    text: str
    kind: str
    start: int
    end: int
    canonical: str
    role: str = ""
    possessive: bool = False


def _words(block: str) -> frozenset[str]:
    return frozenset(w.strip().lower() for w in block.split("|") if w.strip())


COUNTRIES = _words("""
Afghanistan|Albania|Algeria|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahrain|
Bangladesh|Belarus|Belgium|Bolivia|Bosnia|Brazil|Britain|Bulgaria|Cambodia|Cameroon|Canada|Chad|
Chile|China|Colombia|Congo|Croatia|Cuba|Cyprus|Czech Republic|Czechia|Denmark|Ecuador|Egypt|
Eritrea|Estonia|Ethiopia|Finland|France|Georgia|Germany|Ghana|Greece|Guatemala|Haiti|Honduras|
Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Japan|Jordan|Kazakhstan|Kenya|
Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Libya|Lithuania|Luxembourg|Malaysia|Mali|Malta|
Mexico|Moldova|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Nepal|Netherlands|New Zealand|
Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Norway|Oman|Pakistan|Palestine|Panama|
Paraguay|Peru|Philippines|Poland|Portugal|Qatar|Romania|Russia|Rwanda|Saudi Arabia|Senegal|
Serbia|Singapore|Slovakia|Slovenia|Somalia|South Africa|South Korea|South Sudan|Spain|Sri Lanka|
Sudan|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Tunisia|Turkey|Turkmenistan|
Uganda|Ukraine|United Arab Emirates|United Kingdom|United States|United States of America|
Uruguay|Uzbekistan|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe|US|USA|U.S.|U.S.A.|UK|U.K.|America|
England|Scotland|Wales|UAE
""")
PLACES = COUNTRIES | _words("""
Europe|Asia|Africa|Middle East|Latin America|North America|South America|Balkans|Baltics|
Caucasus|Siberia|Arctic|Atlantic|Pacific|Mediterranean|Black Sea|Red Sea|Gaza|Gaza Strip|
West Bank|Crimea|Donbas|Donbass|Kashmir|Tibet|Washington|Moscow|Kyiv|Kiev|London|Paris|Berlin|
Brussels|Beijing|Tokyo|Pyongyang|Seoul|Tehran|Jerusalem|Tel Aviv|Beirut|Damascus|Baghdad|Kabul|
Istanbul|Ankara|Cairo|Riyadh|Dubai|Doha|New York|Los Angeles|Chicago|San Francisco|Boston|
Houston|Miami|Toronto|Ottawa|Montreal|Sydney|Melbourne|Canberra|Delhi|New Delhi|Mumbai|
Islamabad|Shanghai|Hong Kong|Bangkok|Jakarta|Manila|Rome|Madrid|Lisbon|Vienna|Warsaw|Prague|
Budapest|Bucharest|Athens|Stockholm|Oslo|Copenhagen|Helsinki|Dublin|Amsterdam|Geneva|Zurich|
Munich|Minsk|Tbilisi|Kharkiv|Odesa|Odessa|Lviv|Donetsk|Luhansk|Mariupol|Kherson|Zaporizhzhia|
Kursk|Bryansk|Belgorod|Sevastopol|St Petersburg|Nairobi|Lagos|Johannesburg|Davos|The Hague|
California|Texas|Florida|Delaware|Pennsylvania|Ohio|Michigan|Georgia|Arizona|Nevada|Wisconsin|
Virginia|Alaska|Hawaii|Westchester|Brooklyn
""")
DEMONYMS = {
    d.lower(): c
    for part in """
American:United States|British:United Kingdom|Russian:Russia|Ukrainian:Ukraine|Chinese:China|
North Korean:North Korea|South Korean:South Korea|Korean:Korea|French:France|German:Germany|
Italian:Italy|Spanish:Spain|Polish:Poland|Hungarian:Hungary|Iranian:Iran|Israeli:Israel|
Palestinian:Palestine|Turkish:Turkey|Japanese:Japan|Indian:India|Pakistani:Pakistan|
Afghan:Afghanistan|Iraqi:Iraq|Syrian:Syria|Saudi:Saudi Arabia|Egyptian:Egypt|Canadian:Canada|
Mexican:Mexico|Brazilian:Brazil|Argentine:Argentina|Australian:Australia|Dutch:Netherlands|
Belgian:Belgium|Swedish:Sweden|Finnish:Finland|Norwegian:Norway|Danish:Denmark|Swiss:Switzerland|
Austrian:Austria|Greek:Greece|Czech:Czechia|Romanian:Romania|Belarusian:Belarus|Irish:Ireland|
Armenian:Armenia|Lebanese:Lebanon|Yemeni:Yemen|Qatari:Qatar|Nigerian:Nigeria|Kenyan:Kenya|
Venezuelan:Venezuela|Cuban:Cuba|Vietnamese:Vietnam|Taiwanese:Taiwan|Portuguese:Portugal|
Serbian:Serbia|Estonian:Estonia|Latvian:Latvia|Lithuanian:Lithuania|European:Europe|
Western:West|Scottish:Scotland|English:England|Welsh:Wales|Emirati:United Arab Emirates|
Republican:Republican Party|Democrat:Democratic Party|Democratic:Democratic Party|
Conservative:Conservative Party|Labour:Labour Party|Tory:Conservative Party|Islamist:Islamist
""".split("|")
    for d, c in [part.strip().split(":")]
}
ORGANISATIONS = _words("""
NATO|UN|United Nations|EU|European Union|G7|G20|IMF|World Bank|WHO|OPEC|ASEAN|BRICS|FBI|CIA|
NSA|Pentagon|Kremlin|White House|Congress|Senate|Parliament|Bundestag|Duma|Reuters|AFP|AP|
Associated Press|BBC|CNN|Fox News|Al Jazeera|Bloomberg|Politico|Axios|Hamas|Hezbollah|Houthis|
Taliban|ISIS|Wagner|Lockheed Martin|Boeing|Raytheon|Samsung|Amazon|Tesla|Microsoft|Google|
Apple|Meta|Nvidia|OpenAI|Instagram|Facebook|Twitter|YouTube|TikTok|LinkedIn|Democrats|
Republicans|Supreme Court|Downing Street|Elysee|Quincy
""")
WEAPONS = _words("""
ATACMS|HIMARS|SCALP|Storm Shadow|NASAMS|IRIS-T|Patriot|Javelin|Stinger|Taurus|Iskander|
Kinzhal|Kalibr|Shahed|Bayraktar|Abrams|Leopard|Bradley|Tomahawk|Hellfire|Reaper|Lancet|Oreshnik
""")
TITLES = _words("""
President|President-elect|Vice President|Prime Minister|Deputy Prime Minister|Chancellor|
Secretary|Secretary of State|Secretary of Defense|Secretary of Defence|Secretary-General|
Defense Secretary|Defence Secretary|Foreign Secretary|Home Secretary|Foreign Minister|
Defence Minister|Defense Minister|Minister|Senator|Sen.|Representative|Rep.|Congressman|
Congresswoman|Governor|Gov.|Mayor|General|Gen.|Admiral|Colonel|Col.|Captain|Lieutenant|
Sergeant|Commander|King|Queen|Prince|Princess|Pope|Judge|Justice|Chief Justice|Attorney General|
Ambassador|Speaker|Leader|Supreme Leader|Mr|Mr.|Mrs|Mrs.|Ms|Ms.|Dr|Dr.|Prof|Prof.|Professor|
Sheikh|CEO|Chairman|Chairwoman|Chief Executive|Director|Spokesman|Spokeswoman|Spokesperson|
Actor|Actress|Former|Outgoing|Incoming|Acting|Deputy|Lady|Lord|Sir|Dame|Father|Rabbi|Imam|
Adviser|Advisor|National Security Adviser|National Security Advisor|Senior Adviser|Founder|
Chair|Council Chair|Councilmember|Council Member|Councillor|Councilor|Councilman|Councilwoman|
Alderman|Alderwoman|Commissioner|Fire Commissioner|Police Commissioner|Sheriff|Chief|Fire Chief|
Police Chief|Inspector|Superintendent|Detective|Trustee|Dean|Treasurer|Comptroller|Auditor|
County Auditor|State Auditor|Coroner|Magistrate|Constable|Chief Constable|Chief Inspector
""")
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_ORG_WORDS = _words("""
Institute|Institution|University|College|School|Endowment|Foundation|Agency|Ministry|Department|
Council|Committee|Commission|Party|Corporation|Corp|Corp.|Inc|Inc.|Ltd|LLC|Group|Bank|Fund|
Association|Union|Court|Times|Post|Journal|News|Press|Tribune|Guardian|Herald|Telegraph|Gazette|
Network|Program|Programme|Organization|Organisation|Alliance|Coalition|Army|Navy|Force|Forces|
Guard|Police|Service|Office|Company|Partners|Holdings|Technologies|Labs|Airlines|Motors|Center|
Centre|Society|League|Federation|Authority|Board|Bureau|Assembly|Cabinet|Administration|
Government|Embassy|House|Expeditions|Electronics|Agency|Club|Team
""")
_PLACE_WORDS = _words("""
Region|Province|Oblast|County|City|Street|Sea|Ocean|River|Mountains|Island|Islands|Valley|
Strait|Peninsula|Bay|Lake|Desert|Square|Avenue|District|Territory|Republic|Kingdom|Emirate|
Principality|Islands|Coast|Gulf|Mount
""")
_WEAPON_WORDS = _words("Missile|Missiles|Rocket|Rockets|Artillery|Howitzer|Drone|Drones")
_WEAPON_AFTER = re.compile(
    r"\s+(?:(?:cruise|ballistic|fighter|anti-tank|air-defen[cs]e|hypersonic|battle|main "
    r"battle|attack)\s+)?(?:missiles?|rockets?|tanks?|jets?|drones?|bombers?|launchers?|"
    r"howitzers?|helicopters?|systems?|warplanes?|interceptors?)\b"
)
_PLACE_AFTER = re.compile(r"\s+(?:region|province|oblast|county|district|city|area)\b")
# Unions used per phrase, built once.
_NAME_WORDS = _ORG_WORDS | _PLACE_WORDS
_GAZETTEER = PLACES | ORGANISATIONS | WEAPONS
_NON_ORG_ACRONYMS = _words("AI|CEO|GDP|TV|PM|AM|OK|ID|COVID|DNA|IPO|VAT|UTC|GMT|EV|RISC|IT")
_TIME_WORDS = _words("""
Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|
June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|
Oct|Nov|Dec|Christmas|Easter
""")
# Capitalised only because they start a sentence (or are headline noise).
COMMON = _words("""
a|an|the|this|that|these|those|there|here|it|its|he|she|they|we|i|you|his|her|their|our|my|your|
but|and|or|so|yet|if|when|while|after|before|as|at|in|on|for|from|by|with|to|of|into|over|
under|about|against|between|during|since|until|without|within|despite|given|although|though|
however|meanwhile|still|also|then|now|later|earlier|today|yesterday|tomorrow|what|why|how|who|
whom|which|where|whether|both|either|neither|each|every|all|some|many|much|most|more|few|
several|such|no|not|nor|only|just|even|already|yes|therefore|thus|instead|indeed|perhaps|
maybe|once|former|latest|new|other|another|one|two|three|four|five|six|seven|eight|nine|ten|
first|second|third|last|next|according|speaking|writing|asked|unsurprisingly|clearly|
previously|shortly|reports|officials|analysts|experts|critics|sources|previously|could|does|
did|do|is|are|was|were|has|have|had|will|would|should|can|may|might|must|let|please|sign|
related|visited|read|watch|share|follow|subscribe|comment|advertisement|photo|video|image|
getty|file|update|breaking|exclusive|opinion|analysis|live|more|see|click|home|world|news|
nobody|everybody|everyone|someone|anyone|nothing|everything|something|none|i'm|it's|that's|
there's|we're|they're|don't|can't|won't|isn't|aren't|didn't|let's
""")
_CONNECTORS = frozenset({"of", "for", "and", "&", "de", "del", "la", "von", "van", "der", "bin"})
# "US-provided", "Democrat-aligned": the name is the part before a lower-case suffix.
_LOWER_SUFFIX = re.compile(r"-[a-z][\w\-]*$")
_POSSESSIVE_ENDS = ("’s", "'s", "s’", "s'")
_NONSPACE = re.compile(r"\S+")
_WORD_START = re.compile(r"(?<![\w’'\-])[A-Za-z]")
_CAPITAL_START = re.compile(r"(?<![\w’'\-])[A-Z]")
_NAME_WORD = re.compile(r"[A-ZÀ-Þ][a-zà-ÿ]*(?:[’'\-][A-Za-zà-ÿ]+)*\.?")


@dataclass(slots=True)
class _Token:
    text: str
    start: int
    end: int


@lru_cache(maxsize=8192)
def _key(name: str) -> str:
    """Lower-case, accent-free form used for gazetteer look-ups."""
    plain = name
    if not name.isascii():
        plain = unicodedata.normalize("NFKD", name)
        plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain.replace("’", "'")).strip().lower()


# fmt: off
_ALIASES = {
    "us": "United States", "u.s.": "United States", "usa": "United States",
    "u.s.a.": "United States", "america": "United States",
    "united states of america": "United States", "uk": "United Kingdom",
    "u.k.": "United Kingdom", "britain": "United Kingdom", "great britain": "United Kingdom",
    "kiev": "Kyiv", "odessa": "Odesa", "uae": "United Arab Emirates", "un": "United Nations",
    "eu": "European Union", "donbass": "Donbas", "czechia": "Czech Republic",
}
# fmt: on


@lru_cache(maxsize=8192)
def canonical(name: str) -> str:
    """One spelling for a name's variants: titles, "the", possessives and aliases removed."""
    text = re.sub(r"\s+", " ", name.replace("’", "'")).strip(" ,.;:\"'")
    text = re.sub(r"'s$|(?<=s)'$", "", text)
    words = text.split(" ")
    if words and words[0].lower() == "the":
        words = words[1:]
    titles = _title_prefix(words)  # "Secretary of State", "Mr."
    if 0 < titles < len(words):
        words = words[titles:]
    if words and words[-1].lower() in _SUFFIXES:
        words[-1] = words[-1].rstrip(".").capitalize()
    text = " ".join(words)
    alias = _ALIASES.get(_key(text)) or _ALIASES.get(_key(text).replace(".", ""))
    if alias:
        return alias
    # Transliterations: Zelenskyy / Zelenskiy / Zelensky.
    return re.sub(r"(?<=[a-z])(?:yy|iy)\b", "y", text)


def _sentence_starts(text: str) -> set[int]:
    starts = {start for start, _ in split_spans(text)}
    for match in re.finditer(r"[“\"‘(:—–]\s*|\n\s*", text):
        starts.add(match.end())
    return starts


_CAP = r"[A-ZÀ-Þ](?:[\w’'&\-]|\.(?=[A-Z]))*\.?"
# A run of capitalised words, single-spaced, with connectors and numbers inside.
_RUN = re.compile(
    r"(?<![\w’'])"
    + _CAP
    + r"(?:(?: {1,2}| (?:of|for|and|&|de|del|la|von|van|der|bin) )(?:"
    + _CAP
    + r"|\d[\w\-]*))*"
)
_ABBREVIATION = re.compile(r"(?:[A-Z]\.)+|(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|St|Jr|Sr)\.")


def _groups(text: str) -> list[list[_Token]]:
    """Runs of capitalised tokens; a run ends at a sentence's full stop or a "-aligned" word."""
    groups: list[list[_Token]] = []
    for run in _RUN.finditer(text):
        current: list[_Token] = []
        for m in _NONSPACE.finditer(run.group()):
            word, start = m.group(), run.start() + m.start()
            ends_group = False
            if word.endswith(".") and not _ABBREVIATION.fullmatch(word):
                word, ends_group = word.rstrip("."), True  # "Russia. Why" is two groups
            if word[0].isupper() and "-" in word and word.lower() not in TITLES:
                trimmed = _LOWER_SUFFIX.sub("", word) or word
                ends_group = ends_group or trimmed != word
                word = trimmed
            if not word.endswith(("’s", "'s")):
                word = word.rstrip("’'-")
            if word:
                current.append(_Token(word, start, start + len(word)))
            if ends_group and current:
                groups.append(current)
                current = []
        if current:
            groups.append(current)
    return groups


def _classify(words: list[str], after: str) -> str:
    key = _key(" ".join(words))
    if key in WEAPONS or (key.replace(".", "") in WEAPONS):
        return WEAPON
    if key in ORGANISATIONS:
        return ORGANISATION
    if key in PLACES or key.replace(".", "") in PLACES:
        return PLACE
    if key in DEMONYMS:
        return OTHER
    lower = {w.lower() for w in words}
    if lower & _WEAPON_WORDS or _WEAPON_AFTER.match(after):
        return WEAPON
    if re.fullmatch(r"[A-Z][A-Za-z]{0,3}-\d+[A-Z]?", words[0]) and len(words) == 1:
        return WEAPON if _WEAPON_AFTER.match(after) else OTHER
    if lower & _ORG_WORDS:
        return ORGANISATION
    if lower & _PLACE_WORDS or _PLACE_AFTER.match(after):
        return PLACE
    if len(words) == 1 and re.fullmatch(r"[A-Z]{2,6}", words[0]):
        return OTHER if key in _NON_ORG_ACRONYMS else ORGANISATION
    if words[-1].lower() in _SUFFIXES:
        return PERSON
    alpha = all(_NAME_WORD.fullmatch(w) for w in words)
    if alpha and 2 <= len(words) <= 4 and not any(w.lower() in COMMON for w in words):
        return PERSON
    return OTHER


def _split(tokens: list[_Token]) -> list[list[_Token]]:
    """Cut a group after possessives and, outside organisation and place names, at connectors."""
    parts: list[list[_Token]] = [[]]
    for tok in tokens:
        parts[-1].append(tok)
        if tok.text.endswith(_POSSESSIVE_ENDS):
            parts.append([])
    out: list[list[_Token]] = []
    for part in (p for p in parts if p):
        words = [t.text for t in part]
        named = bool({w.lower() for w in words} & _NAME_WORDS) or (
            _key(" ".join(words)) in _GAZETTEER
        )
        chunk: list[_Token] = []
        for tok in part:
            low = tok.text.lower()
            if low in _CONNECTORS and chunk:
                before = chunk[-1].text.lower()
                # "Secretary of State", "Institute for …", "Bill & Melinda Gates Foundation",
                # but "France and Britain" and "Samsung and AFW Partners" are two names.
                keep = before in TITLES or (
                    named and not (low in {"and", "&"} and _key(before) in ORGANISATIONS)
                )
                if not keep:
                    out.append(chunk)
                    chunk = []
                    continue
            chunk.append(tok)
        out.append(chunk)
    return [p for p in out if p and p[-1].text.lower() not in _CONNECTORS]


def _title_prefix(words: list[str]) -> int:
    """How many leading words are titles ("Prime Minister", "Secretary of State", "Mr.")."""
    i = 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            if i + size <= len(words) and _key(" ".join(words[i : i + size])) in TITLES:
                i += size
                break
        else:
            return i
    return i


def _headline_lines(text: str) -> list[tuple[int, int]]:
    """Lines in title case ("Bezos Backs Startup Chipmaker"), where capitals say little."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        words = len(_WORD_START.findall(line.group()))
        if words >= 4 and len(_CAPITAL_START.findall(line.group())) >= 0.6 * words:
            spans.append(line.span())
    return spans


def _entities(text: str) -> list[Entity]:
    starts = _sentence_starts(text)
    headlines = _headline_lines(text)
    found: list[Entity] = []
    for group in _groups(text):
        headline = any(s <= group[0].start < e for s, e in headlines)
        for part in _split(group):
            while part and part[0].start in starts and _key(part[0].text) in COMMON:
                if len(part) > 1:
                    starts.add(part[1].start)
                part = part[1:]
            if part and part[0].start in starts and len(part) == 1:
                word = part[0].text
                if _key(word) not in PLACES and (
                    word.endswith(("ing", "ly", "ed")) or _used_in_lower_case(word, text)
                ):
                    continue  # "Harbour officials ..." when "harbour" is a word of the text
            found.extend(_from_part(text, part, headline))
    return _link(found)


def _used_in_lower_case(word: str, text: str) -> bool:
    """True when ``word`` also appears uncapitalised in ``text``: a common word, not a name."""
    low = word.lower()
    if low == word:
        return False
    at = text.find(low)
    while at >= 0:
        end = at + len(low)
        if not (at and text[at - 1].isalpha()) and not text[end : end + 1].isalpha():
            return True
        at = text.find(low, at + 1)
    return False


def _from_part(text: str, part: list[_Token], headline: bool = False) -> list[Entity]:
    out: list[Entity] = []
    # A leading nationality ("German", "North Korean") or a country before a title
    # ("United States President Joe Biden") is its own entity.
    whole = _key(" ".join(t.text for t in part))
    opens_on_title = _title_prefix([t.text for t in part]) > 0
    for size in (3, 2, 1):
        if len(part) > size and whole not in _GAZETTEER and not opens_on_title:
            lead = _key(" ".join(t.text for t in part[:size]))
            rest = [t.text for t in part[size:]]
            named = lead not in COMMON and bool(canonical(lead))
            if lead in DEMONYMS or (named and 0 < _title_prefix(rest) < len(rest)):
                # A name before a title ("Redmere Mayor …") is the place or body it serves.
                kind = OTHER if lead in DEMONYMS else _classify(lead.split(" "), "")
                if kind in (PERSON, OTHER) and lead not in DEMONYMS:
                    kind = PLACE
                s, e = part[0].start, part[size - 1].end
                out.append(Entity(text[s:e], kind, s, e, canonical(text[s:e])))
                part = part[size:]
                break
    words = [t.text for t in part]
    n_title = _title_prefix(words)
    role = " ".join(words[:n_title])
    part = part[n_title:]
    if not part:
        return out
    last = part[-1]
    raw = text[part[0].start : last.end]
    possessive = raw.endswith(_POSSESSIVE_ENDS)
    name = raw[: -2 if raw.endswith(("’s", "'s")) else -1] if possessive else raw
    if name.endswith(".") and not re.search(r"(?:[A-Z]\.){2,}$|Jr\.$|Sr\.$", name):
        name = name[:-1]
    if not name or _key(name.split(" ")[0]) in _TIME_WORDS or _key(name) in COMMON:
        return out
    if len(name) < 2 and not re.fullmatch(r"[A-Z]", name):
        return out
    start = part[0].start
    kind = _classify(name.split(" "), text[start + len(name) : start + len(name) + 40])
    if role and kind in (OTHER, PLACE) and _key(role) not in {"former", "incoming", "outgoing"}:
        kind = PERSON
    elif headline and kind == PERSON and not role and _key(name) not in PLACES:
        kind = OTHER  # title case proves nothing in a headline
    out.append(Entity(name, kind, start, start + len(name), canonical(name), role, possessive))
    return out


def _link(found: list[Entity]) -> list[Entity]:
    """Point surnames and shortened names at the full name used in the document."""
    counts = Counter(e.canonical for e in found if e.kind == PERSON and " " in e.canonical)
    # Full names by their last word before any "Jr", so a surname finds them at once.
    by_surname: dict[str, list[tuple[str, int]]] = {}
    for name, count in counts.items():
        parts = name.split()
        core = parts[:-1] if parts[-1].lower().rstrip(".") in _SUFFIXES else parts
        by_surname.setdefault(core[-1], []).append((name, count))
        if core is not parts:
            by_surname.setdefault(parts[-1], []).append((name, count))
    linked: list[Entity] = []
    targets: dict[str, str | None] = {}
    for ent in found:
        words = ent.canonical.split()
        if ent.kind in (PERSON, OTHER) and 1 <= len(words) <= 3 and words[-1] in by_surname:
            if ent.canonical not in targets:
                targets[ent.canonical] = _full_name(words, by_surname[words[-1]])
            target = targets[ent.canonical]
            if target and target != ent.canonical:
                ent = replace(ent, kind=PERSON, canonical=target)
            elif target and ent.kind != PERSON and len(words) == 1:
                ent = replace(ent, kind=PERSON)
        linked.append(ent)
    return linked


def _full_name(words: list[str], full: list[tuple[str, int]]) -> str | None:
    """The full name a surname or short name stands for: no "Jr" first, then the commonest."""
    ranked = []
    for name, count in full:
        parts = name.split()
        core = parts[:-1] if parts[-1].lower().rstrip(".") in _SUFFIXES else parts
        if parts[-len(words) :] == words or core[-len(words) :] == words:
            ranked.append((parts != core and parts != words, -len(core), -count, name))
    return min(ranked)[3] if ranked else None


@lru_cache(maxsize=512)
def _cached(text: str) -> tuple[Entity, ...]:
    return tuple(_entities(text))


def find_entities(text: str) -> list[Entity]:
    """Every person, place, organisation, weapon and other name in ``text``, in order."""
    return list(_cached(text))


def people(text: str) -> list[Entity]:
    """Just the persons of ``text``, with surnames linked to full names."""
    return [e for e in _cached(text) if e.kind == PERSON]
