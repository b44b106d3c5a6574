"""Revisits and zombie-site patrols, zombie supervision, restart requests."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.accounts.models import User
from steelwatch.accounts.roles import can
from steelwatch.core import evidence
from steelwatch.core.access import require, user_covers_division
from steelwatch.core.audit import audit_record
from steelwatch.core.notify import notify, stored_language, users_with
from steelwatch.core.screening import enterprise_flag
from steelwatch.core.services import audited_create, audited_update
from steelwatch.registry.models import Enterprise
from steelwatch.registry.services import enterprise_update

from ..models import (
    RestartRequest,
    Revisit,
)
from ..selectors import restart_findings
from ._common import S, _attach, _event, _files_atomic, _today, _user, zombie_url
from .workflow import case_transition

# --- revisits and zombie sites ----------------------------------------------------------------------------


def may_do_revisit(actor, revisit: Revisit) -> bool:
    if revisit.assignee_id == getattr(actor, "pk", None):
        return True
    return can(actor, "cases.manage") and user_covers_division(actor, revisit.division_id)


def revisit_complete(
    *,
    actor,
    revisit: Revisit,
    checklist: dict,
    note: str = "",
    uploads_=(),
    activity_found: bool | None = None,
) -> Revisit:
    """Record a revisit (or patrol) with its checklist and photos; activity found reopens the case."""
    if not may_do_revisit(actor, revisit):
        raise ValidationError(_("只有被指派的网格员或属地管理人员可以填写该检查"))
    if revisit.status != Revisit.Status.PENDING:
        raise ValidationError(_("该检查已完成或已取消"))
    opens = revisit.due_date - datetime.timedelta(days=settings.REVISIT_WINDOW_DAYS)
    if timezone.localdate() < opens:
        raise ValidationError(
            _("该检查定于 {due} 进行，{opens} 起才能填写").format(due=revisit.due_date, opens=opens)
        )
    unknown = set(checklist) - set(Revisit.CHECKLIST)
    if unknown:
        raise ValidationError(
            {"checklist": _("检查清单项无效：{value}").format(value="、".join(sorted(unknown)))}
        )
    if not uploads_:
        raise ValidationError({"file": _("请至少上传一张现场照片")})
    prepared = [evidence.prepare(f) for f in uploads_]
    result = {key: bool(checklist.get(key)) for key in Revisit.CHECKLIST}
    found = (not all(result.values())) if activity_found is None else activity_found
    if found and not (note or "").strip():
        raise ValidationError({"note": _("发现生产迹象时请说明具体情况")})
    with _files_atomic() as written, stored_language():
        for p in prepared:
            _attach(written, actor, p, case=revisit.case, revisit=revisit)
        audited_update(
            actor=actor,
            instance=revisit,
            action="revisit_complete",
            division_code=revisit.division_id,
            changes={
                "status": Revisit.Status.DONE,
                "checklist": result,
                "activity_found": found,
                "note": note,
                "done_by": _user(actor),
                "done_at": timezone.now(),
            },
        )
        case = revisit.case
        if case is not None:
            _event(
                case,
                actor,
                "revisit",
                f"{revisit.get_kind_display()}（{revisit.due_date:%Y-%m-%d}）："
                + ("发现生产迹象" if found else "未见异常"),
                reason=note,
            )
            if found and case.state == S.REVISITING:
                case_transition(actor=actor, case=case, to=S.ENFORCING, reason=f"回头看发现生产迹象：{note}")
        elif found:
            notify(
                users_with("cases.manage", revisit.division_id),
                f"僵尸企业巡查发现生产迹象：{revisit.enterprise}",
                zombie_url(revisit.enterprise),
            )
    return revisit


ZOMBIE_ACTIONS = {
    "supervise": "cases.manage",
    "restart_request": "cases.manage",
    "restart_decide": "closure.signoff",
}


def _zombie_refusal(actor, enterprise: Enterprise, action: str) -> dict | None:
    if not user_covers_division(actor, enterprise.division_id):
        return {"enterprise": _("企业“{name}”不在您的管辖范围内").format(name=enterprise.name)}
    if action != "restart_decide" and enterprise.status != Enterprise.Status.IDLE:
        return {"enterprise": _("企业“{name}”不是停产（僵尸）企业").format(name=enterprise.name)}
    if (
        action == "restart_request"
        and enterprise.restart_requests.filter(status=RestartRequest.Status.PENDING).exists()
    ):
        return {"enterprise": _("企业“{name}”已有待审批的复产申请").format(name=enterprise.name)}
    return None


def _require_zombie_action(actor, enterprise: Enterprise, action: str) -> None:
    require(actor, ZOMBIE_ACTIONS[action])
    refusal = _zombie_refusal(actor, enterprise, action)
    if refusal:
        raise ValidationError(refusal)


def zombie_actions_for(actor, enterprise: Enterprise) -> set[str]:
    """What `actor` may do on a zombie site now (ZOMBIE_ACTIONS); the panel shows only these forms."""
    return {
        action
        for action, capability in ZOMBIE_ACTIONS.items()
        if can(actor, capability) and _zombie_refusal(actor, enterprise, action) is None
    }


@transaction.atomic
def zombie_supervise(
    *,
    actor,
    enterprise: Enterprise,
    supervisor: User,
    patrol_every_days: int = 30,
    patrols: int = 6,
    today: datetime.date | None = None,
) -> list[Revisit]:
    """A long-idle site gets a named supervisor and a schedule of patrols (replacing the pending ones)."""
    _require_zombie_action(actor, enterprise, "supervise")
    if not user_covers_division(supervisor, enterprise.division_id):
        raise ValidationError(
            {"supervisor": _("监管责任人“{supervisor}”不是该企业属地的人员").format(supervisor=supervisor)}
        )
    if not 1 <= patrol_every_days <= 366 or not 1 <= patrols <= 24:
        raise ValidationError({"patrol_every_days": _("巡查间隔应为 1–366 天，次数 1–24 次")})
    enterprise_update(
        actor=actor, enterprise=enterprise, supervisor=supervisor, reason="僵尸企业指定监管责任人"
    )
    Revisit.objects.filter(
        enterprise=enterprise, kind=Revisit.Kind.PATROL, status=Revisit.Status.PENDING
    ).update(status=Revisit.Status.CANCELLED)
    start = _today(today)
    created = [
        Revisit.objects.create(
            kind=Revisit.Kind.PATROL,
            enterprise=enterprise,
            division_id=enterprise.division_id,
            assignee=supervisor,
            due_date=start + datetime.timedelta(days=patrol_every_days * n),
        )
        for n in range(1, patrols + 1)
    ]
    audit_record(
        actor=actor,
        action="zombie_supervise",
        target=enterprise,
        division_code=enterprise.division_id,
        after={"supervisor": supervisor.username, "patrol_every_days": patrol_every_days, "patrols": patrols},
    )
    notify([supervisor], f"僵尸企业监管：{enterprise.name}，共 {patrols} 次巡查", reverse("cases:my_tasks"))
    return created


def restart_request_submit(
    *, actor, enterprise: Enterprise, safety_assessor: str, report, note: str = ""
) -> RestartRequest:
    """A zombie site asks to restart; the third-party safety report is required."""
    _require_zombie_action(actor, enterprise, "restart_request")
    if not (safety_assessor or "").strip():
        raise ValidationError({"safety_assessor": _("请填写第三方安全评估机构")})
    if report is None:
        raise ValidationError({"report": _("复产申请需附第三方安全评估报告")})
    prepared = evidence.prepare(report)
    with _files_atomic() as written:
        request = audited_create(
            actor=actor,
            division_code=enterprise.division_id,
            action="restart_request",
            instance=RestartRequest(
                enterprise=enterprise,
                safety_assessor=safety_assessor.strip(),
                note=note,
                requested_by=_user(actor),
            ),
        )
        _attach(written, actor, prepared, case=None, restart_request=request, purpose="safety_report")
        # screened against the credit list: flagged (audited, deciders told), never refused
        enterprise_flag(actor=actor, enterprise=enterprise, context="restart_request")
        notify(
            users_with("closure.signoff", enterprise.division_id),
            f"复产申请待审批：{enterprise.name}",
            zombie_url(enterprise),
        )
    return request


@transaction.atomic
def restart_request_decide(
    *, actor, request: RestartRequest, approve: bool, reason: str = "", override: bool = False
) -> RestartRequest:
    """The district office approves (the site may operate again; patrols stop) or rejects (with a reason).

    A patrol or revisit of the last RESTART_FINDINGS_DAYS days that found production signs blocks the approval;
    the office may approve all the same only with `override` and a reason, both recorded."""
    _require_zombie_action(actor, request.enterprise, "restart_decide")
    if request.status != RestartRequest.Status.PENDING:
        raise ValidationError(_("该复产申请已审批"))
    if not approve and not (reason or "").strip():
        raise ValidationError({"reason": _("驳回需填写理由")})
    signs = [f for f in restart_findings(request.enterprise) if f.activity_found] if approve else []
    if signs and not override:
        latest = signs[0]
        raise ValidationError(
            {
                "override": _(
                    "{date} {kind}（{who}）发现生产迹象，不能批准复产；确需批准须勾选“覆盖巡查发现”并写明理由"
                ).format(
                    date=timezone.localdate(latest.done_at).isoformat(),
                    kind=latest.get_kind_display(),
                    who=latest.done_by or "-",
                )
            }
        )
    if signs and not (reason or "").strip():
        raise ValidationError({"reason": _("覆盖巡查发现批准复产须写明理由")})
    status = RestartRequest.Status.APPROVED if approve else RestartRequest.Status.REJECTED
    audited_update(
        actor=actor,
        instance=request,
        action="restart_request_decide",
        reason=reason,
        division_code=request.enterprise.division_id,
        changes={
            "status": status,
            "decided_by": _user(actor),
            "decided_at": timezone.now(),
            "decision_reason": reason,
            "findings_overridden": bool(signs),
        },
    )
    if approve:
        enterprise_update(
            actor=actor,
            enterprise=request.enterprise,
            status=Enterprise.Status.OPERATING,
            reason="复产申请获批",
        )
        Revisit.objects.filter(
            enterprise=request.enterprise, kind=Revisit.Kind.PATROL, status=Revisit.Status.PENDING
        ).update(status=Revisit.Status.CANCELLED)
    if request.requested_by_id:
        with stored_language():
            notify(
                [request.requested_by],
                f"复产申请{request.get_status_display()}：{request.enterprise.name}",
                zombie_url(request.enterprise),
            )
    return request
