"""The real Daewoo steel-processing plant (no melting shop): quiet in ≥ 99 % of windows, scaled ×0.3…×5;
with a furnace superimposed (built from docs/physics.md), most are found."""

import numpy as np
import polars as pl
import pytest

import analytics
from analytics.simulate import DEFAULT_REAL as DAEWOO
from analytics.tests import loads
from analytics.tests.conftest import T0, frame

WINDOW_DAYS = 30
SCALES = (0.3, 1.0, 2.0, 5.0)


def daewoo_readings() -> pl.DataFrame:
    """The contract from the UCI file: kW = 4 × kWh per 15 min; `date` is the interval END, day first."""
    raw = pl.read_csv(
        DAEWOO, columns=["date", "Usage_kWh"], schema_overrides={"date": pl.String, "Usage_kWh": pl.Float64}
    )
    stamp = pl.col("date").str.to_datetime("%d/%m/%Y %H:%M")
    closes_day = (stamp.dt.hour() == 0) & (stamp.dt.minute() == 0)  # "0:00" is the next day's midnight
    end = stamp + pl.duration(days=closes_day.cast(pl.Int64))
    return raw.select(
        account_id=pl.lit("daewoo"), ts=end - pl.duration(minutes=15), kw=pl.col("Usage_kWh") * 4
    ).sort("ts")


@pytest.fixture(scope="module")
def daewoo_windows() -> np.ndarray:
    """~50 overlapping 30-day windows (every 7 days) of the year, as kW arrays."""
    kw = daewoo_readings()["kw"].to_numpy()
    days = len(kw) // 96
    return np.stack([kw[s * 96 : (s + WINDOW_DAYS) * 96] for s in range(0, days - WINDOW_DAYS, 7)])


def test_contract_conversion():
    readings = daewoo_readings()
    assert readings.height == 35_040 and readings["ts"].min().hour == 0 and readings["ts"].min().minute == 0
    assert readings["ts"].is_unique().all()
    assert 600 <= readings["kw"].max() <= 650  # about 629 kW per the README


def test_real_load_rarely_alerts(daewoo_windows):
    series = {f"w{i}x{s}": w * s for i, w in enumerate(daewoo_windows) for s in SCALES}
    scores = analytics.detect(frame(series))
    assert len(daewoo_windows) >= 45
    alert_rate = (scores["level"] == "alert").mean()
    assert alert_rate <= 0.01, scores.filter(pl.col("level") == "alert").select("account_id", "reasons")


def test_furnaces_hidden_under_real_load_are_found(daewoo_windows):
    rng = np.random.default_rng(7)
    series = {}
    for i, window in enumerate(daewoo_windows[::2]):
        rated = rng.uniform(500, 3000)  # 0.5–5 t at ~600 kW/t
        nights = sorted(rng.choice(WINDOW_DAYS, int(rng.integers(3, 10)), replace=False).tolist())
        furnace = loads.induction_furnace(rng, WINDOW_DAYS, rated, nights, start_hour=rng.uniform(21, 23.5),
                                          heats=int(rng.integers(5, 8)), tap_to_tap_min=rng.uniform(60, 110),
                                          break_min=rng.uniform(10, 20))  # fmt: skip
        series[f"hidden{i}"] = window * rng.choice(SCALES) + loads.to_intervals(furnace)
    scores = analytics.detect(frame(series, T0))
    found = (scores["level"] == "alert").mean()
    assert found >= 0.8, scores.select("account_id", "score", "melt_cycles_max", "melt_sessions")
    assert (scores["level"] != "normal").mean() >= 0.9
