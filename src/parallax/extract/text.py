"""Plain-text cleaning: drop page junk from scraped text, keep every article sentence.

Scraped text has no markup to tell junk from article, so each block (a line, or
a hard-wrapped paragraph) is judged on general signals, never on per-site rules:

1. Local evidence: sentence shape (length, end punctuation, share of function
   words, Title Case), page-furniture vocabulary, call-to-action verbs, the site
   talking to its reader ("our", "please"), counters and dates, URLs,
   copyright, credits, separator bars, provenance banners, author bios.
2. The body: the contiguous span of blocks with the largest prose-minus-junk
   sum, so junk runs at the head and tail fall outside it. It is found twice:
   the second time knowing the body's words, so that paragraphs about other
   stories (teasers) weigh little and furniture words the story is about
   ("an article about cookies") stop counting as junk.
3. Structure: outside the body, complete sentences that are not teasers are
   kept, and so is a list an on-topic heading or a lead-in line introduces; a
   list heading ("Related", "Most popular") takes the headlines, snippets and
   off-topic paragraphs under it; a late comment heading takes readers' talk;
   a headline and standfirst above an opening byline are not body text.
4. The title: the longest on-topic headline-shaped line before the body.

Every removed block is reported verbatim, so a user can audit what went.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

from charset_normalizer import from_bytes

from parallax.analyse.sentences import sentence_texts
from parallax.config import Settings
from parallax.errors import EmptyDocument, TooLarge
from parallax.extract.base import fallback_outlet
from parallax.models import Article, RawDocument

FUNCTION_WORDS = frozenset(
    """
    a an the and or but nor of to in on at by for with from as into onto upon over under about
    after before since until during between against through without within among than that
    this these those which who whom whose what when where why how there it its he she they them
    him his her hers their i me my we us our you your is are was were be been being am has have
    had do does did done will would shall should can could may might must not no so if then also
    only just even still very more most less much many some any all both each other such too
    again ever never said says say told according while because
    """.split()
)
# Page furniture: words that, dense in a short block, mark it as the page's, not the story's.
STRONG_FURNITURE = frozenset(
    """
    advertisement advertisements advertising advertiser advert sponsored promoted cookie cookies
    consent newsletter newsletters subscribe subscriber subscribers subscription subscriptions
    unsubscribe signup login logout paywall facebook twitter whatsapp linkedin pinterest reddit
    tiktok telegram flipboard instagram youtube snapchat tumblr bluesky mastodon copyright getty
    shutterstock alamy istock javascript affiliate affiliates bookmark comments commenting
    trending recommended rss hashtag hashtags sitemap inbox
    """.split()
)
WEAK_FURNITURE = frozenset(
    """
    share sharing related popular read reading email print comment reply replies follow
    followers like likes click tap download app apps here article articles stories headlines
    video videos photo photos image images gallery caption credit credits listen watch views
    viewed visit visits visited site website websites page privacy terms account register log
    sign premium unlock access notifications alerts updates latest top next previous prev skip
    menu home search contact feedback disclaimer disclosure tags tagged topics filed category
    categories posted updated published loading min mins continue continues below commission
    podcast podcasts author picks editor editors sponsor partner browser accept link links
    submit required field fields form username password captcha
    """.split()
)
# Words of a list's heading: 'Related Articles', 'Most Popular', 'You may also like'.
LIST_WORDS = frozenset(
    """
    related popular recommended trending more latest top also read picks stories headlines next
    like miss watch see explore discover further viewed recent other most videos coverage
    """.split()
)
CTA_VERBS = frozenset(
    """
    subscribe sign share follow click tap comment download listen watch read continue skip join
    register log get see view visit learn support donate accept manage reply print email save
    report load show scroll swipe play enable try explore discover check find order buy
    shop claim unlock upgrade become contact send tell let don't dont never stay keep want got
    thank thanks leave add please
    """.split()
)
# Words of counters, dates and timestamps: 'Visited 1 times', 'Updated 3 hours ago'.
TIME_WORDS = frozenset(
    """
    times time visit visits visited view views viewed today yesterday comments comment shares
    share likes like reads read replies reply followers min mins minute minutes sec secs second
    seconds hour hours hr hrs day days week weeks month months year years ago am pm est edt pst
    pdt cst cdt gmt utc bst cet published updated posted modified last on at of k m s
    jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july
    august september october november december monday tuesday wednesday thursday friday
    saturday sunday mon tue wed thu fri sat sun votes points stars rating reviews photos images
    page pages
    """.split()
)
# The site speaking to its reader; 'you' and 'we' are common in quotes and columns: least.
SITE_VOICE = {"our": 1.0, "ours": 1.0, "us": 1.0, "please": 1.0, "your": 0.5, "yours": 0.5}
SITE_VOICE |= {w: 0.25 for w in "you you're you'll you've you’re you’ll we we're we’re".split()}
FIRST_PERSON = frozenset("i i'm i’m i've i’ve me my mine".split())
JOURNALIST_ROLES = frozenset(
    "reporter correspondent journalist writer editor columnist contributor producer".split()
)

STRONG_JUNK = 2.5  # evidence at or above this removes a block anywhere
WEAK_JUNK = 1.5  # enough to remove a block that is not a sentence
SOME_JUNK = 0.8  # enough to remove a block that shares no words with the story

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_CLOSERS = "\"'”’»)]」』 "
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_URL = re.compile(r"https?://|www\.\w|\b[\w.+-]+@[\w-]+\.\w+|\.(?:com|org|net)\b")
_CTA_PHRASE = re.compile(
    r"\b(?:follow (?:him|her|them|us|me) (?:on|@)|click here|sign up (?:for|to)|let us know"
    r"|subscribe (?:to|for|now)|download (?:the|our) app|log in|sign in)\b"
)
_HANDLE = re.compile(r"(?<!\w)@\w{2,}")
_SELF_REFERENCE = re.compile(
    r"\b(?:this|our) (?:article|post|page|site|website|content|newsletter|app|blog)\b"
)
_UPDATE_NOTE = re.compile(
    r"\bthis (?:story|article|post) (?:will be|has been|is being) updated\b"
    r"|\bthis is a (?:developing|breaking) (?:story|news story)\b"
)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved", re.I)
_CREDIT = re.compile(
    r"^\W*(?:photo|image|picture|credit|illustration|photograph|caption|graphic)s?\b\s*"
    r"(?:by\b|:|/|\|)|\b(?:getty images|shutterstock|alamy|via getty|ap photo)\b"
    r"|/\s*(?:getty|afp|ap|reuters|epa|bloomberg)\b",
    re.I,
)
_LABEL = re.compile(r"^\W*([A-Za-z][\w'’&-]*(?: [\w'’&-]+){0,3})\s*:\s*(.*)$")
_SEPARATORS = re.compile(r"\s+[|•·›»/>]\s+|\s*[|•·›»]\s*")
_BULLET = re.compile(r"^\s*(?:[-*•·–—]|\d{1,2}[.)])\s+")
_BIO = re.compile(
    r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3},? (?:is|was|has been|covers|writes|reports)\b"
    rf".{{0,100}}\b(?:{'|'.join(JOURNALIST_ROLES)}|freelance)"
)
_WIRE_CREDIT = re.compile(
    r"\b(?:reporting|editing|writing) by\b|\badditional reporting\b"
    r"|\bcontributed (?:reporting|to this report)\b",
    re.I,
)
_BYLINE = re.compile(
    r"^(?i:by|written by|words by)\s+([A-Z][\w.'’-]*(?:,? (?:and |& )?[A-Z][\w.'’-]*){0,5})"
    r"(?:\s*[·|,–—-]\s*.*)?$"
)
_PROVENANCE = re.compile(
    r"originally (?:published|appeared|posted|ran)|first (?:published|appeared)|republish"
    r"|reprint|syndicat|reproduced|with (?:the )?permission|view (?:this|the) (?:story|article)"
    r"|original (?:story|article|source|post)|creative commons|^\W*source\s*:|print edition",
    re.I,
)
_PROVENANCE_HINTS = (
    *("publish", "print", "syndicat", "produc", "permission", "edition"),
    *("view th", "original", "creative", "source"),
)
_COMMENTS = re.compile(
    r"^\W*(?:\d+\s+(?:comments?|thoughts|responses|replies|reactions)\b"
    r"|(?:reader )?comments?\W*$|(?:leave|post|add|write) a (?:reply|comment)|comments are closed"
    r"|join the (?:discussion|conversation)|(?:show|view|load|read) (?:all )?\d* ?comments)",
    re.I,
)
_TITLE_SUFFIX = (" | ", " – ", " — ", " - ", " :: ", " // ", " » ")


def _inflections(words: frozenset[str]) -> frozenset[str]:
    """The words with their -s, -ed and -ing forms, so lookups need no stemming."""
    forms = set(words)
    for w in words:
        forms.update((w + "s", w + "ed", w + "d", w + "ing", w.removesuffix("e") + "ing"))
    return frozenset(forms)


_FURNITURE = {w: 0.5 for w in _inflections(WEAK_FURNITURE)}
_FURNITURE |= {w: 1.0 for w in _inflections(STRONG_FURNITURE)}
_FURNITURE_WORDS = frozenset(_FURNITURE)
_COUNTER_WORDS = TIME_WORDS | FUNCTION_WORDS | _FURNITURE_WORDS
_SEPARATOR_CHARS = frozenset("|•·›»/>")
_CREDIT_WORDS = frozenset(
    "photo photos image images picture credit illustration photograph caption graphic".split()
)


@dataclass(frozen=True, slots=True)
class CleanText:
    """Cleaned plain text: the detected title, body paragraphs, and what was removed."""

    title: str | None
    text: str
    removed: tuple[str, ...]
    provenance: str | None
    byline: str | None = None


@dataclass(slots=True)
class _Block:
    """One unit of judgement: consecutive input lines (usually one) and what is known of it."""

    lines: list[str]
    text: str
    low: str
    blank_after: bool
    words: list[str]
    distinct: set[str]
    stems: set[str]
    furniture: list[tuple[str, float]]
    evidence: float = 0.0  # junk evidence, furniture words aside
    junk: float = 0.0  # all junk evidence
    prose: bool = False  # a complete sentence or paragraph
    headline: bool = False  # a short unterminated line: heading, headline, list item
    snippet: bool = False  # a long unterminated run: a truncated teaser
    overlap: float = 0.0  # share of its stems the body uses elsewhere
    off_topic: bool = False  # clearly about something else than the body
    unlike: bool = False  # shares (almost) no words with the body
    bio: bool = False  # 'Jane Doe is a reporter for ...'
    title_case: bool = False  # 'Most Content Words Capitalised', as headlines are
    sentence: bool = False  # prose by its function words, not just by its final period


# Blocks ---------------------------------------------------------------------------------


def _make_block(lines: list[str], blank_after: bool) -> _Block:
    text = " ".join(" ".join(line.split()) for line in lines)
    low = text.lower()
    words = _TOKEN.findall(low)
    distinct = set(words)
    # Stems are five-letter prefixes, so that 'negotiation' meets 'negotiating'.
    stems = {w[:5] for w in distinct.difference(FUNCTION_WORDS) if len(w) > 2 and w.isalpha()}
    furniture = []
    if not _FURNITURE_WORDS.isdisjoint(distinct):
        furniture = [(w[:5], _FURNITURE[w]) for w in words if w in _FURNITURE]
    return _Block(lines, text, low, blank_after, words, distinct, stems, furniture)


def _split_blocks(text: str) -> list[_Block]:
    """Non-empty lines as blocks; hard-wrapped paragraphs are joined into one block."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return []
    # Hard-wrapped text: many lines end near one width; a line that reaches it continues below.
    wrap = lengths[int(len(lengths) * 0.9)]
    near = sum(1 for n in lengths if 0.8 * wrap <= n <= wrap)
    wrapped = 40 <= wrap <= 120 and "" in lines and near >= max(4, 0.3 * len(lengths))
    blocks: list[_Block] = []
    run: list[str] = []
    for i, line in enumerate(lines):
        if not line:
            continue
        run.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        joins = (
            bool(nxt)
            and (
                (
                    wrapped
                    and len(line) >= 0.6 * wrap
                    and not _BULLET.match(nxt)
                    and (not _terminal(line) or nxt[:1].islower())
                )
                # A line that starts in lower case continues an unfinished one above it.
                or (len(line) >= 20 and nxt[:1].islower() and not _terminal(line))
            )
        )
        if not joins:
            blocks.append(_make_block(run, blank_after=not nxt))
            run = []
    return blocks


def _end(text: str) -> str:
    """The last character before any closing quotes or brackets."""
    return text.rstrip(_CLOSERS)[-1:]


def _terminal(text: str) -> bool:
    """Ends like a sentence: . ! or ? (not an ellipsis), maybe inside quotes."""
    core = text.rstrip(_CLOSERS)
    return core[-1:] in (".", "!", "?", "。", "！", "？") and not core.endswith("...")


def _function_share(words: list[str]) -> float:
    """Share of English function words: high in English sentences, low in headlines."""
    return sum(map(FUNCTION_WORDS.__contains__, words)) / max(1, sum(map(str.isalpha, words)))


def _unquoted_words(block: _Block) -> list[str]:
    """The block's words outside quotation marks."""
    if '"' not in block.text and "“" not in block.text:
        return block.words
    return _TOKEN.findall(_QUOTED.sub(" ", block.low))


# Local evidence -------------------------------------------------------------------------


def _shape(block: _Block, english: bool) -> None:
    """Sets the block's sentence-shape flags: prose, headline, snippet."""
    n, text = len(block.words), block.text
    terminal = _terminal(text)
    if not english:  # no function words to go by: length and end punctuation only
        block.prose = block.sentence = terminal and len(text) >= 25
        block.snippet = not terminal and len(text) >= 120
        block.headline = not block.prose and not block.snippet
        return
    function = _function_share(block.words)
    # Title Case ('A Worker Is Dead in Drayfield.') marks a headline even with a period.
    block.title_case = terminal and n <= 30 and _is_title_case(text)
    block.prose = (
        terminal
        and not block.title_case
        and ((n >= 8 and function >= 0.15) or (n >= 3 and function >= 0.3))
    )
    block.sentence = block.prose
    if terminal and not block.prose and not block.title_case and n >= 4 and _end(text) == ".":
        block.prose = True  # headlines rarely end in a period: a period-ended run is a sentence
    cut_off = _end(text) in (",", ";", "–", "—", "-") or text.endswith(("...", "…"))
    block.snippet = (not block.prose and n >= 15 and function >= 0.15 and _end(text) != ":") or (
        n >= 8 and cut_off
    )
    block.headline = not block.prose and not block.snippet and 1 <= n <= 25


def _is_title_case(text: str) -> bool:
    """Most words that are not function words start with a capital or a digit."""
    content = [w for w in text.split() if w.lower().strip(_CLOSERS + ".,:;") not in FUNCTION_WORDS]
    capitals = sum(1 for w in content if w[:1].isupper() or w[:1].isdigit())
    return len(content) >= 4 and capitals >= 0.8 * len(content)


def _is_counter(words: list[str]) -> bool:
    """Counters, dates and timestamps: 'Visited 1 times', '23 comments', 'May 3, 2024'."""
    if not words or len(words) > 12:
        return False
    if not any(w[0].isdigit() for w in words) and not any(w in TIME_WORDS for w in words[:2]):
        return False
    return all(w[0].isdigit() or w in _COUNTER_WORDS or len(w) == 1 for w in words)


def _is_provenance(block: _Block) -> bool:
    """Says where the story first ran: 'originally published by', 'republished with permission'."""
    return any(h in block.low for h in _PROVENANCE_HINTS) and bool(_PROVENANCE.search(block.text))


def _evidence(block: _Block) -> float:
    """Junk evidence from the block's own content, furniture words aside (0 = none)."""
    text, low, words = block.text, block.low, block.words
    n = len(words)
    if not any(map(str.isalpha, words)) or len(low) < 2 or _is_counter(words):
        return 3.0
    short = n <= 30
    j = 0.0
    if words[0] in CTA_VERBS and short:
        j += 2.0 if n <= 12 else 1.0  # 'Sign up', 'Click here', 'Share this'
    if not SITE_VOICE.keys().isdisjoint(block.distinct):
        voice = sum(SITE_VOICE.get(w, 0.0) for w in _unquoted_words(block))
        j += min(2.0, 8.0 * voice / n)
    hint = "http" in low or "www." in low or "@" in low or ".com" in low or ".org" in low
    if hint and _URL.search(low):
        j += 2.5 if n <= 25 else 0.5
    elif n <= 10 and "@" in text and _HANDLE.search(text):
        j += 2.0  # 'Follow her @name'; a handle in a quoted tweet belongs to the story
    if "©" in low or "(c)" in low or "copyright" in low or "rights reserved" in low:
        j += (3.0 if short else 1.0) if _COPYRIGHT.search(text) else 0.0
    if ("this " in low or "our " in low) and _SELF_REFERENCE.search(low):
        j += 1.0  # the text naming itself as a web page: 'This post contains...'
    if "this " in low and _UPDATE_NOTE.search(low):
        j += 2.5  # 'This story will be updated.'
    block.bio = not JOURNALIST_ROLES.isdisjoint(block.distinct) and bool(_BIO.search(text))
    if block.bio:
        j += 1.0
    if n <= 40 and _CTA_PHRASE.search(low):
        j += 1.0  # 'follow her on', 'click here', 'let us know'
    if not short:
        return j
    if (not _CREDIT_WORDS.isdisjoint(block.distinct) or "/" in text) and _CREDIT.search(text):
        j += 2.5
    label = _LABEL.match(text) if ":" in text else None
    if label:
        head = _TOKEN.findall(label.group(1).lower())
        if any(w in _FURNITURE or w in CTA_VERBS for w in head):
            j += 2.0  # 'Read more: ...', 'Tags: ...', 'Photo: ...'
        elif not _terminal(text):
            j += 0.5
    if _SEPARATOR_CHARS.intersection(text):
        segments = [seg for seg in _SEPARATORS.split(text) if seg.strip()]
        if len(segments) >= 3 and max(len(seg.split()) for seg in segments) <= 4:
            j += 2.5  # share bars and breadcrumbs: 'Home › World › Europe'
    commas = text.split(",")
    if len(commas) >= 4 and not _terminal(text) and max(len(c.split()) for c in commas) <= 3:
        j += 1.5  # a bare tag list: 'Ukraine, Russia, Missiles, Biden'
    if n >= 3 and sum(1 for w in words if len(w) == 1) * 2 >= n:
        j += 1.5  # widgets of letters and digits: 'Text size: A A A', 'Image 3 of 12'
    if n <= 10 and "comment" in low and _COMMENTS.match(text):
        j += 2.5  # a comment widget: '12 Comments', 'Leave a reply'
    if ("by" in words or "contributed" in words) and _WIRE_CREDIT.search(text):
        j += 1.5
    if _is_provenance(block):
        j += 2.0  # about where the story ran, not what happened
    return j


def _furniture(block: _Block, topical: Counter[str]) -> float:
    """Evidence from page-furniture words, skipping words that are the story's own subject."""
    hits = sum(weight for stem, weight in block.furniture if topical[stem] < 2)
    return 5.0 * hits / (len(block.words) + 1)


# The body -------------------------------------------------------------------------------


def _weight(block: _Block, with_topic: bool) -> float:
    """What a block adds to the body span: prose counts for, junk against."""
    # Junk weighs little: it is removed on its own evidence; the span only finds the body.
    if block.junk >= STRONG_JUNK:
        return -1.2
    if block.junk >= WEAK_JUNK:
        return -0.7
    if block.prose:
        if with_topic and block.off_topic:
            return 0.3  # a complete paragraph about something else: a teaser
        return 1.0 + min(len(block.words), 100) / 25.0
    if block.snippet:
        return -1.0
    if with_topic and block.off_topic:
        return -0.8
    # Short lines cost little, so a list inside the article does not split it.
    return -0.15 if block.headline else 0.5


def _best_span(weights: list[float]) -> tuple[int, int]:
    """Start and end (exclusive) of the contiguous run with the largest sum."""
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, w in enumerate(weights):
        if total <= 0:
            total, start = 0.0, i
        total += w
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


def _mark_topic(blocks: list[_Block], span: tuple[int, int]) -> Counter[str]:
    """Sets each block's word overlap with the body's prose; returns the body's stem counts."""
    in_core = [
        span[0] <= i < span[1] and block.prose and block.junk < 1.0
        for i, block in enumerate(blocks)
    ]
    core: Counter[str] = Counter()
    for block, own in zip(blocks, in_core, strict=True):
        if own:
            core.update(block.stems)
    anywhere = core.keys()
    elsewhere = {s for s, count in core.items() if count >= 2}  # for a core block: not its own
    overlaps = []
    for block, own in zip(blocks, in_core, strict=True):
        if not block.stems:
            block.overlap = 0.0
            continue
        shared = len(block.stems & elsewhere) if own else len(anywhere & block.stems)
        block.overlap = shared / len(block.stems)
        if own and len(block.stems) >= 3:
            overlaps.append(block.overlap)
    overlaps.sort()
    typical = overlaps[len(overlaps) // 2] if len(overlaps) >= 4 else 0.0
    for block in blocks:
        # 'unlike' is the weaker claim, also made in short bodies: no shared words at all.
        block.unlike = len(block.stems) >= 3 and block.overlap < max(0.35 * typical, 0.05)
        block.off_topic = False
        if typical < 0.15:
            continue  # a body too short or too loose for word overlap to say more
        if block.prose or block.snippet:
            block.off_topic = len(block.stems) >= 6 and block.overlap < 0.35 * typical
        else:
            block.off_topic = len(block.stems) >= 2 and block.overlap == 0.0
    return core


# Structure ------------------------------------------------------------------------------


def _is_teaser(blocks: list[_Block], i: int) -> bool:
    """A paragraph between headlines: the snippet of a teaser list, not the article."""
    before = blocks[i - 1] if i > 0 else None
    after = blocks[i + 1] if i + 1 < len(blocks) else None
    return (
        before is not None
        and before.headline
        and before.junk < WEAK_JUNK
        and (after is None or after.headline or after.junk >= WEAK_JUNK)
    )


def _rescue(blocks: list[_Block], indices: range, junk: list[bool]) -> None:
    """Keeps complete prose outside the body unless it is junk-like, off-topic or a teaser."""
    rescued = []
    for i in indices:
        block = blocks[i]
        if (
            block.sentence
            and block.junk < SOME_JUNK
            and not (block.unlike and block.off_topic)
            and not _is_teaser(blocks, i)
            and not block.bio
        ):
            junk[i] = False
            rescued.append(i)
    for i in rescued:  # the heading of a rescued paragraph, unless it is a list's item
        heading = blocks[i - 1] if i > 0 else None
        alone = i < 2 or not blocks[i - 2].headline
        if heading is not None and heading.headline and not heading.unlike and alone:
            junk[i - 1] = heading.junk >= SOME_JUNK


def _trailing_list(blocks: list[_Block], end: int, junk: list[bool]) -> None:
    """Keeps on-topic list lines that go on right after the article's last paragraph.

    A list that ends an article (tour dates, ingredients, results) is short
    lines without junk evidence that share the story's words; it stops at the
    first junk block, which is where a page's own furniture starts.
    """
    if end >= len(blocks) or end == 0 or junk[end - 1]:
        return
    # Under an on-topic heading ('Tour dates') the items need not share words themselves.
    headed = blocks[end].headline and blocks[end].overlap >= 0.5
    for k in range(end, len(blocks)):
        item = blocks[k]
        if item.prose or item.junk >= SOME_JUNK:
            break
        if not headed and (item.unlike or item.overlap == 0.0):
            break
        junk[k] = False


def _lead_in_lists(blocks: list[_Block], junk: list[bool]) -> None:
    """Keeps the list a kept line introduces ('The candidates are:')."""
    i = 0
    while i < len(blocks):
        k = i + 1
        if not junk[i] and blocks[i].text.endswith(":"):
            while k < len(blocks):
                item = blocks[k]
                if item.junk >= WEAK_JUNK or item.snippet or (not junk[k] and item.prose):
                    break
                junk[k] = False
                k += 1
        i = k


def _standfirst(blocks: list[_Block], junk: list[bool]) -> None:
    """Drops the headline and standfirst kept above a byline that opens the page."""
    byline = next((i for i, b in enumerate(blocks[:6]) if _BYLINE.match(b.text)), None)
    if byline is None:
        return
    header = [i for i in range(byline) if not junk[i]]
    if 0 < len(header) <= 2 and any(not junk[i] for i in range(byline + 1, len(blocks))):
        for i in header:
            junk[i] = True


def _is_list_heading(block: _Block) -> bool:
    """'Related Article', 'Most Popular', 'Read more:', 'You may also like'."""
    return (
        len(block.words) <= 6
        and not block.prose
        and any(w in LIST_WORDS for w in block.words)
        and not block.text.endswith(("?", "."))
        and not _SEPARATOR_CHARS.intersection(block.text)  # a navigation bar, not a heading
    )


def _list_runs(blocks: list[_Block], junk: list[bool]) -> set[int]:
    """Removes list headings with the teasers under them, wherever they stand; returns them."""
    listed: set[int] = set()
    i = 0
    while i < len(blocks):
        if not _is_list_heading(blocks[i]):
            i += 1
            continue
        j = i + 1
        # Items: headlines, snippets, more junk, or paragraphs about other things; a
        # paragraph that shares the story's words ends the list (a section heading's text).
        while j < len(blocks) and (
            blocks[j].headline
            or blocks[j].snippet
            or blocks[j].junk >= WEAK_JUNK
            or (blocks[j].prose and blocks[j].unlike)
        ):
            j += 1
        if j < len(blocks) and j - 1 > i and blocks[j - 1].headline and blocks[j].prose:
            j -= 1  # a section heading whose paragraphs follow, not a list item
        items = j - i - 1
        if items >= 2 or (items >= 1 and (j == len(blocks) or blocks[j].junk >= WEAK_JUNK)):
            junk[i:j] = [True] * (j - i)
            listed.update(range(i, j))
        i = max(j, i + 1)
    return listed


def _comment_cut(blocks: list[_Block], junk: list[bool]) -> set[int]:
    """Removes a comment section: its heading, late in the text, and readers' talk after it."""
    total = sum(len(b.text) for b in blocks)
    ends = [0] * len(blocks)
    seen = 0
    for i, block in enumerate(blocks):
        seen += len(block.text)
        ends[i] = seen
    start = next(
        (
            i
            for i, block in enumerate(blocks)
            if ends[i] > 0.6 * total and len(block.words) <= 25 and _COMMENTS.match(block.text)
        ),
        None,
    )
    if start is None:
        return set()
    talk = [b for b in blocks[start + 1 :] if b.prose]
    # Readers write 'I' and 'my'; an article that goes on after a stray counter does not.
    personal = sum(1 for b in talk if FIRST_PERSON.intersection(_unquoted_words(b)))
    if personal * 3 < len(talk):
        return set()
    junk[start:] = [True] * (len(blocks) - start)
    return set(range(start, len(blocks)))


# Title ----------------------------------------------------------------------------------


def _split_title(line: str) -> str:
    """A title without its ' | Section' or ' - Outlet' suffix."""
    for sep in _TITLE_SUFFIX:
        if sep not in line:
            continue
        head, tail = line.rsplit(sep, 1)
        tail_words = tail.split()
        named = sum(w[:1].isupper() for w in tail_words) >= len(tail_words) - 1
        if len(head.split()) >= 3 and len(tail_words) <= 6 and (sep == " | " or named):
            return _split_title(head.strip())
    return line


def _title_of(blocks: list[_Block], junk: list[bool], listed: set[int]) -> tuple[int, str] | None:
    """The headline among the blocks before the body, with its index, if one reads as a title.

    A title is a short line that does not end like a sentence and shares words
    with the story; of several (a masthead's motto, a section name, the
    headline), the longest on-topic one wins.
    """
    body = next((i for i, is_junk in enumerate(junk) if not is_junk), len(blocks))
    best, best_score = None, 0.0
    for i in range(body):
        block = blocks[i]
        if i in listed or block.junk >= WEAK_JUNK or len(block.lines) > 1:
            continue  # a hard-wrapped block is a paragraph
        title = _split_title(block.text)
        words = len(_TOKEN.findall(title))
        if not 3 <= words <= 30 or len(title) > 250 or title.endswith((",", ":", ";")):
            continue
        if title.endswith(".") and not block.title_case:
            continue  # a sentence, not a headline
        if len(sentence_texts(title)) > 2 or _BYLINE.match(title) or block.bio:
            continue
        score = (0.2 + block.overlap) * min(words, 15)
        if score > best_score:
            best, best_score = (i, title), score
    return best


def strip_markdown(text: str) -> str:
    """Light Markdown removal: headings, emphasis, links, images, quotes and rules."""
    text = re.sub(r"(?m)^\s{0,3}\[[^\]]+\]:\s*\S+.*$", "", text)  # link definitions
    text = re.sub(r"(?m)^\s{0,3}(?:[-*_]\s*){3,}$", "", text)  # horizontal rules
    text = re.sub(r"(?m)^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", r"\1", text)
    text = re.sub(r"(?m)^\s{0,3}>\s?", "", text)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]", r"\1\2", text)
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])", r"\2", text)
    return re.sub(r"`([^`]+)`", r"\1", text)


# The cleaner and the extractor ----------------------------------------------------------


class PlainTextCleaner:
    """Removes page junk from plain text by block evidence, the body's span and list structure."""

    def clean(self, text: str, *, markdown: bool = False) -> CleanText:
        """Split ``text`` into its title, kept paragraphs and removed junk blocks."""
        heading = re.match(r"\s*#\s+(.+)", text) if markdown else None
        if markdown:
            text = strip_markdown(text)
        blocks = _split_blocks(text)
        if not blocks:
            return CleanText(title=None, text="", removed=(), provenance=None)
        english = _function_share([w for b in blocks for w in b.words]) >= 0.12
        for block in blocks:
            _shape(block, english)
            block.evidence = _evidence(block)
            block.junk = block.evidence + _furniture(block, Counter())
        span = _best_span([_weight(b, with_topic=False) for b in blocks])
        core = _mark_topic(blocks, span)
        for block in blocks:
            block.junk = block.evidence + _furniture(block, core)
        _mark_topic(blocks, span)
        span = _best_span([_weight(b, with_topic=True) for b in blocks])
        if span == (0, 0) or not english:
            # Nothing reads as article prose, or the shape signals (English function words)
            # do not apply: keep all but what local evidence and lists say is junk.
            span = (0, len(blocks))
        junk = [
            not (span[0] <= i < span[1])
            or b.junk >= STRONG_JUNK
            or (b.junk >= WEAK_JUNK and not b.prose)
            or (b.junk >= SOME_JUNK and b.unlike)  # site talk, unrelated to the story
            or (b.bio and i >= 0.7 * len(blocks))  # the author's bio under the story
            for i, b in enumerate(blocks)
        ]
        _rescue(blocks, range(0, span[0]), junk)
        _rescue(blocks, range(span[1], len(blocks)), junk)
        _trailing_list(blocks, span[1], junk)
        _lead_in_lists(blocks, junk)
        _standfirst(blocks, junk)
        listed = _list_runs(blocks, junk)  # after the rescues: a list's teasers go regardless
        listed |= _comment_cut(blocks, junk)
        md_title = heading.group(1).strip(" #") if heading else None
        if md_title and blocks[0].text == md_title:
            title: tuple[int, str] | None = (0, md_title)
        else:
            title = _title_of(blocks, junk, listed)
        return _assemble(blocks, junk, title)


def _assemble(blocks: list[_Block], junk: list[bool], title: tuple[int, str] | None) -> CleanText:
    """The kept paragraphs, the removed blocks verbatim, and the banner and byline among them."""
    byline = provenance = None
    kept: list[str] = []
    removed: list[str] = []
    first_kept = next((i for i, j in enumerate(junk) if not j), len(blocks))
    last_kept = max((i for i, j in enumerate(junk) if not j), default=-1)
    for i, block in enumerate(blocks):
        if title is not None and i == title[0]:
            continue
        if not junk[i]:
            kept.append(block.text)
            continue
        removed.append("\n".join(block.lines))
        edge = i < first_kept or i > last_kept
        if provenance is None and edge and _is_provenance(block):
            provenance = block.text
        found = _BYLINE.match(block.text) if i < first_kept else None
        if byline is None and found:
            byline = found.group(1).strip()
    text = "\n\n".join(kept)
    return CleanText(title[1] if title else None, text, tuple(removed), provenance, byline)


def decode_text(body: bytes, declared: str | None = None) -> str:
    """Bytes as text: UTF-8 when valid, else the declared charset, else the one detected."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return body.decode(declared, errors="replace")
        except LookupError:
            pass  # an unknown charset name: detect instead
    matches = from_bytes(body)
    best = matches.best()
    if best is None:
        return body.decode("cp1252", errors="replace")
    # Short texts often fit several code pages equally well; the web's usual one wins ties.
    for match in matches:
        tie = match.chaos == best.chaos and match.coherence == best.coherence
        if tie and match.encoding == "cp1252":
            return str(match)
    return str(best)


def lead_title(text: str, max_words: int = 12) -> str:
    """A displayable title from the first sentence, cut to ``max_words`` words."""
    sentences = sentence_texts(text)
    words = (sentences[0] if sentences else text).split()
    if len(words) <= max_words:
        return " ".join(words)
    return " ".join(words[:max_words]).rstrip(",;:–—-") + "…"


class PlainTextExtractor:
    """Extracts an article from a plain-text or Markdown document with ``PlainTextCleaner``."""

    def __init__(
        self, cleaner: PlainTextCleaner | None = None, settings: Settings | None = None
    ) -> None:
        self.cleaner = cleaner or PlainTextCleaner()
        self.settings = settings or Settings()

    def extract(self, doc: RawDocument) -> Article:
        """Decode, clean and wrap ``doc`` as an article; raise if nothing is left."""
        limit = self.settings.max_text_chars
        # Four bytes a character at most: a body over that fails before it is decoded.
        text = "" if len(doc.body) > 4 * limit else decode_text(doc.body, doc.encoding)
        if len(doc.body) > 4 * limit or len(text) > limit:
            size = f"{len(text):,} characters" if text else f"{len(doc.body):,} bytes"
            raise TooLarge(
                f"{doc.id}: {size} of text, over the limit of {limit:,} characters; "
                "split the file or raise Settings.max_text_chars"
            )
        name = PurePath(doc.url or doc.id).name.lower().removesuffix(".gz")
        clean = self.cleaner.clean(text, markdown=name.endswith((".md", ".markdown")))
        if not clean.text.strip():
            what = "only page junk" if clean.removed else "no text"
            raise EmptyDocument(
                f"{doc.id}: {what} left after cleaning; check that the file holds an article's "
                "text (a binary or empty file cannot be read as plain text)"
            )
        return Article(
            key=doc.key,
            id=doc.id,
            title=doc.hints.title or clean.title or lead_title(clean.text),
            text=clean.text,
            outlet=fallback_outlet(doc),
            url=doc.url,
            published=doc.hints.published,
            byline=doc.hints.byline or clean.byline,
            language=doc.hints.language,
            removed=clean.removed,
            provenance=clean.provenance,
        )
