"""Load the fictional demo corpus (``outlets.toml`` + ``events/*.toml``).

The format is described in ``corpus/FORMAT.md``. Everything is validated on load; any problem
raises :class:`CorpusError` (a ``ValueError``) naming the file and the article id.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEFAULT_CORPUS_DIR = Path(__file__).resolve().parent / "corpus"

SECTIONS: tuple[str, ...] = ("World News", "Business", "Science & Technology")
RELATIONS: tuple[str, ...] = ("original", "syndicated", "scraped", "spun", "independent")
COPY_RELATIONS: frozenset[str] = frozenset({"syndicated", "scraped", "spun"})
OUTLET_KINDS: tuple[str, ...] = ("outlet", "wire", "aggregator")
FEED_FORMATS: tuple[str, ...] = ("rss2", "rss1", "atom", "jsonfeed")

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PARA_SPLIT_RE = re.compile(r"\n[ \t]*\n")
_OUTLET_KEYS = {
    "slug",
    "name",
    "kind",
    "country",
    "language",
    "feed",
    "tagline",
    "credit",
    "credit_short",
}
_EVENT_KEYS = {"id", "slug", "section", "summary", "articles"}
_ARTICLE_KEYS = {
    "id",
    "outlet",
    "relation",
    "origin",
    "published",
    "slug",
    "headline",
    "standfirst",
    "author",
    "body",
    "body_from",
    "truncate",
    "credit",
    "source_link",
}


class CorpusError(ValueError):
    """The demo corpus is malformed."""


@dataclass(frozen=True)
class Outlet:
    slug: str
    name: str
    kind: str  # outlet | wire | aggregator
    country: str
    language: str
    feed: str  # rss2 | rss1 | atom | jsonfeed
    tagline: str = ""
    credit: str = ""
    credit_short: str = ""


@dataclass(frozen=True)
class DemoEvent:
    id: str
    slug: str
    section: str
    summary: str
    source: Path


@dataclass(frozen=True)
class DemoArticle:
    id: str
    event_id: str
    section: str
    outlet: str
    relation: str  # original | syndicated | scraped | spun | independent
    origin: str  # id of the copied article, "" if none
    published: datetime  # UTC aware
    slug: str
    headline: str
    standfirst: str
    author: str
    paragraphs: list[str]
    credit: str = ""
    source_link: str = ""


@dataclass
class Corpus:
    outlets: dict[str, Outlet]
    articles: list[DemoArticle]
    events: dict[str, DemoEvent] = field(default_factory=dict)

    def article(self, article_id: str) -> DemoArticle:
        """The article with this id (``KeyError`` if absent)."""
        for art in self.articles:
            if art.id == article_id:
                return art
        raise KeyError(article_id)

    def by_outlet(self, slug: str) -> list[DemoArticle]:
        """The outlet's articles, newest first (ties broken by id)."""
        return newest_first(a for a in self.articles if a.outlet == slug)

    def by_event(self, event_id: str) -> list[DemoArticle]:
        return [a for a in self.articles if a.event_id == event_id]

    def sections(self) -> list[str]:
        """Sections in use, in canonical order."""
        used = {a.section for a in self.articles}
        return [s for s in SECTIONS if s in used]

    def root_origin(self, article_id: str) -> DemoArticle:
        """Follow ``origin`` links back to the article that was first published."""
        art = self.article(article_id)
        while art.origin:
            art = self.article(art.origin)
        return art

    def credit_short(self, credit: str) -> str:
        """Short form of a credit line ("Continental Press Agency" -> "CPA")."""
        for outlet in self.outlets.values():
            if outlet.credit and outlet.credit == credit and outlet.credit_short:
                return outlet.credit_short
        return credit


def newest_first(articles: Iterable[DemoArticle]) -> list[DemoArticle]:
    """Sort newest first; equal timestamps are ordered by id so the order is stable."""
    by_id = sorted(articles, key=lambda a: a.id)
    return sorted(by_id, key=lambda a: a.published, reverse=True)


# --------------------------------------------------------------------------- loading


def load_corpus(corpus_dir: Path | None = None) -> Corpus:
    """Read and validate ``outlets.toml`` and ``events/*.toml`` under ``corpus_dir``."""
    root = Path(corpus_dir) if corpus_dir is not None else DEFAULT_CORPUS_DIR
    outlets = load_outlets(root / "outlets.toml")
    events: dict[str, DemoEvent] = {}
    raws: list[_RawArticle] = []
    for path in sorted((root / "events").glob("*.toml")):
        event, event_raws = _load_event(path, outlets)
        if event.id in events:
            raise CorpusError(
                f"{path}: duplicate event id {event.id!r} (also in {events[event.id].source})"
            )
        events[event.id] = event
        raws.extend(event_raws)
    return Corpus(outlets=outlets, articles=_resolve(raws), events=events)


def load_outlets(path: Path) -> dict[str, Outlet]:
    data = _read_toml(path)
    tables = data.get("outlets")
    if not isinstance(tables, list) or not tables:
        raise CorpusError(f"{path}: expected a non-empty [[outlets]] array")
    outlets: dict[str, Outlet] = {}
    for i, table in enumerate(tables):
        outlet = _parse_outlet(table, f"{path}: outlet #{i + 1}")
        if outlet.slug in outlets:
            raise CorpusError(f"{path}: duplicate outlet slug {outlet.slug!r}")
        outlets[outlet.slug] = outlet
    return outlets


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise CorpusError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path}: invalid TOML: {exc}") from None


def _check_keys(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise CorpusError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}")


def _str(table: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = table.get(key, None)
    if value is None:
        if required:
            raise CorpusError(f"{where}: missing {key!r}")
        return ""
    if not isinstance(value, str):
        raise CorpusError(f"{where}: {key!r} must be a string, not {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise CorpusError(f"{where}: {key!r} is empty")
    return value


def _choice(table: Mapping[str, Any], key: str, allowed: tuple[str, ...], where: str) -> str:
    value = _str(table, key, where)
    if value not in allowed:
        raise CorpusError(f"{where}: bad {key} {value!r} (expected one of {', '.join(allowed)})")
    return value


def _slug(table: Mapping[str, Any], key: str, where: str) -> str:
    value = _str(table, key, where)
    if not _SLUG_RE.match(value):
        raise CorpusError(f"{where}: {key} {value!r} must be lowercase words joined by '-'")
    return value


def _parse_outlet(table: Any, where: str) -> Outlet:
    if not isinstance(table, dict):
        raise CorpusError(f"{where}: expected a table")
    _check_keys(table, _OUTLET_KEYS, where)
    slug = _slug(table, "slug", where)
    where = f"{where} ({slug})"
    return Outlet(
        slug=slug,
        name=_str(table, "name", where),
        kind=_choice(table, "kind", OUTLET_KINDS, where),
        country=_str(table, "country", where),
        language=_str(table, "language", where),
        feed=_choice(table, "feed", FEED_FORMATS, where),
        tagline=_str(table, "tagline", where, required=False),
        credit=_str(table, "credit", where, required=False),
        credit_short=_str(table, "credit_short", where, required=False),
    )


@dataclass
class _RawArticle:
    """An article as written in its file, before ``body_from`` is resolved."""

    id: str
    path: Path
    where: str
    event_id: str
    section: str
    outlet: str
    relation: str
    origin: str
    published: datetime
    table: dict[str, Any]
    body_from: str
    truncate: int | None
    paragraphs: list[str]


def _load_event(path: Path, outlets: Mapping[str, Outlet]) -> tuple[DemoEvent, list[_RawArticle]]:
    data = _read_toml(path)
    where = str(path)
    _check_keys(data, _EVENT_KEYS, where)
    event = DemoEvent(
        id=_str(data, "id", where),
        slug=_str(data, "slug", where, required=False),
        section=_choice(data, "section", SECTIONS, where),
        summary=_str(data, "summary", where, required=False),
        source=path,
    )
    tables = data.get("articles")
    if not isinstance(tables, list) or not tables:
        raise CorpusError(f"{where}: event {event.id!r} has no [[articles]]")
    raws = [_parse_article(t, event, path, i, outlets) for i, t in enumerate(tables)]
    return event, raws


def _parse_article(
    table: Any, event: DemoEvent, path: Path, index: int, outlets: Mapping[str, Outlet]
) -> _RawArticle:
    if not isinstance(table, dict):
        raise CorpusError(f"{path}: article #{index + 1}: expected a table")
    art_id = _str(table, "id", f"{path}: article #{index + 1}")
    where = f"{path}: article {art_id!r}"
    _check_keys(table, _ARTICLE_KEYS, where)
    outlet = _str(table, "outlet", where)
    if outlet not in outlets:
        raise CorpusError(f"{where}: unknown outlet {outlet!r}")
    _str(table, "headline", where)
    _str(table, "standfirst", where, required=False)
    _slug(table, "slug", where)
    _str(table, "author", where, required=False)
    _str(table, "credit", where, required=False)
    _str(table, "source_link", where, required=False)
    body_from = _str(table, "body_from", where, required=False)
    return _RawArticle(
        id=art_id,
        path=path,
        where=where,
        event_id=event.id,
        section=event.section,
        outlet=outlet,
        relation=_choice(table, "relation", RELATIONS, where),
        origin=_str(table, "origin", where, required=False),
        published=_published(table.get("published"), where),
        table=table,
        body_from=body_from,
        truncate=_truncate(table.get("truncate"), body_from, where),
        paragraphs=_body(table, body_from, where),
    )


def _published(value: Any, where: str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise CorpusError(f"{where}: bad published date {value!r}") from None
    if not isinstance(value, datetime):
        raise CorpusError(f"{where}: missing or bad 'published' (e.g. \"2026-10-03T08:15:00Z\")")
    if value.tzinfo is None:
        raise CorpusError(f"{where}: published {value.isoformat()} has no timezone (add 'Z')")
    return value.astimezone(UTC)


def _truncate(value: Any, body_from: str, where: str) -> int | None:
    if value is None:
        return None
    if not body_from:
        raise CorpusError(f"{where}: 'truncate' needs 'body_from'")
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise CorpusError(f"{where}: 'truncate' must be a positive integer, not {value!r}")
    return value


def split_paragraphs(body: str) -> list[str]:
    """Split on blank lines; join the lines inside a paragraph with single spaces."""
    paras = (
        " ".join(line.strip() for line in p.splitlines())
        for p in _PARA_SPLIT_RE.split(body.strip())
    )
    return [" ".join(p.split()) for p in paras if p.strip()]


def _body(table: Mapping[str, Any], body_from: str, where: str) -> list[str]:
    body = _str(table, "body", where, required=False)
    if body and body_from:
        raise CorpusError(f"{where}: give either 'body' or 'body_from', not both")
    if not body and not body_from:
        raise CorpusError(f"{where}: missing body (give 'body' or 'body_from')")
    return split_paragraphs(body) if body else []


# --------------------------------------------------------------------------- resolving


def _resolve(raws: list[_RawArticle]) -> list[DemoArticle]:
    by_id: dict[str, _RawArticle] = {}
    for raw in raws:
        if raw.id in by_id:
            other = by_id[raw.id].path
            raise CorpusError(f"{raw.where}: duplicate article id (also in {other})")
        by_id[raw.id] = raw
    _check_unique_urls(raws)
    for raw in raws:
        _check_references(raw, by_id)
    return [_finish(raw, _paragraphs(raw, by_id, ())) for raw in raws]


def _check_unique_urls(raws: list[_RawArticle]) -> None:
    seen: dict[tuple[str, str, str], str] = {}
    for raw in raws:
        key = (raw.outlet, raw.published.date().isoformat(), str(raw.table["slug"]).strip())
        if key in seen:
            raise CorpusError(f"{raw.where}: same outlet, date and slug as {seen[key]!r}")
        seen[key] = raw.id


def _ref(raw: _RawArticle, key: str, target: str, by_id: Mapping[str, _RawArticle]) -> None:
    if target not in by_id:
        raise CorpusError(f"{raw.where}: {key} {target!r} is not an article id")
    if target == raw.id:
        raise CorpusError(f"{raw.where}: {key} points at the article itself")
    if by_id[target].event_id != raw.event_id:
        raise CorpusError(
            f"{raw.where}: {key} {target!r} belongs to another event ({by_id[target].event_id!r})"
        )


def _check_references(raw: _RawArticle, by_id: Mapping[str, _RawArticle]) -> None:
    if raw.relation in COPY_RELATIONS and not raw.origin:
        raise CorpusError(f"{raw.where}: relation {raw.relation!r} needs an 'origin'")
    if raw.relation not in COPY_RELATIONS and raw.origin:
        raise CorpusError(f'{raw.where}: relation {raw.relation!r} must have origin = ""')
    for key in ("origin", "body_from", "source_link"):
        target = raw.origin if key == "origin" else str(raw.table.get(key) or "").strip()
        if target:
            _ref(raw, key, target, by_id)
    seen = {raw.id}
    node = raw
    while node.origin:
        node = by_id[node.origin]
        if node.id in seen:
            raise CorpusError(f"{raw.where}: origin chain loops back to {node.id!r}")
        seen.add(node.id)


def _paragraphs(
    raw: _RawArticle, by_id: Mapping[str, _RawArticle], chain: tuple[str, ...]
) -> list[str]:
    if raw.id in chain:
        raise CorpusError(f"{raw.where}: body_from loop: {' -> '.join((*chain, raw.id))}")
    paras = raw.paragraphs
    if raw.body_from:
        paras = _paragraphs(by_id[raw.body_from], by_id, (*chain, raw.id))
        if raw.truncate is not None:
            paras = paras[: raw.truncate]
    if not paras:
        raise CorpusError(f"{raw.where}: body is empty")
    return list(paras)


def _finish(raw: _RawArticle, paragraphs: list[str]) -> DemoArticle:
    t = raw.table
    return DemoArticle(
        id=raw.id,
        event_id=raw.event_id,
        section=raw.section,
        outlet=raw.outlet,
        relation=raw.relation,
        origin=raw.origin,
        published=raw.published,
        slug=str(t["slug"]).strip(),
        headline=" ".join(str(t["headline"]).split()),
        standfirst=" ".join(str(t.get("standfirst") or "").split()),
        author=str(t.get("author") or "").strip(),
        paragraphs=paragraphs,
        credit=str(t.get("credit") or "").strip(),
        source_link=str(t.get("source_link") or "").strip(),
    )
