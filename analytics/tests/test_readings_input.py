"""Readings as power companies deliver them, read from real files: time formats, intervals, encodings,
cumulative registers and runs without a usable row."""

import datetime as dt

import numpy as np
import polars as pl
import pytest

import analytics
from analytics import clean, cli, io
from analytics.tests import loads
from analytics.tests.conftest import frame

DAY = dt.datetime(2026, 11, 1)


def one_day(step_min: int, kw) -> pl.DataFrame:
    n = 24 * 60 // step_min
    ts = pl.datetime_range(DAY, DAY + dt.timedelta(minutes=step_min * (n - 1)), f"{step_min}m", eager=True)
    return pl.DataFrame({"account_id": "a", "ts": ts, "kw": np.broadcast_to(np.asarray(kw, float), n)})


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-01T00:15:00Z",
        "2026-11-01T00:15:00.000Z",
        "2026-11-01 08:15:00+08:00",
        "2026-11-01T08:15:00+0800",
        "2026-11-01 08:15+08",
        "2026-10-31T19:15:00-05:00",
        "2026/11/01 08:15",
        "2026/11/1 8:15",
        "2026年11月01日 08:15",
        "2026年11月1日 8:15:00",
        "1793492100",
        "1793492100000",
    ],
)
def test_every_time_form_is_read_as_local_time(tmp_path, text):
    path = tmp_path / "r.csv"
    path.write_text(f"account_id,ts,kw\na,{text},12.5\n", encoding="utf-8")
    out, bad = clean.normalise_readings(io.read_readings(path))
    assert bad == 0 and out["ts"].to_list() == [dt.datetime(2026, 11, 1, 8, 15)]


def test_epoch_numbers_and_an_unreadable_time(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("account_id,ts,kw\na,1793492100,1\na,1793493000,2\n", encoding="utf-8")
    frame_ = io.read_readings(path)
    assert frame_.schema["ts"] == pl.String  # read as text, then as epoch seconds
    numeric = frame_.with_columns(pl.col("ts").cast(pl.Int64))
    for f in (frame_, numeric, numeric.with_columns(pl.col("ts") * 1000)):
        out, bad = clean.normalise_readings(f)
        assert bad == 0 and out["ts"].to_list() == [
            DAY.replace(hour=8, minute=15),
            DAY.replace(hour=8, minute=30),
        ]
    _, bad = clean.normalise_readings(pl.DataFrame({"account_id": ["a"], "ts": ["下午三点"], "kw": [1.0]}))
    assert bad == 1


def test_utc_readings_of_a_day_give_the_days_energy(tmp_path):
    """A whole local day stamped in UTC with Z (16:00Z the evening before = 00:00 local) is read, not dropped."""
    readings = one_day(15, 100.0).with_columns(
        ts=(pl.col("ts") - dt.timedelta(hours=8)).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    path = tmp_path / "z.csv"
    readings.write_csv(path)
    summary = analytics.daily_summary(io.read_readings(path))
    assert summary["day"].to_list() == [DAY.date()] and summary["kwh"][0] == pytest.approx(2400.0)


@pytest.mark.parametrize("step", [5, 15, 30, 60])
def test_each_interval_is_detected_and_its_energy_kept(tmp_path, step):
    n = 24 * 60 // step
    kw = 150 + 100 * np.sin(np.arange(n) / n * 6.3) + np.arange(n) % 7  # any lost reading shows in the energy
    readings = one_day(step, kw).with_columns(pl.col("ts").dt.strftime("%Y-%m-%d %H:%M"))
    path = tmp_path / f"r{step}.csv"
    readings.write_csv(path)
    raw = io.read_readings(path)
    summary = analytics.daily_summary(raw)
    assert summary["kwh"][0] == pytest.approx(kw.sum() * step / 60, rel=1e-5)
    scores, report = analytics.detect_file(path)
    assert scores["interval_min"][0] == max(step, 15)
    assert report.averaged_rows == (len(kw) - 96 if step < 15 else 0)
    assert report.gap_intervals == 0  # an hourly reading is one interval, not one plus three gaps
    assert report.coarse_accounts == (1 if step > 15 else 0)


def test_five_minute_readings_are_averaged_to_fifteen_minute_kw():
    five = one_day(5, np.tile([90.0, 120.0, 150.0], 96))
    prepared, _, averaged = analytics.pipeline.prepare(five)
    assert prepared.height == 96 and averaged == 192
    assert prepared["kw"].unique().to_list() == [120.0]


def test_energy_per_interval_and_daily_energy(tmp_path):
    hourly = one_day(60, 0.0).with_columns(kwh=pl.lit(60.0)).drop("kw")  # 60 kWh per hour = 60 kW
    path = tmp_path / "kwh.csv"
    hourly.write_csv(path)
    assert analytics.daily_summary(clean.regularise(clean.normalise_readings(io.read_readings(path))[0]).frame.drop("interval_min"))["kwh"][0] == pytest.approx(1440.0)  # fmt: skip
    daily = pl.DataFrame(
        {"account_id": "d", "date": [DAY.date() + dt.timedelta(days=k) for k in range(10)], "kwh": 2400.0}
    )
    daily.write_csv(tmp_path / "daily.csv")
    scores, report = analytics.detect_file(tmp_path / "daily.csv")  # found daily from the dates alone
    assert scores["interval_min"][0] == 1440 and report.daily_accounts == 1
    assert scores["mean_kw"][0] == pytest.approx(100.0) and report.gap_intervals == 0


def test_a_cumulative_register_is_refused_with_a_message_that_says_so(tmp_path, capsys):
    register = frame({"m1": np.cumsum(np.full(96 * 2, 25.0)), "ok": np.full(96 * 2, 30.0)})
    register.write_parquet(tmp_path / "counter.parquet")
    register.with_columns(pl.col("ts").dt.strftime("%Y-%m-%d %H:%M")).write_csv(tmp_path / "counter.csv")
    for name in ("counter.parquet", "counter.csv"):
        out = tmp_path / "o.csv"
        assert cli.detect_main(["--readings", str(tmp_path / name), "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert "只增不减" in err and "累计电量" in err and "m1" in err and "ok" not in err.split("（")[1][:5]
        assert str(tmp_path) not in err


def test_a_run_without_one_usable_row_exits_non_zero(tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_text("account_id,ts,kw\na,昨天,1\n,2026-11-01 00:00,2\n", encoding="utf-8")
    assert cli.detect_main(["--readings", str(path), "--out", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert "没有可用的读数" in err and str(tmp_path) not in err
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings_are_detected(tmp_path, encoding):
    text = "account_id,ts,kw\n户甲,2026年11月01日 00:15,10\n户甲,2026年11月01日 00:30,12\n"
    (tmp_path / "r.csv").write_bytes(text.encode(encoding))
    accounts = "account_id,industry,contracted_kva\n户甲,机械加工,400\n"
    (tmp_path / "a.csv").write_bytes(accounts.encode(encoding))
    readings = io.read_readings(tmp_path / "r.csv")
    assert readings.columns == ["account_id", "ts", "kw"] and readings["account_id"][0] == "户甲"
    assert io.read_accounts(tmp_path / "a.csv")["industry"][0] == "机械加工"
    scores, _ = analytics.detect_file(tmp_path / "r.csv")
    assert scores["account_id"].to_list() == ["户甲"]


def test_an_unknown_encoding_is_named_without_the_servers_path(tmp_path):
    (tmp_path / "r.csv").write_bytes(b"account_id,ts,kw\n" + b"\xff\xfe\x00a\x00,\x00" * 3 + b"\n")
    with pytest.raises(clean.InputError) as caught:
        io.read_readings(tmp_path / "r.csv", name="电力公司导出.csv")
    message = str(caught.value)
    assert "编码" in message and "UTF-8" in message and "GB18030" in message and "电力公司导出.csv" in message
    assert str(tmp_path) not in message
    with pytest.raises(clean.InputError) as caught:
        io.read_readings(tmp_path / "missing.csv", name="上传.csv")
    assert "上传.csv" in str(caught.value) and str(tmp_path) not in str(caught.value)


def test_hourly_furnace_data_is_scored_at_its_own_resolution(rng):
    """The coarse path runs end to end on hourly means of a real-looking load (what it finds is measured in
    docs/evaluation.md); the quarter-hour readings of the same load still alert."""
    days = 10
    kw = loads.to_intervals(
        loads.machining_shop(rng, days) + loads.induction_furnace(rng, days, 1500, list(range(days)))
    )
    quarter = frame({"f": kw})
    hourly = (
        quarter.group_by("account_id", pl.col("ts").dt.truncate("1h")).agg(pl.col("kw").mean()).sort("ts")
    )
    q_scores, h_scores = analytics.detect(quarter), analytics.detect(hourly)
    assert q_scores["level"][0] == "alert" and q_scores["interval_min"][0] == 15
    assert h_scores["interval_min"][0] == 60
    assert h_scores["max_day_kwh"][0] == pytest.approx(q_scores["max_day_kwh"][0], rel=1e-4)
