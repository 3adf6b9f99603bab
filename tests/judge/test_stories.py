"""Story assignment: reports of one event join, other events start new stories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from byline.judge.fingerprint import fingerprint
from byline.judge.stories import StoryIndex, cluster, publication_order, story_members
from byline.records import JudgeInput

T0 = datetime(2026, 10, 14, 6, 0, tzinfo=UTC)

HACK_A = (
    "Hackers have crippled the computer network of eleven hospitals in northern Valdoria, "
    "forcing doctors back to paper records and postponing hundreds of planned operations. "
    "The attack on the Northern Valdoria Health Board was detected on Tuesday at Teller's Point "
    "General Hospital. A group calling itself Grey Lantern is demanding 12 million crowns. "
    '"We will not pay criminals," Health Minister Pavla Surrel said.'
)
HACK_B = (
    "Valdoria will not pay a ransom to the Grey Lantern gang that paralysed the computer "
    "systems of 11 northern hospitals, Health Minister Pavla Surrel said on Wednesday. Surrel "
    "said every emergency patient was still being treated, while 340 operations were put off. "
    "The ransomware spread across the servers of the Northern Valdoria Health Board within "
    "hours, locking laboratory systems at Teller's Point General Hospital."
)
BANK = (
    "The Ostrovian central bank raised its main interest rate by half a percentage point on "
    "Thursday, its third increase this year, as inflation stayed stubbornly high. Governor Elin "
    "Straum said the bank was ready to act again if prices kept rising faster than wages. "
    "Shares in the largest lenders rose, while the crown strengthened against the euro."
)
HACK_TITLE = "Ransomware attack cripples northern Valdoria hospitals"


def record(key: str, text: str, hours: float | None, title: str = HACK_TITLE) -> JudgeInput:
    published = None if hours is None else T0 + timedelta(hours=hours)
    return JudgeInput(id=key, url="", source=key, title=title, text=text, published=published)


def run(
    items: list[JudgeInput], window: timedelta = timedelta(hours=96), threshold: float | None = None
) -> dict[str, str]:
    fps = [fingerprint(item.title, item.text) for item in items]
    if threshold is None:
        result = cluster(items, fps, window=window)
    else:
        result = cluster(items, fps, window=window, threshold=threshold)
    assert [a.id for a in result] == [item.id for item in items]  # input order
    return {a.id: a.story for a in result}


def test_two_reports_of_one_event_join() -> None:
    stories = run(
        [
            record("a", HACK_A, 0),
            record("b", HACK_B, 3, "Valdoria refuses ransom after hospital cyberattack"),
        ]
    )
    assert stories == {"a": "a", "b": "a"}


def test_a_different_event_starts_a_new_story() -> None:
    stories = run(
        [
            record("a", HACK_A, 0),
            record("bank", BANK, 1, "Central bank raises interest rates again"),
            record("b", HACK_B, 3, "Valdoria refuses ransom after hospital cyberattack"),
        ]
    )
    assert stories == {"a": "a", "bank": "bank", "b": "a"}


def test_time_window_splits_same_topic_far_apart() -> None:
    items = [record("early", HACK_A, 0), record("late", HACK_A.replace("Tuesday", "Monday"), 240)]
    assert run(items) == {"early": "early", "late": "late"}
    assert run(items, window=timedelta(days=11)) == {"early": "early", "late": "early"}


def test_window_works_backwards_too_when_input_is_out_of_order() -> None:
    items = [record("late", HACK_B, 300), record("early", HACK_A, 0)]
    assert run(items) == {"late": "late", "early": "early"}


def test_story_id_is_the_first_published_article_whatever_the_input_order() -> None:
    items = [
        record("b", HACK_B, 3, "Valdoria refuses ransom after hospital cyberattack"),
        record("bank", BANK, 1, "Central bank raises interest rates again"),
        record("a", HACK_A, 0),
    ]
    fps = [fingerprint(item.title, item.text) for item in items]
    result = cluster(items, fps)
    assert [a.id for a in result] == ["b", "bank", "a"]
    assert [a.story for a in result] == ["a", "bank", "a"]
    assert result[0].score > result[1].score
    assert story_members(result) == {"a": ["b", "a"], "bank": ["bank"]}


def test_threshold_controls_joining() -> None:
    items = [
        record("a", HACK_A, 0),
        record("b", HACK_B, 3, "Valdoria refuses ransom after hospital cyberattack"),
    ]
    assert run(items, threshold=0.99) == {"a": "a", "b": "b"}


def test_undated_articles_go_last_in_input_order() -> None:
    items = [record("x", HACK_A, None), record("y", HACK_A, 5), record("z", BANK, None)]
    assert publication_order(items) == [1, 0, 2]
    stories = run(items)
    assert stories["x"] == "y"  # undated: the window does not apply
    assert stories["z"] == "z"


def test_story_index_seeded_with_existing_stories() -> None:
    index = StoryIndex()
    index.add("old", fingerprint(HACK_TITLE, HACK_A), T0, "story-7")
    joined = index.assign("new", fingerprint("Valdoria refuses ransom", HACK_B), T0)
    assert joined.story == "story-7"
    fresh = index.assign("bank", fingerprint("Rates rise", BANK), T0)
    assert fresh.story == "new-1"
    assert fresh.score < index.threshold
