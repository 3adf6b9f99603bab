"""Character sets: decode a page from its header's charset, then its ``<meta charset>`` (or XML
declaration), then detection (charset_normalizer). A label that cannot decode the bytes is
passed over for the next source, so a page that lies about its encoding still reads right."""

from __future__ import annotations

import codecs
import re

from byline.records import FetchResult

_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_META = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)")
_XML_PROLOGUE = re.compile(r"^\s*<\?xml[^>]*\?>")
# WHATWG: these labels mean windows-1252, a superset that decodes every byte usefully.
_AS_1252 = {"ascii", "latin-1", "iso8859-1"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SNIFF_BYTES = 4096
# The encodings of the WHATWG Encoding Standard (what browsers decode web pages with), by
# Python's codec names: detection picks among these only.
WEB_CODECS = frozenset(
    {"utf-8", "cp866", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874"}
    | {f"cp{n}" for n in range(1250, 1259)}
    | {f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)}
    | {"gbk", "gb18030", "big5", "big5hkscs", "euc_jp", "iso2022_jp", "shift_jis", "cp932"}
    | {"euc_kr"}
)


def codec_for(label: str) -> str | None:
    """Python's codec name for a charset label, or None when there is none."""
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    return "cp1252" if name in _AS_1252 else name


def _declared(body: bytes, content_type: str) -> list[str]:
    labels = []
    header = _CHARSET.search(content_type or "")
    if header:
        labels.append(header.group(1))
    head = body[:SNIFF_BYTES]
    for pattern in (_META, _XML_DECLARATION):
        found = pattern.search(head)
        if found:
            labels.append(found.group(1).decode("ascii", "replace"))
    return labels


def decode_html(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Decode a page. Returns (text, codec name used)."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body.decode(name, errors="replace"), name
    for label in _declared(body, content_type):
        declared = codec_for(label)
        if declared is None or declared.startswith(("utf-16", "utf-32")):  # not in ASCII text
            continue
        try:
            return body.decode(declared), declared
        except UnicodeDecodeError:
            continue
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # The detector's likeliest encoding that the web uses: it can rank a DOS code page
    # (cp775, cp850) first for a Latin page with a few accents, which no browser would pick.
    guesses = (codec_for(match.encoding) for match in from_bytes(body[:200_000]))
    detected = next((name for name in guesses if name in WEB_CODECS), "cp1252")
    return body.decode(detected, errors="replace"), detected


def text_of(result: FetchResult) -> str:
    """A fetched page as text, decoded right, without an XML declaration (lxml refuses a
    str that still carries one)."""
    text, _ = decode_html(result.body, result.headers.get("content-type", ""))
    return _XML_PROLOGUE.sub("", text, count=1)
