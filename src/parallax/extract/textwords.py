"""Word lists the plain-text cleaner judges blocks by: pure data, extend them freely.

Words are lower case; furniture words are looked up with their -s, -ed and
-ing forms (``inflections``), so list a word once in its base form.
"""

from __future__ import annotations

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
# Words that open a picture credit or caption: 'Photo: ...', 'Image by ...'.
CREDIT_WORDS = frozenset(
    "photo photos image images picture credit illustration photograph caption graphic".split()
)


def inflections(words: frozenset[str]) -> frozenset[str]:
    """The words with their -s, -ed and -ing forms, so lookups need no stemming."""
    forms = set(words)
    for w in words:
        forms.update((w + "s", w + "ed", w + "d", w + "ing", w.removesuffix("e") + "ing"))
    return frozenset(forms)


# Furniture words by weight: a strong word counts double.
FURNITURE = {w: 0.5 for w in inflections(WEAK_FURNITURE)}
FURNITURE |= {w: 1.0 for w in inflections(STRONG_FURNITURE)}
FURNITURE_WORDS = frozenset(FURNITURE)
