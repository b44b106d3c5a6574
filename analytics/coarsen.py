"""`steelwatch coarsen`: 15-minute readings brought to what a power company often hands over instead —
30-minute or hourly mean kW, or daily kWh — so that every resolution can be evaluated on the same loads."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

from analytics import io
from analytics.clean import InputError, normalise_readings

INTERVALS = (30, 60, 1440)


def coarsen(readings: pl.DataFrame, minutes: int) -> pl.DataFrame:
    """Mean kW per `minutes` (30, 60) of the readings that arrived (duplicates: the last), or for 1440 the
    day's energy as (account_id, date, kwh) with missing intervals counted at the day's mean (a meter
    system's daily total). Intervals without a reading are left out, as a real export leaves them out."""
    frame, _ = normalise_readings(readings)
    frame = frame.unique(["account_id", "ts"], keep="last", maintain_order=True).filter(
        pl.col("kw").is_not_null()
    )
    # meter glitches (a reading above 10 × the account's 99.5th percentile, which the 15-minute cleaner drops
    # against the contract) are not averaged into the coarser value
    frame = frame.with_columns(pl.col("kw").clip(0)).filter(
        pl.col("kw") <= 10 * pl.col("kw").quantile(0.995).over("account_id") + 1
    )
    if minutes >= 1440:
        return (
            frame.group_by("account_id", date=pl.col("ts").dt.date())
            .agg(kwh=pl.col("kw").mean() * 24)
            .sort("account_id", "date")
        )
    return (
        frame.group_by("account_id", pl.col("ts").dt.truncate(f"{minutes}m"))
        .agg(pl.col("kw").mean())
        .sort("account_id", "ts")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="steelwatch coarsen", description="把 15 分钟读数汇总为 30/60 分钟或日电量"
    )
    parser.add_argument("--readings", required=True, type=Path)
    parser.add_argument(
        "--interval", required=True, type=int, choices=INTERVALS, help="分钟：30、60 或 1440（日电量）"
    )
    parser.add_argument("--out", required=True, type=Path, help="输出 .parquet 或 .csv")
    args = parser.parse_args(argv)
    try:
        out = coarsen(io.read_readings(args.readings), args.interval)
    except InputError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    out.write_parquet(args.out) if args.out.suffix in (".parquet", ".pq") else out.write_csv(args.out)
    print(f"已写入 {out.height:,} 行（{args.interval} 分钟）→ {args.out}", file=sys.stderr)
    return 0
