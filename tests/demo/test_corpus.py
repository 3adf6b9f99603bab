"""Tests for byline.demo.corpus: loading and validating the fictional demo corpus."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from byline.demo.corpus import (
    DEFAULT_CORPUS_DIR,
    CorpusError,
    load_corpus,
    load_outlets,
    split_paragraphs,
)

OUTLETS = """
[[outlets]]
slug = "wire"
name = "Test Wire Service"
kind = "wire"
country = "Valdoria"
language = "en"
feed = "rss2"
tagline = "Fast"
credit = "Test Wire Service"
credit_short = "TWS"

[[outlets]]
slug = "paper"
name = "The Test Paper"
kind = "outlet"
country = "Ostrovia"
language = "en"
feed = "atom"

[[outlets]]
slug = "farm"
name = "Farm News 24"
kind = "aggregator"
country = "Valdoria"
language = "en"
feed = "rss2"
"""

HEADER = """
id = "e01"
slug = "test-event"
section = "World News"
summary = "A test event"
"""

ORIGINAL = """
[[articles]]
id = "e01-wire"
outlet = "wire"
relation = "original"
origin = ""
published = "2026-10-03T08:15:00Z"
slug = "harbour-strike-begins"
headline = "Harbour strike begins"
standfirst = "Dockworkers walk out."
author = "Mira Castell"
body = \"\"\"
AUREL, Oct 3 (TWS) — First paragraph
continues on a second line.

Second paragraph.

Third paragraph.
\"\"\"
"""

COPY = """
[[articles]]
id = "e01-paper"
outlet = "paper"
relation = "syndicated"
origin = "e01-wire"
published = "2026-10-03T10:00:00+02:00"
slug = "strike-at-the-harbour"
headline = "Strike at the harbour"
standfirst = "Wire copy."
author = ""
body_from = "e01-wire"
truncate = 2
credit = "Test Wire Service"
"""

FARM = """
[[articles]]
id = "e01-farm"
outlet = "farm"
relation = "scraped"
origin = "e01-paper"
published = "2026-10-03T12:00:00Z"
slug = "strike-at-the-harbour"
headline = "Strike at the harbour"
standfirst = "Copied."
author = ""
body_from = "e01-paper"
source_link = "e01-paper"
"""


def write_corpus(root: Path, events: dict[str, str], outlets: str = OUTLETS) -> Path:
    (root / "events").mkdir(parents=True, exist_ok=True)
    (root / "outlets.toml").write_text(outlets, encoding="utf-8")
    for name, text in events.items():
        (root / "events" / name).write_text(text, encoding="utf-8")
    return root


def valid_event() -> str:
    return HEADER + ORIGINAL + COPY + FARM


def test_loads_a_valid_corpus(tmp_path: Path) -> None:
    corpus = load_corpus(write_corpus(tmp_path, {"01-test.toml": valid_event()}))
    assert list(corpus.outlets) == ["wire", "paper", "farm"]
    assert corpus.outlets["wire"].credit_short == "TWS"
    assert corpus.outlets["paper"].credit == ""
    assert [a.id for a in corpus.articles] == ["e01-wire", "e01-paper", "e01-farm"]
    assert corpus.events["e01"].section == "World News"

    wire = corpus.article("e01-wire")
    assert wire.paragraphs == [
        "AUREL, Oct 3 (TWS) — First paragraph continues on a second line.",
        "Second paragraph.",
        "Third paragraph.",
    ]
    assert wire.published == datetime(2026, 10, 3, 8, 15, tzinfo=UTC)
    assert wire.section == "World News" and wire.event_id == "e01"

    paper = corpus.article("e01-paper")
    assert paper.paragraphs == wire.paragraphs[:2]  # body_from + truncate
    assert paper.published == datetime(2026, 10, 3, 8, 0, tzinfo=UTC)  # converted to UTC
    assert paper.published.tzinfo is not None
    assert paper.credit == "Test Wire Service"

    farm = corpus.article("e01-farm")
    assert farm.paragraphs == paper.paragraphs  # chained body_from keeps the truncation
    assert farm.source_link == "e01-paper"
    assert corpus.root_origin("e01-farm").id == "e01-wire"
    assert corpus.credit_short("Test Wire Service") == "TWS"
    assert corpus.credit_short("Someone Else") == "Someone Else"
    assert [a.id for a in corpus.by_outlet("farm")] == ["e01-farm"]
    assert corpus.sections() == ["World News"]


def test_empty_events_folder_is_fine(tmp_path: Path) -> None:
    corpus = load_corpus(write_corpus(tmp_path, {}))
    assert corpus.articles == [] and len(corpus.outlets) == 3


def test_split_paragraphs() -> None:
    assert split_paragraphs("\n a\n b \n\n\n c  d \n  \n") == ["a b", "c d"]


def test_bundled_outlets_are_valid() -> None:
    outlets = load_outlets(DEFAULT_CORPUS_DIR / "outlets.toml")
    kinds = [o.kind for o in outlets.values()]
    assert kinds.count("wire") >= 1 and kinds.count("aggregator") >= 1
    assert "worldnewshub" in outlets


BAD_CASES = {
    "unknown-outlet": (
        valid_event().replace('outlet = "paper"', 'outlet = "nowhere"'),
        "e01-paper",
        "unknown outlet 'nowhere'",
    ),
    "dangling-origin": (
        valid_event().replace('origin = "e01-wire"', 'origin = "e01-ghost"'),
        "e01-paper",
        "origin 'e01-ghost' is not an article id",
    ),
    "dangling-body-from": (
        valid_event().replace('body_from = "e01-wire"', 'body_from = "e01-ghost"'),
        "e01-paper",
        "body_from 'e01-ghost' is not an article id",
    ),
    "dangling-source-link": (
        valid_event().replace('source_link = "e01-paper"', 'source_link = "e01-ghost"'),
        "e01-farm",
        "source_link 'e01-ghost'",
    ),
    "bad-relation": (
        valid_event().replace('relation = "syndicated"', 'relation = "borrowed"'),
        "e01-paper",
        "bad relation 'borrowed'",
    ),
    "both-bodies": (
        valid_event().replace("truncate = 2", 'truncate = 2\nbody = "Extra."'),
        "e01-paper",
        "either 'body' or 'body_from'",
    ),
    "empty-body": (
        valid_event().replace('body_from = "e01-paper"\n', 'body = "  "\n'),
        "e01-farm",
        "missing body",
    ),
    "truncate-without-body-from": (
        valid_event().replace('author = "Mira Castell"', 'author = "Mira Castell"\ntruncate = 1'),
        "e01-wire",
        "'truncate' needs 'body_from'",
    ),
    "naive-date": (
        valid_event().replace('"2026-10-03T08:15:00Z"', '"2026-10-03T08:15:00"'),
        "e01-wire",
        "no timezone",
    ),
    "bad-date": (
        valid_event().replace('"2026-10-03T08:15:00Z"', '"3 October"'),
        "e01-wire",
        "bad published date",
    ),
    "copy-without-origin": (
        valid_event().replace('origin = "e01-wire"', 'origin = ""'),
        "e01-paper",
        "needs an 'origin'",
    ),
    "original-with-origin": (
        valid_event().replace(
            'relation = "original"\norigin = ""', 'relation = "original"\norigin = "e01-paper"'
        ),
        "e01-wire",
        "must have origin",
    ),
    "unknown-key": (
        valid_event().replace("truncate = 2", 'truncate = 2\nbodyfrom = "x"'),
        "e01-paper",
        "unknown key(s) 'bodyfrom'",
    ),
    "bad-slug": (
        valid_event().replace('slug = "harbour-strike-begins"', 'slug = "Harbour Strike"'),
        "e01-wire",
        "lowercase words",
    ),
    "origin-loop": (
        valid_event().replace(
            'relation = "original"\norigin = ""', 'relation = "spun"\norigin = "e01-paper"'
        ),
        "e01-wire",
        "loops",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_article_raises_value_error(tmp_path: Path, case: str) -> None:
    text, article_id, message = BAD_CASES[case]
    root = write_corpus(tmp_path, {"01-test.toml": text})
    with pytest.raises(ValueError) as info:
        load_corpus(root)
    assert isinstance(info.value, CorpusError)
    assert "01-test.toml" in str(info.value)
    assert f"article {article_id!r}" in str(info.value)
    assert message in str(info.value)


def test_missing_body_message(tmp_path: Path) -> None:
    text = valid_event().replace('body_from = "e01-wire"\ntruncate = 2\n', "")
    root = write_corpus(tmp_path, {"01-test.toml": text})
    with pytest.raises(ValueError, match=r"01-test\.toml: article 'e01-paper': missing body"):
        load_corpus(root)


def test_duplicate_article_id_across_files(tmp_path: Path) -> None:
    second = HEADER.replace('"e01"', '"e02"') + ORIGINAL.replace(
        "harbour-strike-begins", "another-slug"
    )
    root = write_corpus(tmp_path, {"01-a.toml": valid_event(), "02-b.toml": second})
    with pytest.raises(ValueError, match=r"02-b\.toml: article 'e01-wire': duplicate article id"):
        load_corpus(root)


def test_duplicate_event_id(tmp_path: Path) -> None:
    second = HEADER + ORIGINAL.replace("e01-wire", "e01-wire-2").replace(
        "harbour-strike-begins", "another-slug"
    )
    root = write_corpus(tmp_path, {"01-a.toml": valid_event(), "02-b.toml": second})
    with pytest.raises(ValueError, match="duplicate event id 'e01'"):
        load_corpus(root)


def test_reference_to_other_event(tmp_path: Path) -> None:
    second = HEADER.replace('"e01"', '"e02"') + COPY.replace("e01-paper", "e02-paper").replace(
        "strike-at-the-harbour", "other-slug"
    )
    root = write_corpus(tmp_path, {"01-a.toml": valid_event(), "02-b.toml": second})
    with pytest.raises(ValueError, match="belongs to another event"):
        load_corpus(root)


def test_bad_section(tmp_path: Path) -> None:
    text = valid_event().replace('section = "World News"', 'section = "Sport"')
    root = write_corpus(tmp_path, {"01-test.toml": text})
    with pytest.raises(ValueError, match=r"01-test\.toml: bad section 'Sport'"):
        load_corpus(root)


def test_invalid_toml(tmp_path: Path) -> None:
    root = write_corpus(tmp_path, {"01-test.toml": "id = \n"})
    with pytest.raises(ValueError, match=r"01-test\.toml: invalid TOML"):
        load_corpus(root)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('feed = "atom"', 'feed = "rss3"', "bad feed 'rss3'"),
        ('kind = "outlet"', 'kind = "blog"', "bad kind 'blog'"),
        ('slug = "farm"', 'slug = "paper"', "duplicate outlet slug 'paper'"),
        ('tagline = "Fast"', 'tagline = "Fast"\nmotto = "x"', "unknown key(s) 'motto'"),
    ],
)
def test_bad_outlets(tmp_path: Path, old: str, new: str, message: str) -> None:
    root = write_corpus(tmp_path, {}, OUTLETS.replace(old, new))
    with pytest.raises(ValueError, match=r"outlets\.toml") as info:
        load_corpus(root)
    assert message in str(info.value)


def test_missing_outlets_file(tmp_path: Path) -> None:
    (tmp_path / "events").mkdir()
    with pytest.raises(ValueError, match="file not found"):
        load_corpus(tmp_path)
