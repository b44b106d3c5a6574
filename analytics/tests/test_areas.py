"""Transformer-area balance: a furnace drawing through an unmetered tap shows as the area's excess over its
customers' meters and technical loss; an area whose meters add up does not alert."""

import numpy as np
import polars as pl

from analytics import cli
from analytics.tests import loads
from analytics.tests.conftest import DAYS, frame


def area_files(tmp_path, rng):
    shops = {f"a{k}": loads.to_intervals(loads.machining_shop(rng, DAYS)) for k in range(6)}
    shops |= {f"b{k}": loads.to_intervals(loads.machining_shop(rng, DAYS)) for k in range(6)}
    tap = loads.to_intervals(loads.induction_furnace(rng, DAYS, 1200, list(range(2, DAYS, 3))))
    readings = frame(shops)
    metered = {area: sum(shops[f"{area}{k}"] for k in range(6)) for area in "ab"}
    loss = {area: 0.04 * metered[area] + 3 + rng.normal(0, 1.5, DAYS * 96) for area in "ab"}
    totals = frame({"A": metered["a"] + loss["a"] + tap, "B": metered["b"] + loss["b"]}).rename(
        {"account_id": "area_id"}
    )
    mapping = pl.DataFrame({"account_id": list(shops), "area_id": ["A"] * 6 + ["B"] * 6})
    readings.write_parquet(tmp_path / "readings.parquet")
    totals.with_columns(pl.col("ts").dt.strftime("%Y-%m-%dT%H:%M:%S+08:00")).write_csv(tmp_path / "areas.csv")
    mapping.write_csv(tmp_path / "mapping.csv")


def test_an_unmetered_tap_alerts_its_area_naming_hours_energy_and_sites(tmp_path, rng, capsys):
    area_files(tmp_path, rng)
    argv = ["--areas", str(tmp_path / "areas.csv"), "--readings", str(tmp_path / "readings.parquet"),
            "--mapping", str(tmp_path / "mapping.csv"), "--out", str(tmp_path / "areas_out.csv")]  # fmt: skip
    assert cli.main(["detect-areas", *argv]) == 0
    out = pl.read_csv(tmp_path / "areas_out.csv")
    assert out.columns == ["area_id", "score", "level", "reasons"]
    rows = {r["area_id"]: r for r in out.iter_rows(named=True)}
    assert rows["A"]["level"] == "alert" and rows["B"]["level"] == "normal"
    reasons = rows["A"]["reasons"]
    assert "小时高于200 kW" in reasons and "kWh" in reasons and "技术线损约" in reasons and "夜间" in reasons
    assert "a0" in reasons and "表前接线" in reasons and "周期" in reasons
    assert np.isfinite(rows["A"]["score"]) and rows["A"]["score"] > rows["B"]["score"]


def test_a_mapping_without_readings_is_a_clear_error(tmp_path, capsys):
    pl.DataFrame({"area_id": ["A"], "ts": ["2026-03-01 00:00"], "kw": [1.0]}).write_csv(tmp_path / "a.csv")
    pl.DataFrame({"account_id": ["x"], "ts": ["2026-03-02 00:00"], "kw": [1.0]}).write_csv(tmp_path / "r.csv")
    pl.DataFrame({"account_id": ["x"], "area_id": ["A"]}).write_csv(tmp_path / "m.csv")
    argv = ["--areas", str(tmp_path / "a.csv"), "--readings", str(tmp_path / "r.csv"), "--mapping",
            str(tmp_path / "m.csv"), "--out", str(tmp_path / "o.csv")]  # fmt: skip
    assert cli.main(["detect-areas", *argv]) == 2
    assert "没有可用的台区读数" in capsys.readouterr().err
