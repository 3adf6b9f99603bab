"""The second annotator's blind labels of the real provenance set (bench/provenance_agreement.py):
the sample is the one the annotator saw, blind, and the stored labels cover it exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.provenance_agreement import (
    BLIND_FIELDS,
    SECOND,
    blind_sample,
    kappa,
    load_second,
    main,
)
from bench.real_provenance import load_pages

from byline.records import RELATIONS


def test_kappa_matches_the_textbook_example() -> None:
    """Fifty items, the two raters agreeing on 20 yeses and 15 noes: observed agreement 0.7,
    chance 0.5, kappa 0.4; identical labels give 1, labels that agree only by chance 0."""
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert abs(kappa(a, b) - 0.4) < 1e-9
    assert kappa(a, a) == 1.0
    assert abs(kappa(["x", "y", "x", "y"], ["x", "x", "y", "y"])) < 1e-9


def test_the_blind_sample_hides_the_gold_and_the_ids() -> None:
    batches, key = blind_sample()
    rows = [row for batch in batches for row in batch]
    assert [len(batch) for batch in batches] == [57, 61, 56, 61]
    assert len(key) == len(rows) == 235 == len(set(key.values()))
    pages = {p.record.id: p for p in load_pages()}
    assert set(key.values()) <= set(pages)
    for row in rows:
        assert set(row) == set(BLIND_FIELDS)  # no relation, origin, root, how_known
        original = key[row["id"]]
        assert original not in row["id"] and pages[original].story not in row["story"]
        assert row["text"] == pages[original].record.text
    assert len({pages[key[r["id"]]].story for r in rows}) == 24  # no event drawn twice


def test_the_stored_second_labels_cover_the_sample_exactly() -> None:
    _, key = blind_sample()
    second = load_second(SECOND)
    assert set(second) == set(key.values())
    pages = {p.record.id: p for p in load_pages()}
    for page_id, row in second.items():
        assert row["relation"] in RELATIONS
        if row["origin"]:  # an origin within the same event
            assert pages[row["origin"]].story == pages[page_id].story


def test_the_report_prints_agreement_beside_byline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "| gatherer (gold) and second annotator |" in out
    assert "| Byline and gold |" in out
    assert main(["--second", str(tmp_path / "absent.jsonl")]) == 0
    assert "skipped:" in capsys.readouterr().out
