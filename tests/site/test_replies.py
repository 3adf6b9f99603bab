"""Replies you can leave open: rate limits per account and per client address, the checks
(links, duplicates), moderation (the setting, the queue and its bulk actions in the admin),
guests' replies, a sign-up that keeps bots out without email, and a corpus of markup that must
come out as text. Everything goes through Django's test client and the real database."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from tests.markup import URL_ATTRIBUTES, is_javascript_url, start_tags

from byline.news import throttle
from byline.news.models import RateEvent, Reply
from byline.site.forms import form_token

pytestmark = pytest.mark.django_db

User = get_user_model()


def configure(settings: Any, **values: Any) -> None:
    settings.BYLINE = settings.BYLINE.replace(**values)


def article_path(article: Any) -> str:
    return reverse("article", args=[article.pk])


def post_reply(
    client: Client, article: Any, body: str, *, follow: bool = False, **fields: Any
) -> Any:
    return client.post(reverse("reply", args=[article.pk]), {"body": body, **fields}, follow=follow)


def page_text(client: Client, article: Any) -> str:
    response = client.get(article_path(article))
    assert response.status_code == 200
    return response.content.decode()


def replies_section(html: str) -> str:
    start = html.index('<section id="replies"')
    return html[start : html.index("</section>", start)]


def signed_in(username: str, address: str = "127.0.0.1", **extra: Any) -> Client:
    user = User.objects.create_user(username, password="correct horse battery", **extra)
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


def aged_token(seconds: float = 10) -> str:
    """A form's signed timestamp, as if the page had been served ``seconds`` ago."""
    return form_token(at=time.time() - seconds)


# ── rate limits ───────────────────────────────────────────────────────────────────────────


def test_an_account_may_post_so_many_replies_an_hour(
    settings: Any, reader_client: Client, world: Any
) -> None:
    configure(settings, replies_per_hour=2)
    for n in range(2):
        post_reply(reader_client, world.spun, f"Reply number {n}")
    response = post_reply(reader_client, world.spun, "One too many", follow=True)
    assert "You have posted a lot in the last hour" in response.content.decode()
    assert Reply.objects.count() == 2
    # The limit is per account: another account on another network still may post.
    assert post_reply(signed_in("bob", "203.0.113.7"), world.spun, "Mine").status_code == 302
    assert Reply.objects.count() == 3


def test_a_client_address_may_post_so_many_replies_an_hour_over_all_accounts(
    settings: Any, world: Any
) -> None:
    configure(settings, replies_per_hour=20, replies_per_ip_hour=3)
    ada, bob = signed_in("ada"), signed_in("bob")  # one address: 127.0.0.1
    for n in range(2):
        post_reply(ada, world.spun, f"Ada's reply {n}")
    post_reply(bob, world.spun, "Bob's first reply")
    response = post_reply(bob, world.spun, "Bob's second reply", follow=True)
    assert "Many replies have come from your network" in response.content.decode()
    assert Reply.objects.count() == 3
    # The text comes back in the form, to send later.
    assert ">Bob&#x27;s second reply</textarea>" in response.content.decode()
    # Another address is another client.
    carol = signed_in("carol", "198.51.100.4")
    assert post_reply(carol, world.spun, "Carol's reply").status_code == 302
    assert Reply.objects.count() == 4
    # The address itself is never stored: only a keyed hash of it.
    keys = set(RateEvent.objects.values_list("key", flat=True))
    assert keys == {throttle.client_key("127.0.0.1"), throttle.client_key("198.51.100.4")}
    assert not RateEvent.objects.filter(key__contains="127.0.0.1").exists()
    assert not Reply.objects.filter(client__contains="127.0.0.1").exists()


def test_the_address_limit_counts_what_other_processes_recorded(
    settings: Any, reader_client: Client, world: Any
) -> None:
    """The count lives in the database, so another ``byline run`` sharing it counts too."""
    configure(settings, replies_per_ip_hour=2)
    key = throttle.client_key("127.0.0.1")
    RateEvent.objects.bulk_create([RateEvent(action="reply", key=key) for _ in range(2)])
    response = post_reply(reader_client, world.spun, "Hello", follow=True)
    assert "Many replies have come from your network" in response.content.decode()
    assert not Reply.objects.exists()


def test_an_ipv6_client_is_its_64_network() -> None:
    assert throttle.client_network("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert throttle.client_key("2001:db8:1:2::1") == throttle.client_key("2001:db8:1:2:ff::9")
    assert throttle.client_key("2001:db8:1:2::1") != throttle.client_key("2001:db8:1:3::1")
    assert throttle.client_network("::ffff:203.0.113.9") == "203.0.113.9"
    assert throttle.client_network("") == "unknown"


# ── checks ────────────────────────────────────────────────────────────────────────────────


def test_a_reply_with_too_many_links_is_held(
    settings: Any, reader_client: Client, world: Any
) -> None:
    configure(settings, replies_max_links=2)
    two = "See https://one.example/a and www.two.example for more."
    three = "Cheap: http://a.example/x https://b.example/y shop.example.com"
    post_reply(reader_client, world.spun, two)
    response = post_reply(reader_client, world.spun, three, follow=True)
    assert "Your reply is awaiting moderation" in response.content.decode()
    assert Reply.objects.get(body=two).state == Reply.State.PUBLISHED
    held = Reply.objects.get(body=three)
    assert held.state == Reply.State.PENDING
    assert held.held_reason == "3 links (more than 2)"
    # Others see the published reply only; neither reply's links are made clickable.
    html = page_text(Client(), world.spun)
    assert "www.two.example" in html and "shop.example.com" not in html
    assert 'href="https://one.example/a"' not in html


def test_a_duplicate_reply_is_refused(reader_client: Client, world: Any) -> None:
    text = "The wire had this first, at 08:15, and the copy came four hours later."
    post_reply(reader_client, world.spun, text)
    # The same text again, with other capitals and spacing, under the same or another article.
    for article in (world.spun, world.other):
        response = post_reply(reader_client, article, "  " + text.upper() + " ", follow=True)
        assert "You have already posted this reply." in response.content.decode()
    assert Reply.objects.count() == 1
    # Another account pasting it under another article: refused too (a spam run).
    bob = signed_in("bob", "203.0.113.7")
    response = post_reply(bob, world.other, text, follow=True)
    assert "The same text was posted under another article" in response.content.decode()
    # Short everyday replies are not "duplicates" of another reader's.
    post_reply(reader_client, world.spun, "Thank you!")
    assert post_reply(bob, world.other, "Thank you!").status_code == 302
    assert Reply.objects.filter(body="Thank you!").count() == 2
    # Once the window (BYLINE_REPLIES_DUPLICATE_HOURS, 24 by default) has passed, the text
    # may be posted again.
    Reply.objects.filter(body=text).update(created_at=timezone.now() - timedelta(hours=25))
    post_reply(reader_client, world.spun, text)
    assert Reply.objects.filter(body=text).count() == 2


def test_empty_and_over_long_replies_are_refused(reader_client: Client, world: Any) -> None:
    for body in ("  \n\x00 ", "x" * 5001):
        response = post_reply(reader_client, world.spun, body, follow=True)
        assert "A reply needs between 1 and 5,000 characters." in response.content.decode()
    assert not Reply.objects.exists()
    post_reply(reader_client, world.spun, "NUL\x00 and escape\x1b are dropped")
    assert Reply.objects.get().body == "NUL and escape are dropped"


# ── moderation ────────────────────────────────────────────────────────────────────────────


def test_with_moderation_on_replies_wait_for_a_moderator(
    settings: Any, reader_client: Client, world: Any
) -> None:
    configure(settings, replies_moderated=True)
    html = page_text(reader_client, world.spun)
    assert "a moderator approves each reply before others see it" in html
    response = post_reply(reader_client, world.spun, "Held until approved", follow=True)
    html = response.content.decode()
    assert "Your reply is awaiting moderation" in html
    reply = Reply.objects.get()
    assert reply.state == Reply.State.PENDING and reply.held_reason
    # Its author sees it, marked; other readers (signed in or not) and the JSON twin do not.
    section = replies_section(html)
    assert "Held until approved" in section
    assert "Awaiting moderation — only you can see this reply" in section
    assert "Held until approved" not in page_text(Client(), world.spun)
    assert "Held until approved" not in page_text(signed_in("bob", "203.0.113.7"), world.spun)
    assert reader_client.get(reverse("api:article", args=[world.spun.pk])).json()["replies"] == []
    # A moderator's own reply is published at once.
    staff = signed_in("editor", "203.0.113.8", is_staff=True)
    post_reply(staff, world.spun, "From the editor")
    assert Reply.objects.get(body="From the editor").state == Reply.State.PUBLISHED
    # Off (the default): published at once.
    configure(settings, replies_moderated=False)
    post_reply(reader_client, world.spun, "Straight out")
    assert Reply.objects.get(body="Straight out").state == Reply.State.PUBLISHED
    assert "Straight out" in page_text(Client(), world.spun)


def _moderator(world: Any) -> Client:
    User.objects.create_superuser("mod", password="correct horse battery")
    client = Client(REMOTE_ADDR="192.0.2.1")
    client.login(username="mod", password="correct horse battery")
    return client


def _held(world: Any, author: Any, body: str) -> Reply:
    return Reply.objects.create(
        article=world.spun, author=author, body=body, state=Reply.State.PENDING
    )


def test_the_admin_queue_filters_searches_and_acts_in_bulk(
    client: Client, reader: Any, world: Any
) -> None:
    moderator = _moderator(world)
    bob = User.objects.create_user("bob", password="correct horse battery")
    first, second = _held(world, reader, "First held"), _held(world, reader, "Second held")
    third, bobs = _held(world, reader, "Third held"), _held(world, bob, "Bob's held")
    changelist = reverse("admin:news_reply_changelist")

    # The queue: held replies, counted in the filter, searchable, by date.
    html = moderator.get(changelist + "?state__exact=pending").content.decode()
    assert "Awaiting moderation (4)" in html
    assert all(text in html for text in ("First held", "Third held", "Bob&#x27;s held"))
    assert "?created_at__year=" in html  # the date hierarchy
    html = moderator.get(changelist + "?q=Second").content.decode()
    assert "Second held" in html and "First held" not in html
    # The site's header tells a moderator how many are waiting; a reader is not told.
    assert "4 replies awaiting moderation" in page_text(moderator, world.other)
    assert "awaiting moderation" not in page_text(client, world.other)

    def act(action: str, *replies: Reply) -> None:
        response = moderator.post(
            changelist, {"action": action, "_selected_action": [r.pk for r in replies]}
        )
        assert response.status_code == 302, response.content.decode()[:500]

    act("publish", first)
    act("hide", second)
    act("mark_spam", third)
    states = dict(Reply.objects.values_list("body", "state"))
    assert states["First held"] == Reply.State.PUBLISHED
    assert states["Second held"] == Reply.State.HIDDEN
    assert states["Third held"] == Reply.State.SPAM
    assert "First held" in page_text(client, world.spun)
    assert "Second held" not in page_text(client, world.spun)

    # Suspending bob deactivates his account (his session stops working) and hides his replies.
    bob_client = Client()
    bob_client.force_login(bob)
    act("suspend_authors", bobs)
    bob.refresh_from_db()
    assert not bob.is_active
    assert Reply.objects.get(pk=bobs.pk).state == Reply.State.HIDDEN
    assert "Signed in as" not in page_text(bob_client, world.spun)
    reader.refresh_from_db()
    assert reader.is_active  # only the selected replies' authors
    # A staff account is not suspended from the queue.
    staff_reply = _held(world, User.objects.get(username="mod"), "Moderator's held")
    act("suspend_authors", staff_reply)
    assert User.objects.get(username="mod").is_active
    assert "1 reply awaiting moderation" in page_text(moderator, world.other)


def test_guests_cannot_reply_when_an_account_is_required(client: Client, world: Any) -> None:
    html = page_text(client, world.spun)
    assert 'id="reply-form"' not in html and "Sign in to reply" in html
    response = post_reply(client, world.spun, "hello", name="Guest", started=aged_token())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert not Reply.objects.exists()


def test_guests_may_reply_when_allowed_and_are_held_by_default(
    settings: Any, client: Client, world: Any
) -> None:
    configure(settings, replies_require_account=False)
    response = client.get(article_path(world.spun))
    html = response.content.decode()
    assert "private" in response["Cache-Control"]  # a form made for this reader
    form = re.search(r'<form id="reply-form".*?</form>', html, re.S)
    assert form is not None
    assert '<label for="reply-name">Your name' in form.group(0)
    assert re.search(r'<input type="hidden" name="started" value="[^"]+">', form.group(0))
    assert "Posting as a guest" in form.group(0)

    response = post_reply(client, world.spun, "A guest's view", name="Lena", started=aged_token())
    assert response.status_code == 302
    reply = Reply.objects.get()
    assert reply.author is None and reply.author_name == "Lena"
    assert reply.state == Reply.State.PENDING and reply.held_reason == "a guest's reply"
    # The guest sees it (their session remembers it); nobody else does.
    mine = client.get(article_path(world.spun))
    assert "private" in mine["Cache-Control"]
    section = replies_section(mine.content.decode())
    assert "A guest&#x27;s view" in section and "Awaiting moderation" in section
    assert "A guest&#x27;s view" not in page_text(Client(), world.spun)

    # The operator may publish guests' replies at once.
    configure(settings, replies_guests_moderated=False)
    post_reply(client, world.spun, "Straight out", name="Lena", started=aged_token())
    assert Reply.objects.get(body="Straight out").state == Reply.State.PUBLISHED
    html = page_text(Client(), world.spun)
    assert '<bdi>Lena</bdi> <span class="reply-guest">(guest)</span>' in html
    data = Client().get(reverse("api:article", args=[world.spun.pk])).json()
    assert [(r["author"], r["guest"]) for r in data["replies"]] == [("Lena", True)]


def test_a_guest_reply_needs_a_name_not_an_accounts_and_a_real_form(
    settings: Any, client: Client, reader: Any, world: Any
) -> None:
    configure(settings, replies_require_account=False)
    cases = [
        ({"name": "", "started": aged_token()}, "Please give a name"),
        ({"name": "ADA", "started": aged_token()}, "is the name of an account here"),
        ({"name": "Le\u200bna", "started": aged_token()}, "invisible or control characters"),
        ({"name": "Lena", "started": aged_token(0)}, "sent very quickly"),
        ({"name": "Lena", "started": aged_token(13 * 3600)}, "has expired"),
        ({"name": "Lena", "started": "forged"}, "could not be checked"),
        ({"name": "Lena"}, "could not be checked"),
    ]
    for fields, message in cases:
        response = post_reply(client, world.spun, "Guest text", follow=True, **fields)
        assert message in response.content.decode(), message
    assert not Reply.objects.exists()
    # The honeypot drops a guest's reply silently.
    post_reply(client, world.spun, "Bot", name="Bot", started=aged_token(), website="x")
    assert not Reply.objects.exists()


def test_guest_replies_count_against_the_address_limit(settings: Any, world: Any) -> None:
    configure(settings, replies_require_account=False, replies_per_ip_hour=1)
    guest = Client()
    post_reply(guest, world.spun, "First", name="Lena", started=aged_token())
    response = post_reply(
        Client(), world.spun, "Second", name="Max", started=aged_token(), follow=True
    )
    assert "Many replies have come from your network" in response.content.decode()
    assert list(Reply.objects.values_list("body", flat=True)) == ["First"]


# ── sign-up without email ─────────────────────────────────────────────────────────────────


def _signup(client: Client, username: str, **extra: Any) -> Any:
    fields = {
        "username": username,
        "password1": "a-long-and-unusual-pass",
        "password2": "a-long-and-unusual-pass",
        "started": aged_token(),
        "website": "",
    }
    fields.update(extra)
    return client.post(reverse("signup"), fields)


def test_the_signup_form_carries_a_hidden_honeypot_and_a_signed_timestamp(
    client: Client, db: None
) -> None:
    html = client.get(reverse("signup")).content.decode()
    assert re.search(r'<input type="hidden" name="started" value="[^"]+"', html)
    honeypot = re.search(
        r'<div class="hp-field visually-hidden" aria-hidden="true">.*?</div>', html, re.S
    )
    assert honeypot is not None
    for attribute in ('tabindex="-1"', 'autocomplete="off"', 'aria-hidden="true"'):
        assert attribute in honeypot.group(0)
    assert 'type="email"' not in html and 'name="email"' not in html
    assert "<img" not in html and "<script>" not in html  # no picture puzzle, works without JS


def test_signup_time_trap_refuses_forms_sent_too_fast_or_too_late(client: Client, db: None) -> None:
    for started, message in (
        (form_token(), "sent very quickly"),
        (aged_token(13 * 3600), "has expired"),
        ("", "could not be checked"),
        (form_token()[:-2] + "xx", "could not be checked"),
    ):
        response = _signup(client, "grace", started=started)
        assert response.status_code == 200
        assert message in response.content.decode(), message
        # A fresh timestamp comes with the form, to send it again.
        assert re.search(r'name="started" value="[^"]+"', response.content.decode())
    assert not User.objects.filter(username="grace").exists()
    response = _signup(client, "grace", started=aged_token(5))
    assert response.status_code == 302
    assert User.objects.filter(username="grace").exists()


def test_signup_honeypot_and_password_validators(client: Client, db: None) -> None:
    response = _signup(client, "bot", website="https://spam.example")
    assert "“Leave this field empty” was filled in" in response.content.decode()
    response = _signup(client, "weak", password1="password", password2="password")
    assert "This password is too common." in response.content.decode()
    assert not User.objects.exists()


def test_signups_per_address_are_limited(settings: Any, db: None) -> None:
    configure(settings, signups_per_ip_day=2)
    for name in ("one", "two"):
        assert _signup(Client(), name).status_code == 302
    response = _signup(Client(), "three")
    assert response.status_code == 429
    assert "Several accounts have been created from your network today" in (
        response.content.decode()
    )
    assert not User.objects.filter(username="three").exists()
    assert _signup(Client(REMOTE_ADDR="203.0.113.50"), "three").status_code == 302


# ── nothing a reader writes is markup ─────────────────────────────────────────────────────

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click me</a>',
    "javascript:alert(document.cookie)",
    '"><svg/onload=alert(1)>',
    "'><iframe src=//evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",  # already escaped: shown as typed, not decoded
    "\uff1cscript\uff1ealert(2)\uff1c/script\uff1e",  # full-width angle brackets
    "<scr\u200bipt>alert(1)</scr\u200bipt>",  # a zero-width space inside the tag name
    "\u202e<b>exe.gnp</b>",  # a right-to-left override before markup
    "{{ request.user }} {% debug %}",  # template syntax is text too
    "<!-- c --><![CDATA[<script>x</script>]]>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
]
NAMES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg/onload=alert(1)>',
    "\uff1cb\uff1ebold\uff1c/b\uff1e",  # full-width: folded to "<b>bold</b>", then escaped
    "javascript:alert(1)",
]
# What the replies section may hold: the page's own markup, never a reader's.
ALLOWED_TAGS = {
    "section", "h2", "h3", "ol", "li", "article", "header", "span", "bdi", "a", "time",
    "strong", "div", "p", "br", "details", "summary", "form", "input", "label", "textarea",
    "button",
}  # fmt: skip


def _assert_inert(section: str) -> None:
    for tag, attrs in start_tags(section):
        assert tag in ALLOWED_TAGS, f"a reader's <{tag}> became markup"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"<{tag} {name}> is an event handler"
            assert name not in {"style", "xlink:href", "srcdoc"}, f"<{tag} {name}>"
            if name in URL_ATTRIBUTES:  # data-author may hold any text: it is only read
                assert not is_javascript_url(value), (tag, name)
    assert "\u202e" not in section


def test_reply_bodies_and_guest_names_are_shown_as_text(settings: Any, world: Any) -> None:
    configure(settings, replies_require_account=False, replies_guests_moderated=False)
    configure(settings, replies_max_links=100, replies_per_ip_hour=100)
    writer = signed_in("writer", "203.0.113.20")
    for payload in XSS:
        response = post_reply(writer, world.spun, payload + "\nsecond line")
        assert response.status_code == 302
    guest = Client(REMOTE_ADDR="203.0.113.21")
    for n, name in enumerate(NAMES):
        post_reply(guest, world.spun, f"Guest reply {n}", name=name, started=aged_token())
    assert Reply.objects.filter(state=Reply.State.PUBLISHED).count() == len(XSS) + len(NAMES)

    for reader in (Client(), writer):  # a passer-by and the author (who gets reply forms)
        html = page_text(reader, world.spun)
        section = replies_section(html)
        _assert_inert(section)
        for payload in XSS:
            shown = escape(payload.replace("\u202e", "")) + "<br>second line"
            assert shown in section, payload
        for name in NAMES:
            folded = name.replace("\uff1c", "<").replace("\uff1e", ">")
            assert f"<bdi>{escape(folded)}</bdi>" in section, name
            assert f'data-author="{escape(folded)}"' in section
        # The page as a whole still holds only the site's own scripts.
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert all('src="/static/' in tag for tag in scripts), scripts

    # The JSON twin carries the text exactly as written (JSON, never HTML).
    data = Client().get(reverse("api:article", args=[world.spun.pk])).json()
    assert "<script>alert(1)</script>\nsecond line" in [r["body"] for r in data["replies"]]

    # The moderation queue shows it as text too.
    moderator = _moderator(world)
    html = moderator.get(reverse("admin:news_reply_changelist")).content.decode()
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert escape("<img src=x onerror=alert(1)>") in html


def test_a_refused_replys_text_comes_back_escaped(reader_client: Client, world: Any) -> None:
    body = "</textarea><script>alert(1)</script>" + "x" * 5000
    response = post_reply(reader_client, world.spun, body, follow=True)
    html = response.content.decode()
    assert "A reply needs between 1 and 5,000 characters." in html
    assert "</textarea><script>" not in html
    assert escape("</textarea><script>alert(1)</script>") in html


def test_a_refused_answer_keeps_the_reply_it_answered(reader_client: Client, world: Any) -> None:
    post_reply(reader_client, world.spun, "Which outlet had this first?")
    parent = Reply.objects.get()
    response = post_reply(reader_client, world.spun, "", parent=parent.pk, follow=True)
    form = re.search(r'<form id="reply-form".*?</form>', response.content.decode(), re.S)
    assert form is not None
    assert f'id="reply-parent" value="{parent.pk}"' in form.group(0)
    assert '<p class="replying-to" id="replying-to">' in form.group(0)  # not hidden
    assert '<strong id="replying-to-name">ada</strong>' in form.group(0)
    # The draft is shown once: the next visit has an empty form.
    html = page_text(reader_client, world.spun)
    assert 'id="reply-parent" value=""' in html
