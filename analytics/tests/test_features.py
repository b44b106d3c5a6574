"""Features and levels on hand-made loads (analytics/tests/loads.py, built from docs/physics.md)."""

import numpy as np
import polars as pl

import analytics
from analytics.features import features


def levels(sample):
    scores = analytics.detect(*sample)
    return dict(zip(scores["account_id"], scores["level"], strict=True)), scores


def test_furnace_cycles_are_found_and_measured(sample):
    _, scores = levels(sample)
    row = scores.row(by_predicate=pl.col("account_id") == "night_furnace", named=True)
    assert row["melt_sessions"] >= 5 and row["melt_night_sessions"] >= 5
    assert 55 <= row["melt_period_min"] <= 85  # 70-minute tap-to-tap
    assert 1300 <= row["melt_power_kw"] <= 1700  # a 1.5 MW furnace
    assert row["level"] == "alert"
    assert (
        "符合感应炉熔炼特征" in row["reasons"]
        and "未登记感应炉" in row["reasons"]
        and "夜间" in row["reasons"]
    )


def test_look_alike_legal_loads_stay_normal(sample):
    found, scores = levels(sample)
    for account in ("compressor", "boiler", "heat_treat", "mill", "closed_lights"):
        assert found[account] == "normal", account
    quiet = scores.filter(scores["account_id"].is_in(["compressor", "boiler", "heat_treat"]))
    assert (quiet["melt_sessions"] == 0).all()


def test_registry_explains_or_aggravates(sample):
    found, scores = levels(sample)
    assert found["foundry_ok"] == "normal"  # registered 2 MW, melting 2 MW on day shifts
    assert found["foundry_beyond"] == "alert"  # registered 1 MW, melting 3 MW
    beyond = scores.row(by_predicate=pl.col("account_id") == "foundry_beyond", named=True)
    assert (
        "熔炼功率约为登记炉容量的" in beyond["reasons"]
        and "倍" in beyond["reasons"]
        and "违法熔炼的概率约" in beyond["reasons"]
    )


def test_same_load_without_registration_alerts(sample):
    readings, accounts = sample
    unregistered = accounts.with_columns(registered_furnace_kw=0.0)
    found = dict(zip(*analytics.detect(readings, unregistered).select("account_id", "level"), strict=True))
    assert found["foundry_ok"] == "alert"


def test_closed_site_alive_always_alerts_with_dates_and_kwh(sample):
    found, scores = levels(sample)
    assert found["closed_alive"] == "alert"
    reason = scores.row(by_predicate=pl.col("account_id") == "closed_alive", named=True)["reasons"]
    assert "关停" in reason and "3月10日" in reason and "kWh" in reason


def test_intermittent_nights_are_not_diluted(rng):
    from analytics.tests import loads

    kw = loads.to_intervals(
        loads.machining_shop(rng, 30) + loads.induction_furnace(rng, 30, 1200, [6, 17, 25])
    )
    f, _ = features(kw[None].astype(np.float32), np.full(1, 5, np.float32), np.zeros(1, bool))
    assert f["melt_night_sessions"][0] >= 2


def test_features_ignore_padding_and_grouping(sample):
    readings, accounts = sample
    pick = lambda scores: scores.filter(scores["account_id"] == "night_furnace")  # noqa: E731
    alone = pick(analytics.detect(readings.filter(readings["account_id"] == "night_furnace"), accounts))
    assert alone.equals(pick(analytics.detect(readings, accounts)))


def test_daily_summary_and_melt_segments(sample):
    readings, _ = sample
    one = readings.filter(readings["account_id"] == "night_furnace")
    summary = analytics.daily_summary(one)
    assert summary.height == 30 and set(summary.columns) >= {
        "kwh",
        "peak_kw",
        "night_share",
        "active_intervals",
    }
    assert summary["peak_kw"].max() > 1400
    segments = analytics.melt_segments(one["ts"], one["kw"])
    assert len(segments) >= 15
    start, end, peak = segments[0]
    assert 30 <= (end - start).total_seconds() / 60 <= 120 and peak > 1300
    assert start.hour >= 21 or start.hour < 7


def _one(kw, registered=0.0, status="operating"):
    """Score one 15-minute series with a registry row (contract 2.5 MVA)."""
    from analytics.tests.conftest import frame

    accounts = pl.DataFrame({"account_id": ["a"], "contracted_kva": [2500.0], "industry": ["机械加工"],
                             "registered_furnace_kw": [registered], "site_status": [status]})  # fmt: skip
    return analytics.detect(frame({"a": kw}), accounts).row(0, named=True)


def test_compressors_are_not_melt_sessions(rng):
    from analytics.tests import loads

    for make in (loads.compressor_station, loads.demand_switched_compressor):
        for _ in range(3):
            row = _one(loads.to_intervals(make(rng, 30)))
            # a start/stop compressor's blocks can line up like heats by chance, but their level is far
            # below any steel furnace's: watch at most
            allowed = ("normal",) if make is loads.compressor_station else ("normal", "watch")
            assert row["level"] in allowed, (make.__name__, row["reasons"])


def test_registered_foundry_melting_at_night_within_capacity_is_normal(rng):
    from analytics.tests import loads

    nights = list(range(0, 30, 2))
    kw = loads.to_intervals(loads.induction_furnace(rng, 30, 1500, nights, start_hour=22.5, heats=6))
    assert _one(kw, registered=1600)["level"] == "normal"  # valley tariff, within its registered furnace
    row = _one(kw, registered=0)
    assert row["level"] == "alert" and "未登记感应炉" in row["reasons"]


def test_two_nights_of_short_cycles_alert(rng):
    from analytics.tests import loads

    furnace = loads.induction_furnace(rng, 30, 900, [8, 21], start_hour=23, heats=7, tap_to_tap_min=55,
                                      break_min=12)  # fmt: skip
    row = _one(loads.to_intervals(loads.machining_shop(rng, 30, 120) + furnace))
    assert row["level"] == "alert", row


def test_a_long_break_does_not_split_a_session():
    minute = np.zeros(30 * 1440)
    t = 10 * 1440 + 21 * 60 + 7
    for heat in range(8):  # 60 min melting at 1.2 MW, then 15 min at holding power; a 40-min crane wait
        minute[t : t + 60] = 1200
        pause = 40 if heat == 3 else 15
        minute[t + 60 : t + 60 + pause] = 120
        t += 60 + pause
    f, _ = features(minute.reshape(-1, 15).mean(axis=1)[None].astype(np.float32), np.full(1, 5, np.float32),
                    np.zeros(1, bool))  # fmt: skip
    assert f["melt_cycles_max"][0] >= 6 and f["melt_sessions"][0] == 1


def short_cycle_nights(days=28, nights=(3, 9, 17, 24), base=300.0, furnace=1200.0, seed=5):
    """A cold-store-like load (compressors, ±10 %) with a furnace on a few nights whose taps come every
    3 intervals (45 min): 2-interval plateaus, one of them partial — too short for the regular-cycle rule."""
    rng = np.random.default_rng(seed)
    kw = base * (1 + 0.1 * rng.standard_normal(days * 96))
    for d in nights:
        start = d * 96 + 92  # 23:00
        for k in range(7):  # 7 heats, 45 min each: full, partial, tap
            t = start + 3 * k
            kw[t : t + 3] += furnace * np.array([1.0, 0.7, 0.15])
    return kw[None, :].astype(np.float32)


def test_extra_blocks_measure_furnace_nights_and_their_dips():
    from analytics import scoring
    from analytics.features import coarse_features

    kw = short_cycle_nights()
    feats, details = features(kw, np.array([10.0], np.float32), np.array([False]))
    extra = coarse_features(kw, details["dips"])
    nights = np.flatnonzero(extra["extra_day_kw"][0] > 0)
    assert set(nights) >= {3, 9, 17, 24} and len(nights) <= 8  # the evening it starts, and the night after
    assert extra["extra_day_kw"][0].max() >= 500
    assert extra["extra_day_dips"][0, [3, 9, 17, 24]].min() >= 1  # taps inside the block
    assert extra["extra_noise_kw"][0] < 60  # the cold store's own spread
    feats |= {k: v for k, v in extra.items()}
    unregistered = scoring.extra_evidence(feats, np.array([0.0]))
    assert unregistered["days"][0] >= 4 and unregistered["contrast"][0] > 10
    within = scoring.extra_evidence(feats, np.array([1500.0]))  # a registered 1.5 MW foundry explains it
    assert within["days"][0] == 0


def test_daily_bursts_follow_the_fortnight_and_the_registry():
    from analytics.features import daily_features

    usual = np.full(28, 1000.0)
    nights = usual.copy()
    nights[[5, 12, 20]] += 12000  # three furnace nights
    season = usual.copy()
    season[10:24] = 9000  # a two-week processing season
    day_kwh = np.stack([nights, season])
    feats, _ = daily_features(day_kwh, np.array([10.0, 10.0], np.float32), np.array([False, False]))
    assert list(feats["burst_days"]) == [3, 0]
    from analytics import scoring

    assert scoring.burst_days(feats, np.array([0.0, 0.0]))[0] == 3
    assert (
        scoring.burst_days(feats, np.array([500.0, 0.0]))[0] == 0
    )  # 1.3 × 500 kW × 24 h = 15.6 MWh covers it
