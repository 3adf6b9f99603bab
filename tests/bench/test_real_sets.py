"""The real 2023+ sets in bench/realdata (docs/evaluation.md): their records hold together,
and the eval gates on their reporting halves."""

from __future__ import annotations

import random
from collections import Counter

from bench.clustering import VARIANTS, bcubed, prepare, run_byline
from bench.real_provenance import halves, load_pages, scores
from bench.real_stream import describe, load_stream

from bench import protocol
from byline.judge import provenance
from byline.judge.fingerprint import fingerprint
from byline.judge.stories import THRESHOLD
from byline.pipeline import judge
from byline.records import RELATIONS

# B³ F1 of Byline's default engine on the stream's reporting half, measured 0.957 on
# 2026-12-04 (threshold 0.13): the target is 0.93. Raise it, never lower it.
STREAM_REPORT_F1_FLOOR = 0.95


def test_the_stream_is_what_its_readme_says() -> None:
    stream = load_stream()
    info = describe(stream)
    assert info["problems"] == []
    assert info["articles"] >= 400 and info["events"] >= 150 and info["outlets"] >= 25
    assert info["singletons"] >= 30 and info["same-topic pairs"] >= 10
    assert all(item.published and item.published.year >= 2023 for item in stream.items)
    assert all(item.url.startswith(("http://", "https://")) for item in stream.items)
    assert len({item.url for item in stream.items}) == len(stream.items)


def test_story_clustering_on_the_streams_reporting_half() -> None:
    stream = load_stream()
    items, gold = stream.half(protocol.REPORT)
    prepared = prepare(items, with_embeddings=False)
    predicted, _, _ = run_byline(
        items, prepared.features(items, VARIANTS[0]), VARIANTS[0], THRESHOLD
    )
    _, _, f1 = bcubed(predicted, gold)
    assert f1 >= STREAM_REPORT_F1_FLOOR, f"B³ F1 {f1:.3f} fell below {STREAM_REPORT_F1_FLOOR}"


def test_the_provenance_set_holds_together() -> None:
    pages = load_pages()
    ids = {p.record.id for p in pages}
    assert len(ids) == len(pages) >= 120
    assert len({p.story for p in pages}) >= 20
    story_of = {p.record.id: p.story for p in pages}
    for page in pages:
        assert page.relation in RELATIONS
        for target in (page.origin, page.root):
            assert target is None or (target in ids and story_of[target] == page.story)
        if page.record.published is not None:
            assert page.record.published.year >= 2023
    kinds = Counter(p.relation for p in pages)
    assert kinds["syndicated"] and kinds["scraped"] and kinds["spun"] and kinds["independent"]


# Measured on the reporting half on 2026-12-04 (docs/evaluation.md; BENCHMARKS.md) with the
# copy-group engine (issue 14); on 2026-12-05 relation exact rose 0.537 → 0.627, independent
# as copy fell 0.062 → 0 and false accusations 0.049 → 0.024 (a report nobody copies is
# independent, never original by date; a lone page signed as agency copy is syndicated; a
# spin needs 6 % of words swapped, not 3 %), then to 0.642 with carriers kept apart 0.882 →
# 0.912 (a licensed portal is a carrier, never a scraper by its kind). These keep what was
# measured and fail if it gets
# worse. Of the targets (origin found 0.95, relation exact 0.90, independent as copy
# 0.05, false accusations 0) only independent as copy is met.
PROVENANCE_REPORT_CEILINGS = {"independent as copy": 0.05, "false accusations": 0.03}
PROVENANCE_REPORT_FLOORS = {
    "origin found": 0.40,
    "relation exact": 0.64,
    "carriers kept apart": 0.91,
}


def test_provenance_on_the_real_sets_reporting_half_does_not_get_worse() -> None:
    pages = load_pages()
    _, report = halves(pages)
    figures = scores(report, list(judge([p.record for p in report]).provenance))
    for name, ceiling in PROVENANCE_REPORT_CEILINGS.items():
        share, counted = figures[name]
        assert counted > 0
        assert share is not None and share <= ceiling, f"{name} {share:.3f} > {ceiling}"
    for name, floor in PROVENANCE_REPORT_FLOORS.items():
        share, counted = figures[name]
        assert counted > 0
        assert share is not None and share >= floor, f"{name} {share:.3f} < {floor}"


def test_provenance_labels_on_real_copies_do_not_depend_on_input_order() -> None:
    """Real farms leave dates out: the labels of the whole set, given its stories, are the
    same in any order (issue 11: input order must not leak the answer)."""
    pages = load_pages()
    seen = set()
    for seed in (1, 2, 3):
        shuffled = list(pages)
        random.Random(seed).shuffle(shuffled)
        records = [p.record for p in shuffled]
        labels = provenance.judge(records, [fingerprint(r.title, r.text) for r in records])
        seen.add(frozenset((p.id, p.relation, p.origin_id, p.via_id) for p in labels))
    assert len(seen) == 1
