"""Fixtures for the batch tests: the archive of ``tests.batch.archive``, one SparkSession
for the whole session, and the local engine's tables over the archive (computed once)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.batch.archive import BatchInput, write_batch_input
from tests.conftest import require

from byline.batch.local import Tables, run_local
from byline.batch.stages import MapOptions
from byline.batch.steps import BatchParams


@pytest.fixture(scope="session")
def batch_input(tmp_path_factory: pytest.TempPathFactory) -> BatchInput:
    return write_batch_input(tmp_path_factory.mktemp("batch-input"))


@pytest.fixture(scope="session")
def local_run(batch_input: BatchInput) -> tuple[Tables, Any]:
    """The local engine's tables and summary over the fixture (computed once)."""
    return run_local(batch_input.files, BatchParams(), MapOptions())


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local SparkSession (2 cores) for every test that needs Spark."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        require(False, "pyspark is not installed", "pip install -e '.[dev]' (or 'byline[spark]')")
    home = os.environ.get("JAVA_HOME", "")
    require(
        bool(shutil.which("java") or (home and Path(home, "bin", "java").exists())),
        "Java is not installed (Spark needs Java 17)",
        "apt-get install openjdk-17-jre-headless",
    )
    from byline.batch.spark import session

    spark = session("local[2]", partitions=4)
    yield spark
    spark.stop()


@pytest.fixture(scope="session")
def read_table(spark: Any) -> Any:
    """A written table, read back through Spark, as sorted tuples."""

    def read(folder: Path | str, name: str) -> list[tuple[Any, ...]]:
        return sorted(tuple(row) for row in spark.read.parquet(f"{folder}/{name}").collect())

    return read
