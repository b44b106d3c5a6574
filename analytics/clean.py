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

    def __add__(self, other: DataQualityReport) -> DataQualityReport:
        return DataQualityReport(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @classmethod
    def from_scores(cls, scores: pl.DataFrame, rows_in: int = 0, bad_rows: int = 0) -> DataQualityReport:
        """Sum the per-account quality columns an engine returned."""
        totals = (
            {c: int(scores[c].sum()) for c in QUALITY_COLUMNS}
            if scores.height
            else dict.fromkeys(QUALITY_COLUMNS, 0)
        )
        dropped = totals["q_duplicates"] + totals["q_absurd"] + totals["q_missing_kw"]
        return cls(
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
            (self.gap_intervals, "个 15 分钟时段缺数（按缺失处理，不作零值）"),
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
    and the number of rows dropped for a null account or an unparseable time."""
    require_columns(df, READING_COLUMNS, source)
    ts = pl.col("ts")
    dtype = df.schema["ts"]
    if dtype == pl.String:
        ts = parse_datetime(ts)
    elif isinstance(dtype, pl.Datetime) and dtype.time_zone:
        ts = ts.dt.convert_time_zone(LOCAL_TZ).dt.replace_time_zone(None)
    elif dtype == pl.Date:
        ts = ts.cast(pl.Datetime("us"))
    elif not isinstance(dtype, pl.Datetime):
        raise InputError(f"{source} 的 ts 列类型 {dtype} 无法识别为时间")
    try:
        out = df.select(
            pl.col("account_id").cast(pl.String).str.strip_chars(),
            ts.cast(pl.Datetime("us")).alias("ts"),
            pl.col("kw").cast(pl.Float64, strict=False),
        )
    except pl.exceptions.PolarsError as exc:
        raise InputError(f"{source} 的列无法转换：{exc}") from exc
    good = out.filter(
        pl.col("account_id").is_not_null() & (pl.col("account_id") != "") & pl.col("ts").is_not_null()
    )
    return good, out.height - good.height


def parse_datetime(expr: pl.Expr) -> pl.Expr:
    """ISO-like local times ('2024-03-01 22:15[:00]', 'T' separator, '/' dates); an offset is honoured."""
    text = expr.str.strip_chars().str.replace("T", " ").str.replace_all("/", "-")
    with_offset = text.str.to_datetime("%Y-%m-%d %H:%M:%S%z", strict=False, time_zone="UTC")
    return pl.coalesce(
        text.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False),
        text.str.to_datetime("%Y-%m-%d %H:%M", strict=False),
        text.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False),
        with_offset.dt.convert_time_zone(LOCAL_TZ).dt.replace_time_zone(None),
        text.str.to_datetime("%Y-%m-%d", strict=False),
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


def span_gaps(matrix: np.ndarray, filled: np.ndarray) -> np.ndarray:
    """Missing intervals between each account's first and last reading."""
    present = ~np.isnan(matrix)
    first = present.argmax(axis=1)
    last = matrix.shape[1] - 1 - present[:, ::-1].argmax(axis=1)
    return np.where(filled > 0, last - first + 1 - filled, 0)
