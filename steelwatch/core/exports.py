"""Long exports as background jobs, like imports (#11 item 5).

A page starts an export (`export_start`); the worker writes the file (`export_run`, with the app's writer and
its progress reports) and stores it under UPLOAD_DIR/exports/<starter>/ as the job's file; the job page
(core:job_status) shows the progress, then 下载文件, which core:job_download serves to the job's starter only,
under its Chinese file name (files.serve). The file goes with the job's other files after the retention period
(jobs_expire_files); a failed or dead run's partial file is removed.

An app registers its kind of export in its tasks module: `export_kind("tip_stats_export", task=…, title=…)`.
"""

import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.urls import reverse

from . import files
from .jobs import Report, job_kind, job_run, job_start
from .models import Job

EXPORT_DIR = "exports"  # UPLOAD_DIR/exports/<user id>/
CONTENT_TYPES = {"xlsx": files.XLSX, "pdf": "application/pdf"}
TITLES: dict[str, object] = {}  # kind → the job page's title (a lazy translation)

Writer = Callable[[Job, Path, Report], str]  # writes the file at the path, returns the finished message


def discard_files(job: Job) -> None:
    """A failed or dead export's clean-up: its partial file."""
    files.delete(job.files)
    Job.objects.filter(pk=job.pk).update(files=[])


def export_kind(kind: str, *, task, title) -> None:
    """Register an export: safe to run again from the start, its partial file removed when a run fails."""
    TITLES[kind] = title
    job_kind(kind, task=task, retry=True, on_fail=discard_files)


def is_export(job: Job) -> bool:
    return job.kind in TITLES


def export_store(job: Job, path: Path) -> str:
    """Keep a written file as the job's own (removed with its files after the retention period)."""
    stored = files.save_file(f"{EXPORT_DIR}/{job.started_by_id}", path, path.suffix.lstrip("."))
    Job.objects.filter(pk=job.pk).update(files=[stored])
    return stored


def export_run(job_id: int, write: Writer) -> dict | None:
    """Run an export job: `write(job, path, report)` writes the file named by the job's `filename`."""

    def work(job: Job, report: Report) -> dict:
        filename = job.params["filename"]
        report(1, "正在导出")
        with tempfile.TemporaryDirectory(prefix="sw-export-") as folder:
            path = Path(folder) / f"export{Path(filename).suffix}"
            message = write(job, path, report)
            export_store(job, path)
        return {
            "download": True,
            "filename": filename,
            "url": reverse("core:job_download", args=[job.pk]),
            "message": message,
        }

    return job_run(job_id, work)


def export_start(*, user, kind: str, task, filename: str, params: dict | None = None) -> Job:
    """Start an export of `kind` for `user`; the caller has checked that the user may have what it holds."""
    return job_start(kind=kind, user=user, task=task, params={**(params or {}), "filename": filename})


def content_type(filename: str) -> str:
    return CONTENT_TYPES.get(Path(filename).suffix.lstrip("."), "application/octet-stream")


def counted(rows: Iterable, *, total: int, report: Report, start: int = 5, end: int = 95) -> Iterator:
    """The rows, reporting progress between `start` and `end` percent every 500 rows."""
    for done, row in enumerate(rows, 1):
        if done % 500 == 0:
            report(start + (end - start) * done // max(total, 1), f"已写入 {done} / {total} 行")
        yield row
