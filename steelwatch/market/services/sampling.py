"""The sampling workflow (产品质量法 Art 15; 产品质量监督抽查管理暂行办法, SAMR Order 18 of 2019).

One rule table, `SAMPLE_RULES`: each step names the states it starts from, the state it leads to, the
capability it takes and the checks that must hold; `_require_step` refuses with `SampleRefused` naming what
is missing. sampled → lab_received → tested → served → (retesting →) final → disposed; 拒检 is recorded as a
sample in state `refused`. A failed verdict opens a case (services.trace) right away.
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steelwatch.accounts.roles import can
from steelwatch.core import evidence
from steelwatch.core.access import require, user_covers_division
from steelwatch.core.audit import audit_record, snapshot
from steelwatch.core.notify import notify, stored_language, users_with
from steelwatch.core.services import audited_create
from steelwatch.geo.models import Division
from steelwatch.geo.selectors import division_label
from steelwatch.registry.models import Enterprise
from steelwatch.registry.uscc import normalize_uscc, uscc_error

from .. import standards
from ..models import PlaceKind, Sample, SamplePhoto, SamplingRound
from ..verdict import ITEMS, StandardError, judge, suspicion_reasons
from . import trace

S = Sample.State
OBJECTION_DAYS = 15  # 产品质量法 Art 15: a re-test may be applied for within 15 days of receiving the result
MIN_OFFICERS = 2  # Order 18: sampling by at least two officers


class SampleRefused(Exception):
    """A workflow step refused; the message says which rule is missing (API: 409)."""


Check = Callable[[Sample, datetime.date], str | None]


def _within_objection_window(sample: Sample, today: datetime.date) -> str | None:
    if sample.objection_deadline and today > sample.objection_deadline:
        return _("异议/复检申请期限已于 {day} 届满").format(day=sample.objection_deadline)
    return None


def _window_closed(sample: Sample, today: datetime.date) -> str | None:
    if (
        sample.verdict == Sample.Verdict.NONCONFORMING
        and sample.objection_deadline
        and today <= sample.objection_deadline
    ):
        return _("异议/复检申请期限至 {day}，期满后方可确定结论").format(day=sample.objection_deadline)
    return None


def _nonconforming(sample: Sample, today: datetime.date) -> str | None:
    if sample.verdict != Sample.Verdict.NONCONFORMING:
        return _("检验结论为合格，无需复检")
    return None


def _retestable(sample: Sample, today: datetime.date) -> str | None:
    if not sample.retestable:
        return _("重量偏差不合格，依标准不得复检")
    return None


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    target: str
    capability: str
    label: str
    checks: tuple[Check, ...] = ()


SAMPLE_RULES: dict[str, Step] = {
    "receive": Step((S.SAMPLED,), S.LAB_RECEIVED, "market.sample", gettext_lazy("检验机构接收样品")),
    "results": Step((S.SAMPLED, S.LAB_RECEIVED), S.TESTED, "market.sample", gettext_lazy("录入检验结果")),
    "serve": Step((S.TESTED,), S.SERVED, "market.manage", gettext_lazy("送达检验结论")),
    "retest_request": Step(
        (S.SERVED,),
        S.RETESTING,
        "market.manage",
        gettext_lazy("受理复检申请"),
        (_within_objection_window, _nonconforming, _retestable),
    ),
    "retest_results": Step(
        (S.RETESTING,), S.FINAL, "market.sample", gettext_lazy("录入复检结果（复检结论为最终结论）")
    ),
    "finalize": Step((S.SERVED,), S.FINAL, "market.manage", gettext_lazy("确定结论"), (_window_closed,)),
    "dispose": Step((S.FINAL,), S.DISPOSED, "market.manage", gettext_lazy("记录处置")),
}


def _today(today=None) -> datetime.date:
    return today or timezone.localdate()


def check_dates(*, later: tuple[str, datetime.date | None], earlier=()) -> None:
    """A recorded day may not lie in the future (a served_on next year would push the objection window out)
    nor before the step it follows (`earlier`: (name, day) pairs, e.g. the sampling or service date)."""
    field, day = later
    if day is None:
        return
    if day > timezone.localdate():
        raise ValidationError({field: _("日期 {day} 晚于今天").format(day=day)})
    for name, before in earlier:
        if before is not None and day < before:
            raise ValidationError(
                {field: _("日期 {day} 早于{name}（{before}）").format(day=day, name=name, before=before)}
            )


def _refusal(actor, sample: Sample, step: str, today: datetime.date) -> str | None:
    rule = SAMPLE_RULES[step]
    if not can(actor, rule.capability) or not user_covers_division(actor, sample.division_id):
        return _("当前角色无权{doing}").format(doing=rule.label)
    if sample.state not in rule.sources:
        return _("样品当前状态为“{state}”，不能{doing}").format(
            state=sample.get_state_display(), doing=rule.label
        )
    for check in rule.checks:
        if message := check(sample, today):
            return message
    return None


def _require_step(actor, sample: Sample, step: str, today: datetime.date) -> None:
    if not can(actor, SAMPLE_RULES[step].capability):
        require(actor, SAMPLE_RULES[step].capability)
    if message := _refusal(actor, sample, step, today):
        raise SampleRefused(message)


def actions_for(actor, sample: Sample, today=None) -> list[str]:
    """The steps `actor` may take on the sample now (pages show only these forms)."""
    today = _today(today)
    return [step for step in SAMPLE_RULES if _refusal(actor, sample, step, today) is None]


def _move(actor, sample: Sample, step: str, changes: dict, *, reason: str = "") -> Sample:
    before = snapshot(sample)
    for field, value in changes.items():
        setattr(sample, field, value)
    sample.state = SAMPLE_RULES[step].target
    sample.full_clean()
    sample.save()
    audit_record(
        actor=actor,
        action=f"sample_{step}",
        target=sample,
        before=before,
        after=snapshot(sample),
        reason=reason,
    )
    return sample


# --- divisions ------------------------------------------------------------------------------------------


def _check_division(actor, code: str, field: str = "division_code") -> Division:
    division = Division.objects.filter(code=code).first()
    if division is None:
        raise ValidationError({field: _("行政区划代码 {code} 不存在").format(code=code)})
    if not user_covers_division(actor, code):
        raise ValidationError(
            {field: _("行政区划 {code} 不在您的管辖范围内").format(code=division_label(code))}
        )
    return division


# --- taking a sample -------------------------------------------------------------------------------------


def _officers(actor, officers, division_code: str) -> list:
    crew = {actor.pk: actor}
    for officer in officers:
        if not (
            officer.is_active
            and can(officer, "market.sample")
            and user_covers_division(officer, division_code)
        ):
            raise ValidationError(
                {"officers": _("{name} 不是本辖区的抽样人员").format(name=officer.username)}
            )
        crew[officer.pk] = officer
    if len(crew) < MIN_OFFICERS:
        raise ValidationError(
            {
                "officers": _("抽样须由不少于{count}名执法人员进行：请填写同行抽样人员").format(
                    count=MIN_OFFICERS
                )
            }
        )
    return list(crew.values())


def _unit(actor, *, place_kind: str, enterprise: Enterprise | None, site_name: str, division_code: str):
    if place_kind not in PlaceKind.values:
        raise ValidationError({"place_kind": _("抽查领域应为 producer、seller 或 site")})
    if place_kind == PlaceKind.SITE:
        if not site_name.strip():
            raise ValidationError({"site_name": _("请填写建筑工地名称")})
        if not division_code:
            raise ValidationError({"division_code": _("请填写工地所在行政区划代码")})
        return None, site_name.strip(), _check_division(actor, division_code)
    if enterprise is None:
        raise ValidationError({"enterprise_uscc": _("请填写被抽样单位（台账企业）的统一社会信用代码")})
    if division_code and not enterprise.division_id.startswith(division_code):
        raise ValidationError(
            {
                "division_code": _("被抽样单位{name}位于{place}，与所填行政区划不符").format(
                    name=enterprise.name, place=division_label(enterprise.division_id)
                )
            }
        )
    # the sample belongs where the unit is on the ledger: that decides who sees it and the case's district
    return enterprise, "", _check_division(actor, enterprise.division_id)


def _clean_uscc(value: str, field: str) -> str:
    value = normalize_uscc(value or "")
    if value and (error := uscc_error(value)):
        raise ValidationError({field: error})
    return value


def _standard_check(product: str, grade: str, diameter_mm) -> str:
    grade = (grade or "").strip().upper()
    if standards.product_of(grade) is None:
        raise ValidationError(
            {"grade": _("牌号“{grade}”不在 GB/T 1499.2、GB/T 1499.1 所列牌号中").format(grade=grade)}
        )
    if standards.product_of(grade) != product:
        raise ValidationError(
            {
                "product": _("牌号 {grade} 属于{label}").format(
                    grade=grade, label=standards.PRODUCT_LABELS[standards.product_of(grade)]
                )
            }
        )
    try:
        judge(grade=grade, diameter_mm=diameter_mm, production_date=None, measured={})
    except StandardError as error:
        raise ValidationError({error.field: str(error)}) from None
    return grade


@transaction.atomic
def sample_create(
    *,
    actor,
    place_kind: str,
    product: str,
    grade: str,
    diameter_mm,
    sampled_on: datetime.date,
    officers=(),
    enterprise: Enterprise | None = None,
    site_name: str = "",
    division_code: str = "",
    heat_number: str = "",
    manufacturer_name: str = "",
    manufacturer_uscc: str = "",
    licence_number: str = "",
    trademark: str = "",
    production_date: datetime.date | None = None,
    quantity_t=None,
    seal_number: str = "",
    sampling_round: SamplingRound | None = None,
    photos=(),
) -> Sample:
    """Record a sample taken on site (sealed test and reserve samples) by the actor and at least one colleague."""
    require(actor, "market.sample")
    enterprise, site_name, division = _unit(
        actor, place_kind=place_kind, enterprise=enterprise, site_name=site_name, division_code=division_code
    )
    crew = _officers(actor, officers, division.code)
    grade = _standard_check(product, grade, diameter_mm)
    check_dates(later=("sampled_on", sampled_on))
    if production_date and production_date > sampled_on:
        raise ValidationError({"production_date": _("生产日期不能晚于抽样日期")})
    if sampling_round is not None and not sampling_round.division.contains(division.code):
        raise ValidationError({"round_id": _("被抽样单位不在该抽查批次的地区内")})
    sample = Sample(
        code=f"tmp-{uuid.uuid4().hex[:20]}",
        round=sampling_round,
        place_kind=place_kind,
        enterprise=enterprise,
        site_name=site_name,
        division=division,
        product=product,
        grade=grade,
        diameter_mm=diameter_mm,
        heat_number=heat_number.strip(),
        manufacturer_name=manufacturer_name.strip(),
        manufacturer_uscc=_clean_uscc(manufacturer_uscc, "manufacturer_uscc"),
        licence_number=licence_number.strip(),
        trademark=trademark.strip(),
        production_date=production_date,
        sampled_on=sampled_on,
        quantity_t=quantity_t,
        seal_number=seal_number.strip(),
        testing_body=sampling_round.plan.testing_body if sampling_round else "",
        created_by=actor,
    )
    sample.full_clean(exclude=["code"])
    sample.save()
    sample.code = f"CJ{sampled_on.year}{sample.pk:06d}"
    sample.save(update_fields=["code"])
    sample.officers.set(crew)
    audit_record(
        actor=actor,
        action="sample_create",
        target=sample,
        after={**snapshot(sample), "officers": [u.pk for u in crew]},
    )
    for upload in photos:
        sample_photo_add(actor=actor, sample=sample, upload=upload)
    return sample


@transaction.atomic
def sample_refusal_record(
    *,
    actor,
    place_kind: str,
    enterprise: Enterprise | None,
    reason: str,
    sampled_on: datetime.date,
    officers=(),
    site_name: str = "",
    division_code: str = "",
    sampling_round: SamplingRound | None = None,
) -> Sample:
    """A refusal to be sampled (拒检, 产品质量法 Art 56): recorded by two officers, published as 拒检."""
    require(actor, "market.sample")
    if not reason.strip():
        raise ValidationError({"reason": _("请记录拒检情况")})
    enterprise, site_name, division = _unit(
        actor, place_kind=place_kind, enterprise=enterprise, site_name=site_name, division_code=division_code
    )
    crew = _officers(actor, officers, division.code)
    check_dates(later=("sampled_on", sampled_on))
    sample = Sample.objects.create(
        code=f"tmp-{uuid.uuid4().hex[:20]}",
        round=sampling_round,
        state=S.REFUSED,
        place_kind=place_kind,
        enterprise=enterprise,
        site_name=site_name,
        division=division,
        product="",
        grade="",
        diameter_mm=0,
        sampled_on=sampled_on,
        refusal_reason=reason.strip()[:300],
        created_by=actor,
    )
    sample.code = f"JJ{sampled_on.year}{sample.pk:06d}"
    sample.save(update_fields=["code"])
    sample.officers.set(crew)
    audit_record(actor=actor, action="sample_refusal", target=sample, after=snapshot(sample), reason=reason)
    with stored_language():
        notify(
            users_with("market.manage", division.code[:6]),
            f"拒检：{sample.unit_name}（{sampled_on:%Y-%m-%d}）{reason[:100]}",
            "",
        )
    return sample


def sample_photo_add(*, actor, sample: Sample, upload) -> SamplePhoto:
    prepared = evidence.prepare(upload)
    if prepared.kind != "photo":
        raise ValidationError({"photos": _("抽样照片须为图片")})
    path = evidence.store(prepared, f"samples/{sample.pk}")
    return audited_create(
        actor=actor,
        action="sample_photo_add",
        division_code=sample.division_id,
        instance=SamplePhoto(
            sample=sample,
            path=path,
            original_name=prepared.original_name,
            content_type=prepared.content_type,
            size=len(prepared.data),
            taken_at=prepared.taken_at,
            uploaded_by=actor,
        ),
    )


# --- the lab, the verdict, service, objection, re-test, disposal ----------------------------------------


@transaction.atomic
def sample_receive(*, actor, sample: Sample, received_on: datetime.date, testing_body: str = "") -> Sample:
    _require_step(actor, sample, "receive", received_on)
    check_dates(later=("received_on", received_on), earlier=[(_("抽样日期"), sample.sampled_on)])
    return _move(
        actor,
        sample,
        "receive",
        {"lab_received_on": received_on, "testing_body": testing_body or sample.testing_body},
    )


def clean_measured(measured: dict) -> dict:
    """Only the known items; numbers as strings (exact in JSON), bend results as pass / fail."""
    clean = {}
    for key, value in measured.items():
        if key not in ITEMS and key not in ("cr", "v", "mo", "cu", "ni"):
            continue
        if value is None or value == "":
            continue
        if key in ("bend", "reverse_bend"):
            if value not in ("pass", "fail"):
                raise ValidationError(
                    {key: _("{label}应为 pass（合格）或 fail（不合格）").format(label=ITEMS[key])}
                )
            clean[key] = value
        else:
            clean[key] = str(value)
    return clean


def _judge(sample: Sample, measured: dict):
    try:
        verdict = judge(
            grade=sample.grade,
            diameter_mm=sample.diameter_mm,
            production_date=sample.production_date,
            measured=measured,
        )
    except (StandardError, ValueError) as error:
        raise ValidationError({getattr(error, "field", "measured"): str(error)}) from None
    reasons = suspicion_reasons(verdict, facts=trace.suspicion_facts(sample))
    return verdict, reasons


def _verdict_fields(verdict, reasons) -> dict:
    return {
        "verdict": verdict.verdict,
        "failed": [
            {"item": f.item, "label": f.label, "value": f.value, "limit": f.limit, "clause": f.clause}
            for f in verdict.failed
        ],
        "standard": verdict.standard,
        "verdict_notes": verdict.notes,
        "retestable": verdict.retestable,
        "suspect": bool(reasons),
        "reasons": reasons,
    }


@transaction.atomic
def sample_results_record(
    *, actor, sample: Sample, measured: dict, testing_body: str = "", tested_on: datetime.date | None = None
) -> Sample:
    """Record the lab's measurements, judge them, and open a case when the sample fails."""
    tested_on = _today(tested_on)
    _require_step(actor, sample, "results", tested_on)
    check_dates(later=("tested_on", tested_on), earlier=[(_("抽样日期"), sample.sampled_on)])
    measured = clean_measured(measured)
    if not measured:
        raise ValidationError({"measured": _("请至少填写一项检验数据")})
    verdict, reasons = _judge(sample, measured)
    changes = {"measured": measured, **_verdict_fields(verdict, reasons), "first_verdict": verdict.verdict}
    changes["lab_received_on"] = sample.lab_received_on or tested_on
    if testing_body:
        changes["testing_body"] = testing_body
    _move(actor, sample, "results", changes)
    if not verdict.conforming and sample.case_id is None:
        trace.open_case(actor=actor, sample=sample)
    return sample


@transaction.atomic
def sample_serve(*, actor, sample: Sample, served_on: datetime.date, served_to: str = "") -> Sample:
    """Serve the result on the sampled party and the nominal manufacturer; the objection window opens."""
    _require_step(actor, sample, "serve", served_on)
    check_dates(later=("served_on", served_on), earlier=[(_("抽样日期"), sample.sampled_on)])
    parties = served_to.strip() or "、".join(p for p in (sample.unit_name, sample.manufacturer_name) if p)
    return _move(
        actor,
        sample,
        "serve",
        {
            "served_on": served_on,
            "served_to": parties[:300],
            "objection_deadline": served_on + datetime.timedelta(days=OBJECTION_DAYS),
        },
    )


@transaction.atomic
def sample_retest_request(*, actor, sample: Sample, requested_on: datetime.date, retest_body: str) -> Sample:
    check_dates(later=("requested_on", requested_on), earlier=[(_("送达日期"), sample.served_on)])
    _require_step(actor, sample, "retest_request", requested_on)
    if not retest_body.strip():
        raise ValidationError({"retest_body": _("请填写复检机构（应与初检机构不同）")})
    if retest_body.strip() == sample.testing_body:
        raise ValidationError({"retest_body": _("复检机构应与初检机构不同")})
    return _move(
        actor,
        sample,
        "retest_request",
        {"retest_requested_on": requested_on, "retest_body": retest_body.strip()},
    )


@transaction.atomic
def sample_retest_results(
    *, actor, sample: Sample, measured: dict, tested_on: datetime.date | None = None
) -> Sample:
    """The re-test on the reserve sample decides: its verdict replaces the first one. An item the re-test did
    not measure keeps its first result (a failure not re-tested stands), and the weight deviation is never
    re-tested (GB/T 1499.2-2018 9.3): its first value is kept."""
    tested_on = _today(tested_on)
    _require_step(actor, sample, "retest_results", tested_on)
    check_dates(later=("tested_on", tested_on), earlier=[(_("复检申请日期"), sample.retest_requested_on)])
    measured = clean_measured(measured)
    if not measured:
        raise ValidationError({"measured": _("请至少填写一项复检数据")})
    kept = {key: value for key, value in sample.measured.items() if key not in measured}
    excluded = standards.choose(sample.product, sample.production_date)[0].retest_excluded
    kept.update({key: sample.measured[key] for key in excluded if key in sample.measured})
    verdict, reasons = _judge(sample, {**measured, **kept})
    fields = _verdict_fields(verdict, reasons)
    if carried := [ITEMS[key] for key in ITEMS if key in kept]:
        fields["verdict_notes"] = [
            _("复检未测（或不得复检）的项目沿用初检结果：{items}").format(items="、".join(carried))
        ] + fields["verdict_notes"]
    _move(actor, sample, "retest_results", {"retest_measured": measured, **fields})
    if sample.case_id:
        trace.note_retest(actor=actor, sample=sample)
    elif not verdict.conforming:
        trace.open_case(actor=actor, sample=sample)
    return sample


@transaction.atomic
def sample_finalize(*, actor, sample: Sample, today: datetime.date | None = None) -> Sample:
    today = _today(today)
    _require_step(actor, sample, "finalize", today)
    return _move(actor, sample, "finalize", {})


@transaction.atomic
def sample_dispose(*, actor, sample: Sample, disposal: str, disposed_on: datetime.date) -> Sample:
    """Stop sale and rectify within a deadline, re-inspect, or (conforming) nothing further: what was done."""
    _require_step(actor, sample, "dispose", disposed_on)
    check_dates(later=("disposed_on", disposed_on), earlier=[(_("抽样日期"), sample.sampled_on)])
    if not disposal.strip():
        raise ValidationError({"disposal": _("请填写处置情况")})
    return _move(actor, sample, "dispose", {"disposal": disposal.strip(), "disposed_on": disposed_on})
