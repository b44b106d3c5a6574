"""Validation and cleaning of meter readings, reported and never fatal.

Rows are normalised here (types, time zone, nulls); the per-account rules — duplicates, negatives, absurd
values, gaps — are applied while readings are laid onto the dense account × interval matrix
(`to_matrix`), so both engines and every input path share one implementation.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import polars as pl

SLOT_MINUTES = 15
SLOTS_PER_DAY = 96
SLOT_US = SLOT_MINUTES * 60 * 1_000_000
DAY_US = SLOTS_PER_DAY * SLOT_US
LOCAL_TZ = "Asia/Shanghai"

ABSURD_KW = 100_000.0  # 100 MW: no single metered account of this kind draws more
ABSURD_CONTRACT_FACTOR = 20.0  # or 20 × its contracted kVA

READING_COLUMNS = ("account_id", "ts", "kw")
DAILY_COLUMNS = ("account_id", "date", "kwh")
QUALITY_COLUMNS = (
    "q_rows",
    "q_duplicates",
    "q_negatives",
    "q_absurd",
    "q_missing_kw",
    "q_unsorted",
    "q_gaps",
)


class InputError(ValueError):
    """Bad input that the user must fix (missing column, unreadable file); the message is in Chinese."""


@dataclass
class DataQualityReport:
    rows_in: int = 0
    rows_used: int = 0
    bad_rows: int = 0  # null account or unparseable time
    duplicates: int = 0
    negatives_clipped: int = 0
    absurd_nulled: int = 0
    missing_kw: int = 0
    unsorted_rows: int = 0
    gap_intervals: int = 0
    accounts: int = 0
    averaged_rows: int = 0  # 1/5/10-minute readings folded into 15-minute means
    coarse_accounts: int = 0  # accounts with 30-minute or hourly readings, scored at that resolution
    daily_accounts: int = 0  # accounts with daily energy only

    def __add__(self, other: DataQualityReport) -> DataQualityReport:
        return DataQualityReport(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @classmethod
    def from_scores(cls, scores: pl.DataFrame, rows_in: int = 0, bad_rows: int = 0,
                    averaged_rows: int = 0) -> DataQualityReport:  # fmt: skip
        """Sum the per-account quality columns an engine returned."""
        totals = (
            {c: int(scores[c].sum()) for c in QUALITY_COLUMNS}
            if scores.height
            else dict.fromkeys(QUALITY_COLUMNS, 0)
        )
        dropped = totals["q_duplicates"] + totals["q_absurd"] + totals["q_missing_kw"]
        interval = (
            scores["interval_min"] if "interval_min" in scores.columns else pl.Series([], dtype=pl.Float64)
        )
        live = scores["q_rows"] > 0 if scores.height else pl.Series([], dtype=pl.Boolean)
        return cls(
            averaged_rows=averaged_rows,
            coarse_accounts=int((live & interval.is_between(16, DAILY_MIN - 1)).sum())
            if scores.height
            else 0,
            daily_accounts=int((live & (interval >= DAILY_MIN)).sum()) if scores.height else 0,
            rows_in=rows_in or totals["q_rows"] + bad_rows,
            rows_used=totals["q_rows"] - dropped,
            bad_rows=bad_rows,
            duplicates=totals["q_duplicates"],
            negatives_clipped=totals["q_negatives"],
            absurd_nulled=totals["q_absurd"],
            missing_kw=totals["q_missing_kw"],
            unsorted_rows=totals["q_unsorted"],
            gap_intervals=totals["q_gaps"],
            accounts=int((scores["q_rows"] > 0).sum()) if scores.height else 0,
        )

    def summary_zh(self) -> str:
        parts = [f"读入 {self.rows_in:,} 行，采用 {self.rows_used:,} 行，涉及 {self.accounts:,} 户"]
        notes = [
            (self.bad_rows, "户号或时间无法解析，已丢弃"),
            (self.duplicates, "重复读数（同户同时刻），保留最后一条"),
            (self.negatives_clipped, "负功率，已按 0 计"),
            (self.absurd_nulled, f"功率异常（>100 MW 或 >{ABSURD_CONTRACT_FACTOR:g} 倍合同容量），已置空"),
            (self.missing_kw, "功率为空"),
            (self.unsorted_rows, "乱序到达，已重排"),
            (self.gap_intervals, "个时段缺数（按缺失处理，不作零值）"),
            (self.averaged_rows, "行 1–10 分钟读数已合并为 15 分钟平均功率"),
            (self.coarse_accounts, "户为 30 分钟或小时读数，按其原分辨率检测（无法识别单炉熔炼周期）"),
            (self.daily_accounts, "户仅有日电量，按日电量检测"),
        ]
        parts += [f"{n:,} {text}" for n, text in notes if n]
        return "数据质量：" + "；".join(parts) + "。"


def require_columns(df: pl.DataFrame, required: tuple[str, ...], source: str) -> None:
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(
            f"{source} 缺少必需列：{', '.join(missing)}（现有列：{', '.join(df.columns) or '无'}）"
        )


def normalise_readings(df: pl.DataFrame, source: str = "读数") -> tuple[pl.DataFrame, int]:
    """Types and time zone per the data contract; returns (account_id: str, ts: naive local µs, kw: f64)
    and the number of rows dropped for a null account or an unparseable time.

    Times: ISO 8601 with or without an offset (`Z`, `+08:00`, `+0800`, `+08`; aware times are converted to
    Asia/Shanghai), `YYYY/MM/DD HH:MM`, 年月日 (`2026年11月01日 00:15`), epoch seconds or milliseconds (as
    numbers or digit strings, UTC). A frame with `kwh` instead of `kw` gives energy per interval, turned into
    mean kW once the interval is known (`regularise`)."""
    if "kw" not in df.columns and "kwh" in df.columns:
        df = df.rename({"kwh": "kw"}).with_columns(_energy=pl.lit(True))
    require_columns(df, READING_COLUMNS, source)
    ts = pl.col("ts")
    dtype = df.schema["ts"]
    if dtype == pl.String:
        ts = parse_datetime(ts)
    elif isinstance(dtype, pl.Datetime) and dtype.time_zone:
        ts = ts.dt.convert_time_zone(LOCAL_TZ).dt.replace_time_zone(None)
    elif dtype == pl.Date:
        ts = ts.cast(pl.Datetime("us"))
    elif dtype.is_numeric():
        ts = epoch_datetime(ts.cast(pl.Float64))
    elif not isinstance(dtype, pl.Datetime):
        raise InputError(f"{source} 的 ts 列类型 {dtype} 无法识别为时间")
    try:
        out = df.select(
            pl.col("account_id").cast(pl.String).str.strip_chars(),
            ts.cast(pl.Datetime("us")).alias("ts"),
            pl.col("kw").cast(pl.Float64, strict=False),
            *(["_energy"] if "_energy" in df.columns else []),
        )
    except pl.exceptions.PolarsError as exc:
        raise InputError(f"{source} 的列无法转换：{_first_line(exc)}") from exc
    good = out.filter(
        pl.col("account_id").is_not_null() & (pl.col("account_id") != "") & pl.col("ts").is_not_null()
    )
    return good, out.height - good.height


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


EPOCH_MS_FROM = 1e11  # a number above this is milliseconds (1e11 s would be the year 5138)
EPOCH_US_FROM = 1e14


def epoch_datetime(seconds: pl.Expr) -> pl.Expr:
    """Epoch seconds (or milliseconds, or microseconds, told apart by size), UTC → naive local time."""
    us = (
        pl.when(seconds.abs() >= EPOCH_US_FROM)
        .then(seconds)
        .when(seconds.abs() >= EPOCH_MS_FROM)
        .then(seconds * 1e3)
        .otherwise(seconds * 1e6)
    )
    return (
        us.round(0)
        .cast(pl.Int64)
        .cast(pl.Datetime("us", "UTC"))
        .dt.convert_time_zone(LOCAL_TZ)
        .dt.replace_time_zone(None)
    )


NAIVE_FORMATS = ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y-%m-%d")
AWARE_FORMATS = ("%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%d %H:%M%z")


def parse_datetime(expr: pl.Expr) -> pl.Expr:
    """Text times → naive local time (see `normalise_readings` for the forms read); null if unreadable."""
    text = (
        expr.str.strip_chars()
        # 2026年11月01日 / 2026/11/01 / 2026.11.01 → 2026-11-01
        .str.replace(r"^(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})(?:\s*日)?", "$1-$2-$3")
        .str.replace(r"^(\d{4}-\d{1,2}-\d{1,2})(?:T|\s+)", "$1 ")
        .str.replace(r"\s*(Z|UTC)$", "+00:00")
        .str.replace(r"(:\d{2}(?:\.\d+)?)\s*([+-]\d{2})$", "$1$2:00")  # +08 → +08:00
    )
    aware = [text.str.to_datetime(f, strict=False, time_zone="UTC") for f in AWARE_FORMATS]
    epoch = pl.when(text.str.contains(r"^\d{9,16}(\.\d+)?$")).then(text.cast(pl.Float64, strict=False))
    return pl.coalesce(
        *(text.str.to_datetime(f, strict=False) for f in NAIVE_FORMATS),
        pl.coalesce(*aware).dt.convert_time_zone(LOCAL_TZ).dt.replace_time_zone(None),
        epoch_datetime(epoch),
    )


def absurd_limit_kw(contracted_kva: np.ndarray) -> np.ndarray:
    limit = np.where(contracted_kva > 0, contracted_kva * ABSURD_CONTRACT_FACTOR, ABSURD_KW)
    return np.minimum(limit, ABSURD_KW).astype(np.float32)


@dataclass
class Matrix:
    """Dense readings of one group of accounts: kw[account, slot], NaN where nothing valid arrived."""

    kw: np.ndarray  # float32 (n_accounts, n_days * 96)
    day0_us: int  # local midnight of slot 0, µs since epoch (naive local time)
    quality: dict[str, np.ndarray]  # per-account counts, keys QUALITY_COLUMNS

    @property
    def n_days(self) -> int:
        return self.kw.shape[1] // SLOTS_PER_DAY


def to_matrix(
    codes: np.ndarray, ts_us: np.ndarray, kw: np.ndarray, n_accounts: int, limit_kw: np.ndarray
) -> Matrix:
    """Lay readings onto slots by index arithmetic. Duplicates keep the last row, negatives become 0,
    values above `limit_kw` (per account) are dropped; every fix is counted per account."""
    n_rows = len(ts_us)

    def count(mask: np.ndarray) -> np.ndarray:
        return (
            np.bincount(codes[mask], minlength=n_accounts) if mask.any() else np.zeros(n_accounts, np.int64)
        )

    if n_rows == 0:
        zeros = np.zeros(n_accounts, np.int64)
        return Matrix(
            np.full((n_accounts, SLOTS_PER_DAY), np.nan, np.float32), 0, dict.fromkeys(QUALITY_COLUMNS, zeros)
        )
    kw = np.asarray(kw, dtype=np.float32)
    grid = _regular_grid(codes, ts_us, n_accounts)
    if grid is not None:
        return _grid_matrix(kw.reshape(n_accounts, -1), limit_kw, grid)
    day0 = int(ts_us.min()) // DAY_US * DAY_US
    slot = (ts_us - day0) // SLOT_US
    n_slots = (int(slot.max()) // SLOTS_PER_DAY + 1) * SLOTS_PER_DAY
    cell = codes.astype(np.int64) * n_slots + slot
    missing = np.isnan(kw)
    negative = kw < 0
    absurd = kw > limit_kw[codes]
    keep = ~(missing | absurd)
    unsorted = np.zeros(n_rows, bool)
    unsorted[1:] = cell[1:] < cell[:-1]
    matrix = np.full(n_accounts * n_slots, np.nan, np.float32)
    matrix[cell[keep]] = np.maximum(kw[keep], 0)
    matrix = matrix.reshape(n_accounts, n_slots)
    filled = np.count_nonzero(~np.isnan(matrix), axis=1)
    kept = np.bincount(codes, minlength=n_accounts) - count(~keep)
    quality = {
        "q_rows": np.bincount(codes, minlength=n_accounts),
        "q_duplicates": kept - filled,
        "q_negatives": count(negative),
        "q_absurd": count(absurd),
        "q_missing_kw": count(missing),
        "q_unsorted": count(unsorted),
        "q_gaps": span_gaps(matrix, filled),
    }
    return Matrix(matrix, day0, quality)


def _regular_grid(codes: np.ndarray, ts_us: np.ndarray, n_accounts: int) -> tuple[int, int, int] | None:
    """The common case — accounts in order, each with the same run of consecutive intervals, once — in
    which the matrix is the readings themselves (NaN-padded to whole days): returns (first local
    midnight, slot of the first reading, matrix width), else None."""
    rows = len(ts_us)
    if n_accounts == 0 or rows % n_accounts:
        return None
    first_us = int(ts_us[0])
    if first_us % SLOT_US:
        return None
    per = rows // n_accounts
    from analytics import kernels  # numba, imported on first use

    # rows k·per … (k+1)·per − 1 are account k's, at first_us, first_us + 15 min, … (one compiled pass)
    if not kernels.is_grid(codes, ts_us, per, first_us, SLOT_US):
        return None
    day0 = first_us // DAY_US * DAY_US
    offset = (first_us - day0) // SLOT_US
    return day0, offset, (offset + per - 1) // SLOTS_PER_DAY * SLOTS_PER_DAY + SLOTS_PER_DAY


def _grid_matrix(kw: np.ndarray, limit_kw: np.ndarray, grid: tuple[int, int, int]) -> Matrix:
    """`to_matrix` on a regular grid (no duplicates, no disorder, no cell twice): the same cleaning by
    whole-row operations instead of a scatter."""
    from analytics import kernels  # numba, imported on first use

    day0, offset, n_slots = grid
    n, per = kw.shape
    if offset == 0 and per == n_slots:
        matrix = np.empty((n, n_slots), np.float32)
        body = matrix
    else:
        matrix = np.full((n, n_slots), np.nan, np.float32)
        body = matrix[:, offset : offset + per]
    # body = np.maximum(kw, 0) (NaN stays NaN), readings above the limit NaN; counts per account
    missing, absurd, negatives = kernels.grid_clean(kw, limit_kw, body)
    zeros = np.zeros(n, np.int64)
    dropped = missing + absurd
    quality = {
        "q_rows": np.full(n, per, np.int64),
        "q_duplicates": zeros,
        "q_negatives": negatives,
        "q_absurd": absurd,
        "q_missing_kw": missing,
        "q_unsorted": zeros,
        "q_gaps": span_gaps(body, per - dropped) if dropped.any() else zeros,
    }
    return Matrix(matrix, day0, quality)


def spread(matrix: Matrix, slots: int) -> None:
    """Coarse readings (one per `slots` 15-minute slots, at the block's start or anywhere in it) fill
    their whole block; gaps are then counted at the reading's own resolution."""
    n = matrix.kw.shape[0]
    blocks = matrix.kw.reshape(n, -1, slots)
    with np.errstate(all="ignore"):
        value = np.fmax.reduce(blocks, axis=2)
    blocks[:] = value[:, :, None]
    filled = np.count_nonzero(~np.isnan(value), axis=1)
    matrix.quality["q_gaps"] = span_gaps(value, filled)


def span_gaps(matrix: np.ndarray, filled: np.ndarray) -> np.ndarray:
    """Missing intervals between each account's first and last reading."""
    present = ~np.isnan(matrix)
    first = present.argmax(axis=1)
    last = matrix.shape[1] - 1 - present[:, ::-1].argmax(axis=1)
    return np.where(filled > 0, last - first + 1 - filled, 0)


# --- intervals: detected per account, aggregated without loss -------------------------------------------

INTERVALS_MIN = (1, 5, 10, 15, 30, 60, 1440)  # what meter data systems deliver
COARSE_MIN = (30, 60)  # kept at their own resolution (each reading spread over its 15-minute slots)
DAILY_MIN = 1440
COUNTER_MIN_READINGS = 12  # a run this long that only rises is a register, not a load
COUNTER_RISING_SHARE = 0.5


def snap_interval(minutes: pl.Expr) -> pl.Expr:
    """The nearest of INTERVALS_MIN on a log scale (a gap-free median step is exact; this absorbs jitter)."""
    logs = [np.log(i) for i in INTERVALS_MIN]
    cuts = [float(np.exp((a + b) / 2)) for a, b in zip(logs[:-1], logs[1:], strict=True)]
    out = pl.when(minutes < cuts[0]).then(pl.lit(INTERVALS_MIN[0]))
    for cut, value in zip(cuts[1:], INTERVALS_MIN[1:-1], strict=True):
        out = out.when(minutes < cut).then(pl.lit(value))
    return out.otherwise(pl.lit(INTERVALS_MIN[-1])).cast(pl.Int32)


def account_intervals(frame: pl.DataFrame) -> pl.DataFrame:
    """account_id, interval_min: each account's most common step between consecutive distinct times
    (gaps and duplicates do not move it); an account with a single reading is 15-minute, or daily if
    that reading is at midnight and the frame's other accounts are daily."""
    steps = (
        frame.lazy()
        .select("account_id", "ts")
        .unique()
        .sort("account_id", "ts")
        .with_columns(step=pl.col("ts").diff().over("account_id").dt.total_seconds() / 60)
        .filter(pl.col("step") > 0)
        .with_columns(interval_min=snap_interval(pl.col("step")))
        .group_by("account_id", "interval_min")
        .len()
        .sort("account_id", "len", "interval_min", descending=[False, True, False])
        .group_by("account_id", maintain_order=True)
        .first()
        .select("account_id", "interval_min")
        .collect()
    )
    alone = frame.select("account_id").unique().join(steps, on="account_id", how="anti")
    if alone.height:
        daily = steps.height > 0 and (steps["interval_min"] == DAILY_MIN).all()
        midnight = frame.group_by("account_id").agg(
            (pl.col("ts").dt.time() == pl.time(0)).all().alias("midnight")
        )
        alone = alone.join(midnight, on="account_id").select(
            "account_id",
            interval_min=pl.when(pl.col("midnight") & pl.lit(daily))
            .then(DAILY_MIN)
            .otherwise(15)
            .cast(pl.Int32),
        )
        steps = pl.concat([steps, alone])
    return steps


def refuse_counters(frame: pl.DataFrame, source: str = "读数") -> None:
    """A `kw` column that only ever rises is a cumulative energy register (电能表示数), not a load: refuse
    it, naming the accounts, rather than score a ramp."""
    ordered = (
        frame.lazy()
        .filter(pl.col("kw").is_not_null())
        .sort("account_id", "ts", maintain_order=True)
        .with_columns(delta=pl.col("kw").diff().over("account_id"))
        .group_by("account_id")
        .agg(
            n=pl.len(),
            falls=(pl.col("delta") < 0).sum(),
            rises=(pl.col("delta") > 0).sum(),
        )
        .filter(
            (pl.col("n") >= COUNTER_MIN_READINGS)
            & (pl.col("falls") == 0)
            & (pl.col("rises") >= COUNTER_RISING_SHARE * (pl.col("n") - 1))
        )
        .sort("account_id")
        .collect()
    )
    if ordered.height:
        shown = "、".join(ordered["account_id"].head(5).to_list()) + ("等" if ordered.height > 5 else "")
        raise InputError(
            f"{source} 中 {ordered.height} 户（{shown}）的 kw 列数值只增不减，像是累计电量（电能表示数），"
            "不是功率：请提供每个时段的平均功率 kw（或每个时段的用电量 kwh 列），而不是表码读数"
        )


@dataclass
class Regular:
    """Readings at a known interval per account: account_id, ts, kw (mean kW over the interval),
    interval_min; sub-15-minute readings already averaged to 15 minutes."""

    frame: pl.DataFrame
    averaged_rows: int = 0  # sub-15-minute readings folded into 15-minute means


def regularise(frame: pl.DataFrame, source: str = "读数") -> Regular:
    """Detect each account's interval and bring its readings to the detector's resolution without loss:
    1/5/10-minute kW averaged per 15 minutes; 15-minute as they are; 30-minute, hourly and daily kept at
    their own resolution (an hourly reading is the mean kW of its hour, spread over its four slots later).
    Energy per interval (`kwh`, see `normalise_readings`) becomes mean kW. Counters are refused."""
    energy = "_energy" in frame.columns
    frame = frame.drop("_energy") if energy else frame
    if frame.height == 0:
        return Regular(frame.with_columns(interval_min=pl.lit(15, pl.Int32)))
    intervals = account_intervals(frame)
    frame = frame.join(intervals, on="account_id", how="left", maintain_order="left")
    if energy:  # kWh per interval → mean kW
        frame = frame.with_columns(pl.col("kw") / (pl.col("interval_min") / 60))
    else:
        refuse_counters(frame, source)
    fine = frame.filter(pl.col("interval_min") < 15)
    if fine.height == 0:
        return Regular(frame)
    averaged = (
        fine.unique(["account_id", "ts"], keep="last", maintain_order=True)
        .group_by("account_id", pl.col("ts").dt.truncate("15m"), maintain_order=True)
        .agg(pl.col("kw").mean())
        .with_columns(interval_min=pl.lit(15, pl.Int32))
    )
    rest = frame.filter(pl.col("interval_min") >= 15)
    return Regular(pl.concat([rest, averaged.select(rest.columns)]), fine.height - averaged.height)
