"""Article-page layouts of the fictional demo outlets: one per outlet, each with the
boilerplate and the metadata style its kind of site uses (see ``templates`` for the shared
fragments). Outlets added later fall back to a layout for their kind."""

from __future__ import annotations

from collections.abc import Callable

from byline.demo.corpus import Outlet
from byline.demo.templates import (
    FOOTER_NOTICE,
    ArticlePage,
    a,
    ad_slot,
    ampm,
    byline,
    clock,
    comment_form,
    cookie_banner,
    copyright_line,
    footer_links,
    head,
    iso,
    json_ld,
    lead,
    link_items,
    long_date,
    meta_names,
    nav_links,
    nav_list,
    newsletter,
    open_graph,
    paragraphs,
    share_buttons,
    short_date,
    standard_footer,
    t,
    ticker,
    us_date,
    weekday_date,
)

# --------------------------------------------------------------------------- article templates


def _cpa(page: ArticlePage) -> str:
    site, art = page.site, page.article
    css = (
        "body{font:15px/1.5 Arial,sans-serif;margin:0;color:#111}"
        "header{background:#002b55;color:#fff;padding:8px 16px}"
        "header a{color:#fff;margin-right:12px}"
        ".story{max-width:720px;margin:16px auto;padding:0 16px}.ticker{background:#ffd400;"
        "padding:4px 16px}.ticker ul{display:inline;list-style:none}.ticker li{display:inline;"
        "margin-right:16px}.dateline{color:#555}footer{background:#eee;padding:16px}"
    )
    credit = f'<p class="distribution">Distributed by {t(page.credit)}</p>' if page.credit else ""
    short_name = site.outlet.credit_short or site.outlet.name
    by = byline(art)
    by_html = f'<p class="byline">{by}, {t(site.outlet.name)}</p>' if by else ""
    return f"""{head(site, f"{art.headline} | {short_name}", page.url, css, json_ld(page))}
<body>
{cookie_banner(site.outlet.name, "We use cookies to operate this service and to measure traffic.")}
<header>
<div class="brand"><a href="{a(site.home_url)}">{t(short_name)}</a>
<span>{t(site.outlet.tagline)}</span></div>
<nav>{nav_links(site, "Top news")}
<a href="{a(site.about_url)}#clients">For clients</a> <a href="#login">Client login</a></nav>
</header>
{ticker("LATEST", page.latest)}
<div class="story">
<p class="section-label"><a href="{a(page.section_url)}">{t(art.section)}</a></p>
<h1>{t(art.headline)}</h1>
{lead(art, "lead")}
{by_html}
<p class="dateline">{t(us_date(art.published))} {t(clock(art.published))} UTC</p>
<div class="story-body">
{paragraphs(art)}
</div>
{credit}
<p class="licence">To license this story for publication, contact the CPA sales desk.</p>
{share_buttons(page.url, "Share")}
</div>
<section class="more">
<h2>More from {t(short_name)}</h2>
<ul>
{link_items(page.related)}
</ul>
</section>
<footer>
<ul>{footer_links(site)}</ul>
<p>{copyright_line(site)} Republication or redistribution requires a licence.</p>
<p class="small">{t(FOOTER_NOTICE)}</p>
</footer>
</body>
</html>
"""


def _meridian(page: ArticlePage) -> str:
    site, art = page.site, page.article
    css = (
        "body{font:17px/1.6 Georgia,serif;margin:0;color:#222}.masthead{text-align:center;"
        "border-bottom:3px double #222;padding:12px}.masthead h2{font-size:40px;margin:0}"
        "nav.primary{text-align:center;padding:6px}nav.primary a{margin:0 10px;color:#222}"
        ".article{max-width:680px;margin:24px auto}.standfirst{font-size:20px;color:#444}"
        ".kicker{color:#a00;text-transform:uppercase}.ad{background:#f4f4f4;height:90px}"
        "aside.related{max-width:680px;margin:24px auto;border-top:1px solid #ccc}"
    )
    credit = f'<p class="credit">— {t(page.credit)}</p>' if page.credit else ""
    by = byline(art)
    by_html = (
        f'<div class="byline">By <a rel="author" href="#author">{t(art.author)}</a></div>'
        if by
        else ""
    )
    top = head(
        site,
        f"{art.headline} | {site.outlet.name}",
        page.url,
        css,
        json_ld(page) + "\n" + open_graph(page),
    )
    return f"""{top}
<body>
<div class="masthead">
<p class="date-line">{t(weekday_date(art.published))}</p>
<h2><a href="{a(site.home_url)}">{t(site.outlet.name)}</a></h2>
<p>{t(site.outlet.tagline)}</p>
</div>
<nav class="primary">{nav_links(site)}
<a href="#subscribe">Subscribe</a></nav>
{ad_slot("leaderboard")}
<main>
<article class="article">
<header>
<p class="kicker"><a href="{a(page.section_url)}">{t(art.section)}</a></p>
<h1>{t(art.headline)}</h1>
{lead(art, "standfirst")}
{by_html}
<p class="published">Published {t(long_date(art.published))}</p>
</header>
<div class="article-body">
{paragraphs(art)}
{credit}
</div>
{share_buttons(page.url)}
</article>
<aside class="related">
<h2>Related Articles</h2>
<ul>
{link_items(page.related)}
</ul>
</aside>
{newsletter("The Morning Meridian", "Our editors' pick of the day's news, in your inbox at 7am.")}
{comment_form("Join the conversation", "Comments are moderated. Please keep it civil.")}
</main>
{ad_slot("footer")}
{standard_footer(site)}
{cookie_banner(site.outlet.name, "This site uses cookies to personalise content and ads.")}
</body>
</html>
"""


def _clarion(page: ArticlePage) -> str:
    site, art = page.site, page.article
    css = (
        "body{font:16px/1.45 Helvetica,Arial,sans-serif;margin:0}#top-bar{background:#c00;"
        "color:#fff;padding:10px}#top-bar a{color:#fff;font-weight:bold;margin-right:14px}"
        ".ticker{background:#111;color:#fff;padding:4px 10px}.ticker a{color:#fc0}"
        "#content{display:flex;gap:24px;max-width:1000px;margin:auto}.main-col{flex:3}"
        ".side-col{flex:1}.headline{font-size:34px}.lead{font-weight:bold}.ad{height:250px;"
        "background:#eee}"
    )
    credit = f'<p class="source">Source: {t(page.credit_short)}</p>' if page.credit else ""
    by = byline(art)
    meta = (
        f"{by} | {t(short_date(art.published))}, {t(ampm(art.published))}"
        if by
        else f"{t(short_date(art.published))}, {t(ampm(art.published))}"
    )
    return f"""{head(site, f"{art.headline} - {site.outlet.name}", page.url, css, open_graph(page))}
<body>
<div id="top-bar">
<a class="logo" href="{a(site.home_url)}">{t(site.outlet.name.upper())}</a>
{nav_links(site, "News")}
<a href="#puzzles">Puzzles</a> <a href="#sport">Sport</a>
</div>
{ticker("BREAKING", page.latest[:3])}
<div id="content">
<div class="main-col">
<span class="section-tag">{t(art.section)}</span>
<h1 class="headline">{t(art.headline)}</h1>
{lead(art, "lead")}
<div class="meta">{meta}</div>
{share_buttons(page.url, "Share")}
<div class="text">
{paragraphs(art)}
</div>
{credit}
{ad_slot("in-article")}
<div class="more-from">
<h3>More from {t(site.outlet.name)}</h3>
<ul>
{link_items(page.related)}
</ul>
</div>
{comment_form("Have your say", "Log in or enter your details to comment.", "Submit")}
</div>
<div class="side-col">
{ad_slot("mpu")}
<div class="popular"><h3>Most popular</h3><ol>
{link_items(page.latest, standfirst=False)}
</ol></div>
</div>
</div>
{standard_footer(site)}
{cookie_banner(site.outlet.name, "We and our partners use cookies.", "I agree")}
</body>
</html>
"""


def _northstar(page: ArticlePage) -> str:
    site, art = page.site, page.article
    css = (
        "body{font:16px/1.5 'Times New Roman',serif;background:#f7f5ef;margin:0}"
        "#header{background:#1b3a2f;color:#fff;padding:14px 20px}#header a{color:#fff}"
        "#menu ul{list-style:none;display:flex;gap:16px;padding:8px 20px;margin:0}"
        "#wrapper{display:grid;grid-template-columns:3fr 1fr;gap:20px;padding:20px}"
        ".intro{font-style:italic}.sidebar li{margin-bottom:10px}.ad{min-height:120px}"
    )
    credit = (
        f'<p class="agency">This article was supplied by {t(page.credit)}.</p>'
        if page.credit
        else ""
    )
    by = byline(art, "by ")
    return f"""{head(site, f"{site.outlet.name} - {art.headline}", page.url, css, meta_names(page))}
<body>
<div id="header">
<a href="{a(site.home_url)}"><strong>{t(site.outlet.name)}</strong></a>
<span class="motto">{t(site.outlet.tagline)}</span>
<form class="search" action="#search"><input name="q" placeholder="Search"></form>
</div>
<div id="menu"><ul>
{nav_list(site, "Front page")}
<li><a href="#weather">Weather</a></li><li><a href="#obituaries">Obituaries</a></li>
</ul></div>
{cookie_banner(site.outlet.name, "Cookies help us deliver our services.", "OK")}
<div id="wrapper">
<div id="main-content">
<div class="breadcrumb"><a href="{a(site.home_url)}">Home</a> &rsaquo;
<a href="{a(page.section_url)}">{t(art.section)}</a></div>
<h1>{t(art.headline)}</h1>
{lead(art, "intro")}
<div class="author-date">{by} <span class="posted">{t(long_date(art.published))}</span></div>
<div class="entry">
{paragraphs(art)}
</div>
{credit}
{share_buttons(page.url, "Tell a friend")}
<div class="related-stories">
<h3>Related stories</h3>
<ul>
{link_items(page.related, date=True)}
</ul>
</div>
{comment_form("Comments", "You must be a subscriber to comment.")}
</div>
<div class="sidebar">
{ad_slot("sidebar")}
{newsletter("Northstar Briefing", "The north's news, every weekday evening.")}
<h3>Latest news</h3>
<ul>
{link_items(page.latest, standfirst=False, date=True)}
</ul>
</div>
</div>
<div id="footer">
<ul>{footer_links(site)}</ul>
<p>{copyright_line(site)}</p>
<p class="small">{t(FOOTER_NOTICE)}</p>
</div>
</body>
</html>
"""


def _harbourpost(page: ArticlePage) -> str:
    site, art = page.site, page.article
    css = (
        "body{font:16px/1.6 Verdana,sans-serif;margin:0;color:#123}header.site{background:"
        "#0a5c7a;color:#fff;padding:12px 24px}header.site a{color:#fff}nav ul{display:flex;"
        "gap:18px;list-style:none}article{max-width:700px;margin:20px auto}.summary{font-size:"
        "19px}time{color:#567}.tide{background:#e3f1f6;padding:14px}.ad{height:100px}"
    )
    credit = (
        f'<p class="credit">&copy; {site.year} {t(page.credit)}. Used under licence.</p>'
        if page.credit
        else ""
    )
    by = byline(art)
    by_html = f'<span class="author">{by}</span> &middot; ' if by else ""
    return f"""{
        head(
            site,
            f"{art.headline} — {site.outlet.name}",
            page.url,
            css,
            meta_names(page, date=False),
        )
    }
<body>
<a class="skip" href="#story">Skip to content</a>
<header class="site">
<a class="logo" href="{a(site.home_url)}">{t(site.outlet.name)}</a>
<p>{t(site.outlet.tagline)}</p>
<nav><ul>
{nav_list(site)}
<li><a href="#shipping">Shipping news</a></li>
</ul></nav>
</header>
{ad_slot("banner")}
<main id="story">
<article>
<h1>{t(art.headline)}</h1>
{lead(art, "summary")}
<p class="meta">{by_html}<time datetime="{a(iso(art.published))}">{t(long_date(art.published))},
{t(clock(art.published))}</time> &middot; <a href="{a(page.section_url)}">{t(art.section)}</a></p>
{paragraphs(art, "body-text")}
{credit}
{share_buttons(page.url)}
</article>
<div class="tide">
{newsletter("The Tide", "A weekly letter from the waterfront, every Friday.", "Subscribe")}
</div>
<section class="related">
<h2>More from {t(site.outlet.name)}</h2>
<ul>
{link_items(page.related)}
</ul>
</section>
{comment_form("Comments", "Comments are open for 48 hours after publication.")}
</main>
<footer>
<nav><ul>{footer_links(site)}</ul></nav>
<p>{copyright_line(site)}</p>
<p class="small">{t(FOOTER_NOTICE)}</p>
</footer>
{cookie_banner(site.outlet.name, "We use essential cookies and, with your consent, analytics.")}
</body>
</html>
"""


def _eastgate(page: ArticlePage) -> str:
    site, art = page.site, page.article
    css = (
        "body{font:17px/1.65 'Palatino Linotype',serif;margin:0;background:#fffdf8}"
        ".topnav{background:#4a2c5e;padding:10px 30px}.topnav a{color:#fff;margin-right:20px}"
        ".layout{display:flex;max-width:1100px;margin:auto;gap:30px}.story{flex:3}"
        ".rail{flex:1;border-left:1px solid #ddd;padding-left:20px}.deck{font-size:21px;"
        "color:#555}.ad{height:280px;background:#f0ece4}"
    )
    credit = f'<p class="wire-credit">— {t(page.credit_short)}</p>' if page.credit else ""
    by = byline(art)
    top = head(
        site,
        f"{art.headline} | {site.outlet.name}",
        page.url,
        css,
        open_graph(page) + '\n<meta name="twitter:card" content="summary">',
    )
    return f"""{top}
<body>
{cookie_banner(site.outlet.name, "We value your privacy. Choose how we use cookies.", "Accept")}
<div class="topnav">
<a class="brand" href="{a(site.home_url)}">{t(site.outlet.name)}</a>
{nav_links(site, "Latest")}
<a href="#analysis">Analysis</a> <a href="#podcasts">Podcasts</a>
</div>
{newsletter("Eastern Dispatch", "Weekly analysis from the eastern provinces.", "Get it")}
<div class="layout">
<div class="story">
<div class="story-header">
<a class="category" href="{a(page.section_url)}">{t(art.section)}</a>
<h1>{t(art.headline)}</h1>
{lead(art, "deck")}
<div class="credits"><span class="by">{by}</span>
<span class="when">{t(us_date(art.published))}</span></div>
</div>
{share_buttons(page.url)}
<div class="story-text">
{paragraphs(art)}
</div>
{credit}
<div class="topics">Topics: <a href="{a(page.section_url)}">{t(art.section)}</a>
<a href="#{a(site.outlet.country.lower())}">{t(site.outlet.country)}</a></div>
{comment_form("Leave a comment", "Your email will not be shown publicly.")}
</div>
<div class="rail">
{ad_slot("rail")}
<h3>Editor's picks</h3>
<ul>
{link_items(page.related)}
</ul>
</div>
</div>
{standard_footer(site)}
</body>
</html>
"""


def _ledger(page: ArticlePage) -> str:
    site, art = page.site, page.article
    css = (
        "body{font:16px/1.5 Tahoma,sans-serif;margin:0;background:#fafafa}"
        ".banner{background:#2d6a2d;color:#fff;padding:10px}.banner a{color:#fff}"
        ".menu a{margin-right:10px}.post{background:#fff;max-width:760px;margin:16px auto;"
        "padding:20px}.weather{float:right;background:#def;padding:6px}.ad{height:90px}"
        ".reader-comment{border-top:1px solid #ddd;padding:6px 0}"
    )
    credit = f'<p class="source">Source: {t(page.credit)}</p>' if page.credit else ""
    by = byline(art, "Posted by ")
    return f"""{head(site, f"{art.headline} | {site.outlet.name}", page.url, css, meta_names(page))}
<body>
<div class="banner">
<div class="weather">Vessa: 14&deg;C, light rain</div>
<a href="{a(site.home_url)}"><b>{t(site.outlet.name)}</b></a> &mdash; {t(site.outlet.tagline)}
<div class="menu">{nav_links(site)}
<a href="#events">Community events</a> <a href="#classifieds">Classifieds</a></div>
</div>
{cookie_banner(site.outlet.name, "This website uses cookies.", "Got it")}
{ad_slot("top")}
<div class="post">
<div class="post-cat"><a href="{a(page.section_url)}">{t(art.section)}</a></div>
<h1 class="post-title">{t(art.headline)}</h1>
{lead(art, "post-excerpt")}
<div class="post-info">{by} on {t(long_date(art.published))}</div>
<div class="post-content">
{paragraphs(art)}
{credit}
</div>
{share_buttons(page.url, "Share with your neighbours")}
{ad_slot("inline")}
<div class="more-news">
<h3>More from {t(site.outlet.name)}</h3>
<ul>
{link_items(page.related)}
</ul>
</div>
<section class="reader-comments">
<h3>2 comments</h3>
<div class="reader-comment"><b>Tomas from Vessa</b>
<p>Thanks for covering this. The main road was busy all morning.</p></div>
<div class="reader-comment"><b>Lakeside reader</b>
<p>Would be good to hear what the council thinks.</p></div>
</section>
{comment_form("Add your comment", "Comments appear after approval.", "Send")}
</div>
<div class="footer">
{newsletter("Ledger Weekly", "The week's local news every Saturday morning.")}
<ul>{footer_links(site)}</ul>
<p>{copyright_line(site)}</p>
<p class="small">{t(FOOTER_NOTICE)}</p>
</div>
</body>
</html>
"""


def _techwatch(page: ArticlePage) -> str:
    site, art = page.site, page.article
    css = (
        "body{font:16px/1.7 system-ui,sans-serif;margin:0;color:#1d1d1f}.nav{display:flex;"
        "gap:20px;padding:14px 28px;border-bottom:1px solid #e5e5e5}.nav .logo{font-weight:800;"
        "color:#6b2df5}.ticker{background:#f3efff;padding:6px 28px}.ticker ul{display:inline;"
        "list-style:none}.ticker li{display:inline;margin-right:14px}.post{max-width:720px;"
        "margin:32px auto}.post-lede{font-size:20px;color:#444}"
        ".sponsored{border:1px dashed #bbb;padding:10px}"
    )
    credit = f'<p class="via">Via {t(page.credit_short)}</p>' if page.credit else ""
    by = byline(art)
    return f"""{head(site, f"{art.headline} · {site.outlet.name}", page.url, css, json_ld(page))}
<body>
<div class="nav">
<a class="logo" href="{a(site.home_url)}">{t(site.outlet.name)}</a>
{nav_links(site)}
<a href="#reviews">Reviews</a> <a href="#deals">Deals</a>
</div>
{ticker("Trending", page.latest[:4])}
<div class="post">
<div class="eyebrow"><a href="{a(page.section_url)}">{t(art.section)}</a>
&middot; {t(us_date(art.published))}</div>
<h1>{t(art.headline)}</h1>
{lead(art, "post-lede")}
<div class="author-box">{by}</div>
<div class="post-body">
{paragraphs(art)}
</div>
{credit}
<div class="sponsored"><small>Sponsored</small>
<p>Upgrade your home office with our partners' latest deals.</p></div>
{share_buttons(page.url)}
<aside class="read-next">
<h2>Read next</h2>
<ul>
{link_items(page.related)}
</ul>
</aside>
{newsletter("Techwatch Daily Digest", "Science and tech news you can use, every morning.")}
{comment_form("Discussion", "Be kind. Comments are reviewed by our moderators.")}
</div>
{standard_footer(site)}
{cookie_banner(site.outlet.name, "We use cookies to improve your experience.")}
</body>
</html>
"""


def _worldnewshub(page: ArticlePage) -> str:
    """Imitates a WordPress content farm: category label, spun body, "Source link"."""
    site, art = page.site, page.article
    css = (
        "body{font:15px/1.6 Roboto,Arial,sans-serif;margin:0}#top{background:#000;color:#fff;"
        "padding:10px}#top a{color:#fff;margin-right:12px}.td-category a{background:#e00;"
        "color:#fff;padding:2px 6px;font-size:11px;text-transform:uppercase}.td-post{max-width:"
        "740px;margin:20px auto}.go-to-top{position:fixed;right:10px;bottom:10px}"
        ".ad{height:90px;background:#ddd}"
    )
    source = (
        f'<p><a href="{a(page.source_url)}" target="_blank" rel="noopener">Source link</a></p>'
        if page.source_url
        else ""
    )
    by = byline(art)
    by_html = f'<span class="td-post-author">{by}</span> ' if by else ""
    return f"""{head(site, f"{art.headline} - {site.outlet.name}", page.url, css, open_graph(page))}
<body class="post-template-default single single-post">
<div id="top">
<a href="{a(site.home_url)}">{t(site.outlet.name)}</a>
{nav_links(site)}
<a href="{a(site.about_url)}#contact">Contact Us</a>
</div>
{ticker("Breaking News", page.latest[:5])}
{ad_slot("header")}
<div class="td-post">
<article class="post type-post status-publish format-standard">
<div class="td-category"><a href="{a(page.section_url)}">{t(art.section)}</a></div>
<h1 class="entry-title">{t(art.headline)}</h1>
<div class="td-module-meta-info">{by_html}<span class="td-post-date">{t(us_date(art.published))}
</span></div>
<div class="td-post-content">
{lead(art)}
{paragraphs(art)}
{source}
</div>
{share_buttons(page.url, "Share")}
</article>
{ad_slot("after-content")}
<div class="td-related">
<h4 class="block-title">Related Articles</h4>
<ul>
{link_items(page.related)}
</ul>
</div>
<div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form action="#respond" class="comment-form">
<p class="comment-notes">Your email address will not be published. Required fields are marked *</p>
<p><label>Comment <textarea name="comment" rows="8"></textarea></label></p>
<p><label>Name * <input name="author"></label></p>
<p><label>Email * <input name="email"></label></p>
<p><label>Website <input name="url"></label></p>
<p><button type="submit">Post Comment</button></p>
</form>
</div>
</div>
{standard_footer(site)}
<a href="#top" class="go-to-top" title="Back to top button"><span>Back to top button</span></a>
</body>
</html>
"""


ArticleTemplate = Callable[[ArticlePage], str]

ARTICLE_TEMPLATES: dict[str, ArticleTemplate] = {
    "cpa": _cpa,
    "meridian": _meridian,
    "clarion": _clarion,
    "northstar": _northstar,
    "harbourpost": _harbourpost,
    "eastgate": _eastgate,
    "ledger": _ledger,
    "techwatch": _techwatch,
    "worldnewshub": _worldnewshub,
}
_BY_KIND: dict[str, ArticleTemplate] = {
    "wire": _cpa,
    "aggregator": _worldnewshub,
    "outlet": _meridian,
}


def article_template(outlet: Outlet) -> ArticleTemplate:
    """The outlet's own template; outlets added later fall back to one for their kind."""
    return ARTICLE_TEMPLATES.get(outlet.slug) or _BY_KIND.get(outlet.kind, _meridian)


def render_article(page: ArticlePage) -> str:
    return article_template(page.site.outlet)(page)
