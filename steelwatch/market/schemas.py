"""API v1 schemas of market supervision. Field names follow issue #12 item 9; descriptions are Chinese."""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from steelwatch.core.api import ListParams
from steelwatch.core.schemas import InputSchema, Multiline

PlaceKindIn = Literal["producer", "seller", "site"]
ProductIn = Literal["hot_rolled_ribbed", "hot_rolled_plain"]
BendIn = Literal["pass", "fail"]
Item = Literal[
    "rel", "rm", "a", "agt", "rm_rel_ratio", "rel_ratio", "weight_deviation", "bend", "reverse_bend",
    "c", "si", "mn", "p", "s", "n", "ceq",
]  # fmt: skip


class Message(Schema):
    detail: str


class SampleIn(InputSchema):
    place_kind: PlaceKindIn = Field(description="抽查领域：producer 生产企业，seller 销售者，site 建筑工地")
    enterprise_uscc: str = Field(
        "", max_length=18, description="被抽样单位（台账企业）统一社会信用代码；site 时留空"
    )
    site_name: str = Field("", max_length=128, description="建筑工地名称（place_kind 为 site 时必填）")
    division_code: str = Field(
        "", pattern=r"^\d*$", max_length=12, description="属地行政区划代码（工地必填；企业默认其台账区划）"
    )
    product: ProductIn = Field(
        description="产品：hot_rolled_ribbed 热轧带肋钢筋，hot_rolled_plain 热轧光圆钢筋"
    )
    grade: str = Field(max_length=16, description="牌号，如 HRB400E")
    diameter_mm: Decimal = Field(gt=0, le=100, description="公称直径（mm）")
    heat_number: str = Field("", max_length=64, description="炉号/批号")
    manufacturer_name: str = Field("", max_length=128, description="标称生产企业")
    manufacturer_uscc: str = Field("", max_length=18, description="标称生产企业统一社会信用代码")
    licence_number: str = Field("", max_length=64, description="标牌上的生产许可证编号")
    trademark: str = Field("", max_length=64, description="商标")
    production_date: datetime.date | None = Field(None, description="生产日期（决定判定所用标准版本）")
    sampled_on: datetime.date = Field(description="抽样日期")
    quantity_t: Decimal | None = Field(None, ge=0, description="被抽样单位现存数量（吨）")
    seal_number: str = Field("", max_length=64, description="封样编号")
    officers: list[str] = Field(
        default_factory=list, max_length=10, description="同行抽样人员的用户名（连同调用者不少于2人）"
    )
    round_id: int | None = Field(None, description="所属抽查批次编号")


class SampleRef(Schema):
    id: int
    state: str


class ResultsIn(InputSchema):
    rel_mpa: Decimal | None = Field(None, ge=0, le=3000, description="下屈服强度 ReL（MPa）")
    rm_mpa: Decimal | None = Field(None, ge=0, le=3000, description="抗拉强度 Rm（MPa）")
    a_pct: Decimal | None = Field(None, ge=0, le=100, description="断后伸长率 A（%）")
    agt_pct: Decimal | None = Field(None, ge=0, le=100, description="最大力总延伸率 Agt（%）")
    weight_deviation_pct: Decimal | None = Field(
        None, ge=-100, le=100, description="重量偏差（%），负数为偏轻"
    )
    bend: BendIn | None = Field(None, description="弯曲：pass 合格，fail 不合格")
    reverse_bend: BendIn | None = Field(None, description="反向弯曲：pass 合格，fail 不合格")
    c: Decimal | None = Field(None, ge=0, le=10, description="C（%）")
    si: Decimal | None = Field(None, ge=0, le=10, description="Si（%）")
    mn: Decimal | None = Field(None, ge=0, le=10, description="Mn（%）")
    p: Decimal | None = Field(None, ge=0, le=10, description="P（%）")
    s: Decimal | None = Field(None, ge=0, le=10, description="S（%）")
    n: Decimal | None = Field(None, ge=0, le=10, description="N（%）")
    ceq: Decimal | None = Field(None, ge=0, le=10, description="碳当量 Ceq（%）；不填时按 C + Mn/6 + … 计算")
    testing_body: str = Field("", max_length=128, description="承检机构")
    tested_on: datetime.date | None = Field(None, description="检验日期（默认今天）")

    def measured(self) -> dict:
        data = self.dict(exclude={"testing_body", "tested_on"})
        return {
            key.removesuffix("_mpa").removesuffix("_pct"): value
            for key, value in data.items()
            if value is not None
        }


class VerdictOut(Schema):
    verdict: Literal["conforming", "nonconforming"]
    failed: list[Item] = Field(description="不合格项目")
    suspect: bool = Field(description="是否疑似“地条钢”（与法定检验结论分开）")
    reasons: list[str] = Field(description="疑似理由")
    case_id: int | None = Field(description="不合格时自动立案的案件编号；合格时为空")


class FailureOut(Schema):
    item: Item
    label: str
    value: str
    limit: str
    clause: str


class SampleOut(Schema):
    id: int
    code: str = Field(description="样品编号")
    state: str = Field(description="状态")
    place_kind: str
    enterprise_uscc: str = Field(description="被抽样单位统一社会信用代码")
    unit_name: str = Field(description="被抽样单位或工地名称")
    division_code: str
    product: str
    grade: str
    diameter_mm: Decimal
    heat_number: str
    manufacturer_name: str
    manufacturer_uscc: str
    licence_number: str
    production_date: datetime.date | None
    sampled_on: datetime.date
    seal_number: str
    officers: list[str] = Field(description="抽样人员（姓名）")
    round_id: int | None
    verdict: str = Field(description="conforming / nonconforming；未检验为空")
    failed: list[FailureOut]
    standard: str = Field(description="判定依据（标准版本）")
    notes: list[str] = Field(description="判定说明（如按 2018 文本判定 2024-09-25 之后的产品）")
    retestable: bool
    suspect: bool
    reasons: list[str]
    served_on: datetime.date | None
    objection_deadline: datetime.date | None = Field(description="异议/复检申请截止日（送达后15日）")
    case_id: int | None

    @staticmethod
    def resolve_enterprise_uscc(obj) -> str:
        return obj.unit_uscc

    @staticmethod
    def resolve_division_code(obj) -> str:
        return obj.division_id

    @staticmethod
    def resolve_officers(obj) -> list[str]:
        return [u.get_full_name() or u.username for u in obj.officers.all()]

    @staticmethod
    def resolve_notes(obj) -> list[str]:
        return obj.verdict_notes


class SampleFilters(ListParams):
    state: str = Field("", max_length=16, description="状态")
    verdict: Literal["", "conforming", "nonconforming"] = Field("", description="检验结论")
    round_id: int | None = Field(None, description="抽查批次编号")


class ServeIn(InputSchema):
    served_on: datetime.date = Field(description="送达日期；异议期自次日起算15日")
    served_to: str = Field("", max_length=300, description="送达对象（默认被抽样单位与标称生产企业）")


class RetestIn(InputSchema):
    requested_on: datetime.date
    retest_body: str = Field(max_length=128, description="复检机构（与初检机构不同）")


class DisposeIn(InputSchema):
    disposal: Multiline = Field(max_length=2000, description="处置情况：责令停止销售、限期整改、复查等")
    disposed_on: datetime.date


class TraceNodeOut(Schema):
    id: int
    kind: str = Field(
        description="source 源头，enterprise 企业，buyer 买方/经销商，site 工地，furnace 感应炉，power_account 电力户号，person 人员"
    )
    label: str
    uscc: str


class TraceEdgeOut(Schema):
    source: int
    target: int
    tonnes: Decimal | None


class TraceOut(Schema):
    nodes: list[TraceNodeOut]
    edges: list[TraceEdgeOut]


class IncomingGoodsIn(InputSchema):
    seller_uscc: str = Field(max_length=18, description="销售者（台账企业）统一社会信用代码")
    supplier_name: str = Field(max_length=128, description="供货单位")
    supplier_uscc: str = Field("", max_length=18, description="供货单位统一社会信用代码")
    manufacturer_name: str = Field("", max_length=128, description="生产企业")
    manufacturer_uscc: str = Field("", max_length=18, description="生产企业统一社会信用代码")
    licence_number: str = Field("", max_length=64, description="生产许可证编号")
    certificate_number: str = Field("", max_length=64, description="质量证明书编号")
    heat_number: str = Field(max_length=64, description="炉号/批号")
    product: Literal["", "hot_rolled_ribbed", "hot_rolled_plain", "billet"] = Field("", description="产品")
    grade: str = Field("", max_length=16)
    diameter_mm: Decimal | None = Field(None, gt=0, le=100)
    tonnes: Decimal = Field(gt=0, le=10_000_000, description="数量（吨）")
    received_on: datetime.date = Field(description="进货日期")
    kind: Literal["goods", "billets"] = Field(
        "goods", description="goods 进货记录，billets 钢坯来源（轧钢企业）"
    )


class IncomingGoodsRef(Schema):
    id: int
    findings: list[str] = Field(description="核查发现：许可证无效/过期/撤销/非本产品、信用名单等")


class SupplyOut(Schema):
    id: int
    kind: str
    seller_uscc: str
    supplier_name: str
    supplier_uscc: str
    manufacturer_name: str
    manufacturer_uscc: str
    licence_number: str
    heat_number: str
    grade: str
    tonnes: Decimal
    received_on: datetime.date
    findings: list[str]

    @staticmethod
    def resolve_seller_uscc(obj) -> str:
        return obj.holder.uscc


class SupplyFilters(ListParams):
    seller_uscc: str = Field("", max_length=18)
    kind: Literal["", "goods", "billets"] = ""
    flagged: bool = Field(False, description="只列出有核查发现的记录")


LicenceStatus = Literal["valid", "expiring", "expired", "rectifying", "suspended", "revoked"]


class LicenceFilters(ListParams):
    status: LicenceStatus | None = Field(
        None,
        description="监管状态：valid 有效，expiring 即将到期（6个月内），expired 已过期，rectifying 限期整改中，suspended 暂停，revoked 撤销",
    )
    division: str = Field(
        "", pattern=r"^\d*$", max_length=12, description="持证企业所在行政区划代码（含下级）"
    )


class LicenceOut(Schema):
    id: int
    number: str
    enterprise_uscc: str
    enterprise_name: str
    division_code: str
    scope: str
    valid_from: datetime.date
    valid_until: datetime.date
    renewal_due: datetime.date = Field(description="应申请延续的日期（到期前6个月）")
    status: LicenceStatus = Field(description="监管状态")

    @staticmethod
    def resolve_enterprise_uscc(obj) -> str:
        return obj.enterprise.uscc

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_division_code(obj) -> str:
        return obj.enterprise.division_id

    @staticmethod
    def resolve_renewal_due(obj):
        from steelwatch.registry.licences import renewal_due

        return renewal_due(obj)

    @staticmethod
    def resolve_status(obj) -> str:
        from steelwatch.registry.licences import supervision_status

        return supervision_status(obj)
