"""Full-text search: an FTS5 table on SQLite, a GIN expression index on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS news_article_fts USING fts5("
    "title, standfirst, text, tokenize='porter unicode61')",
    "CREATE TRIGGER IF NOT EXISTS news_article_fts_delete AFTER DELETE ON news_article BEGIN "
    "DELETE FROM news_article_fts WHERE rowid = old.id; END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS news_article_fts_delete",
    "DROP TABLE IF EXISTS news_article_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX IF NOT EXISTS news_article_search ON news_article USING GIN "
    "(to_tsvector('english', title || ' ' || standfirst || ' ' || text))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS news_article_search"]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
