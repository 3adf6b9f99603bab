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

The labels move the sources' tallies, and a source whose content-farm flag flips is judged
otherwise (``store.judge_input``): its verbatim copies become scrapes. The blocks judged
before the flip read the old flag, so the blocks that read any article of such a source are
judged again, up to ``MAX_PASSES`` passes in all (a dry run writes no tallies: one pass).
"""

from __future__ import annotations

import bisect
import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from byline.config import Config
from byline.ingest import ProgressFn, _no_progress
from byline.news import store
from byline.news.models import Source
from byline.pipeline import JudgeParams, judge_provenance

log = logging.getLogger(__name__)

BLOCK = 2000  # articles judged (and written) together, besides their window's context
MAX_PASSES = 3  # the first pass, and the passes again over blocks that read a flipped flag


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
    passes: int = 0  # over the blocks: 1, or more when sources' farm flags flipped
    _index: dict[int, int] = field(default_factory=dict, repr=False)  # article → its change
    flipped: list[str] = field(default_factory=list)  # sources whose farm flag changed
    unsettled: list[str] = field(default_factory=list)  # flags still moving after the last

    def record(self, change: LabelChange) -> None:
        """A changed label; an article changed again in a later pass keeps one entry, from
        its stored label to the last one written."""
        at = self._index.get(change.article_id)
        if at is None:
            self._index[change.article_id] = len(self.changes)
            self.changes.append(change)
            self.changed += 1
            return
        first = self.changes[at]
        self.changes[at] = replace(change, before=first.before, origin_before=first.origin_before)

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
    blocks = [order[start : start + block_size] for start in range(0, len(order), block_size)]
    while blocks:
        report.passes += 1
        flipped = _rejudge_pass(blocks, params, report, progress)
        if not flipped:
            break
        report.flipped += [s.slug for s in flipped if s.slug not in report.flipped]
        if report.passes == MAX_PASSES:
            report.unsettled = sorted(s.slug for s in flipped)
            log.warning(
                "rejudge: farm flags still changing after %d passes: %s",
                report.passes,
                ", ".join(report.unsettled),
            )
            break
        # The blocks whose judging read an article of a flipped source (in the block or in
        # the window around it) read its old flag: they are judged again.
        times = store.published_times({s.pk for s in flipped})
        blocks = [b for b in blocks if _reads_any(b, times, params.copy_window)]
    return report


def _reads_any(block: list[tuple[int, datetime]], times: list[datetime], window: timedelta) -> bool:
    """Whether judging ``block`` read an article published at one of ``times`` (sorted): one
    in the block or in the provenance window around it."""
    at = bisect.bisect_left(times, block[0][1] - window)
    return at < len(times) and times[at] <= block[-1][1] + window


def _rejudge_pass(
    blocks: list[list[tuple[int, datetime]]],
    params: JudgeParams,
    report: RejudgeReport,
    progress: ProgressFn,
) -> list[Source]:
    """Judge ``blocks`` once, in order; the sources whose farm flag the new labels flipped."""
    stage = "rejudge" if report.passes == 1 else f"rejudge (pass {report.passes})"
    total = sum(map(len, blocks))
    done = 0
    flipped: dict[int, Source] = {}
    progress(stage, 0, total)
    for block in blocks:
        if report.dry_run:
            _rejudge_block(block, params, report)
        else:
            with store.judging():
                for source in _rejudge_block(block, params, report):
                    flipped[source.pk] = source
        done += len(block)
        progress(stage, done, total)
    return list(flipped.values())


def _rejudge_block(
    block: list[tuple[int, datetime]], params: JudgeParams, report: RejudgeReport
) -> list[Source]:
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
        report.record(
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
    if not fresh or report.dry_run:
        return []
    flipped = store.relabel(fresh)
    log.info("rejudge wrote %d labels", len(fresh))
    return flipped
