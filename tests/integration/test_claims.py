"""Claims: a due feed goes to one worker; its schedule is not disturbed by the claim."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from byline.news import registry
from byline.news.models import Feed

pytestmark = pytest.mark.django_db


def _feeds(n: int) -> list[Feed]:
    return [registry.add_source(f"Outlet {i}", f"https://o{i}.example/feed.xml") for i in range(n)]


def test_a_claimed_feed_is_not_claimed_again_until_its_lease_ends() -> None:
    _feeds(3)
    first = registry.claim_due_feeds()
    assert len(first) == 3
    assert registry.claim_due_feeds() == []  # another worker finds nothing to do
    Feed.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))  # lease over
    assert len(registry.claim_due_feeds()) == 3


def test_fetch_all_takes_claimed_feeds_too() -> None:
    _feeds(2)
    registry.claim_due_feeds()
    assert len(registry.claim_due_feeds(force=True)) == 2


def test_recording_the_outcome_releases_the_claim_and_keeps_the_schedule() -> None:
    feed = _feeds(1)[0]
    [claimed] = registry.claim_due_feeds()
    assert claimed.next_fetch_at is None  # the claim does not touch the schedule
    registry.record_feed_success(claimed, "t", "rss20", "", "", "ok", timedelta(hours=2))
    feed.refresh_from_db()
    assert feed.claimed_until is None
    assert feed.next_fetch_at is not None
    assert timedelta(minutes=119) < feed.next_fetch_at - timezone.now() <= timedelta(hours=2)
    assert registry.claim_due_feeds() == []  # not due for two hours
