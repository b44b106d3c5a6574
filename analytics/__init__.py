"""Detection of illegal induction-furnace melting ("地条钢") from 15-minute meter readings.

Pure functions, no Django. Readings: account_id, ts (Asia/Shanghai local, interval start), kw.
Accounts (optional): account_id, contracted_kva, industry, registered_furnace_kw, site_status.
Daily kWh (account_id, date, kwh) is accepted with a reduced feature set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from analytics import clean, features, io, pipeline
from analytics.clean import DAY_US, SLOT_US, SLOTS_PER_DAY, DataQualityReport, InputError
from analytics.engines import get_engine

__all__ = [
    "DataQualityReport", "InputError", "daily_summary", "detect", "detect_file", "detect_with_report",
    "melt_segments",
]  # fmt: skip

Progress = Callable[[int, int], None] | None
NO_DATA = "无有效读数"


def detect(readings: pl.DataFrame, accounts: pl.DataFrame | None = None, *, engine: str = "local",
           spark_master: str | None = None, progress: Progress = None) -> pl.DataFrame:  # fmt: skip
    """Score every account: account_id, score (0..1), level (alert|watch|normal), reasons, then the
    features and per-account data-quality counts (q_*). Daily kWh frames are recognised by their columns."""
    return detect_with_report(
        readings, accounts, engine=engine, spark_master=spark_master, progress=progress
    )[0]


def detect_with_report(readings: pl.DataFrame, accounts: pl.DataFrame | None = None, *, engine: str = "local",
                       spark_master: str | None = None, progress: Progress = None,
                       daily: bool | None = None) -> tuple[pl.DataFrame, DataQualityReport]:  # fmt: skip
    """As `detect`, with the data-quality report. Each account's interval is detected from its timestamps
    (`clean.regularise`); `daily=True` only insists on the (account_id, date, kwh) columns."""
    runner = get_engine(engine)
    accounts = pipeline.normalise_accounts(accounts)
    frame, bad_rows, averaged = pipeline.prepare(readings, bool(daily))
    scores = runner.score_frame(frame, accounts, progress=progress, spark_master=spark_master)
    return _finish(scores, accounts, readings.height, bad_rows, averaged)


def detect_file(path: str | Path, accounts: pl.DataFrame | None = None, *, engine: str = "local",
                spark_master: str | None = None, progress: Progress = None,
                daily: bool = False) -> tuple[pl.DataFrame, DataQualityReport]:  # fmt: skip
    """Score a readings file. A Parquet file grouped by account is streamed chunk by chunk by the local
    engine (never held whole); anything else is read, cleaned and sorted first. A file without one usable
    reading is an InputError (a run that scored nothing must not look like one that found nothing)."""
    scores, report = _detect_file(path, accounts, engine, spark_master, progress, daily)
    if report.rows_used == 0:
        raise InputError(
            f"没有可用的读数：读入 {report.rows_in:,} 行，其中没有一行同时具备可识别的户号、时间和功率"
            f"（{report.summary_zh()}）"
        )
    return scores, report


def _detect_file(path, accounts, engine, spark_master, progress, daily):
    if daily:
        return detect_with_report(io.read_daily(path), accounts, engine=engine, spark_master=spark_master,
                                  progress=progress, daily=True)  # fmt: skip
    get_engine(engine)
    if engine == "local" and io.is_parquet(io.require_file(path)):
        normalised = pipeline.normalise_accounts(accounts)
        try:
            chunks = io.iter_parquet_chunks(path)
            from analytics.engines import local

            scores = local.score_chunks(
                chunks, normalised, total_rows=io.parquet_rows(path), progress=progress
            )
            return _finish(scores, normalised, 0, 0)
        except io.NotGrouped:  # not grouped by account: sorted bucket by bucket, never held whole
            return _detect_buckets(path, normalised, progress)
    return detect_with_report(io.read_readings(path), accounts, engine=engine, spark_master=spark_master,
                              progress=progress)  # fmt: skip


def _detect_buckets(path: str | Path, accounts: pl.DataFrame | None, progress: Progress):
    """The local engine over an ungrouped Parquet file, one bucket of whole accounts at a time
    (`io.iter_account_buckets`): the same scores as reading it whole, in bounded memory."""
    from analytics.engines import local

    total, done, bad, averaged, parts = io.parquet_rows(path), 0, 0, 0, []
    for frame in io.iter_account_buckets(path):
        prepared, bad_rows, averaged_rows = pipeline.prepare(frame)
        step = (lambda rows, _total, before=done: progress(before + rows, total)) if progress else None
        parts.append(local.score_frame(prepared, accounts, progress=step))
        done, bad, averaged = done + frame.height, bad + bad_rows, averaged + averaged_rows
    scores = pl.concat(parts) if parts else pipeline.empty_scores()
    return _finish(scores, accounts, done, bad, averaged)


def _finish(scores: pl.DataFrame, accounts: pl.DataFrame | None, rows_in: int, bad_rows: int,
            averaged_rows: int = 0):  # fmt: skip
    report = DataQualityReport.from_scores(
        scores, rows_in=rows_in, bad_rows=bad_rows, averaged_rows=averaged_rows
    )
    if accounts is not None:  # every registered account gets a row, readings or not
        silent = accounts.select("account_id").join(scores.select("account_id"), on="account_id", how="anti")
        if silent.height:
            filler = {
                c: pl.lit(0, t)
                for c, t in pipeline.OUTPUT_SCHEMA.items()
                if c not in ("account_id", "level", "reasons")
            }
            silent = silent.with_columns(**filler, level=pl.lit("normal"), reasons=pl.lit(NO_DATA))
            scores = pl.concat([scores, silent.select(pipeline.OUTPUT_SCHEMA.keys())])
    return scores.sort("account_id"), report


def _matrices(readings: pl.DataFrame):
    frame, _, _ = pipeline.prepare(readings)
    for chunk in pipeline.chunks_from_frame(frame):
        limit = np.full(len(chunk.account_ids), clean.ABSURD_KW, np.float32)
        yield chunk, pipeline.chunk_matrix(chunk, limit)


def daily_summary(readings: pl.DataFrame) -> pl.DataFrame:
    """Per account and day (cleaned as for detection): kwh, peak_kw, night_kwh (22:00–06:00),
    night_share, active_intervals (above 10 % of the account's peak and 5 kW). Days without data omitted."""
    parts = []
    for chunk, matrix in _matrices(readings):
        n = len(chunk.account_ids)
        days = matrix.kw.reshape(n, -1, SLOTS_PER_DAY)
        zeroed = np.nan_to_num(days)
        night = np.zeros(SLOTS_PER_DAY, bool)
        night[features.NIGHT_START_SLOT :] = night[: features.NIGHT_END_SLOT] = True
        with np.errstate(all="ignore"):
            peak = np.fmax.reduce(days, axis=2)
            active_at = np.maximum(0.1 * np.fmax.reduce(peak, axis=1), 5.0)
        kwh = zeroed.sum(axis=2) * features.HOURS_PER_SLOT
        night_kwh = zeroed[:, :, night].sum(axis=2) * features.HOURS_PER_SLOT
        has_data = (~np.isnan(days)).any(axis=2)
        acc, day = np.nonzero(has_data)
        first_day = dt.date(1970, 1, 1) + dt.timedelta(days=matrix.day0_us // DAY_US)
        parts.append(
            pl.DataFrame(
                {
                    "account_id": chunk.account_ids[acc],
                    "day": [first_day + dt.timedelta(days=int(d)) for d in day],
                    "kwh": kwh[acc, day],
                    "peak_kw": peak[acc, day],
                    "night_kwh": night_kwh[acc, day],
                    "night_share": np.where(
                        kwh[acc, day] > 0, night_kwh[acc, day] / np.maximum(kwh[acc, day], 1e-9), 0.0
                    ),
                    "active_intervals": (days > active_at[:, None, None]).sum(axis=2)[acc, day],
                },
                schema_overrides={"account_id": pl.String, "day": pl.Date},
            )  # fmt: skip
        )
    return pl.concat(parts) if parts else pl.DataFrame(
        schema={"account_id": pl.String, "day": pl.Date, "kwh": pl.Float64, "peak_kw": pl.Float64,
                "night_kwh": pl.Float64, "night_share": pl.Float64, "active_intervals": pl.Int64}
    )  # fmt: skip


def melt_segments(ts, kw) -> list[tuple[dt.datetime, dt.datetime, float]]:
    """Detected melt cycles of one account, for a chart: (start, end, peak_kw) per furnace cycle in a
    session of at least `features.MIN_SESSION_CYCLES` regular cycles. `ts` and `kw` are sequences of
    equal length (local times; any order, gaps allowed)."""
    ts = pl.Series("ts", ts)
    readings = pl.DataFrame({"account_id": "x", "ts": ts, "kw": pl.Series("kw", kw, dtype=pl.Float64)})
    out = []
    for _, matrix in _matrices(readings):
        series = matrix.kw
        with np.errstate(all="ignore"):
            base = features.nan_median(np.fmin.reduce(series.reshape(1, -1, SLOTS_PER_DAY), axis=2))
        c = features.melt_cycles(series, base)
        chain_best = np.zeros(len(c["slots"]), int)
        np.maximum.at(chain_best, c["chain_start"], c["cycles"])
        in_session = c["regular"] & (chain_best[c["chain_start"]] >= features.MIN_SESSION_CYCLES)
        origin = dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=matrix.day0_us)
        for k in np.flatnonzero(in_session):
            start, end = int(c["slots"][c["prev"][k]] + c["width"][c["prev"][k]]), int(c["slots"][k])
            peak = float(np.nanmax(series[0, start:end])) if end > start else float(series[0, start])
            out.append(
                (
                    origin + dt.timedelta(microseconds=start * SLOT_US),
                    origin + dt.timedelta(microseconds=(end + 1) * SLOT_US),
                    peak,
                )
            )
    return out
