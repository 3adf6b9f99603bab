"""`byline backup` and `byline restore`: a round trip gives back every row of every table,
on SQLite (online backup API) and on PostgreSQL (pg_dump / pg_restore); a damaged backup or
one of the other engine is refused and changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from tests.site.conftest import build_world

from byline.news import backup
from byline.news.models import Article, Reply, Source, Story

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table Django knows, in primary-key order."""
    return {
        model._meta.label: [tuple(row) for row in model.objects.order_by("pk").values_list()]
        for model in apps.get_models()
    }


def test_a_round_trip_gives_back_every_table(tmp_path: Path) -> None:
    world = build_world()
    before = snapshot()
    assert before["news.Article"] and before["news.Relation"] and before["news.Story"]
    done = backup.backup(tmp_path / "byline.backup")
    assert done.engine == connection.vendor and done.size > 0
    assert not list(tmp_path.glob(".*partial"))  # no half-written file left behind

    Article.objects.filter(pk=world.spun.pk).delete()  # what a restore must undo
    Story.objects.filter(pk=world.story.pk).update(title="changed after the backup")
    Source.objects.create(name="Added later", slug="added-later", home_url="https://x.example/")
    assert snapshot() != before

    backup.restore(tmp_path / "byline.backup")
    connection.close()  # a fresh connection sees what was restored
    assert snapshot() == before
    assert Reply.objects.count() == len(before["news.Reply"])


def test_a_damaged_or_foreign_backup_changes_nothing(tmp_path: Path) -> None:
    build_world()
    before = snapshot()
    good = backup.backup(tmp_path / "good").path
    damaged = tmp_path / "damaged"
    damaged.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    foreign = tmp_path / "foreign"
    foreign.write_bytes(
        (backup.PG_MAGIC if connection.vendor == "sqlite" else backup.SQLITE_MAGIC) + b"\0" * 64
    )
    garbage = tmp_path / "garbage"
    garbage.write_bytes(b"not a backup at all\n")
    for path in (damaged, foreign, garbage, tmp_path / "missing"):
        with pytest.raises(backup.BackupError):
            backup.restore(path)
        connection.close()
        assert snapshot() == before, path.name


def test_a_backup_needs_a_file_name_in_an_existing_folder(tmp_path: Path) -> None:
    with pytest.raises(backup.BackupError, match="is a folder"):
        backup.backup(tmp_path)
    with pytest.raises(backup.BackupError, match="no folder"):
        backup.backup(tmp_path / "nowhere" / "b")
