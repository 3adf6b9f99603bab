"""The Spark engine: the batch steps (``batch.steps``) on PySpark. The rows live in the JVM as
one cached DataFrame; the relational steps (duplicates, story stitching, LSH bands,
candidate pairs, joins of labels to rows) are DataFrame windows and joins over slim
columns, and the Python-heavy steps (extract, cluster a block, verify a pair, label a copy
group, a story's headline) run as tasks over the same pure functions as the local engine.
pyspark is imported only here, and only when this engine is asked for."""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from byline.errors import MissingExtra
from byline.judge.provenance import MAX_IMMUTABLE_HOLDERS, MIN_SHARED_IMMUTABLES

from .rows import (
    ARTICLES_SCHEMA,
    RELATIONS_SCHEMA,
    STORIES_SCHEMA,
    ArticleRow,
    Skip,
    article_values,
    columns,
    relation_values,
    split_schema,
    story_values,
)
from .stages import (
    MapOptions,
    finish,
    is_local_path,
    local_path,
    raw_records,
    read_input_bytes,
)
from .steps import (
    EPOCH,
    NEIGHBOURS,
    PLACING_BLOCKS,
    PLACING_COMMON,
    PLACING_COMMON_MIN,
    SENTENCE_KEY,
    BatchParams,
    StoryMember,
    cluster_group,
    components,
    fetch_order,
    label_group,
    lone_relation,
    place_block,
    story_groups,
    story_row,
    undated_features,
    verify_link,
    verify_pair,
)
from .summary import DUPLICATE, ProgressFn, Summary, no_progress

log = logging.getLogger(__name__)

MAX_ROUNDS = 200  # connected components: rounds of label propagation before giving up


class JavaMissing(MissingExtra):
    """Spark runs on a JVM; none was found."""

    def __init__(self) -> None:
        super().__init__("spark", "pyspark")
        self.args = (
            "the Spark engine needs Java 17 (a JRE on PATH or JAVA_HOME; e.g. apt-get install "
            "openjdk-17-jre-headless); --engine local runs without it",
        )

    def __str__(self) -> str:
        return str(self.args[0])


def check_spark() -> None:
    """Raise ``MissingExtra`` when pyspark or a Java runtime is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise MissingExtra("spark", "pyspark") from None
    home = os.environ.get("JAVA_HOME", "")
    if not (shutil.which("java") or (home and (Path(home) / "bin" / "java").exists())):
        raise JavaMissing()


def session(master: str = "local[2]", partitions: int | None = None, memory: str = "") -> Any:
    """A SparkSession for a batch run (or the running one, reconfigured)."""
    check_spark()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName("byline-batch")
    settings = {
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": str(partitions or _default_partitions(master)),
        "spark.python.worker.reuse": "true",
    }
    if master.startswith("local"):  # workers run the same interpreter as the driver
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        settings["spark.pyspark.python"] = os.environ["PYSPARK_PYTHON"]
    if memory:
        settings["spark.driver.memory"] = memory
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _default_partitions(master: str) -> int:
    if master.startswith("local["):
        cores = master[6:-1]
        count = (os.cpu_count() or 2) if cores == "*" else int(cores or 1)
        return max(2, 2 * count)
    return 200


# ── the job ───────────────────────────────────────────────────────────────────────────────
#
# The rows live in the JVM as one cached DataFrame (``base``): the output columns, plus the
# order key, LSH bands, story groups and the pickled ``ArticleRow`` (``blob``), so that the
# Python steps get back exactly the row the map made. Joins, windows and sorts run on slim
# columns in the JVM; only the steps that need the pure functions (clustering a block,
# verifying a candidate pair, labelling a copy group, a story's headline) go through Python,
# each with the columns it needs.

BASE_EXTRA = (
    "reason string, okey string, fetch_when string, bands array<string>, "
    "groups array<string>, blob binary"
)
ARTICLE_COLUMNS = columns(ARTICLES_SCHEMA)[:-2]  # without story and copy_group
BASE_SCHEMA = BASE_EXTRA + ", " + ", ".join(split_schema(ARTICLES_SCHEMA)[:-2])
BASE_WIDTH = len(split_schema(BASE_SCHEMA))
LABELS_SCHEMA = RELATIONS_SCHEMA + ", final_story string, grouped_story string"
DRIVER_EDGES = 500_000  # graphs with at most this many edges finish on the driver


def mapped_values(item: ArticleRow | Skip, params: BatchParams) -> tuple[Any, ...]:
    """One map output as a row of ``BASE_SCHEMA``: a skip's reason, or an article."""
    if isinstance(item, Skip):
        return (item.reason,) + (None,) * (BASE_WIDTH - 1)
    blob = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
    when = fetch_order(item)[0]
    head = ("", item.order, when, list(item.bands), story_groups(item, params), blob)
    return head + article_values(item, "", None)[:-2]


def run_spark(
    spark: Any,
    inputs: Sequence[str],
    out: str,
    params: BatchParams,
    options: MapOptions,
    progress: ProgressFn = no_progress,
) -> Summary:
    """Run the batch steps on ``spark`` and write the tables under ``out``."""
    summary = Summary(engine=f"spark {spark.sparkContext.master}", inputs=len(inputs))
    cached: list[Any] = []
    try:
        with summary.stage("read+extract"):
            base = _read(spark, inputs, options, params, summary, cached)
        progress("global", 1, 4)
        with summary.stage("stories"):
            story_of = _stories(spark, base, params, cached, summary)
        progress("global", 2, 4)
        with summary.stage("copies"):
            group_of = _copy_groups(spark, base, params, cached, story_of)
        progress("global", 3, 4)
        with summary.stage("labels+write"):
            summary.copy_groups, summary.copies, summary.stories = _label_and_write(
                spark, base, story_of, group_of, params, out, cached
            )
        progress("global", 4, 4)
    finally:
        for frame in cached:
            frame.unpersist()
    return summary


def _keep(frame: Any, cached: list[Any]) -> Any:
    from pyspark import StorageLevel

    cached.append(frame.persist(StorageLevel.MEMORY_AND_DISK))
    return frame


def _read(
    spark: Any,
    inputs: Sequence[str],
    options: MapOptions,
    params: BatchParams,
    summary: Summary,
    cached: list[Any],
) -> Any:
    """The per-record map, one task per input file (its records spread over the cores when
    there are fewer files than cores), then one row per id: the earliest fetch."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    sc = spark.sparkContext
    local = [name for name in inputs if is_local_path(name)]
    remote = [name for name in inputs if not is_local_path(name)]
    parallel = max(1, sc.defaultParallelism)
    parts = []
    if local:
        files = sc.parallelize(list(local), len(local))
        raw = files.flatMap(lambda name: raw_records(local_path(name), options, name))
        if len(local) < parallel:
            raw = raw.repartition(parallel)
        parts.append(raw.map(lambda item: finish(item, options)))
    if remote:
        blobs = sc.binaryFiles(",".join(remote))
        parts.append(blobs.flatMap(lambda kv: read_input_bytes(kv[0], kv[1], options)))
    items = parts[0] if len(parts) == 1 else sc.union(parts)
    mapped = spark.createDataFrame(items.map(lambda i: mapped_values(i, params)), BASE_SCHEMA)
    mapped = _keep(mapped, cached)
    counts = {r["reason"]: r["count"] for r in mapped.groupBy("reason").count().collect()}
    before = counts.pop("", 0)
    summary.records = before + sum(counts.values())
    summary.skipped.update(counts)
    first = Window.partitionBy("id").orderBy("fetch_when", "input_file", "input_offset")
    base = (
        mapped.where(F.col("reason") == "")
        .withColumn("n", F.row_number().over(first))
        .where(F.col("n") == 1)
        .drop("n", "reason")
    )
    base = _keep(base, cached)
    summary.articles = base.count()
    mapped.unpersist()
    duplicates = before - summary.articles
    if duplicates:
        summary.skipped[DUPLICATE] += duplicates
    return base


def _id_of(column: Any) -> Any:
    """``rows.id_of`` as a column expression: what follows the order key's first ``|``."""
    from pyspark.sql import functions as F

    return F.regexp_extract(column, r"(?s)^[^|]*\|(.*)$", 1)


def _stories(
    spark: Any, base: Any, params: BatchParams, cached: list[Any], summary: Summary
) -> Any:
    """(id, story): block clustering, edges stitched by connected components."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    rows = _placed(spark, base, params, cached, summary)
    sizes = dict(rows.select(F.explode("groups").alias("g")).groupBy("g").count().collect())
    # One partition per block or edge, the largest first: each is one sequential task, and
    # the scheduler starts tasks in partition order, so the long ones do not come last.
    keys = sorted(sizes, key=lambda key: (-sizes[key], key))
    index = {key: i for i, key in enumerate(keys)}
    pairs = rows.rdd.flatMap(lambda r: [(g, r[1]) for g in r[0]])
    by_group = pairs.groupByKey(numPartitions=max(1, len(keys)), partitionFunc=index.__getitem__)
    clustered = by_group.flatMap(
        lambda kv: cluster_group(kv[0], [pickle.loads(b) for b in kv[1]], params)
    )
    found = _keep(spark.createDataFrame(clustered, "kind string, id string, value string"), cached)
    nodes = found.where(F.col("kind") == "node").select("id", F.col("value").alias("vertex"))
    edges = found.where(F.col("kind") == "edge").select(
        "id",
        F.expr("substring(value, 1, length(value) - 2)").alias("story"),  # value: story|side
        F.expr("substring(value, -1, 1)").alias("side"),
    )
    # stitch_link: each edge story links the block story most of its members on each side
    # belong to (ties: the smallest vertex).
    votes = edges.join(nodes, "id").groupBy("story", "side", "vertex").count()
    rank = Window.partitionBy("story", "side").orderBy(F.desc("count"), "vertex")
    best = votes.withColumn("rank", F.row_number().over(rank)).where(F.col("rank") == 1)
    left = best.where(F.col("side") == "L").select("story", F.col("vertex").alias("a"))
    right = best.where(F.col("side") == "R").select("story", F.col("vertex").alias("b"))
    links = left.join(right, "story").where(F.col("a") != F.col("b")).select("a", "b")
    merged = connected_components(spark, links)
    story_of = nodes.join(merged, "vertex", "left").select(
        "id", _id_of(F.coalesce("label", "vertex")).alias("story")
    )
    return _keep(story_of, cached)


def _placed(spark: Any, base: Any, params: BatchParams, cached: list[Any], summary: Summary) -> Any:
    """(groups, blob) of every article for the story blocks. An undated article is asked of
    the ``PLACING_BLOCKS`` time blocks that hold most of its keys' weight
    (``steps.placing_keys``, ``placing_weight``, ``candidate_blocks``: a join and a window in
    the JVM) with its story features, computed once (``steps.undated_features``); each
    block's task places them (``steps.place_block``), and the best placement
    (``steps.placement_rank``: the most similar, then the earliest date) puts it in the
    blocks of that date, carrying the date (``ArticleRow.placed``); one no block places
    stays in the undated block."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    rows = base.select("groups", "blob")
    undated = base.where(F.col("published").isNull())
    dated = base.where(F.col("published").isNotNull())
    summary.undated = undated.count()
    if not params.place_undated or not summary.undated:
        return rows
    count = summary.articles - summary.undated
    if not count:
        return rows
    keys = F.explode(F.array_distinct(F.concat(F.map_keys("terms"), "immutables"))).alias("key")
    held = dated.select(F.element_at("groups", 1).alias("block"), keys)
    weights = (
        held.groupBy("key")
        .count()
        .where((F.col("count") * PLACING_COMMON <= count) | (F.col("count") <= PLACING_COMMON_MIN))
        .select("key", F.floor(F.log(F.lit(count) / F.col("count")) * 1000).alias("weight"))
        .where(F.col("weight") > 0)
    )
    scores = (
        undated.select("id", keys)
        .join(weights, "key")
        .join(held.distinct(), "key")
        .groupBy("id", "block")
        .agg(F.sum("weight").alias("score"))
    )
    nearest = Window.partitionBy("id").orderBy(F.desc("score"), "block")
    asked = _keep(
        scores.withColumn("rank", F.row_number().over(nearest))
        .where(F.col("rank") <= PLACING_BLOCKS)
        .select("id", "block"),
        cached,
    )
    probes = undated.select("id", "blob").join(asked.select("id").distinct(), "id", "left_semi")
    probes = probes.rdd.mapPartitions(
        lambda part: [
            (article_id, pickle.dumps(features, protocol=pickle.HIGHEST_PROTOCOL))
            for article_id, features in undated_features([pickle.loads(r[1]) for r in part], params)
        ]
    )
    probes = spark.createDataFrame(probes, "id string, probe binary")
    blocks = dated.select(F.element_at("groups", 1).alias("block"), "blob").join(
        asked.select("block").distinct(), "block", "left_semi"
    )
    tasks = blocks.select("block", F.lit(None).cast("string").alias("id"), "blob").unionByName(
        asked.join(probes, "id").select("block", "id", F.col("probe").alias("blob"))
    )
    parts = max(1, asked.select("block").distinct().count())
    grouped = tasks.rdd.map(lambda r: (r[0], (r[1], r[2]))).groupByKey(numPartitions=parts)
    found = grouped.flatMap(lambda kv: _place(kv[1], params))
    placements = spark.createDataFrame(found, "id string, date string, score double")
    best = Window.partitionBy("id").orderBy(F.desc("score"), "date")
    chosen = (
        placements.withColumn("rank", F.row_number().over(best))
        .where(F.col("rank") == 1)
        .select("id", "date")
    )
    moved = spark.createDataFrame(
        undated.select("id", "blob")
        .join(chosen, "id")
        .rdd.map(lambda r: _placed_row(r[1], r[2], params)),
        "groups array<string>, blob binary",
    )
    moved = _keep(moved, cached)
    summary.placed = moved.count()
    kept = base.join(chosen.select("id"), "id", "left_anti").select("groups", "blob")
    return _keep(kept.unionByName(moved), cached)


def _place(members: Any, params: BatchParams) -> list[tuple[str, str, float]]:
    """One block's task of ``_placed``: its dated rows (id None) and the undated articles'
    features, placed by ``steps.place_block``; dates as UTC text that sorts as they do."""
    dated, probes = [], []
    for article_id, blob in members:
        if article_id is None:
            dated.append(pickle.loads(blob))
        else:
            probes.append((article_id, pickle.loads(blob)))
    return [
        (p.id, p.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"), p.score)
        for p in place_block(dated, probes, params)
    ]


def _placed_row(blob: bytes, date: str, params: BatchParams) -> tuple[list[str], bytes]:
    """An undated article's (groups, blob) at the date it was placed at."""
    row = replace(pickle.loads(blob), placed=datetime.fromisoformat(date).replace(tzinfo=UTC))
    return story_groups(row, params), pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL)


def _copy_groups(
    spark: Any, base: Any, params: BatchParams, cached: list[Any], story_of: Any
) -> Any:
    """(vertex, label): each article judged in a group (order key) and its group's smallest
    order key. Exact text hashes, LSH bands and sentence hashes give candidate pairs
    (windows, ``steps.candidate_keys``), ``verify_pair`` keeps the copies, undated articles
    add the links their names and numbers find (``_undated_edges``), and connected
    components of those and of the stories' articles (``steps.story_edges``) make the
    groups."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    by_hash = Window.partitionBy("text_hash").orderBy("okey")
    light = base.select("okey", "text_hash", "bands", "sentence_hashes").withColumn(
        "first", F.first("okey").over(by_hash)
    )
    exact = light.where(F.col("okey") != F.col("first")).select(
        F.col("okey").alias("copy"), F.col("first").alias("origin")
    )
    sentences = F.transform("sentence_hashes", lambda h: F.concat(F.lit(SENTENCE_KEY), h))
    light = light.withColumn("keys", F.concat("bands", sentences))
    bands = light.where(F.col("okey") == F.col("first")).select(
        "okey", F.explode("keys").alias("band")
    )
    by_band = Window.partitionBy("band").orderBy("okey")
    lagged = bands.select(
        "okey", *[F.lag("okey", j).over(by_band).alias(f"p{j}") for j in range(1, NEIGHBOURS + 1)]
    )
    near = lagged.select(
        F.col("okey").alias("copy"),
        F.explode(F.array(*[F.col(f"p{j}") for j in range(1, NEIGHBOURS + 1)])).alias("origin"),
    ).where(F.col("origin").isNotNull())
    pairs = exact.union(near).distinct()
    texts = base.select("okey", "text")
    candidates = pairs.join(
        texts.select(F.col("okey").alias("copy"), F.col("text").alias("copy_text")), "copy"
    ).join(
        texts.select(F.col("okey").alias("origin"), F.col("text").alias("origin_text")), "origin"
    )
    threshold = params.copy_threshold
    verified = candidates.select("copy", "origin", "copy_text", "origin_text").rdd.filter(
        lambda r: verify_pair(r[2], r[3], threshold)
    )
    edges = spark.createDataFrame(verified.map(lambda r: (r[0], r[1])), "a string, b string")
    edges = edges.unionByName(_undated_edges(spark, base, params))
    keys = base.select("id", "okey")
    firsts = keys.select(F.col("id").alias("story"), F.col("okey").alias("b"))
    mates = (  # steps.story_edges: each article to its story's first
        story_of.join(keys, "id")
        .join(firsts, "story")
        .where(F.col("okey") != F.col("b"))
        .select(F.col("okey").alias("a"), "b")
    )
    edges = edges.unionByName(mates)
    return _keep(connected_components(spark, _keep(edges, cached)), cached)


def _undated_edges(spark: Any, base: Any, params: BatchParams) -> Any:
    """(a, b) copy edges of undated articles: pairs with an undated article in them that
    share at least ``MIN_SHARED_IMMUTABLES`` names, numbers and quotes, each key held by at
    most ``MAX_IMMUTABLE_HOLDERS`` articles (``steps.immutable_pairs``), kept when
    ``steps.verify_link`` links them."""
    from pyspark.sql import functions as F

    undated_rows = base.where(F.col("published").isNull())
    if not undated_rows.limit(1).count():  # a dated archive (CC-NEWS): nothing to pair
        return spark.createDataFrame([], "a string, b string")
    # only the keys an undated article holds are counted over the whole archive
    keys = undated_rows.select(F.explode(F.array_distinct("immutables")).alias("key")).distinct()
    held = base.select(
        "okey",
        F.col("published").isNull().alias("undated"),
        F.explode(F.array_distinct("immutables")).alias("key"),
    ).join(keys, "key", "left_semi")
    small = held.groupBy("key").count().where(F.col("count") <= MAX_IMMUTABLE_HOLDERS)
    held = held.join(small.select("key"), "key")
    undated = held.where(F.col("undated")).select(F.col("okey").alias("u"), "key")
    pairs = (
        undated.join(held.select(F.col("okey").alias("o"), "key"), "key")
        .where(F.col("u") != F.col("o"))
        .select(F.least("u", "o").alias("a"), F.greatest("u", "o").alias("b"), "key")
        .distinct()
        .groupBy("a", "b")
        .count()
        .where(F.col("count") >= MIN_SHARED_IMMUTABLES)
    )
    blobs = base.select("okey", "blob")
    candidates = pairs.join(
        blobs.select(F.col("okey").alias("a"), F.col("blob").alias("a_blob")), "a"
    ).join(blobs.select(F.col("okey").alias("b"), F.col("blob").alias("b_blob")), "b")
    verified = candidates.select("a", "b", "a_blob", "b_blob").rdd.filter(
        lambda r: verify_link(pickle.loads(r[2]), pickle.loads(r[3]), params)
    )
    return spark.createDataFrame(verified.map(lambda r: (r[0], r[1])), "a string, b string")


def connected_components(spark: Any, edges: Any, driver_edges: int = DRIVER_EDGES) -> Any:
    """Connected components of a DataFrame of (a, b) edges, as a DataFrame of (vertex,
    label): each vertex with the smallest vertex of its component. A graph of at most
    ``driver_edges`` edges is collected and solved on the driver (``steps.components``,
    the local engine's union-find); a larger one by min-label propagation with joins."""
    from pyspark.sql import functions as F

    if edges.count() <= driver_edges:
        labels = components((r[0], r[1]) for r in edges.collect())
        return spark.createDataFrame(sorted(labels.items()), "vertex string, label string")
    pairs = edges.select(F.col("a").cast("string"), F.col("b").cast("string")).localCheckpoint()
    both = pairs.union(pairs.select(F.col("b").alias("a"), F.col("a").alias("b")))
    both = both.where(F.col("a") != F.col("b")).distinct().localCheckpoint(eager=False)
    labels = both.groupBy("a").agg(F.min("b").alias("m"))
    labels = labels.select(F.col("a").alias("vertex"), F.least("a", "m").alias("label"))
    for _ in range(MAX_ROUNDS):
        none = F.lit(None).cast("string").alias("old")
        via_edges = both.join(labels, both.a == labels.vertex).select(
            both.b.alias("vertex"), labels.label, none
        )
        mine, theirs = labels.alias("mine"), labels.alias("theirs")
        via_label = mine.join(theirs, F.col("mine.label") == F.col("theirs.vertex")).select(
            F.col("mine.vertex").alias("vertex"), F.col("theirs.label").alias("label"), none
        )
        new = (
            labels.select("vertex", "label", F.col("label").alias("old"))
            .union(via_edges)
            .union(via_label)
            .groupBy("vertex")
            .agg(F.min("label").alias("label"), F.min("old").alias("old"))
            .localCheckpoint(eager=False)
        )
        changed = new.where(F.col("label") != F.col("old")).count()  # also materialises it
        labels = new.select("vertex", "label")
        if changed == 0:
            break
    else:
        log.warning("connected components did not settle in %s rounds", MAX_ROUNDS)
    return labels


def _label_and_write(
    spark: Any,
    base: Any,
    story_of: Any,
    group_of: Any,
    params: BatchParams,
    out: str,
    cached: list[Any],
) -> tuple[int, int, int]:
    """Label every copy group (``label_group``, in Python), give every other article its
    lone relation (a column expression), build the stories table and write the three
    tables. Returns (copy groups, copies, stories)."""
    from pyspark.sql import functions as F

    groups = group_of.select(F.col("vertex").alias("okey"), F.col("label").alias("group"))
    members = base.join(groups, "okey").join(story_of, "id").select("group", "story", "blob")

    def label(kv: Any) -> list[tuple[Any, ...]]:
        labelled = label_group(((pickle.loads(b), story) for story, b in kv[1]), params)
        return [
            (*relation_values(item.relation), item.story, item.grouped_story) for item in labelled
        ]

    labelled = (
        members.rdd.map(lambda r: (r[0], (r[1], r[2])))
        .groupByKey(numPartitions=_partitions(spark))
        .flatMap(label)
    )
    labels = _keep(spark.createDataFrame(labelled, LABELS_SCHEMA), cached)
    joined = (
        base.join(story_of, "id")
        .join(groups, "okey", "left")
        .join(labels.select("id", "final_story", "grouped_story"), "id", "left")
    )
    articles = _keep(
        joined.select(
            "okey",
            *ARTICLE_COLUMNS,
            F.coalesce("final_story", "story").alias("story"),
            # a member that shares no text in its group is in no copy group
            F.when(F.col("grouped_story").isNotNull(), _id_of(F.col("group"))).alias("copy_group"),
            F.col("final_story").isNull().alias("lone"),
        ),
        cached,
    )
    # Articles sharing no text: those outside copy groups get their lone relation here
    # (``steps.lone_relation``: independent, syndicated when they sign agency copy, spun when
    # an aggregator's); group
    # members without a link of their own got theirs from ``label_group``.
    # A plain Python UDF: Spark 4 tries Arrow for it by default, which needs pandas.
    lone_of = F.udf(_lone_values, "relation string, evidence array<string>", useArrow=False)
    outside = (
        articles.where("lone")
        .select("id", lone_of("id", "source", "text", "source_kind").alias("lone"))
        .select(
            "id",
            F.col("lone.relation").alias("relation"),
            F.lit(None).cast("string").alias("origin_id"),
            F.lit(0.0).alias("score"),
            F.col("lone.evidence").alias("evidence"),
            F.array().cast("array<array<string>>").alias("substitutions"),
            F.array().cast("array<array<string>>").alias("aligned"),
            F.lit(None).cast("string").alias("via_id"),
        )
    )
    inside = labels.where(F.col("grouped_story").isNull()).drop("grouped_story", "final_story")
    lone = outside.unionByName(inside)
    labels = labels.where(F.col("grouped_story").isNotNull()).drop("grouped_story")
    relations = _keep(lone.unionByName(labels.drop("final_story")), cached)
    slim = articles.join(relations.select("id", "relation"), "id").select(
        "story",
        "okey",
        "title",
        "relation",
        "source",
        "section",
        F.unix_micros("published").alias("published"),
    )
    by_story = slim.rdd.map(lambda r: (r[0], StoryMember(r[1], r[2], r[3], r[4], r[5], _at(r[6]))))
    stories = spark.createDataFrame(
        by_story.groupByKey(numPartitions=_partitions(spark)).map(
            lambda kv: story_values(story_row(kv[0], kv[1]))
        ),
        STORIES_SCHEMA,
    )
    stories = _keep(stories, cached)
    write_frames(out, articles.select(*columns(ARTICLES_SCHEMA)), relations, stories)
    copies = relations.where(F.col("origin_id").isNotNull()).count()
    groups_found = articles.where(F.col("copy_group").isNotNull()).select("copy_group")
    return groups_found.distinct().count(), copies, stories.count()


def _lone_values(
    article_id: str, source: str, text: str, source_kind: str | None
) -> tuple[str, list[str]]:
    """``steps.lone_relation`` as a Spark UDF's (relation, evidence)."""
    row = lone_relation(article_id, source or "", text or "", source_kind or "outlet")
    return row.relation, list(row.evidence)


def _at(micros: int | None) -> datetime | None:
    return None if micros is None else EPOCH + timedelta(microseconds=micros)


def _partitions(spark: Any) -> int:
    """Shuffle partitions for a groupByKey: Spark SQL's setting (2× the cores by default)."""
    conf = spark.conf.get("spark.sql.shuffle.partitions")
    return int(conf) if conf else max(2, spark.sparkContext.defaultParallelism)


def write_frames(out: str, articles: Any, relations: Any, stories: Any) -> None:
    base = out.rstrip("/")
    articles.orderBy("id").write.mode("overwrite").parquet(f"{base}/articles")
    relations.orderBy("id").write.mode("overwrite").parquet(f"{base}/relations")
    stories.orderBy("story").write.mode("overwrite").parquet(f"{base}/stories")
