"""Fixtures for the crash tests: databases for real `byline` processes (as many as a test
asks for: the killed one and its unkilled reference), and a loopback HTTP server."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.crash.harness import KILLS, LONG, SEED, Rows
from tests.integration.conftest import loopback  # noqa: F401 (the same fixture, reused)
from tests.integration.processes import ON_POSTGRES, byline_env, database_fixture


@dataclass
class Db:
    """A database for `byline` processes: their environment, and SQL on it."""

    name: str
    env: dict[str, str]
    rows: Rows
    sqlite: bool
    folder: Path  # the data folder (DATA_DIR)

    def execute(self, *statements: str) -> None:
        """Run statements that return no rows, in one transaction."""
        if self.sqlite:
            with sqlite3.connect(self.folder / "data" / "byline.sqlite3", timeout=30) as db:
                for sql in statements:
                    db.execute(sql)
            return
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"]) as db:
            for sql in statements:
                db.execute(sql)


@pytest.fixture
def new_db(tmp_path: Path) -> Iterator[Callable[[str], Db]]:
    """``new_db(name)``: a fresh database: a SQLite file in the SQLite pass, a scratch
    PostgreSQL database in the PostgreSQL pass (dropped at the end)."""
    with ExitStack() as stack:

        def make(name: str) -> Db:
            folder = tmp_path / name
            url, rows = stack.enter_context(contextmanager(database_fixture)(folder))
            env = byline_env(folder / "data", url)
            # A source's content-farm flag turns its later copies from syndicated into
            # scraped: state carried from one judging run to the next, so that judging in
            # other batches (as after a kill) rightly labels otherwise. Off here, so that a
            # killed run's labels can be compared with an unkilled run's.
            env["BYLINE_FARM_MIN_COPIES"] = "1000000"
            return Db(name, env, rows, not ON_POSTGRES, folder)

        yield make


@pytest.fixture(autouse=True)
def _announce(request: pytest.FixtureRequest) -> None:
    engine = "PostgreSQL" if ON_POSTGRES else "SQLite"
    print(
        f"\n{request.node.name}: {engine}, {KILLS} kills, seed {SEED} "
        f"(BYLINE_CRASH_SEED={SEED}{' BYLINE_LONG=1' if LONG else ''} reproduces it)",
        flush=True,
    )
