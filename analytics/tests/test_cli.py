"""`python -m analytics.cli detect` with real Parquet and CSV files."""

import subprocess
import sys
from pathlib import Path

import polars as pl

from analytics import cli, io

ROOT = Path(__file__).resolve().parents[2]


def write_inputs(tmp_path, sample):
    readings, accounts = sample
    readings.write_parquet(tmp_path / "r.parquet")
    shuffled = readings.sample(fraction=1.0, shuffle=True, seed=1).with_columns(
        pl.col("ts").dt.strftime("%Y-%m-%d %H:%M")
    )
    shuffled.write_csv(tmp_path / "r.csv")
    accounts.write_csv(tmp_path / "a.csv")


def test_parquet_and_csv_agree(tmp_path, sample, capsys):
    write_inputs(tmp_path, sample)
    for name in ("r.parquet", "r.csv"):
        argv = [
            "--readings",
            str(tmp_path / name),
            "--accounts",
            str(tmp_path / "a.csv"),
            "--out",
            str(tmp_path / f"{name}.out.csv"),
        ]
        assert cli.detect_main(argv) == 0
    first, second = (pl.read_csv(tmp_path / f"{n}.out.csv") for n in ("r.parquet", "r.csv"))
    assert first.columns == ["account_id", "score", "level", "reasons"]
    assert first.equals(second) and first.height == 9
    err = capsys.readouterr().err
    assert "数据质量" in err and "乱序到达" in err and "告警" in err


def test_streaming_across_batches_matches(tmp_path, sample):
    readings, accounts = sample
    readings.write_parquet(tmp_path / "r.parquet", row_group_size=1000)
    chunks = list(io.iter_parquet_chunks(tmp_path / "r.parquet", rows_per_batch=1000))
    assert sum(c.rows for c in chunks) == readings.height
    ids = [a for c in chunks for a in c.account_ids]
    assert len(ids) == len(set(ids)) == 9


def test_daily_input(tmp_path, sample):
    readings, accounts = sample
    daily = readings.group_by("account_id", pl.col("ts").dt.date().alias("date")).agg(
        kwh=pl.col("kw").sum() / 4
    )
    daily.write_csv(tmp_path / "d.csv")
    argv = [
        "--readings",
        str(tmp_path / "d.csv"),
        "--accounts",
        str(tmp_path / "a.csv"),
        "--out",
        str(tmp_path / "o.csv"),
        "--daily",
    ]
    accounts.write_csv(tmp_path / "a.csv")
    assert cli.detect_main(argv) == 0
    out = pl.read_csv(tmp_path / "o.csv")
    assert out.filter(pl.col("account_id") == "closed_alive")["level"][0] == "alert"


def test_bad_input_exits_2_with_chinese_error(tmp_path, capsys):
    pl.DataFrame({"account_id": ["a"], "kw": [1.0]}).write_csv(tmp_path / "bad.csv")
    assert cli.detect_main(["--readings", str(tmp_path / "bad.csv"), "--out", str(tmp_path / "o.csv")]) == 2
    assert "缺少必需列：ts" in capsys.readouterr().err
    assert (
        cli.detect_main(["--readings", str(tmp_path / "missing.parquet"), "--out", str(tmp_path / "o.csv")])
        == 2
    )


def test_module_entry_point(tmp_path, sample):
    write_inputs(tmp_path, sample)
    run = subprocess.run(
        [sys.executable, "-m", "analytics.cli", "detect", "--readings", str(tmp_path / "r.parquet"), "--out", str(tmp_path / "o.csv")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert pl.read_csv(tmp_path / "o.csv").height == 9
