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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction"

if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from bench.metrics import Score, mean, mean_score, prf  # noqa: E402
from byline.errors import ExtractionError  # noqa: E402
from byline.extract.article import Steps, extract_article  # noqa: E402
from byline.extract.boilerplate import learn_chrome  # noqa: E402

Extractor = Callable[[bytes, str], str]

BYLINE = "byline"
TRAFILATURA = "trafilatura"
NEWSPAPER = "newspaper4k"
EXTRAS = (NEWSPAPER,)


@dataclass(frozen=True)
class Case:
    """One page of the set: its id, URL, hand-made article body and raw HTML bytes."""

    id: str
    url: str
    gold: str
    html: bytes


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

    def halves(self) -> tuple[float, float]:
        """Mean F1 over the first and the second half of the pages in id order (the first
        half has ⌊n/2⌋ pages): a change that fits one half of the set shows up here."""
        ids = sorted(self.scores)
        cut = len(ids) // 2
        first, second = ids[:cut] or ids, ids[cut:]
        return (
            mean(self.scores[i].f1 for i in first),
            mean(self.scores[i].f1 for i in second),
        )

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
    "no-continuation": ("Byline without step 3 (sibling containers)", Steps(continuation=False)),
    "no-furniture-lines": (
        "Byline without step 4 (furniture lines)",
        Steps(furniture_lines=False),
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


def markdown(
    results: Sequence[Result], pages: int, data: Path, argv: Sequence[str], notes: Sequence[str]
) -> str:
    rows = [
        "| Extractor | Precision | Recall | F1 | F1 1st half | F1 2nd half | Pages/s | Empty "
        "| Errors |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        s = r.mean
        first, second = r.halves()
        rows.append(
            f"| {r.label} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.4f} | {first:.4f} "
            f"| {second:.4f} | {r.pages_per_second:.1f} | {r.empty} | {r.errors} |"
        )
    ratio = ratios(results)
    errors = [
        f"{r.label} raised on {count} page(s) (scored 0): {kind}"
        for r in results
        for kind, count in r.error_kinds.items()
    ]
    lines = [
        f"Article extraction, {pages} pages of {shown_path(data)}, one run, "
        f"{dt.date.today().isoformat()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "",
        *rows,
        "",
        f"Byline / trafilatura: F1 ×{ratio['f1']:.3f}, speed (pages/s) ×{ratio['speed']:.2f}",
        *notes,
        *errors,
        "",
        f"Command: `{command_line(argv)}`",
    ]
    return "\n".join(lines)


def as_json(
    results: Sequence[Result], pages: int, data: Path, argv: Sequence[str], notes: Sequence[str]
) -> str:
    return json.dumps(
        {
            "benchmark": "extraction",
            "date": dt.date.today().isoformat(),
            "command": command_line(argv),
            "data": str(data.resolve()),
            "pages": pages,
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            "versions": {
                "trafilatura": version("trafilatura"),
                "newspaper4k": version("newspaper"),
            },
            "results": [
                {
                    "name": r.name,
                    "label": r.label,
                    **r.mean._asdict(),
                    "f1_halves": list(r.halves()),
                    "pages_per_second": r.pages_per_second,
                    "seconds": r.seconds,
                    "empty": r.empty,
                    "errors": r.errors,
                    "error_kinds": r.error_kinds,
                    "f1_by_page": {page: s.f1 for page, s in r.scores.items()},
                }
                for r in results
            ],
            "ratios_byline_over_trafilatura": ratios(results),
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
            "run over the article-extraction set, and print mean precision, recall and F1 of "
            "4-token shingles, pages per second (extraction time only) and the Byline / "
            "trafilatura ratios, as a Markdown table ready for BENCHMARKS.md. Exits 0 with "
            "'skipped: ...' when the data folder is absent."
        ),
        epilog="Run it from the repository root: .venv/bin/python bench/extraction.py (make bench)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="folder with ground-truth.json and html/<id>.html.gz "
        "(default: ../shared/data/extraction beside the repository root)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="only the first N pages in id order (default: all of them)",
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


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # extractors' per-page warnings are noise here
    warnings.simplefilter("ignore")
    data: Path = args.data
    if not (data / "ground-truth.json").is_file() or not (data / "html").is_dir():
        message = f"skipped: extraction data {data} not found (it ships beside the repository)"
        print(json.dumps({"skipped": message}) if args.json else message)
        return 0

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

    cases = load_cases(data, args.limit)
    if not cases:
        print(f"skipped: no pages in {data}")
        return 0
    if args.ablation:
        extractors.update(ablation_extractors(cases))
    results = run(cases, extractors)
    render = as_json if args.json else markdown
    print(render(results, len(cases), data, argv, notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
