"""Writes to the credit list: entries and their lifecycle (SAMR Order 44; 信用修复管理办法 国市监信规〔2021〕3号).

The lifecycle is one table, `TRANSITIONS` (from → to → capability → checks), as in cases: proposal → notice of
intent with the party's statement and defence window → (the level above approves, when
`settings.CREDIT_HIGHER_APPROVAL`) → decision → publication (due within 20 working days) → in force → removal
at the end of the period (automatic, `credit_reminders`), early removal on a credit-repair application after
at least one year, or withdrawal when the penalty is set aside. Every step goes through `entry_transition`,
which audits it and writes an `EntryEvent` with the person, the date and the reason.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from steelwatch.accounts.roles import can
from steelwatch.cases.models import BlacklistProposal, Case
from steelwatch.core.access import require, user_covers_division
from steelwatch.core.audit import audit_record
from steelwatch.core.notify import notify, stored_language, users_with
from steelwatch.core.services import audited_create, audited_update
from steelwatch.core.workdays import add_working_days
from steelwatch.geo.models import Division
from steelwatch.geo.selectors import division_label
from steelwatch.registry.models import Enterprise
from steelwatch.registry.uscc import normalize_uscc, uscc_error

from . import idnumber, screening
from .models import Entry, EntryEvent, EntryMeasure, ListKind, Measure

S = Entry.State
LISTING_YEARS = 3  # Order 44: three years from listing, or the restriction's own term if longer
REPAIR_AFTER_YEARS = 1  # early removal may be applied for after at least one year
PUBLISH_WORKING_DAYS = 20  # Order 45 Art 9 (same province)


class TransitionRefused(Exception):
    """A step the entry may not take now; the message (Chinese) names what is missing."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _today(today=None) -> datetime.date:
    return today or timezone.localdate()


def entry_url(entry: Entry) -> str:
    return reverse("credit:entry_detail", args=[entry.pk])


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def default_end(starts_on: datetime.date, restriction_ends_on: datetime.date | None = None) -> datetime.date:
    end = add_years(starts_on, LISTING_YEARS)
    return max(end, restriction_ends_on) if restriction_ends_on else end


def _event(entry: Entry, actor, kind: str, text: str, *, on=None, reason="", from_state="", to_state=""):
    return EntryEvent.objects.create(
        entry=entry,
        actor=_user(actor),
        on=_today(on),
        kind=kind,
        text=str(text)[:300],
        reason=reason,
        from_state=from_state,
        to_state=to_state,
    )


# --- creating entries -------------------------------------------------------------------------------------


def _measures_from(codes, list_kind: str) -> list[Measure]:
    if codes is None:
        return [m for m in Measure.objects.filter(active=True) if m.applies_to(list_kind)]
    codes = [str(c).strip() for c in codes if str(c).strip()]
    found = {m.code: m for m in Measure.objects.filter(code__in=codes, active=True)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError(
            {"measures": _("联合惩戒措施编号不存在或已停用：{value}").format(value="、".join(unknown))}
        )
    return [found[c] for c in codes]


def _subject_division(actor, *, case: Case | None, enterprise: Enterprise | None, division_code: str) -> str:
    code = (
        division_code or (case.division_id if case else "") or (enterprise.division_id if enterprise else "")
    )
    if not code and actor is not None:
        code = actor.division_id or ""
    if not code or not Division.objects.filter(code=code).exists():
        raise ValidationError({"division_code": _("请指定列入机关所在地区（行政区划代码）")})
    if actor is not None and not user_covers_division(actor, code):
        raise ValidationError(
            {
                "division_code": _("行政区划 {division_code} 不在您的管辖范围内").format(
                    division_code=division_label(code)
                )
            }
        )
    return code


@sensitive_variables("person_id_number", "number")
def entry_create(
    *,
    actor,
    subject_kind: str,
    basis: str,
    authority: str,
    name: str = "",
    list_kind: str = ListKind.SERIOUS,
    enterprise_uscc: str = "",
    registration_number: str = "",
    legal_representative: str = "",
    person_name: str = "",
    person_id_number: str = "",
    reason: str = "",
    document_number: str = "",
    penalty_document: str = "",
    decided_on: datetime.date | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    restriction_ends_on: datetime.date | None = None,
    measures=None,
    case: Case | None = None,
    proposal: BlacklistProposal | None = None,
    division_code: str = "",
    source: str = Entry.Source.LOCAL,
    state: str = S.PROPOSED,
) -> Entry:
    """A new entry, normally a proposal (`state` is only set otherwise by the platform import)."""
    if actor is not None:
        require(actor, "credit.decide")
    errors: dict[str, str] = {}
    if subject_kind not in Entry.SubjectKind.values:
        raise ValidationError({"subject_kind": _("主体类型应为 enterprise（企业）或 person（自然人）")})
    if list_kind not in ListKind.values:
        errors["list_kind"] = _("名单应为 serious（严重违法失信名单）或 abnormal（经营异常名录）")
    uscc = normalize_uscc(enterprise_uscc)
    registration_number = (registration_number or "").strip()
    enterprise = None
    number = idnumber.normalize_id(person_id_number)
    if subject_kind == Entry.SubjectKind.ENTERPRISE:
        if uscc:
            problem = uscc_error(uscc)
            if problem:
                errors["enterprise_uscc"] = _("统一社会信用代码无效：{error}").format(error=problem)
            else:
                enterprise = Enterprise.objects.filter(uscc=uscc).first()
        elif not (registration_number.isdigit() and len(registration_number) == 15):
            errors["enterprise_uscc"] = _("请填写企业的统一社会信用代码（或15位原工商注册号）")
        name = (name or (enterprise.name if enterprise else "")).strip()
        legal_representative = (
            legal_representative or (enterprise.legal_representative if enterprise else "")
        ).strip()
        if not name:
            errors["name"] = _("请填写企业名称")
    else:
        name = (person_name or name or "").strip()
        legal_representative = ""
        if not name:
            errors["person_name"] = _("请填写自然人姓名")
        if not number and source != Entry.Source.PLATFORM:
            errors["person_id_number"] = _("请填写居民身份证号码")
    if number:
        problem = idnumber.id_error(number)
        if problem:
            errors["person_id_number"] = _("居民身份证号码无效：{error}").format(error=problem)
    if not (basis or "").strip():
        errors["basis"] = _("请填写列入依据")
    if not (authority or "").strip():
        errors["authority"] = _("请填写作出决定机关")
    if starts_on and ends_on and ends_on <= starts_on:
        errors["ends_on"] = _("届满日期应晚于列入日期")
    elif starts_on and ends_on and list_kind == ListKind.SERIOUS and ends_on < default_end(starts_on):
        errors["ends_on"] = _("严重违法失信名单的列入期限不得短于三年")
    if errors:
        raise ValidationError(errors)
    chosen = _measures_from(measures, list_kind)
    code = _subject_division(actor, case=case, enterprise=enterprise, division_code=division_code)
    with transaction.atomic(), stored_language():
        entry = Entry(
            list_kind=list_kind,
            subject_kind=subject_kind,
            state=state,
            source=source,
            name=name[:128],
            uscc=uscc,
            registration_number=registration_number,
            legal_representative=legal_representative[:64],
            enterprise=enterprise,
            division_id=code,
            reason=(reason or "").strip(),
            basis=basis.strip(),
            authority=authority.strip(),
            document_number=(document_number or "").strip(),
            penalty_document=(penalty_document or "").strip(),
            case=case,
            proposal=proposal,
            decided_on=decided_on,
            starts_on=starts_on,
            ends_on=ends_on,
            restriction_ends_on=restriction_ends_on,
            created_by=_user(actor),
        )
        if number:
            entry.id_ciphertext = idnumber.encrypt_id(number)
            entry.id_digest = idnumber.id_digest(number)
            entry.id_masked = idnumber.mask_id(number)
        audited_create(actor=actor, instance=entry, action="credit_entry_create")
        EntryMeasure.objects.bulk_create(EntryMeasure(entry=entry, measure=m) for m in chosen)
        screening.index_entry(entry)
        _event(entry, actor, "create", f"{entry.get_source_display()}：{entry}", to_state=entry.state)
    return entry


def entry_from_proposal(*, actor, proposal: BlacklistProposal, basis: str = "", authority: str = "") -> Entry:
    """A case's blacklist proposal becomes an entry (a proposal, to go through notice and decision)."""
    require(actor, "credit.decide")
    if proposal.status != BlacklistProposal.Status.PROPOSED:
        raise ValidationError(
            {"proposal": _("该提请已处理（{status}）").format(status=proposal.get_status_display())}
        )
    if Entry.objects.filter(proposal=proposal).exists():
        raise ValidationError({"proposal": _("该提请已转为信用名单条目")})
    enterprise = proposal.enterprise
    return entry_create(
        actor=actor,
        subject_kind=Entry.SubjectKind.ENTERPRISE,
        name=proposal.subject_name,
        enterprise_uscc=enterprise.uscc if enterprise else "",
        registration_number=enterprise.registration_number if enterprise else "",
        legal_representative=proposal.legal_representative,
        reason=proposal.reason,
        basis=basis or "《市场监督管理严重违法失信名单管理办法》第九条（产品质量领域）",
        authority=authority or _default_authority(proposal.case.division),
        case=proposal.case,
        proposal=proposal,
        division_code=proposal.case.division_id,
        source=Entry.Source.CASE,
    )


def _default_authority(division: Division) -> str:
    """The market regulator of the case's district (or city): 常州市武进区市场监督管理局 — a district's name
    is used together with its city's (企业名称登记管理规定 Art 7 and the bureaus' own names); a county or
    county-level city (溧阳市) stands alone."""
    place = (
        division if division.level <= Division.Level.DISTRICT or division.parent is None else division.parent
    )
    name = place.name
    if place.level == Division.Level.DISTRICT and name.endswith("区") and place.parent is not None:
        name = place.parent.name + name
    return f"{name}市场监督管理局"


@sensitive_variables("number")
def entry_reveal_id(*, actor, entry: Entry, purpose: str = "view") -> str:
    """The clear ID number, for a deciding role of the entry's area; every reveal is audited."""
    from .access import may_decide

    if not entry.id_ciphertext:
        return ""
    if not may_decide(actor, entry):
        return entry.id_masked
    number = idnumber.decrypt_id(entry.id_ciphertext)
    audit_record(actor=actor, action="credit_id_reveal", target=entry, reason=purpose)
    return number


@sensitive_variables("number")
def id_keys_rotate() -> int:
    """Re-encrypt every ID number with the newest key of STEELWATCH_ID_KEYS, and re-compute its keyed digest
    (which follows STEELWATCH_SECRET_KEY: after a change of that key this command makes ID screening work again)."""
    count = 0
    for entry in Entry.objects.exclude(id_ciphertext="").only("pk", "id_ciphertext").iterator():
        number = idnumber.decrypt_id(entry.id_ciphertext)
        Entry.objects.filter(pk=entry.pk).update(
            id_ciphertext=idnumber.rotate_id_token(entry.id_ciphertext), id_digest=idnumber.id_digest(number)
        )
        count += 1
    return count


# --- steps that are not state changes ---------------------------------------------------------------------


def _require_decider(actor, entry: Entry) -> None:
    require(actor, "credit.decide")
    if not user_covers_division(actor, entry.division_id):
        raise ValidationError(_("条目 #{pk} 不在您的管辖范围内").format(pk=entry.pk))


def _require_state(entry: Entry, *states: str, doing: str) -> None:
    if entry.state not in states:
        raise ValidationError(
            _("条目当前状态为“{state}”，不能{doing}").format(state=entry.get_state_display(), doing=doing)
        )


@transaction.atomic
def statement_record(*, actor, entry: Entry, statement: str, on: datetime.date | None = None) -> Entry:
    """The party's statement and defence (陈述申辩) received during the notice period."""
    _require_decider(actor, entry)
    _require_state(entry, S.NOTIFIED, doing=_("记录陈述申辩"))
    statement = (statement or "").strip()
    if not statement:
        raise ValidationError({"statement": _("请填写当事人陈述申辩的内容")})
    audited_update(
        actor=actor,
        instance=entry,
        action="credit_statement",
        changes={"statement": statement[:4000], "statement_on": _today(on)},
    )
    _event(entry, actor, "statement", "记录当事人陈述申辩", on=on, reason=statement)
    return entry


@transaction.atomic
def repair_apply(*, actor, entry: Entry, application: str, on: datetime.date | None = None) -> Entry:
    """A credit-repair application (信用修复) received by the authority that listed the party."""
    _require_decider(actor, entry)
    _require_state(entry, S.IN_FORCE, doing=_("登记信用修复申请"))
    application = (application or "").strip()
    if not application:
        raise ValidationError(
            {"application": _("请填写信用修复申请内容（履行处罚、消除危害、未再受较重处罚的情况）")}
        )
    audited_update(
        actor=actor,
        instance=entry,
        action="credit_repair_apply",
        changes={"repair_application": application[:4000], "repair_applied_on": _today(on)},
    )
    _event(entry, actor, "repair", "登记信用修复申请", on=on, reason=application)
    return entry


EDITABLE_BEFORE_DECISION = (
    "reason",
    "basis",
    "authority",
    "authority_uscc",
    "document_number",
    "penalty_document",
    "penalty_kind",
    "penalty_content",
    "fine_wan",
    "confiscated_wan",
    "decided_on",
    "starts_on",
    "ends_on",
    "restriction_ends_on",
)


@transaction.atomic
def entry_update(*, actor, entry: Entry, reason: str = "", measures=None, **changes) -> Entry:
    """Complete an entry before its decision (document number, dates, penalty, measures)."""
    _require_decider(actor, entry)
    _require_state(entry, S.PROPOSED, S.NOTIFIED, S.AWAITING_APPROVAL, S.APPROVED, doing=_("修改"))
    unknown = set(changes) - set(EDITABLE_BEFORE_DECISION)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("该字段不可修改")})
    if changes.get("authority_uscc"):
        changes["authority_uscc"] = normalize_uscc(changes["authority_uscc"])
        if problem := uscc_error(changes["authority_uscc"]):
            raise ValidationError(
                {"authority_uscc": _("统一社会信用代码无效：{error}").format(error=problem)}
            )
    audited_update(actor=actor, instance=entry, changes=changes, action="credit_entry_update", reason=reason)
    if measures is not None:
        chosen = _measures_from(measures, entry.list_kind)
        EntryMeasure.objects.filter(entry=entry).exclude(measure__in=chosen).delete()
        EntryMeasure.objects.bulk_create(
            [EntryMeasure(entry=entry, measure=m) for m in chosen], ignore_conflicts=True
        )
        audit_record(
            actor=actor,
            action="credit_entry_measures",
            target=entry,
            after={"measures": [m.code for m in chosen]},
        )
    return entry


# --- the lifecycle: one table -----------------------------------------------------------------------------


@dataclass
class Context:
    actor: object
    reason: str
    today: datetime.date


Check = Callable[[Entry, Context], str | None]


def _approval_needed(entry: Entry) -> bool:
    return bool(settings.CREDIT_HIGHER_APPROVAL) and entry.list_kind == ListKind.SERIOUS


def _defence_over(entry: Entry, ctx: Context) -> str | None:
    if entry.statement_on or (entry.defence_due and ctx.today > entry.defence_due):
        return None
    return _("陈述申辩期至 {due} 届满（或已记录当事人陈述申辩）后方可继续").format(due=entry.defence_due)


def _needs_approval(entry: Entry, ctx: Context) -> str | None:
    return None if _approval_needed(entry) else _("现行设置无需报上级审批，可直接作出列入决定")


def _no_approval_needed(entry: Entry, ctx: Context) -> str | None:
    return _("列入严重违法失信名单须先报经上一级部门同意") if _approval_needed(entry) else None


def _abnormal_list(entry: Entry, ctx: Context) -> str | None:
    return None if entry.list_kind == ListKind.ABNORMAL else _("严重违法失信名单须先告知当事人并听取陈述申辩")


def _document_number(entry: Entry, ctx: Context) -> str | None:
    return None if entry.document_number else _("请先填写列入决定书文号")


def _period_ended(entry: Entry, ctx: Context) -> str | None:
    if entry.ends_on and ctx.today >= entry.ends_on:
        return None
    return _("列入期限至 {end} 届满，届满后移出").format(end=entry.ends_on)


def _repair_allowed(entry: Entry, ctx: Context) -> str | None:
    if not entry.repair_applied_on:
        return _("请先登记当事人的信用修复申请")
    if entry.list_kind == ListKind.SERIOUS and entry.starts_on:
        earliest = add_years(entry.starts_on, REPAIR_AFTER_YEARS)
        if ctx.today < earliest:
            return _("列入满一年（{earliest}）后方可申请提前移出").format(earliest=earliest)
    return None


OWNER, HIGHER, SYSTEM = "owner", "higher", "system"


@dataclass(frozen=True)
class Rule:
    """One move: from these states to `target`, by whom (`capability` on which `side`), if the checks pass.

    `side`: OWNER — the listing authority's jurisdiction; HIGHER — a level above it (the approval);
    SYSTEM — also the periodic job (actor None).
    """

    sources: tuple[str, ...]
    target: str
    capability: str
    checks: tuple[Check, ...] = ()
    reason_required: bool = False
    side: str = OWNER
    name: str = ""
    label: "str | StrPromise" = ""

    @property
    def move(self) -> str:
        return self.name or self.target

    @property
    def move_label(self) -> str:
        return str(self.label or S(self.target).label)


BEFORE_DECISION = (S.PROPOSED, S.NOTIFIED, S.AWAITING_APPROVAL, S.APPROVED)
TRANSITIONS: list[Rule] = [
    Rule((S.PROPOSED,), S.NOTIFIED, "credit.decide", label=gettext_lazy("告知拟列入（陈述申辩）")),
    Rule((S.NOTIFIED,), S.AWAITING_APPROVAL, "credit.decide", (_needs_approval, _defence_over)),
    Rule(
        (S.AWAITING_APPROVAL,), S.APPROVED, "credit.decide", side=HIGHER, label=gettext_lazy("上级同意列入")
    ),
    Rule(
        (S.AWAITING_APPROVAL,),
        S.NOTIFIED,
        "credit.decide",
        reason_required=True,
        side=HIGHER,
        name="refuse",
        label=gettext_lazy("上级不同意（退回）"),
    ),
    Rule(
        (S.NOTIFIED,),
        S.DECIDED,
        "credit.decide",
        (_no_approval_needed, _defence_over, _document_number),
        label=gettext_lazy("作出列入决定"),
    ),
    Rule((S.APPROVED,), S.DECIDED, "credit.decide", (_document_number,), label=gettext_lazy("作出列入决定")),
    Rule(
        (S.PROPOSED,),
        S.DECIDED,
        "credit.decide",
        (_abnormal_list, _document_number),
        label=gettext_lazy("作出列入决定"),
    ),
    Rule(BEFORE_DECISION, S.NOT_LISTED, "credit.decide", reason_required=True),
    Rule((S.DECIDED,), S.IN_FORCE, "credit.decide", label=gettext_lazy("公示")),
    Rule((S.IN_FORCE,), S.REMOVED, "credit.decide", (_period_ended,), side=SYSTEM),
    Rule((S.IN_FORCE,), S.REPAIRED, "credit.decide", (_repair_allowed,), reason_required=True),
    Rule((S.DECIDED, S.IN_FORCE), S.WITHDRAWN, "credit.decide", reason_required=True),
]
MOVES = {r.move for r in TRANSITIONS}


def _in_charge(actor, entry: Entry, rule: Rule) -> bool:
    if actor is None:
        return rule.side == SYSTEM
    if not can(actor, rule.capability) or not user_covers_division(actor, entry.division_id):
        return False
    if rule.side == HIGHER:  # strictly above: the user's area contains the entry's and is larger
        return len(actor.division_prefix or "") < len(entry.division.prefix)
    return not (rule.target == S.DECIDED and entry.state == S.APPROVED and entry.approved_by_id == actor.pk)


def rules_for(actor, entry: Entry) -> list[Rule]:
    """The moves `actor` may try from the entry's state (checks run when they try), one per move."""
    seen, rules = set(), []
    for rule in TRANSITIONS:
        if entry.state in rule.sources and rule.move not in seen and _in_charge(actor, entry, rule):
            if rule.target == S.AWAITING_APPROVAL and not _approval_needed(entry):
                continue
            seen.add(rule.move)
            rules.append(rule)
    return rules


def transitions_for(actor, entry: Entry) -> list[str]:
    return [r.move for r in rules_for(actor, entry)]


def entry_transition(
    *, actor, entry: Entry, to: str, reason: str = "", today: datetime.date | None = None
) -> Entry:
    """Take the move `to` (a state, or `refuse` of an approval), or raise TransitionRefused."""
    reason = (reason or "").strip()
    if to not in MOVES:
        raise TransitionRefused(_("未知的条目状态“{to}”").format(to=to))
    original = entry
    with transaction.atomic():
        entry = Entry.objects.select_for_update(of=("self",)).select_related("division").get(pk=entry.pk)
        ctx = Context(actor=actor, reason=reason, today=_today(today))
        candidates = [r for r in TRANSITIONS if entry.state in r.sources and r.move == to]
        if not candidates:
            raise TransitionRefused(
                _("条目当前状态为“{state}”，不能转为“{label}”").format(
                    state=entry.get_state_display(), label=S(to).label if to in S.values else to
                )
            )
        allowed = [r for r in candidates if _in_charge(actor, entry, r)]
        if not allowed:
            side = _("上一级部门的") if candidates[0].side == HIGHER else ""
            raise TransitionRefused(
                _("“{label}”需要{side}信用名单决定权限（本辖区）").format(
                    label=candidates[0].move_label, side=side
                )
            )
        refusals = []
        for rule in allowed:
            missing = [m for check in rule.checks if (m := check(entry, ctx))]
            if not missing:
                break
            refusals.append("；".join(missing))
        else:
            raise TransitionRefused(refusals[0])
        if rule.reason_required and not reason:
            raise TransitionRefused(_("“{label}”需填写理由").format(label=rule.move_label))
        _apply(entry, rule, ctx)
    original.refresh_from_db()
    return original


@stored_language()
def _apply(entry: Entry, rule: Rule, ctx: Context) -> None:
    source, to, today, actor = entry.state, rule.target, ctx.today, ctx.actor
    changes: dict = {"state": to}
    text = f"{S(source).label} → {S(to).label}"
    after = []
    if to == S.NOTIFIED and source == S.PROPOSED:
        changes.update(
            notice_on=today, defence_due=add_working_days(today, settings.CREDIT_DEFENCE_WORKING_DAYS)
        )
        text += f"（陈述申辩期至 {changes['defence_due']:%Y-%m-%d}）"
    elif to == S.APPROVED:
        changes.update(approved_by=_user(actor), approved_on=today)
    elif to == S.DECIDED:
        decided = entry.decided_on or today
        starts = entry.starts_on or decided
        changes.update(
            decided_on=decided,
            starts_on=starts,
            ends_on=entry.ends_on or default_end(starts, entry.restriction_ends_on),
            publish_due=add_working_days(decided, PUBLISH_WORKING_DAYS),
        )
        text += f"（{entry.document_number}，公示期限 {changes['publish_due']:%Y-%m-%d}）"
        after.append(lambda: _settle_proposal(entry, actor, BlacklistProposal.Status.ACCEPTED))
    elif to == S.IN_FORCE:
        changes["published_on"] = today
        after.append(lambda: _notify_departments(entry))
    elif to in (S.REMOVED, S.REPAIRED, S.WITHDRAWN):
        changes.update(removed_on=today, removal_reason=(ctx.reason or str(S(to).label))[:500])
    elif to == S.NOT_LISTED:
        changes["removal_reason"] = ctx.reason[:500]
        after.append(lambda: _settle_proposal(entry, actor, BlacklistProposal.Status.REJECTED))
    audited_update(
        actor=actor, instance=entry, changes=changes, action="credit_transition", reason=ctx.reason
    )
    _event(entry, actor, "transition", text, on=today, reason=ctx.reason, from_state=source, to_state=to)
    if (source in Entry.LISTED_STATES) != (to in Entry.LISTED_STATES):
        screening.index_entry(entry)  # into the candidate index when decided, out of it when it ends
    for effect in after:
        effect()


def _settle_proposal(entry: Entry, actor, status: str) -> None:
    """The case's proposal follows the entry: accepted when decided, rejected when not listed (audited)."""
    proposal = entry.proposal
    if proposal is not None and proposal.status == BlacklistProposal.Status.PROPOSED:
        BlacklistProposal.objects.filter(pk=proposal.pk).update(status=status)
        audit_record(
            actor=actor,
            action="blacklist_proposal_settle",
            target=proposal,
            before={"status": BlacklistProposal.Status.PROPOSED},
            after={"status": status, "credit_entry": entry.pk},
            division_code=entry.division_id,
        )


def _notify_departments(entry: Entry) -> None:
    departments = set(entry.entry_measures.values_list("measure__department", flat=True))
    for department in departments:
        notify(
            users_with("credit.measures", entry.division_id, department=department),
            f"信用名单公示，请落实联合惩戒措施：{entry.name}",
            reverse("credit:department_entries"),
        )


# --- deadlines and the automatic end of the period --------------------------------------------------------


def credit_reminders(*, today: datetime.date | None = None) -> dict:
    """Remove the entries whose period has ended (system step, audited) and remind of publications due."""
    today = _today(today)
    removed = 0
    for entry in Entry.objects.filter(state=S.IN_FORCE, ends_on__lte=today).select_related("division"):
        entry_transition(actor=None, entry=entry, to=S.REMOVED, reason="列入期限届满，自动移出", today=today)
        removed += 1
    due = 0
    soon = add_working_days(today, 2)
    for entry in Entry.objects.filter(state=S.DECIDED, publish_due__lte=soon):
        if EntryEvent.objects.filter(entry=entry, kind="publish_due", on=today).exists():
            continue
        with transaction.atomic(), stored_language():
            late = entry.publish_due is not None and entry.publish_due < today
            text = f"信用名单条目{'公示已超期' if late else '将到公示期限'}（{entry.publish_due:%Y-%m-%d}）：{entry.name}"
            _event(entry, None, "publish_due", text, on=today)
            notify(users_with("credit.decide", entry.division_id), text, entry_url(entry))
            due += 1
    return {"removed": removed, "publish_due": due}


def reminder_summary(today: datetime.date | None) -> str:
    counts = credit_reminders(today=today)
    return f"信用名单：期满移出 {counts['removed']} 条，公示期限提醒 {counts['publish_due']} 条"
