"""Provenance: which article is the original, and which are copies (syndicated, scraped,
spun) of it."""

from __future__ import annotations

import dataclasses
import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest

from byline.judge.align import align
from byline.judge.credits import (
    SYNDICATED_FEED,
    attributions,
    credit_lines,
    names_source,
    signatures,
    wire_section,
)
from byline.judge.fingerprint import fingerprint
from byline.judge.provenance import (
    COPY_COVERAGE,
    LONE,
    LONE_REPUBLISHER,
    common_source_of,
    is_lone,
    judge,
    linked,
    lone,
    related,
    root_origin,
)
from byline.pipeline import judge_incremental
from byline.records import RELATIONS, Fingerprint, JudgeInput, Provenance

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


def run(items: list[JudgeInput]) -> dict[str, Provenance]:
    fps = [fingerprint(item.title, item.text) for item in items]
    result = judge(items, fps)
    assert [p.id for p in result] == [item.id for item in items]
    assert all(p.relation in RELATIONS for p in result)
    return {p.id: p for p in result}


def test_spun_fixture_is_a_real_spin() -> None:
    origin_words, spun_words = ORIGIN.split(), SPUN.split()
    changed = sum(a != b for a, b in zip(origin_words, spun_words, strict=False))
    assert 0.15 <= changed / len(origin_words) <= 0.35
    for kept in ("Pavla Surrel", "340", "2,000", "12 million", '"We will not pay criminals,"'):
        assert kept in SPUN


def test_a_first_report_nobody_copies_is_independent() -> None:
    """``original`` says others copy the article, not that it came first (issue 11)."""
    result = run([record("cpa", ORIGIN, 0)])["cpa"]
    assert result.relation == "independent"
    assert result.origin_id is None
    assert result.score == 0.0


def test_a_lone_page_signed_as_agency_copy_is_syndicated_from_that_agency() -> None:
    """Issue 11: a page carrying AP copy that no other page here shares still says whose
    text it is; a sentence mentioning the agency is no signature."""
    signed = "LAHAINA, Hawaii (AP) — " + ORIGIN.split(" — ", 1)[1]
    mention = INDEPENDENT + "\nThe Associated Press reported the attack first."
    result = run([record("paper", signed, 0), record("other", mention, 1)])
    assert (result["paper"].relation, result["paper"].origin_id) == ("syndicated", None)
    assert common_source_of(result["paper"].evidence) == "AP"
    assert result["other"].relation == "independent"
    assert result["other"].evidence == (LONE,)


def test_an_agencys_own_page_under_its_dateline_is_no_carrier() -> None:
    """Kyodo signs its own English service "(Kyodo)", as the papers that carry it do: on
    english.kyodonews.net the dateline is the agency's own, on another host a carrier's."""
    text = "AUREL (Kyodo) -- " + ORIGIN.split(" — ", 1)[1]
    own = lone("own", "english.kyodonews.net", text)
    carried = lone("carried", "www.nippon.com", text)
    assert (own.relation, own.evidence) == ("independent", (LONE,))
    assert carried.relation == "syndicated"
    assert common_source_of(carried.evidence) == "Kyodo"


@pytest.mark.parametrize(
    "credit",
    ["AUREL (Web Desk/Agencies): ", "AUREL (Agencies) — ", "Source: Agencies\n"],
)
def test_a_lone_page_signed_as_copy_from_unnamed_agencies_is_syndicated(credit: str) -> None:
    """Issue 11: South Asian papers sign wire copy "(Web Desk/Agencies)" without naming the
    agency; "agencies" in a sentence is no signature."""
    signed = credit + ORIGIN.split(" — ", 1)[1]
    mention = INDEPENDENT + "\nThe drug agencies were asked for their plans."
    result = run([record("paper", signed, 0), record("other", mention, 1)])
    assert (result["paper"].relation, result["paper"].origin_id) == ("syndicated", None)
    assert common_source_of(result["paper"].evidence) == "unnamed agencies"
    assert result["other"].relation == "independent"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AUREL (NEXSTAR) - The port reopened.", {"Nexstar Media Wire"}),
        ("AUREL, Dec 30 (KUNA) -- The port reopened.", {"KUNA"}),
        ("AUREL, Dec 30 (WAM) -- The port reopened.", {"WAM"}),
        ("The port reopened.\nUnited Press International", {"UPI"}),
        ("The port reopened.\nBy The Canadian Press", {"The Canadian Press"}),
        # "(UPI)" in an Indian paper is the payments system, and an agency spelled out
        # before its initials inside a sentence is a mention: neither signs the text
        ("Payments over the Unified Payments Interface (UPI) rose 4%.", set()),
        ("The Islamic Republic News Agency (IRNA) said the port reopened.", set()),
        # a party's initials after its name (Pakistan's PTI is no Press Trust of India), and
        # the agency's own name spelled out before them in a sentence; a dateline signs
        ("Imran Khan, chairman of the Pakistan Tehreek-e-Insaf (PTI), was held.", set()),
        ("The Press Trust of India (PTI) said the port reopened.", set()),
        ("NEW DELHI (PTI) The port reopened.", {"PTI"}),
        ("Islamabad, May 9 (PTI) The port reopened.", {"PTI"}),
        # a two-letter agency signing off a paragraph, in capitals only, and a portal's
        # notice that its text comes from a syndicated feed
        ("The port reopened. — AP", {"AP"}),
        ("The port reopened, he said — ap", set()),
        (
            "The port reopened.\n(This story has not been edited by NDTV staff and is "
            "published from a syndicated feed.)",
            {"a syndicated feed"},
        ),
        ("The syndicated feed of the port authority was down.", set()),
        # the Swiss agency in French, and an agency's byline title on a line of its own
        ("AUREL (Keystone-ATS) Le port a rouvert.", {"Keystone-SDA"}),
        ("By JANE DOE, AP Aerospace Writer\nThe port reopened.", {"AP"}),
        ("Associated Press Writer\nThe port reopened.", {"AP"}),
        # a dateline between bars, as Ugandan papers sign agency copy ("ACCRA, GHANA |
        # Xinhua | …"); a menu's bars around a name are no dateline
        ("AUREL, VALDORIA | Xinhua | The port reopened.", {"Xinhua"}),
        ("Home | Reuters | World\nThe port reopened.", set()),
        # a video site's "From Associated Press." line; "From" opening a sentence is none
        ("Port reopens\nFrom Associated Press.\nThe port reopened.", {"AP"}),
        ("From Reuters reports, the port reopened.", set()),
        # a sentence about a writer is no byline
        ("He worked as an AP writer for a decade.\nThe port reopened.", set()),
        ("The port reopened, the Reuters Science Writer said", set()),
        # the Japanese agencies' datelines, as nippon.com and The Japan News carry them
        ("Aurel, Aug. 14 (Jiji Press)--The port reopened.", {"Jiji Press"}),
        ("AUREL (Jiji Press)—The port reopened.", {"Jiji Press"}),
        ("AUREL (Kyodo) -- The port reopened.", {"Kyodo"}),
        ("Jiji Press reported that the port reopened.", set()),
        # two hyphens standing for a dash, as Rediff signs ANI's items; a hyphenated word
        # ending a line is none
        ("The port reopened, an officer said.    -- ANI", {"ANI"}),
        ("The port reopened.\n-- Reuters", {"Reuters"}),
        ("The port reopened to traffic from Chick-fil-A", set()),
    ],
)
def test_agency_signatures(text: str, expected: set[str]) -> None:
    """The agencies and syndication wires that sell text to other papers sign it; the
    list grew on 2026-12-05 (a station's "(NEXSTAR) -" copy, "(KUNA) --" on MENAFN) and
    2026-12-06 (Swissinfo's "(Keystone-ATS)", KYMA's "AP Aerospace Writer") and 2026-12-07
    ("(Jiji Press)--", "(Kyodo) --") and 2026-12-08 ("-- ANI"); a bracketed
    name the words before it spell out is a definition (2026-12-06: "Pakistan
    Tehreek-e-Insaf (PTI)" had signed Pakistani reports as Indian agency copy)."""
    assert signatures(text) == expected


def test_a_licensed_portals_copy_is_syndicated_from_the_outlet_not_scraped() -> None:
    """Issue 11: Yahoo News carries its partners' articles under licence; marked an
    aggregator, its verbatim copy of an outlet's text is still carriage, the outlet the
    author, and a scraper's copy beside it stays a scrape."""
    portal = dataclasses.replace(
        record("portal", ORIGIN, 1, kind="aggregator"), source="news.yahoo.com"
    )
    scraper = record("scraper", ORIGIN, 2, kind="aggregator")
    result = run([record("outlet", ORIGIN, 0), portal, scraper])
    assert result["outlet"].relation == "original"
    assert (result["portal"].relation, result["portal"].origin_id) == ("syndicated", "outlet")
    assert (result["scraper"].relation, result["scraper"].origin_id) == ("scraped", "outlet")
    alone = run([dataclasses.replace(portal, published=T0), scraper])
    assert alone["portal"].relation == "syndicated"  # a carrier, never the author by itself
    assert alone["scraper"].relation == "scraped"


def test_an_outlet_is_no_author_when_a_copy_of_its_text_credits_an_agency() -> None:
    """Issue 11: a paper runs AP copy without the credit line; a scraper's copy of the same
    text keeps "(AP)". The paper carries AP's text (syndicated, common source AP) and the
    scrape is taken from the paper, not the other way round."""
    body = ORIGIN.split(" — ", 1)[1]
    paper = record("paper", "LAHAINA, Hawaii — " + body, 0)
    scrape = record("scrape", "LAHAINA, Hawaii (AP) — " + body, 1, kind="aggregator")
    result = run([paper, scrape])
    assert (result["paper"].relation, result["paper"].origin_id) == ("syndicated", None)
    assert common_source_of(result["paper"].evidence) == "AP"
    assert (result["scrape"].relation, result["scrape"].origin_id) == ("scraped", "paper")
    # without the credit the paper is the only outlet with the text: its author
    uncredited = run([paper, record("scrape", "LAHAINA, Hawaii — " + body, 1, kind="aggregator")])
    assert uncredited["paper"].relation == "original"


def test_two_short_reports_of_one_bulletin_are_no_spin_of_each_other() -> None:
    """Issue 11 (the real set's Hurricane Milton flashes): a wire flash and a station's own
    report each retell one weather-centre advisory in two sentences. Two reworded sentences
    are too little to call one a spin of the other; a spin aligns three or more."""
    flash = (
        "Hurricane Orla made landfall near Port Dessel at 8:31 pm on Wednesday as a Category 3 "
        "storm, the Valdorian Weather Centre said.\n"
        "Orla was located about 115 miles southwest of Kelmar and 40 miles west of Brenna "
        "Falls, with maximum sustained winds of 120 mph, the forecaster said."
    )
    station = (
        "Orla has made landfall near Port Dessel as a dangerous Category 3 hurricane, the "
        "weather centre said in a statement late on Wednesday night.\n"
        "As of 9 pm, Orla was located about 20 miles south of Marlow Bay and 60 miles east of "
        "Kessen Harbour, with sustained winds of 120 mph and a pressure of 954 mb, the centre "
        "said."
    )
    result = run([record("flash", flash, 0), record("station", station, 1)])
    assert result["flash"].relation == "independent"
    assert result["station"].relation == "independent"
    # the spin fixture, as long as a real article, is still one
    spun = run([record("orig", ORIGIN, 0), record("spin", SPUN, 1, kind="aggregator")])
    assert (spun["spin"].relation, spun["spin"].origin_id) == ("spun", "orig")


def test_a_copy_cut_down_sentence_by_sentence_is_scraped_not_spun() -> None:
    """Issue 11 (the real set's allAfrica copy of a BBC report): a copy that trims a clause
    from most sentences keeps 85 % of their words and swaps almost none. It is an edited
    copy, not a spin."""
    edited = (
        "AUREL, Oct 14 — Hackers have crippled the computer network of eleven hospitals in "
        "northern Valdoria, forcing doctors back to paper records, health officials said.\n"
        "The attack on the Northern Valdoria Health Board was detected at 2:40 a.m. on Tuesday, "
        "when staff found they could no longer open patient files.\n"
        "A group calling itself Grey Lantern has claimed responsibility and is demanding 12 "
        "million crowns in cryptocurrency.\n"
        '"We will not pay criminals," Health Minister Pavla Surrel said.\n'
        "The board said 340 planned operations had been postponed across the region.\n"
        "Ruben Kask, director of the National Cyber Security Centre, said the attackers had "
        "entered through an outside supplier's account."
    )
    result = run([record("orig", ORIGIN, 0), record("copy", edited, 1, kind="aggregator")])
    assert (result["copy"].relation, result["copy"].origin_id) == ("scraped", "orig")


def test_a_scrape_with_a_few_house_style_edits_is_scraped_not_spun() -> None:
    """Issue 11: scrapers and carriers touch a word here and there (3 % of the words: tense,
    a synonym, a typo fixed); a spinner swaps far more (the real set's spins 15-29 %). Five
    edits in this text are no spin."""
    edited = ORIGIN
    for before, after in (
        ("postponing", "delaying"),
        ("detected", "discovered"),
        ("demanding", "seeking"),
        ("slowly", "slow"),
        ("belonging", "that belonged"),
    ):
        edited = edited.replace(before, after)
    result = run([record("orig", ORIGIN, 0), record("copy", edited, 1, kind="aggregator")])
    assert (result["copy"].relation, result["copy"].origin_id) == ("scraped", "orig")


def test_an_aggregators_verbatim_copy_is_scraped() -> None:
    result = run([record("orig", ORIGIN, 0), record("copy", ORIGIN, 1, kind="aggregator")])
    assert result["orig"].relation == "original"
    assert result["copy"].relation == "scraped"
    assert result["copy"].origin_id == "orig"
    assert result["copy"].score == pytest.approx(1.0)
    assert any("sentences align" in line for line in result["copy"].evidence)


def test_two_papers_carrying_one_agency_text_are_carriers_not_copies_of_each_other() -> None:
    """Issue 14: the regional paper's copy is an hour earlier, the national one credits the
    agency; the agency's page is not in the set. Neither is a scraper of the other, and the
    earlier is not promoted to origin by its timestamp."""
    credited = ORIGIN + "\n— Continental Press Agency"
    result = run([record("regional", ORIGIN, 0), record("national", credited, 1)])
    for key in ("regional", "national"):
        assert result[key].relation == "syndicated"
        assert result[key].origin_id is None
        assert "common source: Continental Press Agency" in result[key].evidence
    assert any("regional" in line for line in result["national"].evidence)


def test_papers_carrying_uncredited_dateline_copy_share_an_unnamed_source() -> None:
    result = run([record("a", ORIGIN, 0), record("b", ORIGIN, 0.5), record("c", ORIGIN, 3)])
    assert {p.relation for p in result.values()} == {"syndicated"}
    assert all(p.origin_id is None for p in result.values())
    assert "common source: an unnamed common source" in result["a"].evidence


def test_a_paper_adding_its_own_paragraphs_to_agency_copy_is_a_carrier() -> None:
    own = (
        "\nOur correspondent in Teller's Point spoke to nurses who had worked through the "
        "night by torchlight, writing every dose by hand on the back of old forms.\n"
        "The hospital's director said the paper records would be typed in once the "
        "network was restored, a task she expected to take weeks."
    )
    result = run([record("wire", ORIGIN, 0, kind="wire"), record("paper", ORIGIN + own, 1)])
    assert result["paper"].relation == "syndicated"
    assert result["paper"].origin_id == "wire"
    result = run([record("one", ORIGIN, 0), record("paper", ORIGIN + own, 1)])
    assert result["paper"].relation == "syndicated" and result["paper"].origin_id is None
    assert result["one"].relation == "syndicated" and result["one"].origin_id is None


def test_a_credit_naming_the_other_page_makes_it_the_origin() -> None:
    credited = ORIGIN + "\nThis article originally appeared in The Harbour Post."
    items = [record("partner", credited, 0), record("harbour", ORIGIN, 1)]
    items[1] = JudgeInput(**{**items[1].__dict__, "source": "The Harbour Post"})
    result = run(items)
    assert result["harbour"].relation == "original"
    assert result["partner"].relation == "syndicated"
    assert result["partner"].origin_id == "harbour"


def test_a_scrape_of_carried_text_points_at_the_carrier_it_matches() -> None:
    result = run(
        [
            record("north", ORIGIN, 0, title="Hackers cripple hospitals in the north"),
            record("south", ORIGIN, 1, title="Eleven hospitals hit by ransomware"),
            record(
                "farm", ORIGIN, 5, kind="aggregator", title="Eleven hospitals hit by ransomware"
            ),
        ]
    )
    assert result["farm"].relation == "scraped"
    assert result["farm"].origin_id == "south"  # the headline it kept
    assert result["north"].origin_id is None and result["south"].origin_id is None


def test_wire_text_carried_by_an_outlet_is_syndicated() -> None:
    result = run([record("wire", ORIGIN, 0, kind="wire"), record("paper", ORIGIN, 1)])
    assert result["wire"].relation == "original"
    assert result["paper"].relation == "syndicated"
    assert result["paper"].origin_id == "wire"


def test_an_agency_page_is_no_source_of_carriers_that_credit_another_agency() -> None:
    """Issue 11 (2026-12-06, the Enga landslide): United News of India's own page and papers
    carrying AP's report both retell the same broadcaster's figures, so their texts match.
    The papers credit AP, which says their text is not UNI's: they are AP's carriers, and
    UNI's page is no original of theirs. Where the carriers credit the agency itself, or
    name no agency ("a syndicated feed"), the agency's page stays their source."""
    ap_text = "VALDORIA (AP) — " + SPUN
    result = run(
        [
            record("uni", ORIGIN, 0, kind="wire"),
            record("paper1", ap_text, 1),
            record("paper2", SPUN, 2),
        ]
    )
    for paper in ("paper1", "paper2"):
        assert (result[paper].relation, result[paper].origin_id) == ("syndicated", None)
        assert common_source_of(result[paper].evidence) == "AP"
    assert result["uni"].relation != "original"
    crediting_it = run(
        [
            record("uni", ORIGIN, 0, kind="wire"),
            record("paper1", "VALDORIA (UNI) — " + SPUN, 1),
            record("paper2", SPUN, 2),
        ]
    )
    assert crediting_it["uni"].relation == "original"
    assert crediting_it["paper1"].origin_id == "uni"
    # a portal's "published from a syndicated feed" names no agency: UNI stays the source
    feed = SPUN + "\n(This story is published from a syndicated feed.)"
    unnamed = run(
        [
            record("uni", ORIGIN, 0, kind="wire"),
            record("paper1", feed, 1),
            record("paper2", SPUN, 2),
        ]
    )
    assert unnamed["uni"].relation == "original"
    assert unnamed["paper1"].origin_id == "uni"


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
    )
    assert result["bank"].relation == "independent"
    assert result["bank"].origin_id is None
    assert result["ind"].relation == "independent"  # same story, own words
    assert result["ind"].origin_id is None


def test_scrapes_with_no_writer_copy_an_absent_source_through_the_earliest() -> None:
    """Only farms carry the text: none of them wrote it (a farm does not write), so the
    earliest is the scrape of an absent source, never the original, and the others copy it."""
    items = [
        record("third", ORIGIN, 5, kind="aggregator"),
        record("first", ORIGIN, 0, kind="aggregator"),
        record("fourth", ORIGIN, 9, kind="aggregator"),
        record("second", ORIGIN, 2, kind="aggregator"),
    ]
    result = run(items)
    assert (result["first"].relation, result["first"].origin_id) == ("scraped", None)
    assert "none of the pages here wrote" in result["first"].evidence[0]
    assert common_source_of(result["first"].evidence) == "an unnamed common source"
    for key in ("second", "third", "fourth"):
        assert result[key].relation == "scraped"
        assert result[key].origin_id == "first"


def test_labels_do_not_depend_on_input_order_or_missing_dates() -> None:
    """The same pages in every order give the same labels; a farm's missing date does not
    make it the origin."""
    undated = JudgeInput(**{**record("farm", ORIGIN, 0, kind="aggregator").__dict__})
    undated = JudgeInput(**{**undated.__dict__, "published": None})
    spinner = JudgeInput(**{**record("spinner", SPUN, 0, kind="aggregator").__dict__})
    spinner = JudgeInput(**{**spinner.__dict__, "published": None})
    items = [undated, spinner, record("paper", ORIGIN, 3), record("ind", INDEPENDENT, 1)]
    seen = set()
    for order in itertools.permutations(range(len(items))):
        result = run([items[i] for i in order])
        seen.add(tuple(sorted((k, p.relation, p.origin_id) for k, p in result.items())))
    assert len(seen) == 1
    (labels,) = seen
    assert ("paper", "original", None) in labels
    assert ("farm", "scraped", "paper") in labels
    assert ("spinner", "spun", "paper") in labels
    assert ("ind", "independent", None) in labels


def test_an_article_with_a_copy_is_original_never_independent() -> None:
    result = run(
        [
            record("first", INDEPENDENT, 0),
            record("later", ORIGIN, 4),
            record("farm", SPUN, 6, kind="aggregator"),
        ],
    )
    assert result["later"].relation == "original"
    assert result["first"].relation == "independent"  # its story has a copy group
    assert result["farm"].origin_id == "later"


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
    result = run([record("orig", ORIGIN, 0), record("copy", ORIGIN, 1, kind="aggregator")])["copy"]
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
        # A sentence after a dash, and the items of a dashed list, are no sign-offs; a
        # sign-off on a line of its own between paragraphs still is.
        ("Body.\n- Australia last won the title in 2015.", set()),
        ("States that allow the strips:\n\n– Ohio\n\n— Kansas\n\n— Utah", set()),
        ("Body.\n\n— Northstar Times\n\nRelated coverage", {"Northstar Times"}),
    ],
)
def test_credit_lines(text: str, expected: set[str]) -> None:
    assert credit_lines(text) == expected


def test_copy_coverage_decides_how_much_must_align() -> None:
    partial = "\n".join(ORIGIN.splitlines()[:4] + UNRELATED.splitlines()[:2])
    items = [record("orig", ORIGIN, 0), record("part", partial, 1, kind="aggregator")]
    fps = [fingerprint(item.title, item.text) for item in items]
    loose = judge(items, fps, copy_coverage=0.5)[1]
    assert loose.relation == "scraped"
    assert loose.origin_id == "orig"
    strict = judge(items, fps, copy_coverage=0.9)[1]
    assert strict.origin_id is None
    # unlinked, the aggregator's page is read as a copy of a report outside the archive
    assert (strict.relation, strict.evidence) == ("spun", (LONE, LONE_REPUBLISHER))


def test_an_origin_older_than_the_window_is_not_looked_for() -> None:
    items = [record("orig", ORIGIN, 0), record("copy", ORIGIN, 24 * 10, kind="aggregator")]
    fps = [fingerprint(item.title, item.text) for item in items]
    inside = {p.id: p for p in judge(items, fps, window=timedelta(days=14))}
    assert inside["copy"].relation == "scraped" and inside["copy"].origin_id == "orig"
    outside = {p.id: p for p in judge(items, fps, window=timedelta(days=7))}
    assert outside["copy"].origin_id is None
    assert outside["copy"].evidence == (LONE, LONE_REPUBLISHER)
    assert outside["copy"].origin_id is None


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


def test_a_copy_with_its_word_order_changed_is_still_traced() -> None:
    """Issue 11: a spin that reorders clauses and adds function words, not only synonyms
    (a round-trip translation reads like this), is a copy: its facts keep their order."""
    rewrite = "\n".join(
        " ".join(reversed(sentence.split(", "))) if ", " in sentence else sentence + " indeed"
        for sentence in ORIGIN.splitlines()
    )
    result = run([record("a", ORIGIN, 0), record("b", rewrite, 3, kind="aggregator")])
    assert (result["b"].relation, result["b"].origin_id) == ("spun", "a")
    assert result["a"].relation == "original"


# A rewrite of every sentence in the origin's order (an AI paraphrase, a heavy spin): about half
# of each sentence's words survive, against 0.6 for the looser paraphrase test alone.
REWRITE = """\
AUREL, Oct 14 — On Wednesday health officials said that eleven hospitals in northern \
Valdoria had their computer systems knocked out by an attack, so doctors went back to paper \
and hundreds of operations that were planned had to wait.
Staff of Teller's Point General Hospital noticed the attack on the Northern Valdoria Health \
Board around 2:40 a.m. on Tuesday, as suddenly nobody there could open the files of patients.
Behind it, by its own claim, is a gang named Grey Lantern, which asks for 12 million crowns \
in cryptocurrency and says the data of patients goes public should the board refuse by Friday.
"We will not pay criminals," said Health Minister Pavla Surrel, adding: "Patient care is \
continuing, more slowly and on paper."
Across the region 340 planned operations as well as some 2,000 appointments for outpatients \
were pushed back, the board reported.
In the view of Ruben Kask, who runs the National Cyber Security Centre, the attackers came in \
by way of an account for remote access that an outside supplier held."""


def test_a_sentence_by_sentence_rewrite_in_the_origins_order_is_traced() -> None:
    """Issue 11: farms' AI rewrites keep every sentence's place while changing half its words;
    the order of the sentences, not their wording, shows the copy."""
    result = run([record("a", ORIGIN, 0), record("b", REWRITE, 3, kind="aggregator")])
    assert (result["b"].relation, result["b"].origin_id) == ("spun", "a")


def test_a_loose_match_alone_never_calls_an_outlets_page_a_spin() -> None:
    """Issue 11: an outlet's own report that follows another's facts in order, in other
    words, is what a loose match finds too; calling an outlet a spinner on that alone is
    the error that reads as an accusation. The farm's same rewrite is still traced."""
    result = run([record("a", ORIGIN, 0), record("b", REWRITE, 3)])
    assert (result["b"].relation, result["b"].origin_id) == ("independent", None)
    assert result["b"].evidence[0].startswith("an outlet's own report")
    assert result["b"].evidence[0].endswith(" a")  # says what it shares, and with whom
    # a farm scraping the rewrite makes it the larger version; the first outlet, linked to
    # it only loosely, is still accused of nothing, and the farm copied the rewrite
    farm = record("c", REWRITE, 4, kind="aggregator")
    result = run([record("a", ORIGIN, 0), record("b", REWRITE, 3), farm])
    assert (result["a"].relation, result["a"].origin_id) == ("independent", None)
    assert (result["c"].relation, result["c"].origin_id) == ("scraped", "b")
    # with the followed text an agency's, the rewrite's version hangs off the agency's page:
    # the outlet's rewrite stays its own, and the farm's copy of it is a scrape of it
    result = run([record("a", ORIGIN, 0, kind="wire"), record("b", REWRITE, 3), farm])
    assert (result["b"].relation, result["b"].origin_id) == ("independent", None)
    assert (result["c"].relation, result["c"].origin_id) == ("scraped", "b")


def test_a_loose_match_leaves_an_outlets_page_signed_as_agency_copy_a_carrier() -> None:
    """Issue 11 (real case, a sealed part: WFTV's "ACCRA, Ghana — (AP) —" write-through of
    a helicopter crash, linked only loosely to a farm's rewording of an earlier AP take):
    an outlet's page that a loose match alone ties to a text is its own report, unless it
    signs its text as an agency's copy. Then it carries that agency's text, as a lone page
    signed so does, and is accused of nothing."""
    signed = "AUREL, Valdoria (AP) — " + REWRITE.split(" — ", 1)[1]
    carriers = [record("a", ORIGIN, 0), record("c", ORIGIN, 1)]  # an earlier take, uncredited
    result = run([*carriers, record("b", signed, 3)])
    assert (result["b"].relation, result["b"].origin_id) == ("syndicated", None)
    assert result["b"].evidence == ("signs its text as AP copy", "common source: AP")
    assert result["a"].relation == result["c"].relation == "syndicated"
    # unsigned, the same page stays the outlet's own report
    result = run([*carriers, record("b", REWRITE, 3)])
    assert (result["b"].relation, result["b"].origin_id) == ("independent", None)


def test_an_outlets_verbatim_copy_of_a_signed_page_beside_a_loose_match_carries_it_too() -> None:
    """The real case's shape (a sealed part, the Ghana helicopter crash): papers carry AP's
    earlier take; a farm's rewording is linked to it and, loosely, to WFTV's signed
    write-through, which another paper carries word for word without the dateline. Both
    papers carry AP's text; neither is an outlet's own report."""
    from byline.judge import provenance

    signed = "AUREL, Valdoria (AP) — " + REWRITE.split(" — ", 1)[1]
    records = [
        record("a", ORIGIN, 0),
        record("c", ORIGIN, 1),
        record("e", ORIGIN, 1.5),
        record("f", REWRITE, 2, kind="aggregator"),
        record("b", signed, 3),
        record("d", REWRITE, 4),
    ]
    members = [
        provenance._Item(i, r, fingerprint(r.title, r.text), frozenset())
        for i, r in enumerate(records)
    ]
    links = [
        provenance._Link(0, 1, "verbatim", 1.0),
        provenance._Link(1, 2, "verbatim", 1.0),
        provenance._Link(2, 3, "loose", 0.5),
        provenance._Link(3, 4, "loose", 0.5),
        provenance._Link(4, 5, "verbatim", 0.9),
    ]
    roles = provenance._judge_group(members, links)
    assert roles[3].relation == "spun"  # the farm's rewording of the carried take
    assert (roles[4].relation, roles[4].note) == (
        "syndicated",
        ("signs its text as AP copy", "common source: AP"),
    )
    assert (roles[5].relation, roles[5].note) == (
        "syndicated",
        ("carries the same text as b, which signs it as AP copy", "common source: AP"),
    )
    # the copy on another page of the signing outlet's own site: still its carriage, said so
    same_site = dataclasses.replace(records[5], source="b")
    roles = provenance._judge_group(
        [*members[:5], dataclasses.replace(members[5], record=same_site)], links
    )
    assert roles[5].note[0] == "carries the same text as b, which signs it as AP copy"
    # without the dateline, the two papers' text is their own report
    members[4] = dataclasses.replace(members[4], record=records[5])
    roles = provenance._judge_group(members, links)
    assert roles[4].relation == roles[5].relation == "independent"


def test_a_loose_match_that_names_the_other_outlet_as_its_reporter_is_a_spin() -> None:
    """Issue 11 (real case: Naija News retelling Daily Trust's Kuriga report, "According to
    reports from Daily Trust, …"): the loose match alone is too weak to accuse an outlet, but
    the page's own words say whose report it retold, so it is that report's spun copy."""
    herald = dataclasses.replace(record("aurelherald.com", ORIGIN, 0), id="herald")
    lines = REWRITE.splitlines()
    lines[1] = "According to reports from The Aurel Herald, s" + lines[1][1:]
    retold = dataclasses.replace(record("valdorianow.com", "\n".join(lines), 3), id="retold")
    judged = run([retold, herald])
    assert (judged["retold"].relation, judged["retold"].origin_id) == ("spun", "herald")
    assert "its sentences name aurelherald.com as the reporter" in judged["retold"].evidence
    # the same page naming an outlet that is not the other's is still the outlet's own report
    lines[1] = "According to reports from The Ostrovia Times, s" + REWRITE.splitlines()[1][1:]
    other = dataclasses.replace(retold, text="\n".join(lines))
    judged = run([other, herald])
    assert (judged["retold"].relation, judged["retold"].origin_id) == ("independent", None)


def test_the_same_rewritten_sentences_told_in_another_order_are_no_copy() -> None:
    """The looser wording the ordered test accepts is no evidence once the order is the
    writer's own."""
    lines = REWRITE.splitlines()
    shuffled = "\n".join(lines[i] for i in (3, 5, 1, 4, 0, 2))
    result = run([record("a", ORIGIN, 0), record("b", shuffled, 3)])
    assert result["b"].relation == "independent" and result["b"].origin_id is None


def test_a_report_in_its_own_words_is_not_a_copy_even_with_shared_facts() -> None:
    """The same minister, gang and numbers, in another order and other sentences: no copy
    (the false copy the paraphrase test must not make)."""
    result = run([record("a", ORIGIN, 0), record("b", INDEPENDENT, 3)])
    assert result["b"].relation == "independent" and result["b"].origin_id is None


def _incremental(
    stored: list[JudgeInput], new: list[JudgeInput]
) -> tuple[dict[str, Provenance], dict[str, Provenance]]:
    """Judge ``stored`` first, then ``new`` against them as ``byline fetch`` does."""
    fps = {i.id: fingerprint(i.title, i.text) for i in stored + new}
    first = {p.id: p for p in judge(stored, [fps[i.id] for i in stored])}
    judged = judge_incremental(
        [(i, fps[i.id], "s") for i in stored],
        [(i, fps[i.id]) for i in new],
        context_origins=[first[i.id].origin_id for i in stored],
    )
    return {p.id: p for p in judged.provenance}, {p.id: p for p in judged.revised}


def test_judging_new_articles_against_stored_ones_matches_judging_everything() -> None:
    items = [
        record("wire", ORIGIN, 0, kind="wire"),
        record("paper", ORIGIN + "\n— Continental Press Agency", 1),
        record("indep", INDEPENDENT, 2),
        record("farm", "World News\n" + SPUN + "\nSource link", 5, kind="aggregator"),
    ]
    fps = [fingerprint(i.title, i.text) for i in items]
    full = {p.id: p for p in judge(items, fps)}
    new, revised = _incremental(items[:3], items[3:])
    assert (new["farm"].relation, new["farm"].origin_id) == ("spun", "wire")
    assert (new["farm"].relation, new["farm"].origin_id) == (
        full["farm"].relation,
        full["farm"].origin_id,
    )
    assert "indep" not in revised  # shares no text: never judged again
    for key, label in revised.items():
        assert (label.relation, label.origin_id) == (full[key].relation, full[key].origin_id)


def test_a_stored_page_signed_as_agency_copy_is_not_revised_by_an_unrelated_arrival() -> None:
    """A lone page's label (independent, or syndicated from the agency it signs) is settled:
    a new article that shares a line with it, but no copy, does not revise it."""
    signed = "LAHAINA, Hawaii (AP) — " + ORIGIN.split(" — ", 1)[1]
    quote = next(line for line in ORIGIN.splitlines() if line.startswith('"We will not pay'))
    report = UNRELATED + "\n" + quote  # one shared line: a candidate, no copy
    new, revised = _incremental([record("paper", signed, 0)], [record("other", report, 2)])
    assert new["other"].relation == "independent"
    assert revised == {}


def test_an_origin_that_arrives_after_its_scrape_revises_the_stored_label() -> None:
    """A farm's undated scrape was stored first (and, alone, looked like an original); the
    paper it copied arrives later. The stored scrape is judged again and points at it."""
    farm = JudgeInput(**{**record("farm", ORIGIN, 0, kind="aggregator").__dict__})
    new, revised = _incremental([farm], [record("paper", ORIGIN, 2)])
    assert new["paper"].relation == "original"
    assert (revised["farm"].relation, revised["farm"].origin_id) == ("scraped", "paper")


def test_related_finds_only_the_stored_articles_a_new_one_may_join() -> None:
    stored = [
        record("paper", ORIGIN, 0),
        record("farm", ORIGIN, 1, kind="aggregator"),
        record("bank", UNRELATED, 2, title="Central bank raises rates"),
    ]
    fps = [fingerprint(i.title, i.text) for i in stored]
    known = [(stored[0], fps[0], None), (stored[1], fps[1], "paper"), (stored[2], fps[2], None)]
    spinner = record("spinner", SPUN, 3, kind="aggregator")
    assert related(known, [(spinner, fingerprint(spinner.title, spinner.text))]) == [0, 1]
    assert related(known, []) == []
    lone = run([record("only", UNRELATED, 0)])["only"]
    assert lone.evidence == (LONE,)


SPANISH = """\
AUREL, 14 de octubre — Unos piratas informáticos han paralizado la red de once hospitales \
del norte de Valdoria, y los médicos han vuelto a los registros en papel.
El ataque contra la Northern Valdoria Health Board se detectó a las 2:40 del martes en el \
hospital Teller's Point General.
Un grupo que se hace llamar Grey Lantern reivindicó el ataque y exige 12 millones de coronas \
en criptomonedas.
"No pagaremos a delincuentes", dijo la ministra de Sanidad, Pavla Surrel.
La junta aplazó 340 operaciones y unas 2,000 citas en la región.
Ruben Kask, director del National Cyber Security Centre, dijo que los atacantes entraron por \
la cuenta de un proveedor externo."""


def test_a_translation_is_traced_by_its_facts_in_order() -> None:
    """Issue 11: a copy in another language shares no words but keeps the names, numbers
    and quotes in the origin's order."""
    result = run([record("a", ORIGIN, 0), record("es", SPANISH, 5, kind="aggregator")])
    assert (result["es"].relation, result["es"].origin_id) == ("spun", "a")
    assert any("in another language" in line for line in result["es"].evidence)
    # The same facts in English, in the outlet's own words, are no translation.
    result = run([record("a", ORIGIN, 0), record("b", INDEPENDENT, 3)])
    assert result["b"].origin_id is None


def test_the_index_holds_one_window_of_dated_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long stream: the candidate index forgets dated articles that fall out of the window
    (memory holds one window's articles, and the undated ones), and copies inside the window
    are still found."""
    from byline.judge import provenance

    largest = [0]

    class Watched(provenance._Candidates):
        def add(self, item: provenance._Item, keys: Fingerprint | None = None) -> None:
            super().add(item, keys)
            largest[0] = max(largest[0], len(self.live))

    monkeypatch.setattr(provenance, "_Candidates", Watched)
    items = [
        record(f"a{day:02d}", f"{UNRELATED} Day {day} of the series, report {day * 7}.", day * 24)
        for day in range(30)
    ]
    items.append(JudgeInput(**{**record("farm", ORIGIN, 0, kind="aggregator").__dict__}))
    items[-1] = JudgeInput(**{**items[-1].__dict__, "published": None})
    items.append(record("paper", ORIGIN, 29 * 24))
    fps = [fingerprint(i.title, i.text) for i in items]
    result = {p.id: p for p in judge(items, fps, window=timedelta(days=3))}
    assert largest[0] <= 4 + 1 + 1  # today and 3 days back, the undated farm, the paper
    assert (result["farm"].relation, result["farm"].origin_id) == ("scraped", "paper")


# Two outlets' own reports of one announcement, both quoting the statement whole (project
# written, fictional). The real case: two Nigerian papers quoting the secret police's tweet.
STATEMENT = (
    "“The Directorate of State Security hereby confirms that Mr Tomas Verel, the suspended "
    "governor of the Valdorian central bank, is now in its custody for investigative reasons.\n"
    "“The public, particularly the media, is enjoined to apply utmost caution in the reporting "
    "and narratives concerning this.”"
)
REPORT_A = (
    "The Directorate of State Security has confirmed that the suspended central bank governor "
    "Tomas Verel is in its custody.\n"
    f"{STATEMENT}\n"
    "President Anna Kulle suspended Verel on Friday night pending an inquiry into the bank's "
    "foreign exchange policy, the Aurel Herald reports.\n"
    "Deputy governor Mira Oslen will act in his place until the inquiry ends."
)
REPORT_B = (
    "The Directorate of State Security has finally confirmed that Tomas Verel, the suspended "
    "central bank governor, is in its custody.\n"
    "The agency had said hours earlier that it was not holding him.\n"
    f"{STATEMENT}\n"
    "Verel's lawyers said they had not been told where he was held or on what grounds.\n"
    "Details later."
)


def _reports(*texts: tuple[str, str, str]) -> list[JudgeInput]:
    return [
        JudgeInput(
            id=ident,
            url=f"https://{source}/{ident}",
            source=source,
            title="Verel in custody",
            text=text,
            published=T0 + timedelta(hours=n),
        )
        for n, (ident, source, text) in enumerate(texts)
    ]


def test_a_quotation_two_reports_share_is_not_counted_as_copied_text() -> None:
    b_in_a = align(REPORT_A, REPORT_B)
    assert b_in_a.shared_quotations
    assert b_in_a.copy_aligned_words / b_in_a.copy_words > COPY_COVERAGE  # counted as before
    assert b_in_a.copy_coverage < COPY_COVERAGE  # without the statement they share little
    items = _reports(("a", "herald.example", REPORT_A), ("b", "courier.example", REPORT_B))
    judged = judge(items, [fingerprint(i.title, i.text) for i in items])
    assert [(p.relation, p.origin_id) for p in judged] == [("independent", None)] * 2


def test_a_scrape_of_a_report_with_quotations_is_still_a_copy() -> None:
    items = _reports(
        ("a", "herald.example", REPORT_A),
        ("s", "newsfarm.example", REPORT_A + "\nSource link"),
    )
    items[1] = dataclasses.replace(items[1], source_kind="aggregator")
    judged = {p.id: p for p in judge(items, [fingerprint(i.title, i.text) for i in items])}
    assert (judged["s"].relation, judged["s"].origin_id) == ("scraped", "a")
    assert judged["a"].relation == "original"
    assert "quotations both carry not counted" in judged["s"].evidence[0]


def test_a_report_quoting_the_statement_at_length_is_still_its_own() -> None:
    """A short report that is more than half the statement (a local paper's, with two lines
    of its own) shares only the quotation with another report: no copy."""
    short = (
        "Tomas Verel is in custody, the security service said on Saturday.\n"
        f"{STATEMENT}\n"
        "His lawyers have not been told where he is held."
    )
    in_a = align(REPORT_A, short)
    assert 0.5 < in_a.quoted_words / in_a.copy_words < 0.75
    assert in_a.shared_quotations and in_a.copy_coverage < COPY_COVERAGE
    items = _reports(("a", "herald.example", REPORT_A), ("b", "gazette.example", short))
    judged = judge(items, [fingerprint(i.title, i.text) for i in items])
    assert [(p.relation, p.origin_id) for p in judged] == [("independent", None)] * 2


def test_a_statement_printed_whole_keeps_its_quotations() -> None:
    printed = align(STATEMENT, STATEMENT + "\nSource link")
    assert not printed.shared_quotations
    assert printed.copy_coverage > 0.9


def test_attributions_name_the_outlets_a_text_says_reported_it() -> None:
    text = (
        "Daily Trust gathered that the attack began at 8:20am.\n"
        "A resident, Lawal Kuriga, also told The Aurel Herald that dozens were taken.\n"
        "PUNCH reports that the governor was suspended on Friday.\n"
        "Police said the search was continuing. Unconfirmed reports emerged late on Friday."
    )
    found = attributions(text)
    assert {"Daily Trust", "The Aurel Herald", "PUNCH"} <= found
    assert not any(name.startswith("Police") for name in found)  # "said" is no news verb
    assert all("\n" not in name and ". " not in name for name in found)
    more = (
        "As reported by Aurel Daily, the outlaws attacked a school.\n"
        "According to reports from The Valdoria Post, the head teacher was taken.\n"
        "Another resident informed Ostrovia Today that the victims were moved.\n"
        "Northern Courier newspaper also reported the attack."
    )
    assert attributions(more) == {
        "Aurel Daily",
        "The Valdoria Post",
        "Ostrovia Today",
        "Northern Courier",
    }  # and not "As", the word before "reported by"


def test_attributions_read_the_reporter_named_after_the_verb() -> None:
    """An agency's style: "…, reported Geo News." names the outlet after the verb."""
    text = (
        "The chief justice summoned the police chief within 15 minutes, reported Aurel News.\n"
        "The court adjourned, reported by the Valdoria Post. Officials said no one was hurt."
    )
    assert attributions(text) == {"Aurel News", "the Valdoria Post"}


PAPER_REPORT = """\
AUREL: Former prime minister Tomas Varga has been arrested by the anti-graft bureau at the \
High Court in Aurel, the Aurel Herald reported on Tuesday.
Varga was taken into custody in the land trust case by border guards at the court, where he \
had gone to seek bail in several cases registered against him.
He was driven away in a black van by the security agency.
The chief of the capital police confirmed the arrest and said that the situation was under \
control.
The chief justice of the High Court took notice of the arrest and summoned the capital police \
chief and the interior secretary within fifteen minutes.
He also directed the deputy attorney general to appear before the court and instructed him to \
find out at once who was behind the arrest.
"""
CARRIED = (
    "He also directed the deputy attorney general to appear before the court and instructed "
    "him to find out at once who was behind the arrest.",
    "Varga was taken into custody in the land trust case by border guards at the court, where "
    "he had gone to seek bail in several cases registered against him.",
)
AGENCY_REWRITE = (
    "The Aurel Herald said on Tuesday that the chief justice of the High Court took notice of "
    "the arrest of former prime minister Tomas Varga outside the court and summoned the "
    "capital police chief and the interior secretary.\n"
    f"{CARRIED[0]}\n{CARRIED[1]}\n"
    "In a statement, the chief of the capital police said Varga had been arrested in the land "
    "trust case and that the situation was under control.\n"
)


def _linked(a: str, b: str) -> bool:
    x, y = record("paper", a, 0), record("agency", b, 2)
    return linked(x, fingerprint(x.title, a), y, fingerprint(y.title, b))


def test_a_copy_carrying_whole_sentences_and_rewording_the_rest_is_one_text() -> None:
    """An agency's rewrite of a paper's report: two sentences word for word, the rest
    reworded and reordered (mean ratio below the verbatim mark, facts out of order, so
    neither the verbatim nor the paraphrase test links them). The sentences carried whole
    make it one text."""
    assert align(PAPER_REPORT, AGENCY_REWRITE).mean_ratio < 0.9
    assert _linked(PAPER_REPORT, AGENCY_REWRITE)


def test_two_reports_sharing_only_quoted_sentences_are_not_one_text() -> None:
    """The same two sentences inside quotation marks are a statement both quote, not text
    one carried from the other."""
    quoted = AGENCY_REWRITE
    for sentence in CARRIED:
        quoted = quoted.replace(sentence, f"\u201c{sentence}\u201d")
    assert not _linked(PAPER_REPORT, quoted)


def test_a_carried_sentence_with_a_short_quoted_phrase_still_counts() -> None:
    """A sentence is a quotation when most of its letters stand inside the marks, as the
    coverage count reads it (``align.quoted_sentences``): a few quoted words inside a
    carried sentence leave it the copy's own."""
    phrase = "who was behind the arrest"
    paper, copy = (
        text.replace(phrase, "who was behind \u201cthis unlawful arrest\u201d")
        for text in (PAPER_REPORT, AGENCY_REWRITE)
    )
    assert paper != PAPER_REPORT and copy != AGENCY_REWRITE
    assert _linked(paper, copy)


def test_carried_sentences_inside_a_longer_quotation_are_quoted() -> None:
    """Sentences in the middle of a quotation that runs over several sentences hold no mark
    of their own; they are still the statement both texts quote."""
    paper, copy = PAPER_REPORT, AGENCY_REWRITE
    statement = f"\u201cWe ask the court to act. {CARRIED[0]} {CARRIED[1]} We will not rest.\u201d"
    copy = copy.replace(f"{CARRIED[0]}\n{CARRIED[1]}", statement)
    assert all(sentence in paper for sentence in CARRIED)
    paper = paper.replace(CARRIED[1], "").replace(CARRIED[0], statement)
    assert statement in copy
    assert not _linked(paper, copy)


@pytest.mark.parametrize(
    ("credit", "source", "names"),
    [
        ("Geo News", "geo.tv", True),
        ("PUNCH", "punchng.com", True),
        ("Daily Trust", "dailytrust.com", True),
        ("The Guardian", "theguardian.com", True),
        ("CNN International", "cnn.com", True),
        ("ABC7", "abc7.com", True),
        ("the Times", "nytimes.com", False),
        ("Post", "dailypost.ng", False),
        ("AP", "apnews.com", False),  # too short to tell
        # an agency's language edition, read without its first label
        ("Kyodo", "english.kyodonews.net", True),
        ("CNN International", "edition.cnn.com", True),
        ("Post", "news.dailypost.ng", False),
    ],
)
def test_a_credit_names_a_source_when_one_name_leads_the_other(
    credit: str, source: str, names: bool
) -> None:
    assert names_source(credit, source) is names


def test_a_rewording_that_names_its_source_outlet_points_to_it_whatever_the_dates() -> None:
    """A farm's reworded page, dated, names the outlet it took the report from ("The Aurel
    Herald reports that …"); the outlet's own page has no date. Dates would make the farm the
    origin; the attribution says otherwise (the real case: Daily Trust's Kuriga report)."""
    lines = SPUN.splitlines()
    lines[1] = "The Aurel Herald reports that " + lines[1][0].lower() + lines[1][1:]
    herald = dataclasses.replace(record("aurelherald.com", ORIGIN, 0), id="herald", published=None)
    farm = dataclasses.replace(record("valdorianow.com", "\n".join(lines), 1), id="farm")
    judged = run([farm, herald])
    assert (judged["farm"].relation, judged["farm"].origin_id) == ("spun", "herald")
    assert judged["herald"].relation == "original"


def test_a_name_in_brackets_closing_a_lone_text_makes_it_a_carrier() -> None:
    """ "… remained silent. (BBC)": a site signing what it took from the BBC; an abbreviation
    spelled out before it, a photo credit, "(sic)" or "(VIDEO)" credits nobody."""
    signed = lone("x", "lagosdaily.example", "The jury delivered its verdicts. (BBC)")
    assert signed.relation == "syndicated"
    assert common_source_of(signed.evidence) == "BBC"
    for text in (
        "He joined the Pakistan Tehreek-e-Insaf (PTI)",
        "The scene after the fire (Getty Images)",
        "It was, he wrote, a disaster (sic)",
        "The ships queued all day (VIDEO)",
    ):
        assert lone("x", "paper.example", text).relation == "independent", text
    assert lone("x", "bbc.co.uk", "The jury delivered its verdicts. (BBC)").relation == (
        "independent"
    )  # its own name


def test_a_name_in_brackets_opening_a_lone_text_makes_it_a_carrier() -> None:
    """ "AUREL (CNN) —": a station carrying its network's copy, the name in the dateline that
    opens the text (a headline line may come first), as CNN's affiliates sign it. On the
    network's own page it is its own name; a name spelled out before it, a word in mixed
    case, a label in capitals ("(VIDEO)"), or a bracket later in the text signs nothing."""
    for text in (
        "(VNN) — The port reopened on Monday.",
        "AUREL, Valdoria (VNN) - The port reopened on Monday.",
        "Port reopens\n\nAUREL (VNN) — The port reopened on Monday.",
    ):
        signed = lone("x", "kvnn13.example", text)
        assert signed.relation == "syndicated", text
        assert common_source_of(signed.evidence) == "VNN"
    assert lone("x", "vnn.example", "AUREL (VNN) — The port reopened.").relation == (
        "independent"
    )  # its own name
    for text in (
        "The Valdoria News Network (VNN) — its board met on Monday.",
        "AUREL (Photo) — The port reopened on Monday.",
        "(VIDEO) — The port reopened on Monday.",
        "AUREL (UPDATE) - The port reopened on Monday.",
        "The port reopened on Monday, officials said.\nShips queued (VNN) — all day.",
    ):
        assert lone("x", "paper.example", text).relation == "independent", text


def test_an_aggregators_page_sharing_no_text_reads_as_a_reworded_copy() -> None:
    """An aggregator's page that no page here carries is read as a reworded copy of a
    report outside the archive, with no origin and the evidence saying why; an outlet's is
    an independent report, a licensed portal's too, and an aggregator's signed agency copy
    stays a carrier."""
    text = "The mayor spoke to reporters outside the flooded town hall on Monday."
    farm = lone("x", "newsfarm.example", text, "aggregator")
    assert (farm.relation, farm.origin_id) == ("spun", None)
    assert farm.evidence == (LONE, LONE_REPUBLISHER)
    assert is_lone(farm)
    assert lone("x", "paper.example", text, "outlet").relation == "independent"
    assert lone("x", "news.yahoo.com", text, "aggregator").relation == "independent"
    templated = f"{text}\nSource link\nRelated Articles"
    assert lone("x", "paper.example", templated, "outlet").relation == "spun"
    signed = lone("x", "newsfarm.example", f"LAHAINA, Hawaii (AP) — {text}", "aggregator")
    assert (signed.relation, common_source_of(signed.evidence)) == ("syndicated", "AP")


def test_judge_reads_an_aggregators_lone_page_by_its_kind() -> None:
    """``judge`` hands each record's kind to ``lone``: the same lone text is an outlet's
    report and an aggregator's copy."""
    text = "The mayor spoke to reporters outside the flooded town hall on Monday."
    outlet = dataclasses.replace(record("paper.example", text, 0), id="outlet")
    farm = dataclasses.replace(
        record("newsfarm.example", ORIGIN, 1), id="farm", source_kind="aggregator"
    )
    judged = run([outlet, farm])
    assert judged["outlet"].relation == "independent"
    assert (judged["farm"].relation, judged["farm"].evidence) == ("spun", (LONE, LONE_REPUBLISHER))


def test_with_an_agency_on_its_own_line_signs_agency_copy() -> None:
    assert signatures('The tree was felled overnight.\n"We are appalled."\nwith AP') == {"AP"}
    assert signatures("Police said.\n— with AAP") == {"AAP"}
    assert signatures("Officials met with AP reporters on Monday.") == set()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.dailymail.co.uk/wires/aap/article-12723555/Optus-outage.html", "AAP"),
        ("https://kvia.com/news/ap-national/2024/03/22/gunmen-fire-at-crowds/", "AP"),
        ("https://www.kob.com/sports-stories/ap-olympics/andy-murray-retires/", "AP"),
        ("https://afn.net/ap/world/thousands-feared-dead-in-libyan-floods/", "AP"),
        ("https://japannews.yomiuri.co.jp/news-services/ap/20231212-155159", "AP"),
        ("https://www.dailymail.co.uk/wires/reuters/article-13144847/Blast.html", "Reuters"),
        ("https://www.dailymail.co.uk/wires/pa/article-13552071/Sutherland-dies.html", "PA Media"),
        (
            "https://www.latestly.com/agency-news/world-news-fire-at-a-nightclub.html",
            SYNDICATED_FEED,
        ),
        ("https://abcnews.go.com/International/wireStory/quake-strikes-106443", SYNDICATED_FEED),
        # the slug is the page's own, never a section: an article may be about the AP
        ("https://www.independent.co.uk/news/ap-cdc-pennsylvania-b2354039.html", None),
        ("https://paper.example/news/reuters-cuts-jobs", None),
        # "app", "pa" and "uni" are sections of other things
        ("https://paper.example/app/news/story-1", None),
        ("https://paper.example/news/pa/harrisburg-budget-vote", None),
        ("https://paper.example/world/2024/05/01/story", None),
        ("", None),
    ],
)
def test_wire_sections_of_an_address(url: str, expected: str | None) -> None:
    assert wire_section(url) == expected


def test_a_lone_page_filed_in_a_wire_section_carries_that_agencys_copy() -> None:
    """Issue 11 (the real set's tuning half): the Daily Mail files AAP copy under
    "/wires/aap/" with no credit in the text; shared with no other page, and on a site marked
    an aggregator, it read as a reworded copy. The address says whose copy it is; a slug
    naming an agency says nothing, and an agency's own section is no carriage."""
    text = "The mayor spoke to reporters outside the flooded town hall on Monday."
    wires = "https://www.dailymail.co.uk/wires/aap/article-1/Flood.html"
    filed = lone("x", "dailymail.co.uk", text, "aggregator", wires)
    assert (filed.relation, filed.origin_id) == ("syndicated", None)
    assert common_source_of(filed.evidence) == "AAP"
    assert any("wire section" in line for line in filed.evidence)
    feed = lone("x", "latestly.com", text, "aggregator", "https://latestly.com/agency-news/x.html")
    assert (feed.relation, common_source_of(feed.evidence)) == ("syndicated", SYNDICATED_FEED)
    slug = "https://paper.example/news/ap-reporter-honoured-b1.html"
    assert lone("x", "paper.example", text, "outlet", slug).relation == "independent"
    own = lone("x", "aap.com.au", text, "wire", "https://aap.com.au/aap/news/flood/")
    assert own.relation == "independent"  # the agency's own report
    # ``judge`` hands each record's address to ``lone``
    item = dataclasses.replace(record("dailymail.co.uk", text, 0), id="dm", url=wires)
    assert run([item])["dm"].relation == "syndicated"


def test_a_paper_whose_text_a_rewording_signs_as_agency_copy_is_no_author() -> None:
    """Issue 11 (the real set's tuning half: Reuters copy in The Straits Times, AP copy in
    The Asahi Shimbun, Bloomberg's in The Age, PTI's in India TV, each the only outlet with
    the text and crediting nobody, while a rewording of it signs it "(Reuters)"): the paper
    carries the agency's text, named as the common source, and the rewording stays a spin
    of the paper's page. Unsigned, the rewording leaves the paper the author; signed with
    the page's own outlet's name, it says that outlet wrote it."""
    body = ORIGIN.split(" — ", 1)[1]
    paper = record("paper", "LAHAINA, Hawaii — " + body, 0)
    signed = record("spinner", SPUN + "\n— Reuters", 2, kind="aggregator")
    result = run([paper, signed])
    assert (result["paper"].relation, result["paper"].origin_id) == ("syndicated", None)
    assert common_source_of(result["paper"].evidence) == "Reuters"
    assert "signs it as Reuters copy" in result["paper"].evidence[0]
    assert (result["spinner"].relation, result["spinner"].origin_id) == ("spun", "paper")
    unsigned = run([paper, record("spinner", SPUN, 2, kind="aggregator")])
    assert unsigned["paper"].relation == "original"
    agency = dataclasses.replace(paper, source="reuters.com")  # signed with its own name
    assert run([agency, signed])["paper"].relation == "original"
