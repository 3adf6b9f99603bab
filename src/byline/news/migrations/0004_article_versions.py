"""Article versions, and what each article's feed last said of it.

Adding ``listed_title`` makes SQLite rebuild ``news_article``, which drops the trigger that
keeps the search index in step on delete (0002); it is created again on either side.
"""

import django.db.models.deletion
from django.db import migrations, models

FTS_DELETE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS news_article_fts_delete AFTER DELETE ON news_article BEGIN "
    "DELETE FROM news_article_fts WHERE rowid = old.id; END"
)


def restore_fts_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(FTS_DELETE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0003_feed_kind"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_fts_trigger),
        migrations.AddField(
            model_name="article",
            name="listed_published",
            field=models.DateTimeField(
                blank=True, help_text="The date its feed gave when last fetched.", null=True
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="listed_title",
            field=models.CharField(
                blank=True, help_text="The title its feed gave when last fetched.", max_length=500
            ),
        ),
        migrations.CreateModel(
            name="ArticleVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=500)),
                ("standfirst", models.TextField(blank=True)),
                ("text_hash", models.CharField(max_length=32)),
                ("word_count", models.PositiveIntegerField(default=0)),
                ("published", models.DateTimeField()),
                (
                    "change",
                    models.CharField(
                        help_text="What changed, e.g. headline changed.", max_length=200
                    ),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="versions",
                        to="news.article",
                    ),
                ),
                (
                    "page",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to="news.page",
                    ),
                ),
            ],
            options={
                "ordering": ["-recorded_at", "-id"],
            },
        ),
        migrations.RunPython(restore_fts_trigger, migrations.RunPython.noop),
    ]
