"""The real 2023+ sets in bench/realdata (docs/evaluation.md): their records hold together,
and the eval gates on their reporting halves."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime

import pytest
from bench.clustering import VARIANTS, bcubed, prepare, run_byline
from bench.real_provenance import (
    CROSS_LINGUAL_PARTS,
    Page,
    byline_batch,
    halves,
    load_pages,
    scores,
)
from bench.real_provenance import SEALED_PARTS as SEALED_PROVENANCE_PARTS
from bench.real_stream import (
    FIRST_PARTS,
    SEALED_PARTS,
    SEALED_PARTS_2,
    SEALED_PARTS_3,
    SEALED_PARTS_4,
    SEALED_PARTS_5,
    SEALED_PARTS_6,
    SEALED_PARTS_7,
    SEALED_PARTS_8,
    SEALED_PARTS_9,
    SEALED_PARTS_10,
    describe,
    load_stream,
    squeeze,
    truncate,
    undate,
)

from bench import protocol
from byline.batch.steps import BatchParams
from byline.judge import embeddings, provenance
from byline.judge.fingerprint import fingerprint
from byline.judge.stories import THRESHOLD
from byline.pipeline import JudgeParams, judge
from byline.records import RELATIONS, JudgeInput

# B³ F1 of Byline's default engine on the stream's reporting half, measured 0.957 on
# 2026-12-04 (threshold 0.13) and 0.978 on 2026-12-05 (threshold 0.17, background documents
# under the IDF): the target is 0.93. Raise it, never lower it. Since the stream grew
# (2026-12-05: world2, business2, sports2, gathered after the engine was frozen) this floor
# holds for its first three parts' reporting half, and for the grown reporting half
# (measured 0.973 the day it grew).
STREAM_REPORT_F1_FLOOR = 0.97
# The grown reporting half is another set each time sealed parts join it: with world4 and
# mixed4 (2026-12-07, the session after; 21 of their 46 events report) it measured 0.9698, the
# new events' reporting half alone 0.959. Its floor is that figure; the first parts' half
# keeps the floor above.
# With world5 and mixed5 (the dense November 2024 pair, third session that day; 978
# articles, 398 events) it measured 0.9728; with world6 and mixed6 (March 2025; 1,119
# articles, 458 events) 0.9719; with world7 and mixed7 (April 2024; 1,236 articles, 513
# events) 0.9706; with world8 and mixed8 (June 2024; 1,349 articles, 566 events) 0.9714.
# With world10 and mixed10 (September 2024, 39 real undated pages; 1,616 articles, 679
# events) 0.9642: the pair's own reporting events read 0.950 (the centroid 0.973 there).
# With world11 and mixed11 (October 2024, 34 real undated pages; 1,753 articles, 727 events)
# 0.967 (the centroid 0.970 at its squeezed-set threshold).
STREAM_GROWN_REPORT_F1_FLOOR = 0.965
# The parts gathered after the engine was frozen, every article of them (both halves): the
# sealed measurement, 0.969 (168 articles, 68 events) on the day they came in.
STREAM_SEALED_F1_FLOOR = 0.965
# The second pair of sealed parts (world3, mixed3: 110 articles, 48 events, gathered
# 2026-12-07), measured once at 715c5e0: B³ F1 0.960 (P 0.973, R 0.947), level with the
# online TF-IDF centroid baseline at its squeezed-set threshold (0.960). With them the grown
# stream's reporting half measured 0.971 (the floor above still holds).
STREAM_SEALED_2_F1_FLOOR = 0.955
# The third (world4, mixed4: 88 articles, 46 events, gathered 2026-12-07 in the session
# after, undated articles left out before measuring), measured once at 39e8d43: B³ F1 0.938
# (P 0.938, R 0.939), below the online TF-IDF centroid at its squeezed-set threshold (0.960)
# and level with it at its BASIL threshold (0.940). Its 11 merged pairs are three of its
# same-topic pairs (the Wimbledon 2024 finals, Imran Khan's two sentences a day apart,
# Amazon's and Apple's results the same afternoon); its 9 over-split pairs are in a flood
# covered over two weeks, an AT&T outage and an AP story on three sites.
STREAM_SEALED_3_F1_FLOOR = 0.935
# The fourth (world5, mixed5: 137 articles, 61 events of 1-24 November 2024, a dense three
# weeks), measured once at 7c85272 and at db639bd (split threshold 0.18 and 0.1, the same
# figures): 0.986 as gathered (the centroid 0.945), 0.945 squeezed into two days (about 30
# events a day; the centroid 0.954: two F1 races and two typhoons merged).
STREAM_SEALED_4_F1_FLOOR = 0.985
STREAM_SEALED_4_DENSE_F1_FLOOR = 0.945
# The fifth (world6, mixed6: 141 articles, 60 events of 1-24 March 2025), measured once at
# 07c60d6 as pre-registered: 0.957 as gathered (the centroid 0.945), 0.951 squeezed into two
# days (0.907); cut to 150 and 300 characters 0.934 and 0.945 (0.914, 0.933).
STREAM_SEALED_5_F1_FLOOR = 0.955
STREAM_SEALED_5_DENSE_F1_FLOOR = 0.95
# The sixth (world7, mixed7: 117 articles, 55 events of 1-24 April 2024), measured once at
# 63c013b as pre-registered (the summaries' allowance on, then reverted; the figures below
# are the same either way): 0.976 as gathered (the centroid 0.973), 0.947 squeezed into two
# days (0.944).
STREAM_SEALED_6_F1_FLOOR = 0.975
STREAM_SEALED_6_DENSE_F1_FLOOR = 0.945
# The seventh (world8, mixed8: 113 articles, 53 events of 1-24 June 2024), measured once at
# 365db22 as pre-registered, with summaries against story centroids on and off: 0.966 as
# gathered (the centroid 0.968), 0.939 squeezed into two days (0.958), either way; cut to
# 150 characters 0.933 with the rule, 0.924 without (0.937).
STREAM_SEALED_7_F1_FLOOR = 0.965
STREAM_SEALED_7_DENSE_F1_FLOOR = 0.935
STREAM_SEALED_7_SUMMARIES_F1_FLOOR = 0.93
# The eighth (world9, mixed9: 130 articles, 57 events of 1-24 August 2024), measured once at
# 870909b as pre-registered, with undated articles placed by their text on and off: 0.961 as
# gathered (the centroid 0.944); with 44 % of the dates taken away (``--undate 0.44``) 0.977
# (off 0.866; the centroid 0.961), squeezed into two days as well 0.956 (off 0.872; 0.947),
# cut to 150 characters as well 0.923 (off 0.829; 0.913).
STREAM_SEALED_8_F1_FLOOR = 0.96
# ... and squeezed into two days with every date kept, measured in the same session after the
# pre-registered measures (the engine unchanged): 0.930 (the centroid 0.929).
STREAM_SEALED_8_DENSE_F1_FLOOR = 0.925
STREAM_SEALED_8_UNDATED_F1_FLOORS = {"gathered": 0.975, "squeezed": 0.955, "150": 0.92}
# The ninth (world10, mixed10: 137 articles, 56 events of 1-24 September 2024, 39 of the
# articles undated as their pages are: the first real undated pages), measured once at
# 813fe4b as pre-registered: as gathered 0.939 (undated articles placed by their text; off
# 0.833; the centroid 0.912), squeezed into two days 0.912 (0.883), cut to 150 characters
# 0.918 (0.904); the batch engine (local, 96-hour blocks) 0.928 with undated articles
# placed, 0.789 with them in a block of their own.
STREAM_SEALED_9_F1_FLOOR = 0.935
STREAM_SEALED_9_DENSE_F1_FLOOR = 0.91
STREAM_SEALED_9_SUMMARIES_F1_FLOOR = 0.915
STREAM_SEALED_9_BATCH_F1_FLOOR = 0.925
# The tenth (world11, mixed11: 137 articles, 48 events of 1-24 October 2024, 34 undated as
# their pages are), measured once at 788087c as pre-registered, no rule pending: as gathered
# 0.994 (one merge: the Bank of Korea's and the ECB's rate cuts; the centroid 0.963 / 0.941),
# squeezed into two days 0.989 (0.959 / 0.867), cut to 150 characters 0.946 (0.941 / 0.937);
# the batch engine 0.988 with undated articles placed, 0.879 apart (pipeline.judge 0.994).
STREAM_SEALED_10_F1_FLOOR = 0.99
STREAM_SEALED_10_DENSE_F1_FLOOR = 0.985
STREAM_SEALED_10_SUMMARIES_F1_FLOOR = 0.945
STREAM_SEALED_10_BATCH_F1_FLOOR = 0.985
UNDATED_PREFIXES = ("w10-", "m10-", "w11-", "m11-")
# The whole stream with 44 % of its articles' dates taken away (``--undate 0.44``, the real
# provenance set's share of undated pages), undated articles placed by their text: 0.9472 on
# the reporting half of 1,479 articles (without the placing, 0.80 on the tuning half; the
# centroid 0.940); 0.9420 once world10 and mixed10 had joined (1,616 articles); 0.950 once
# world11 and mixed11 had (1,753 articles; the centroid 0.948).
UNDATED_REPORT_F1_FLOOR = 0.945
UNDATED_SHARE = 0.44
# The whole stream made dense (2026-12-07, the third session that day): every event moved to a
# random start within 14 days (``bench/real_stream.py --squeeze 14``), so that about 24
# events a day are live at once, as on a real aggregator's busy day. Measured 0.9244 on its
# reporting half with the split threshold at 0.1 (merges of same-topic events most of the
# errors), 0.935 with it at 0.18 (P 0.931, R 0.939; the online TF-IDF centroid 0.917 at its
# squeezed-set threshold), 0.9495 once world5 and mixed5 had joined and 0.9415 once world6
# and mixed6 had (each event's start is drawn anew when the set grows: another dense stream
# each time, so the floor follows the grown set; the centroid 0.920 on that one), 0.9335 once
# world7 and mixed7 had (the centroid 0.918), 0.9455 once world8 and mixed8 had (0.919),
# 0.9378 once world9 and mixed9 had (0.919), 0.9304 once world10 and mixed10 had (0.904),
# 0.939 once world11 and mixed11 had (0.911).
STREAM_DENSE_REPORT_F1_FLOOR = 0.935
DENSE_DAYS = 14
# The whole stream with every text cut to its first 150 or 300 characters (``--truncate``): a
# feed that gives a summary and no page. Measured on the grown stream of 1,119 articles
# (world6 and mixed6 in): 0.9327 and 0.9620 on the reporting half, below the online TF-IDF
# centroid (0.963 and 0.972 at its BASIL threshold): the short-text gap is open. With world7
# and mixed7 in (1,236 articles), 0.9303 and 0.9597 (the centroid 0.962 and 0.971). With
# summaries against story centroids (StoryIndex.centroid_weight) and world8 and mixed8 in
# (1,349 articles): 0.9492 and 0.9599 (without the rule 0.9323 and 0.9599; the centroid 0.964
# and 0.971): the gap at 150 characters is narrower, not closed. With world9 and mixed9 in
# (1,479 articles): 0.9479 and 0.9606 (the centroid 0.961 and 0.971). With world10 and
# mixed10 in (1,616 articles): 0.9415 and 0.9544 (the centroid 0.955 and 0.964). With world11
# and mixed11 in (1,753 articles): 0.941 and 0.954 (the centroid 0.954 and 0.962). Raise them.
SHORT_TEXT_REPORT_F1_FLOORS = {150: 0.94, 300: 0.95}


def test_the_stream_is_what_its_readme_says() -> None:
    stream = load_stream()
    info = describe(stream)
    assert info["problems"] == []
    assert info["articles"] >= 400 and info["events"] >= 150 and info["outlets"] >= 25
    assert info["singletons"] >= 30 and info["same-topic pairs"] >= 10
    assert all(item.published.year >= 2023 for item in stream.items if item.published)
    # real undated pages only where the brief allowed them (world10, mixed10, world11,
    # mixed11), each of a dated event
    undated = [item for item in stream.items if item.published is None]
    assert undated and all(item.id.startswith(UNDATED_PREFIXES) for item in undated)
    story_of = {item.id: story for item, story in zip(stream.items, stream.gold, strict=True)}
    assert all(stream.events[story_of[item.id]]["date"] >= "2023" for item in undated)
    assert all(item.url.startswith(("http://", "https://")) for item in stream.items)
    assert len({item.url for item in stream.items}) == len(stream.items)


def _byline_f1(items: list[JudgeInput], gold: list[str]) -> float:
    prepared = prepare(items, with_embeddings=False)
    predicted, _, _ = run_byline(
        items, prepared.features(items, VARIANTS[0]), VARIANTS[0], THRESHOLD
    )
    return bcubed(predicted, gold)[2]


@pytest.mark.parametrize(
    ("parts", "floor"),
    [(FIRST_PARTS, STREAM_REPORT_F1_FLOOR), (None, STREAM_GROWN_REPORT_F1_FLOOR)],
    ids=["first-parts", "grown"],
)
def test_story_clustering_on_the_streams_reporting_half(
    parts: tuple[str, ...] | None, floor: float
) -> None:
    items, gold = load_stream(parts=parts).half(protocol.REPORT)
    f1 = _byline_f1(items, gold)
    assert f1 >= floor, f"B³ F1 {f1:.4f} fell below {floor}"


@pytest.mark.parametrize(
    ("parts", "events", "floor"),
    [
        (SEALED_PARTS, 60, STREAM_SEALED_F1_FLOOR),
        (SEALED_PARTS_2, 45, STREAM_SEALED_2_F1_FLOOR),
        (SEALED_PARTS_3, 45, STREAM_SEALED_3_F1_FLOOR),
        (SEALED_PARTS_4, 60, STREAM_SEALED_4_F1_FLOOR),
        (SEALED_PARTS_5, 60, STREAM_SEALED_5_F1_FLOOR),
        (SEALED_PARTS_6, 55, STREAM_SEALED_6_F1_FLOOR),
        (SEALED_PARTS_7, 50, STREAM_SEALED_7_F1_FLOOR),
        (SEALED_PARTS_8, 55, STREAM_SEALED_8_F1_FLOOR),
        (SEALED_PARTS_9, 55, STREAM_SEALED_9_F1_FLOOR),
        (SEALED_PARTS_10, 48, STREAM_SEALED_10_F1_FLOOR),
    ],
    ids=[
        "sealed-2026-12-05",
        "sealed-2026-12-07",
        "sealed-2026-12-07-later",
        "sealed-dense-november",
        "sealed-dense-march",
        "sealed-dense-april",
        "sealed-dense-june",
        "sealed-dense-august",
        "sealed-dense-september-undated",
        "sealed-dense-october-undated",
    ],
)
def test_story_clustering_on_the_sealed_parts(
    parts: tuple[str, ...], events: int, floor: float
) -> None:
    stream = load_stream(parts=parts)
    assert len(set(stream.gold)) >= events
    f1 = _byline_f1(stream.items, stream.gold)
    assert f1 >= floor, f"B³ F1 {f1:.3f} fell below {floor}"


def _longest_span(items: list[JudgeInput], gold: list[str]) -> int:
    """Days between the first and last dated article of the longest event: follow-ups keep
    their day offsets within their event when a stream is squeezed."""
    spans: dict[str, list[datetime]] = {}
    for item, story in zip(items, gold, strict=True):
        if item.published:
            spans.setdefault(story, []).append(item.published)
    return max((max(d) - min(d)).days for d in spans.values())


def test_story_clustering_on_the_dense_streams_reporting_half() -> None:
    stream = squeeze(load_stream(), DENSE_DAYS)
    items, gold = stream.half(protocol.REPORT)
    days = {item.published.date() for item in items if item.published}
    assert len(days) <= DENSE_DAYS + _longest_span(items, gold) + 1
    f1 = _byline_f1(items, gold)
    assert f1 >= STREAM_DENSE_REPORT_F1_FLOOR, f"B³ F1 {f1:.4f} fell below the floor"


@pytest.mark.parametrize("chars", sorted(SHORT_TEXT_REPORT_F1_FLOORS))
def test_story_clustering_on_summaries_alone(chars: int) -> None:
    items, gold = truncate(load_stream(), chars).half(protocol.REPORT)
    assert max(len(item.text) for item in items) == chars
    f1 = _byline_f1(items, gold)
    floor = SHORT_TEXT_REPORT_F1_FLOORS[chars]
    assert f1 >= floor, f"B³ F1 {f1:.4f} fell below {floor}"


# Stories by meaning (BYLINE_STORY_EMBEDDINGS, the ``ml`` extra; its weight was set on BASIL
# before the real stream existed), measured 2026-12-07 on the grown stream (1,236 articles):
# reporting half 0.9779 full, 0.9500 dense (14 days), 0.9434 and 0.9690 cut to 150 and 300
# characters (the default engine 0.9706, 0.9335, 0.9303, 0.9597). With summaries against
# story centroids and world8 and mixed8 in (1,349 articles): 0.9783, 0.9538, 0.9551, 0.9699
# (the default engine 0.9714, 0.9455, 0.9492, 0.9599). With world9 and mixed9 in (1,479
# articles): 0.977, 0.9524, 0.9535, 0.9689 (the default engine 0.9702, 0.9378, 0.9479,
# 0.9606). With world10 and mixed10 in (1,616 articles, 39 undated): 0.9771, 0.9417, 0.9500,
# 0.9663 (the default engine 0.9642, 0.9304, 0.9415, 0.9544). With world11 and mixed11 in
# (1,753 articles, 73 undated): 0.9766, 0.9492, 0.9519, 0.9669 (the default engine 0.967,
# 0.939, 0.941, 0.954); the full text's floor follows the grown half down by 0.001, as the
# default engine's did when earlier pairs joined. Run where the extra is.
BY_MEANING_REPORT_F1_FLOORS = {"full": 0.976, "dense": 0.945, "150": 0.95, "300": 0.965}


# The batch engine's stories (``byline batch``, local; the Spark engine runs the same steps)
# on the stream's reporting half, with blocks and margins as long as the story window:
# 0.976 on 2026-12-07 (pipeline.judge 0.971; 24-hour blocks, the default before, 0.853);
# 0.9743 once world9 and mixed9 had joined (1,479 articles; pipeline.judge 0.9702); 0.968
# once world10 and mixed10 had, undated pages placed (1,616 articles; apart 0.961;
# pipeline.judge 0.964); 0.971 once world11 and mixed11 had (1,753 articles; apart 0.954;
# pipeline.judge 0.967).
BATCH_STORIES_REPORT_F1_FLOOR = 0.97


def test_the_batch_engines_stories_on_the_streams_reporting_half() -> None:
    from bench.batch_stories import batch_stories

    items, gold = load_stream().half(protocol.REPORT)
    params = BatchParams()
    assert params.block == params.margin == JudgeParams().window
    hours = params.block.total_seconds() / 3600
    f1 = bcubed(batch_stories(items, hours, hours), gold)[2]
    assert f1 >= BATCH_STORIES_REPORT_F1_FLOOR, f"B³ F1 {f1:.4f} fell below the floor"


@pytest.mark.skipif(not embeddings.available(), reason="needs the ml extra")
@pytest.mark.parametrize("form", sorted(BY_MEANING_REPORT_F1_FLOORS))
def test_story_clustering_by_meaning_on_the_reporting_half(form: str) -> None:
    stream = load_stream()
    if form == "dense":
        stream = squeeze(stream, DENSE_DAYS)
    elif form != "full":
        stream = truncate(stream, int(form))
    items, gold = stream.half(protocol.REPORT)
    variant = VARIANTS[8]
    assert variant.embeddings and variant.weights.embedding > 0
    prepared = prepare(items, with_embeddings=True)
    predicted, _, _ = run_byline(items, prepared.features(items, variant), variant, THRESHOLD)
    f1 = bcubed(predicted, gold)[2]
    assert f1 >= BY_MEANING_REPORT_F1_FLOORS[form], f"B³ F1 {f1:.4f} fell below the floor"


@pytest.mark.parametrize(
    ("parts", "floor"),
    [
        (SEALED_PARTS_4, STREAM_SEALED_4_DENSE_F1_FLOOR),
        (SEALED_PARTS_5, STREAM_SEALED_5_DENSE_F1_FLOOR),
        (SEALED_PARTS_6, STREAM_SEALED_6_DENSE_F1_FLOOR),
        (SEALED_PARTS_7, STREAM_SEALED_7_DENSE_F1_FLOOR),
        (SEALED_PARTS_8, STREAM_SEALED_8_DENSE_F1_FLOOR),
        (SEALED_PARTS_9, STREAM_SEALED_9_DENSE_F1_FLOOR),
        (SEALED_PARTS_10, STREAM_SEALED_10_DENSE_F1_FLOOR),
    ],
    ids=["november", "march", "april", "june", "august", "september", "october"],
)
def test_story_clustering_on_the_dense_sealed_parts_squeezed_into_two_days(
    parts: tuple[str, ...], floor: float
) -> None:
    stream = squeeze(load_stream(parts=parts), 2)
    days = {item.published.date() for item in stream.items if item.published}
    assert len(days) <= 2 + _longest_span(stream.items, stream.gold) + 1
    f1 = _byline_f1(stream.items, stream.gold)
    assert f1 >= floor, f"B³ F1 {f1:.4f} fell below {floor}"


@pytest.mark.parametrize(
    ("parts", "floor"),
    [
        (SEALED_PARTS_7, STREAM_SEALED_7_SUMMARIES_F1_FLOOR),
        (SEALED_PARTS_9, STREAM_SEALED_9_SUMMARIES_F1_FLOOR),
        (SEALED_PARTS_10, STREAM_SEALED_10_SUMMARIES_F1_FLOOR),
    ],
    ids=["june", "september", "october"],
)
def test_story_clustering_on_sealed_pairs_cut_to_summaries(
    parts: tuple[str, ...], floor: float
) -> None:
    stream = truncate(load_stream(parts=parts), 150)
    f1 = _byline_f1(stream.items, stream.gold)
    assert f1 >= floor, f"B³ F1 {f1:.4f} fell below {floor}"


@pytest.mark.parametrize(
    ("parts", "floor"),
    [
        (SEALED_PARTS_9, STREAM_SEALED_9_BATCH_F1_FLOOR),
        (SEALED_PARTS_10, STREAM_SEALED_10_BATCH_F1_FLOOR),
    ],
    ids=["september", "october"],
)
def test_the_batch_engine_places_the_sealed_pairs_real_undated_pages(
    parts: tuple[str, ...], floor: float
) -> None:
    """The batch engine's stories on the pairs whose undated pages are real: each undated
    article clustered in the time block its text places it in, not in a block of its own."""
    from bench.batch_stories import batch_stories

    stream = load_stream(parts=parts)
    assert sum(item.published is None for item in stream.items) >= 30
    hours = BatchParams().block.total_seconds() / 3600
    f1 = bcubed(batch_stories(stream.items, hours, hours), stream.gold)[2]
    assert f1 >= floor, f"B³ F1 {f1:.4f} fell below {floor}"


def test_story_clustering_with_undated_articles_on_the_streams_reporting_half() -> None:
    stream = undate(load_stream(), UNDATED_SHARE)
    items, gold = stream.half(protocol.REPORT)
    undated = sum(item.published is None for item in items) / len(items)
    assert 0.35 < undated < 0.55  # the seeded share, give or take the half's draw
    f1 = _byline_f1(items, gold)
    assert f1 >= UNDATED_REPORT_F1_FLOOR, f"B³ F1 {f1:.4f} fell below the floor"


@pytest.mark.parametrize("form", sorted(STREAM_SEALED_8_UNDATED_F1_FLOORS))
def test_story_clustering_on_the_august_sealed_pair_with_undated_articles(form: str) -> None:
    stream = load_stream(parts=SEALED_PARTS_8)
    if form == "squeezed":
        stream = squeeze(stream, 2)
    if form == "150":
        stream = truncate(stream, 150)
    stream = undate(stream, UNDATED_SHARE)
    f1 = _byline_f1(stream.items, stream.gold)
    floor = STREAM_SEALED_8_UNDATED_F1_FLOORS[form]
    assert f1 >= floor, f"B³ F1 {f1:.4f} fell below {floor}"


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


# The set's first 21 events (ids pw-/pc-), measured on their reporting half on 2026-12-04
# (docs/evaluation.md; BENCHMARKS.md) with the copy-group engine (issue 14), and raised since:
# relation exact 0.537 → 0.627 → 0.642 → 0.657, independent as copy 0.062 → 0, false
# accusations 0.049 → 0.024, carriers kept apart 0.882 → 0.912. Of the targets
# (origin found 0.95, relation exact 0.90, independent as copy 0.05, false accusations 0) only
# independent as copy is met. These floors only rise.
# Rule G (2026-12-07, provenance.LONE_REPUBLISHER): an aggregator's page that shares no text
# is read as a reworded copy of a report outside the archive. Over the 19 parts it raised
# relation exact by 65 pages net, 10 more independent reports called copies among them
# (aggregators' own write-ups, which nothing tells apart): independent as copy went 0.014 →
# 0.050 on every page, 0.019 → 0.038 on the reporting half. The ceilings below that it
# crossed were raised to its figures, as a trade made in the open (BENCHMARKS.md), not to let
# a regression through.
# Every gate's relation exact floor was raised to its figure under rule G the same day.
FIRST_EVENTS_CEILINGS = {"independent as copy": 0.07, "false accusations": 0.03}  # 0.05 before G
FIRST_EVENTS_FLOORS = {"origin found": 0.40, "relation exact": 0.68, "carriers kept apart": 0.91}
# The whole set since it grew to 33 events on 2026-12-05 (wire2, copies2: 110 pages gathered
# without running Byline), on its reporting half (17 events, 133 pages), measured that day.
# The new events are harder than the first ones (their part alone, before any rule was read
# off them: origin found 0 of 4, false accusations 3 of 40), so these start lower. Measured
# after that day's four changes and the loose-match rule for outlets: origin found 0.316,
# relation exact 0.639, carriers kept apart 0.843, false accusations 0.012 (1 of 81). They
# only rise.
GROWN_CEILINGS = {"independent as copy": 0.05, "false accusations": 0.02}
GROWN_FLOORS = {"origin found": 0.31, "relation exact": 0.71, "carriers kept apart": 0.84}


def _check(pages: list[Page], ceilings: dict[str, float], floors: dict[str, float]) -> None:
    figures = scores(pages, list(judge([p.record for p in pages]).provenance))
    for name, ceiling in ceilings.items():
        share, counted = figures[name]
        assert counted > 0
        assert share is not None and share <= ceiling, f"{name} {share:.3f} > {ceiling}"
    for name, floor in floors.items():
        share, counted = figures[name]
        assert counted > 0
        assert share is not None and share >= floor, f"{name} {share:.3f} < {floor}"


def test_provenance_on_the_first_events_reporting_half_does_not_get_worse() -> None:
    _, report = halves(load_pages())
    first = [p for p in report if p.story.startswith(("pw-", "pc-"))]
    assert len({p.story for p in first}) == 10
    _check(first, FIRST_EVENTS_CEILINGS, FIRST_EVENTS_FLOORS)


def test_provenance_on_the_33_events_reporting_half_does_not_get_worse() -> None:
    _, report = halves(load_pages(parts=("wire", "copies", "wire2", "copies2")))
    assert len({p.story for p in report}) == 17
    _check(report, GROWN_CEILINGS, GROWN_FLOORS)


# The part gathered after the engine was frozen (copies3, 2026-12-05: 55 pages, 6 events),
# every page of it, as first measured: relation exact 0.309, carriers kept apart 0.816,
# independent as copy 0, false accusations 0.087 (2 of 23), origin found 0 of 2 (too few to
# gate); relation exact 0.345 the same day, after the agency list grew (KUNA, Nexstar …).
# Far below the targets; these only hold the line while the engine changes. On 2026-12-06,
# after the rules of that day: relation exact 0.418, carriers kept apart 0.842, false
# accusations 0 of 23.
SEALED_CEILINGS = {"independent as copy": 0.16, "false accusations": 0.0}  # 0.05 before G
SEALED_FLOORS = {"relation exact": 0.56, "carriers kept apart": 0.84}
# The second sealed part (copies4, 2026-12-06: 69 pages, 8 events, the origin's own page in
# five of them), as first measured at commit 32be2c9: relation exact 0.391, origin found 7 of
# 20, carriers kept apart 0.714, independent as copy 3 of 11, false accusations 2 of 32; then,
# after two rules read off the tuning half (among others, its own tuning events): quotations
# two reports share no longer count as copied text (relation exact 0.420, independent as copy
# 1 of 11), and the outlet a rewording names as its reporter is its origin (relation exact
# 0.449, origin found 10 of 20, false accusations 1 of 32). Later the same day: origin found
# 12 of 20, relation exact 0.493.
SEALED4_CEILINGS = {"independent as copy": 0.10, "false accusations": 0.04}
SEALED4_FLOORS = {"origin found": 0.60, "relation exact": 0.55, "carriers kept apart": 0.71}
# The third and fourth sealed parts (2026-12-06), first measured at commit ddac37e before any
# rule was read off them. copies5 (68 pages, 8 events, origins present in six): origin found
# 8 of 19, relation exact 0.574, carriers kept apart 14 of 17, independent as copy 1 of 22,
# false accusations 0 of 40. wire3 (64 pages, 7 events of agency copy): relation exact
# 0.703, carriers kept apart 32 of 45, independent as copy 0 of 14, false accusations 2 of
# 46, origin found 2 of 3 (too few to gate). After the rules read off the tuning half that
# day (its wire3 events among them): copies5 unchanged; wire3 relation exact 0.750, carriers
# kept apart 35 of 45, false accusations 0 of 46.
SEALED5_CEILINGS = {"independent as copy": 0.05, "false accusations": 0.0}
SEALED5_FLOORS = {"origin found": 0.42, "relation exact": 0.66, "carriers kept apart": 0.82}
SEALED_WIRE3_CEILINGS = {"independent as copy": 0.05, "false accusations": 0.0}
SEALED_WIRE3_FLOORS = {"relation exact": 0.76, "carriers kept apart": 0.77}
# The fifth and sixth sealed parts (2026-12-07), first measured at commit 715c5e0 before any
# rule was read off them. copies6 (70 pages, 7 events, origins present in five): origin found
# 4 of 9, relation exact 0.457, carriers kept apart 32 of 42, independent as copy 0 of 13,
# false accusations 2 of 35. wire4 (66 pages, 7 events of agency copy, the origin's page in
# two): origin found 4 of 6, relation exact 0.530, carriers kept apart 29 of 45, independent
# as copy 1 of 12, false accusations 3 of 29. After the rules of that day (a dateline between
# bars signs agency copy; a loose match leaves an outlet's page signed as agency copy, and its
# verbatim copies, carriers; "From Associated Press." signs): copies6 relation exact 0.514,
# wire4 unchanged.
SEALED6_CEILINGS = {"independent as copy": 0.05, "false accusations": 0.06}
# The rule of ca71491 (sentences carried word for word make one text) gave a
# farm's copy of absent agency text the carrier it matches as its origin: relation exact kept,
# carriers kept apart 32 of 42 → 31 of 42, so that floor came down with it.
SEALED6_FLOORS = {"origin found": 0.44, "relation exact": 0.58, "carriers kept apart": 0.73}
SEALED_WIRE4_CEILINGS = {"independent as copy": 0.17, "false accusations": 0.11}  # 0.09 before G
SEALED_WIRE4_FLOORS = {"origin found": 0.66, "relation exact": 0.57, "carriers kept apart": 0.64}
# The seventh and eighth sealed parts (2026-12-07), first measured at commit e3be848 before any
# rule was read off them. copies7 (73 pages, 7 events, origins present in five): origin found
# 4 of 10, relation exact 0.658, carriers kept apart 26 of 42, independent as copy 0 of 16,
# false accusations 1 of 34. wire5 (70 pages, 7 events of agency copy, Yonhap's own page in
# one): origin found 4 of 4, relation exact 0.743, carriers kept apart 32 of 46, independent
# as copy 2 of 18, false accusations 2 of 45. The rule committed before they were read
# (ca71491: sentences carried word for word make one text; "…, reported Geo News." names the
# reporter) left copies7 unchanged and raised wire5's relation exact to 0.771.
SEALED7_CEILINGS = {"independent as copy": 0.05, "false accusations": 0.03}
SEALED7_FLOORS = {"origin found": 0.40, "relation exact": 0.76, "carriers kept apart": 0.61}
SEALED_WIRE5_CEILINGS = {"independent as copy": 0.12, "false accusations": 0.05}
SEALED_WIRE5_FLOORS = {"origin found": 0.75, "relation exact": 0.78, "carriers kept apart": 0.69}
# The ninth and tenth sealed parts (2026-12-07, later), first measured at commit 170eacc before
# any rule was read off them, and with two rules committed before they were read (one kept,
# 061eab7; one dropped): the same labels each time. copies8 (75 pages, 7 events, origins
# present in five): origin found 10 of 12, relation exact 0.627, carriers kept apart 31 of 41,
# independent as copy 1 of 17, false accusations 1 of 40. wire6 (70 pages, 7 events of agency
# copy, no agency's own page): relation exact 0.600, carriers kept apart 39 of 52,
# independent as copy 1 of 16, false accusations 0 of 49, origin found 0 of 1 (too few to gate).
SEALED8_CEILINGS = {"independent as copy": 0.06, "false accusations": 0.03}
SEALED8_FLOORS = {"origin found": 0.83, "relation exact": 0.66, "carriers kept apart": 0.75}
SEALED_WIRE6_CEILINGS = {"independent as copy": 0.07, "false accusations": 0.0}
SEALED_WIRE6_FLOORS = {"relation exact": 0.67, "carriers kept apart": 0.75}
# The eleventh and twelfth sealed parts (2026-12-07, later still), first measured at commit
# aab3b33 before any rule was read off them, then with the two rules committed before they
# were read (afec5e6: quotations count when three quarters of a copy is quotation; d5f6148: a
# scraper is never the author). copies9 (68 pages, 7 events, origins present in five): origin
# found 6 of 10, relation exact 0.588 → 0.603, carriers kept apart 21 of 28 → 22 of 28,
# independent as copy 0 of 23, false accusations 1 of 39. wire7 (69 pages, 7 events of agency
# copy, Kyodo's own page in three): origin found 4 of 5, relation exact 0.696, carriers kept
# apart 32 of 46, independent as copy 0 of 15, false accusations 0 of 37; the rules moved none.
SEALED9_CEILINGS = {"independent as copy": 0.0, "false accusations": 0.03}
SEALED9_FLOORS = {"origin found": 0.60, "relation exact": 0.64, "carriers kept apart": 0.78}
SEALED_WIRE7_CEILINGS = {"independent as copy": 0.0, "false accusations": 0.0}
SEALED_WIRE7_FLOORS = {"origin found": 0.80, "relation exact": 0.78, "carriers kept apart": 0.69}
# The thirteenth and fourteenth (2026-12-07, last), first measured at commit 06abaa8, then with
# the rule committed before they were read (8723d64: "with AP" and a closing "(BBC)" sign a
# carrier). copies10 (60 pages, 6 events, origins present in four): origin found 5 of 7,
# relation exact 0.700 → 0.717, carriers kept apart 25 of 35, independent as copy 0 of 14,
# false accusations 0 of 34. wire8 (61 pages, 6 events of agency copy, no agency's own page):
# relation exact 0.557, carriers kept apart 39 of 42, independent as copy 1 of 16, false
# accusations 0 of 42, origin found 2 of 3 (too few to gate).
SEALED10_CEILINGS = {"independent as copy": 0.0, "false accusations": 0.0}
SEALED10_FLOORS = {"origin found": 0.71, "relation exact": 0.76, "carriers kept apart": 0.71}
SEALED_WIRE8_CEILINGS = {"independent as copy": 0.07, "false accusations": 0.0}
SEALED_WIRE8_FLOORS = {"relation exact": 0.62, "carriers kept apart": 0.92}
# The fifteenth and sixteenth (2026-12-07, next session), first measured at commit d949b2d,
# then with the rule committed before they were read (bf75ceb: rule A reads quotations as the
# coverage count does): the same labels. copies11 (77 pages, 7 events, origins present in
# five): origin found 3 of 6, relation exact 0.532, carriers kept apart 38 of 50,
# independent as copy 0 of 16, false accusations 0 of 36. wire9 (70 pages, 7 events of
# agency copy): origin found 4 of 4, relation exact 0.557, carriers kept apart 37 of 44,
# independent as copy 0 of 18, false accusations 0 of 42. Rule G, read off the tuning half
# after these two were read (so no sealed test of it): relation exact 0.597 and 0.629.
SEALED11_CEILINGS = {"independent as copy": 0.0, "false accusations": 0.0}
SEALED11_FLOORS = {"origin found": 0.50, "relation exact": 0.59, "carriers kept apart": 0.76}
SEALED_WIRE9_CEILINGS = {"independent as copy": 0.0, "false accusations": 0.0}
SEALED_WIRE9_FLOORS = {"origin found": 1.0, "relation exact": 0.62, "carriers kept apart": 0.84}
# The seventeenth and eighteenth (2026-12-07, next session), first measured at commit bf75ceb,
# then with rule G committed before they were read (7526ed9), its pre-registered test.
# copies12 (67 pages, 7 events, the origin's own page found in one): relation exact 0.627 →
# 0.731, carriers kept apart 37 of 47, independent as copy 0 → 1 of 18, false accusations 0
# of 36, origin found 1 of 1 (too few to gate). wire10 (75 pages, 7 events of agency copy, no
# agency's own page): relation exact 0.560 → 0.680, carriers kept apart 46 of 58,
# independent as copy 0 of 15, false accusations 0 of 43, origin found 1 of 2 (too few).
SEALED12_CEILINGS = {"independent as copy": 0.06, "false accusations": 0.0}
SEALED12_FLOORS = {"relation exact": 0.73, "carriers kept apart": 0.78}
SEALED_WIRE10_CEILINGS = {"independent as copy": 0.0, "false accusations": 0.0}
SEALED_WIRE10_FLOORS = {"relation exact": 0.68, "carriers kept apart": 0.79}
# The nineteenth and twentieth (2026-12-07, next session, last), measured once at the frozen
# commit 4edf3b2 (rule G in), and at bf75ceb (before G) in the same sitting: both commits
# came before the pair was read, so it is a second sealed test of G. copies13 (49 pages, 5
# events, the origin's own page in two): relation exact 0.551 → 0.633 with G, origin found 1
# of 7, carriers kept apart 15 of 27, independent as copy 0 of 12, false accusations 0 of 19.
# wire11 (68 pages, 6 events of agency copy, Kyodo's own page in one): relation exact 0.632 →
# 0.676, origin found 6 of 6, carriers kept apart 38 of 45, independent as copy 0 of 16,
# false accusations 0 of 40.
SEALED13_CEILINGS = {"independent as copy": 0.0, "false accusations": 0.0}
SEALED13_FLOORS = {"origin found": 0.14, "relation exact": 0.63, "carriers kept apart": 0.55}
SEALED_WIRE11_CEILINGS = {"independent as copy": 0.0, "false accusations": 0.0}
SEALED_WIRE11_FLOORS = {"origin found": 1.0, "relation exact": 0.67, "carriers kept apart": 0.84}
# The twenty-first and twenty-second (2026-12-07, the session after), measured once at the
# frozen commit 303ec28, with no rule pending. copies14 (77 pages, 7 events of 2023 and 2025,
# the origin's own page in four): origin found 5 of 8, relation exact 0.532, carriers kept
# apart 36 of 50, independent as copy 0 of 15, false accusations 3 of 39 (an outlet's "(With
# Agency Inputs)" rewrite, DW's reworded copy carried by Taiwan News, and a one-sentence
# Reuters flash, each called a spin of the page it shares its sentences with). wire12 (75
# pages, 6 events of 2024's agency copy, no agency's own page): relation exact 0.693,
# carriers kept apart 48 of 60, independent as copy 0 of 15, false accusations 0 of 40.
SEALED14_CEILINGS = {"independent as copy": 0.0, "false accusations": 0.08}
SEALED14_FLOORS = {"origin found": 0.62, "relation exact": 0.53, "carriers kept apart": 0.72}
SEALED_WIRE12_CEILINGS = {"independent as copy": 0.0, "false accusations": 0.0}
SEALED_WIRE12_FLOORS = {"relation exact": 0.69, "carriers kept apart": 0.80}
# The twenty-third and twenty-fourth (2026-12-07, the same session), measured once at the
# frozen commit 63b2780 (the engine of 303ec28), with no rule pending (one was tried on the
# halves meanwhile and dropped before they were read). copies15 (52 pages, 5 events, the
# origin's own page in four): origin found 3 of 8, relation exact 0.519, carriers kept apart
# 22 of 26, independent as copy 1 of 14 (El Español's report on a proxy host, read as an
# aggregator's page), false accusations 0 of 24. wire13 (69 pages, 6 events of agency copy,
# no agency's own page carried): origin found 1 of 5, relation exact 0.536, carriers kept
# apart 37 of 45, independent as copy 2 of 15 (two Daily Post reports its gatherer called
# independent but "could be read as a loose rewrite", each called a spin of a page it shares
# four sentences with), false accusations 2 of 34 (the same two pages).
SEALED15_CEILINGS = {"independent as copy": 0.08, "false accusations": 0.0}
SEALED15_FLOORS = {"origin found": 0.37, "relation exact": 0.51, "carriers kept apart": 0.84}
SEALED_WIRE13_CEILINGS = {"independent as copy": 0.14, "false accusations": 0.06}
SEALED_WIRE13_FLOORS = {"origin found": 0.2, "relation exact": 0.53, "carriers kept apart": 0.82}
# The twenty-fifth and twenty-sixth (2026-12-07, the fifth session that day), measured once
# at c92c325 and at 3452127 as pre-registered (the same figures: neither part holds a Jiji or
# Kyodo dateline). copies16 (68 pages, 5 events of crypto and markets news, the origin's own
# page in three): origin found 3 of 8, relation exact 0.765, carriers kept apart 25 of 40,
# independent as copy 0 of 15, false accusations 0 of 24. wire14 (61 pages, 5 events of
# Reuters, AP, AFP, Anadolu and KUNA copy, no agency's own page): origin found 0 of 3,
# relation exact 0.475, carriers kept apart 40 of 47, independent as copy 0 of 10, false
# accusations 1 of 33 (Newshub carrying the Pylos shipwreck story, called a spin of the BBC's
# report it shares five reworded sentences with).
SEALED16_CEILINGS = {"independent as copy": 0.0, "false accusations": 0.0}
SEALED16_FLOORS = {"origin found": 0.37, "relation exact": 0.76, "carriers kept apart": 0.62}
SEALED_WIRE14_CEILINGS = {"independent as copy": 0.0, "false accusations": 0.04}
SEALED_WIRE14_FLOORS = {"relation exact": 0.47, "carriers kept apart": 0.85}
# The twenty-seventh and twenty-eighth (2026-12-08, the second session that day), measured
# once at ad04ed4 and at 8eda78a as pre-registered (the opening dateline's signature rule:
# relation exact 0.664 → 0.671 over both, one Rediff "-- PTI" item won, nothing lost).
# copies17 (67 pages, 7 events of 2024-25 from Nigeria, Ghana, Fiji and the UK, the origin's
# own page in two): origin found 5 of 16, relation exact 0.672, carriers kept apart 19 of 34,
# independent as copy 1 of 13, false accusations 1 of 19 (The Guardian's report, called a
# spin of a rewrite it shares six of eight sentences with, loosely). wire15 (76 pages, 7
# events of agency copy, no agency's own page carried): relation exact 0.671, carriers kept
# apart 49 of 57, independent as copy 0 of 19, false accusations 2 of 54 (two carriers of
# Anadolu's Istanbul earthquake copy, each called a spin of a third).
SEALED17_CEILINGS = {"independent as copy": 0.08, "false accusations": 0.06}
SEALED17_FLOORS = {"origin found": 0.31, "relation exact": 0.67, "carriers kept apart": 0.55}
SEALED_WIRE15_CEILINGS = {"independent as copy": 0.0, "false accusations": 0.04}
SEALED_WIRE15_FLOORS = {"relation exact": 0.67, "carriers kept apart": 0.85}
# The twenty-ninth and thirtieth (2026-12-08, the third session that day), measured once at
# db65c05 and at e671ee9 as pre-registered (a page filed in a wire section of its address, and
# a rewording signed as agency copy making the text's one outlet a carrier: relation exact
# 0.622 → 0.637 over both, two UBS–Credit Suisse carriers of Reuters' text won, nothing lost).
# copies18 (82 pages, 6 events of 2023 and 2025 from Ghana, Nepal, India, Nigeria, Malaysia
# and Kenya, the origin's own page in all six): origin found 8 of 13, relation exact 0.610,
# carriers kept apart 30 of 37, independent as copy 0 of 24, false accusations 2 of 47 (The
# Sun's and Scoop's edits of Bernama's Putra Heights report, called spins of Bernama's page).
# wire16 (53 pages, 5 events of agency copy): relation exact 0.679, carriers kept apart 34 of
# 36, independent as copy 0 of 15, false accusations 0 of 32, origin found 1 of 1 (too few to
# gate).
SEALED18_CEILINGS = {"independent as copy": 0.0, "false accusations": 0.05}
SEALED18_FLOORS = {"origin found": 0.61, "relation exact": 0.60, "carriers kept apart": 0.81}
SEALED_WIRE16_CEILINGS = {"independent as copy": 0.0, "false accusations": 0.0}
SEALED_WIRE16_FLOORS = {"relation exact": 0.67, "carriers kept apart": 0.94}


@pytest.mark.parametrize(
    ("part", "events", "ceilings", "floors"),
    [
        ("copies3", 6, SEALED_CEILINGS, SEALED_FLOORS),
        ("copies4", 8, SEALED4_CEILINGS, SEALED4_FLOORS),
        ("copies5", 8, SEALED5_CEILINGS, SEALED5_FLOORS),
        ("wire3", 7, SEALED_WIRE3_CEILINGS, SEALED_WIRE3_FLOORS),
        ("copies6", 7, SEALED6_CEILINGS, SEALED6_FLOORS),
        ("wire4", 7, SEALED_WIRE4_CEILINGS, SEALED_WIRE4_FLOORS),
        ("copies7", 7, SEALED7_CEILINGS, SEALED7_FLOORS),
        ("wire5", 7, SEALED_WIRE5_CEILINGS, SEALED_WIRE5_FLOORS),
        ("copies8", 7, SEALED8_CEILINGS, SEALED8_FLOORS),
        ("wire6", 7, SEALED_WIRE6_CEILINGS, SEALED_WIRE6_FLOORS),
        ("copies9", 7, SEALED9_CEILINGS, SEALED9_FLOORS),
        ("wire7", 7, SEALED_WIRE7_CEILINGS, SEALED_WIRE7_FLOORS),
        ("copies10", 6, SEALED10_CEILINGS, SEALED10_FLOORS),
        ("wire8", 6, SEALED_WIRE8_CEILINGS, SEALED_WIRE8_FLOORS),
        ("copies11", 7, SEALED11_CEILINGS, SEALED11_FLOORS),
        ("wire9", 7, SEALED_WIRE9_CEILINGS, SEALED_WIRE9_FLOORS),
        ("copies12", 7, SEALED12_CEILINGS, SEALED12_FLOORS),
        ("wire10", 7, SEALED_WIRE10_CEILINGS, SEALED_WIRE10_FLOORS),
        ("copies13", 5, SEALED13_CEILINGS, SEALED13_FLOORS),
        ("wire11", 6, SEALED_WIRE11_CEILINGS, SEALED_WIRE11_FLOORS),
        ("copies14", 7, SEALED14_CEILINGS, SEALED14_FLOORS),
        ("wire12", 6, SEALED_WIRE12_CEILINGS, SEALED_WIRE12_FLOORS),
        ("copies15", 5, SEALED15_CEILINGS, SEALED15_FLOORS),
        ("wire13", 6, SEALED_WIRE13_CEILINGS, SEALED_WIRE13_FLOORS),
        ("copies16", 5, SEALED16_CEILINGS, SEALED16_FLOORS),
        ("wire14", 5, SEALED_WIRE14_CEILINGS, SEALED_WIRE14_FLOORS),
        ("copies17", 7, SEALED17_CEILINGS, SEALED17_FLOORS),
        ("wire15", 7, SEALED_WIRE15_CEILINGS, SEALED_WIRE15_FLOORS),
        ("copies18", 6, SEALED18_CEILINGS, SEALED18_FLOORS),
        ("wire16", 5, SEALED_WIRE16_CEILINGS, SEALED_WIRE16_FLOORS),
    ],
)
def test_provenance_on_the_sealed_parts_does_not_get_worse(
    part: str, events: int, ceilings: dict[str, float], floors: dict[str, float]
) -> None:
    assert part in SEALED_PROVENANCE_PARTS
    pages = load_pages(parts=(part,))
    assert len({p.story for p in pages}) >= events
    _check(pages, ceilings, floors)


# The cross-lingual part (xlang, 2026-12-06: 40 pages, 4 events, five languages), every page
# of it, as first measured with machine translation built: relation exact 0.375, carriers
# kept apart 0.828, independent as copy 0 of 9, false accusations 0 of 17, origin found 2 of 2.
# Its translations are of agency text whose own page is absent, and none of its Spanish pages
# has its origin in the set, so machine translation changes nothing on it (BENCHMARKS.md);
# it holds the line on accusing pages in other languages. Relation exact 0.400 on 2026-12-06,
# after that day's rules.
CROSS_LINGUAL_CEILINGS = {"independent as copy": 0.12, "false accusations": 0.0}  # 0.05 before G
CROSS_LINGUAL_FLOORS = {"relation exact": 0.60, "carriers kept apart": 0.82}


def test_provenance_on_the_cross_lingual_part_does_not_get_worse() -> None:
    pages = load_pages(parts=CROSS_LINGUAL_PARTS)
    assert len({p.story for p in pages}) >= 4
    assert len({p.record.id for p in pages if not provenance._reads_english(p.record.text)}) >= 20
    _check(pages, CROSS_LINGUAL_CEILINGS, CROSS_LINGUAL_FLOORS)


# The batch engines (`byline batch`: its local engine, which the Spark engine matches row for
# row) on the whole set, scored on its reporting half, as measured on 2026-12-06 once they
# judged a story's articles together and paired articles by their sentence hashes too:
# origin found 0.333, relation exact 0.500, carriers kept apart 0.831, independent as copy 0,
# false accusations 0.028 (before: 0.250, 0.465, 0.862, 0, 0.028). Their labels differed
# from pipeline.judge's on 11 of the 412 pages (45 before): stories the time blocks cut
# apart, and pages pipeline.judge pairs by shared names and numbers alone. Floors only rise.
# The set grew to 544 pages the same day (copies5, wire3): the reporting half then measured
# origin found 0.382, relation exact 0.522, carriers kept apart 0.838, independent as copy
# 0, false accusations 0.022, and 14 labels differed (the 11, plus two undated rewordings
# the batch's time blocks keep out of their origin's story, and one origin chosen in
# another version of the text). After that day's rules (an agency's own page is no source
# of carriers crediting another agency; "(PTI)" after "Pakistan Tehreek-e-Insaf" signs
# nothing): relation exact 0.538, carriers kept apart 0.845, false accusations 0.007, and
# 15 labels apart, 8 of them undated articles, which the time blocks keep out of every dated
# story. Once undated articles were paired by the names and numbers they share
# (``steps.immutable_pairs``, ``verify_link``): origin found 0.441, relation exact 0.550,
# carriers kept apart 0.838, false accusations 0.007, and 4 labels apart (two stories whose
# articles a day apart only names and numbers pair). On 2026-12-07 the set grew to 680 pages
# (copies6, wire4); the floors stay on the 66 events they were set on (relation exact 0.558
# after that day's rules), and 4 labels of the 680 differ. The set grew again the same day to
# 823 pages (copies7, wire5): 12 labels apart, 6 more on the earlier events, because the new
# events had changed pipeline.judge's reading of them (two Nigerian outlets that reword others'
# reports in copies7's events counted as spinners across the whole set, and their own reports
# elsewhere lost authorship). Once a source found writing an original was no farm (061eab7):
# 5 labels apart of 968 (copies8, wire6 joined too), the earlier 4 and one in wire5.
BATCH_CEILINGS = {"independent as copy": 0.05, "false accusations": 0.01}
BATCH_FLOORS = {"origin found": 0.44, "relation exact": 0.555, "carriers kept apart": 0.83}
# With copies11, wire9, copies12 and wire10 (1,515 pages): 6 apart, the 5 and a farm's
# rewording in copies11 (pc11-novisad-10) that the batch pairs with no page. With copies13
# and wire11 (1,632 pages): 10, three more in their events (two rewordings of a BBC report on
# Romania's vote, one of an AFP report on Arras) and pc4-kuriga-7, which pipeline.judge no
# longer pairs (test_later_events_leave_the_labels_of_earlier_ones_alone) and the batch does.
# With copies14 and wire12 (1,784 pages): 10 still, pw-fentstrips-2 (the same) in and
# pc11-novisad-10 out. With copies15 and wire13 (1,905 pages): 12, pc-cz-downfall-7 (the
# same again) and pw13-kuwaitemir-3, an uncredited carrier of KUNA's text that the batch
# reads as independent and pipeline.judge as the group's original (the gold: syndicated).
# Once the batch's story blocks were as long as the story window (2026-12-07, the fourth
# session that day; 24 hours before), 8: its stories are the pipeline's, so are its groups.
# With copies17 and wire15 (2,177 pages, 2026-12-08): 9, one more of the undated kind:
# pw15-shenzhou20-7, an aggregator's undated copy of the Shenzhou-20 launch text, which the
# batch pairs with Shine's page by key and pipeline.judge reads as a lone scraper's reword.
# With the rule that a rewording signed as agency copy makes the text's one outlet a carrier
# (2026-12-08, the third session that day): 10, pc4-maiduguri-1, the Shropshire Star's AP
# copy, which the batch pairs with kvia.com's "(AP) —" version by key and so reads as AP's
# carrier (the gold), while pipeline.judge no longer pairs them
# (test_later_events_leave_the_labels_of_earlier_ones_alone).
BATCH_MOST_LABELS_APART = 10
BATCH_GATED_LATER = ("copies6", "wire4", "copies7", "wire5", "copies8", "wire6", "copies9", "wire7")
BATCH_GATED_LATER += ("copies10", "wire8")  # grown after the floors were set
BATCH_GATED_LATER += ("copies11", "wire9", "copies12", "wire10", "copies13", "wire11")
BATCH_GATED_LATER += ("copies14", "wire12", "copies15", "wire13", "copies16", "wire14")
BATCH_GATED_LATER += ("copies17", "wire15", "copies18", "wire16")


def test_the_batch_engines_label_real_copies_as_the_pipeline_does() -> None:
    pages = load_pages()
    batch = byline_batch(pages)
    pipeline = judge([p.record for p in pages]).provenance
    apart = sum(
        (a.relation, a.origin_id) != (b.relation, b.origin_id)
        for a, b in zip(batch, pipeline, strict=True)
    )
    assert apart <= BATCH_MOST_LABELS_APART, f"{apart} labels differ from pipeline.judge's"
    later = {p.record.id for p in load_pages(parts=BATCH_GATED_LATER)}
    kept = [i for i, p in enumerate(pages) if p.record.id not in later]
    assert len({pages[i].story for i in kept}) == 66
    _, report = halves([pages[i] for i in kept])
    by_id = {label.id: label for label in batch}
    figures = scores(report, [by_id[p.record.id] for p in report])
    for name, ceiling in BATCH_CEILINGS.items():
        share, counted = figures[name]
        assert counted > 0 and share is not None and share <= ceiling, f"{name} {share} > {ceiling}"
    for name, floor in BATCH_FLOORS.items():
        share, counted = figures[name]
        assert counted > 0 and share is not None and share >= floor, f"{name} {share} < {floor}"


EARLIER_PARTS = ("wire", "copies", "wire2", "copies2", "copies3", "copies4", "copies5", "wire3")
EARLIER_PARTS += ("copies6", "wire4", "xlang")
LATER_PARTS = ("copies7", "wire5", "copies8", "wire6", "copies9", "wire7", "copies10", "wire8")
LATER_PARTS += ("copies11", "wire9", "copies12", "wire10", "copies13", "wire11")
LATER_PARTS += ("copies14", "wire12", "copies15", "wire13", "copies16", "wire14")
LATER_PARTS += ("copies17", "wire15", "copies18", "wire16")


def test_later_events_leave_the_labels_of_earlier_ones_alone() -> None:
    """Another story's pages say nothing of this story's copies. When copies7 and wire5 joined
    the set, two Nigerian outlets that reword others' reports in their events (naijanews.com,
    dailypost.ng) counted as spinners across the whole set, and seven labels of earlier
    events changed, an outlet's own report among them called a spin. A source that the
    judge finds writing an original is no content farm for its spins elsewhere.

    One label does change since copies13 and wire11 joined (2026-12-07), through the candidate
    index rather than a judgement: Leadership's three-sentence flash on Kuriga (pc4-kuriga-7)
    was paired with Daily Trust's report by three shared names and numbers, two of them bare
    numbers ("8", "20"); with the new parts' undated pages, "8" is held by more than
    ``MAX_IMMUTABLE_HOLDERS`` live pages and votes no more, so the pair is no candidate and
    the flash reads as independent. Undated pages stay live for every event in this set (two
    in five have no date); in the service every stored article has a date, fetched or
    estimated, so the window bounds them.

    A second label changes the same way since copies14 and wire12 joined (2026-12-07, the
    session after): floridanewstimes.com's undated spin of AP's fentanyl test-strips report
    (pw-fentstrips-2) shares no sentence with it and was paired by four names and numbers;
    "20" and "2023" are now held by 54 and 51 undated pages, over the cap, so two keys are left,
    fewer than ``MIN_SHARED_IMMUTABLES``, and the page is read as a lone scraper's reword (still
    spun, its origin lost). A third since copies15 and wire13 joined (the same session):
    geethanpost.com's spin of Hindustan Times's report on Changpeng Zhao's fall
    (pc-cz-downfall-7) was paired by "On Tuesday", "Sam Bankman" and "4", and "4" is now held
    by 54 undated pages. The batch engine, which meets undated pages by key but dated ones by
    time block, still pairs all three.

    A fourth since a rewording signed as agency copy makes the one outlet carrying a text its
    carrier (2026-12-08, the third session that day): judged alone, the earlier events pair
    the Shropshire Star's AP copy on Maiduguri's dam (pc4-maiduguri-1) with kvia.com's first
    "(AP) —" version of it, so the Star reads as AP's carrier, as the gold has it; judged with
    the later parts, that pair is no candidate (the same cap on undated holders), and the
    Star is again the only outlet with the text, its original. They are pinned here so that
    any other change fails."""
    earlier = load_pages(parts=EARLIER_PARTS)
    later = load_pages(parts=LATER_PARTS)
    alone = {p.id: (p.relation, p.origin_id) for p in judge([p.record for p in earlier]).provenance}
    together = judge([p.record for p in earlier + later]).provenance
    changed = [p.id for p in together if p.id in alone and alone[p.id] != (p.relation, p.origin_id)]
    assert len(alone) == 680
    assert changed == ["pc-cz-downfall-7", "pc4-kuriga-7", "pc4-maiduguri-1", "pw-fentstrips-2"]


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
