"""Provenance: which article is the original, and which are copies (syndicated, scraped,
spun) of it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from byline.judge.fingerprint import fingerprint
from byline.judge.provenance import (
    ProvenanceIndex,
    _Candidates,
    _Item,
    credit_lines,
    judge,
    judge_against,
    root_origin,
)
from byline.records import RELATIONS, JudgeInput, Provenance

T0 = datetime(2026, 10, 14, 6, 0, tzinfo=UTC)
ORIGIN = """\
AUREL, Oct 14 — Hackers have crippled the computer network of eleven hospitals in northern \
Valdoria, forcing doctors back to paper records and postponing hundreds of planned operations, \
health officials said on Wednesday.
The attack on the Northern Valdoria Health Board was detected at 2:40 a.m. on Tuesday, when \
staff at Teller's Point General Hospital found they could no longer open patient files.
A group calling itself Grey Lantern has claimed responsibility and is demanding 12 million \
crowns in cryptocurrency, threatening to publish patient data if the board does not pay by \
Friday.
"We will not pay criminals," Health Minister Pavla Surrel said. "Patient care is continuing, \
more slowly and on paper."
The board said 340 planned operations and around 2,000 outpatient appointments had been \
postponed across the region.
Ruben Kask, director of the National Cyber Security Centre, said the attackers had entered \
through a remote-access account belonging to an outside supplier."""

# A spinner's thesaurus: common words only, so names, numbers and quotes survive.
SYNONYMS = {
    "hackers": "robbers",
    "crippled": "disabled",
    "computer": "pc",
    "network": "community",
    "forcing": "pushing",
    "doctors": "physicians",
    "records": "information",
    "postponing": "suspending",
    "planned": "deliberate",
    "officials": "officers",
    "said": "stated",
    "attack": "assault",
    "detected": "noticed",
    "staff": "workers",
    "found": "discovered",
    "open": "access",
    "files": "recordsdata",
    "group": "bunch",
    "claimed": "asserted",
    "responsibility": "duty",
    "demanding": "requesting",
    "threatening": "menacing",
    "publish": "release",
    "data": "knowledge",
    "around": "roughly",
    "appointments": "visits",
    "postponed": "delayed",
    "region": "area",
    "attackers": "intruders",
    "entered": "got in",
    "outside": "exterior",
    "supplier": "provider",
    "belonging": "pertaining",
    "account": "login",
}


def spin(text: str) -> str:
    """Swap words for near-synonyms outside quotations, as a spinner would."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        other = SYNONYMS.get(word.lower(), word)
        return other.capitalize() if word[0].isupper() else other

    parts = re.split(r'("[^"]*")', text)
    return "".join(
        part if part.startswith('"') else re.sub(r"\b[A-Za-z]+\b", swap, part) for part in parts
    )


SPUN = spin(ORIGIN)
INDEPENDENT = """\
Valdoria will not pay a ransom to the Grey Lantern gang that paralysed the IT systems of 11 \
northern hospitals, Health Minister Pavla Surrel told reporters in Aurel.
She said every emergency patient was still being seen, while ambulances were sent to the capital.
Nurses switched to handwritten notes as laboratory and prescription systems stayed locked."""
UNRELATED = """\
The Ostrovian central bank raised its main interest rate by half a percentage point on \
Thursday, its third increase this year, as inflation stayed stubbornly high.
Governor Elin Straum said the bank was ready to act again if prices kept rising faster than \
wages.
Shares in the country's largest lenders rose after the announcement, while the crown \
strengthened against the euro."""
TITLE = "Ransomware attack cripples northern hospitals"


def record(key: str, text: str, hours: float, kind: str = "outlet", title: str = TITLE):
    return JudgeInput(
        id=key,
        url=f"https://{key}.example/story",
        source=key,
        title=title,
        text=text,
        published=T0 + timedelta(hours=hours),
        source_kind=kind,
    )


def run(items: list[JudgeInput], stories: list[str] | None = None) -> dict[str, Provenance]:
    fps = [fingerprint(item.title, item.text) for item in items]
    result = judge(items, fps, stories)
    assert [p.id for p in result] == [item.id for item in items]
    assert all(p.relation in RELATIONS for p in result)
    return {p.id: p for p in result}


def test_spun_fixture_is_a_real_spin() -> None:
    origin_words, spun_words = ORIGIN.split(), SPUN.split()
    changed = sum(a != b for a, b in zip(origin_words, spun_words, strict=False))
    assert 0.15 <= changed / len(origin_words) <= 0.35
    for kept in ("Pavla Surrel", "340", "2,000", "12 million", '"We will not pay criminals,"'):
        assert kept in SPUN


def test_first_report_is_original() -> None:
    result = run([record("cpa", ORIGIN, 0)])["cpa"]
    assert result.relation == "original"
    assert result.origin_id is None
    assert result.score == 0.0


def test_verbatim_uncredited_copy_is_scraped() -> None:
    result = run([record("orig", ORIGIN, 0), record("copy", ORIGIN, 1)])
    assert result["orig"].relation == "original"
    assert result["copy"].relation == "scraped"
    assert result["copy"].origin_id == "orig"
    assert result["copy"].score == pytest.approx(1.0)
    assert any("sentences align" in line for line in result["copy"].evidence)


def test_copy_with_added_credit_line_is_syndicated() -> None:
    credited = ORIGIN + "\n— Continental Press Agency"
    result = run([record("orig", ORIGIN, 0), record("paper", credited, 1)])["paper"]
    assert result.relation == "syndicated"
    assert result.origin_id == "orig"
    assert any("Continental Press Agency" in line for line in result.evidence)


def test_wire_text_carried_by_an_outlet_is_syndicated() -> None:
    result = run([record("wire", ORIGIN, 0, kind="wire"), record("paper", ORIGIN, 1)])
    assert result["wire"].relation == "original"
    assert result["paper"].relation == "syndicated"
    assert result["paper"].origin_id == "wire"


def test_aggregator_verbatim_copy_is_scraped_even_from_a_wire() -> None:
    credited = ORIGIN + "\n— Continental Press Agency"
    result = run(
        [
            record("wire", ORIGIN, 0, kind="wire"),
            record("farm", ORIGIN, 1, kind="aggregator"),
            record("farm2", credited, 2, kind="aggregator"),
        ]
    )
    assert result["farm"].relation == "scraped"
    assert result["farm"].origin_id == "wire"
    assert result["farm2"].relation == "scraped"


def test_spun_copy_is_spun_with_substitutions_in_evidence() -> None:
    result = run([record("orig", ORIGIN, 0), record("spinner", SPUN, 2, kind="aggregator")])
    spun = result["spinner"]
    assert spun.relation == "spun"
    assert spun.origin_id == "orig"
    assert ("hackers", "robbers") in spun.substitutions
    assert ("attack", "assault") in spun.substitutions
    substituted = [line for line in spun.evidence if line.startswith("substituted words")]
    assert substituted and "hackers → robbers" in substituted[0]
    assert spun.aligned
    assert all(o in ORIGIN and c in SPUN and o != c for o, c in spun.aligned)
    assert 0.5 <= spun.score < 0.95


def test_unrelated_text_copies_nothing() -> None:
    result = run(
        [
            record("orig", ORIGIN, 0),
            record("bank", UNRELATED, 1, title="Central bank raises rates"),
            record("ind", INDEPENDENT, 2),
        ],
        stories=["s1", "s2", "s1"],
    )
    assert result["bank"].relation == "original"
    assert result["bank"].origin_id is None
    assert result["ind"].relation == "independent"  # same story, own words
    assert result["ind"].origin_id is None


def test_earliest_of_identical_copies_is_the_origin() -> None:
    items = [
        record("third", ORIGIN, 5),
        record("first", ORIGIN, 0),
        record("fourth", ORIGIN, 9),
        record("second", ORIGIN, 2),
    ]
    result = run(items)
    assert result["first"].relation == "original"
    for key in ("second", "third", "fourth"):
        assert result[key].relation == "scraped"
        assert result[key].origin_id == "first"


def test_copy_of_a_copy_points_at_the_wire() -> None:
    credited = ORIGIN + "\n— Continental Press Agency"
    result = run(
        [
            record("wire", ORIGIN, 0, kind="wire"),
            record("paper", credited, 1),
            record("farm", credited, 2, kind="aggregator"),
        ]
    )
    assert result["paper"].origin_id == "wire"
    assert result["farm"].origin_id in {"wire", "paper"}
    origin_of = {key: p.origin_id for key, p in result.items()}
    assert root_origin("farm", origin_of) == "wire"


def test_to_json_has_the_contract_keys() -> None:
    result = run([record("orig", ORIGIN, 0), record("copy", ORIGIN, 1)])["copy"]
    data = result.to_json()
    assert set(data) == {"id", "relation", "origin_id", "score", "evidence"}
    assert data["origin_id"] == "orig"
    assert isinstance(data["evidence"], list)


def test_root_origin_follows_chains() -> None:
    chain: dict[str, str | None] = {"d": "c", "c": "b", "b": "a", "a": None}
    assert root_origin("d", chain) == "a"
    assert root_origin("a", chain) == "a"
    assert root_origin("unknown", chain) == "unknown"


def test_root_origin_stops_on_cycles_and_long_chains() -> None:
    assert root_origin("a", {"a": "b", "b": "c", "c": "a"}) in {"a", "b", "c"}
    assert root_origin("a", {"a": "a"}) == "a"
    long_chain: dict[str, str | None] = {f"n{i}": f"n{i + 1}" for i in range(100)}
    assert root_origin("n0", long_chain, limit=20) == "n20"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Body.\n— Continental Press Agency", {"Continental Press Agency"}),
        ("AUREL, Oct 3 (CPA) — Dockworkers walked out.", {"CPA"}),
        ("Body.\nReporting by Mira Castell", {"Mira Castell"}),
        ("Body.\nSource: Northstar Times.", {"Northstar Times"}),
        ("No credit in this text at all.", set()),
        ("Body.\nThis article originally appeared in The Harbour Post.", {"The Harbour Post"}),
        ("Body.\nRepublished with permission from Northstar Times.", {"Northstar Times"}),
        # A hyphen inside a word is not a credit dash.
        ("Crowds queued at Chick-fil-A restaurants around the country", set()),
    ],
)
def test_credit_lines(text: str, expected: set[str]) -> None:
    assert credit_lines(text) == expected


def test_copy_coverage_decides_how_much_must_align() -> None:
    partial = "\n".join(ORIGIN.splitlines()[:4] + UNRELATED.splitlines()[:2])
    items = [record("orig", ORIGIN, 0), record("part", partial, 1)]
    fps = [fingerprint(item.title, item.text) for item in items]
    loose = judge(items, fps, copy_coverage=0.5)[1]
    assert loose.relation == "scraped"
    assert loose.origin_id == "orig"
    strict = judge(items, fps, copy_coverage=0.9)[1]
    assert strict.origin_id is None
    assert strict.relation in {"original", "independent"}


def test_an_origin_older_than_the_window_is_not_looked_for() -> None:
    items = [record("orig", ORIGIN, 0), record("copy", ORIGIN, 24 * 10)]
    fps = [fingerprint(item.title, item.text) for item in items]
    inside = {p.id: p for p in judge(items, fps, window=timedelta(days=14))}
    assert inside["copy"].relation == "scraped" and inside["copy"].origin_id == "orig"
    outside = {p.id: p for p in judge(items, fps, window=timedelta(days=7))}
    assert outside["copy"].relation in {"original", "independent"}
    assert outside["copy"].origin_id is None


def test_streaming_index_keeps_only_one_window_of_articles() -> None:
    index = ProvenanceIndex(window=timedelta(days=2))
    live = []
    for day in range(10):
        item = record(f"d{day}", f"{UNRELATED} Day {day}, note {day * 13}.", day * 24)
        label = index.judge_next(item, fingerprint(item.title, item.text))
        # Near-identical texts: each copies a day still in the window, and names the first
        # origin of that chain, even once the first has left the window.
        if day:
            assert label.origin_id == "d0"
            assert label.via_id in {None, f"d{day - 1}", f"d{day - 2}"}
        live.append(index.live)
    assert live == [1, 2, 3, 3, 3, 3, 3, 3, 3, 3]


def test_candidate_index_memory_is_bounded_by_the_window() -> None:
    """A long stream keeps only the articles of the last window in its indexes."""
    items = [
        record(
            f"a{day}", f"{UNRELATED} Day {day} of the series, report number {day * 7}.", day * 24
        )
        for day in range(30)
    ]
    index = _Candidates(64, timedelta(days=3))
    largest = 0
    for position, item in enumerate(items):
        index.evict_before(item.published)
        index.add(_Item(position, item, fingerprint(item.title, item.text)))
        largest = max(largest, len(index.live))
    assert largest == 4  # today and the three days before it
    assert set(index.live) == {26, 27, 28, 29}
    alive = set().union(*index.immutables.values(), *index.sentences.values())
    assert alive == {26, 27, 28, 29}  # the inverted indexes forgot the others too


def test_a_scrape_of_a_spun_copy_names_the_original_and_the_copy_it_came_through() -> None:
    """A farm scrapes another farm's spun copy: against the original it is spun, its origin
    is the original, and ``via`` names the spun copy it was taken from."""
    scraped_spin = "World News\n" + SPUN + "\nSource link\nLeave a Reply"
    result = run(
        [
            record("wire", ORIGIN, 0, kind="wire"),
            record("farm1", SPUN, 2, kind="aggregator"),
            record("farm2", scraped_spin, 5, kind="aggregator"),
        ]
    )
    assert result["farm1"].relation == "spun" and result["farm1"].via_id is None
    assert result["farm2"].relation == "spun"
    assert result["farm2"].origin_id == "wire"
    assert result["farm2"].via_id == "farm1"
    assert any("taken from another copy" in line for line in result["farm2"].evidence)


def test_a_chain_ends_at_the_wire_even_when_the_copy_matches_the_paper_best() -> None:
    credited = ORIGIN + "\nThis article originally appeared in Continental Press Agency."
    result = run(
        [
            record("wire", ORIGIN, 0, kind="wire"),
            record("paper", credited, 1),
            record("farm", credited, 2, kind="aggregator"),
        ]
    )
    assert result["paper"].relation == "syndicated"  # the credit line names the wire
    assert result["farm"].relation == "scraped"
    assert result["farm"].origin_id == "wire"


def test_a_rewrite_of_shared_material_is_not_a_copy() -> None:
    """Every sentence reworded (not word-swapped): aligned, but far from verbatim and with
    few single-word substitutions: the outlet's own words, so no copy (no false copy)."""
    rewrite = "\n".join(
        " ".join(reversed(sentence.split(", "))) if ", " in sentence else sentence + " indeed"
        for sentence in ORIGIN.splitlines()
    )
    result = run([record("a", ORIGIN, 0), record("b", rewrite, 3)], stories=["s", "s"])
    assert result["b"].relation == "independent" and result["b"].origin_id is None


def test_judging_new_articles_against_stored_ones_matches_judging_everything() -> None:
    items = [
        record("wire", ORIGIN, 0, kind="wire"),
        record("paper", ORIGIN + "\n— Continental Press Agency", 1),
        record("indep", INDEPENDENT, 2),
        record("farm", "World News\n" + SPUN + "\nSource link", 5, kind="aggregator"),
    ]
    fps = [fingerprint(i.title, i.text) for i in items]
    full = {p.id: p for p in judge(items, fps, ["s"] * 4)}
    known = [(items[i], fps[i], "s", full[items[i].id].origin_id) for i in range(3)]
    (farm,) = judge_against(known, [(items[3], fps[3], "s")])
    assert (farm.relation, farm.origin_id) == (full["farm"].relation, full["farm"].origin_id)
    assert farm.relation == "spun" and farm.origin_id == "wire"


def test_stored_origins_are_trusted_not_judged_again() -> None:
    """A stored copy keeps the origin it was given: a new copy of it is traced through it."""
    longer = ORIGIN + (
        "\nThe second outlet added this closing paragraph of its own about the hospitals, "
        "the nurses, the ambulances and the long night that followed the attack."
    )
    items = [record("first", ORIGIN, 0), record("second", longer, 1), record("third", longer, 3)]
    fps = [fingerprint(i.title, i.text) for i in items]
    known = [(items[0], fps[0], "s", None), (items[1], fps[1], "s", "elsewhere")]
    (third,) = judge_against(known, [(items[2], fps[2], "s")])
    assert third.relation == "scraped"
    assert (third.origin_id, third.via_id) == ("elsewhere", "second")
    # A new article published before the stored ones is judged in publication order.
    (early,) = judge_against(
        known, [(record("early", UNRELATED, -5), fingerprint("t", UNRELATED), "x")]
    )
    assert early.relation == "original"
