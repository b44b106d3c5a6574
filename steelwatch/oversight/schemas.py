"""API v1 schemas of oversight (field names as the API contract states them)."""

import datetime

from ninja import Field, Schema

from steelwatch.core.schemas import InputSchema, Multiline


class PhaseIn(InputSchema):
    name: str = Field(max_length=64, description="阶段名称，如“全面梳理排查”")
    starts_on: datetime.date
    ends_on: datetime.date


class TaskIn(InputSchema):
    title: str = Field(max_length=300)
    lead_department: str = Field(description="责任单位（部门代码，如 industry_it）")
    supporting_departments: list[str] = Field(default_factory=list, description="配合单位（部门代码）")
    division_codes: list[str] = Field(
        default_factory=list, description="承办单位的区划代码；为空则下达到每个下级单位"
    )
    due_on: datetime.date


class RoundIn(InputSchema):
    title: str = Field(max_length=200)
    due_on: datetime.date = Field(description="报送截止日期（可为过去的日期：补录已发生的报送轮次）")
    division_codes: list[str] = Field(default_factory=list, description="报送单位；为空则为每个下级单位")
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    figure_keys: list[str] | None = Field(None, description="报送指标；为空则为平台可预填的全部指标")


class CampaignIn(InputSchema):
    title: str = Field(max_length=200)
    document_number: str = Field("", max_length=64)
    goals: Multiline = Field("", max_length=5000)
    starts_on: datetime.date
    ends_on: datetime.date
    phases: list[PhaseIn] = Field(default_factory=list)
    tasks: list[TaskIn] = Field(default_factory=list)
    report_rounds: list[RoundIn] = Field(default_factory=list)


class Created(Schema):
    id: int


class PhaseOut(Schema):
    name: str
    starts_on: datetime.date
    ends_on: datetime.date


class TaskUnitOut(Schema):
    division_code: str
    department: str
    state: str = Field(description="open | overdue | done | done_late")


class TaskOut(Schema):
    id: int
    title: str
    lead_department: str
    supporting_departments: list[str]
    due_on: datetime.date
    units: list[TaskUnitOut]


class RoundRef(Schema):
    id: int
    title: str
    due_on: datetime.date


class CampaignOut(Schema):
    id: int
    division_code: str
    title: str
    document_number: str
    goals: str
    starts_on: datetime.date
    ends_on: datetime.date
    state: str
    phases: list[PhaseOut]
    tasks: list[TaskOut]
    report_rounds: list[RoundRef]


class SubmissionState(Schema):
    division_code: str
    division_name: str
    state: str = Field(description="pending 未到期 | submitted 按时报送 | late 逾期报送 | missing 逾期未报")
    submitted_at: datetime.datetime | None


class FigureTotal(Schema):
    key: str
    label: str
    total: int
    units: int


class RoundOut(Schema):
    id: int
    campaign_id: int
    title: str
    due_on: datetime.date
    period_start: datetime.date
    period_end: datetime.date
    figure_keys: list[str]
    units: list[SubmissionState]
    summary: list[FigureTotal] = Field(description="各单位已报数据之和（仅发文单位可见）")


class SubmitIn(InputSchema):
    figures: dict[str, int] = Field(default_factory=dict, description="指标 → 数值；未填的取平台预填值")
    text: Multiline = Field(max_length=20000)


class SubmissionOut(Schema):
    division_code: str
    state: str
    submitted_at: datetime.datetime | None
    figures: dict[str, int]
    prefilled: dict[str, int]
    text: str


class PledgeRoundIn(InputSchema):
    title: str = Field(max_length=200)
    text: Multiline = Field(max_length=20000)
    due_on: datetime.date
    levels: list[str] = Field(description="enterprise | township | district")
    kind: str = Field("pledge", description="pledge 承诺书 | agreement 目标责任书")


class SignatureOut(Schema):
    id: int
    level: str
    division_code: str | None
    enterprise_uscc: str | None
    signer: str
    signed_on: datetime.date
    scan_sha256: str


class Missing(Schema):
    key: str
    name: str
    area: str


class CoverageLevel(Schema):
    level: str
    label: str
    expected: int
    signed: int
    missing: list[Missing]


class CoverageOut(Schema):
    round_id: int
    levels: list[CoverageLevel]


class SummonsIn(InputSchema):
    division_code: str
    reason: Multiline = Field(max_length=5000)
    held_on: datetime.date
    place: str = Field("", max_length=120)
    attendees: Multiline = Field("", max_length=2000)
    minutes: Multiline = Field("", max_length=20000)


class SummonsOut(Schema):
    id: int
    division_code: str
    reason: str
    held_on: datetime.date
    place: str
    attendees: str
    minutes: str


class RectificationIn(InputSchema):
    division_code: str
    reason: Multiline = Field(max_length=5000)
    due_on: datetime.date
    issued_on: datetime.date | None = None
    owner: str = Field("", max_length=64)


class RectificationOut(Schema):
    id: int
    division_code: str
    reason: str
    issued_on: datetime.date
    due_on: datetime.date
    state: str
    owner: str


class MetricValue(Schema):
    done: int
    due: int
    ratio: float | None


class EvaluationRow(Schema):
    code: str
    name: str
    metrics: dict[str, MetricValue]
    score: float | None
    rank: int | None
    band: str


class MetricDefinition(Schema):
    key: str
    label: str
    definition: str
    weight: float


class EvaluationOut(Schema):
    division_code: str
    period_start: datetime.date
    period_end: datetime.date
    metrics: list[MetricDefinition]
    districts: list[EvaluationRow]
