"""The one-process engine: the batch steps over Python lists and dicts. It is the reference
the Spark engine must match row for row, and the baseline of its benchmark."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from byline.judge.provenance import MIN_SHARED_IMMUTABLES

from .rows import (
    ArticleRow,
    Skip,
    StoryRow,
    article_values,
    id_of,
    relation_values,
    story_values,
)
from .stages import MapOptions, read_input
from .steps import (
    BatchParams,
    Labelled,
    StoryMember,
    band_pairs,
    best_placement,
    candidate_blocks,
    candidate_keys,
    cluster_group,
    components,
    earlier,
    exact_pairs,
    immutable_keys,
    immutable_pairs,
    label_group,
    lone_relation,
    place_block,
    placing_keys,
    placing_weight,
    stitch_link,
    story_edges,
    story_groups,
    story_row,
    undated_features,
    verify_link,
    verify_pair,
)
from .summary import DUPLICATE, ProgressFn, Summary, no_progress


@dataclass
class Tables:
    """The three output tables as rows in schema order, sorted by their key."""

    articles: list[tuple[Any, ...]]
    relations: list[tuple[Any, ...]]
    stories: list[tuple[Any, ...]]


def run_local(
    inputs: Sequence[str],
    params: BatchParams,
    options: MapOptions,
    progress: ProgressFn = no_progress,
) -> tuple[Tables, Summary]:
    summary = Summary(engine="local", inputs=len(inputs))
    with summary.stage("read+extract"):
        rows = _read(inputs, options, summary, progress)
    summary.articles = len(rows)
    with summary.stage("stories"):
        placed = place_undated(rows, params)
        summary.undated = sum(1 for row in rows if row.published is None)
        summary.placed = sum(1 for row in placed if row.placed is not None)
        story_of = cluster_stories(placed, params)
    progress("global", 1, 3)
    with summary.stage("copies"):
        group_of = copy_groups(rows, params, story_of)
    progress("global", 2, 3)
    with summary.stage("labels"):
        labelled = label(rows, story_of, group_of, params)
        tables = _tables(rows, labelled, group_of)
    progress("global", 3, 3)
    summary.copy_groups = len({row[-1] for row in tables.articles if row[-1] is not None})
    summary.copies = sum(1 for row in tables.relations if row[2] is not None)
    summary.stories = len(tables.stories)
    return tables, summary


def _read(
    inputs: Sequence[str], options: MapOptions, summary: Summary, progress: ProgressFn
) -> list[ArticleRow]:
    by_id: dict[str, ArticleRow] = {}
    for done, name in enumerate(inputs, start=1):
        for item in read_input(name, options):
            summary.records += 1
            if isinstance(item, Skip):
                summary.skipped[item.reason] += 1
                continue
            known = by_id.get(item.id)
            if known is not None:
                summary.skipped[DUPLICATE] += 1
                item = earlier(known, item)
            by_id[item.id] = item
            if summary.records % 50 == 0:
                progress("records", summary.records, 0)
        progress("files", done, len(inputs))
    progress("records", summary.records, summary.records)
    return sorted(by_id.values(), key=lambda row: row.order)


def place_undated(rows: Sequence[ArticleRow], params: BatchParams) -> list[ArticleRow]:
    """``rows``, each undated one that a time block's dated articles place given the date it
    was placed at: each is asked of its ``steps.candidate_blocks`` (``steps.place_block``),
    and the best placement wins (``steps.best_placement``)."""
    undated = [row for row in rows if row.published is None]
    if not params.place_undated or not undated or len(undated) == len(rows):
        return list(rows)
    blocks: dict[str, list[ArticleRow]] = defaultdict(list)
    holders: Counter[str] = Counter()
    held_in: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.published is not None:
            block = story_groups(row, params)[0]
            blocks[block].append(row)
            for key in placing_keys(row):
                holders[key] += 1
                held_in[key].add(block)
    dated = len(rows) - len(undated)
    asked: dict[str, list[str]] = defaultdict(list)  # block → the undated ids it is asked of
    for row in undated:
        scores: Counter[str] = Counter()
        for key in placing_keys(row):
            weight = placing_weight(holders[key], dated)
            for block in held_in.get(key, ()) if weight else ():
                scores[block] += weight
        for block in candidate_blocks(dict(scores)):
            asked[block].append(row.id)
    probes = dict(undated_features(undated, params))
    placed = best_placement(
        placement
        for block in sorted(asked)
        for placement in place_block(blocks[block], [(i, probes[i]) for i in asked[block]], params)
    )
    return [replace(row, placed=placed[row.id]) if row.id in placed else row for row in rows]


def cluster_stories(rows: Sequence[ArticleRow], params: BatchParams) -> dict[str, str]:
    """Article id → story id (its earliest article's id), from block and edge clustering;
    undated articles go to the blocks of the date they were placed at (``place_undated``)."""
    groups: dict[str, list[ArticleRow]] = defaultdict(list)
    for row in rows:
        for group in story_groups(row, params):
            groups[group].append(row)
    vertex_of: dict[str, str] = {}
    edge_members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for group in sorted(groups):
        for kind, article_id, value in cluster_group(group, groups[group], params):
            if kind == "node":
                vertex_of[article_id] = value
            else:
                edge_story, side = value.rsplit("|", 1)
                edge_members[edge_story].append((side, article_id))
    links = []
    for members in edge_members.values():
        link = stitch_link((side, vertex_of[article_id]) for side, article_id in members)
        if link is not None:
            links.append(link)
    merged = components(links)
    return {
        article_id: id_of(merged.get(vertex, vertex)) for article_id, vertex in vertex_of.items()
    }


def copy_groups(
    rows: Sequence[ArticleRow], params: BatchParams, story_of: dict[str, str] | None = None
) -> dict[str, str]:
    """Order key of each article judged in a group → the group's smallest order key. Groups
    join the articles that share text (text hash, LSH bands and sentence hashes confirmed by
    ``verify_pair``), undated articles and those sharing enough of their names and numbers
    (``verify_link``), and, with ``story_of``, the articles of one story
    (``steps.story_edges``): the provenance engine finds their rewordings and retellings
    among them, as ``pipeline.judge`` does."""
    by_hash: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_hash[row.text_hash].append(row.order)
    pairs: set[tuple[str, str]] = set()
    representatives = set()
    for members in by_hash.values():
        pairs.update(exact_pairs(members))
        representatives.add(min(members))
    buckets: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.order in representatives:
            for band in candidate_keys(row):
                buckets[band].append(row.order)
    for members in buckets.values():
        if len(members) > 1:
            pairs.update(band_pairs(members))
    text = {row.order: row.text for row in rows}
    edges = [
        (copy, origin)
        for copy, origin in sorted(pairs)
        if verify_pair(text[copy], text[origin], params.copy_threshold)
    ]
    # only the keys an undated article holds are bucketed (a dated archive buckets none)
    undated = {key for row in rows if row.published is None for key in immutable_keys(row)}
    held: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for row in rows:
        for key in undated.intersection(immutable_keys(row)):
            held[key].append((row.order, row.published is None))
    shared: Counter[tuple[str, str]] = Counter()
    for holders in held.values():
        shared.update(immutable_pairs(holders))
    row_of = {row.order: row for row in rows}
    edges += [
        pair
        for pair, count in sorted(shared.items())
        if count >= MIN_SHARED_IMMUTABLES and verify_link(row_of[pair[0]], row_of[pair[1]], params)
    ]
    if story_of is not None:
        order_of = {row.id: row.order for row in rows}
        edges += story_edges((row.order, order_of[story_of[row.id]]) for row in rows)
    return components(edges)


def label(
    rows: Sequence[ArticleRow],
    story_of: dict[str, str],
    group_of: dict[str, str],
    params: BatchParams,
) -> dict[str, Labelled]:
    members: dict[str, list[tuple[ArticleRow, str]]] = defaultdict(list)
    result: dict[str, Labelled] = {}
    for row in rows:
        group = group_of.get(row.order)
        if group is None:
            relation = lone_relation(row.id, row.source, row.text, row.source_kind)
            result[row.id] = Labelled(relation, story_of[row.id])
        else:
            members[group].append((row, story_of[row.id]))
    for group in sorted(members):
        for labelled in label_group(members[group], params):
            result[labelled.relation.id] = labelled
    return result


def _tables(
    rows: Sequence[ArticleRow], labelled: dict[str, Labelled], group_of: dict[str, str]
) -> Tables:
    by_story: dict[str, list[StoryMember]] = defaultdict(list)
    articles, relations = [], []
    for row in sorted(rows, key=lambda r: r.id):
        item = labelled[row.id]
        group = group_of.get(row.order)
        # a member that shares no text in its group is in no copy group
        copy_group = id_of(group) if group is not None and item.grouped_story else None
        articles.append(article_values(row, item.story, copy_group))
        relations.append(relation_values(item.relation))
        by_story[item.story].append(StoryMember.of(row, item.relation.relation))
    stories: list[StoryRow] = [story_row(story, by_story[story]) for story in sorted(by_story)]
    return Tables(articles, relations, [story_values(s) for s in stories])
