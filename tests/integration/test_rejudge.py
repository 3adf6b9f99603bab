"""`byline rejudge`: stored articles judged again by this version's rules, their stories kept.

An archive judged by an older version keeps its labels: fetching judges only new articles and
the copy groups they join. Here the old labels are written as an older Byline left them (an
aggregator's lone page read as independent, before its pages that share no text were read as
copies of reports outside the archive; a copy whose label was lost), then `rejudge` runs over
a real database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.integration.test_cli_db import byline
from tests.site.conftest import ORIGIN_TEXT, _record, store_and_judge

from byline import pipeline
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


def _farm_in_the_making() -> tuple[Article, Article]:
    """Two papers carry an agency's text an hour apart (both carriers of a common source);
    the second then publishes spun copies of three other papers' reports, ten days apart
    (each outside the others' provenance window), as an older version left them: read as
    independent, so the tally flags nothing yet.
    Returns the two carriers' articles."""
    from bench.batch_synth import Generator
    from tests.crash.workload import _Event

    registry.ensure_sections()
    north = registry.add_source("Northstar Times", "https://ns.example/feed", "https://ns.example/")
    harbour = registry.add_source("Harbour Post", "https://hp.example/feed", "https://hp.example/")
    rows = [
        (north.source, "https://ns.example/strike", TITLE, datetime(2026, 9, 1, 8, tzinfo=UTC)),
        (harbour.source, "https://hp.example/strike", TITLE, datetime(2026, 9, 1, 9, tzinfo=UTC)),
    ]
    records = [
        (source, _record(url, title, "", "", when, ORIGIN_TEXT))
        for source, url, title, when in rows
    ]
    gen = Generator(11)
    spins = []
    for n in range(3):
        event = _Event(gen)
        paper = registry.add_source(
            f"Paper {n}", f"https://p{n}.example/feed", f"https://p{n}.example/"
        ).source
        lead = event.sentences(7)
        when = datetime(2026, 9, 12, 8, tzinfo=UTC) + timedelta(days=10 * n)
        title = f"{event.place}: {event.words[0]} {event.words[1]}"
        records.append(
            (paper, _record(f"https://p{n}.example/{n}", title, "", "", when, "\n\n".join(lead)))
        )
        spun = "\n\n".join(event.spin(p) for p in lead)
        later = when.replace(hour=11)
        records.append(
            (harbour.source, _record(f"https://hp.example/s{n}", title, "", "", later, spun))
        )
        spins.append(len(records) - 1)
    saved = store_and_judge(records)
    assert all(saved[i].relation.relation == "spun" for i in spins)
    Relation.objects.filter(article__in=[saved[i] for i in spins]).update(
        relation="independent", origin=None, via=None, evidence={"summary": [LONE]}
    )
    store.refresh_reputation()
    assert not Source.objects.get(pk=harbour.source.pk).content_farm
    # Judged with its spins (as here, all at once) the Harbour Post reads as a spinner and its
    # carriage as a scrape; judged in its own week, unflagged, as the fetcher did: a carrier.
    week = saved[:2]
    judged = pipeline.judge(
        [store.judge_input(a) for a in week], [store.article_fingerprint(a) for a in week]
    )
    store.relabel(judged.provenance)
    return saved[0], saved[1]


@pytest.mark.django_db
def test_a_farm_flag_that_flips_midway_sends_the_blocks_that_read_it_round_again(
    config: Config,
) -> None:
    """The first pass labels the three spins, which flags the Harbour Post a content farm
    only after its carrier's block was judged as an outlet's; the second pass judges that
    block again with the flag: its verbatim copy of the other paper is a scrape. One run
    leaves nothing for the next."""
    north, carrier = _farm_in_the_making()
    assert _label(carrier) == ("syndicated", None)
    report = rejudge(config, block_size=2)
    assert report.passes == 2 and report.flipped == ["harbour-post"] and not report.unsettled
    assert Source.objects.get(slug="harbour-post").content_farm
    assert _label(carrier) == ("scraped", north.pk)
    assert _label(north) == ("syndicated", None)  # still a carrier of the agency's text
    assert report.transitions[("independent", "spun")] == 3
    assert report.transitions[("syndicated", "scraped")] == 1
    assert report.changed == len(report.changes) == len({c.article_id for c in report.changes})
    again = rejudge(config, block_size=2)
    assert (again.changed, again.passes, again.flipped) == (0, 1, [])


@pytest.mark.django_db(transaction=True)
def test_the_command_says_when_a_flag_sent_blocks_round_again(
    config: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    _farm_in_the_making()
    code, out, _ = byline(capsys, "rejudge", "--dry-run", "-q", "--block", "2")
    assert out.startswith("articles 8; labels would change 3\n")  # one pass: no tallies
    code, out, _ = byline(capsys, "rejudge", "-q", "--block", "2")
    lines = out.splitlines()
    # The three spins, the Harbour Post's carriage (now a scrape) and the Northstar Times'
    # evidence (its text is now a scraper's copy, not a fellow carrier's).
    assert (code, lines[0]) == (0, "articles 8; labels changed 5")
    assert lines[1] == (
        "  2 passes: the new labels changed the content-farm flag of harbour-post, so the "
        "blocks that read it were judged again"
    )
