"""A per-process count of changes to the stored news, for the page cache (site/reads.py):
every save or delete of a news model in this process moves it on, and so do the writers
that change rows without saving models one by one (the fetch loop after each run, the bulk
loader). A cached page is keyed by the count it was made at, so a change here is seen at
once; changes made by *other* processes are seen when the cached page expires
(BYLINE_PAGE_CACHE_SECONDS)."""

from __future__ import annotations

import threading
from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save

_lock = threading.Lock()
_generation = 0


def current() -> int:
    return _generation


def bump() -> None:
    global _generation
    with _lock:
        _generation += 1


def _changed(sender: Any, **kwargs: Any) -> None:
    bump()


def connect() -> None:
    """Count every save and delete of the news app's models (NewsConfig.ready)."""
    for model in apps.get_app_config("news").get_models():
        uid = f"byline-changes-{model._meta.label}"
        post_save.connect(_changed, sender=model, weak=False, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, weak=False, dispatch_uid=uid + "-delete")
