"""Logging to standard error, whichever stream that is when a record comes."""

from __future__ import annotations

import logging
import sys
from typing import Any


class CurrentStderrHandler(logging.StreamHandler):
    """A ``StreamHandler`` that writes to the current ``sys.stderr``, not the stream that was
    ``sys.stderr`` when logging was configured: a program that runs Byline in-process (tests,
    notebooks, an embedding service) and swaps or closes its stderr later gets its log lines
    on the new stream instead of "I/O operation on closed file"."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass  # StreamHandler.__init__ and setStream assign it; the current stderr wins
