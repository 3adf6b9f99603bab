"""HTML templates for the fictional demo outlets.

Each outlet gets its own article template with the boilerplate real news sites carry (menus,
cookie banners, tickers, share buttons, related links, comment boxes, ads, footers) and its own
way of publishing metadata (JSON-LD, OpenGraph, ``<meta name>``, ``<time datetime>``).
Pure string building with ``html.escape``: no template engine, fully deterministic.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from byline.demo.corpus import DemoArticle, Outlet

NOTICE = (
    "Sample data: every outlet, person and event here is fictional, written for the Byline demo."
)
FOOTER_NOTICE = "Fictional outlet: sample data for the Byline demo."

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# --------------------------------------------------------------------------- page data


@dataclass(frozen=True)
class Link:
    """Another article of the same outlet (for related blocks, tickers and listings)."""

    url: str
    headline: str
    standfirst: str
    published: datetime
    section: str


@dataclass(frozen=True)
class Site:
    """What every page of one outlet needs: names, URLs, navigation."""

    outlet: Outlet
    home_url: str
    feed_url: str
    feed_mime: str
    about_url: str
    nav: tuple[tuple[str, str], ...]  # (section name, section URL)
    year: int


@dataclass(frozen=True)
class ArticlePage:
    site: Site
    article: DemoArticle
    url: str
    section_url: str
    related: tuple[Link, ...]
    latest: tuple[Link, ...]
    credit: str  # full credit line ("" if none)
    credit_short: str
    source_url: str  # absolute URL for the farm's "Source link" ("" if none)


@dataclass(frozen=True)
class ListingPage:
    site: Site
    url: str
    title: str
    links: tuple[Link, ...]


# --------------------------------------------------------------------------- small helpers


def t(text: str) -> str:
    """Escape text content."""
    return html.escape(text, quote=False)


def a(value: str) -> str:
    """Escape an attribute value (for use inside double quotes)."""
    return html.escape(value, quote=True)


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def long_date(dt: datetime) -> str:
    return f"{dt.day} {_MONTHS[dt.month - 1]} {dt.year}"


def us_date(dt: datetime) -> str:
    return f"{_MONTHS[dt.month - 1]} {dt.day}, {dt.year}"


def short_date(dt: datetime) -> str:
    return f"{dt.day} {_MONTHS[dt.month - 1][:3]} {dt.year}"


def weekday_date(dt: datetime) -> str:
    return f"{_DAYS[dt.weekday()]} {long_date(dt)}"


def clock(dt: datetime) -> str:
    return f"{dt.hour:02d}:{dt.minute:02d}"


def ampm(dt: datetime) -> str:
    hour = dt.hour % 12 or 12
    return f"{hour}:{dt.minute:02d}{'am' if dt.hour < 12 else 'pm'}"


def paragraphs(art: DemoArticle, cls: str = "") -> str:
    attr = f' class="{a(cls)}"' if cls else ""
    return "\n".join(f"<p{attr}>{t(p)}</p>" for p in art.paragraphs)


def _json_script(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def json_ld(page: ArticlePage) -> str:
    art, outlet = page.article, page.site.outlet
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": page.url,
        "headline": art.headline,
        "description": art.standfirst,
        "datePublished": iso(art.published),
        "dateModified": iso(art.published),
        "articleSection": art.section,
        "inLanguage": outlet.language,
    }
    if not art.standfirst:
        del data["description"]
    if art.author:
        data["author"] = [{"@type": "Person", "name": art.author}]
    data["publisher"] = {"@type": "Organization", "name": outlet.name, "url": page.site.home_url}
    return _json_script(data)


def open_graph(page: ArticlePage) -> str:
    art = page.article
    tags = [
        ("og:type", "article"),
        ("og:site_name", page.site.outlet.name),
        ("og:title", art.headline),
        ("og:description", art.standfirst),
        ("og:url", page.url),
        ("article:published_time", iso(art.published)),
        ("article:section", art.section),
    ]
    if art.author:
        tags.append(("article:author", art.author))
    return "\n".join(f'<meta property="{k}" content="{a(v)}">' for k, v in tags if v)


def meta_names(page: ArticlePage, *, date: bool = True) -> str:
    art = page.article
    tags = [("description", art.standfirst)]
    if art.author:
        tags.append(("author", art.author))
    if date:
        tags.append(("date", iso(art.published)))
    return "\n".join(f'<meta name="{k}" content="{a(v)}">' for k, v in tags if v)


def head(site: Site, title: str, url: str, css: str, extra: str = "") -> str:
    outlet = site.outlet
    extra_lines = f"{extra}\n" if extra else ""
    return f"""<!DOCTYPE html>
<html lang="{a(outlet.language or "en")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t(title)}</title>
<link rel="canonical" href="{a(url)}">
<link rel="alternate" type="{a(site.feed_mime)}" title="{a(outlet.name)}" href="{a(site.feed_url)}">
{extra_lines}<style>{css}</style>
</head>"""


def nav_links(site: Site, home_label: str = "Home") -> str:
    items = [f'<a href="{a(site.home_url)}">{t(home_label)}</a>']
    items += [f'<a href="{a(url)}">{t(name)}</a>' for name, url in site.nav]
    return "\n".join(items)


def nav_list(site: Site, home_label: str = "Home") -> str:
    return "\n".join(f"<li>{link}</li>" for link in nav_links(site, home_label).split("\n"))


def footer_links(site: Site) -> str:
    names = ("About us", "Contact", "Privacy policy", "Terms of use", "Advertise")
    anchors = ("", "#contact", "#privacy", "#terms", "#advertise")
    return "\n".join(
        f'<li><a href="{a(site.about_url + anchor)}">{t(name)}</a></li>'
        for name, anchor in zip(names, anchors, strict=True)
    )


def copyright_line(site: Site) -> str:
    return f"&copy; {site.year} {t(site.outlet.name)}. All rights reserved."


def standard_footer(site: Site) -> str:
    """The footer most outlets share: links, copyright and the sample-data notice."""
    return (
        f"<footer>\n<ul>{footer_links(site)}</ul>\n<p>{copyright_line(site)}</p>\n"
        f'<p class="small">{t(FOOTER_NOTICE)}</p>\n</footer>'
    )


def link_items(links: Iterable[Link], *, standfirst: bool = True, date: bool = False) -> str:
    out = []
    for link in links:
        parts = [f'<a href="{a(link.url)}">{t(link.headline)}</a>']
        if standfirst and link.standfirst:
            parts.append(f"<p>{t(link.standfirst)}</p>")
        if date:
            parts.append(f'<span class="date">{t(short_date(link.published))}</span>')
        out.append(f"<li>{''.join(parts)}</li>")
    return "\n".join(out)


def share_buttons(url: str, label: str = "Share this article") -> str:
    return f"""<div class="share" aria-label="{a(label)}">
<span>{t(label)}</span>
<a class="share-btn" href="#share-x" data-url="{a(url)}">X</a>
<a class="share-btn" href="#share-facebook" data-url="{a(url)}">Facebook</a>
<a class="share-btn" href="#share-linkedin" data-url="{a(url)}">LinkedIn</a>
<a class="share-btn" href="#share-email" data-url="{a(url)}">Email</a>
<button type="button" class="copy-link">Copy link</button>
</div>"""


def cookie_banner(name: str, text: str, accept: str = "Accept all") -> str:
    return f"""<div class="cookie-banner" role="dialog" aria-label="Cookie consent">
<p>{t(text)} <a href="#privacy">{t(name)} privacy policy</a></p>
<button type="button">{t(accept)}</button> <button type="button">Manage preferences</button>
</div>"""


def ad_slot(kind: str) -> str:
    return f'<div class="ad ad-{a(kind)}" aria-hidden="true"><small>Advertisement</small></div>'


def newsletter(title: str, blurb: str, button: str = "Sign up") -> str:
    return f"""<form class="newsletter" action="#newsletter">
<h3>{t(title)}</h3>
<p>{t(blurb)}</p>
<label>Email address <input type="email" name="email" placeholder="you@example.com"></label>
<button type="submit">{t(button)}</button>
<p class="small">By signing up you agree to our terms. Unsubscribe at any time.</p>
</form>"""


def comment_form(title: str, note: str, button: str = "Post comment") -> str:
    return f"""<section class="comments" id="comments">
<h3>{t(title)}</h3>
<p class="small">{t(note)}</p>
<form action="#comments">
<label>Comment <textarea name="comment" rows="5"></textarea></label>
<label>Name <input type="text" name="author"></label>
<label>Email <input type="email" name="email"></label>
<button type="submit">{t(button)}</button>
</form>
</section>"""


def ticker(label: str, links: Iterable[Link]) -> str:
    items = " ".join(f'<li><a href="{a(x.url)}">{t(x.headline)}</a></li>' for x in links)
    return f'<div class="ticker"><strong>{t(label)}</strong><ul>{items}</ul></div>'


def lead(art: DemoArticle, cls: str = "") -> str:
    """The standfirst as a lead paragraph ("" when the article has none)."""
    if not art.standfirst:
        return ""
    attr = f' class="{a(cls)}"' if cls else ""
    return f"<p{attr}>{t(art.standfirst)}</p>"


def byline(art: DemoArticle, prefix: str = "By ") -> str:
    return f"{t(prefix)}{t(art.author)}" if art.author else ""


# --------------------------------------------------------------------------- other pages


_LISTING_CSS = (
    "body{font:16px/1.5 Georgia,serif;margin:0;color:#222}header{padding:14px 24px;"
    "border-bottom:2px solid #333}header nav a{margin-right:14px}main{max-width:820px;"
    "margin:20px auto}li{margin-bottom:14px}.date{color:#777;font-size:13px}"
)


def render_listing(page: ListingPage, intro: str = "") -> str:
    """An outlet's home page or section page: its articles, newest first."""
    site = page.site
    items = link_items(page.links, date=True)
    intro_html = f"<p>{t(intro)}</p>" if intro else ""
    return f"""{head(site, page.title, page.url, _LISTING_CSS)}
<body>
<header>
<h1 class="site-title"><a href="{a(site.home_url)}">{t(site.outlet.name)}</a></h1>
<p class="tagline">{t(site.outlet.tagline)}</p>
<nav>{nav_links(site)}
<a href="{a(site.feed_url)}">Feed</a></nav>
</header>
<main>
<h2>{t(page.title)}</h2>
{intro_html}
<ul class="article-list">
{items}
</ul>
</main>
<footer>
<ul>{footer_links(site)}</ul>
<p>{copyright_line(site)}</p>
<p class="small">{t(FOOTER_NOTICE)}</p>
</footer>
</body>
</html>
"""


def render_about(site: Site, url: str) -> str:
    outlet = site.outlet
    body = (
        f"{outlet.name} is a fictional {outlet.kind} based in {outlet.country}, "
        f"invented for the Byline demo. {NOTICE}"
    )
    sections = "\n".join(
        f'<h3 id="{anchor}">{t(title)}</h3>\n<p>{t(text)}</p>'
        for anchor, title, text in (
            ("contact", "Contact", "This outlet does not exist; there is no one to contact."),
            ("privacy", "Privacy policy", "The demo sets no cookies and collects no data."),
            ("terms", "Terms of use", "All text on this site is sample data."),
            ("advertise", "Advertise", "The advertisements shown are empty placeholders."),
            ("clients", "Clients", "Licensing information for the fictional wire service."),
        )
    )
    return f"""{head(site, f"About {outlet.name}", url, _LISTING_CSS)}
<body>
<header><h1><a href="{a(site.home_url)}">{t(outlet.name)}</a></h1>
<nav>{nav_links(site)}</nav></header>
<main>
<h2>About {t(outlet.name)}</h2>
<p>{t(outlet.tagline)}</p>
<p>{t(body)}</p>
{sections}
</main>
</body>
</html>
"""


@dataclass(frozen=True)
class DirectoryEntry:
    outlet: Outlet
    home_url: str
    feed_url: str
    feed_format: str
    count: int


def render_directory(base_url: str, entries: Iterable[DirectoryEntry]) -> str:
    """The root ``/index.html``: the list of fictional outlets."""
    rows = "\n".join(
        f'<tr><td><a href="{a(e.home_url)}">{t(e.outlet.name)}</a></td>'
        f"<td>{t(e.outlet.kind)}</td><td>{t(e.outlet.country)}</td>"
        f'<td><a href="{a(e.feed_url)}">{t(e.feed_format)}</a></td><td>{e.count}</td></tr>'
        for e in entries
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Byline demo: sample news outlets</title>
<link rel="canonical" href="{a(base_url)}/">
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:900px;margin:30px auto}}
.banner{{background:#fff3cd;border:2px solid #e0a800;padding:12px;font-weight:bold}}
td,th{{padding:4px 12px;text-align:left}}</style>
</head>
<body>
<p class="banner">{t(NOTICE)}</p>
<h1>Byline demo: sample news outlets</h1>
<p>These sites are generated from the demo corpus and served from this computer only.
Gold labels for every article are in <a href="{a(base_url)}/manifest.json">manifest.json</a>.</p>
<table>
<thead><tr><th>Outlet</th><th>Kind</th><th>Country</th><th>Feed</th><th>Articles</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""
