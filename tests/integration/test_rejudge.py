"""`byline rejudge`: stored articles judged again by this version's rules, their stories kept.

An archive judged by an older version keeps its labels: fetching judges only new articles and
the copy groups they join. Here the old labels are written as an older Byline left them (an
aggregator's lone page read as independent, before its pages that share no text were read as
copies of reports outside the archive; a copy whose label was lost), then `rejudge` runs over
a real database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.integration.test_cli_db import byline
from tests.site.conftest import ORIGIN_TEXT, _record, store_and_judge

from byline.config import Config
from byline.judge.provenance import LONE, LONE_REPUBLISHER
from byline.news import registry, store
from byline.news.models import Article, Relation, Source
from byline.rejudge import rejudge

TITLE = "Dockworkers strike halts Port Ardent as wage talks collapse"
QUAKE = (
    "A strong earthquake shook the northern coast early on Saturday, sending residents into "
    "the streets.\n\nThe national seismology office said the quake struck at a depth of ten "
    "kilometres and that no tsunami was expected.\n\nLocal officials reported damage to "
    "several older buildings but no deaths so far."
)


@pytest.fixture
def config(settings: Any, tmp_path: Path, kit: Any) -> Config:
    made: Config = kit.make_config(tmp_path / "data")
    settings.BYLINE = made
    return made


def _archive() -> dict[str, Article]:
    """A paper's report, a farm's verbatim copy of it the next day, and an aggregator's page
    that shares no text, stored and judged as the ingester does."""
    registry.ensure_sections()
    paper = registry.add_source("Northstar Times", "https://ns.example/feed", "https://ns.example/")
    hub = registry.add_source(
        "World News Hub", "https://hub.example/rss", "https://hub.example/", kind="aggregator"
    )
    report, scrape, lone = store_and_judge(
        [
            (
                paper.source,
                _record(
                    "https://ns.example/strike",
                    TITLE,
                    "",
                    "",
                    datetime(2026, 10, 3, 8, tzinfo=UTC),
                    ORIGIN_TEXT,
                ),
            ),
            (
                hub.source,
                _record(
                    "https://hub.example/strike",
                    TITLE,
                    "",
                    "",
                    datetime(2026, 10, 4, 9, tzinfo=UTC),
                    ORIGIN_TEXT,
                ),
            ),
            (
                hub.source,
                _record(
                    "https://hub.example/quake",
                    "Strong earthquake shakes the northern coast",
                    "",
                    "",
                    datetime(2026, 10, 20, 9, tzinfo=UTC),
                    QUAKE,
                ),
            ),
        ]
    )
    return {"report": report, "scrape": scrape, "lone": lone}


def _as_an_older_version_left_them(archive: dict[str, Article]) -> None:
    """The lone page as independent (no presumption yet), and the scrape's label lost its
    origin (read as independent)."""
    for key in ("lone", "scrape"):
        Relation.objects.filter(article=archive[key]).update(
            relation="independent", origin=None, via=None, evidence={"summary": [LONE]}
        )
    store.refresh_reputation()  # the tallies the old labels gave


def _label(article: Article) -> tuple[str, int | None]:
    relation = Relation.objects.get(article=article)
    return relation.relation, relation.origin_id


@pytest.mark.django_db
def test_rejudge_brings_old_labels_to_this_versions_rules_and_keeps_stories(
    config: Config,
) -> None:
    archive = _archive()
    assert _label(archive["lone"]) == ("spun", None)
    assert _label(archive["scrape"]) == ("scraped", archive["report"].pk)
    judged_now = {k: _label(a) for k, a in archive.items()}
    stories = {k: Article.objects.get(pk=a.pk).story_id for k, a in archive.items()}
    _as_an_older_version_left_them(archive)

    hub = Source.objects.get(slug=archive["lone"].source.slug)
    assert (hub.judged_count, hub.scraped_count) == (2, 0)
    dry = rejudge(config, dry_run=True)
    assert (dry.articles, dry.changed) == (3, 2)
    assert dry.transitions == {("independent", "spun"): 1, ("independent", "scraped"): 1}
    assert _label(archive["lone"]) == ("independent", None)  # a dry run writes nothing

    done = rejudge(config)
    assert done.changed == 2
    assert {k: _label(a) for k, a in archive.items()} == judged_now
    assert {k: Article.objects.get(pk=a.pk).story_id for k, a in archive.items()} == stories
    lone = Relation.objects.get(article=archive["lone"])
    assert LONE_REPUBLISHER in lone.evidence["summary"]
    scrape = Relation.objects.get(article=archive["scrape"])
    assert scrape.evidence["aligned"]  # the evidence is written with the label
    hub.refresh_from_db()
    assert (hub.judged_count, hub.scraped_count) == (2, 1)  # the tally follows the labels

    again = rejudge(config)
    assert (again.articles, again.changed) == (3, 0)  # nothing left to change


@pytest.mark.django_db
def test_rejudge_since_writes_only_later_articles_but_judges_with_earlier_ones(
    config: Config,
) -> None:
    archive = _archive()
    _as_an_older_version_left_them(archive)
    Relation.objects.filter(article=archive["report"]).update(relation="independent")
    report = rejudge(config, since=datetime(2026, 10, 4, tzinfo=UTC))
    assert report.articles == 2  # the scrape and the lone page
    # The scrape's origin, published before the day, is read as context: it is found.
    assert _label(archive["scrape"]) == ("scraped", archive["report"].pk)
    assert _label(archive["lone"]) == ("spun", None)
    assert _label(archive["report"]) == ("independent", None)  # before the day: left alone


@pytest.mark.django_db
def test_a_copy_group_across_blocks_is_judged_whole(config: Config) -> None:
    """One article a block: the scrape's block still holds its origin (within the
    provenance window), so its label is the one a single block gives."""
    archive = _archive()
    _as_an_older_version_left_them(archive)
    with pytest.raises(ValueError, match="one article at least"):
        rejudge(config, block_size=0)
    report = rejudge(config, block_size=1)
    assert report.changed == 2
    assert _label(archive["scrape"]) == ("scraped", archive["report"].pk)


@pytest.mark.django_db(transaction=True)
def test_the_command_reports_changes_by_relation(
    config: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = _archive()
    _as_an_older_version_left_them(archive)
    code, out, _ = byline(capsys, "rejudge", "--dry-run", "-q")
    assert code == 0
    assert out.startswith("articles 3; labels would change 2\n")
    assert "independent → spun" in out and "independent → scraped" in out
    assert f"{archive['lone'].pk} https://hub.example/quake: independent → spun" in out
    code, out, _ = byline(capsys, "rejudge", "-q", "--block", "1")
    assert (code, out.splitlines()[0]) == (0, "articles 3; labels changed 2")
    assert _label(archive["lone"]) == ("spun", None)
    code, out, _ = byline(capsys, "rejudge", "-q")
    assert out == "articles 3; labels changed 0\n"


@pytest.mark.django_db(transaction=True)
def test_a_block_that_fails_midway_leaves_its_labels_as_they_were(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Labels, stories and tallies of a block are written in one transaction: a failure after
    the labels are written (here, while the tallies are recounted) rolls them back."""
    archive = _archive()
    _as_an_older_version_left_them(archive)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the process dies here")

    monkeypatch.setattr(store, "refresh_reputation", broken)
    with pytest.raises(RuntimeError):
        rejudge(config)
    assert _label(archive["lone"]) == ("independent", None)
    assert _label(archive["scrape"]) == ("independent", None)
    monkeypatch.undo()
    assert rejudge(config).changed == 2  # the next run does the whole block
