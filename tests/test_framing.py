"""Framing terms from the lexicon: categories with sources, matching, extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.analyse.framing import (
    FramingLexicon,
    compile_term,
    find_framing,
    framing_terms,
    load_lexicon,
)
from parallax.errors import InputError
from parallax.models import FramingTerm

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

HARBOUR = """The lame duck mayor of Tarsk reportedly approved the sea wall on Monday.
According to reports, unnamed senior port officials slammed the so-called reform as a \
cynical move by the Valdorian regime.
Critics say the monster 40 million crown funding round was unprecedented.
"It is an absolutely shameful waste," said councillor Ines Varga.
Unsurprisingly, the regimen of daily inspections continues.
"""


def terms(text: str) -> dict[str, str]:
    return {m.term: m.category for m in find_framing(text)}


def test_every_category_says_where_it_comes_from() -> None:
    lexicon = load_lexicon()
    names = {c.name for c in lexicon.categories}
    assert {"loaded_label", "evaluative", "intensifier", "hedge", "attribution"} <= names
    for category in lexicon.categories:
        assert category.description and category.terms
        assert len(category.source) > 40, category.name  # a citation, not a word


@pytest.mark.parametrize(
    ("written", "category"),
    [
        ("lame duck", "loaded_label"),  # entry "lame-duck": a space matches the hyphen
        ("reportedly", "hedge"),
        ("According to reports", "attribution"),
        ("unnamed senior port officials", "attribution"),  # "unnamed ... official"
        ("slammed", "loaded_verb"),  # "slam", inflected
        ("so-called", "loaded_label"),
        ("cynical", "evaluative"),
        ("regime", "loaded_label"),
        ("Critics say", "attribution"),
        ("monster 40 million crown funding round", "evaluative"),  # "monster ... round"
        ("unprecedented", "evaluative"),
        ("Unsurprisingly", "editorializing"),
    ],
)
def test_terms_found_with_their_category(written: str, category: str) -> None:
    assert terms(HARBOUR).get(written) == category


def test_matching_respects_word_boundaries() -> None:
    found = terms(HARBOUR)
    assert "regimen" not in found
    assert not find_framing("The boldface headline and the bolder font.")


def test_quoted_speech_is_the_speakers_not_the_outlets() -> None:
    assert "absolutely" not in terms(HARBOUR) and "shameful" not in terms(HARBOUR)
    quoted = {m.term for m in find_framing(HARBOUR, include_quoted=True)}
    assert {"absolutely", "shameful"} <= quoted


def test_scare_quotes_still_count() -> None:
    assert terms("The paper called it a “terrorist” cell.") == {"terrorist": "loaded_label"}


@pytest.mark.parametrize(
    ("entry", "text", "found"),
    [
        ("slam", "She slams it. He slammed it. They are slamming it.", 3),
        ("lash+ out", "He lashed out at the board and lashes out again.", 2),
        ("illegally annex", "The region was illegally annexed in 2014.", 1),
        ("Democrat-aligned", "a Democrat aligned paper and a democrat-aligned one", 2),
        ("unnamed ... official", "unnamed U.S. officials; unnamed officials; unnamed", 2),
        ("regime", "regimes, regime, regimen, regimental", 2),
    ],
)
def test_compiled_terms(entry: str, text: str, found: int) -> None:
    assert len(compile_term(entry).findall(text)) == found


def test_framing_terms_are_model_records_with_their_sentence() -> None:
    found = framing_terms(HARBOUR, article="a7")
    assert all(isinstance(t, FramingTerm) and t.article == "a7" for t in found)
    first = found[0]
    assert first.term == "lame duck"
    assert (
        first.sentence == "The lame duck mayor of Tarsk reportedly approved the sea wall on Monday."
    )


def test_overlapping_terms_keep_the_longest() -> None:
    found = find_framing("Reports also claimed the talks had failed to start.")
    assert [(m.term, m.category) for m in found] == [
        ("Reports also claimed", "attribution"),
        ("failed to", "loaded_verb"),
    ]


def test_a_user_lexicon_extends_the_bundled_one(tmp_path: Path) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text(
        '[categories.hedge]\nterms = ["word on the street"]\n\n'
        '[categories.euphemism]\ndescription = "Softened words."\n'
        'source = "Wikipedia Words to watch: euphemisms (MOS:EUPHEMISM)."\n'
        'terms = ["collateral damage", "pass+ away"]\n',
        encoding="utf-8",
    )
    lexicon = load_lexicon(extra)
    text = "Word on the street is that the collateral damage was light. He passed away."
    found = {m.term: m.category for m in find_framing(text, lexicon)}
    assert found == {
        "Word on the street": "hedge",
        "collateral damage": "euphemism",
        "passed away": "euphemism",
    }
    hedge = next(c for c in lexicon.categories if c.name == "hedge")
    assert "reportedly" in hedge.terms and hedge.source  # merged, not replaced


def test_a_broken_lexicon_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[categories.x\nterms = 3", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.toml"):
        load_lexicon(broken)
    no_terms = tmp_path / "no_terms.toml"
    no_terms.write_text("[categories.x]\nterms = 3\n", encoding="utf-8")
    with pytest.raises(InputError, match="'x' needs a list"):
        load_lexicon(no_terms)
    with pytest.raises(InputError, match=r"missing\.toml"):
        load_lexicon(tmp_path / "missing.toml")


def test_an_empty_lexicon_finds_nothing() -> None:
    assert find_framing(HARBOUR, FramingLexicon([])) == []


def _seed(prefix: str) -> str:
    paths = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not paths:
        pytest.skip(f"seed {prefix} is absent from {SEEDS}: the shared seeds sit beside the repo")
    return paths[0].read_text(encoding="utf-8")


def test_seed_partisan_wording_is_flagged() -> None:
    found = {(t.term, t.category) for t in framing_terms(_seed("003"), article="003")}
    assert {
        ("lame-duck", "loaded_label"),
        ("Democrat-aligned", "loaded_label"),
        ("reportedly", "hedge"),
        ("unnamed U.S. officials", "attribution"),
        ("illegally annexed", "loaded_label"),
    } <= found
    wire = {(t.term, t.category) for t in framing_terms(_seed("002"))}
    assert ("bold", "evaluative") in wire
