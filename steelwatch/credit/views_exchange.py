"""The credit list as workbooks: the staff export, the sharing platform's exchange files, and the import of
the platform's own files back (USCC check characters validated both ways)."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steelwatch.core import files
from steelwatch.core.access import require

from . import exchange, forms
from .access import entries_for
from .tasks import credit_export_start


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    return files.bytes_response(data, filename=filename)


@require_POST
def export_entries(request):
    """Start the export of the list in reach (a background job: its page shows progress, then the download)."""
    require(request.user, "credit.view")
    return redirect("core:job_status", credit_export_start(user=request.user).pk)


def exchange_file(request, kind: str):
    require(request.user, "credit.decide")
    if kind not in exchange.EXCHANGE_KINDS:
        raise Http404
    with tempfile.TemporaryDirectory() as folder:
        result = exchange.write_exchange(kind, entries_for(request.user), Path(folder) / f"{kind}.xlsx")
        if result.errors or result.path is None:
            return render(request, "credit/exchange_errors.html", {"errors": result.errors}, status=422)
        data = result.path.read_bytes()
    label = _("行政处罚") if kind == "penalties" else _("信用名单")
    return _xlsx(data, f"双公示_{label}_{timezone.localdate():%Y%m%d}.xlsx")


@require_http_methods(["GET", "POST"])
def exchange_import(request):
    require(request.user, "credit.decide")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx") or upload.size > settings.UPLOAD_MAX_BYTES:
            messages.error(request, _("仅支持不超过上限的 .xlsx 文件"))
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "platform.xlsx"
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                report = exchange.import_platform_file(
                    path, actor=request.user, division_code=request.user.division_id or ""
                )
    return render(request, "credit/exchange_import.html", {"form": form, "report": report})
