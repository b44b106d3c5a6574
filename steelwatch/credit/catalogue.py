"""The joint-punishment measure catalogue (measure, legal basis, implementing department), edited by the city
office, and what each department records having done under a measure.

SEED is the starting catalogue, loaded by migration 0002. It follows the measure families of the joint
punishment memoranda (《关于对严重质量违法失信行为当事人实施联合惩戒的合作备忘录》 and its siblings: subsidies,
government-funded works, land supply, certification, financing, key supervision, honours, publication) and
企业信息公示暂行条例 Art 18 and 公司法 Art 178. The memorandum's own document number and numbering were not
checked against the official text: the city office edits the catalogue to its local list (三张清单).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.accounts.roles import Department
from steelwatch.core.access import require, user_covers_division
from steelwatch.core.services import audited_create, audited_update

from .models import Entry, EntryMeasure, ListKind, Measure, MeasureAction

_MEMO = "《关于对严重质量违法失信行为当事人实施联合惩戒的合作备忘录》"
SEED: list[dict] = [
    {
        "code": "key-supervision",
        "name": "列为重点监管对象，提高检查频次",
        "basis": "《市场监督管理严重违法失信名单管理办法》第十五条；" + _MEMO,
        "department": Department.MARKET_REGULATION,
        "list_kinds": "serious,abnormal",
    },
    {
        "code": "no-pledge-approval",
        "name": "不适用告知承诺制，行政许可从严审查",
        "basis": "《市场监督管理严重违法失信名单管理办法》第十五条",
        "department": Department.MARKET_REGULATION,
        "list_kinds": "serious",
    },
    {
        "code": "production-licence",
        "name": "生产许可证申请、延续作为重要考量因素（从严审查）",
        "basis": "《工业产品生产许可证管理条例》；" + _MEMO,
        "department": Department.MARKET_REGULATION,
        "list_kinds": "serious",
    },
    {
        "code": "procurement",
        "name": "限制参加政府采购活动",
        "basis": "《企业信息公示暂行条例》第十八条；《政府采购法》第二十二条",
        "department": Department.DEVELOPMENT_REFORM,
        "list_kinds": "serious,abnormal",
    },
    {
        "code": "public-works-bidding",
        "name": "限制参与政府投资工程建设项目招标投标",
        "basis": "《企业信息公示暂行条例》第十八条；" + _MEMO,
        "department": Department.HOUSING_CONSTRUCTION,
        "list_kinds": "serious,abnormal",
    },
    {
        "code": "land-supply",
        "name": "限制取得国有土地使用权（出让、划拨）",
        "basis": "《企业信息公示暂行条例》第十八条；" + _MEMO,
        "department": Department.LAND,
        "list_kinds": "serious,abnormal",
    },
    {
        "code": "subsidies",
        "name": "限制申请财政性资金补贴、专项扶持资金",
        "basis": _MEMO,
        "department": Department.INDUSTRY_IT,
        "list_kinds": "serious",
    },
    {
        "code": "honours",
        "name": "取消参加评先评优资格，不授予荣誉称号",
        "basis": "《企业信息公示暂行条例》第十八条；" + _MEMO,
        "department": Department.INDUSTRY_IT,
        "list_kinds": "serious,abnormal",
    },
    {
        "code": "financing",
        "name": "作为融资授信、债券发行审核的重要参考",
        "basis": _MEMO,
        "department": Department.BANK,
        "list_kinds": "serious",
    },
    {
        "code": "tax-credit",
        "name": "纳税信用评价从严，列为税务重点监控对象",
        "basis": _MEMO,
        "department": Department.TAX,
        "list_kinds": "serious",
    },
    {
        "code": "customs-supervision",
        "name": "进出口货物从严查验，不适用海关认证企业管理",
        "basis": _MEMO,
        "department": Department.CUSTOMS,
        "list_kinds": "serious",
    },
    {
        "code": "environment-permit",
        "name": "排污许可、环评审批从严审查",
        "basis": _MEMO,
        "department": Department.ENVIRONMENT,
        "list_kinds": "serious",
    },
    {
        "code": "safety-licence",
        "name": "安全生产许可从严审查，增加安全检查频次",
        "basis": _MEMO,
        "department": Department.WORK_SAFETY,
        "list_kinds": "serious",
    },
    {
        "code": "power-capacity",
        "name": "新装、增容用电申请从严审核（防止异地另起炉灶）",
        "basis": "《关于严厉打击“地条钢”、淘汰落后钢铁产能的通知》；" + _MEMO,
        "department": Department.POWER_COMPANY,
        "list_kinds": "serious",
    },
    {
        "code": "officer-restriction",
        "name": "负有个人责任的法定代表人三年内不得担任公司董事、监事、高级管理人员",
        "basis": "《公司法》（2023）第一百七十八条第一款第四项",
        "department": Department.MARKET_REGULATION,
        "list_kinds": "serious",
    },
    {
        "code": "publication",
        "name": "通过国家企业信用信息公示系统、“信用中国”网站公示",
        "basis": "《市场监督管理严重违法失信名单管理办法》第十四条；" + _MEMO,
        "department": Department.DEVELOPMENT_REFORM,
        "list_kinds": "serious,abnormal",
    },
]


def _check_fields(*, name: str, basis: str, department: str, list_kinds: str) -> None:
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("请填写惩戒措施")
    if not (basis or "").strip():
        errors["basis"] = _("请填写法律依据")
    if department not in Department.values:
        errors["department"] = _("实施部门“{department}”无效").format(department=department)
    kinds = [k for k in (list_kinds or "").split(",") if k]
    if not kinds or set(kinds) - set(ListKind.values):
        errors["list_kinds"] = _("适用名单应为 serious、abnormal 之一或两者（逗号分隔）")
    if errors:
        raise ValidationError(errors)


def measure_create(
    *, actor, code: str, name: str, basis: str, department: str, list_kinds: str = "serious"
) -> Measure:
    require(actor, "credit.catalogue")
    _check_fields(name=name, basis=basis, department=department, list_kinds=list_kinds)
    if Measure.objects.filter(code=code).exists():
        raise ValidationError({"code": _("编号“{code}”已存在").format(code=code)})
    return audited_create(
        actor=actor,
        action="credit_measure_create",
        instance=Measure(
            code=code, name=name.strip(), basis=basis.strip(), department=department, list_kinds=list_kinds
        ),
    )


def measure_update(*, actor, measure: Measure, reason: str = "", **changes) -> Measure:
    require(actor, "credit.catalogue")
    merged = {k: changes.get(k, getattr(measure, k)) for k in ("name", "basis", "department", "list_kinds")}
    _check_fields(**merged)
    unknown = set(changes) - {"name", "basis", "department", "list_kinds", "active"}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("该字段不可修改")})
    return audited_update(
        actor=actor, instance=measure, changes=changes, action="credit_measure_update", reason=reason
    )


@transaction.atomic
def measure_action_record(
    *, actor, entry_measure: EntryMeasure, text: str, done_on: datetime.date | None = None
) -> MeasureAction:
    """A department records what it did under one measure of an entry (its own department's measures only)."""
    require(actor, "credit.measures")
    entry = entry_measure.entry
    if entry_measure.measure.department != actor.department or not user_covers_division(
        actor, entry.division_id
    ):
        raise ValidationError({"measure": _("该措施不由本部门实施")})
    if entry.state not in (Entry.State.DECIDED, Entry.State.IN_FORCE):
        raise ValidationError({"measure": _("条目不在列入期间，无需实施惩戒措施")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写实施情况（如：不予许可、取消投标资格）")})
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("实施日期不能晚于今天")})
    return audited_create(
        actor=actor,
        action="credit_measure_action",
        division_code=entry.division_id,
        instance=MeasureAction(
            entry_measure=entry_measure,
            department=actor.department,
            text=text[:500],
            done_on=done_on,
            recorded_by=actor,
        ),
    )
