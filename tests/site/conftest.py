"""Shared fixtures for the site tests: a tiny news world built through the real pipeline.

Two outlets cover one event: a wire agency's original report, and an aggregator's machine
paraphrase ("spun" copy) of it. A third outlet files an unrelated story in the same section,
so that "Related Articles" has more than the same story's coverage to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from byline import pipeline
from byline.news import registry, store
from byline.news.models import Article, Story
from byline.records import Article as ArticleRecord

ORIGIN_URL = "https://cpa.example/world/dockworkers-strike-halts-port-ardent"
SPUN_URL = "https://worldnewshub.example/dock-laborers-hit-stops-port-ardent"
OTHER_URL = "https://harbourpost.example/world/aurel-summit-ends"

ORIGIN_TEXT = """\
PORT ARDENT, Oct 3 (CPA) — Thousands of dockworkers walked off the job at Port Ardent on \
Saturday, halting container traffic at Ostrovia's largest port after talks over pay and shift \
patterns collapsed late on Friday night.

The Ostrovian Dockworkers' Federation said about 4,200 of its members had joined the 72-hour \
strike, which began at 6 a.m. local time. Cranes at the North Basin and Kestrel Quay container \
terminals stood idle, and at least 31 vessels were waiting at anchor outside the harbour by \
mid-morning, according to the Port Ardent Harbour Authority.

"Our members have kept this port running through two hard winters on wages that have not \
moved in three years," federation general secretary Bruno Halvik told reporters at the gates \
of Kestrel Quay. "We did not want this strike, but the employers left us no choice."

The union is demanding a 9 percent pay rise over two years and an end to 12-hour night \
shifts. The Ardent Terminal Operators' Association, which represents the port's five main \
employers, had offered 4.5 percent and said the union's demands would make the port \
uncompetitive.

"The offer on the table is fair and affordable," the association's chief executive, Colm \
Varga, said in a statement. "We urge the federation to return to talks before lasting damage \
is done to the port and to the thousands of businesses that depend on it."

Port Ardent handles roughly 60 percent of Ostrovia's seaborne trade and is a key transit \
point for cargo bound for Kelmar and Valdoria across the Ardent Sea. The harbour authority \
said ferry and passenger services were not affected.

Labour Minister Sabina Drell said the government was "following the situation closely" and \
had offered the services of the state mediation office. Talks could resume as early as \
Monday, she said.

It is the first strike at the port since 2019, when a two-day stoppage over safety rules \
ended in a negotiated settlement.
"""

SPUN_TEXT = """\
PORT ARDENT, Oct 3 (CPA) — Thousands of dock laborers walked off the occupation at Port \
Ardent on Saturday, stopping compartment traffic at Ostrovia's biggest harbor after \
discussions over salary and move designs fell down late on Friday night.

The Ostrovian Dockworkers' Federation said about 4,200 of its individuals had joined the \
72-hour hit, which started at 6 a.m. neighborhood time. Storks at the North Basin and \
Kestrel Quay holder terminals stood inactive, and at least 31 vessels were holding up at \
grapple outside the harbor by mid-morning, as per the Port Ardent Harbour Authority.

"Our members have kept this port running through two hard winters on wages that have not \
moved in three years," federation general secretary Bruno Halvik told journalists at the \
doors of Kestrel Quay. "We did not want this strike, but the employers left us no choice."

The association is requesting a 9 percent pay raise more than two years and a finish to \
12-hour evening movements. The Ardent Terminal Operators' Association, which speaks to the \
harbor's five fundamental bosses, had offered 4.5 percent and said the association's \
requests would make the harbor uncompetitive.

"The offer on the table is fair and affordable," the affiliation's CEO, Colm Varga, said in \
an assertion. "We urge the federation to return to talks before lasting damage is done to \
the port and to the thousands of businesses that depend on it."

Port Ardent handles generally 60 percent of Ostrovia's maritime exchange and is a key travel \
point for freight bound for Kelmar and Valdoria over the Ardent Sea.

Work Minister Sabina Drell said the administration was "following the situation closely" \
and had offered the administrations of the state intervention office. Discussions could \
continue as ahead of schedule as Monday, she said.

It is the primary hit at the harbor since 2019, when a two-day blockage over wellbeing \
rules finished in an arranged settlement.
"""

OTHER_TEXT = """\
AUREL — Leaders of the six Ardent Sea states ended a two-day summit in Aurel on Sunday with \
a pledge to build a shared coastguard network and to meet again within a year.

The communique, signed by all six heads of government, commits the states to pooling radar \
data from 14 coastal stations and to a joint fund of 300 million marks for search and rescue.

"We have argued for a decade about who patrols which waters," said Valdorian Prime Minister \
Ilse Maren. "Today we agreed that the sea does not care about our borders."

Fishing quotas, the most divisive item on the agenda, were left to a working group that will \
report in the spring. Observers said the summit's tone was warmer than expected.
"""

# A sentence from late in the origin's text: the pages must never show it.
LATE_SENTENCE = "when a two-day stoppage over safety rules ended in a negotiated settlement"


@dataclass
class World:
    origin: Article
    spun: Article
    other: Article
    story: Story
    origin_url: str = ORIGIN_URL
    late_sentence: str = LATE_SENTENCE


def _record(
    url: str, title: str, standfirst: str, author: str, published: datetime, text: str
) -> ArticleRecord:
    return ArticleRecord(
        url=url,
        canonical_url=url,
        title=title,
        standfirst=standfirst,
        author=author,
        published=published,
        language="en",
        text=text,
        categories=("World News",),
    )


def store_and_judge(records: list[tuple[Any, ArticleRecord]]) -> list[Article]:
    """Store (source, article record) pairs and judge them together, exactly as the ingester
    does; the stored articles, read back, in the same order."""
    saved = []
    for source, record in records:
        article = store.save_article(pipeline.process_article(record), source)
        assert article is not None
        saved.append(article)
    judgement = pipeline.judge(
        [store.judge_input(a) for a in saved], [store.article_fingerprint(a) for a in saved]
    )
    store.apply_judgement(saved, judgement.stories, judgement.provenance)
    return [Article.objects.select_related("relation").get(pk=a.pk) for a in saved]


def build_world() -> World:
    """Store three articles and judge them, exactly as the ingester does."""
    registry.ensure_sections()
    cpa = registry.add_source(
        "Continental Press Agency",
        "https://cpa.example/feed.xml",
        "https://cpa.example/",
        kind="wire",
    ).source
    hub = registry.add_source(
        "World News Hub",
        "https://worldnewshub.example/rss",
        "https://worldnewshub.example/",
        kind="aggregator",
    ).source
    post = registry.add_source(
        "The Harbour Post", "https://harbourpost.example/feed", "https://harbourpost.example/"
    ).source
    records = [
        (
            cpa,
            _record(
                ORIGIN_URL,
                "Dockworkers strike halts Port Ardent as wage talks collapse",
                "About 4,200 dockworkers begin a 72-hour stoppage at Ostrovia's largest port.",
                "Mira Castell",
                datetime(2026, 10, 3, 8, 15, tzinfo=UTC),
                ORIGIN_TEXT,
            ),
        ),
        (
            hub,
            _record(
                SPUN_URL,
                "Dock laborers hit stops Port Ardent as pay discussions fall down",
                "About 4,200 dock laborers start a 72-hour stoppage at Ostrovia's biggest harbor.",
                "",
                datetime(2026, 10, 3, 12, 10, tzinfo=UTC),
                SPUN_TEXT,
            ),
        ),
        (
            post,
            _record(
                OTHER_URL,
                "Ardent Sea summit ends with coastguard pact",
                "Six states agree to share radar data and fund search and rescue.",
                "Jonas Brell",
                datetime(2026, 10, 5, 16, 0, tzinfo=UTC),
                OTHER_TEXT,
            ),
        ),
    ]
    origin, spun, other = store_and_judge(records)
    assert origin.story_id is not None
    assert spun.story_id == origin.story_id
    return World(origin=origin, spun=spun, other=other, story=Story.objects.get(pk=origin.story_id))


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def reader(db: None) -> Any:
    return get_user_model().objects.create_user("ada", password="correct horse battery")


@pytest.fixture
def reader_client(client: Client, reader: Any) -> Client:
    client.force_login(reader)
    return client


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    """WhiteNoise warns when STATIC_ROOT is missing; the tests serve from the finders."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
