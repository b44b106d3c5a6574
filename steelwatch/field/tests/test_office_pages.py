"""The office's field pages: each register lists, creates and edits in the user's jurisdiction; read-only
users see no write links; a draw is frozen, run with a typed value, downloaded and verified from the pages."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from steelwatch.field.models import (
    BudgetLine,
    Camera,
    Draw,
    Expert,
    HazardFinding,
    InspectionItem,
    Inspector,
    PatrolPlan,
    Spending,
    TrainingSession,
)
from steelwatch.testing import client_for, make_enterprise, make_user

pytestmark = pytest.mark.django_db


def test_every_register_opens_for_the_office_and_read_only_for_a_viewer(owner, scene):
    viewer = make_user("viewer", "320412")
    for slug in ("hazards", "plans", "cameras", "experts", "trainings", "funds", "items"):
        page = client_for(owner).get(f"/field/{slug}/")
        assert page.status_code == 200, slug
        read_only = client_for(viewer).get(f"/field/{slug}/")
        assert read_only.status_code == 200 and 'id="register-new"' not in read_only.content.decode(), slug
        assert client_for(viewer).get(f"/field/{slug}/new/").status_code == 403, slug
    assert 'id="register-new"' not in client_for(owner).get("/field/experts/").content.decode()  # the city's
    for url in ("/field/", "/field/coverage/", "/field/draws/", "/field/inspectors/"):
        assert client_for(owner).get(url).status_code == 200, url
        assert client_for(viewer).get(url).status_code == 200, url
    assert client_for(scene["officer"]).get("/field/").status_code == 403


def test_camera_training_and_fund_pages_write_in_the_jurisdiction(owner, scene):
    client = client_for(owner)
    site = scene["sites"][0]
    response = client.post(
        "/field/cameras/new/",
        {"enterprise_uscc": site.uscc, "position": "东门", "stream_url": "https://video.example/1",
         "snapshot_url": "", "owner": "区公安", "status": "online", "last_snapshot_at": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    camera = Camera.objects.get()
    assert camera.enterprise == site
    elsewhere = make_enterprise("320411")
    refused = client.post(
        "/field/cameras/new/", {"enterprise_uscc": elsewhere.uscc, "position": "西门", "status": "online"}
    )
    assert refused.status_code == 200 and Camera.objects.count() == 1
    edit = client.post(
        f"/field/cameras/{camera.pk}/edit/",
        {"enterprise_uscc": site.uscc, "position": "东门岗亭", "status": "offline"},
    )
    assert edit.status_code == 302
    camera.refresh_from_db()
    assert (camera.position, camera.status) == ("东门岗亭", "offline")

    assert (
        client.post(
            "/field/trainings/new/",
            {"division_code": "320411", "topic": "x", "date": "2026-03-01", "trainer": "y"},
        ).status_code
        == 200
    )
    created = client.post(
        "/field/trainings/new/",
        {"division_code": "320412", "topic": "地条钢识别", "date": "2026-03-01", "trainer": "张工"},
    )
    session = TrainingSession.objects.get()
    assert created["Location"] == f"/field/trainings/{session.pk}/"
    page = client.get(f"/field/trainings/{session.pk}/").content.decode()
    assert scene["officer"].username in page or str(scene["officer"]) in page
    client.post(f"/field/trainings/{session.pk}/", {"present": [scene["officer"].pk]})
    assert list(session.attendance.values_list("user_id", flat=True)) == [scene["officer"].pk]
    untrained = client.get(f"/field/trainings/{session.pk}/").content.decode().split('class="untrained"')[1]
    assert str(scene["officer"]) not in untrained and str(owner) in untrained

    client.post(
        "/field/funds/new/", {"division_code": "320412", "year": 2026, "category": "video", "amount": "50000"}
    )
    line = BudgetLine.objects.get()
    client.post(
        f"/field/funds/{line.pk}/", {"date": "2026-04-02", "amount": "1200.50", "description": "摄像头维护"}
    )
    assert Spending.objects.get().amount == Decimal("1200.50")
    assert "1200.50" in client.get(f"/field/funds/{line.pk}/").content.decode()
    refused = client.post(
        f"/field/funds/{line.pk}/", {"date": "2025-12-31", "amount": "10", "description": "x"}
    )
    assert "预算年度" in refused.content.decode() and Spending.objects.count() == 1


def test_hazard_plan_expert_and_item_pages(owner, scene, city_user):
    client = client_for(owner)
    site = scene["sites"][0]
    client.post(
        "/field/hazards/new/",
        {"enterprise_uscc": site.uscc, "hazard": "gas_holder", "found_on": "2026-01-10", "note": ""},
    )
    finding = HazardFinding.objects.get()
    assert finding.deadline == datetime.date(2026, 7, 10)
    client.post(f"/field/hazards/{finding.pk}/", {"fixed": "on", "on": "2026-05-01", "note": "已搬迁"})
    finding.refresh_from_db()
    assert finding.status == "fixed"

    client.post(
        "/field/plans/new/", {"grid": scene["grid"].pk, "sites": "zombie", "every_days": 15, "active": "on"}
    )
    assert PatrolPlan.objects.filter(sites="zombie", every_days=15).exists()

    city = client_for(city_user)
    city.post(
        "/field/experts/new/", {"name": "王工", "field": "冶金", "organisation": "钢研院", "active": "on"}
    )
    expert = Expert.objects.get()
    from steelwatch.cases.services import case_open

    case = case_open(actor=owner, title="核查", source="patrol", division_code="320412", enterprise=site)
    client.post(f"/field/experts/{expert.pk}/", {"case_id": case.pk, "question": "该炉是否为中频炉？"})
    consultation = expert.consultations.get()
    client.post(
        f"/field/experts/{expert.pk}/",
        {"consultation": consultation.pk, "opinion": "是中频炉", "answered_on": "2026-02-01"},
    )
    consultation.refresh_from_db()
    assert consultation.opinion == "是中频炉"

    city.post(
        "/field/items/new/",
        {"code": "DTG-02", "name": "地条钢专项", "kind": "key", "sampling_ratio": "100", "active": "on"},
    )
    assert InspectionItem.objects.filter(code="DTG-02").exists()


def test_a_draw_from_the_pages_is_verifiable(owner, scene, tmp_path):
    client = client_for(owner)
    InspectionItem.objects.create(code="DTG-01", name="地条钢排查", kind="key", sampling_ratio=100)
    for i in range(3):
        person = make_user("department_staff", "320412", department="market_regulation", username=f"pi{i}")
        client.post("/field/inspectors/", {"user": person.username, "department": "市场监管"})
    assert Inspector.objects.count() == 3
    client.post("/field/inspectors/pi0/", {"enterprise_uscc": scene["sites"][0].uscc, "reason": "原任职单位"})
    assert scene["sites"][0].name in client.get("/field/inspectors/").content.decode()
    response = client.post(
        "/field/draws/new/",
        {"item": "DTG-01", "division_code": "320412", "targets": 3, "inspectors_per_target": 2},
    )
    draw = Draw.objects.get()
    assert response["Location"] == f"/field/draws/{draw.pk}/"
    assert draw.commitment in client.get(f"/field/draws/{draw.pk}/").content.decode()
    client.post(f"/field/draws/{draw.pk}/", {"announced_value": "2026140: 01 02 03"})
    draw.refresh_from_db()
    assert draw.status == "run" and len(draw.picks) == 3
    for pick in draw.picks:
        if pick["target"] == scene["sites"][0].uscc:
            assert "pi0" not in pick["inspectors"]
    record = client.get(f"/field/draws/{draw.pk}/record.json")
    path = tmp_path / "record.json"
    path.write_bytes(record.content)
    call_command("verify_draw", str(path))
    assert client.get(f"/public/draws/{draw.pk}/record.json").status_code == 404  # not yet published
    client.post(f"/field/draws/{draw.pk}/publish/")
    assert json.loads(client.get(f"/public/draws/{draw.pk}/record.json").content)["seed"] == draw.seed


def test_a_plant_listed_for_capacity_reduction_gets_its_cut_and_dismantle_case(owner, scene):
    from steelwatch.field.models import CapacityCut

    client = client_for(owner)
    plant = scene["sites"][2]
    response = client.post(
        "/field/capacity-cuts/new/",
        {
            "enterprise_uscc": plant.uscc,
            "document": "武政发〔2026〕8号",
            "listed_on": "2026-03-01",
            "deadline": "2026-06-30",
        },
    )
    cut = CapacityCut.objects.get()
    assert response.status_code == 302 and cut.case.enterprise == plant
    assert "断电、拆除设备" in cut.case.title and list(cut.case.power_accounts.all()) == list(
        plant.power_accounts.all()
    )
    assert client.get(f"/field/capacity-cuts/{cut.pk}/")["Location"] == f"/cases/{cut.case_id}/"
    again = client.post(
        "/field/capacity-cuts/new/",
        {"enterprise_uscc": plant.uscc, "document": "x", "listed_on": "2026-03-01", "deadline": "2026-06-30"},
    )
    assert "已在压减产能名单中" in again.content.decode() and CapacityCut.objects.count() == 1


def test_run_reminders_escalates_hazards_and_publishes_draws_due(owner, scene):
    from steelwatch.field.models import HazardFinding
    from steelwatch.field.services import draws, safety

    finding = safety.hazard_record(
        actor=owner, enterprise=scene["sites"][0], hazard="crowd_zone", found_on=datetime.date(2026, 1, 5)
    )
    InspectionItem.objects.create(code="K9", name="重点", kind="key", sampling_ratio=100)
    for name in ("r1", "r2"):
        person = make_user("department_staff", "320412", department="market_regulation", username=name)
        draws.inspector_enrol(actor=owner, user=person, department="市场监管")
    draw = draws.draw_freeze(
        actor=owner,
        item=InspectionItem.objects.get(code="K9"),
        division_code="320412",
        target_filter={},
        targets=1,
    )
    draw = draws.draw_run(actor=owner, draw=draw, announced_value="1")
    Draw.objects.filter(pk=draw.pk).update(publish_by=datetime.date(2026, 7, 3))
    call_command("run_reminders", "--date", "2026-07-06")
    finding.refresh_from_db()
    draw.refresh_from_db()
    assert finding.status == HazardFinding.Status.ESCALATED and draw.published


def test_cameras_check_ins_and_consultations_show_on_the_enterprise_zombie_and_case_pages(owner, scene):
    from steelwatch.cases.services import case_open
    from steelwatch.field.services.registers import consultation_request

    site = scene["sites"][2]
    Camera.objects.create(enterprise=site, position="东门", stream_url="https://video.example/7")
    client = client_for(owner)
    assert "field:enterprise_panel" not in client.get(f"/ledger/enterprises/{site.pk}/").content.decode()
    assert (
        f"/field/enterprises/{site.pk}/panel/"
        in client.get(f"/ledger/enterprises/{site.pk}/").content.decode()
    )
    assert f"/field/enterprises/{site.pk}/panel/" in client.get(f"/cases/zombies/{site.pk}/").content.decode()
    panel = client.get(f"/field/enterprises/{site.pk}/panel/").content.decode()
    assert 'href="https://video.example/7"' in panel and "东门" in panel
    assert (
        client_for(make_user("district_office", "320411"))
        .get(f"/field/enterprises/{site.pk}/panel/")
        .status_code
        == 404
    )
    case = case_open(actor=owner, title="核查", source="patrol", division_code="320412", enterprise=site)
    expert = Expert.objects.create(name="王工", field="冶金", organisation="钢研院")
    consultation_request(actor=owner, expert=expert, case=case, question="是否为中频炉？")
    assert f"/field/cases/{case.pk}/consultations/" in client.get(f"/cases/{case.pk}/").content.decode()
    assert "是否为中频炉？" in client.get(f"/field/cases/{case.pk}/consultations/").content.decode()


def test_coverage_page_per_grid_officer_township_and_district(owner, scene):
    from steelwatch.field.models import CheckIn

    site = scene["sites"][0]
    CheckIn.objects.create(enterprise=site, grid=site.grid, division=site.division, officer=scene["officer"],
                           latitude=site.latitude, longitude=site.longitude, accuracy_m=5,
                           checked_at=timezone.now(), finding="normal")  # fmt: skip
    page = client_for(owner).get("/field/coverage/").content.decode()
    grid_row = page.split('id="coverage"')[1].split("</tr>")[1]
    assert (
        "一号网格" in grid_row
        and '"应巡">3<' in grid_row
        and '"按期">1<' in grid_row
        and '"从未">2<' in grid_row
    )
    officer_row = page.split('id="coverage-officers"')[1].split("</tr>")[1]
    assert str(scene["officer"]) in officer_row and '"按期">1<' in officer_row
    assert "武进区" in page and scene["township"].name in page
