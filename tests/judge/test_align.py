"""Sentence alignment between a copy and its origin, and the word substitutions it reveals."""

from __future__ import annotations

import pytest

from byline.judge.align import align, quoted_sentences, word_diff
from byline.judge.text import sentences

ORIGIN = (
    "Hackers have crippled the computer network of eleven hospitals in northern Valdoria, "
    "forcing doctors back to paper records, health officials said on Wednesday.\n"
    "The attack on the Northern Valdoria Health Board was detected at 2:40 a.m. on Tuesday, "
    "when staff found they could no longer open patient files.\n"
    '"We will not pay criminals," Health Minister Pavla Surrel said.\n'
    "The board said 340 planned operations had been postponed across the region."
)
SPUN = (
    "Robbers have crippled the computer network of eleven hospitals in northern Valdoria, "
    "forcing medical doctors back to paper information, health officials stated on Wednesday.\n"
    "The assault on the Northern Valdoria Health Board was detected at 2:40 a.m. on Tuesday, "
    "when workers found they could no longer open patient files.\n"
    '"We will not pay criminals," Health Minister Pavla Surrel stated.\n'
    "The board stated 340 deliberate operations had been postponed across the area."
)
UNRELATED = (
    "The central bank raised its main interest rate by half a point on Thursday. "
    "Governor Elin Straum said the bank was ready to act again if prices kept rising. "
    "Shares in the largest lenders rose after the announcement."
)


def test_verbatim_copy_aligns_fully() -> None:
    result = align(ORIGIN, ORIGIN)
    assert result.copy_sentences == result.origin_sentences == 4
    assert len(result.pairs) == 4
    assert result.copy_coverage == 1.0
    assert result.origin_coverage == 1.0
    assert result.mean_ratio == 1.0
    assert result.substitutions == ()
    assert result.substitution_rate == 0.0


def test_spun_sentences_yield_substitutions() -> None:
    result = align(ORIGIN, SPUN)
    assert result.copy_coverage == 1.0
    assert 0.5 <= result.mean_ratio < 0.95
    subs = set(result.substitutions)
    assert ("hackers", "robbers") in subs
    assert ("attack", "assault") in subs
    assert ("staff", "workers") in subs
    assert ("planned", "deliberate") in subs
    assert ("said", "stated") in subs
    assert ("records", "information") in subs
    assert result.substituted_words >= 8
    assert 0.04 < result.substitution_rate < 0.5
    # names, numbers and quotes are not substitutions
    assert not any("surrel" in a or "340" in a or "criminals" in a for a, _ in subs)


def test_pairs_name_origin_then_copy_sentence() -> None:
    result = align(ORIGIN, SPUN)
    origin_sentence, copy_sentence, ratio = result.pairs[0]
    assert origin_sentence.startswith("Hackers have crippled")
    assert copy_sentence.startswith("Robbers have crippled")
    assert 0.5 <= ratio < 1.0


def test_reordered_sentences_still_align() -> None:
    reordered = "\n".join(reversed(ORIGIN.splitlines()))
    result = align(ORIGIN, reordered)
    assert result.copy_coverage == 1.0
    assert result.mean_ratio == 1.0
    assert result.pairs[0][0].startswith("The board said 340")


def test_in_order_is_the_share_of_pairs_that_keep_the_origins_order() -> None:
    lines = ORIGIN.splitlines()
    assert align(ORIGIN, ORIGIN).in_order == 1.0
    assert align(ORIGIN, "\n".join(reversed(lines))).in_order == pytest.approx(1 / len(lines))
    swapped = "\n".join([lines[1], lines[0], *lines[2:]])  # one pair out of place
    assert align(ORIGIN, swapped).in_order == pytest.approx((len(lines) - 1) / len(lines))
    assert align(ORIGIN, UNRELATED).in_order == 0.0


def test_unrelated_text_does_not_align() -> None:
    result = align(ORIGIN, UNRELATED)
    assert result.pairs == ()
    assert result.copy_coverage == 0.0
    assert result.mean_ratio == 0.0


def test_partial_copy_covers_part_of_the_origin() -> None:
    copy = ORIGIN.splitlines()[0] + "\n" + UNRELATED
    result = align(ORIGIN, copy)
    assert len(result.pairs) == 1
    first = len(ORIGIN.splitlines()[0].split())
    # Coverage counts words: the one aligned sentence's share of all the copy's words.
    assert result.copy_coverage == pytest.approx(first / len(copy.split()), abs=0.02)
    assert result.origin_coverage == 0.25


def test_page_furniture_does_not_outvote_a_short_copy() -> None:
    """A truncated scrape: two real sentences, and more lines of farm chrome than that."""
    body = "\n".join(ORIGIN.splitlines()[:2])
    copy = "World News\n" + body + "\nSource link\nRelated Articles\nLeave a Reply\nBack to top"
    result = align(ORIGIN, copy)
    assert result.copy_sentences == 7 and len(result.pairs) == 2
    assert result.copy_coverage > 0.8


def test_long_rewrites_are_not_counted_as_substitutions() -> None:
    origin = "The minister resigned on Tuesday after a long dispute over the grain deal."
    copy = (
        "The minister quit her post amid a storm of public criticism on Tuesday after a long "
        "dispute over the grain deal."
    )
    result = align(origin, copy)
    assert len(result.pairs) == 1
    assert result.substitutions == ()
    assert result.substituted_words == 0
    short = align(origin, origin.replace("resigned", "quit"))
    assert short.substitutions == (("resigned", "quit"),)
    assert short.substituted_words == 1


def test_copy_editing_is_not_counted_as_substitutions() -> None:
    """A copy that hyphenates, spaces or spells a word another way, or fixes a typo, has
    been copy-edited, not spun: only a word swapped for another word is a substitution."""
    origin = (
        "The first stage booster survived re-entry over the Gulf while the neighborhoods "
        "nearby watched, said Amit Yavav of the county office."
    )
    edited = (
        "The first-stage booster survived reentry over the Gulf while the neighbourhoods "
        "nearby watched, said Amit Yadav of the county office."
    )
    result = align(origin, edited)
    assert len(result.pairs) == 1
    assert result.substitutions == ()
    assert result.substituted_words == 0
    # a swapped word beside them still counts, and a one-letter change to a short word
    # ("now → not") can change the meaning, so it counts too
    spun = align(origin, edited.replace("watched", "observed"))
    assert ("watched", "observed") in spun.substitutions
    assert align("It is now open.", "It is not open.").substitutions == (("now", "not"),)


def test_empty_texts() -> None:
    result = align("", "")
    assert result.copy_coverage == 0.0
    assert result.origin_coverage == 0.0
    assert result.substitution_rate == 0.0


def test_word_diff_marks_the_substituted_words_on_both_sides() -> None:
    origin, copy = word_diff(
        "Hackers stole data from 11 hospitals, officials said.",
        "Robbers stole knowledge from 11 hospitals, officers said.",
    )
    assert origin == [
        ("Hackers", True),
        ("stole", False),
        ("data", True),
        ("from 11 hospitals,", False),
        ("officials", True),
        ("said.", False),
    ]
    assert [text for text, changed in copy if changed] == ["Robbers", "knowledge", "officers"]
    # The runs put back together are the sentences as written.
    assert " ".join(text for text, _ in copy) == (
        "Robbers stole knowledge from 11 hospitals, officers said."
    )


def test_word_diff_ignores_case_and_punctuation_only_differences() -> None:
    origin, copy = word_diff("The port is closed.", "the port is closed")
    assert origin == [("The port is closed.", False)]
    assert copy == [("the port is closed", False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "He fled the jurisdiction.And this March regulators charged him.",
            ["He fled the jurisdiction.", "And this March regulators charged him."],
        ),
        ("U.S.Army engineers came.", ["U.S.Army engineers came."]),
        ("See example.com for more. Then go.", ["See example.com for more.", "Then go."]),
    ],
    ids=["glued-paragraphs", "initials", "domain"],
)
def test_sentences_glued_where_a_page_lost_a_space_are_split(
    text: str, expected: list[str]
) -> None:
    # a scraper that drops the space between paragraphs must not hide a copy's sentences
    assert sentences(text) == expected


def test_a_closing_quote_or_bracket_stays_with_its_sentence() -> None:
    # evidence shows aligned sentences: a quotation must not lose its closing mark
    assert sentences('He said: "We go." Then (it rained.) “Fine.” Ok') == [
        'He said: "We go."',
        "Then (it rained.)",
        "“Fine.”",
        "Ok",
    ]


def test_quotations_are_marked_sentence_by_sentence() -> None:
    text = (
        'He said: "We will win. It is certain." Then he left.\n'
        "“The public is enjoined to apply caution,” the statement read.\n"
        "“A quotation that runs on. Into a second sentence.\n"
        "A plain sentence."
    )
    assert sentences(text) == [
        'He said: "We will win.',
        'It is certain."',  # the closing mark stays with the sentence it closes
        "Then he left.",
        "“The public is enjoined to apply caution,” the statement read.",
        "“A quotation that runs on.",
        "Into a second sentence.",
        "A plain sentence.",
    ]
    assert quoted_sentences(text) == (False, True, False, True, True, True, False)
