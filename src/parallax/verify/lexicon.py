"""Word lists the checks rely on: stop words, negators, hedges, antonyms, evaluative terms.

General English, written for the project; nothing here is fitted to a data set.
"""

from __future__ import annotations

STOPWORDS = frozenset(
    """
    a an the and or but if then so of to in on at by for with from as into onto about over
    under than that this these those there here it its is are was were be been being am do
    does did done have has had having i me my we our us you your he him his she her they them
    their what which who whom whose when where why how all any both each few more most other
    some such only own same too very can will just should now also would could may might must
    shall up down out off again further once during before after above below between through
    while because until against yet per via among upon within without including according said
    says say s t d ll re ve m o y mr mrs ms dr one ones another whether however though although
    even still ever again around across along amid toward towards onto
    """.split()
)

NEGATORS = frozenset(
    """
    not no never none nobody nothing neither nor without cannot nowhere n't
    """.split()
)

# Words that commit to a claim less firmly than a plain statement does.
HEDGES = frozenset(
    """
    may might could possibly perhaps probably likely unlikely potentially reportedly allegedly
    apparently seemingly suggest suggests suggested speculate speculated expect expected
    expects considering consider considers plan plans planned propose proposed proposes
    """.split()
)
# Words that commit firmly (or to a future fact).
CERTAINTY = frozenset("will definitely certainly undoubtedly surely must guaranteed".split())

# Markers that put an event in the future, and that put it in the past.
FUTURE_MARKERS = (
    "upcoming",
    "forthcoming",
    "coming",
    "impending",
    "looming",
    "scheduled",
    "planned",
    "next",
    "future",
    "ahead of the",
    "before the",
    "will be held",
    "yet to",
)
PAST_MARKERS = (
    "in the wake of the",
    "after the",
    "since the",
    "following the",
    "aftermath of the",
    "won the",
    "lost the",
    "results of the",
    "result of the",
    "outcome of the",
    "held the",
    "last",
    "recent",
    "previous",
    "concluded",
    "ended",
)
# Events that happen once at a time, so "upcoming X" and "after X" contradict.
EVENT_NOUNS = frozenset(
    """
    election elections vote referendum poll polls primary primaries summit meeting talks
    ceremony inauguration trial hearing verdict launch match final game games tournament
    conference visit debate release merger deal wedding funeral race season
    """.split()
)
# "-elect" titles mean the election is over.
ELECTED_TITLES = ("president-elect", "vice president-elect", "governor-elect", "mayor-elect")

# Evaluative and opinion words a neutral summary only repeats, never adds.
EVALUATIVE = frozenset(
    """
    proactive remarkable remarkably impressive admirable commendable brilliant disgraceful
    shocking shameful outrageous alarming troubling worrying encouraging promising hopeful
    hope hopes hopeful unfortunately fortunately clearly obviously undoubtedly sadly happily
    wise unwise foolish reckless bold courageous cowardly heroic tragic terrible wonderful
    excellent poor great greatest worst best significant significantly crucial vital
    essential important importantly notably interestingly ironically surprisingly
    ultimately strengthen effective ineffective successful unsuccessful failure triumph
    disastrous catastrophic controversial complex interplay landmark historic unprecedented
    """.split()
)
OPINION_OPENERS = (
    "in summary",
    "in conclusion",
    "overall",
    "ultimately",
    "it is clear",
    "it remains to be seen",
    "only time will tell",
    "this shows",
    "this highlights",
    "this demonstrates",
    "this underscores",
    "it highlights",
    "it underscores",
    "in my view",
    "i think",
    "we believe",
    "arguably",
)

# Pairs of words (lower case) with opposite meanings; each pair is read both ways.
_ANTONYM_TEXT = """
increase decrease|increase decline|increase drop|increase fall|increase cut|increase reduce
increase reduction|rise fall|rise decline|rise drop|raise lower|raise cut|grow shrink
growth decline|growth contraction|gain loss|gain lose|win lose|win loss|won lost|victory defeat
higher lower|high low|more fewer|many few|much little
larger smaller|large small|big small|bigger smaller|greater lesser|maximum minimum
long short|longer shorter|begin end
start end|start finish|started ended|open close|opened closed|opening closing|enter exit
arrive depart|arrival departure|ahead behind|ahead back|forward backward
forward backwards|new old|newer older|young old|younger older|modern ancient
strong weak|stronger weaker|strength weakness|strengthen weaken|hard soft|hard easy
difficult easy|easier harder|simple complex|fast slow|faster slower|quick slow
rapid slow|rich poor|wealthy poor|cheap expensive|cheaper costlier|profit loss
profitable unprofitable|surplus deficit|asset liability|buy sell|bought sold|buyer seller
import export|imports exports|borrow lend|lender borrower|debit credit|expand contract
expansion contraction|boom bust|bull bear|bullish bearish|optimistic pessimistic
optimism pessimism|positive negative|good bad|better worse|best worst|right wrong
correct incorrect|true false|truth lie|honest dishonest|legal illegal|lawful unlawful
guilty innocent|convicted acquitted|arrested acquitted|charged acquitted
conviction acquittal|arrested released|arrest release
accept reject|accepted rejected|approve reject|approved rejected|approval rejection
allow forbid|allow ban|allowed banned|allow prohibit|permit prohibit|permit ban
support oppose|supported opposed|supporter opponent|supporters opponents|
agree disagree|agreed disagreed|agreement disagreement|ally enemy|allies enemies
friend enemy|friendly hostile|peace war|peaceful violent|calm violent|attack defend
attack defence|attack defense|offense defense|offensive defensive|victory loss
success failure|succeed fail|succeeded failed|successful failed|pass fail|passed failed
include exclude|included excluded|inclusion exclusion|add remove|added removed
join leave|joined left|hire fire|hired fired|hiring layoffs|employ dismiss|employed unemployed
employment unemployment|present absent|presence absence|public private|domestic foreign
internal external|inside outside|indoor outdoor|north south|east west|northern southern
eastern western|top bottom|upper lower|inner outer
rural urban|local national|male female|man woman|men women|boy girl|husband wife
father mother|son daughter|brother sister|king queen|
alive dead|live die|living dead|birth death|born died|life death|survive die
survived died|healthy sick|health illness|safe dangerous|safety danger|safe unsafe
secure insecure|stable unstable|certain uncertain|clear unclear|known unknown|likely unlikely
possible impossible|able unable|capable incapable|willing unwilling|happy sad|happy unhappy
love hate|like dislike|praise criticise|praise criticize|praised criticised
praised criticized|praise condemn|praised condemned|welcome condemn|welcomed condemned
reward punish|rewarded punished|benefit harm|beneficial harmful|help hurt|helped hurt
help harm|helpful harmful|advantage disadvantage|strength weakness|protect endanger
save waste|saving spending|spend save|spent saved|cost saving|include omit|remember forget
remembered forgot|find lose|found lost|show hide|showed hid|reveal conceal|revealed concealed
confirm deny|confirmed denied|admit deny|admitted denied|affirm deny|prove disprove
proved disproved|true untrue|real fake|genuine fake|original copy|same different
similar different|equal unequal|majority minority|always never|often rarely
frequent rare|frequently rarely|common rare|usual unusual|normal abnormal|regular irregular
ordinary extraordinary|typical atypical|full empty|filled emptied|heavy light|thick thin
wide narrow|deep shallow|hot cold|warm cool|warmer cooler|wet dry|sunny cloudy|sunny rainy
dawn dusk|summer winter|spring autumn|light dark|bright dark
black white|loud quiet|noisy quiet|busy idle|active inactive|activate deactivate
enable disable|enabled disabled|online offline|connect disconnect|connected disconnected
lock unlock|locked unlocked|tie untie|include exclude|accept decline|accepted declined
invite exclude|attend skip|attended missed|catch miss|caught missed|hit miss|win miss
pull push|push pull|gave took|send receive|sent received|sender recipient
teacher student|employer employee|landlord tenant|parent child|host guest|winner loser
leader follower|master servant|plaintiff defendant|prosecution defence|prosecution defense
prosecutor defender|buyer vendor|supply demand|input output|cause effect|question answer
ask answer|problem solution|mistake correction|lead trail|leading trailing|led trailed
boost cut|boost reduce|bolster weaken|prop sink|prop undermine|support undermine
support sink|rescue abandon|rescue sink|struggling thriving|troubled thriving|troubled triumphant
struggling prospering|struggle thrive|fail thrive|failing thriving|decline recover
recession recovery|crisis recovery|collapse recovery|collapse boom|shortage surplus
scarce abundant|scarcity abundance|lack abundance|rise sink|soar plunge|soared plunged
surge slump|surged slumped|jump drop|jumped dropped|climb fall|climbed fell|rally slump
upgrade downgrade|upgraded downgraded|promote demote|promoted demoted|appoint dismiss
appointed dismissed|elect defeat|elected defeated|resign remain|inflow outflow|deposit withdraw
deposit withdrawal|sign veto|signed vetoed|pass veto|ratify reject|legalize ban|legalise ban
legalized banned|legalised banned|increase freeze|raise freeze|lift impose|lifted imposed
ease tighten|eased tightened|loosen tighten|relax tighten|relaxed tightened|dovish hawkish
mild severe|minor major|slight significant|slightly significantly|partial complete
partially completely|temporary permanent|temporarily permanently|short-term long-term
interim permanent
beginning end|first final|initial final|initially finally|inbound outbound|import export
everyone nobody|everything nothing|somebody nobody|something nothing|accurate inaccurate
consistent inconsistent|efficient inefficient|effective ineffective|responsible irresponsible
relevant irrelevant|sufficient insufficient|adequate inadequate|competent incompetent
formal informal|official unofficial|direct indirect|directly indirectly|visible invisible
fair unfair|just unjust|kind cruel|polite rude|patient impatient|calm angry|calm anxious
relaxed stressed|confident nervous|satisfied dissatisfied|satisfied unsatisfied
pleased displeased|interested uninterested|interesting boring|exciting boring|excited bored
familiar unfamiliar|aware unaware|conscious unconscious|expected unexpected|planned unplanned
intentional accidental|deliberately accidentally|voluntary compulsory|voluntary mandatory
optional mandatory|optional required|allowed required|cheap costly|affordable expensive
overvalued undervalued|overestimate underestimate|overestimated underestimated
outperform underperform|outperformed underperformed|exceed miss|exceeded missed|beat miss
beat missed|above-average below-average|positive adverse|upside downside|gains losses
profits losses|revenue expense|revenues expenses|income expense|credit debt|inflation deflation
asleep awake|sleep wake|on-time delayed|early delayed|punctual late|fix break|fixed broken
repair damage|repaired damaged|build destroy|built destroyed|construct demolish|create destroy
created destroyed|make break|raise lower|raised lowered|lift lower|lifted lowered
agree refuse|agreed refused|accept refuse|accepted refused|obey disobey|follow ignore
followed ignored|remember ignore|include ignore|attend avoid|approach avoid|encourage discourage
encouraged discouraged|encourage deter|motivate discourage|like hate|liked hated|enjoy hate
enjoyed hated|prefer dislike|preferred disliked|pleasant unpleasant|comfortable uncomfortable
convenient inconvenient|easy hard|light heavy|lightly heavily|strict lenient|harsh lenient
"""


def _antonym_pairs() -> dict[str, frozenset[str]]:
    """Each word and the words opposite to it."""
    table: dict[str, set[str]] = {}
    for pair in _ANTONYM_TEXT.replace("\n", "|").split("|"):
        words = pair.split()
        if len(words) != 2:
            continue
        a, b = words
        table.setdefault(a, set()).add(b)
        table.setdefault(b, set()).add(a)
    return {word: frozenset(others) for word, others in table.items()}


ANTONYMS = _antonym_pairs()

# Closed classes: words that stand in for one another without meaning the same,
# so one in place of another is a changed fact ("green" paint for "yellow").
CLOSED_CLASSES: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "red orange yellow green blue purple violet pink brown black white grey gray gold silver",
        "north south east west northern southern eastern western northeast northwest southeast "
        "southwest",
        "monday tuesday wednesday thursday friday saturday sunday",
        "january february march april june july august september october november december",
        "spring summer autumn winter",
        "man woman boy girl husband wife son daughter mother father brother sister uncle aunt "
        "grandmother grandfather king queen prince princess male female",
        "daily weekly monthly quarterly annually yearly",
        "gold silver bronze",
    )
)

# Names that stand for a government or institution by its seat: any of the
# words after it in the sources supports the name.
METONYMS: dict[str, tuple[str, ...]] = {
    "kremlin": ("russia", "russian", "moscow", "putin"),
    "white house": ("united states", "us", "u.s.", "washington", "president", "administration"),
    "pentagon": ("defense", "defence", "military", "united states", "us", "u.s."),
    "downing street": ("prime minister", "british", "united kingdom", "uk", "u.k.", "london"),
    "elysee": ("france", "french", "macron", "paris"),
    "capitol hill": ("congress", "lawmakers", "senate"),
    "whitehall": ("british", "government", "london"),
    "beijing": ("china", "chinese"),
    "moscow": ("russia", "russian", "kremlin"),
    "washington": ("united states", "us", "u.s.", "american"),
    "kyiv": ("ukraine", "ukrainian"),
    "brussels": ("european union", "eu", "nato"),
}
