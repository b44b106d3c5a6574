"""Translate the independent generator's files to the detector's input, changing no value.

accounts.csv (account_id, division_code, contract_kva, registered_furnace_kw, closed_on) becomes
account_id, contracted_kva, registered_furnace_kw, site_status (closed when closed_on is before the first
reading, else active); labels.csv (account_id, illegal, kind) becomes account_id, label, kind.
Usage: python bench/independent_adapt.py DIR READINGS
"""

import sys
from pathlib import Path

import polars as pl

d, readings = Path(sys.argv[1]), Path(sys.argv[2])
first = pl.scan_parquet(readings).select(pl.col("ts").min()).collect().item()
first_date = first if not hasattr(first, "date") else first.date()
acc = pl.read_csv(d / "accounts.csv", schema_overrides={"account_id": pl.String, "closed_on": pl.String})
closed = pl.col("closed_on").str.to_date(strict=False)
acc.select(
    "account_id",
    pl.col("contract_kva").alias("contracted_kva"),
    "registered_furnace_kw",
    pl.when(closed.is_not_null() & (closed < pl.lit(first_date)))
    .then(pl.lit("closed"))
    .otherwise(pl.lit("active"))
    .alias("site_status"),
).write_csv(d / "accounts_sw.csv")
pl.read_csv(d / "labels.csv", schema_overrides={"account_id": pl.String}).rename(
    {"illegal": "label"}
).write_csv(d / "labels_sw.csv")
