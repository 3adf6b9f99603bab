"""The JSONL tools (`byline extract`, `byline cluster`, `byline provenance`): their output
contract, their error handling, and an end-to-end evaluation over the demo corpus."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from byline import cli
from byline.demo.server import DemoServer
from byline.demo.sitegen import SiteManifest
from byline.judge.provenance import root_origin
from byline.records import RELATIONS, JudgeInput
from byline.tools import Report, read_judge_inputs

ROOT = Path(__file__).resolve().parent.parent
BYLINE = ROOT / ".venv" / "bin" / "byline"
CLUSTER_KEYS = {"id", "story"}
PROVENANCE_KEYS = {"id", "relation", "origin_id", "score", "evidence"}

# Floors for the demo-corpus gate. Measured on the bundled corpus (98 articles): B-cubed F1
# 1.000, relation accuracy 1.000, root-origin agreement 1.000. A floor moves only upward.
BCUBED_F1_FLOOR = 0.97
RELATION_ACCURACY_FLOOR = 0.97
ROOT_ORIGIN_FLOOR = 0.95

PARAS = [
    "Thousands of dockworkers walked off the job at Port Ardent on Saturday, halting container "
    "traffic at the country's largest port after talks over pay collapsed late on Friday night.",
    "The Ostrovian Dockworkers' Federation said about 4,200 of its members had joined the "
    "72-hour strike. Cranes at the North Basin terminal stood idle.",
    '"Our members have kept this port running through two hard winters," federation general '
    "secretary Bruno Halvik told reporters at the gates of Kestrel Quay.",
    "The harbour authority said at least 31 vessels were waiting at anchor outside the harbour "
    "by mid-morning, and that perishable cargo would be given priority once work resumed.",
]


def html(title: str, author: str = "Mira Castell") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (
        f'<html lang="en"><head><title>{title}</title><meta name="author" content="{author}">'
        f'<meta property="article:published_time" content="2026-10-03T10:15:00+02:00">'
        f"</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


ORIGIN = "\n".join(PARAS)
UNRELATED = (
    "The Ostrovian central bank raised its main interest rate by half a percentage point on "
    "Thursday, its third increase this year, as inflation stayed stubbornly high.\n"
    "Governor Elin Straum said the bank was ready to act again if prices kept rising faster "
    "than wages.\nShares in the largest lenders rose after the announcement."
)


def line(**fields: object) -> str:
    return json.dumps(fields)


RECORDS = [
    line(
        id="wire",
        source="cpa",
        source_kind="wire",
        title="Dockworkers strike halts Port Ardent",
        text=ORIGIN,
        published="2026-10-03T06:00:00Z",
    ),
    "",
    line(
        id="paper",
        source="meridian",
        title="Strike shuts Port Ardent",
        text=ORIGIN,
        published="2026-10-03T09:00:00+02:00",
    ),
    "{this is not json",
    line(id="notext", title="No text here", published="2026-10-03T08:00:00Z"),
    "   ",
    line(
        id="bank",
        source="northstar",
        title="Central bank raises rates",
        text=UNRELATED,
        published="2026-10-03T10:00:00Z",
    ),
    line(id="farm", source_kind="aggregator", title="Port strike", text=ORIGIN),
]
JSONL = "\n".join(RECORDS) + "\n"
EXPECTED_IDS = ["wire", "paper", "line-4", "notext", "bank", "farm"]


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A user's shell: no pytest-django settings module, a private data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env["BYLINE_DATA_DIR"] = str(tmp_path / "data")
    env.update(extra)
    return env


def run_script(
    args: Sequence[str], tmp_path: Path, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BYLINE), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=clean_env(tmp_path, **env),
        timeout=120,
        check=False,
    )


def call(
    args: Sequence[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stdin: str | None = None,
) -> tuple[int, str, str]:
    """``byline.cli.main`` in-process (pytest-django has set Django up)."""
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    capsys.readouterr()
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("BYLINE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BYLINE_DATA_DIR", str(tmp_path / "data"))


# ── byline extract ───────────────────────────────────────────────────────────────────────


@pytest.fixture()
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a-plain.html").write_bytes(html("Plain page title"))
    (folder / "b-packed.html.gz").write_bytes(gzip.compress(html("Gzipped page title")))
    (folder / "c-garbage.html").write_bytes(bytes(range(256)) * 20)
    (folder / "d-broken.html.gz").write_bytes(b"this is not gzip")
    (folder / "e-last.htm").write_bytes(html("Last page title", author="Ines Molnar"))
    (folder / "notes.txt").write_text("not a page")
    (tmp_path / "map.json").write_text(
        json.dumps({"a-plain.html": "https://meridian.example/a", "e-last.htm": "https://e/"})
    )
    return folder


def test_extract_folder(pages: Path, tmp_path: Path) -> None:
    done = run_script(["extract", str(pages), "--url-map", str(tmp_path / "map.json")], tmp_path)
    assert done.returncode == 1, done.stderr
    records = [json.loads(x) for x in done.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a-plain.html", "b-packed.html.gz", "e-last.htm"]
    a, b, e = records
    assert set(a) == {
        "id",
        "url",
        "title",
        "standfirst",
        "author",
        "published",
        "language",
        "text",
    }
    assert a["url"] == "https://meridian.example/a"
    assert b["url"] is None
    assert e["url"] == "https://e/"
    assert a["title"] == "Plain page title"
    assert b["title"] == "Gzipped page title"
    assert e["author"] == "Ines Molnar"
    assert a["published"] == "2026-10-03T08:15:00+00:00"
    assert a["language"] == "en"
    assert PARAS[0] in a["text"] and PARAS[3] in b["text"]
    assert not a["text"].startswith("Plain page title")

    ours = [x for x in done.stderr.splitlines() if x.startswith("byline:")]
    assert len(ours) == 2
    assert [x for x in ours if "c-garbage.html" in x] == [
        "byline: error: c-garbage.html: no article text found"
    ]
    assert len([x for x in ours if "d-broken.html.gz" in x and "cannot read" in x]) == 1


def test_extract_bad_file_costs_exactly_one_stderr_line(pages: Path, tmp_path: Path) -> None:
    done = run_script(["extract", str(pages / "c-garbage.html")], tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["byline: error: c-garbage.html: no article text found"]


def test_extract_folder_skips_jsonl_files(pages: Path, tmp_path: Path) -> None:
    (pages / "c-garbage.html").unlink()
    (pages / "d-broken.html.gz").unlink()
    (pages / "articles.jsonl").write_text(JSONL, encoding="utf-8")
    done = run_script(["extract", str(pages)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "articles.jsonl" not in done.stdout + done.stderr


def test_extract_named_files_keep_command_line_order(pages: Path, tmp_path: Path) -> None:
    done = run_script(["extract", str(pages / "e-last.htm"), str(pages / "a-plain.html")], tmp_path)
    assert done.returncode == 0, done.stderr
    assert [json.loads(x)["id"] for x in done.stdout.splitlines()] == ["e-last.htm", "a-plain.html"]


def test_extract_missing_path_exits_2(pages: Path, tmp_path: Path) -> None:
    done = run_script(["extract", str(pages / "a-plain.html"), str(tmp_path / "nope")], tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [f"byline: error: no such file or folder: {tmp_path}/nope"]


def test_extract_bad_url_map_exits_2(pages: Path, tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json")
    done = run_script(["extract", str(pages), "--url-map", str(tmp_path / "bad.json")], tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "--url-map" in done.stderr


# ── byline cluster and byline provenance ─────────────────────────────────────────────────


@pytest.mark.parametrize("tool", ["cluster", "provenance"])
def test_judge_tools_contract(
    tool: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "articles.jsonl"
    source.write_text(JSONL, encoding="utf-8")
    code, out, err = call([tool, str(source)], capsys, monkeypatch)
    assert code == 1
    rows = [json.loads(x) for x in out.splitlines()]
    assert [r["id"] for r in rows] == EXPECTED_IDS  # one line per non-blank line, in order
    keys = CLUSTER_KEYS if tool == "cluster" else PROVENANCE_KEYS
    for row in rows:
        if row["id"] in {"line-4", "notext"}:
            assert row["error"]
            assert keys <= set(row)
        elif tool == "cluster" and row["id"] == "farm":  # undated: where its text placed it
            assert set(row) == keys | {"placed_at"}, row
        else:
            assert set(row) == keys, row
    errors = err.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith("byline: error: line 4:") and "JSON" in errors[0]
    assert errors[1].startswith("byline: error: line 5 (id notext):") and "'text'" in errors[1]


def test_cluster_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "articles.jsonl"
    source.write_text(JSONL, encoding="utf-8")
    _, out, _ = call(["cluster", str(source)], capsys, monkeypatch)
    story = {r["id"]: r["story"] for r in map(json.loads, out.splitlines())}
    assert story["wire"] == story["paper"] == story["farm"] == "wire"
    assert story["bank"] == "bank"
    assert story["line-4"] is None


def test_provenance_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "articles.jsonl"
    source.write_text(JSONL, encoding="utf-8")
    _, out, _ = call(["provenance", str(source)], capsys, monkeypatch)
    rows = {r["id"]: r for r in map(json.loads, out.splitlines())}
    assert rows["wire"]["relation"] == "original"
    assert rows["wire"]["origin_id"] is None
    assert rows["paper"]["relation"] == "syndicated"
    assert rows["paper"]["origin_id"] == "wire"
    assert rows["farm"]["relation"] == "scraped"  # undated: judged last
    assert rows["farm"]["origin_id"] == "wire"
    assert rows["bank"]["relation"] == "independent"  # its own story, copied by nobody
    for key in ("wire", "paper", "farm", "bank"):
        assert rows[key]["relation"] in RELATIONS
        assert 0.0 <= rows[key]["score"] <= 1.0
        assert isinstance(rows[key]["evidence"], list) and rows[key]["evidence"]
    assert rows["line-4"]["relation"] is None


@pytest.mark.parametrize("tool", ["cluster", "provenance"])
def test_judge_tools_read_stdin(
    tool: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = call([tool, "-"], capsys, monkeypatch, stdin=JSONL)
    assert code == 1
    assert [json.loads(x)["id"] for x in out.splitlines()] == EXPECTED_IDS
    good = "\n".join(RECORDS[0:1] + RECORDS[2:3]) + "\n"
    code, out, err = call([tool, "-"], capsys, monkeypatch, stdin=good)
    assert code == 0
    assert err == ""
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["wire", "paper"]


@pytest.mark.parametrize("tool", ["cluster", "provenance"])
def test_judge_tools_missing_file_exits_2(
    tool: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = call([tool, str(tmp_path / "absent.jsonl")], capsys, monkeypatch)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("byline: error:") and "absent.jsonl" in err


def test_empty_input_gives_empty_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "empty.jsonl"
    source.write_text("\n\n", encoding="utf-8")
    assert call(["provenance", str(source)], capsys, monkeypatch) == (0, "", "")
    assert call(["cluster", str(source)], capsys, monkeypatch) == (0, "", "")


def test_bad_published_and_non_object_lines_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "odd.jsonl"
    source.write_text(
        "[1, 2]\n"
        + line(id="late", text="Some text here.", published="yesterday")
        + "\n"
        + line(text="no id")
        + "\n"
        + RECORDS[0]
        + "\n",
        encoding="utf-8",
    )
    code, out, err = call(["provenance", str(source)], capsys, monkeypatch)
    assert code == 1
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["line-1", "late", "line-3", "wire"]
    errors = err.splitlines()
    assert len(errors) == 3
    assert errors[0].startswith("byline: error: line 1:")
    assert errors[1].startswith("byline: error: line 2 (id late):") and "ISO 8601" in errors[1]
    assert errors[2].startswith("byline: error: line 3:") and "'id'" in errors[2]


def test_copy_threshold_setting_reaches_provenance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    partial = "\n".join(PARAS[:2] + UNRELATED.splitlines()[:1])  # two of three sentences copied
    source = tmp_path / "partial.jsonl"
    source.write_text(
        RECORDS[0] + "\n" + line(id="part", title="Port strike", text=partial) + "\n",
        encoding="utf-8",
    )
    _, out, _ = call(["provenance", str(source)], capsys, monkeypatch)
    assert json.loads(out.splitlines()[1])["origin_id"] == "wire"
    monkeypatch.setenv("BYLINE_COPY_THRESHOLD", "0.9")
    _, out, _ = call(["provenance", str(source)], capsys, monkeypatch)
    assert json.loads(out.splitlines()[1])["origin_id"] is None


def test_story_threshold_setting_reaches_cluster(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "two.jsonl"
    reworded = "Dockworkers at Port Ardent stopped work on Saturday over pay."
    source.write_text(
        RECORDS[0] + "\n" + line(id="other", title="Port Ardent dock strike", text=reworded),
        encoding="utf-8",
    )
    _, out, _ = call(["cluster", str(source)], capsys, monkeypatch)
    assert [json.loads(x)["story"] for x in out.splitlines()] == ["wire", "wire"]
    monkeypatch.setenv("BYLINE_STORY_THRESHOLD", "0.99")
    _, out, _ = call(["cluster", str(source)], capsys, monkeypatch)
    assert [json.loads(x)["story"] for x in out.splitlines()] == ["wire", "other"]


def test_cluster_places_an_undated_record_with_its_own_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record without a date, whose event is weeks older than the newest records: it meets
    its own event's report (it used to come last, when that report was long forgotten)."""
    reworded = "Dockworkers at Port Ardent stopped work on Saturday over pay."
    later = [
        line(
            id=f"bank{week}",
            source=f"paper{week}",
            title=f"Central bank raises rates, week {week}",
            text=UNRELATED.replace("third", f"number {week}"),
            published=f"2026-{10 + week // 4:02d}-{1 + 7 * (week % 4):02d}T10:00:00Z",
        )
        for week in (3, 6, 9)
    ]
    undated = line(id="other", source="farm", title="Port Ardent dock strike", text=reworded)
    source = tmp_path / "undated.jsonl"
    source.write_text("\n".join([RECORDS[0], *later, undated]) + "\n", encoding="utf-8")
    _, out, _ = call(["cluster", str(source)], capsys, monkeypatch)
    rows = {r["id"]: r for r in map(json.loads, out.splitlines())}
    assert rows["other"]["story"] == rows["wire"]["story"] == "wire"
    # its line says where its text placed it: at its event's report; dated lines say nothing
    assert rows["other"]["placed_at"] == "2026-10-03T06:00:00+00:00"
    assert not any("placed_at" in row for key, row in rows.items() if key != "other")


@pytest.mark.parametrize("tool", ["cluster", "provenance"])
def test_judge_tools_as_console_script(tool: str, tmp_path: Path) -> None:
    done = run_script([tool, "-"], tmp_path, stdin=JSONL)
    assert done.returncode == 1, done.stderr[-500:]
    assert [json.loads(x)["id"] for x in done.stdout.splitlines()] == EXPECTED_IDS
    assert len(done.stderr.splitlines()) == 2


# ── end to end over the demo corpus ──────────────────────────────────────────────────────


def bcubed_f1(predicted: dict[str, str], gold: dict[str, str]) -> float:
    ids = list(gold)
    precision = recall = 0.0
    for key in ids:
        mine = {k for k in ids if predicted[k] == predicted[key]}
        truth = {k for k in ids if gold[k] == gold[key]}
        precision += len(mine & truth) / len(mine)
        recall += len(mine & truth) / len(truth)
    precision, recall = precision / len(ids), recall / len(ids)
    return 2 * precision * recall / (precision + recall)


def test_bcubed_helper() -> None:
    gold = {"a": "1", "b": "1", "c": "2"}
    assert bcubed_f1(gold, gold) == 1.0
    assert bcubed_f1({"a": "x", "b": "y", "c": "z"}, gold) < 0.9


def _not_a_copy(relation: str) -> str:
    return "not-a-copy" if relation in {"original", "independent"} else relation


def test_demo_corpus_end_to_end(
    demo_site: tuple[DemoServer, SiteManifest],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, manifest = demo_site
    kinds = {outlet.slug: outlet.kind for outlet in manifest.outlets}
    by_id = {article.id: article for article in manifest.articles}
    folder = tmp_path / "pages"
    folder.mkdir()
    url_map = {}
    for article in manifest.articles:
        relative = article.url.removeprefix(manifest.base_url).lstrip("/")
        shutil.copyfile(server.root / relative, folder / f"{article.id}.html")
        url_map[f"{article.id}.html"] = article.url
    (tmp_path / "urls.json").write_text(json.dumps(url_map), encoding="utf-8")

    code, out, err = call(
        ["extract", str(folder), "--url-map", str(tmp_path / "urls.json")], capsys, monkeypatch
    )
    assert code == 0, err
    records = []
    for raw in out.splitlines():
        record = json.loads(raw)
        article = by_id[record["id"].removesuffix(".html")]
        assert record["url"] == article.url
        record.update(id=article.id, source=article.outlet, source_kind=kinds[article.outlet])
        records.append(record)
    assert len(records) == len(manifest.articles)
    source = tmp_path / "articles.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")

    code, out, err = call(["cluster", str(source)], capsys, monkeypatch)
    assert code == 0, err
    clusters = [json.loads(x) for x in out.splitlines()]
    assert [c["id"] for c in clusters] == [r["id"] for r in records]
    stories = {c["id"]: c["story"] for c in clusters}

    code, out, err = call(["provenance", str(source)], capsys, monkeypatch)
    assert code == 0, err
    labels = [json.loads(x) for x in out.splitlines()]
    assert [p["id"] for p in labels] == [r["id"] for r in records]
    assert all(set(p) == PROVENANCE_KEYS for p in labels)

    f1 = bcubed_f1(stories, {key: by_id[key].event_id for key in stories})
    right = [_not_a_copy(p["relation"]) == _not_a_copy(by_id[p["id"]].relation) for p in labels]
    accuracy = sum(right) / len(right)
    predicted_origin = {p["id"]: p["origin_id"] for p in labels}
    gold_origin = {a.id: a.origin_id or None for a in manifest.articles}
    copies = [a.id for a in manifest.articles if a.relation in {"syndicated", "scraped", "spun"}]
    roots_agree = sum(
        root_origin(key, predicted_origin) == root_origin(key, gold_origin) for key in copies
    ) / len(copies)
    with capsys.disabled():
        print(
            f"\n[eval] demo corpus, {len(records)} articles: B-cubed F1 {f1:.3f} "
            f"(floor {BCUBED_F1_FLOOR}); relation accuracy {accuracy:.3f} "
            f"(floor {RELATION_ACCURACY_FLOOR}); root origin agreement {roots_agree:.3f} over "
            f"{len(copies)} copies (floor {ROOT_ORIGIN_FLOOR})"
        )
    assert f1 >= BCUBED_F1_FLOOR
    assert accuracy >= RELATION_ACCURACY_FLOOR
    assert roots_agree >= ROOT_ORIGIN_FLOOR


def test_a_judge_input_written_as_json_reads_back_the_same() -> None:
    """``JudgeInput.to_json`` writes the record `byline cluster` and `byline batch` read."""
    from datetime import UTC, datetime

    record = JudgeInput(
        "a1", "https://x.example/a", "x.example", "T", "Text.",
        datetime(2024, 5, 1, 8, 30, tzinfo=UTC), "aggregator",
    )  # fmt: skip
    undated = JudgeInput("a2", "", "", "", "Text.", None)
    lines = "".join(json.dumps(r.to_json()) + "\n" for r in (record, undated))
    errors = io.StringIO()
    assert read_judge_inputs(io.StringIO(lines), errors, Report()) == [
        ("a1", record),
        ("a2", undated),
    ]
    assert errors.getvalue() == ""
