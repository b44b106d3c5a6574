"""Background work of the ledger: the import of an uploaded workbook and the semiannual consolidation."""

from django.tasks import task
from django.urls import NoReverseMatch, reverse

from steelwatch.core.jobs import job_run

from .consolidation import ledger_consolidate
from .imports import ledger_import, upload_path

PROGRESS_EVERY = 50  # rows between two progress reports


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _import(job, report) -> dict:
    token = job.params["token"]
    result = ledger_import(
        path=upload_path(job.started_by_id, token), actor=job.started_by, report=report, every=PROGRESS_EVERY
    )
    if not result.ok:
        return {
            **result.as_dict(),
            "url": _url("ledger_excel:import_preview", token),
            "message": f"导入未执行：重新校验发现 {len(result.errors)} 处错误，未写入任何数据",
        }
    return {
        **result.as_dict(),
        "url": _url("registry:enterprise_list"),
        "message": f"导入完成：新增 {result.created} 条、更新 {result.updated} 条（企业与设备合计）",
    }


@task()
def ledger_import_task(job_id: int):
    job_run(job_id, _import)


def _consolidate(job, report) -> dict:
    report(10, "正在归集清单")
    snapshot = ledger_consolidate(
        actor=job.started_by, period=job.params["period"], division_code=job.params["division"]
    )
    return {
        "snapshot": snapshot.pk,
        "url": _url("ledger_excel:consolidation"),
        "message": f"{snapshot.period} 归集完成：中(工)频炉使用企业 {snapshot.furnace_user_count} 家，"
        f"重点监控企业 {snapshot.watchlist_count} 家，台账外企业 {snapshot.off_ledger_count} 家",
    }


@task()
def ledger_consolidate_task(job_id: int):
    job_run(job_id, _consolidate)
