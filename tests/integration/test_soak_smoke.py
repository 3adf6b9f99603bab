"""The soak (bench/soak.py) in miniature: the same publisher, `byline run`, readers, replier
and checks, for about 20 seconds on SQLite. It asserts what the 15-minute soak asserts, but
memory growth, which needs minutes of samples to mean anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import soak

pytestmark = pytest.mark.slow


def test_a_short_soak_loses_nothing_duplicates_nothing_and_answers_no_5xx(
    tmp_path: Path,
) -> None:
    settings = soak.Settings(
        minutes=0.33,
        out=tmp_path / "out",
        outlets=2,
        post_every=2.0,
        readers=2,
        reply_every=3.0,
        sample=5.0,
        feed_interval=0.1,  # minutes: every feed is due again 6 s after a fetch
        feed_max_interval=0.1,
        grace=30.0,
        quiet=True,
    )
    result = soak.run(settings, log=lambda line: None)

    assert result["posted"] >= 10
    assert result["posted_kinds"]["verbatim"] + result["posted_kinds"]["spun"] >= 1
    assert result["requests"] >= 50
    assert result["http_5xx"] == 0, result["failures"]
    assert result["failed_requests"] == 0, result["failures"]
    assert result["lost_count"] == 0, result["lost"]
    assert result["duplicated"] == [] and result["unexpected"] == []
    assert result["stored"] == result["posted"]
    assert result["unjudged"] == 0
    assert result["signed_up"]
    assert result["replies_accepted"] >= 1, result["replies_refused"]
    assert result["replies_stored"] == result["replies_accepted"]
    assert result["exit_code"] == 0 and result["log_errors"] == []
    assert {name for name, ok in result["checks"].items() if not ok} <= {
        "memory growth < 10 %"  # 20 seconds say nothing about growth after warm-up
    }
    out = Path(result["settings"]["out"])
    assert len((out / "samples.csv").read_text().splitlines()) >= 4
    assert (out / "soak.svg").stat().st_size > 1000
    assert "| zero 5xx | 0 of" in soak.table(result)
