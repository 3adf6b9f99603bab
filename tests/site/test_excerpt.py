from __future__ import annotations

from django.test import override_settings

from byline.config import load
from byline.site.pages import excerpt

TEXT = (
    "A rocket put the satellite into orbit. CAPE ISOLDE — The agency launched its first "
    "home-built satellite on Thursday, sending it into a 540 km orbit. "
    + "More words follow here in the body of the report. "
    * 20
)


@override_settings(BYLINE=load(env={}, overrides={"excerpt_words": 30}))
def test_the_excerpt_skips_a_leading_standfirst_and_stays_short() -> None:
    shown = excerpt(TEXT, standfirst="A rocket put the satellite into orbit.")
    assert shown.startswith("CAPE ISOLDE")
    assert len(shown.split()) <= 31  # 30 words and the ellipsis
    assert shown.endswith("…")


@override_settings(BYLINE=load(env={}, overrides={"excerpt_words": 30}))
def test_a_different_standfirst_leaves_the_text_alone() -> None:
    assert excerpt(TEXT, standfirst="Something else entirely.").startswith("A rocket")
