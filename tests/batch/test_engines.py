"""`byline batch` end to end: the local engine (one process) and the Spark engine (local[2])
write the same articles, relations and stories over a WARC archive Byline wrote itself from
the demo outlets' pages, with bad records mixed in that are counted and skipped."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from byline import cli
from byline.batch.parquet import read_rows
from byline.batch.rows import ARTICLES_SCHEMA, RELATIONS_SCHEMA, columns
from byline.batch.summary import DUPLICATE
from byline.judge import entities
from byline.records import COPY_RELATIONS

EXPECTED_SKIPS = {
    "warcinfo record": 3,
    "not HTML": 1,
    "HTTP 4xx status": 1,
    "broken encoding": 1,
    "bad JSONL record": 2,
    DUPLICATE: 17,  # the page fetched twice, and the 16 pages before the cut copy's cut
}


def _batch(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(["batch", *argv])
    out, _ = capsys.readouterr()
    return code, out


def test_local_and_spark_engines_write_the_same_tables(
    spark: Any,
    read_table: Any,
    batch_input: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    local, distributed = tmp_path / "local", tmp_path / "spark"
    found = ["--entities"] if entities.available() else []  # spaCy in the Spark workers too
    code, out = _batch(capsys, *batch_input.files, "--out", str(local), "--engine", "local", *found)
    assert code == 0, out
    code, out = _batch(
        capsys, *batch_input.files, "--out", str(distributed), "--master", "local[2]", *found
    )
    assert code == 0, out
    assert "engine spark local[2]" in out

    for table in ("articles", "relations", "stories"):
        assert read_table(local, table) == read_table(distributed, table), table
    if found:  # the people, places and organisations of the demo pages
        named = [row["entities"] for row in read_rows(local / "articles")]
        assert sum(1 for e in named if e) > 0.8 * len(named)

    summaries = [json.loads((d / "summary.json").read_text()) for d in (local, distributed)]
    counted = (
        "records",
        "skipped",
        "articles",
        "undated",
        "placed",
        "copy_groups",
        "copies",
        "stories",
    )
    first, second = ({k: s[k] for k in counted} for s in summaries)
    assert first == second
    summary = summaries[1]
    skipped = summary["skipped"]
    assert {k: v for k, v in skipped.items() if k in EXPECTED_SKIPS} == EXPECTED_SKIPS
    assert set(skipped) - set(EXPECTED_SKIPS) <= {"truncated record", "truncated gzip"}
    assert summary["records"] == summary["articles"] + sum(skipped.values())
    assert summary["articles"] == len(batch_input.articles) + len(batch_input.jsonl_ids)
    assert set(summary["seconds"]) >= {"read+extract", "stories", "copies", "labels+write"}


def test_the_tables_match_the_demo_corpus(batch_input: Any, local_run: Any) -> None:
    """Every story holds one event's articles; every copy the corpus made is found as a
    copy of an article of its event, and no independent report is taken for one."""
    tables, _ = local_run
    articles = [dict(zip(columns(ARTICLES_SCHEMA), row, strict=True)) for row in tables.articles]
    relations = {
        row[0]: dict(zip(columns(RELATIONS_SCHEMA), row, strict=True)) for row in tables.relations
    }
    by_id = {a["id"]: a for a in articles}
    events = defaultdict(set)
    for article in articles:
        truth = batch_input.articles.get(article["url"])
        if truth is None:
            assert article["id"] in batch_input.jsonl_ids
            continue
        events[article["story"]].add(truth.event_id)
        relation = relations[article["id"]]
        if truth.relation in COPY_RELATIONS:
            assert relation["relation"] in COPY_RELATIONS, (truth, relation)
            assert relation["origin_id"] is not None, (truth, relation, by_id[article["id"]])
            origin = batch_input.articles[by_id[relation["origin_id"]]["url"]]
            assert origin.event_id == truth.event_id
            assert article["copy_group"] is not None
        else:
            assert relation["relation"] in {"original", "independent"}, (truth, relation)
    assert all(len(found) == 1 for found in events.values()), events
    assert len(events) >= len({a.event_id for a in batch_input.articles.values()})
    stories = {row[0] for row in tables.stories}
    assert stories == {a["story"] for a in articles}
    copied = {r["origin_id"] for r in relations.values() if r["origin_id"]}
    for story in stories:  # a story is named by its first article: original when copied
        members = sorted((a["published"], a["id"]) for a in articles if a["story"] == story)
        assert members[0][1] == story
        expected = "original" if story in copied else "independent"
        assert relations[story]["relation"] == expected


@pytest.mark.parametrize("driver_edges", [0, 1000], ids=["joins", "driver"])
def test_connected_components_settle_on_long_chains(spark: Any, driver_edges: int) -> None:
    """Min-label propagation with joins (a graph too large for the driver) and union-find on
    the driver (a small one) give every vertex the smallest vertex of its component."""
    from byline.batch.spark import connected_components

    chain = [(f"a{i:02d}", f"a{i + 1:02d}") for i in range(40)]
    other = [("b1", "b2"), ("b3", "b2")]
    edges = spark.createDataFrame(list(reversed(chain)) + other, "a string, b string")
    found = connected_components(spark, edges.repartition(3), driver_edges=driver_edges)
    labels = {row["vertex"]: row["label"] for row in found.collect()}
    assert labels == {**{f"a{i:02d}": "a00" for i in range(41)}, "b1": "b1", "b2": "b1", "b3": "b1"}
