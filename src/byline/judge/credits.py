"""Who a page says its text came from (pure): credit lines, agency datelines and signatures,
and the furniture that marks a scraper's page.

Provenance uses these to tell the *author* of a shared text from its *carriers*: a paper
that prints "(AP) —" or "By: BLOOMBERG" above a text is carrying it, not writing it, and a
page that still shows "Source link" and "Leave a Reply" under someone else's article is a
scrape. docs/provenance.md spells out how each is used.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Credit lines: "(AFP) —", a line ending "— Reuters" (a dash after a space, never a hyphen
# inside a word such as "Chick-fil-A"), and phrases such as "Reporting by …", "This article
# originally appeared in …", "Republished with permission from …".
CREDIT = re.compile(
    r"(?:\((?P<paren>[A-Z][A-Za-z]{1,12})\)\s*[-—–]"
    r"|(?:^|(?<=\s))[—–-]\s*(?P<dash>[A-Z][\w .&]{2,60})\s*$"
    r"|\b(?:Reporting by|Source:|Credit:|Via|Distributed by|Courtesy of"
    r"|(?:originally |first )?(?:appeared|published) (?:in|on|by)"
    r"|Republished (?:with permission )?(?:from|by))\s+(?P<by>(?:[Tt]he )?[A-Z][\w .&]{1,60}))",
    re.MULTILINE,
)

# News agencies whose name alone, in a credit position, says the text is theirs. The list is
# of agencies that sell text to other papers; a paper's own name is not here.
AGENCIES = {
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "bloomberg": "Bloomberg",
    "pti": "PTI",
    "press trust of india": "PTI",
    "ani": "ANI",
    "ians": "IANS",
    "uni": "UNI",
    "dpa": "dpa",
    "efe": "EFE",
    "ansa": "ANSA",
    "xinhua": "Xinhua",
    "tass": "TASS",
    "kyodo": "Kyodo",
    "yonhap": "Yonhap",
    "pa": "PA Media",
    "pa media": "PA Media",
    "aap": "AAP",
    "app": "APP",
    "bernama": "Bernama",
    "anadolu": "Anadolu",
    "united press international": "UPI",
    "the canadian press": "The Canadian Press",
    "canadian press": "The Canadian Press",
    "kuna": "KUNA",
    "kuwait news agency": "KUNA",
    "wam": "WAM",
    "emirates news agency": "WAM",
    "irna": "IRNA",
    "interfax": "Interfax",
    "antara": "Antara",
    "jiji": "Jiji Press",
    "jiji press": "Jiji Press",
    "europa press": "Europa Press",
    # the Swiss agency, signed in German, French and Italian ("(Keystone-ATS) Dans …")
    "keystone-sda": "Keystone-SDA",
    "keystone-ats": "Keystone-SDA",
    "keystone-sda-ats": "Keystone-SDA",
    # syndication wires of newspaper and broadcast groups, carried by their members and
    # licensees ("(NEXSTAR) —" on a station's site that is not Nexstar's own)
    "nexstar": "Nexstar Media Wire",
    "nexstar media wire": "Nexstar Media Wire",
    "tribune news service": "Tribune News Service",
    # "(Web Desk/Agencies)", "Source: Agencies": wire copy from agencies the page leaves
    # unnamed, as South Asian papers sign it
    "agencies": "unnamed agencies",
    # "(… this story has not been edited by NDTV staff and is published from a syndicated
    # feed.)", LatestLY's "auto-generated story from Syndicated News feed": Indian portals'
    # notice under agency copy that names no agency
    "syndicated feed": "a syndicated feed",
    "syndicated news feed": "a syndicated feed",
}
# Credits that name no source: they say a text is carried, not whose it is.
SYNDICATED_FEED = AGENCIES["syndicated feed"]
UNNAMED_SOURCES = frozenset({AGENCIES["agencies"], SYNDICATED_FEED})
_AGENCY_NAMES = "|".join(
    re.escape(name) for name in sorted(AGENCIES, key=len, reverse=True) if len(name) > 2
)
# An agency in a credit position: a dateline's "(AP)", "(APP - UrduPoint …)" or "(Web
# Desk/Agencies)" anywhere; a byline line that is the agency's name ("The Associated Press");
# "By: BLOOMBERG", "By Reuters", "Source: PTI" at a line's start (never "seen by Reuters"
# inside a sentence); "From Associated Press." on a line of its own;
# "Copyright 2023 The Associated Press"; "| Reuters", "— AFP", "/ IANS", "-- ANI" (two
# hyphens for a dash) at a line's end; an agency's byline title on a line of its own ("AP
# Aerospace Writer", "By JANE DOE, Associated Press Writer"); a dateline between bars
# ("ACCRA, GHANA | Xinhua | The …", as Uganda's The Independent signs agency copy); "— AP"
# or "– PA" ending a paragraph (the two-letter names only so, in capitals); a portal's
# notice that its text comes "from a syndicated feed".
SIGNATURE = re.compile(
    r"\((?P<paren>AP|AFP|PTI|ANI|IANS|UNI|AAP|APP|EFE|dpa|Reuters|Bloomberg|TASS|Xinhua"
    r"|KUNA|WAM|Antara|Nexstar|Keystone-SDA-ATS|Keystone-SDA|Keystone-ATS|Jiji Press|Jiji"
    r"|Kyodo)\b[^()\n]{0,80}\)"
    r"|^\s*(?:By\s+)?(?:(?-i:[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,4}),?\s+)?"
    r"(?P<title>AP|Associated Press|AFP|Reuters)(?-i:(?:\s+[A-Z][a-z]+){0,2}\s+Writer)\s*$"
    r"|\((?:[^()\n/]{1,30}/\s*)?(?P<desk>Agencies)\)"
    r"|^\s*(?:By|Source|Credit|Courtesy|Via|From)?\s*:?\s*(?P<by>" + _AGENCY_NAMES + r")\.?\s*$"
    r"|^\s*(?:By|Source|Credit|Courtesy|Via)\s*:?\s*(?P<lead>" + _AGENCY_NAMES + r")\b"
    r"|(?:Copyright|©)\s*(?:\d{4}\s*)?(?P<copy>" + _AGENCY_NAMES + r")\b"
    r"|(?:[|—–/]|--)\s*(?P<bar>" + _AGENCY_NAMES + r")\s*$"
    r"|^\s*(?-i:[A-Z][A-Z .,'-]{1,40})\|\s*(?P<pipe>" + _AGENCY_NAMES + r")\s*\|"
    r"|[—–]\s*(?-i:(?P<short>AP|PA))\s*$"
    r"|^\s*(?:[—–-]\s*)?with\s+(?P<with>(?-i:AP|PA)|" + _AGENCY_NAMES + r")\.?\s*$"
    r"|\b(?:from|generated from|published from)\s+(?:an?\s+|the\s+)?"
    r"(?P<feed>syndicated (?:news )?feed)\b",
    re.IGNORECASE | re.MULTILINE,
)

# What a scraper's template leaves around a copied article (the seed page's furniture:
# WordPress comment and sharing blocks under someone else's text).
FARM_FURNITURE = re.compile(
    r"^\s*(?:Source link|Leave a Reply|Cancel reply|Like this:|You May Also Like|Share this:"
    r"|Related Articles|Related Posts)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
FARM_MIN_MARKS = 2  # one such line can be a paper's own; two is a scraper's template


_LOWER_WORD = re.compile(r"\b[a-z]{3,}\b")
_DASH_LINE = re.compile(r"^\s*[—–-]\s*\S")
SENTENCE_MIN_LOWER_WORDS = 3


def _not_a_dash_credit(text: str, match: re.Match[str]) -> bool:
    """Whether a dash "credit" is something else: a sentence after a dash ("- Australia
    last won the title in 2015.", "— Dramatic photos show …") or an item of a dashed list
    ("— Ohio" between "— Pennsylvania" and "— Kansas"). A sign-off names its source in a
    few words, and stands alone."""
    value = match.group("dash")
    if value is None:
        return False
    if len(_LOWER_WORD.findall(value)) >= SENTENCE_MIN_LOWER_WORDS:
        return True
    lines = text.splitlines()
    here = text.count("\n", 0, match.start())
    if here >= len(lines) or not _DASH_LINE.match(lines[here]):
        return False  # "… said. — Reuters" ends a paragraph: no list
    before = next((line for line in reversed(lines[:here]) if line.strip()), "")
    after = next((line for line in lines[here + 1 :] if line.strip()), "")
    return bool(_DASH_LINE.match(before) or _DASH_LINE.match(after))


def credit_lines(text: str) -> set[str]:
    """Credit lines such as "(CPA) —", "— Continental Press Agency" or "Reporting by …"."""
    found = set()
    for match in CREDIT.finditer(text):
        if _not_a_dash_credit(text, match):
            continue
        value = match.group("paren") or match.group("dash") or match.group("by") or ""
        if value.strip():
            found.add(value.strip().rstrip("."))
    return found


def agency_of(name: str) -> str | None:
    """The agency a credit names ("Associated Press" → "AP"), or None."""
    return AGENCIES.get(" ".join(name.lower().replace(".", "").split()))


_NAME_WORD = re.compile(r"[\w'’.-]+")


def spells_out(before: str, abbreviation: str) -> bool:
    """Whether the words just before an abbreviation in brackets spell it out, making it a
    name's definition rather than a dateline's credit: "Pakistan Tehreek-e-Insaf (PTI)" (a
    party), "the Press Trust of India (PTI) said" (a mention in a sentence), never "NEW DELHI
    (PTI) —" or "Islamabad, May 9 (PTI)". The initials of the capitalised words (hyphenated
    parts count apart, small words such as "of" or "e" are passed over) must end in the
    abbreviation's letters."""
    letters = [c for c in abbreviation.upper() if c.isalpha()]
    initials: list[str] = []
    for word in reversed(_NAME_WORD.findall(before.rsplit("\n", 1)[-1])[-8:]):
        parts = [p for p in re.split(r"[-.]", word) if p]
        capitals = [p[0].upper() for p in reversed(parts) if p[0].isupper()]
        if not capitals and word.islower() and len(word) <= 3:
            continue  # "of", "the", "e", "and"
        if not capitals:
            break
        initials.extend(capitals)
        if len(initials) >= len(letters):
            break
    return initials[: len(letters)][::-1] == letters


def signatures(text: str) -> set[str]:
    """Agencies named in a credit position: datelines, bylines and sign-offs. A bracketed
    name that the words before it spell out ("Pakistan Tehreek-e-Insaf (PTI)") defines an
    abbreviation and credits nobody."""
    found = set()
    for match in SIGNATURE.finditer(text):
        paren = match.group("paren")
        if paren and spells_out(text[: match.start()], paren):
            continue
        value = next((v for v in match.groups() if v), "")
        agency = agency_of(value)
        if agency:
            found.add(agency)
    return found


# A name in brackets closing the whole text, "… remained silent and composed. (BBC)": the
# source a carrier credits for it, as Nigerian and Ghanaian sites sign what they take.
# The name is an agency's or an outlet's initials ("(BBC)", "(CNN)"), never a photo credit
# ("(Getty Images)").
CLOSING_CREDIT = re.compile(r"\((?P<name>[A-Z]{2,6}|" + _AGENCY_NAMES + r")\)\s*\Z", re.IGNORECASE)
# Words in capitals in brackets that label a page's furniture, not a source: "(VIDEO) —",
# "(UPDATE) -", "… (PHOTOS)".
NOT_A_SOURCE = frozenset(
    {"VIDEO", "VIDEOS", "PHOTO", "PHOTOS", "WATCH", "LIVE", "UPDATE", "AUDIO", "LISTEN"}
    | {"READ", "MORE", "FILE", "NEW", "SIC"}
)


def closing_credit(text: str) -> str | None:
    """The name in brackets that closes a text (an agency's, or an outlet's initials), unless
    the words before it spell it out (an abbreviation defined, "… the Pakistan
    Tehreek-e-Insaf (PTI)")."""
    match = CLOSING_CREDIT.search(text.rstrip())
    if match is None:
        return None
    name = match.group("name")
    agency = agency_of(name)
    if agency is None and (not name.isupper() or name in NOT_A_SOURCE):
        return None  # "(sic)", "(VIDEO)"
    if spells_out(text[: match.start()], name):
        return None  # an abbreviation the sentence defines
    return agency or name


# A name in brackets before the dash that opens the text, "(CNN) —" or "ATLANTA (CNN) —"
# (a headline line that ends in no full stop may come first): the source a carrier signs
# its text with, as CNN's affiliates sign CNN's copy. As for a closing credit, an agency's
# name or an outlet's initials, never a word in mixed case ("(Photo) —") nor a label of the
# page's furniture ("(VIDEO) —", ``NOT_A_SOURCE``).
OPENING_CREDIT = re.compile(
    r"\A\s*(?:[^\n]*[^\s.!?]\s*\n\s*)?(?P<before>[^\n()]{0,60}?)\((?P<name>[A-Z]{2,6})\)\s*[-—–]"
)


def opening_credit(text: str) -> str | None:
    """The name in brackets in the dateline that opens a text, "(CNN) —", unless the words
    before it spell it out (an abbreviation defined)."""
    match = OPENING_CREDIT.match(text)
    if match is None:
        return None
    name = match.group("name")
    agency = agency_of(name)
    if (agency is None and name in NOT_A_SOURCE) or spells_out(match.group("before"), name):
        return None
    return agency or name


def credits(text: str) -> set[str]:
    """The names a page credits *for its own text*: agency signatures ("(AP) —", "By:
    BLOOMBERG"), a sign-off dash ("— The New York Times"), and credit phrases that open a
    line or a bracket ("Reporting by …", "This article originally appeared in …"). A phrase
    inside a sentence ("… published in the Journal of Microbiology") is a mention, not a
    credit. Agencies are given by their short names."""
    names = set(signatures(text))
    for match in CREDIT.finditer(text):
        if _not_a_dash_credit(text, match):
            continue
        value = match.group("paren") or match.group("dash") or match.group("by") or ""
        value = value.strip().rstrip(".")
        if not value:
            continue
        if match.group("by"):
            before = text[: match.start()].rsplit("\n", 1)[-1].rsplit("(", 1)[-1]
            if not CREDIT_LEAD.fullmatch(before):
                continue
        names.add(agency_of(value) or value)
    return names


# Reporting a text attributes to an outlet inside its sentences: "Daily Trust reports that",
# "PUNCH gathered", "Leadership newspaper also reported", "told The Guardian", "informed Daily
# Trust", "according to Reuters", "according to reports from Daily Trust", "as reported by
# …". A name is one to four capitalised words ("the" may lead); the verbs are those of news
# gathering, so "police said" or "the minister reported" name no outlet unless one of the
# pages is that outlet's.
_WORD = r"[A-Z][\w&'-]*(?:\.[A-Za-z][\w&'-]*)*"  # "PUNCH", "ABC7", "U.S" (never a stop)
_NAME = rf"(?:[Tt]he )?{_WORD}(?: {_WORD}){{0,3}}"
ATTRIBUTION = re.compile(
    rf"(?P<before>{_NAME})(?: newspaper)? (?:(?:has|had) )?(?:also |earlier )?"
    r"(?:reports|reported|gathered|learnt|learned|understands|understood|exclusively reported)"
    r"\b(?! by)"  # "As reported by Daily Trust" names Daily Trust, not "As"
    rf"|(?<=, )reported (?P<inverted>{_NAME})"  # "…, reported Geo News." (ANI's style)
    r"|\b(?:told|informed|[Aa]ccording to(?: (?:a |the )?reports? (?:from|by|in))?|reported by"
    rf"|[Ss]peaking to|spoke to|[Ii]n an interview with) (?P<after>{_NAME})"
)


def attributions(text: str) -> set[str]:
    """The outlets a text names as the reporters of what it says, inside its sentences
    ("Daily Trust gathered that …", "… a resident told Daily Trust"). Unlike ``credits`` these
    are mentions, not credit lines: a page naming another page's outlet this way points at
    the page it took its reporting from (provenance leaves out the page's own outlet)."""
    return {
        match.group("before") or match.group("inverted") or match.group("after")
        for match in ATTRIBUTION.finditer(text)
    }


# What may come before a credit phrase on its line: nothing, or "This article was …".
CREDIT_LEAD = re.compile(
    r"\s*(?:(?:this|the) (?:article|story|report|piece|post)(?: was| is| has been)?\s*)?",
    re.IGNORECASE,
)


def _key(name: str) -> str:
    name = name.lower().removeprefix("www.")
    name = re.sub(r"\.(com|org|net|co|news|info|in|uk|au|pk|lk|hk|ca|tv)(\.[a-z]{2})?$", "", name)
    name = name.removeprefix("the ").removeprefix("the")
    return re.sub(r"[^a-z0-9]", "", name)


def names_source(credit: str, source: str) -> bool:
    """Whether a credit ("The New York Times") names a source ("The New York Times",
    "nytimes.com" matches only when the words agree): compared without case, spaces, "the"
    and a domain's suffix, one name leading the other ("PUNCH" names punchng.com, "CNN
    International" names cnn.com). A name inside another does not: "the Times" is not
    nytimes.com, nor "Post" dailypost.ng. A host is also read without its first label, so
    that an agency's language edition is its own ("Kyodo" names english.kyodonews.net)."""
    a = _key(credit)
    hosts = [source]
    labels = source.lower().removeprefix("www.").split(".")
    if len(labels) >= 3:
        hosts.append(".".join(labels[1:]))
    for host in hosts:
        b = _key(host)
        if a and b and len(min(a, b, key=len)) >= 3 and (a.startswith(b) or b.startswith(a)):
            return True
    return False


# Portals that carry their partners' articles under licence (the publisher's text, byline and
# logo): an aggregator by kind, never a scraper by that alone.
LICENSED_PORTALS = ("yahoo.com", "msn.com", "aol.com", "apple.news")


def is_licensed_portal(source: str) -> bool:
    """Whether ``source`` (a host, as sources are recorded) is one of ``LICENSED_PORTALS`` or a
    host under one ("news.yahoo.com")."""
    host = source.lower().strip().rstrip(".")
    return any(host == portal or host.endswith("." + portal) for portal in LICENSED_PORTALS)


# Sections of a site's address under which papers and portals file the agency copy they carry
# ("/wires/reuters/…", "/news/ap-national/…", "/agency-news/…", "/news-services/ap/…"): a
# section that names an agency says whose text it is; a general one says only that the text is
# carried. Only sections count, never the page's own slug (an article may be about the AP).
WIRE_SECTIONS = frozenset(
    {"wire", "wires", "newswire", "newswires", "wirestory", "agency-news", "news-services"}
)
# Agencies whose short name is a section of its own ("/ap/", "/reuters/"); "app", "pa" and
# "uni" are left out, as sections of that name are most often something else (an app, a US
# state, a university).
_SECTION_AGENCIES = frozenset(
    {
        "ap",
        "reuters",
        "afp",
        "aap",
        "pti",
        "ani",
        "ians",
        "dpa",
        "efe",
        "ansa",
        "xinhua",
        "tass",
        "kyodo",
        "yonhap",
        "bernama",
        "anadolu",
        "kuna",
        "wam",
        "jiji",
    }
)


def wire_section(url: str) -> str | None:
    """The agency whose section of the site files a page ("AP" for "/news/ap-national/…",
    "AAP" for "/wires/aap/…"), ``SYNDICATED_FEED`` for a wire section that names none
    ("/agency-news/…"), or None for a page filed elsewhere."""
    path = urlsplit(url).path.lower()
    sections = [part for part in path.split("/") if part][:-1]  # the last part is the slug
    found: str | None = None
    for section in sections:
        if found and (agency := agency_of(section)):
            return agency  # under a wire section any agency's name counts: "/wires/pa/"
        head = section.split("-", 1)[0]
        if section in _SECTION_AGENCIES or (head in _SECTION_AGENCIES and section.count("-") <= 2):
            return agency_of(head) or head.upper()  # "ap-national", "ap-olympics"
        if section in WIRE_SECTIONS:
            found = SYNDICATED_FEED
    return found


def is_farm_page(text: str) -> bool:
    """A page that keeps a scraper's template around the article."""
    return len(FARM_FURNITURE.findall(text)) >= FARM_MIN_MARKS
