"""Reader replies: threaded, moderated, rate limited by the caller."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from byline.errors import StoreError
from byline.news.models import Article, Reply


def replies_for(article: Article) -> list[Reply]:
    return list(
        article.replies.select_related("author")
        .filter(state=Reply.State.PUBLISHED)
        .order_by("created_at")
    )


def add_reply(article: Article, user: Any, body: str, parent_id: int | None) -> Reply:
    parent = None
    if parent_id is not None:
        parent = Reply.objects.filter(pk=parent_id, article=article).first()
        if parent is None:
            raise StoreError("the reply you answered no longer exists")
    return Reply.objects.create(article=article, author=user, parent=parent, body=body)


def replies_by_user_since(user: Any, since: datetime) -> int:
    return Reply.objects.filter(author=user, created_at__gte=since).count()
