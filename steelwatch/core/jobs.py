"""Background jobs: a task enqueued through Django's tasks framework, with progress its starter can watch."""

import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Job
from .text import public_message

logger = logging.getLogger(__name__)

Report = Callable[[int, str], None]


def failure_message(exc: Exception, ref: str) -> str:
    """What a user reads when background work fails: a refusal's own words, otherwise no exception text at
    all (it may carry paths, module names or data) — the details are in the log, under `ref`."""
    if isinstance(exc, ValidationError):
        return _("处理失败：{reason}").format(reason=public_message("；".join(exc.messages)))
    return _("处理失败：系统内部错误（{ref}），详情已记入日志，请联系管理员").format(ref=ref)


def job_start(*, kind: str, user, task, params: dict) -> Job:
    """Create the job row and enqueue `task(job_id)` once the surrounding transaction commits."""
    job = Job.objects.create(kind=kind, started_by=user if getattr(user, "pk", None) else None, params=params)
    transaction.on_commit(lambda: task.enqueue(job.pk))
    return job


def job_run(job_id: int, work: Callable[[Job, Report], dict]) -> dict | None:
    """Run `work(job, report)` inside a task, recording progress, result or failure on the job."""
    job = Job.objects.get(pk=job_id)

    def report(progress: int, message: str = "") -> None:
        Job.objects.filter(pk=job_id).update(
            progress=max(0, min(100, progress)), message=message, status=Job.Status.RUNNING
        )

    report(0, "开始处理")
    try:
        result = work(job, report)
    except Exception as exc:  # the job records the failure; the worker keeps running
        logger.exception("job %s (%s) failed", job_id, job.kind)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, message=failure_message(exc, f"任务 #{job_id}")
        )
        return None
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, progress=100, result=result, message=(result or {}).get("message", "已完成")
    )
    return result
