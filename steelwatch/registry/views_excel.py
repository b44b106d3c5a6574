"""Ledger Excel pages: upload → preview (bad cells marked) → confirm → background import with progress;
export of what the user may see (a background job with progress, then the download); the template; the
semiannual consolidation. Views only parse and call."""

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from steelwatch.accounts.roles import can
from steelwatch.core import files
from steelwatch.core.access import access_job, require
from steelwatch.core.forms import Form
from steelwatch.core.jobs import job_refresh, job_start
from steelwatch.core.models import Job
from steelwatch.geo.access import access_division

from .consolidation import PERIOD, access_snapshot, default_period, snapshot_file, snapshots_for
from .imports import upload_path, upload_store
from .ledger_excel import write_ledger_template
from .tasks import (
    ledger_consolidate_task,
    ledger_export_start,
    ledger_import_start,
    ledger_preview_job,
    ledger_preview_start,
)

JOB_KINDS = ("ledger_import", "ledger_consolidate", "ledger_export")  # the preview is shown on its own page


class UploadForm(Form):
    file = forms.FileField(label=_("台账文件（.xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("仅支持 .xlsx 格式的 Excel 文件"))
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(_("文件过大：最大 %(mb)d MB") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20})
        return upload


class ConsolidationForm(Form):
    period = forms.RegexField(
        label=_("归集期"),
        regex=PERIOD,
        error_messages={"invalid": _("应为 YYYY-06 或 YYYY-12（每年6月、12月归集）")},
    )


def _workbook_response(write, filename: str) -> HttpResponse:
    with tempfile.TemporaryDirectory() as folder:
        data = write(Path(folder) / "ledger.xlsx").read_bytes()
    return files.bytes_response(data, filename=filename)


@require_http_methods(["GET", "POST"])
def import_upload(request):
    require(request.user, "ledger.import")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = upload_store(user=request.user, upload=form.cleaned_data["file"])
        ledger_preview_start(user=request.user, token=token)
        return redirect("ledger_excel:import_preview", token)
    return render(request, "registry/import_upload.html", {"form": form})


@require_http_methods(["GET", "POST"])
def import_preview(request, token):
    """The preview of an upload: its parse runs in a background job (this page polls it); once it is done the
    rows with errors are shown, and confirming starts the import, which reuses that parse."""
    require(request.user, "ledger.import")
    if not upload_path(request.user.pk, token).is_file():
        raise Http404(_("未找到该上传文件"))
    preview_job = ledger_preview_job(user=request.user, token=token) or ledger_preview_start(
        user=request.user, token=token
    )
    if request.method == "POST" and preview_job.status == Job.Status.DONE:
        job = ledger_import_start(user=request.user, token=token)
        return redirect("ledger_excel:job", job.pk)
    if preview_job.status != Job.Status.DONE:
        return render(request, "registry/import_preview_wait.html", {"job": preview_job})
    result = preview_job.result
    return render(
        request,
        "registry/import_preview.html",
        {
            "plan": result,
            "sheets": result["sheets"],
            "created": result["created"],
            "updated": result["updated"],
            "token": token,
            "row_counts": result["row_counts"],
            "credit": result.get("credit", {}) if can(request.user, "credit.screen") else {},
        },
    )


def job(request, job_id: int):
    job = access_job(request.user, job_id, JOB_KINDS)
    return render(
        request,
        "registry/import_job.html",
        {"job": job_refresh(job), "retention_days": settings.UPLOAD_RETENTION_DAYS},
    )


def import_template(request):
    require(request.user, "ledger.import")
    return _workbook_response(
        lambda path: write_ledger_template(path, division=request.user.division), "台账导入模板.xlsx"
    )


@require_POST
def export(request):
    """Start the export of the ledger the user may see (cut to `division`, which must be in reach)."""
    require(request.user, "ledger.export")
    code = request.POST.get("division", "").strip()[:12]
    if code:
        access_division(request.user, code)
    job = ledger_export_start(user=request.user, division_code=code)
    return redirect("ledger_excel:job", job.pk)


def export_download(request, job_id: int):
    """The workbook of a finished export, for the user who started it only (404 for anyone else, and once
    the file has passed its retention period)."""
    job = access_job(request.user, job_id, ["ledger_export"])
    if job.status != Job.Status.DONE or not job.files:
        raise Http404(_("导出文件不存在或已过期"))
    return files.serve(job.files[0], content_type=files.XLSX, filename=job.result["filename"])


@require_http_methods(["GET", "POST"])
def consolidation(request):
    snapshots = snapshots_for(request.user)
    form = ConsolidationForm(request.POST or None, initial={"period": default_period()})
    if request.method == "POST" and form.is_valid():
        job = job_start(
            kind="ledger_consolidate",
            user=request.user,
            task=ledger_consolidate_task,
            params={"period": form.cleaned_data["period"], "division": request.user.division_id},
        )
        return redirect("ledger_excel:job", job.pk)
    return render(request, "registry/import_consolidation.html", {"form": form, "snapshots": snapshots})


def consolidation_download(request, snapshot_id: int):
    snapshot = access_snapshot(request.user, snapshot_id)
    return files.serve(
        snapshot_file(snapshot),
        content_type=files.XLSX,
        filename=f"清单归集_{snapshot.division.name}_{snapshot.period}.xlsx",
    )
