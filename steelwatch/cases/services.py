"""Writes to cases. `case_open` is the entry point every signal (tip, alert, patrol…) uses.

The workflow lives in one table, `TRANSITIONS` (from → to → capability → preconditions); every state
change goes through `case_transition`, which refuses with `TransitionRefused` naming what is missing.
"""

import calendar
import datetime
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steelwatch.accounts.models import User
from steelwatch.accounts.roles import Department, Role, can
from steelwatch.core import evidence
from steelwatch.core.access import require, user_covers_division
from steelwatch.core.audit import audit_record, snapshot
from steelwatch.core.notify import notify, stored_language, users_with
from steelwatch.core.services import audited_create, audited_update
from steelwatch.core.workdays import add_working_days
from steelwatch.geo.models import Division
from steelwatch.registry.models import Enterprise, Furnace, PowerAccount
from steelwatch.registry.services import enterprise_update, furnace_update, power_account_update

from .models import (
    Aspect,
    Attachment,
    BlacklistProposal,
    Case,
    CaseEvent,
    ClosureCheck,
    ClosureItem,
    CutOrder,
    EnforcementAction,
    JointTask,
    Reminder,
    RestartRequest,
    Revisit,
    TraceEdge,
    TraceNode,
)

S = Case.State
VERIFY_WORKING_DAYS = getattr(settings, "CASE_VERIFY_WORKING_DAYS", 10)
REVISIT_MONTHS = getattr(settings, "CASE_REVISIT_MONTHS", (1, 3, 6, 12))
REMIND_WORKING_DAYS = 2  # remind this many working days before a verification deadline


class TransitionRefused(Exception):
    """A workflow step the case may not take now; the message (Chinese) names what is missing."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _today(today=None) -> datetime.date:
    return today or timezone.localdate()


def case_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def zombie_url(enterprise: Enterprise) -> str:
    return reverse("cases:zombie_detail", args=[enterprise.pk])


def _event(
    case: Case, actor, kind: str, text: str, *, reason: str = "", from_state: str = "", to_state: str = ""
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        actor=_user(actor),
        kind=kind,
        text=text[:300],
        reason=reason,
        from_state=from_state,
        to_state=to_state,
    )


def _managers(case: Case) -> list[User]:
    return users_with("cases.manage", case.division_id)


def _require_manager(actor, case: Case) -> None:
    require(actor, "cases.manage")
    if not user_covers_division(actor, case.division_id):
        raise ValidationError(_("案件 #{pk} 不在您的管辖范围内").format(pk=case.pk))


def _require_state(case: Case, *states: str, doing: str) -> None:
    if case.state not in states:
        allowed = "、".join(str(S(s).label) for s in states)
        raise ValidationError(
            _("案件当前状态为“{state}”，{doing}仅限“{allowed}”阶段").format(
                state=case.get_state_display(), doing=doing, allowed=allowed
            )
        )


@contextmanager
def _files_atomic():
    """A transaction that also removes the files written inside it when it fails."""
    written: list[str] = []
    try:
        with transaction.atomic():
            yield written
    except BaseException:
        evidence.discard(written)
        raise


def _attach(
    written: list[str],
    actor,
    prepared: evidence.Prepared,
    *,
    case: Case | None,
    note: str = "",
    purpose: str = "",
    **owner,
) -> Attachment:
    folder = f"cases/{case.pk}" if case else "sites"
    path = evidence.store(prepared, folder)
    written.append(path)
    attachment = Attachment.objects.create(
        case=case,
        purpose=purpose,
        kind=prepared.kind,
        path=path,
        original_name=prepared.original_name,
        content_type=prepared.content_type,
        size=len(prepared.data),
        note=note[:300],
        taken_at=prepared.taken_at or (timezone.now() if prepared.kind == "photo" else None),
        gps_latitude=prepared.latitude,
        gps_longitude=prepared.longitude,
        uploaded_by=_user(actor),
        **owner,
    )
    audit_record(
        actor=actor,
        action="attachment_add",
        target=attachment,
        after=snapshot(attachment),
        division_code=case.division_id if case else "",
    )
    return attachment


# --- opening and links ------------------------------------------------------------------------------------


def case_open(
    *,
    actor,
    title: str,
    source: str,
    division_code: str,
    enterprise=None,
    source_ref: str = "",
    description: str = "",
    address: str = "",
    longitude=None,
    latitude=None,
    power_accounts=(),
) -> Case:
    """Open a case in the actor's jurisdiction (actor None: a system action, e.g. an automatic escalation)."""
    if actor is not None:
        require(actor, "cases.open")
        if not user_covers_division(actor, division_code):
            raise ValidationError(
                {
                    "division_code": _("行政区划 {division_code} 不在您的管辖范围内").format(
                        division_code=division_code
                    )
                }
            )
    with transaction.atomic(), stored_language():
        case = Case(
            title=title,
            source=source,
            source_ref=source_ref,
            division_id=division_code,
            enterprise=enterprise,
            description=description,
            address=address,
            longitude=longitude,
            latitude=latitude,
            created_by=_user(actor),
        )
        audited_create(actor=actor, instance=case, action="case_open")
        accounts = list(power_accounts) + (list(enterprise.power_accounts.all()) if enterprise else [])
        case.power_accounts.add(*accounts)
        _event(
            case,
            actor,
            "open",
            f"立案（{case.get_source_display()}{'：' + source_ref if source_ref else ''}）",
            to_state=case.state,
        )
        notify(_managers(case), f"新案件 #{case.pk}：{case.title}", case_url(case))
    return case


@transaction.atomic
def case_link_enterprise(*, actor, case: Case, enterprise: Enterprise) -> Case:
    """Match a case (e.g. an unknown site found by address) to a ledger enterprise and its power accounts."""
    _require_action(actor, case, "link")
    if not user_covers_division(actor, enterprise.division_id):
        raise ValidationError(
            {"enterprise": _("企业“{name}”不在您的管辖范围内").format(name=enterprise.name)}
        )
    audited_update(
        actor=actor, instance=case, changes={"enterprise": enterprise}, action="case_link_enterprise"
    )
    case.power_accounts.add(*enterprise.power_accounts.all())
    _event(case, actor, "link", f"关联台账企业：{enterprise.name}（{enterprise.uscc}）")
    return case


@transaction.atomic
def case_link_power_account(*, actor, case: Case, account: PowerAccount) -> Case:
    _require_action(actor, case, "link")
    if not user_covers_division(actor, account.division_id):
        raise ValidationError(
            {"account": _("电力户号 {account_id} 不在您的管辖范围内").format(account_id=account.account_id)}
        )
    case.power_accounts.add(account)
    audit_record(
        actor=actor, action="case_link_power_account", target=case, after={"account": account.account_id}
    )
    _event(case, actor, "link", f"关联电力户号：{account.account_id}")
    return case


@transaction.atomic
def case_link_case(*, actor, case: Case, other: Case) -> Case:
    _require_action(actor, case, "link")
    if other.pk == case.pk:
        raise ValidationError({"other": _("不能关联案件自身")})
    case.related_cases.add(other)
    audit_record(actor=actor, action="case_link_case", target=case, after={"related": other.pk})
    _event(case, actor, "link", f"关联案件 #{other.pk}：{other.title}")
    return case


def case_attachment_add(*, actor, case: Case, upload, note: str = "", purpose: str = "") -> Attachment:
    """A general document or photo on the case; purpose "referral" marks judicial referral papers."""
    _require_action(actor, case, "attachment")
    prepared = evidence.prepare(upload)
    with _files_atomic() as written:
        attachment = _attach(written, actor, prepared, case=case, note=note, purpose=purpose)
        _event(
            case,
            actor,
            "attachment",
            f"上传{'移送司法材料' if purpose == 'referral' else '附件'}：{prepared.original_name}",
        )
    return attachment


# --- the workflow: one table ------------------------------------------------------------------------------


@dataclass
class Context:
    actor: object
    reason: str
    today: datetime.date
    transfer_to: Division | None = None
    closure_kind: str = Enterprise.Status.BANNED
    extra: dict = field(default_factory=dict)


Check = Callable[[Case, Context], str | None]


def _mandatory_tasks_done(case: Case, ctx: Context) -> str | None:
    open_tasks = [str(t) for t in case.tasks.filter(mandatory=True, status=JointTask.Status.OPEN)]
    return _("仍有必办核查任务未办结：{value}").format(value="、".join(open_tasks)) if open_tasks else None


def _cut_orders_executed(case: Case, ctx: Context) -> str | None:
    pending = [o.get_kind_display() for o in case.cut_orders.filter(status=CutOrder.Status.PENDING)]
    return _("断电断水指令尚未执行：{value}").format(value="、".join(pending)) if pending else None


def _closure_complete(case: Case, ctx: Context) -> str | None:
    missing = [row["missing"] for row in closure_status(case) if row["missing"]]
    return "；".join(missing) if missing else None


def _revisits_done(case: Case, ctx: Context) -> str | None:
    pending = case.revisits.filter(status=Revisit.Status.PENDING).count()
    return _("还有 {pending} 次回头看未完成").format(pending=pending) if pending else None


def _activity_found(case: Case, ctx: Context) -> str | None:
    found = case.revisits.filter(
        status=Revisit.Status.DONE, activity_found=True, done_at__gte=case.signed_off_at or timezone.now()
    ).exists()
    return None if found else _("重新查处需有回头看发现生产迹象的记录")


def _transfer_target(case: Case, ctx: Context) -> str | None:
    target = ctx.transfer_to
    if target is None:
        return _("移交需指定接收地区（行政区划代码）")
    if target.level < Division.Level.DISTRICT:
        return _("接收地区“{name}”应为区县或街镇").format(name=target.name)
    if target.code.startswith(case.division.prefix) or case.division_id.startswith(target.prefix):
        return _("接收地区“{name}”与本案属地重叠，无需移交").format(name=target.name)
    return None


def _referral_papers(case: Case, ctx: Context) -> str | None:
    return (
        None
        if case.attachments.filter(purpose="referral").exists()
        else _("移送司法需先上传移送材料（案件材料、证据清单）")
    )


OWNER, RECEIVER, FIELD = "owner", "receiver", "field"
RETURN = "previous"  # a target meaning: back to the state the case had before it was transferred


@dataclass(frozen=True)
class Rule:
    """One move: from these states to `target`, by whom (`capability` on which `side`), if the checks pass.

    `side`: OWNER — the case's jurisdiction; RECEIVER — the jurisdiction a transfer is addressed to;
    FIELD — also the grid officer a revisit of the case is assigned to.
    """

    sources: tuple[str, ...]
    target: str
    capability: str
    checks: tuple[Check, ...] = ()
    reason_required: bool = False
    side: str = OWNER
    name: str = ""  # the move's name when the target alone does not say it (decline, recall)
    label: str = ""

    @property
    def move(self) -> str:
        return self.name or self.target

    @property
    def move_label(self) -> str:
        return self.label or str(S(self.target).label)

    @property
    def wording(self) -> str:
        return f"“{self.label}”" if self.name else _("转为“{label}”").format(label=S(self.target).label)


OPEN = tuple(Case.OPEN_STATES)
TRANSITIONS: list[Rule] = [
    Rule((S.REGISTERED,), S.VERIFYING, "cases.manage"),
    Rule((S.VERIFYING,), S.CONFIRMED, "cases.manage", (_mandatory_tasks_done,), reason_required=True),
    Rule((S.VERIFYING,), S.UNFOUNDED, "cases.manage", (_mandatory_tasks_done,), reason_required=True),
    Rule((S.CONFIRMED,), S.ENFORCING, "cases.manage"),
    Rule((S.ENFORCING,), S.CLOSING, "cases.manage", (_cut_orders_executed,)),
    Rule(
        (S.CLOSING,),
        S.REVISITING,
        "closure.signoff",
        (_closure_complete,),
        label=gettext_lazy("验收签字（回头看）"),
    ),
    Rule((S.REVISITING,), S.CLOSED, "cases.manage", (_revisits_done,)),
    Rule(
        (S.REVISITING,), S.ENFORCING, "cases.task", (_activity_found,), reason_required=True, side=FIELD
    ),  # reopened
    Rule(OPEN, S.TRANSFERRED, "cases.manage", (_transfer_target,), reason_required=True),
    Rule((S.TRANSFERRED,), S.REGISTERED, "cases.manage", side=RECEIVER, label=gettext_lazy("接收移交")),
    Rule(
        (S.TRANSFERRED,),
        RETURN,
        "cases.manage",
        reason_required=True,
        side=RECEIVER,
        name="decline",
        label=gettext_lazy("退回移交"),
    ),
    Rule((S.TRANSFERRED,), RETURN, "cases.manage", side=OWNER, name="recall", label=gettext_lazy("撤回移交")),
    Rule(OPEN, S.REFERRED, "cases.manage", (_referral_papers,), reason_required=True),
]
MOVES = {r.move for r in TRANSITIONS}
CAPABILITY_LABELS = {
    "cases.manage": gettext_lazy("案件管理权限（街镇或区县领导小组办公室）"),
    "closure.signoff": gettext_lazy("验收签字权限（区县领导小组办公室）"),
    "cases.task": gettext_lazy("任务办理权限"),
}


@dataclass(frozen=True)
class Action:
    """A step on a case that is not a state change, allowed to its managers in these states only."""

    states: tuple[str, ...]
    doing: str


ENFORCEMENT_STATES = (S.CONFIRMED, S.ENFORCING, S.CLOSING)
CASE_ACTIONS: dict[str, Action] = {
    "link": Action(OPEN, gettext_lazy("关联企业、户号或案件")),
    "attachment": Action(OPEN, gettext_lazy("上传材料")),
    "trace": Action(OPEN, gettext_lazy("记录溯源")),
    "task_assign": Action((S.REGISTERED, S.VERIFYING), gettext_lazy("分派核查任务")),
    "cut_order_issue": Action((S.VERIFYING, *ENFORCEMENT_STATES), gettext_lazy("下达断电断水指令")),
    "enforcement_record": Action(ENFORCEMENT_STATES, gettext_lazy("记录查处措施")),
    "blacklist_propose": Action((*ENFORCEMENT_STATES, S.REVISITING), gettext_lazy("提请列入严重失信名单")),
    "closure_evidence": Action((S.ENFORCING, S.CLOSING), gettext_lazy("上传取缔验收证据")),
}


def _require_action(actor, case: Case, name: str) -> None:
    action = CASE_ACTIONS[name]
    _require_manager(actor, case)
    _require_state(case, *action.states, doing=action.doing)


def actions_for(actor, case: Case) -> set[str]:
    """The steps (CASE_ACTIONS) `actor` may take on the case now; pages show only these forms."""
    if not (can(actor, "cases.manage") and user_covers_division(actor, case.division_id)):
        return set()
    return {name for name, action in CASE_ACTIONS.items() if case.state in action.states}


def _rule(source: str, move: str) -> Rule | None:
    return next((r for r in TRANSITIONS if source in r.sources and r.move == move), None)


def _in_charge(actor, case: Case, rule: Rule) -> bool:
    if rule.side == RECEIVER:
        return case.transfer_to_id is not None and user_covers_division(actor, case.transfer_to_id)
    if rule.side == FIELD and case.revisits.filter(assignee=actor).exists():
        return True
    return user_covers_division(actor, case.division_id)


def rules_for(actor, case: Case) -> list[Rule]:
    """The moves `actor` may try from the case's state (preconditions are checked when they try)."""
    return [
        r
        for r in TRANSITIONS
        if case.state in r.sources and can(actor, r.capability) and _in_charge(actor, case, r)
    ]


def transitions_for(actor, case: Case) -> list[str]:
    return [r.move for r in rules_for(actor, case)]


def case_transition(
    *,
    actor,
    case: Case,
    to: str,
    reason: str = "",
    today: datetime.date | None = None,
    transfer_to: str = "",
    closure_kind: str = Enterprise.Status.BANNED,
) -> Case:
    """Take the move `to` (a state, or `decline`/`recall` of a transfer), or raise TransitionRefused."""
    reason = (reason or "").strip()
    if to not in S.values and to not in MOVES:
        raise TransitionRefused(_("未知的案件状态“{to}”").format(to=to))
    original = case
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("division", "enterprise")
            .get(pk=case.pk)
        )
        rule = _rule(case.state, to)
        if rule is None:
            wording = (
                f"“{_rule(S.TRANSFERRED, to).label}”"
                if to in MOVES - set(S.values)
                else _("转为“{label}”").format(label=S(to).label)
            )
            raise TransitionRefused(
                _("案件当前状态为“{state}”，不能{wording}").format(
                    state=case.get_state_display(), wording=wording
                )
            )
        if not can(actor, rule.capability) or not _in_charge(actor, case, rule):
            raise TransitionRefused(
                _("{wording}需要{value}").format(
                    wording=rule.wording, value=CAPABILITY_LABELS[rule.capability]
                )
            )
        if rule.reason_required and not reason:
            raise TransitionRefused(_("{wording}需填写理由").format(wording=rule.wording))
        if closure_kind not in (Enterprise.Status.CLOSED, Enterprise.Status.BANNED):
            raise TransitionRefused(_("处置方式应为 closed（关停）或 banned（取缔）"))
        target = Division.objects.filter(code=transfer_to).first() if transfer_to else None
        if transfer_to and target is None:
            raise TransitionRefused(_("接收地区代码 {transfer_to} 不存在").format(transfer_to=transfer_to))
        ctx = Context(
            actor=actor, reason=reason, today=_today(today), transfer_to=target, closure_kind=closure_kind
        )
        missing = [m for check in rule.checks if (m := check(case, ctx))]
        if missing:
            raise TransitionRefused("；".join(missing))
        _apply(case, rule, ctx)
    original.refresh_from_db()
    return original


@stored_language()
def _apply(case: Case, rule: Rule, ctx: Context) -> None:
    source = case.state
    to = (case.previous_state or S.REGISTERED) if rule.target == RETURN else rule.target
    actor, changes, after_effects = ctx.actor, {"state": to, "transfer_note": ""}, []
    text = f"{S(source).label} → {S(to).label}"
    if to == S.VERIFYING and source == S.REGISTERED:
        changes["verify_due"] = add_working_days(ctx.today, VERIFY_WORKING_DAYS)
    if to == S.TRANSFERRED:
        changes.update(previous_state=source, transfer_to=ctx.transfer_to)
        text += f"（移交至{ctx.transfer_to.full_name}）"
        after_effects.append(
            lambda: notify(
                users_with("cases.manage", ctx.transfer_to.code),
                f"案件 #{case.pk} 移交贵单位，请接收：{case.title}",
                case_url(case),
            )
        )
    elif rule.target == RETURN:  # declined by the receiver or recalled by the sender: back where it was
        receiver = case.transfer_to
        changes.update(transfer_to=None, previous_state="")
        text = f"{rule.label}（{receiver.full_name}）：{text}"
        if rule.name == "decline":
            changes["transfer_note"] = f"{receiver.full_name}退回：{ctx.reason}"[:300]
        else:
            after_effects.append(
                lambda: notify(
                    users_with("cases.manage", receiver.code),
                    f"案件 #{case.pk} 的移交已被移出地撤回：{case.title}",
                    "",
                )
            )
    elif source == S.TRANSFERRED:
        changes.update(division_id=case.transfer_to_id, transfer_to=None, previous_state="", verify_due=None)
    elif to == S.REVISITING:
        changes.update(
            signed_off_by=_user(actor), signed_off_at=timezone.now(), closure_kind=ctx.closure_kind
        )
        after_effects.append(lambda: _after_signoff(case, ctx))
    elif source == S.REVISITING and to == S.ENFORCING:
        changes.update(closure_round=case.closure_round + 1, signed_off_by=None, signed_off_at=None)
        case.revisits.filter(status=Revisit.Status.PENDING).update(status=Revisit.Status.CANCELLED)
    elif to == S.REFERRED:
        after_effects.append(
            lambda: notify(
                users_with("cases.view", case.division_id, department=Department.POLICE),
                f"案件 #{case.pk} 移送公安机关：{case.title}",
                case_url(case),
            )
        )
    audited_update(actor=actor, instance=case, changes=changes, action="case_transition", reason=ctx.reason)
    _event(case, actor, "transition", text, reason=ctx.reason, from_state=source, to_state=to)
    for effect in after_effects:
        effect()
    notify(
        [u for u in _managers(case) if u != actor],
        f"案件 #{case.pk} {text}" + (f"，理由：{ctx.reason}" if rule.name == "decline" else ""),
        case_url(case),
    )


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


# --- closure by the five checks ---------------------------------------------------------------------------


def closure_status(case: Case) -> list[dict]:
    """Each of the five checks in the current round: its record, evidence and what is still missing."""
    items = {
        i.item: i
        for i in case.closure_items.filter(round=case.closure_round)
        .prefetch_related("attachments", "furnaces")
        .select_related("witnessed_by")
    }
    rows = []
    for check in ClosureCheck:
        item = items.get(check.value)
        evidence = list(item.attachments.all()) if item else []
        missing, left = ("" if evidence else _("“{label}”缺少证据").format(label=check.label)), []
        if not missing and check == ClosureCheck.EQUIPMENT_DESTROYED and case.enterprise_id:
            left = [f.number for f in case.enterprise.furnaces.exclude(status=Furnace.Status.DESTROYED)]
            if left:
                missing = _("“{label}”未列明台账设备：{value}").format(
                    label=check.label, value="、".join(left)
                )
        # `missing` names the check (for messages and the API); a page showing the name uses `left` and `evidence`.
        rows.append(
            {
                "item": check.value,
                "label": check.label,
                "record": item,
                "evidence": evidence,
                "missing": missing,
                "left": left,
            }
        )
    return rows


def closure_evidence_add(
    *,
    actor,
    case: Case,
    item: str,
    upload,
    note: str = "",
    witnessed_by=None,
    witnessed_on: datetime.date | None = None,
    furnace_ids=(),
) -> ClosureItem:
    """Evidence for one of the five checks: a photo or document, and the officer who saw it on site.

    For `equipment_destroyed`, the furnaces named (of the case's enterprise) change to destroyed in the
    ledger, dated the day they were seen destroyed.
    """
    _require_action(actor, case, "closure_evidence")
    if item not in ClosureCheck.values:
        raise ValidationError(
            {
                "item": _("验收项“{item}”无效，可选：{value}").format(
                    item=item, value="、".join(ClosureCheck.values)
                )
            }
        )
    witness = witnessed_by or actor
    if not user_covers_division(witness, case.division_id):
        raise ValidationError(
            {"witnessed_by": _("见证人“{witness}”不是本辖区工作人员").format(witness=witness)}
        )
    witnessed_on = witnessed_on or timezone.localdate()
    furnaces = []
    if furnace_ids:
        if item != ClosureCheck.EQUIPMENT_DESTROYED:
            raise ValidationError({"furnace_ids": _("只有“彻底捣毁生产设备”需要列明设备")})
        furnaces = list(Furnace.objects.filter(pk__in=furnace_ids, enterprise_id=case.enterprise_id))
        if not case.enterprise_id or len(furnaces) != len(set(furnace_ids)):
            raise ValidationError({"furnace_ids": _("所列设备不属于本案涉事企业的台账设备")})
    prepared = evidence.prepare(upload)
    with _files_atomic() as written, stored_language():
        record, created = ClosureItem.objects.get_or_create(
            case=case,
            item=item,
            round=case.closure_round,
            defaults={"witnessed_by": witness, "witnessed_on": witnessed_on, "note": note},
        )
        if not created and note:
            record.note = f"{record.note}\n{note}".strip()
            record.save(update_fields=["note"])
        _attach(written, actor, prepared, case=case, closure_item=record, note=note)
        record.furnaces.add(*furnaces)
        for furnace in furnaces:
            if furnace.status != Furnace.Status.DESTROYED:
                furnace_update(
                    actor=actor,
                    furnace=furnace,
                    status=Furnace.Status.DESTROYED,
                    status_date=witnessed_on,
                    note=f"案件 #{case.pk} 取缔验收：捣毁",
                )
        label = ClosureCheck(item).label
        _event(
            case,
            actor,
            "closure",
            f"“{label}”证据：{prepared.original_name}"
            + (f"，销毁设备 {'、'.join(f.number for f in furnaces)}" if furnaces else ""),
            reason=note,
        )
    return record


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def revisit_assignee(enterprise: Enterprise | None, division_code: str) -> User | None:
    """The grid officer of the site's grid; else a user of the site's township."""
    if enterprise is not None and enterprise.grid_id:
        officer = User.objects.filter(
            grid_id=enterprise.grid_id, role=Role.GRID_OFFICER, is_active=True
        ).first()
        if officer:
            return officer
    township = (enterprise.division_id if enterprise else division_code)[:9]
    return (
        User.objects.filter(
            is_active=True, division__code=township, role__in=[Role.GRID_OFFICER, Role.TOWNSHIP]
        )
        .order_by("role", "pk")
        .first()
    )


def _after_signoff(case: Case, ctx: Context) -> None:
    """The ledger follows the closure: enterprise closed/banned, its power watched, revisits scheduled."""
    enterprise, actor = case.enterprise, ctx.actor
    if enterprise is not None:
        enterprise_update(
            actor=actor,
            enterprise=enterprise,
            status=ctx.closure_kind,
            reason=f"案件 #{case.pk} 取缔验收签字",
        )
    accounts = set(case.power_accounts.all()) | set(enterprise.power_accounts.all() if enterprise else [])
    for account in accounts:
        power_account_update(
            actor=actor, account=account, closed_site_watch=True, reason=f"案件 #{case.pk} 关停场所用电监视"
        )
    assignee = revisit_assignee(enterprise, case.division_id)
    division = enterprise.division_id if enterprise else case.division_id
    for months in REVISIT_MONTHS:
        Revisit.objects.create(
            case=case,
            enterprise=enterprise,
            division_id=division,
            assignee=assignee,
            due_date=_add_months(ctx.today, months),
        )
    _event(
        case,
        actor,
        "closure",
        f"验收签字：{Enterprise.Status(ctx.closure_kind).label}；"
        f"安排回头看 {len(REVISIT_MONTHS)} 次（{'、'.join(f'{m}个月' for m in REVISIT_MONTHS)}）",
    )
    if assignee:
        notify(
            [assignee], f"回头看任务：案件 #{case.pk} {case.address or case.title}", reverse("cases:my_tasks")
        )


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
        notify(
            users_with("closure.signoff", enterprise.division_id),
            f"复产申请待审批：{enterprise.name}",
            zombie_url(enterprise),
        )
    return request


@transaction.atomic
def restart_request_decide(
    *, actor, request: RestartRequest, approve: bool, reason: str = ""
) -> RestartRequest:
    """The district office approves (the site may operate again; patrols stop) or rejects (with a reason)."""
    _require_zombie_action(actor, request.enterprise, "restart_decide")
    if request.status != RestartRequest.Status.PENDING:
        raise ValidationError(_("该复产申请已审批"))
    if not approve and not (reason or "").strip():
        raise ValidationError({"reason": _("驳回需填写理由")})
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


# --- trace-back -------------------------------------------------------------------------------------------


@transaction.atomic
def trace_node_add(
    *, actor, case: Case, kind: str, label: str, enterprise: Enterprise | None = None, note: str = ""
) -> TraceNode:
    _require_action(actor, case, "trace")
    label = (label or "").strip()
    if kind not in TraceNode.Kind.values:
        raise ValidationError(
            {
                "kind": _("节点类型“{kind}”无效，可选：{value}").format(
                    kind=kind, value="、".join(TraceNode.Kind.values)
                )
            }
        )
    if not label:
        raise ValidationError({"label": _("请填写节点名称")})
    if case.trace_nodes.filter(label=label).exists():
        raise ValidationError({"label": _("节点“{label}”已存在").format(label=label)})
    node = audited_create(
        actor=actor,
        division_code=case.division_id,
        action="trace_node_add",
        instance=TraceNode(case=case, kind=kind, label=label, enterprise=enterprise, note=note),
    )
    with stored_language():
        _event(case, actor, "trace", f"溯源节点：{node.get_kind_display()} {label}")
    return node


@transaction.atomic
def trace_edge_add(
    *, actor, case: Case, source: TraceNode, target: TraceNode, label: str = "", quantity_t=None
) -> TraceEdge:
    _require_action(actor, case, "trace")
    if source.case_id != case.pk or target.case_id != case.pk:
        raise ValidationError({"source": _("溯源节点不属于本案")})
    if source.pk == target.pk:
        raise ValidationError({"target": _("流向的起点和终点不能相同")})
    if quantity_t is not None and quantity_t < 0:
        raise ValidationError({"quantity_t": _("数量不能为负")})
    edge = audited_create(
        actor=actor,
        division_code=case.division_id,
        action="trace_edge_add",
        instance=TraceEdge(case=case, source=source, target=target, label=label, quantity_t=quantity_t),
    )
    _event(
        case,
        actor,
        "trace",
        f"溯源流向：{source.label} → {target.label}"
        + (f"（{quantity_t} 吨）" if quantity_t is not None else ""),
    )
    return edge


@dataclass(frozen=True)
class SeedNode:
    key: str  # the caller's name for the node, used by SeedEdge
    kind: str
    label: str
    uscc: str = ""
    enterprise: Enterprise | None = None
    note: str = ""


@dataclass(frozen=True)
class SeedEdge:
    source: str
    target: str
    label: str = ""
    quantity_t: object = None


@transaction.atomic
def trace_seed(*, actor, case: Case, nodes: list[SeedNode], edges: list[SeedEdge]) -> dict[str, TraceNode]:
    """Seed the trace-back graph of a case just opened from records (e.g. a failed sample): the nodes and
    flows found in them, audited as one step by whoever (or whichever job) opened the case."""
    created: dict[str, TraceNode] = {}
    for seed in nodes:
        label = seed.label.strip()[:128]
        node = case.trace_nodes.filter(label=label).first() or TraceNode.objects.create(
            case=case,
            kind=seed.kind,
            label=label,
            uscc=seed.uscc,
            enterprise=seed.enterprise,
            note=seed.note[:300],
        )
        created[seed.key] = node
    edges = [e for e in edges if e.source in created and e.target in created]
    edges = [e for e in edges if created[e.source].pk != created[e.target].pk]  # one party in two roles
    for seed in edges:
        TraceEdge.objects.create(
            case=case,
            source=created[seed.source],
            target=created[seed.target],
            label=seed.label[:64],
            quantity_t=seed.quantity_t,
        )
    audit_record(
        actor=actor,
        action="trace_seed",
        target=case,
        after={"nodes": [n.label for n in created.values()], "edges": len(edges)},
        division_code=case.division_id,
    )
    _event(case, actor, "trace", f"溯源图已按记录生成：{len(created)} 个节点、{len(edges)} 条流向")
    return created


# --- deadlines --------------------------------------------------------------------------------------------


def case_reminders(*, today: datetime.date | None = None) -> dict:
    """Remind of verification deadlines near, and mark the overdue ones; at most once per case, kind and day."""
    today = _today(today)
    soon = add_working_days(today, REMIND_WORKING_DAYS)
    sent = {"reminder": 0, "overdue": 0}
    for case in Case.objects.filter(state=S.VERIFYING, verify_due__isnull=False, verify_due__lte=soon):
        kind = "overdue" if case.verify_due < today else "reminder"
        with transaction.atomic():
            _reminder, created = Reminder.objects.get_or_create(case=case, kind=kind, day=today)
            if not created:
                continue
            open_owners = [t.owner for t in case.tasks.filter(status=JointTask.Status.OPEN) if t.owner]
            text = (
                f"案件 #{case.pk} 核查已超期（期限 {case.verify_due:%Y-%m-%d}）"
                if kind == "overdue"
                else f"案件 #{case.pk} 核查将于 {case.verify_due:%Y-%m-%d} 到期"
            )
            notify(_managers(case) + open_owners, f"{text}：{case.title}", case_url(case))
            if kind == "overdue":
                _event(case, None, "overdue", text)
            sent[kind] += 1
    return sent
