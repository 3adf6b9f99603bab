"""The adaptive schedule (pure): how long to wait before fetching a feed again, learned from how
often it posts, between a floor and a ceiling."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

RECENT = 20  # entries the posting rate is learned from
DEFAULT = timedelta(hours=1)  # when a feed gives too few dates to learn from


def clamp(value: timedelta, minimum: timedelta, maximum: timedelta) -> timedelta:
    return max(minimum, min(maximum, value))


def posting_interval(
    published: Iterable[datetime | None],
    minimum: timedelta,
    maximum: timedelta,
    now: datetime | None = None,
    fallback: timedelta = DEFAULT,
) -> timedelta:
    """The median gap between the feed's latest posts, stretched when the feed has gone quiet
    (half the time since its newest post), then kept between ``minimum`` and ``maximum``.
    Dates in the future are ignored; with fewer than two dates, ``fallback`` is used."""
    now = now or datetime.now(UTC)
    times = sorted((t for t in published if t is not None and t <= now), reverse=True)[:RECENT]
    if len(times) < 2:
        return clamp(fallback, minimum, maximum)
    gaps = [(a - b).total_seconds() for a, b in itertools.pairwise(times)]
    typical = timedelta(seconds=statistics.median(gaps))
    quiet = (now - times[0]) / 2
    return clamp(max(typical, quiet), minimum, maximum)


def previous_interval(
    last_fetched: datetime | None, next_fetch: datetime | None
) -> timedelta | None:
    if last_fetched is None or next_fetch is None or next_fetch <= last_fetched:
        return None
    return next_fetch - last_fetched
