"""One group of accounts from readings to scores — the single function every engine runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl

from analytics import clean, features, reasons, scoring
from analytics.clean import DAY_US, QUALITY_COLUMNS, SLOTS_PER_DAY

# Accounts × intervals per chunk: ~2 MB of float32 per matrix, so the feature code's dozens of matrix-sized
# temporaries stay in cache (~170 accounts × 30 days; measured best between ~125 and ~250 accounts).
SLOTS_PER_CHUNK = 500_000

FEATURE_COLUMNS = (
    "days", "coverage", "mean_kw", "base_kw", "peak_kw", "night_share", "max_day_kwh",
    "melt_cycles_max", "melt_sessions", "melt_night_sessions", "melt_period_min", "melt_power_kw",
    "melt_cycle_kwh", "change_score", "change_day", "change_before_kwh", "change_after_kwh",
    "standby_days", "standby_excess_kwh", "interval_min", "sustained_kw", "sustained_beyond_days", "tonnes", "log_odds", *features.COARSE_COLUMNS,
    *(f"ev_{name}" for name in scoring.EVIDENCE),
)  # fmt: skip
SCORE_COLUMNS = ("account_id", "score", "level", "reasons")
OUTPUT_SCHEMA = {
    "account_id": pl.String, "score": pl.Float64, "level": pl.String, "reasons": pl.String,
    **dict.fromkeys(FEATURE_COLUMNS, pl.Float64), **dict.fromkeys(QUALITY_COLUMNS, pl.Int64),
}  # fmt: skip
ACCOUNT_COLUMNS = {
    "contracted_kva": pl.Float64,
    "registered_furnace_kw": pl.Float64,
    "site_status": pl.String,
    "industry": pl.String,
}


@dataclass
class Chunk:
    """Readings of whole accounts: codes index `account_ids`; ts_us is naive local time in µs."""

    account_ids: np.ndarray
    codes: np.ndarray
    ts_us: np.ndarray
    kw: np.ndarray  # mean kW over each reading's interval
    interval_min: int = 15  # 15, or coarse: 30, 60, 1440 (daily; ts_us the day's midnight)

    @property
    def daily(self) -> bool:
        return self.interval_min >= clean.DAILY_MIN

    @property
    def rows(self) -> int:
        return len(self.codes)


def normalise_accounts(accounts: pl.DataFrame | None) -> pl.DataFrame | None:
    if accounts is None:
        return None
    clean.require_columns(accounts, ("account_id",), "户档案")
    cols = [pl.col("account_id").cast(pl.String).str.strip_chars()]
    for name, dtype in ACCOUNT_COLUMNS.items():
        value = pl.col(name).cast(dtype, strict=False) if name in accounts.columns else pl.lit(None, dtype)
        cols.append(value.alias(name))
    return (
        accounts.select(cols)
        .with_columns(pl.col("site_status").str.strip_chars().str.to_lowercase())
        .unique("account_id", keep="last", maintain_order=True)
    )


def registry_for(account_ids: np.ndarray, accounts: pl.DataFrame | None) -> scoring.Registry:
    frame = pl.DataFrame({"account_id": account_ids}, schema={"account_id": pl.String})
    if accounts is not None:
        frame = frame.join(accounts, on="account_id", how="left", maintain_order="left")

    def col(name, fill):
        return (
            frame[name].fill_null(fill).to_numpy() if name in frame.columns else np.full(frame.height, fill)
        )

    return scoring.Registry(
        contracted_kva=col("contracted_kva", np.nan).astype(np.float64),
        registered_kw=np.nan_to_num(col("registered_furnace_kw", 0.0).astype(np.float64)),
        status=col("site_status", "").astype(str),
        industry=col("industry", "").astype(str),
    )


def score_chunk(chunk: Chunk, accounts: pl.DataFrame | None) -> pl.DataFrame:
    n = len(chunk.account_ids)
    registry = registry_for(chunk.account_ids, accounts)
    limit = clean.absurd_limit_kw(np.nan_to_num(registry.contracted_kva))
    matrix = chunk_matrix(chunk, limit)
    if chunk.daily:
        day_kwh = matrix.kw[:, ::SLOTS_PER_DAY] * 24
        feats, details = features.daily_features(day_kwh, registry.standby_kw, registry.dormant)
    else:
        feats, details = features.features(matrix.kw, registry.standby_kw, registry.dormant)
    zero = np.zeros(n)
    # extra blocks on hourly means, from any sub-daily data (finer data never knows less than hourly)
    extra = {} if chunk.daily else features.coarse_features(matrix.kw, details.get("dips"))
    for name in features.COARSE_COLUMNS:
        feats[name] = extra.get(name, zero)
    for name in ("extra_day_kw", "extra_day_night", "extra_day_dips"):
        if name in extra:
            feats[name] = extra[name]
    feats["interval_min"] = np.full(n, float(chunk.interval_min))
    scores, levels = scoring.score(feats, registry)
    day0 = dt.date(1970, 1, 1) + dt.timedelta(days=matrix.day0_us // DAY_US)
    texts = reasons.reasons(feats, details, registry, levels, day0, scores)
    columns = {
        "account_id": chunk.account_ids,
        "score": scores,
        "level": levels,
        "reasons": texts,
        **{name: np.round(feats[name], 3) for name in FEATURE_COLUMNS},
        **matrix.quality,
    }
    return pl.DataFrame(columns, schema=OUTPUT_SCHEMA)


def empty_scores() -> pl.DataFrame:
    return pl.DataFrame(schema=OUTPUT_SCHEMA)


def prepare(frame: pl.DataFrame, daily: bool = False) -> tuple[pl.DataFrame, int, int]:
    """Normalise a readings (or daily) frame to (account_id, ts_us, kw, interval_min) sorted by account,
    keeping arrival order within an account (so the last duplicate wins); each account's interval is
    detected and sub-15-minute readings averaged (`clean.regularise`). Returns also the rows dropped and
    the rows averaged."""
    if daily or ("date" in frame.columns and "ts" not in frame.columns):
        clean.require_columns(frame, clean.DAILY_COLUMNS, "日电量")
        frame = frame.rename({"date": "ts"})
    source = "日电量" if daily else "读数"
    good, bad = clean.normalise_readings(frame, source)
    regular = clean.regularise(good, source)
    good = regular.frame.select(
        "account_id", pl.col("ts").dt.epoch("us").alias("ts_us"), "kw", "interval_min"
    )
    return good.sort("account_id", maintain_order=True), bad, regular.averaged_rows


def chunks_from_frame(frame: pl.DataFrame, daily: bool = False) -> Iterator[Chunk]:
    """Split a prepared frame into chunks of whole accounts of one interval, sized for the dense matrix."""
    if frame.height == 0:
        return
    if "interval_min" not in frame.columns:
        frame = frame.with_columns(interval_min=pl.lit(clean.DAILY_MIN if daily else 15, pl.Int32))
    for (interval,), part in frame.partition_by("interval_min", as_dict=True, maintain_order=True).items():
        yield from _chunks(part, int(interval))


def _chunks(frame: pl.DataFrame, interval: int) -> Iterator[Chunk]:
    codes = frame.select(pl.col("account_id").rle_id()).to_series().to_numpy()
    starts = np.flatnonzero(np.diff(codes, prepend=-1))
    ids = frame["account_id"].gather(starts).to_numpy()
    ts = frame["ts_us"].to_numpy()
    days = (ts.max() - ts.min()) // DAY_US + 1
    per_chunk = max(1, SLOTS_PER_CHUNK // int(days * SLOTS_PER_DAY))
    kw = frame["kw"].to_numpy().astype(np.float32)
    bounds = list(starts[::per_chunk]) + [frame.height]
    for k, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        first = k * per_chunk
        yield Chunk(ids[first : first + per_chunk], codes[lo:hi] - codes[lo], ts[lo:hi], kw[lo:hi], interval)


def chunk_matrix(chunk: Chunk, limit_kw: np.ndarray) -> clean.Matrix:
    """The chunk on the 15-minute matrix; a coarse reading (30 min, an hour, a day) fills its own slots
    with its mean kW, so energy is exact and nothing is read finer than it was measured."""
    matrix = clean.to_matrix(chunk.codes, chunk.ts_us, chunk.kw, len(chunk.account_ids), limit_kw)
    if chunk.interval_min > 15:
        clean.spread(matrix, chunk.interval_min // 15)
    return matrix
