"""Background work of the ledger: the preview and the import of an uploaded workbook, the export of the ledger
a user may see, and the semiannual consolidation. Each kind tells core/jobs how to clean up after a failure or a worker that died."""

import datetime
import tempfile
from pathlib import Path

from django.conf import settings
from django.tasks import task
from django.urls import NoReverseMatch, reverse

from steelwatch.accounts.roles import can
from steelwatch.core.exports import discard_files, export_store
from steelwatch.core.jobs import job_kind, job_run
from steelwatch.core.models import Job
from steelwatch.core.screening import subjects_flags
from steelwatch.geo.selectors import division_prefix

from .access import enterprises_for
from .consolidation import ledger_consolidate, ledger_consolidate_discard
from .imports import (
    ledger_import,
    ledger_import_discard,
    ledger_import_plan,
    ledger_parse,
    parse_load,
    parse_path,
    parse_save,
    preview,
    upload_path,
)
from .ledger_excel import export_ledger

PREVIEW_ERRORS = 1000  # errors kept on the preview job (the count is complete)


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _preview(job, report) -> dict:
    """Read the workbook once, keep the parse for the confirm step, and check it against the database."""
    token = job.params["token"]
    report(5, "正在读取文件")
    parsed = ledger_parse(upload_path(job.started_by_id, token))
    parse_save(parsed, parse_path(job.started_by_id, token))
    report(60, "正在核对台账")
    plan = ledger_import_plan(actor=job.started_by, parsed=parsed)
    created, updated = plan.would()
    report(80, "正在筛查信用名单")
    return {
        "ok": plan.ok,
        "error_count": len(plan.errors),
        "errors": [error.as_dict() for error in plan.errors[:PREVIEW_ERRORS]],
        "sheets": preview(plan),
        "created": created,
        "updated": updated,
        "row_counts": {name: len(table.rows) for name, table in plan.tables.items()},
        "credit": _credit_flags(job.started_by, plan),
        "message": "校验通过" if plan.ok else f"发现 {len(plan.errors)} 处错误",
        "url": _url("ledger_excel:import_preview", token),
    }


SCREENED = 2000  # new enterprises of one file screened in the preview (the rest: on their enterprise page)


def _credit_flags(user, plan) -> dict:
    """The file's new enterprises that resemble a credit-list entry, screened here in the job (not at each
    view of the preview), kept as plain values: flagged in the preview, never refused. `screened` of `new`."""
    subjects = _new_enterprises(plan)
    result: dict = {"new": len(subjects), "screened": 0, "flags": []}
    if not can(user, "credit.screen"):
        return result
    result["screened"] = min(len(subjects), SCREENED)
    result["flags"] = [
        {
            "row": subject["row"],
            "name": subject["name"],
            "matches": [
                {
                    "band": row["match"].band,
                    "band_label": str(row["band_label"]),
                    "entry": row["entry"].name,
                    "list": str(row["entry"].get_list_kind_display()),
                    "document_number": row["entry"].document_number,
                }
                for row in rows
            ],
        }
        for subject, rows in subjects_flags(subjects[:SCREENED])
    ]
    return result


def _new_enterprises(plan) -> list[dict]:
    """What the preview screens against the credit list: the file's enterprises not yet on the ledger."""
    return [
        {
            "row": change.row.number,
            "name": change.fields.get("name", "") or "",
            "uscc": change.fields.get("uscc", "") or "",
            "person_name": change.fields.get("legal_representative", "") or "",
            "division_code": change.fields.get("division_id", "") or "",
        }
        for change in plan.enterprises
        if change.instance is None
    ]


@task()
def ledger_preview_task(job_id: int):
    job_run(job_id, _preview)


def _import(job, report) -> dict:
    token = job.params["token"]
    result = ledger_import(
        path=upload_path(job.started_by_id, token),
        parsed=parse_load(parse_path(job.started_by_id, token)),
        actor=job.started_by,
        report=report,
        batch=job.params["batch"],
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


def _export(job, report) -> dict:
    """Write the ledger the starter may see (cut to `division`, a code in their reach) into a file of the job."""
    actor, code = job.started_by, job.params["division"]
    enterprises = enterprises_for(actor)
    if code:
        enterprises = enterprises.filter(division__code__startswith=division_prefix(code))
    report(2, "正在导出台账")

    def progress(done: int, total: int) -> None:
        report(2 + 95 * done // max(total, 1), f"已写入 {done} / {total} 行")

    with tempfile.TemporaryDirectory() as folder:
        export_store(job, export_ledger(Path(folder) / "ledger.xlsx", enterprises, progress=progress))
    count = enterprises.count()
    return {
        "download": True,
        "filename": job.params["filename"],
        "url": _url("ledger_excel:export_download", job.pk),
        "message": f"导出完成：企业 {count} 家",
    }


@task()
def ledger_export_task(job_id: int):
    job_run(job_id, _export)


job_kind("ledger_preview")
job_kind("ledger_export", task=ledger_export_task, retry=True, on_fail=discard_files)
job_kind("ledger_import", on_fail=lambda job: ledger_import_discard(job.params.get("batch", "")))
job_kind(
    "ledger_consolidate",
    task=ledger_consolidate_task,
    retry=True,  # it reads the ledger and replaces the period's snapshot: safe to run again from the start
    on_fail=lambda job: ledger_consolidate_discard(
        period=job.params["period"], division_code=job.params["division"]
    ),
)


# --- starting them (the pages call these) ---------------------------------------------------------------


def ledger_preview_start(*, user, token: str):
    """Parse and check an uploaded workbook in the background; the preview page shows the job's result."""
    from steelwatch.core.jobs import job_start

    files = [
        str(path.relative_to(settings.UPLOAD_DIR))
        for path in (upload_path(user.pk, token), parse_path(user.pk, token))
    ]
    return job_start(
        kind="ledger_preview", user=user, task=ledger_preview_task, params={"token": str(token)}, files=files
    )


def ledger_preview_job(*, user, token: str):
    """The latest preview job of the user's upload `token` (None if there is none)."""
    from steelwatch.core.jobs import job_refresh

    job = (
        Job.objects.filter(started_by=user, kind="ledger_preview", params__token=str(token))
        .order_by("-pk")
        .first()
    )
    return job_refresh(job) if job is not None else None


def ledger_export_start(*, user, division_code: str = ""):
    """Export the ledger `user` may see (cut to `division_code`, already checked to be in reach) in the
    background; the job page shows its progress, then the download."""
    from steelwatch.core.jobs import job_start

    name = f"台账_{division_code or user.division_id or '全部'}_{datetime.date.today():%Y%m%d}.xlsx"
    return job_start(
        kind="ledger_export",
        user=user,
        task=ledger_export_task,
        params={"division": division_code, "filename": name},
    )


def ledger_import_start(*, user, token: str):
    """Import a previewed workbook (its staged parse is reused, checked again against the database)."""
    import uuid

    from steelwatch.core.jobs import job_start

    return job_start(
        kind="ledger_import",
        user=user,
        task=ledger_import_task,
        params={"token": str(token), "batch": uuid.uuid4().hex},
    )
