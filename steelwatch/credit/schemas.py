"""API v1 schemas of the credit list. Field descriptions are Chinese: integrators read them in OpenAPI."""

import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, cast

from ninja import Field, Schema

from steelwatch.core.api import ListParams
from steelwatch.core.schemas import InputSchema, Multiline

from .models import Entry, ListKind


def _enum(name: str, choices) -> type[StrEnum]:
    """A named copy of a model's TextChoices, so each has its own name in the OpenAPI document."""
    return cast(type[StrEnum], StrEnum(name, {member.name: member.value for member in choices}))


if TYPE_CHECKING:  # the copies have the members and values of the choices they copy
    SubjectKind = Entry.SubjectKind
    CreditList = ListKind
    EntryState = Entry.State
else:
    SubjectKind = _enum("CreditSubjectKind", Entry.SubjectKind)
    CreditList = _enum("CreditList", ListKind)
    EntryState = _enum("CreditEntryState", Entry.State)


class EntryIn(InputSchema):
    subject_kind: SubjectKind = Field(description="主体类型：enterprise 企业，person 自然人")
    list_kind: CreditList = Field(
        CreditList.SERIOUS, description="名单：serious 严重违法失信名单（默认），abnormal 经营异常名录"
    )
    enterprise_uscc: str = Field(
        "", max_length=18, description="企业统一社会信用代码（企业必填，校验码校验）"
    )
    registration_number: str = Field("", max_length=15, description="原15位工商注册号（无信用代码的老企业）")
    name: str = Field("", max_length=128, description="企业名称（台账中有该信用代码时可空）")
    legal_representative: str = Field("", max_length=64, description="法定代表人姓名")
    person_name: str = Field("", max_length=64, description="自然人姓名（自然人必填）")
    person_id_number: str = Field(
        "",
        max_length=18,
        description="居民身份证号码（自然人必填；企业可填法定代表人的）。按 GB 11643 校验，加密保存，"
        "不在任何响应中返回给无决定权限的角色",
    )
    reason: Multiline = Field("", max_length=2000, description="列入事由")
    basis: str = Field(max_length=300, description="列入依据")
    authority: str = Field(max_length=128, description="作出决定机关")
    document_number: str = Field("", max_length=64, description="决定书文号（作出决定前必填）")
    penalty_document: str = Field("", max_length=64, description="所依据的行政处罚决定书文号")
    decided_on: datetime.date | None = Field(None, description="决定日期（空：作出决定当天）")
    starts_on: datetime.date | None = Field(None, description="列入日期（空：决定日期）")
    ends_on: datetime.date | None = Field(
        None, description="届满日期（空：三年，或相关限制期限更长时按该期限）"
    )
    restriction_ends_on: datetime.date | None = Field(None, description="相关限制（如限制从业）期限届满日")
    measures: list[str] | None = Field(None, description="联合惩戒措施编号；不填：该名单适用的全部启用措施")
    case_id: int | None = Field(None, description="所依据的案件编号（须在调用者可见范围内）")
    division_code: str = Field(
        "", max_length=12, pattern=r"^\d*$", description="列入机关所在地区；默认案件或调用者的地区"
    )


class EntryRef(Schema):
    id: int
    state: str


class TransitionIn(InputSchema):
    to: str = Field(
        max_length=32,
        description="目标：notified 告知，awaiting_approval 报上级审批，approved 上级同意，refuse 上级退回，"
        "decided 作出决定，in_force 公示，removed 期满移出，repaired 信用修复移出，withdrawn 撤销，"
        "not_listed 不予列入",
    )
    reason: Multiline = Field("", max_length=2000, description="理由（退回、不予列入、修复、撤销时必填）")


class Message(Schema):
    detail: str


class EntryOut(Schema):
    id: int
    state: str
    state_label: str
    list_kind: str
    subject_kind: str
    source: str
    name: str
    enterprise_uscc: str
    registration_number: str
    legal_representative: str
    person_name: str
    person_id_number: str = Field(
        description="身份证号码：决定机关可见全号（每次查看留痕），其他角色为脱敏号码"
    )
    division_code: str
    reason: str
    basis: str
    authority: str
    document_number: str
    penalty_document: str
    notice_on: datetime.date | None
    defence_due: datetime.date | None
    decided_on: datetime.date | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    publish_due: datetime.date | None
    published_on: datetime.date | None
    removed_on: datetime.date | None
    removal_reason: str
    measures: list[str]
    case_id: int | None
    transitions: list[str]


class EntryFilters(ListParams):
    state: EntryState | None = Field(None, description="状态")
    list_kind: CreditList | None = Field(None, description="名单")
    q: str = Field("", max_length=64, description="名称、信用代码或文号")


class PublicEntryFilters(ListParams):
    """The public list takes only the page window."""


class ScreenIn(InputSchema):
    name: str = Field("", max_length=200, description="企业名称")
    uscc: str = Field("", max_length=18, description="统一社会信用代码或15位原工商注册号")
    person_name: str = Field("", max_length=64, description="姓名（法定代表人或自然人）")
    person_id_number: str = Field(
        "", max_length=18, description="居民身份证号码（只经 POST 正文传输，不写入日志）"
    )
    division_code: str = Field(
        "", max_length=12, pattern=r"^\d*$", description="登记地行政区划代码（可选，用于地区比对）"
    )


class MatchOut(Schema):
    entry_id: int
    band: str = Field(description="hit 命中（同一信用代码或身份证号码），strong 高度疑似，review 需人工核查")
    score: float
    why: list[str] = Field(description="证据")
    decision: str = Field(description="上次人工判定：match / no_match；无则为空")


class ScreenOut(Schema):
    matches: list[MatchOut]


class PublicEntryOut(Schema):
    name: str
    subject_kind: str
    uscc: str
    list_kind: str
    list_label: str
    basis: str
    authority: str
    document_number: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
