"""Request and response schemas of the cases API (v1). Lists answer steelwatch.core.api.Page."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from steelwatch.core.api import ListParams
from steelwatch.core.schemas import InputSchema, Multiline

# --- requests ---


class CaseIn(InputSchema):
    title: str = Field(description="案件名称", max_length=200)
    source: str = Field(description="线索来源", max_length=16)
    division_code: str = Field(description="属地行政区划代码", max_length=12)
    enterprise_uscc: str = Field("", description="涉事企业统一社会信用代码", max_length=18)
    source_ref: str = Field("", description="来源编号", max_length=64)
    description: Multiline = Field("", description="案情")
    address: str = Field("", description="地址", max_length=256)
    longitude: Decimal | None = None
    latitude: Decimal | None = None


class CaseFilters(ListParams):
    state: str = Field("", description="案件状态；open 为全部办理中")
    source: str = Field("", description="线索来源")
    q: str = Field("", max_length=200, description="关键字（标题、地址、企业名称或来源编号）")
    overdue: bool = Field(False, description="只看核查超期的案件")
    division: str = Field("", max_length=12, description="区县或街镇代码（含下级）")


class TransitionIn(InputSchema):
    to: str = Field(description="目标状态", max_length=16)
    reason: Multiline = Field("", description="理由")
    transfer_to: str = Field("", description="移交至（行政区划代码）", max_length=12)
    closure_kind: str = Field("banned", description="处置方式", max_length=16)


class TaskIn(InputSchema):
    aspect: str = Field(description="核查方面", max_length=32)
    department: str = Field(description="责任部门", max_length=32)
    due_date: datetime.date
    owner_username: str = Field("", description="承办人用户名", max_length=150)
    mandatory: bool = True


class CutOrderIn(InputSchema):
    kind: str = Field(description="指令类型", max_length=8)
    account_id: str = Field("", description="电力户号", max_length=32)
    note: str = Field("", description="要求", max_length=300)


class ReferIn(InputSchema):
    organ: str = Field(description="受理机关", max_length=128)
    charge: str = Field(description="涉嫌罪名或移送理由", max_length=300)


class JudicialRecordIn(InputSchema):
    status: str = Field(
        description="登记：accepted 已立案、declined 不予立案、concluded 已办结", max_length=16
    )
    on: datetime.date = Field(description="日期")
    file_number: str = Field("", description="立案编号（立案时必填）", max_length=64)
    outcome: str = Field("", description="不予立案的理由或处理结果", max_length=300)


class Note(InputSchema):
    note: str = Field("", description="执行情况", max_length=300)


class EnforcementIn(InputSchema):
    kind: str = Field(description="措施", max_length=24)
    date: datetime.date
    fine_yuan: Decimal | None = None
    raw_material_t: Decimal | None = None
    product_t: Decimal | None = None
    licence_number: str = Field("", description="许可证编号", max_length=64)
    note: str = Field("", description="说明", max_length=300)


class SuperviseIn(InputSchema):
    supervisor_username: str = Field(description="监管责任人用户名", max_length=150)
    patrol_every_days: int = 30
    patrols: int = 6


class DecisionIn(InputSchema):
    approve: bool
    reason: Multiline = Field("", description="审批意见")
    override: bool = Field(
        False, description="覆盖巡查发现：近期巡查或回头看发现生产迹象时仍批准（须写明理由，留痕）"
    )


class RevisitFilters(ListParams):
    q: str = Field("", max_length=64, description="企业名称、统一社会信用代码、案件名称或案件编号")
    division: str = Field("", max_length=12, description="区县或街镇代码（含下级）；管辖范围外为 404")
    status: str = Field("", max_length=16, description="状态：pending 待检查、done 已检查、cancelled 已取消")
    due: str = Field("", max_length=8, description="overdue 已超期；soon 在 within 天内到期（均为待检查）")
    within: int = Field(7, ge=0, le=366, description="soon 的天数")
    sort: str = Field("due", max_length=8, description="due 检查日期最近在前；due_desc 最远在前")


class ZombieFilters(ListParams):
    overdue: bool = Field(False, description="只看有超期巡查的僵尸企业")


# --- responses ---


class Message(Schema):
    detail: str


class Created(Schema):
    id: int


class CaseRef(Schema):
    id: int
    state: str


class StatusOut(Schema):
    id: int
    status: str


class CaseListItem(Schema):
    id: int
    title: str
    state: str
    division_code: str
    verify_due: datetime.date | None
    overdue: bool


class TaskOut(Schema):
    id: int
    aspect: str
    department: str
    owner: str | None
    due_date: datetime.date
    mandatory: bool
    status: str
    findings: str


class CutOrderOut(Schema):
    id: int
    kind: str
    status: str


class ClosureItemOut(Schema):
    item: str
    label: str
    evidence: int
    missing: str


class RevisitBrief(Schema):
    id: int
    due_date: datetime.date
    status: str
    assignee: str | None


class RevisitListItem(Schema):
    id: int
    case_id: int | None
    case_title: str | None
    enterprise_id: int | None
    enterprise_name: str | None
    division_code: str
    due_date: datetime.date
    status: str
    overdue: bool
    assignee: str | None
    activity_found: bool


class EventOut(Schema):
    at: datetime.datetime
    actor: str | None
    text: str
    reason: str


class ReferralOut(Schema):
    organ: str
    charge: str
    referred_on: datetime.date
    status: str = Field(description="referred 待受理、accepted 已立案、declined 不予立案、concluded 已办结")
    status_label: str
    accepted_on: datetime.date | None
    file_number: str
    outcome: str
    outcome_on: datetime.date | None


class CaseDetail(Schema):
    id: int
    title: str
    state: str
    state_label: str
    source: str
    source_ref: str
    division_code: str
    enterprise_uscc: str | None
    address: str
    verify_due: datetime.date | None
    overdue: bool
    transfer_to: str | None
    transferred_from: str | None = Field(
        description="最近一次接收的移交的移出地（行政区划代码）；移出地只读可见"
    )
    transitions: list[str]
    referral: ReferralOut | None = Field(description="司法移送（与行政处置并行）")
    power_accounts: list[str]
    tasks: list[TaskOut]
    cut_orders: list[CutOrderOut]
    closure: list[ClosureItemOut]
    revisits: list[RevisitBrief]
    timeline: list[EventOut]


class MyTask(Schema):
    id: int
    case_id: int
    aspect: str
    due_date: datetime.date


class MyCutOrder(Schema):
    id: int
    case_id: int
    kind: str


class MyRevisit(Schema):
    id: int
    case_id: int | None
    kind: str
    due_date: datetime.date


class MyReferral(Schema):
    case_id: int
    status: str
    organ: str
    referred_on: datetime.date


class MyWork(Schema):
    tasks: list[MyTask]
    cut_orders: list[MyCutOrder]
    revisits: list[MyRevisit]
    referrals: list[MyReferral] = Field(description="公安：待受理或办理中的移送司法案件")


class ClosureEvidenceOut(Schema):
    item: str
    round: int
    evidence: int
    furnaces: list[str]


class RevisitDone(Schema):
    id: int
    activity_found: bool
    case_state: str | None


class ZombieListItem(Schema):
    id: int
    name: str
    uscc: str
    division_code: str
    supervisor: str | None
    last_patrol: datetime.datetime | None
    next_patrol: datetime.date | None
    overdue_patrols: int
    pending_restart_requests: int


class PatrolOut(Schema):
    id: int
    due_date: datetime.date
    status: str
    activity_found: bool
    assignee: str | None
    done_at: datetime.datetime | None
    note: str
    photos: list[int]


class FindingOut(Schema):
    id: int
    kind: str
    done_at: datetime.datetime
    activity_found: bool
    note: str


class RestartOut(Schema):
    id: int
    enterprise_id: int
    status: str
    safety_assessor: str
    note: str
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_reason: str
    findings_overridden: bool
    files: list[int]
    findings: list[FindingOut] = Field(description="近期巡查、回头看的检查结果（新的在前）")


class RestartDecided(RestartOut):
    enterprise_status: str


class ZombieDetail(Schema):
    id: int
    name: str
    status: str
    supervisor: str | None
    actions: list[str]
    patrols: list[PatrolOut]
    restart_requests: list[RestartOut]


class PatrolDue(Schema):
    id: int
    due_date: datetime.date


class SupervisionOut(Schema):
    supervisor: str
    patrols: list[PatrolDue]
