"""Tips API: the public channel (no auth) and the staff list (Bearer token, scoped like the pages).

Public endpoints never return or log who the reporter is; staff endpoints never include identity at all
(revealing it is a page action with a reason, for the tip's own handlers only).
"""

import datetime
import json

import pydantic
from django.core.exceptions import ValidationError
from django.http import Http404
from django.views.decorators.debug import sensitive_variables
from ninja import Field, Header, Query, Router, Schema, Status

from steelwatch.core.api import ListParams, Page, paginate, validation_message
from steelwatch.core.schemas import InputSchema, Multiline, TextParam

from .access import access_tip, access_tip_by_key
from .guards import (
    RateLimited,
    TooLarge,
    check_upload_quota,
    client_ip,
    count_accepted,
    guard_public_request,
)
from .selectors import effective_status, public_view, tip_list
from .services import public_rate_check, tip_submit

router = Router(tags=["tips"])
MAX_JSON_BYTES = 64 * 1024


class ReporterIn(InputSchema):
    name: str = Field("", description="举报人姓名", max_length=64)
    phone: str = Field("", description="联系电话", max_length=20)
    contact: str = Field("", description="其他联系方式", max_length=200)


class PublicTipIn(InputSchema):
    content: Multiline = Field(description="举报内容", max_length=5000)
    address: str = Field(description="地点", max_length=256)
    occurred: str = Field("", description="发生时间", max_length=64)
    division_code: str = Field("", description="所在区县/街镇代码", max_length=12)
    lat: float | None = None
    lon: float | None = None
    reporter: ReporterIn | None = None


class ReceiptOut(Schema):
    receipt: str
    key: str


class Detail(Schema):
    detail: str


class QuestionOut(Schema):
    id: int
    question: str
    answer: str
    asked_at: str


class RewardOut(Schema):
    status: str
    status_label: str
    amount: str
    share_count: int
    claimed: bool
    paid_on: str | None
    paid_amount: str | None


class PublicTipOut(Schema):
    receipt: str
    status: str
    status_label: str
    received_at: str
    content: str
    address: str
    result_note: str
    questions: list[QuestionOut]
    supplements: int
    attachments: int
    reward: RewardOut | None


class TipOut(Schema):
    id: int
    receipt: str
    channel: str
    status: str
    reporter_status: str
    division_code: str
    address: str
    content: str
    received_at: datetime.datetime
    handoff_due: datetime.date
    verify_due: datetime.date
    overdue: bool
    enterprise_id: int | None
    case_id: int | None
    merged_into: str | None


def _tip_out(tip) -> dict:
    return {
        "id": tip.pk,
        "receipt": tip.receipt,
        "channel": tip.channel,
        "status": tip.status,
        "reporter_status": effective_status(tip),
        "division_code": tip.division_id,
        "address": tip.address,
        "content": tip.content,
        "received_at": tip.created_at,
        "handoff_due": tip.handoff_due,
        "verify_due": tip.verify_due,
        "overdue": tip.handoff_overdue() or tip.verify_overdue(),
        "enterprise_id": tip.enterprise_id,
        "case_id": tip.case_id,
        "merged_into": tip.merged_into.receipt if tip.merged_into_id else None,
    }


@sensitive_variables()  # every local: the form fields, the reporter JSON, the parsed payload
def _parse_public(request) -> tuple[PublicTipIn, list]:
    """JSON, or multipart form fields (`reporter` as JSON or `reporter.name`/`reporter.phone`) with `files`."""
    if request.content_type == "application/json":
        if len(request.body) > MAX_JSON_BYTES:
            raise TooLarge("提交内容过大：JSON 不能超过 64 KB（附件请用 multipart 上传）")
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise ValidationError({"body": "请求体不是有效的 JSON"}) from None
        files = []
    else:
        check_upload_quota(request)
        post = request.POST
        data = {
            k: post.get(k)
            for k in ("content", "address", "occurred", "division_code", "lat", "lon")
            if post.get(k) not in (None, "")
        }
        reporter = post.get("reporter")
        try:
            data["reporter"] = (
                json.loads(reporter)
                if reporter
                else {
                    f: post.get(f"reporter.{f}", post.get(f"reporter_{f}", ""))
                    for f in ("name", "phone", "contact")
                }
            )
        except ValueError:
            raise ValidationError(
                {"reporter": 'reporter 应为 JSON 对象，如 {"name": "", "phone": ""}'}
            ) from None
        files = request.FILES.getlist("files")
    try:
        payload = PublicTipIn.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(
            {
                ".".join(str(p) for p in e["loc"]) or "body": validation_message(e)
                for e in exc.errors(include_input=False)
            }
        ) from None
    return payload, files


PUBLIC_BODY = {
    "requestBody": {
        "content": {
            "application/json": {"schema": PublicTipIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "content": {"type": "string"},
                        "address": {"type": "string"},
                        "division_code": {"type": "string"},
                        "lat": {"type": "number"},
                        "lon": {"type": "number"},
                        "occurred": {"type": "string"},
                        "reporter": {"type": "string", "description": 'JSON：{"name", "phone", "contact"}'},
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    },
                }
            },
        }
    }
}


@router.post(
    "/public/tips",
    auth=None,
    response={201: ReceiptOut, 413: Detail, 429: Detail},
    openapi_extra=PUBLIC_BODY,
    summary="提交举报（无需认证）",
)
@sensitive_variables()
def public_tip_submit(request):
    """Submit a tip. The key in the answer is shown once: keep it to follow the tip (`X-Tip-Key`)."""
    try:
        guard_public_request(request, "submit")
        payload, files = _parse_public(request)
    except TooLarge as exc:
        return Status(413, {"detail": str(exc)})
    except RateLimited as exc:
        return Status(429, {"detail": str(exc)})
    reporter = payload.reporter.dict() if payload.reporter else None
    tip, key = tip_submit(
        channel="api",
        content=payload.content,
        address=payload.address,
        occurred=payload.occurred,
        division_code=payload.division_code,
        latitude=payload.lat,
        longitude=payload.lon,
        reporter=reporter,
        files=files,
    )
    if key:  # a new tip: only accepted submissions spend the allowance
        count_accepted(request, "submit")
    return Status(201, {"receipt": tip.receipt, "key": key})


@router.get(
    "/public/tips/{receipt}",
    auth=None,
    response={200: PublicTipOut, 404: Detail, 429: Detail},
    summary="凭回执编号和查询密钥查看举报进展（无需认证）",
)
def public_tip_status(
    request,
    receipt: TextParam("回执编号", max_length=20),
    x_tip_key: TextParam("查询密钥", max_length=64) = Header("", alias="X-Tip-Key"),  # noqa: B008
):
    """The reporter's view. A wrong or missing key answers 404, exactly as an unknown receipt does."""
    try:
        public_rate_check(ip=client_ip(request), kind="lookup")
    except RateLimited as exc:
        return Status(429, {"detail": str(exc)})
    try:
        tip = access_tip_by_key(receipt, x_tip_key)
    except Http404:
        return Status(404, {"detail": "Not Found"})
    return Status(200, public_view(tip))


class TipFilters(ListParams):
    status: str = Field("", description="按举报人可见状态（reporter_status）筛选")
    overdue: bool = Field(False, description="只看超期未办结的举报")


@router.get(
    "/tips",
    response=Page[TipOut],
    summary="本单位受理的举报（不含举报人信息；status 按 reporter_status 筛选）",
)
def staff_tip_list(request, filters: Query[TipFilters]):
    tips = tip_list(request.user, status=filters.status, overdue=filters.overdue).select_related(
        "merged_into"
    )
    page = paginate(request, tips, filters)
    return {**page, "items": [_tip_out(t) for t in page["items"]]}


@router.get("/tips/{tip_id}", response=TipOut, summary="一条举报（不含举报人信息）")
def staff_tip_detail(request, tip_id: int):
    return _tip_out(access_tip(request.user, tip_id))
