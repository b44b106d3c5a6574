"""Transformer-area balance (台区线损): energy that the area's total meter sees and its customers' meters do not.

residual = area total − sum of the area's account readings − expected technical loss, the loss modelled from
the area's own history as a share of its total (the median of residual / total over its intervals: line and
transformer losses of a 台区 are a few per cent and grow with load). What is left is unmetered use; a workshop
tapping the line upstream of the meters shows there as a furnace's load would on its own meter, so the
excess is scored by the same detector (no registry: nothing on the area is registered to melt), and the
reasons give the hours, the energy and the area's known sites.

`steelwatch detect-areas --areas FILE --readings FILE --mapping FILE --out areas.csv`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import polars as pl

import analytics
from analytics import clean, io
from analytics.clean import InputError

MIN_SHARE_OF_ACCOUNTS = 1.0  # an interval counts only when every mapped account has a reading in it
KNOWN_SITES_SHOWN = 8


def _readings(frame: pl.DataFrame, source: str) -> pl.DataFrame:
    good, _ = clean.normalise_readings(frame, source)
    regular = clean.regularise(good, source).frame
    return regular.select("account_id", "ts", "kw")


def residuals(areas: pl.DataFrame, readings: pl.DataFrame, mapping: pl.DataFrame) -> pl.DataFrame:
    """Per area and 15-minute interval: total, metered (sum of its accounts), expected loss, excess (≥ 0);
    intervals where an account's reading is missing are left out (a gap is not a tap)."""
    clean.require_columns(mapping, ("account_id", "area_id"), "台区户表对应关系")
    clean.require_columns(areas, ("area_id", "ts", "kw"), "台区总表读数")
    mapping = mapping.select(
        pl.col("account_id").cast(pl.String).str.strip_chars(),
        pl.col("area_id").cast(pl.String).str.strip_chars(),
    ).unique("account_id", keep="last")
    total = _readings(areas.rename({"area_id": "account_id"}), "台区总表读数").rename(
        {"account_id": "area_id"}
    )
    total = total.unique(["area_id", "ts"], keep="last").filter(pl.col("kw").is_not_null())
    metered = (
        _readings(readings, "户表读数")
        .unique(["account_id", "ts"], keep="last")
        .filter(pl.col("kw").is_not_null())
        .join(mapping, on="account_id")
        .group_by("area_id", "ts")
        .agg(metered=pl.col("kw").clip(0).sum(), accounts=pl.len())
    )
    expected = mapping.group_by("area_id").agg(mapped=pl.len())
    joined = (
        total.join(expected, on="area_id", how="left")
        .join(metered, on=["area_id", "ts"], how="left")
        .with_columns(
            pl.col("metered").fill_null(0.0), pl.col("accounts").fill_null(0), pl.col("mapped").fill_null(0)
        )
        .filter(pl.col("accounts") >= MIN_SHARE_OF_ACCOUNTS * pl.col("mapped"))
        .with_columns(residual=pl.col("kw") - pl.col("metered"))
    )
    loss_rate = joined.group_by("area_id").agg(
        loss_rate=(pl.col("residual") / pl.col("kw").clip(1e-6)).median().clip(0, 0.3)
    )
    return (
        joined.join(loss_rate, on="area_id")
        .with_columns(expected_loss=pl.col("loss_rate") * pl.col("kw"))
        .with_columns(excess=(pl.col("residual") - pl.col("expected_loss")).clip(0))
        .sort("area_id", "ts")
    )


def _hours(frame: pl.DataFrame) -> dict[str, tuple[float, float, str]]:
    """Per area: hours and energy of excess ≥ 200 kW (the smallest steel furnace), and its first such day."""
    big = frame.filter(pl.col("excess") >= 200)
    summary = big.group_by("area_id").agg(
        hours=pl.len() * 0.25, kwh=(pl.col("excess") * 0.25).sum(), first=pl.col("ts").min()
    )
    return {a: (h, k, f"{f:%Y-%m-%d %H:%M}") for a, h, k, f in summary.iter_rows()}


def detect_areas(areas: pl.DataFrame, readings: pl.DataFrame, mapping: pl.DataFrame, *, engine: str = "local",
                 spark_master: str | None = None) -> pl.DataFrame:  # fmt: skip
    """area_id, score, level, reasons (+ excess_hours, excess_kwh, loss_rate)."""
    frame = residuals(areas, readings, mapping)
    if frame.height == 0:
        raise InputError("没有可用的台区读数：台区总表与户表读数没有共同的时段（或户表对应关系为空）")
    excess = frame.select(pl.col("area_id").alias("account_id"), "ts", pl.col("excess").alias("kw"))
    scores = analytics.detect(excess, engine=engine, spark_master=spark_master)
    hours = _hours(frame)
    rates = dict(frame.group_by("area_id").agg(pl.col("loss_rate").first()).iter_rows())
    sites = dict(
        mapping.select(pl.col("area_id").cast(pl.String), pl.col("account_id").cast(pl.String))
        .group_by("area_id")
        .agg(pl.col("account_id").sort())
        .iter_rows()
    )
    out = []
    for row in scores.iter_rows(named=True):
        area = row["account_id"]
        h, kwh, first = hours.get(area, (0.0, 0.0, ""))
        known = sites.get(area, [])
        listed = "、".join(known[:KNOWN_SITES_SHOWN]) + (
            f"等{len(known)}户" if len(known) > KNOWN_SITES_SHOWN else ""
        )
        parts = []
        if row["level"] != "normal" or h:
            parts.append(
                f"台区总表比户表之和（扣除按本台区历史估算的技术线损约{rates.get(area, 0):.1%}）多出的电量中，"
                f"{h:.1f}小时高于200 kW，合计约{kwh:,.0f} kWh（最早{first}）"
            )
            if row["reasons"] and row["reasons"] != "未见异常用电特征":
                parts.append(
                    "差额负荷："
                    + row["reasons"].replace("该户未登记感应炉；", "").replace("；该户未登记感应炉", "")
                )
            parts.append(f"本台区已知用户：{listed or '无'}；差额不在任何户表上，疑为表前接线或台账外用户")
        out.append(
            {
                "area_id": area,
                "score": row["score"],
                "level": row["level"],
                "reasons": "；".join(parts) or "未见异常",
                "excess_hours": h,
                "excess_kwh": round(kwh, 1),
                "loss_rate": round(rates.get(area, 0.0), 4),
            }
        )
    return pl.DataFrame(out).sort("score", descending=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="detect-areas", description="台区线损：总表与户表之差中识别疑似熔炼用电"
    )
    parser.add_argument("--areas", required=True, help="台区总表读数（area_id, ts, kw）")
    parser.add_argument("--readings", required=True, help="户表读数（account_id, ts, kw）")
    parser.add_argument("--mapping", required=True, help="户表与台区对应（account_id, area_id）")
    parser.add_argument("--out", required=True, help="结果 CSV（area_id, score, level, reasons）")
    parser.add_argument("--engine", choices=("local", "spark"), default="local")
    parser.add_argument("--spark-master")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        areas = io.read_readings_like(args.areas, ("area_id",), "台区总表读数")
        readings = io.read_readings(args.readings)
        mapping = io.read_table(args.mapping, ("account_id", "area_id"), "台区户表对应关系")
        result = detect_areas(areas, readings, mapping, engine=args.engine, spark_master=args.spark_master)
    except InputError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    result.select("area_id", "score", "level", "reasons").write_csv(args.out)
    alerts = int((result["level"] == "alert").sum())
    print(
        f"完成：{result.height:,} 个台区，告警 {alerts:,}；用时 {time.monotonic() - started:.1f} 秒；结果已写入 {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
