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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from byline import __version__
from byline.errors import BylineError
from byline.logs import CurrentStderrHandler

EXIT_OK, EXIT_PARTIAL, EXIT_ERROR = 0, 1, 2

DESCRIPTION = """\
Byline gathers news from outlets' feeds, extracts each article, groups every outlet's
coverage of an event into one story, and traces each copy (syndicated, scraped, spun) back
to its origin. It publishes headlines, standfirsts, short excerpts and links to the original.

quick start:
  byline demo                      ingest the bundled sample outlets and serve the site
  byline sources add "Name" URL    follow a feed or sitemap   (sources discover URL finds them)
  byline sources import my.opml    follow every feed of an OPML file, folders as sections
  byline fetch                     fetch what is due (politely; several workers may run at once)
  byline import CC-NEWS.warc.gz    ingest archived pages (HTML, .gz, JSONL and WARC)
  byline run                       serve the site on http://127.0.0.1:8000 and keep fetching
  byline serve                     serve the site only
  byline backup byline.db          back up the database while it runs (restore PATH --yes)

database-free tools (JSON lines in, JSON lines out):
  byline extract page.html         article records from HTML files
  byline cluster articles.jsonl    {"id", "story"} per record
  byline provenance articles.jsonl {"id", "relation", "origin_id", "score", "evidence"}
"""

EPILOG = """\
settings: every option is also a BYLINE_* environment variable (and DATABASE_URL);
`byline config dump` shows them all with their current values.
exit codes: 0 ok, 1 some inputs were bad (named on stderr), 2 error."""


def _day(value: str) -> datetime:
    """A YYYY-MM-DD argument, as the start of that day in UTC."""
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a day as YYYY-MM-DD") from None


def _positive(value: str) -> int:
    """A whole number of one or more."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of one or more")
    return number


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
        from byline.news import registry

        registry.ensure_sections()
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
        "entities": "Finding names",
        "store": "Storing articles",
        "warc": "Reading WARC records",
        "reprocess": "Re-extracting pages",
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
        + (f"; updated articles {report.articles_updated}" if report.articles_updated else "")
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
        return _run(config, args.host, args.port, fetch=True)
    finally:
        run.server.stop()


def _serve(config: Any, host: str | None, port: int | None) -> int:
    from waitress import serve

    from byline.service.run import server_options
    from byline.web.wsgi import application

    host = host or config.host
    port = int(config.port) if port is None else port
    print(f"Byline is serving on http://{host}:{port}/  (Ctrl-C to stop)", flush=True)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            serve(application, host=host, port=port, _quiet=True, **server_options(config))
    except OSError as exc:
        raise BylineError(
            f"cannot listen on {host}:{port} ({exc.strerror}); use --port or BYLINE_PORT"
        ) from None
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    config = _django(args)
    return _serve(config, args.host, args.port)


def _run(config: Any, host: str | None, port: int | None, fetch: bool) -> int:
    from byline.pipeline import JudgeParams
    from byline.service.run import run_service

    JudgeParams.from_config(config)  # a setting that needs a missing extra stops it here

    logging.getLogger("byline").setLevel(logging.INFO)
    host = host or config.host
    port = int(config.port) if port is None else port
    return run_service(config, host, port, fetch=fetch, announce=lambda s: print(s, flush=True))


def cmd_run(args: argparse.Namespace) -> int:
    if args.log_format:
        os.environ["BYLINE_LOG_FORMAT"] = args.log_format
    config = _django(args)
    return _run(config, args.host, args.port, fetch=not args.no_fetch)


def cmd_migrate(args: argparse.Namespace) -> int:
    _django(args)
    print("database is up to date")
    return EXIT_OK


def cmd_sources(args: argparse.Namespace) -> int:
    config = _django(args)
    from byline.news import registry

    more = _SOURCE_ACTIONS.get(args.action)
    if more is not None:
        return more(args, config)
    if args.action == "add":
        feed = registry.add_source(
            args.name,
            args.feed_url,
            args.home or "",
            args.kind,
            args.country or "",
            args.language or "",
            args.type or _guess_type(args.feed_url),
        )
        print(f"added {feed.source.name} ({feed.source.slug}): {feed.url}" + _kind_note(feed))
    elif args.action == "remove":
        print(f"removed {registry.remove_source(args.key)}")
    else:
        feeds = registry.list_feeds()
        if args.json:
            print(json.dumps([_feed_json(f) for f in feeds], indent=2, default=str))
        elif not feeds:
            print("no sources yet: byline sources add NAME FEED_URL")
        for f in feeds if not args.json else []:
            state = "PAUSED" if f.paused else ("failing" if f.consecutive_failures else "ok")
            print(f"{f.slug:<24} {f.kind:<10} {f.articles:>5} articles  {state:<8} {f.url}")
            if f.last_status:
                print(f"{'':<24} last: {f.last_status}")
            if f.websub:
                print(f"{'':<24} WebSub: {f.websub}")
            if f.paused:
                print(f"{'':<24} paused: {_paused_reason(f.url)}")
            if f.content_farm:
                print(
                    f"{'':<24} CONTENT FARM: {f.copies} of {f.judged} judged articles are "
                    "spun or scraped copies"
                )
    return EXIT_OK


def _paused_reason(url: str) -> str:
    from byline.news.models import Feed

    reason = Feed.objects.filter(url=url).values_list("paused_reason", flat=True).first()
    return reason or "(no reason recorded)"


def _feed_json(feed: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(feed)


def _kind_note(feed: Any) -> str:
    return "" if feed.kind == "feed" else f" [{feed.kind}]"


def _guess_type(url: str) -> str:
    from byline.fetch.documents import looks_like_sitemap_url

    return "sitemap" if looks_like_sitemap_url(url) else "feed"


def _sources_discover(args: argparse.Namespace, config: Any) -> int:
    from byline.adhoc import discover
    from byline.news import registry

    found = discover(config, args.url)
    if not found.feeds:
        print(f"no feeds linked from {found.url}; common places to try (not fetched):")
        for url in found.suggestions:
            print(f"  {url}")
        return EXIT_PARTIAL
    print(f"{'the URL is itself a feed' if found.is_feed else 'feeds linked from'} {found.url}:")
    for n, feed in enumerate(found.feeds, start=1):
        print(f"  {n}. {feed.format:<8} {feed.url}" + (f"  ({feed.title})" if feed.title else ""))
    if args.add:
        if not 1 <= args.pick <= len(found.feeds):
            raise BylineError(f"--pick {args.pick}: choose 1 to {len(found.feeds)}")
        chosen = found.feeds[args.pick - 1]
        home = "" if found.is_feed else found.url
        feed_type = "sitemap" if chosen.format == "sitemap" else "feed"
        added = registry.add_source(args.add, chosen.url, home, args.kind, feed_type=feed_type)
        print(f"added {added.source.name} ({added.source.slug}): {added.url}" + _kind_note(added))
    return EXIT_OK


def _sources_import(args: argparse.Namespace, config: Any) -> int:
    from byline.fetch.opml import parse_opml
    from byline.judge.sections import SECTIONS
    from byline.news import registry

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise BylineError(f"cannot read {args.file}: {exc.strerror}") from None
    doc = parse_opml(data, args.file)
    done = registry.import_outlines(doc.outlines)
    print(
        f"imported {len(doc.outlines)} feeds from {args.file}: {done.added} new, "
        f"{done.updated} updated, {done.sectioned} with a section from their folder"
    )
    names = ", ".join(s.name for s in SECTIONS)
    for folder in doc.unknown_folders:
        print(
            f"  folder {folder!r} names no section ({names}): its feeds have none", file=sys.stderr
        )
    for reason in doc.skipped:
        print(f"  skipped: {reason}", file=sys.stderr)
    return EXIT_PARTIAL if doc.skipped else EXIT_OK


def _sources_export(args: argparse.Namespace, config: Any) -> int:
    from byline.fetch.opml import export_opml
    from byline.news import registry

    outlines = registry.feeds_for_export()
    data = export_opml(outlines, title=f"{config.site_name} sources")
    if args.file in ("", "-"):
        sys.stdout.write(data.decode("utf-8"))
        return EXIT_OK
    try:
        Path(args.file).write_bytes(data)
    except OSError as exc:
        raise BylineError(f"cannot write {args.file}: {exc.strerror}") from None
    print(f"exported {len(outlines)} feeds to {args.file}", file=sys.stderr)
    return EXIT_OK


def _sources_add_url(args: argparse.Namespace, config: Any) -> int:
    from byline.adhoc import fetch_urls

    report = fetch_urls(config, args.urls, args.source or "", args.kind)
    for url in report.added:
        print(f"added {url}")
    for url in report.known:
        print(f"already stored: {url}")
    print(f"new articles {len(report.added)}; new stories {report.stories_created}")
    for problem in report.problems:
        print(f"  problem: {problem}", file=sys.stderr)
    return EXIT_PARTIAL if report.problems else EXIT_OK


_SOURCE_ACTIONS: dict[str, Callable[[argparse.Namespace, Any], int]] = {
    "discover": _sources_discover,
    "import": _sources_import,
    "export": _sources_export,
    "add-url": _sources_add_url,
}


def cmd_fetch(args: argparse.Namespace) -> int:
    config = _django(args)
    from byline.ingest import fetch_feeds
    from byline.news import registry

    feeds = registry.claim_due_feeds(force=args.all)
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
    if report.skipped:
        counts = ", ".join(f"{reason} {n}" for reason, n in report.skipped.most_common())
        print(f"WARC records not imported: {counts}")
    return EXIT_PARTIAL if report.problems else EXIT_OK


def cmd_rejudge(args: argparse.Namespace) -> int:
    config = _django(args)
    from byline.rejudge import BLOCK, rejudge

    with _progress(sys.stderr.isatty() and not args.quiet) as progress:
        report = rejudge(config, args.since, args.dry_run, progress, args.block or BLOCK)
    verb = "would change" if args.dry_run else "changed"
    print(f"articles {report.articles}; labels {verb} {report.changed}")
    if report.flipped:
        print(
            f"  {report.passes} passes: the new labels changed the content-farm flag of "
            f"{', '.join(report.flipped)}, so the blocks that read it were judged again"
        )
    if report.unsettled:
        print(
            f"  flags still changing after {report.passes} passes: "
            f"{', '.join(report.unsettled)}; run `byline rejudge` again",
            file=sys.stderr,
        )
    for (before, after), n in report.transitions.most_common():
        what = f"{before} → {after}" if before != after else f"{after} (origin or evidence)"
        print(f"  {n:>6}  {what}")
    shown = report.changes if args.verbose or args.dry_run else report.changes[:20]
    for change in shown[:1000]:
        print(f"  {change.article_id} {change.url}: {change.before} → {change.after}")
    if len(report.changes) > len(shown[:1000]):
        print(f"  … and {len(report.changes) - len(shown[:1000])} more")
    return EXIT_OK


def cmd_reprocess(args: argparse.Namespace) -> int:
    config = _django(args)
    from byline.reprocess import reprocess

    with _progress(sys.stderr.isatty() and not args.quiet) as progress:
        report = reprocess(config, args.source, args.dry_run, progress)
    verb = "would change" if args.dry_run else "changed"
    print(
        f"pages {report.pages}; articles {verb} {report.changed}, unchanged "
        f"{report.unchanged}, failed {report.failed}"
        + ("" if args.dry_run else f"; re-judged {report.rejudged}, new stories ")
        + ("" if args.dry_run else str(report.stories_created))
    )
    shown = report.changes if args.verbose or args.dry_run else report.changes[:20]
    for change in shown[:1000]:
        print(f"  {change.article_id} {change.url}: {', '.join(change.fields)}")
    if len(report.changes) > len(shown[:1000]):
        print(f"  … and {len(report.changes) - len(shown[:1000])} more")
    for problem in report.problems[:20]:
        print(f"  problem: {problem}", file=sys.stderr)
    if len(report.problems) > 20:
        print(f"  … and {len(report.problems) - 20} more", file=sys.stderr)
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


def cmd_backup(args: argparse.Namespace) -> int:
    _django(args)
    from byline.news import backup

    done = backup.backup(Path(args.path))
    print(f"backed up the {done.engine} database to {done.path} ({done.size:,} bytes)")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    if not args.yes:
        raise BylineError(
            "restore replaces everything in the database with the backup's contents; "
            "add --yes to go ahead (take a backup first: byline backup PATH)"
        )
    _django(args, migrate=False)
    from django.core.management import call_command

    from byline.news import backup

    done = backup.restore(Path(args.path))
    call_command("migrate", verbosity=0, interactive=False)  # a backup from an older Byline
    print(f"restored the {done.engine} database from {done.path}")
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
        "ingest their feeds and pages through the real pipeline, then run the site as\n"
        "`byline run` does: serving, and fetching the outlets again as they fall due.",
    )
    p.add_argument("--no-serve", action="store_true", help="ingest, then exit")
    p.add_argument("--host", help="address to serve the site on [BYLINE_HOST]")
    p.add_argument("--port", type=int, help="port to serve the site on [BYLINE_PORT]")
    p.add_argument(
        "--outlets-port", type=int, help="port for the sample outlets [BYLINE_DEMO_OUTLETS_PORT]"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")

    p = add(
        "run",
        cmd_run,
        "serve the site and keep fetching due feeds, in one service (for deployment)",
        "Serve the site and, in the same process, keep fetching: a supervised loop claims\n"
        "the feeds that are due, fetches them and their new articles, judges them, and sleeps\n"
        "until the next feed falls due (at most BYLINE_RUN_IDLE_SECONDS). Several `byline run`\n"
        "or `byline fetch` processes may share one PostgreSQL database: each feed is fetched\n"
        "by one of them.\n\n"
        "  /healthz    200 while the process answers (liveness)\n"
        "  /readyz     200 when the database answers and is migrated and the fetch loop\n"
        "              runs; 503 with the reason otherwise (readiness)\n"
        "  /metrics    Prometheus text format, for BYLINE_METRICS_NETWORKS (default\n"
        "              loopback): feeds due, fetch errors by reason, pages per minute,\n"
        "              judge latency, queue depth, requests by route\n\n"
        "SIGTERM or Ctrl-C stops it cleanly: requests in hand are answered, the page in hand\n"
        "is stored, pages not yet fetched are left for the next run (their feeds fall due\n"
        "again at once), and nothing is lost. Logs go to stderr; --log-format json (or\n"
        "BYLINE_LOG_FORMAT=json) writes one JSON object per line. docs/deploy.md shows it\n"
        "under systemd and in a container.",
    )
    p.add_argument("--host", help="address to listen on [BYLINE_HOST]")
    p.add_argument("--port", type=int, help="port to listen on [BYLINE_PORT]")
    p.add_argument("--no-fetch", action="store_true", help="serve only (another process fetches)")
    p.add_argument(
        "--log-format", choices=["text", "json"], help="log line format [BYLINE_LOG_FORMAT]"
    )

    p = add("serve", cmd_serve, "serve the site (and its JSON API) over the database")
    p.add_argument("--host", help="address to listen on [BYLINE_HOST]")
    p.add_argument("--port", type=int, help="port to listen on [BYLINE_PORT]")

    add("migrate", cmd_migrate, "create or upgrade the database schema")

    p = add(
        "sources",
        cmd_sources,
        "add, list or remove the outlets and feeds you follow; discover, import, export",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    a = actions.add_parser("add", help="follow a feed: byline sources add NAME FEED_URL")
    a.add_argument("name", help="the outlet's name, e.g. 'The Meridian Herald'")
    a.add_argument("feed_url", help="its RSS, Atom or JSON Feed URL, or its (news) sitemap")
    a.add_argument(
        "--type",
        choices=["feed", "sitemap", "page"],
        help="feed (RSS, Atom, JSON Feed), sitemap (news, plain or index), or page (an HTML "
        "page whose article links are followed). Default: sitemap when the URL names one, "
        "else feed; feeds and sitemaps are also told apart by content when fetched",
    )
    a.add_argument("--home", help="the outlet's home page")
    a.add_argument(
        "--kind",
        default="outlet",
        choices=["outlet", "wire", "aggregator"],
        help="outlet (default), wire (a news agency) or aggregator (republishes others' "
        "reports: its articles that share no text with any other read as copies of reports "
        "outside Byline)",
    )
    a.add_argument("--country")
    a.add_argument("--language", help="ISO 639-1 code, e.g. en")
    ls = actions.add_parser("list", help="list sources with feed health")
    ls.add_argument("--json", action="store_true", help="print JSON")
    r = actions.add_parser("remove", help="stop following a source and delete its articles")
    r.add_argument("key", help="the source's slug, id or feed URL")
    d = actions.add_parser(
        "discover",
        help="list the feeds a home page links (<link rel=alternate>); --add follows one",
    )
    d.add_argument("url", help="the outlet's home page (or any page of it)")
    d.add_argument("--add", metavar="NAME", help="follow the feed found, under this name")
    d.add_argument("--pick", type=int, default=1, metavar="N", help="with --add: the Nth feed")
    d.add_argument("--kind", default="outlet", choices=["outlet", "wire", "aggregator"])
    i = actions.add_parser(
        "import",
        help="follow the feeds of an OPML file; its folders give their sections",
        description="Follow every feed (outline with xmlUrl) of an OPML 1.0/2.0 file. A\n"
        "feed's innermost folder that names a section (World, Business, Tech, Markets …)\n"
        "gives its section; folders that name none are reported and their feeds get none.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    i.add_argument("file", metavar="FILE.opml")
    e = actions.add_parser(
        "export", help="write every source and feed as OPML 2.0, one folder per section"
    )
    e.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="default: - (stdout)")
    u = actions.add_parser(
        "add-url",
        help="fetch single article URLs now and store them (no feed needed)",
        description="Fetch each article page once, extract it and store it (raw page kept),\n"
        "then judge its story and provenance. Nothing is followed afterwards: to keep\n"
        "following a site, add its feed or sitemap. The source is --source when given,\n"
        "else the source whose domain the URL has, else a new one named by the domain.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    u.add_argument("urls", nargs="+", metavar="URL")
    u.add_argument("--source", metavar="NAME", help="the source to file the articles under")
    u.add_argument("--kind", default="outlet", choices=["outlet", "wire", "aggregator"])

    p = add("fetch", cmd_fetch, "fetch feeds that are due, then their new articles")
    p.add_argument(
        "--all",
        action="store_true",
        help="fetch every unpaused feed now, due or not (even one another worker holds)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")

    p = add(
        "import",
        cmd_import,
        "store articles from HTML files, folders, .gz, JSONL or WARC files",
        "Import HTML pages (plain or .gz, or folders of them), JSONL article records\n"
        '({"url", "title", "text", "published", "source"}) or WARC files (.warc, .warc.gz,\n'
        "e.g. Common Crawl's CC-NEWS) into the database. From a WARC file only HTML\n"
        "responses are kept, with the WARC date as fetch time; other records are counted by\n"
        "reason, damaged ones named. Without --source, HTML files and JSONL records without\n"
        'a "source" go to "Imported", and WARC records to a source per web host (the one on\n'
        "that domain, else a new one named by the host), since CC-NEWS files mix many sites.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--source",
        default=None,
        help="file the pages under this source (JSONL records that name one keep theirs); "
        'default: "Imported", or a source per host for WARC records',
    )
    p.add_argument("--kind", default="outlet", choices=["outlet", "wire", "aggregator"])
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")

    p = add(
        "rejudge",
        cmd_rejudge,
        "judge stored articles' provenance again with this version's rules (after upgrading)",
        "Judge the provenance of every stored article again with this version of Byline\n"
        "and write the labels that changed (relation, origin, evidence). Fetching judges\n"
        "only new articles and the copy groups they join, so after an upgrade that changed\n"
        "the rules an archive keeps its old labels until this runs.\n"
        "Stories stay as they are. It works through the archive oldest first, a block at a\n"
        "time, each block in one transaction under the lock the fetch workers take, so it is\n"
        "safe beside a running `byline run` and safe to stop and run again. When the new\n"
        "labels flip a source's content-farm flag, the blocks that read that source are\n"
        "judged again with the new flag (up to three passes in all; a dry run makes one).\n\n"
        "  byline rejudge --dry-run        what would change, by relation; writes nothing\n"
        "  byline rejudge --since 2026-11-01",
    )
    p.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        type=_day,
        help="only articles published on this day or later (those just before still "
        "count as context)",
    )
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    p.add_argument(
        "--block",
        type=_positive,
        metavar="N",
        help="articles judged and written together, in one transaction (default 2000); "
        "smaller blocks hold the lock the fetch workers wait on for less time",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")

    p = add(
        "reprocess",
        cmd_reprocess,
        "re-extract stored raw pages (after the extractor improves) and re-judge changes",
        "Run extraction again over every raw page Byline kept. Articles whose fields or\n"
        "fingerprints change keep their id and URL, get the new fields, and are judged again\n"
        "(story and provenance, with any copies of them). --dry-run only lists what would\n"
        "change.",
    )
    p.add_argument("--source", metavar="SLUG", help="only this source's pages")
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
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

    provenance_help = (
        "\n\nrelation: original (others copy it), independent (own words), syndicated\n"
        "(licensed: an outlet carrying an agency's text, or, with origin_id null, one of\n"
        'several carriers of a common source named in evidence: "common source: Reuters"),\n'
        "scraped (an aggregator's or farm's verbatim copy), spun (paraphrased, translated;\n"
        "with origin_id null, an aggregator's text that no other record shares, read as a\n"
        "copy of a report outside the records).\n"
        'An optional "source_kind" (outlet, wire, aggregator) sharpens the labels; they\n'
        "do not depend on the order of the records. See docs/provenance.md."
    )
    for name, func, out, more in (
        (
            "cluster",
            cmd_cluster,
            '{"id", "story"}',
            '\n\n"published" is an ISO date, or null. A record without one is clustered at the\n'
            "date of the dated record its text matches best (when the match reaches the story\n"
            "threshold), so it meets its own event's reports, and its line says that date\n"
            '("placed_at"); records matching none come last.',
        ),
        (
            "provenance",
            cmd_provenance,
            '{"id", "relation", "origin_id", "score", "evidence"}',
            provenance_help,
        ),
    ):
        p = add(
            name,
            func,
            f"{name} article records (JSONL in, JSONL out)",
            'Read article records {"id", "url", "source", "title", "text", "published"}\n'
            f"(one JSON object per line; other fields ignored) and write {out}\n"
            "for each record, in input order. A bad line is named on stderr, gets a line\n"
            'with "error" set, and the rest are processed (exit 1).' + more,
        )
        p.add_argument("file", metavar="FILE|-", help="JSONL file, or - for standard input")

    p = add("config", cmd_config, "show the settings in force (`config dump`)")
    p.add_argument("what", choices=["dump"], help="dump: every setting, value and origin")
    p.add_argument("--json", action="store_true")

    p = add(
        "backup",
        cmd_backup,
        "write a backup of the database to a file",
        "Write a backup of the database to PATH while the site keeps running.\n"
        "SQLite: SQLite's online backup API, checked before it replaces PATH.\n"
        "PostgreSQL: pg_dump --format=custom (needs PostgreSQL's client tools).\n"
        "The raw pages are in the database; copy DATA_DIR/warc/ and DATA_DIR/secret_key\n"
        "with your other files. Restore with: byline restore PATH --yes",
    )
    p.add_argument("path", metavar="PATH", help="the backup file to write")

    p = add(
        "restore",
        cmd_restore,
        "replace the database with a backup",
        "Replace everything in the database with the backup in PATH (from `byline\n"
        "backup`), then bring its schema up to date. The backup is checked first; a\n"
        "damaged one, or one of the other engine, changes nothing. PostgreSQL restores\n"
        "in one transaction (pg_restore). Stop `byline serve` and fetchers first.",
    )
    p.add_argument("path", metavar="PATH", help="the backup file to read")
    p.add_argument("--yes", action="store_true", help="really replace the database")

    p = add("manage", cmd_manage, "run a Django management command (e.g. createsuperuser)")
    p.add_argument("rest", nargs=argparse.REMAINDER)

    from byline.batch.cli import add_parser as add_batch_parser

    add_batch_parser(sub)
    return parser


def _database_failure(exc: BaseException) -> str | None:
    """A one-line account of a connection-level database error (the server restarting or
    gone, the network down), naming the database; None for any other exception. Every write
    is in a transaction, so the run leaves nothing half-written: running again is safe."""
    utils = sys.modules.get("django.db.utils")
    if utils is None or not isinstance(exc, (utils.OperationalError, utils.InterfaceError)):
        return None
    from django.db import connection

    where = connection.settings_dict
    if connection.vendor == "sqlite":
        name = f"SQLite {where.get('NAME')}"
    else:
        name = (
            f"{connection.display_name} {where.get('NAME')} at "
            f"{where.get('HOST') or 'localhost'}:{where.get('PORT') or 'default port'}"
        )
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return (
        f"the database connection failed ({name}): {first}. What was stored before is whole; "
        "run the command again once the database is back."
    )


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
        handlers=[CurrentStderrHandler()],
    )
    try:
        return int(args.func(args))
    except BylineError as exc:
        print(f"byline: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:
        failed = _database_failure(exc)
        if failed is None:
            raise
        print(f"byline: error: {failed}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("byline: interrupted", file=sys.stderr)
        return 130
