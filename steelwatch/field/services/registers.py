"""The office's field registers written from the browser: cameras, experts and consultations, training
sessions with attendance, budget lines and spending. Each write is checked (capability, jurisdiction) and
audited through core.services."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from steelwatch.core.access import require, user_covers_division
from steelwatch.core.services import audited_create, audited_update

from ..models import BudgetLine, Consultation, Spending, TrainingAttendance, TrainingSession


def register_save[M: models.Model](
    *, actor, instance: M, values: dict, capability: str, division_code: str, action: str
) -> M:
    """Create `instance` (no pk yet) with `values`, or apply them to it; only inside the actor's area."""
    require(actor, capability)
    if division_code and not user_covers_division(actor, division_code):
        raise ValidationError({"division": _("不在您的管辖范围内")})
    if instance.pk is None:
        for name, value in values.items():
            setattr(instance, name, value)
        return audited_create(
            actor=actor, instance=instance, action=f"{action}_create", division_code=division_code
        )
    return audited_update(
        actor=actor, instance=instance, changes=values, action=f"{action}_update", division_code=division_code
    )


def consultation_request(*, actor, expert, case, question: str) -> Consultation:
    require(actor, "field.manage")
    if not question.strip():
        raise ValidationError({"question": _("请填写咨询问题")})
    return audited_create(
        actor=actor,
        instance=Consultation(expert=expert, case=case, question=question.strip(), requested_by=actor),
        action="consultation_request",
        division_code=case.division_id,
    )


def consultation_answer(
    *, actor, consultation: Consultation, opinion: str, answered_on: datetime.date
) -> Consultation:
    require(actor, "field.manage")
    if not opinion.strip():
        raise ValidationError({"opinion": _("请填写专家意见")})
    return audited_update(
        actor=actor,
        instance=consultation,
        changes={"opinion": opinion.strip(), "answered_on": answered_on},
        action="consultation_answer",
        division_code=consultation.case.division_id,
    )


@transaction.atomic
def attendance_record(*, actor, session: TrainingSession, present: list, absent: list) -> int:
    """Mark `present` users attended and `absent` ones not (each already within the actor's reach)."""
    require(actor, "field.manage")
    changed = 0
    for users, attended in ((present, True), (absent, False)):
        for user in users:
            row = TrainingAttendance.objects.filter(session=session, user=user).first()
            if row is None:
                if not attended:
                    continue
                audited_create(
                    actor=actor, instance=TrainingAttendance(session=session, user=user, attended=True),
                    action="attendance_record", division_code=session.division_id,
                )  # fmt: skip
                changed += 1
            elif row.attended != attended:
                audited_update(
                    actor=actor, instance=row, changes={"attended": attended}, action="attendance_record",
                    division_code=session.division_id,
                )  # fmt: skip
                changed += 1
    return changed


def spending_record(
    *, actor, line: BudgetLine, date: datetime.date, amount: Decimal, description: str
) -> Spending:
    require(actor, "field.manage")
    if amount <= 0:
        raise ValidationError({"amount": _("金额应大于 0")})
    if date.year != line.year:
        raise ValidationError({"date": _("支出日期应在预算年度 {year} 年内").format(year=line.year)})
    return audited_create(
        actor=actor,
        instance=Spending(
            line=line, date=date, amount=amount, description=description.strip(), recorded_by=actor
        ),
        action="spending_record",
        division_code=line.division_id,
    )
