"""Issue 14 on the site: papers carrying one agency text, the agency's own page absent, read
as "Wire copy (CPA)" — never as copies of one another — and the story page groups them."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from django.conf import settings
from django.test import Client
from django.urls import reverse
from tests.site.conftest import ORIGIN_TEXT, _record, store_and_judge

from byline import ingest, pipeline
from byline.judge import provenance
from byline.news import registry, store
from byline.news.models import Article, Source

TITLE = "Dockworkers strike halts Port Ardent as wage talks collapse"
# The same text without the agency's dateline: a page that signs it as nobody's copy.
UNSIGNED_TEXT = ORIGIN_TEXT.replace("PORT ARDENT, Oct 3 (CPA) — ", "", 1)


def _carriers() -> list[Article]:
    """Two papers print the agency's dateline copy an hour apart; a farm scrapes one."""
    registry.ensure_sections()
    papers = [
        registry.add_source(name, f"https://{host}/feed", f"https://{host}/").source
        for name, host in (("Northstar Times", "northstar.example"), ("Harbour Post", "hp.example"))
    ]
    farm = registry.add_source(
        "World News Hub", "https://hub.example/rss", "https://hub.example/", kind="aggregator"
    ).source
    rows = [
        (papers[0], "https://northstar.example/strike", 8),
        (papers[1], "https://hp.example/strike", 9),
        (farm, "https://hub.example/strike", 12),
    ]
    return store_and_judge(
        [
            (
                source,
                _record(url, TITLE, "", "", datetime(2026, 10, 3, hour, tzinfo=UTC), ORIGIN_TEXT),
            )
            for source, url, hour in rows
        ]
    )


def test_carriers_read_as_wire_copy_and_are_grouped(client: Client, db: None) -> None:
    north, harbour, scrape = _carriers()
    for paper in (north, harbour):
        assert paper.relation.relation == "syndicated"
        assert paper.relation.origin_id is None  # no page to point at
    assert scrape.relation.relation == "scraped"
    assert scrape.relation.origin_id in {north.pk, harbour.pk}

    page = client.get(f"/article/{harbour.pk}/").content.decode()
    assert "Wire copy (CPA)" in page
    assert "carries text from <strong>CPA</strong>" in page
    own = page.split("related-heading")[0]  # the article itself, before Related Articles
    assert "Scraped copy" not in own and "Spun copy" not in own
    data = client.get(reverse("api:article", args=[harbour.pk])).json()
    assert data["provenance"]["common_source"] == "CPA"
    assert data["source_link"]["is_this_article"] is True

    story = client.get(reverse("api:story", args=[north.story_id])).json()
    (group,) = story["common_sources"]
    assert group["name"] == "CPA"
    assert {c["source"] for c in group["carriers"]} == {"Northstar Times", "Harbour Post"}
    html = client.get(f"/story/{north.story_id}/").content.decode()
    assert "<strong>CPA</strong>, whose own page Byline does not have" in html


def test_a_flagged_content_farm_is_judged_as_a_scraper(db: None) -> None:
    """A source flagged a farm by its tally is judged as a scraper: its verbatim copy of a
    paper is `scraped`, not a carrier of a common source."""
    north, harbour, _ = _carriers()
    Source.objects.filter(pk=harbour.source_id).update(content_farm=True)
    harbour = Article.objects.select_related("source").get(pk=harbour.pk)
    assert store.judge_input(harbour).source_kind == provenance.FARM
    north = Article.objects.select_related("source").get(pk=north.pk)
    assert store.judge_input(north).source_kind == "outlet"
    labels = {
        p.id: p
        for p in pipeline.judge(
            [store.judge_input(a) for a in (north, harbour)],
            [store.article_fingerprint(a) for a in (north, harbour)],
        ).provenance
    }
    assert labels[str(harbour.pk)].relation == "scraped"
    assert labels[str(harbour.pk)].origin_id == str(north.pk)


def test_a_flagged_farms_page_that_shares_no_text_is_not_presumed_a_copy(db: None) -> None:
    """The flag is a tally, not a declaration: an outlet that rewords others' reports (and is
    flagged for it) still writes its own, so its page that shares no text stays independent,
    where a declared aggregator's is presumed a reworded copy (``LONE_REPUBLISHER``)."""
    _, harbour, _ = _carriers()
    Source.objects.filter(pk=harbour.source_id).update(content_farm=True)
    page = Article.objects.select_related("source").get(pk=harbour.pk)
    signed = store.judge_input(page)
    flagged = dataclasses.replace(signed, text=UNSIGNED_TEXT)
    (alone,) = pipeline.judge([flagged]).provenance
    assert (alone.relation, alone.evidence) == ("independent", (provenance.LONE,))
    declared = dataclasses.replace(flagged, source_kind="aggregator")
    (presumed,) = pipeline.judge([declared]).provenance
    assert presumed.relation == "spun" and provenance.is_presumed(presumed.evidence)
    # Signed with the agency's dateline, "PORT ARDENT, Oct 3 (CPA) —", the page alone carries
    # CPA's text, as its copy group says when the other carriers are there.
    (carrier,) = pipeline.judge([signed], [store.article_fingerprint(page)]).provenance
    assert carrier.relation == "syndicated"
    assert provenance.common_source_of(carrier.evidence) == "CPA"


def test_fetching_revises_a_stored_scrape_when_its_origin_arrives(db: None) -> None:
    """An undated farm scrape is stored and judged first (alone, it is an original); the
    paper it copied arrives in a later fetch. The stored scrape's label is revised."""
    registry.ensure_sections()
    farm = registry.add_source(
        "World News Hub", "https://hub.example/rss", "https://hub.example/", kind="aggregator"
    ).source
    paper = registry.add_source("Harbour Post", "https://hp.example/feed", "https://hp.example/")
    when = datetime(2026, 10, 3, 9, tzinfo=UTC)
    scrape = store.save_article(
        pipeline.process_article(
            _record("https://hub.example/s", TITLE, "", "", when, ORIGIN_TEXT)
        ),
        farm,
    )
    assert scrape is not None
    ingest.judge_new(settings.BYLINE)
    # Alone, an aggregator's page is never an original (original means others copy it):
    # signed with the agency's dateline, "(CPA) —", it carries CPA's text.
    alone = Article.objects.get(pk=scrape.pk).relation
    assert (alone.relation, alone.origin_id) == ("syndicated", None)
    original = store.save_article(
        pipeline.process_article(_record("https://hp.example/s", TITLE, "", "", when, ORIGIN_TEXT)),
        paper.source,
    )
    assert original is not None
    ingest.judge_new(settings.BYLINE)
    revised = Article.objects.select_related("relation").get(pk=scrape.pk)
    assert (revised.relation.relation, revised.relation.origin_id) == ("scraped", original.pk)
    carrier = Article.objects.select_related("relation").get(pk=original.pk).relation
    assert (carrier.relation, carrier.origin_id) == ("syndicated", None)  # its "(CPA)" dateline
    assert revised.story_id == Article.objects.get(pk=original.pk).story_id


def test_an_aggregators_page_sharing_no_text_says_its_original_is_not_here(
    client: Client, db: None
) -> None:
    """An aggregator's page that no stored page shares text with is read as a reworded copy
    of a report outside the archive: the page says there is no original to link to, and
    shows the evidence; an outlet's lone page stays an independent report."""
    registry.ensure_sections()
    paper = registry.add_source("Northstar Times", "https://ns.example/feed", "https://ns.example/")
    farm = registry.add_source(
        "World News Hub", "https://hub.example/rss", "https://hub.example/", kind="aggregator"
    )
    own, copy = store_and_judge(
        [
            (
                paper.source,
                _record(
                    "https://ns.example/strike",
                    TITLE,
                    "",
                    "",
                    datetime(2026, 10, 3, 8, tzinfo=UTC),
                    UNSIGNED_TEXT,
                ),
            ),
            (
                farm.source,
                _record(
                    "https://hub.example/quake",
                    "Strong earthquake shakes the northern coast",
                    "",
                    "",
                    datetime(2026, 10, 3, 9, tzinfo=UTC),
                    "A strong earthquake shook the northern coast early on Saturday, sending "
                    "residents into the streets.\n\nThe national seismology office said the "
                    "quake struck at a depth of ten kilometres and that no tsunami was expected."
                    "\n\nLocal officials reported damage to several older buildings but no "
                    "deaths so far.",
                ),
            ),
        ]
    )
    assert own.relation.relation == "independent"
    assert (copy.relation.relation, copy.relation.origin_id) == ("spun", None)
    page = client.get(f"/article/{copy.pk}/").content.decode()
    own_part = page.split("related-heading")[0]
    assert "Spun copy" in own_part
    assert "a report that is not among Byline's sources" in own_part
    assert "aggregators republish others" in own_part  # the evidence, shown
    story = client.get(f"/story/{copy.story_id}/").content.decode()
    assert "copies a report that is not among" in story
    data = client.get(reverse("api:article", args=[copy.pk])).json()
    assert data["provenance"]["relation"] == "spun"
    assert data["provenance"]["origin"] is None
    assert data["source_link"]["is_this_article"] is True


def test_presumed_copies_count_toward_no_sources_record(db: None) -> None:
    """An aggregator's lone pages are presumed copies, not evidence: they leave its spun
    count and its content-farm flag alone. Counted, a flagged outlet (judged as an
    aggregator) would keep the flag for good on its own presumed copies."""
    registry.ensure_sections()
    hub = registry.add_source(
        "World News Hub", "https://hub.example/rss", "https://hub.example/", kind="aggregator"
    ).source
    texts = (
        "A strong earthquake shook the northern coast early on Saturday, sending residents "
        "into the streets.\n\nThe seismology office said no tsunami was expected.",
        "The finance ministry unveiled a budget that raises spending on schools and roads by "
        "a fifth.\n\nOpposition leaders called it an election giveaway.",
    )
    saved = store_and_judge(
        [
            (
                hub,
                _record(
                    f"https://hub.example/{n}",
                    f"Story {n}",
                    "",
                    "",
                    datetime(2026, 10, 3, 9 + n, tzinfo=UTC),
                    text,
                ),
            )
            for n, text in enumerate(texts)
        ]
    )
    assert [a.relation.relation for a in saved] == ["spun", "spun"]
    assert [s.slug for s in store.refresh_reputation(min_copies=1, share=0.5)] == []
    hub.refresh_from_db()
    assert (hub.judged_count, hub.spun_count, hub.content_farm) == (2, 0, False)
    # An outlet flagged on an earlier record sheds the flag once that record is only presumed.
    Source.objects.filter(pk=hub.pk).update(kind="outlet", content_farm=True)
    assert [s.slug for s in store.refresh_reputation(min_copies=1, share=0.5)] == [hub.slug]
    hub.refresh_from_db()
    assert not hub.content_farm
