"""API v1 schemas of the ledger. Field descriptions are Chinese: they are what integrators read in the
OpenAPI document. Divisions travel as their GB/T 2260 code under the key `division`."""

import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from ninja import Field, Schema

from steelwatch.core.api import ListParams
from steelwatch.core.schemas import InputSchema, PatchSchema

from .models import CapacityIncreaseRequest, Enterprise, Furnace


def _enum(name: str, choices) -> type[StrEnum]:
    """A named copy of a model's TextChoices, so each has its own name in the OpenAPI document."""
    return StrEnum(name, {member.name: member.value for member in choices})


EnterpriseStatus = _enum("EnterpriseStatus", Enterprise.Status)
FurnaceKind = _enum("FurnaceKind", Furnace.Kind)
FurnaceStatus = _enum("FurnaceStatus", Furnace.Status)
CapacityRequestStatus = _enum("CapacityRequestStatus", CapacityIncreaseRequest.Status)
Flag = Literal[
    tuple(Enterprise.FLAGS)
]  # foundry, special_steel, formerly_banned, watchlist, furnace_user, off_ledger

DIVISION = "行政区划代码（GB/T 2260，6位区县、9位街镇或12位村社区），须在调用者管辖范围内"


# --- list filters (query parameters) ---


class EnterpriseFilters(ListParams):
    division: str = Field("", pattern=r"^\d*$", description="行政区划代码：只列出该区划及其下级")
    status: EnterpriseStatus | None = Field(None, description="经营状态")
    flag: Flag | None = Field(
        None,
        description="重点类别：foundry 铸造，special_steel 特钢，formerly_banned 曾取缔产能，"
        "watchlist 重点监控，furnace_user 中(工)频炉使用企业，off_ledger 台账外",
    )
    q: str = Field("", description="企业名称、地址关键字，或统一社会信用代码/原注册号")


class FurnaceFilters(ListParams):
    enterprise_id: int | None = Field(None, description="所属企业编号")
    uscc: str = Field("", description="所属企业统一社会信用代码")
    status: FurnaceStatus | None = Field(None, description="设备状态")


class PowerAccountFilters(ListParams):
    enterprise_id: int | None = Field(None, description="关联企业编号")
    account_id: str = Field("", description="电力户号（包含匹配）")
    division: str = Field("", pattern=r"^\d*$", description="行政区划代码")


# --- furnaces ---


class FurnaceOut(Schema):
    id: int
    enterprise_id: int = Field(description="所属企业编号")
    uscc: str = Field(description="所属企业统一社会信用代码")
    number: str = Field(description="设备编号")
    kind: FurnaceKind = Field(description="设备类型：medium_freq 中频炉，power_freq 工频炉")
    capacity_t: float = Field(description="容量（吨）")
    rated_kw: float = Field(description="额定功率（kW）")
    purpose: str = Field(description="用途")
    legitimacy_basis: str = Field(description="合规依据（钢协〔2017〕23号）")
    status: FurnaceStatus = Field(
        description="设备状态：in_use 在用，sealed 封存，dismantled 拆除，destroyed 销毁"
    )
    status_date: datetime.date | None = Field(description="状态日期")

    @staticmethod
    def resolve_uscc(obj) -> str:
        return obj.enterprise.uscc


class FurnaceIn(InputSchema):
    enterprise_id: int | None = Field(None, description="所属企业编号（与 uscc 二选一）")
    uscc: str | None = Field(None, description="所属企业统一社会信用代码（与 enterprise_id 二选一）")
    number: str = Field(description="设备编号（同一企业内唯一）", min_length=1, max_length=64)
    kind: FurnaceKind = Field(description="设备类型：medium_freq 中频炉，power_freq 工频炉")
    capacity_t: Decimal = Field(description="容量（吨）", gt=0, max_digits=8, decimal_places=2)
    rated_kw: Decimal = Field(description="额定功率（kW）", gt=0, max_digits=10, decimal_places=1)
    purpose: str = Field("", description="用途", max_length=128)
    legitimacy_basis: str = Field("", description="合规依据", max_length=256)
    status: FurnaceStatus = Field(FurnaceStatus.IN_USE, description="设备状态")
    status_date: datetime.date | None = Field(None, description="状态日期（默认今天）")


class FurnacePatch(PatchSchema):
    nullable = ("status_date",)

    number: str | None = Field(None, description="设备编号", min_length=1, max_length=64)
    kind: FurnaceKind | None = Field(None, description="设备类型")
    capacity_t: Decimal | None = Field(None, description="容量（吨）", gt=0, max_digits=8, decimal_places=2)
    rated_kw: Decimal | None = Field(
        None, description="额定功率（kW）", gt=0, max_digits=10, decimal_places=1
    )
    purpose: str | None = Field(None, description="用途", max_length=128)
    legitimacy_basis: str | None = Field(None, description="合规依据", max_length=256)
    status: FurnaceStatus | None = Field(None, description="设备状态；变更时记入带日期的状态历史")
    status_date: datetime.date | None = Field(None, description="状态日期（状态变更时默认今天）")
    note: str = Field("", description="变更说明（记入状态历史和审计记录）", max_length=256)


# --- power accounts ---


class CapacityRequestOut(Schema):
    id: int
    requested_on: datetime.date = Field(description="申请日期")
    from_kva: float = Field(description="原合同容量（kVA）")
    to_kva: float = Field(description="申请容量（kVA）")
    reason: str = Field(description="申请理由")
    status: CapacityRequestStatus = Field(
        description="状态：pending 待审核，approved 已批准，rejected 已驳回"
    )


class PowerAccountOut(Schema):
    account_id: str = Field(description="电力户号")
    enterprise_id: int | None = Field(description="关联企业编号")
    division: str = Field(description="行政区划代码")
    address: str = Field(description="用电地址")
    contracted_kva: float = Field(description="合同容量（kVA）")
    transformer: str = Field(description="变压器")
    industry: str = Field(description="用电行业分类")
    closed_site_watch: bool = Field(description="关停场所用电监视：任何高于待机水平的用电都告警")
    capacity_requests: list[CapacityRequestOut] = Field(description="增容申请，最新在前")

    @staticmethod
    def resolve_division(obj) -> str:
        return obj.division_id

    @staticmethod
    def resolve_capacity_requests(obj) -> list:
        return list(obj.capacity_requests.all())


class PowerAccountIn(InputSchema):
    account_id: str = Field(description="电力户号（全局唯一）", min_length=1, max_length=32)
    enterprise_id: int | None = Field(None, description="关联企业编号（可空：尚未对应到企业的户号）")
    division: str = Field(description=DIVISION, pattern=r"^\d{6}(\d{3}(\d{3})?)?$")
    address: str = Field("", description="用电地址", max_length=256)
    contracted_kva: Decimal = Field(description="合同容量（kVA）", gt=0, max_digits=10, decimal_places=1)
    transformer: str = Field("", description="变压器", max_length=128)
    industry: str = Field("", description="用电行业分类", max_length=64)
    closed_site_watch: bool = Field(False, description="关停场所用电监视")


class PowerAccountPatch(PatchSchema):
    nullable = ("enterprise_id",)  # null: the account no longer belongs to an enterprise

    enterprise_id: int | None = Field(None, description="关联企业编号")
    division: str | None = Field(None, description=DIVISION, pattern=r"^\d{6}(\d{3}(\d{3})?)?$")
    address: str | None = Field(None, description="用电地址", max_length=256)
    contracted_kva: Decimal | None = Field(
        None, description="合同容量（kVA）", gt=0, max_digits=10, decimal_places=1
    )
    transformer: str | None = Field(None, description="变压器", max_length=128)
    industry: str | None = Field(None, description="用电行业分类", max_length=64)
    closed_site_watch: bool | None = Field(None, description="关停场所用电监视")
    reason: str = Field("", description="变更原因（记入审计记录）", max_length=256)


# --- enterprises ---


class EnterpriseOut(Schema):
    id: int
    uscc: str = Field(description="统一社会信用代码（18位，GB 32100-2015）")
    registration_number: str = Field(description="原工商注册号（15位，辅助标识）")
    name: str = Field(description="企业名称")
    legal_representative: str = Field(description="法定代表人")
    address: str = Field(description="详细地址")
    longitude: float | None = Field(description="经度")
    latitude: float | None = Field(description="纬度")
    division: str = Field(description="行政区划代码")
    industry: str = Field(description="行业")
    status: EnterpriseStatus = Field(
        description="经营状态：operating 在营，idle 停产（僵尸），closed 关停，banned 取缔"
    )
    is_foundry: bool = Field(description="铸造企业")
    is_special_steel: bool = Field(description="特钢企业")
    formerly_banned: bool = Field(description="曾取缔“地条钢”产能")
    on_watchlist: bool = Field(description="列入重点监控企业清单")
    watchlist_reason: str = Field(description="列入重点监控原因")
    on_ledger: bool = Field(description="已纳入台账（否：台账外，待清零）")

    @staticmethod
    def resolve_division(obj) -> str:
        return obj.division_id


class EnterpriseDetail(EnterpriseOut):
    furnaces: list[FurnaceOut] = Field(description="感应炉（中频炉、工频炉）")
    power_accounts: list[PowerAccountOut] = Field(description="电力账户及其增容申请")

    @staticmethod
    def resolve_furnaces(obj) -> list:
        return list(obj.furnaces.select_related("enterprise"))

    @staticmethod
    def resolve_power_accounts(obj) -> list:
        return list(obj.power_accounts.prefetch_related("capacity_requests"))


class EnterpriseIn(InputSchema):
    uscc: str = Field(
        description="统一社会信用代码（18位，含校验码；可以字母开头，如 N、Y、A）", max_length=18
    )
    registration_number: str = Field("", description="原工商注册号（15位）", max_length=15)
    name: str = Field(description="企业名称", min_length=1, max_length=128)
    legal_representative: str = Field("", description="法定代表人", max_length=64)
    address: str = Field("", description="详细地址", max_length=256)
    longitude: Decimal | None = Field(
        None, description="经度", ge=-180, le=180, max_digits=9, decimal_places=6
    )
    latitude: Decimal | None = Field(None, description="纬度", ge=-90, le=90, max_digits=9, decimal_places=6)
    division: str = Field(description=DIVISION)
    industry: str = Field("", description="行业", max_length=64)
    status: EnterpriseStatus = Field(EnterpriseStatus.OPERATING, description="经营状态")
    is_foundry: bool = Field(False, description="铸造企业")
    is_special_steel: bool = Field(False, description="特钢企业")
    formerly_banned: bool = Field(False, description="曾取缔“地条钢”产能")
    on_ledger: bool = Field(True, description="已纳入台账")


class EnterprisePatch(PatchSchema):
    nullable = ("longitude", "latitude")

    uscc: str | None = Field(None, description="统一社会信用代码", max_length=18)
    registration_number: str | None = Field(None, description="原工商注册号", max_length=15)
    name: str | None = Field(None, description="企业名称", min_length=1, max_length=128)
    legal_representative: str | None = Field(None, description="法定代表人", max_length=64)
    address: str | None = Field(None, description="详细地址", max_length=256)
    longitude: Decimal | None = Field(
        None, description="经度", ge=-180, le=180, max_digits=9, decimal_places=6
    )
    latitude: Decimal | None = Field(None, description="纬度", ge=-90, le=90, max_digits=9, decimal_places=6)
    division: str | None = Field(None, description=DIVISION)
    industry: str | None = Field(None, description="行业", max_length=64)
    status: EnterpriseStatus | None = Field(None, description="经营状态")
    is_foundry: bool | None = Field(None, description="铸造企业")
    is_special_steel: bool | None = Field(None, description="特钢企业")
    formerly_banned: bool | None = Field(None, description="曾取缔“地条钢”产能")
    on_ledger: bool | None = Field(None, description="已纳入台账")
    reason: str = Field("", description="变更原因（记入审计记录）", max_length=256)
