"""Stories by meaning in the service (``BYLINE_STORY_EMBEDDINGS``): a judged article's
headline-and-lead vector is stored with it, and later judging, in another process, reads it
instead of encoding the text again; a changed text is encoded afresh."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.conftest import make_config
from tests.judge.test_story_embeddings import BUDGET, FERRY_A, FERRY_B, MeaningEncoder

from byline.config import Config
from byline.importer import import_paths
from byline.judge import embeddings
from byline.news.models import Article
from byline.records import JudgeInput

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def encoder(monkeypatch: pytest.MonkeyPatch) -> Iterator[MeaningEncoder]:
    fake = MeaningEncoder()
    embeddings.clear_cache()
    monkeypatch.setattr(embeddings, "encoder", lambda: fake)
    monkeypatch.setattr(embeddings, "available", lambda: True)
    yield fake
    embeddings.clear_cache()


def _write(path: Path, *items: JudgeInput) -> Path:
    path.write_text("".join(json.dumps(i.to_json()) + "\n" for i in items), encoding="utf-8")
    return path


def _story_of(url: str) -> int | None:
    return Article.objects.get(url=url).story_id


def test_stored_vectors_spare_the_next_process_its_encoding(
    encoder: MeaningEncoder, tmp_path: Path
) -> None:
    config: Config = make_config(tmp_path / "data", story_embeddings=True)
    import_paths(config, [_write(tmp_path / "first.jsonl", FERRY_A)], "Wire", "outlet")
    first = Article.objects.get(url=FERRY_A.url)
    assert first.story_vector is not None and len(bytes(first.story_vector)) > 16
    assert len(encoder.encoded) == 1

    embeddings.clear_cache()  # a new process: nothing in memory
    later = _write(tmp_path / "later.jsonl", FERRY_B, BUDGET)
    import_paths(config, [later], "Wire", "outlet")
    assert len(encoder.encoded) == 3  # the two new texts; the first article's was read back
    assert not any("Port Lenn" in text for text in encoder.encoded[1:])
    assert _story_of(FERRY_B.url) == _story_of(FERRY_A.url) != _story_of(BUDGET.url)
    assert all(a.story_vector is not None for a in Article.objects.all())


def test_a_vector_stored_for_another_text_is_not_used(
    encoder: MeaningEncoder, tmp_path: Path
) -> None:
    config: Config = make_config(tmp_path / "data", story_embeddings=True)
    import_paths(config, [_write(tmp_path / "first.jsonl", FERRY_A)], "Wire", "outlet")
    Article.objects.filter(url=FERRY_A.url).update(text="A budget vote was held.")
    embeddings.clear_cache()
    import_paths(config, [_write(tmp_path / "later.jsonl", FERRY_B)], "Wire", "outlet")
    # the stored vector's digest is the old text's: the new text was encoded
    assert any("budget vote" in text for text in encoder.encoded)
