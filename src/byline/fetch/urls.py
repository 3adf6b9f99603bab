"""URL canonicalisation (courlan): lower-case host, default port dropped, query sorted, tracking
parameters (utm_*, fbclid, gclid, …) and the fragment removed. Article URLs pass through it
before de-duplication, so one story shared with different tracking tags is fetched once."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url


def canonical_url(url: str) -> str:
    """The canonical form of an http(s) URL; anything else comes back unchanged."""
    try:
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
            return url
        normal = normalize_url(url.strip(), strict=False, trailing_slash=True)
        return urlunsplit(urlsplit(normal)._replace(fragment=""))
    except (ValueError, TypeError):
        return url
