"""Workflow rules, deadlines, transfers, referral, uploads, visibility, zombie sites and trace-back."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from PIL import Image

from steelwatch.cases import services
from steelwatch.cases.access import cases_for
from steelwatch.cases.models import Case, Reminder
from steelwatch.cases.selectors import trace_graph
from steelwatch.core.files import absolute
from steelwatch.core.models import Notification
from steelwatch.registry.models import Enterprise
from steelwatch.testing import make_enterprise, make_user

from .conftest import MONDAY, pdf, photo

pytestmark = pytest.mark.django_db


def test_verification_deadline_reminders_once_a_day(alert_case, owner, django_capture_on_commit_callbacks):
    services.case_transition(actor=owner, case=alert_case, to="verifying", today=MONDAY)
    alert_case.refresh_from_db()
    assert alert_case.verify_due == datetime.date(2026, 3, 16)  # 10 working days after Monday 2 March
    with django_capture_on_commit_callbacks(execute=True):
        assert services.case_reminders(today=datetime.date(2026, 3, 12)) == {"reminder": 1, "overdue": 0}
        assert services.case_reminders(today=datetime.date(2026, 3, 12)) == {"reminder": 0, "overdue": 0}
        assert services.case_reminders(today=datetime.date(2026, 3, 16)) == {"reminder": 1, "overdue": 0}
        assert services.case_reminders(today=datetime.date(2026, 3, 17)) == {"reminder": 0, "overdue": 1}
        call_command("case_reminders", "--date", "2026-03-17")  # same day again: nothing new
    assert Reminder.objects.filter(case=alert_case, kind="overdue").count() == 1
    assert Notification.objects.filter(recipient=owner, text__contains="核查已超期").count() == 1
    assert alert_case.is_overdue(datetime.date(2026, 3, 17)) and not alert_case.is_overdue(
        datetime.date(2026, 3, 16)
    )


def test_unfounded_needs_a_reason_and_roles_are_checked(alert_case, owner, colleague, scene):
    services.case_transition(actor=owner, case=alert_case, to="verifying")
    with pytest.raises(services.TransitionRefused, match="需填写理由"):
        services.case_transition(actor=owner, case=alert_case, to="unfounded")
    with pytest.raises(services.TransitionRefused, match="不能转为“已结案”"):
        services.case_transition(actor=owner, case=alert_case, to="closed")
    with pytest.raises(services.TransitionRefused, match="案件管理权限"):
        services.case_transition(actor=scene.environment, case=alert_case, to="unfounded", reason="x")
    services.case_transition(actor=colleague, case=alert_case, to="unfounded", reason="现场为合法铸造企业")
    assert Case.objects.get(pk=alert_case.pk).state == "unfounded"
    Case.objects.filter(pk=alert_case.pk).update(state="closing")
    with pytest.raises(services.TransitionRefused, match="验收签字权限"):
        services.case_transition(actor=colleague, case=alert_case, to="revisiting")


def test_transfer_needs_the_receiving_district_to_accept(alert_case, owner, outsider):
    with pytest.raises(services.TransitionRefused, match="需指定接收地区"):
        services.case_transition(actor=owner, case=alert_case, to="transferred", reason="属新北区")
    services.case_transition(
        actor=owner, case=alert_case, to="transferred", reason="场所实属新北区", transfer_to="320411"
    )
    assert alert_case.state == "transferred"
    with pytest.raises(services.TransitionRefused):  # the sender cannot accept for them
        services.case_transition(actor=owner, case=alert_case, to="registered")
    inbox = Client()
    inbox.force_login(outsider)
    page = inbox.get("/cases/").content.decode()
    assert "待接收的移交案件" in page and alert_case.title in page
    inbox.post(f"/cases/{alert_case.pk}/transition/", {"to": "registered"})
    alert_case.refresh_from_db()
    assert alert_case.state == "registered" and alert_case.division_id == "320411"
    assert alert_case.transferred_from_id.startswith(owner.division_id)  # its township of 武进区
    # the sender still sees it, read-only, with its new owner named; it can no longer move it
    sender = Client()
    sender.force_login(owner)
    assert alert_case.title in sender.get("/cases/").content.decode()
    page = sender.get(f"/cases/{alert_case.pk}/").content.decode()
    assert 'id="transferred-away"' in page and "新北区负责" in page
    assert 'name="to"' not in page
    assert sender.post(f"/cases/{alert_case.pk}/transition/", {"to": "verifying"}).status_code in (302, 403)
    alert_case.refresh_from_db()
    assert alert_case.state == "registered"
    with pytest.raises(services.TransitionRefused):
        services.case_transition(actor=owner, case=alert_case, to="verifying")
    assert 'id="transferred-away"' not in inbox.get(f"/cases/{alert_case.pk}/").content.decode()
    unrelated = make_user("district_office", "320402", username="third_district")
    assert not cases_for(unrelated).filter(pk=alert_case.pk).exists()


def test_department_staff_see_only_cases_their_department_works_on(alert_case, owner, scene):
    assert not cases_for(scene.environment).filter(pk=alert_case.pk).exists()
    services.task_assign(
        actor=owner,
        case=alert_case,
        aspect="environmental_protection",
        department="environment",
        due_date=datetime.date(2099, 1, 1),
    )
    assert cases_for(scene.environment).filter(pk=alert_case.pk).exists()
    assert not cases_for(scene.water).filter(pk=alert_case.pk).exists()
    other_env = make_user("department_staff", "320411", department="environment")
    assert not cases_for(other_env).filter(pk=alert_case.pk).exists()
    with pytest.raises(ValidationError, match="承办人"):
        services.task_assign(
            actor=owner,
            case=alert_case,
            aspect="taxes",
            department="tax",
            owner=scene.environment,
            due_date=datetime.date(2099, 1, 1),
        )


def test_photos_keep_time_and_gps_in_the_database_but_not_in_the_file(alert_case, owner):
    Case.objects.filter(pk=alert_case.pk).update(state="closing")
    alert_case.refresh_from_db()
    record = services.closure_evidence_add(
        actor=owner,
        case=alert_case,
        item="plant_cleared",
        upload=photo("cleared.png", taken="2026:03:01 10:20:30"),
    )
    attachment = record.attachments.get()
    assert attachment.gps_latitude == Decimal("31.708333") and attachment.gps_longitude == Decimal(
        "119.933333"
    )
    assert timezone.localtime(attachment.taken_at).strftime("%Y-%m-%d %H:%M") == "2026-03-01 10:20"
    stored = Image.open(io.BytesIO(absolute(attachment.path).read_bytes()))
    assert stored.format == "JPEG" and not stored.getexif()
    assert record.witnessed_by == owner


def test_zombie_site_supervisor_patrols_and_restart_approval(scene, owner, colleague):
    zombie = make_enterprise(scene.township.code, status=Enterprise.Status.IDLE, grid=scene.grid)
    patrols = services.zombie_supervise(
        actor=owner, enterprise=zombie, supervisor=scene.grid_officer, patrols=3, today=MONDAY
    )
    zombie.refresh_from_db()
    assert zombie.supervisor == scene.grid_officer and [p.due_date for p in patrols][0] == datetime.date(
        2026, 4, 1
    )
    with pytest.raises(ValidationError, match="安全评估报告"):
        services.restart_request_submit(
            actor=colleague, enterprise=zombie, safety_assessor="某安评公司", report=None
        )
    request = services.restart_request_submit(
        actor=colleague, enterprise=zombie, safety_assessor="某安评公司", report=pdf("安全评估报告.pdf")
    )
    with pytest.raises(Exception, match="无权"):
        services.restart_request_decide(actor=colleague, request=request, approve=True)
    services.restart_request_decide(actor=owner, request=request, approve=True, reason="评估合格")
    zombie.refresh_from_db()
    assert zombie.status == Enterprise.Status.OPERATING
    assert {p.status for p in zombie.revisits.all()} == {"cancelled"}


def test_trace_back_graph(alert_case, owner):
    source = services.trace_node_add(actor=owner, case=alert_case, kind="source", label="武进某金属制品厂")
    buyer = services.trace_node_add(actor=owner, case=alert_case, kind="buyer", label="某钢材经销部")
    site = services.trace_node_add(actor=owner, case=alert_case, kind="site", label="某小区建设工地")
    services.trace_edge_add(
        actor=owner,
        case=alert_case,
        source=source,
        target=buyer,
        label="销售螺纹钢",
        quantity_t=Decimal("45"),
    )
    services.trace_edge_add(actor=owner, case=alert_case, source=buyer, target=site, quantity_t=Decimal("20"))
    with pytest.raises(ValidationError, match="已存在"):
        services.trace_node_add(actor=owner, case=alert_case, kind="person", label="某钢材经销部")
    graph = trace_graph(alert_case)
    assert len(graph["nodes"]) == 3 and graph["edges"][0]["label"] == "销售螺纹钢 45.00 吨"
    client = Client()
    client.force_login(owner)
    assert 'id="trace-graph"' in client.get(f"/cases/{alert_case.pk}/").content.decode()
