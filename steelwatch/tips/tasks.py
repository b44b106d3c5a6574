"""Background work for tips: the daily deadline reminders (also `steelwatch tip-reminders`) and the statistics
export (a job with progress; core/exports)."""

import datetime

from django.tasks import task
from django.utils.translation import gettext_lazy as _

from steelwatch.core.exports import export_kind, export_run, export_start
from steelwatch.core.jobs import job_run

from .exports import write_tip_workbook
from .services import tip_send_reminders


@task()
def tip_reminders_task(job_id: int):
    return job_run(job_id, lambda job, report: {"message": f"已发送 {tip_send_reminders()} 条举报期限提醒"})


def _write_stats(job, path, report) -> str:
    write_tip_workbook(job.started_by, path, report)
    return "导出完成：举报统计"


@task()
def tip_stats_export_task(job_id: int):
    export_run(job_id, _write_stats)


export_kind("tip_stats_export", task=tip_stats_export_task, title=_("导出举报统计"))


def tip_stats_export_start(*, user):
    """Export the tip statistics `user` may count (tips.stats, checked by the caller) in the background."""
    return export_start(
        user=user,
        kind="tip_stats_export",
        task=tip_stats_export_task,
        filename=f"举报统计_{datetime.date.today():%Y%m%d}.xlsx",
    )
