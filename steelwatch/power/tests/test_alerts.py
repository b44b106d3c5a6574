"""The alert list and page, handling (acknowledge, dismiss with a reason, escalate to a case), and the
outsider refused everywhere."""

import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from steelwatch.cases.models import Case
from steelwatch.power.models import Alert
from steelwatch.registry.models import CapacityIncreaseRequest
from steelwatch.testing import api_client

from .conftest import CLOSED, FURNACE

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(power_staff, ledger, parquet_file, django_capture_on_commit_callbacks):
    from steelwatch.power.services import detection_run_execute, readings_submit

    class Upload:
        name, size = parquet_file.name, parquet_file.stat().st_size

        def chunks(self):
            yield parquet_file.read_bytes()

    run = readings_submit(actor=power_staff, via="page", upload=Upload())
    detection_run_execute(run=run)
    return {a.account.account_id: a for a in Alert.objects.select_related("account")}


def test_alert_list_is_ranked_and_filtered(client, owner, alerts):
    client.force_login(owner)
    page = client.get(reverse("power:alert_list")).content.decode()
    first, second = sorted([FURNACE, CLOSED], key=lambda a: -alerts[a].score)
    assert first in page and second in page and page.index(first) < page.index(second)
    township = alerts[FURNACE].account.division_id
    assert (
        FURNACE
        in client.get(reverse("power:alert_list"), {"division": township, "level": "alert"}).content.decode()
    )
    assert FURNACE not in client.get(reverse("power:alert_list"), {"status": "dismissed"}).content.decode()


def _listed(client, **params) -> list[str]:
    page = client.get(reverse("power:alert_list"), params)
    assert page.status_code == 200
    return [alert.account.account_id for alert in page.context["page"].object_list]


def test_alert_list_searches_by_enterprise_uscc_or_account_and_sorts(client, owner, alerts):
    """#11 item 5: the enterprise's name (part of it), its whole USCC however typed, the account number; the
    township filter; sorting by score, data period and tonnes."""
    client.force_login(owner)
    furnace = alerts[FURNACE]
    enterprise = furnace.account.enterprise
    assert _listed(client, q="精工") == [FURNACE]
    assert _listed(client, q=f" {enterprise.uscc.lower()} ") == [FURNACE]
    assert _listed(client, q=FURNACE) == [FURNACE]
    assert _listed(client, q=FURNACE[:6]) == []  # an account number is a key, not a fragment
    assert _listed(client, q="不存在的企业") == []
    assert FURNACE in _listed(client, division=furnace.account.division_id)  # a township
    listed = Alert.objects.filter(account__division__code__startswith="320412")
    by_score = [a.account.account_id for a in listed.order_by("-score", "-tonnes", "-id")]
    by_tonnes = [a.account.account_id for a in listed.order_by("-tonnes", "-score", "-id")]
    assert len(by_score) >= 2
    assert _listed(client) == by_score and _listed(client, sort="unknown") == by_score
    assert _listed(client, sort="tonnes") == by_tonnes
    assert _listed(client, sort="new") == [
        a.account.account_id for a in listed.order_by("-period_end", "-id")
    ]
    assert _listed(client, sort="old") == [a.account.account_id for a in listed.order_by("period_end", "id")]
    api = api_client(owner)
    found = api.get("/api/v1/power/alerts", {"q": enterprise.uscc, "sort": "tonnes"}).json()
    assert found["count"] == 1 and found["items"][0]["account_id"] == FURNACE
    assert [a["account_id"] for a in api.get("/api/v1/power/alerts", {"sort": "tonnes"}).json()["items"]] == [
        a for a in by_tonnes
    ]
    refused = api.get("/api/v1/power/alerts", {"sort": "name"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "sort"
    page = client.get(reverse("power:alert_list"), {"q": "精工", "sort": "tonnes"}).content.decode()
    assert 'name="q"' in page and 'value="精工"' in page and '<option value="tonnes" selected>' in page


def test_alert_page_has_the_chart_data(client, owner, alerts):
    alert = alerts[FURNACE]
    CapacityIncreaseRequest.objects.create(
        account=alert.account, requested_on="2026-03-05", from_kva=400, to_kva=2000, reason="新增加工设备"
    )
    client.force_login(owner)
    response = client.get(reverse("power:alert_detail", args=[alert.pk]))
    html = response.content.decode()
    chart = json.loads(html.split('id="chart-data" type="application/json">')[1].split("</script>")[0])
    assert len(chart["curve"]) == 14 * 96 and chart["curve"][0][0] == "2026-03-01 00:00"
    assert len(chart["segments"]) >= 12 and all(peak > 1000 for _, _, peak in chart["segments"])
    assert chart["contracted_kw"] == 2000 and chart["furnace_kw"] == 0
    assert len(chart["daily"]) == 14 and chart["requests"][0][1] == 2000
    assert "新增加工设备" in html and "echarts.min.js" in html and "kVA 近似等于 kW" in html
    assert alert.reasons in html


def test_acknowledge_and_dismiss_requires_a_reason(client, owner, alerts):
    alert = alerts[FURNACE]
    client.force_login(owner)
    client.post(reverse("power:alert_acknowledge", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.status == "acknowledged" and alert.handled_by == owner

    response = client.post(reverse("power:alert_dismiss", args=[alert.pk]), {"reason": "  "}, follow=True)
    assert "请填写排除理由" in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == "acknowledged"

    api = api_client(owner)
    refused = api.post(
        f"/api/v1/power/alerts/{alert.pk}/dismiss", {"reason": ""}, content_type="application/json"
    )
    assert refused.status_code == 422 and "排除理由" in refused.json()["detail"][0]["msg"]
    done = api.post(
        f"/api/v1/power/alerts/{alert.pk}/dismiss",
        {"reason": "经核实为合法中频透热锻造"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "dismissed"
    again = api.post(f"/api/v1/power/alerts/{alert.pk}/escalate")
    assert again.status_code == 422 and "已排除" in again.json()["detail"][0]["msg"]


def test_escalate_opens_a_verification_case(client, power_staff, owner, alerts):
    alert = alerts[FURNACE]
    response = api_client(power_staff).post(f"/api/v1/power/alerts/{alert.pk}/escalate")
    assert response.status_code == 200, response.content
    case = Case.objects.get(pk=response.json()["case_id"])
    assert case.source == "power_alert" and case.source_ref == f"alert:{alert.pk}"
    assert case.division_id == alert.account.division_id and case.enterprise == alert.account.enterprise
    alert.refresh_from_db()
    assert alert.status == "escalated" and alert.case == case
    client.force_login(owner)
    page = client.get(reverse("power:alert_detail", args=[alert.pk])).content.decode()
    assert f"#{case.pk}" in page and "已登记" in page and 'id="escalate"' not in page
    assert f'href="{reverse("cases:case_detail", args=[case.pk])}"' in page

    client.force_login(owner)
    client.post(reverse("power:alert_escalate", args=[alerts[CLOSED].pk]))
    assert Case.objects.filter(source_ref=f"alert:{alerts[CLOSED].pk}").count() == 1


def test_a_township_may_see_but_not_handle(colleague, alerts):
    api = api_client(colleague)
    alert = alerts[FURNACE]
    assert api.get(f"/api/v1/power/alerts/{alert.pk}").status_code == 200
    assert api.post(f"/api/v1/power/alerts/{alert.pk}/escalate").status_code == 403


def test_the_outsider_sees_no_alert(client, outsider, owner, alerts):
    alert = alerts[FURNACE]
    run = alert.run
    client.force_login(outsider)
    assert FURNACE not in client.get(reverse("power:alert_list")).content.decode()
    assert client.get(reverse("power:alert_detail", args=[alert.pk])).status_code == 404
    for name in ("alert_acknowledge", "alert_dismiss", "alert_escalate"):
        assert client.post(reverse(f"power:{name}", args=[alert.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("power:run_detail", args=[run.pk])).status_code == 404

    api = api_client(outsider)
    assert api.get("/api/v1/power/alerts").json()["items"] == []
    assert api.get(f"/api/v1/power/alerts/{alert.pk}").status_code == 404
    assert (
        api.post(
            f"/api/v1/power/alerts/{alert.pk}/dismiss", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert api.post(f"/api/v1/power/alerts/{alert.pk}/escalate").status_code == 404
    alert.refresh_from_db()
    assert alert.status == "new"


def test_without_a_token_the_api_answers_401(alerts, parquet_file):
    anonymous = Client()
    alert = alerts[FURNACE]
    assert anonymous.get("/api/v1/power/alerts").status_code == 401
    assert anonymous.get(f"/api/v1/power/alerts/{alert.pk}").status_code == 401
    assert anonymous.post(f"/api/v1/power/alerts/{alert.pk}/escalate").status_code == 401
    assert anonymous.get("/api/v1/power/jobs/1").status_code == 401
    with parquet_file.open("rb") as handle:
        assert anonymous.post("/api/v1/power/readings", {"file": handle}).status_code == 401


def test_the_outsider_cannot_watch_our_job(
    power_staff, outsider, ledger, parquet_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), parquet_file.open("rb") as handle:
        body = api_client(power_staff).post("/api/v1/power/readings", {"file": handle}).json()
    assert api_client(outsider).get(body["status_url"]).status_code == 404
    assert api_client(power_staff).get(body["status_url"]).status_code == 200


def test_upload_needs_the_capability(client, colleague, city_user):
    client.force_login(colleague)
    assert client.get(reverse("power:upload")).status_code == 403
    client.force_login(city_user)
    assert client.get(reverse("power:upload")).status_code == 200


def test_dashboard_cards(owner, outsider, alerts):
    from steelwatch.power.selectors import dashboard_cards

    assert dashboard_cards(owner)[0]["value"] == 2
    assert dashboard_cards(outsider)[0]["value"] == 0


def test_the_list_page_query_count_does_not_grow_with_alerts(
    client, owner, alerts, django_assert_max_num_queries
):
    client.force_login(owner)
    # A fixed number: the page, its filters and counts, the session and the second-factor check; not one per alert.
    with django_assert_max_num_queries(13):
        assert client.get(reverse("power:alert_list")).status_code == 200


def test_chart_curve_has_null_slots_at_gaps():
    """A gap in the readings comes out as null points on every missing 15-minute slot, never bridged."""
    import datetime

    import polars as pl

    from steelwatch.power.services import curve_points

    t0 = datetime.datetime(2026, 3, 1)
    ts = [t0 + datetime.timedelta(minutes=15 * i) for i in (0, 1, 2, 6, 7)]  # slots 3, 4, 5 missing
    points = curve_points(pl.DataFrame({"ts": ts, "kw": [10.04, 20.0, 30.0, 40.0, 50.0]}))
    assert points == [
        ["2026-03-01 00:00", 10.0],
        ["2026-03-01 00:15", 20.0],
        ["2026-03-01 00:30", 30.0],
        ["2026-03-01 00:45", None],
        ["2026-03-01 01:00", None],
        ["2026-03-01 01:15", None],
        ["2026-03-01 01:30", 40.0],
        ["2026-03-01 01:45", 50.0],
    ]
    assert (
        curve_points(pl.DataFrame({"ts": [], "kw": []}, schema={"ts": pl.Datetime, "kw": pl.Float64})) == []
    )


def test_alert_page_chart_breaks_the_line_at_gaps(client, owner, alerts):
    client.force_login(owner)
    from django.contrib.staticfiles import finders

    html = client.get(reverse("power:alert_detail", args=[alerts[FURNACE].pk])).content.decode()
    assert (
        "js/alert_charts.js" in html
    )  # the chart's script is a static file (the CSP allows no inline script)
    script = Path(finders.find("js/alert_charts.js")).read_text(encoding="utf-8")
    assert "connectNulls: false" in script and 'sampling: "lttb"' not in script


def test_case_from_an_alert_links_back_to_it_and_to_the_enterprise_and_account(
    client, owner, power_staff, alerts
):
    """The case page links its source (alert:N) for a user who may open the alert, and only then."""
    from steelwatch.power.services import alert_escalate
    from steelwatch.testing import make_user

    alert = alerts[FURNACE]
    case = alert_escalate(actor=owner, alert=alert)
    assert case.source_ref == f"alert:{alert.pk}"
    account = alert.account
    url = reverse("cases:case_detail", args=[case.pk])
    client.force_login(owner)
    html = client.get(url).content.decode()
    source = html.split('id="case-source"')[1].split("</")[0]
    assert f'href="{reverse("power:alert_detail", args=[alert.pk])}"' in source
    assert f'href="{reverse("registry:enterprise_detail", args=[account.enterprise_id])}"' in html
    assert (
        f'href="{reverse("registry:enterprise_detail", args=[account.enterprise_id])}#account-{account.account_id}"'
        in html
    )

    police = make_user(
        "department_staff", "320412", department="police", username="police_wj"
    )  # cases, no alerts
    client.force_login(police)
    html = client.get(url).content.decode()
    assert f"alert:{alert.pk}" in html and reverse("power:alert_detail", args=[alert.pk]) not in html

    # The alert list links the enterprise and the account, and names district / township.
    client.force_login(owner)
    html = client.get(reverse("power:alert_list")).content.decode()
    assert f'#account-{account.account_id}"' in html and "武进区 / " in html
    assert f'href="{reverse("registry:enterprise_detail", args=[account.enterprise_id])}"' in html

    # The power company sees the alert and that it became a case, but is not sent to a case it cannot open.
    case_url = reverse("cases:case_detail", args=[case.pk])
    assert case_url in html
    client.force_login(power_staff)
    assert client.get(case_url).status_code == 404
    for page in (
        reverse("power:alert_list"),
        reverse("power:alert_detail", args=[alert.pk]),
        reverse("power:enterprise_alerts", args=[account.enterprise_id]),
    ):
        html = client.get(page).content.decode()
        assert f"#{case.pk}" in html and case_url not in html, page


def test_the_list_counts_open_alerts_per_area_below_the_user(client, owner, city_user, outsider, alerts):
    from steelwatch.power.selectors import open_alerts_by_area

    township = alerts[FURNACE].account.division
    rows = {row["division"].code: row for row in open_alerts_by_area(owner)}
    assert rows[township.code]["open"] == len(alerts) and rows[township.code]["alerts"] >= 1
    assert all(row["open"] == 0 for code, row in rows.items() if code != township.code)
    district = {row["division"].code: row for row in open_alerts_by_area(city_user)}[township.parent_id]
    assert district["open"] == len(alerts)
    assert all(row["open"] == 0 for row in open_alerts_by_area(outsider))
    dismissed = alerts[CLOSED]
    dismissed.status = Alert.Status.DISMISSED
    dismissed.save(update_fields=["status"])
    assert {row["division"].code: row for row in open_alerts_by_area(owner)}[township.code]["open"] == len(
        alerts
    ) - 1
    client.force_login(owner)
    page = client.get(reverse("power:alert_list")).content.decode()
    assert 'id="alerts-by-area"' in page and f"?division={township.code}&amp;status=new" in page
