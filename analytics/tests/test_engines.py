"""One conformance suite, run against both engines: same scores and levels on a small sample."""

import polars as pl
import pytest

import analytics

ENGINES = ["local", pytest.param("spark", marks=pytest.mark.spark)]


@pytest.mark.parametrize("engine", ENGINES)
def test_engine_conformance(engine, sample):
    readings, accounts = sample
    expected = analytics.detect(readings, accounts)  # the local engine's direct path
    got = analytics.detect(readings, accounts, engine=engine)
    assert got["account_id"].to_list() == expected["account_id"].to_list()
    assert got["level"].to_list() == expected["level"].to_list()
    assert (got["score"] - expected["score"]).abs().max() < 1e-9
    assert got.select("reasons").equals(expected.select("reasons"))
    levels = dict(zip(got["account_id"], got["level"], strict=True))
    assert levels["night_furnace"] == levels["foundry_beyond"] == levels["closed_alive"] == "alert"
    assert levels["compressor"] == levels["boiler"] == "normal"


@pytest.mark.parametrize("engine", ENGINES)
def test_engine_daily_and_unknown_accounts(engine, sample):
    readings, _ = sample
    daily = readings.group_by("account_id", pl.col("ts").dt.date().alias("date")).agg(
        kwh=pl.col("kw").sum() / 4
    )
    out = analytics.detect(daily, engine=engine)
    assert out.height == 9 and set(out["level"]) <= {"alert", "watch", "normal"}


def test_unknown_engine():
    with pytest.raises(analytics.InputError, match="未知的计算引擎"):
        analytics.detect(pl.DataFrame({"account_id": [], "ts": [], "kw": []}), engine="dask")
