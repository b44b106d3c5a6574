"""Workbooks of the credit list: the staff export, and the exchange files for the national credit information
sharing platform (全国信用信息共享平台) in the 双公示 field set — the CF_* administrative-penalty fields and a
listing file (MD_*) with the same subject fields — and the import of the platform's own files back.

Never in any of them: a resident ID number in clear (the masked form is written; the platform receives ID
numbers through its own secure channel), an address. Every USCC (subject, authority, data source) is checked
with its check character (registry/uscc.py) on export and on import; a cell that a spreadsheet would take for
a formula (= + - @) is written as text.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.core.audit import audit_record
from steelwatch.core.sheets import Column, ErrorLog, SheetSpec, cell_text, read_workbook, write_workbook
from steelwatch.registry.uscc import normalize_uscc, uscc_error

from . import services
from .models import Entry, ListKind

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SUBJECT_TYPES: dict[str, str] = {
    Entry.SubjectKind.ENTERPRISE: "02",
    Entry.SubjectKind.PERSON: "01",
}  # 01 自然人 02 法人


def safe(value):
    """Text a spreadsheet must not evaluate: a leading apostrophe makes `=cmd|…` plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def _text_columns(pairs) -> tuple[Column, ...]:
    return tuple(Column(header, key, width=18, as_text=True) for header, key in pairs)


EXPORT_SHEET = SheetSpec(
    "信用名单",
    (
        Column("条目编号", "id", width=10),
        Column("名单", "list", width=18),
        Column("主体类型", "subject", width=10),
        Column("名称", "name", width=32),
        Column("统一社会信用代码", "uscc", width=22, as_text=True),
        Column("原工商注册号", "registration_number", width=18, as_text=True),
        Column("法定代表人", "legal_representative", width=12),
        Column("身份证号码（脱敏）", "id_masked", width=22, as_text=True),
        Column("列入事由", "reason", width=40),
        Column("列入依据", "basis", width=40),
        Column("作出决定机关", "authority", width=28),
        Column("决定书文号", "document_number", width=24),
        Column("状态", "state", width=16),
        Column("列入日期", "starts_on", width=12),
        Column("届满日期", "ends_on", width=12),
        Column("公示日期", "published_on", width=12),
        Column("移出日期", "removed_on", width=12),
        Column("联合惩戒措施", "measures", width=60),
    ),
)

# The 双公示 penalty fields (NDRC-style codes, as the research note lists them).
CF_FIELDS = (
    ("CF_WSH", "行政处罚决定书文号"),
    ("CF_WFXW", "违法行为类型"),
    ("CF_SY", "违法事实"),
    ("CF_YJ", "处罚依据"),
    ("CF_CFLB", "处罚类别"),
    ("CF_NR", "处罚内容"),
    ("CF_NR_FK", "罚款金额（万元）"),
    ("CF_NR_WFFF", "没收违法所得、没收非法财物的金额（万元）"),
    ("CF_NR_ZKDX", "暂扣或吊销证照名称及编号"),
    ("CF_XDR_MC", "行政相对人名称"),
    ("CF_XDR_LB", "行政相对人类别"),
    ("CF_XDR_SHXYM", "统一社会信用代码"),
    ("CF_XDR_GSZC", "工商注册号"),
    ("CF_XDR_ZZJG", "组织机构代码"),
    ("CF_XDR_SWDJ", "税务登记号"),
    ("CF_XDR_SYDW", "事业单位证书号"),
    ("CF_XDR_SHZZ", "社会组织登记证号"),
    ("CF_FRDB", "法定代表人"),
    ("CF_FR_ZJLX", "法定代表人证件类型"),
    ("CF_FR_ZJHM", "法定代表人证件号码"),
    ("CF_XDR_ZJLX", "证件类型"),
    ("CF_XDR_ZJHM", "证件号码"),
    ("CF_JDRQ", "处罚决定日期"),
    ("CF_YXQ", "处罚有效期"),
    ("CF_GSJZQ", "公示截止期"),
    ("CF_CFJG", "处罚机关"),
    ("CF_CFJGDM", "处罚机关统一社会信用代码"),
    ("CF_SJLY", "数据来源单位"),
    ("CF_SJLYDM", "数据来源单位统一社会信用代码"),
    ("BZ", "备注"),
)
# The listing file: the same subject fields, then the list's own (名单类别, 列入/移出).
MD_FIELDS = (
    ("MD_XDR_MC", "主体名称"),
    ("MD_XDR_LB", "主体类别"),
    ("MD_XDR_SHXYM", "统一社会信用代码"),
    ("MD_XDR_GSZC", "工商注册号"),
    ("MD_FRDB", "法定代表人"),
    ("MD_XDR_ZJLX", "证件类型"),
    ("MD_XDR_ZJHM", "证件号码"),
    ("MD_LB", "名单类别"),
    ("MD_LRSY", "列入事由"),
    ("MD_LRYJ", "列入依据"),
    ("MD_LRJG", "列入决定机关"),
    ("MD_LRJGDM", "列入决定机关统一社会信用代码"),
    ("MD_WSH", "列入决定书文号"),
    ("MD_LRRQ", "列入日期"),
    ("MD_YXQZ", "有效期至"),
    ("MD_ZT", "状态"),
    ("MD_YCRQ", "移出日期"),
    ("MD_YCYY", "移出原因"),
    ("MD_SJLY", "数据来源单位"),
    ("MD_SJLYDM", "数据来源单位统一社会信用代码"),
    ("BZ", "备注"),
)
CF_SHEET = SheetSpec("行政处罚", _text_columns((code, code) for code, _ in CF_FIELDS))
MD_SHEET = SheetSpec("信用名单", _text_columns((code, code) for code, _ in MD_FIELDS))
USCC_FIELDS = {"CF_XDR_SHXYM", "CF_CFJGDM", "CF_SJLYDM", "MD_XDR_SHXYM", "MD_LRJGDM", "MD_SJLYDM"}
MD_STATES = {"1": Entry.State.IN_FORCE, "2": Entry.State.REMOVED}  # MD_ZT: 1 列入中, 2 已移出


def _masked_id(entry: Entry) -> tuple[str, str]:
    return ("身份证", entry.id_masked) if entry.id_masked else ("", "")


def export_rows(entries) -> list[dict]:
    return [
        {
            key: safe(value)
            for key, value in {
                "id": e.pk,
                "list": e.get_list_kind_display(),
                "subject": e.get_subject_kind_display(),
                "name": e.name,
                "uscc": e.uscc,
                "registration_number": e.registration_number,
                "legal_representative": e.legal_representative,
                "id_masked": e.id_masked,
                "reason": e.reason,
                "basis": e.basis,
                "authority": e.authority,
                "document_number": e.document_number,
                "state": e.get_state_display(),
                "starts_on": _date(e.starts_on),
                "ends_on": _date(e.ends_on),
                "published_on": _date(e.published_on),
                "removed_on": _date(e.removed_on),
                "measures": "；".join(m.name for m in e.measures.all()),
            }.items()
        }
        for e in entries
    ]


def write_export(entries, path: Path) -> Path:
    return write_workbook(path, [(EXPORT_SHEET, export_rows(entries.prefetch_related("measures")))])


def _cf_row(e: Entry) -> dict:
    kind, number = _masked_id(e)
    return {
        "CF_WSH": e.penalty_document or e.document_number,
        "CF_WFXW": e.penalty_kind or e.get_list_kind_display(),
        "CF_SY": e.reason,
        "CF_YJ": e.basis,
        "CF_CFLB": e.penalty_kind,
        "CF_NR": e.penalty_content,
        "CF_NR_FK": str(e.fine_wan) if e.fine_wan is not None else "",
        "CF_NR_WFFF": str(e.confiscated_wan) if e.confiscated_wan is not None else "",
        "CF_NR_ZKDX": "",
        "CF_XDR_MC": e.name,
        "CF_XDR_LB": SUBJECT_TYPES[e.subject_kind],
        "CF_XDR_SHXYM": e.uscc,
        "CF_XDR_GSZC": e.registration_number,
        "CF_FRDB": e.legal_representative,
        "CF_FR_ZJLX": kind if not e.is_person else "",
        "CF_FR_ZJHM": number if not e.is_person else "",
        "CF_XDR_ZJLX": kind if e.is_person else "",
        "CF_XDR_ZJHM": number if e.is_person else "",
        "CF_JDRQ": _date(e.decided_on),
        "CF_YXQ": _date(e.ends_on),
        "CF_GSJZQ": _date(e.ends_on),
        "CF_CFJG": e.authority,
        "CF_CFJGDM": e.authority_uscc,
        "CF_SJLY": e.authority,
        "CF_SJLYDM": e.authority_uscc,
        "BZ": e.get_list_kind_display(),
    }


def _md_row(e: Entry) -> dict:
    kind, number = _masked_id(e)
    return {
        "MD_XDR_MC": e.name,
        "MD_XDR_LB": SUBJECT_TYPES[e.subject_kind],
        "MD_XDR_SHXYM": e.uscc,
        "MD_XDR_GSZC": e.registration_number,
        "MD_FRDB": e.legal_representative,
        "MD_XDR_ZJLX": kind,
        "MD_XDR_ZJHM": number,
        "MD_LB": e.get_list_kind_display(),
        "MD_LRSY": e.reason,
        "MD_LRYJ": e.basis,
        "MD_LRJG": e.authority,
        "MD_LRJGDM": e.authority_uscc,
        "MD_WSH": e.document_number,
        "MD_LRRQ": _date(e.starts_on),
        "MD_YXQZ": _date(e.ends_on),
        "MD_ZT": "1" if e.state in Entry.LISTED_STATES else "2",
        "MD_YCRQ": _date(e.removed_on),
        "MD_YCYY": e.removal_reason if e.state in Entry.CLOSED_STATES else "",
        "MD_SJLY": e.authority,
        "MD_SJLYDM": e.authority_uscc,
        "BZ": "",
    }


def uscc_problems(rows: list[dict], *, first_row: int = 2) -> list[str]:
    """Every USCC cell whose check character (or form) is wrong, by row and field."""
    problems = []
    for number, row in enumerate(rows, start=first_row):
        for key in USCC_FIELDS & set(row):
            code = normalize_uscc(row[key])
            if code and (error := uscc_error(code)):
                problems.append(_("第{row}行 {field}：{error}").format(row=number, field=key, error=error))
    return problems


@dataclass
class ExchangeFile:
    path: Path | None
    rows: int
    errors: list[str] = field(default_factory=list)


EXCHANGE_KINDS = {"penalties": (CF_SHEET, CF_FIELDS, _cf_row), "listing": (MD_SHEET, MD_FIELDS, _md_row)}


def write_exchange(kind: str, entries, path: Path) -> ExchangeFile:
    """The penalty (CF_*) or listing (MD_*) file; refused (no file) when a USCC's check character is wrong."""
    spec, fields, to_row = EXCHANGE_KINDS[kind]
    rows = [to_row(e) for e in entries.filter(state__in=(*Entry.LISTED_STATES, *Entry.CLOSED_STATES[:3]))]
    errors = uscc_problems(rows)
    if errors:
        return ExchangeFile(None, len(rows), errors)
    write_workbook(
        path,
        [(spec, [{k: safe(v) for k, v in row.items()} for row in rows])],
        extra_sheets=[("字段说明", ["字段", "含义"], list(fields))],
    )
    return ExchangeFile(path, len(rows))


@dataclass
class ImportReport:
    kind: str = (
        ""  # "listing" (MD_*: rows in force become platform entries) or "penalties" (CF_*: checked only)
    )
    rows: int = 0
    created: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def _cells(row) -> dict[str, str]:
    return {k: cell_text(v).lstrip("'") for k, v in row.values.items()}  # the export's formula guard undone


def import_platform_file(
    path: Path, *, actor, division_code: str, today: datetime.date | None = None
) -> ImportReport:
    """Read the platform's own listing (MD_*) or penalty (CF_*) file back. Every USCC is checked (a row with a
    wrong check character is reported by row and field, and not imported). A listing row of a subject in force
    (MD_ZT 1, end date still ahead) that the list does not hold yet — the same USCC, legacy number or, for a
    person, name, with the same document number — becomes a `platform` entry here, in force, so that screening
    knows it; a penalty file is only checked. The import is audited (counts, never the rows' ID numbers)."""
    today = today or timezone.localdate()
    report = ImportReport()
    log = ErrorLog()
    tables = read_workbook(path, [MD_SHEET], log)
    if not tables:
        cf_tables = read_workbook(path, [CF_SHEET], ErrorLog())
        if cf_tables:
            table = cf_tables[CF_SHEET.name]
            report.kind, report.rows = "penalties", len(table.rows)
            for row in table.rows:
                report.errors += uscc_problems([_cells(row)], first_row=row.number)
            report.skipped = report.rows
        else:
            report.errors = [str(e) for e in log.errors]
        _audit_import(actor, report, path, division_code)
        return report
    table = tables[MD_SHEET.name]
    report.kind, report.rows = "listing", len(table.rows)
    for row in table.rows:
        values = _cells(row)
        problems = uscc_problems([values], first_row=row.number)
        if problems:
            report.errors += problems
            continue
        ends_on = _parse_date(values.get("MD_YXQZ", ""))
        if MD_STATES.get(values.get("MD_ZT", "1")) != Entry.State.IN_FORCE or (ends_on and ends_on <= today):
            report.skipped += 1  # removed, or its period already over
            continue
        if _already_known(values):
            report.skipped += 1
            continue
        try:
            _import_row(values, actor=actor, division_code=division_code)
        except ValidationError as error:  # a row the services refuse: reported, the others go on
            report.errors.append(
                _("第{row}行：{error}").format(row=row.number, error="；".join(error.messages))
            )
            continue
        report.created += 1
    _audit_import(actor, report, path, division_code)
    return report


def _audit_import(actor, report: ImportReport, path: Path, division_code: str) -> None:
    audit_record(
        actor=actor,
        action="credit_exchange_import",
        target=actor,
        after={
            "file": path.name,
            "kind": report.kind,
            "rows": report.rows,
            "created": report.created,
            "skipped": report.skipped,
            "errors": len(report.errors),
        },
        division_code=division_code,
    )


def _already_known(values: dict) -> bool:
    """The list already holds this subject's listing: our own entry sent out and read back, or an earlier
    import of the same file (same key — USCC, legacy number, or a person's name — and document number)."""
    uscc = normalize_uscc(values.get("MD_XDR_SHXYM"))
    number = (values.get("MD_XDR_GSZC") or "").strip()
    document = (values.get("MD_WSH") or "").strip()
    if uscc:
        rows = Entry.objects.filter(uscc=uscc)
    elif number:
        rows = Entry.objects.filter(registration_number=number)
    else:
        rows = Entry.objects.filter(
            subject_kind=Entry.SubjectKind.PERSON, name=values.get("MD_XDR_MC", "").strip()
        )
    rows = rows.filter(document_number=document) if document else rows.filter(state__in=Entry.LISTED_STATES)
    return rows.exists()


def _parse_date(text: str) -> datetime.date | None:
    text = (text or "").strip().replace("/", "-")[:10]
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@transaction.atomic
def _import_row(values: dict, *, actor, division_code: str) -> Entry:
    person = values.get("MD_XDR_LB") == "01"
    list_kind = ListKind.ABNORMAL if "异常" in values.get("MD_LB", "") else ListKind.SERIOUS
    id_number = values.get("MD_XDR_ZJHM", "")
    entry = services.entry_create(
        actor=actor,
        subject_kind=Entry.SubjectKind.PERSON if person else Entry.SubjectKind.ENTERPRISE,
        list_kind=list_kind,
        name=values.get("MD_XDR_MC", ""),
        person_name=values.get("MD_XDR_MC", "") if person else "",
        person_id_number=id_number if "*" not in id_number else "",
        enterprise_uscc=values.get("MD_XDR_SHXYM", ""),
        registration_number=values.get("MD_XDR_GSZC", ""),
        legal_representative=values.get("MD_FRDB", ""),
        reason=values.get("MD_LRSY", ""),
        basis=values.get("MD_LRYJ", "") or "信用信息共享平台推送",
        authority=values.get("MD_LRJG", "") or "信用信息共享平台",
        document_number=values.get("MD_WSH", ""),
        starts_on=_parse_date(values.get("MD_LRRQ", "")),
        ends_on=_parse_date(values.get("MD_YXQZ", "")),
        measures=[],
        division_code=division_code,
        source=Entry.Source.PLATFORM,
        state=Entry.State.IN_FORCE,
    )
    return entry
