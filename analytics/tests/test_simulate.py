import datetime as dt

import numpy as np
import polars as pl
import pytest

from analytics.sim_physics import STEPS_PER_DAY, Furnace, daily_window, furnace_kw, load_real_kw, melt_heats
from analytics.simulate import DEFAULT_REAL, KINDS, allocate, main, simulate

DAYS = 14


@pytest.fixture(scope="module")
def real_kw():
    return load_real_kw(DEFAULT_REAL)


@pytest.fixture(scope="module")
def data(real_kw):
    return simulate(170, DAYS, seed=7, real_kw=real_kw, prevalence=0.3)


def series(readings: pl.DataFrame, account_id: str, start=dt.datetime(2026, 1, 1)) -> np.ndarray:
    """Clean (n_steps,) kW of one account, NaN where missing."""
    rows = readings.filter(pl.col("account_id") == account_id).unique("ts", keep="first")
    step = ((rows["ts"] - start).dt.total_minutes() // 15).to_numpy()
    out = np.full(DAYS * STEPS_PER_DAY, np.nan)
    out[step] = rows["kw"].to_numpy()
    return out


def test_deterministic_by_seed(real_kw):
    first = simulate(40, 3, seed=11, real_kw=real_kw)
    again = simulate(40, 3, seed=11, real_kw=real_kw)
    other = simulate(40, 3, seed=12, real_kw=real_kw)
    for a, b in zip(first, again, strict=True):
        assert a.equals(b)
    assert not first[0].equals(other[0])


def test_every_kind_present_with_its_label(data):
    _, accounts, labels = data
    assert set(labels["kind"]) == {k.name for k in KINDS}
    expected = {k.name: k.label for k in KINDS}
    assert all(expected[kind] == label for kind, label in labels.select("kind", "label").iter_rows())
    assert labels["label"].mean() == pytest.approx(0.3, abs=0.01)
    assert accounts["account_id"].to_list() == labels["account_id"].to_list()
    assert accounts["account_id"].str.len_chars().eq(10).all() and accounts["account_id"].is_unique().all()


def test_schemas(data):
    readings, accounts, labels = data
    assert readings.schema == pl.Schema({"account_id": pl.String, "ts": pl.Datetime("us"), "kw": pl.Float64})
    assert accounts.columns == [
        "account_id",
        "contracted_kva",
        "industry",
        "registered_furnace_kw",
        "site_status",
    ]
    assert labels.columns == ["account_id", "label", "kind"]
    assert set(accounts["site_status"]) == {"operating", "idle", "closed"}
    assert readings["ts"].min() == dt.datetime(2026, 1, 1)
    assert readings["ts"].max() == dt.datetime(2026, 1, 1) + dt.timedelta(days=DAYS, minutes=-15)
    assert (readings["ts"].dt.minute() % 15 == 0).all()


def test_meter_quirks_really_present(data):
    readings, accounts, _ = data
    complete = accounts.height * DAYS * STEPS_PER_DAY
    distinct = readings.unique(["account_id", "ts"]).height
    assert 0.95 * complete < distinct < complete  # gaps
    assert readings.height > distinct  # duplicate rows
    in_order = readings.sort("account_id", "ts")
    assert not readings.equals(in_order)
    assert (
        readings["ts"].diff().drop_nulls() < dt.timedelta(0)
    ).sum() > accounts.height  # not merely per account
    assert readings["kw"].null_count() > 0
    assert (readings["kw"] < 0).sum() > 0
    assert (readings["kw"] > 10_000).sum() > 0


def test_heat_energy_matches_melting_physics():
    rng = np.random.default_rng(3)
    for capacity in (0.5, 1.5, 3.0, 8.0):
        furnace = Furnace.random(rng, capacity)
        assert 500 <= furnace.rated_kw / capacity <= 1000
        starts, lengths = np.arange(10) * 24 + 21.0, np.full(10, 8.0)
        heats = melt_heats(rng, furnace, starts, lengths)
        kwh_per_t = heats["energy_kwh"] / heats["charge_t"]
        assert kwh_per_t.min() > 500 and kwh_per_t.max() < 700
        assert 550 <= kwh_per_t.mean() <= 650
        tap_to_tap_min = 60 * (heats["ramp_h"] + heats["melt_h"] + heats["low_h"])
        assert tap_to_tap_min.min() > 30 and tap_to_tap_min.max() < 160
        melting_share = heats["melt_h"] * 60 / tap_to_tap_min
        assert 0.6 < melting_share.mean() < 0.9
        assert len(heats["start_h"]) >= 10 * 8 * 60 / tap_to_tap_min.max()

        kw, heats = furnace_kw(rng, furnace, starts, lengths, 11 * STEPS_PER_DAY)
        aux_kwh = kw.sum() * 0.25 - heats["energy_kwh"].sum()
        pump_hours = aux_kwh / (furnace.aux_share * furnace.rated_kw) / 10  # cooling pumps, per shift
        assert 8 < pump_hours < 8 + 2.5 + 1.5 + 0.25
        assert kw.max() <= furnace.rated_kw * (1 + furnace.aux_share) + 1e-6
        hour = np.arange(len(kw)) * 0.25 % 24
        assert kw[(hour > 9) & (hour < 18)].max() < 1e-6  # nothing melts by day


def test_daily_window_crosses_midnight():
    cover = daily_window(np.array([[22.0, 22.0]]), np.array([[8.0, 8.0]]))[0]
    assert cover.sum() * 0.25 == pytest.approx(10.0)  # 2 h + 6 h after midnight + 2 h; the rest is cut off
    assert cover[95] == 1 and cover[96 + 24] == 0 and cover[96 + 23] == 1


def test_foundries_against_registered_capacity(data):
    readings, accounts, labels = data
    clean = readings.filter(pl.col("kw").is_between(0, 10_000)).unique(["account_id", "ts"])
    peak = clean.group_by("account_id").agg(peak=pl.col("kw").quantile(0.995))
    sites = peak.join(accounts, on="account_id").join(labels, on="account_id")
    ratio = sites.select("kind", r=pl.col("peak") / pl.col("registered_furnace_kw"))
    legal = ratio.filter(
        pl.col("kind").str.starts_with("foundry_day") | pl.col("kind").str.starts_with("foundry_valley")
    )
    assert legal["r"].max() < 1.4  # furnaces within registration, plus auxiliaries and workshop
    assert ratio.filter(pl.col("kind") == "foundry_over_capacity")["r"].min() > 1.4
    assert (
        accounts.join(labels, on="account_id").filter(pl.col("kind").str.starts_with("foundry"))[
            "registered_furnace_kw"
        ]
        > 0
    ).all()


def test_closed_sites_quiet_and_revivals_loud(data):
    readings, accounts, labels = data
    ids = labels.group_by("kind").agg("account_id").rows_by_key("kind")
    for account in ids["closed_site"][0][0]:
        assert np.nanpercentile(series(readings, account), 99) < 1.0
    for account in ids["closed_site_revival"][0][0]:
        assert np.nanpercentile(series(readings, account), 99.9) > 200
    closed = accounts.join(labels, on="account_id").filter(pl.col("kind").str.starts_with("closed"))
    assert (closed["site_status"] == "closed").all()


def test_heat_storage_boilers_charge_at_night(data):
    readings, _, labels = data
    for account in labels.filter(pl.col("kind") == "heat_storage_boiler")["account_id"]:
        day = np.nanmedian(series(readings, account).reshape(DAYS, STEPS_PER_DAY), axis=0)
        assert day[8 * 4 : 20 * 4].max() < 0.1 * day.max()  # 08:00–20:00 only pumps


def test_real_load_parsed_as_interval_starts(real_kw):
    assert real_kw.shape == (365 * STEPS_PER_DAY,)
    assert real_kw[0] == pytest.approx(4 * 3.17)  # "01/01/2018 0:15" closes the first interval
    assert real_kw[95] == pytest.approx(4 * 3.42)  # "01/01/2018 0:00" closes the day's last interval
    assert real_kw[-1] == pytest.approx(4 * 3.67)
    assert real_kw.max() == pytest.approx(4 * 157.18, rel=0.01)


def test_allocate():
    counts = allocate(10, np.array([1.0, 1.0, 2.0]))
    assert counts.sum() == 10 and counts.min() >= 1
    assert allocate(2, np.ones(5)).sum() == 2
    assert allocate(0, np.ones(3)).sum() == 0


def test_main_writes_files(tmp_path, capsys):
    out = tmp_path / "sim"
    assert (
        main(["--accounts", "30", "--days", "2", "--out", str(out), "--seed", "3", "--prevalence", "0.5"])
        == 0
    )
    readings = pl.read_parquet(out / "readings.parquet")
    labels = pl.read_csv(out / "labels.csv", schema_overrides={"account_id": pl.String})
    accounts = pl.read_csv(out / "accounts.csv", schema_overrides={"account_id": pl.String})
    assert set(readings["account_id"]) == set(labels["account_id"]) == set(accounts["account_id"])
    assert labels["label"].sum() == 15
    assert "30 户" in capsys.readouterr().out


def test_main_rejects_bad_arguments(tmp_path, capsys):
    assert main(["--accounts", "0", "--days", "2", "--out", str(tmp_path)]) == 2
    assert "错误" in capsys.readouterr().err
    assert (
        main(["--accounts", "5", "--days", "2", "--out", str(tmp_path), "--real", str(tmp_path / "x.csv")])
        == 2
    )
    assert "找不到" in capsys.readouterr().err
