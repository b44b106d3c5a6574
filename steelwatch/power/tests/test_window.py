"""Detection over a rolling window of archived readings: daily or weekly uploads add up, overlapping uploads
are de-duplicated (the newest wins), and re-uploading part of a day rebuilds its summary from the merge."""

import datetime

import polars as pl
import pytest

from steelwatch.power.models import Alert, DailySummary, DetectionRun
from steelwatch.power.services import archived_readings, detection_run_execute, readings_submit

from .conftest import FURNACE, machining_shop

pytestmark = pytest.mark.django_db

# A machining shop whose unregistered furnace melts on two nights in each half of March.
NIGHTS = (2, 9, 18, 25)
NIGHT_DATES = ("3月3日", "3月10日", "3月19日", "3月26日")


@pytest.fixture
def month() -> pl.DataFrame:
    ts, kw = machining_shop(30, NIGHTS)
    return pl.DataFrame({"account_id": FURNACE, "ts": ts, "kw": kw})


def _days(frame: pl.DataFrame, first: int, last: int) -> pl.DataFrame:
    start = datetime.datetime(2026, 3, 1)
    return frame.filter(
        pl.col("ts").is_between(
            start + datetime.timedelta(days=first), start + datetime.timedelta(days=last + 1), closed="left"
        )
    )


def _ingest(frame: pl.DataFrame, actor, tmp_path, name: str) -> DetectionRun:
    path = tmp_path / name
    frame.sample(fraction=1.0, shuffle=True, seed=1).write_parquet(path)  # arrival order is not time order
    run = readings_submit(actor=actor, via="cli", source=path)
    detection_run_execute(run=run)
    run.refresh_from_db()
    assert run.status == DetectionRun.Status.DONE, run.message
    return run


def test_two_half_month_uploads_are_scored_together(power_staff, ledger, month, tmp_path):
    first = _ingest(_days(month, 0, 14), power_staff, tmp_path, "first.parquet")
    alert = Alert.objects.get(account=ledger[FURNACE])
    assert alert.level == "alert"
    assert all(d in alert.reasons for d in NIGHT_DATES[:2]) and NIGHT_DATES[2] not in alert.reasons
    assert (first.window_start, first.window_end) == (datetime.date(2026, 2, 14), datetime.date(2026, 3, 15))

    second = _ingest(_days(month, 15, 29), power_staff, tmp_path, "second.parquet")
    assert (second.window_start, second.window_end) == (datetime.date(2026, 3, 1), datetime.date(2026, 3, 30))
    assert (second.period_start, second.period_end) == (
        datetime.date(2026, 3, 16),
        datetime.date(2026, 3, 30),
    )
    alert = Alert.objects.get(account=ledger[FURNACE])
    assert alert.run == second and alert.level == "alert"
    # evidence from both halves: all four nights are cited, and counted
    assert all(d in alert.reasons for d in NIGHT_DATES), alert.reasons
    assert alert.features["melt_sessions"] == 4
    assert (alert.period_start, alert.period_end) == (datetime.date(2026, 3, 1), datetime.date(2026, 3, 30))
    assert DailySummary.objects.filter(account=ledger[FURNACE]).count() == 30
    assert "检测窗口 2026-03-01—2026-03-30" in second.quality and "重复读数" not in second.quality


def test_a_partial_reupload_of_a_day_does_not_shrink_its_summary(power_staff, ledger, month, tmp_path):
    _ingest(_days(month, 0, 14), power_staff, tmp_path, "first.parquet")
    _ingest(_days(month, 15, 29), power_staff, tmp_path, "second.parquet")
    night = DailySummary.objects.get(account=ledger[FURNACE], day="2026-03-10")
    before = {f: getattr(night, f) for f in ("kwh", "peak_kw", "night_kwh", "active_intervals")}

    # the afternoon and evening of 10 March sent again (48 of 96 intervals), each reading 10 kW higher
    resent = _days(month, 9, 9).filter(pl.col("ts").dt.hour() >= 12).with_columns(kw=pl.col("kw") + 10)
    third = _ingest(resent, power_staff, tmp_path, "again.parquet")
    assert third.rows_stored == 48 and third.window_end == datetime.date(2026, 3, 10)
    night.refresh_from_db()
    assert night.run == third
    assert night.kwh == pytest.approx(before["kwh"] + 10 * 48 * 0.25, abs=0.05)  # the newest upload wins
    assert night.peak_kw == pytest.approx(before["peak_kw"] + 10, abs=0.05)
    assert night.active_intervals >= before["active_intervals"]
    assert DailySummary.objects.get(account=ledger[FURNACE], day="2026-03-09").run != third  # untouched

    # the archive keeps every upload; read back, the newest value wins per interval
    curve = archived_readings([FURNACE], datetime.date(2026, 3, 10), datetime.date(2026, 3, 10))
    assert curve.height == 96 + 48 and set(curve["run"]) == {third.pk - 2, third.pk}
    # an older window does not overwrite the alert that already rests on newer evidence
    alert = Alert.objects.get(account=ledger[FURNACE])
    assert alert.period_end == datetime.date(2026, 3, 30) and NIGHT_DATES[3] in alert.reasons


def test_the_window_length_comes_from_settings(settings, power_staff, ledger, month, tmp_path):
    settings.POWER_DETECTION_WINDOW_DAYS = 7
    _ingest(_days(month, 0, 14), power_staff, tmp_path, "first.parquet")
    second = _ingest(_days(month, 15, 29), power_staff, tmp_path, "second.parquet")
    assert (second.window_start, second.window_end) == (
        datetime.date(2026, 3, 24),
        datetime.date(2026, 3, 30),
    )
    alert = Alert.objects.get(account=ledger[FURNACE])
    assert alert.run == second and f"共1晚（{NIGHT_DATES[3]}）" in alert.reasons, alert.reasons


def test_readings_of_failed_runs_are_not_merged(power_staff, ledger, month, tmp_path):
    first = _ingest(_days(month, 0, 14), power_staff, tmp_path, "first.parquet")
    DetectionRun.objects.filter(pk=first.pk).update(status=DetectionRun.Status.FAILED)
    second = _ingest(_days(month, 15, 29), power_staff, tmp_path, "second.parquet")
    assert second.window_start == datetime.date(2026, 3, 1)
    alert = Alert.objects.get(account=ledger[FURNACE])
    assert NIGHT_DATES[0] not in alert.reasons and alert.features["melt_sessions"] <= 2


def test_readings_stamped_in_the_future_are_dropped_and_reported(power_staff, ledger, month, tmp_path):
    late = _days(month, 29, 29).with_columns(
        pl.col("ts") + datetime.timedelta(days=3650)
    )  # a clock ten years ahead
    run = _ingest(pl.concat([_days(month, 0, 28), late]), power_staff, tmp_path, "clock.parquet")
    assert run.window_end == datetime.date(2026, 3, 29) and run.period_end == datetime.date(2026, 3, 29)
    assert "96 行读数时间晚于当前时间（最晚 2036-03-" in run.quality and "已丢弃" in run.quality
    assert not DailySummary.objects.filter(day__gt=datetime.date(2026, 3, 29)).exists()
