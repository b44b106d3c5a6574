"""Zombie (long-idle) sites: supervisor, patrols from the phone, restart requests — pages and API v1."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from steelwatch.cases.models import RestartRequest, Revisit
from steelwatch.cases.selectors import dashboard_cards
from steelwatch.core.models import AuditLog
from steelwatch.registry.models import Enterprise
from steelwatch.testing import api_client, client_for, make_enterprise

from .conftest import pdf, photo

pytestmark = pytest.mark.django_db


def post(client, url, data=None):
    response = client.post(url, data or {}, follow=True)
    assert response.status_code == 200
    return response


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def zombie(scene):
    return make_enterprise(
        scene.township.code, status=Enterprise.Status.IDLE, grid=scene.grid, name="某停产铸造厂"
    )


@pytest.fixture
def foreign_zombie(db):
    return make_enterprise("320411", status=Enterprise.Status.IDLE, name="新北某停产厂")


def test_zombie_pages_supervisor_patrols_and_restart(
    scene, zombie, foreign_zombie, owner, colleague, outsider
):
    office = client_for(owner)
    listing = office.get(reverse("cases:zombie_list")).content.decode()
    assert zombie.name in listing and "未指定" in listing and foreign_zombie.name not in listing
    panel = reverse("cases:zombie_detail", args=[zombie.pk])
    assert 'id="supervise"' in office.get(panel).content.decode()

    post(
        office,
        reverse("cases:zombie_supervise", args=[zombie.pk]),
        {"supervisor": scene.grid_officer.pk, "patrol_every_days": 14, "patrols": 3},
    )
    zombie.refresh_from_db()
    patrols = list(Revisit.objects.filter(enterprise=zombie, kind="patrol").order_by("due_date"))
    assert zombie.supervisor == scene.grid_officer and len(patrols) == 3
    assert patrols[0].due_date == datetime.date.today() + datetime.timedelta(days=14)
    assert AuditLog.objects.filter(action="zombie_supervise", target_id=str(zombie.pk)).exists()
    refused = post(
        office,
        reverse("cases:zombie_supervise", args=[zombie.pk]),
        {"supervisor": scene.environment.pk + 999, "patrol_every_days": 14, "patrols": 3},
    )
    assert "所选监管责任人不是该企业属地的人员" in messages_of(refused)[0]

    # an overdue patrol is marked on the list and filtered by ?overdue=1
    Revisit.objects.filter(pk=patrols[0].pk).update(due_date=datetime.date(2020, 1, 1))
    overdue = office.get(reverse("cases:zombie_list") + "?overdue=1").content.decode()
    assert zombie.name in overdue and "1 次巡查超期" in overdue and str(scene.grid_officer) in overdue
    cards = {c["title"]: c["value"] for c in dashboard_cards(owner)}
    assert cards["巡查超期的僵尸企业"] == 1 and "巡查超期的僵尸企业" not in {
        c["title"] for c in dashboard_cards(outsider)
    }

    # the supervisor finds the patrol on "my tasks" and records it on the panel with a photo from the phone
    officer = client_for(scene.grid_officer)
    assert f'id="revisit-{patrols[0].pk}"' in officer.get(reverse("cases:my_tasks")).content.decode()
    page = officer.get(panel).content.decode()
    assert 'id="next-patrol"' in page and 'capture="environment"' in page and 'id="supervise"' not in page
    checks = {f"check_{k}": "on" for k in Revisit.CHECKLIST}
    done = post(
        officer,
        reverse("cases:revisit_complete", args=[patrols[0].pk]),
        {**checks, "note": "厂房锁闭，电表静止", "file": photo("patrol.jpg"), "next": panel},
    )
    assert done.request["PATH_INFO"] == panel and "检查已记录" in messages_of(done)
    patrols[0].refresh_from_db()
    assert patrols[0].status == "done" and patrols[0].attachments.get().gps_latitude is not None
    listing = office.get(reverse("cases:zombie_list")).content.decode()
    assert datetime.date.today().isoformat() in listing and "次巡查超期" not in listing

    # restart: township registers with the third-party safety report; only the district office decides
    township = client_for(colleague)
    missing = post(
        township, reverse("cases:restart_request_submit", args=[zombie.pk]), {"safety_assessor": "某安评公司"}
    )
    assert "安全评估报告" in messages_of(missing)[0]
    post(
        township,
        reverse("cases:restart_request_submit", args=[zombie.pk]),
        {"safety_assessor": "某安评公司", "report": pdf("安全评估报告.pdf"), "note": "设备检修完毕"},
    )
    request = RestartRequest.objects.get(enterprise=zombie)
    twice = post(
        township,
        reverse("cases:restart_request_submit", args=[zombie.pk]),
        {"safety_assessor": "某安评公司", "report": pdf()},
    )
    assert "已有待审批的复产申请" in messages_of(twice)[0]
    decide = reverse("cases:restart_request_decide", args=[request.pk])
    assert decide not in township.get(panel).content.decode()  # a township may not approve
    assert decide in office.get(panel).content.decode()
    no_reason = post(office, decide, {"decision": "reject"})
    assert "驳回需填写理由" in messages_of(no_reason)[0]
    post(office, decide, {"decision": "reject", "reason": "评估报告未覆盖除尘设施"})
    request.refresh_from_db()
    assert request.status == "rejected" and request.decided_by == owner
    post(
        township,
        reverse("cases:restart_request_submit", args=[zombie.pk]),
        {"safety_assessor": "另一安评公司", "report": pdf("补充评估.pdf")},
    )
    second = RestartRequest.objects.get(enterprise=zombie, status="pending")
    post(
        office,
        reverse("cases:restart_request_decide", args=[second.pk]),
        {"decision": "approve", "reason": "评估合格"},
    )
    zombie.refresh_from_db()
    assert zombie.status == Enterprise.Status.OPERATING
    assert (
        set(Revisit.objects.filter(enterprise=zombie, status="pending").values_list("pk", flat=True)) == set()
    )
    page = office.get(panel).content.decode()  # the history stays reachable, without the forms
    assert "已批准" in page and 'id="restart-form"' not in page and 'id="supervise"' not in page
    report = second.attachments.get()
    assert office.get(reverse("cases:attachment_file", args=[report.pk]))["Content-Type"] == "application/pdf"


def test_outsider_is_refused_on_zombie_pages(scene, zombie, owner, outsider):
    from steelwatch.cases import services

    patrols = services.zombie_supervise(
        actor=owner, enterprise=zombie, supervisor=scene.grid_officer, patrols=1
    )
    request = services.restart_request_submit(
        actor=owner, enterprise=zombie, safety_assessor="某安评公司", report=pdf()
    )
    stranger = client_for(outsider)
    assert zombie.name not in stranger.get(reverse("cases:zombie_list")).content.decode()
    assert stranger.get(reverse("cases:zombie_detail", args=[zombie.pk])).status_code == 404
    for url, data in [
        (
            reverse("cases:zombie_supervise", args=[zombie.pk]),
            {"supervisor": scene.grid_officer.pk, "patrol_every_days": 1, "patrols": 1},
        ),
        (reverse("cases:restart_request_submit", args=[zombie.pk]), {"safety_assessor": "x"}),
        (reverse("cases:restart_request_decide", args=[request.pk]), {"decision": "approve"}),
        (reverse("cases:revisit_complete", args=[patrols[0].pk]), {"file": photo()}),
    ]:
        assert stranger.post(url, data).status_code == 404, url
    report = request.attachments.get()
    assert stranger.get(reverse("cases:attachment_file", args=[report.pk])).status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"
    assert Client().get(reverse("cases:zombie_list")).status_code == 302


def test_zombie_api(scene, zombie, foreign_zombie, owner, colleague, outsider):
    api = api_client(owner)
    listed = api.get("/api/v1/zombies").json()["items"]
    assert [z["id"] for z in listed] == [zombie.pk] and listed[0]["supervisor"] is None
    bad = api.post(
        f"/api/v1/zombies/{zombie.pk}/supervise",
        {"supervisor_username": "nobody"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "不是该企业属地的人员" in str(bad.json())
    done = api.post(
        f"/api/v1/zombies/{zombie.pk}/supervise",
        {"supervisor_username": scene.grid_officer.username, "patrol_every_days": 7, "patrols": 2},
        content_type="application/json",
    )
    assert done.status_code == 200 and len(done.json()["patrols"]) == 2

    officer = api_client(scene.grid_officer)
    mine = officer.get("/api/v1/tasks/mine").json()["revisits"]
    assert {r["kind"] for r in mine} == {"patrol"} and len(mine) == 2
    patrol = officer.post(
        f"/api/v1/revisits/{mine[0]['id']}/complete",
        {"file": photo(), "note": "夜间有灯光和车辆", "checks": ["no_power_use"]},
    )
    assert patrol.status_code == 200 and patrol.json()["activity_found"] is True
    detail = officer.get(f"/api/v1/zombies/{zombie.pk}").json()  # the supervisor reaches the site they patrol
    assert detail["supervisor"] == "grid1" and detail["restart_requests"] == [] and detail["actions"] == []
    assert [p["status"] for p in detail["patrols"]].count("done") == 1

    township = api_client(colleague)
    no_report = township.post(
        f"/api/v1/zombies/{zombie.pk}/restart-requests", {"safety_assessor": "某安评公司"}
    )
    assert no_report.status_code == 422
    created = township.post(
        f"/api/v1/zombies/{zombie.pk}/restart-requests",
        {"safety_assessor": "某安评公司", "report": pdf(), "note": "申请复产"},
    )
    assert created.status_code == 201, created.content
    request_id = created.json()["id"]
    assert (
        township.post(
            f"/api/v1/restart-requests/{request_id}/decision",
            {"approve": True},
            content_type="application/json",
        ).status_code
        == 403
    )  # a township cannot approve
    assert api.get(f"/api/v1/restart-requests/{request_id}").json()["status"] == "pending"
    blocked = api.post(  # the patrol above found production signs ("夜间有灯光和车辆")
        f"/api/v1/restart-requests/{request_id}/decision",
        {"approve": True, "reason": "评估合格"},
        content_type="application/json",
    )
    assert blocked.status_code == 422 and "发现生产迹象" in str(blocked.json())
    approved = api.post(
        f"/api/v1/restart-requests/{request_id}/decision",
        {"approve": True, "override": True, "reason": "评估合格，灯光为夜间值守"},
        content_type="application/json",
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["enterprise_status"] == "operating"
    again = api.post(
        f"/api/v1/restart-requests/{request_id}/decision",
        {"approve": False, "reason": "x"},
        content_type="application/json",
    )
    assert again.status_code == 422 and "已审批" in str(again.json())

    stranger = api_client(outsider)
    assert [z["id"] for z in stranger.get("/api/v1/zombies").json()["items"]] == [foreign_zombie.pk]
    assert stranger.get(f"/api/v1/zombies/{zombie.pk}").status_code == 404
    assert (
        stranger.post(
            f"/api/v1/zombies/{zombie.pk}/supervise",
            {"supervisor_username": "grid1"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        stranger.post(
            f"/api/v1/zombies/{zombie.pk}/restart-requests", {"safety_assessor": "x", "report": pdf()}
        ).status_code
        == 404
    )
    assert stranger.get(f"/api/v1/restart-requests/{request_id}").status_code == 404
    assert (
        stranger.post(
            f"/api/v1/restart-requests/{request_id}/decision",
            {"approve": False, "reason": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert stranger.post(f"/api/v1/revisits/{mine[1]['id']}/complete", {"file": photo()}).status_code == 404
    assert Client().get("/api/v1/zombies").status_code == 401


def test_a_patrol_that_found_production_signs_blocks_the_restart_approval(scene, zombie, owner, colleague):
    """Deliver 3: the restart request shows the site's recent patrols; one that found production signs refuses
    the approval unless the office records an override with its reason (page and API)."""
    from django.utils import timezone

    from steelwatch.cases import services

    patrol = Revisit.objects.create(
        kind=Revisit.Kind.PATROL,
        enterprise=zombie,
        division_id=zombie.division_id,
        due_date=datetime.date.today(),
        assignee=scene.grid_officer,
    )
    services.revisit_complete(
        actor=scene.grid_officer,
        revisit=patrol,
        checklist={k: k != "no_activity" for k in Revisit.CHECKLIST},
        note="夜间有货车进出，炉旁有热渣",
        uploads_=[photo("signs.jpg")],
    )
    patrol.refresh_from_db()
    assert patrol.activity_found and patrol.done_at is not None
    request = services.restart_request_submit(
        actor=colleague, enterprise=zombie, safety_assessor="某安评公司", report=pdf(), note="申请复产"
    )

    office = client_for(owner)
    panel = reverse("cases:zombie_detail", args=[zombie.pk])
    page = office.get(panel).content.decode()
    assert (
        'id="restart-blocked"' in page
        and "夜间有货车进出，炉旁有热渣" in page
        and 'data-activity="1"' in page
    )
    decide = reverse("cases:restart_request_decide", args=[request.pk])
    refused = post(office, decide, {"decision": "approve", "reason": "评估合格"})
    assert "发现生产迹象，不能批准复产" in messages_of(refused)[0]
    request.refresh_from_db()
    zombie.refresh_from_db()
    assert request.status == "pending" and zombie.status == Enterprise.Status.IDLE

    api = api_client(owner)
    shown = api.get(f"/api/v1/restart-requests/{request.pk}").json()
    assert [(f["id"], f["activity_found"]) for f in shown["findings"]] == [(patrol.pk, True)]
    blocked = api.post(
        f"/api/v1/restart-requests/{request.pk}/decision",
        {"approve": True, "reason": "评估合格"},
        content_type="application/json",
    )
    assert blocked.status_code == 422 and "覆盖巡查发现" in str(blocked.json())
    no_reason = api.post(
        f"/api/v1/restart-requests/{request.pk}/decision",
        {"approve": True, "override": True},
        content_type="application/json",
    )
    assert no_reason.status_code == 422 and "写明理由" in str(no_reason.json())
    overridden = post(
        office, decide, {"decision": "approve", "override": "on", "reason": "复查确认热渣为检修切割所致"}
    )
    assert "复产申请已审批" in messages_of(overridden)
    request.refresh_from_db()
    zombie.refresh_from_db()
    assert request.status == "approved" and request.findings_overridden and zombie.status == "operating"
    entry = AuditLog.objects.get(action="restart_request_decide", target_id=str(request.pk))
    assert entry.reason == "复查确认热渣为检修切割所致" and entry.after["findings_overridden"] is True
    assert timezone.localdate(patrol.done_at) == timezone.localdate()
