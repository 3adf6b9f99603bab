"""What a page's markup holds, for tests that check reader text never becomes markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Attributes whose value a browser follows as a URL.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "srcset", "background", "data"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def start_tags(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every start tag of ``html`` with its attributes, as a browser's tokenizer reads them."""
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def is_javascript_url(value: str) -> bool:
    """Whether a URL attribute's value runs script (whitespace inside the scheme ignored)."""
    return re.sub(r"\s", "", value).lower().startswith("javascript:")
