"""`byline rejudge`: judge the provenance of stored articles again with this version of
Byline's rules, after an upgrade changed them. Fetching judges only new articles and the copy
groups they join, and ``byline reprocess`` only articles whose extraction changed, so without
this an archive keeps the labels of the version that first judged it.

Stories stay as they are; only relations, origins and evidence are replaced, and only where
they differ. Articles are judged a block at a time, oldest first, each block with the
articles published within the provenance window around it (``BYLINE_PROVENANCE_WINDOW_HOURS``),
so a copy group that crosses a block's edge is judged whole and a large archive is never in
memory at once. Each block is written in one transaction under the judging lock that the
fetch workers take (``store.judging``): a run killed midway leaves every label either as it
was or new, and a later run picks up where it stopped (blocks already done change nothing).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from byline.config import Config
from byline.ingest import ProgressFn, _no_progress
from byline.news import store
from byline.pipeline import JudgeParams, judge_provenance

log = logging.getLogger(__name__)

BLOCK = 2000  # articles judged (and written) together, besides their window's context


@dataclass(frozen=True)
class LabelChange:
    article_id: int
    url: str
    before: str  # the stored relation ("none" when the article had no label)
    after: str
    origin_before: int | None
    origin_after: int | None


@dataclass
class RejudgeReport:
    dry_run: bool = False
    articles: int = 0  # judged articles looked at
    changed: int = 0  # whose label (relation, origin, relay or evidence) changed, or would
    changes: list[LabelChange] = field(default_factory=list)

    @property
    def transitions(self) -> Counter[tuple[str, str]]:
        """How many changed labels went from each relation to each other one (the same
        relation twice: its origin or evidence changed)."""
        return Counter((c.before, c.after) for c in self.changes)


def rejudge(
    config: Config,
    since: datetime | None = None,
    dry_run: bool = False,
    progress: ProgressFn = _no_progress,
    block_size: int = BLOCK,
) -> RejudgeReport:
    """Judge every judged article's provenance again (those published at ``since`` or later),
    writing the labels that changed; ``dry_run`` only reports them. ``block_size`` articles
    are judged and written together (one transaction, the judging lock held)."""
    if block_size < 1:
        raise ValueError(f"a block holds one article at least, not {block_size}")
    params = JudgeParams.from_config(config)
    order = store.judged_order(since)
    report = RejudgeReport(dry_run=dry_run, articles=len(order))
    progress("rejudge", 0, len(order))
    for start in range(0, len(order), block_size):
        block = order[start : start + block_size]
        if dry_run:
            _rejudge_block(block, params, report)
        else:
            with store.judging():
                _rejudge_block(block, params, report)
        progress("rejudge", start + len(block), len(order))
    return report


def _rejudge_block(
    block: list[tuple[int, datetime]], params: JudgeParams, report: RejudgeReport
) -> None:
    targets = {pk for pk, _ in block}
    context = store.judged_between(
        block[0][1] - params.copy_window, block[-1][1] + params.copy_window
    )
    labels = judge_provenance(
        [store.judge_input(a) for a in context],
        [store.article_fingerprint(a) for a in context],
        params,
    )
    fresh = []
    for article, label in zip(context, labels, strict=True):
        if article.pk not in targets or not store.label_differs(article, label):
            continue
        stored = getattr(article, "relation", None)
        report.changes.append(
            LabelChange(
                article.pk,
                article.url,
                stored.relation if stored is not None else "none",
                label.relation,
                stored.origin_id if stored is not None else None,
                int(label.origin_id) if label.origin_id else None,
            )
        )
        fresh.append(label)
    report.changed += len(fresh)
    if fresh and not report.dry_run:
        store.relabel(fresh)
        log.info("rejudge wrote %d labels", len(fresh))
