"""The judicial track runs beside the administrative one (issue #11, item 3): a referred case keeps its cuts,
closure and revisits; the police have it as a task and record the acceptance and the outcome."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from steelwatch.cases import services
from steelwatch.cases.models import Case, CutOrder, JudicialReferral
from steelwatch.core.models import AuditLog, Notification
from steelwatch.testing import api_client, client_for, make_user

from .conftest import pdf, prove_closure

TODAY = timezone.localdate


@pytest.fixture
def enforcing(alert_case):
    Case.objects.filter(pk=alert_case.pk).update(state="enforcing")
    alert_case.refresh_from_db()
    return alert_case


def _refer(case, owner):
    services.case_attachment_add(actor=owner, case=case, upload=pdf("移送函.pdf"), purpose="referral")
    return services.judicial_refer(
        actor=owner, case=case, organ="常州市公安局武进分局", charge="涉嫌生产、销售伪劣产品罪"
    )


def test_referral_needs_papers_and_a_confirmed_case(alert_case, enforcing, owner):
    with pytest.raises(ValidationError, match="移送材料"):
        services.judicial_refer(actor=owner, case=enforcing, organ="武进分局", charge="涉嫌犯罪")
    Case.objects.filter(pk=enforcing.pk).update(state="verifying")
    enforcing.refresh_from_db()
    with pytest.raises(ValidationError, match="移送司法仅限"):
        services.judicial_refer(actor=owner, case=enforcing, organ="武进分局", charge="涉嫌犯罪")


def test_the_administrative_track_goes_on_and_the_police_have_a_task(
    enforcing, owner, scene, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = _refer(enforcing, owner)
    enforcing.refresh_from_db()
    assert enforcing.state == "enforcing" and referral.status == "referred"
    assert AuditLog.objects.filter(action="judicial_refer").exists()
    assert Notification.objects.filter(recipient=scene.police, text__contains="待受理").exists()
    mine = services_my_tasks(scene.police)
    assert [j.case_id for j in mine["referrals"]] == [enforcing.pk]
    # the police's task list shows it, and the case page offers them the record form
    police = client_for(scene.police)
    assert f"referral-{referral.pk}" in police.get(reverse("cases:my_tasks")).content.decode()
    assert (
        'id="form-judicial-record"'
        in police.get(reverse("cases:case_detail", args=[enforcing.pk])).content.decode()
    )

    # cut, closure and sign-off are still possible after the referral
    order = services.cut_order_issue(actor=owner, case=enforcing, kind="power", power_account=scene.account)
    services.cut_order_execute(actor=scene.power, order=order)
    services.case_transition(actor=owner, case=enforcing, to="closing")
    prove_closure(owner, enforcing, scene.furnaces)
    services.case_transition(actor=owner, case=enforcing, to="revisiting")
    enforcing.refresh_from_db()
    assert enforcing.state == "revisiting" and CutOrder.objects.get(pk=order.pk).status == "executed"

    # the police accept and conclude, in order, with dates no earlier than the step before
    with pytest.raises(ValidationError, match="立案编号"):
        services.judicial_record(actor=scene.police, referral=referral, status="accepted", on=TODAY())
    with pytest.raises(ValidationError, match="只能登记"):
        services.judicial_record(
            actor=scene.police, referral=referral, status="concluded", on=TODAY(), outcome="x"
        )
    with pytest.raises(ValidationError, match="日期应在"):
        services.judicial_record(
            actor=scene.police,
            referral=referral,
            status="accepted",
            on=TODAY() - datetime.timedelta(days=1),
            file_number="武公（经）立字〔2026〕101号",
        )
    services.judicial_record(
        actor=scene.police,
        referral=referral,
        status="accepted",
        on=TODAY(),
        file_number="武公（经）立字〔2026〕101号",
    )
    services.judicial_record(
        actor=scene.police, referral=referral, status="concluded", on=TODAY(), outcome="移送检察院审查起诉"
    )
    referral.refresh_from_db()
    assert (referral.status, referral.file_number, referral.outcome) == (
        "concluded",
        "武公（经）立字〔2026〕101号",
        "移送检察院审查起诉",
    )
    assert services_my_tasks(scene.police)["referrals"] == []
    assert enforcing.events.filter(kind="judicial").count() == 3
    with pytest.raises(ValidationError, match="已办结"):
        services.judicial_record(
            actor=scene.police, referral=referral, status="declined", on=TODAY(), outcome="x"
        )


def test_only_the_police_or_the_office_of_the_area_record(enforcing, owner, scene):
    referral = _refer(enforcing, owner)
    with pytest.raises(Exception, match="无权"):
        services.judicial_record(
            actor=scene.environment, referral=referral, status="declined", on=TODAY(), outcome="不构成犯罪"
        )
    other_police = make_user("department_staff", "320411", department="police", username="police_xb")
    assert api_client(other_police).get(f"/api/v1/cases/{enforcing.pk}").status_code == 404
    refused = api_client(other_police).post(
        f"/api/v1/cases/{enforcing.pk}/referral/record",
        {"status": "declined", "on": str(TODAY()), "outcome": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 404


def test_the_api_refers_and_records(enforcing, owner, scene):
    services.case_attachment_add(actor=owner, case=enforcing, upload=pdf("移送函.pdf"), purpose="referral")
    office = api_client(owner)
    made = office.post(
        f"/api/v1/cases/{enforcing.pk}/referral",
        {"organ": "常州市公安局武进分局", "charge": "涉嫌生产、销售伪劣产品罪"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["status"] == "referred", made.content
    police = api_client(scene.police)
    assert [r["case_id"] for r in police.get("/api/v1/tasks/mine").json()["referrals"]] == [enforcing.pk]
    declined = police.post(
        f"/api/v1/cases/{enforcing.pk}/referral/record",
        {"status": "declined", "on": str(TODAY()), "outcome": ""},
        content_type="application/json",
    )
    assert declined.status_code == 422 and "outcome" in str(declined.json())
    declined = police.post(
        f"/api/v1/cases/{enforcing.pk}/referral/record",
        {"status": "declined", "on": str(TODAY()), "outcome": "情节显著轻微，不构成犯罪"},
        content_type="application/json",
    )
    assert declined.status_code == 200 and declined.json()["status_label"] == "不予立案"
    detail = office.get(f"/api/v1/cases/{enforcing.pk}").json()
    assert detail["state"] == "enforcing" and detail["referral"]["outcome"] == "情节显著轻微，不构成犯罪"
    assert JudicialReferral.objects.get().updated_by == scene.police


def services_my_tasks(user):
    from steelwatch.cases.selectors import my_tasks

    return my_tasks(user)
