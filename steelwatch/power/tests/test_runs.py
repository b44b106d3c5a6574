"""The runs page and API, the engine chosen by settings, and the enterprise page's alert partial."""

import pytest
from django.test import Client
from django.urls import reverse

from steelwatch.power.models import Alert, DetectionRun
from steelwatch.power.selectors import alerts_for_enterprise
from steelwatch.power.services import detection_run_execute, readings_submit
from steelwatch.testing import api_client, make_enterprise, make_user

from .conftest import CLOSED, FURNACE, NORMAL

pytestmark = pytest.mark.django_db


def _run(actor, path, **submit) -> DetectionRun:
    run = readings_submit(actor=actor, via="cli", source=path, **submit)
    detection_run_execute(run=run)
    run.refresh_from_db()
    return run


@pytest.fixture
def run(power_staff, ledger, parquet_file):
    return _run(power_staff, parquet_file)


def test_runs_page_lists_what_the_user_may_see(
    client, owner, outsider, power_staff, run, django_assert_max_num_queries
):
    client.force_login(owner)  # the district office sees runs uploaded within its district
    with django_assert_max_num_queries(10):
        html = client.get(reverse("power:run_list")).content.decode()
    row = html.split(f'id="run-{run.pk}"')[1].split("</tr>")[0]
    assert reverse("power:run_detail", args=[run.pk]) in row and power_staff.username in row
    assert ">local</td>" in row and "已完成" in row and ">3</td>" in row and "2 / 0" in row
    assert "2月13日—3月14日" in row  # the 30-day window ending with the newest reading
    assert "数据质量" in row and "重复读数" in row
    assert (
        f'id="run-{run.pk}"'
        not in client.get(reverse("power:run_list"), {"status": "failed"}).content.decode()
    )
    assert (
        f'id="run-{run.pk}"'
        not in client.get(reverse("power:run_list"), {"status": "bogus"}).content.decode()
    )

    client.force_login(power_staff)
    assert f'id="run-{run.pk}"' in client.get(reverse("power:run_list")).content.decode()
    client.force_login(outsider)
    assert f'id="run-{run.pk}"' not in client.get(reverse("power:run_list")).content.decode()
    assert client.get(reverse("power:run_detail", args=[run.pk])).status_code == 404


def test_run_detail_shows_the_window(client, power_staff, run):
    client.force_login(power_staff)
    html = client.get(reverse("power:run_detail", args=[run.pk])).content.decode()
    assert "2026-02-13 — 2026-03-14" in html and "2026-03-01 — 2026-03-14" in html


def test_runs_api(power_staff, owner, outsider, run):
    body = api_client(owner).get("/api/v1/power/runs").json()
    assert [r["id"] for r in body["items"]] == [run.pk] and body["count"] == 1
    one = api_client(power_staff).get(f"/api/v1/power/runs/{run.pk}").json()
    assert one["created_by"] == power_staff.username and one["engine"] == "local" and one["status"] == "done"
    assert (one["alert_count"], one["account_count"]) == (2, 3) and "重复读数" in one["quality"]
    assert (one["window_start"], one["window_end"]) == ("2026-02-13", "2026-03-14")
    assert api_client(owner).get("/api/v1/power/runs", {"status": "failed"}).json()["items"] == []

    assert api_client(outsider).get("/api/v1/power/runs").json()["items"] == []
    assert api_client(outsider).get(f"/api/v1/power/runs/{run.pk}").status_code == 404
    assert Client().get("/api/v1/power/runs").status_code == 401
    assert Client().get(f"/api/v1/power/runs/{run.pk}").status_code == 401


@pytest.mark.spark
def test_the_engine_and_spark_master_come_from_settings(settings, power_staff, ledger, parquet_file):
    local = _run(power_staff, parquet_file)
    expected = dict(Alert.objects.values_list("account__account_id", "score"))
    settings.POWER_DETECTION_ENGINE, settings.POWER_SPARK_MASTER = "spark", "local[2]"
    spark = _run(power_staff, parquet_file)
    assert local.engine == "local" and spark.engine == "spark" and spark.status == "done", spark.message
    assert spark.alert_count == local.alert_count == 2
    alerts = Alert.objects.filter(run=spark)
    assert {a.account.account_id: a.score for a in alerts} == pytest.approx(expected)


def test_an_unknown_engine_is_refused(power_staff, parquet_file):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="未知的计算引擎：gpu"):
        readings_submit(actor=power_staff, via="cli", source=parquet_file, engine="gpu")
    assert not DetectionRun.objects.exists()


def test_enterprise_alerts_partial(client, owner, outsider, run, ledger):
    shop, plain = ledger[FURNACE].enterprise, ledger[NORMAL].enterprise
    url = reverse("power:enterprise_alerts", args=[shop.pk])
    assert url == f"/power/enterprise/{shop.pk}/alerts/"
    client.force_login(owner)
    response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    alert = Alert.objects.get(account=ledger[FURNACE])
    assert response.status_code == 200 and "<html" not in html and 'id="enterprise-alerts"' in html
    assert reverse("power:alert_detail", args=[alert.pk]) in html and FURNACE in html
    assert CLOSED not in html  # another enterprise's account
    assert "没有用电告警" in client.get(reverse("power:enterprise_alerts", args=[plain.pk])).content.decode()
    assert client.post(url).status_code == 405

    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert not alerts_for_enterprise(outsider, shop).exists()
    assert list(alerts_for_enterprise(owner, shop)) == [alert]

    grid = make_user("grid_officer", "320412")  # sees the ledger, not alerts
    assert not alerts_for_enterprise(grid, shop).exists()
    client.force_login(grid)
    assert "没有查看用电告警的权限" in client.get(url).content.decode()
    elsewhere = make_enterprise("320411", name="新北某厂")
    client.force_login(owner)
    assert client.get(reverse("power:enterprise_alerts", args=[elsewhere.pk])).status_code == 404


def test_run_page_details_poll_while_running_and_show_the_counts_when_done(
    client, power_staff, ledger, parquet_file
):
    """The whole details block (not just the progress bar) reloads itself until the run finishes."""
    run = readings_submit(actor=power_staff, via="cli", source=parquet_file)
    client.force_login(power_staff)
    url = reverse("power:run_detail", args=[run.pk])
    page = client.get(url).content.decode()
    block = page.split('id="run-details"')[1].split(">")[0]
    assert f'hx-get="{url}"' in block and 'hx-trigger="every 1s"' in block and 'hx-swap="outerHTML"' in block
    assert "<html" in page

    detection_run_execute(run=run)
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="run-details"')
    assert "hx-trigger" not in fragment  # finished: no more polling
    assert 'data-status="done"' in fragment and '<dd id="run-accounts">3</dd>' in fragment
    assert "2 / 0" in fragment and "数据质量报告" in fragment
    assert reverse("power:alert_list") in fragment
