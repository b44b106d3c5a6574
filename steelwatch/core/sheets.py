"""The project's Excel workbooks: sheet specs, cell parsers, and errors at sheet / row / column.

One machine for every import (the ledger, villages and grids): a `SheetSpec` lists the Chinese headers,
how each cell is parsed and which are required; `read_workbook` checks every row of every sheet and
collects every error (never stopping at the first); `write_workbook` writes the same sheets back, with
drop-down lists for enumerated columns and an instructions sheet. Row numbers are the spreadsheet's own
(header = row 1); each error names the column by its header and by its letter ("A列").
"""

import decimal
import json
import logging
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .notify import stored_language
from .text import export_safe, is_formula_like, normalize_text, text_problem

logger = logging.getLogger(__name__)
INSTRUCTIONS_SHEET = "说明"
VALIDATION_ROWS = 5000  # rows below the header that carry the drop-down lists
FORMULA_STARTS = ("=", "+", "-", "@")  # a cell written from data starting so is kept as text


class CellError(ValueError):
    """A parser's complaint about one cell; the message follows the column header ("应为正数…")."""


@dataclass(frozen=True)
class SheetError:
    sheet: str
    row: int | None  # None: the file or the sheet as a whole
    column: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        where = " ".join(
            p
            for p in (
                f"[{self.sheet}]" if self.sheet else "",
                f"第{self.row}行" if self.row else "",
                self.column,
            )
            if p
        )
        return f"{where}：{self.message}" if where else self.message


@dataclass
class ImportResult:
    """What every import reports: `created`/`updated` count rows of every kind together."""

    ok: bool = True
    created: int = 0
    updated: int = 0
    errors: list[SheetError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "created": self.created,
            "updated": self.updated,
            "errors": [error.as_dict() for error in self.errors],
        }


# --- cell parsers: raw cell value (never empty) → Python value, or CellError -----------------------


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious ".0", surrounding space removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).strip()


def text(max_length: int | None = None, *, multiline: bool = False) -> Callable[[Any], str]:
    """A text cell under the project's one text rule (steelwatch.core.text): normalised, control characters
    refused, length bounded; the message follows the column header."""

    def parse(value):
        value = normalize_text(cell_text(value))
        if problem := text_problem(value, multiline=multiline, max_length=max_length):
            raise CellError(problem)
        return value

    return parse


def digits(*lengths: int) -> Callable[[Any], str]:
    """A code made of digits only (division codes, legacy registration numbers)."""
    allowed = "、".join(str(n) for n in lengths)

    def parse(value):
        value = unicodedata.normalize("NFKC", cell_text(value)).replace(" ", "")
        if not value.isdigit() or len(value) not in lengths:
            raise CellError(f"应为{allowed}位数字，实际为“{value}”")
        return value

    return parse


def number(
    *,
    places: int,
    max_digits: int,
    minimum: float | None = None,
    maximum: float | None = None,
    positive: bool = False,
) -> Callable[[Any], decimal.Decimal]:
    """A decimal with at most `places` decimals (rounded) that fits the model field."""
    quantum = decimal.Decimal(1).scaleb(-places)
    limit = decimal.Decimal(10) ** (max_digits - places)

    def parse(value):
        raw = unicodedata.normalize("NFKC", cell_text(value)).replace(",", "")
        try:
            amount = decimal.Decimal(raw)
        except decimal.InvalidOperation:
            raise CellError(f"应为数字，实际为“{raw}”") from None
        if not amount.is_finite():
            raise CellError(f"应为数字，实际为“{raw}”")
        if positive and amount <= 0:
            raise CellError(f"应为正数，实际为“{raw}”")
        if minimum is not None and maximum is not None and not minimum <= amount <= maximum:
            raise CellError(f"应在{minimum}至{maximum}之间，实际为“{raw}”")
        amount = amount.quantize(quantum, rounding=decimal.ROUND_HALF_UP)
        if abs(amount) >= limit:
            raise CellError(f"过大：应小于{limit}，实际为“{raw}”")
        return amount

    return parse


def choice(mapping: dict[str, Any]) -> Callable[[Any], Any]:
    """One of the labels in `mapping` (label → stored value)."""

    def parse(value):
        label = cell_text(value)
        if label not in mapping:
            raise CellError(f"应为{'、'.join(mapping)}之一，实际为“{label}”")
        return mapping[label]

    return parse


YES_NO = {"是": True, "否": False}


def yes_no(value: Any) -> bool:
    label = cell_text(value)
    if label in {"是", "Y", "y", "1", "TRUE", "True", "true", "√"}:
        return True
    if label in {"否", "N", "n", "0", "FALSE", "False", "false", ""}:
        return False
    raise CellError(f"应为“是”或“否”，实际为“{label}”")


# --- specs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    parse: Callable[[Any], Any] = text()
    required: bool = False  # the cell must not be empty
    optional: bool = False  # the whole column may be absent (its field is then left alone)
    choices: tuple[str, ...] = ()  # drop-down list in written workbooks
    note: str = ""  # explained on the instructions sheet
    width: int = 16
    as_text: bool = False  # written as text so that Excel keeps every digit
    empty: Any = ""  # the value of an empty cell in an optional column


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]

    def header(self, key: str) -> str:
        return next(column.header for column in self.columns if column.key == key)


@dataclass
class SheetRow:
    sheet: str
    number: int  # the spreadsheet's own row number
    values: dict[str, Any]  # key → parsed value, for the columns present and valid
    cells: dict[str, str]  # key → the cell as text (for previews)
    bad: set[str] = field(default_factory=set)  # keys of the cells found wrong

    @property
    def valid(self) -> bool:
        return not self.bad


@dataclass
class SheetTable:
    spec: SheetSpec
    letters: dict[str, str]  # key → column letter in the uploaded sheet
    rows: list[SheetRow]

    def has(self, key: str) -> bool:
        return key in self.letters


def _header_key(value: Any) -> str:
    return unicodedata.normalize("NFKC", cell_text(value)).replace(" ", "").lower()


class ErrorLog:
    """Collects every error of one import, in the order found."""

    def __init__(self):
        self.errors: list[SheetError] = []

    def __bool__(self) -> bool:
        return bool(self.errors)

    def add(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.errors.append(SheetError(sheet, row, column, message))

    def cell(self, table: SheetTable, row: SheetRow, key: str, message: str) -> None:
        """An error in one cell: the message ends with the column letter, the cell is marked bad."""
        row.bad.add(key)
        letter = table.letters.get(key)
        self.add(
            row.sheet, row.number, table.spec.header(key), f"{message}（{letter}列）" if letter else message
        )


def sort_errors(errors: list[SheetError], specs: Iterable[SheetSpec]) -> list[SheetError]:
    """File-level errors first, then by sheet, row and column as they stand in the specs."""
    specs = list(specs)
    sheets = {spec.name: i for i, spec in enumerate(specs)}
    columns = {(spec.name, c.header): i for spec in specs for i, c in enumerate(spec.columns)}
    return sorted(
        errors, key=lambda e: (sheets.get(e.sheet, -1), e.row or 0, columns.get((e.sheet, e.column), -1))
    )


# --- caps: a workbook is refused before anything of it is kept when it unpacks to too much -------------

_ROW_TAGS = (b"<row", b":row ", b":row>")  # <row …>, and <x:row …> with a namespace prefix
_CELL_TAGS = (b"<c ", b"<c>", b":c ", b":c>")
CELLS_PER_ROW = 64  # the cell cap is this many cells per allowed row
_CHUNK = 1 << 20


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


def workbook_too_big(path: Path) -> str:
    """Why the workbook is refused (empty when it is not): the unpacked size its zip declares (zipfile never
    inflates a member past its declared size), then each worksheet's rows and cells counted while streaming the
    compressed XML (nothing is kept; it stops at the cap). A few seconds and a few MB for a million-row bomb."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return ""  # not a zip: openpyxl says it is not a readable .xlsx
    max_rows = settings.WORKBOOK_MAX_ROWS
    with archive:
        members = archive.infolist()
        unpacked = sum(info.file_size for info in members)
        if unpacked > settings.WORKBOOK_MAX_UNPACKED_BYTES:
            return (
                f"文件解压后过大（{_mb(unpacked)}，上限 {_mb(settings.WORKBOOK_MAX_UNPACKED_BYTES)}），"
                "未读取；请拆分为多个文件分批导入"
            )
        for info in members:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                rows, cells = _count_tags(archive, info, max_rows)
                if rows > max_rows or cells > max_rows * CELLS_PER_ROW:
                    return f"工作表行数超过上限（每个工作表最多 {max_rows:,} 行），未读取；请拆分为多个文件分批导入"
    return ""


def _count_tags(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_rows: int) -> tuple[int, int]:
    rows = cells = 0
    tail = b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                data = tail + chunk
                cut = max(0, len(data) - 16)  # a tag split across two chunks is counted in the next one
                head = data[:cut]
                rows += sum(head.count(tag) for tag in _ROW_TAGS)
                cells += sum(head.count(tag) for tag in _CELL_TAGS)
                tail = data[cut:]
                if rows > max_rows or cells > max_rows * CELLS_PER_ROW:
                    break
            rows += sum(tail.count(tag) for tag in _ROW_TAGS)
            cells += sum(tail.count(tag) for tag in _CELL_TAGS)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
        return 0, 0  # a broken member: openpyxl reports the file as unreadable
    return rows, cells


def read_workbook(path: str | Path, specs: Iterable[SheetSpec], log: ErrorLog) -> dict[str, SheetTable]:
    """Parse every sheet of `specs` found in the workbook; every problem goes to `log`. A workbook over the caps
    (settings.WORKBOOK_MAX_ROWS per sheet, WORKBOOK_MAX_UNPACKED_BYTES in all) is refused before it is read."""
    path = Path(path)
    if not path.is_file():
        log.add("", None, "", f"文件不存在：{path.name}")  # the name only: never a server path
        return {}
    if refusal := workbook_too_big(path):
        log.add("", None, "", refusal)
        return {}
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip, xml or format errors all mean "not a readable .xlsx"
        logger.info("unreadable workbook %s: %r", path, exc)
        log.add("", None, "", "无法读取 Excel 文件：文件已损坏或不是 .xlsx 格式（仅支持 .xlsx）")
        return {}
    try:
        tables = {}
        for spec in specs:
            if spec.name not in workbook.sheetnames:
                log.add(spec.name, None, "", f"缺少工作表“{spec.name}”")
                continue
            table = _read_sheet(workbook[spec.name], spec, log)
            if table is not None:
                tables[spec.name] = table
        return tables
    finally:
        workbook.close()


def _read_sheet(sheet, spec: SheetSpec, log: ErrorLog) -> SheetTable | None:
    max_rows = settings.WORKBOOK_MAX_ROWS
    too_many = f"工作表行数超过上限（最多 {max_rows:,} 行），未读取；请拆分为多个文件分批导入"
    if (sheet.max_row or 0) > max_rows + 1:  # the sheet's declared dimension (header row included)
        log.add(spec.name, None, "", too_many)
        return None
    rows = sheet.iter_rows(values_only=True)
    header_cells = next(rows, ())
    by_header = {_header_key(column.header): column for column in spec.columns}
    positions: dict[str, int] = {}
    for index, value in enumerate(header_cells):
        column = by_header.get(_header_key(value))
        if column is None:
            continue
        if column.key in positions:
            log.add(
                spec.name,
                1,
                column.header,
                f"列“{column.header}”重复（{get_column_letter(positions[column.key] + 1)}列与"
                f"{get_column_letter(index + 1)}列）",
            )
            continue
        positions[column.key] = index
    missing = [column for column in spec.columns if not column.optional and column.key not in positions]
    for column in missing:
        log.add(spec.name, 1, column.header, f"缺少必填列“{column.header}”")
    if missing:
        return None
    table = SheetTable(spec, {key: get_column_letter(i + 1) for key, i in positions.items()}, [])
    present = [column for column in spec.columns if column.key in positions]
    for number, cells in enumerate(rows, start=2):
        if number > max_rows + 1:  # a dimension that lied: stop at the cap all the same
            log.add(spec.name, None, "", too_many)
            return None
        raw = {
            column.key: cells[positions[column.key]] if positions[column.key] < len(cells) else None
            for column in present
        }
        if all(cell_text(value) == "" for value in raw.values()):
            continue
        row = SheetRow(spec.name, number, {}, {key: cell_text(value) for key, value in raw.items()})
        table.rows.append(row)
        for column in present:
            value = raw[column.key]
            if cell_text(value) == "":
                if column.required:
                    log.cell(table, row, column.key, f"{column.header}不能为空")
                else:
                    row.values[column.key] = column.empty
                continue
            try:
                row.values[column.key] = column.parse(value)
            except CellError as exc:
                log.cell(table, row, column.key, f"{column.header}{exc}")
    return table


# --- writing -------------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
_OPTIONAL_FILL = PatternFill("solid", fgColor="E7EEF7")


@stored_language()  # headers and cell values are Chinese by specification, whoever downloads
def write_workbook(
    path: str | Path,
    sheets: list[tuple[SheetSpec, Iterable[dict]]],
    *,
    instructions: list[str] | None = None,
    instructions_first: bool = False,
    extra_sheets: list[tuple[str, list[str], Iterable[Iterable]]] = (),
) -> Path:
    """Write `sheets` (spec, rows as key → value dicts), with drop-downs and an instructions sheet.

    `extra_sheets` are plain reference tables (name, headers, rows), e.g. the division codes.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    workbook.remove(workbook.active)
    if instructions and instructions_first:
        _write_instructions(workbook, instructions, [spec for spec, _ in sheets])
    for spec, rows in sheets:
        _write_sheet(workbook.create_sheet(spec.name), spec, rows)
    for name, headers, rows in extra_sheets:
        sheet = workbook.create_sheet(name)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = _HEADER_FONT
        for row in rows:
            append_row(sheet, row)
        for index in range(1, len(headers) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 24
    if instructions and not instructions_first:
        _write_instructions(workbook, instructions, [spec for spec, _ in sheets])
    workbook.save(path)
    return path


def _write_sheet(sheet, spec: SheetSpec, rows: Iterable[dict]) -> None:
    sheet.append([column.header for column in spec.columns])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.choices:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle="取值无效",
                error=f"{column.header}应为：{'、'.join(column.choices)}",
            )
            validation.add(f"{letter}2:{letter}{VALIDATION_ROWS + 1}")
            sheet.add_data_validation(validation)
    for values in rows:
        append_row(sheet, [values.get(column.key) for column in spec.columns])
        for index, column in enumerate(spec.columns, start=1):
            cell = sheet.cell(row=sheet.max_row, column=index)
            if column.as_text:
                cell.number_format = "@"
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # text, never a formula (data may be hostile)


def append_row(sheet, values: Iterable) -> None:
    """Append one row of values to `sheet`, every cell safe: text that a spreadsheet would read as a formula
    (starting with = + - @, tab or CR) is written as text (quote prefix), and characters a cell cannot hold
    (control characters in rows stored before the text rule) are dropped rather than breaking the export."""
    row = [_cell_value(value) for value in values]
    sheet.append(row)
    for index, value in enumerate(row, start=1):
        if isinstance(value, str) and is_formula_like(value):
            cell = sheet.cell(row=sheet.max_row, column=index)
            cell.data_type = "s"
            cell.quotePrefix = True


def _cell_value(value):
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        return export_safe(value)
    return value


def _write_instructions(workbook, lines: list[str], specs: list[SheetSpec]) -> None:
    sheet = workbook.create_sheet(INSTRUCTIONS_SHEET)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 90
    for line in lines:
        sheet.append([line])
    for spec in specs:
        sheet.append([])
        sheet.append([f"工作表“{spec.name}”", "是否必填", "填写说明"])
        for cell in sheet[sheet.max_row]:
            cell.font = _HEADER_FONT
        for column in spec.columns:
            note = column.note or ("可选：" + "、".join(column.choices) if column.choices else "")
            sheet.append(
                [
                    column.header,
                    "必填" if column.required else ("可选列" if column.optional else "选填"),
                    note,
                ]
            )
            sheet.cell(row=sheet.max_row, column=3).alignment = Alignment(wrap_text=True)


# --- the import commands' shared shell: `FILE.xlsx [--dry-run] [--json] [--user USERNAME]` ---------


class SheetImportCommand(BaseCommand):
    """An import command: checks everything, prints a Chinese report or one JSON object, exit 0 only when ok."""

    counted = "各类记录"  # what `created`/`updated` count, for --help

    def add_arguments(self, parser):
        parser.add_argument("file", help="Excel 文件（.xlsx）")
        parser.add_argument("--dry-run", action="store_true", help="只校验、不写入")
        parser.add_argument(
            "--json",
            action="store_true",
            help='只输出一个 JSON 对象：{"ok", "created", "updated", "errors": [{"sheet", "row", '
            f'"column", "message"}}]}}；created/updated 为{self.counted}合计',
        )
        parser.add_argument("--user", default="", help="以该用户身份导入：检查其权限与管辖范围，并记入审计")

    def run_import(self, *, path: str, actor, dry_run: bool) -> ImportResult:
        raise NotImplementedError

    def handle(self, *args, **opts):
        actor, result = None, None
        if opts["user"]:
            actor = get_user_model().objects.filter(username=opts["user"], is_active=True).first()
            if actor is None:
                result = ImportResult(
                    ok=False, errors=[SheetError("", None, "", f"用户 {opts['user']} 不存在或已停用")]
                )
        if result is None:
            result = self.run_import(path=opts["file"], actor=actor, dry_run=opts["dry_run"])
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(import_report(result, dry_run=opts["dry_run"], counted=self.counted))
        if not result.ok:
            raise CommandError(f"导入未通过校验（{len(result.errors)} 处错误），未写入任何数据", returncode=1)


def import_report(result: ImportResult, *, dry_run: bool = False, counted: str = "") -> str:
    """The readable Chinese report of an import."""
    if not result.ok:
        lines = [f"校验未通过：共 {len(result.errors)} 处错误，未写入任何数据。"]
        return "\n".join(lines + [f"  {error}" for error in result.errors])
    counts = f"新增 {result.created} 条、更新 {result.updated} 条（{counted}合计）"
    return f"校验通过（试运行，未写入任何数据）：将{counts}" if dry_run else f"导入完成：{counts}"
