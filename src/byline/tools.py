"""The JSONL tools: the judgement engine without a database.

``byline extract`` turns HTML files into article records; ``byline cluster`` and
``byline provenance`` read article records and write one result line per input record, in
input order. A bad record gets a one-line error on stderr naming it, and a placeholder result
line (``"error"`` set) so that output stays aligned with input.

Exit codes: 0 all records processed; 1 some records were bad (the rest were processed);
2 usage error or unreadable input.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import IO, Any

from byline.errors import ExtractionError, InputError
from byline.extract.metadata import parse_datetime
from byline.pipeline import JudgeParams, judge, process_page
from byline.records import JudgeInput

EXIT_OK, EXIT_BAD_RECORDS, EXIT_USAGE = 0, 1, 2
# The longest JSONL record read: an article's text is kilobytes; one 50 MB line took 1.7 GB of
# memory and half a minute to fingerprint and judge.
MAX_RECORD_CHARS = 5_000_000
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".xhtml", ".gz")


@dataclass
class Report:
    bad: int = 0

    def error(self, err: IO[str], problem: InputError) -> None:
        self.bad += 1
        print(f"byline: error: {problem}", file=err)

    @property
    def exit_code(self) -> int:
        return EXIT_BAD_RECORDS if self.bad else EXIT_OK


def html_files(paths: Iterable[Path], suffixes: tuple[str, ...] = HTML_SUFFIXES) -> Iterator[Path]:
    """Files named on the command line, and files with these suffixes inside named folders,
    sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.name.endswith(suffixes)
            )
        else:
            yield path


def read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name.endswith(".gz") or data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def _file_id(path: Path) -> str:
    return path.name


def extract_records(paths: list[Path], url_map: dict[str, str], out: IO[str], err: IO[str]) -> int:
    report = Report()
    for path in html_files(paths):
        name = _file_id(path)
        url = url_map.get(name, "")
        try:
            processed = process_page(read_bytes(path), url or path.resolve().as_uri())
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            report.error(err, InputError(name, f"cannot read: {exc}"))
            continue
        except ExtractionError:
            report.error(err, InputError(name, "no article text found"))
            continue
        article = processed.article
        record = {
            "id": name,
            "url": url or None,
            "title": article.title,
            "standfirst": article.standfirst,
            "author": article.author,
            "published": article.published.isoformat() if article.published else None,
            "language": article.language,
            "text": article.text,
        }
        print(json.dumps(record, ensure_ascii=False), file=out)
    return report.exit_code


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def load_json_line(where: str, raw: str) -> Any:
    """One line of JSONL, strictly: a line longer than ``MAX_RECORD_CHARS``, NaN and Infinity
    (which Python's json accepts) and nesting too deep to decode are refused with
    ``InputError`` naming ``where``."""
    if len(raw) > MAX_RECORD_CHARS:
        raise InputError(where, f"record longer than {MAX_RECORD_CHARS} characters")
    try:
        return json.loads(raw, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"not valid JSON ({exc.msg})") from None
    except ValueError as exc:
        raise InputError(where, f"not valid JSON ({exc})") from None
    except RecursionError:
        raise InputError(where, "not valid JSON (nested too deeply)") from None


def wrong_types(data: dict[str, Any], fields: Iterable[str]) -> str:
    """The first of ``fields`` that is present but neither a string nor null, as a reason."""
    for name in fields:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            return f"'{name}' must be a string, not {type(value).__name__}"
    return ""


def _judge_input(line_no: int, raw: str) -> JudgeInput:
    data = load_json_line(f"line {line_no}", raw)
    if not isinstance(data, dict):
        raise InputError(f"line {line_no}", "expected a JSON object")
    record_id = data.get("id")
    if record_id is None or record_id == "":
        raise InputError(f"line {line_no}", "missing 'id'")
    if isinstance(record_id, bool) or not isinstance(record_id, str | int):
        raise InputError(f"line {line_no}", "'id' must be a string or an integer")
    where = f"line {line_no} (id {record_id})"
    text = data.get("text")
    if not isinstance(text, str):
        raise InputError(where, "missing or non-string 'text'")
    wrong = wrong_types(data, ("url", "source", "title", "source_kind"))
    if wrong:
        raise InputError(where, wrong)
    published = None
    if data.get("published"):
        published = parse_datetime(str(data["published"]))
        if published is None:
            raise InputError(where, f"'published' is not ISO 8601: {data['published']!r}")
    return JudgeInput(
        id=str(record_id),
        url=str(data.get("url") or ""),
        source=str(data.get("source") or ""),
        title=str(data.get("title") or ""),
        text=text,
        published=published.astimezone(UTC) if published else None,
        source_kind=str(data.get("source_kind") or "outlet"),
    )


def read_judge_inputs(
    stream: IO[str], err: IO[str], report: Report
) -> list[tuple[str, JudgeInput | None]]:
    """Every non-blank line, as (id for output, record or None when bad). A record whose id
    an earlier line already used is bad: the first keeps it."""
    rows: list[tuple[str, JudgeInput | None]] = []
    first_line: dict[str, int] = {}
    for line_no, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            record = _judge_input(line_no, raw)
            if record.id in first_line:  # an origin_id naming it would be ambiguous
                where = f"line {line_no} (id {record.id})"
                raise InputError(where, f"id already used on line {first_line[record.id]}")
            first_line[record.id] = line_no
        except InputError as problem:
            report.error(err, problem)
            rows.append((_best_effort_id(raw, line_no), None))
            continue
        rows.append((record.id, record))
    return rows


def _best_effort_id(raw: str, line_no: int) -> str:
    try:
        value = load_json_line("", raw)
        if isinstance(value, dict) and isinstance(value.get("id"), str | int) and value["id"]:
            return str(value["id"])
    except InputError:
        pass
    return f"line-{line_no}"


def _run_judge(stream: IO[str], out: IO[str], err: IO[str], params: JudgeParams, kind: str) -> int:
    report = Report()
    rows = read_judge_inputs(stream, err, report)
    good = [r for _, r in rows if r is not None]
    judgement = judge(good, params=params)
    stories = iter(judgement.stories)
    labels = iter(judgement.provenance)
    for row_id, record in rows:
        if record is None:
            line: dict[str, Any] = {"id": row_id, "error": "bad record"}
            empty: dict[str, Any] = (
                {"story": None}
                if kind == "cluster"
                else {"relation": None, "origin_id": None, "score": None, "evidence": []}
            )
            line.update(empty)
        elif kind == "cluster":
            line = {"id": record.id, "story": next(stories).story}
            if record.id in judgement.placed:  # undated: the date its text placed it at
                line["placed_at"] = judgement.placed[record.id].isoformat()
        else:
            line = next(labels).to_json()
        print(json.dumps(line, ensure_ascii=False), file=out)
    return report.exit_code


def cluster_records(stream: IO[str], out: IO[str], err: IO[str], params: JudgeParams) -> int:
    return _run_judge(stream, out, err, params, "cluster")


def provenance_records(stream: IO[str], out: IO[str], err: IO[str], params: JudgeParams) -> int:
    return _run_judge(stream, out, err, params, "provenance")


def open_input(name: str) -> IO[str]:
    """The JSONL input as text; bytes that are not UTF-8 become U+FFFD, so that a damaged
    line is reported as bad JSON with its number instead of stopping the whole run. Lines end
    at "\n" only (a stray "\r" must not shift the line numbers of everything after it)."""
    if name == "-":
        raw = getattr(sys.stdin, "buffer", None)  # absent when a caller swapped in text
        if raw is None:
            return sys.stdin
        return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="\n")
    return open(name, encoding="utf-8", errors="replace", newline="\n")
