"""Background jobs: a task enqueued through Django's tasks framework, with progress its starter can watch.

A job never stays "running" after its worker died:
- every running job holds a lease: its worker writes `heartbeat_at` every few seconds (from a heartbeat thread,
  and with every progress report) — the heartbeat thread writes on its own database connection, so progress is
  visible while the job runs even when the work itself is inside a transaction;
- `jobs_reap()` marks a running job whose heartbeat is older than settings.JOB_LEASE_SECONDS as failed (with a
  Chinese message) or, for kinds registered as idempotent, queues it again; it runs the kind's clean-up (staged
  rows, partial files) in both cases. The worker runs it on start and periodically; the job pages run it for the
  job they show;
- `jobs_expire_files()` removes the uploaded files of jobs finished longer ago than the retention period.

Each app registers its kinds with `job_kind(...)` in its tasks module.
"""

import datetime
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from .models import Job
from .text import public_message

logger = logging.getLogger(__name__)

Report = Callable[[int, str], None]
MAX_ATTEMPTS = 3  # runs of a retried kind before it is given up as failed
DEAD_MESSAGE = (
    "后台进程意外中断（服务重启或进程被终止），任务未完成；未完成的数据已清理，未写入任何结果，请重新提交。"
)
RETRY_MESSAGE = "后台进程意外中断，任务已重新排队（第 {attempt} 次尝试）"


def failure_message(exc: Exception, ref: str) -> str:
    """What a user reads when background work fails: a refusal's own words, otherwise no exception text at
    all (it may carry paths, module names or data) — the details are in the log, under `ref`."""
    if isinstance(exc, ValidationError):
        return _("处理失败：{reason}").format(reason=public_message("；".join(exc.messages)))
    return _("处理失败：系统内部错误（{ref}），详情已记入日志，请联系管理员").format(ref=ref)


@dataclass(frozen=True)
class JobKind:
    task: object = None  # the task to enqueue again when a retried job lost its worker
    retry: bool = False  # idempotent and safe to run again from the start
    on_fail: Callable[[Job], None] | None = None  # clean-up of what a failed or dead run left behind


KINDS: dict[str, JobKind] = {}


def job_kind(
    kind: str, *, task=None, retry: bool = False, on_fail: Callable[[Job], None] | None = None
) -> None:
    """Register how a kind of job is cleaned up (and whether it may be retried) when it fails or its worker dies."""
    KINDS[kind] = JobKind(task=task, retry=retry and task is not None, on_fail=on_fail)


def _kinds() -> dict[str, JobKind]:
    autodiscover_modules("tasks")  # every app's tasks module registers its kinds
    return KINDS


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def job_start(*, kind: str, user, task, params: dict, files: list[str] = ()) -> Job:
    """Create the job row and enqueue `task(job_id)` once the surrounding transaction commits.

    `files` (relative to UPLOAD_DIR) belong to the job and are removed after the retention period."""
    job = Job.objects.create(
        kind=kind, started_by=user if getattr(user, "pk", None) else None, params=params, files=list(files)
    )
    transaction.on_commit(lambda: _enqueue(job.pk, task))
    return job


def _enqueue(job_id: int, task) -> None:
    result = task.enqueue(job_id)
    Job.objects.filter(pk=job_id, task_id="").update(task_id=str(getattr(result, "id", "") or "")[:64])


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def _retrying(write: Callable[[], object], attempts: int = 5) -> None:
    """A status write that survives a dropped connection (the database restarting under the worker)."""
    for attempt in range(attempts):
        try:
            write()
            return
        except (OperationalError, InterfaceError):
            if attempt == attempts - 1 or connection.in_atomic_block:
                raise
            connection.close()
            time.sleep(min(2**attempt, 10))


# --- running a job: claim, heartbeat, progress, result --------------------------------------------------


class _Heartbeat(threading.Thread):
    """Writes the job's heartbeat (and its latest progress) on the thread's own database connection."""

    def __init__(self, job_id: int, every: float):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id, self.every = job_id, every
        self.stopped = threading.Event()
        self.wake = threading.Event()
        self.lock = threading.Lock()
        self.pending: dict | None = None

    def progress(self, values: dict) -> None:
        with self.lock:
            self.pending = values
        self.wake.set()

    def stop(self) -> None:
        self.stopped.set()
        self.wake.set()
        self.join(timeout=30)

    def _write(self) -> None:
        with self.lock:
            values, self.pending = self.pending, None
        try:
            Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
                heartbeat_at=timezone.now(), **(values or {})
            )
        except DatabaseError as exc:  # the database is away for a moment: the next beat tries again
            logger.warning("job %s: heartbeat not written (%s)", self.job_id, exc)
            with self.lock:
                self.pending = self.pending or values
            connection.close()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                self.wake.wait(self.every)
                self.wake.clear()
                if self.stopped.is_set():
                    break
                self._write()
            if self.pending:
                self._write()
        finally:
            connection.close()


_heartbeat_thread = False
_running: set[int] = set()  # the jobs this process is running now: never reaped by its own reaper


def enable_heartbeat_thread() -> None:
    """Called by the worker: jobs it runs beat from a thread (tests and the immediate backend write inline)."""
    global _heartbeat_thread
    _heartbeat_thread = True


def _claim(job_id: int) -> bool:
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != Job.Status.QUEUED:
            return False  # finished, reaped, or already run by another worker: never run twice
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.RUNNING,
            heartbeat_at=now,
            worker=worker_name(),
            attempts=job.attempts + 1,
            progress=0,
            message="开始处理",
        )
    return True


def job_run(job_id: int, work: Callable[[Job, Report], dict]) -> dict | None:
    """Run `work(job, report)` inside a task, recording progress, result or failure on the job."""
    if not _claim(job_id):
        logger.warning("job %s is not queued any more: not run", job_id)
        return None
    job = Job.objects.get(pk=job_id)
    _running.add(job_id)
    try:
        return _run_claimed(job, work)
    finally:
        _running.discard(job_id)


def _run_claimed(job: Job, work: Callable[[Job, Report], dict]) -> dict | None:
    job_id = job.pk
    beat = None
    if _heartbeat_thread and not connection.in_atomic_block:
        beat = _Heartbeat(job_id, every=max(1.0, settings.JOB_LEASE_SECONDS / 6))
        beat.start()

    def report(progress: int, message: str = "") -> None:
        values = {"progress": max(0, min(100, progress)), "message": message}
        if beat is not None:
            beat.progress(values)
        else:
            Job.objects.filter(pk=job_id).update(heartbeat_at=timezone.now(), **values)

    try:
        result = work(job, report)
    except Exception as exc:  # the job records the failure; the worker keeps running
        logger.exception("job %s (%s) failed", job_id, job.kind)
        if beat is not None:
            beat.stop()
        _finish_failed(job, failure_message(exc, f"任务 #{job_id}"))
        return None
    if beat is not None:
        beat.stop()
    _retrying(
        lambda: Job.objects.filter(pk=job_id).update(
            status=Job.Status.DONE,
            progress=100,
            result=result,
            message=(result or {}).get("message", "已完成"),
            finished_at=timezone.now(),
        )
    )
    return result


def _finish_failed(job: Job, message: str) -> None:
    _retrying(
        lambda: Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, message=message[:2000], finished_at=timezone.now()
        )
    )
    job.status, job.message = Job.Status.FAILED, message[:2000]
    _clean_up(job)


def _clean_up(job: Job) -> None:
    kind = _kinds().get(job.kind)
    if kind is None or kind.on_fail is None:
        return
    try:
        kind.on_fail(job)
    except Exception:  # a clean-up that fails is logged and tried again by the next reaping
        logger.exception("job %s (%s): clean-up failed", job.pk, job.kind)


# --- the reaper: jobs whose worker died --------------------------------------------------------------


def _stale(now: datetime.datetime) -> Q:
    cutoff = now - _lease()
    return Q(status=Job.Status.RUNNING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, updated_at__lt=cutoff)
    )


def jobs_reap(*, job_ids: list[int] | None = None, now: datetime.datetime | None = None) -> int:
    """Fail (or queue again) every running job whose lease ran out; returns how many were reaped."""
    now = now or timezone.now()
    stale = Job.objects.filter(_stale(now))
    if job_ids is not None:
        stale = stale.filter(pk__in=job_ids)
    reaped = 0
    for job_id in list(stale.exclude(pk__in=list(_running)).values_list("pk", flat=True)[:200]):
        if _reap_one(job_id, now):
            reaped += 1
    return reaped


def _reap_one(job_id: int, now: datetime.datetime) -> bool:
    kinds = _kinds()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(_stale(now), pk=job_id).first()
        if job is None:
            return False  # it beat again, or another reaper was quicker
        kind = kinds.get(job.kind, JobKind())
        again = kind.retry and job.attempts < MAX_ATTEMPTS
        logger.warning(
            "job %s (%s) lost its worker %s: %s", job.pk, job.kind, job.worker, "retry" if again else "failed"
        )
        _task_result_failed(job.task_id, now)
        if again:
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.QUEUED,
                heartbeat_at=None,
                task_id="",
                message=RETRY_MESSAGE.format(attempt=job.attempts + 1),
            )
            task = kind.task
            transaction.on_commit(lambda: _enqueue(job.pk, task))
        else:
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED, message=DEAD_MESSAGE, finished_at=now
            )
        job.status, job.message = (Job.Status.QUEUED, "") if again else (Job.Status.FAILED, DEAD_MESSAGE)
    _clean_up(job)
    return True


def _task_result_failed(task_id: str, now: datetime.datetime) -> None:
    """The task framework's own record of a task whose worker died stays "running": mark it failed too."""
    if not task_id or "django_tasks_db" not in settings.INSTALLED_APPS:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=now,
        exception_class_path="steelwatch.core.jobs.WorkerLost",
        traceback=DEAD_MESSAGE,
    )


def job_refresh(job: Job) -> Job:
    """The job as its page shows it: reaped first if its worker died."""
    if job.status == Job.Status.RUNNING and jobs_reap(job_ids=[job.pk]):
        job.refresh_from_db()
    return job


# --- retention of uploaded files ------------------------------------------------------------------------


def jobs_expire_files(*, now: datetime.datetime | None = None) -> int:
    """Remove the uploaded files of jobs finished more than settings.UPLOAD_RETENTION_DAYS ago."""
    from .files import delete

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    expired = (
        Job.objects.filter(status__in=[Job.Status.DONE, Job.Status.FAILED])
        .filter(Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, updated_at__lt=cutoff))
        .exclude(files=[])
    )
    removed = 0
    for job in expired[:1000]:
        removed += delete(job.files)
        Job.objects.filter(pk=job.pk).update(files=[])
    return removed
