"""The local engine's Parquet tables (pyarrow, no Spark): every column type of the three
schemas survives the round trip, Spark reads them as it reads its own, and the local engine
runs where pyspark is not installed."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from byline import cli
from byline.batch.parquet import read_rows, write_table
from byline.batch.rows import ARTICLES_SCHEMA, RELATIONS_SCHEMA, columns
from byline.errors import MissingExtra

WHEN = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)


def _article(n: int) -> tuple[Any, ...]:
    return (
        f"id{n}", f"https://a.example/{n}", "", "a.example", "outlet", f"Title {n}", "", "",
        WHEN if n % 2 else None, bool(n % 2), "en", "Text é ✓", "", "world", 3,
        "h", [1, 2**62], ["s1"], ["Name"], {"word": 0.5, "other": 1.25} if n % 2 else {},
        None, "in.warc.gz", 2**40 + n, {"PERSON:Ilse Varn": 2} if n % 2 else {}, f"id{n}",
        None if n % 3 else f"id{n - 1}",
    )  # fmt: skip


def test_rows_survive_the_round_trip_and_spark_reads_them_alike(tmp_path: Path, spark: Any) -> None:
    rows = [_article(n) for n in range(5)]
    assert write_table(tmp_path / "articles", rows, ARTICLES_SCHEMA) == 5
    names = columns(ARTICLES_SCHEMA)
    back = list(read_rows(tmp_path / "articles"))
    assert back == [dict(zip(names, row, strict=True)) for row in rows]
    assert back[1]["published"] == WHEN and back[1]["published"].tzinfo is not None
    frame = spark.read.parquet(str(tmp_path / "articles"))
    assert frame.schema == spark.createDataFrame([], ARTICLES_SCHEMA).schema  # same types
    from_spark = sorted(frame.collect(), key=lambda r: r["id"])
    assert [r["terms"] for r in from_spark] == [row[19] for row in rows]
    assert [r["minhash"] for r in from_spark] == [row[16] for row in rows]


def test_an_empty_table_still_has_its_columns(tmp_path: Path) -> None:
    assert write_table(tmp_path / "relations", [], RELATIONS_SCHEMA) == 0
    import pyarrow.parquet as pq

    assert pq.read_schema(tmp_path / "relations" / "part-00000.parquet").names == columns(
        RELATIONS_SCHEMA
    )
    assert list(read_rows(tmp_path / "relations")) == []


def test_the_local_engine_needs_neither_spark_nor_java(
    batch_input: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    out = tmp_path / "out"
    code = cli.main(["batch", *batch_input.files[:1], "--out", str(out), "--engine", "local"])
    assert code == 0, capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == [
        "articles", "relations", "stories", "summary.json"
    ]  # fmt: skip
    assert list(read_rows(out / "articles"))


def test_missing_pyarrow_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingExtra, match=r"pyarrow.*pip install 'byline\[spark\]'"):
        write_table(tmp_path / "t", [], RELATIONS_SCHEMA)
