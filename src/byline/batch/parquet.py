"""Parquet tables without Spark (pyarrow): how the local engine writes its tables and how
``byline batch --load`` reads a run's tables back. The schemas are the Spark DDL strings of
``batch.rows``, translated here, so that both engines write the same column types and Spark
reads either engine's tables alike."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from byline.errors import MissingExtra

from .rows import ARTICLES_SCHEMA, RELATIONS_SCHEMA, STORIES_SCHEMA, split_schema
from .stages import local_path

PART = "part-00000.parquet"
BATCH_ROWS = 2_000  # rows per record batch, written and read


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise MissingExtra("spark", "pyarrow") from None
    return pyarrow


def check_pyarrow() -> None:
    """Raise ``MissingExtra`` when pyarrow is missing."""
    _pyarrow()


def arrow_type(ddl: str) -> Any:
    """A Spark DDL type (``string``, ``array<array<string>>``, ``map<string,double>`` …) as
    the pyarrow type Spark writes for it."""
    pa = _pyarrow()
    ddl = ddl.strip()
    simple = {
        "string": pa.string(),
        "boolean": pa.bool_(),
        "int": pa.int32(),
        "long": pa.int64(),
        "double": pa.float64(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "binary": pa.binary(),
    }
    if ddl in simple:
        return simple[ddl]
    if ddl.startswith("array<") and ddl.endswith(">"):
        return pa.list_(arrow_type(ddl[6:-1]))
    if ddl.startswith("map<") and ddl.endswith(">"):
        key, value = split_schema(ddl[4:-1])
        return pa.map_(arrow_type(key), arrow_type(value))
    raise ValueError(f"no Parquet type for {ddl!r}")


def arrow_schema(schema: str) -> Any:
    pa = _pyarrow()
    fields = []
    for part in split_schema(schema):
        name, ddl = part.strip().split(" ", 1)
        fields.append(pa.field(name, arrow_type(ddl)))
    return pa.schema(fields)


def _cell(value: Any) -> Any:
    """Maps go to pyarrow as lists of pairs."""
    if isinstance(value, dict):
        return list(value.items())
    return value


def write_table(folder: Path, rows: Iterable[Sequence[Any]], schema: str) -> int:
    """Write rows (tuples in schema order) as one Parquet file in ``folder`` (replaced when
    it exists), in batches. Returns the number of rows."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    target = arrow_schema(schema)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.parquet"):
        old.unlink()
    written = 0
    with pq.ParquetWriter(folder / PART, target, compression="snappy") as writer:
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                written += _write_batch(pa, writer, target, batch)
                batch = []
        if batch or not written:
            written += _write_batch(pa, writer, target, batch)
    return written


def _write_batch(pa: Any, writer: Any, target: Any, batch: list[Sequence[Any]]) -> int:
    arrays = [
        pa.array([_cell(row[i]) for row in batch], type=field.type)
        for i, field in enumerate(target)
    ]
    writer.write_table(pa.Table.from_arrays(arrays, schema=target))
    return len(batch)


def write_tables(out: str, tables: Any) -> None:
    """The local engine's three tables under ``out``, as Spark would lay them out."""
    base = Path(local_path(out))
    write_table(base / "articles", tables.articles, ARTICLES_SCHEMA)
    write_table(base / "relations", tables.relations, RELATIONS_SCHEMA)
    write_table(base / "stories", tables.stories, STORIES_SCHEMA)


def read_rows(folder: Path) -> Iterator[dict[str, Any]]:
    """Every row of a table folder written by either engine, as a dict; timestamps come back
    as aware UTC datetimes and maps as dicts."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    dataset = pq.ParquetDataset(folder)
    maps = [field.name for field in dataset.schema if pa.types.is_map(field.type)]
    for fragment in dataset.fragments:
        for batch in fragment.to_batches(batch_size=BATCH_ROWS):
            for row in batch.to_pylist():
                for name in maps:  # pyarrow gives a map as a list of (key, value) pairs
                    if row[name] is not None:
                        row[name] = dict(row[name])
                yield row
