from datetime import UTC, datetime, timedelta

from django.utils import timezone

from byline.news.store import first_seen, plausible_date

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_a_believable_date_is_kept() -> None:
    published = NOW - timedelta(days=3)
    assert plausible_date(published, NOW) == published


def test_missing_future_and_ancient_dates_fall_back_to_first_seen() -> None:
    assert plausible_date(None, NOW) == NOW
    assert plausible_date(NOW + timedelta(days=2), NOW) == NOW
    assert plausible_date(datetime(1, 1, 1, tzinfo=UTC), NOW) == NOW
    assert plausible_date(datetime(1989, 12, 31, tzinfo=UTC), NOW) == NOW


def test_a_little_clock_skew_is_tolerated() -> None:
    skewed = NOW + timedelta(minutes=20)
    assert plausible_date(skewed, NOW) == skewed


def test_first_seen_is_the_fetch_time_when_it_is_believable() -> None:
    crawled = datetime(2024, 3, 5, 20, 30, tzinfo=UTC)  # an archive's WARC-Date
    assert first_seen(crawled) == crawled
    for unbelievable in (None, datetime(1989, 12, 31, tzinfo=UTC)):
        before = timezone.now()
        assert before <= first_seen(unbelievable) <= timezone.now()
    before = timezone.now()
    assert before <= first_seen(before + timedelta(days=2)) <= timezone.now()  # a future one
