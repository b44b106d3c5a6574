"""Background work of oversight: a campaign's summary table (附件1) as Excel or red-header PDF, an export job with
progress (core/exports) — the rows are read across the campaign's whole area, which takes a while city-wide."""

from django.http import Http404
from django.tasks import task
from django.utils.translation import gettext_lazy as _

from steelwatch.core.exports import export_kind, export_run, export_start

from . import access


def _write_summary(job, path, report) -> str:
    from .services.documents import summary_pdf
    from .summary import summary_rows, summary_workbook

    campaign = access.access_campaign(job.started_by, job.params["campaign"])  # reach checked again here
    if not access.may_manage(job.started_by, campaign.division_id):
        raise Http404
    report(10, "正在汇总发现问题企业")
    rows = summary_rows(campaign.division.prefix, campaign.starts_on, campaign.ends_on)
    report(60, f"已汇总 {len(rows)} 家企业，正在生成文件")
    if path.suffix == ".pdf":
        path.write_bytes(summary_pdf(campaign, rows))
    else:
        summary_workbook(path, rows)
    return f"导出完成：汇总表 {len(rows)} 行"


@task()
def summary_export_task(job_id: int):
    export_run(job_id, _write_summary)


export_kind("campaign_summary_export", task=summary_export_task, title=_("导出专项行动汇总表"))


def summary_export_start(*, user, campaign, fmt: str):
    """Export the summary of `campaign` (the caller checked the user manages it) as "xlsx" or "pdf"."""
    return export_start(
        user=user,
        kind="campaign_summary_export",
        task=summary_export_task,
        filename=f"附件1_发现问题企业及整改情况汇总表_{campaign.pk}.{fmt}",
        params={"campaign": campaign.pk},
    )
