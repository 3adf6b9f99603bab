"""Byline: self-hosted news aggregation that groups every outlet's coverage of an event into
one story, and traces each copy back to its origin."""

__version__ = "0.1.0"
