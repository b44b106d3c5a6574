"""The judicial track (移送司法): referral to the police, their acceptance and the outcome. It runs beside the
administrative track, which goes on: a referred case still has its cuts, closure and revisits."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.accounts.roles import Department, can
from steelwatch.core.access import require, user_covers_division
from steelwatch.core.notify import notify, stored_language, users_with
from steelwatch.core.services import audited_create, audited_update

from ..models import Case, JudicialReferral
from ._common import _event, _managers, _user, case_url
from .actions import _require_action

R = JudicialReferral.Status
# status → the statuses the police may record next, and what each needs
NEXT: dict[str, tuple[str, ...]] = {
    R.REFERRED: (R.ACCEPTED, R.DECLINED),
    R.ACCEPTED: (R.CONCLUDED,),
}


@transaction.atomic
def judicial_refer(*, actor, case: Case, organ: str, charge: str) -> JudicialReferral:
    """Refer the case to the police (the referral papers must be on the case); the police department of the
    case's area gets it as a task. The case's own state does not change."""
    _require_action(actor, case, "judicial_refer")
    if hasattr(case, "referral"):
        raise ValidationError(
            _("本案已于 {day} 移送{organ}").format(day=case.referral.referred_on, organ=case.referral.organ)
        )
    if not case.attachments.filter(purpose="referral").exists():
        raise ValidationError({"organ": _("移送司法需先上传移送材料（案件材料、证据清单）")})
    organ, charge = organ.strip(), charge.strip()
    if not organ:
        raise ValidationError({"organ": _("请填写受理机关")})
    if not charge:
        raise ValidationError({"charge": _("请填写涉嫌罪名或移送理由")})
    referral = audited_create(
        actor=actor,
        instance=JudicialReferral(
            case=case, organ=organ, charge=charge, referred_on=timezone.localdate(), referred_by=_user(actor)
        ),
        action="judicial_refer",
        division_code=case.division_id,
    )
    with stored_language():
        _event(case, actor, "judicial", _("移送{organ}：{charge}").format(organ=organ, charge=charge))
        notify(
            users_with("judicial.record", case.division_id, department=Department.POLICE),
            _("案件 #{pk} 移送公安机关，待受理：{title}").format(pk=case.pk, title=case.title),
            case_url(case),
        )
    return referral


def may_record_judicial(actor, referral: JudicialReferral) -> bool:
    """The police of the case's area, or the case's managers (entering what the police sent on paper)."""
    covers = user_covers_division(actor, referral.case.division_id)
    return covers and (can(actor, "judicial.record") or can(actor, "cases.manage")) and referral.pending


@transaction.atomic
def judicial_record(
    *,
    actor,
    referral: JudicialReferral,
    status: str,
    on: datetime.date,
    file_number: str = "",
    outcome: str = "",
) -> JudicialReferral:
    """Record the police's acceptance (立案, with its number), refusal (不予立案, with the reason) or the
    outcome (已办结, with what it was), each dated no earlier than the step before and not in the future."""
    if not (can(actor, "judicial.record") or can(actor, "cases.manage")):
        require(actor, "judicial.record")
    if not may_record_judicial(actor, referral):
        raise ValidationError(_("本案的司法移送已办结，或不在您的管辖范围内"))
    allowed = NEXT.get(referral.status, ())
    if status not in allowed:
        raise ValidationError(
            {
                "status": _("当前为“{now}”，只能登记：{allowed}").format(
                    now=referral.get_status_display(), allowed="、".join(str(R(s).label) for s in allowed)
                )
            }
        )
    earliest = referral.accepted_on or referral.referred_on
    if on < earliest or on > timezone.localdate():
        raise ValidationError({"on": _("日期应在 {earliest} 至今天之间").format(earliest=earliest)})
    file_number, outcome = file_number.strip(), outcome.strip()
    changes: dict = {"status": status, "updated_by": _user(actor)}
    if status == R.ACCEPTED:
        if not file_number:
            raise ValidationError({"file_number": _("立案须填写立案编号")})
        changes.update(accepted_on=on, file_number=file_number)
        text = _("{organ}已立案（{number}）").format(organ=referral.organ, number=file_number)
    else:
        if not outcome:
            field = _("不予立案的理由") if status == R.DECLINED else _("处理结果")
            raise ValidationError({"outcome": _("请填写{field}").format(field=field)})
        changes.update(outcome=outcome, outcome_on=on)
        text = _("{organ}{status}：{outcome}").format(
            organ=referral.organ, status=R(status).label, outcome=outcome
        )
    audited_update(
        actor=actor,
        instance=referral,
        changes=changes,
        action="judicial_record",
        division_code=referral.case.division_id,
    )
    case = referral.case
    with stored_language():
        _event(case, actor, "judicial", text)
        notify(
            [u for u in _managers(case) if u != actor],
            _("案件 #{pk} {text}").format(pk=case.pk, text=text),
            case_url(case),
        )
    return referral
