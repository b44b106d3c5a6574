"""The officer's phone page without a browser: which sites it lists, the checklist per site kind, the
check-in post (JSON for the page's queue, a plain form without it), a resend recorded once, scoping."""

import datetime

import pytest
from django.utils import timezone

from steelwatch.field.models import CheckIn, Draw, DrawInspection, InspectionItem
from steelwatch.power.models import Alert
from steelwatch.testing import client_for, make_enterprise, make_user

from .conftest import photo

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def _visit(site, officer, days_ago: int) -> CheckIn:
    return CheckIn.objects.create(
        enterprise=site, grid=site.grid, division=site.division, officer=officer, latitude=site.latitude,
        longitude=site.longitude, accuracy_m=10, checked_at=timezone.now() - datetime.timedelta(days=days_ago),
        finding="normal",
    )  # fmt: skip


def _form(site, **extra) -> dict:
    return {
        "enterprise_id": site.pk,
        "latitude": f"{float(site.latitude) + 0.0001:.6f}",
        "longitude": f"{float(site.longitude):.6f}",
        "accuracy_m": "8",
        "coord_system": "wgs84",
        "checked_at": timezone.now().isoformat(),
        "finding": "normal",
        **extra,
    }


def test_the_page_lists_due_and_overdue_sites_with_their_checklists(scene):
    never, overdue, fresh = scene["sites"][2], scene["sites"][0], scene["sites"][1]
    _visit(overdue, scene["officer"], 40)
    _visit(fresh, scene["officer"], 5)
    page = client_for(scene["officer"]).get("/field/patrol/").content.decode()
    assert f'id="site-{never.pk}"' in page and f'id="site-{overdue.pk}"' in page
    assert f'id="site-{fresh.pk}"' not in page  # visited five days ago, due again in 25
    assert "从未巡查" in page and "已逾期" in page
    zombie_card = page.split(f'id="site-{never.pk}"')[1].split("</article>")[0]
    operating_card = page.split(f'id="site-{overdue.pk}"')[1].split("</article>")[0]
    box = 'name="checklist" value='
    assert f'{box}"production_signs"' in zombie_card and f'{box}"seals_intact"' in zombie_card
    assert f'{box}"licence_shown"' in operating_card and f'{box}"production_signs"' not in operating_card
    assert 'capture="environment"' in zombie_card and "js/patrol.js" in page
    assert "<script>" not in page  # the page's script is a static file (strict CSP)


def test_a_check_in_at_a_zombie_site_raises_an_alert_and_a_resend_is_recorded_once(scene, owner):
    zombie = scene["sites"][2]
    client = client_for(scene["officer"])
    data = _form(zombie, finding="production_signs", checklist=["production_signs", "power_use"],
                 client_ref="phone-7f3a", photos=[photo(timezone.localtime())])  # fmt: skip
    response = client.post("/field/patrol/check-ins/", data, **JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    alert = Alert.objects.get(pk=body["alert_id"])
    assert alert.account.enterprise_id == zombie.pk
    assert "production_signs_at_dead_site" in body["flags"] and "已生成告警" in body["message"]
    check_in = CheckIn.objects.get(pk=body["id"])
    assert check_in.checklist == {
        "production_signs": True, "new_equipment": False, "scrap_or_billet_trucks": False, "power_use": True,
        "seals_intact": False,
    }  # fmt: skip
    assert check_in.photos.count() == 1
    again = client.post("/field/patrol/check-ins/", {**data, "photos": [photo(timezone.localtime())]}, **JSON)
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert CheckIn.objects.count() == 1
    # On the district's alert list like any other alert.
    assert f"/power/alerts/{alert.pk}/" in client_for(owner).get("/power/alerts/").content.decode()


def test_without_the_script_the_form_posts_and_comes_back_with_a_message(scene):
    client = client_for(scene["officer"])
    site = scene["sites"][0]
    response = client.post("/field/patrol/check-ins/", _form(site), follow=True)
    assert response.redirect_chain[-1][0] == "/field/patrol/"
    assert f"已签到：{site.name}" in response.content.decode()
    refused = client.post("/field/patrol/check-ins/", _form(site, latitude=""), follow=True)
    assert "签到未提交" in refused.content.decode() and "纬度" in refused.content.decode()


def test_a_check_in_is_refused_for_a_site_outside_the_jurisdiction_and_without_a_position(scene):
    client = client_for(scene["officer"])
    elsewhere = make_enterprise("320411", latitude=31.8, longitude=119.9)
    assert client.post("/field/patrol/check-ins/", _form(elsewhere), **JSON).status_code == 404
    missing = client.post("/field/patrol/check-ins/", _form(scene["sites"][0], accuracy_m=""), **JSON)
    assert missing.status_code == 422 and "accuracy_m" in missing.json()["errors"]
    viewer = client_for(make_user("viewer", "320412"))
    assert viewer.get("/field/patrol/").status_code == 403
    assert CheckIn.objects.count() == 0


def test_a_drawn_inspection_is_on_the_inspectors_phone_and_done_by_its_check_in(scene, owner):
    site = scene["sites"][0]
    inspector = make_user("department_staff", "320412", department="market_regulation", username="insp_a")
    item = InspectionItem.objects.create(code="DTG-01", name="地条钢排查", kind="key", sampling_ratio=100)
    draw = Draw.objects.create(item=item, division_id="320412", targets=1, candidates_sha256="0" * 64,
                               inspectors_sha256="0" * 64, commitment="0" * 64, secret="0" * 64)  # fmt: skip
    inspection = DrawInspection.objects.create(draw=draw, enterprise=site)
    inspection.inspectors.add(inspector)
    client = client_for(inspector)
    page = client.get("/field/patrol/").content.decode()
    assert f'id="site-{site.pk}-i{inspection.pk}"' in page and "双随机检查" in page
    data = _form(site, inspection_id=inspection.pk, finding="other_issue", note="未公示许可证")
    assert client.post("/field/patrol/check-ins/", data, **JSON).status_code == 201
    inspection.refresh_from_db()
    assert inspection.result == "failed" and inspection.summary == "未公示许可证"
    assert f'id="site-{site.pk}-i{inspection.pk}"' not in client.get("/field/patrol/").content.decode()
