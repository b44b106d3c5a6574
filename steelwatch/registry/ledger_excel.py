"""The ledger workbook: sheets 企业 and 设备 with Chinese headers, its template and its export.

The same specs read (`steelwatch.registry.imports`) and write (here) the workbook, so an export
imports back unchanged. Format checks live in the cell parsers; checks against the database
(divisions, jurisdiction, existing rows) are the import's.
"""

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from steelwatch.core.sheets import (
    YES_NO,
    CellError,
    Column,
    SheetSpec,
    choice,
    digits,
    number,
    text,
    write_workbook,
    yes_no,
)
from steelwatch.geo.models import Division

from .models import Enterprise, Furnace
from .uscc import normalize_uscc, uscc_error

ENTERPRISE_SHEET_NAME = "企业"
FURNACE_SHEET_NAME = "设备"

ENTERPRISE_STATUS = {
    "在营": Enterprise.Status.OPERATING,
    "停产": Enterprise.Status.IDLE,
    "关停": Enterprise.Status.CLOSED,
    "取缔": Enterprise.Status.BANNED,
}
FURNACE_KIND = {"中频炉": Furnace.Kind.MEDIUM_FREQ, "工频炉": Furnace.Kind.POWER_FREQ}
FURNACE_STATUS = {
    "在用": Furnace.Status.IN_USE,
    "封存": Furnace.Status.SEALED,
    "拆除": Furnace.Status.DISMANTLED,
    "销毁": Furnace.Status.DESTROYED,
}
LABELS = {
    key: {value: label for label, value in mapping.items()}
    for key, mapping in (
        ("status", ENTERPRISE_STATUS),
        ("kind", FURNACE_KIND),
        ("furnace_status", FURNACE_STATUS),
    )
}

# China's extent, for a sanity check of coordinates (Mohe to Zengmu Reef, Pamirs to the Wusuli).
LONGITUDE_RANGE = (73, 136)
LATITUDE_RANGE = (3, 54)


def parse_uscc(value) -> str:
    code = normalize_uscc(unicodedata.normalize("NFKC", str(value)))
    if len(code) == 15 and code.isdigit():
        raise CellError(
            f"“{code}”为15位原工商注册号，不是统一社会信用代码：请填写18位统一社会信用代码，"
            "原注册号填入“原工商注册号”列"
        )
    error = uscc_error(code)
    if error:
        raise CellError(error)
    return code


def parse_registration_number(value) -> str:
    code = unicodedata.normalize("NFKC", str(value)).strip().upper()
    if len(code) == 18:
        raise CellError(f"应为15位数字，“{code}”为18位：统一社会信用代码请填入“统一社会信用代码”列")
    return digits(15)(code)


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _flag(header: str, key: str, note: str) -> Column:
    return Column(
        header,
        key,
        yes_no,
        optional=True,
        choices=tuple(YES_NO),
        note=f"是/否：{note}",
        width=10,
        empty=False,
    )


DIVISION_NOTE = "6位（区县）、9位（街镇）或12位（村社区）国家行政区划代码，须为平台已有区划且在您的管辖范围内"

ENTERPRISE_SHEET = SheetSpec(
    ENTERPRISE_SHEET_NAME,
    (
        Column(
            "统一社会信用代码",
            "uscc",
            parse_uscc,
            required=True,
            width=22,
            as_text=True,
            note="18位，按GB 32100-2015校验（可以字母开头，如N、Y、A）；作为企业的唯一标识",
        ),
        Column("企业名称", "name", text(_max(Enterprise, "name")), required=True, width=30),
        Column(
            "行政区划代码",
            "division_id",
            digits(6, 9, 12),
            required=True,
            width=14,
            as_text=True,
            note=DIVISION_NOTE,
        ),
        Column("详细地址", "address", text(_max(Enterprise, "address")), width=30),
        Column(
            "法定代表人", "legal_representative", text(_max(Enterprise, "legal_representative")), width=12
        ),
        Column("行业", "industry", text(_max(Enterprise, "industry")), note="自由填写，如：铸造、金属制品"),
        Column(
            "经营状态",
            "status",
            choice(ENTERPRISE_STATUS),
            required=True,
            choices=tuple(ENTERPRISE_STATUS),
            width=10,
            note="在营、停产（含长期停产的“僵尸企业”）、关停、取缔",
        ),
        Column(
            "经度",
            "longitude",
            number(places=6, max_digits=9, minimum=LONGITUDE_RANGE[0], maximum=LONGITUDE_RANGE[1]),
            width=12,
            empty=None,
            note="十进制度数，如119.95；须在中国境内",
        ),
        Column(
            "纬度",
            "latitude",
            number(places=6, max_digits=9, minimum=LATITUDE_RANGE[0], maximum=LATITUDE_RANGE[1]),
            width=12,
            empty=None,
            note="十进制度数，如31.70；经度、纬度须同时填写或同时留空",
        ),
        Column(
            "原工商注册号",
            "registration_number",
            parse_registration_number,
            optional=True,
            width=18,
            as_text=True,
            note="可选列：15位原工商注册号",
        ),
        Column(
            "网格编号",
            "grid_code",
            text(32),
            optional=True,
            width=14,
            note="可选列：企业所属网格的编号（须为平台已有网格，且与行政区划一致）",
        ),
        _flag("铸造企业", "is_foundry", "是否铸造企业"),
        _flag("特钢企业", "is_special_steel", "是否特钢企业"),
        _flag("曾取缔产能", "formerly_banned", "是否曾有被取缔的“地条钢”产能"),
        _flag("重点监控", "on_watchlist", "是否列入重点监控企业清单"),
        Column(
            "重点监控原因",
            "watchlist_reason",
            text(_max(Enterprise, "watchlist_reason")),
            optional=True,
            width=24,
            note="可选列",
        ),
        _flag("台账外企业", "off_ledger", "排查发现、尚未纳入台账的企业填“是”"),
    ),
)

FURNACE_SHEET = SheetSpec(
    FURNACE_SHEET_NAME,
    (
        Column(
            "统一社会信用代码",
            "uscc",
            parse_uscc,
            required=True,
            width=22,
            as_text=True,
            note="设备所属企业，须在“企业”工作表或平台台账中",
        ),
        Column(
            "设备编号",
            "number",
            text(_max(Furnace, "number")),
            required=True,
            width=14,
            as_text=True,
            note="同一企业内唯一",
        ),
        Column(
            "设备类型", "kind", choice(FURNACE_KIND), required=True, choices=tuple(FURNACE_KIND), width=10
        ),
        Column(
            "容量(吨)",
            "capacity_t",
            number(places=2, max_digits=8, positive=True),
            required=True,
            width=10,
            empty=None,
        ),
        Column(
            "额定功率(kW)",
            "rated_kw",
            number(places=1, max_digits=10, positive=True),
            required=True,
            width=12,
            empty=None,
        ),
        Column("用途", "purpose", text(_max(Furnace, "purpose")), width=20),
        Column(
            "设备状态",
            "status",
            choice(FURNACE_STATUS),
            required=True,
            choices=tuple(FURNACE_STATUS),
            width=10,
        ),
        Column(
            "合规依据",
            "legitimacy_basis",
            text(_max(Furnace, "legitimacy_basis")),
            optional=True,
            width=30,
            note="可选列：如“符合钢协〔2017〕23号界定的铸造用途”",
        ),
    ),
)

LEDGER_SHEETS = (ENTERPRISE_SHEET, FURNACE_SHEET)

INSTRUCTIONS = [
    "严防“地条钢”监管平台 · 企业与中(工)频炉台账导入模板",
    "1. 每家企业在“企业”工作表填一行，统一社会信用代码是唯一标识：再次导入同一企业即为更新，不会重复新增。",
    "2. 每台中频炉/工频炉在“设备”工作表填一行，以“统一社会信用代码 + 设备编号”识别。",
    "3. 第1行为表头，请勿修改；黄色表头为必填列，蓝色为选填列；带下拉框的列只能选择列出的值。",
    "4. 导入时逐行校验全部数据：任何一行有误则整份文件不导入，并列出每个错误所在的工作表、行号和列。",
    "5. 代码类列（统一社会信用代码、行政区划代码、设备编号）请按文本填写，避免Excel丢失位数。",
]


def enterprise_cells(enterprise: Enterprise) -> dict:
    """One enterprise as the 企业 sheet's key → value."""
    values = {column.key: getattr(enterprise, column.key, None) for column in ENTERPRISE_SHEET.columns}
    values["status"] = LABELS["status"][enterprise.status]
    values["grid_code"] = enterprise.grid.code if enterprise.grid_id else ""
    values["off_ledger"] = not enterprise.on_ledger
    return values


def furnace_cells(furnace: Furnace) -> dict:
    values = {column.key: getattr(furnace, column.key, None) for column in FURNACE_SHEET.columns}
    values.update(
        uscc=furnace.enterprise.uscc,
        kind=LABELS["kind"][furnace.kind],
        status=LABELS["furnace_status"][furnace.status],
    )
    return values


def division_reference(division: Division | None) -> list:
    """A reference sheet of the division codes under `division` (none without one: too many)."""
    if division is None:
        return []
    rows = (
        Division.objects.filter(code__startswith=division.prefix)
        .order_by("code")
        .values_list("code", "name", "level")
    )
    levels = dict(Division.Level.choices)
    return [
        (
            "行政区划代码表",
            ["行政区划代码", "名称", "层级"],
            [(code, name, str(levels[level])) for code, name, level in rows],
        )
    ]


def write_ledger_template(path: str | Path, *, division: Division | None = None) -> Path:
    return write_workbook(
        path,
        [(ENTERPRISE_SHEET, []), (FURNACE_SHEET, [])],
        instructions=INSTRUCTIONS,
        instructions_first=True,
        extra_sheets=division_reference(division),
    )


def write_ledger(path: str | Path, enterprises: Iterable[Enterprise], furnaces: Iterable[Furnace]) -> Path:
    """The ledger as a workbook that imports back unchanged."""
    return write_workbook(
        path,
        [
            (ENTERPRISE_SHEET, (enterprise_cells(e) for e in enterprises)),
            (FURNACE_SHEET, (furnace_cells(f) for f in furnaces)),
        ],
        instructions=INSTRUCTIONS,
    )


def export_ledger(path: str | Path, enterprises, progress: Callable[[int, int], None] | None = None) -> Path:
    """Write the workbook of `enterprises` (an already scoped queryset) and their furnaces; `progress(done,
    total)` hears every PROGRESS_ROWS rows written (the background export shows it)."""
    enterprises = enterprises.select_related("grid").order_by("division_id", "uscc")
    furnaces = (
        Furnace.objects.filter(enterprise__in=enterprises)
        .select_related("enterprise")
        .order_by("enterprise__uscc", "number")
    )
    if progress is None:
        return write_ledger(path, enterprises.iterator(), furnaces.iterator())
    total = enterprises.count() + furnaces.count()
    done = _Counter(total, progress)
    return write_ledger(path, done.rows(enterprises.iterator()), done.rows(furnaces.iterator()))


PROGRESS_ROWS = 500


class _Counter:
    """Counts rows as they are written, across both sheets, and reports every PROGRESS_ROWS of them."""

    def __init__(self, total: int, progress: Callable[[int, int], None]):
        self.total, self.progress, self.done = total, progress, 0

    def rows(self, rows: Iterable) -> Iterator:
        for row in rows:
            self.done += 1
            if self.done % PROGRESS_ROWS == 0:
                self.progress(self.done, self.total)
            yield row
