"""Outgoing feeds — RSS 2.0, Atom 1.0 and JSON Feed 1.1 — from a feed's data
(``pages.*_feed``). Each item is an article's headline, its outlet and label, a short excerpt
and a link to its Byline page; the original is linked, never republished."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import feedgenerator

XML_FEEDS: dict[str, type[feedgenerator.Rss201rev2Feed | feedgenerator.Atom1Feed]] = {
    "rss": feedgenerator.Rss201rev2Feed,
    "atom": feedgenerator.Atom1Feed,
}
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_TYPE = "application/feed+json"


# Characters XML 1.0 cannot hold (C0 controls but tab, newline and return; U+FFFE, U+FFFF;
# lone surrogates): a page, a feed or a search can carry them, and one of them in one headline
# made Django's feed writer refuse the whole feed (a 500 for every reader).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _x(text: str) -> str:
    return _NOT_XML.sub("", text)


def _title(data: dict[str, Any]) -> str:
    return f"{data['title']} — {settings.BYLINE.site_name}"


def _item_text(item: dict[str, Any]) -> str:
    label = f" ({item['relation_label']})" if item["relation_label"] else ""
    return f"{item['source']['name']}{label}. {item['excerpt']}"


def xml_feed(request: HttpRequest, data: dict[str, Any], kind: str) -> HttpResponse:
    """RSS 2.0 (``kind`` "rss") or Atom 1.0 ("atom"), newest item first."""
    absolute = request.build_absolute_uri
    feed = XML_FEEDS[kind](
        title=_x(_title(data)),
        link=absolute(data["path"]),
        description=_x(data["description"]),
        feed_url=absolute(request.get_full_path()),
        language="en",
    )
    for item in data["items"]:
        feed.add_item(
            title=_x(f"{item['source']['name']}: {item['title']}"),
            link=absolute(item["path"]),
            description=_x(_item_text(item)),
            unique_id=absolute(item["path"]),
            pubdate=datetime.fromisoformat(item["published"]),
            author_name=_x(item["source"]["name"]),
            categories=[_x(item["relation_label"])] if item["relation_label"] else [],
        )
    return HttpResponse(feed.writeString("utf-8"), content_type=feed.content_type)


def json_feed(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """A JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) object, newest item first:
    ``url`` is the item's Byline page, ``external_url`` the article at its outlet."""
    absolute = request.build_absolute_uri
    return {
        "version": JSON_FEED_VERSION,
        "title": _title(data),
        "home_page_url": absolute(data["path"]),
        "feed_url": absolute(request.get_full_path()),
        "description": data["description"],
        "language": "en",
        "items": [
            {
                "id": absolute(item["path"]),
                "url": absolute(item["path"]),
                "external_url": item["url"],
                "title": f"{item['source']['name']}: {item['title']}",
                "content_text": _item_text(item),
                "summary": item["standfirst"],
                "date_published": item["published"],
                "authors": [{"name": item["source"]["name"]}],
                "tags": [item["relation_label"]] if item["relation_label"] else [],
            }
            for item in data["items"]
        ],
    }
