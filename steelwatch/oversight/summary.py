"""附件1 “发现问题企业及整改情况汇总表”: one row per problem found in a campaign's area and period.

Rows come from registered sources, so that other apps (sampling, patrols) add theirs without changing this
module: `register_summary_source(fn)` with `fn(prefix, start, end) -> list[dict]` of the keys below.
"""

import datetime
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from steelwatch.core.sheets import Column, SheetSpec, write_workbook

COLUMNS = (
    ("index", "序号", 6),
    ("unit", "区县/单位", 14),
    ("enterprise", "企业名称", 28),
    ("uscc", "统一社会信用代码", 22),
    ("problem", "发现问题", 36),
    ("measures", "整改措施", 30),
    ("deadline", "整改时限", 12),
    ("status", "整改情况", 16),
    ("owner", "责任人", 10),
    ("note", "备注", 20),
)
SPEC = SheetSpec("附件1", tuple(Column(h, k, width=w, as_text=(k == "uscc")) for k, h, w in COLUMNS))
TITLE = "发现问题企业及整改情况汇总表"

SummarySource = Callable[[str, datetime.date, datetime.date], list[dict]]
SUMMARY_SOURCES: list[SummarySource] = []


def register_summary_source(source: SummarySource) -> None:
    if source not in SUMMARY_SOURCES:
        SUMMARY_SOURCES.append(source)


def _cases(prefix: str, start: datetime.date, end: datetime.date) -> list[dict]:
    """Cases opened in the period that were confirmed as problems (or are still being verified)."""
    from steelwatch.cases.models import Case

    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    cases = (
        Case.objects.filter(division__code__startswith=prefix, created_at__gte=low, created_at__lt=high)
        .exclude(state__in=("unfounded", "transferred"))
        .select_related("division", "division__parent", "enterprise", "enterprise__supervisor")
        .prefetch_related("actions", "cut_orders")
        .order_by("division_id", "created_at")
    )
    rows = []
    for case in cases:
        measures = [a.get_kind_display() for a in case.actions.all()]
        measures += [f"{o.get_kind_display()}（{o.get_status_display()}）" for o in case.cut_orders.all()]
        supervisor = case.enterprise.supervisor if case.enterprise else None
        rows.append(
            {
                "unit": case.division.area_name,
                "enterprise": case.enterprise.name if case.enterprise else case.title,
                "uscc": case.enterprise.uscc if case.enterprise else "",
                "problem": case.title,
                "measures": "；".join(measures) or "—",
                "deadline": case.verify_due.isoformat() if case.verify_due else "",
                "status": case.get_state_display(),
                "owner": (supervisor.get_full_name() or supervisor.username) if supervisor else "",
                "note": f"案件#{case.pk}",
            }
        )
    return rows


register_summary_source(_cases)


def summary_rows(prefix: str, start: datetime.date, end: datetime.date) -> list[dict]:
    rows = [row for source in SUMMARY_SOURCES for row in source(prefix, start, end)]
    for index, row in enumerate(rows, start=1):
        row["index"] = index
    return rows


def summary_table(rows: list[dict]) -> dict:
    """The rows as a PDF table (header, cells)."""
    return {
        "title": TITLE,
        "header": [h for _k, h, _w in COLUMNS],
        "rows": [[row.get(k, "") for k, _h, _w in COLUMNS] for row in rows],
    }


def summary_workbook(path: str | Path, rows: list[dict]) -> Path:
    return write_workbook(path, [(SPEC, rows)])
