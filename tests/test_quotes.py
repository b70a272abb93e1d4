"""Direct quotes and their speakers; comparing the same quote across outlets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.analyse.quotes import (
    Quote,
    find_quotes,
    is_verbatim,
    normalise_quote,
    quote_overlap,
)

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

# A fictional report with most ways newspapers attribute quotes.
HARBOUR = """Harbour officials in the Republic of Valdoria said on Monday that the new sea wall \
would be finished by spring.

Marta Quell, the director of the Institute for Coastal Studies, said the project was overdue. \
"We have waited eleven years for this," she said.

"Nobody in this town will forget the flood of 2019."

Quell added that the wall was "only the first step".

Prime Minister Tobias Renn told the Valdorian Herald: "We will not leave the harbour towns behind."

"The money is already in the budget," Renn said, "and the engineers start next week."

According to Ferdinand Osei, a senior engineer at Larkspur Holdings, the wall can hold back \
"a once-in-a-century surge".

The so-called “reform” passed without a vote.

"It is too little, too late," said Ines Varga, a councillor for the Green League.
“She is right about the timing.
“But the design is sound,” Osei said.

The opposition leader, Paul Drever, wrote on X that the plan was “a gift to contractors”.
"We will keep asking questions," he told reporters.
"""


def speakers(text: str) -> list[tuple[str | None, str]]:
    return [(q.speaker, q.text) for q in find_quotes(text)]


def quote_with(text: str, words: str) -> Quote:
    found = [q for q in find_quotes(text) if words in q.text]
    assert found, f"no quote with {words!r} in {speakers(text)}"
    return found[0]


@pytest.mark.parametrize(
    ("words", "speaker"),
    [
        ("waited eleven years", "Marta Quell"),  # "she said" after a named subject
        ("Nobody in this town", "Marta Quell"),  # a paragraph that goes on quoting
        ("only the first step", "Marta Quell"),  # surname -> full name, partial quote
        ("leave the harbour towns", "Tobias Renn"),  # title stripped, "X told Y: “…”"
        ("already in the budget", "Tobias Renn"),
        ("engineers start next week", "Tobias Renn"),  # quote split around "Renn said"
        ("once-in-a-century", "Ferdinand Osei"),  # "According to X, …"
        ("too little, too late", "Ines Varga"),  # "…,” said X, a …"
        ("design is sound", "Ferdinand Osei"),  # a quote running over two paragraphs
        ("a gift to contractors", "Paul Drever"),  # "X wrote on X that “…”"
        ("keep asking questions", "Paul Drever"),  # "he told reporters"
    ],
)
def test_speakers_are_found_and_resolved(words: str, speaker: str) -> None:
    assert quote_with(HARBOUR, words).speaker == speaker


def test_scare_quotes_have_no_speaker() -> None:
    assert quote_with(HARBOUR, "reform").speaker is None


def test_partial_quotes_are_marked() -> None:
    assert quote_with(HARBOUR, "only the first step").partial
    assert not quote_with(HARBOUR, "waited eleven years").partial


def test_a_quote_left_open_at_a_paragraph_end_runs_on() -> None:
    q = quote_with(HARBOUR, "right about the timing")
    assert "But the design is sound" in q.text
    assert HARBOUR[q.start : q.end] == q.text


def test_quote_text_is_exactly_what_stands_between_the_marks() -> None:
    for q in find_quotes(HARBOUR):
        assert HARBOUR[q.start : q.end] == q.text
        assert HARBOUR[q.start - 1] in '"“‘'


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "The city's pick for harbour master, Deputy Mayor Ana Ruiz, called it “a disgrace”.",
            "Ana Ruiz",
        ),
        (
            "The count slowed before the arrival of Carl Bent — who has praised Governor Ida "
            "Moss, and vowed to fix the port in “one month” — on Friday.",
            "Carl Bent",
        ),
        (
            "Former minister Hugo Lind accused Rosa Fell of trying to “bury the report”.",
            "Hugo Lind",
        ),
        ("The ministry said the tanks were “ready for inspection”.", "The ministry"),
        ("Speaking in Tarsk, Mira Holm said Ivo Stenn “does not want a deal”.", "Mira Holm"),
        ('"We are ready," the spokeswoman said.', "the spokeswoman"),
    ],
)
def test_attribution_patterns(text: str, speaker: str) -> None:
    assert find_quotes(text)[0].speaker == speaker


def test_pronouns_skip_people_named_as_objects() -> None:
    text = (
        "Former aide Dana Pike also accused Governor Ida Moss of “wasting the summer”.\n\n"
        "“This is as if she has given up. Everything has changed,” she said."
    )
    assert [q.speaker for q in find_quotes(text)] == ["Dana Pike", "Dana Pike"]


def test_it_said_resolves_to_a_place_or_organisation() -> None:
    text = (
        "Kaldor also said on Tuesday that the drills had ended, in what it called a “new "
        "phase” of the standoff."
    )
    assert find_quotes(text)[0].speaker == "Kaldor"


def test_mismatched_and_straight_marks_pair_by_context() -> None:
    text = 'They vowed support for "as long as it takes“. Then "it ends," she said.'
    assert [q.text for q in find_quotes(text)] == ["as long as it takes", "it ends,"]


def test_normalise_quote_drops_marks_case_and_punctuation() -> None:
    assert normalise_quote("“World War 3 going,” ") == "world war 3 going"
    assert normalise_quote("It’s [the city] that’s late…") == "it's that's late"


def test_overlap_and_verbatim_tell_exact_from_paraphrased() -> None:
    full = "the city seems to want to make sure they get the strike going before the vote"
    part = "get the strike going before the vote"
    assert quote_overlap(part, full) == 1.0 and is_verbatim(part, full)
    said, written = "missiles will speak for themselves", "the missiles would speak for themselves"
    assert 0.5 < quote_overlap(said, written) < 1.0
    assert not is_verbatim(said, written)
    assert is_verbatim("There are still … who believe", "There are still many who believe")
    assert is_verbatim(
        "the least risky thing [they] could have done", "the least risky thing we could have done"
    )
    assert quote_overlap("", "anything") == 0.0


def _seed(prefix: str) -> str:
    paths = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not paths:
        pytest.skip(f"seed {prefix} is absent from {SEEDS}: the shared seeds sit beside the repo")
    return paths[0].read_text(encoding="utf-8")


def test_seed_quotes_have_their_speakers() -> None:
    first, wire = _seed("000"), _seed("002")
    war3 = [quote_with(first, "World War 3"), quote_with(wire, "World War 3")]
    assert [q.speaker for q in war3] == ["Donald Trump Jr", "Donald Trump Jr"]
    assert quote_overlap(war3[0].text, war3[1].text) == 1.0
    assert quote_with(first, "are at war with Russia").speaker == "Vladimir Putin"
    at_war = quote_with(wire, "at war")
    assert at_war.text == "at war" and at_war.partial
    assert at_war.speaker == "Vladimir Putin"
    assert quote_with(first, "escalation ladder").speaker == "Mike Waltz"
    assert quote_with(first, "nobody knows where this is going").speaker == "Mike Waltz"
    assert quote_with(wire, "definition of insanity").speaker == "Mike Waltz"
    assert quote_with(wire, "stalemate").speaker == "Mike Waltz"
    # The analyst is named once in full, then by surname: each quote gets the full name.
    for words in ("rare that a decision", "My own feeling", "afraid of letting", "extremely"):
        speaker = quote_with(first, words).speaker or ""
        assert speaker.endswith(" Lieven") and len(speaker.split()) == 2, words


_QUOTEISH = st.sampled_from(
    [
        '"', "“", "”", "‘", "’", "'", "he said", "she told", "said", "Marta Quell", "Quell", "X",
        ",", ".", ":", "\n", "\n\n", "according to", "the", "who", "war", "it", "called",
        "Mr", "Dr.", "—", "(", ")", "…",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=150), st.lists(_QUOTEISH, max_size=30).map(" ".join)))
def test_never_crashes_and_spans_point_at_their_text(text: str) -> None:
    previous_end = -1
    for q in find_quotes(text):
        assert text[q.start : q.end] == q.text
        assert q.start > previous_end  # in order, not overlapping
        assert q.speaker is None or q.speaker.strip()
        previous_end = q.end
