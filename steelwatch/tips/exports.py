"""The tips workbook: one row per tip and the statistics — never the reporter's identity or contact.

Content and address are left out as well: a tip's wording can point to who wrote it.
"""

from pathlib import Path

from steelwatch.core.exports import counted
from steelwatch.core.jobs import Report
from steelwatch.core.notify import stored_language
from steelwatch.core.sheets import Column, SheetSpec, write_workbook

from .selectors import tip_rows, tip_stats

TIPS_SHEET = SheetSpec(
    "举报明细",
    (
        Column("回执编号", "receipt", width=20, as_text=True),
        Column("举报渠道", "channel", width=12),
        Column("区县", "district", width=12),
        Column("属地代码", "division", width=14, as_text=True),
        Column("状态", "status", width=10),
        Column("收到时间", "received", width=18),
        Column("核查完成日期", "verified", width=14),
        Column("核查用时（工作日）", "days_to_verify", width=18),
        Column("是否逾期", "overdue", width=10),
        Column("案件", "case", width=10),
        Column("合并至", "merged_into", width=20),
    ),
)
SUMMARY_SHEET = SheetSpec(
    "统计",
    (Column("分类", "group", width=12), Column("项目", "item", width=20), Column("数量", "count", width=10)),
)


def summary_rows(stats: dict) -> list[dict]:
    rows = [{"group": "合计", "item": "举报总数", "count": stats["total"]}]
    for group, key in (
        ("渠道", "by_channel"),
        ("区县", "by_district"),
        ("结果", "by_outcome"),
        ("月份", "by_month"),
    ):
        rows += [{"group": group, "item": str(item), "count": count} for item, count in stats[key]]
    rows += [
        {"group": "核查用时", "item": "已核查数", "count": stats["verified_count"]},
        {"group": "核查用时", "item": "平均（工作日）", "count": stats["days_mean"]},
        {"group": "核查用时", "item": "中位数（工作日）", "count": stats["days_median"]},
        {"group": "核查用时", "item": "10个工作日内完成", "count": stats["within_deadline"]},
        {"group": "期限", "item": "逾期未办", "count": stats["overdue"]},
    ]
    return rows


@stored_language()  # a Chinese workbook whatever language the pages are read in
def write_tip_workbook(user, path: Path, report: Report | None = None) -> Path:
    """The workbook of the tips `user` may count; `report(percent, message)` follows the rows written."""
    report = report or (lambda percent, message: None)
    rows = tip_rows(user)
    report(30, f"已读取举报 {len(rows)} 条")
    stats = tip_stats(user)
    report(50, "正在写入")
    return write_workbook(
        path,
        [
            (TIPS_SHEET, counted(rows, total=len(rows), report=report, start=50, end=95)),
            (SUMMARY_SHEET, summary_rows(stats)),
        ],
    )
