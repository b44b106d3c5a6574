"""Background work of the credit list: its Excel export, a job with progress (core/exports) — the whole list in
reach with every entry's measures, which takes a while city-wide. The 双公示 exchange files stay in the request:
a refused file answers with its errors on the page."""

import datetime

from django.tasks import task
from django.utils.translation import gettext_lazy as _

from steelwatch.core.access import require
from steelwatch.core.exports import export_kind, export_run, export_start

from .access import entries_for
from .exchange import write_export


def _write_entries(job, path, report) -> str:
    require(job.started_by, "credit.view")  # checked again in the worker
    entries = entries_for(job.started_by)
    report(10, f"正在导出 {entries.count()} 条名单")
    write_export(entries, path)
    return "导出完成：信用名单"


@task()
def credit_export_task(job_id: int):
    export_run(job_id, _write_entries)


export_kind("credit_export", task=credit_export_task, title=_("导出信用名单"))


def credit_export_start(*, user):
    """Export the credit list `user` may see (the caller checked credit.view) in the background."""
    return export_start(
        user=user,
        kind="credit_export",
        task=credit_export_task,
        filename=f"信用名单_{datetime.date.today():%Y%m%d}.xlsx",
    )
