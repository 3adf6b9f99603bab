"""The Spark engine: the batch steps (``batch.steps``) on PySpark. Python-heavy steps (extract,
cluster a block, label a copy group) run as RDD tasks over the same pure functions as the
local engine; the relational steps (duplicates, LSH bands, candidate pairs, connected
components) are DataFrame windows and joins. pyspark is imported only here, and only when
this engine is asked for."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from byline.errors import MissingExtra

from .rows import (
    ARTICLES_SCHEMA,
    RELATIONS_SCHEMA,
    STORIES_SCHEMA,
    ArticleRow,
    Skip,
    article_values,
    id_of,
    relation_values,
    story_values,
)
from .stages import MapOptions, finish, raw_records, read_input_bytes
from .steps import (
    NEIGHBOURS,
    BatchParams,
    Labelled,
    StoryMember,
    cluster_group,
    earlier,
    label_group,
    lone_relation,
    stitch_link,
    story_groups,
    story_row,
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


def is_local_path(name: str) -> bool:
    scheme = urlsplit(name).scheme
    return scheme in {"", "file"} or len(scheme) == 1  # a Windows drive letter


# ── the job ───────────────────────────────────────────────────────────────────────────────


def run_spark(
    spark: Any,
    inputs: Sequence[str],
    out: str,
    params: BatchParams,
    options: MapOptions,
    progress: ProgressFn = no_progress,
) -> Summary:
    """Run the batch steps on ``spark`` and write the tables under ``out``."""
    from pyspark import StorageLevel

    summary = Summary(engine=f"spark {spark.sparkContext.master}", inputs=len(inputs))
    keep = StorageLevel.MEMORY_AND_DISK
    with summary.stage("read+extract"):
        rows = _read(spark, inputs, options, summary)
    progress("global", 1, 4)
    with summary.stage("stories"):
        story_of = _stories(spark, rows, params)
    progress("global", 2, 4)
    with summary.stage("copies"):
        group_of = _copy_groups(spark, rows, params).persist(keep)
        summary.copy_groups = group_of.map(lambda kv: kv[1]).distinct().count()
    progress("global", 3, 4)
    with summary.stage("labels+write"):
        labelled = _label(rows, story_of, group_of, params)
        counts = _write(spark, labelled, out)
        summary.copies, summary.stories = counts
    progress("global", 4, 4)
    for rdd in (rows, story_of, group_of, labelled):
        rdd.unpersist()
    return summary


def _read(spark: Any, inputs: Sequence[str], options: MapOptions, summary: Summary) -> Any:
    """The per-record map, one task per input file (its records spread over the cores when
    there are fewer files than cores), then one row per id: the earliest fetch."""
    from pyspark import StorageLevel

    sc = spark.sparkContext
    local = [name for name in inputs if is_local_path(name)]
    remote = [name for name in inputs if not is_local_path(name)]
    parallel = max(1, sc.defaultParallelism)
    parts = []
    if local:
        files = sc.parallelize(list(local), len(local))
        raw = files.flatMap(lambda name: raw_records(_local(name), options, name))
        if len(local) < parallel:
            raw = raw.repartition(parallel)
        parts.append(raw.map(lambda item: finish(item, options)))
    if remote:
        blobs = sc.binaryFiles(",".join(remote))
        parts.append(blobs.flatMap(lambda kv: read_input_bytes(kv[0], kv[1], options)))
    mapped = parts[0] if len(parts) == 1 else sc.union(parts)
    mapped = mapped.persist(StorageLevel.MEMORY_AND_DISK)
    counts = mapped.map(lambda item: item.reason if isinstance(item, Skip) else "").countByValue()
    before = counts.pop("", 0)
    summary.records = before + sum(counts.values())
    summary.skipped.update(counts)
    articles = mapped.filter(lambda item: isinstance(item, ArticleRow))
    rows = articles.map(lambda row: (row.id, row)).reduceByKey(earlier).values()
    rows = rows.persist(StorageLevel.MEMORY_AND_DISK)
    summary.articles = rows.count()
    duplicates = before - summary.articles
    if duplicates:
        summary.skipped[DUPLICATE] += duplicates
    mapped.unpersist()
    return rows


def _local(name: str) -> str:
    return urlsplit(name).path if name.startswith("file:") else name


def _stories(spark: Any, rows: Any, params: BatchParams) -> Any:
    """(article id, story id): block clustering, edges stitched by connected components."""
    from pyspark import StorageLevel

    grouped = rows.flatMap(lambda row: [(g, row) for g in story_groups(row, params)])
    # One partition per block or edge: each is one sequential task, so hashing several into
    # one partition would leave cores idle while it runs.
    keys = sorted(grouped.keys().distinct().collect())
    index = {key: i for i, key in enumerate(keys)}
    parts = max(1, len(keys))
    by_group = grouped.groupByKey(numPartitions=parts, partitionFunc=lambda key: index[key])
    clustered = by_group.flatMap(lambda kv: cluster_group(kv[0], kv[1], params))
    clustered = clustered.persist(StorageLevel.MEMORY_AND_DISK)
    nodes = clustered.filter(lambda t: t[0] == "node").map(lambda t: (t[1], t[2]))
    edges = clustered.filter(lambda t: t[0] == "edge").map(lambda t: (t[1], t[2]))
    links = (
        edges.join(nodes)
        .map(lambda kv: (kv[1][0].rsplit("|", 1)[0], (kv[1][0].rsplit("|", 1)[1], kv[1][1])))
        .groupByKey()
        .map(lambda kv: stitch_link(kv[1]))
        .filter(lambda link: link is not None)
    )
    merged = connected_components(spark, links)
    vertex = nodes.map(lambda kv: (kv[1], kv[0]))  # (vertex, article id)
    result = vertex.leftOuterJoin(merged).map(
        lambda kv: (kv[1][0], id_of(kv[1][1] if kv[1][1] is not None else kv[0]))
    )
    result = result.persist(StorageLevel.MEMORY_AND_DISK)
    result.count()  # before the clusters it was computed from are dropped
    clustered.unpersist()
    return result


def _copy_groups(spark: Any, rows: Any, params: BatchParams) -> Any:
    """(order key, group's order key) for articles in copy groups: exact text hashes and LSH
    bands give candidate pairs (DataFrame windows), ``verify_pair`` keeps the copies, and
    connected components make the groups."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    light = spark.createDataFrame(
        rows.map(lambda r: (r.order, r.text_hash, list(r.bands))),
        "okey string, text_hash string, bands array<string>",
    )
    by_hash = Window.partitionBy("text_hash").orderBy("okey")
    light = light.withColumn("first", F.first("okey").over(by_hash))
    exact = light.where(F.col("okey") != F.col("first")).select(
        F.col("okey").alias("copy"), F.col("first").alias("origin")
    )
    bands = light.where(F.col("okey") == F.col("first")).select(
        "okey", F.explode("bands").alias("band")
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
    texts = spark.createDataFrame(rows.map(lambda r: (r.order, r.text)), "okey string, text string")
    candidates = pairs.join(
        texts.select(F.col("okey").alias("copy"), F.col("text").alias("copy_text")), "copy"
    ).join(
        texts.select(F.col("okey").alias("origin"), F.col("text").alias("origin_text")), "origin"
    )
    threshold = params.copy_threshold
    verified = candidates.rdd.filter(
        lambda r: verify_pair(r["copy_text"], r["origin_text"], threshold)
    ).map(lambda r: (r["copy"], r["origin"]))
    return connected_components(spark, verified)


def connected_components(spark: Any, edges: Any) -> Any:
    """Connected components of an RDD of (vertex, vertex) edges by min-label propagation
    with DataFrame joins: each round, a vertex takes the smallest label among its own, its
    neighbours' and its label's label (the last step halves path lengths, so long chains
    settle in a few rounds). Returns an RDD of (vertex, smallest vertex of its component)."""
    from pyspark.sql import functions as F

    pairs = spark.createDataFrame(edges, "a string, b string").localCheckpoint()  # once
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
    return labels.rdd.map(lambda r: (r["vertex"], r["label"]))


def _label(rows: Any, story_of: Any, group_of: Any, params: BatchParams) -> Any:
    """(row, Labelled, copy group id or None) for every article."""
    from pyspark import StorageLevel

    keyed = rows.map(lambda row: (row.id, row)).join(story_of)  # (id, (row, story))
    by_order = keyed.map(lambda kv: (kv[1][0].order, kv[1]))
    annotated = by_order.leftOuterJoin(group_of)  # (okey, ((row, story), group))
    annotated = annotated.persist(StorageLevel.MEMORY_AND_DISK)

    def lone(item: Any) -> tuple[ArticleRow, Labelled, None]:
        (row, story), _ = item[1]
        return row, Labelled(lone_relation(row.id, story), story), None

    def labelled(kv: Any) -> list[tuple[ArticleRow, Labelled, str]]:
        group, members = kv
        members = list(members)
        rows_by_id = {row.id: row for row, _ in members}
        return [
            (rows_by_id[item.relation.id], item, id_of(group))
            for item in label_group(members, params)
        ]

    singles = annotated.filter(lambda kv: kv[1][1] is None).map(lone)
    grouped = (
        annotated.filter(lambda kv: kv[1][1] is not None)
        .map(lambda kv: (kv[1][1], kv[1][0]))
        .groupByKey(numPartitions=_partitions(annotated))
        .flatMap(labelled)
    )
    result = singles.union(grouped).persist(StorageLevel.MEMORY_AND_DISK)
    result.count()  # before the joined rows it was computed from are dropped
    annotated.unpersist()
    return result


def _partitions(rdd: Any) -> int:
    """Shuffle partitions for a groupByKey: Spark SQL's setting (2× the cores by default)."""
    conf = rdd.context.getConf().get("spark.sql.shuffle.partitions")
    return int(conf) if conf else max(2, rdd.context.defaultParallelism)


def _write(spark: Any, labelled: Any, out: str) -> tuple[int, int]:
    """Write the three tables (sorted by key) as Parquet; returns (copies, stories)."""
    articles = spark.createDataFrame(
        labelled.map(lambda t: article_values(t[0], t[1].story, t[2])), ARTICLES_SCHEMA
    )
    relations = spark.createDataFrame(
        labelled.map(lambda t: relation_values(t[1].relation)), RELATIONS_SCHEMA
    )
    members = labelled.map(
        lambda t: (t[1].story, StoryMember.of(t[0], t[1].relation.relation))
    ).groupByKey()
    stories = spark.createDataFrame(
        members.map(lambda kv: story_values(story_row(kv[0], kv[1]))), STORIES_SCHEMA
    ).persist()
    write_frames(out, articles, relations, stories)
    copies = relations.where(relations.origin_id.isNotNull()).count()
    count = stories.count()
    stories.unpersist()
    return copies, count


def write_frames(out: str, articles: Any, relations: Any, stories: Any) -> None:
    base = out.rstrip("/")
    articles.orderBy("id").write.mode("overwrite").parquet(f"{base}/articles")
    relations.orderBy("id").write.mode("overwrite").parquet(f"{base}/relations")
    stories.orderBy("story").write.mode("overwrite").parquet(f"{base}/stories")


def write_tables(spark: Any, out: str, tables: Any) -> None:
    """Write the local engine's tables through Spark's Parquet writer."""
    frames = [
        spark.createDataFrame(rows, schema)
        for rows, schema in (
            (tables.articles, ARTICLES_SCHEMA),
            (tables.relations, RELATIONS_SCHEMA),
            (tables.stories, STORIES_SCHEMA),
        )
    ]
    write_frames(out, *frames)
