"""Joint verification tasks, cut orders, enforcement measures and blacklist proposals."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.accounts.roles import Department, can
from steelwatch.core import evidence
from steelwatch.core.access import require, user_covers_division
from steelwatch.core.notify import notify, stored_language, users_with
from steelwatch.core.services import audited_create, audited_update
from steelwatch.registry.models import PowerAccount

from ..models import (
    Aspect,
    BlacklistProposal,
    Case,
    CutOrder,
    EnforcementAction,
    JointTask,
)
from ._common import _attach, _event, _files_atomic, _managers, _today, _user, case_url
from .actions import _require_action

# --- joint verification -----------------------------------------------------------------------------------


def task_assign(
    *,
    actor,
    case: Case,
    aspect: str,
    department: str,
    due_date: datetime.date,
    owner=None,
    mandatory: bool = True,
    today: datetime.date | None = None,
) -> JointTask:
    """The lead unit gives one aspect of the joint verification to a department (and optionally a person)."""
    _require_action(actor, case, "task_assign")
    errors = {}
    if aspect not in Aspect.values:
        errors["aspect"] = _("核查方面“{aspect}”无效，可选：{value}").format(
            aspect=aspect, value="、".join(Aspect.values)
        )
    if department not in Department.values:
        errors["department"] = _("部门“{department}”无效，可选：{value}").format(
            department=department, value="、".join(Department.values)
        )
    if not isinstance(due_date, datetime.date) or due_date < _today(today):
        errors["due_date"] = _("办理期限应为今天或以后的日期")
    if owner is not None and not (
        owner.department == department and owner.is_active and user_covers_division(owner, case.division_id)
    ):
        errors["owner"] = _("承办人“{owner}”不是本辖区{get}部门的人员").format(
            owner=owner, get=dict(Department.choices).get(department, department)
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), stored_language():
        task = audited_create(
            actor=actor,
            division_code=case.division_id,
            action="task_assign",
            instance=JointTask(
                case=case,
                aspect=aspect,
                department=department,
                owner=owner,
                due_date=due_date,
                mandatory=mandatory,
                created_by=_user(actor),
            ),
        )
        _event(case, actor, "task", f"分派核查任务：{task}，期限 {due_date:%Y-%m-%d}")
        recipients = [owner] if owner else users_with("cases.task", case.division_id, department=department)
        notify(
            recipients,
            f"联合核查任务：案件 #{case.pk} {task.get_aspect_display()}，期限 {due_date:%Y-%m-%d}",
            reverse("cases:my_tasks"),
        )
    return task


def may_work_on_task(actor, task: JointTask) -> bool:
    if task.owner_id == getattr(actor, "pk", None):
        return True
    same_department = actor.department == task.department and can(actor, "cases.task")
    return (same_department or can(actor, "cases.manage")) and user_covers_division(
        actor, task.case.division_id
    )


def task_complete(*, actor, task: JointTask, findings: str, uploads_=()) -> JointTask:
    """The department reports its findings (with photos or documents); the task is then done."""
    if not may_work_on_task(actor, task):
        raise ValidationError(_("只有承办人、承办部门或牵头单位可以办结该任务"))
    if task.status != JointTask.Status.OPEN:
        raise ValidationError(_("任务“{task}”已办结").format(task=task))
    findings = (findings or "").strip()
    if not findings:
        raise ValidationError({"findings": _("请填写核查结论")})
    prepared = [evidence.prepare(f) for f in uploads_]
    with _files_atomic() as written, stored_language():
        for p in prepared:
            _attach(written, actor, p, case=task.case, task=task)
        audited_update(
            actor=actor,
            instance=task,
            action="task_complete",
            division_code=task.case.division_id,
            changes={
                "status": JointTask.Status.DONE,
                "findings": findings,
                "done_by": _user(actor),
                "done_at": timezone.now(),
            },
        )
        _event(task.case, actor, "task", f"核查任务办结：{task}", reason=findings)
        notify(_managers(task.case), f"案件 #{task.case_id} 核查任务办结：{task}", case_url(task.case))
    return task


# --- enforcement ------------------------------------------------------------------------------------------


@transaction.atomic
def cut_order_issue(
    *, actor, case: Case, kind: str, power_account: PowerAccount | None = None, note: str = ""
) -> CutOrder:
    _require_action(actor, case, "cut_order_issue")
    if kind not in CutOrder.Kind.values:
        raise ValidationError({"kind": _("类型应为 power（断电）或 water（断水）")})
    if kind == CutOrder.Kind.POWER and power_account is None:
        raise ValidationError({"power_account": _("断电指令须指定要断电的电力户号（电表）")})
    if power_account is not None and not case.power_accounts.filter(pk=power_account.pk).exists():
        raise ValidationError(
            {
                "power_account": _("电力户号 {account_id} 未关联本案").format(
                    account_id=power_account.account_id
                )
            }
        )
    order = audited_create(
        actor=actor,
        division_code=case.division_id,
        action="cut_order_issue",
        instance=CutOrder(
            case=case,
            kind=kind,
            power_account=power_account if kind == CutOrder.Kind.POWER else None,
            note=note,
            issued_by=_user(actor),
        ),
    )
    with stored_language():
        _event(
            case,
            actor,
            "enforcement",
            f"下达{order.get_kind_display()}指令"
            + (f"（户号 {power_account.account_id}）" if order.power_account else ""),
            reason=note,
        )
        notify(
            users_with("cut_orders.execute", case.division_id, department=order.department),
            f"{order.get_kind_display()}指令待执行：案件 #{case.pk} {case.address or case.title}",
            reverse("cases:my_tasks"),
        )
    return order


@transaction.atomic
def cut_order_execute(*, actor, order: CutOrder, note: str = "") -> CutOrder:
    """The power company or water utility confirms it has cut the supply."""
    require(actor, "cut_orders.execute")
    if actor.department != order.department or not user_covers_division(actor, order.case.division_id):
        raise ValidationError(
            _("该指令应由本辖区{value}确认执行").format(value=dict(Department.choices)[order.department])
        )
    if order.status != CutOrder.Status.PENDING:
        raise ValidationError(_("该指令已确认执行"))
    audited_update(
        actor=actor,
        instance=order,
        action="cut_order_execute",
        division_code=order.case.division_id,
        changes={
            "status": CutOrder.Status.EXECUTED,
            "executed_by": _user(actor),
            "executed_at": timezone.now(),
            "execution_note": note,
        },
    )
    with stored_language():
        _event(order.case, actor, "enforcement", f"{order.get_kind_display()}指令已执行", reason=note)
        notify(
            _managers(order.case),
            f"案件 #{order.case_id} {order.get_kind_display()}已执行",
            case_url(order.case),
        )
    return order


@transaction.atomic
def enforcement_record(
    *,
    actor,
    case: Case,
    kind: str,
    date: datetime.date,
    fine_yuan=None,
    raw_material_t=None,
    product_t=None,
    licence=None,
    note: str = "",
) -> EnforcementAction:
    """Sealing, a fine, a confiscation (tonnes of raw material and product) or a licence revocation request."""
    _require_action(actor, case, "enforcement_record")
    errors = {}
    if kind not in EnforcementAction.Kind.values:
        errors["kind"] = _("措施“{kind}”无效，可选：{value}").format(
            kind=kind, value="、".join(EnforcementAction.Kind.values)
        )
    elif kind == EnforcementAction.Kind.FINE and not (fine_yuan and fine_yuan > 0):
        errors["fine_yuan"] = _("罚款需填写大于 0 的金额（元）")
    elif kind == EnforcementAction.Kind.CONFISCATION and not (
        (raw_material_t or 0) > 0 or (product_t or 0) > 0
    ):
        errors["raw_material_t"] = _("没收需填写原料或产品的吨数")
    elif kind == EnforcementAction.Kind.LICENCE_REVOCATION and (
        licence is None or licence.enterprise_id != case.enterprise_id
    ):
        errors["licence"] = _("吊销申请需选择涉事企业的生产许可证")
    if errors:
        raise ValidationError(errors)
    action = audited_create(
        actor=actor,
        division_code=case.division_id,
        action="enforcement_record",
        instance=EnforcementAction(
            case=case,
            kind=kind,
            date=date,
            fine_yuan=fine_yuan,
            raw_material_t=raw_material_t,
            product_t=product_t,
            licence=licence,
            note=note,
            recorded_by=_user(actor),
        ),
    )
    with stored_language():
        details = {
            "fine": f"{fine_yuan} 元",
            "confiscation": f"原料 {raw_material_t or 0} 吨、产品 {product_t or 0} 吨",
            "licence_revocation": f"许可证 {licence}" if licence else "",
        }.get(kind, "")
        _event(
            case,
            actor,
            "enforcement",
            f"{action.get_kind_display()}{('：' + details) if details else ''}",
            reason=note,
        )
        if kind == EnforcementAction.Kind.LICENCE_REVOCATION:
            notify(
                users_with("licences.edit", case.division_id),
                f"吊销生产许可证申请：{licence}（案件 #{case.pk}）",
                case_url(case),
            )
    return action


@transaction.atomic
def blacklist_propose(
    *, actor, case: Case, reason: str, subject_name: str = "", legal_representative: str = ""
) -> BlacklistProposal:
    """Propose the enterprise (and its legal representative) for the serious dishonesty list."""
    _require_action(actor, case, "blacklist_propose")
    enterprise = case.enterprise
    subject_name = (subject_name or (enterprise.name if enterprise else "")).strip()
    if not subject_name:
        raise ValidationError({"subject_name": _("请填写失信主体名称")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写提请事由")})
    proposal = audited_create(
        actor=actor,
        division_code=case.division_id,
        action="blacklist_propose",
        instance=BlacklistProposal(
            case=case,
            enterprise=enterprise,
            subject_name=subject_name,
            reason=reason.strip(),
            legal_representative=legal_representative
            or (enterprise.legal_representative if enterprise else ""),
            proposed_by=_user(actor),
        ),
    )
    _event(case, actor, "enforcement", f"提请列入严重失信名单：{subject_name}", reason=reason)
    return proposal
