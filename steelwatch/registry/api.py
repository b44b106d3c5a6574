"""API v1 of the ledger: enterprises, furnaces and power accounts. `request.auth` is the token's user;
everything goes through registry.access/selectors (outside the caller's jurisdiction: 404) and every write
through registry.services (audited; bad input: 422 naming the field)."""

from enum import Enum

from django.core.exceptions import ValidationError
from ninja import Query, Router, Status

from steelwatch.core.api import Page, paginate
from steelwatch.core.schemas import TextParam

from . import services
from .access import access_enterprise, access_enterprise_by_uscc, access_furnace, access_power_account
from .models import Enterprise
from .schemas import (
    EnterpriseDetail,
    EnterpriseFilters,
    EnterpriseIn,
    EnterpriseOut,
    EnterprisePatch,
    FurnaceFilters,
    FurnaceIn,
    FurnaceOut,
    FurnacePatch,
    PowerAccountFilters,
    PowerAccountIn,
    PowerAccountOut,
    PowerAccountPatch,
)
from .selectors import enterprise_list, furnace_list, power_account_list

router = Router(tags=["台账 registry"])


def _fields(payload, *, drop: tuple = ()) -> dict:
    """The fields the caller sent, as service keyword arguments (`division` → `division_id`)."""
    data = {
        key: value.value if isinstance(value, Enum) else value
        for key, value in payload.dict(exclude_unset=True).items()
    }
    for key in drop:
        data.pop(key, None)
    if "division" in data:
        data["division_id"] = data.pop("division")
    return data


def _enterprise_of(user, enterprise_id: int | None, uscc: str | None) -> Enterprise:
    if enterprise_id:
        return access_enterprise(user, enterprise_id)
    if uscc:
        return access_enterprise_by_uscc(user, uscc.strip().upper())
    raise ValidationError({"enterprise_id": "请提供所属企业编号 enterprise_id 或统一社会信用代码 uscc"})


# --- enterprises ---


@router.get("/enterprises", response=Page[EnterpriseOut], summary="企业台账列表（仅调用者管辖范围内）")
def list_enterprises(request, filters: Query[EnterpriseFilters]):
    queryset = enterprise_list(
        request.auth,
        division=filters.division,
        status=filters.status or "",
        flag=filters.flag or "",
        q=filters.q,
    )
    return paginate(request, queryset, filters)


@router.get(
    "/enterprises/{enterprise_id}", response=EnterpriseDetail, summary="企业详情（含感应炉、电力账户）"
)
def get_enterprise(request, enterprise_id: int):
    return access_enterprise(request.auth, enterprise_id)


@router.post("/enterprises", response={201: EnterpriseDetail}, summary="新增企业（审计留痕）")
def create_enterprise(request, payload: EnterpriseIn):
    return Status(201, services.enterprise_create(actor=request.auth, **_fields(payload)))


@router.patch(
    "/enterprises/{enterprise_id}", response=EnterpriseDetail, summary="修改企业（只改提交的字段，审计留痕）"
)
def update_enterprise(request, enterprise_id: int, payload: EnterprisePatch):
    enterprise = access_enterprise(request.auth, enterprise_id)
    return services.enterprise_update(
        actor=request.auth, enterprise=enterprise, reason=payload.reason, **_fields(payload, drop=("reason",))
    )


# --- furnaces ---


@router.get("/furnaces", response=Page[FurnaceOut], summary="感应炉列表")
def list_furnaces(request, filters: Query[FurnaceFilters]):
    queryset = furnace_list(
        request.auth, enterprise_id=filters.enterprise_id, uscc=filters.uscc, status=filters.status or ""
    )
    return paginate(request, queryset, filters)


@router.get("/furnaces/{furnace_id}", response=FurnaceOut, summary="感应炉详情")
def get_furnace(request, furnace_id: int):
    return access_furnace(request.auth, furnace_id)


@router.post("/furnaces", response={201: FurnaceOut}, summary="登记感应炉（同时记入状态历史）")
def create_furnace(request, payload: FurnaceIn):
    enterprise = _enterprise_of(request.auth, payload.enterprise_id, payload.uscc)
    fields = _fields(payload, drop=("enterprise_id", "uscc"))
    return Status(201, services.furnace_create(actor=request.auth, enterprise=enterprise, **fields))


@router.patch(
    "/furnaces/{furnace_id}", response=FurnaceOut, summary="修改感应炉；状态变更记入带日期的状态历史"
)
def update_furnace(request, furnace_id: int, payload: FurnacePatch):
    furnace = access_furnace(request.auth, furnace_id)
    return services.furnace_update(
        actor=request.auth, furnace=furnace, note=payload.note, **_fields(payload, drop=("note",))
    )


# --- power accounts ---


@router.get("/power-accounts", response=Page[PowerAccountOut], summary="电力账户列表（含增容申请）")
def list_power_accounts(request, filters: Query[PowerAccountFilters]):
    queryset = power_account_list(
        request.auth,
        enterprise_id=filters.enterprise_id,
        account_id=filters.account_id,
        division=filters.division,
    )
    return paginate(request, queryset, filters)


@router.get("/power-accounts/{account_id}", response=PowerAccountOut, summary="电力账户详情（含增容申请）")
def get_power_account(request, account_id: TextParam("电力户号", max_length=32)):
    return access_power_account(request.auth, account_id)


@router.post("/power-accounts", response={201: PowerAccountOut}, summary="登记电力账户")
def create_power_account(request, payload: PowerAccountIn):
    fields = _fields(payload)
    if fields.get("enterprise_id"):
        fields["enterprise"] = access_enterprise(request.auth, fields.pop("enterprise_id"))
    return Status(201, services.power_account_create(actor=request.auth, **fields))


@router.patch("/power-accounts/{account_id}", response=PowerAccountOut, summary="修改电力账户（审计留痕）")
def update_power_account(
    request, account_id: TextParam("电力户号", max_length=32), payload: PowerAccountPatch
):
    account = access_power_account(request.auth, account_id)
    fields = _fields(payload, drop=("reason",))
    if fields.get("enterprise_id"):
        fields["enterprise"] = access_enterprise(request.auth, fields.pop("enterprise_id"))
    return services.power_account_update(actor=request.auth, account=account, reason=payload.reason, **fields)
