"""Duplicates, unsorted arrival, negatives, absurd values and gaps: handled and reported, never a crash."""

import datetime as dt

import polars as pl
import pytest

import analytics
from analytics import clean
from analytics.tests import loads
from analytics.tests.conftest import frame


def messy() -> pl.DataFrame:
    base = frame({"a": [100.0] * 96 * 2, "b": [50.0] * 96 * 2})
    dupes = base.head(5)
    broken = pl.DataFrame({
        "account_id": ["a", "a", "b", None],
        "ts": [dt.datetime(2024, 3, 1, 1), dt.datetime(2024, 3, 1, 2), dt.datetime(2024, 3, 1, 3), dt.datetime(2024, 3, 1, 5)],
        "kw": [-5.0, 1e9, None, 1.0],
    })  # fmt: skip
    clean_rows = base.filter(~pl.col("ts").is_in([r for r in broken["ts"]]) | (pl.col("account_id") == "b"))
    return pl.concat([clean_rows, dupes, broken]).sample(fraction=1.0, shuffle=True, seed=3)


def test_everything_is_counted():
    scores, report = analytics.detect_with_report(messy())
    assert report.duplicates == 5
    assert report.negatives_clipped == 1
    assert report.absurd_nulled == 1
    assert report.missing_kw >= 1
    assert report.bad_rows == 1
    assert report.unsorted_rows > 0
    assert report.gap_intervals >= 1
    assert set(scores["account_id"]) == {"a", "b"}
    assert "重复读数" in report.summary_zh() and "负功率" in report.summary_zh()


def test_gaps_are_missing_not_zero():
    readings = frame({"a": [100.0] * 96 * 3}).filter(pl.col("ts").dt.day() != 2)
    scores, report = analytics.detect_with_report(readings)
    assert report.gap_intervals == 96
    assert scores["mean_kw"][0] == pytest.approx(100.0) and scores["days"][0] == 2


def test_text_times_and_time_zones():
    text = pl.DataFrame(
        {"account_id": ["a", "a"], "ts": ["2024-03-01T22:00:00+08:00", "2024/03/01 22:15"], "kw": [1.0, 2.0]}
    )
    out, bad = clean.normalise_readings(text)
    assert bad == 0 and out["ts"].to_list() == [dt.datetime(2024, 3, 1, 22), dt.datetime(2024, 3, 1, 22, 15)]
    utc = frame({"a": [1.0]}, dt.datetime(2024, 3, 1, 14)).with_columns(
        pl.col("ts").dt.replace_time_zone("UTC")
    )
    assert clean.normalise_readings(utc)[0]["ts"][0] == dt.datetime(2024, 3, 1, 22)


def test_missing_column_is_a_clear_error():
    with pytest.raises(clean.InputError, match="kw"):
        analytics.detect(pl.DataFrame({"account_id": ["a"], "ts": [dt.datetime(2024, 3, 1)]}))


def test_a_single_day_or_a_few_readings_are_scored_not_a_crash(rng):
    furnace = loads.to_intervals(
        loads.induction_furnace(
            rng, 1, 1500.0, [0], start_hour=0.5, heats=5, tap_to_tap_min=70.0, break_min=15.0
        )
    )
    one_day = frame({"quiet": [20.0] * 96, "furnace": 20.0 + furnace[:96], "few": [30.0] * 10})
    scores = analytics.detect(one_day).sort("account_id")
    assert scores["account_id"].to_list() == ["few", "furnace", "quiet"]
    assert scores["level"].to_list()[2] == "normal" and scores["score"][1] > scores["score"][2]
    daily = pl.DataFrame({"account_id": ["a"], "date": [dt.date(2024, 3, 1)], "kwh": [1200.0]})
    assert analytics.detect(daily).height == 1


def test_empty_input():
    empty = pl.DataFrame(schema={"account_id": pl.String, "ts": pl.Datetime("us"), "kw": pl.Float64})
    assert analytics.detect(empty).height == 0


def test_regular_grid_shortcut_matches_the_scatter():
    """Complete sorted accounts are reshaped, not scattered: same matrix and counts as the general path."""
    import numpy as np

    rng = np.random.default_rng(1)
    n, per = 4, 96 * 2 + 40  # starts at 10:00, so the matrix is NaN-padded to whole days
    ts = clean.DAY_US * 19_000 + 40 * clean.SLOT_US + np.arange(per, dtype=np.int64) * clean.SLOT_US
    kw = rng.uniform(-5, 200, n * per).astype(np.float32)
    kw[[3, 50, 400]] = np.nan
    kw[7] = 1e9
    codes = np.repeat(np.arange(n, dtype=np.int32), per)
    limit = np.full(n, clean.ABSURD_KW, np.float32)
    fast = clean.to_matrix(codes, np.tile(ts, n), kw, n, limit)
    order = rng.permutation(n * per)  # disorder forces the scatter
    slow = clean.to_matrix(codes[order], np.tile(ts, n)[order], kw[order], n, limit)
    assert clean._regular_grid(codes, np.tile(ts, n), n) is not None
    assert fast.day0_us == slow.day0_us and fast.kw.shape == slow.kw.shape == (n, 96 * 3)
    np.testing.assert_array_equal(fast.kw, slow.kw)
    for name in clean.QUALITY_COLUMNS:
        if name != "q_unsorted":
            np.testing.assert_array_equal(fast.quality[name], slow.quality[name], err_msg=name)


def test_an_unsorted_parquet_file_is_scored_bucket_by_bucket_with_the_same_result(
    sample, tmp_path, monkeypatch
):
    """A file not grouped by account is sorted one hash bucket of accounts at a time (bounded memory):
    scores, reasons, features and data-quality counts equal those of reading it whole."""
    from analytics import io

    readings, accounts = sample
    path = tmp_path / "unsorted.parquet"
    pl.concat([readings, readings.head(50)]).sample(fraction=1.0, shuffle=True, seed=5).write_parquet(
        path, row_group_size=20_000
    )
    whole, whole_report = analytics.detect_with_report(pl.read_parquet(path), accounts)
    monkeypatch.setattr(io, "BUCKET_ROWS", 7_000)
    assert len(list(io.iter_account_buckets(path))) >= 3
    seen = []
    bucketed, report = analytics.detect_file(
        path, accounts, progress=lambda done, total: seen.append((done, total))
    )
    assert bucketed.sort("account_id").equals(whole.sort("account_id")) and report == whole_report
    assert report.duplicates == 50 and report.unsorted_rows > 0
    assert (
        seen
        and seen[-1][1] == readings.height + 50
        and all(a <= b for (a, _), (b, _) in zip(seen, seen[1:], strict=False))
    )
