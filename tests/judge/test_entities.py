"""Named entities: spaCy's mentions mapped to three kinds, cleaned and folded per article."""

from __future__ import annotations

from byline.judge.entities import (
    KINDS,
    Entity,
    clean_name,
    entities_from_mentions,
    extract,
    extract_many,
)

TEXT = (
    "AUREL — Health Minister Pavla Surrel said on Tuesday that Valdoria would not pay the "
    "ransom. Surrel spoke after the Northern Valdoria Health Board confirmed the attack on "
    "eleven hospitals. The European Union offered help, and Microsoft said it was "
    "investigating. Surrel later flew to Berlin."
)


def test_labels_map_to_three_kinds_and_the_rest_is_dropped() -> None:
    found = entities_from_mentions(
        [
            ("PERSON", "Pavla Surrel"),
            ("GPE", "Valdoria"),
            ("LOC", "the Ardent Sea"),
            ("ORG", "the Health Board"),
            ("NORP", "Valdorians"),
            ("DATE", "Tuesday"),
            ("FAC", "Teller's Point Bridge"),
        ]
    )
    assert {(e.kind, e.name) for e in found} == {
        ("PERSON", "Pavla Surrel"),
        ("PLACE", "Valdoria"),
        ("PLACE", "Ardent Sea"),
        ("ORG", "Health Board"),
    }
    assert {e.kind for e in found} <= set(KINDS)


def test_names_are_cleaned() -> None:
    assert clean_name("the  Senate") == "Senate"
    assert clean_name("Trump's") == "Trump"
    assert clean_name("Obama’s") == "Obama"
    assert clean_name("“Grey Lantern”,") == "Grey Lantern"
    assert entities_from_mentions([("ORG", "2024"), ("PERSON", "x"), ("ORG", "lowercase")]) == ()


def test_a_surname_folds_into_the_one_full_name_and_counts_its_mentions() -> None:
    found = entities_from_mentions(
        [("PERSON", "Barack Obama"), ("PERSON", "Obama"), ("ORG", "Obama"), ("GPE", "Iowa")]
    )
    assert found[0] == Entity("PERSON", "Barack Obama", 3)
    assert found[1] == Entity("PLACE", "Iowa", 1)


def test_suffixes_and_first_names_fold_too() -> None:
    mentions = [("PERSON", "Cesar Sayoc Jr."), ("PERSON", "Sayoc"), ("PERSON", "Patrick Shanahan")]
    mentions += [("PERSON", "Patrick"), ("GPE", "Shanahan")]
    found = entities_from_mentions(mentions)
    assert [(e.name, e.mentions) for e in found] == [
        ("Patrick Shanahan", 3),
        ("Cesar Sayoc Jr", 2),
    ]


def test_an_ambiguous_surname_stays_as_it_is() -> None:
    found = entities_from_mentions(
        [("PERSON", "Bill Clinton"), ("PERSON", "Hillary Clinton"), ("PERSON", "Clinton")]
    )
    assert {e.name for e in found} == {"Bill Clinton", "Hillary Clinton", "Clinton"}


def test_a_one_word_org_that_is_also_a_person_becomes_the_person() -> None:
    found = entities_from_mentions([("PERSON", "Trump"), ("ORG", "Trump"), ("ORG", "Senate")])
    assert found == (Entity("PERSON", "Trump", 2), Entity("ORG", "Senate", 1))


def test_most_mentioned_first_then_first_seen() -> None:
    found = entities_from_mentions(
        [("GPE", "Aurel"), ("ORG", "Health Board"), ("ORG", "Health Board"), ("GPE", "Berlin")]
    )
    assert [e.name for e in found] == ["Health Board", "Aurel", "Berlin"]
    assert found[0].key == "ORG:Health Board"


def test_the_model_finds_people_places_and_organisations() -> None:
    found = extract("Valdoria refuses ransom", TEXT)
    keys = {e.key for e in found}
    assert "PERSON:Pavla Surrel" in keys
    assert "PLACE:Berlin" in keys
    assert "ORG:European Union" in keys or "ORG:Microsoft" in keys
    surrel = next(e for e in found if e.name == "Pavla Surrel")
    assert surrel.mentions >= 2  # "Surrel" alone folds into the full name
    assert "PERSON:Surrel" not in keys
    assert all(e.kind in KINDS for e in found)


def test_batches_give_the_same_answer_as_one_at_a_time() -> None:
    pairs = [("One", TEXT), ("Two", "The Ostrovian central bank raised rates in Port Ardent.")]
    assert extract_many(pairs) == [extract(*pair) for pair in pairs]


def test_the_headline_is_read_only_without_text() -> None:
    assert extract("Michael Steele Criticized for Afghanistan Comments", "") != ()
    titled = extract("Zanzibar Qxq Headline", "Nothing to see here.")
    assert all("Qxq" not in e.name for e in titled)
