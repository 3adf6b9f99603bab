"""The budget every hostile case runs under: wall time and the growth of the process's peak
resident memory (RSS), sampled by psutil from a thread every few milliseconds.

    with within(seconds=2, mb=50, case="gzip-bomb"):
        ...

fails the case when the block took longer than ``seconds`` or when RSS grew more than ``mb``
mebibytes over what it was when the block started. Growth, not the absolute size, is what a
hostile input controls; the sampler sees short peaks that a before/after pair would miss."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psutil

MB = 1024 * 1024
SAMPLE_EVERY = 0.005


@dataclass
class Spent:
    seconds: float = 0.0
    peak_growth_mb: float = 0.0


@contextmanager
def within(seconds: float, mb: float, case: str = "") -> Iterator[Spent]:
    """Run the block under a wall-time and RSS-growth budget (see the module doc)."""
    process = psutil.Process()
    start_rss = process.memory_info().rss
    peak = [start_rss]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            rss = process.memory_info().rss
            if rss > peak[0]:
                peak[0] = rss
            stop.wait(SAMPLE_EVERY)

    sampler = threading.Thread(target=sample, name="rss-sampler", daemon=True)
    spent = Spent()
    started = time.monotonic()
    sampler.start()
    try:
        yield spent
    finally:
        spent.seconds = time.monotonic() - started
        stop.set()
        sampler.join(timeout=2)
        peak[0] = max(peak[0], process.memory_info().rss)
        spent.peak_growth_mb = (peak[0] - start_rss) / MB
    name = f"{case}: " if case else ""
    assert spent.seconds <= seconds, (
        f"{name}took {spent.seconds:.2f}s, over its budget of {seconds:g}s"
    )
    assert spent.peak_growth_mb <= mb, (
        f"{name}resident memory grew {spent.peak_growth_mb:.1f} MB, over its budget of {mb:g} MB"
    )
