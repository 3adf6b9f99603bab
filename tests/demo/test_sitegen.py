"""Tests for byline.demo.sitegen and byline.demo.server (static demo websites)."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import feedparser
import pytest

from byline.demo.corpus import DEFAULT_CORPUS_DIR, Corpus, load_corpus
from byline.demo.server import DemoServer
from byline.demo.sitegen import SiteManifest, build_site, load_manifest
from byline.demo.templates import NOTICE

BASE = "http://127.0.0.1:8765"

EVENT_WORLD = """
id = "e01"
slug = "port-strike"
section = "World News"
summary = "Dockworkers strike at Port Ardent"

[[articles]]
id = "e01-cpa"
outlet = "cpa"
relation = "original"
origin = ""
published = "2026-10-03T08:15:00Z"
slug = "dockworkers-strike-halts-port-ardent"
headline = "Dockworkers strike halts Port Ardent & <ferries> \\"stop\\""
standfirst = "Wage talks collapse; cranes stand idle."
author = "Mira Castell"
body = \"\"\"
PORT ARDENT, Oct 3 (CPA) — Dockworkers walked out at dawn, halting the port.

"We will not go back for less," said union leader Ansel Varo.

Odd markup test: a < b && c > d ]]> done.

The port handles 40 % of Ostrovia's trade.
\"\"\"

[[articles]]
id = "e01-meridian"
outlet = "meridian"
relation = "syndicated"
origin = "e01-cpa"
published = "2026-10-03T09:00:00Z"
slug = "port-ardent-strike"
headline = "Strike shuts Port Ardent"
standfirst = "Wire report."
author = ""
body_from = "e01-cpa"
credit = "Continental Press Agency"

[[articles]]
id = "e01-harbourpost"
outlet = "harbourpost"
relation = "syndicated"
origin = "e01-cpa"
published = "2026-10-03T09:30:00Z"
slug = "strike-at-port-ardent"
headline = "Strike at Port Ardent"
standfirst = "Dockers out."
author = ""
body_from = "e01-cpa"
truncate = 3
credit = "Continental Press Agency"

[[articles]]
id = "e01-clarion"
outlet = "clarion"
relation = "syndicated"
origin = "e01-cpa"
published = "2026-10-03T09:45:00Z"
slug = "port-chaos"
headline = "Port chaos as dockers walk out"
standfirst = "Ferries stranded."
author = ""
body_from = "e01-cpa"
credit = "Continental Press Agency"

[[articles]]
id = "e01-northstar"
outlet = "northstar"
relation = "independent"
origin = ""
published = "2026-10-03T11:00:00Z"
slug = "dockers-dig-in"
headline = "Dockers dig in at Port Ardent"
standfirst = "Our own reporting from the quay."
author = "Leda Morrow"
body = \"\"\"
PORT ARDENT — Pickets gathered at gate four on Friday morning.

Union leader Ansel Varo said the strike would last "as long as it takes".
\"\"\"

[[articles]]
id = "e01-ledger"
outlet = "ledger"
relation = "independent"
origin = ""
published = "2026-10-04T07:00:00Z"
slug = "strike-hits-lakeside-shops"
headline = "Port strike hits Lakeside shops"
standfirst = "Shelves empty as deliveries stall."
author = "Pia Tern"
body = \"\"\"
VESSA — Shop owners said deliveries from Port Ardent had stopped.

"We have three days of stock," said grocer Tomas Vell.
\"\"\"

[[articles]]
id = "e01-worldnewshub"
outlet = "worldnewshub"
relation = "spun"
origin = "e01-meridian"
published = "2026-10-03T13:00:00Z"
slug = "dockworkers-hit-halts-port-ardent"
headline = "Dockworkers hit halts Port Ardent"
standfirst = "Salary talks collapse; cranes stand inactive."
author = ""
credit = "Continental Press Agency"
source_link = "e01-meridian"
body = \"\"\"
PORT ARDENT — Dockworkers walked out at sunrise, stopping the port port.

"We will not go back for less," said union leader Ansel Varo.
\"\"\"
"""

EVENT_SCIENCE = """
id = "e02"
slug = "telescope"
section = "Science & Technology"
summary = "New telescope opens in Kelmar"

[[articles]]
id = "e02-techwatch"
outlet = "techwatch"
relation = "original"
origin = ""
published = "2026-10-05T10:00:00Z"
slug = "vessa-telescope-opens"
headline = "Vessa telescope sees first light"
standfirst = "The largest dish in Kelmar begins observations."
author = "Oren Sall"
body = \"\"\"
VESSA — The new radio telescope recorded its first signals on Monday.

"It works," said director Ilka Brann.

It cost 80 million crowns.
\"\"\"

[[articles]]
id = "e02-eastgate"
outlet = "eastgate"
relation = "independent"
origin = ""
published = "2026-10-05T12:00:00Z"
slug = "telescope-first-light"
headline = "Kelmar's telescope: what first light means"
standfirst = "Analysis."
author = "Rhea Dunmore"
body = \"\"\"
VESSA — Astronomers celebrated on Monday.

The project took nine years.
\"\"\"

[[articles]]
id = "e02-worldnewshub"
outlet = "worldnewshub"
relation = "scraped"
origin = "e02-techwatch"
published = "2026-10-05T14:00:00Z"
slug = "vessa-telescope-sees-first-light"
headline = "Vessa telescope sees first light"
standfirst = ""
author = ""
body_from = "e02-techwatch"
truncate = 2

[[articles]]
id = "e02-cpa"
outlet = "cpa"
relation = "independent"
origin = ""
published = "2026-10-05T15:00:00Z"
slug = "telescope-opens"
headline = "Telescope opens in Kelmar"
standfirst = "Wire brief."
author = ""
body = \"\"\"
VESSA, Oct 5 (CPA) — A radio telescope opened on Monday.
\"\"\"
"""


def sample_corpus_dir(root: Path) -> Path:
    (root / "events").mkdir(parents=True)
    shutil.copy(DEFAULT_CORPUS_DIR / "outlets.toml", root / "outlets.toml")
    (root / "events" / "01-port-strike.toml").write_text(EVENT_WORLD, encoding="utf-8")
    (root / "events" / "02-telescope.toml").write_text(EVENT_SCIENCE, encoding="utf-8")
    return root


@pytest.fixture()
def corpus(tmp_path: Path) -> Corpus:
    return load_corpus(sample_corpus_dir(tmp_path / "corpus"))


@pytest.fixture()
def built(tmp_path: Path, corpus: Corpus) -> tuple[Path, SiteManifest]:
    out = tmp_path / "site"
    return out, build_site(out, BASE, corpus)


def local(out: Path, url: str) -> Path:
    """The file under ``out`` that serves ``url``."""
    assert url.startswith(BASE + "/")
    path = out / url[len(BASE) + 1 :]
    return path / "index.html" if url.endswith("/") else path


def page(out: Path, url: str) -> str:
    return local(out, url).read_text(encoding="utf-8")


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


# --------------------------------------------------------------------------- files


def test_writes_expected_files(built: tuple[Path, SiteManifest], corpus: Corpus) -> None:
    out, manifest = built
    assert (out / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert NOTICE in index
    assert NOTICE == (
        "Sample data: every outlet, person and event here is fictional, "
        "written for the Byline demo."
    )
    assert {o.slug for o in manifest.outlets} == set(corpus.outlets)
    for outlet in manifest.outlets:
        assert outlet.home_url in index
        home = page(out, outlet.home_url)
        assert f'href="{outlet.feed_url}"' in home and 'rel="alternate"' in home
        assert local(out, outlet.feed_url).is_file()
    assert len(manifest.articles) == len(corpus.articles) == 11
    paths = {m.url for m in manifest.articles}
    assert f"{BASE}/cpa/world/2026/10/03/dockworkers-strike-halts-port-ardent.html" in paths
    assert f"{BASE}/techwatch/science-technology/2026/10/05/vessa-telescope-opens.html" in paths
    for art in manifest.articles:
        assert local(out, art.url).is_file()
    assert load_manifest(out / "manifest.json") == manifest


def test_manifest_gold_labels(built: tuple[Path, SiteManifest]) -> None:
    _, manifest = built
    spun = manifest.article("e01-worldnewshub")
    assert spun.relation == "spun" and spun.origin_id == "e01-meridian"
    assert spun.origin_url == manifest.article("e01-meridian").url
    assert manifest.article("e01-cpa").origin_url == ""
    assert manifest.outlet("harbourpost").feed_url == f"{BASE}/harbourpost/rss.rdf"
    assert manifest.outlet("ledger").feed_format == "jsonfeed"
    data = json.loads(Path(local(built[0], BASE + "/manifest.json")).read_text())
    assert data["articles"][0]["published"] == "2026-10-03T08:15:00Z"


def test_build_is_deterministic(tmp_path: Path, corpus: Corpus) -> None:
    build_site(tmp_path / "a", BASE, corpus)
    again = load_corpus(sample_corpus_dir(tmp_path / "corpus2"))
    build_site(tmp_path / "b", BASE, again)
    first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert first.keys() == second.keys()
    assert first == second


# --------------------------------------------------------------------------- feeds


def test_every_feed_lists_every_article(built: tuple[Path, SiteManifest], corpus: Corpus) -> None:
    out, manifest = built
    standfirsts = {manifest.article(a.id).url: a.standfirst for a in corpus.articles}
    for outlet in manifest.outlets:
        expected = sorted(
            (m for m in manifest.articles if m.outlet == outlet.slug),
            key=lambda m: m.published,
            reverse=True,
        )
        raw = local(out, outlet.feed_url).read_bytes()
        if outlet.feed_format == "jsonfeed":
            data = json.loads(raw)
            assert data["version"] == "https://jsonfeed.org/version/1.1"
            assert data["feed_url"] == outlet.feed_url
            links = [item["url"] for item in data["items"]]
            titles = [item["title"] for item in data["items"]]
            assert all(item["tags"] for item in data["items"])
        else:
            parsed = feedparser.parse(raw)
            assert not parsed.bozo, (outlet.slug, parsed.get("bozo_exception"))
            assert parsed.feed.title == outlet.name
            links = [e.link for e in parsed.entries]
            titles = [e.title for e in parsed.entries]
            for entry in parsed.entries:
                # RSS 1.0 dc:date comes back as updated_parsed only
                assert entry.get("published_parsed") or entry.get("updated_parsed"), outlet.slug
                assert entry.get("id") or entry.get("guid"), outlet.slug
                assert entry.get("summary", "") == standfirsts[entry.link], outlet.slug
        assert links == [m.url for m in expected], outlet.slug  # all of them, newest first
        assert titles == [m.headline for m in expected], outlet.slug


def test_feed_formats(built: tuple[Path, SiteManifest], corpus: Corpus) -> None:
    out, manifest = built
    formats = {o.slug: o.feed_url.rsplit("/", 1)[1] for o in manifest.outlets}
    assert formats["cpa"] == "feed.xml" and formats["clarion"] == "atom.xml"
    assert formats["harbourpost"] == "rss.rdf" and formats["ledger"] == "feed.json"

    cpa = feedparser.parse(local(out, manifest.outlet("cpa").feed_url).read_bytes())
    assert cpa.version == "rss20"
    first = next(e for e in cpa.entries if "Dockworkers" in e.title)
    assert first.title == 'Dockworkers strike halts Port Ardent & <ferries> "stop"'
    assert first.author == "Mira Castell"
    assert first.tags[0].term == "World News"
    assert first.summary == "Wage talks collapse; cranes stand idle."
    full = first.content[0].value  # the wire carries full text
    assert "a &lt; b &amp;&amp; c &gt; d ]]&gt; done." in full
    assert "Ansel Varo" in full

    meridian = feedparser.parse(local(out, manifest.outlet("meridian").feed_url).read_bytes())
    assert "content" not in meridian.entries[0]  # only the wire has full text

    rdf = feedparser.parse(local(out, manifest.outlet("harbourpost").feed_url).read_bytes())
    assert rdf.version == "rss10"
    atom = feedparser.parse(local(out, manifest.outlet("eastgate").feed_url).read_bytes())
    assert atom.version == "atom10" and atom.entries[0].author == "Rhea Dunmore"


# --------------------------------------------------------------------------- article pages


def test_article_pages(built: tuple[Path, SiteManifest], corpus: Corpus) -> None:
    out, manifest = built
    for art in corpus.articles:
        url = manifest.article(art.id).url
        html = page(out, url)
        assert html.startswith('<!DOCTYPE html>\n<html lang="en">'), art.id
        assert f'<link rel="canonical" href="{url}">' in html, art.id
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
        assert h1 is not None and h1.group(1).strip() != ""
        assert "Dockworkers strike halts Port Ardent &amp; &lt;ferries&gt;" in page(
            out, manifest.article("e01-cpa").url
        )
        for para in art.paragraphs:
            assert para.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in html, (
                art.id
            )
        assert 'rel="alternate"' in html
        assert "Fictional outlet" in html


def test_outlet_templates_differ(built: tuple[Path, SiteManifest], corpus: Corpus) -> None:
    out, manifest = built
    skeletons = set()
    for slug in corpus.outlets:
        art = corpus.by_outlet(slug)[0]
        html = page(out, manifest.article(art.id).url)
        skeletons.add(" ".join(re.findall(r"<(\w+)", html)[:60]))
    assert len(skeletons) == len(corpus.outlets)


def test_metadata_varies(built: tuple[Path, SiteManifest], corpus: Corpus) -> None:
    out, manifest = built

    def html_of(article_id: str) -> str:
        return page(out, manifest.article(article_id).url)

    meridian = html_of("e01-meridian")
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', meridian, re.S)
    assert ld is not None
    data = json.loads(ld.group(1))
    assert data["@type"] == "NewsArticle" and data["headline"] == "Strike shuts Port Ardent"
    assert data["datePublished"] == "2026-10-03T09:00:00Z"
    assert data["publisher"]["name"] == "The Meridian Herald"

    clarion = html_of("e01-clarion")
    assert '<meta property="og:title" content="Port chaos as dockers walk out">' in clarion
    assert '<meta property="article:published_time" content="2026-10-03T09:45:00Z">' in clarion
    assert "application/ld+json" not in clarion

    northstar = html_of("e01-northstar")
    assert '<meta name="author" content="Leda Morrow">' in northstar
    assert '<meta name="date" content="2026-10-03T11:00:00Z">' in northstar

    with_time = {a.outlet for a in corpus.articles if "<time datetime" in html_of(a.id)}
    assert with_time == {"harbourpost"}
    assert '<time datetime="2026-10-03T09:30:00Z">' in html_of("e01-harbourpost")


def test_syndicated_copies_print_credit(built: tuple[Path, SiteManifest]) -> None:
    out, manifest = built
    assert "— Continental Press Agency" in page(out, manifest.article("e01-meridian").url)
    assert "Source: CPA" in page(out, manifest.article("e01-clarion").url)
    assert "Continental Press Agency. Used under licence" in page(
        out, manifest.article("e01-harbourpost").url
    )


def test_related_block_lists_other_articles(built: tuple[Path, SiteManifest]) -> None:
    out, manifest = built
    html = page(out, manifest.article("e01-cpa").url)
    other = manifest.article("e02-cpa")
    assert f'href="{other.url}"' in html and "More from CPA" in html
    assert "Wire brief." in html  # the related block repeats other standfirsts


def test_farm_page(built: tuple[Path, SiteManifest]) -> None:
    out, manifest = built
    html = page(out, manifest.article("e01-worldnewshub").url)
    origin = manifest.article("e01-meridian").url
    assert re.search(rf'<a href="{re.escape(origin)}"[^>]*>Source link</a>', html)
    assert "Continental Press Agency" not in html and "CPA" not in html  # no credit
    order = [
        html.index(s)
        for s in (
            'class="td-category"',
            "<h1",
            "Source link",
            "Related Articles",
            "Leave a Reply",
            "Back to top button",
        )
    ]
    assert order == sorted(order)
    assert re.search(r'<div class="td-category"><a [^>]*>World News</a></div>', html)

    scraped = page(out, manifest.article("e02-worldnewshub").url)
    target = manifest.article("e02-techwatch").url  # no source_link: falls back to origin
    assert f'<a href="{target}" target="_blank" rel="noopener">Source link</a>' in scraped
    assert ">Science &amp; Technology</a>" in scraped


# --------------------------------------------------------------------------- server


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read()


def raw_get(server: DemoServer, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def test_server_serves_site(tmp_path: Path, corpus: Corpus) -> None:
    root = tmp_path / "www"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("top secret")
    (root / "empty-dir").mkdir()
    with DemoServer(root) as srv:
        assert srv.base_url.startswith("http://127.0.0.1:") and srv.port > 0
        manifest = build_site(root, srv.base_url, corpus)  # written after start()
        art = manifest.article("e01-cpa")
        status, ctype, body = fetch(art.url)
        assert status == 200 and ctype == "text/html; charset=utf-8"
        assert b"<h1>Dockworkers strike halts Port Ardent" in body

        expected_types = {
            "cpa": "application/rss+xml",
            "clarion": "application/atom+xml",
            "harbourpost": "application/rdf+xml",
            "ledger": "application/feed+json",
        }
        for slug, mime in expected_types.items():
            status, ctype, _ = fetch(manifest.outlet(slug).feed_url)
            assert status == 200 and ctype.split(";")[0] == mime, slug

        status, ctype, body = fetch(srv.base_url + "/")
        assert status == 200 and NOTICE.encode() in body
        assert fetch(srv.base_url + "/cpa")[0] == 200  # redirected to /cpa/
        assert fetch(srv.base_url + "/manifest.json")[1].startswith("application/json")
        assert fetch(srv.base_url + "/robots.txt")[1].startswith("text/plain")

        assert fetch(srv.base_url + "/cpa/missing.html")[0] == 404
        assert fetch(srv.base_url + "/empty-dir/")[0] == 404  # no directory listing
        for path in (
            "/../secret.txt",
            "/cpa/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/cpa/%2E%2E/%2E%2E/secret.txt",
            "/..%2fsecret.txt",
            "/..\\secret.txt",
        ):
            assert raw_get(srv, path) in (400, 404), path
        assert raw_get(srv, "/cpa/../index.html") == 404  # dot segments are refused outright
    assert not srv.running


def test_server_lifecycle(tmp_path: Path) -> None:
    srv = DemoServer(tmp_path)
    with pytest.raises(RuntimeError):
        _ = srv.base_url
    srv.start()
    port = srv.port
    (tmp_path / "late.html").write_text("<p>late</p>")
    assert fetch(srv.base_url + "/late.html")[:2] == (200, "text/html; charset=utf-8")
    srv.stop()
    srv.stop()  # idempotent
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/late.html", timeout=2)


def test_server_is_quiet(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    with DemoServer(tmp_path) as srv:
        fetch(srv.base_url + "/nothing-here")
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


# --------------------------------------------------------------------------- real corpus


def test_bundled_corpus(tmp_path: Path) -> None:
    events = sorted((DEFAULT_CORPUS_DIR / "events").glob("*.toml"))
    if len(events) < 12:
        pytest.skip(f"bundled demo corpus incomplete: {len(events)} event files (need 12)")
    corpus = load_corpus()
    kinds = [o.kind for o in corpus.outlets.values()]
    assert len(corpus.outlets) >= 8
    assert kinds.count("wire") >= 1 and kinds.count("aggregator") >= 1
    assert len(corpus.events) >= 12
    assert 2 <= len(corpus.sections()) <= 3 and "World News" in corpus.sections()

    out = tmp_path / "site"
    manifest = build_site(out, BASE, corpus)
    assert len(list(out.rglob("*/20[0-9][0-9]/*/*/*.html"))) >= 80
    assert len(manifest.articles) >= 80
    for outlet in manifest.outlets:
        raw = local(out, outlet.feed_url).read_bytes()
        if outlet.feed_format == "jsonfeed":
            count = len(json.loads(raw)["items"])
        else:
            parsed = feedparser.parse(raw)
            assert not parsed.bozo, outlet.slug
            count = len(parsed.entries)
        assert count >= 1, outlet.slug
        assert count == sum(1 for m in manifest.articles if m.outlet == outlet.slug)
