"""The same flow through API v1, with the same rules: 409 naming what is missing, 404 for outsiders."""

import datetime

import pytest
from django.test import Client

from steelwatch.cases.models import Case, ClosureCheck, CutOrder
from steelwatch.power.models import Alert
from steelwatch.registry.models import Furnace
from steelwatch.testing import api_client

from .conftest import jpeg_bytes, pdf, photo

pytestmark = pytest.mark.django_db


def transition(client, case_id, to, reason="", **extra):
    return client.post(
        f"/api/v1/cases/{case_id}/transition",
        {"to": to, "reason": reason, **extra},
        content_type="application/json",
    )


def test_case_flow_through_the_api(scene, owner, outsider):
    api = api_client(owner)
    alert = Alert.objects.create(
        account=scene.account,
        score=0.97,
        level="alert",
        reasons="夜间周期性大负荷",
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 30),
    )
    opening = {
        "title": "用电异常",
        "source": "power_alert",
        "division_code": scene.township.code,
        "enterprise_uscc": scene.enterprise.uscc,
        "source_ref": f"alert:{alert.pk}",
    }
    assert (
        api_client(outsider).post("/api/v1/cases", opening, content_type="application/json").status_code
        == 404
    )
    created = api.post("/api/v1/cases", opening, content_type="application/json")
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    assert created.json()["state"] == "registered"
    alert.refresh_from_db()  # the alert is escalated into this very case, and cannot be escalated twice
    assert alert.status == "escalated" and alert.case_id == case_id
    assert Case.objects.get(pk=case_id).title == "用电异常"  # the caller's title is kept
    again = api.post("/api/v1/cases", opening, content_type="application/json")
    assert again.status_code == 409 and "已转核查" in again.json()["detail"]
    assert Case.objects.filter(source_ref=f"alert:{alert.pk}").count() == 1
    assert transition(api, case_id, "confirmed", "x").status_code == 409

    assert transition(api, case_id, "verifying").json()["state"] == "verifying"
    for aspect, user in (("environmental_protection", scene.environment), ("product_quality", scene.market)):
        response = api.post(
            f"/api/v1/cases/{case_id}/tasks",
            {
                "aspect": aspect,
                "department": user.department,
                "owner_username": user.username,
                "due_date": "2099-01-01",
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    refused = transition(api, case_id, "confirmed", "属实")
    assert refused.status_code == 409 and "环境保护" in refused.json()["detail"]
    for user in (scene.environment, scene.market):
        dept = api_client(user)
        task_id = dept.get("/api/v1/tasks/mine").json()["tasks"][0]["id"]
        done = dept.post(f"/api/v1/tasks/{task_id}/complete", {"findings": "属实", "file": photo()})
        assert done.status_code == 200 and done.json()["status"] == "done"
    assert transition(api, case_id, "confirmed", "属实").status_code == 200
    assert transition(api, case_id, "enforcing").status_code == 200

    api.post(
        f"/api/v1/cases/{case_id}/cut-orders",
        {"kind": "power", "account_id": scene.account.account_id},
        content_type="application/json",
    )
    order_id = CutOrder.objects.get(case_id=case_id).pk
    assert (
        api_client(scene.water)
        .post(f"/api/v1/cut-orders/{order_id}/execute", {}, content_type="application/json")
        .status_code
        == 404
    )  # not theirs
    assert (
        api_client(scene.power)
        .post(f"/api/v1/cut-orders/{order_id}/execute", {"note": "已断电"}, content_type="application/json")
        .status_code
        == 200
    )
    response = api.post(
        f"/api/v1/cases/{case_id}/enforcement",
        {"kind": "fine", "date": "2026-03-10", "fine_yuan": "0"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "罚款需填写大于 0 的金额" in str(response.json())
    assert transition(api, case_id, "closing").status_code == 200

    for item in ClosureCheck.values:
        if item == "products_confiscated":
            continue
        data = {"file": photo(f"{item}.jpg"), "note": item}
        if item == "equipment_destroyed":
            data["furnace_ids"] = [scene.furnaces[0].pk]
        response = api.post(f"/api/v1/cases/{case_id}/closure/{item}", data)
        assert response.status_code == 201, response.content
    refused = transition(api, case_id, "revisiting")
    assert refused.status_code == 409
    assert "“彻底没收产品”缺少证据" in refused.json()["detail"]
    assert "“彻底捣毁生产设备”未列明台账设备：2号炉" in refused.json()["detail"]
    api.post(
        f"/api/v1/cases/{case_id}/closure/equipment_destroyed",
        {"file": photo(), "furnace_ids": [scene.furnaces[1].pk]},
    )
    api.post(f"/api/v1/cases/{case_id}/closure/products_confiscated", {"file": pdf(), "note": "产品 30 吨"})
    signed = transition(api, case_id, "revisiting", closure_kind="closed")
    assert signed.status_code == 200 and signed.json()["state"] == "revisiting"
    assert set(Furnace.objects.filter(enterprise=scene.enterprise).values_list("status", flat=True)) == {
        "destroyed"
    }
    scene.account.refresh_from_db()
    scene.enterprise.refresh_from_db()
    assert scene.account.closed_site_watch and scene.enterprise.status == "closed"

    officer = api_client(scene.grid_officer)
    revisits = officer.get("/api/v1/tasks/mine").json()["revisits"]
    assert len(revisits) == 4
    body = api.get(f"/api/v1/cases/{case_id}").json()
    assert body["state"] == "revisiting" and all(not c["missing"] for c in body["closure"])
    assert [t["text"] for t in body["timeline"]][0].startswith("立案")

    # outsiders: 404 everywhere, 401 without a token
    stranger = api_client(outsider)
    assert stranger.get(f"/api/v1/cases/{case_id}").status_code == 404
    assert transition(stranger, case_id, "closed").status_code == 404
    assert (
        stranger.post(f"/api/v1/cases/{case_id}/closure/plant_cleared", {"file": photo()}).status_code == 404
    )
    assert (
        stranger.post(f"/api/v1/revisits/{revisits[0]['id']}/complete", {"file": photo()}).status_code == 404
    )
    assert (
        stranger.post(
            f"/api/v1/cut-orders/{order_id}/execute", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert stranger.get("/api/v1/cases").json()["items"] == []
    listed = api.get("/api/v1/cases", {"state": "revisiting"}).json()
    assert listed["count"] == 1 and [c["id"] for c in listed["items"]] == [case_id]
    assert Client().get(f"/api/v1/cases/{case_id}").status_code == 401
    assert Client().post("/api/v1/cases", {}, content_type="application/json").status_code == 401
    assert Case.objects.get(pk=case_id).state == "revisiting"


def test_create_rejects_bad_input_with_chinese_messages(scene, owner):
    api = api_client(owner)
    bad = api.post(
        "/api/v1/cases",
        {"title": "x", "source": "rumour", "division_code": scene.township.code},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "线索来源" in str(bad.json())
    other = api.post(
        "/api/v1/cases",
        {"title": "x", "source": "manual", "division_code": "320411"},
        content_type="application/json",
    )
    assert other.status_code == 422 and "行政区划 320411（新北区） 不在您的管辖范围内" in str(other.json())


def test_evidence_upload_checks_type_and_size(scene, alert_case, owner, settings):
    Case.objects.filter(pk=alert_case.pk).update(state="closing")
    api = api_client(owner)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = api.post(f"/api/v1/cases/{alert_case.pk}/closure/plant_cleared", {"file": fake})
    assert response.status_code == 422 and "类型不支持" in str(response.json())
    settings.UPLOAD_MAX_BYTES = 100
    response = api.post(
        f"/api/v1/cases/{alert_case.pk}/closure/plant_cleared",
        {"file": SimpleUploadedFile("big.jpg", jpeg_bytes())},
    )
    assert (
        response.status_code == 422 and "big.jpg" in str(response.json()) and "过大" in str(response.json())
    )
    assert not alert_case.attachments.exists()


def test_task_owner_lookup_stays_in_the_case_jurisdiction_and_names_nobody(scene, alert_case, owner):
    """Another district's staff and a user that does not exist are the same 404, which names neither;
    the department staff of the case's district are found."""
    from steelwatch.testing import make_user

    make_user("department_staff", "320411", department="environment", username="xinbei_env")
    api = api_client(owner)

    def assign(username):
        return api.post(
            f"/api/v1/cases/{alert_case.pk}/tasks",
            {
                "aspect": "environmental_protection",
                "department": "environment",
                "owner_username": username,
                "due_date": "2099-01-01",
            },
            content_type="application/json",
        )

    elsewhere, nobody = assign("xinbei_env"), assign("no_such_user")
    assert elsewhere.status_code == nobody.status_code == 404
    assert elsewhere.json() == nobody.json()
    assert "xinbei_env" not in elsewhere.content.decode()
    assert not alert_case.tasks.exists()
    assert assign(scene.environment.username).status_code == 201
    assert alert_case.tasks.get().owner == scene.environment


def test_task_owner_on_the_case_page_is_looked_up_the_same_way(scene, alert_case, owner, client):
    from steelwatch.testing import make_user

    stranger = make_user("department_staff", "320411", department="environment", username="xinbei_env")
    client.force_login(owner)
    page = client.get(f"/cases/{alert_case.pk}/")
    assert scene.environment.username in page.content.decode() and "xinbei_env" not in page.content.decode()
    response = client.post(
        f"/cases/{alert_case.pk}/tasks/",
        {
            "aspect": "environmental_protection",
            "department": "environment",
            "owner": stranger.pk,
            "due_date": "2099-01-01",
        },
    )
    assert response.status_code == 404 and not alert_case.tasks.exists()
