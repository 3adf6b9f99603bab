"""Reader replies: threaded, rate limited, checked, and moderated.

``submit`` runs every check in one place, in this order: the body (length, stray control
characters), a guest's name, the account's hourly limit, the duplicate check, the client
address's hourly limit; then it decides whether the reply is published at once or held for
a moderator (moderation on for everyone or for guests, too many links). A refused reply
raises ``Refused`` with a message for the reader; nothing is stored."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from byline.errors import StoreError
from byline.news import throttle
from byline.news.models import Article, Reply

MAX_REPLY_CHARS = 5000
MAX_NAME_CHARS = 50
# The same text on another article, from anyone, is refused only from this length on: two
# readers may both write "Thank you" under two articles; a bot's pasted advert is longer.
CROSS_ARTICLE_MIN_CHARS = 30

# A link: a URL with a scheme, a "www." address, or a bare domain with a common ending
# (spam often leaves out the scheme so that nothing makes it clickable).
_LINK = re.compile(
    r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"']+"
    r"|\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
    r"\.(?:com|net|org|info|biz|io|co|ru|cn|xyz|top|shop|site|online|club|link|click)\b"
    r"(?:/[^\s<>\"']*)?"
)
# Control characters other than tab and newline (NUL cannot even be stored on PostgreSQL),
# and the bidirectional embedding/override/isolate marks that can reorder the text around
# them (the "Trojan source" trick).
_STRAY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


class Refused(Exception):
    """A reply that is not taken; ``str()`` is the message for the reader."""


@dataclass(frozen=True)
class Rules:
    """The settings ``submit`` applies (from ``Rules.from_config(settings.BYLINE)``)."""

    per_account_hour: int
    per_client_hour: int
    moderated: bool
    guests_moderated: bool
    max_links: int
    duplicate_window: timedelta

    @classmethod
    def from_config(cls, config: Any) -> Rules:
        return cls(
            per_account_hour=int(config.replies_per_hour),
            per_client_hour=int(config.replies_per_ip_hour),
            moderated=bool(config.replies_moderated),
            guests_moderated=bool(config.replies_guests_moderated),
            max_links=int(config.replies_max_links),
            duplicate_window=timedelta(hours=float(config.replies_duplicate_hours)),
        )


def clean_body(text: str) -> str:
    """The body as stored: newlines unified, stray control characters removed, trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _STRAY.sub("", text).strip()


def clean_name(text: str) -> str:
    """A guest's name as stored: NFKC-folded (full-width letters become plain ones), spaces
    collapsed; ``Refused`` when it is empty, too long, carries invisible or control
    characters, or is an account's user name (a guest must not pass for a member)."""
    name = " ".join(unicodedata.normalize("NFKC", text).split())
    if not name:
        raise Refused("Please give a name to show with your reply.")
    if len(name) > MAX_NAME_CHARS:
        raise Refused(f"A name can have at most {MAX_NAME_CHARS} characters.")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cs", "Cn"} for ch in name):
        raise Refused("Your name contains invisible or control characters; please retype it.")
    if get_user_model().objects.filter(username__iexact=name).exists():
        raise Refused(f"“{name}” is the name of an account here; please choose another name.")
    return name


def link_count(text: str) -> int:
    return len(_LINK.findall(text))


def fingerprint(text: str) -> str:
    """The body folded (case, accents' forms, spacing) and hashed: two copies of one text
    with other spacing or capitals have the same fingerprint."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def replies_for(article: Article, *, viewer: Any = None, own: Iterable[int] = ()) -> list[Reply]:
    """The article's published replies and, for the reader who wrote them, their replies
    still awaiting moderation (``viewer``: a signed-in user; ``own``: the ids a guest's
    session posted)."""
    visible = Q(state=Reply.State.PUBLISHED)
    if viewer is not None and viewer.is_authenticated:
        visible |= Q(state=Reply.State.PENDING, author=viewer)
    own_ids = [int(pk) for pk in own]
    if own_ids:
        visible |= Q(state=Reply.State.PENDING, pk__in=own_ids, author__isnull=True)
    return list(
        article.replies.select_related("author").filter(visible).order_by("created_at", "pk")
    )


def replies_by_user_since(user: Any, since: datetime) -> int:
    return Reply.objects.filter(author=user, created_at__gte=since).count()


def held_count() -> int:
    """Replies waiting for a moderator."""
    return Reply.objects.filter(state=Reply.State.PENDING).count()


def _parent(article: Article, parent_id: int | None, user: Any) -> Reply | None:
    if parent_id is None:
        return None
    answerable = Q(state=Reply.State.PUBLISHED)
    if user is not None:
        answerable |= Q(state=Reply.State.PENDING, author=user)
    parent = Reply.objects.filter(answerable, pk=parent_id, article=article).first()
    if parent is None:
        raise Refused("The reply you answered is no longer there.")
    return parent


def _duplicate(
    article: Article, user: Any, client: str, print_: str, body: str, rules: Rules
) -> None:
    since = timezone.now() - rules.duplicate_window
    recent = Reply.objects.filter(fingerprint=print_, created_at__gte=since)
    mine = Q(author=user) if user is not None else Q(author__isnull=True, client=client)
    if recent.filter(mine).exists():
        raise Refused("You have already posted this reply.")
    if len(body) >= CROSS_ARTICLE_MIN_CHARS and recent.exclude(article=article).exists():
        raise Refused(
            "The same text was posted under another article a short while ago; "
            "replies here are written for the article they answer."
        )


def _hold_reason(user: Any, body: str, rules: Rules) -> str:
    """Why a new reply waits for a moderator; empty when it is published at once."""
    if user is not None and user.is_staff:
        return ""  # moderators' own replies
    if rules.moderated:
        return "every new reply is moderated"
    if user is None and rules.guests_moderated:
        return "a guest's reply"
    links = link_count(body)
    if links > rules.max_links:
        return f"{links} links (more than {rules.max_links})"
    return ""


def submit(
    article: Article,
    body: str,
    *,
    user: Any = None,
    name: str = "",
    parent_id: int | None = None,
    client: str = "",
    rules: Rules,
) -> Reply:
    """Check and store a reply by ``user`` (or, with ``user`` None, a guest called
    ``name``) from ``client`` (``throttle.client_key``); ``Refused`` says why not."""
    body = clean_body(body)
    if not body or len(body) > MAX_REPLY_CHARS:
        raise Refused(f"A reply needs between 1 and {MAX_REPLY_CHARS:,} characters.")
    author_name = clean_name(name) if user is None else ""
    since = timezone.now() - timedelta(hours=1)
    if user is not None and replies_by_user_since(user, since) >= rules.per_account_hour:
        raise Refused("You have posted a lot in the last hour; please wait a while.")
    parent = _parent(article, parent_id, user)
    print_ = fingerprint(body)
    _duplicate(article, user, client, print_, body, rules)
    held = _hold_reason(user, body, rules)
    with transaction.atomic():
        if not throttle.hit("reply", client, rules.per_client_hour, timedelta(hours=1)):
            raise Refused(
                "Many replies have come from your network in the last hour; "
                "please wait a while before posting again."
            )
        return Reply.objects.create(
            article=article,
            author=user,
            author_name=author_name,
            parent=parent,
            body=body,
            state=Reply.State.PENDING if held else Reply.State.PUBLISHED,
            held_reason=held,
            fingerprint=print_,
            client=client,
        )


def add_reply(article: Article, user: Any, body: str, parent_id: int | None) -> Reply:
    """A signed-in reader's reply, published at once without the checks (for scripts and
    tests; readers' replies go through ``submit``)."""
    try:
        parent = _parent(article, parent_id, user)
    except Refused as exc:
        raise StoreError(str(exc)) from None
    body = clean_body(body)
    return Reply.objects.create(
        article=article, author=user, parent=parent, body=body, fingerprint=fingerprint(body)
    )
