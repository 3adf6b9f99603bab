"""Fingerprints: the exact hash, MinHash, sentence hashes, immutables and terms."""

from __future__ import annotations

import pytest

from byline.judge.fingerprint import (
    fingerprint,
    immutables,
    minhash,
    minhash_of,
    sentence_hashes,
    text_hash,
)
from byline.records import Fingerprint

TEXT = (
    "AUREL, Oct 14 — Hackers have crippled the computer network of eleven hospitals in "
    "northern Valdoria, forcing doctors back to paper records, health officials said.\n"
    "The attack on the Northern Valdoria Health Board was detected at 2:40 a.m. on Tuesday, "
    "when staff found they could no longer open patient files.\n"
    "A group calling itself Grey Lantern is demanding 12 million crowns, threatening to publish "
    "patient data if the board does not pay by Friday.\n"
    '"We will not pay criminals," Health Minister Pavla Surrel said on Wednesday.\n'
    "The board said 340 planned operations and around 2,000 appointments had been postponed, "
    "a rise of 4.5% on the first estimate."
)
OTHER = (
    "The Ostrovian central bank raised its main interest rate by half a percentage point on "
    "Thursday, its third increase this year, as inflation stayed stubbornly high. Governor "
    "Elin Straum said the bank was ready to act again if prices kept rising faster than "
    "wages. Shares in the largest lenders rose after the announcement, while the crown "
    "strengthened against the euro."
)


def test_text_hash_ignores_whitespace_case_and_punctuation_spacing() -> None:
    messy = "   " + TEXT.upper().replace(" ", "  \n\t ") + "\n\n"
    assert text_hash(messy) == text_hash(TEXT)
    assert text_hash(TEXT.replace("’", "'")) == text_hash(TEXT)


def test_text_hash_changes_with_the_words() -> None:
    assert text_hash(TEXT.replace("340", "341")) != text_hash(TEXT)
    assert text_hash(TEXT.replace("Hackers", "Robbers")) != text_hash(TEXT)
    assert len(text_hash(TEXT)) == 16


def test_minhash_close_for_similar_far_for_different() -> None:
    edited = TEXT.replace("Tuesday", "Monday")
    assert minhash(TEXT).jaccard(minhash(edited)) >= 0.8
    assert minhash(TEXT).jaccard(minhash(TEXT)) == 1.0
    assert minhash(TEXT).jaccard(minhash(OTHER)) <= 0.1


def test_minhash_round_trips_through_the_fingerprint() -> None:
    fp = fingerprint("Hospital hack", TEXT)
    again = Fingerprint.from_json(fp.to_json())
    assert again == fp
    assert minhash_of(again).jaccard(minhash(TEXT)) == 1.0
    assert len(fp.minhash) == 64


def test_sentence_hashes_skip_short_sentences_and_match_across_texts() -> None:
    hashes = sentence_hashes(TEXT)
    assert len(hashes) == 5
    shuffled = "\n".join(reversed(TEXT.splitlines()))
    assert set(sentence_hashes(shuffled)) == set(hashes)
    assert sentence_hashes("Too short. Also short.") == ()


def test_immutables_pick_numbers() -> None:
    found = immutables(TEXT)
    for number in ("#12", "#340", "#2,000", "#4.5%", "#14"):
        assert number in found
    assert "#0" not in immutables("Scores were 0 and 00.")


def test_immutables_pick_multi_word_names_not_sentence_starts() -> None:
    found = immutables(TEXT)
    for name in (
        "@Northern Valdoria Health Board",
        "@Grey Lantern",
        "@Health Minister Pavla Surrel",
    ):
        assert name in found
    assert not any(item in {"@The", "@A"} for item in found)
    assert "@Valdoria" not in found  # single words are not names here


def test_immutables_pick_quotes_normalised() -> None:
    found = immutables(TEXT)
    assert '"we will not pay criminals' in found
    assert immutables("He said “Patient care is continuing, slowly”.") == (
        '"patient care is continuing slowly',
    )
    assert immutables('She said "too short".') == ()


def test_immutables_are_deduplicated_in_order() -> None:
    found = immutables("It cost 12 crowns. Then 7 crowns. Then 12 crowns again.")
    assert found == ("#12", "#7")


def test_terms_weight_headline_words() -> None:
    fp = fingerprint("Grey Lantern ransomware", TEXT)
    assert fp.terms["ransomware"] > 0
    assert fp.terms["lantern"] > fp.terms.get("crowns", 0)
    assert "the" not in fp.terms
    assert "said" not in fp.terms


@pytest.mark.parametrize("text", ["", "   ", "one"])
def test_fingerprint_of_tiny_text_does_not_fail(text: str) -> None:
    fp = fingerprint("", text)
    assert fp.sentence_hashes == ()
    assert len(fp.minhash) == 64
