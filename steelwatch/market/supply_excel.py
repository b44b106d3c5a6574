"""The incoming-goods workbook (sheet 进货记录): sellers' incoming-goods records and rolling mills' billet
sources, one row each; its template and its spec (read by services.supply with the ledger's error contract)."""

import datetime
from pathlib import Path

from steelwatch.core.sheets import (
    CellError,
    Column,
    SheetSpec,
    cell_text,
    choice,
    number,
    text,
    write_workbook,
)
from steelwatch.registry.ledger_excel import parse_uscc

from .models import SupplyRecord
from .standards import GRADES, PRODUCT_LABELS

SUPPLY_SHEET_NAME = "进货记录"
KINDS = {"进货记录": SupplyRecord.Kind.GOODS, "钢坯来源": SupplyRecord.Kind.BILLETS}
PRODUCTS = {label: key for key, label in PRODUCT_LABELS.items()} | {"钢坯": "billet"}


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = cell_text(value).replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise CellError(f"应为日期（如 2026-03-01），实际为“{raw}”") from None


def parse_grade(value) -> str:
    grade = text(16)(value).upper().replace(" ", "")
    if grade not in GRADES:
        raise CellError(f"“{grade}”不是 GB/T 1499.2、GB/T 1499.1 所列牌号")
    return grade


def _uscc(header: str, key: str, *, required: bool = False, note: str = "") -> Column:
    return Column(
        header,
        key,
        parse_uscc,
        required=required,
        width=22,
        as_text=True,
        note=note or "18位统一社会信用代码",
    )


SUPPLY_SHEET = SheetSpec(
    SUPPLY_SHEET_NAME,
    (
        Column("记录类型", "kind", choice(KINDS), optional=True, choices=tuple(KINDS), width=12,
               empty=SupplyRecord.Kind.GOODS, note="进货记录（销售者）或 钢坯来源（无炼钢能力的轧钢企业）；留空为进货记录"),
        _uscc("经营者统一社会信用代码", "holder_uscc", required=True, note="记录所属的销售者或轧钢企业，须为台账企业且在您的管辖范围内"),
        Column("供货单位", "supplier_name", text(128), required=True, width=28),
        _uscc("供货单位统一社会信用代码", "supplier_uscc"),
        Column("生产企业", "manufacturer_name", text(128), width=28),
        _uscc("生产企业统一社会信用代码", "manufacturer_uscc"),
        Column("生产许可证编号", "licence_number", text(64), width=20, as_text=True, note="钢筋的生产许可证编号（进货记录必填）"),
        Column("质量证明书编号", "certificate_number", text(64), width=20, as_text=True),
        Column("炉号/批号", "heat_number", text(64), required=True, width=16, as_text=True),
        Column("产品", "product", choice(PRODUCTS), optional=True, choices=tuple(PRODUCTS), width=14, empty=""),
        Column("牌号", "grade", parse_grade, optional=True, width=12, choices=tuple(GRADES)),
        Column("公称直径(mm)", "diameter_mm", number(places=1, max_digits=4, positive=True), optional=True, width=12, empty=None),
        Column("数量(吨)", "tonnes", number(places=3, max_digits=10, positive=True), required=True, width=12),
        Column("进货日期", "received_on", parse_date, required=True, width=14, note="如 2026-03-01"),
        Column("运输车辆", "vehicle", text(32), optional=True, width=14),
    ),
)  # fmt: skip
INSTRUCTIONS = [
    "进货查验记录 / 钢坯来源：每行一批货。",
    "销售者按《产品质量法》第三十三条执行进货检查验收制度；生产许可证编号将与许可证登记核对。",
    "无炼钢能力的轧钢企业在“记录类型”填“钢坯来源”，逐批登记钢坯供应商、炉号与质量证明书。",
]


def write_supply_template(path: str | Path) -> Path:
    return write_workbook(path, [(SUPPLY_SHEET, [])], instructions=INSTRUCTIONS)
