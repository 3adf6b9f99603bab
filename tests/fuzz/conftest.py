"""Hypothesis profiles for the parser fuzzing in tests/fuzz.

* ``fuzz-ci`` (the default): a few dozen examples per target, derandomized so that every CI
  run tries the same inputs, with a generous deadline for a loaded two-core machine;
* ``fuzz-long`` (``BYLINE_FUZZ=long``, what ``make fuzz`` sets): thousands of examples per
  target from a random seed, which pytest's header prints (``BYLINE_FUZZ_SEED=N`` replays one).
  ``BYLINE_FUZZ_EXAMPLES=N`` changes the count.

The profiles are applied per test (``tests.fuzz.strategies.FUZZ``), never loaded globally,
so Hypothesis tests elsewhere in the suite keep their own settings. A failure prints the
reproducing ``@reproduce_failure`` blob; its input belongs, once fixed, in
tests/hostile/test_found_by_fuzzing.py.
"""

from __future__ import annotations

import os
import random
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

LONG = os.environ.get("BYLINE_FUZZ", "").lower() == "long"
SLOW_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile(
    "fuzz-ci",
    max_examples=int(os.environ.get("BYLINE_FUZZ_EXAMPLES", "40")),
    derandomize=True,
    database=None,
    deadline=timedelta(seconds=10),
    suppress_health_check=SLOW_CHECKS,
    print_blob=True,
)
settings.register_profile(
    "fuzz-long",
    max_examples=int(os.environ.get("BYLINE_FUZZ_EXAMPLES", "3000")),
    derandomize=False,
    database=None,  # the seed and the printed blob replay a failure; no .hypothesis/ left behind
    deadline=timedelta(seconds=10),
    suppress_health_check=SLOW_CHECKS,
    print_blob=True,
)

SEED = int(os.environ.get("BYLINE_FUZZ_SEED") or random.SystemRandom().randrange(2**32))


def pytest_report_header(config: pytest.Config) -> str:
    if LONG:
        return f"byline fuzz: profile fuzz-long, seed {SEED} (replay: BYLINE_FUZZ_SEED={SEED})"
    return "byline fuzz: profile fuzz-ci (derandomized; BYLINE_FUZZ=long for the long run)"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The seed again at the end, where ``pytest -q`` (make fuzz) shows it too."""
    if LONG:
        terminalreporter.write_line(f"byline fuzz: seed {SEED} (replay: BYLINE_FUZZ_SEED={SEED})")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In the long profile every fuzz test draws from the printed seed."""
    if not LONG:
        return
    from hypothesis import seed

    for item in items:
        test = getattr(item, "obj", None)
        if "tests/fuzz/" in str(item.fspath).replace(os.sep, "/") and hasattr(test, "hypothesis"):
            seed(SEED)(test)
