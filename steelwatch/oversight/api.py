"""Oversight API (v1): campaigns, report rounds, pledges, summonses, rectifications, evaluations.
Scoped and audited like the pages: everything through oversight.access and oversight.services."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from steelwatch.core.schemas import TextParam
from steelwatch.registry.access import access_enterprise_by_uscc

from . import access, selectors, services
from .metrics import METRICS
from .schemas import (
    CampaignIn,
    CampaignOut,
    CoverageOut,
    Created,
    EvaluationOut,
    PledgeRoundIn,
    RectificationIn,
    RectificationOut,
    RoundOut,
    SignatureOut,
    SubmissionOut,
    SubmitIn,
    SummonsIn,
    SummonsOut,
)
from .services.evaluation import evaluate_units

router = Router(tags=["督查考核 oversight"])


def _campaign_out(campaign, today) -> dict:
    return {
        "id": campaign.pk,
        "division_code": campaign.division_id,
        "title": campaign.title,
        "document_number": campaign.document_number,
        "goals": campaign.goals,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "state": campaign.state,
        "phases": list(campaign.phases.all()),
        "tasks": [
            {
                "id": t.pk,
                "title": t.title,
                "lead_department": t.lead_department,
                "supporting_departments": t.supporting_departments,
                "due_on": t.due_on,
                "units": [
                    {
                        "division_code": u.division_id,
                        "department": u.department,
                        "state": selectors.unit_task_state(u, today),
                    }
                    for u in t.units.all()
                ],
            }
            for t in campaign.tasks.prefetch_related("units__task")
        ],
        "report_rounds": list(campaign.report_rounds.all()),
    }


@router.post("/campaigns", response={201: Created}, summary="下达专项行动（阶段、任务、报送轮次）")
def create_campaign(request, payload: CampaignIn):
    data = payload.dict()
    campaign = services.campaign_create(actor=request.auth, division=request.auth.division, **data)
    return Status(201, {"id": campaign.pk})


@router.get("/campaigns/{campaign_id}", response=CampaignOut, summary="专项行动详情")
def get_campaign(request, campaign_id: int):
    return _campaign_out(access.access_campaign(request.auth, campaign_id), timezone.localdate())


def _round_out(user, round_) -> dict:
    submissions = list(access.submissions_for(user, round_))
    office = access.may_manage(user, round_.campaign.division_id)
    return {
        "id": round_.pk,
        "campaign_id": round_.campaign_id,
        "title": round_.title,
        "due_on": round_.due_on,
        "period_start": round_.period_start,
        "period_end": round_.period_end,
        "figure_keys": round_.figure_keys,
        "units": [
            {
                "division_code": r["division_code"],
                "division_name": r["division"].name,
                "state": r["state"],
                "submitted_at": r["submitted_at"],
            }
            for r in selectors.round_status(round_, submissions)
        ],
        "summary": selectors.round_summary(round_, submissions) if office else [],
    }


@router.get("/report-rounds/{round_id}", response=RoundOut, summary="报送轮次：各单位报送状态")
def get_report_round(request, round_id: int):
    return _round_out(request.auth, access.access_report_round(request.auth, round_id))


@router.post("/report-rounds/{round_id}/submit", response=SubmissionOut, summary="本单位报送")
def submit_report(request, round_id: int, payload: SubmitIn):
    submission = access.access_submission(request.auth, round_id, request.auth.division_id)
    submission = services.report_submit(
        actor=request.auth, submission=submission, figures=payload.figures, text=payload.text
    )
    return {
        "division_code": submission.division_id,
        "state": submission.state_on(timezone.localdate()),
        "submitted_at": submission.submitted_at,
        "figures": submission.figures,
        "prefilled": submission.prefilled,
        "text": submission.text,
    }


@router.post("/pledge-rounds", response={201: Created}, summary="发起承诺书（目标责任书）签订轮次")
def create_pledge_round(request, payload: PledgeRoundIn):
    round_ = services.pledge_round_create(
        actor=request.auth, division=request.auth.division, **payload.dict()
    )
    return Status(201, {"id": round_.pk})


@router.post("/pledge-rounds/{round_id}/sign", response={201: SignatureOut}, summary="登记签订（附扫描件）")
def sign_pledge(
    request,
    round_id: int,
    signer: TextParam("签订人", max_length=64, form=...),
    signed_on: Form[datetime.date],
    scan: File[UploadedFile],
    division_code: TextParam("行政区划代码", max_length=12, form="") = "",
    enterprise_uscc: TextParam("统一社会信用代码", max_length=18, form="") = "",
):
    round_ = access.access_pledge_round(request.auth, round_id)
    division = access.access_unit(request.auth, division_code) if division_code else None
    enterprise = (
        access_enterprise_by_uscc(request.auth, enterprise_uscc.strip().upper()) if enterprise_uscc else None
    )
    signature = services.pledge_sign(
        actor=request.auth,
        round_=round_,
        signer=signer,
        signed_on=signed_on,
        scan=scan,
        division=division,
        enterprise=enterprise,
    )
    return Status(
        201,
        {
            "id": signature.pk,
            "level": signature.level,
            "division_code": signature.division_id,
            "enterprise_uscc": enterprise.uscc if enterprise else None,
            "signer": signature.signer,
            "signed_on": signature.signed_on,
            "scan_sha256": signature.scan_sha256,
        },
    )


@router.get("/pledge-rounds/{round_id}/coverage", response=CoverageOut, summary="签订覆盖情况与未签名单")
def pledge_coverage(request, round_id: int):
    round_ = access.access_pledge_round(request.auth, round_id)
    within = "" if access.may_manage(request.auth, round_.division_id) else request.auth.division_prefix
    return {"round_id": round_.pk, "levels": selectors.pledge_coverage(round_, within=within)}


def _summons_out(s) -> dict:
    return {
        "id": s.pk,
        "division_code": s.division_id,
        "reason": s.reason,
        "held_on": s.held_on,
        "place": s.place,
        "attendees": s.attendees,
        "minutes": s.minutes,
    }


@router.post("/summons", response={201: SummonsOut}, summary="记录约谈")
def create_summons(request, payload: SummonsIn):
    data = payload.dict()
    division = access.access_unit(request.auth, data.pop("division_code"))
    return Status(201, _summons_out(services.summons_record(actor=request.auth, division=division, **data)))


@router.post("/rectifications", response={201: RectificationOut}, summary="下达限期整改")
def create_rectification(request, payload: RectificationIn):
    data = payload.dict()
    division = access.access_unit(request.auth, data.pop("division_code"))
    order = services.rectification_issue(actor=request.auth, division=division, **data)
    return Status(
        201,
        {
            "id": order.pk,
            "division_code": order.division_id,
            "reason": order.reason,
            "issued_on": order.issued_on,
            "due_on": order.due_on,
            "state": order.state,
            "owner": order.owner,
        },
    )


PERIOD = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$")


def parse_period(text: str) -> tuple[datetime.date, datetime.date]:
    """ "2026-01..2026-06" → (2026-01-01, 2026-06-30)."""
    match = PERIOD.match(text.strip())
    try:
        if not match:
            raise ValueError
        y1, m1, y2, m2 = (int(g) for g in match.groups())
        start = datetime.date(y1, m1, 1)
        end = datetime.date(y2 + m2 // 12, m2 % 12 + 1, 1) - datetime.timedelta(days=1)
    except ValueError:
        raise ValidationError({"period": "应为 YYYY-MM..YYYY-MM，如 2026-01..2026-06"}) from None
    if end < start:
        raise ValidationError({"period": "结束月份不能早于开始月份"})
    return start, end


@router.get("/evaluations", response=EvaluationOut, summary="下级单位评估：各项指标、得分、排名、等次")
def get_evaluations(request, period: TextParam("考核期", max_length=32)):
    access.require_manage(request.auth, request.auth.division_id or "")
    start, end = parse_period(period)
    return {
        "division_code": request.auth.division_id,
        "period_start": start,
        "period_end": end,
        "metrics": [
            {"key": m.key, "label": str(m.label), "definition": str(m.definition), "weight": m.weight}
            for m in METRICS.values()
        ],
        "districts": evaluate_units(request.auth.division, start, end, {}),
    }
