# mypy: disable-error-code="valid-type"
"""Response schemas of the field API: grid coverage and the draw record (the file verify-draw reads)."""

import datetime

from ninja import Field, Schema


class CoverageSite(Schema):
    enterprise_id: int
    name: str
    state: str = Field(description="on_time 按期 / late 逾期 / never 从未巡查")
    next_due: datetime.date
    last_visit: datetime.datetime | None


class GridCoverage(Schema):
    grid: str = Field(description="网格编号")
    name: str
    officers: list[str] = Field(description="网格员用户名")
    due: int = Field(description="应巡企业数")
    on_time: int
    late: int
    never: int
    rate: float | None = Field(description="按期率（0–1）；无应巡企业时为空")
    sites: list[CoverageSite]


class DrawItem(Schema):
    code: str
    name: str
    kind: str = Field(description="general 一般 / key 重点")


class DrawParameters(Schema):
    targets: int
    inspectors_per_target: int


class DrawExclusion(Schema):
    inspector: str
    target: str
    reason: str


class DrawPick(Schema):
    target: str = Field(description="抽中企业的统一社会信用代码")
    inspectors: list[str] = Field(description="抽中检查人员的用户名")


class DrawRecord(Schema):
    format: str
    id: int
    status: str = Field(description="frozen 名单已冻结 / run 已抽取")
    item: DrawItem
    division_code: str
    target_filter: dict[str, str | bool]
    parameters: DrawParameters
    candidates: list[str] = Field(description="抽查对象名录（统一社会信用代码，按公布顺序）")
    inspectors: list[str] = Field(description="检查人员名录（用户名，按公布顺序）")
    candidates_sha256: str
    inspectors_sha256: str
    exclusions: list[DrawExclusion]
    commitment: str = Field(description="SHA-256(secret 的十六进制文本)")
    announced_value: str | None
    secret: str | None = Field(description="运行后公开")
    seed: str | None
    picks: list[DrawPick]
    frozen_at: str | None
    run_at: str | None
    publish_by: str | None
