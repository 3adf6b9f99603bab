"""The batch engines label copies as ``pipeline.judge`` does (issue 11): a story's articles are
judged together, so a farm's sentence-by-sentence rewrite is traced, a scrape that kept
only a few of the text's sentences is paired by them, though no LSH band joins it, and an
undated rewrite, which no time block puts in its origin's story, is paired by the names and
numbers it kept."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.judge.test_provenance import INDEPENDENT, ORIGIN, REWRITE, UNRELATED

from byline.batch.local import run_local
from byline.batch.rows import ARTICLES_SCHEMA, columns
from byline.batch.spark import run_spark
from byline.batch.stages import MapOptions, read_input
from byline.batch.steps import (
    PLACING_BLOCKS,
    BatchParams,
    candidate_keys,
    story_groups,
    verify_pair,
)
from byline.pipeline import judge
from byline.records import JudgeInput

WHEN = datetime(2026, 10, 14, 8, 0, tzinfo=UTC)
TITLE = "Hackers cripple eleven hospitals in northern Valdoria"
# three of the origin's sentences word for word, beside a page of its own
PARTIAL = "\n".join(ORIGIN.splitlines()[:3] + INDEPENDENT.splitlines())


def _record(key: str, text: str, hours: float, kind: str = "outlet") -> JudgeInput:
    return JudgeInput(
        id=key,
        url=f"https://{key}.example/story",
        source=f"{key}.example",
        title=TITLE,
        text=text,
        published=WHEN + timedelta(hours=hours),
        source_kind=kind,
    )


def _write(records: list[JudgeInput], path: Path) -> None:
    path.write_text("".join(json.dumps(r.to_json()) + "\n" for r in records), encoding="utf-8")


RECORDS = [
    _record("origin", ORIGIN, 0),
    _record("rewrite", REWRITE, 3, kind="aggregator"),  # a farm's rewrite: a loose match
    _record("partial", PARTIAL, 5, kind="aggregator"),
]


def test_the_local_batch_engine_labels_rewrites_and_partial_scrapes_as_the_pipeline_does(
    tmp_path: Path,
) -> None:
    records = RECORDS
    path = tmp_path / "records.jsonl"
    _write(records, path)
    rows = {row.id: row for row in read_input(str(path), MapOptions())}
    origin, partial = rows["origin"], rows["partial"]
    assert not set(origin.bands) & set(partial.bands)  # no LSH band pairs the partial scrape
    assert set(candidate_keys(origin)) & set(candidate_keys(partial))  # its sentences do
    assert verify_pair(PARTIAL, ORIGIN, BatchParams().copy_threshold)  # and it is a copy

    tables, summary = run_local([str(path)], BatchParams(), MapOptions())
    batch = {row[0]: (row[1], row[2]) for row in tables.relations}
    pipeline = {p.id: (p.relation, p.origin_id) for p in judge(records).provenance}
    assert batch == pipeline
    assert batch["rewrite"] == ("spun", "origin")
    assert batch["partial"][1] == "origin"
    assert batch["origin"] == ("original", None)
    groups = {row[0]: row[-1] for row in tables.articles}
    assert len(set(groups.values())) == 1 and None not in groups.values()
    assert summary.copy_groups == 1


def test_the_spark_engine_writes_the_same_labels(
    spark: Any, read_table: Any, tmp_path: Path
) -> None:
    path = tmp_path / "records.jsonl"
    _write(RECORDS, path)
    tables, _ = run_local([str(path)], BatchParams(), MapOptions())
    out = tmp_path / "spark"
    summary = run_spark(spark, [str(path)], str(out), BatchParams(), MapOptions())
    found = {row[0]: (row[1], row[2]) for row in read_table(out, "relations")}
    assert found == {row[0]: (row[1], row[2]) for row in tables.relations}
    assert found["rewrite"] == ("spun", "origin")
    assert summary.copy_groups == 1


# A farm's rewrite with no date (real farms leave it out): its time block is the undated one.
UNDATED = [
    _record("origin", ORIGIN, 0),
    dataclasses.replace(_record("rewrite", REWRITE, 3, kind="aggregator"), published=None),
    _record("other", INDEPENDENT, 2),
]


def test_an_undated_rewrite_is_traced_by_the_batch_engines_as_by_the_pipeline(
    spark: Any, read_table: Any, tmp_path: Path
) -> None:
    path = tmp_path / "records.jsonl"
    _write(UNDATED, path)
    rows = {row.id: row for row in read_input(str(path), MapOptions())}
    origin, rewrite = rows["origin"], rows["rewrite"]
    params = BatchParams()
    assert not set(story_groups(origin, params)) & set(story_groups(rewrite, params))
    assert not verify_pair(REWRITE, ORIGIN, params.copy_threshold)  # no shared text

    pipeline = {p.id: (p.relation, p.origin_id) for p in judge(UNDATED).provenance}
    assert pipeline["rewrite"] == ("spun", "origin")
    tables, _ = run_local([str(path)], params, MapOptions())
    assert {row[0]: (row[1], row[2]) for row in tables.relations} == pipeline
    out = tmp_path / "spark"
    run_spark(spark, [str(path)], str(out), params, MapOptions())
    assert {row[0]: (row[1], row[2]) for row in read_table(out, "relations")} == pipeline


# An undated report of an event weeks older than the archive's newest records: the batch
# engines place it by its text in its event's time block, as the pipeline places it.
def _later(week: int) -> JudgeInput:
    return dataclasses.replace(
        _record(f"bank{week}", UNRELATED.replace("third", f"number {week}"), 24 * 7 * week),
        title=f"Ostrovian central bank raises rates, week {week}",
    )


# more weeks than the blocks an undated article is asked of (steps.PLACING_BLOCKS)
WEEKS = (3, 6, 9, 12, 15, 18, 21)
PLACED = [
    _record("origin", ORIGIN, 0),
    *(_later(week) for week in WEEKS),
    dataclasses.replace(_record("report", INDEPENDENT, 0), published=None),
]


def test_an_undated_report_joins_its_event_in_the_batch_engines_as_in_the_pipeline(
    spark: Any, read_table: Any, tmp_path: Path
) -> None:
    path = tmp_path / "records.jsonl"
    _write(PLACED, path)
    pipeline = {a.id: a.story for a in judge(PLACED).stories}
    assert pipeline["report"] == pipeline["origin"] == "origin"
    assert len(set(pipeline.values())) == 1 + len(WEEKS)  # each rate rise a story of its own
    assert len(WEEKS) + 1 > PLACING_BLOCKS

    def stories(tables_articles: Any) -> dict[str, str]:
        names = columns(ARTICLES_SCHEMA)
        key, story = names.index("id"), names.index("story")
        return {row[key]: row[story] for row in tables_articles}

    tables, summary = run_local([str(path)], BatchParams(), MapOptions())
    assert stories(tables.articles) == pipeline
    assert (summary.undated, summary.placed) == (1, 1)
    assert "undated 1: 1 clustered where their text placed them" in "\n".join(summary.lines())
    # the report is no copy: provenance does not move it to the origin's story
    assert {row[0]: row[1] for row in tables.relations}["report"] == "independent"
    # as before 2026-12-08: in a block of its own, a story of its own
    apart, summary = run_local([str(path)], BatchParams(place_undated=False), MapOptions())
    assert stories(apart.articles)["report"] == "report"
    assert (summary.undated, summary.placed) == (1, 0)

    out = tmp_path / "spark"
    summary = run_spark(spark, [str(path)], str(out), BatchParams(), MapOptions())
    assert stories(read_table(out, "articles")) == pipeline
    assert (summary.undated, summary.placed) == (1, 1)
    counts = {row[0]: row[-2] for row in read_table(out, "stories")}  # article_count
    assert counts == {row[0]: row[-2] for row in tables.stories}
    assert counts == {"origin": 2, **{f"bank{week}": 1 for week in WEEKS}}
