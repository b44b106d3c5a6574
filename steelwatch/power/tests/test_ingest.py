"""Readings in → Parquet archive, daily summaries, alerts out; through the page, the API and the CLI."""

import polars as pl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from steelwatch.core.models import Notification
from steelwatch.power.models import Alert, DailySummary, DetectionRun
from steelwatch.power.services import ledger_accounts
from steelwatch.registry.models import Furnace
from steelwatch.testing import api_client

from .conftest import CLOSED, DAYS, FOREIGN, FURNACE, NORMAL, UNKNOWN

pytestmark = pytest.mark.django_db


def _upload_page(client, user, path, capture):
    client.force_login(user)
    with capture(execute=True), path.open("rb") as handle:
        response = client.post(reverse("power:upload"), {"file": handle})
    assert response.status_code == 302
    return DetectionRun.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[1])


def test_page_upload_of_parquet_archives_summarises_and_alerts(
    client, power_staff, owner, ledger, parquet_file, django_capture_on_commit_callbacks
):
    run = _upload_page(client, power_staff, parquet_file, django_capture_on_commit_callbacks)
    assert run.status == DetectionRun.Status.DONE, run.message
    assert run.job.status == "done" and run.job.progress == 100

    # the raw readings of the accepted accounts, as Parquet under READINGS_DIR, one file per month
    archived = settings.READINGS_DIR / "2026-03" / f"run-{run.pk}.parquet"
    stored = pl.read_parquet(archived)
    assert set(stored["account_id"]) == {FURNACE, NORMAL, CLOSED}
    assert stored.height == run.rows_stored == 3 * DAYS * 96  # NORMAL: one row missing, one duplicated

    assert DailySummary.objects.filter(account=ledger[FURNACE]).count() == DAYS
    assert DailySummary.objects.count() == 3 * DAYS
    night = DailySummary.objects.get(account=ledger[FURNACE], day="2026-03-03")
    assert night.peak_kw > 1400 and night.night_share > 0.5

    furnace = Alert.objects.get(account=ledger[FURNACE])
    assert furnace.level == "alert" and furnace.status == "new" and furnace.score > 0.8
    assert "感应炉" in furnace.reasons and "未登记" in furnace.reasons
    assert furnace.features["melt_cycles_max"] >= 3
    assert not Alert.objects.filter(account=ledger[NORMAL]).exists()
    closed = Alert.objects.get(account=ledger[CLOSED])
    assert closed.level == "alert" and "关停" in closed.reasons
    assert not Alert.objects.filter(account=ledger[FOREIGN]).exists()

    # what the uploader is told, in Chinese: unknown and out-of-jurisdiction accounts, data quality
    assert run.unknown_accounts == [UNKNOWN] and run.rejected_accounts == [FOREIGN]
    assert "重复读数" in run.quality and "负功率" in run.quality and "缺数" in run.quality
    page = client.get(reverse("power:run_detail", args=[run.pk])).content.decode()
    assert UNKNOWN in page and FOREIGN in page and "未在台账中登记" in page and "数据质量" in page

    # the district office and the power company's staff hear of both alert-level alerts
    for user in (owner, power_staff):
        texts = list(Notification.objects.filter(recipient=user).values_list("text", flat=True))
        assert len(texts) == 2 and any(FURNACE in t for t in texts)


def test_api_upload_of_csv_runs_in_the_background(
    power_staff, ledger, csv_file, django_capture_on_commit_callbacks
):
    api = api_client(power_staff)
    with django_capture_on_commit_callbacks(execute=True), csv_file.open("rb") as handle:
        response = api.post("/api/v1/power/readings", {"file": handle})
    assert response.status_code == 202, response.content
    body = response.json()
    status = api.get(body["status_url"]).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["result"]["alerts"] == 2 and status["result"]["unknown_accounts"] == [UNKNOWN]

    listed = api.get("/api/v1/power/alerts").json()
    assert listed["count"] == 2 and listed["next"] is None
    alerts = listed["items"]
    assert [a["account_id"] for a in alerts] == sorted(
        [FURNACE, CLOSED], key=lambda a: -next(x["score"] for x in alerts if x["account_id"] == a)
    )
    assert alerts[0]["score"] >= alerts[1]["score"]
    only = api.get("/api/v1/power/alerts", {"level": "alert", "status": "new", "division": "320412"}).json()
    assert len(only["items"]) == 2
    assert api.get("/api/v1/power/alerts", {"division": "320411"}).json()["items"] == []
    first = api.get("/api/v1/power/alerts", {"limit": 1}).json()
    assert [a["id"] for a in first["items"]] == [alerts[0]["id"]] and "offset=1" in first["next"]
    one = api.get(f"/api/v1/power/alerts/{alerts[0]['id']}").json()
    assert one["reasons"] and one["period_start"] == "2026-03-01"


def test_api_json_rows_and_bad_input(power_staff, ledger, readings, django_capture_on_commit_callbacks):
    api = api_client(power_staff)
    rows = [
        {"account_id": a, "ts": t.isoformat(sep=" "), "kw": k}
        for a, t, k in readings.filter(pl.col("account_id") == CLOSED).iter_rows()
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/power/readings", {"rows": rows}, content_type="application/json")
    assert response.status_code == 202
    assert Alert.objects.get(account=ledger[CLOSED]).level == "alert"

    bad = api.post(
        "/api/v1/power/readings", {"rows": [{"account_id": CLOSED}]}, content_type="application/json"
    )
    assert bad.status_code == 422 and "rows" in bad.json()["detail"][0]["msg"]
    missing = api.post("/api/v1/power/readings", {})
    assert missing.status_code == 422 and "file" in missing.json()["detail"][0]["msg"]


def test_a_file_without_kw_fails_cleanly(
    client, power_staff, ledger, readings, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "no_kw.csv"
    readings.drop("kw").write_csv(path)
    run = _upload_page(client, power_staff, path, django_capture_on_commit_callbacks)
    assert run.status == DetectionRun.Status.FAILED and "缺少必需列：kw" in run.message
    assert run.job.status == "failed"
    assert not list(settings.READINGS_DIR.glob("*/*.parquet")) if settings.READINGS_DIR.exists() else True
    assert not Alert.objects.exists() and not DailySummary.objects.exists()


def test_a_new_run_updates_the_open_alert_and_respects_dismissals(
    client, power_staff, ledger, parquet_file, django_capture_on_commit_callbacks
):
    _upload_page(client, power_staff, parquet_file, django_capture_on_commit_callbacks)
    second = _upload_page(client, power_staff, parquet_file, django_capture_on_commit_callbacks)
    furnace = Alert.objects.get(account=ledger[FURNACE])
    assert furnace.run == second and Alert.objects.count() == 2
    assert DailySummary.objects.count() == 3 * DAYS

    closed = Alert.objects.get(account=ledger[CLOSED])
    client.post(reverse("power:alert_dismiss", args=[closed.pk]), {"reason": "经现场核实为拆除设备施工用电"})
    _upload_page(client, power_staff, parquet_file, django_capture_on_commit_callbacks)
    assert Alert.objects.filter(account=ledger[CLOSED]).count() == 1  # the same period, already judged


def test_ingest_readings_command(owner, ledger, csv_file, capsys):
    call_command("ingest_readings", str(csv_file), user="owner")
    out = capsys.readouterr().out
    assert "检测完成：3 户，告警 2 户" in out and "数据质量" in out
    run = DetectionRun.objects.get()
    assert run.via == "cli" and run.created_by == owner and run.rejected_accounts == [FOREIGN]
    assert Alert.objects.filter(level="alert").count() == 2


def test_the_outsiders_upload_of_our_accounts_is_rejected(
    client, outsider, ledger, parquet_file, django_capture_on_commit_callbacks
):
    run = _upload_page(client, outsider, parquet_file, django_capture_on_commit_callbacks)
    assert run.status == DetectionRun.Status.DONE
    assert run.rejected_accounts == sorted([FURNACE, NORMAL, CLOSED])
    assert not Alert.objects.filter(account__division__code__startswith="320412").exists()
    assert Alert.objects.filter(account=ledger[FOREIGN]).count() == 0  # its machining shop is normal


def test_accounts_frame_from_the_ledger(ledger):
    shop = ledger[FURNACE].enterprise
    Furnace.objects.create(enterprise=shop, number="A", kind="medium_freq", capacity_t=1, rated_kw=750)
    Furnace.objects.create(
        enterprise=shop,
        number="B",
        kind="medium_freq",
        capacity_t=1,
        rated_kw=500,
        status=Furnace.Status.SEALED,
    )
    frame = ledger_accounts([ledger[FURNACE], ledger[NORMAL], ledger[CLOSED]])
    rows = {r["account_id"]: r for r in frame.iter_rows(named=True)}
    assert rows[FURNACE]["registered_furnace_kw"] == 750  # the sealed one does not count
    assert rows[FURNACE]["industry"] == "机械加工" and rows[FURNACE]["site_status"] == "operating"
    assert rows[CLOSED]["registered_furnace_kw"] == 0 and rows[CLOSED]["site_status"] == "closed"
    assert rows[NORMAL]["contracted_kva"] == 400
