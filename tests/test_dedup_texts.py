"""Fictional articles for the dedup and relate tests (outlets and events are invented)."""

# ruff: noqa: E501 (article paragraphs are kept one per line, as articles have them)

from __future__ import annotations

from datetime import UTC, datetime

from parallax.models import Article

BRIDGE_ORIGINAL = """\
The Harrowgate Bridge, a 420-metre suspension span over the River Vessa, opened to traffic in Eldermoor on Saturday after four years of construction.
Mayor Ilse Brandt cut the ribbon at dawn before a crowd of about 3,000 residents, many of whom had waited through the night.
The bridge cost 86 million crowns, 12 million more than the city council approved in 2021, largely because of a steel shortage.
Engineers from the firm Koval & Drew designed the deck to withstand winds of up to 160 kilometres an hour.
Commuters from the eastern suburbs are expected to save up to 25 minutes a day, according to the regional transport office.
The old ferry service, which carried passengers across the river for more than a century, will stop running at the end of the month.
Some ferry workers have protested against the closure, saying the city offered them no retraining.
The council said it would review the workers' complaints at its next meeting in June.
Cyclists will be able to use a separate lane on the bridge's northern side from next week.
"""

# A machine rewrite of BRIDGE_ORIGINAL: the same sentences in the same order,
# paraphrased, with one invented claim and a closing opinion.
BRIDGE_REWRITE = """\
After four years of building work, Eldermoor's Harrowgate Bridge, a suspension bridge stretching 420 metres across the River Vessa, was opened to vehicles on Saturday.
At sunrise, Mayor Ilse Brandt cut the ceremonial ribbon in front of roughly 3,000 locals, several of whom had stayed up all night to watch.
Construction came to 86 million crowns, which is 12 million above the budget the council signed off in 2021, mostly due to a lack of steel.
The deck, designed by the engineering company Koval & Drew, can cope with gusts reaching 160 km per hour.
The regional transport office estimates that people commuting from the eastern suburbs could cut as much as 25 minutes from their daily journeys.
The century-old ferry that has taken passengers over the river will cease operating when the month ends.
Critics say the bridge is the most expensive infrastructure blunder in the nation's history.
Ferry staff have staged protests against the shutdown, arguing that the city did not offer them any retraining.
The bridge marks a bold new chapter for Eldermoor and a triumph of modern engineering.
"""

REWRITE_ADDED_CLAIM = "most expensive infrastructure blunder"

# An independent report of the same opening: shared facts, its own sentences.
BRIDGE_OTHER = """\
Thousands of people crossed the new Harrowgate Bridge on foot on Saturday morning, hours before the first cars were allowed onto the span.
"I have waited my whole life to walk across the Vessa," said Tomas Rell, 71, who arrived at 2 a.m. with a thermos of tea.
Police closed the riverside road for the ceremony and reported no incidents during the day.
The project's chief engineer, Marta Koval, said the structure had passed its final load test on Wednesday, when 40 loaded lorries were parked on the deck.
Local businesses on the eastern bank said they hoped the bridge would bring more customers, although some shop owners worry about parking.
The ferry operators' union has called a demonstration for next Friday outside the town hall, in protest at the end of the river service.
Opposition councillors have asked for an audit of the project's budget overrun, which they blame on poor planning.
A fireworks display over the river is planned for Saturday evening, weather permitting.
"""

# A different story altogether.
ORCHARD = """\
Apple growers in the Lindqvist valley expect their smallest harvest in a decade after a late frost in April destroyed most of the blossom.
The growers' cooperative said yields could fall by as much as 60 percent compared with last year.
Several farms have already cut the hours of seasonal pickers, and the cooperative has asked the regional government for emergency support.
Prices for cider apples have doubled at the Lindqvist market since May.
"""

# Page furniture a site puts around an article.
JUNK_TOP = "Home | News | Regional | Opinion\nAdvertisement\nShare this article\n"
JUNK_BOTTOM = (
    "Visited 57 times, 2 visit(s) today\n"
    "Sign up for our free newsletter for the latest updates\n"
    "Related Articles\n"
    "Orchard owners count the cost of the April frost in the Lindqvist valley\n"
    "Growers in the valley expect their smallest harvest in a decade after a late frost destroyed "
    "most of the blossom, and the cooperative has asked for support\n"
    "0 Comments\n"
)


def article(
    key: str,
    text: str,
    *,
    outlet: str | None = None,
    title: str = "",
    day: int | None = None,
) -> Article:
    """A test article; ``day`` sets a publication date in March 2031."""
    published = datetime(2031, 3, day, 9, 0, tzinfo=UTC) if day else None
    return Article(
        key=key, id=key, title=title, text=text, outlet=outlet or key, published=published
    )


def edited_copy(text: str) -> str:
    """``text`` as a wire client runs it: words changed, last paragraph dropped, junk around."""
    lines = text.strip().split("\n")[:-1]
    lines[0] = lines[0].replace("on Saturday", "this weekend")
    lines[2] = lines[2].replace("largely", "mainly")
    lines[4] = lines[4].replace("Commuters", "Drivers")
    return JUNK_TOP + "\n".join(lines) + "\n" + JUNK_BOTTOM
