"""Opening cases, their links and papers, and the workflow: one table, `TRANSITIONS` (from → to → capability
→ preconditions); every state change goes through `case_transition`, which refuses with `TransitionRefused`
naming what is missing."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steelwatch.accounts.roles import can
from steelwatch.core import evidence
from steelwatch.core.access import require, user_covers_division
from steelwatch.core.audit import audit_record
from steelwatch.core.notify import notify, stored_language, users_with
from steelwatch.core.services import audited_create, audited_update
from steelwatch.core.workdays import add_working_days
from steelwatch.geo.models import Division
from steelwatch.geo.selectors import division_label
from steelwatch.registry.models import Enterprise, PowerAccount

from ..models import (
    Attachment,
    Case,
    CutOrder,
    JointTask,
    Revisit,
)
from ._common import (
    OPEN,
    VERIFY_WORKING_DAYS,
    Check,
    Context,
    S,
    TransitionRefused,
    _attach,
    _event,
    _files_atomic,
    _managers,
    _today,
    _user,
    case_url,
)
from .actions import _require_action
from .closure import closure_status
from .signoff import _after_signoff

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
                        division_code=division_label(division_code)
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
]
MOVES = {r.move for r in TRANSITIONS}
CAPABILITY_LABELS = {
    "cases.manage": gettext_lazy("案件管理权限（街镇或区县领导小组办公室）"),
    "closure.signoff": gettext_lazy("验收签字权限（区县领导小组办公室）"),
    "cases.task": gettext_lazy("任务办理权限"),
}


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
        changes.update(
            division_id=case.transfer_to_id,
            transferred_from_id=case.division_id,  # the sender keeps a read-only view
            transfer_to=None,
            previous_state="",
            verify_due=None,
        )
    elif to == S.REVISITING:
        changes.update(
            signed_off_by=_user(actor), signed_off_at=timezone.now(), closure_kind=ctx.closure_kind
        )
        after_effects.append(lambda: _after_signoff(case, ctx))
    elif source == S.REVISITING and to == S.ENFORCING:
        changes.update(closure_round=case.closure_round + 1, signed_off_by=None, signed_off_at=None)
        case.revisits.filter(status=Revisit.Status.PENDING).update(status=Revisit.Status.CANCELLED)
    audited_update(actor=actor, instance=case, changes=changes, action="case_transition", reason=ctx.reason)
    _event(case, actor, "transition", text, reason=ctx.reason, from_state=source, to_state=to)
    for effect in after_effects:
        effect()
    notify(
        [u for u in _managers(case) if u != actor],
        f"案件 #{case.pk} {text}" + (f"，理由：{ctx.reason}" if rule.name == "decline" else ""),
        case_url(case),
    )
