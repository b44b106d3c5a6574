"""Power API: post readings (a file or JSON rows) → a background detection job; alerts, scoped like the pages."""

import datetime
import json
from typing import Literal

import pydantic
from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status

from steelwatch.core.access import access_job
from steelwatch.core.api import ListParams, Page, paginate, validation_message
from steelwatch.core.schemas import InputSchema, Multiline

from . import selectors, services
from .access import access_alert, access_run
from .models import DetectionRun

router = Router(tags=["power"])
MAX_JSON_ROWS = 200_000


class ReadingIn(InputSchema):
    account_id: str = Field(description="电力户号", max_length=32)
    ts: str = Field(description="时间", max_length=64)
    kw: float | None


class ReadingsIn(InputSchema):
    rows: list[ReadingIn]
    interval: Literal[5, 15, 30, 60, 1440] | None = None


class JobStarted(Schema):
    job_id: int
    run_id: int
    status_url: str


class JobOut(Schema):
    id: int
    kind: str
    status: str
    progress: int
    message: str
    result: dict | None


class AlertOut(Schema):
    id: int
    account_id: str
    enterprise_id: int | None
    enterprise_name: str | None
    division_code: str
    score: float
    level: str
    reasons: str
    status: str
    dismiss_reason: str
    case_id: int | None
    period_start: datetime.date
    period_end: datetime.date
    features: dict
    created_at: datetime.datetime
    updated_at: datetime.datetime


class RunOut(Schema):
    id: int
    file_name: str
    via: str
    engine: str
    status: str
    message: str
    created_by: str | None
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    rows_in: int
    rows_stored: int
    account_count: int
    alert_count: int
    watch_count: int
    quality: str
    unknown_accounts: list[str]
    rejected_accounts: list[str]
    period_start: datetime.date | None
    period_end: datetime.date | None
    window_start: datetime.date | None
    window_end: datetime.date | None


class RunFilters(ListParams):
    status: str = Field("", max_length=16, description="批次状态")


class AlertFilters(ListParams):
    division: str = Field("", max_length=12, description="行政区划代码（其下全部）")
    level: str = Field("", max_length=8, description="告警级别")
    status: str = Field("", max_length=16, description="处理状态")
    q: str = Field("", max_length=64, description="企业名称（部分）、完整统一社会信用代码或电力户号")
    sort: Literal["score", "new", "old", "tonnes"] = Field(
        "score", description="排序：score 评分从高到低，new / old 按数据期间，tonnes 估算熔炼量从大到小"
    )


class ReasonIn(InputSchema):
    reason: Multiline = Field("", description="理由")


class CaseOut(Schema):
    case_id: int
    alert_id: int


def _alert_out(alert) -> dict:
    account = alert.account
    return {
        "id": alert.pk,
        "account_id": account.account_id,
        "enterprise_id": account.enterprise_id,
        "enterprise_name": account.enterprise.name if account.enterprise_id else None,
        "division_code": account.division_id,
        "score": alert.score,
        "level": alert.level,
        "reasons": alert.reasons,
        "status": alert.status,
        "dismiss_reason": alert.dismiss_reason,
        "case_id": alert.case_id,
        "period_start": alert.period_start,
        "period_end": alert.period_end,
        "features": alert.features,
        "created_at": alert.created_at,
        "updated_at": alert.updated_at,
    }


RUN_FIELDS = [name for name in RunOut.model_fields if name != "created_by"]


def _run_out(run) -> dict:
    return {
        **{name: getattr(run, name) for name in RUN_FIELDS},
        "created_by": run.created_by.username if run.created_by_id else None,
    }


def _json_rows(request) -> list[dict]:
    try:
        payload = ReadingsIn.model_validate(json.loads(request.body or b"{}"))
    except ValueError as exc:
        errors = exc.errors(include_input=False) if isinstance(exc, pydantic.ValidationError) else []
        where = "；".join(validation_message(e) for e in errors[:5])
        raise ValidationError(
            {
                "rows": '请求体应为 JSON：{"rows": [{"account_id", "ts", "kw"}]}'
                + (f"（{where}）" if where else "")
            }
        ) from None
    if len(payload.rows) > MAX_JSON_ROWS:
        raise ValidationError({"rows": f"JSON 一次最多 {MAX_JSON_ROWS:,} 行，更多读数请以文件上传"})
    return [row.dict() for row in payload.rows], payload.interval


def _interval(value) -> int | None:
    """The multipart `interval` field: minutes between readings, or empty for detection per account."""
    if value in (None, ""):
        return None
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        minutes = -1
    if minutes not in DetectionRun.Interval.values:
        raise ValidationError(
            {
                "interval": f"读数间隔应为 {'、'.join(str(v) for v in DetectionRun.Interval.values)} 分钟之一，或不填"
            }
        )
    return minutes


READINGS_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "CSV 或 Parquet：account_id, ts, kw（或 kwh；日电量 account_id, date, kwh）",
                        },
                        "interval": {
                            "type": "integer",
                            "enum": [5, 15, 30, 60, 1440],
                            "description": "申报读数间隔（分钟）；不填则逐户按时间戳识别",
                        },
                    },
                }
            },
            "application/json": {"schema": ReadingsIn.model_json_schema()},
        }
    }
}


@router.post(
    "/power/readings",
    response={202: JobStarted},
    openapi_extra=READINGS_BODY,
    summary="上传电表读数并启动检测（文件或 JSON 行）",
)
def readings_post(request):
    """15-minute readings (account_id, ts local time, kw) as a multipart `file` or JSON `rows`. Detection runs in
    the background: poll `status_url`. Accounts not on the ledger or outside your jurisdiction are reported."""
    if request.content_type == "application/json":
        rows, interval = _json_rows(request)
        run = services.readings_ingest_start(actor=request.user, via="api", rows=rows, interval=interval)
    else:
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": "缺少读数文件：请以 multipart 字段 file 上传 .csv 或 .parquet"})
        interval = _interval(request.POST.get("interval"))
        run = services.readings_ingest_start(actor=request.user, via="api", upload=upload, interval=interval)
    return Status(
        202, {"job_id": run.job_id, "run_id": run.pk, "status_url": f"/api/v1/power/jobs/{run.job_id}"}
    )


@router.get("/power/jobs/{job_id}", response=JobOut, summary="检测任务进度与结果")
def job_status(request, job_id: int):
    job = access_job(request.user, job_id, ["power_ingest"])
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "result": job.result,
    }


@router.get("/power/runs", response=Page[RunOut], summary="检测批次（本人上传及本辖区内上传，最新在前）")
def run_list(request, filters: Query[RunFilters]):
    page = paginate(request, selectors.run_list(request.user, status=filters.status), filters)
    return {**page, "items": [_run_out(r) for r in page["items"]]}


@router.get("/power/runs/{run_id}", response=RunOut, summary="一个检测批次：计数、检测窗口、数据质量")
def run_detail(request, run_id: int):
    return _run_out(access_run(request.user, run_id))


@router.get("/power/alerts", response=Page[AlertOut], summary="用电告警（默认按评分排序，限本辖区）")
def alert_list(request, filters: Query[AlertFilters]):
    alerts = selectors.alert_list(
        request.user,
        division=filters.division,
        level=filters.level,
        status=filters.status,
        q=filters.q,
        sort=filters.sort,
    )
    page = paginate(request, alerts, filters)
    return {**page, "items": [_alert_out(a) for a in page["items"]]}


@router.get("/power/alerts/{alert_id}", response=AlertOut, summary="一条用电告警")
def alert_detail(request, alert_id: int):
    return _alert_out(access_alert(request.user, alert_id))


@router.post("/power/alerts/{alert_id}/acknowledge", response=AlertOut, summary="确认告警")
def alert_acknowledge(request, alert_id: int):
    return _alert_out(
        services.alert_acknowledge(actor=request.user, alert=access_alert(request.user, alert_id))
    )


@router.post("/power/alerts/{alert_id}/dismiss", response=AlertOut, summary="排除告警（须填写理由）")
def alert_dismiss(request, alert_id: int, payload: ReasonIn):
    alert = access_alert(request.user, alert_id)
    return _alert_out(services.alert_dismiss(actor=request.user, alert=alert, reason=payload.reason))


@router.post("/power/alerts/{alert_id}/escalate", response=CaseOut, summary="转为核查案件")
def alert_escalate(request, alert_id: int):
    alert = access_alert(request.user, alert_id)
    case = services.alert_escalate(actor=request.user, alert=alert)
    return {"case_id": case.pk, "alert_id": alert.pk}
