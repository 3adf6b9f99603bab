"""The extraction metric (bench/metrics.py) and the extraction quality gate."""

from __future__ import annotations

import pytest
from bench.extraction import (
    byline_meta,
    byline_text,
    html_text,
    load_cases,
    load_readability_cases,
    run_meta,
)
from bench.metrics import Score, mean, mean_score, prf, shingles, tokens
from tests.conftest import shared_data

from bench import protocol

# Byline's mean F1 on the first 20 pages (id order) of ../shared/data/extraction, measured
# 0.9887 on 2026-11-30 (trafilatura 2.3.1; 0.9526 before furniture lines, data tables, quotes,
# page headlines and date stamps; 0.9305 before precision-first extraction, sibling
# continuation and list-marker clean-up). An eval gate: raise it when extraction improves,
# never lower it to make a change pass.
FIRST_20_F1_FLOOR = 0.98


def test_shingles_are_sets_of_four_whitespace_tokens() -> None:
    assert shingles("a  b\tc\nd e") == {("a", "b", "c", "d"), ("b", "c", "d", "e")}
    assert shingles("a b c d a b c d") == {
        ("a", "b", "c", "d"),
        ("b", "c", "d", "a"),
        ("c", "d", "a", "b"),
        ("d", "a", "b", "c"),
    }


def test_short_and_empty_texts() -> None:
    assert shingles("") == set()
    assert shingles(" \n ") == set()
    assert shingles("just three words") == {("just", "three", "words")}


def test_identical_texts_score_one() -> None:
    text = "The quick brown fox jumps over the lazy dog near the river bank."
    assert prf(text, text) == Score(1.0, 1.0, 1.0)


def test_disjoint_texts_score_zero() -> None:
    assert prf("one two three four five", "six seven eight nine ten") == Score(0.0, 0.0, 0.0)


def test_empty_prediction_scores_zero() -> None:
    assert prf("", "some gold text with enough words") == Score(0.0, 0.0, 0.0)
    assert prf("   ", "some gold text with enough words") == Score(0.0, 0.0, 0.0)


def test_partial_overlap_by_hand() -> None:
    # gold "a b c d e f": abcd bcde cdef (3); pred "a b c d e x y": abcd bcde cdex dexy (4).
    # common 2 -> P = 2/4, R = 2/3, F1 = 2PR / (P + R) = (2/3) / (7/6) = 4/7.
    score = prf("a b c d e x y", "a b c d e f")
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(2 / 3)
    assert score.f1 == pytest.approx(4 / 7)


def test_mean_averages_over_pages() -> None:
    assert mean([1.0, 0.0, 0.5]) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        mean([])
    averaged = mean_score([Score(1.0, 0.5, 0.6), Score(0.0, 0.5, 0.0)])
    assert averaged == pytest.approx(Score(0.5, 0.5, 0.3))


def test_byline_extraction_f1_on_first_20_pages() -> None:
    cases = load_cases(shared_data("extraction"), limit=20)
    assert len(cases) == 20
    f1 = mean(prf(byline_text(case.html, case.url), case.gold).f1 for case in cases)
    assert f1 >= FIRST_20_F1_FLOOR, f"mean F1 {f1:.4f} fell below {FIRST_20_F1_FLOOR}"


def test_cjk_characters_are_tokens_of_their_own() -> None:
    # Without this a paragraph of Chinese is one token, and one changed character scores 0.
    assert tokens("翱翔于太空") == ["翱", "翔", "于", "太", "空"]
    assert tokens("Wi-Fi利用時 test") == ["Wi-Fi", "利", "用", "時", "test"]
    assert tokens("plain  words\nonly") == ["plain", "words", "only"]
    assert prf("一二三四五六", "一二三四五七").f1 == pytest.approx(2 / 3)


# The readability set (../shared/data/extraction-readability): Byline's mean F1 on the
# reporting half (bench/protocol.py), measured 0.9337 on 2026-12-04 and 0.9361 on 2026-12-05
# against trafilatura 2.3.1's 0.9363 in the same run: the issue's target (trafilatura + 0.02)
# is not met yet, and this floor only keeps what was measured. Raise it, never lower it.
READABILITY_REPORT_F1_FLOOR = 0.935
# and the metadata on the same half, measured title 0.922 exact, author 0.722 exact, date (day)
# 1.000 (trafilatura 0.672, 0.556, 0.941)
READABILITY_REPORT_META_FLOORS = {"title_exact": 0.90, "author_exact": 0.70, "date_day": 0.95}


def test_byline_extraction_on_readability_reporting_half() -> None:
    cases = load_readability_cases(shared_data("extraction-readability"))
    _, report = protocol.split(cases, group=lambda case: case.id)
    assert len(report) == 65
    f1 = mean(prf(byline_text(case.html, case.url), case.gold).f1 for case in report)
    assert f1 >= READABILITY_REPORT_F1_FLOOR, f"mean F1 {f1:.4f} fell below the floor"
    (meta,) = run_meta(report, {"byline": byline_meta})
    scores = meta.scores({case.id for case in report})
    for field_name, floor in READABILITY_REPORT_META_FLOORS.items():
        assert scores[field_name] >= floor, f"{field_name} {scores[field_name]:.3f} < {floor}"


def test_readability_gold_is_decoded_as_utf8_with_block_breaks() -> None:
    fragment = "<div><p>Les députés ont adopté</p><p>la loi<br>mardi</p></div>".encode()
    assert html_text(fragment) == "Les députés ont adopté\nla loi\nmardi"


# The news set (../shared/data/extraction): Byline's mean F1 on the reporting half, measured
# 0.9842 on 2026-12-04 and 0.9849 on 2026-12-05 against trafilatura 2.3.1's 0.9320 (the
# issue's target, trafilatura + 0.02, is met). Raise it, never lower it.
NEWS_REPORT_F1_FLOOR = 0.98


def test_byline_extraction_on_news_reporting_half() -> None:
    cases = load_cases(shared_data("extraction"))
    _, report = protocol.split(cases, group=lambda case: case.id)
    assert len(report) == 90
    f1 = mean(prf(byline_text(case.html, case.url), case.gold).f1 for case in report)
    assert f1 >= NEWS_REPORT_F1_FLOOR, f"mean F1 {f1:.4f} fell below the floor"
