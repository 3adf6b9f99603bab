"""The batch steps as pure functions (no Spark): per-record reading and its skip reasons,
dates, LSH pairs, copy verification, connected components, story blocks and stitching."""

from __future__ import annotations

import dataclasses
import math
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.batch.archive import BROKEN_ENCODING

from byline.batch import spark as batch_spark
from byline.batch.cli import expand_inputs
from byline.batch.rows import ArticleRow, Skip, order_key
from byline.batch.stages import MapOptions, band_keys, plausible_date, read_input, url_id
from byline.batch.steps import (
    SENTENCE_KEY,
    BatchParams,
    band_pairs,
    candidate_keys,
    components,
    exact_pairs,
    lone_relation,
    stitch_link,
    story_edges,
    story_groups,
    verify_pair,
)
from byline.errors import BylineError, MissingExtra
from byline.fetch.warc import WarcWriter
from byline.records import FetchResult

WHEN = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
ORIGIN = (
    "The council of Brackwater voted on Monday to close the old fish market by June. "
    "Mayor Ilse Varn said the building had been unsafe for years and repairs would cost 12 "
    "million marks. Traders will move to a new hall on the quay, the council said. "
    "Some stallholders said they had not been consulted and would appeal the decision."
)
INDEPENDENT = (
    "Stallholders in Brackwater are angry. A vote at the town hall means their market hall "
    "must shut, and several told this paper they heard the news on the radio. Ilse Varn, "
    "the mayor, defended the plan at a meeting that ran late into the evening on Monday."
)


PAGE = (
    "<html><head><title>Brackwater closes its fish market</title></head><body><article>"
    + "".join(f"<p>{s}.</p>" for s in ORIGIN.split(". "))
    + "</article></body></html>"
).encode()


def _row(article_id: str, hours: float) -> ArticleRow:
    return ArticleRow(
        id=article_id, url="", canonical_url="", source="s", source_kind="outlet", title="t",
        standfirst="", author="", published=WHEN + timedelta(hours=hours),
        published_estimated=False, language="en", text="x", image="", section="",
        word_count=1, text_hash="h", minhash=(), sentence_hashes=(), immutables=(),
    )  # fmt: skip


def test_a_warc_file_gives_articles_and_counted_skips(tmp_path: Path) -> None:
    page = PAGE
    with WarcWriter(tmp_path, prefix="t") as writer:
        for url, ctype, body, status in (
            ("https://www.herald.example/a", "text/html", page, 200),
            ("https://herald.example/logo.png", "image/png", b"\x89PNG....", 200),
            ("https://herald.example/garbled", "text/html", BROKEN_ENCODING, 200),
            ("https://herald.example/empty", "text/html", b"<html><body></body></html>", 200),
            ("https://herald.example/moved", "text/html", b"<html></html>", 301),
        ):
            writer.write(FetchResult(url, url, status, {"content-type": ctype}, body, WHEN))
    path = str(writer.files[0])
    items = list(read_input(path, MapOptions(wire_hosts=frozenset({"www.herald.example"}))))
    rows = [i for i in items if isinstance(i, ArticleRow)]
    reasons = sorted(i.reason for i in items if isinstance(i, Skip))
    assert reasons == [
        "HTTP 3xx status",
        "broken encoding",
        "no article text found",
        "not HTML",
        "warcinfo record",
    ]
    (row,) = rows
    assert (row.id, row.source, row.source_kind) == (url_id(row.url), "herald.example", "wire")
    assert row.published == WHEN and row.published_estimated  # no date on the page
    assert row.input_file == path and row.text.startswith("The council of Brackwater")
    assert any(b.startswith("t0:") for b in row.bands)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(Path(path).read_bytes()[:-200])
    reasons_cut = [i.reason for i in read_input(str(cut), MapOptions()) if isinstance(i, Skip)]
    assert reasons_cut[-1] in {"truncated record", "truncated gzip", "broken archive"}
    missing = list(read_input(str(tmp_path / "missing.warc.gz"), MapOptions()))
    assert [type(i) for i in missing] == [Skip] and missing[0].reason == "cannot read file"


def test_entities_are_found_only_when_asked_for(tmp_path: Path) -> None:
    from byline.judge import entities

    if not entities.available():
        pytest.skip("spaCy's English model is not installed")
    page = PAGE
    with WarcWriter(tmp_path, prefix="e") as writer:
        url = "https://herald.example/market"
        writer.write(FetchResult(url, url, 200, {"content-type": "text/html"}, page, WHEN))
    path = str(writer.files[0])
    (plain,) = [i for i in read_input(path, MapOptions()) if isinstance(i, ArticleRow)]
    assert plain.entities == ()
    options = MapOptions(entities=True)
    (row,) = [i for i in read_input(path, options) if isinstance(i, ArticleRow)]
    found = dict(row.entities)
    assert found == {e.key: e.mentions for e in entities.extract(row.title, row.text)}
    assert found and any("Ilse Varn" in key for key in found)


def test_dates_that_cannot_be_true_give_way_to_the_fetch_time() -> None:
    assert plausible_date(WHEN - timedelta(days=2), WHEN) == (WHEN - timedelta(days=2), False)
    assert plausible_date(WHEN + timedelta(days=2), WHEN) == (WHEN, True)
    assert plausible_date(datetime(1970, 1, 1, tzinfo=UTC), WHEN) == (WHEN, True)
    assert plausible_date(None, WHEN) == (WHEN, True)
    assert plausible_date(None, None) == (None, True)
    naive = datetime(2026, 5, 1, 8, 0)
    assert plausible_date(naive, WHEN) == (naive.replace(tzinfo=UTC), False)


def test_lsh_pairs_link_each_article_to_its_nearest_predecessors() -> None:
    assert exact_pairs(["c", "a", "b"]) == [("b", "a"), ("c", "a")]
    assert band_pairs(["d", "b", "a", "c"], neighbours=2) == [
        ("b", "a"), ("c", "a"), ("c", "b"), ("d", "b"), ("d", "c"),
    ]  # fmt: skip
    keys = band_keys("t", tuple(range(64)), 21, 3)
    assert len(keys) == 21 and keys[0].startswith("t0:") and len(set(keys)) == 21
    assert band_keys("t", (), 21, 3) == ()
    same = band_keys("t", (1, 2, 3, 9, 9, 9), 2, 3)
    other = band_keys("t", (1, 2, 3, 8, 8, 8), 2, 3)
    assert same[0] == other[0] and same[1] != other[1]


def test_articles_pair_by_their_bands_and_their_sentences() -> None:
    """A scrape that kept a few sentences word for word shares too few shingles for a band;
    its sentence hashes pair it as ``provenance``'s own candidate index does."""
    row = dataclasses.replace(_row("a", 0), bands=("t0:1", "t1:2"), sentence_hashes=("h1", "h2"))
    assert candidate_keys(row) == ("t0:1", "t1:2", SENTENCE_KEY + "h1", SENTENCE_KEY + "h2")
    assert candidate_keys(_row("b", 0)) == ()


def test_a_storys_articles_are_judged_together() -> None:
    """Each article links to its story's first (order keys), the first to nothing."""
    members = [("k1", "k1"), ("k2", "k1"), ("k3", "k1"), ("k9", "k9")]
    assert story_edges(members) == [("k2", "k1"), ("k3", "k1")]
    assert components(story_edges(members)) == {"k1": "k1", "k2": "k1", "k3": "k1"}


def test_a_copy_verifies_and_an_independent_report_does_not() -> None:
    spun = ORIGIN.replace("voted", "decided").replace("unsafe", "dangerous")
    assert verify_pair(spun, ORIGIN, 0.5)
    assert not verify_pair(INDEPENDENT, ORIGIN, 0.5)
    assert not verify_pair("", ORIGIN, 0.5)


def test_components_name_each_vertex_after_the_smallest_of_its_component() -> None:
    edges = [("d", "c"), ("c", "b"), ("x", "y"), ("b", "e")]
    assert components(edges) == {v: "b" for v in "bcde"} | {"x": "x", "y": "x"}
    assert components([]) == {}


def test_story_blocks_and_edges() -> None:
    params = BatchParams(block=timedelta(hours=24), margin=timedelta(hours=6))
    midnight = datetime(2026, 5, 5, tzinfo=UTC)
    day = int((midnight - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() // 86400)
    row = _row("a", 0)
    early = ArticleRow(**{**row.__dict__, "published": midnight + timedelta(hours=2)})
    late = ArticleRow(**{**row.__dict__, "published": midnight - timedelta(hours=3)})
    noon = ArticleRow(**{**row.__dict__, "published": midnight + timedelta(hours=12)})
    undated = ArticleRow(**{**row.__dict__, "published": None})
    assert story_groups(early, params) == [f"b:{day}", f"e:{day - 1}"]
    assert story_groups(late, params) == [f"b:{day - 1}", f"e:{day - 1}"]
    assert story_groups(noon, params) == [f"b:{day}"]
    assert story_groups(undated, params) == ["b:undated"]
    members = [("L", "s1"), ("L", "s1"), ("L", "s2"), ("R", "t1")]
    assert stitch_link(members) == ("s1", "t1")
    assert stitch_link([("L", "s1"), ("L", "s2")]) is None


def test_order_keys_sort_by_time_then_id_with_undated_last() -> None:
    keys = [order_key(None, "a"), order_key(WHEN, "b"), order_key(WHEN - timedelta(1), "z")]
    assert sorted(keys) == [keys[2], keys[1], keys[0]]
    # First or not, an article nobody copies is independent, unless it signs agency copy.
    assert lone_relation("a", "paper.example", "The mayor spoke.").relation == "independent"
    signed = lone_relation("b", "paper.example", "LAHAINA, Hawaii (AP) — The mayor spoke.")
    assert (signed.relation, signed.evidence[-1]) == ("syndicated", "common source: AP")
    # An aggregator's lone page is read as a reworded copy of a report outside the archive.
    farm = lone_relation("c", "newsfarm.example", "The mayor spoke.", "aggregator")
    assert (farm.relation, farm.origin_id) == ("spun", None)


def test_inputs_expand_from_folders_and_globs(tmp_path: Path) -> None:
    for name in ("b.warc.gz", "a.jsonl", "notes.txt", "sub/c.warc"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    found = expand_inputs([str(tmp_path)])
    assert [Path(f).name for f in found] == ["a.jsonl", "b.warc.gz", "c.warc"]
    assert expand_inputs([str(tmp_path / "*.jsonl")]) == [str(tmp_path / "a.jsonl")]
    assert expand_inputs(["s3a://bucket/*.warc.gz"]) == ["s3a://bucket/*.warc.gz"]
    with pytest.raises(BylineError, match="no input matches"):
        expand_inputs([str(tmp_path / "*.nothing")])


def test_missing_pyspark_or_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    with pytest.raises(MissingExtra, match=r"pip install 'byline\[spark\]'"):
        batch_spark.check_spark()
    monkeypatch.setitem(sys.modules, "pyspark", object())
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(MissingExtra, match="Java 17"):
        batch_spark.check_spark()


def test_the_batch_command_teaches_by_example(capsys: Any) -> None:
    from byline import cli

    with pytest.raises(SystemExit):
        cli.main(["batch", "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and "--engine local" in out and "--master" in out


def test_story_blocks_default_to_the_story_window() -> None:
    """``byline batch`` without --story-block-hours clusters stories in blocks as long as
    the story window, stitched over as much either side of each edge, so every pair the
    service could link meets in one group; a block given alone brings its margin along."""
    import argparse

    from byline.batch.cli import batch_params
    from byline.config import load

    def params(env: dict[str, str], block: float | None = None, margin: float | None = None):
        args = argparse.Namespace(
            story_block_hours=block, story_margin_hours=margin, no_place_undated=False
        )
        return batch_params(args, load(env))

    default = params({})
    assert default.block == default.margin == timedelta(hours=96)
    narrow = params({"BYLINE_STORY_WINDOW_HOURS": "48"})
    assert narrow.block == narrow.margin == narrow.window == timedelta(hours=48)
    given = params({}, block=6)
    assert (given.block, given.margin) == (timedelta(hours=6), timedelta(hours=6))
    assert params({}, 6, 3).margin == timedelta(hours=3)
    with pytest.raises(BylineError, match="story-margin-hours"):
        params({}, 6, 12)


def test_a_keys_placing_weight_is_its_idf_unless_it_is_common() -> None:
    from byline.batch.steps import placing_weight

    assert placing_weight(1, 4) == math.floor(1000 * math.log(4))  # a small archive: rare
    assert placing_weight(4, 4) == 0  # every dated article holds it
    assert placing_weight(0, 4) == 0
    assert placing_weight(90, 1000) == math.floor(1000 * math.log(1000 / 90))
    assert placing_weight(101, 1000) == 0  # more than a tenth of them, and more than 50
    assert placing_weight(40, 200) > 0  # more than a tenth, but only 40 articles


def test_an_undated_article_is_asked_of_the_blocks_holding_most_of_its_keys() -> None:
    from byline.batch.steps import PLACING_BLOCKS, candidate_blocks

    scores = {f"b:{n}": n for n in range(10)}  # b:0 holds none of its keys' weight
    assert candidate_blocks(scores) == [f"b:{n}" for n in range(9, 9 - PLACING_BLOCKS, -1)]
    assert candidate_blocks({"b:2": 5, "b:1": 5, "b:3": 0}) == ["b:1", "b:2"]  # ties: key
    assert candidate_blocks({}) == []
