"""What a batch run reports at the end: records read and skipped (by reason), articles, copy
groups, stories and the time each stage took."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

DUPLICATE = "duplicate URL (earliest fetch kept)"

ProgressFn = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """Progress is shown by the CLI; library code only reports it."""


@dataclass
class Summary:
    engine: str
    inputs: int = 0
    records: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    articles: int = 0
    undated: int = 0  # articles without a date
    placed: int = 0  # of them, clustered in the time block their text placed them in
    copy_groups: int = 0
    copies: int = 0
    stories: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - start, 3)

    @property
    def total_seconds(self) -> float:
        return round(sum(self.seconds.values()), 3)

    def to_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "inputs": self.inputs,
            "records": self.records,
            "skipped": dict(self.skipped.most_common()),
            "articles": self.articles,
            "undated": self.undated,
            "placed": self.placed,
            "copy_groups": self.copy_groups,
            "copies": self.copies,
            "stories": self.stories,
            "seconds": self.seconds,
            "total_seconds": self.total_seconds,
        }

    def lines(self) -> list[str]:
        skipped = sum(self.skipped.values())
        out = [
            f"engine {self.engine}: {self.inputs} input files, {self.records} records read, "
            f"{skipped} skipped, {self.articles} articles, {self.copy_groups} copy groups "
            f"({self.copies} copies), {self.stories} stories",
        ]
        for reason, count in self.skipped.most_common():
            out.append(f"  skipped {count}: {reason}")
        if self.undated:
            out.append(
                f"  undated {self.undated}: {self.placed} clustered where their text placed "
                f"them, {self.undated - self.placed} in a block of their own"
            )
        stages = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in self.seconds.items())
        out.append(f"  time: {stages} (total {self.total_seconds:.1f}s)")
        return out
