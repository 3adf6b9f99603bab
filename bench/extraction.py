"""Article main-text extraction benchmark: Byline against trafilatura alone, side by side.

Every extractor runs in the same process over the same pages (interleaved page by page, so
machine noise hits them alike) and is scored with the benchmark's metric (bench/metrics.py):
4-token shingle precision, recall and F1 against the hand-made article bodies, averaged over
pages; F1 is also given for each half of the set (ids sorted, first half vs second half), so a
change that only fits some pages shows up as a gain on one half and not the other. Speed is
pages per second of extraction wall time only: reading and decompressing the pages happens
before the clock starts, and each extractor is warmed up on one page first.

The data (../shared/data/extraction) ships beside the repository, never inside it; when it is
absent the benchmark prints "skipped: ..." and exits 0. Results are recorded in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import logging
import os
import platform
import shlex
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction"
DEFAULT_READABILITY = ROOT.parent / "shared" / "data" / "extraction-readability"

if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402
from lxml import html as lxml_html  # noqa: E402

from bench import protocol  # noqa: E402
from bench.metrics import Score, mean_score, prf  # noqa: E402
from byline.errors import ExtractionError  # noqa: E402
from byline.extract.article import Steps, extract_article  # noqa: E402
from byline.extract.blocks import BLOCK_TAGS  # noqa: E402
from byline.extract.boilerplate import learn_chrome  # noqa: E402

Extractor = Callable[[bytes, str], str]

BYLINE = "byline"
TRAFILATURA = "trafilatura"
NEWSPAPER = "newspaper4k"
EXTRAS = (NEWSPAPER,)


@dataclass(frozen=True)
class Meta:
    """A page's title, author and publication date (ISO text), as gold or as extracted."""

    title: str = ""
    author: str = ""
    date: str = ""


@dataclass(frozen=True)
class Case:
    """One page of a set: its id, URL, hand-made article body and raw HTML bytes; the gold
    metadata and whether the page is an article, where the set gives them."""

    id: str
    url: str
    gold: str
    html: bytes
    meta: Meta | None = None
    article: bool = True


@dataclass
class Result:
    """One extractor's run: per-page scores, extraction seconds, empty outputs, errors."""

    name: str
    label: str
    scores: dict[str, Score] = field(default_factory=dict)
    seconds: float = 0.0
    empty: int = 0
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def mean(self) -> Score:
        return mean_score(list(self.scores.values()))

    def halves(self) -> tuple[Score, Score]:
        """Mean scores over the tuning and the reporting half of the pages (bench/protocol.py):
        rules are tuned on the first, results are read off the second."""
        tune, report = protocol.split(sorted(self.scores), group=str)
        return (
            mean_score([self.scores[i] for i in tune]),
            mean_score([self.scores[i] for i in report]),
        )

    def subset(self, ids: Sequence[str]) -> Score:
        return mean_score([self.scores[i] for i in ids])

    @property
    def pages_per_second(self) -> float:
        return len(self.scores) / self.seconds if self.seconds > 0 else float("inf")


def load_cases(data_dir: Path, limit: int | None = None) -> list[Case]:
    """The set's pages in id order (the first ``limit`` of them), decompressed in memory."""
    truth: dict[str, dict[str, str]] = json.loads(
        (data_dir / "ground-truth.json").read_text(encoding="utf-8")
    )
    ids = sorted(truth)[:limit] if limit is not None else sorted(truth)
    cases = []
    for page_id in ids:
        html = gzip.decompress((data_dir / "html" / f"{page_id}.html.gz").read_bytes())
        entry = truth[page_id]
        cases.append(Case(page_id, entry["url"], entry.get("articleBody") or "", html))
    return cases


# Readability's expected content uses layout blocks too, beside the text blocks Byline reads.
_LAYOUT_TAGS = "div ul ol dl br tr table figure section article header footer aside hr"
_BLOCK_TAGS = frozenset(BLOCK_TAGS) | frozenset(_LAYOUT_TAGS.split(" "))


def html_text(fragment: bytes | str) -> str:
    """The text of an HTML fragment, one line per block element (Readability's expected
    content): inline elements join their words, blocks never run two words together."""
    if isinstance(fragment, bytes):  # the expected files are UTF-8 and say nothing of it
        fragment = fragment.decode("utf-8", errors="replace")
    tree = lxml_html.fromstring(fragment)
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in tree.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def load_readability_cases(data_dir: Path, limit: int | None = None) -> list[Case]:
    """Mozilla Readability's test pages (pages/<id>/{source,expected}.html.gz and
    expected-metadata.json) in id order. The pages have no address of their own; each gets
    Readability's test base (http://fakehost/test/<id>/). A page whose metadata says it is not
    ``readerable`` is kept and marked, so it is reported apart from the articles."""
    folders = sorted(p for p in (data_dir / "pages").iterdir() if p.is_dir())
    cases = []
    for folder in folders[:limit] if limit is not None else folders:
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        gold = html_text(gzip.decompress((folder / "expected.html.gz").read_bytes()))
        page = gzip.decompress((folder / "source.html.gz").read_bytes())
        gold_meta = Meta(
            str(meta.get("title") or ""),
            str(meta.get("byline") or ""),
            str(meta.get("publishedTime") or ""),
        )
        article = meta.get("readerable", True) is not False
        url = f"http://fakehost/test/{folder.name}/"
        cases.append(Case(folder.name, url, gold, page, gold_meta, article))
    return cases


def byline_text(page: bytes, url: str) -> str:
    """Byline's article text, exactly as the pipeline gets it ("" when it finds none)."""
    try:
        return extract_article(page, url).text
    except ExtractionError:
        return ""


def byline_variant(steps: Steps, chrome: dict[str, frozenset[str]] | None = None) -> Extractor:
    """Byline with some steps off (``steps``), or with per-URL site chrome (``chrome``)."""

    def text(page: bytes, url: str) -> str:
        site = (chrome or {}).get(url, frozenset())
        try:
            return extract_article(page, url, chrome=site, steps=steps).text
        except ExtractionError:
            return ""

    return text


def previous_text(page: bytes, url: str) -> str:
    """Byline's main text before this change: trafilatura's bare_extraction with its metadata
    search, comments and tables off, nothing else."""
    document = trafilatura.bare_extraction(
        page, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    return str(getattr(document, "text", "") or "") if document is not None else ""


def host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def leave_one_out_chrome(cases: Sequence[Case]) -> dict[str, frozenset[str]]:
    """For each page, the chrome learnt from Byline's texts of the *other* pages of its host
    in the set: lines on every one of them (most hosts have one or two other pages here, far
    fewer than a feed gives in use, so this understates the method). Not timed."""
    texts = {case.id: byline_text(case.html, case.url) for case in cases}
    by_host: dict[str, list[Case]] = {}
    for case in cases:
        by_host.setdefault(host(case.url), []).append(case)
    return {
        case.url: learn_chrome(
            (texts[o.id] for o in by_host[host(case.url)] if o.id != case.id),
            min_share=1.0,
            min_pages=1,
        )
        for case in cases
    }


ABLATION: dict[str, tuple[str, Steps]] = {
    "no-precision-first": (
        "Byline without steps 1–2 (trafilatura default cascade only)",
        Steps(precision_first=False),
    ),
    "no-interior-lines": (
        "Byline without step 2's interior lines (balanced mode between precise lines)",
        Steps(interior_lines=False),
    ),
    "no-continuation": ("Byline without step 3 (sibling containers)", Steps(continuation=False)),
    "no-furniture-lines": (
        "Byline without step 4 (furniture lines)",
        Steps(furniture_lines=False),
    ),
    "no-inline-words": (
        "Byline without step 2b (inline words put back)",
        Steps(inline_words=False),
    ),
    "no-data-tables": ("Byline without step 5a (data tables)", Steps(data_tables=False)),
    "no-quotes": ("Byline without step 5b (quotes, embedded posts)", Steps(quotes=False)),
    "no-full-text": ("Byline without step 6 (JSON-LD / feed full text)", Steps(full_text=False)),
    "no-leading-lines": (
        "Byline without step 7a (headline/date lines)",
        Steps(leading_lines=False),
    ),
    "no-list-markers": ("Byline without step 7b (list markers)", Steps(list_markers=False)),
}


def ablation_extractors(cases: Sequence[Case]) -> dict[str, tuple[str, Extractor]]:
    rows: dict[str, tuple[str, Extractor]] = {
        "previous": ("previous Byline main text (bare_extraction, with_metadata)", previous_text)
    }
    rows.update({name: (label, byline_variant(steps)) for name, (label, steps) in ABLATION.items()})
    rows["site-chrome"] = (
        "Byline + site chrome (leave-one-out, same host)",
        byline_variant(Steps(), leave_one_out_chrome(cases)),
    )
    return rows


def trafilatura_text(page: bytes, url: str) -> str:
    """trafilatura alone, default settings."""
    return trafilatura.extract(page, url=url) or ""


def newspaper_extractor() -> Extractor | None:
    """newspaper4k's extractor, or None when it is not installed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "nltk is not installed": only its NLP needs it
        try:
            import newspaper
        except ImportError:
            return None

    def newspaper_text(page: bytes, url: str) -> str:
        article = newspaper.Article(url, fetch_images=False)
        article.download(input_html=trafilatura.utils.decode_file(page))
        article.parse()
        return str(article.text or "")

    return newspaper_text


def version(module: str) -> str:
    try:
        return str(getattr(__import__(module), "__version__", "?"))
    except ImportError:
        return "not installed"


def run(cases: Sequence[Case], extractors: dict[str, tuple[str, Extractor]]) -> list[Result]:
    """Score every extractor on every case, timing the extraction calls only."""
    results = {name: Result(name, label) for name, (label, _) in extractors.items()}
    names = list(extractors)
    # One-time set-up that whichever extractor first falls back to jusText would pay inside
    # its timing (its stop lists, ~0.2 s): done here, for all of them.
    with contextlib.suppress(Exception):
        from trafilatura.external import jt_stoplist_init

        jt_stoplist_init()
    for name in names:  # warm-up (imports, caches, lazy setup); not scored, not timed
        with contextlib.suppress(Exception):
            extractors[name][1](cases[0].html, cases[0].url)
    show_progress = sys.stderr.isatty()
    for index, case in enumerate(cases):
        shift = index % len(names)  # rotate the order so no extractor always goes first
        for name in names[shift:] + names[:shift]:
            result = results[name]
            extract = extractors[name][1]
            start = time.perf_counter()
            try:
                text = extract(case.html, case.url)
            except Exception as exc:  # scored as an empty output, and counted
                text = ""
                result.errors += 1
                kind = f"{type(exc).__name__}: {' '.join(str(exc).split())[:120]}"
                result.error_kinds[kind] = result.error_kinds.get(kind, 0) + 1
            result.seconds += time.perf_counter() - start
            if not text.strip():
                result.empty += 1
            result.scores[case.id] = prf(text, case.gold)
        if show_progress:
            print(f"\r{index + 1}/{len(cases)} pages", end="", file=sys.stderr, flush=True)
    if show_progress:
        print(file=sys.stderr)
    return [results[name] for name in names]


# --------------------------------------------------------------------------- metadata

MetaExtractor = Callable[[bytes, str], Meta]


def byline_meta(page: bytes, url: str) -> Meta:
    try:
        article = extract_article(page, url)
    except ExtractionError:
        return Meta()
    published = article.published.isoformat() if article.published else ""
    return Meta(article.title, article.author, published)


def trafilatura_meta(page: bytes, url: str) -> Meta:
    document = trafilatura.bare_extraction(page, url=url, with_metadata=True)
    if document is None:
        return Meta()
    return Meta(
        str(getattr(document, "title", "") or ""),
        str(getattr(document, "author", "") or ""),
        str(getattr(document, "date", "") or ""),
    )


def _tokens(text: str) -> list[str]:
    return [t for t in "".join(c if c.isalnum() else " " for c in text.casefold()).split() if t]


def _author_tokens(text: str) -> list[str]:
    tokens = _tokens(text)
    return tokens[1:] if tokens[:1] == ["by"] else tokens


def token_f1(predicted: list[str], gold: list[str]) -> float:
    """F1 of the two bags of words (0 when either is empty)."""
    if not predicted or not gold:
        return 0.0
    common = sum((Counter(predicted) & Counter(gold)).values())
    if not common:
        return 0.0
    precision, recall = common / len(predicted), common / len(gold)
    return 2 * precision * recall / (precision + recall)


def _days(value: str) -> set[str]:
    """The day of an ISO date as written, and in UTC when it carries an offset."""
    days = {value[:10]}
    with contextlib.suppress(ValueError):
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo is not None:
            days.add(moment.astimezone(dt.UTC).date().isoformat())
    return days


@dataclass
class MetaResult:
    """One extractor's metadata against the gold: per page, (exact, token F1) for title and
    author, and whether the day of the date matches; pages without a gold field are skipped
    for that field."""

    name: str
    title: dict[str, tuple[bool, float]] = field(default_factory=dict)
    author: dict[str, tuple[bool, float]] = field(default_factory=dict)
    date: dict[str, bool] = field(default_factory=dict)

    def add(self, case: Case, got: Meta) -> None:
        gold = case.meta or Meta()
        if gold.title:
            pred, want = _tokens(got.title), _tokens(gold.title)
            self.title[case.id] = (pred == want, token_f1(pred, want))
        if gold.author:
            pred, want = _author_tokens(got.author), _author_tokens(gold.author)
            self.author[case.id] = (pred == want, token_f1(pred, want))
        if gold.date:  # the day as the page gives it, or that day in UTC (Byline's dates)
            self.date[case.id] = bool(got.date) and got.date[:10] in _days(gold.date)

    def scores(self, ids: set[str]) -> dict[str, float | int]:
        title = [v for k, v in self.title.items() if k in ids]
        author = [v for k, v in self.author.items() if k in ids]
        date = [v for k, v in self.date.items() if k in ids]

        def share(values: list[bool]) -> float:
            return sum(values) / len(values) if values else float("nan")

        return {
            "title_exact": share([e for e, _ in title]),
            "title_f1": sum(f for _, f in title) / len(title) if title else float("nan"),
            "author_exact": share([e for e, _ in author]),
            "author_f1": sum(f for _, f in author) / len(author) if author else float("nan"),
            "date_day": share(date),
            "titles": len(title),
            "authors": len(author),
            "dates": len(date),
        }


def run_meta(cases: Sequence[Case], extractors: dict[str, MetaExtractor]) -> list[MetaResult]:
    """Every metadata extractor on every page with gold metadata (untimed)."""
    results = {name: MetaResult(name) for name in extractors}
    for case in cases:
        if case.meta is None:
            continue
        for name, extract in extractors.items():
            try:
                got = extract(case.html, case.url)
            except Exception:  # scored as nothing found
                got = Meta()
            results[name].add(case, got)
    return list(results.values())


# --------------------------------------------------------------------------- one set


@dataclass
class SetRun:
    """One data set's run: its pages, the text results, the metadata results."""

    name: str
    data: Path
    cases: list[Case]
    results: list[Result]
    meta: list[MetaResult]

    def ids(self) -> dict[str, list[str]]:
        """The page groups reported: every page, the tuning and reporting halves, and for a
        set that marks them, its articles and its non-articles."""
        all_ids = [c.id for c in self.cases]
        tune, report = protocol.split(all_ids, group=str)
        groups = {"all": all_ids, "tune": tune, "report": report}
        if any(not c.article for c in self.cases):
            groups["articles"] = [c.id for c in self.cases if c.article]
            groups["non-articles"] = [c.id for c in self.cases if not c.article]
        return groups

    def byline_over_trafilatura(self, group: str) -> float:
        by_name = {r.name: r for r in self.results}
        ids = self.ids()[group]
        return by_name[BYLINE].subset(ids).f1 - by_name[TRAFILATURA].subset(ids).f1

    def difference_interval(self, group: str) -> tuple[float, float] | None:
        """A 95 % interval for Byline − trafilatura F1 on a group of pages (a paired bootstrap
        over the pages, bench/protocol.py)."""
        by_name = {r.name: r for r in self.results}
        ids = self.ids()[group]
        return protocol.difference_interval(
            [by_name[BYLINE].scores[i].f1 for i in ids],
            [by_name[TRAFILATURA].scores[i].f1 for i in ids],
        )


SETS = ("news", "readability")
TARGET_MARGIN = 0.02  # issue 11: F1 >= trafilatura + 0.02 on each set's reporting half


def ratios(results: Sequence[Result]) -> dict[str, float]:
    by_name = {r.name: r for r in results}
    byline, alone = by_name[BYLINE], by_name[TRAFILATURA]
    return {
        "f1": byline.mean.f1 / alone.mean.f1 if alone.mean.f1 else float("nan"),
        "speed": byline.pages_per_second / alone.pages_per_second,
    }


def command_line(argv: Sequence[str]) -> str:
    """The command that reproduces this run, as typed from the repository root."""
    python = Path(sys.executable)
    try:
        shown = str(python.relative_to(ROOT))
    except ValueError:
        shown = "python"
    return shlex.join([shown, "bench/extraction.py", *argv])


def shown_path(path: Path) -> str:
    resolved = path.resolve()
    try:
        return os.path.relpath(resolved, ROOT)
    except ValueError:
        return str(resolved)


def _set_markdown(run_: SetRun) -> list[str]:
    groups = run_.ids()
    names = [g for g in groups if g != "all"]
    head = " | ".join(f"F1 {g} ({len(groups[g])})" for g in names)
    rows = [
        f"**{run_.name}**: {len(run_.cases)} pages of {shown_path(run_.data)}",
        "",
        f"| Extractor | P report | R report | F1 all | {head} | Pages/s | Empty | Errors |",
        "|---|--:|--:|--:|" + "--:|" * len(names) + "--:|--:|--:|",
    ]
    for r in run_.results:
        report = r.subset(groups["report"])
        cells = " | ".join(f"{r.subset(groups[g]).f1:.4f}" for g in names)
        rows.append(
            f"| {r.label} | {report.precision:.3f} | {report.recall:.3f} | {r.mean.f1:.4f} "
            f"| {cells} | {r.pages_per_second:.1f} | {r.empty} | {r.errors} |"
        )
    ratio = ratios(run_.results)
    margin = run_.byline_over_trafilatura("report")
    verdict = "met" if margin >= TARGET_MARGIN else "NOT met"

    def spread(group: str) -> str:
        bounds = run_.difference_interval(group)
        return "" if bounds is None else f" [95 % interval {bounds[0]:+.4f} to {bounds[1]:+.4f}]"

    rows += [
        "",
        f"Byline − trafilatura F1: tuning half {run_.byline_over_trafilatura('tune'):+.4f}"
        f"{spread('tune')}, reporting half {margin:+.4f}{spread('report')} (target ≥ "
        f"+{TARGET_MARGIN}: {verdict}; intervals by a paired bootstrap over the half's pages); "
        f"speed (pages/s) ×{ratio['speed']:.2f}",
    ]
    rows += [
        f"{r.label} raised on {count} page(s) (scored 0): {kind}"
        for r in run_.results
        for kind, count in r.error_kinds.items()
    ]
    if run_.meta:
        rows += [
            "",
            "| Metadata | half | title exact | title F1 | author exact | author F1 | date (day) |",
            "|---|---|--:|--:|--:|--:|--:|",
        ]
        for m in run_.meta:
            for half in ("tune", "report"):
                s = m.scores(set(groups[half]))
                rows.append(
                    f"| {m.name} | {half} | {s['title_exact']:.3f} | {s['title_f1']:.3f} "
                    f"| {s['author_exact']:.3f} | {s['author_f1']:.3f} | {s['date_day']:.3f} |"
                )
        s = run_.meta[0].scores(set(groups["all"]))
        rows.append(
            f"\nGold fields: {s['titles']} titles, {s['authors']} authors, {s['dates']} dates."
        )
    return rows


def markdown(runs: Sequence[SetRun], argv: Sequence[str], notes: Sequence[str]) -> str:
    lines = [
        f"Article extraction, one run, {dt.date.today().isoformat()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; halves by bench/protocol.py (seed "
        f"{protocol.SEED!r})",
        "",
    ]
    for run_ in runs:
        lines += [*_set_markdown(run_), ""]
    lines += [*notes, "", f"Command: `{command_line(argv)}`"]
    return "\n".join(lines)


def as_json(runs: Sequence[SetRun], argv: Sequence[str], notes: Sequence[str]) -> str:
    def set_json(run_: SetRun) -> dict[str, Any]:
        groups = run_.ids()
        return {
            "data": str(run_.data.resolve()),
            "pages": len(run_.cases),
            "groups": {g: len(ids) for g, ids in groups.items()},
            "byline_minus_trafilatura_f1": {
                g: run_.byline_over_trafilatura(g) for g in ("all", "tune", "report")
            },
            "byline_minus_trafilatura_f1_interval_95": {
                g: run_.difference_interval(g) for g in ("tune", "report")
            },
            "results": [
                {
                    "name": r.name,
                    "label": r.label,
                    **r.mean._asdict(),
                    "by_group": {g: r.subset(ids)._asdict() for g, ids in groups.items()},
                    "pages_per_second": r.pages_per_second,
                    "seconds": r.seconds,
                    "empty": r.empty,
                    "errors": r.errors,
                    "error_kinds": r.error_kinds,
                    "f1_by_page": {page: s.f1 for page, s in r.scores.items()},
                }
                for r in run_.results
            ],
            "ratios_byline_over_trafilatura": ratios(run_.results),
            "metadata": {
                m.name: {half: m.scores(set(groups[half])) for half in ("tune", "report")}
                for m in run_.meta
            },
        }

    return json.dumps(
        {
            "benchmark": "extraction",
            "date": dt.date.today().isoformat(),
            "command": command_line(argv),
            "seed": protocol.SEED,
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            "versions": {
                "trafilatura": version("trafilatura"),
                "newspaper4k": version("newspaper"),
            },
            "sets": {run_.name: set_json(run_) for run_ in runs},
            "notes": list(notes),
        },
        indent=2,
    )


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/extraction.py",
        description=(
            "Run Byline's article extractor (byline.extract.article.extract_article) and "
            "trafilatura alone (trafilatura.extract with default settings) side by side in one "
            "run over two extraction sets: 'news' (181 news pages) and 'readability' (130 pages "
            "of Mozilla Readability's tests). Prints mean precision, recall and F1 of 4-token "
            "shingles for every page, the tuning half and the reporting half (bench/protocol.py; "
            "docs/evaluation.md), pages per second (extraction time only), and, on the "
            "readability set, title, author and date against its metadata, as Markdown ready "
            "for BENCHMARKS.md. A set whose folder is absent is skipped with a message."
        ),
        epilog="Run it from the repository root: .venv/bin/python bench/extraction.py (make bench)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="the news set: ground-truth.json and html/<id>.html.gz "
        "(default: ../shared/data/extraction beside the repository root)",
    )
    parser.add_argument(
        "--readability-data",
        type=Path,
        default=DEFAULT_READABILITY,
        help="the readability set: pages/<id>/{source,expected}.html.gz "
        "(default: ../shared/data/extraction-readability)",
    )
    parser.add_argument(
        "--set",
        choices=("all", *SETS),
        default="all",
        help="which set to run (default: both)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="only the first N pages of each set in id order (default: all of them)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object instead of Markdown"
    )
    parser.add_argument(
        "--extra",
        choices=("auto", "none", *EXTRAS),
        default="auto",
        help="other extractors to run alongside: 'auto' (default) runs every one that is "
        "installed (newspaper4k: pip install newspaper4k), 'none' runs none, a name runs that "
        "one (and says so when it is not installed)",
    )
    parser.add_argument(
        "--ablation",
        action="store_true",
        help="also run Byline with each step turned off, the previous Byline main text, and "
        "Byline with site chrome learnt from the set's other pages of the same host",
    )
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    return args


def load_set(name: str, args: argparse.Namespace) -> tuple[Path, list[Case]] | str:
    """The set's folder and pages, or why it is skipped."""
    if name == "news":
        data: Path = args.data
        if not (data / "ground-truth.json").is_file() or not (data / "html").is_dir():
            return f"skipped: extraction data {data} not found (it ships beside the repository)"
        return data, load_cases(data, args.limit)
    data = args.readability_data
    if not (data / "pages").is_dir():
        return f"skipped: readability data {data} not found (it ships beside the repository)"
    return data, load_readability_cases(data, args.limit)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # extractors' per-page warnings are noise here
    warnings.simplefilter("ignore")
    extractors: dict[str, tuple[str, Extractor]] = {
        BYLINE: ("Byline (`extract_article`)", byline_text),
        TRAFILATURA: (f"trafilatura {version('trafilatura')} alone, defaults", trafilatura_text),
    }
    notes: list[str] = []
    if args.extra in ("auto", NEWSPAPER):
        news = newspaper_extractor()
        if news is not None:
            extractors[NEWSPAPER] = (f"newspaper4k {version('newspaper')}", news)
        elif args.extra == NEWSPAPER:
            notes.append("newspaper4k: skipped, not installed (pip install newspaper4k)")
    meta_extractors: dict[str, MetaExtractor] = {
        BYLINE: byline_meta,
        TRAFILATURA: trafilatura_meta,
    }
    runs: list[SetRun] = []
    for name in SETS if args.set == "all" else (args.set,):
        loaded = load_set(name, args)
        if isinstance(loaded, str):
            notes.append(loaded)
            continue
        data, cases = loaded
        chosen = dict(extractors)
        if args.ablation:
            chosen.update(ablation_extractors(cases))
        results = run(cases, chosen)
        with_meta = any(c.meta is not None for c in cases)
        meta = run_meta(cases, meta_extractors) if with_meta else []
        runs.append(SetRun(name, data, cases, results, meta))
    if not runs:
        print(json.dumps({"skipped": notes}) if args.json else "\n".join(notes))
        return 0
    render = as_json if args.json else markdown
    print(render(runs, argv, notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
