"""The independent generator: deterministic by seed, the files in the agreed format, labels that match the
kinds, physically plausible melts, and the coarse outputs."""

import datetime as dt

import numpy as np
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from analytics.independent import ILLEGAL, KINDS, LEGIT, generate, write
from analytics.independent.__main__ import main
from analytics.independent.furnace import random_furnace, run_session, run_twin_session
from analytics.independent.generator import allocate
from analytics.independent.meter import contract_for

ALL_KINDS = sorted(KINDS)


@pytest.fixture(scope="module")
def every_kind():
    """Two accounts of every kind, 10 days, 15-minute data with the daily file."""
    return generate(2 * len(ALL_KINDS), days=10, seed=7, kinds=ALL_KINDS, daily=True)


def test_at_least_fifteen_kinds_with_illegal_ones():
    assert len(LEGIT) >= 15
    assert len(ILLEGAL) >= 5
    assert not set(LEGIT) & set(ILLEGAL)


def test_same_seed_same_data_other_seed_other_data():
    a = generate(12, days=4, seed=3)
    b = generate(12, days=4, seed=3)
    c = generate(12, days=4, seed=4)
    assert np.array_equal(a.account_id, b.account_id)
    assert np.array_equal(a.ts, b.ts)
    assert np.array_equal(a.kw, b.kw)
    assert a.accounts == b.accounts and a.labels == b.labels and a.heats == b.heats
    assert len(a.kw) != len(c.kw) or not np.array_equal(a.kw, c.kw)


def test_shapes_grid_and_missing_rows(every_kind):
    d = every_kind
    n_acc = len(d.accounts)
    assert len(d.account_id) == len(d.ts) == len(d.kw)
    full = n_acc * 10 * 96
    assert 0.6 * full < len(d.kw) < full  # readings are missing, none are invented
    minutes = (d.ts - np.datetime64(d.start, "m")).astype(int)
    assert minutes.min() >= 0 and minutes.max() < 10 * 1440
    assert np.all(minutes % 15 == 0)
    pairs = np.char.add(d.account_id.astype(str), minutes.astype(str))
    assert len(np.unique(pairs)) == len(pairs)  # no duplicate (account, ts)
    # Arrival order is shuffled, not sorted by account or time.
    assert not np.all(np.diff(minutes) >= 0)
    assert not np.all(d.account_id[:-1] <= d.account_id[1:])


def test_lost_days_and_gaps(every_kind):
    d = every_kind
    day = (d.ts - np.datetime64(d.start, "m")).astype(int) // 1440
    present = {(a, int(x)) for a, x in zip(d.account_id, day, strict=True)}
    ids = [a["account_id"] for a in d.accounts]
    lost = [(a, x) for a in ids for x in range(d.days) if (a, x) not in present]
    assert lost  # the collection front-end failure alone takes whole days from a third of the accounts
    assert len(lost) < 0.2 * len(ids) * d.days


def test_no_negative_or_missing_values(every_kind):
    assert np.all(np.isfinite(every_kind.kw))
    assert every_kind.kw.min() >= 0.0
    assert every_kind.daily["kwh"].min() >= 0.0


def test_labels_match_kinds_and_accounts(every_kind):
    d = every_kind
    ids = [a["account_id"] for a in d.accounts]
    assert [lab["account_id"] for lab in d.labels] == ids
    assert len(set(ids)) == len(ids)
    assert set(d.account_id) <= set(ids)
    for lab in d.labels:
        assert lab["kind"] in KINDS
        assert lab["illegal"] == int(lab["kind"] in ILLEGAL)
    assert sorted({lab["kind"] for lab in d.labels}) == ALL_KINDS


def test_registry_fields_follow_the_kind(every_kind):
    kind = {lab["account_id"]: lab["kind"] for lab in every_kind.labels}
    for acc in every_kind.accounts:
        k = kind[acc["account_id"]]
        assert acc["contract_kva"] > 0
        assert len(acc["division_code"]) == 12 and acc["division_code"].isdigit()
        assert (acc["registered_furnace_kw"] > 0) == (k in ("foundry_registered", "foundry_over_registered"))
        closed = acc["closed_on"]
        assert bool(closed) == (k in ("closed_dormant", "closed_resurgence"))
        if closed:
            assert dt.date.fromisoformat(closed) < every_kind.start


def _mean_kw(d, account_id):
    return float(d.kw[d.account_id == account_id].mean())


def test_closed_sites_idle_unless_resurgent(every_kind):
    d = every_kind
    for lab in d.labels:
        if lab["kind"] == "closed_dormant":
            assert _mean_kw(d, lab["account_id"]) < 10
    heats_by = {h["account_id"] for h in d.heats}
    resurgent = [lab["account_id"] for lab in d.labels if lab["kind"] == "closed_resurgence"]
    assert resurgent and all(a in heats_by for a in resurgent)


def test_every_illegal_account_melts_and_only_foundries_among_legal(every_kind):
    d = every_kind
    heats_by = {h["account_id"] for h in d.heats}
    for lab in d.labels:
        if lab["illegal"]:
            assert lab["account_id"] in heats_by, lab["kind"]
        elif lab["kind"] != "foundry_registered":
            assert lab["account_id"] not in heats_by, lab["kind"]


def test_energy_per_melt_in_physical_range(every_kind):
    heats = every_kind.heats
    assert len(heats) > 50
    per_t = np.array([h["kwh"] / h["tonnes"] for h in heats])
    assert np.all((per_t > 500) & (per_t < 680)), (per_t.min(), per_t.max())
    tonnes = np.array([h["tonnes"] for h in heats])
    assert tonnes.min() > 0.2 and tonnes.max() <= 5.0


def test_furnace_cycle_times_and_power():
    rng = np.random.default_rng(0)
    for i in range(50):
        f = random_furnace(rng, "F", capacity_t=(0.5, 5.0))
        assert 500 * 0.5 <= f.rated_kw <= 1000 * 5.0
        power = np.zeros(20 * 60)
        runner = run_twin_session if i % 2 else run_session
        heats, end = runner(rng, f, power, 0, 6)
        assert len(heats) == 6
        minutes = np.array([h.end - h.start for h in heats])
        assert np.all((minutes >= 25) & (minutes <= 130)), minutes
        # Energy in the power trace equals the heats' energy, and the supply never exceeds its rating much.
        assert power.sum() / 60 == pytest.approx(sum(h.kwh for h in heats), rel=1e-6)
        assert power.max() <= f.rated_kw * 1.1
        if runner is run_session:  # tap-to-tap, break included: 45-120 minutes in practice
            assert np.median(minutes) >= 40


def test_registered_foundry_melts_at_its_registered_power_and_over_registered_far_above():
    d = generate(8, days=7, seed=11, kinds=["foundry_registered", "foundry_over_registered"])
    kind = {lab["account_id"]: lab["kind"] for lab in d.labels}
    for acc in d.accounts:
        peak = np.quantile(d.kw[d.account_id == acc["account_id"]], 0.99)
        ratio = peak / acc["registered_furnace_kw"]
        if kind[acc["account_id"]] == "foundry_registered":
            assert ratio < 1.35  # furnaces at registered power plus the sand plant
        else:
            assert ratio > 1.8


def test_hourly_interval_and_daily_energy_agree():
    fine = generate(6, days=5, seed=5, interval=15, kinds=["data_centre", "furnace_workshop"], daily=True)
    hourly = generate(6, days=5, seed=5, interval=60, kinds=["data_centre", "furnace_workshop"])
    minutes = (hourly.ts - np.datetime64(hourly.start, "m")).astype(int)
    assert np.all(minutes % 60 == 0)
    assert len(hourly.kw) < len(fine.kw) / 3
    # The same truth: per account, daily kWh ≈ mean kW of the 15-minute readings × 24.
    for acc in fine.accounts:
        a = acc["account_id"]
        kwh = fine.daily["kwh"][fine.daily["account_id"] == a]
        mean15 = fine.kw[fine.account_id == a].mean()
        assert kwh.mean() == pytest.approx(mean15 * 24, rel=0.25, abs=5)


def test_prevalence_and_allocation():
    names = allocate(1000, {"a": 0.5, "b": 0.3, "c": 0.2})
    assert (names.count("a"), names.count("b"), names.count("c")) == (500, 300, 200)
    d = generate(60, days=2, seed=1, prevalence=0.1)
    assert sum(lab["illegal"] for lab in d.labels) == 6


def test_contract_capacity_is_a_standard_size_above_the_peak():
    assert contract_for(100, 0.8) == 160
    assert contract_for(2000, 1.0) == 2500


def test_files_readable_by_pyarrow(tmp_path, every_kind):
    paths = write(every_kind, tmp_path, csv=True)
    assert {p.name for p in paths} >= {"readings.parquet", "readings.csv", "accounts.csv", "labels.csv"}
    t = pq.read_table(tmp_path / "readings.parquet")
    assert t.column_names == ["account_id", "ts", "kw"]
    assert str(t.schema.field("ts").type) == "timestamp[us]"
    assert t.num_rows == len(every_kind.kw)
    assert pacsv.read_csv(tmp_path / "readings.csv").num_rows == t.num_rows
    acc = pacsv.read_csv(
        tmp_path / "accounts.csv",
        convert_options=pacsv.ConvertOptions(
            column_types={"account_id": "string", "division_code": "string"}
        ),
    )
    assert acc.column_names == [
        "account_id",
        "division_code",
        "contract_kva",
        "registered_furnace_kw",
        "closed_on",
    ]
    lab = pacsv.read_csv(tmp_path / "labels.csv")
    assert lab.column_names == ["account_id", "illegal", "kind"] and lab.num_rows == acc.num_rows
    daily = pq.read_table(tmp_path / "daily.parquet")
    assert daily.column_names == ["account_id", "date", "kwh"]
    assert str(daily.schema.field("date").type) == "date32[day]"


def test_cli_writes_the_files(tmp_path, capsys):
    out = tmp_path / "set"
    code = main(
        ["--accounts", "30", "--days", "3", "--seed", "2", "--out", str(out), "--interval", "60", "--daily"]
    )
    assert code == 0
    assert (out / "readings.parquet").exists() and (out / "daily.csv").exists()
    t = pq.read_table(out / "readings.parquet")
    assert len(set(t.column("account_id").to_pylist())) > 20
    assert "accounts" in capsys.readouterr().out
