"""The lab-results workbook (sheet 检验结果): its template, and judging every row of a filled one.

The same `LAB_SHEET` spec writes the template and reads the upload (core/sheets.py: errors at sheet / row /
column, every row checked). `judge_workbook` turns each valid row into a verdict through `verdict.judge`; a
grade or diameter the standard does not know is an error on its cell, like text in a number column.
"""

import datetime
import decimal
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from steelwatch.core.sheets import (
    CellError,
    Column,
    ErrorLog,
    SheetError,
    SheetSpec,
    number,
    read_workbook,
    text,
    write_workbook,
)
from steelwatch.core.sheets import choice as choice_of

from .standards import GRADES
from .verdict import StandardError, Verdict, judge, suspicion_reasons

LAB_SHEET_NAME = "检验结果"
BEND_RESULTS = {"合格": "pass", "不合格": "fail"}


def parse_grade(value) -> str:
    grade = text(16)(value).upper().replace(" ", "")
    if grade not in GRADES:
        raise CellError(f"“{grade}”不是 GB/T 1499.2、GB/T 1499.1 所列牌号（{'、'.join(GRADES)}）")
    return grade


def _measure(header: str, key: str, *, places: int, note: str, minimum=None, maximum=None) -> Column:
    return Column(
        header,
        key,
        number(places=places, max_digits=places + 5, minimum=minimum, maximum=maximum),
        note=f"{note}；未检验的项目留空",
        width=14,
    )


def _chem(symbol: str, key: str) -> Column:
    return _measure(f"{symbol}(%)", key, places=4, note=f"{symbol} 质量分数（%）", minimum=0, maximum=10)


LAB_SHEET = SheetSpec(
    LAB_SHEET_NAME,
    (
        Column("样品编号", "sample", text(32), required=True, width=18, as_text=True, note="抽样单上的样品编号"),
        Column("牌号", "grade", parse_grade, required=True, width=12, choices=tuple(GRADES)),
        Column(
            "公称直径(mm)",
            "diameter_mm",
            number(places=1, max_digits=4, positive=True),
            required=True,
            width=12,
            note="标准所列公称直径，如 6、8、10…50",
        ),
        _measure("下屈服强度ReL(MPa)", "rel", places=1, note="MPa", minimum=0, maximum=3000),
        _measure("抗拉强度Rm(MPa)", "rm", places=1, note="MPa", minimum=0, maximum=3000),
        _measure("断后伸长率A(%)", "a", places=1, note="%", minimum=0, maximum=100),
        _measure("最大力总延伸率Agt(%)", "agt", places=1, note="%", minimum=0, maximum=100),
        _measure("重量偏差(%)", "weight_deviation", places=2, note="实际重量与理论重量之差（%），负数为偏轻", minimum=-100, maximum=100),
        Column("弯曲", "bend", choice_of(BEND_RESULTS), choices=tuple(BEND_RESULTS), width=10, empty=None,
               note="合格 / 不合格；未检验留空"),
        Column("反向弯曲", "reverse_bend", choice_of(BEND_RESULTS), choices=tuple(BEND_RESULTS), width=10,
               empty=None, note="合格 / 不合格；未检验留空（带E牌号必检）"),
        _chem("C", "c"),
        _chem("Si", "si"),
        _chem("Mn", "mn"),
        _chem("P", "p"),
        _chem("S", "s"),
        _chem("N", "n"),
        _chem("Ceq", "ceq"),
    ),
)  # fmt: skip
MEASURED_KEYS = tuple(c.key for c in LAB_SHEET.columns[3:])
INSTRUCTIONS = [
    "监督抽查检验结果表：每行一个样品。",
    "“样品编号”须与抽样单一致；“牌号”“公称直径(mm)”按 GB/T 1499.2-2018（带肋）或 GB/T 1499.1-2017（光圆）填写。",
    "未检验的项目留空；碳当量 Ceq 留空时按 Ceq = C + Mn/6 + (Cr+V+Mo)/5 + (Cu+Ni)/15 计算。",
    "弯曲、反向弯曲填“合格”或“不合格”。",
]


def write_lab_template(path: str | Path, rows: list[dict] = ()) -> Path:
    """The blank workbook, or one pre-filled with the samples of a round (sample, grade, diameter_mm)."""
    return write_workbook(path, [(LAB_SHEET, rows)], instructions=INSTRUCTIONS)


@dataclass
class JudgedRow:
    row: int
    sample: str
    measured: dict
    verdict: Verdict
    reasons: list[str]

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "sample": self.sample,
            "verdict": self.verdict.verdict,
            "failed": self.verdict.failed_items,
            "suspect": bool(self.reasons),
            "reasons": self.reasons,
        }


@dataclass
class JudgedWorkbook:
    results: list[JudgedRow] = field(default_factory=list)
    errors: list[SheetError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "results": [r.as_dict() for r in self.results],
            "errors": [e.as_dict() for e in self.errors],
        }


def _plain(value):
    """A parsed number without the zeros the cell parser's rounding added (0.0680 → 0.068)."""
    if isinstance(value, decimal.Decimal):
        value = value.normalize()
        return value.quantize(decimal.Decimal(1)) if value == value.to_integral() else value
    return value


# What the records add to a row: the sample's production date and the facts behind a suspicion.
Context = Callable[[str], tuple[datetime.date | None, list[str]]]


def _no_context(sample: str) -> tuple[datetime.date | None, list[str]]:
    return None, []


# The grade and diameter recorded for a sample number (None when the number is not on record).
Recorded = Callable[[str], tuple[str, decimal.Decimal] | None]


def _mismatch(log: ErrorLog, table, row, recorded: tuple[str, decimal.Decimal] | None) -> None:
    """A row whose grade or diameter differs from the sampling record is refused on that cell: the verdict
    must be judged against what was sampled."""
    if recorded is None:
        return
    grade, diameter = recorded
    sample = row.values.get("sample")
    if row.values.get("grade") not in (None, grade):
        log.cell(
            table,
            row,
            "grade",
            f"样品 {sample} 抽样单记录的牌号为 {grade}，与本行“{row.values['grade']}”不符",
        )
    value = row.values.get("diameter_mm")
    if value is not None and decimal.Decimal(value) != decimal.Decimal(diameter):
        log.cell(
            table,
            row,
            "diameter_mm",
            f"样品 {sample} 抽样单记录的公称直径为 {_plain(decimal.Decimal(diameter))} mm，与本行“{_plain(value)}”不符",
        )


def judge_workbook(
    path: str | Path,
    *,
    context: Context = _no_context,
    known: Callable[[str], str] | None = None,
    recorded: Recorded | None = None,
) -> JudgedWorkbook:
    """Judge every row; `known(sample)` may return an error message for a sample number (e.g. not in the
    round); `recorded(sample)` gives the grade and diameter on record, which the row must repeat."""
    log = ErrorLog()
    tables = read_workbook(path, [LAB_SHEET], log)
    out = JudgedWorkbook()
    table = tables.get(LAB_SHEET_NAME)
    seen: dict[str, int] = {}
    for row in table.rows if table else []:
        sample = row.values.get("sample")
        if sample in seen:
            log.cell(table, row, "sample", f"样品编号 {sample} 与第{seen[sample]}行重复")
        elif sample:
            seen[sample] = row.number
            if known and (message := known(sample)):
                log.cell(table, row, "sample", message)
            elif recorded and row.valid:
                _mismatch(log, table, row, recorded(sample))
        if not row.valid:
            continue
        measured = {key: _plain(row.values.get(key)) for key in MEASURED_KEYS if table.has(key)}
        made, facts = context(sample)
        try:
            verdict = judge(
                grade=row.values["grade"],
                diameter_mm=row.values["diameter_mm"],
                production_date=made,
                measured=measured,
            )
        except StandardError as error:
            log.cell(table, row, error.field, str(error))
            continue
        out.results.append(
            JudgedRow(row.number, sample, measured, verdict, suspicion_reasons(verdict, facts=facts))
        )
    out.errors = log.errors
    return out
