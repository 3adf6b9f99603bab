from byline.news.store import Snapshot, change_summary

BEFORE = Snapshot("Council approves the bridge", "A vote of seven to four.", "a" * 32, 400)


def test_nothing_changed_is_no_summary() -> None:
    assert change_summary(BEFORE, BEFORE) == ""


def test_a_headline_edit() -> None:
    after = Snapshot("Council halts the bridge", BEFORE.standfirst, BEFORE.text_hash, 400)
    assert change_summary(BEFORE, after) == "headline changed"


def test_several_parts_are_listed_with_the_word_counts() -> None:
    after = Snapshot(BEFORE.title, "A vote of eight to three.", "b" * 32, 430)
    assert change_summary(BEFORE, after) == "standfirst and text changed (400 → 430 words)"
    everything = Snapshot("Council halts the bridge", "", "c" * 32, 400)
    assert change_summary(BEFORE, everything) == "headline, standfirst and text changed"
