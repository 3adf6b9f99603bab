"""Strategies shared by the fuzz targets: hostile field values (any code point, surrogates,
NULs and controls included, markup fragments, odd dates and URLs), documents declared in one
encoding and written in another, and byte mutations (truncate, flip, splice, duplicate)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, TypeVar

from hypothesis import settings
from hypothesis import strategies as st

LONG = os.environ.get("BYLINE_FUZZ", "").lower() == "long"
FUZZ = settings.get_profile("fuzz-long" if LONG else "fuzz-ci")
HANG_SECONDS = 60  # one call that takes this long is a hang, whatever the deadline says

T = TypeVar("T")


class Hang(AssertionError):
    """A parser call ran past HANG_SECONDS."""


@contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail (rather than wait for CI's timeout) when the body runs too long. Only catches
    hangs in Python code; a loop inside C code ends at the deadline check afterwards."""

    def _raise(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def outcome(call: Callable[[], T], allowed: tuple[type[BaseException], ...]) -> T | None:
    """The call's result, or None when it raised one of the documented ``allowed`` errors.
    Any other exception propagates and fails the test."""
    with no_hang():
        try:
            return call()
        except allowed:
            return None


# ── text ──────────────────────────────────────────────────────────────────────────────────

NASTY = [
    "",
    "\x00",
    "\x00\x01\x02\x1b[31m",
    "\ufeff",
    "\ufffe\uffff",
    "\u202e\u2066",
    "\u2028\u2029\x85\x0b\x0c\x1c",
    "\ud800",
    "\udfff\ud800",
    "]]>",
    "<![CDATA[x]]>",
    "&amp;",
    "&nbsp;&#0;&#xD800;&#1114112;&#x110000;",
    "&undefined;",
    "<script>alert(1)</script>",
    "<b>bold</b>",
    "<!-- c -->",
    "<?pi x?>",
    "\"'<>&",
    "a" * 5000,
    "  \t\r\n  ",
    "𝕳𝖊𝖑𝖑𝖔 ﷽ Z̷̢̛a̴l̷g̶o̸",
    "%s%n%x{0}{}",
    "\\u0000",
]

any_char = st.characters(codec=None, exclude_categories=())
any_text = st.text(any_char, max_size=40)


def hostile_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Any code point (lone surrogates, NUL, controls) or a known troublemaker, or a mix."""
    return st.one_of(
        st.text(any_char, max_size=max_size),
        st.sampled_from(NASTY),
        st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)), max_size=4).map("".join),
    )


plain_words = st.lists(
    st.text(st.characters(categories=["Ll", "Lu", "Nd"]), min_size=1, max_size=10),
    min_size=1,
    max_size=6,
).map(" ".join)


# ── URLs ──────────────────────────────────────────────────────────────────────────────────

good_urls = st.builds(
    "{}://{}{}/{}".format,
    st.sampled_from(["http", "https", "HTTP", "hTtPs"]),
    st.sampled_from(["example.com", "news.example.org", "xn--caf-dma.fr", "127.0.0.1", "[::1]"]),
    st.sampled_from(["", ":80", ":8443", ":0"]),
    st.text(st.characters(categories=["L", "N"], include_characters="-_./?=&%#"), max_size=30),
)
odd_urls = st.sampled_from(
    [
        "",
        " ",
        "/relative/path",
        "relative",
        "//protocol.relative/x",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<b>x</b>",
        "file:///etc/passwd",
        "mailto:a@b.c",
        "ftp://example.com/x",
        "http://",
        "http:///nohost",
        "http://[::1",
        "http://a b.com/",
        "http://exa\x00mple.com/",
        "http://example.com:99999/",
        "http://example.com:-1/",
        "https://user:pass@example.com/x",
        "http://ex%41mple.com/%zz",
        "http://例え.テスト/記事",
        "http://\ud800.com/",
        "https://example.com/" + "a" * 3000,
        "\thttp://example.com/x\n",
        "http:\\\\example.com\\x",
        "?query=only",
        "#fragment",
    ]
)
urls = st.one_of(good_urls, odd_urls, hostile_text(30))


# ── dates ─────────────────────────────────────────────────────────────────────────────────

offsets = st.integers(-24 * 60 + 1, 24 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m)))
datetimes = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)
).flatmap(
    lambda d: (
        st.sampled_from([d, d.replace(tzinfo=UTC)]) | offsets.map(lambda z: d.replace(tzinfo=z))
    )
)

ODD_DATES = [
    "",
    "0",
    "-1",
    "1e308",
    "0000-00-00",
    "0000-00-00T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "9999-12-31T23:59:59.999999-23:59",
    "10000-01-01",
    "99999999999",
    "2024-02-30",
    "2024-13-01T25:61:61Z",
    "Mon, 01 Jan 0001 00:00:00 +1400",
    "Fri, 31 Dec 9999 23:59:59 -1200",
    "Fri, 31 Dec 99999 23:59:59 GMT",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "Sun, 31 Dec 1899 23:59:60 +0000",
    "2038-01-19T03:14:08Z",
    "1969-12-31T23:59:59Z",
    "yesterday",
    "2024-06-01T12:00:00+99:99",
    "2024",
    "2024-06",
]


def _rfc822(d: datetime) -> str:
    offset = d.utcoffset() or timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    zone = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    return d.strftime("%a, %d %b ") + f"{d.year:04d}" + d.strftime(" %H:%M:%S ") + zone


dates = st.one_of(
    st.sampled_from(ODD_DATES),
    datetimes.map(lambda d: d.isoformat()),
    datetimes.map(_rfc822),
    hostile_text(20),
)


# ── encodings ─────────────────────────────────────────────────────────────────────────────

ACTUAL = ["utf-8", "utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252", "shift_jis", "koi8-r"]
DECLARED = [*ACTUAL, "", "x-unknown-charset", "utf-7", "UTF8", "ebcdic-cp-us", "gb18030"]


def encode(text: str, encoding: str) -> bytes:
    """The text in ``encoding``, lone surrogates kept as invalid bytes where the codec lets
    them through, otherwise replaced."""
    try:
        return text.encode(encoding, "surrogatepass")
    except (UnicodeEncodeError, LookupError):
        return text.encode(encoding if encoding else "utf-8", "replace")


def xml_escape(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
    )


@st.composite
def field(draw: st.DrawFn, values: st.SearchStrategy[str]) -> str:
    """A value for XML text or attributes: escaped (usually), raw, or in a CDATA section."""
    value = draw(values)
    how = draw(st.sampled_from(["escaped", "escaped", "raw", "cdata"]))
    if how == "escaped":
        return xml_escape(value)
    if how == "cdata":
        return "<![CDATA[" + value + "]]>"
    return value


@st.composite
def encoded(draw: st.DrawFn, xml: str, body_has_declaration: bool = True) -> bytes:
    """An XML text as bytes: declared in one encoding, written in another (or the same)."""
    actual = draw(st.sampled_from(ACTUAL))
    declared = draw(st.sampled_from([actual, actual, *DECLARED]))
    bom = draw(st.sampled_from(["", "", "\ufeff"]))
    head = f'<?xml version="1.0" encoding="{declared}"?>\n' if declared else ""
    if draw(st.booleans()) and body_has_declaration:
        head = ""
    return encode(bom + head + xml, actual)


# ── mutations ─────────────────────────────────────────────────────────────────────────────


@st.composite
def mutated(draw: st.DrawFn, documents: st.SearchStrategy[bytes]) -> bytes:
    """A document, then up to three byte mutations: truncate, bit flip, splice in random
    bytes, duplicate a stretch, delete a stretch. Often none, so valid documents are tried."""
    data = draw(documents)
    for _ in range(draw(st.integers(0, 3))):
        if not data:
            break
        kind = draw(st.sampled_from(["truncate", "flip", "splice", "duplicate", "delete"]))
        at = draw(st.integers(0, len(data) - 1))
        if kind == "truncate":
            data = data[:at]
        elif kind == "flip":
            data = data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1 :]
        elif kind == "splice":
            data = data[:at] + draw(st.binary(min_size=1, max_size=32)) + data[at:]
        elif kind == "duplicate":
            end = draw(st.integers(at, min(len(data), at + 200)))
            data = data[:end] + data[at:end] + data[end:]
        else:
            end = draw(st.integers(at, min(len(data), at + 50)))
            data = data[:at] + data[end:]
    return data


def json_values(max_leaves: int = 20) -> st.SearchStrategy[Any]:
    """Any JSON value: hostile strings, huge and negative numbers, nesting."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False, allow_infinity=False),
        hostile_text(20),
        dates,
        urls,
    )
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(
                st.one_of(hostile_text(8), st.sampled_from(KEYS)), children, max_size=5
            ),
        ),
        max_leaves=max_leaves,
    )


KEYS = [
    "id",
    "url",
    "text",
    "title",
    "source",
    "source_kind",
    "published",
    "standfirst",
    "author",
    "language",
]
