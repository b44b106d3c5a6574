# mypy: disable-error-code="valid-type"
"""Field API v1: check-ins from the phone (multipart), grid coverage, inspectors' interests, 双随机 draws."""

import datetime

from django.db import transaction
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from steelwatch.core.access import require
from steelwatch.core.api import ListParams, Page, paginate
from steelwatch.core.schemas import InputSchema, TextParam
from steelwatch.registry.access import access_enterprise, access_enterprise_by_uscc

from . import selectors
from .access import access_draw, access_grid, access_inspector, access_item
from .schemas import DrawRecord, GridCoverage
from .services import draws, patrols

router = Router(tags=["网格巡查与双随机"])


class CheckInCreated(Schema):
    id: int
    flags: list[str]
    alert_id: int | None


@router.post("/patrols/check-ins", response={201: CheckInCreated}, summary="巡查签到（multipart，含照片）")
def check_in_create(
    request,
    enterprise_id: Form[int],
    latitude: Form[float],
    longitude: Form[float],
    accuracy_m: Form[float],
    checked_at: Form[datetime.datetime],
    finding: TextParam("检查结论", form=...),
    checklist: TextParam("检查项目", form="", max_length=4000) = "",
    note: TextParam("情况说明", form="", multiline=True, max_length=2000) = "",
    coord_system: TextParam("坐标系", form="wgs84") = "wgs84",
    client_ref: TextParam("终端编号（同一编号重发只记录一次）", form="", max_length=64) = "",
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
):
    enterprise = access_enterprise(request.auth, enterprise_id)
    check_in = patrols.check_in_record(
        actor=request.auth,
        enterprise=enterprise,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy_m,
        checked_at=checked_at,
        checklist=checklist,
        finding=finding,
        note=note,
        coord_system=coord_system,
        client_ref=client_ref,
        photos=photos or [],
    )
    return 201, {"id": check_in.pk, "flags": check_in.flags, "alert_id": check_in.alert_id}


@router.get(
    "/grids/{code}/coverage", response=GridCoverage, summary="网格巡查覆盖情况（应巡、按期、逾期、从未）"
)
def grid_coverage(request, code: TextParam("网格编号")):
    require(request.auth, "field.view")
    return selectors.grid_coverage(access_grid(request.auth, code))


class InterestIn(InputSchema):
    enterprise_uscc: str = Field(description="统一社会信用代码", max_length=18)
    reason: str = Field(description="利害关系", max_length=256)


class InterestOut(Schema):
    id: int
    enterprise_uscc: str
    enterprise_name: str
    reason: str
    declared_at: datetime.datetime


def _interest_out(interest) -> dict:
    return {
        "id": interest.pk,
        "enterprise_uscc": interest.enterprise.uscc,
        "enterprise_name": interest.enterprise.name,
        "reason": interest.reason,
        "declared_at": interest.declared_at,
    }


@router.post("/inspectors/{username}/interests", response={201: InterestOut}, summary="申报利害关系（回避）")
def interest_create(request, username: TextParam("用户名"), payload: InterestIn):
    inspector = access_inspector(request.auth, username)
    enterprise = access_enterprise_by_uscc(request.auth, payload.enterprise_uscc)
    interest = draws.interest_declare(
        actor=request.auth, inspector=inspector, enterprise=enterprise, reason=payload.reason
    )
    return 201, _interest_out(interest)


@router.get("/inspectors/{username}/interests", response=Page[InterestOut], summary="已申报的利害关系")
def interest_list(request, username: TextParam("用户名"), params: Query[ListParams]):
    inspector = access_inspector(request.auth, username)
    page = paginate(request, inspector.interests.select_related("enterprise"), params)
    return {**page, "items": [_interest_out(i) for i in page["items"]]}


class DrawIn(InputSchema):
    item: str = Field(description="检查事项编号", max_length=32)
    division_code: str = Field(description="行政区划代码", max_length=12)
    target_filter: dict = Field(
        default_factory=dict,
        description="抽查对象范围（flag 企业类别、status 经营状态、watchlist 重点监控、credit 信用类别：serious/abnormal/listed）",
    )
    targets: int = Field(description="抽取对象数", ge=1, le=10_000)
    inspectors_per_target: int = Field(2, description="每户检查人员数", ge=2, le=10)


class DrawFrozen(Schema):
    id: int
    candidates_sha256: str
    inspectors_sha256: str
    commitment: str


class RunIn(InputSchema):
    announced_value: str = Field(description="公开随机值（事先公布来源，如福彩开奖号码）", max_length=128)


@router.post("/draws", response={201: DrawFrozen}, summary="冻结双随机名单（返回哈希与承诺值）")
def draw_create(request, payload: DrawIn):
    item = access_item(payload.item)
    draw = draws.draw_freeze(
        actor=request.auth,
        item=item,
        division_code=payload.division_code,
        target_filter=payload.target_filter,
        targets=payload.targets,
        inspectors_per_target=payload.inspectors_per_target,
    )
    return 201, {
        "id": draw.pk,
        "candidates_sha256": draw.candidates_sha256,
        "inspectors_sha256": draw.inspectors_sha256,
        "commitment": draw.commitment,
    }


@router.post("/draws/{draw_id}/run", response=DrawRecord, summary="以公开随机值运行抽取（返回完整抽取记录）")
def draw_run(request, draw_id: int, payload: RunIn):
    with transaction.atomic():
        draw = draws.draw_run(
            actor=request.auth,
            draw=access_draw(request.auth, draw_id),
            announced_value=payload.announced_value,
        )
    return selectors.draw_record(draw)


@router.get("/draws/{draw_id}", response=DrawRecord, summary="抽取记录（运行前不含 secret）")
def draw_detail(request, draw_id: int):
    return selectors.draw_record(access_draw(request.auth, draw_id))
