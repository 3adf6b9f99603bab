"""Stories by meaning (``BYLINE_STORY_EMBEDDINGS``): the headline-and-lead embedding reaches
the story engine in both judging paths, each text is encoded once per process, and a missing
``ml`` extra is a clear error when the settings are read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from byline.config import load
from byline.errors import MissingExtra
from byline.judge import embeddings
from byline.judge.fingerprint import fingerprint
from byline.judge.stories import StoryIndex
from byline.pipeline import JudgeParams, judge, judge_incremental
from byline.records import JudgeInput

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)

# Two reports of one (fictional) event that share no content word, and a third on another
# event: apart by their words, one story by their meaning.
FERRY_A = JudgeInput(
    id="a",
    url="https://one.example/ferry",
    source="one.example",
    title="Ferry capsizes off Valdoria coast",
    text="A passenger ferry capsized near the harbour of Port Lenn on Monday morning.",
    published=T0,
)
FERRY_B = JudgeInput(
    id="b",
    url="https://two.example/boat",
    source="two.example",
    title="Vessel overturns near island",
    text="Rescuers pulled dozens of travellers from cold water after a boat rolled over.",
    published=T0 + timedelta(hours=2),
)
BUDGET = JudgeInput(
    id="c",
    url="https://three.example/budget",
    source="three.example",
    title="Parliament passes spending plan",
    text="Lawmakers approved the annual budget after a long night of debate.",
    published=T0 + timedelta(hours=3),
)


class MeaningEncoder:
    """A stand-in for the model: texts about the ferry share one direction, every other
    text its own. It counts the texts it is asked to encode."""

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded.extend(texts)
        rows = np.zeros((len(texts), 8), dtype=np.float32)
        for i, text in enumerate(texts):
            lowered = text.lower()
            if any(w in lowered for w in ("ferry", "vessel", "boat")):
                rows[i, 0] = 1.0
            else:
                rows[i, 1 + sum(map(ord, text)) % 7] = 1.0
        return rows


@pytest.fixture
def encoder(monkeypatch: pytest.MonkeyPatch) -> Iterator[MeaningEncoder]:
    fake = MeaningEncoder()
    embeddings.clear_cache()
    monkeypatch.setattr(embeddings, "encoder", lambda: fake)
    yield fake
    embeddings.clear_cache()


def _stories(params: JudgeParams) -> dict[str, str]:
    return {a.id: a.story for a in judge([FERRY_A, FERRY_B, BUDGET], params=params).stories}


def test_stories_by_meaning_join_reports_that_share_no_word(encoder: MeaningEncoder) -> None:
    plain = _stories(JudgeParams())
    assert plain["a"] != plain["b"]  # no shared word: two stories by words alone
    assert encoder.encoded == []  # off: the model is never asked
    by_meaning = _stories(JudgeParams(story_embeddings=True))
    assert by_meaning["a"] == by_meaning["b"]
    assert by_meaning["c"] not in (by_meaning["a"], by_meaning["b"])


def test_incremental_judging_reads_the_context_by_meaning_too(encoder: MeaningEncoder) -> None:
    stale = JudgeInput(
        id="old",
        url="https://one.example/old",
        source="one.example",
        title="Harbour reopens after storm",
        text="The old harbour of Port Lenn reopened to shipping after a winter storm.",
        published=T0 - timedelta(days=10),  # outside every new article's story window
    )
    context = [
        (stale, fingerprint(stale.title, stale.text), "3"),
        (FERRY_A, fingerprint(FERRY_A.title, FERRY_A.text), "7"),
    ]
    new = [(i, fingerprint(i.title, i.text)) for i in (FERRY_B, BUDGET)]
    plain = judge_incremental(context, new, JudgeParams())
    assert [a.story for a in plain.stories] == ["new-1", "new-2"]
    on = JudgeParams(story_embeddings=True)
    judged = judge_incremental(context, new, on)
    assert [a.story for a in judged.stories] == ["7", "new-1"]
    # judged again with the same context, nothing is encoded a second time
    count = len(encoder.encoded)
    assert judge_incremental(context, new, on).stories == judged.stories
    assert len(encoder.encoded) == count == 3
    assert not any("winter storm" in text for text in encoder.encoded)  # never encoded


def test_the_cache_keeps_the_newest_texts(
    encoder: MeaningEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embeddings, "CACHE_SIZE", 2)
    first = embeddings.cached(["one ferry", "two", "three"])
    assert len(first) == 3 and first[0][0] == pytest.approx(1.0)
    assert embeddings.cached(["three", "two"]) == [first[2], first[1]]
    assert encoder.encoded == ["one ferry", "two", "three"]
    embeddings.cached(["one ferry"])  # forgotten: encoded again
    assert encoder.encoded[-1] == "one ferry"


def test_a_missing_ml_extra_is_named_when_the_settings_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(embeddings, "available", lambda: False)
    assert JudgeParams.from_config(load({})).story_embeddings is False
    with pytest.raises(MissingExtra, match=r"byline\[ml\]"):
        JudgeParams.from_config(load({"BYLINE_STORY_EMBEDDINGS": "true"}))
    with pytest.raises(MissingExtra, match=r"byline\[ml\]"):
        JudgeParams.from_config(load({"BYLINE_EMBEDDINGS": "true"}))


@pytest.mark.skipif(embeddings.available(), reason="the ml extra is installed here")
def test_byline_run_stops_at_once_without_the_ml_extra(tmp_path: Path) -> None:
    """A real ``byline run`` process: it neither serves nor fetches, and says what to
    install."""
    env = {
        **os.environ,
        "BYLINE_DATA_DIR": str(tmp_path),
        "BYLINE_STORY_EMBEDDINGS": "true",
        "DATABASE_URL": "",
    }
    done = subprocess.run(
        [sys.executable, "-m", "byline", "run", "--port", "0", "--no-fetch"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "pip install 'byline[ml]'" in done.stderr
    assert "serving" not in done.stdout


@pytest.mark.skipif(not embeddings.available(), reason="needs the ml extra")
def test_the_real_model_brings_two_wordings_of_one_event_closer() -> None:
    """With the model itself (all-MiniLM-L6-v2, from the installed package): the embedding
    raises the similarity of two wordings of one event, and lowers that of two events."""
    embeddings.clear_cache()
    boat = JudgeInput(
        id="d",
        url="https://four.example/boat",
        source="four.example",
        title="Boat capsizes near Valdoria harbour",
        text="A vessel carrying passengers overturned on Monday morning close to the port.",
        published=T0 + timedelta(hours=1),
    )
    items = [FERRY_A, boat, BUDGET]
    fps = [fingerprint(i.title, i.text) for i in items]
    plain = JudgeParams().story_features(items, fps)
    on = JudgeParams(story_embeddings=True)
    meant = on.story_features(items, fps)
    assert all(f.embedding is None for f in plain)
    assert all(f.embedding is not None and len(f.embedding) == 384 for f in meant)
    words = StoryIndex(prior_docs=0.0)
    meaning = StoryIndex(prior_docs=0.0, weights=on.story_weights())
    assert meaning.similarity(meant[0], meant[1]) > words.similarity(plain[0], plain[1])
    assert meaning.similarity(meant[0], meant[2]) < words.similarity(plain[0], plain[2]) + 1e-9


def test_the_local_batch_engine_groups_stories_by_meaning_too(
    encoder: MeaningEncoder, tmp_path: Path
) -> None:
    from byline.batch.local import run_local
    from byline.batch.rows import ARTICLES_SCHEMA, columns
    from byline.batch.stages import MapOptions
    from byline.batch.steps import BatchParams

    path = tmp_path / "records.jsonl"
    path.write_text(
        "".join(json.dumps(i.to_json()) + "\n" for i in (FERRY_A, FERRY_B, BUDGET)),
        encoding="utf-8",
    )
    names = columns(ARTICLES_SCHEMA)
    key, story = names.index("id"), names.index("story")

    def stories_of(params: BatchParams) -> dict[str, str]:
        tables, _ = run_local([str(path)], params, MapOptions())
        return {row[key]: row[story] for row in tables.articles}

    plain = stories_of(BatchParams())
    assert plain["a"] != plain["b"]
    by_meaning = stories_of(BatchParams(story_embeddings=True))
    assert by_meaning["a"] == by_meaning["b"] != by_meaning["c"]
