"""Readings as power companies export them, uploaded through the page: hourly GBK exports with UTC times,
5-minute readings, cumulative registers and files with no usable row."""

import datetime

import polars as pl
import pytest
from django.conf import settings

from steelwatch.power.models import Alert, DailySummary, DetectionRun

from .conftest import CLOSED, FURNACE, NORMAL, START
from .test_ingest import _upload_page

pytestmark = pytest.mark.django_db


def test_hourly_gbk_export_with_utc_times_gives_the_right_daily_energy(
    client, power_staff, ledger, readings, tmp_path, django_capture_on_commit_callbacks
):
    hourly = (
        readings.filter(pl.col("account_id").is_in([FURNACE, NORMAL, CLOSED]))
        .unique(["account_id", "ts"], keep="last")
        .group_by("account_id", pl.col("ts").dt.truncate("1h"))
        .agg(pl.col("kw").mean())
        .sort("account_id", "ts")
    )
    expected = hourly.group_by("account_id", day=pl.col("ts").dt.date()).agg(kwh=pl.col("kw").sum())
    text = hourly.with_columns(
        ts=(pl.col("ts") - datetime.timedelta(hours=8)).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    ).write_csv()
    path = tmp_path / "国网导出.csv"
    path.write_bytes(text.encode("gbk"))
    run = _upload_page(client, power_staff, path, django_capture_on_commit_callbacks)
    assert run.status == DetectionRun.Status.DONE, run.message
    assert "小时读数" in run.quality and str(settings.UPLOAD_DIR) not in run.quality
    for account, day, kwh in expected.iter_rows():
        summary = DailySummary.objects.get(account__account_id=account, day=day)
        assert float(summary.kwh) == pytest.approx(kwh, abs=0.02)  # not 75 % short
    # the closed site's evenings of life are still seen at hourly resolution
    assert Alert.objects.get(account__account_id=CLOSED).level == "alert"


def test_five_minute_readings_are_averaged_not_two_thirds_lost(
    client, power_staff, ledger, readings, tmp_path, django_capture_on_commit_callbacks
):
    quarter = readings.filter(pl.col("account_id") == NORMAL).unique(["account_id", "ts"], keep="last")
    five = pl.concat(
        [quarter.with_columns(pl.col("ts") + datetime.timedelta(minutes=m)) for m in (0, 5, 10)]
    ).sort("ts")
    path = tmp_path / "five.csv"
    five.with_columns(pl.col("ts").dt.strftime("%Y/%m/%d %H:%M")).write_csv(path)
    run = _upload_page(client, power_staff, path, django_capture_on_commit_callbacks)
    assert run.status == DetectionRun.Status.DONE, run.message
    assert f"{five.height - quarter.height:,} 行 1–10 分钟读数已合并" in run.quality
    day = START.date()
    summary = DailySummary.objects.get(account__account_id=NORMAL, day=day)
    expected = quarter.filter(pl.col("ts").dt.date() == day)["kw"].clip(0).sum() / 4
    assert float(summary.kwh) == pytest.approx(expected, abs=0.05)


def test_a_cumulative_register_fails_the_run_and_says_so(
    client, power_staff, ledger, tmp_path, django_capture_on_commit_callbacks
):
    ts = [START + datetime.timedelta(minutes=15 * i) for i in range(96)]
    register = pl.DataFrame({"account_id": NORMAL, "ts": ts, "kw": [1000.0 + 25 * i for i in range(96)]})
    path = tmp_path / "表码.csv"
    register.write_csv(path)
    run = _upload_page(client, power_staff, path, django_capture_on_commit_callbacks)
    assert run.status == DetectionRun.Status.FAILED
    assert "只增不减" in run.message and "累计电量" in run.message and NORMAL in run.message
    assert str(settings.UPLOAD_DIR) not in run.message and "表码.csv" in run.message
    assert not DailySummary.objects.exists()


def test_a_file_without_a_usable_row_fails(
    client, power_staff, ledger, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "bad.csv"
    path.write_text("account_id,ts,kw\n3204120002,上午,10\n,2026-03-01 00:00,5\n", encoding="utf-8")
    run = _upload_page(client, power_staff, path, django_capture_on_commit_callbacks)
    assert run.status == DetectionRun.Status.FAILED and "没有可用的读数" in run.message
    assert run.job.status == "failed"


def test_an_unreadable_encoding_is_named(
    client, power_staff, ledger, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"account_id,ts,kw\n" + b"\xff\xfe\x81\x30," * 4 + b"\n")
    run = _upload_page(client, power_staff, path, django_capture_on_commit_callbacks)
    assert run.status == DetectionRun.Status.FAILED
    assert "编码" in run.message and "latin.csv" in run.message
    assert str(settings.UPLOAD_DIR) not in run.message


def test_the_declared_interval_is_checked_against_the_timestamps(
    power_staff, ledger, readings, tmp_path, django_capture_on_commit_callbacks
):
    from steelwatch.testing import api_client

    hourly = (
        readings.filter(pl.col("account_id") == NORMAL)
        .group_by("account_id", pl.col("ts").dt.truncate("1h"))
        .agg(pl.col("kw").mean())
        .sort("ts")
    )
    path = tmp_path / "hourly.csv"
    hourly.write_csv(path)
    api = api_client(power_staff)
    with path.open("rb") as handle:
        bad = api.post("/api/v1/power/readings", {"file": handle, "interval": "7"})
    assert bad.status_code == 422 and "读数间隔" in bad.json()["detail"][0]["msg"]
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as handle:
        response = api.post("/api/v1/power/readings", {"file": handle, "interval": "15"})
    assert response.status_code == 202, response.content
    run = DetectionRun.objects.get(pk=response.json()["run_id"])
    assert run.declared_interval == 15 and run.status == DetectionRun.Status.DONE
    assert "60 分钟 1 户" in run.quality and "申报间隔为 15 分钟" in run.quality and NORMAL in run.quality
