"""Precision of the entity extractor (``byline.judge.entities``) on 30 BASIL articles
labelled by hand.

The sample is every tenth article of BASIL in file order (30 articles, all three outlets,
2010-2019). For each, the extractor's output (people, places and organisations named in the
first 200 words) was judged by hand on 2026-11-30, reading each mention in its sentence: an
entity is **right** when it names a real person, place or organisation of the kind given
(short forms such as "Obama", "Conn" or "the Times" count; a dateline "WASHINGTON" is a
place), and **wrong** when the span is not a name ("His Hat", "Facing Congress"), is cut or
merged ("John" + "McLaughlin"; "NBC News/Wall Street Journal"), is a thing of another sort (a
law, a TV show, a dog, a turkey called Mac) or has the wrong kind ("Twitter" as a person,
"Capitol Hill" as an organisation, "F.B.I." as a place). Uncertain cases were counted
wrong. Only the labels are kept here, never the articles' text.

Precision = right / (right + wrong) over the labelled entities the extractor returns now;
an entity it returns that was never labelled (the extractor changed since) is listed and
left out, so the figure can be refreshed honestly by labelling those. There is no recall
figure: that would need every name in the texts labelled.

Run from the repository root: ``.venv/bin/python bench/clustering_entities.py``.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "basil"

if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from bench.clustering_streams import load_basil  # noqa: E402
from byline.judge import entities  # noqa: E402

# article id: (entities judged right, entities judged wrong), as "KIND:Name"
LABELS: dict[str, tuple[list[str], list[str]]] = {
    "2b95d2cf-e979-4f9c-ae27-9a5370934f23_1": (
        [
            "PERSON:Michael Steele",
            "PLACE:Afghanistan",
            "PLACE:United States",
            "PERSON:Obama",
            "PLACE:WASHINGTON",
            "ORG:Republican National Committee",
            "PLACE:Connecticut",
            "PLACE:Iraq",
            "PLACE:America",
        ],
        [],
    ),
    "6b541575-99b1-40d2-8730-9bb868ee38ed_2": (
        ["PERSON:Bob Etheridge", "PLACE:North Carolina", "PERSON:Obama", "ORG:House"],
        [],
    ),
    "85475456-f38e-4c30-895d-ca2c819c6af1_3": (
        [
            "PERSON:Richard Blumenthal",
            "PLACE:Vietnam",
            "ORG:Times",
            "PLACE:HARTFORD",
            "PLACE:Conn",
            "PLACE:Connecticut",
            "ORG:U.S. Senate",
            "ORG:New York Times",
            "PLACE:Norwalk",
            "PLACE:Afghanistan",
            "PLACE:Iraq",
            "ORG:United States Senate",
            "ORG:Marine Reserve",
        ],
        [],
    ),
    "005a2961-0c2e-4575-8eec-770ba52a08e0_1": (
        [
            "PERSON:Donald Trump",
            "PLACE:Arizona",
            "PERSON:Obama",
            "ORG:Tea Party",
            "PLACE:Manhattan",
            "PLACE:New York",
            "PERSON:Carl Seel",
            "PERSON:Meredith Vieira",
            "PLACE:Hawaii",
        ],
        ["ORG:NBC News/Wall Street Journal"],
    ),
    "2153fb3e-6b09-410c-bfea-d095c49a54ba_2": (
        [
            "PERSON:Jay Carney",
            "ORG:House",
            "PLACE:U.S",
            "PERSON:Obama",
            "PLACE:Washington",
            "PLACE:D.C",
            "ORG:White House",
            "ORG:Congress",
        ],
        ["ORG:American Jobs Act"],
    ),
    "576116e5-2b18-4d35-be73-36f5863c9468_3": (
        [
            "ORG:AARP",
            "ORG:Wall Street Journal",
            "PERSON:George W. Bush",
            "PERSON:Barry Rand",
            "PERSON:David Certner",
            "ORG:Fox News",
        ],
        ["ORG:Social Security"],
    ),
    "08bb9bee-c167-4c17-9c6d-4a1259231eb7_1": (
        [
            "PERSON:Mitt Romney",
            "PERSON:Todd Akin",
            "ORG:Senate",
            "PLACE:Missouri",
            "PLACE:HOUSTON",
            "PLACE:Tampa",
            "PLACE:Fla",
            "ORG:Republican Party",
            "PERSON:John Ashcroft",
            "PERSON:Kit Bond",
            "PERSON:John Danforth",
            "PERSON:Jim Talent",
        ],
        [],
    ),
    "450755dd-30d3-478b-933e-917be5c384ba_2": (
        [
            "PERSON:Mike Huckabee",
            "PLACE:Arkansas",
            "PERSON:Kim Severson",
            "PERSON:Robbie Brown",
            "PLACE:Atlanta",
            "PERSON:Dan T. Cathy",
            "PLACE:Boston",
            "PLACE:Chicago",
        ],
        ["PLACE:Chick", "ORG:Chick"],
    ),
    "b4dbeda7-a1f3-4711-ae77-db23809d1ed2_3": (
        [
            "PLACE:Israel",
            "PLACE:Iran",
            "PERSON:Benjamin Netanyahu",
            "PLACE:Middle East",
            "PLACE:Florida",
            "PERSON:Obama",
            "PERSON:Mitt Romney",
            "ORG:Secure America Now",
            "PERSON:Nelson Warfield",
            "PERSON:Pat Caddell",
            "PERSON:Jimmy Carter",
            "ORG:Fox News",
        ],
        ["PLACE:Homeland", "PERSON:John", "PERSON:McLaughlin"],
    ),
    "11c9f251-35c8-4452-b052-df9be61464c6_1": (
        [
            "PERSON:Mary Cheney",
            "PERSON:Liz Cheney",
            "PLACE:Wyoming",
            "PERSON:Dick Cheney",
            "PERSON:Cheney",
            "PERSON:Mike Enzi",
        ],
        ["ORG:Wyoming Senate"],
    ),
    "68748e7f-cf6e-4ac7-8504-454c0876880d_2": (
        [
            "ORG:Senate",
            "ORG:National Rifle Association",
            "PLACE:Arkansas",
            "PERSON:Hutchinson",
            "PLACE:Mississippi",
        ],
        ["PERSON:Labrador"],
    ),
    "9879bbc0-eab3-482f-bf6b-a4b519393986_3": (
        [
            "PLACE:Libya",
            "PERSON:Hillary Rodham Clinton",
            "ORG:State Department",
            "PLACE:United States",
            "PLACE:Benghazi",
            "ORG:Senate",
            "ORG:House",
            "ORG:Congress",
            "PLACE:Washington",
            "PERSON:Obama",
        ],
        ["ORG:Facing Congress", "PERSON:Clinton Defends", "PERSON:Andrews"],
    ),
    "22b6e900-4826-4b09-a9f8-5d7afe46e78b_1": (
        [
            "PERSON:Bruce Braley",
            "PERSON:Chuck Grassley",
            "ORG:Senate Judiciary Committee",
            "PERSON:Tom Harkin",
            "PLACE:Texas",
            "PLACE:Iowa",
            "ORG:America Rising",
            "PERSON:Mark Jacobs",
            "ORG:Des Moines Register",
            "ORG:Quad-City Times",
            "ORG:Republican Party",
        ],
        [],
    ),
    "96b7046f-f584-422f-a626-6f86a26dfd8b_2": (
        [
            "ORG:Congress",
            "PERSON:Barack Obama",
            "PERSON:Elizabeth Lauten",
            "PERSON:Sasha Obama",
            "PERSON:Stephen Fincher",
            "PERSON:Obama",
        ],
        ["PLACE:Malia", "PERSON:Mac"],
    ),
    "ccf19ab6-7878-4378-b99c-2b08cc21371f_3": (
        [
            "PERSON:Kevin McCarthy",
            "ORG:House",
            "ORG:House of Representatives",
            "PLACE:Bakersfield",
            "PLACE:Calif",
            "ORG:GOP",
            "PLACE:U.S",
            "PLACE:United States",
        ],
        [],
    ),
    "13792511-5142-449f-8d3e-d77d790f65ec_1": (
        [
            "PLACE:New Jersey",
            "PERSON:Chris Christie",
            "PLACE:Livingston",
            "ORG:Washington Post",
            "PERSON:Robert Costa",
            "ORG:GOP",
            "PLACE:Florida",
            "PERSON:Jeb Bush",
            "PERSON:Maggie Haberman",
            "ORG:New York Times",
            "PERSON:Christie",
        ],
        ["PERSON:NJ Gov Chris Christie", "PERSON:His Hat", "ORG:Christie today", "ORG:Christie"],
    ),
    "4f473faf-f928-4cfd-8bed-00578be9db9a_2": (
        [
            "PLACE:Indiana",
            "PERSON:Jay Inslee",
            "PERSON:Ed Murray",
            "PLACE:Seattle",
            "PLACE:Wash",
            "PLACE:America",
            "PLACE:Washington",
        ],
        [],
    ),
    "8dac6c12-b5ca-468c-a249-7e0ab42f6b52_3": (
        [
            "PERSON:Hillary Clinton",
            "PERSON:Barack Obama",
            "ORG:House",
            "PERSON:Nancy Pelosi",
            "PLACE:America",
            "PLACE:Iowa",
            "ORG:Congress",
        ],
        ["ORG:Capitol Hill"],
    ),
    "1b96a5db-8974-46d3-82d7-5dfef02f650e_1": (
        [
            "PERSON:Obama",
            "ORG:Congress",
            "PLACE:Saudi Arabia",
            "ORG:Senate",
            "ORG:House",
            "PERSON:Nancy Pelosi",
            "PLACE:California",
        ],
        [],
    ),
    "76810849-0335-4ad3-9eaf-f0d9c5baceb6_2": (
        ["PERSON:Obama", "PLACE:WASHINGTON"],
        [],
    ),
    "8385a996-1afc-4778-a06d-7070a8f19e27_3": (
        [
            "PERSON:Donald Trump",
            "PERSON:Ruth Bader Ginsburg",
            "ORG:Supreme Court",
            "ORG:GOP",
            "ORG:U.S. Supreme Court",
            "ORG:New York Times",
            "ORG:CNN",
        ],
        ["PERSON:Twitter"],
    ),
    "0c78e748-efbf-417c-a8c1-beeb6480147f_1": (
        [
            "PERSON:Trump",
            "PERSON:Michael T. Flynn",
            "PLACE:WASHINGTON",
            "PERSON:Hillary Clinton",
            "PERSON:Robert S. Mueller III",
            "PLACE:Russia",
            "PLACE:Utah",
        ],
        ["PLACE:F.B.I"],
    ),
    "58f414e5-a122-49f5-819e-512d91069da5_2": (
        [
            "PERSON:Steve Scalise",
            "PERSON:Ivanka Trump",
            "PLACE:WASHINGTON",
            "ORG:House of Representatives",
            "PERSON:Chuck Schumer",
            "ORG:Senate",
            "PERSON:Nancy Pelosi",
            "ORG:House",
            "ORG:Louisiana State University",
        ],
        [],
    ),
    "be026bd1-52b1-4789-bfd3-3632af17b054_3": (
        [
            "PERSON:Roy S. Moore",
            "PLACE:Alabama",
            "ORG:Washington Post",
            "ORG:Post",
            "ORG:Senate",
            "ORG:Supreme Court",
            "ORG:National Democrat Party",
            "PERSON:Doug Jones",
        ],
        [],
    ),
    "01c59743-7082-44fc-8414-3c04126f470f_1": (
        [
            "PERSON:Trump",
            "PERSON:James Mattis",
            "PERSON:Patrick Shanahan",
            "ORG:Boeing",
            "ORG:White House",
            "ORG:Pentagon",
            "ORG:Cabinet",
        ],
        ["ORG:Defense", "ORG:Department"],
    ),
    "1f99798f-2b60-4ecb-b5f4-4aa7991e8ace_2": (
        [
            "PERSON:Cesar Sayoc Jr",
            "PLACE:Miami",
            "PERSON:Trump",
            "PLACE:Aventura",
            "PLACE:Fla",
            "PLACE:Florida",
            "ORG:Florida Department of Law Enforcement",
            "PLACE:New York",
        ],
        [],
    ),
    "ad409798-ee94-4436-92c5-92669193be14_3": (
        ["PERSON:Donald Trump", "ORG:CNN", "ORG:MSNBC", "PERSON:Alex Jones"],
        ["PERSON:Twitter", "PERSON:Infowars"],
    ),
    "0d10341a-9dba-4374-a524-814c300d1611_1": (
        ["PERSON:Trump", "ORG:White House", "ORG:Congress", "PLACE:Rose Garden"],
        [],
    ),
    "3ae35b16-7f7f-4a5e-9f24-5ce724106a73_2": (
        ["PERSON:Trump", "PLACE:Rose Garden", "ORG:Supreme Court"],
        [],
    ),
    "aab91277-8d56-4844-a581-45630f873f49_3": (
        [
            "PERSON:Roger Stone",
            "PERSON:Donald Trump",
            "ORG:FBI",
            "PERSON:Richard Nixon",
            "PERSON:Robert Mueller",
            "PLACE:Fort Lauderdale",
            "PLACE:Florida",
            "ORG:CNN",
            "PERSON:Kristin Davis",
            "PLACE:Manhattan",
            "ORG:Washington Post",
            "PERSON:Manuel Roig-Franzia",
            "PLACE:New York City",
            "PERSON:Ronald Reagan",
            "PERSON:Bob Dole",
        ],
        ["ORG:Julian Assange"],
    ),
}


def sample(folder: Path) -> list[tuple[str, str, str]]:
    """(id, headline, text) of every tenth BASIL article."""
    items, _, _ = load_basil(folder)
    return [(item.id, item.title, item.text) for item in items[::10]]


def main() -> int:
    if not (DEFAULT_DATA / "articles").is_dir():
        print(f"skipped: BASIL data {DEFAULT_DATA} not found")
        return 0
    articles = sample(DEFAULT_DATA)
    started = time.perf_counter()
    found = entities.extract_many([(title, text) for _, title, text in articles])
    seconds = time.perf_counter() - started
    right: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    unlabelled = []
    for (article_id, _, _), extracted in zip(articles, found, strict=True):
        good, bad = LABELS.get(article_id, ([], []))
        for entity in extracted:
            if entity.key in good:
                right[entity.kind] += 1
            elif entity.key in bad:
                wrong[entity.kind] += 1
            else:
                unlabelled.append(f"{article_id}: {entity.key}")
    print(f"Entities, {len(articles)} BASIL articles labelled by hand\n")
    print("| Kind | Right | Wrong | Precision |")
    print("|---|--:|--:|--:|")
    for kind in (*entities.KINDS, "all"):
        r = sum(right.values()) if kind == "all" else right[kind]
        w = sum(wrong.values()) if kind == "all" else wrong[kind]
        print(f"| {kind} | {r} | {w} | {r / (r + w) if r + w else 0:.3f} |")
    print(f"\nExtraction speed: {len(articles) / seconds:.1f} articles/s (model loading included)")
    if unlabelled:
        print(f"\n{len(unlabelled)} entities returned now were never labelled (left out):")
        print("\n".join(unlabelled))
    print("\nCommand: `.venv/bin/python bench/clustering_entities.py`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
