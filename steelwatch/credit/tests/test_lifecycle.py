"""The lifecycle table: notice and defence, the level above's approval (a setting), decision, publication,
removal at the end of the period (automatic), early removal after a year, withdrawal; every step audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from steelwatch.core.models import AuditLog
from steelwatch.credit import services
from steelwatch.credit.models import Entry, EntryEvent
from steelwatch.testing import make_uscc

from .conftest import PERSON_ID, listed_entry

D = datetime.date


def _proposal(actor, **extra):
    values = {
        "subject_kind": "enterprise",
        "name": "常州市武进区鑫达特钢有限公司",
        "enterprise_uscc": make_uscc("320412"),
        "basis": "《市场监督管理严重违法失信名单管理办法》第九条",
        "authority": "常州市武进区市场监督管理局",
    }
    values.update(extra)
    return services.entry_create(actor=actor, **values)


def test_without_higher_approval(owner, settings):
    settings.CREDIT_HIGHER_APPROVAL = False
    entry = _proposal(owner)
    assert entry.state == "proposed" and entry.entry_measures.count() > 0  # the catalogue's defaults
    services.entry_transition(actor=owner, entry=entry, to="notified", today=D(2026, 3, 2))
    assert entry.defence_due == D(2026, 3, 9)  # five working days
    with pytest.raises(services.TransitionRefused, match="陈述申辩期"):
        services.entry_transition(actor=owner, entry=entry, to="decided", today=D(2026, 3, 9))
    with pytest.raises(services.TransitionRefused, match="决定书文号"):
        services.entry_transition(actor=owner, entry=entry, to="decided", today=D(2026, 3, 10))
    services.entry_update(actor=owner, entry=entry, document_number="武市监信列〔2026〕7号")
    services.entry_transition(actor=owner, entry=entry, to="decided", today=D(2026, 3, 10))
    assert (entry.starts_on, entry.ends_on, entry.publish_due) == (
        D(2026, 3, 10),
        D(2029, 3, 10),
        D(2026, 4, 7),
    )
    services.entry_transition(actor=owner, entry=entry, to="in_force", today=D(2026, 3, 11))
    assert entry.state == "in_force" and entry.published_on == D(2026, 3, 11)
    steps = list(EntryEvent.objects.filter(entry=entry, kind="transition").values_list("to_state", flat=True))
    assert steps == ["notified", "decided", "in_force"]
    audited = AuditLog.objects.filter(
        target_type="credit.entry", target_id=str(entry.pk), action="credit_transition"
    )
    assert audited.count() == 3 and all(a.actor == owner for a in audited)


def test_higher_approval_when_configured(owner, city_user, colleague, settings):
    settings.CREDIT_HIGHER_APPROVAL = True
    entry = _proposal(owner, document_number="武市监信列〔2026〕8号")
    services.entry_transition(actor=owner, entry=entry, to="notified", today=D(2026, 3, 2))
    services.statement_record(actor=owner, entry=entry, statement="当事人称已停产整改", on=D(2026, 3, 3))
    with pytest.raises(services.TransitionRefused, match="上一级"):
        services.entry_transition(actor=owner, entry=entry, to="decided", today=D(2026, 3, 3))
    services.entry_transition(actor=owner, entry=entry, to="awaiting_approval", today=D(2026, 3, 3))
    assert "approved" not in services.transitions_for(owner, entry)  # a district cannot approve its own
    with pytest.raises(services.TransitionRefused, match="上一级"):
        services.entry_transition(actor=owner, entry=entry, to="approved")
    with pytest.raises(services.TransitionRefused, match="理由"):
        services.entry_transition(actor=city_user, entry=entry, to="refuse")
    services.entry_transition(actor=city_user, entry=entry, to="approved", today=D(2026, 3, 4))
    assert entry.approved_by == city_user
    services.entry_transition(actor=owner, entry=entry, to="decided", today=D(2026, 3, 5))
    assert entry.state == "decided"
    with pytest.raises(services.TransitionRefused):  # a township has no deciding role
        services.entry_transition(actor=colleague, entry=entry, to="in_force")


def test_abnormal_list_needs_no_notice(owner):
    entry = _proposal(owner, list_kind="abnormal", document_number="武市监异〔2026〕1号")
    services.entry_transition(actor=owner, entry=entry, to="decided", today=D(2026, 3, 2))
    assert entry.state == "decided"


def test_automatic_removal_at_the_end_of_the_period(owner):
    entry = listed_entry(owner, today=D(2026, 3, 2), restriction_ends_on=D(2030, 6, 1))
    assert entry.ends_on == D(2030, 6, 1)  # the restriction is longer than three years
    call_command("run_reminders", "--date", "2030-05-31")
    entry.refresh_from_db()
    assert entry.state == "in_force"
    call_command("run_reminders", "--date", "2030-06-01")
    entry.refresh_from_db()
    assert (entry.state, entry.removed_on) == ("removed", D(2030, 6, 1))
    event = entry.events.get(to_state="removed")
    assert event.actor is None and "届满" in event.reason


def test_early_removal_after_a_year_on_application(owner):
    entry = listed_entry(owner, today=D(2026, 3, 2))
    with pytest.raises(services.TransitionRefused, match="信用修复申请"):
        services.entry_transition(actor=owner, entry=entry, to="repaired", reason="修复", today=D(2027, 3, 3))
    services.repair_apply(actor=owner, entry=entry, application="已缴清罚款，设备已拆除", on=D(2026, 9, 1))
    with pytest.raises(services.TransitionRefused, match="满一年"):
        services.entry_transition(actor=owner, entry=entry, to="repaired", reason="修复", today=D(2027, 3, 1))
    services.entry_transition(
        actor=owner, entry=entry, to="repaired", reason="符合修复条件", today=D(2027, 3, 2)
    )
    assert (entry.state, entry.removed_on) == ("repaired", D(2027, 3, 2))


def test_withdrawal_needs_a_reason_and_the_proposal_is_settled(owner):
    entry = listed_entry(owner)
    with pytest.raises(services.TransitionRefused, match="理由"):
        services.entry_transition(actor=owner, entry=entry, to="withdrawn")
    services.entry_transition(actor=owner, entry=entry, to="withdrawn", reason="行政处罚决定被撤销")
    assert entry.state == "withdrawn" and entry.removal_reason == "行政处罚决定被撤销"


def test_validation_names_the_field(owner, outsider):
    with pytest.raises(ValidationError) as error:
        services.entry_create(
            actor=owner,
            subject_kind="person",
            person_name="张三",
            person_id_number=PERSON_ID[:-1] + "0",
            basis="x",
            authority="y",
        )
    assert "person_id_number" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        _proposal(owner, enterprise_uscc="91320412MA1234567X")
    assert "enterprise_uscc" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        _proposal(outsider, division_code="320412")
    assert "division_code" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        _proposal(owner, starts_on=D(2026, 1, 1), ends_on=D(2027, 1, 1))
    assert "ends_on" in error.value.error_dict


def test_person_entry_keeps_only_derived_id_values(owner):
    entry = services.entry_create(
        actor=owner,
        subject_kind="person",
        person_name="王某",
        person_id_number=PERSON_ID,
        basis="《公司法》第一百七十八条",
        authority="常州市武进区市场监督管理局",
    )
    stored = Entry.objects.filter(pk=entry.pk).values().get()
    assert PERSON_ID not in repr(stored)
    assert stored["id_masked"] == PERSON_ID[:4] + "*" * 10 + PERSON_ID[-4:]
    assert services.entry_reveal_id(actor=owner, entry=entry, purpose="test") == PERSON_ID
    assert AuditLog.objects.filter(action="credit_id_reveal", target_id=str(entry.pk)).count() == 1
    assert PERSON_ID not in repr(list(AuditLog.objects.values()))
