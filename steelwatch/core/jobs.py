"""Background jobs: a task enqueued through Django's tasks framework, with progress its starter can watch."""

import logging
from collections.abc import Callable

from django.db import transaction

from .models import Job

logger = logging.getLogger(__name__)

Report = Callable[[int, str], None]


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
        Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, message=f"处理失败：{exc}")
        return None
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, progress=100, result=result, message=(result or {}).get("message", "已完成")
    )
    return result
