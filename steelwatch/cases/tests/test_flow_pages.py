"""The whole life of a case opened from a power alert, driven through the pages with the test Client."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from steelwatch.cases.models import Case, ClosureCheck, CutOrder, JointTask, Revisit
from steelwatch.core.models import AuditLog, Notification
from steelwatch.registry.models import Enterprise, Furnace, FurnaceStatusChange
from steelwatch.testing import client_for

from .conftest import pdf, photo, prove_closure

pytestmark = pytest.mark.django_db


def post(client, url, data=None, **kwargs):
    response = client.post(url, data or {}, follow=True, **kwargs)
    assert response.status_code == 200
    return response


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_power_alert_case_through_the_pages(
    scene, alert_case, owner, outsider, django_capture_on_commit_callbacks
):
    case, office = alert_case, client_for(owner)
    detail = reverse("cases:case_detail", args=[case.pk])
    assert case.power_accounts.get() == scene.account  # the enterprise's power account came with it

    # verification with two departments
    post(office, reverse("cases:case_transition", args=[case.pk]), {"to": "verifying"})
    case.refresh_from_db()
    assert case.state == "verifying" and case.verify_due is not None
    due = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    for aspect, dept, user in [
        ("environmental_protection", "environment", scene.environment),
        ("product_quality", "market_regulation", scene.market),
    ]:
        post(
            office,
            reverse("cases:task_assign", args=[case.pk]),
            {"aspect": aspect, "department": dept, "owner": user.pk, "due_date": due, "mandatory": "on"},
        )
    assert case.tasks.count() == 2
    refused = post(
        office, reverse("cases:case_transition", args=[case.pk]), {"to": "confirmed", "reason": "属实"}
    )
    assert any("仍有必办核查任务未办结" in m and "环境保护" in m for m in messages_of(refused))

    for user in (scene.environment, scene.market):
        dept = client_for(user)
        page = dept.get(reverse("cases:my_tasks"))
        task = JointTask.objects.get(case=case, owner=user)
        assert (
            f'id="task-{task.pk}"' in page.content.decode()
            and 'capture="environment"' in page.content.decode()
        )
        post(
            dept,
            reverse("cases:task_complete", args=[task.pk]),
            {"findings": "现场有中频炉在生产，无环评手续", "file": photo()},
        )
        assert dept.get(detail).status_code == 200  # their department has a task on it
    assert case.attachments.filter(task__isnull=False).count() == 2

    post(
        office,
        reverse("cases:case_transition", args=[case.pk]),
        {"to": "confirmed", "reason": "两部门核查属实"},
    )
    post(office, reverse("cases:case_transition", args=[case.pk]), {"to": "enforcing"})

    # enforcement: power and water cut, confirmed by the utilities; confiscation; blacklist
    post(
        office,
        reverse("cases:cut_order_issue", args=[case.pk]),
        {"kind": "power", "account_id": "3204120001"},
    )
    post(office, reverse("cases:cut_order_issue", args=[case.pk]), {"kind": "water"})
    refused = post(office, reverse("cases:case_transition", args=[case.pk]), {"to": "closing"})
    assert any("断电断水指令尚未执行" in m for m in messages_of(refused))
    for user, kind in ((scene.power, "power"), (scene.water, "water")):
        utility = client_for(user)
        order = CutOrder.objects.get(case=case, kind=kind)
        assert f'id="cut-{order.pk}"' in utility.get(reverse("cases:my_tasks")).content.decode()
        post(utility, reverse("cases:cut_order_execute", args=[order.pk]), {"note": "已拆除计量装置"})
    assert set(case.cut_orders.values_list("status", flat=True)) == {"executed"}
    post(
        office,
        reverse("cases:enforcement_add", args=[case.pk]),
        {"kind": "confiscation", "date": "2026-03-10", "raw_material_t": "120.5", "product_t": "30"},
    )
    post(office, reverse("cases:enforcement_add", args=[case.pk]), {"kind": "sealing", "date": "2026-03-10"})
    post(office, reverse("cases:blacklist_add", args=[case.pk]), {"reason": "生产地条钢"})
    assert case.blacklist_proposals.get().legal_representative == "张某"
    post(office, reverse("cases:case_transition", args=[case.pk]), {"to": "closing"})

    # the five checks: sign-off refused while one lacks evidence, naming it
    furnace_ids = [f.pk for f in scene.furnaces]
    for item in ClosureCheck.values:
        if item == "plant_cleared":
            continue
        data = {"file": photo(f"{item}.jpg"), "note": item}
        if item == "equipment_destroyed":
            data["furnace_ids"] = furnace_ids
        post(office, reverse("cases:closure_evidence", args=[case.pk, item]), data)
    page = office.get(detail).content.decode()
    card = page.split('data-item="plant_cleared"')[1].split('class="task-card')[0]
    assert (
        "缺少证据" in card and card.count("彻底清理厂房") == 2
    )  # its name once, and the upload's aria-label
    assert "“彻底清理厂房”" not in page  # the check's name is not repeated in its status
    refused = post(
        office,
        reverse("cases:case_transition", args=[case.pk]),
        {"to": "revisiting", "closure_kind": "banned"},
    )
    assert "“彻底清理厂房”缺少证据" in messages_of(refused)[0]
    case.refresh_from_db()
    assert case.state == "closing"
    post(
        office,
        reverse("cases:closure_evidence", args=[case.pk, "plant_cleared"]),
        {"file": pdf("清理记录.pdf"), "note": "除尘罩、操作平台、轨道已拆除"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        post(
            office,
            reverse("cases:case_transition", args=[case.pk]),
            {"to": "revisiting", "closure_kind": "banned"},
        )
    case.refresh_from_db()
    assert case.state == "revisiting" and case.signed_off_by == owner
    assert Notification.objects.filter(recipient=scene.grid_officer, text__contains="回头看").exists()

    # the ledger follows: furnaces destroyed with the date, enterprise banned, power watched
    for furnace in scene.furnaces:
        furnace.refresh_from_db()
        assert furnace.status == Furnace.Status.DESTROYED and furnace.status_date == datetime.date.today()
        assert FurnaceStatusChange.objects.filter(furnace=furnace, status="destroyed").exists()
    scene.enterprise.refresh_from_db()
    scene.account.refresh_from_db()
    assert scene.enterprise.status == Enterprise.Status.BANNED and scene.account.closed_site_watch

    # revisits on the grid officer's phone
    revisits = list(case.revisits.order_by("due_date"))
    assert [r.assignee for r in revisits] == [scene.grid_officer] * 4
    officer = client_for(scene.grid_officer)
    mine = officer.get(reverse("cases:my_tasks")).content.decode()
    assert all(f'id="revisit-{r.pk}"' in mine for r in revisits)
    checks = {f"check_{k}": "on" for k in Revisit.CHECKLIST}
    early = post(
        officer, reverse("cases:revisit_complete", args=[revisits[0].pk]), {**checks, "file": photo("r0.jpg")}
    )
    assert any("起才能填写" in m for m in messages_of(early))  # months ahead: its window is not open yet
    Revisit.objects.filter(pk=revisits[0].pk).update(due_date=datetime.date.today())
    post(
        officer, reverse("cases:revisit_complete", args=[revisits[0].pk]), {**checks, "file": photo("r1.jpg")}
    )
    revisits[0].refresh_from_db()
    assert revisits[0].status == "done" and not revisits[0].activity_found

    # the case page shows the timeline with reasons; every transition is audited
    page = office.get(detail).content.decode()
    for text in ("核查中 → 查实", "两部门核查属实", "取缔验收中 → 回头看", "回头看（"):
        assert text in page
    assert AuditLog.objects.filter(action="case_transition", target_id=str(case.pk)).count() == 5

    # another district sees none of it
    stranger = client_for(outsider)
    assert stranger.get(detail).status_code == 404
    assert case.title not in stranger.get(reverse("cases:case_list")).content.decode()
    photo_id = case.attachments.filter(kind="photo").first().pk
    assert stranger.get(reverse("cases:attachment_file", args=[photo_id])).status_code == 404
    assert office.get(reverse("cases:attachment_file", args=[photo_id]))["Content-Type"] == "image/jpeg"
    for name, args in [
        ("case_transition", [case.pk]),
        ("closure_evidence", [case.pk, "plant_cleared"]),
        ("task_complete", [JointTask.objects.first().pk]),
        ("revisit_complete", [revisits[1].pk]),
        ("cut_order_execute", [CutOrder.objects.first().pk]),
    ]:
        assert stranger.post(reverse(f"cases:{name}", args=args), {"to": "closed"}).status_code == 404
    assert Case.objects.get(pk=case.pk).state == "revisiting"


def test_revisit_finding_activity_reopens_the_case(scene, alert_case, owner):
    from steelwatch.cases import services

    case = alert_case
    Case.objects.filter(pk=case.pk).update(state="closing")
    case.refresh_from_db()
    prove_closure(owner, case, scene.furnaces)
    services.case_transition(actor=owner, case=case, to="revisiting")
    revisit = case.revisits.order_by("due_date").first()
    Revisit.objects.filter(pk=revisit.pk).update(due_date=datetime.date.today())
    officer = client_for(scene.grid_officer)
    post(
        officer,
        reverse("cases:revisit_complete", args=[revisit.pk]),
        {"check_no_equipment": "on", "note": "夜间有车辆运废钢进出", "file": photo("night.jpg")},
    )
    case.refresh_from_db()
    assert case.state == "enforcing" and case.closure_round == 2
    assert case.revisits.filter(status="cancelled").count() == 3
    # the new round needs its own evidence
    assert all(row["missing"] for row in services.closure_status(case))


def test_list_filters_and_overdue_mark(scene, alert_case, owner, colleague):
    Case.objects.filter(pk=alert_case.pk).update(state="verifying", verify_due=datetime.date(2020, 1, 2))
    office = client_for(owner)
    page = office.get(reverse("cases:case_list") + "?overdue=1").content.decode()
    assert alert_case.title in page and "已超期" in page
    assert alert_case.title not in office.get(reverse("cases:case_list") + "?state=closed").content.decode()
    assert alert_case.title in client_for(colleague).get(reverse("cases:case_list")).content.decode()


def test_open_case_by_hand_for_an_unknown_site_then_match_it(scene, owner):
    office = client_for(owner)
    response = post(
        office,
        reverse("cases:case_create"),
        {
            "title": "巡查发现不明冶炼点",
            "source": "patrol",
            "division_code": scene.township.code,
            "address": "某村废旧厂房",
            "longitude": "119.9",
            "latitude": "31.7",
        },
    )
    case = Case.objects.get(title="巡查发现不明冶炼点")
    assert case.enterprise is None and response.request["PATH_INFO"] == reverse(
        "cases:case_detail", args=[case.pk]
    )
    post(office, reverse("cases:case_link", args=[case.pk]), {"enterprise_uscc": scene.enterprise.uscc})
    case.refresh_from_db()
    assert case.enterprise == scene.enterprise and list(case.power_accounts.all()) == [scene.account]
    bad = post(
        office, reverse("cases:case_create"), {"title": "x", "source": "patrol", "division_code": "320411"}
    )
    assert "不在您的管辖范围内" in bad.content.decode()


def test_outsider_is_refused_on_every_page(alert_case, outsider):
    stranger = client_for(outsider)
    assert stranger.get(reverse("cases:case_list")).status_code == 200  # an empty list of their own
    assert stranger.get(reverse("cases:my_tasks")).status_code == 200
    for name in (
        "case_detail",
        "case_transition",
        "case_link",
        "case_attachment",
        "task_assign",
        "cut_order_issue",
        "enforcement_add",
        "blacklist_add",
        "trace_node",
        "trace_edge",
    ):
        method = stranger.get if name == "case_detail" else stranger.post
        assert method(reverse(f"cases:{name}", args=[alert_case.pk])).status_code == 404, name
    assert Client().get(reverse("cases:case_list")).status_code == 302  # login required
