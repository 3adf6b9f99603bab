"""The database itself: SQLite's WAL mode, full-text search on SQLite (FTS5) and PostgreSQL
(tsvector and its GIN index), and migrations that can be undone and redone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from byline.config import Config
from byline.ingest import fetch_feeds
from byline.news import queries, registry
from byline.news.models import Article
from byline.web import settings as web_settings

NEWS_TABLES = {"news_source", "news_feed", "news_page", "news_story", "news_article"}


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode(tmp_path: Path, kit: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings Byline builds for SQLite put a fresh file database in WAL mode."""
    if connection.vendor != "sqlite":
        pytest.skip(f"WAL is SQLite's; this run uses {connection.vendor}")
    # The test database is in memory (journal_mode 'memory'), so open a file database with
    # the settings byline.web.settings builds for the default SQLite URL.
    monkeypatch.setattr(web_settings, "BYLINE", kit.make_config(tmp_path))
    monkeypatch.setattr(web_settings, "DATA_DIR", tmp_path.resolve())
    db = web_settings._database()
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(db["NAME"]) == tmp_path.resolve() / "byline.sqlite3"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert db["CONN_MAX_AGE"] == 0

    wrapper = SQLiteWrapper({**connection.settings_dict, **db, "OPTIONS": db["OPTIONS"]}, "wal")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 10000
            cursor.execute("CREATE TABLE t (x INTEGER)")
        assert Path(str(db["NAME"]) + "-wal").exists()
    finally:
        wrapper.close()
    # The running test connection was configured the same way.
    assert "journal_mode=WAL" in connection.settings_dict["OPTIONS"]["init_command"]


def _ingest_marked_articles(loopback: Any, kit: Any, config: Config) -> list[str]:
    feed_url, urls = kit.serve_outlet(
        loopback, "search", [("Quillhaven", "desalination plant"), ("Marrowby", "tram depot")]
    )
    registry.ensure_sections()
    report = fetch_feeds(config, [registry.add_source("Search Sentinel", feed_url)])
    assert report.articles_added == 2, report
    return urls


@pytest.mark.django_db
def test_full_text_search_finds_an_ingested_article(
    loopback: Any, kit: Any, config: Config
) -> None:
    quill, marrow = _ingest_marked_articles(loopback, kit, config)
    print(f"searching on {connection.vendor}")

    found = queries.search_articles("Quillhaven")
    assert [a.url for a in found] == [quill]
    assert found[0].source.name == "Search Sentinel"  # related rows come along
    assert [a.url for a in queries.search_articles("Marrowby")] == [marrow]
    # Several words: all must match; stemming finds "plants" for "plant".
    assert [a.url for a in queries.search_articles("quillhaven desalination plants")] == [quill]
    both = {a.url for a in queries.search_articles("council approved")}
    assert both == {quill, marrow}
    assert queries.search_articles("Quillhaven tram") == []
    assert queries.search_articles("zyzzogeton") == []
    assert queries.search_articles('  "" ') == []
    assert isinstance(queries.search_articles('quill"haven OR -( *'), list)  # never a syntax error
    assert len(queries.search_articles("council", limit=1)) == 1

    # Deleting an article takes it out of the index.
    Article.objects.get(url=quill).delete()
    assert queries.search_articles("Quillhaven") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM news_article_fts WHERE news_article_fts MATCH 'Quillhaven'"
            )
            assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_postgres_has_the_search_gin_index() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(f"the GIN index is PostgreSQL's; this run uses {connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE indexname = 'news_article_search'"
        )
        row = cursor.fetchone()
    assert row is not None, "index news_article_search is missing"
    table, definition = row
    assert table == "news_article"
    assert "USING gin" in definition
    assert "to_tsvector('english'" in definition


@pytest.mark.django_db
def test_sqlite_has_the_fts5_table() -> None:
    if connection.vendor != "sqlite":
        pytest.skip(f"FTS5 is SQLite's; this run uses {connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, sql FROM sqlite_master WHERE name IN "
            "('news_article_fts', 'news_article_fts_delete') ORDER BY name"
        )
        rows = cursor.fetchall()
    assert [r[0] for r in rows] == ["table", "trigger"]
    assert "fts5" in rows[0][1].lower()


def _search_objects() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE name IN "
                "('news_article_fts', 'news_article_fts_delete')"
            )
        else:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname = 'news_article_search'"
            )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_migrations_are_reversible(loopback: Any, kit: Any, config: Config) -> None:
    tables = set(connection.introspection.table_names())
    assert tables >= NEWS_TABLES
    searchable = _search_objects()
    assert searchable

    call_command("migrate", "news", "zero", verbosity=0, interactive=False)
    remaining = set(connection.introspection.table_names())
    assert not remaining & NEWS_TABLES, remaining & NEWS_TABLES
    assert _search_objects() == set()

    call_command("migrate", verbosity=0, interactive=False)
    assert set(connection.introspection.table_names()) == tables
    assert _search_objects() == searchable

    # The rebuilt schema works end to end: store, judge and search.
    (quill, _) = _ingest_marked_articles(loopback, kit, config)
    assert [a.url for a in queries.search_articles("Quillhaven")] == [quill]
    assert Article.objects.get(url=quill).story_id is not None
