"""Issue 14's patterns on real 2023+ coverage (bench/realdata/provenance, tuning-half events;
bench/realdata/README.md says how each page was found): papers carrying one agency story
whose own page is not in the set, a paper adding its own paragraphs to agency copy, an
aggregator's verbatim scrape of one paper, and agency copy spun by a farm."""

from __future__ import annotations

import random

import pytest
from bench.real_provenance import load_pages

from byline.judge.fingerprint import fingerprint
from byline.judge.provenance import common_source_of, judge
from byline.records import Provenance


@pytest.fixture(scope="module")
def labels() -> dict[str, Provenance]:
    pages = load_pages()
    random.Random(5).shuffle(pages)  # order must not matter
    events = ("pw-maui", "pw-morocco", "pw-kffdebt", "pc-cz-downfall")
    chosen = [p for p in pages if p.story in events]
    records = [p.record for p in chosen]
    fps = [fingerprint(r.title, r.text) for r in records]
    return {p.id: p for p in judge(records, fps)}


def test_papers_carrying_one_ap_story_are_wire_copies_not_copies_of_each_other(
    labels: dict[str, Provenance],
) -> None:
    """Five papers print the AP's Lahaina story (datelines '(AP) —'); apnews.com is absent."""
    for key in ("pw-maui-1", "pw-maui-2", "pw-maui-3", "pw-maui-4", "pw-maui-6"):
        assert labels[key].relation == "syndicated", key
        assert labels[key].origin_id is None, key
        assert common_source_of(labels[key].evidence) == "AP", key


def test_a_paper_adding_its_own_paragraphs_to_reuters_copy_is_a_carrier(
    labels: dict[str, Provenance],
) -> None:
    """7NEWS inserts a desk paragraph on national mourning into the Reuters Amizmiz copy."""
    for key in ("pw-morocco-1", "pw-morocco-3"):
        assert (labels[key].relation, labels[key].origin_id) == ("syndicated", None)


def test_an_aggregators_verbatim_scrape_names_the_paper_it_took(
    labels: dict[str, Provenance],
) -> None:
    assert labels["pw-kffdebt-1"].relation == "original"
    for key in ("pw-kffdebt-2", "pw-kffdebt-3"):
        assert (labels[key].relation, labels[key].origin_id) == ("scraped", "pw-kffdebt-1")


def test_agency_copy_spun_by_a_farm_is_traced_to_the_carrier(
    labels: dict[str, Provenance],
) -> None:
    """Hindustan Times carries Bloomberg's profile of Changpeng Zhao; a farm spins it
    ('long' → 'lengthy', 'a year ago' → 'a yr in the past')."""
    spun = labels["pc-cz-downfall-6"]
    assert (spun.relation, spun.origin_id) == ("spun", "pc-cz-downfall-1")
    assert ("long", "lengthy") in spun.substitutions


def test_no_reputable_outlet_in_these_events_is_called_a_scraper_or_spinner(
    labels: dict[str, Provenance],
) -> None:
    pages = {p.record.id: p for p in load_pages()}
    for key, label in labels.items():
        page = pages[key]
        if page.record.source_kind == "outlet" and page.relation not in ("scraped", "spun"):
            assert label.relation not in ("scraped", "spun"), key


def test_a_farms_sentence_by_sentence_rewrite_is_traced_with_its_evidence(
    labels: dict[str, Provenance],
) -> None:
    """eaglenewsfeed.com rewrites the Reuters Amizmiz story sentence by sentence ('rescue
    workers picked through rubble with their bare hands' → '… were searching through rubble
    with their hands'); no word-level alignment finds it."""
    rewrite = labels["pw-morocco-4"]
    assert rewrite.relation == "spun"
    assert rewrite.origin_id in {"pw-morocco-1", "pw-morocco-2", "pw-morocco-3"}
    assert any(line.startswith("reworded sentence by sentence") for line in rewrite.evidence)
