"""Spark engine: the same `pipeline.score_chunk`, run per bucket of accounts with applyInPandas.

`local[*]` by default, or a cluster by master URL. Workers must run the project's interpreter (and see
this package): PYSPARK_PYTHON / PYSPARK_DRIVER_PYTHON are set to sys.executable before the session starts.
"""

from __future__ import annotations

import os
import sys

import polars as pl

from analytics import pipeline

BUCKET_ROWS = 500_000  # readings per applyInPandas group


def session(master: str | None = None):
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(master or "local[*]")
        .appName("steelwatch-detect")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(max(2, os.cpu_count() or 2)))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.executorEnv.PYTHONPATH", os.environ["PYTHONPATH"])
        .getOrCreate()
    )


def score_frame(frame: pl.DataFrame, accounts: pl.DataFrame | None, *, daily: bool = False,
                progress=None, spark_master: str | None = None) -> pl.DataFrame:  # fmt: skip
    from pyspark.sql import functions as F

    if frame.height == 0:
        return pipeline.empty_scores()
    spark = session(spark_master)
    buckets = max(1, frame.height // BUCKET_ROWS)
    readings = spark.createDataFrame(
        frame.with_row_index("seq").cast({"seq": pl.Int64}).to_arrow()
    )  # seq: arrival order
    readings = readings.withColumn("bucket", F.abs(F.hash("account_id")) % buckets)
    schema = ", ".join(f"{name} {spark_type(dtype)}" for name, dtype in pipeline.OUTPUT_SCHEMA.items())

    def score_group(group):
        prepared = (
            pl.from_pandas(
                group[[c for c in ("account_id", "seq", "ts_us", "kw", "interval_min") if c in group]]
            )
            .sort("account_id", "seq")
            .drop("seq")
        )
        scored = [pipeline.score_chunk(c, accounts) for c in pipeline.chunks_from_frame(prepared, daily)]
        return (pl.concat(scored) if scored else pipeline.empty_scores()).to_pandas()

    result = pl.from_arrow(readings.groupBy("bucket").applyInPandas(score_group, schema).toArrow())
    if progress:
        progress(frame.height, frame.height)
    return result.cast(pipeline.OUTPUT_SCHEMA)


def spark_type(dtype: pl.DataType) -> str:
    return {pl.String: "string", pl.Float64: "double", pl.Int64: "bigint"}[dtype]
