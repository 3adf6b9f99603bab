"""``byline batch``: the pipeline over whole news archives (WARC or article JSONL), on one
process (``local``) or on Apache Spark (``spark``).

Both engines run the same pure functions in the same order; Spark only changes how records
are partitioned and where the global steps run::

    read + extract + fingerprint   per record (map)                      stages.read_input
    keep one record per URL        the earliest fetch                     steps.earlier
    undated articles placed        asked of the blocks holding most of    steps.candidate_blocks,
                                   their keys; the best match's date      steps.place_block
    stories                        clustered per time block, stitched     steps.cluster_group,
                                   across block edges                     steps.stitch_link
    copies                         MinHash LSH bands → candidate pairs    steps.band_pairs
                                   → aligned (align, COPY_COVERAGE)       steps.verify_pair
                                   undated articles: 3+ shared names      steps.immutable_pairs
                                   → linked as provenance links           steps.verify_link
                                   → connected components with each      steps.components,
                                   story's articles (judging groups)      steps.story_edges
                                   → labelled by provenance.judge         steps.label_group
    output                         Parquet: articles, relations, stories  rows.*_SCHEMA

``local.py`` is the one-process engine, ``spark.py`` the PySpark one (imported only when
asked for, so the default install works without pyspark); ``cli.py`` is the command.
"""
