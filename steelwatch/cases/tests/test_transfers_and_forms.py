"""Transfers declined or recalled, forms shown per state from the one table, run-reminders, enterprise partial."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from steelwatch.cases import services
from steelwatch.cases.models import Case
from steelwatch.core.models import Notification
from steelwatch.testing import api_client, client_for, make_enterprise

from .conftest import MONDAY

pytestmark = pytest.mark.django_db


def test_receiver_declines_with_reason_and_the_case_returns_to_the_sender(
    alert_case, owner, outsider, django_capture_on_commit_callbacks
):
    case = alert_case
    services.case_transition(actor=owner, case=case, to="verifying")
    services.case_transition(
        actor=owner, case=case, to="transferred", reason="场所实属新北区", transfer_to="320411"
    )
    receiver = client_for(outsider)
    inbox = receiver.get(reverse("cases:case_list")).content.decode()
    assert 'name="to" value="decline"' in inbox
    assert "decline" in services.transitions_for(
        outsider, case
    ) and "decline" not in services.transitions_for(owner, case)
    with pytest.raises(services.TransitionRefused, match="“退回移交”需填写理由"):
        services.case_transition(actor=outsider, case=case, to="decline")
    with pytest.raises(services.TransitionRefused, match="“退回移交”需要案件管理权限"):
        services.case_transition(actor=owner, case=case, to="decline", reason="x")
    with django_capture_on_commit_callbacks(execute=True):
        receiver.post(
            reverse("cases:case_transition", args=[case.pk]),
            {"to": "decline", "reason": "经核实场所位于武进区"},
        )
    case.refresh_from_db()
    assert case.state == "verifying" and case.division_id.startswith("320412") and case.transfer_to is None
    assert "经核实场所位于武进区" in case.transfer_note
    assert Notification.objects.filter(recipient=owner, text__contains="经核实场所位于武进区").exists()
    assert receiver.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404  # gone from them
    sender = client_for(owner)
    listing = sender.get(reverse("cases:case_list")).content.decode()
    assert 'id="returned"' in listing and "经核实场所位于武进区" in listing
    assert 'id="transfer-note"' in sender.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "退回移交（" in case.events.last().text and case.events.last().reason == "经核实场所位于武进区"
    # the next move clears the returned mark
    services.case_transition(
        actor=owner, case=case, to="transferred", reason="再次移交", transfer_to="320411"
    )
    case.refresh_from_db()
    assert (
        case.transfer_note == ""
        and 'id="returned"' not in sender.get(reverse("cases:case_list")).content.decode()
    )


def test_sender_recalls_before_acceptance_only(alert_case, owner, outsider):
    case = alert_case
    services.case_transition(actor=owner, case=case, to="transferred", reason="移交", transfer_to="320411")
    with pytest.raises(services.TransitionRefused, match="“撤回移交”需要案件管理权限"):
        services.case_transition(actor=outsider, case=case, to="recall")
    api = api_client(owner)
    assert "recall" in api.get(f"/api/v1/cases/{case.pk}").json()["transitions"]
    recalled = api.post(
        f"/api/v1/cases/{case.pk}/transition", {"to": "recall"}, content_type="application/json"
    )
    assert recalled.status_code == 200 and recalled.json()["state"] == "registered"
    case.refresh_from_db()
    assert case.transfer_to is None and case.transfer_note == "" and case.division_id.startswith("320412")
    assert api_client(outsider).get(f"/api/v1/cases/{case.pk}").status_code == 404
    # once accepted there is nothing to recall or decline
    services.case_transition(actor=owner, case=case, to="transferred", reason="移交", transfer_to="320411")
    services.case_transition(actor=outsider, case=case, to="registered")
    refused = api_client(outsider).post(
        f"/api/v1/cases/{case.pk}/transition",
        {"to": "decline", "reason": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 409 and "不能“退回移交”" in refused.json()["detail"]
    recall = api.post(
        f"/api/v1/cases/{case.pk}/transition", {"to": "recall"}, content_type="application/json"
    )
    assert recall.status_code == 409  # the sender still sees the case (read-only) but can no longer move it
    assert api.get(f"/api/v1/cases/{case.pk}").json()["transitions"] == []
    assert api.get(f"/api/v1/cases/{case.pk}").json()["transferred_from"].startswith("320412")


FORMS = {  # action name → a marker only its form carries on the case page
    "link": "/link/",
    "attachment": "/attachments/",
    "trace": "/trace/nodes/",
    "task_assign": "/tasks/",
    "cut_order_issue": 'id="form-cut-order"',
    "enforcement_record": 'id="form-enforcement"',
    "blacklist_propose": 'id="form-blacklist"',
    "closure_evidence": "/closure/plant_cleared/",
    "judicial_refer": 'id="form-judicial-refer"',
}
EXPECTED = {
    "registered": {"link", "attachment", "trace", "task_assign"},
    "verifying": {"link", "attachment", "trace", "task_assign", "cut_order_issue"},
    "enforcing": {
        "link",
        "attachment",
        "trace",
        "cut_order_issue",
        "enforcement_record",
        "blacklist_propose",
        "closure_evidence",
        "judicial_refer",
    },
    "revisiting": {"link", "attachment", "trace", "blacklist_propose", "judicial_refer"},
    "closed": set(),
    "unfounded": set(),
}


@pytest.mark.parametrize("state", list(EXPECTED))
def test_case_page_shows_only_the_forms_of_the_state(alert_case, owner, state):
    Case.objects.filter(pk=alert_case.pk).update(state=state)
    alert_case.refresh_from_db()
    assert services.actions_for(owner, alert_case) == EXPECTED[state]
    page = client_for(owner).get(reverse("cases:case_detail", args=[alert_case.pk])).content.decode()
    prefix = f"/cases/{alert_case.pk}"
    for action, marker in FORMS.items():
        shown = (prefix + marker if marker.startswith("/") else marker) in page
        assert shown == (action in EXPECTED[state]), (state, action)
    moves = services.transitions_for(owner, alert_case)
    assert ('id="transition"' in page) == bool(moves)
    for move in moves:
        assert f'<option value="{move}">' in page
    assert ('name="transfer_to"' in page) == ("transferred" in moves)


def test_transition_fields_follow_the_user_and_services_refuse_out_of_state(alert_case, owner, colleague):
    Case.objects.filter(pk=alert_case.pk).update(state="closing")
    alert_case.refresh_from_db()
    assert 'name="closure_kind"' in client_for(owner).get(f"/cases/{alert_case.pk}/").content.decode()
    page = client_for(colleague).get(f"/cases/{alert_case.pk}/").content.decode()
    assert (
        '<option value="revisiting">' not in page and 'name="closure_kind"' not in page
    )  # no sign-off right
    Case.objects.filter(pk=alert_case.pk).update(state="revisiting")
    alert_case.refresh_from_db()
    with pytest.raises(ValidationError, match="记录查处措施仅限"):
        services.enforcement_record(actor=owner, case=alert_case, kind="sealing", date=datetime.date.today())
    with pytest.raises(ValidationError, match="上传取缔验收证据仅限"):
        services.closure_evidence_add(actor=owner, case=alert_case, item="plant_cleared", upload=None)


def test_run_reminders_runs_case_and_tip_reminders(alert_case, owner, django_capture_on_commit_callbacks):
    from steelwatch.tips.models import TipReminder
    from steelwatch.tips.services import tip_submit

    services.case_transition(actor=owner, case=alert_case, to="verifying", today=MONDAY)
    tip, _ = tip_submit(
        channel="web", content="夜里有中频炉在炼钢", address="某村厂房", division_code=alert_case.division_id
    )
    late = max(tip.verify_due, datetime.date(2026, 3, 17)) + datetime.timedelta(days=3)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_reminders", "--date", late.isoformat(), stdout=out)
        call_command("run_reminders", "--date", late.isoformat(), stdout=StringIO())  # nothing twice
    assert "案件：提醒 0 条，超期 1 条" in out.getvalue() and "举报：提醒" in out.getvalue()
    assert TipReminder.objects.filter(tip=tip, day=late).exists()
    assert alert_case.reminders.filter(kind="overdue", day=late).count() == 1
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        call_command("run_reminders", "--date", "17.03.2026")


def test_enterprise_cases_partial(scene, alert_case, owner, colleague, outsider):
    url = reverse("cases:enterprise_cases", args=[scene.enterprise.pk])
    other = make_enterprise(scene.township.code)
    services.case_open(
        actor=owner,
        title="另一企业的案件",
        source="manual",
        division_code=scene.township.code,
        enterprise=other,
    )
    for user in (owner, colleague):
        body = client_for(user).get(url).content.decode()
        assert alert_case.title in body and "另一企业的案件" not in body and "<html" not in body
    assert (
        "暂无您可查看的案件" in client_for(scene.environment).get(url).content.decode()
    )  # no task of theirs
    assert client_for(outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302
