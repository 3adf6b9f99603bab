"""Hostile JSONL through the tools that read it: ``byline import`` (article records into the
database) and ``byline cluster`` / ``provenance`` (records in, results out; `byline batch`
reads JSONL through the same parser, ``tools.read_judge_inputs``).

Every case puts one bad line between good ones: the bad line must be refused with a reason
naming its line number, and every good line must still be stored (or judged), nothing lost.
The 50 MB line runs at 5 MB by default and at 50 MB under BYLINE_LONG=1."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.hostile.budget import within
from tests.hostile.conftest import LONG
from tests.integration.conftest import make_config, story_paragraphs

from byline.cli import main
from byline.importer import import_paths
from byline.news.models import Article

pytestmark = pytest.mark.usefixtures("warm_pipeline")

BIG_LINE = (50 if LONG else 5) * 1024 * 1024
TEXT = "\n\n".join(story_paragraphs("Harrowgate", "harbour wall"))
OTHER = "\n\n".join(story_paragraphs("Ostmere", "rail bridge"))


def good(n: int) -> dict[str, Any]:
    return {
        "id": f"good-{n}",
        "url": f"https://jsonl.example/good-{n}",
        "title": f"Good record {n}",
        "text": TEXT if n % 2 else OTHER,
        "published": "2025-03-02T09:00:00Z",
    }


def line(**fields: Any) -> str:
    record = {"id": "bad", "url": "https://jsonl.example/bad", "title": "Bad", "text": TEXT}
    record.update(fields)
    return json.dumps({k: v for k, v in record.items() if v is not ...})


@dataclass(frozen=True)
class Line:
    name: str
    raw: Callable[[], bytes]  # the line between good lines 1 and 3
    reason: str  # for `byline import`; "" when the line is stored
    judge_reason: str | None = None  # for `byline cluster`: None, as ``reason``; "" judged
    stored: int = 2  # articles stored by `byline import`
    seconds: float = 8.0
    mb: float = 60.0


NO_NEWLINES = bytes(b for b in range(256) if b not in b"\r\n")


def text(value: str) -> Callable[[], bytes]:
    return lambda: value.encode()


DEEP = '{"id": "deep", "url": "https://jsonl.example/deep", "text": "t", "x": ' + (
    "[" * 100_000 + "]" * 100_000 + "}"
)
LINES = [
    Line(
        "jsonl-binary-garbage",
        lambda: b"\x00\x89PNG\r\xff\xfe\x1a" + NO_NEWLINES * 4,
        "not valid JSON (Expecting value)",
    ),
    Line(
        "jsonl-truncated-record",
        text(line()[:40]),
        "not valid JSON (Unterminated string",
        judge_reason="not valid JSON (Invalid control character",  # the line's own "\n"
    ),
    Line(
        "jsonl-nan",
        text(line(text="T").replace('"T"', "NaN")),
        "not valid JSON (NaN is not a JSON value)",
    ),
    Line(
        "jsonl-infinity",
        text(line(published="X").replace('"X"', "Infinity")),
        "not valid JSON (Infinity is not a JSON value)",
    ),
    Line(
        "jsonl-negative-infinity",
        text(line(id="X").replace('"X"', "-Infinity")),
        "not valid JSON (-Infinity is not a JSON value)",
    ),
    Line("jsonl-deep-nesting", text(DEEP), "not valid JSON (nested too deeply)"),
    Line(
        "jsonl-not-an-object",
        text("[1, 2, 3]"),
        "needs at least 'url' and 'text'",
        judge_reason="expected a JSON object",
    ),
    Line(
        "jsonl-missing-text",
        text(line(text=...)),
        "needs at least 'url' and 'text'",
        judge_reason="missing or non-string 'text'",
    ),
    Line(
        "jsonl-missing-url",
        text(line(url=...)),
        "needs at least 'url' and 'text'",
        judge_reason="",
        stored=2,
    ),
    Line("jsonl-missing-id", text(line(id=...)), "", judge_reason="missing 'id'", stored=3),
    Line(
        "jsonl-wrong-type-text",
        text(line(text=12345)),
        "'text' must be a string, not int",
        judge_reason="missing or non-string 'text'",
    ),
    Line(
        "jsonl-wrong-type-url",
        text(line(url=["https://jsonl.example/x"])),
        "'url' must be a string, not list",
    ),
    Line(
        "jsonl-wrong-type-title", text(line(title={"a": 1})), "'title' must be a string, not dict"
    ),
    Line(
        "jsonl-wrong-type-id",
        text(line(id={"x": 1})),
        "",
        judge_reason="'id' must be a string or an integer",
        stored=3,
    ),
    Line(
        "jsonl-wrong-type-published",
        text(line(published=20250302)),
        "'published' must be a string, not int",
        judge_reason="",
        stored=2,
    ),
    Line("jsonl-blank-text", text(line(text="   \n ")), "'text' is blank", judge_reason=""),
    Line(
        "jsonl-duplicate-id",
        text(line(id="good-1", url="https://jsonl.example/good-1")),
        "same url as line 1; the first kept",
        judge_reason="(id good-1): id already used on line 1",
    ),
    Line(
        "jsonl-unsafe-url",
        text(line(url="javascript:alert(1)")),
        "refusing article URL with scheme 'javascript'",
        judge_reason="",
    ),
    Line(
        "jsonl-line-separator-in-string",
        text(line(title="a\u2028b\u0085c")),
        "",
        judge_reason="",
        stored=3,
    ),
    Line(
        "jsonl-nul-bytes",
        text(line(title="nul\u0000title", text=TEXT + "\u0000")),
        "",
        judge_reason="",
        stored=3,
    ),
    Line(
        "jsonl-50mb-line",
        lambda: line(text="word " * (BIG_LINE // 5)).encode(),
        "record longer than 5000000 characters",
        seconds=10,
        mb=(50 if LONG else 5) * 4 + 60,
    ),
]


def _file(folder: Path, case: Line) -> Path:
    path = folder / f"{case.name}.jsonl"
    rows = [json.dumps(good(1)).encode(), case.raw(), json.dumps(good(3)).encode()]
    path.write_bytes(b"\n".join(rows) + b"\n")
    return path


@pytest.mark.django_db
@pytest.mark.parametrize("case", LINES, ids=[c.name for c in LINES])
def test_byline_import_refuses_the_bad_line_and_keeps_the_rest(case: Line, tmp_path: Path) -> None:
    path = _file(tmp_path, case)
    config = make_config(tmp_path / "data")
    with within(case.seconds, case.mb, case.name):
        report = import_paths(config, [path], None, "outlet")
    stored = set(Article.objects.values_list("url", flat=True))
    assert {"https://jsonl.example/good-1", "https://jsonl.example/good-3"} <= stored
    assert report.articles_added == case.stored == len(stored), report.problems
    if case.reason:
        assert report.problems == [f"{path.name} line 2: {case.reason}"] or (
            len(report.problems) == 1
            and report.problems[0].startswith(f"{path.name} line 2: ")
            and case.reason in report.problems[0]
        ), report.problems
    else:
        assert report.problems == []
    if case.name == "jsonl-nul-bytes":
        article = Article.objects.get(url="https://jsonl.example/bad")
        assert "\x00" not in article.title and "\x00" not in article.text
    if case.name == "jsonl-line-separator-in-string":
        assert Article.objects.get(url="https://jsonl.example/bad").title == "a\u2028b\u0085c"


@pytest.mark.parametrize("case", LINES, ids=[c.name for c in LINES])
def test_byline_cluster_names_the_bad_line_and_judges_the_rest(
    case: Line, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, case)
    reason = case.reason if case.judge_reason is None else case.judge_reason
    with within(case.seconds, case.mb, case.name):
        code = main(["cluster", str(path)])
    out, err = capsys.readouterr()
    rows = [json.loads(x) for x in out.splitlines()]
    assert len(rows) == 3, "one result line per input line, in input order"
    assert rows[0]["id"] == "good-1" and rows[0]["story"]
    assert rows[2]["id"] == "good-3" and rows[2]["story"]
    if reason:
        assert code == 1
        assert rows[1]["error"] == "bad record" and rows[1]["story"] is None
        assert err.startswith("byline: error: line 2"), err
        assert reason in err and err.count("\n") == 1, err
    else:
        assert code == 0, err
        assert "error" not in rows[1] and rows[1]["story"]


def test_byline_cluster_reads_a_file_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """jsonl-invalid-utf8-file: bytes that are not UTF-8 make their line bad, not the run."""
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        json.dumps(good(1)).encode()
        + b"\n\xff\xfe\xfd not utf-8 \xc3(\n"
        + json.dumps(good(3), ensure_ascii=False).encode("latin-1", "replace")
        + b"\n"
    )
    with within(5, 50, "jsonl-invalid-utf8-file"):
        code = main(["cluster", str(path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["good-1", "line-2", "good-3"]
    assert "byline: error: line 2: not valid JSON" in err
