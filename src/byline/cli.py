"""The `byline` command. Only this module prints; library code raises ``BylineError``,
which becomes a one-line message and a non-zero exit here.

Exit codes: 0 success; 1 done, but some inputs were bad (each named on stderr);
2 usage error, bad settings or nothing could be done.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from byline import __version__
from byline.errors import BylineError

EXIT_OK, EXIT_PARTIAL, EXIT_ERROR = 0, 1, 2

DESCRIPTION = """\
Byline gathers news from outlets' feeds, extracts each article, groups every outlet's
coverage of an event into one story, and traces each copy (syndicated, scraped, spun) back
to its origin. It publishes headlines, standfirsts, short excerpts and links to the original.

quick start:
  byline demo                      ingest the bundled sample outlets and serve the site
  byline sources add "Name" URL    follow a feed      byline fetch      fetch what is due
  byline serve                     serve the site on http://127.0.0.1:8000

database-free tools (JSON lines in, JSON lines out):
  byline extract page.html         article records from HTML files
  byline cluster articles.jsonl    {"id", "story"} per record
  byline provenance articles.jsonl {"id", "relation", "origin_id", "score", "evidence"}
"""

EPILOG = """\
settings: every option is also a BYLINE_* environment variable (and DATABASE_URL);
`byline config dump` shows them all with their current values.
exit codes: 0 ok, 1 some inputs were bad (named on stderr), 2 error."""


def _django(args: argparse.Namespace, migrate: bool = True) -> Any:
    """Point Django at our settings (after applying global flags), set it up, migrate."""
    if getattr(args, "data_dir", None):
        os.environ["BYLINE_DATA_DIR"] = str(args.data_dir)
    if getattr(args, "database_url", None):
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.web.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    logging.getLogger().setLevel(
        logging.INFO if getattr(args, "verbose", False) else logging.WARNING
    )
    if migrate:
        call_command("migrate", verbosity=0, interactive=False)
        from byline.news import store

        store.ensure_sections()
    return settings.BYLINE


def _config(args: argparse.Namespace) -> Any:
    from byline import config

    overrides = {"data_dir": args.data_dir, "database_url": args.database_url}
    return config.load(overrides=overrides)


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress display on a terminal (one bar per stage), nothing otherwise."""
    if not enabled:
        yield lambda stage, done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    labels = {
        "feeds": "Fetching feeds",
        "pages": "Fetching articles",
        "judge": "Judging stories",
        "store": "Storing articles",
    }
    with Progress(
        TextColumn("{task.description:<20}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def _print_report(report: Any) -> None:
    print(
        f"feeds ok {report.feeds_ok}, failed {report.feeds_failed}; pages {report.pages_fetched}; "
        f"new articles {report.articles_added}; new stories {report.stories_created}"
    )
    for problem in report.problems[:20]:
        print(f"  problem: {problem}", file=sys.stderr)
    if len(report.problems) > 20:
        print(f"  … and {len(report.problems) - 20} more", file=sys.stderr)


# ── commands ──────────────────────────────────────────────────────────────────────────────


def cmd_demo(args: argparse.Namespace) -> int:
    config = _django(args)
    from byline.demo.run import run_demo
    from byline.news import queries

    port = int(config.demo_outlets_port) if args.outlets_port is None else args.outlets_port
    with _progress(sys.stderr.isatty() and not args.quiet) as progress:
        run = run_demo(config, port, progress)
    print(
        "Byline demo: the bundled SAMPLE outlets (fictional, written for Byline) are served "
        f"on {run.server.base_url}/"
    )
    _print_report(run.report)
    totals = queries.counts()
    print(
        f"{totals['sources']} sources, {totals['articles']} articles, "
        f"{totals['stories']} stories in the database"
    )
    try:
        if args.no_serve:
            return EXIT_OK
        return _serve(config, args.host, args.port)
    finally:
        run.server.stop()


def _serve(config: Any, host: str | None, port: int | None) -> int:
    from waitress import serve

    from byline.web.wsgi import application

    host = host or config.host
    port = int(config.port) if port is None else port
    print(f"Byline is serving on http://{host}:{port}/  (Ctrl-C to stop)", flush=True)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            serve(application, host=host, port=port, threads=8, ident="byline", _quiet=True)
    except OSError as exc:
        raise BylineError(
            f"cannot listen on {host}:{port} ({exc.strerror}); use --port or BYLINE_PORT"
        ) from None
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    config = _django(args)
    return _serve(config, args.host, args.port)


def cmd_migrate(args: argparse.Namespace) -> int:
    _django(args)
    print("database is up to date")
    return EXIT_OK


def cmd_sources(args: argparse.Namespace) -> int:
    _django(args)
    from byline.news import store

    if args.action == "add":
        feed = store.add_source(
            args.name,
            args.feed_url,
            args.home or "",
            args.kind,
            args.country or "",
            args.language or "",
        )
        print(f"added {feed.source.name} ({feed.source.slug}): {feed.url}")
    elif args.action == "remove":
        print(f"removed {store.remove_source(args.key)}")
    else:
        feeds = store.list_feeds()
        if args.json:
            print(json.dumps([_feed_json(f) for f in feeds], indent=2, default=str))
        elif not feeds:
            print("no sources yet: byline sources add NAME FEED_URL")
        for f in feeds if not args.json else []:
            state = "PAUSED" if f.paused else ("failing" if f.consecutive_failures else "ok")
            print(f"{f.slug:<24} {f.kind:<10} {f.articles:>5} articles  {state:<8} {f.url}")
            if f.last_status:
                print(f"{'':<24} last: {f.last_status}")
    return EXIT_OK


def _feed_json(feed: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(feed)


def cmd_fetch(args: argparse.Namespace) -> int:
    config = _django(args)
    from byline.ingest import fetch_feeds
    from byline.news import store

    feeds = store.feeds_due(force=args.all)
    if not feeds:
        print("no feeds are due (use --all to fetch every feed now)")
        return EXIT_OK
    with _progress(sys.stderr.isatty() and not args.quiet) as progress:
        report = fetch_feeds(config, feeds, progress)
    _print_report(report)
    return EXIT_PARTIAL if report.problems else EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    config = _django(args)
    from byline.importer import import_paths

    with _progress(sys.stderr.isatty() and not args.quiet) as progress:
        report = import_paths(
            config, [Path(p) for p in args.paths], args.source, args.kind, progress
        )
    _print_report(report)
    return EXIT_PARTIAL if report.problems else EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    from byline.tools import extract_records

    url_map: dict[str, str] = {}
    if args.url_map:
        try:
            url_map = json.loads(Path(args.url_map).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BylineError(f"cannot read --url-map {args.url_map}: {exc}") from None
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise BylineError(f"no such file or folder: {', '.join(missing)}")
    return extract_records([Path(p) for p in args.paths], url_map, sys.stdout, sys.stderr)


def _judge_tool(args: argparse.Namespace, kind: str) -> int:
    from byline import tools
    from byline.pipeline import JudgeParams

    params = JudgeParams.from_config(_config(args))
    try:
        stream = tools.open_input(args.file)
    except OSError as exc:
        raise BylineError(f"cannot read {args.file}: {exc.strerror}") from None
    with stream:
        run = tools.cluster_records if kind == "cluster" else tools.provenance_records
        return run(stream, sys.stdout, sys.stderr, params)


def cmd_cluster(args: argparse.Namespace) -> int:
    return _judge_tool(args, "cluster")


def cmd_provenance(args: argparse.Namespace) -> int:
    return _judge_tool(args, "provenance")


def cmd_config(args: argparse.Namespace) -> int:
    from byline import config

    loaded = _config(args)
    rows = []
    for setting in config.SETTINGS:
        value = loaded.values[setting.name]
        if setting.name == "secret_key" and value:
            value = "(set)"
        rows.append(
            {
                "name": setting.name,
                "env": setting.env_name,
                "value": value,
                "from": loaded.origins[setting.name],
                "help": setting.help,
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2, default=list))
        return EXIT_OK
    for row in rows:
        value = ",".join(row["value"]) if isinstance(row["value"], tuple) else row["value"]
        print(f"{row['env']}={value}    # {row['help']} [{row['from']}]")
    return EXIT_OK


def cmd_manage(args: argparse.Namespace) -> int:
    _django(args, migrate=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["byline manage", *args.rest])
    return EXIT_OK


# ── parser ────────────────────────────────────────────────────────────────────────────────


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="byline",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"byline {__version__}")
    parser.add_argument("--data-dir", help="data folder (database, raw pages) [BYLINE_DATA_DIR]")
    parser.add_argument("--database-url", help="postgres://… to use PostgreSQL [DATABASE_URL]")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def add(
        name: str, func: Callable[[argparse.Namespace], int], help: str, description: str = ""
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help,
            description=description or help,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(func=func)
        return p

    p = add(
        "demo",
        cmd_demo,
        "ingest the bundled sample outlets and serve the site",
        "Serve the bundled SAMPLE outlets (fictional, written for Byline) on 127.0.0.1,\n"
        "ingest their feeds and pages through the real pipeline, then serve the site.",
    )
    p.add_argument("--no-serve", action="store_true", help="ingest, then exit")
    p.add_argument("--host", help="address to serve the site on [BYLINE_HOST]")
    p.add_argument("--port", type=int, help="port to serve the site on [BYLINE_PORT]")
    p.add_argument(
        "--outlets-port", type=int, help="port for the sample outlets [BYLINE_DEMO_OUTLETS_PORT]"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")

    p = add("serve", cmd_serve, "serve the site (and its JSON API) over the database")
    p.add_argument("--host", help="address to listen on [BYLINE_HOST]")
    p.add_argument("--port", type=int, help="port to listen on [BYLINE_PORT]")

    add("migrate", cmd_migrate, "create or upgrade the database schema")

    p = add("sources", cmd_sources, "add, list or remove the outlets and feeds you follow")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    a = actions.add_parser("add", help="follow a feed: byline sources add NAME FEED_URL")
    a.add_argument("name", help="the outlet's name, e.g. 'The Meridian Herald'")
    a.add_argument("feed_url", help="its RSS, Atom or JSON Feed URL")
    a.add_argument("--home", help="the outlet's home page")
    a.add_argument(
        "--kind",
        default="outlet",
        choices=["outlet", "wire", "aggregator"],
        help="outlet (default), wire (a news agency) or aggregator",
    )
    a.add_argument("--country")
    a.add_argument("--language", help="ISO 639-1 code, e.g. en")
    ls = actions.add_parser("list", help="list sources with feed health")
    ls.add_argument("--json", action="store_true", help="print JSON")
    r = actions.add_parser("remove", help="stop following a source and delete its articles")
    r.add_argument("key", help="the source's slug, id or feed URL")

    p = add("fetch", cmd_fetch, "fetch feeds that are due, then their new articles")
    p.add_argument("--all", action="store_true", help="fetch every feed now, due or not")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")

    p = add(
        "import",
        cmd_import,
        "store articles from HTML files, folders, .gz or JSONL",
        "Import HTML pages (plain or .gz, or folders of them) or JSONL article records\n"
        '({"url", "title", "text", "published", "source"}) into the database.',
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--source", default="Imported", help="source name for pages without one")
    p.add_argument("--kind", default="outlet", choices=["outlet", "wire", "aggregator"])
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")

    p = add(
        "extract",
        cmd_extract,
        "extract article records from HTML files (JSONL out)",
        "Read HTML files (plain or .gz) or folders and write one JSON object per page:\n"
        '{"id": FILE NAME, "url", "title", "standfirst", "author", "published",\n'
        ' "language", "text"}.  Exit 1 when some files could not be read.',
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--url-map", metavar="FILE.json", help="JSON {file name: url}")

    for name, func, out in (
        ("cluster", cmd_cluster, '{"id", "story"}'),
        ("provenance", cmd_provenance, '{"id", "relation", "origin_id", "score", "evidence"}'),
    ):
        p = add(
            name,
            func,
            f"{name} article records (JSONL in, JSONL out)",
            'Read article records {"id", "url", "source", "title", "text", "published"}\n'
            f"(one JSON object per line; other fields ignored) and write {out}\n"
            "for each record, in input order. A bad line is named on stderr, gets a line\n"
            'with "error" set, and the rest are processed (exit 1).',
        )
        p.add_argument("file", metavar="FILE|-", help="JSONL file, or - for standard input")

    p = add("config", cmd_config, "show the settings in force (`config dump`)")
    p.add_argument("what", choices=["dump"], help="dump: every setting, value and origin")
    p.add_argument("--json", action="store_true")

    p = add("manage", cmd_manage, "run a Django management command (e.g. createsuperuser)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Libraries we call (trafilatura, htmldate, courlan) log their own complaints about odd
    # pages; the CLI reports each failure once, in its own words, unless asked for more.
    for noisy in ("trafilatura", "htmldate", "courlan", "readability", "justext"):
        logging.getLogger(noisy).setLevel(logging.INFO if args.verbose else logging.CRITICAL)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s %(message)s",
    )
    try:
        return int(args.func(args))
    except BylineError as exc:
        print(f"byline: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("byline: interrupted", file=sys.stderr)
        return 130
