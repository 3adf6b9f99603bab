"""`byline import`: HTML pages (plain and gzipped) built by the demo outlets and JSONL article
records, with a few bad inputs mixed in, stored in a real database and judged."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from byline import cli
from byline.config import Config
from byline.demo.server import DemoServer
from byline.demo.sitegen import ManifestArticle, SiteManifest
from byline.importer import import_paths
from byline.news import queries, registry
from byline.news.models import Article, Page, Relation, Source

COPIES = {"syndicated", "scraped", "spun"}
# One event's original wire report, a licensed copy of it and the farm's spun copy.
PICKED = ("e01-cpa", "e01-northstar", "e01-worldnewshub-2")


@dataclass
class Inputs:
    folder: Path
    jsonl: Path
    html: dict[str, Path]  # gold id → file in the folder
    gold: dict[str, ManifestArticle]
    raw: dict[str, bytes]  # gold id → the page's bytes as served
    garbage: list[Path]
    json_urls: list[str]


def _served_file(server: DemoServer, url: str) -> Path:
    return server.root.joinpath(*[p for p in urlsplit(url).path.split("/") if p])


@pytest.fixture
def inputs(tmp_path: Path, demo_site: tuple[DemoServer, SiteManifest], kit: Any) -> Inputs:
    server, manifest = demo_site
    folder = tmp_path / "pages"
    folder.mkdir()
    gold = {a.id: a for a in manifest.articles if a.id in PICKED}
    html: dict[str, Path] = {}
    raw: dict[str, bytes] = {}
    for n, art_id in enumerate(PICKED):
        body = _served_file(server, gold[art_id].url).read_bytes()
        raw[art_id] = body
        if n == 1:  # one of them gzipped
            target = folder / f"{art_id}.html.gz"
            target.write_bytes(gzip.compress(body))
        else:
            target = folder / f"{art_id}.html"
            target.write_bytes(body)
        html[art_id] = target
    garbage = [folder / "garbage.html", folder / "not-really.html.gz", folder / "empty.htm"]
    garbage[0].write_bytes(bytes(range(256)) * 40)
    garbage[1].write_bytes(b"this was never gzipped")
    garbage[2].write_bytes(b"")
    (folder / "notes.txt").write_text("not an input: the folder walk skips it")

    jsonl = tmp_path / "records.jsonl"
    when = kit.BASE_TIME
    json_urls = ["https://imported.example/one", "https://imported.example/two"]
    lines = [
        json.dumps(
            {
                "url": json_urls[0],
                "title": "Wexcombe council approves the ring road",
                "text": "\n\n".join(kit.story_paragraphs("Wexcombe", "ring road")),
                "published": when.isoformat(),
                "source": "Wexcombe Weekly",
            }
        ),
        '{"url": "https://imported.example/broken", "text": ',  # malformed JSON
        json.dumps({"url": "https://imported.example/empty", "title": "no text"}),
        "",
        json.dumps(
            {
                "url": json_urls[1],
                "title": "Yarnfield Rovers stun the leaders with a late comeback",
                "text": "\n\n".join(kit.match_paragraphs("Yarnfield")),
                "published": (when + timedelta(days=20)).isoformat(),
            }
        ),
    ]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Inputs(folder, jsonl, html, gold, raw, garbage, json_urls)


@pytest.mark.django_db
def test_import_folder_and_jsonl(inputs: Inputs, config: Config, kit: Any) -> None:
    registry.ensure_sections()
    report = import_paths(config, [inputs.folder, inputs.jsonl], "Imported Pages", "outlet")
    print(f"import report: {report}")

    # Bad items are named, with their reasons; the good ones are all stored.
    problems = "\n".join(report.problems)
    for bad in inputs.garbage:
        assert str(bad) in problems, f"{bad.name} not reported: {report.problems}"
    assert "records.jsonl line 2: not valid JSON" in problems
    assert "records.jsonl line 3: needs at least 'url' and 'text'" in problems
    assert "notes.txt" not in problems
    assert len(report.problems) == len(inputs.garbage) + 2
    assert report.articles_added == len(PICKED) + len(inputs.json_urls)

    # HTML imports keep the raw page (decompressed) and take the canonical URL.
    for art_id, gold in inputs.gold.items():
        article = Article.objects.select_related("page", "source", "section").get(url=gold.url)
        assert article.page is not None
        assert bytes(article.page.body) == inputs.raw[art_id]
        assert article.source.name == "Imported Pages"
        assert article.title == gold.headline
        assert article.published == gold.published
        assert article.section is not None and article.section.name == gold.section
    assert Page.objects.count() == len(PICKED)

    # JSONL records have no raw page; a record's own source wins over the default.
    one = Article.objects.select_related("source").get(url=inputs.json_urls[0])
    two = Article.objects.select_related("source").get(url=inputs.json_urls[1])
    assert one.page is None and two.page is None
    assert one.source.name == "Wexcombe Weekly"
    assert two.source.name == "Imported Pages"
    assert one.published == kit.BASE_TIME
    assert not Article.objects.filter(url__contains="imported.example/broken").exists()
    assert not Article.objects.filter(url__contains="imported.example/empty").exists()

    # Everything is judged: a story and a relation each.
    articles = list(Article.objects.select_related("relation"))
    assert len(articles) == report.articles_added
    assert all(a.story_id is not None for a in articles)
    assert Relation.objects.count() == len(articles)
    assert report.stories_created >= 3  # the demo event and the two JSONL records

    # The demo event's three pages form one story; the copies are labelled as copies whose
    # origin is the wire report.
    by_id = {
        art_id: Article.objects.select_related("relation").get(url=gold.url)
        for art_id, gold in inputs.gold.items()
    }
    assert len({a.story_id for a in by_id.values()}) == 1
    origin = by_id["e01-cpa"]
    labels = {art_id: a.relation.relation for art_id, a in by_id.items()}
    print(f"relations after import: {labels}")
    assert labels["e01-cpa"] not in COPIES
    for art_id in ("e01-northstar", "e01-worldnewshub-2"):
        assert labels[art_id] in COPIES
        assert queries.origin_of(by_id[art_id]).pk == origin.pk
    assert one.story_id != two.story_id


@pytest.mark.django_db
def test_importing_again_adds_nothing(inputs: Inputs, config: Config) -> None:
    registry.ensure_sections()
    first = import_paths(config, [inputs.folder, inputs.jsonl], "Imported Pages", "outlet")
    counts = queries.counts()
    second = import_paths(config, [inputs.folder, inputs.jsonl], "Imported Pages", "outlet")
    assert first.articles_added == 5
    assert second.articles_added == 0 and second.stories_created == 0
    assert queries.counts() == counts
    assert Source.objects.filter(name="Imported Pages").count() == 1


@pytest.mark.django_db
def test_a_missing_path_is_reported(tmp_path: Path, config: Config) -> None:
    missing = tmp_path / "nowhere.html"
    report = import_paths(config, [missing], "Imported Pages", "outlet")
    assert report.articles_added == 0
    assert len(report.problems) == 1 and str(missing) in report.problems[0]


@pytest.mark.django_db(transaction=True)
def test_byline_import_command(
    inputs: Inputs, capsys: pytest.CaptureFixture[str], settings: Any, config: Config
) -> None:
    settings.BYLINE = config
    paths = [str(inputs.folder), str(inputs.jsonl)]
    code = cli.main(["import", *paths, "--source", "Desk", "--kind", "wire", "-q"])
    out, err = capsys.readouterr()
    assert code == cli.EXIT_PARTIAL, (out, err)
    assert "new articles 5" in out
    assert "garbage.html" in err and "records.jsonl line 2" in err
    problems = [line for line in err.splitlines() if line.startswith("  problem: ")]
    assert len(problems) == len(inputs.garbage) + 2, err
    desk = Source.objects.get(name="Desk")
    assert desk.kind == "wire"
    assert Article.objects.filter(source=desk).count() == 4  # three pages, one JSONL record
    assert Article.objects.filter(story__isnull=True).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["html", "jsonl"])
def test_an_unsafe_url_never_becomes_a_link(
    form: str, tmp_path: Path, config: Config, kit: Any, client: Any
) -> None:
    text = kit.story_paragraphs("Zennor", "harbour dredging")
    if form == "html":
        page = kit.article_html("Zennor harbour", text, kit.BASE_TIME, "javascript:alert(1)")
        path = tmp_path / "hostile.html"
        path.write_text(page, encoding="utf-8")
    else:
        path = tmp_path / "hostile.jsonl"
        record = {"url": "javascript:alert(1)", "title": "Zennor", "text": "\n\n".join(text)}
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    registry.ensure_sections()
    report = import_paths(config, [path], "Imported Pages", "outlet")
    if form == "jsonl":
        # A record whose only URL is unsafe is refused, named, and nothing is stored.
        assert Article.objects.count() == 0
        assert any("javascript" in p and "scheme" in p for p in report.problems), report
        return
    article = Article.objects.get()  # the page is imported under its file URL
    assert article.url.startswith("file://") and article.canonical_url.startswith("file://")
    for page_url in (f"/story/{article.story_id}/", f"/article/{article.pk}/"):
        response = client.get(page_url)
        assert response.status_code == 200, page_url
        live_link = b'href="javascript:' in response.content.lower()
        assert not live_link, f"{page_url} links to javascript:"
