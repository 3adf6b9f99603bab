"""Loading a batch run into PostgreSQL with COPY (``byline.news.bulk``): every article,
relation and story arrives, in one transaction; a second load adds nothing; the site serves
the result. Runs in the PostgreSQL pass (`make test-postgres`); skips on SQLite."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from byline.batch.parquet import read_rows
from byline.batch.rows import ARTICLES_SCHEMA, RELATIONS_SCHEMA, STORIES_SCHEMA, columns
from byline.judge import entities
from byline.news import bulk
from byline.news.models import Article, ArticleEntity, Entity, Relation, Source, Story


def _dicts(rows: list[tuple[Any, ...]], schema: str) -> list[dict[str, Any]]:
    return [dict(zip(columns(schema), row, strict=True)) for row in rows]


def _needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(f"COPY is PostgreSQL's; this run uses {connection.vendor}")


def _check_loaded(articles: list[dict[str, Any]], relations: list[dict[str, Any]]) -> None:
    stored = {a.url: a for a in Article.objects.select_related("relation", "story")}
    assert set(stored) == {a["url"] for a in articles}
    url_of = {a["id"]: a["url"] for a in articles}
    batch_story: dict[str, set[str]] = defaultdict(set)
    db_story: dict[int, set[str]] = defaultdict(set)
    for article in articles:
        batch_story[article["story"]].add(article["url"])
        story = stored[article["url"]].story
        assert story is not None
        db_story[story.pk].add(article["url"])
    assert sorted(map(sorted, batch_story.values())) == sorted(map(sorted, db_story.values()))
    for relation in relations:
        row = stored[url_of[relation["id"]]].relation
        assert row.relation == relation["relation"]
        origin = url_of.get(relation["origin_id"] or "")
        assert (row.origin.url if row.origin else None) == origin
        assert row.evidence["summary"] == list(relation["evidence"])
        via = url_of.get(relation["via_id"] or "")
        assert (row.via.url if row.via else None) == via
    for story in Story.objects.all():
        members = [a for a in stored.values() if a.story_id == story.pk]
        assert story.article_count == len(members)
        assert story.source_count == len({a.source_id for a in members})
        assert story.first_published == min(a.published for a in members)


@pytest.mark.django_db
def test_a_batch_run_loads_with_copy_and_a_second_load_adds_nothing(
    local_run: Any, client: Any
) -> None:
    _needs_postgres()
    tables, summary = local_run
    articles = _dicts(tables.articles, ARTICLES_SCHEMA)
    relations = _dicts(tables.relations, RELATIONS_SCHEMA)
    stories = _dicts(tables.stories, STORIES_SCHEMA)

    report = bulk.load_batch(articles, relations, stories)
    assert (report.articles_added, report.articles_known, report.articles_refused) == (
        summary.articles,
        0,
        0,
    )
    assert (report.relations_added, report.stories_created) == (summary.articles, summary.stories)
    assert Source.objects.filter(domain="news.example").count() == 1
    assert Source.objects.filter(name="Archive One").count() == 1
    for source in Source.objects.all():  # reputation tallies count the loaded relations
        assert source.judged_count == Article.objects.filter(source=source).count()
    _check_loaded(articles, relations)
    titles = {s["story"]: s["title"] for s in stories}
    first = {a["story"]: a for a in articles if a["id"] == a["story"]}
    for story_id, title in titles.items():
        assert Story.objects.get(articles__url=first[story_id]["url"]).title == title[:500]

    again = bulk.load_batch(articles, relations, stories)
    assert (again.articles_added, again.articles_known, again.stories_created) == (
        0,
        summary.articles,
        0,
    )
    assert (Article.objects.count(), Relation.objects.count(), Story.objects.count()) == (
        summary.articles,
        summary.articles,
        summary.stories,
    )

    story = Story.objects.order_by("-article_count", "pk").first()
    assert story is not None
    page = client.get(f"/story/{story.pk}.json")
    assert page.status_code == 200
    coverage = json.loads(page.content)
    assert story.title in page.content.decode()
    assert len(coverage["coverage"]) == story.article_count
    assert client.get(f"/story/{story.pk}/").status_code == 200
    home = json.loads(client.get("/index.json").content)
    assert home["counts"]["articles"] == summary.articles
    assert home["counts"]["stories"] == summary.stories
    assert {card["id"] for card in home["top_stories"]} <= set(
        Story.objects.values_list("pk", flat=True)
    )
    assert home["top_stories"]


@pytest.mark.django_db
def test_new_articles_join_the_stored_story_of_their_batch_story(local_run: Any) -> None:
    """Load part of a story first (as if an earlier run stored it), then the whole batch:
    the rest joins that story instead of starting another."""
    _needs_postgres()
    tables, _ = local_run
    articles = _dicts(tables.articles, ARTICLES_SCHEMA)
    relations = _dicts(tables.relations, RELATIONS_SCHEMA)
    stories = _dicts(tables.stories, STORIES_SCHEMA)
    sizes: dict[str, int] = defaultdict(int)
    for article in articles:
        sizes[article["story"]] += 1
    big = max(sizes, key=lambda s: (sizes[s], s))
    first_half = [a for a in articles if a["story"] == big][: sizes[big] // 2]
    ids = {a["id"] for a in first_half}
    bulk.load_batch(first_half, [r for r in relations if r["id"] in ids], stories)
    assert Story.objects.count() == 1

    report = bulk.load_batch(articles, relations, stories)
    assert report.articles_known == len(first_half)
    assert report.stories_extended == 1
    assert Story.objects.count() == len(stories)
    story = Story.objects.get(articles__url=first_half[0]["url"])
    assert story.article_count == sizes[big]


@pytest.mark.django_db(transaction=True)  # `byline` runs migrate, which needs no wrapping
def test_the_batch_command_loads_its_parquet_tables(
    client: Any,
    batch_input: Any,
    local_run: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`byline batch --load`: the tables go through Parquet and back (pyarrow) into the
    database, with the dates the batch computed."""
    _needs_postgres()
    from byline import cli

    out = tmp_path / "out"
    found = ["--entities"] if entities.available() else []
    code = cli.main(
        ["batch", *batch_input.files, "--out", str(out), "--engine", "local", "--load", *found]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    tables, summary = local_run
    assert f"loaded into the database: {summary.articles} new articles" in printed
    articles = _dicts(tables.articles, ARTICLES_SCHEMA)
    _check_loaded(articles, _dicts(tables.relations, RELATIONS_SCHEMA))
    published = dict(Article.objects.values_list("url", "published"))
    assert published == {a["url"]: a["published"] for a in articles}
    if not found:
        return
    # The entities the batch found are the loaded articles' mentions, with entity pages.
    written = {row["url"]: row["entities"] for row in read_rows(out / "articles")}
    stored: dict[str, dict[str, int]] = defaultdict(dict)
    for url, kind, name, count in ArticleEntity.objects.values_list(
        "article__url", "entity__kind", "entity__name", "mentions"
    ):
        stored[url][f"{kind}:{name}"] = count
    assert {url: e for url, e in written.items() if e} == dict(stored)
    assert f"{ArticleEntity.objects.count()} entity mentions" in printed
    entity = Entity.objects.order_by("slug").first()
    assert entity is not None
    assert client.get(f"/entity/{entity.slug}/").status_code == 200


@pytest.mark.django_db
def test_loaded_entities_join_stored_ones_and_get_free_slugs() -> None:
    """A name already stored gets the new mentions; a new name whose slug is taken gets
    the next free one."""
    _needs_postgres()
    known = Entity.objects.create(kind="PERSON", name="Ilse Varn", slug="ilse-varn")
    Entity.objects.create(kind="ORG", name="Brackwater", slug="brackwater")
    row = {
        "id": "b1", "url": "https://herald.example/market", "canonical_url": "",
        "source": "herald.example", "source_kind": "outlet", "title": "Market",
        "standfirst": "", "author": "", "published": None, "published_estimated": True,
        "language": "en", "text": "Text.", "image": "", "section": "", "word_count": 1,
        "text_hash": "h", "minhash": [], "sentence_hashes": [], "immutables": [], "terms": {},
        "story": "b1", "entities": {"PERSON:Ilse Varn": 3, "PLACE:Brackwater": 2, "BAD:x": 1},
    }  # fmt: skip
    relation = {
        "id": "b1", "relation": "original", "origin_id": None, "score": 0.0,
        "evidence": ["e"], "substitutions": [], "aligned": [], "via_id": None,
    }  # fmt: skip
    story = {
        "story": "b1", "title": "Market", "section": "", "first_published": None,
        "last_published": None,
    }  # fmt: skip
    report = bulk.load_batch([row], [relation], [story])
    assert (report.entities_created, report.mentions_added) == (1, 2)
    place = Entity.objects.get(kind="PLACE", name="Brackwater")
    assert place.slug == "brackwater-place"
    mentions = dict(ArticleEntity.objects.values_list("entity_id", "mentions"))
    assert mentions == {known.pk: 3, place.pk: 2}


def test_loading_needs_postgres(tmp_path: Path) -> None:
    """On SQLite the load refuses with a clear message, before touching anything."""
    if connection.vendor == "postgresql":
        pytest.skip("this run uses PostgreSQL")
    from byline.errors import StoreError

    with pytest.raises(StoreError, match="needs PostgreSQL"):
        bulk.load_batch([], [], [])
