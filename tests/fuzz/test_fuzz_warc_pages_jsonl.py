"""Fuzzing the WARC reader (``byline.fetch.warc.read_warc``), page extraction
(``byline.extract.article.extract_article``) and the JSONL readers (``tools.read_judge_inputs``
for ``byline cluster``/``provenance``, ``importer._jsonl_items`` for ``byline import``, and the
batch map's ``batch.stages.read_input``).

* WARC: the reader never raises on a damaged archive; every record comes out as a
  ``WarcItem`` (an http(s) 2xx HTML response, dated in UTC) or a ``WarcSkip`` with a reason.
  Pages written by ``WarcWriter`` come back byte for byte.
* Pages: an ``Article`` or ``ExtractionError``; the text is non-empty and every word of it is
  in the page (extraction invents no words).
* JSONL: one result per non-blank line, a record or its error; good records come back with
  their id and text; nothing raises.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import re
import tempfile
import unicodedata
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.fuzz.strategies import (
    FUZZ,
    KEYS,
    dates,
    good_urls,
    hostile_text,
    json_values,
    mutated,
    no_hang,
    outcome,
    plain_words,
    urls,
)
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from byline.errors import ExtractionError, InputError
from byline.extract.article import extract_article
from byline.fetch.warc import WarcItem, WarcSkip, WarcWriter, read_warc
from byline.records import FetchResult
from byline.tools import Report, read_judge_inputs


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="byline-fuzz-") as folder:
        yield Path(folder)


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


# ── WARC ──────────────────────────────────────────────────────────────────────────────────

http_body = st.one_of(
    st.builds(
        "<!DOCTYPE html><html><head><title>{}</title></head><body><p>{}</p></body></html>".format,
        plain_words,
        plain_words,
    ).map(str.encode),
    st.binary(max_size=300),
)


@st.composite
def warc_record(draw: st.DrawFn, gzipped: bool) -> bytes:
    """One record as warcio writes it: any type, URI, status, content type and coding."""
    out = io.BytesIO()
    record_writer = WARCWriter(
        out, gzip=gzipped, warc_version=draw(st.sampled_from(["1.0", "1.1"]))
    )
    kind = draw(
        st.sampled_from(["response", "response", "response", "request", "metadata", "resource"])
    )
    uri = draw(st.one_of(good_urls, urls))
    body = draw(http_body)
    status = draw(st.sampled_from([200, 200, 204, 301, 404, 500, 99, 999]))
    ctype = draw(
        st.sampled_from(["text/html; charset=utf-8", "text/html", "", "image/png", "text/plain"])
    )
    coding = draw(st.sampled_from(["", "", "gzip", "deflate", "br", "chunked", "x-bogus"]))
    payload = body
    headers = [("Content-Type", ctype)] if ctype else []
    if coding == "gzip":
        payload = gzip.compress(body)
        headers.append(("Content-Encoding", "gzip"))
    elif coding == "deflate":
        payload = zlib.compress(body)
        headers.append(("Content-Encoding", "deflate"))
    elif coding == "chunked":
        payload = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body) if body else b"0\r\n\r\n"
        headers.append(("Transfer-Encoding", "chunked"))
    elif coding:
        headers.append(("Content-Encoding", coding))
    extra = draw(st.lists(st.tuples(hostile_text(8), hostile_text(12)), max_size=2))
    headers += [(_ascii(k), _ascii(v)) for k, v in extra]  # warcio writes ASCII headers only
    date = draw(dates)
    # Fixed record id and date: warcio would draw them from the clock and uuid4, and the
    # bytes must not change between Hypothesis' replays.
    warc_headers = {
        "WARC-Date": _ascii(date) or "2024-01-01T00:00:00Z",
        "WARC-Record-ID": f"<urn:uuid:{draw(st.uuids())}>",
    }
    http = (
        StatusAndHeaders(f"{status} X", headers, protocol="HTTP/1.1")
        if kind != "resource"
        else None
    )
    record = record_writer.create_warc_record(
        _ascii(uri),
        kind,
        payload=io.BytesIO(payload),
        length=len(payload),
        warc_headers_dict=warc_headers,
        http_headers=http,
    )
    record_writer.write_record(record)
    return out.getvalue()


def _ascii(text: str) -> str:
    return text.encode("ascii", "replace").decode("ascii")


@st.composite
def warc_file(draw: st.DrawFn) -> bytes:
    gzipped = draw(st.booleans())
    records = draw(st.lists(warc_record(gzipped), max_size=4))
    data = b"".join(records)
    if gzipped and draw(st.integers(0, 4)) == 0:  # gzipped as a whole, not per record
        data = gzip.compress(b"".join(gzip.decompress(r) for r in records), mtime=0)
    return data


def check_warc(items: list[WarcItem | WarcSkip]) -> None:
    for item in items:
        if isinstance(item, WarcSkip):
            assert item.reason and isinstance(item.reason, str)
            assert item.offset >= 0
            continue
        assert isinstance(item, WarcItem)
        result = item.result
        assert result.final_url.lower().startswith(("http://", "https://"))
        assert 200 <= result.status < 300
        assert isinstance(result.body, bytes)
        assert result.fetched_at.tzinfo == UTC


def read_all(path: Path) -> list[WarcItem | WarcSkip]:
    with no_hang():
        return list(read_warc(path))


@FUZZ
@given(
    data=st.one_of(mutated(warc_file()), st.binary(max_size=2000)),
    suffix=st.sampled_from([".warc", ".warc.gz"]),
)
def test_read_warc_never_raises_on_a_damaged_archive(
    scratch: Path, data: bytes, suffix: str
) -> None:
    check_warc(read_all(write(scratch, "fuzz" + suffix, data)))


fetch_results = st.builds(
    FetchResult,
    url=good_urls,
    final_url=good_urls,
    status=st.sampled_from([200, 201, 203, 206]),
    headers=st.fixed_dictionaries(
        {"content-type": st.just("text/html; charset=utf-8")},
        # httpx hands header values over decoded as Latin-1: any of its 256 characters
        optional={
            "x-hostile": st.text(st.characters(max_codepoint=255), max_size=30),
            "content-encoding": st.just("gzip"),
        },
    ),
    body=st.binary(max_size=500).map(lambda b: b"<html><body>" + b + b"</body></html>"),
    fetched_at=st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
)


@FUZZ
@given(results=st.lists(fetch_results, min_size=1, max_size=4))
def test_warc_writer_round_trip(scratch: Path, results: list[FetchResult]) -> None:
    """What WarcWriter archives, read_warc gives back: URLs, status, body, date."""
    folder = Path(tempfile.mkdtemp(dir=scratch))
    with WarcWriter(folder) as writer:
        for result in results:
            writer.write(result)
    items = [i for path in writer.files for i in read_all(path)]
    pages = [i for i in items if isinstance(i, WarcItem)]
    skips = [i for i in items if isinstance(i, WarcSkip)]
    assert [s.reason for s in skips] == ["warcinfo record"] * len(writer.files)
    assert len(pages) == len(results)
    for page, result in zip(pages, results, strict=True):
        got = page.result
        assert (got.url, got.final_url) == (result.url, result.final_url)
        assert got.status == result.status
        assert got.body == result.body
        assert got.fetched_at == result.fetched_at


# ── pages ─────────────────────────────────────────────────────────────────────────────────

TAGS = (  # noqa: SIM905
    "p div article section span b a h1 h2 ul li table tr td blockquote pre nav header footer "
    "aside main br img figure svg math template noscript iframe form textarea"
).split()
ATTRS = ["class", "id", "style", "hidden", "href", "src", "itemprop", "role", "lang", "onclick"]
ATTR_VALUES = st.one_of(
    st.sampled_from(["article", "content", "nav", "menu", "display:none", "articleBody", "x"]),
    urls,
    hostile_text(15),
)
page_text = st.one_of(
    plain_words, hostile_text(60), st.sampled_from(["&amp;", "&#0;", "&lt;p&gt;"])
)


def html_tree(max_leaves: int = 25) -> st.SearchStrategy[str]:
    def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        @st.composite
        def build(draw: st.DrawFn) -> str:
            tag = draw(st.sampled_from(TAGS))
            attrs = draw(st.dictionaries(st.sampled_from(ATTRS), ATTR_VALUES, max_size=3))
            rendered = "".join(f' {k}="{html.escape(v)}"' for k, v in attrs.items())
            inner = "".join(draw(st.lists(children, max_size=4)))
            close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", "</p>"]))
            return f"<{tag}{rendered}>{inner}{close}"

        return build()

    return st.recursive(page_text, element, max_leaves=max_leaves)


CHARSETS = ["utf-8", "x-bogus", "utf-16", ""]


@st.composite
def page(draw: st.DrawFn) -> str:
    head = "".join(
        draw(
            st.lists(
                st.sampled_from(
                    [
                        f"<title>{draw(page_text)}</title>",
                        f'<meta property="og:title" content="{html.escape(draw(page_text))}">',
                        f'<meta name="description" content="{html.escape(draw(page_text))}">',
                        f'<meta charset="{draw(st.sampled_from(CHARSETS))}">',
                        '<meta property="article:published_time" '
                        f'content="{html.escape(draw(dates))}">',
                        f'<link rel="canonical" href="{html.escape(draw(urls))}">',
                        "<script type='application/ld+json'>"
                        + json.dumps(
                            draw(
                                st.one_of(
                                    json_values(10),
                                    st.fixed_dictionaries(
                                        {"@type": st.just("NewsArticle")},
                                        optional={
                                            "headline": hostile_text(),
                                            "articleBody": plain_words,
                                            "datePublished": dates,
                                            "author": json_values(3),
                                        },
                                    ),
                                )
                            ),
                            ensure_ascii=False,  # the words as they are, for the oracle
                        ).replace("</", "<\\/")
                        + "</script>",
                        f"<script>var x = '{draw(page_text)}';</script>",
                        f"<style>{draw(page_text)}</style>",
                    ]
                ),
                max_size=6,
            )
        )
    )
    body = draw(html_tree())
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())


def _visible(page_html: str) -> str:
    """Every character of the page's markup and text, tags dropped, entities decoded: each
    word extraction returns must be found in it (tags are joined with nothing, so a word
    spread over inline elements is found too)."""
    joined = html.unescape(re.sub(r"<[^>]*>", "", page_html) + " " + page_html)
    # Extraction deletes C0 controls but tab, newline and return (as trafilatura's loader
    # does) and trafilatura what is not printable (unassigned code points among them), which
    # joins the words on either side: so are they deleted here.
    joined = "".join(
        c
        for c in joined
        if c in "\t\n\r" or (c >= " " and c.isprintable()) or (c > "\x7f" and c.isspace())
    )
    return unicodedata.normalize("NFKC", joined).casefold()


@FUZZ
@given(document=page(), encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "str"]))
def test_extract_article_returns_an_article_or_raises_extraction_error(
    document: str, encoding: str
) -> None:
    body: bytes | str = document if encoding == "str" else document.encode(encoding, "replace")
    article = outcome(
        lambda: extract_article(body, "https://example.com/story"), (ExtractionError,)
    )
    if article is None:
        return
    assert article.url == "https://example.com/story"
    assert isinstance(article.text, str) and article.text.strip()
    assert isinstance(article.title, str) and article.title
    assert article.published is None or article.published.tzinfo is not None
    if encoding in {"utf-8", "str"}:
        visible = _visible(document)
        invented = [w for w in _words(article.text) if w not in visible]
        assert not invented, invented[:10]


@FUZZ
@given(st.binary(max_size=3000))
def test_extract_article_on_random_bytes(body: bytes) -> None:
    article = outcome(lambda: extract_article(body, "https://example.com/x"), (ExtractionError,))
    if article is not None:
        assert article.text.strip()


# ── JSONL ─────────────────────────────────────────────────────────────────────────────────

good_record = st.fixed_dictionaries(
    {
        "id": st.one_of(st.integers(0, 10**9), plain_words),
        "text": plain_words,
        "url": good_urls,
    },
    optional={
        "title": hostile_text(),
        "source": plain_words,
        "published": st.just("2024-05-01T10:00:00Z"),
    },
)
any_record = st.one_of(
    good_record,
    st.dictionaries(st.sampled_from(KEYS), json_values(6), max_size=6),
    json_values(12),
)


@st.composite
def jsonl_lines(draw: st.DrawFn) -> list[str]:
    lines = []
    for value in draw(st.lists(any_record, max_size=6)):
        how = draw(st.sampled_from(["ascii", "raw", "garbage", "cut"]))
        text = json.dumps(value, ensure_ascii=how == "ascii")
        if how == "garbage":
            text = draw(st.binary(max_size=40)).decode("latin-1")
        elif how == "cut":
            text = text[: draw(st.integers(0, len(text)))]
        lines.append(text.replace("\n", " "))
    return lines


def _blank(line: str) -> bool:
    return not line.strip()


@FUZZ
@given(lines=jsonl_lines())
def test_read_judge_inputs_one_result_per_line(lines: list[str]) -> None:
    err = io.StringIO()
    with no_hang():
        rows = read_judge_inputs(io.StringIO("\n".join(lines) + "\n"), err, Report())
    assert len(rows) == len([line for line in lines if not _blank(line)])
    for row_id, record in rows:
        assert isinstance(row_id, str) and row_id
        if record is not None:
            assert isinstance(record.text, str)
            assert record.published is None or record.published.tzinfo == UTC


@FUZZ
@given(
    records=st.lists(good_record, max_size=5, unique_by=lambda r: str(r["id"])),
    ensure_ascii=st.booleans(),
)
def test_read_judge_inputs_keeps_every_good_record(
    records: list[dict[str, object]], ensure_ascii: bool
) -> None:
    text = "".join(json.dumps(r, ensure_ascii=ensure_ascii) + "\n" for r in records)
    rows = read_judge_inputs(io.StringIO(text), io.StringIO(), Report())
    assert [(row_id, rec.text if rec else None) for row_id, rec in rows] == [
        (str(r["id"]), r["text"]) for r in records
    ]


@FUZZ
@given(lines=jsonl_lines(), gz=st.booleans())
def test_import_jsonl_reader_never_raises(scratch: Path, lines: list[str], gz: bool) -> None:
    from byline.importer import _jsonl_items

    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    path = write(
        scratch, "fuzz.jsonl.gz" if gz else "fuzz.jsonl", gzip.compress(data) if gz else data
    )
    with no_hang():
        items = list(_jsonl_items(path))
    assert len(items) == len([line for line in lines if not _blank(line)])
    for item in items:
        assert isinstance(item[-1], InputError) or hasattr(item[-1], "article")


@FUZZ
@given(lines=jsonl_lines())
def test_batch_jsonl_reader_never_raises(scratch: Path, lines: list[str]) -> None:
    from byline.batch.rows import ArticleRow, Skip
    from byline.batch.stages import MapOptions, read_input

    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    path = write(scratch, "fuzz.jsonl", data)
    with no_hang():
        rows = list(read_input(str(path), MapOptions()))
    assert len(rows) == len([line for line in lines if not _blank(line)])
    assert all(isinstance(row, ArticleRow | Skip) for row in rows)
